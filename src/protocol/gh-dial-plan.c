/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-dial-plan"

#include "config.h"

#include "gh-dial-plan.h"

G_DEFINE_INTERFACE (GhDialPlan, gh_dial_plan, GH_TYPE_DRIVER)

static void
gh_dial_plan_default_init (GhDialPlanInterface *iface)
{
}

/**
 * gh_dial_plan_push_registrations_async:
 * @driver: a #GhDriver
 *
 * Registration numbers. Answers %GH_ERROR_NOT_SUPPORTED when @driver lacks the ability.
 */
void
gh_dial_plan_push_registrations_async (GhDriver *driver,
                                       GPtrArray *registrations,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  GhDialPlanInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (driver));

  if (!GH_IS_DIAL_PLAN (driver) ||
      (iface = GH_DIAL_PLAN_GET_IFACE (driver))->push_registrations_async == NULL) {
    gh_driver_report_not_supported (driver, gh_dial_plan_push_registrations_async,
                                    "Registration numbers", callback, user_data);
    return;
  }
  iface->push_registrations_async (GH_DIAL_PLAN (driver), registrations, cancellable,
                                   callback, user_data);
}

gboolean
gh_dial_plan_push_registrations_finish (GhDriver *driver,
                                       GAsyncResult *result,
                                       GError **error)
{
  return gh_driver_propagate_boolean (driver, result, error);
}

/**
 * gh_dial_plan_set_room_password_async:
 * @driver: a #GhDriver
 *
 * Room unlock passwords. Answers %GH_ERROR_NOT_SUPPORTED when @driver lacks the ability.
 */
void
gh_dial_plan_set_room_password_async (GhDriver *driver,
                                      const char *room,
                                      const char *password,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  GhDialPlanInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (driver));

  if (!GH_IS_DIAL_PLAN (driver) ||
      (iface = GH_DIAL_PLAN_GET_IFACE (driver))->set_room_password_async == NULL) {
    gh_driver_report_not_supported (driver, gh_dial_plan_set_room_password_async,
                                    "Room unlock passwords", callback, user_data);
    return;
  }
  iface->set_room_password_async (GH_DIAL_PLAN (driver), room, password, cancellable,
                                  callback, user_data);
}

gboolean
gh_dial_plan_set_room_password_finish (GhDriver *driver,
                                      GAsyncResult *result,
                                      GError **error)
{
  return gh_driver_propagate_boolean (driver, result, error);
}

/**
 * gh_dial_plan_remove_registrations_async:
 * @driver: a #GhDriver
 * @numbers: (array zero-terminated=1): the registration numbers to remove from the device
 *
 * Removes registration numbers. A number the device does not hold is not an error, so a
 * removal can be repeated. Answers %GH_ERROR_NOT_SUPPORTED when @driver lacks the ability.
 */
void
gh_dial_plan_remove_registrations_async (GhDriver            *driver,
                                         const char * const  *numbers,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GhDialPlanInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (driver));
  g_return_if_fail (numbers != NULL);

  if (!GH_IS_DIAL_PLAN (driver) ||
      (iface = GH_DIAL_PLAN_GET_IFACE (driver))->remove_registrations_async == NULL) {
    gh_driver_report_not_supported (driver, gh_dial_plan_remove_registrations_async,
                                    "Removing registration numbers", callback, user_data);
    return;
  }
  iface->remove_registrations_async (GH_DIAL_PLAN (driver), numbers, cancellable,
                                     callback, user_data);
}

gboolean
gh_dial_plan_remove_registrations_finish (GhDriver      *driver,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return gh_driver_propagate_boolean (driver, result, error);
}
