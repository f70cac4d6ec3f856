/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gh-driver.h"

G_BEGIN_DECLS

#define GH_TYPE_DOOR_CONTROL (gh_door_control_get_type ())

G_DECLARE_INTERFACE (GhDoorControl, gh_door_control, GH, DOOR_CONTROL, GhDriver)

/**
 * GhDoorControlInterface:
 *
 * Optional driver ability: Door relays: open, close, hold open and return to normal.
 * A vfunc left %NULL answers %GH_ERROR_NOT_SUPPORTED.
 */
struct _GhDoorControlInterface
{
  GTypeInterface parent_iface;

  void (*set_door_async) (GhDoorControl *self,
                          guint door,
                          GhDoorAction action,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data);
};

void gh_door_control_set_door_async (GhDriver *driver,
                                     guint door,
                                     GhDoorAction action,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
gboolean gh_door_control_set_door_finish (GhDriver *driver,
                                          GAsyncResult *result,
                                          GError **error);

G_END_DECLS
