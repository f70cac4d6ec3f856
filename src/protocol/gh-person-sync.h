/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gh-driver.h"

G_BEGIN_DECLS

#define GH_TYPE_PERSON_SYNC (gh_person_sync_get_type ())

G_DECLARE_INTERFACE (GhPersonSync, gh_person_sync, GH, PERSON_SYNC, GhDriver)

/**
 * GhPersonSyncInterface:
 *
 * Optional driver ability.
 * Persons and their credentials (cards, password, faces, fingerprints) on the device.
 * A vfunc left %NULL answers %GH_ERROR_NOT_SUPPORTED.
 */
struct _GhPersonSyncInterface
{
  GTypeInterface parent_iface;

  void (*push_persons_async) (GhPersonSync *self,
                              GPtrArray *persons,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data);
  void (*remove_persons_async) (GhPersonSync *self,
                                const char * const *person_ids,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
};

void gh_person_sync_push_persons_async (GhDriver *driver,
                                        GPtrArray *persons,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
gboolean gh_person_sync_push_persons_finish (GhDriver *driver,
                                             GAsyncResult *result,
                                             GError **error);
void gh_person_sync_remove_persons_async (GhDriver *driver,
                                          const char * const *person_ids,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data);
gboolean gh_person_sync_remove_persons_finish (GhDriver *driver,
                                               GAsyncResult *result,
                                               GError **error);

G_END_DECLS
