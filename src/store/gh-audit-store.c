/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-audit-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-audit-store.h"
#include "gh-audit-event.h"
#include "gh-audit-event-private.h"
#include "gh-audit-log.h"
#include "gh-database-private.h"
#include "gh-sql-list-model.h"

#include "gh-error.h"

/**
 * GhAuditStore:
 *
 * The append-only audit trail. Every row carries `mac`, the keyed chain value of
 * gh_audit_log_compute_mac() over the previous row's mac and this row's fields, so that a
 * removed or edited row breaks the chain (gh_audit_log_verify() checks it). SQLite triggers
 * refuse UPDATE and DELETE on the table. Repositories append their rows through
 * gh_database_audit() inside the transaction of the change they describe.
 */
struct _GhAuditStore
{
  GObject     parent_instance;

  GhDatabase *database;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhAuditStore, gh_audit_store, G_TYPE_OBJECT)

void
gh_audit_entry_free (GhAuditEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->operator_name);
  g_free (entry->surface);
  g_free (entry->action);
  g_free (entry->object_type);
  g_free (entry->object_id);
  g_free (entry->detail);
  g_free (entry->prev_mac);
  g_free (entry->mac);
  g_free (entry);
}

gboolean
gh_database_audit (GhDatabase  *self,
                   GhSession   *session,
                   const char  *action,
                   const char  *object_type,
                   const char  *object_id,
                   const char  *detail,
                   GError     **error)
{
  g_autoptr(GhStmt) last = NULL;
  g_autoptr(GhStmt) insert = NULL;
  g_autofree char *mac = NULL;
  GhAuditEntry entry = { 0 };
  gint64 last_id = 0;
  g_autofree char *prev_mac = NULL;
  const char *tail_mac = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);
  g_return_val_if_fail (gh_database_in_transaction (self), FALSE);

  if (gh_database_get_audit_tail (self, &last_id, &tail_mac)) {
    prev_mac = g_strdup (tail_mac);
  } else {
    last = gh_database_prepare (self,
                                "SELECT id, mac FROM audit_log ORDER BY id DESC LIMIT 1", error);
    if (last == NULL)
      return FALSE;

    rc = sqlite3_step (last);
    if (rc == SQLITE_ROW) {
      last_id = sqlite3_column_int64 (last, 0);
      prev_mac = gh_stmt_dup_text (last, 1);
    } else if (rc != SQLITE_DONE) {
      return gh_database_fail (self, error, "reading the audit log");
    }
  }

  entry.id = last_id + 1;
  entry.ts = g_get_real_time ();
  entry.operator_name = (char *)gh_session_get_username (session);
  entry.surface = (char *)gh_session_get_surface (session);
  entry.action = (char *)action;
  entry.object_type = (char *)object_type;
  entry.object_id = (char *)(object_id ? object_id : "");
  entry.detail = (char *)(detail ? detail : "");
  entry.prev_mac = prev_mac ? prev_mac : (char *)"";
  mac = gh_audit_log_compute_mac (self, &entry, error);
  if (mac == NULL)
    return FALSE;

  insert = gh_database_prepare (self,
                                "INSERT INTO audit_log (id, ts, operator, surface, action, "
                                "object_type, object_id, detail, prev_mac, mac) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (insert == NULL)
    return FALSE;

  sqlite3_bind_int64 (insert, 1, entry.id);
  sqlite3_bind_int64 (insert, 2, entry.ts);
  sqlite3_bind_text (insert, 3, entry.operator_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, entry.surface, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, entry.action, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, entry.object_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 7, entry.object_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 8, entry.detail, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 9, entry.prev_mac, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 10, mac, -1, SQLITE_STATIC);

  if (!gh_database_step_done (self, insert, error))
    return FALSE;

  gh_database_set_audit_tail (self, entry.id, mac);
  gh_database_touch (self, "audit");

  return TRUE;
}

gboolean
gh_database_auditf (GhDatabase  *self,
                    GhSession   *session,
                    GError     **error,
                    const char  *action,
                    const char  *object_type,
                    gint64       object_id,
                    const char  *detail_format,
                    ...)
{
  g_autofree char *detail = NULL;
  char id[32];
  va_list args;

  va_start (args, detail_format);
  detail = g_strdup_vprintf (detail_format, args);
  va_end (args);

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, object_id);

  return gh_database_audit (self, session, action, object_type, id, detail, error);
}

static void
gh_audit_store_dispose (GObject *object)
{
  GhAuditStore *self = (GhAuditStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_audit_store_parent_class)->dispose (object);
}

static void
gh_audit_store_class_init (GhAuditStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_audit_store_dispose;
}

static void
gh_audit_store_init (GhAuditStore *self)
{
}

GhAuditStore *
gh_audit_store_new (GhDatabase *database)
{
  GhAuditStore *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  self = g_object_new (GH_TYPE_AUDIT_STORE, NULL);
  self->database = g_object_ref (database);

  return self;
}

/**
 * gh_audit_store_append:
 *
 * Records an action that is not a store change (a door opened, a login, an export). Any
 * session may record its own actions.
 */
gboolean
gh_audit_store_append (GhAuditStore  *self,
                       GhSession     *session,
                       const char    *action,
                       const char    *object_type,
                       const char    *object_id,
                       const char    *detail,
                       GError       **error)
{
  g_return_val_if_fail (GH_IS_AUDIT_STORE (self), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);
  g_return_val_if_fail (action != NULL && object_type != NULL, FALSE);

  if (!gh_database_begin (self->database, error))
    return FALSE;

  if (!gh_database_audit (self->database, session, action, object_type, object_id, detail,
                          error)) {
    gh_database_rollback (self->database);
    return FALSE;
  }

  return gh_database_commit (self->database, error);
}

/**
 * gh_audit_store_list:
 * @before_id: list entries older than this id, or 0 for the newest
 * @limit: at most this many entries
 *
 * Returns: (transfer full) (element-type GhAuditEntry): newest first
 */
GPtrArray *
gh_audit_store_list (GhAuditStore  *self,
                     GhSession     *session,
                     gint64         before_id,
                     guint          limit,
                     GError       **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_AUDIT_STORE (self), NULL);
  g_return_val_if_fail (GH_IS_SESSION (session), NULL);

  if (!gh_session_check (session, GH_PERMISSION_AUDIT_READ, error))
    return NULL;

  stmt = gh_database_prepare (self->database,
                              "SELECT id, ts, operator, surface, action, object_type, object_id, "
                              "detail, prev_mac, mac FROM audit_log WHERE id < ? "
                              "ORDER BY id DESC LIMIT ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, before_id > 0 ? before_id : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 2, limit);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify)gh_audit_entry_free);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    GhAuditEntry *entry = g_new0 (GhAuditEntry, 1);

    entry->id = sqlite3_column_int64 (stmt, 0);
    entry->ts = sqlite3_column_int64 (stmt, 1);
    entry->operator_name = gh_stmt_dup_text (stmt, 2);
    entry->surface = gh_stmt_dup_text (stmt, 3);
    entry->action = gh_stmt_dup_text (stmt, 4);
    entry->object_type = gh_stmt_dup_text (stmt, 5);
    entry->object_id = gh_stmt_dup_text (stmt, 6);
    entry->detail = gh_stmt_dup_text (stmt, 7);
    entry->prev_mac = gh_stmt_dup_text (stmt, 8);
    entry->mac = gh_stmt_dup_text (stmt, 9);
    g_ptr_array_add (entries, entry);
  }

  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading the audit log");
    return NULL;
  }

  return g_steal_pointer (&entries);
}

static gpointer
event_from_row (GhStmt *stmt)
{
  GhAuditEvent *event = gh_audit_event_new_row ();

  gh_audit_event_set_id (event, sqlite3_column_int64 (stmt, 0));
  gh_audit_event_set_ts (event, sqlite3_column_int64 (stmt, 1));
  gh_audit_event_set_operator_name (event, (const char *)sqlite3_column_text (stmt, 2));
  gh_audit_event_set_surface (event, (const char *)sqlite3_column_text (stmt, 3));
  gh_audit_event_set_action (event, (const char *)sqlite3_column_text (stmt, 4));
  gh_audit_event_set_object_type (event, (const char *)sqlite3_column_text (stmt, 5));
  gh_audit_event_set_object_id (event, (const char *)sqlite3_column_text (stmt, 6));
  gh_audit_event_set_detail (event, (const char *)sqlite3_column_text (stmt, 7));

  return event;
}

/**
 * gh_audit_store_list_model:
 * @object_type: (nullable): only entries about this kind of object ("person", "device", …)
 * @object_id: (nullable): and only about this object
 *
 * Needs %GH_PERMISSION_AUDIT_READ.
 *
 * Returns: (transfer full): a #GListModel of #GhAuditEvent, newest first, paged from the
 *   database and following new entries; %NULL with @error set
 */
GListModel *
gh_audit_store_list_model (GhAuditStore  *self,
                           GhSession     *session,
                           const char    *object_type,
                           const char    *object_id,
                           GError       **error)
{
  g_return_val_if_fail (GH_IS_AUDIT_STORE (self), NULL);
  g_return_val_if_fail (GH_IS_SESSION (session), NULL);

  if (!gh_session_check (session, GH_PERMISSION_AUDIT_READ, error))
    return NULL;

  return G_LIST_MODEL (gh_sql_list_model_new (self->database, GH_TYPE_AUDIT_EVENT, "audit",
                                              "SELECT count(*) FROM audit_log "
                                              "WHERE (?1 IS NULL OR object_type = ?1) "
                                              "AND (?2 IS NULL OR object_id = ?2)",
                                              "SELECT id, ts, operator, surface, action, "
                                              "object_type, object_id, detail FROM audit_log "
                                              "WHERE (?1 IS NULL OR object_type = ?1) "
                                              "AND (?2 IS NULL OR object_id = ?2) "
                                              "ORDER BY id DESC LIMIT ? OFFSET ?",
                                              g_variant_new ("(msms)", object_type, object_id),
                                              event_from_row));
}
