/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-driver.h"
#include "gh-session.h"
#include "gh-sync-plan.h"

G_BEGIN_DECLS

#define GH_TYPE_SYNC_ENGINE (gh_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (GhSyncEngine, gh_sync_engine, GH, SYNC_ENGINE, GObject)

GhSyncEngine *gh_sync_engine_new            (GhDatabase     *database,
                                             GhSession      *session);
GhSyncPlan   *gh_sync_engine_get_plan       (GhSyncEngine   *self);
void          gh_sync_engine_set_driver     (GhSyncEngine   *self,
                                             gint64          device_id,
                                             GhDriver       *driver);
gboolean      gh_sync_engine_plan           (GhSyncEngine   *self,
                                             gint64          device_id,
                                             guint          *out_queued,
                                             GError        **error);
gint64        gh_sync_engine_get_plan_time  (GhSyncEngine   *self);
void          gh_sync_engine_run_async      (GhSyncEngine   *self,
                                             GCancellable   *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer        user_data);
gboolean      gh_sync_engine_run_finish     (GhSyncEngine   *self,
                                             GAsyncResult   *result,
                                             GError        **error);
void          gh_sync_engine_start          (GhSyncEngine   *self);
void          gh_sync_engine_stop           (GhSyncEngine   *self);
gboolean      gh_sync_engine_is_running     (GhSyncEngine   *self);
GPtrArray    *gh_sync_engine_list_progress  (GhSyncEngine   *self,
                                             gint64          device_id,
                                             GError        **error);

G_END_DECLS
