/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-database"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-database.h"
#include "gh-database-private.h"

#include "gh-error.h"

/**
 * GhDatabase:
 *
 * One SQLite connection to the Gatehouse database. Opening runs the versioned migrations
 * (`PRAGMA user_version`) in one transaction. A #GhDatabase belongs to the thread that uses
 * it; the same file may be opened more than once (a worker thread opens its own connection),
 * and WAL mode lets readers and one writer overlap. #GhDatabase::changed reports only the
 * commits made through this connection.
 *
 * Transactions nest: the outermost gh_database_begin() starts `BEGIN IMMEDIATE`, inner ones
 * use savepoints. After the outermost commit, #GhDatabase::changed is emitted once per topic
 * ("persons", "devices", …) that the transaction touched, so list models can refresh.
 */
struct _GhDatabase
{
  GObject      parent_instance;

  char        *path;        /* (owned) */
  sqlite3     *handle;      /* (owned) */
  GHashTable  *statements;  /* (owned) sql → sqlite3_stmt */
  GHashTable  *touched;     /* (owned) set of interned topics */
  guint        depth;
  int          version;
  gint64       audit_tail_id;   /* last audit row written in this transaction, or 0 */
  char        *audit_tail_mac;  /* (owned) (nullable) */
  gboolean     gated;           /* this connection's write transaction holds the gate */
};

G_DEFINE_FINAL_TYPE (GhDatabase, gh_database, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define BUSY_TIMEOUT_MS 5000

/* Write transactions of this process's connections take turns through one first-come gate
 * before `BEGIN IMMEDIATE`. SQLite's own busy handler polls with growing sleeps, so a thread
 * that writes many short transactions back to back (the sync plan, device by device) would
 * keep the main loop's writer waiting until the busy timeout failed it; behind the gate each
 * waiting writer gets the next turn. Other processes still meet SQLite's busy timeout. */
typedef struct {
  GMutex   lock;
  GCond    cond;
  GThread *owner;    /* (nullable) */
  GQueue   waiting;  /* GThread*, first come first */
} WriteGate;

static WriteGate write_gate;

/* Returns FALSE if the gate was not taken: this thread already holds it (a second connection
 * in the same thread) or it stayed closed for the busy timeout; SQLite decides then. */
static gboolean
write_gate_enter (void)
{
  GThread *self = g_thread_self ();
  gint64 deadline = g_get_monotonic_time () + BUSY_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  gboolean entered = TRUE;

  g_mutex_lock (&write_gate.lock);
  if (write_gate.owner == self) {
    entered = FALSE;
  } else if (write_gate.owner != NULL || !g_queue_is_empty (&write_gate.waiting)) {
    GList *link;

    g_queue_push_tail (&write_gate.waiting, self);
    link = g_queue_peek_tail_link (&write_gate.waiting);
    while (write_gate.owner != NULL || g_queue_peek_head_link (&write_gate.waiting) != link) {
      if (!g_cond_wait_until (&write_gate.cond, &write_gate.lock, deadline)) {
        entered = FALSE;
        break;
      }
    }
    g_queue_delete_link (&write_gate.waiting, link);
    if (!entered)
      g_cond_broadcast (&write_gate.cond);  /* the next in line may go now */
  }
  if (entered)
    write_gate.owner = self;
  g_mutex_unlock (&write_gate.lock);
  return entered;
}

static void
write_gate_leave (GhDatabase *self)
{
  if (!self->gated)
    return;
  self->gated = FALSE;
  g_mutex_lock (&write_gate.lock);
  write_gate.owner = NULL;
  g_cond_broadcast (&write_gate.cond);
  g_mutex_unlock (&write_gate.lock);
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static gboolean
set_error_from_handle (sqlite3     *handle,
                       const char  *path,
                       GError     **error,
                       const char  *what)
{
  int code = handle != NULL ? sqlite3_errcode (handle) : SQLITE_NOMEM;
  const char *msg = handle != NULL ? sqlite3_errmsg (handle) : "out of memory";

  if (code == SQLITE_NOTADB) {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("“%s” is not a Gatehouse database (%s). Choose another file, or move this "
                   "one away so that a new database can be created."), path, msg);
  } else if (code == SQLITE_CORRUPT) {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("The database “%s” is damaged (%s). Restore it from a backup."), path, msg);
  } else if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("The database “%s” is busy (%s): another program keeps it locked. Close "
                   "it and try again."), path, msg);
  } else if (code == SQLITE_FULL) {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("The disk holding “%s” is full. Free some space and try again."), path);
  } else if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM) {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("Cannot write the database “%s” (%s). Check that the folder exists and is "
                   "writable."), path, msg);
  } else {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("Database error while %s in “%s”: %s (SQLite code %d)"), what, path, msg,
                 handle != NULL ? sqlite3_extended_errcode (handle) : code);
  }

  return FALSE;
}

static void
gh_database_finalize (GObject *object)
{
  GhDatabase *self = (GhDatabase *)object;

  if (self->depth > 0)
    g_warning ("Database closed inside an open transaction; rolling back");
  write_gate_leave (self);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->touched, g_hash_table_unref);
  g_clear_pointer (&self->handle, sqlite3_close_v2);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->audit_tail_mac, g_free);

  G_OBJECT_CLASS (gh_database_parent_class)->finalize (object);
}

static void
gh_database_class_init (GhDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_database_finalize;

  /**
   * GhDatabase::changed:
   * @self: the database
   * @topic: what changed: "persons", "departments", "devices", "rooms", "records", …
   *
   * Emitted after a transaction that changed @topic commits. The signal detail is the topic.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
gh_database_init (GhDatabase *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  self->touched = g_hash_table_new (g_str_hash, g_str_equal);
}

static gboolean
read_user_version (GhDatabase  *self,
                   int         *out_version,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->handle, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    return set_error_from_handle (self->handle, self->path, error, "reading the schema version");

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW) {
    sqlite3_finalize (stmt);
    return set_error_from_handle (self->handle, self->path, error, "reading the schema version");
  }

  *out_version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return TRUE;
}

static gboolean
migrate (GhDatabase  *self,
         GError     **error)
{
  const GhMigration *migrations;
  guint n_migrations;
  int latest;
  int version;

  migrations = gh_migrations_get (&n_migrations);
  latest = migrations[n_migrations - 1].version;

  /* Quick check without a write lock: most opens find the schema current. */
  if (!read_user_version (self, &version, error))
    return FALSE;

  if (version > latest) {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("The database “%s” was written by a newer Gatehouse (schema version %d; this "
                   "build knows up to %d). Update Gatehouse to open it."),
                 self->path, version, latest);
    return FALSE;
  }

  if (version == latest) {
    self->version = version;
    return TRUE;
  }

  if (!gh_database_begin (self, error))
    return FALSE;

  /* Re-read under the write lock: another connection may have migrated meanwhile. */
  if (!read_user_version (self, &version, error))
    goto fail;

  for (guint i = 0; i < n_migrations; i++) {
    g_autofree char *pragma = NULL;

    if (migrations[i].version <= version)
      continue;

    g_debug ("Migrating %s to version %d: %s", self->path, migrations[i].version,
             migrations[i].description);

    if (sqlite3_exec (self->handle, migrations[i].sql, NULL, NULL, NULL) != SQLITE_OK) {
      g_autofree char *what = g_strdup_printf ("upgrading to schema version %d (%s)",
                                               migrations[i].version,
                                               migrations[i].description);
      set_error_from_handle (self->handle, self->path, error, what);
      goto fail;
    }

    pragma = g_strdup_printf ("PRAGMA user_version = %d", migrations[i].version);
    if (!gh_database_exec (self, pragma, error))
      goto fail;

    version = migrations[i].version;
  }

  if (!gh_database_commit (self, error))
    return FALSE;

  self->version = version;

  return TRUE;

fail:
  gh_database_rollback (self);
  return FALSE;
}

/**
 * gh_database_open:
 * @path: the database file; it is created if missing (its folder must exist)
 * @error: return location for a #GH_ERROR_STORAGE error
 *
 * Opens (or creates) the database and brings its schema up to date.
 *
 * Returns: (transfer full): the database, or %NULL with @error set
 */
GhDatabase *
gh_database_open (const char  *path,
                  GError     **error)
{
  g_autoptr(GhDatabase) self = NULL;
  static const char *pragmas[] = {
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA cache_size = -32000",  /* KiB: keeps the indexes of 100,000 persons in memory */
  };
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (GH_TYPE_DATABASE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                        SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK) {
    set_error_from_handle (self->handle, path, error, "opening");
    return NULL;
  }

  sqlite3_busy_timeout (self->handle, BUSY_TIMEOUT_MS);

  for (guint i = 0; i < G_N_ELEMENTS (pragmas); i++) {
    sqlite3_stmt *stmt = NULL;

    /* journal_mode returns a row, so step instead of exec to see errors like NOTADB. */
    rc = sqlite3_prepare_v2 (self->handle, pragmas[i], -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
      do
        rc = sqlite3_step (stmt);
      while (rc == SQLITE_ROW);
    }
    sqlite3_finalize (stmt);

    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
      set_error_from_handle (self->handle, path, error, "opening");
      return NULL;
    }
  }

  if (!migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
gh_database_get_path (GhDatabase *self)
{
  g_return_val_if_fail (GH_IS_DATABASE (self), NULL);

  return self->path;
}

/**
 * gh_database_get_schema_version:
 *
 * Returns: the `user_version` of the open file after migration
 */
int
gh_database_get_schema_version (GhDatabase *self)
{
  g_return_val_if_fail (GH_IS_DATABASE (self), -1);

  return self->version;
}

/**
 * gh_database_get_data_version:
 *
 * SQLite's `data_version` of this connection: it changes when another connection (another
 * process, or a worker thread's own connection) commits to the file, and not for this
 * connection's own commits. Compare two readings to learn whether someone else wrote.
 *
 * Returns: the current value, or -1 if it could not be read
 */
gint64
gh_database_get_data_version (GhDatabase *self)
{
  sqlite3_stmt *stmt = NULL;
  gint64 version = -1;

  g_return_val_if_fail (GH_IS_DATABASE (self), -1);

  if (sqlite3_prepare_v2 (self->handle, "PRAGMA data_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return version;
}

/**
 * gh_database_is_bookkeeping:
 * @topic: a topic of the #GhDatabase::changed signal
 *
 * Whether writes under @topic are only the sync engine's bookkeeping or history (its queue
 * and ledger, the audit log, fetched records): they change nothing devices should hold, and
 * do not move gh_database_get_change_count().
 */
gboolean
gh_database_is_bookkeeping (const char *topic)
{
  return g_strcmp0 (topic, "sync") == 0 || g_strcmp0 (topic, "audit") == 0 ||
         g_strcmp0 (topic, "records") == 0;
}

/**
 * gh_database_get_change_count:
 *
 * A counter that every committed write moves unless all its topics are bookkeeping
 * (gh_database_is_bookkeeping()), whichever connection or process wrote. Unlike
 * `data_version` it also moves for this connection's own writes, and not for the sync
 * engine's writes on other connections.
 *
 * Returns: the counter, or -1 if it could not be read
 */
gint64
gh_database_get_change_count (GhDatabase *self)
{
  g_autoptr(GhStmt) stmt = NULL;
  gint64 count = -1;

  g_return_val_if_fail (GH_IS_DATABASE (self), -1);

  stmt = gh_database_prepare (self, "SELECT n FROM change_count WHERE id = 1", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);

  return count;
}

/* Whether the open transaction touched a topic that is not bookkeeping. */
static gboolean
touched_data (GhDatabase *self)
{
  GHashTableIter iter;
  gpointer topic;

  g_hash_table_iter_init (&iter, self->touched);
  while (g_hash_table_iter_next (&iter, &topic, NULL))
    if (!gh_database_is_bookkeeping (topic))
      return TRUE;
  return FALSE;
}

/**
 * gh_database_get_latest_version:
 *
 * Returns: the schema version this build migrates to
 */
int
gh_database_get_latest_version (void)
{
  const GhMigration *migrations;
  guint n;

  migrations = gh_migrations_get (&n);

  return migrations[n - 1].version;
}

/**
 * gh_database_begin:
 *
 * Starts a transaction, or a savepoint inside an open one. Pair every successful call with
 * gh_database_commit() or gh_database_rollback().
 */
gboolean
gh_database_begin (GhDatabase  *self,
                   GError     **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (GH_IS_DATABASE (self), FALSE);

  if (self->depth == 0) {
    sql = g_strdup ("BEGIN IMMEDIATE");
    self->gated = write_gate_enter ();
  } else {
    sql = g_strdup_printf ("SAVEPOINT gh_sp%u", self->depth);
  }

  if (sqlite3_exec (self->handle, sql, NULL, NULL, NULL) != SQLITE_OK) {
    if (self->depth == 0)
      write_gate_leave (self);
    return set_error_from_handle (self->handle, self->path, error, "starting a transaction");
  }

  if (self->depth == 0) {
    g_hash_table_remove_all (self->touched);
    gh_database_set_audit_tail (self, 0, NULL);
  }

  self->depth++;

  return TRUE;
}

gboolean
gh_database_commit (GhDatabase  *self,
                    GError     **error)
{
  g_autofree char *sql = NULL;
  g_autofree const char **topics = NULL;
  guint n_topics = 0;

  g_return_val_if_fail (GH_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth == 1) {
    /* in the same transaction, so a reader sees the counter and the change together */
    if (touched_data (self) &&
        sqlite3_exec (self->handle, "UPDATE change_count SET n = n + 1 WHERE id = 1",
                      NULL, NULL, NULL) != SQLITE_OK) {
      set_error_from_handle (self->handle, self->path, error, "saving changes");
      gh_database_rollback (self);
      return FALSE;
    }
    sql = g_strdup ("COMMIT");
  } else
    sql = g_strdup_printf ("RELEASE gh_sp%u", self->depth - 1);

  if (sqlite3_exec (self->handle, sql, NULL, NULL, NULL) != SQLITE_OK) {
    set_error_from_handle (self->handle, self->path, error, "saving changes");
    gh_database_rollback (self);
    return FALSE;
  }

  self->depth--;

  if (self->depth > 0)
    return TRUE;

  write_gate_leave (self);
  gh_database_set_audit_tail (self, 0, NULL);

  topics = (const char **)g_hash_table_get_keys_as_array (self->touched, &n_topics);
  g_hash_table_remove_all (self->touched);

  for (guint i = 0; i < n_topics; i++)
    g_signal_emit (self, signals[CHANGED], g_quark_from_string (topics[i]), topics[i]);

  return TRUE;
}

/**
 * gh_database_rollback:
 *
 * Undoes the innermost open transaction or savepoint.
 */
void
gh_database_rollback (GhDatabase *self)
{
  g_return_if_fail (GH_IS_DATABASE (self));
  g_return_if_fail (self->depth > 0);

  self->depth--;
  gh_database_set_audit_tail (self, 0, NULL);

  if (self->depth == 0) {
    if (sqlite3_get_autocommit (self->handle) == 0 &&
        sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
      g_warning ("Rollback failed: %s", sqlite3_errmsg (self->handle));
    write_gate_leave (self);
    g_hash_table_remove_all (self->touched);
  } else {
    g_autofree char *sql = g_strdup_printf ("ROLLBACK TO gh_sp%u; RELEASE gh_sp%u",
                                            self->depth, self->depth);

    if (sqlite3_exec (self->handle, sql, NULL, NULL, NULL) != SQLITE_OK)
      g_warning ("Rollback to savepoint failed: %s", sqlite3_errmsg (self->handle));
  }
}

gboolean
gh_database_in_transaction (GhDatabase *self)
{
  g_return_val_if_fail (GH_IS_DATABASE (self), FALSE);

  return self->depth > 0;
}

/* Private API for the repositories. */

sqlite3 *
gh_database_get_handle (GhDatabase *self)
{
  return self->handle;
}

/*
 * gh_database_prepare:
 * @sql: the statement; its text is the cache key (keep the set of texts small: bind values,
 *   never format them into the SQL)
 *
 * Returns: (transfer none): a cached statement, reset and unbound; release it with
 *   gh_stmt_release() (g_autoptr(GhStmt) does that)
 */
GhStmt *
gh_database_prepare (GhDatabase  *self,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL) {
    if (sqlite3_stmt_busy (stmt)) {
      g_critical ("Statement in use twice (forgot to release it?): %s", sql);
      sqlite3_reset (stmt);
    }
    return stmt;
  }

  if (sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                          NULL) != SQLITE_OK) {
    set_error_from_handle (self->handle, self->path, error, "preparing a query");
    g_debug ("Failed SQL: %s", sql);
    return NULL;
  }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

gboolean
gh_database_exec (GhDatabase  *self,
                  const char  *sql,
                  GError     **error)
{
  if (sqlite3_exec (self->handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_error_from_handle (self->handle, self->path, error, "writing");

  return TRUE;
}

/* Steps a statement that returns no rows and resets it. */
gboolean
gh_database_step_done (GhDatabase  *self,
                       GhStmt      *stmt,
                       GError     **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    set_error_from_handle (self->handle, self->path, error, "writing");
    sqlite3_reset (stmt);
    return FALSE;
  }

  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
gh_database_fail (GhDatabase  *self,
                  GError     **error,
                  const char  *what)
{
  return set_error_from_handle (self->handle, self->path, error, what);
}

gboolean
gh_database_is_constraint (GhDatabase *self)
{
  return (sqlite3_errcode (self->handle) & 0xff) == SQLITE_CONSTRAINT;
}

void
gh_database_touch (GhDatabase *self,
                   const char *topic)
{
  g_hash_table_add (self->touched, (gpointer)g_intern_string (topic));
}

gint64
gh_database_last_insert_id (GhDatabase *self)
{
  return sqlite3_last_insert_rowid (self->handle);
}

int
gh_database_changes (GhDatabase *self)
{
  return sqlite3_changes (self->handle);
}

void
gh_stmt_bind_text (GhStmt     *stmt,
                   int         index,
                   const char *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

void
gh_stmt_bind_id (GhStmt *stmt,
                 int     index,
                 gint64  id)
{
  if (id <= 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, id);
}

char *
gh_stmt_dup_text (GhStmt *stmt,
                  int     column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

GBytes *
gh_stmt_dup_bytes (GhStmt *stmt,
                   int     column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  return g_bytes_new (sqlite3_column_blob (stmt, column), sqlite3_column_bytes (stmt, column));
}

gint64
gh_database_query_int (GhDatabase  *self,
                       const char  *sql,
                       gint64       id,
                       GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  stmt = gh_database_prepare (self, sql, error);
  if (stmt == NULL)
    return -1;

  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc == SQLITE_DONE)
    return 0;

  gh_database_fail (self, error, "reading");
  return -1;
}

GArray *
gh_database_query_ids (GhDatabase  *self,
                       const char  *sql,
                       gint64       id,
                       const char  *what,
                       GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  stmt = gh_database_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;

  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gint64 value = sqlite3_column_int64 (stmt, 0);

    g_array_append_val (ids, value);
  }
  if (rc != SQLITE_DONE) {
    gh_database_fail (self, error, what);
    return NULL;
  }
  return g_steal_pointer (&ids);
}

char *
gh_database_get_setting (GhDatabase *self,
                         const char *key)
{
  g_autoptr(GhStmt) stmt = NULL;

  stmt = gh_database_prepare (self, "SELECT value FROM settings WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return gh_stmt_dup_text (stmt, 0);

  return NULL;
}

gboolean
gh_database_set_setting (GhDatabase  *self,
                         const char  *key,
                         const char  *value,
                         GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;

  stmt = gh_database_prepare (self,
                              "INSERT INTO settings (key, value) VALUES (?, ?) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);

  return gh_database_step_done (self, stmt, error);
}

/* The audit chain's last row, cached while a transaction holds the write lock. */
gboolean
gh_database_get_audit_tail (GhDatabase  *self,
                            gint64      *out_id,
                            const char **out_mac)
{
  if (self->audit_tail_id == 0)
    return FALSE;

  *out_id = self->audit_tail_id;
  *out_mac = self->audit_tail_mac;

  return TRUE;
}

void
gh_database_set_audit_tail (GhDatabase *self,
                            gint64      id,
                            const char *mac)
{
  self->audit_tail_id = id;
  g_free (self->audit_tail_mac);
  self->audit_tail_mac = g_strdup (mac);
}

gboolean
gh_database_begin_write (GhDatabase   *self,
                         GhSession    *session,
                         GhPermission  permission,
                         GError      **error)
{
  g_return_val_if_fail (GH_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (!gh_session_check (session, permission, error))
    return FALSE;

  return gh_database_begin (self, error);
}

gboolean
gh_database_end_write (GhDatabase  *self,
                       gboolean     ok,
                       const char  *topic,
                       GError     **error)
{
  if (!ok) {
    gh_database_rollback (self);
    return FALSE;
  }

  if (topic != NULL)
    gh_database_touch (self, topic);

  return gh_database_commit (self, error);
}

gboolean
gh_database_exec_id (GhDatabase  *self,
                     const char  *sql,
                     gint64       id,
                     const char  *not_found_message,
                     GError     **error)
{
  g_autoptr(GhStmt) stmt = gh_database_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  if (!gh_database_step_done (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (self->handle) == 0) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_NOT_FOUND, not_found_message);
    return FALSE;
  }

  return TRUE;
}
