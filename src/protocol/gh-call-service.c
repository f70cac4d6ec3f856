/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-call-service"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-call-service.h"

#include "gh-audit-log.h"
#include "gh-audit-store.h"
#include "gh-call-control.h"
#include "gh-device-secrets.h"
#include "gh-device-store.h"
#include "gh-driver.h"
#include "gh-error.h"

#include <string.h>

/*
 * Answering, rejecting and hanging up calls at a device, for every surface: the same shape as
 * the door service. The role (%GH_PERMISSION_CALLS_HANDLE) is checked before the device is
 * touched, the driver comes from the registry by the stored name, and every attempt past the
 * role check is audited: "call.answered|rejected|ended" on success through
 * gh_audit_log_call_handled(), "call.<action>-failed" with the reason otherwise.
 */

typedef struct {
  GhDatabase   *database;     /* (owned) */
  GhSession    *session;      /* (owned) */
  GhDriver     *driver;       /* (owned) (nullable) */
  gint64        device_id;
  GhCallAction  action;
  char         *call_id;      /* (owned) */
  char         *peer;         /* (owned) (nullable) */
  char         *device_name;  /* (owned) (nullable) */
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->database);
  g_clear_object (&data->session);
  g_clear_object (&data->driver);
  g_free (data->call_id);
  g_free (data->peer);
  g_free (data->device_name);
  g_free (data);
}

static const char *
outcome_of (GhCallAction action)
{
  switch (action) {
  case GH_CALL_ACTION_ANSWER:
    return "answered";
  case GH_CALL_ACTION_REJECT:
    return "rejected";
  case GH_CALL_ACTION_HANG_UP:
  default:
    return "ended";
  }
}

static void
return_failure (GTask  *task,
                GError *error)
{
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GhAuditStore) audit = gh_audit_store_new (data->database);
  g_autoptr(GError) audit_error = NULL;
  g_autofree char *action = NULL;

  action = g_strdup_printf ("call.%s-failed", gh_call_action_to_string (data->action));
  if (!gh_audit_store_append (audit, data->session, action, "call", data->call_id,
                              error->message, &audit_error))
    g_warning ("Could not audit a failed call action: %s", audit_error->message);
  g_task_return_error (task, error);
}

/* A driver for the stored device; the password is read with a system session because a Guard
 * may use a device without seeing its password. The caller's role was checked already. */
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
call_op_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (data->action == GH_CALL_ACTION_ANSWER)
    ok = gh_call_control_answer_finish (GH_DRIVER (source), result, &error);
  else
    ok = gh_call_control_hang_up_finish (GH_DRIVER (source), result, &error);
  if (!ok) {
    g_prefix_error (&error, _("Call at “%s”: "), data->device_name);
    return_failure (task, g_steal_pointer (&error));
    return;
  }

  if (!gh_audit_log_call_handled (data->database, data->session, data->call_id,
                                  outcome_of (data->action), data->peer, &error)) {
    g_prefix_error (&error, _("The call action was done, but it could not be written to the "
                              "audit log: "));
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  g_task_return_boolean (task, TRUE);
}

/**
 * gh_call_action_to_string:
 *
 * Returns: "answer", "reject" or "hang-up"
 */
const char *
gh_call_action_to_string (GhCallAction action)
{
  switch (action) {
  case GH_CALL_ACTION_ANSWER:
    return "answer";
  case GH_CALL_ACTION_REJECT:
    return "reject";
  case GH_CALL_ACTION_HANG_UP:
    return "hang-up";
  default:
    return "unknown";
  }
}

/**
 * gh_call_service_run_async:
 * @database: the open database
 * @session: who acts, and from which surface; needs %GH_PERMISSION_CALLS_HANDLE
 * @device_id: devices.id of the station that holds the call
 * @action: answer, reject or hang up
 * @call_id: (nullable): the call's id for the audit log (a record or event id); %NULL names
 *   the call by its device ("device:ID")
 * @peer: (nullable): who called, e.g. a room number, for the audit log
 *
 * Checks @session's role first (a refusal touches neither the device nor the audit log and
 * fails with %GH_ERROR_PERMISSION_DENIED naming the roles that may), then tells the device
 * through its registered driver and audits the outcome, success or the failure reason.
 */
void
gh_call_service_run_async (GhDatabase          *database,
                           GhSession           *session,
                           gint64               device_id,
                           GhCallAction         action,
                           const char          *call_id,
                           const char          *peer,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GhDeviceStore) store = NULL;
  g_autoptr(GhDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  RunData *data;

  g_return_if_fail (GH_IS_DATABASE (database));
  g_return_if_fail (GH_IS_SESSION (session));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_call_service_run_async);

  if (!gh_session_check (session, GH_PERMISSION_CALLS_HANDLE, &error)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  data = g_new0 (RunData, 1);
  data->database = g_object_ref (database);
  data->session = g_object_ref (session);
  data->device_id = device_id;
  data->action = action;
  data->call_id = call_id != NULL && *call_id != '\0'
                  ? g_strdup (call_id)
                  : g_strdup_printf ("device:%" G_GINT64_FORMAT, device_id);
  data->peer = g_strdup (peer);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  if (action > GH_CALL_ACTION_HANG_UP) {
    g_set_error (&error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Unknown call action %d."),
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

  data->driver = new_driver (database, session, device, &error);
  if (data->driver == NULL) {
    g_prefix_error (&error, _("Device “%s”: "), data->device_name);
    return_failure (task, g_steal_pointer (&error));
    return;
  }

  /* Rejecting a ringing call and ending a call in progress are the same request. */
  if (action == GH_CALL_ACTION_ANSWER)
    gh_call_control_answer_async (data->driver, cancellable, call_op_cb,
                                  g_steal_pointer (&task));
  else
    gh_call_control_hang_up_async (data->driver, cancellable, call_op_cb,
                                   g_steal_pointer (&task));
}

/**
 * gh_call_service_run_finish:
 *
 * Returns: %TRUE when the device confirmed the action and the audit entry was written
 */
gboolean
gh_call_service_run_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_call_service_run_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
