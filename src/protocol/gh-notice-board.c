/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-notice-board"

#include "config.h"

#include "gh-notice-board.h"

G_DEFINE_INTERFACE (GhNoticeBoard, gh_notice_board, GH_TYPE_DRIVER)

static void
gh_notice_board_default_init (GhNoticeBoardInterface *iface)
{
}

/**
 * gh_notice_board_push_notice_async:
 * @driver: a #GhDriver
 *
 * Notices. Answers %GH_ERROR_NOT_SUPPORTED when @driver lacks the ability.
 */
void
gh_notice_board_push_notice_async (GhDriver *driver,
                                   const GhDeviceNotice *notice,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  GhNoticeBoardInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (driver));

  if (!GH_IS_NOTICE_BOARD (driver) ||
      (iface = GH_NOTICE_BOARD_GET_IFACE (driver))->push_notice_async == NULL) {
    gh_driver_report_not_supported (driver, gh_notice_board_push_notice_async,
                                    "Notices", callback, user_data);
    return;
  }
  iface->push_notice_async (GH_NOTICE_BOARD (driver), notice, cancellable,
                            callback, user_data);
}

/**
 * gh_notice_board_push_notice_finish:
 * @out_device_key: (out) (optional) (transfer full) (nullable): the notice's key on the
 *   device, for gh_notice_board_withdraw_notice_async() and later pushes; %NULL if the
 *   driver keeps none
 */
gboolean
gh_notice_board_push_notice_finish (GhDriver      *driver,
                                    GAsyncResult  *result,
                                    char         **out_device_key,
                                    GError       **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *key = gh_driver_propagate_pointer (driver, result, &local);

  if (local != NULL) {
    g_propagate_error (error, g_steal_pointer (&local));
    return FALSE;
  }
  if (out_device_key != NULL)
    *out_device_key = g_steal_pointer (&key);
  return TRUE;
}

/**
 * gh_notice_board_withdraw_notice_async:
 * @driver: a #GhDriver
 * @device_key: the key gh_notice_board_push_notice_finish() gave for the notice
 *
 * Takes a notice off the device. A notice the device no longer holds is not an error, so a
 * withdrawal can be repeated. Answers %GH_ERROR_NOT_SUPPORTED when @driver lacks the ability.
 */
void
gh_notice_board_withdraw_notice_async (GhDriver            *driver,
                                       const char          *device_key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GhNoticeBoardInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (driver));
  g_return_if_fail (device_key != NULL);

  if (!GH_IS_NOTICE_BOARD (driver) ||
      (iface = GH_NOTICE_BOARD_GET_IFACE (driver))->withdraw_notice_async == NULL) {
    gh_driver_report_not_supported (driver, gh_notice_board_withdraw_notice_async,
                                    "Withdrawing notices", callback, user_data);
    return;
  }
  iface->withdraw_notice_async (GH_NOTICE_BOARD (driver), device_key, cancellable,
                                callback, user_data);
}

gboolean
gh_notice_board_withdraw_notice_finish (GhDriver      *driver,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return gh_driver_propagate_boolean (driver, result, error);
}
