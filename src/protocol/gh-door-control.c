/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-door-control"

#include "config.h"

#include "gh-door-control.h"

G_DEFINE_INTERFACE (GhDoorControl, gh_door_control, GH_TYPE_DRIVER)

static void
gh_door_control_default_init (GhDoorControlInterface *iface)
{
}

/**
 * gh_door_control_set_door_async:
 * @driver: a #GhDriver
 *
 * Door control. Answers %GH_ERROR_NOT_SUPPORTED when @driver lacks the ability.
 */
void
gh_door_control_set_door_async (GhDriver *driver,
                                guint door,
                                GhDoorAction action,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  GhDoorControlInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (driver));

  if (!GH_IS_DOOR_CONTROL (driver) ||
      (iface = GH_DOOR_CONTROL_GET_IFACE (driver))->set_door_async == NULL) {
    gh_driver_report_not_supported (driver, gh_door_control_set_door_async,
                                    "Door control", callback, user_data);
    return;
  }
  iface->set_door_async (GH_DOOR_CONTROL (driver), door, action, cancellable,
                         callback, user_data);
}

gboolean
gh_door_control_set_door_finish (GhDriver *driver,
                                GAsyncResult *result,
                                GError **error)
{
  return gh_driver_propagate_boolean (driver, result, error);
}
