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

gboolean
gh_notice_board_push_notice_finish (GhDriver *driver,
                                   GAsyncResult *result,
                                   GError **error)
{
  return gh_driver_propagate_boolean (driver, result, error);
}
