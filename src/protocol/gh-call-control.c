/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-call-control"

#include "config.h"

#include "gh-call-control.h"

G_DEFINE_INTERFACE (GhCallControl, gh_call_control, GH_TYPE_DRIVER)

static void
gh_call_control_default_init (GhCallControlInterface *iface)
{
}

/**
 * gh_call_control_get_call_state_async:
 * @driver: a #GhDriver
 *
 * Reading the call state. Answers %GH_ERROR_NOT_SUPPORTED when @driver lacks the ability.
 */
void
gh_call_control_get_call_state_async (GhDriver *driver,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  GhCallControlInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (driver));

  if (!GH_IS_CALL_CONTROL (driver) ||
      (iface = GH_CALL_CONTROL_GET_IFACE (driver))->get_call_state_async == NULL) {
    gh_driver_report_not_supported (driver, gh_call_control_get_call_state_async,
                                    "Reading the call state", callback, user_data);
    return;
  }
  iface->get_call_state_async (GH_CALL_CONTROL (driver), cancellable,
                               callback, user_data);
}

GhCallState
gh_call_control_get_call_state_finish (GhDriver *driver,
                                      GAsyncResult *result,
                                      GError **error)
{
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, driver), GH_CALL_STATE_UNKNOWN);

  value = g_task_propagate_int (G_TASK (result), error);
  return value < 0 ? GH_CALL_STATE_UNKNOWN : (GhCallState) value;
}

/**
 * gh_call_control_answer_async:
 * @driver: a #GhDriver
 *
 * Answering calls. Answers %GH_ERROR_NOT_SUPPORTED when @driver lacks the ability.
 */
void
gh_call_control_answer_async (GhDriver *driver,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  GhCallControlInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (driver));

  if (!GH_IS_CALL_CONTROL (driver) ||
      (iface = GH_CALL_CONTROL_GET_IFACE (driver))->answer_async == NULL) {
    gh_driver_report_not_supported (driver, gh_call_control_answer_async,
                                    "Answering calls", callback, user_data);
    return;
  }
  iface->answer_async (GH_CALL_CONTROL (driver), cancellable,
                       callback, user_data);
}

gboolean
gh_call_control_answer_finish (GhDriver *driver,
                              GAsyncResult *result,
                              GError **error)
{
  return gh_driver_propagate_boolean (driver, result, error);
}

/**
 * gh_call_control_hang_up_async:
 * @driver: a #GhDriver
 *
 * Hanging up calls. Answers %GH_ERROR_NOT_SUPPORTED when @driver lacks the ability.
 */
void
gh_call_control_hang_up_async (GhDriver *driver,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  GhCallControlInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (driver));

  if (!GH_IS_CALL_CONTROL (driver) ||
      (iface = GH_CALL_CONTROL_GET_IFACE (driver))->hang_up_async == NULL) {
    gh_driver_report_not_supported (driver, gh_call_control_hang_up_async,
                                    "Hanging up calls", callback, user_data);
    return;
  }
  iface->hang_up_async (GH_CALL_CONTROL (driver), cancellable,
                        callback, user_data);
}

gboolean
gh_call_control_hang_up_finish (GhDriver *driver,
                               GAsyncResult *result,
                               GError **error)
{
  return gh_driver_propagate_boolean (driver, result, error);
}
