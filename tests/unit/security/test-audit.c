/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json.h>
#include <string.h>

#include "gh-audit-chain.h"
#include "gh-audit-log.h"
#include "gh-audit-store.h"
#include "gh-auth.h"
#include "gh-database-private.h"
#include "gh-error.h"
#include "gh-operator-store.h"
#include "security-test-helpers.h"

#define T0 1800000000

/* About a dozen audit rows of different kinds. */
static void
fill_log (SecurityFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = NULL;
  g_autoptr(GhSession) session = NULL;
  g_autoptr(GhOperatorStore) operators = gh_operator_store_new (fixture->database);
  g_autoptr(GhAuditStore) audit = gh_audit_store_new (fixture->database);
  GhAuthPolicy policy;

  gh_auth_get_policy (fixture->database, &policy);
  policy.kdf_iterations = SECURITY_TEST_KDF_ITERATIONS;
  g_assert_true (gh_auth_set_policy (fixture->database, fixture->system, &policy, &error));
  admin = gh_auth_create_first_administrator (fixture->database, "alice", "Gate-Keeper-92", "gui",
                                              &error);
  g_assert_no_error (error);
  gh_operator_store_add (operators, admin, "gary", "Night-Watch-47", GH_ROLE_GUARD, &error);
  g_assert_no_error (error);
  session = gh_auth_login_at (fixture->database, "gary", "Wrong-Guess-5", "cli", T0, NULL);
  g_assert_null (session);
  session = gh_auth_login_at (fixture->database, "gary", "Night-Watch-47", "cli", T0, &error);
  g_assert_no_error (error);
  g_assert_true (gh_audit_store_append (audit, session, "door.open", "door", "3:1",
                                        "front gate, door 1", &error));
  g_assert_true (gh_audit_store_append (audit, session, "call.answered", "call", "17",
                                        "from 1#1#101", &error));
  g_assert_true (gh_audit_store_append (audit, session, "call.rejected", "call", "18",
                                        "from 1#1#102", &error));
  g_assert_no_error (error);
  g_assert_true (gh_auth_logout (fixture->database, session, "idle lock", &error));
  g_assert_no_error (error);
}

/* What an attacker with the file, but not the key, can do: another connection, no triggers. */
static void
attack (SecurityFixture *fixture,
        const char      *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, "DROP TRIGGER IF EXISTS audit_log_no_update;"
                        "DROP TRIGGER IF EXISTS audit_log_no_delete;", NULL, NULL, &message) !=
      SQLITE_OK ||
      sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("attack failed: %s", message);
  sqlite3_close (db);
}

static void
assert_broken_at (SecurityFixture *fixture,
                  gint64           expected,
                  const char      *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *entry = g_strdup_printf ("entry %" G_GINT64_FORMAT " ", expected);
  gint64 broken = -1;
  guint64 n = 0;

  g_assert_false (gh_audit_log_verify (fixture->database, fixture->system, &n, &broken,
                                       &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
  g_assert_cmpint (broken, ==, expected);
  g_assert_nonnull (strstr (error->message, entry));
  g_assert_nonnull (strstr (error->message, words));
}

static void
test_intact (SecurityFixture *fixture,
             gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  gint64 broken = -1;
  guint64 n = 0;
  gint64 rows;

  fill_log (fixture);
  rows = security_test_count (fixture->database, "audit_log");
  g_assert_cmpint (rows, >=, 10);
  g_assert_true (gh_audit_log_is_keyed (fixture->database));

  g_assert_true (gh_audit_log_verify (fixture->database, fixture->system, &n, &broken, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, rows);
  g_assert_cmpint (broken, ==, 0);

  /* The check is logged, and the log still verifies after a restart. */
  g_assert_cmpint (security_test_count (fixture->database,
                                        "audit_log WHERE action = 'audit.verified'"), ==, 1);
  security_fixture_reopen (fixture);
  g_assert_true (gh_audit_log_verify (fixture->database, fixture->system, &n, &broken, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, rows + 1);
}

static void
test_triggers (SecurityFixture *fixture,
               gconstpointer    data)
{
  g_autoptr(GError) error = NULL;

  fill_log (fixture);
  g_assert_false (gh_database_exec (fixture->database,
                                    "UPDATE audit_log SET detail = 'x' WHERE id = 3", &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
  g_clear_error (&error);
  g_assert_false (gh_database_exec (fixture->database, "DELETE FROM audit_log WHERE id = 3",
                                    &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
}

static void
test_tamper_edit (SecurityFixture *fixture,
                  gconstpointer    data)
{
  fill_log (fixture);
  attack (fixture, "UPDATE audit_log SET operator = 'mallory' WHERE action = 'door.open'");
  assert_broken_at (fixture,
                    gh_database_query_int (fixture->database, "SELECT id FROM audit_log "
                                           "WHERE action = 'door.open'", 0, NULL),
                    "changed");
}

static void
test_tamper_delete (SecurityFixture *fixture,
                    gconstpointer    data)
{
  gint64 id;

  fill_log (fixture);
  id = gh_database_query_int (fixture->database,
                              "SELECT id FROM audit_log WHERE action = 'auth.login-failed'", 0,
                              NULL);
  attack (fixture, "DELETE FROM audit_log WHERE action = 'auth.login-failed'");
  assert_broken_at (fixture, id + 1, "missing");
}

/* Delete a row and renumber the rest so the ids look contiguous: prev_mac gives it away. */
static void
test_tamper_delete_renumber (SecurityFixture *fixture,
                             gconstpointer    data)
{
  gint64 id;

  fill_log (fixture);
  id = gh_database_query_int (fixture->database,
                              "SELECT id FROM audit_log WHERE action = 'call.rejected'", 0, NULL);
  attack (fixture, "DELETE FROM audit_log WHERE action = 'call.rejected';"
                   "UPDATE audit_log SET id = id - 1 WHERE id > (SELECT max (id) FROM audit_log "
                   "WHERE action = 'call.answered')");
  assert_broken_at (fixture, id, "does not follow");
}

/* The attacker edits a row and recomputes every MAC from there on, without the key. */
static void
test_tamper_recompute (SecurityFixture *fixture,
                       gconstpointer    data)
{
  static const guint8 guessed_key[32] = { 0 };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)gh_audit_entry_free);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *prev = g_strdup ("");
  sqlite3_stmt *stmt = NULL;
  gint64 target;

  fill_log (fixture);
  target = gh_database_query_int (fixture->database,
                                  "SELECT id FROM audit_log WHERE action = 'door.open'", 0, NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (gh_database_get_handle (fixture->database),
                                       "SELECT id, ts, operator, surface, action, object_type, "
                                       "object_id, detail, prev_mac, mac FROM audit_log "
                                       "ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW) {
    GhAuditEntry *entry = g_new0 (GhAuditEntry, 1);

    entry->id = sqlite3_column_int64 (stmt, 0);
    entry->ts = sqlite3_column_int64 (stmt, 1);
    entry->operator_name = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
    entry->surface = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
    entry->action = g_strdup ((const char *)sqlite3_column_text (stmt, 4));
    entry->object_type = g_strdup ((const char *)sqlite3_column_text (stmt, 5));
    entry->object_id = g_strdup ((const char *)sqlite3_column_text (stmt, 6));
    entry->detail = g_strdup ((const char *)sqlite3_column_text (stmt, 7));
    entry->prev_mac = g_strdup ((const char *)sqlite3_column_text (stmt, 8));
    entry->mac = g_strdup ((const char *)sqlite3_column_text (stmt, 9));
    g_ptr_array_add (rows, entry);
  }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < rows->len; i++) {
    GhAuditEntry *entry = rows->pdata[i];
    g_autofree char *object = NULL;
    g_autofree char *canonical = NULL;
    g_autofree char *mac = NULL;

    if (entry->id < target) {
      g_free (prev);
      prev = g_strdup (entry->mac);
      continue;
    }
    if (entry->id == target) {
      g_free (entry->detail);
      entry->detail = g_strdup ("nothing happened");
    }
    /* The exact canonical form and chain, only the key is a guess. */
    object = g_strdup_printf ("%zu:%s%s", strlen (entry->object_type), entry->object_type,
                              entry->object_id);
    canonical = gh_audit_chain_canonical_entry (entry->id, entry->ts, entry->operator_name,
                                                entry->surface, entry->action, object,
                                                entry->detail);
    mac = gh_audit_chain_compute (guessed_key, sizeof guessed_key,
                                  *prev != '\0' ? prev : GH_AUDIT_CHAIN_GENESIS, canonical, NULL);
    g_string_append_printf (sql, "UPDATE audit_log SET detail = '%s', prev_mac = '%s', "
                                 "mac = '%s' WHERE id = %" G_GINT64_FORMAT ";",
                            entry->detail, prev, mac, entry->id);
    g_free (prev);
    prev = g_steal_pointer (&mac);
  }

  attack (fixture, sql->str);
  assert_broken_at (fixture, target, "changed");
}

/* Flip one byte of an entry in the database file itself. */
static void
test_tamper_file (SecurityFixture *fixture,
                  gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  char *hit;
  gint64 target;

  fill_log (fixture);
  target = gh_database_query_int (fixture->database,
                                  "SELECT id FROM audit_log WHERE action = 'call.answered'", 0,
                                  NULL);
  /* Closing checkpoints the WAL into the main file. */
  g_assert_finalize_object (g_steal_pointer (&fixture->database));

  g_assert_true (g_file_get_contents (fixture->path, &contents, &len, &error));
  hit = (char *)security_test_find (contents, len, "from 1#1#101");
  g_assert_nonnull (hit);
  hit[strlen ("from 1#1#10")] = '9';
  g_assert_true (g_file_set_contents (fixture->path, contents, len, &error));
  g_assert_no_error (error);

  fixture->database = gh_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (gh_key_store_attach (fixture->keys, fixture->database, &error));
  g_assert_no_error (error);

  assert_broken_at (fixture, target, "changed");
}

/* A database opened without its key store cannot pass for keyed rows. */
static void
test_wrong_key (SecurityFixture *fixture,
                gconstpointer    data)
{
  g_autoptr(GError) error = NULL;

  fill_log (fixture);
  g_assert_finalize_object (g_steal_pointer (&fixture->database));
  fixture->database = gh_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_false (gh_audit_log_is_keyed (fixture->database));

  assert_broken_at (fixture, 1, "another key");
}

static void
test_export (SecurityFixture *fixture,
             gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) csv = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) jsonl = g_memory_output_stream_new_resizable ();
  g_autoptr(GhSession) session = NULL;
  g_auto(GStrv) csv_lines = NULL;
  g_auto(GStrv) json_lines = NULL;
  g_autofree char *csv_text = NULL;
  g_autofree char *json_text = NULL;
  g_autofree char *prev = g_strdup ("");
  gint64 rows;
  guint n_json = 0;

  fill_log (fixture);
  /* A user name that a spreadsheet would run as a formula. */
  session = gh_auth_login_at (fixture->database, "=HYPERLINK(\"http://x\")", "Whatever-81", "gui",
                              T0, NULL);
  g_assert_null (session);
  rows = security_test_count (fixture->database, "audit_log");

  g_assert_true (gh_audit_log_export (fixture->database, fixture->system, GH_AUDIT_EXPORT_CSV,
                                      csv, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (csv, "", 1, NULL, NULL, NULL));
  g_output_stream_close (csv, NULL, NULL);
  csv_text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (csv));
  csv_lines = g_strsplit (csv_text, "\r\n", -1);
  /* header + rows + the empty string after the last CRLF */
  g_assert_cmpuint (g_strv_length (csv_lines), ==, rows + 2);
  g_assert_true (g_str_has_prefix (csv_lines[0], "id,time,ts_usec,operator,surface,action"));
  g_assert_nonnull (strstr (csv_text, "\"'=HYPERLINK(\"\"http://x\"\")\""));
  g_assert_null (strstr (csv_text, ",\"=HYPERLINK"));

  /* The export itself is logged. */
  g_assert_cmpint (security_test_count (fixture->database, "audit_log"), ==, rows + 1);

  g_assert_true (gh_audit_log_export (fixture->database, fixture->system,
                                      GH_AUDIT_EXPORT_JSON_LINES, jsonl, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (jsonl, "", 1, NULL, NULL, NULL));
  g_output_stream_close (jsonl, NULL, NULL);
  json_text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (jsonl));
  json_lines = g_strsplit (json_text, "\n", -1);

  for (guint i = 0; json_lines[i] != NULL && *json_lines[i] != '\0'; i++) {
    json_object *obj = json_tokener_parse (json_lines[i]);
    json_object *field = NULL;

    g_assert_nonnull (obj);
    g_assert_true (json_object_object_get_ex (obj, "id", &field));
    g_assert_cmpint (json_object_get_int64 (field), ==, i + 1);
    g_assert_true (json_object_object_get_ex (obj, "prev_mac", &field));
    g_assert_cmpstr (json_object_get_string (field), ==, prev);
    g_assert_true (json_object_object_get_ex (obj, "mac", &field));
    g_free (prev);
    prev = g_strdup (json_object_get_string (field));
    g_assert_cmpuint (strlen (prev), ==, 64);
    /* Faithful: the formula user name is not altered in JSON. */
    if (json_object_object_get_ex (obj, "object_id", &field) &&
        g_str_has_prefix (json_object_get_string (field), "=HYPERLINK"))
      n_json += 1000;
    json_object_put (obj);
    n_json++;
  }
  g_assert_cmpuint (n_json, ==, rows + 1 + 1000);
}

static void
test_doors_and_calls (SecurityFixture *fixture,
                      gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) guard = gh_session_new (7, "gary", GH_ROLE_GUARD, "gui");
  g_autoptr(GhSession) clerk = gh_session_new (8, "olga", GH_ROLE_OPERATOR, "cli");
  g_autoptr(GhAuditStore) audit = gh_audit_store_new (fixture->database);
  g_autoptr(GPtrArray) entries = NULL;
  GhAuditEntry *entry;

  g_assert_true (gh_audit_log_door_opened (fixture->database, guard, 3, 1, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (gh_audit_log_call_handled (fixture->database, guard, "42", "answered",
                                            "1#1#101", &error));
  g_assert_true (gh_audit_log_call_handled (fixture->database, guard, "43", "rejected", NULL,
                                            &error));
  g_assert_no_error (error);

  g_assert_false (gh_audit_log_door_opened (fixture->database, clerk, 3, 1, TRUE, NULL, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (gh_audit_log_call_handled (fixture->database, guard, "44", "hung", NULL,
                                             &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  entries = gh_audit_store_list (audit, fixture->system, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 4);  /* the key binding, a door, two calls */
  entry = entries->pdata[2];
  g_assert_cmpstr (entry->action, ==, "door.open");
  g_assert_cmpstr (entry->operator_name, ==, "gary");
  g_assert_cmpstr (entry->surface, ==, "gui");
  g_assert_cmpstr (entry->object_type, ==, "door");
  g_assert_cmpstr (entry->object_id, ==, "3:1");
  g_assert_cmpint (entry->ts, >, 0);
  g_assert_cmpstr (((GhAuditEntry *)entries->pdata[1])->action, ==, "call.answered");
  g_assert_cmpstr (((GhAuditEntry *)entries->pdata[0])->action, ==, "call.rejected");

  g_assert_true (gh_audit_log_verify (fixture->database, fixture->system, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  security_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/security/audit/" path, SecurityFixture, NULL, security_fixture_setup, func, \
              security_fixture_teardown)

  ADD ("intact", test_intact);
  ADD ("triggers", test_triggers);
  ADD ("tamper-edit", test_tamper_edit);
  ADD ("tamper-delete", test_tamper_delete);
  ADD ("tamper-delete-renumber", test_tamper_delete_renumber);
  ADD ("tamper-recompute", test_tamper_recompute);
  ADD ("tamper-file", test_tamper_file);
  ADD ("wrong-key", test_wrong_key);
  ADD ("export", test_export);
  ADD ("doors-and-calls", test_doors_and_calls);

  return g_test_run ();
}
