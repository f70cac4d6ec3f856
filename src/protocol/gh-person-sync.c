/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-person-sync"

#include "config.h"

#include "gh-person-sync.h"

G_DEFINE_INTERFACE (GhPersonSync, gh_person_sync, GH_TYPE_DRIVER)

static void
gh_person_sync_default_init (GhPersonSyncInterface *iface)
{
}

/**
 * gh_person_sync_push_persons_async:
 * @driver: a #GhDriver
 *
 * Pushing persons. Answers %GH_ERROR_NOT_SUPPORTED when @driver lacks the ability.
 */
void
gh_person_sync_push_persons_async (GhDriver *driver,
                                   GPtrArray *persons,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  GhPersonSyncInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (driver));

  if (!GH_IS_PERSON_SYNC (driver) ||
      (iface = GH_PERSON_SYNC_GET_IFACE (driver))->push_persons_async == NULL) {
    gh_driver_report_not_supported (driver, gh_person_sync_push_persons_async,
                                    "Pushing persons", callback, user_data);
    return;
  }
  iface->push_persons_async (GH_PERSON_SYNC (driver), persons, cancellable,
                             callback, user_data);
}

gboolean
gh_person_sync_push_persons_finish (GhDriver *driver,
                                   GAsyncResult *result,
                                   GError **error)
{
  return gh_driver_propagate_boolean (driver, result, error);
}

/**
 * gh_person_sync_remove_persons_async:
 * @driver: a #GhDriver
 *
 * Removing persons. Answers %GH_ERROR_NOT_SUPPORTED when @driver lacks the ability.
 */
void
gh_person_sync_remove_persons_async (GhDriver *driver,
                                     const char * const *person_ids,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  GhPersonSyncInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (driver));

  if (!GH_IS_PERSON_SYNC (driver) ||
      (iface = GH_PERSON_SYNC_GET_IFACE (driver))->remove_persons_async == NULL) {
    gh_driver_report_not_supported (driver, gh_person_sync_remove_persons_async,
                                    "Removing persons", callback, user_data);
    return;
  }
  iface->remove_persons_async (GH_PERSON_SYNC (driver), person_ids, cancellable,
                               callback, user_data);
}

gboolean
gh_person_sync_remove_persons_finish (GhDriver *driver,
                                     GAsyncResult *result,
                                     GError **error)
{
  return gh_driver_propagate_boolean (driver, result, error);
}
