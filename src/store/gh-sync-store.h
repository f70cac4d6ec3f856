/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  gint64  device_id;
  char   *object_kind;  /* person, card, face, room-password, registration-number, … */
  gint64  object_id;
  char   *operation;    /* upsert or delete */
  char   *status;       /* pending, running, done or failed */
  int     attempts;
  gint64  next_attempt; /* Unix seconds */
  char   *last_error;   /* (nullable) */
  gint64  created;
  gint64  updated;
} GhSyncTask;

void gh_sync_task_free (GhSyncTask *task);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhSyncTask, gh_sync_task_free)

#define GH_TYPE_SYNC_STORE (gh_sync_store_get_type ())
G_DECLARE_FINAL_TYPE (GhSyncStore, gh_sync_store, GH, SYNC_STORE, GObject)

GhSyncStore *gh_sync_store_new          (GhDatabase   *database);
gint64       gh_sync_store_enqueue      (GhSyncStore  *self,
                                         GhSession    *session,
                                         gint64        device_id,
                                         const char   *object_kind,
                                         gint64        object_id,
                                         const char   *operation,
                                         GError      **error);
GPtrArray   *gh_sync_store_take_due     (GhSyncStore  *self,
                                         GhSession    *session,
                                         gint64        device_id,
                                         gint64        now,
                                         guint         limit,
                                         GError      **error);
gboolean     gh_sync_store_complete     (GhSyncStore  *self,
                                         GhSession    *session,
                                         gint64        task_id,
                                         GError      **error);
gboolean     gh_sync_store_fail         (GhSyncStore  *self,
                                         GhSession    *session,
                                         gint64        task_id,
                                         const char   *reason,
                                         gint64        retry_at,
                                         GError      **error);
gboolean     gh_sync_store_retry_failed (GhSyncStore  *self,
                                         GhSession    *session,
                                         gint64        device_id,
                                         GError      **error);
gboolean     gh_sync_store_purge_done   (GhSyncStore  *self,
                                         GhSession    *session,
                                         gint64        before,
                                         GError      **error);
GPtrArray   *gh_sync_store_list         (GhSyncStore  *self,
                                         gint64        device_id,
                                         gboolean      include_done,
                                         GError      **error);
guint        gh_sync_store_count_waiting (GhSyncStore *self,
                                          gint64       device_id);

G_END_DECLS
