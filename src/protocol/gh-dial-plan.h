/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gh-driver.h"

G_BEGIN_DECLS

#define GH_TYPE_DIAL_PLAN (gh_dial_plan_get_type ())

G_DECLARE_INTERFACE (GhDialPlan, gh_dial_plan, GH, DIAL_PLAN, GhDriver)

/**
 * GhDialPlanInterface:
 *
 * Optional driver ability.
 * Registration numbers (rooms, door and master stations) and room unlock passwords.
 * A vfunc left %NULL answers %GH_ERROR_NOT_SUPPORTED.
 */
struct _GhDialPlanInterface
{
  GTypeInterface parent_iface;

  void (*push_registrations_async) (GhDialPlan *self,
                                    GPtrArray *registrations,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
  void (*set_room_password_async) (GhDialPlan *self,
                                   const char *room,
                                   const char *password,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
  void (*remove_registrations_async) (GhDialPlan *self,
                                      const char * const *numbers,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data);
};

void gh_dial_plan_push_registrations_async (GhDriver *driver,
                                            GPtrArray *registrations,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);
gboolean gh_dial_plan_push_registrations_finish (GhDriver *driver,
                                                 GAsyncResult *result,
                                                 GError **error);
void gh_dial_plan_set_room_password_async (GhDriver *driver,
                                           const char *room,
                                           const char *password,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
gboolean gh_dial_plan_set_room_password_finish (GhDriver *driver,
                                                GAsyncResult *result,
                                                GError **error);
void gh_dial_plan_remove_registrations_async (GhDriver *driver,
                                              const char * const *numbers,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer user_data);
gboolean gh_dial_plan_remove_registrations_finish (GhDriver *driver,
                                                   GAsyncResult *result,
                                                   GError **error);

G_END_DECLS
