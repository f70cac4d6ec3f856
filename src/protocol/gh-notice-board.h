/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gh-driver.h"

G_BEGIN_DECLS

#define GH_TYPE_NOTICE_BOARD (gh_notice_board_get_type ())

G_DECLARE_INTERFACE (GhNoticeBoard, gh_notice_board, GH, NOTICE_BOARD, GhDriver)

/**
 * GhNoticeBoardInterface:
 *
 * Optional driver ability: Notices shown on indoor monitors.
 * A vfunc left %NULL answers %GH_ERROR_NOT_SUPPORTED.
 *
 * push_notice_async() completes with the notice's key on the device (a string the driver
 * chooses, or %NULL if it keeps none) through g_task_return_pointer(); the caller keeps it
 * to replace the notice later (#GhDeviceNotice.device_key) or to withdraw it.
 */
struct _GhNoticeBoardInterface
{
  GTypeInterface parent_iface;

  void (*push_notice_async) (GhNoticeBoard *self,
                             const GhDeviceNotice *notice,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data);
  void (*withdraw_notice_async) (GhNoticeBoard *self,
                                 const char *device_key,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
};

void gh_notice_board_push_notice_async (GhDriver *driver,
                                        const GhDeviceNotice *notice,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
gboolean gh_notice_board_push_notice_finish (GhDriver *driver,
                                             GAsyncResult *result,
                                             char **out_device_key,
                                             GError **error);
void gh_notice_board_withdraw_notice_async (GhDriver *driver,
                                            const char *device_key,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);
gboolean gh_notice_board_withdraw_notice_finish (GhDriver *driver,
                                                 GAsyncResult *result,
                                                 GError **error);

G_END_DECLS
