/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-door-service"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-door-service.h"

#include "gh-audit-log.h"
#include "gh-audit-store.h"
#include "gh-device-secrets.h"
#include "gh-device-store.h"
#include "gh-door-control.h"
#include "gh-driver.h"
#include "gh-error.h"

#include <string.h>

/*
 * The one way every surface (CLI, GUI, later a web front) drives a door relay: the operator's
 * role is checked against the #GhSession before the device is touched, the device and its
 * password come from the store, the driver comes from the registry by the stored name, and
 * every attempt that passed the role check is written to the audit log with its outcome.
 */

typedef struct {
  GhDatabase   *database;   /* (owned) */
  GhSession    *session;    /* (owned) */
  GhDriver     *driver;     /* (owned) (nullable) */
  gint64        device_id;
  guint         door;
  GhDoorAction  action;
  char         *device_name;  /* (owned) (nullable) */
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->database);
  g_clear_object (&data->session);
  g_clear_object (&data->driver);
  g_free (data->device_name);
  g_free (data);
}

/* Writes the audit entry for one attempt. Opening goes through gh_audit_log_door_opened(); the
 * other actions are recorded as "door.<action>" on the same object ("DEVICE:DOOR"). */
static gboolean
audit_attempt (RunData     *data,
               gboolean     succeeded,
               const char  *reason,
               GError     **error)
{
  g_autoptr(GhAuditStore) audit = NULL;
  g_autofree char *object = NULL;
  g_autofree char *action = NULL;
  g_autofree char *detail = NULL;

  /* The failure reason, or on success the device's name for a reader of the log. */
  if (reason != NULL)
    detail = g_strdup (reason);
  else if (data->device_name != NULL)
    detail = g_strdup_printf ("%s door %u", data->device_name, data->door + 1);

  if (data->action == GH_DOOR_ACTION_OPEN)
    return gh_audit_log_door_opened (data->database, data->session, data->device_id, data->door,
                                     succeeded, detail, error);

  object = g_strdup_printf ("%" G_GINT64_FORMAT ":%u", data->device_id, data->door);
  action = g_strdup_printf ("door.%s%s", gh_door_action_to_string (data->action),
                            succeeded ? "" : "-failed");
  audit = gh_audit_store_new (data->database);
  return gh_audit_store_append (audit, data->session, action, "door", object, detail, error);
}

/* Audits a failed attempt and returns @error on @task. */
static void
return_failure (GTask  *task,
                GError *error)
{
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) audit_error = NULL;

  if (!audit_attempt (data, FALSE, error->message, &audit_error))
    g_warning ("Could not audit a failed door action: %s", audit_error->message);
  g_task_return_error (task, error);
}

/* A driver for the stored device. The caller's role was checked already; the password is read
 * with a system session because a Guard may use a device without seeing its password. */
static GhDriver *
new_driver (GhDatabase  *database,
            GhSession   *session,
            GhDevice    *device,
            GError     **error)
{
  g_autoptr(GhSession) system = gh_session_new_system (gh_session_get_surface (session));
  g_autoptr(GhDeviceConfig) config = gh_device_config_new_for_device (database, system, device,
                                                                      error);

  return config != NULL ? gh_driver_new (config, error) : NULL;
}

static void
set_door_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!gh_door_control_set_door_finish (GH_DRIVER (source), result, &error)) {
    g_prefix_error (&error, _("Door %u of “%s”: "), data->door + 1, data->device_name);
    return_failure (task, g_steal_pointer (&error));
    return;
  }

  if (!audit_attempt (data, TRUE, NULL, &error)) {
    g_prefix_error (&error, _("The door action was done, but it could not be written to the "
                              "audit log: "));
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  g_task_return_boolean (task, TRUE);
}

/**
 * gh_door_action_to_string:
 *
 * Returns: "open", "close", "always-open" or "restore"
 */
const char *
gh_door_action_to_string (GhDoorAction action)
{
  switch (action) {
  case GH_DOOR_ACTION_OPEN:
    return "open";
  case GH_DOOR_ACTION_CLOSE:
    return "close";
  case GH_DOOR_ACTION_ALWAYS_OPEN:
    return "always-open";
  case GH_DOOR_ACTION_RESTORE:
    return "restore";
  default:
    return "unknown";
  }
}

/**
 * gh_door_service_run_async:
 * @database: the open database
 * @session: who asks, and from which surface; needs %GH_PERMISSION_DOORS_CONTROL
 * @device_id: devices.id of the door station or controller
 * @door: the door (lock) on that device, from 0
 * @action: what to do with the relay
 *
 * Checks @session's role before anything else (a refusal touches neither the device nor the
 * audit log and fails with %GH_ERROR_PERMISSION_DENIED naming the roles that may), then loads
 * the device and its password from the store, talks to it through its registered driver and
 * writes the outcome, success or the failure reason, to the audit log with who, which door,
 * when and from which surface.
 */
void
gh_door_service_run_async (GhDatabase          *database,
                           GhSession           *session,
                           gint64               device_id,
                           guint                door,
                           GhDoorAction         action,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GhDeviceStore) store = NULL;
  g_autoptr(GhDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  RunData *data;
  int door_count;

  g_return_if_fail (GH_IS_DATABASE (database));
  g_return_if_fail (GH_IS_SESSION (session));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_door_service_run_async);

  if (!gh_session_check (session, GH_PERMISSION_DOORS_CONTROL, &error)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  data = g_new0 (RunData, 1);
  data->database = g_object_ref (database);
  data->session = g_object_ref (session);
  data->device_id = device_id;
  data->door = door;
  data->action = action;
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  if (action > GH_DOOR_ACTION_RESTORE) {
    g_set_error (&error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Unknown door action %d."),
                 (int) action);
    return_failure (task, g_steal_pointer (&error));
    return;
  }

  store = gh_device_store_new (database);
  device = gh_device_store_get (store, device_id, &error);
  if (device == NULL) {
    return_failure (task, g_steal_pointer (&error));
    return;
  }
  data->device_name = g_strdup (gh_device_get_name (device));

  door_count = gh_device_get_door_count (device);
  if (door_count > 0 && door >= (guint) door_count) {
    g_set_error (&error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 ngettext ("“%s” has %d door; there is no door %u.",
                           "“%s” has %d doors; there is no door %u.", door_count),
                 data->device_name, door_count, door + 1);
    return_failure (task, g_steal_pointer (&error));
    return;
  }

  data->driver = new_driver (database, session, device, &error);
  if (data->driver == NULL) {
    g_prefix_error (&error, _("Device “%s”: "), data->device_name);
    return_failure (task, g_steal_pointer (&error));
    return;
  }

  gh_door_control_set_door_async (data->driver, door, action, cancellable, set_door_cb,
                                  g_steal_pointer (&task));
}

/**
 * gh_door_service_run_finish:
 *
 * Returns: %TRUE when the device confirmed the action and the audit entry was written
 */
gboolean
gh_door_service_run_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_door_service_run_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
