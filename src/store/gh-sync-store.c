/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sync-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-sync-store.h"
#include "gh-database-private.h"

#include "gh-error.h"

/**
 * GhSyncStore:
 *
 * The push queue: what each device still has to receive (object kind + id + operation). A
 * newer change of the same object replaces a push still waiting. The sync engine claims due
 * tasks with gh_sync_store_take_due() (a claim is a lease: a task left "running" by a crash
 * is due again after #GH_SYNC_LEASE_SECONDS), then completes or fails them; a failed task is
 * retried at the time the engine chose. Queue changes need %GH_PERMISSION_SYNC_RUN.
 */
struct _GhSyncStore
{
  GObject     parent_instance;

  GhDatabase *database;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhSyncStore, gh_sync_store, G_TYPE_OBJECT)

#define GH_SYNC_LEASE_SECONDS 300

#define TASK_COLUMNS \
  "id, device_id, object_kind, object_id, operation, status, attempts, next_attempt, " \
  "last_error, created, updated "

static const char * const object_kinds[] = {
  "person", "card", "face", "fingerprint", "password", "room-password", "registration-number",
  "notice", "permission-group", "time-template", "call-group", NULL
};

void
gh_sync_task_free (GhSyncTask *task)
{
  if (task == NULL)
    return;

  g_free (task->object_kind);
  g_free (task->operation);
  g_free (task->status);
  g_free (task->last_error);
  g_free (task);
}

static GhSyncTask *
task_from_row (GhStmt *stmt)
{
  GhSyncTask *task = g_new0 (GhSyncTask, 1);

  task->id = sqlite3_column_int64 (stmt, 0);
  task->device_id = sqlite3_column_int64 (stmt, 1);
  task->object_kind = gh_stmt_dup_text (stmt, 2);
  task->object_id = sqlite3_column_int64 (stmt, 3);
  task->operation = gh_stmt_dup_text (stmt, 4);
  task->status = gh_stmt_dup_text (stmt, 5);
  task->attempts = sqlite3_column_int (stmt, 6);
  task->next_attempt = sqlite3_column_int64 (stmt, 7);
  task->last_error = gh_stmt_dup_text (stmt, 8);
  task->created = sqlite3_column_int64 (stmt, 9);
  task->updated = sqlite3_column_int64 (stmt, 10);

  return task;
}

gint64
gh_database_enqueue_sync (GhDatabase  *self,
                          gint64       device_id,
                          const char  *object_kind,
                          gint64       object_id,
                          const char  *operation,
                          GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;

  gint64 id;

  if (object_kind == NULL || !g_strv_contains (object_kinds, object_kind)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Unknown kind of data to push: “%s”."), object_kind ? object_kind : "");
    return 0;
  }

  if (g_strcmp0 (operation, "upsert") != 0 && g_strcmp0 (operation, "delete") != 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Unknown push operation “%s”: use upsert or delete."),
                 operation ? operation : "");
    return 0;
  }

  stmt = gh_database_prepare (self,
                              "INSERT INTO sync_tasks (device_id, object_kind, object_id, "
                              "operation) VALUES (?1, ?2, ?3, ?4) "
                              "ON CONFLICT (device_id, object_kind, object_id) "
                              "WHERE status IN ('pending', 'failed') DO UPDATE SET "
                              "operation = ?4, status = 'pending', attempts = 0, "
                              "next_attempt = unixepoch (), last_error = NULL, "
                              "updated = unixepoch () RETURNING id", error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, device_id);
  sqlite3_bind_text (stmt, 2, object_kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, object_id);
  sqlite3_bind_text (stmt, 4, operation, -1, SQLITE_STATIC);

  if (sqlite3_step (stmt) != SQLITE_ROW) {
    if (gh_database_is_constraint (self))
      g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                   _("The device to push to no longer exists; refresh the list."));
    else
      gh_database_fail (self, error, "queuing a push");
    return 0;
  }

  id = sqlite3_column_int64 (stmt, 0);
  gh_database_touch (self, "sync");

  return id;
}

static void
gh_sync_store_dispose (GObject *object)
{
  GhSyncStore *self = (GhSyncStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_sync_store_parent_class)->dispose (object);
}

static void
gh_sync_store_class_init (GhSyncStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_sync_store_dispose;
}

static void
gh_sync_store_init (GhSyncStore *self)
{
}

GhSyncStore *
gh_sync_store_new (GhDatabase *database)
{
  GhSyncStore *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  self = g_object_new (GH_TYPE_SYNC_STORE, NULL);
  self->database = g_object_ref (database);

  return self;
}

/**
 * gh_sync_store_enqueue:
 * @object_kind: person, card, face, fingerprint, password, room-password, registration-number,
 *   notice, permission-group, time-template or call-group
 * @operation: upsert or delete
 *
 * Queues a push (a manual "send again"). Repositories queue their own pushes in the
 * transaction of the change.
 *
 * Returns: the task id, or 0 with @error set
 */
gint64
gh_sync_store_enqueue (GhSyncStore  *self,
                       GhSession    *session,
                       gint64        device_id,
                       const char   *object_kind,
                       gint64        object_id,
                       const char   *operation,
                       GError      **error)
{
  gint64 id = 0;

  g_return_val_if_fail (GH_IS_SYNC_STORE (self), 0);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SYNC_RUN, error))
    return 0;

  id = gh_database_enqueue_sync (self->database, device_id, object_kind, object_id, operation,
                                 error);
  if (id > 0) {
    if (!gh_database_auditf (self->database, session, error, "sync.enqueue", "device", device_id,
                             "%s %s #%" G_GINT64_FORMAT, operation, object_kind, object_id))
      id = 0;
  }

  if (!gh_database_end_write (self->database, id > 0, "sync", error))
    return 0;

  return id;
}

/**
 * gh_sync_store_take_due:
 * @device_id: only tasks of this device, or 0 for all devices
 * @now: the current time in Unix seconds
 * @limit: at most this many tasks
 *
 * Claims the tasks due at @now (oldest first) and marks them running.
 *
 * Returns: (transfer full) (element-type GhSyncTask): the claimed tasks
 */
GPtrArray *
gh_sync_store_take_due (GhSyncStore  *self,
                        GhSession    *session,
                        gint64        device_id,
                        gint64        now,
                        guint         limit,
                        GError      **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify)gh_sync_task_free);
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (GH_IS_SYNC_STORE (self), NULL);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SYNC_RUN, error))
    return NULL;

  stmt = gh_database_prepare (self->database,
                              "UPDATE sync_tasks SET status = 'running', next_attempt = ?1 + ?2, "
                              "updated = ?1 WHERE id IN (SELECT id FROM sync_tasks "
                              "WHERE status IN ('pending', 'failed', 'running') "
                              "AND next_attempt <= ?1 AND (?3 = 0 OR device_id = ?3) "
                              "ORDER BY next_attempt, id LIMIT ?4) RETURNING " TASK_COLUMNS,
                              error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int (stmt, 2, GH_SYNC_LEASE_SECONDS);
  sqlite3_bind_int64 (stmt, 3, device_id);
  sqlite3_bind_int (stmt, 4, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tasks, task_from_row (stmt));

  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "claiming pushes");
    goto out;
  }

  gh_stmt_release (g_steal_pointer (&stmt));

  ok = tasks->len == 0 ||
       gh_database_auditf (self->database, session, error, "sync.claim", "device", device_id,
                           "%u tasks", tasks->len);

out:
  if (!gh_database_end_write (self->database, ok, tasks->len > 0 ? "sync" : NULL, error))
    return NULL;

  return g_steal_pointer (&tasks);
}

static gboolean
finish_task (GhSyncStore  *self,
             GhSession    *session,
             gint64        task_id,
             const char   *sql,
             const char   *reason,
             gint64        retry_at,
             GError      **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SYNC_RUN, error))
    return FALSE;

  stmt = gh_database_prepare (self->database, sql, error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_int64 (stmt, 1, task_id);
  if (reason != NULL) {
    sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 3, retry_at);
  }

  if (!gh_database_step_done (self->database, stmt, error))
    goto out;

  if (gh_database_changes (self->database) == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The push task %" G_GINT64_FORMAT " does not exist or is not running."),
                 task_id);
    goto out;
  }

  ok = gh_database_auditf (self->database, session, error,
                           reason ? "sync.fail" : "sync.done", "sync-task", task_id, "%s",
                           reason ? reason : "");

out:
  return gh_database_end_write (self->database, ok, "sync", error);
}

gboolean
gh_sync_store_complete (GhSyncStore  *self,
                        GhSession    *session,
                        gint64        task_id,
                        GError      **error)
{
  g_return_val_if_fail (GH_IS_SYNC_STORE (self), FALSE);

  return finish_task (self, session, task_id,
                      "UPDATE sync_tasks SET status = 'done', attempts = attempts + 1, "
                      "last_error = NULL, updated = unixepoch () "
                      "WHERE id = ?1 AND status = 'running'", NULL, 0, error);
}

/**
 * gh_sync_store_fail:
 * @reason: what went wrong, shown to the operator
 * @retry_at: Unix seconds when the task is due again
 */
gboolean
gh_sync_store_fail (GhSyncStore  *self,
                    GhSession    *session,
                    gint64        task_id,
                    const char   *reason,
                    gint64        retry_at,
                    GError      **error)
{
  g_return_val_if_fail (GH_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  return finish_task (self, session, task_id,
                      "UPDATE sync_tasks SET status = 'failed', attempts = attempts + 1, "
                      "last_error = ?2, next_attempt = ?3, updated = unixepoch () "
                      "WHERE id = ?1 AND status = 'running'", reason, retry_at, error);
}

/**
 * gh_sync_store_retry_failed:
 * @device_id: a device, or 0 for all
 *
 * Makes the failed tasks due now.
 */
gboolean
gh_sync_store_retry_failed (GhSyncStore  *self,
                            GhSession    *session,
                            gint64        device_id,
                            GError      **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_SYNC_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SYNC_RUN, error))
    return FALSE;

  stmt = gh_database_prepare (self->database,
                              "UPDATE sync_tasks SET next_attempt = unixepoch (), "
                              "updated = unixepoch () WHERE status = 'failed' "
                              "AND (?1 = 0 OR device_id = ?1)", error);
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, device_id);

  ok = stmt != NULL &&
       gh_database_step_done (self->database, stmt, error) &&
       gh_database_auditf (self->database, session, error, "sync.retry", "device", device_id,
                           "%s", "");

  return gh_database_end_write (self->database, ok, "sync", error);
}

/**
 * gh_sync_store_purge_done:
 * @before: remove finished tasks last updated before this Unix time
 */
gboolean
gh_sync_store_purge_done (GhSyncStore  *self,
                          GhSession    *session,
                          gint64        before,
                          GError      **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_SYNC_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SYNC_RUN, error))
    return FALSE;

  stmt = gh_database_prepare (self->database,
                              "DELETE FROM sync_tasks WHERE status = 'done' AND updated < ?",
                              error);
  if (stmt != NULL) {
    sqlite3_bind_int64 (stmt, 1, before);
    ok = gh_database_step_done (self->database, stmt, error) &&
         gh_database_auditf (self->database, session, error, "sync.purge", "sync-task", 0,
                             "%d finished tasks", gh_database_changes (self->database));
  }

  return gh_database_end_write (self->database, ok, "sync", error);
}

/**
 * gh_sync_store_list:
 * @device_id: a device, or 0 for all
 * @include_done: whether to list finished tasks too
 *
 * Returns: (transfer full) (element-type GhSyncTask): the tasks, oldest first
 */
GPtrArray *
gh_sync_store_list (GhSyncStore  *self,
                    gint64        device_id,
                    gboolean      include_done,
                    GError      **error)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_SYNC_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT " TASK_COLUMNS "FROM sync_tasks "
                              "WHERE (?1 = 0 OR device_id = ?1) AND (?2 OR status <> 'done') "
                              "ORDER BY id", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, device_id);
  sqlite3_bind_int (stmt, 2, include_done ? 1 : 0);

  tasks = g_ptr_array_new_with_free_func ((GDestroyNotify)gh_sync_task_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tasks, task_from_row (stmt));

  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading the push queue");
    return NULL;
  }

  return g_steal_pointer (&tasks);
}

/**
 * gh_sync_store_count_waiting:
 * @device_id: a device, or 0 for all
 *
 * Returns: how many pushes are pending, running or failed
 */
guint
gh_sync_store_count_waiting (GhSyncStore *self,
                             gint64       device_id)
{
  g_return_val_if_fail (GH_IS_SYNC_STORE (self), 0);

  return (guint)MAX (0, gh_database_query_int (self->database,
                                               "SELECT count(*) FROM sync_tasks WHERE "
                                               "status <> 'done' AND (?1 = 0 OR device_id = ?1)",
                                               device_id, NULL));
}
