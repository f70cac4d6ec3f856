/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-record-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-record-store.h"
#include "gh-database-private.h"
#include "gh-record-private.h"
#include "gh-sql-list-model.h"

#include "gh-error.h"

/**
 * GhRecordStore:
 *
 * Call, access control and alarm records read from the devices. The protocol layer stores
 * what it read with gh_record_store_ingest() (%GH_PERMISSION_SYNC_RUN; one audit row per
 * batch); a record already stored (same device and dedup key) is skipped. Views list records
 * newest first with filters, paged from the database (%GH_PERMISSION_RECORDS_READ).
 */
struct _GhRecordStore
{
  GObject     parent_instance;

  GhDatabase *database;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhRecordStore, gh_record_store, G_TYPE_OBJECT)

/* Every kind is read into the same 23 columns, in the order of record_from_row(). */
#define CALL_SELECT \
  "SELECT x.id, 'call', x.device_id, d.name, x.time, x.state, x.direction, '', " \
  "x.local_number, x.peer_number, x.peer_kind, x.talk_seconds, 0, '', '', '', 0, '', 0, '', " \
  "x.snapshot_path, x.recording_path, x.dedup_key " \
  "FROM call_records x LEFT JOIN devices d ON d.id = x.device_id "
#define ACCESS_SELECT \
  "SELECT x.id, 'access', x.device_id, d.name, x.time, " \
  "CASE x.granted WHEN 1 THEN 'granted' ELSE 'denied' END, x.direction, x.method, '', '', '', " \
  "0, x.door, x.person_ref, x.person_name, x.card_number, x.error_code, '', 0, '', " \
  "x.snapshot_path, NULL, x.dedup_key " \
  "FROM access_records x LEFT JOIN devices d ON d.id = x.device_id "
#define ALARM_SELECT \
  "SELECT x.id, 'alarm', x.device_id, d.name, x.time, x.state, '', '', '', '', '', 0, 0, '', " \
  "'', '', 0, x.type, x.channel, x.detail, NULL, NULL, x.dedup_key " \
  "FROM alarm_records x LEFT JOIN devices d ON d.id = x.device_id "
#define FILTER(status_expr) \
  "WHERE (?1 = 0 OR x.device_id = ?1) AND x.time >= ?2 AND x.time < ?3 " \
  "AND (?4 IS NULL OR " status_expr " = ?4) "
#define ORDER " ORDER BY x.time DESC, x.id DESC "
#define ACCESS_STATUS "CASE x.granted WHEN 1 THEN 'granted' ELSE 'denied' END"

static const char * const call_states[] = { "answered", "missed", "rejected", "failed", NULL };
static const char * const call_directions[] = { "incoming", "outgoing", NULL };
static const char * const access_methods[] = {
  "unknown", "card", "password", "remote", "fingerprint", "face", "button", "room-password", NULL
};
static const char * const access_directions[] = { "entry", "exit", NULL };
static const char * const alarm_states[] = { "start", "stop", "pulse", NULL };

static gpointer
record_from_row (GhStmt *stmt)
{
  GhRecord *record = gh_record_new_row ();

#define TEXT(i) ((const char *)sqlite3_column_text (stmt, (i)))
  gh_record_set_id (record, sqlite3_column_int64 (stmt, 0));
  gh_record_set_kind (record, TEXT (1));
  gh_record_set_device_id (record, sqlite3_column_int64 (stmt, 2));
  gh_record_set_device_name (record, TEXT (3));
  gh_record_set_time (record, sqlite3_column_int64 (stmt, 4));
  gh_record_set_status (record, TEXT (5));
  gh_record_set_direction (record, TEXT (6));
  gh_record_set_method (record, TEXT (7));
  gh_record_set_local_number (record, TEXT (8));
  gh_record_set_peer_number (record, TEXT (9));
  gh_record_set_peer_kind (record, TEXT (10));
  gh_record_set_talk_seconds (record, sqlite3_column_int (stmt, 11));
  gh_record_set_door (record, sqlite3_column_int (stmt, 12));
  gh_record_set_person_ref (record, TEXT (13));
  gh_record_set_person_name (record, TEXT (14));
  gh_record_set_card_number (record, TEXT (15));
  gh_record_set_error_code (record, sqlite3_column_int (stmt, 16));
  gh_record_set_alarm_type (record, TEXT (17));
  gh_record_set_channel (record, sqlite3_column_int (stmt, 18));
  gh_record_set_detail (record, TEXT (19));
  gh_record_set_snapshot_path (record, TEXT (20));
  gh_record_set_recording_path (record, TEXT (21));
  gh_record_set_dedup_key (record, TEXT (22));
#undef TEXT

  return record;
}

static gboolean
check_value (const char * const  *allowed,
             const char          *value,
             const char          *field,
             GError             **error)
{
  g_autofree char *list = NULL;

  if (value != NULL && g_strv_contains (allowed, value))
    return TRUE;

  list = g_strjoinv (", ", (char **)allowed);
  g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
               _("A record has the %s “%s”; expected one of %s."), field,
               value ? value : "", list);

  return FALSE;
}

static gboolean
validate_record (GhRecord  *record,
                 GError   **error)
{
  const char *kind = gh_record_get_kind (record);
  const char *key = gh_record_get_dedup_key (record);

  if (key == NULL || *key == '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("A record from the device has no record number or time to recognize it "
                   "by."));
    return FALSE;
  }

  if (gh_record_get_time (record) <= 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The record %s has no valid time."), key);
    return FALSE;
  }

  if (g_strcmp0 (kind, "call") == 0)
    return check_value (call_states, gh_record_get_status (record), "call state", error) &&
           check_value (call_directions, gh_record_get_direction (record), "call direction",
                        error);

  if (g_strcmp0 (kind, "access") == 0)
    return check_value ((const char * const []) { "granted", "denied", NULL },
                        gh_record_get_status (record), "access result", error) &&
           check_value (access_methods, gh_record_get_method (record) ?: "unknown",
                        "opening method", error) &&
           check_value (access_directions, gh_record_get_direction (record) ?: "entry",
                        "direction", error);

  if (g_strcmp0 (kind, "alarm") == 0) {
    if (gh_record_get_alarm_type (record) == NULL || *gh_record_get_alarm_type (record) == '\0') {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("The alarm record %s has no alarm type."), key);
      return FALSE;
    }
    return check_value (alarm_states, gh_record_get_status (record) ?: "start", "alarm state",
                        error);
  }

  g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
               _("Unknown kind of record “%s”: use call, access or alarm."), kind ? kind : "");
  return FALSE;
}

static gboolean
insert_record (GhRecordStore  *self,
               gint64          device_id,
               GhRecord       *record,
               gboolean       *out_added,
               GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  const char *kind = gh_record_get_kind (record);

#define S(getter) (gh_record_get_##getter (record) ? gh_record_get_##getter (record) : "")
  if (g_str_equal (kind, "call")) {
    stmt = gh_database_prepare (self->database,
                                "INSERT INTO call_records (device_id, time, direction, state, "
                                "local_number, peer_number, peer_kind, talk_seconds, "
                                "snapshot_path, recording_path, dedup_key) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                "ON CONFLICT (device_id, dedup_key) DO NOTHING", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 3, S (direction), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 4, S (status), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 5, S (local_number), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 6, S (peer_number), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 7, S (peer_kind), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 8, gh_record_get_talk_seconds (record));
    gh_stmt_bind_text (stmt, 9, gh_record_get_snapshot_path (record));
    gh_stmt_bind_text (stmt, 10, gh_record_get_recording_path (record));
    sqlite3_bind_text (stmt, 11, S (dedup_key), -1, SQLITE_TRANSIENT);
  } else if (g_str_equal (kind, "access")) {
    stmt = gh_database_prepare (self->database,
                                "INSERT INTO access_records (device_id, time, door, direction, "
                                "method, granted, person_ref, person_name, card_number, "
                                "error_code, snapshot_path, dedup_key) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                "ON CONFLICT (device_id, dedup_key) DO NOTHING", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int (stmt, 3, gh_record_get_door (record));
    sqlite3_bind_text (stmt, 4, gh_record_get_direction (record) ?: "entry", -1,
                       SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 5, gh_record_get_method (record) ?: "unknown", -1,
                       SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 6, g_strcmp0 (gh_record_get_status (record), "granted") == 0);
    sqlite3_bind_text (stmt, 7, S (person_ref), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 8, S (person_name), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 9, S (card_number), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 10, gh_record_get_error_code (record));
    gh_stmt_bind_text (stmt, 11, gh_record_get_snapshot_path (record));
    sqlite3_bind_text (stmt, 12, S (dedup_key), -1, SQLITE_TRANSIENT);
  } else {
    stmt = gh_database_prepare (self->database,
                                "INSERT INTO alarm_records (device_id, time, type, channel, "
                                "state, detail, dedup_key) VALUES (?, ?, ?, ?, ?, ?, ?) "
                                "ON CONFLICT (device_id, dedup_key) DO NOTHING", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 3, S (alarm_type), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 4, gh_record_get_channel (record));
    sqlite3_bind_text (stmt, 5, gh_record_get_status (record) ?: "start", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 6, S (detail), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 7, S (dedup_key), -1, SQLITE_TRANSIENT);
  }
#undef S

  sqlite3_bind_int64 (stmt, 1, device_id);
  sqlite3_bind_int64 (stmt, 2, gh_record_get_time (record));

  if (!gh_database_step_done (self->database, stmt, error))
    return FALSE;

  *out_added = gh_database_changes (self->database) > 0;

  return TRUE;
}

static void
gh_record_store_dispose (GObject *object)
{
  GhRecordStore *self = (GhRecordStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_record_store_parent_class)->dispose (object);
}

static void
gh_record_store_class_init (GhRecordStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_record_store_dispose;
}

static void
gh_record_store_init (GhRecordStore *self)
{
}

GhRecordStore *
gh_record_store_new (GhDatabase *database)
{
  GhRecordStore *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  self = g_object_new (GH_TYPE_RECORD_STORE, NULL);
  self->database = g_object_ref (database);

  return self;
}

/**
 * gh_record_store_ingest:
 * @device_id: the device the records were read from
 * @records: (element-type GhRecord): records of any kind
 * @out_added: (out) (optional): how many were new
 *
 * Stores records read from a device, skipping those already stored. All or nothing: a record
 * that breaks a rule fails the batch with a message naming it.
 */
gboolean
gh_record_store_ingest (GhRecordStore  *self,
                        GhSession      *session,
                        gint64          device_id,
                        GPtrArray      *records,
                        guint          *out_added,
                        GError        **error)
{
  guint added = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (GH_IS_RECORD_STORE (self), FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SYNC_RUN, error))
    return FALSE;

  if (gh_database_query_int (self->database, "SELECT count(*) FROM devices WHERE id = ?",
                             device_id, error) <= 0) {
    g_clear_error (error);
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The device the records come from no longer exists."));
    ok = FALSE;
  }

  for (guint i = 0; ok && i < records->len; i++) {
    GhRecord *record = g_ptr_array_index (records, i);
    gboolean new_record = FALSE;

    ok = validate_record (record, error) &&
         insert_record (self, device_id, record, &new_record, error);
    added += new_record ? 1 : 0;
  }

  if (ok && added > 0)
    ok = gh_database_auditf (self->database, session, error, "records.ingest", "device",
                             device_id, "%u new of %u records", added, records->len);

  if (!gh_database_end_write (self->database, ok, added > 0 ? "records" : NULL, error))
    return FALSE;

  if (out_added != NULL)
    *out_added = added;

  return TRUE;
}

/**
 * gh_record_store_list:
 * @filter: which records
 *
 * Needs %GH_PERMISSION_RECORDS_READ.
 *
 * Returns: (transfer full): a #GListModel of #GhRecord, newest first, paged from the database
 *   and following new records; %NULL with @error set
 */
GListModel *
gh_record_store_list (GhRecordStore         *self,
                      GhSession             *session,
                      const GhRecordFilter  *filter,
                      GError               **error)
{
  const char *count_sql;
  const char *page_sql;
  GVariant *params;

  g_return_val_if_fail (GH_IS_RECORD_STORE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if (!gh_session_check (session, GH_PERMISSION_RECORDS_READ, error))
    return NULL;

  if (g_strcmp0 (filter->kind, "call") == 0) {
    count_sql = "SELECT count(*) FROM call_records x " FILTER ("x.state");
    page_sql = CALL_SELECT FILTER ("x.state") ORDER "LIMIT ? OFFSET ?";
  } else if (g_strcmp0 (filter->kind, "access") == 0) {
    count_sql = "SELECT count(*) FROM access_records x " FILTER (ACCESS_STATUS);
    page_sql = ACCESS_SELECT FILTER (ACCESS_STATUS) ORDER "LIMIT ? OFFSET ?";
  } else if (g_strcmp0 (filter->kind, "alarm") == 0) {
    count_sql = "SELECT count(*) FROM alarm_records x " FILTER ("x.state");
    page_sql = ALARM_SELECT FILTER ("x.state") ORDER "LIMIT ? OFFSET ?";
  } else {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Unknown kind of record “%s”: use call, access or alarm."),
                 filter->kind ? filter->kind : "");
    return NULL;
  }

  params = g_variant_new ("(xxxms)", filter->device_id, filter->from,
                          filter->to > 0 ? filter->to : G_MAXINT64, filter->status);

  return G_LIST_MODEL (gh_sql_list_model_new (self->database, GH_TYPE_RECORD, "records",
                                              count_sql, page_sql, params, record_from_row));
}

GhRecord *
gh_record_store_get (GhRecordStore  *self,
                     GhSession      *session,
                     const char     *kind,
                     gint64          id,
                     GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  const char *sql;
  int rc;

  g_return_val_if_fail (GH_IS_RECORD_STORE (self), NULL);

  if (!gh_session_check (session, GH_PERMISSION_RECORDS_READ, error))
    return NULL;

  if (g_strcmp0 (kind, "call") == 0)
    sql = CALL_SELECT "WHERE x.id = ?";
  else if (g_strcmp0 (kind, "access") == 0)
    sql = ACCESS_SELECT "WHERE x.id = ?";
  else if (g_strcmp0 (kind, "alarm") == 0)
    sql = ALARM_SELECT "WHERE x.id = ?";
  else {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Unknown kind of record “%s”: use call, access or alarm."), kind ? kind : "");
    return NULL;
  }

  stmt = gh_database_prepare (self->database, sql, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return record_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND, _("The record no longer exists."));
  else
    gh_database_fail (self->database, error, "reading a record");

  return NULL;
}

/**
 * gh_record_store_purge:
 * @before: remove records older than this Unix time
 *
 * Applies the retention setting (%GH_PERMISSION_SETTINGS_WRITE).
 */
gboolean
gh_record_store_purge (GhRecordStore  *self,
                       GhSession      *session,
                       const char     *kind,
                       gint64          before,
                       GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  const char *sql;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_RECORD_STORE (self), FALSE);

  if (g_strcmp0 (kind, "call") == 0)
    sql = "DELETE FROM call_records WHERE time < ?";
  else if (g_strcmp0 (kind, "access") == 0)
    sql = "DELETE FROM access_records WHERE time < ?";
  else if (g_strcmp0 (kind, "alarm") == 0)
    sql = "DELETE FROM alarm_records WHERE time < ?";
  else {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Unknown kind of record “%s”: use call, access or alarm."), kind ? kind : "");
    return FALSE;
  }

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SETTINGS_WRITE, error))
    return FALSE;

  stmt = gh_database_prepare (self->database, sql, error);
  if (stmt != NULL) {
    sqlite3_bind_int64 (stmt, 1, before);
    ok = gh_database_step_done (self->database, stmt, error) &&
         gh_database_auditf (self->database, session, error, "records.purge", kind, 0,
                             "%d records before %" G_GINT64_FORMAT,
                             gh_database_changes (self->database), before);
  }

  return gh_database_end_write (self->database, ok, "records", error);
}
