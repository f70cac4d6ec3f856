/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-audit-log"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json.h>
#include <string.h>

#include "gh-audit-log.h"
#include "gh-database-private.h"
#include "gh-key-store.h"

#include "gh-audit-chain.h"
#include "gh-error.h"

/*
 * Checking and exporting the audit log.
 *
 * Each row's `mac` is the HMAC-SHA256 chain value of gh-audit-chain.h, keyed with the audit
 * key of the #GhKeyStore attached to the database (gh_key_store_attach()), over the row's
 * canonical text and the previous row's mac. The canonical object field is the object type,
 * length-prefixed, followed by the object id: `8:operator42`.
 *
 * A database without an attached key store (unit tests of other repositories, tools that
 * only read) chains with an all-zero key: still a hash chain that shows accidental damage,
 * but anyone could recompute it. The app and gatehousectl always attach the key store, and
 * verifying with the real key reports the first row written without it as broken.
 *
 * gh_audit_log_verify() walks the whole log in id order and names the first row whose id
 * skips, whose prev_mac is not its predecessor's mac, or whose mac does not match its fields.
 * Removing the newest rows cannot be seen from the chain alone; keep exported copies.
 */

static const guint8 unkeyed[GH_KEY_STORE_KEY_LEN] = { 0 };

static const guint8 *
get_key (GhDatabase *database,
         gsize      *out_len)
{
  GhKeyStore *keys = gh_key_store_get_for_database (database);

  if (keys != NULL)
    return gh_key_store_get_audit_key (keys, out_len);

  *out_len = sizeof unkeyed;
  return unkeyed;
}

/**
 * gh_audit_log_is_keyed:
 *
 * Returns: whether @database has a key store attached, so new audit rows are keyed
 */
gboolean
gh_audit_log_is_keyed (GhDatabase *database)
{
  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);

  return gh_key_store_get_for_database (database) != NULL;
}

static char *
canonical (const GhAuditEntry *entry)
{
  g_autofree char *object = NULL;
  const char *type = entry->object_type != NULL ? entry->object_type : "";

  object = g_strdup_printf ("%" G_GSIZE_FORMAT ":%s%s", strlen (type), type,
                            entry->object_id != NULL ? entry->object_id : "");

  return gh_audit_chain_canonical_entry (entry->id, entry->ts, entry->operator_name,
                                         entry->surface, entry->action, object, entry->detail);
}

static const char *
prev_or_genesis (const char *prev_mac)
{
  return prev_mac != NULL && *prev_mac != '\0' ? prev_mac : GH_AUDIT_CHAIN_GENESIS;
}

/**
 * gh_audit_log_compute_mac_with_key:
 * @key: (nullable): the audit key, or %NULL for the all-zero key of an unkeyed database
 * @entry: a row; @entry->prev_mac is the previous row's mac, or "" for the first row
 *
 * Returns: (transfer full): 64 hex digits, or %NULL with @error set
 */
char *
gh_audit_log_compute_mac_with_key (const guint8        *key,
                                   gsize                key_len,
                                   const GhAuditEntry  *entry,
                                   GError             **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  if (key == NULL) {
    key = unkeyed;
    key_len = sizeof unkeyed;
  }

  text = canonical (entry);

  return gh_audit_chain_compute (key, key_len, prev_or_genesis (entry->prev_mac), text, error);
}

/**
 * gh_audit_log_compute_mac:
 * @entry: a row about to be written; @entry->prev_mac is the previous row's mac, or "" for
 *   the first row
 *
 * The chain value of @entry under @database's audit key (or the all-zero key when no key
 * store is attached).
 *
 * Returns: (transfer full): 64 hex digits, or %NULL with @error set
 */
char *
gh_audit_log_compute_mac (GhDatabase          *database,
                          const GhAuditEntry  *entry,
                          GError             **error)
{
  const guint8 *key;
  gsize key_len;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);
  g_return_val_if_fail (entry != NULL, NULL);

  key = get_key (database, &key_len);

  return gh_audit_log_compute_mac_with_key (key, key_len, entry, error);
}

static GhAuditEntry *
entry_from_row (GhStmt *stmt)
{
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

  return entry;
}

#define SELECT_ALL \
  "SELECT id, ts, operator, surface, action, object_type, object_id, detail, prev_mac, mac " \
  "FROM audit_log ORDER BY id"

static gboolean
record_check (GhDatabase  *database,
              GhSession   *session,
              const char  *action,
              const char  *detail,
              GError     **error)
{
  if (!gh_database_begin (database, error))
    return FALSE;

  if (!gh_database_audit (database, session, action, "audit", "", detail, error)) {
    gh_database_rollback (database);
    return FALSE;
  }

  return gh_database_commit (database, error);
}

/**
 * gh_audit_log_verify:
 * @session: needs %GH_PERMISSION_AUDIT_READ
 * @out_n_entries: (out) (optional): how many rows were checked
 * @out_first_broken_id: (out) (optional): the id of the first broken row, or 0 when intact
 * @error: when the chain is broken, a %GH_ERROR_STORAGE error that names the first broken
 *   entry and what is wrong with it
 *
 * Checks the whole chain. The check itself is recorded in the log (after the check).
 *
 * Returns: %TRUE when every row is intact
 */
gboolean
gh_audit_log_verify (GhDatabase  *database,
                     GhSession   *session,
                     guint64     *out_n_entries,
                     gint64      *out_first_broken_id,
                     GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *prev_mac = g_strdup ("");
  g_autofree char *problem = NULL;
  g_autofree char *detail = NULL;
  const guint8 *key;
  gsize key_len;
  guint64 n = 0;
  gint64 expected_id = 1;
  gint64 broken = 0;
  int rc;

  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (out_n_entries != NULL)
    *out_n_entries = 0;
  if (out_first_broken_id != NULL)
    *out_first_broken_id = 0;

  if (!gh_session_check (session, GH_PERMISSION_AUDIT_READ, error))
    return FALSE;

  key = get_key (database, &key_len);

  stmt = gh_database_prepare (database, SELECT_ALL, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    g_autoptr(GhAuditEntry) entry = entry_from_row (stmt);
    g_autofree char *text = NULL;

    n++;

    if (entry->id != expected_id) {
      broken = entry->id;
      if (entry->id > expected_id)
        problem = g_strdup_printf (_("entries %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
                                     " are missing before it"), expected_id, entry->id - 1);
      else
        problem = g_strdup (_("its number is out of sequence"));
      break;
    }

    if (g_strcmp0 (entry->prev_mac, prev_mac) != 0 &&
        !(expected_id == 1 && g_strcmp0 (entry->prev_mac, GH_AUDIT_CHAIN_GENESIS) == 0)) {
      broken = entry->id;
      problem = g_strdup (_("it does not follow the entry before it (an entry was removed, "
                            "replaced or reordered)"));
      break;
    }

    text = canonical (entry);
    if (entry->mac == NULL ||
        !gh_audit_chain_verify (key, key_len, prev_or_genesis (entry->prev_mac), text,
                                entry->mac, NULL)) {
      broken = entry->id;
      problem = g_strdup (_("its contents were changed after it was written (its MAC does not "
                            "match), or it was written under another key"));
      break;
    }

    g_free (prev_mac);
    prev_mac = g_steal_pointer (&entry->mac);
    expected_id++;
  }

  if (broken == 0 && rc != SQLITE_DONE)
    return gh_database_fail (database, error, "reading the audit log");

  g_clear_pointer (&stmt, gh_stmt_release);

  if (out_n_entries != NULL)
    *out_n_entries = n;

  if (broken == 0) {
    detail = g_strdup_printf ("%" G_GUINT64_FORMAT " entries intact%s", n,
                              gh_audit_log_is_keyed (database) ? "" : " (unkeyed)");
    return record_check (database, session, "audit.verified", detail, error);
  }

  if (out_first_broken_id != NULL)
    *out_first_broken_id = broken;

  detail = g_strdup_printf ("broken at entry %" G_GINT64_FORMAT, broken);
  /* The failure report matters more than recording the check. */
  record_check (database, session, "audit.verify-failed", detail, NULL);

  g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
               _("The audit log was tampered with: entry %" G_GINT64_FORMAT " is the first "
                 "broken one: %s. Entries before it are intact."), broken, problem);
  return FALSE;
}

static void
append_csv_cell (GString    *line,
                 const char *value,
                 gboolean    last)
{
  const char *v = value != NULL ? value : "";

  g_string_append_c (line, '"');
  /* A cell a spreadsheet would evaluate (=, +, -, @, tab, CR) is kept as text. */
  if (*v == '=' || *v == '+' || *v == '-' || *v == '@' || *v == '\t' || *v == '\r')
    g_string_append_c (line, '\'');
  for (const char *p = v; *p != '\0'; p++) {
    if (*p == '"')
      g_string_append_c (line, '"');
    g_string_append_c (line, *p);
  }
  g_string_append_c (line, '"');
  g_string_append (line, last ? "\r\n" : ",");
}

static char *
format_time (gint64 ts)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (ts / G_USEC_PER_SEC);

  if (time == NULL)
    return g_strdup ("");

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

static void
append_entry (GString             *line,
              GhAuditExportFormat  format,
              const GhAuditEntry  *entry)
{
  g_autofree char *time = format_time (entry->ts);

  if (format == GH_AUDIT_EXPORT_CSV) {
    char id[32], ts[32];

    g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, entry->id);
    g_snprintf (ts, sizeof ts, "%" G_GINT64_FORMAT, entry->ts);
    append_csv_cell (line, id, FALSE);
    append_csv_cell (line, time, FALSE);
    append_csv_cell (line, ts, FALSE);
    append_csv_cell (line, entry->operator_name, FALSE);
    append_csv_cell (line, entry->surface, FALSE);
    append_csv_cell (line, entry->action, FALSE);
    append_csv_cell (line, entry->object_type, FALSE);
    append_csv_cell (line, entry->object_id, FALSE);
    append_csv_cell (line, entry->detail, FALSE);
    append_csv_cell (line, entry->prev_mac, FALSE);
    append_csv_cell (line, entry->mac, TRUE);
  } else {
    json_object *obj = json_object_new_object ();

    json_object_object_add (obj, "id", json_object_new_int64 (entry->id));
    json_object_object_add (obj, "time", json_object_new_string (time));
    json_object_object_add (obj, "ts_usec", json_object_new_int64 (entry->ts));
    json_object_object_add (obj, "operator", json_object_new_string (entry->operator_name ?: ""));
    json_object_object_add (obj, "surface", json_object_new_string (entry->surface ?: ""));
    json_object_object_add (obj, "action", json_object_new_string (entry->action ?: ""));
    json_object_object_add (obj, "object_type",
                            json_object_new_string (entry->object_type ?: ""));
    json_object_object_add (obj, "object_id", json_object_new_string (entry->object_id ?: ""));
    json_object_object_add (obj, "detail", json_object_new_string (entry->detail ?: ""));
    json_object_object_add (obj, "prev_mac", json_object_new_string (entry->prev_mac ?: ""));
    json_object_object_add (obj, "mac", json_object_new_string (entry->mac ?: ""));
    g_string_append (line, json_object_to_json_string_ext (obj, JSON_C_TO_STRING_PLAIN |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE));
    g_string_append_c (line, '\n');
    json_object_put (obj);
  }
}

/**
 * gh_audit_log_export:
 * @session: needs %GH_PERMISSION_AUDIT_READ
 * @stream: where to write; it is not closed
 *
 * Writes every audit row, oldest first, and records the export in the log.
 */
gboolean
gh_audit_log_export (GhDatabase           *database,
                     GhSession            *session,
                     GhAuditExportFormat   format,
                     GOutputStream        *stream,
                     GCancellable         *cancellable,
                     GError              **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *detail = NULL;
  guint64 n = 0;
  int rc;

  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (!gh_session_check (session, GH_PERMISSION_AUDIT_READ, error))
    return FALSE;

  if (format == GH_AUDIT_EXPORT_CSV) {
    g_string_append (line, "id,time,ts_usec,operator,surface,action,object_type,object_id,"
                           "detail,prev_mac,mac\r\n");
  }

  stmt = gh_database_prepare (database, SELECT_ALL, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    g_autoptr(GhAuditEntry) entry = entry_from_row (stmt);

    append_entry (line, format, entry);
    n++;

    if (line->len >= 64 * 1024) {
      if (!g_output_stream_write_all (stream, line->str, line->len, NULL, cancellable, error))
        return FALSE;
      g_string_truncate (line, 0);
    }
  }

  if (rc != SQLITE_DONE)
    return gh_database_fail (database, error, "reading the audit log");

  g_clear_pointer (&stmt, gh_stmt_release);

  if (line->len > 0 &&
      !g_output_stream_write_all (stream, line->str, line->len, NULL, cancellable, error))
    return FALSE;

  detail = g_strdup_printf ("%" G_GUINT64_FORMAT " entries as %s", n,
                            format == GH_AUDIT_EXPORT_CSV ? "CSV" : "JSON lines");

  return record_check (database, session, "audit.exported", detail, error);
}

/**
 * gh_audit_log_door_opened:
 * @session: needs %GH_PERMISSION_DOORS_CONTROL
 * @device_id: devices.id of the door station or controller
 * @door: the door (lock) index on that device, from 0
 * @succeeded: whether the device confirmed the command
 * @detail: (nullable): e.g. the device's error
 *
 * Records a door opening, with who, which door, when and from which surface. The protocol
 * layer calls this when it sends the command, so the role check and the record are one step.
 * Refused when the session may not open doors (nothing is written then).
 */
gboolean
gh_audit_log_door_opened (GhDatabase  *database,
                          GhSession   *session,
                          gint64       device_id,
                          guint        door,
                          gboolean     succeeded,
                          const char  *detail,
                          GError     **error)
{
  g_autofree char *object = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (!gh_database_begin_write (database, session, GH_PERMISSION_DOORS_CONTROL, error))
    return FALSE;

  object = g_strdup_printf ("%" G_GINT64_FORMAT ":%u", device_id, door);
  text = g_strdup_printf ("%s%s%s", succeeded ? "opened" : "failed",
                          detail != NULL ? "; " : "", detail != NULL ? detail : "");
  ok = gh_database_audit (database, session, succeeded ? "door.open" : "door.open-failed",
                          "door", object, text, error);

  return gh_database_end_write (database, ok, NULL, error);
}

/**
 * gh_audit_log_call_handled:
 * @session: needs %GH_PERMISSION_CALLS_HANDLE
 * @call_id: the call's id (a record id or the driver's call id)
 * @outcome: "answered", "rejected", "ended", "placed" or "missed"
 * @peer: (nullable): who called, e.g. a room number
 *
 * Records what an operator did with a call.
 */
gboolean
gh_audit_log_call_handled (GhDatabase  *database,
                           GhSession   *session,
                           const char  *call_id,
                           const char  *outcome,
                           const char  *peer,
                           GError     **error)
{
  static const char * const outcomes[] = {
    "answered", "rejected", "ended", "placed", "missed", NULL,
  };
  g_autofree char *action = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);
  g_return_val_if_fail (call_id != NULL, FALSE);

  if (outcome == NULL || !g_strv_contains (outcomes, outcome)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Unknown call outcome “%s”; use answered, rejected, ended, placed or "
                   "missed."), outcome != NULL ? outcome : "");
    return FALSE;
  }

  if (!gh_database_begin_write (database, session, GH_PERMISSION_CALLS_HANDLE, error))
    return FALSE;

  action = g_strconcat ("call.", outcome, NULL);
  text = peer != NULL ? g_strdup_printf ("peer %s", peer) : g_strdup ("");
  ok = gh_database_audit (database, session, action, "call", call_id, text, error);

  return gh_database_end_write (database, ok, NULL, error);
}
