/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to src/store: the repositories share the connection and its statement cache. */

#include <sqlite3.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

typedef sqlite3_stmt GhStmt;

static inline void
gh_stmt_release (GhStmt *stmt)
{
  /* Cached statements are never finalized by users, only reset for the next caller. */
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhStmt, gh_stmt_release)

typedef struct {
  int          version;
  const char  *description;
  const char  *sql;
} GhMigration;

const GhMigration *gh_migrations_get      (guint       *n_migrations);

sqlite3  *gh_database_get_handle          (GhDatabase  *self);
GhStmt   *gh_database_prepare             (GhDatabase  *self,
                                           const char  *sql,
                                           GError     **error);
gboolean  gh_database_exec                (GhDatabase  *self,
                                           const char  *sql,
                                           GError     **error);
gboolean  gh_database_step_done           (GhDatabase  *self,
                                           GhStmt      *stmt,
                                           GError     **error);
gboolean  gh_database_fail                (GhDatabase  *self,
                                           GError     **error,
                                           const char  *what);
gboolean  gh_database_is_constraint       (GhDatabase  *self);
void      gh_database_touch               (GhDatabase  *self,
                                           const char  *topic);
gint64    gh_database_last_insert_id      (GhDatabase  *self);
int       gh_database_changes             (GhDatabase  *self);

/* The frame of every repository write: check @permission, then open a transaction. */
gboolean  gh_database_begin_write         (GhDatabase  *self,
                                           GhSession   *session,
                                           GhPermission permission,
                                           GError     **error);
/* Commits (touching @topic) if @ok, otherwise rolls back; returns whether it committed. */
gboolean  gh_database_end_write           (GhDatabase  *self,
                                           gboolean     ok,
                                           const char  *topic,
                                           GError     **error);
/* Runs a statement bound to one id and says whether it changed a row (NOT_FOUND if not). */
gboolean  gh_database_exec_id             (GhDatabase  *self,
                                           const char  *sql,
                                           gint64       id,
                                           const char  *not_found_message,
                                           GError     **error);

gboolean  gh_database_get_audit_tail      (GhDatabase  *self,
                                           gint64      *out_id,
                                           const char **out_mac);
void      gh_database_set_audit_tail      (GhDatabase  *self,
                                           gint64       id,
                                           const char  *mac);

/* Implemented in gh-audit-store.c: appends one row in the caller's open transaction. */
gboolean  gh_database_audit               (GhDatabase  *self,
                                           GhSession   *session,
                                           const char  *action,
                                           const char  *object_type,
                                           const char  *object_id,
                                           const char  *detail,
                                           GError     **error);
gboolean  gh_database_auditf              (GhDatabase  *self,
                                           GhSession   *session,
                                           GError     **error,
                                           const char  *action,
                                           const char  *object_type,
                                           gint64       object_id,
                                           const char  *detail_format,
                                           ...) G_GNUC_PRINTF (7, 8);

/* Implemented in gh-sync-store.c: queues a push of an object to a device in the caller's open
 * transaction, replacing a waiting push of the same object. Returns the task id, or 0. */
gint64    gh_database_enqueue_sync        (GhDatabase  *self,
                                           gint64       device_id,
                                           const char  *object_kind,
                                           gint64       object_id,
                                           const char  *operation,
                                           GError     **error);

/* Binding and column helpers: NULL text binds SQL NULL. */
void        gh_stmt_bind_text   (GhStmt     *stmt,
                                 int         index,
                                 const char *text);
void        gh_stmt_bind_id     (GhStmt     *stmt,
                                 int         index,
                                 gint64      id);
char       *gh_stmt_dup_text    (GhStmt     *stmt,
                                 int         column);
GBytes     *gh_stmt_dup_bytes   (GhStmt     *stmt,
                                 int         column);

/* Reads a single integer from a statement with the given bound id; -1 on error. */
gint64      gh_database_query_int (GhDatabase  *self,
                                   const char  *sql,
                                   gint64       id,
                                   GError     **error);

/* Reads the first column of every row of a statement with the given bound id (if it has a
 * parameter), as gint64s; %NULL with @error set (@what says what was read) on error. */
GArray     *gh_database_query_ids (GhDatabase  *self,
                                   const char  *sql,
                                   gint64       id,
                                   const char  *what,
                                   GError     **error);

/* Settings table helpers. */
char       *gh_database_get_setting (GhDatabase  *self,
                                     const char  *key);
gboolean    gh_database_set_setting (GhDatabase  *self,
                                     const char  *key,
                                     const char  *value,
                                     GError     **error);

G_END_DECLS
