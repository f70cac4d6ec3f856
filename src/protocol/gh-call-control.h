/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gh-driver.h"

G_BEGIN_DECLS

#define GH_TYPE_CALL_CONTROL (gh_call_control_get_type ())

G_DECLARE_INTERFACE (GhCallControl, gh_call_control, GH, CALL_CONTROL, GhDriver)

/**
 * GhCallControlInterface:
 *
 * Optional driver ability: The state of a call at the device, answering and hanging up.
 * A vfunc left %NULL answers %GH_ERROR_NOT_SUPPORTED.
 */
struct _GhCallControlInterface
{
  GTypeInterface parent_iface;

  void (*get_call_state_async) (GhCallControl *self,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
  void (*answer_async) (GhCallControl *self,
                        GCancellable *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer user_data);
  void (*hang_up_async) (GhCallControl *self,
                         GCancellable *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer user_data);
};

void gh_call_control_get_call_state_async (GhDriver *driver,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
GhCallState gh_call_control_get_call_state_finish (GhDriver *driver,
                                                   GAsyncResult *result,
                                                   GError **error);
void gh_call_control_answer_async (GhDriver *driver,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
gboolean gh_call_control_answer_finish (GhDriver *driver,
                                        GAsyncResult *result,
                                        GError **error);
void gh_call_control_hang_up_async (GhDriver *driver,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
gboolean gh_call_control_hang_up_finish (GhDriver *driver,
                                         GAsyncResult *result,
                                         GError **error);

G_END_DECLS
