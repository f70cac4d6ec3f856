/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-numbering"

#include "config.h"

#include "gh-numbering.h"

G_DEFINE_INTERFACE (GhNumbering, gh_numbering, GH_TYPE_DRIVER)

static void
gh_numbering_default_init (GhNumberingInterface *iface)
{
}

/**
 * gh_numbering_push_registrations_async:
 * @driver: a #GhDriver
 *
 * Registration numbers. Answers %GH_ERROR_NOT_SUPPORTED when @driver lacks the ability.
 */
void
gh_numbering_push_registrations_async (GhDriver *driver,
                                       GPtrArray *registrations,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  GhNumberingInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (driver));

  if (!GH_IS_NUMBERING (driver) ||
      (iface = GH_NUMBERING_GET_IFACE (driver))->push_registrations_async == NULL) {
    gh_driver_report_not_supported (driver, gh_numbering_push_registrations_async,
                                    "Registration numbers", callback, user_data);
    return;
  }
  iface->push_registrations_async (GH_NUMBERING (driver), registrations, cancellable,
                                   callback, user_data);
}

gboolean
gh_numbering_push_registrations_finish (GhDriver *driver,
                                       GAsyncResult *result,
                                       GError **error)
{
  return gh_driver_propagate_boolean (driver, result, error);
}

/**
 * gh_numbering_set_room_password_async:
 * @driver: a #GhDriver
 *
 * Room unlock passwords. Answers %GH_ERROR_NOT_SUPPORTED when @driver lacks the ability.
 */
void
gh_numbering_set_room_password_async (GhDriver *driver,
                                      const char *room,
                                      const char *password,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  GhNumberingInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (driver));

  if (!GH_IS_NUMBERING (driver) ||
      (iface = GH_NUMBERING_GET_IFACE (driver))->set_room_password_async == NULL) {
    gh_driver_report_not_supported (driver, gh_numbering_set_room_password_async,
                                    "Room unlock passwords", callback, user_data);
    return;
  }
  iface->set_room_password_async (GH_NUMBERING (driver), room, password, cancellable,
                                  callback, user_data);
}

gboolean
gh_numbering_set_room_password_finish (GhDriver *driver,
                                      GAsyncResult *result,
                                      GError **error)
{
  return gh_driver_propagate_boolean (driver, result, error);
}
