/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "gh-audit-event.h"
#include "gh-audit-log.h"
#include "gh-audit-store.h"
#include "gh-database-private.h"
#include "gh-error.h"

#include "store-test-helpers.h"

static void
test_migrate_empty_and_reopen (void)
{
  g_autofree char *dir = store_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "gatehouse.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = gh_session_new (1, "alice", GH_ROLE_ADMINISTRATOR, "test");
  GhDatabase *database;
  GhDatabase *second;
  GhAuditStore *audit;

  /* An empty file (as some file pickers create) is migrated like a missing one. */
  g_assert_true (g_file_set_contents (path, "", 0, NULL));

  database = gh_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_database_get_schema_version (database), ==,
                   gh_database_get_latest_version ());
  g_assert_cmpint (gh_database_get_latest_version (), >=, 1);

  audit = gh_audit_store_new (database);
  g_assert_true (gh_audit_store_append (audit, admin, "test", "database", "1", "hello", &error));
  g_assert_no_error (error);

  /* A second connection to the same file works at the same time (worker threads). */
  second = gh_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (store_test_count (second, "audit_log"), ==, 1);
  g_assert_finalize_object (second);

  g_assert_finalize_object (audit);
  g_assert_finalize_object (database);

  database = gh_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_database_get_schema_version (database), ==,
                   gh_database_get_latest_version ());
  g_assert_cmpint (store_test_count (database, "audit_log"), ==, 1);
  g_assert_cmpint (store_test_count (database, "settings"), >=, 2);
  g_assert_finalize_object (database);

  store_test_remove_dir (dir);
}

static void
test_not_a_database (void)
{
  g_autofree char *dir = store_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "notes.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDatabase) database = NULL;
  g_autofree char *junk = g_strnfill (4096, 'x');

  g_assert_true (g_file_set_contents (path, junk, -1, NULL));

  database = gh_database_open (path, &error);
  g_assert_null (database);
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "is not a Gatehouse database"));
  g_assert_nonnull (strstr (error->message, path));

  store_test_remove_dir (dir);
}

static void
test_newer_schema (void)
{
  g_autofree char *dir = store_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "gatehouse.db", NULL);
  g_autoptr(GError) error = NULL;
  GhDatabase *database;
  g_autofree char *pragma = NULL;

  database = gh_database_open (path, &error);
  g_assert_no_error (error);
  pragma = g_strdup_printf ("PRAGMA user_version = %d", gh_database_get_latest_version () + 1);
  g_assert_true (gh_database_exec (database, pragma, &error));
  g_assert_finalize_object (database);

  database = gh_database_open (path, &error);
  g_assert_null (database);
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "newer Gatehouse"));

  store_test_remove_dir (dir);
}

static void
test_missing_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDatabase) database = NULL;

  database = gh_database_open ("/nonexistent-gatehouse-dir/sub/gatehouse.db", &error);
  g_assert_null (database);
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "/nonexistent-gatehouse-dir/sub/gatehouse.db"));
}

static void
test_audit_append_only (StoreFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr(GhAuditStore) audit = gh_audit_store_new (fixture->database);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GhAuditEntry *first;
  GhAuditEntry *second;
  g_autofree char *mac = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GhAuditEvent) event = NULL;

  g_assert_true (gh_audit_store_append (audit, fixture->admin, "door.open", "door", "7", "",
                                        &error));
  g_assert_true (gh_audit_store_append (audit, fixture->guard, "door.close", "door", "7", "",
                                        &error));
  g_assert_no_error (error);

  g_assert_false (gh_database_exec (fixture->database, "UPDATE audit_log SET detail = 'x'",
                                    &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "append-only"));
  g_clear_error (&error);

  g_assert_false (gh_database_exec (fixture->database, "DELETE FROM audit_log", &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
  g_clear_error (&error);
  g_assert_cmpint (store_test_count (fixture->database, "audit_log"), ==, 2);

  /* Reading the audit log needs AUDIT_READ. */
  entries = gh_audit_store_list (audit, fixture->guard, 0, 10, &error);
  g_assert_null (entries);
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  entries = gh_audit_store_list (audit, fixture->admin, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  second = g_ptr_array_index (entries, 0);
  first = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (second->action, ==, "door.close");
  g_assert_cmpstr (second->operator_name, ==, "gary");
  g_assert_cmpstr (first->prev_mac, ==, "");
  g_assert_cmpstr (second->prev_mac, ==, first->mac);
  g_assert_cmpuint (strlen (first->mac), ==, 64);
  mac = gh_audit_log_compute_mac (fixture->database, second, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mac, ==, second->mac);

  /* The paged model, filtered by object. */
  model = gh_audit_store_list_model (audit, fixture->admin, "door", "7", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  event = g_list_model_get_item (model, 0);
  g_assert_cmpstr (gh_audit_event_get_action (event), ==, "door.close");
  g_assert_cmpstr (gh_audit_event_get_operator_name (event), ==, "gary");
  g_assert_true (gh_audit_store_append (audit, fixture->admin, "door.open", "door", "7", "",
                                        &error));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_clear_object (&model);
  model = gh_audit_store_list_model (audit, fixture->admin, "door", "8", &error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_null (gh_audit_store_list_model (audit, fixture->guard, NULL, NULL, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
}

static void
test_nested_transaction (StoreFixture  *fixture,
                         gconstpointer  data)
{
  g_autoptr(GhAuditStore) audit = gh_audit_store_new (fixture->database);
  g_autoptr(GError) error = NULL;
  GhDatabase *db = fixture->database;

  g_assert_true (gh_database_begin (db, &error));
  g_assert_true (gh_audit_store_append (audit, fixture->admin, "a", "t", "1", "", &error));
  g_assert_true (gh_database_begin (db, &error));
  g_assert_true (gh_audit_store_append (audit, fixture->admin, "b", "t", "2", "", &error));
  gh_database_rollback (db);
  g_assert_true (gh_database_in_transaction (db));
  g_assert_true (gh_database_commit (db, &error));
  g_assert_no_error (error);
  g_assert_false (gh_database_in_transaction (db));
  g_assert_cmpint (store_test_count (db, "audit_log"), ==, 1);
}

/* Commits a write touching @topic (NULL for none) through @db. */
static void
write_touching (GhDatabase *db,
                const char *topic,
                gboolean    commit)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gh_database_begin (db, &error));
  g_assert_true (gh_database_exec (db, "INSERT INTO count_test (topic) VALUES ('x')", &error));
  if (topic != NULL)
    gh_database_touch (db, topic);
  if (commit) {
    g_assert_true (gh_database_commit (db, &error));
    g_assert_no_error (error);
  } else {
    gh_database_rollback (db);
  }
}

/* The change count moves for every committed write that touched anything but the sync
 * engine's bookkeeping, as every connection sees it, including the writer's own. */
static void
test_change_count (StoreFixture  *fixture,
                   gconstpointer  data)
{
  GhDatabase *db = fixture->database;
  g_autoptr(GhDatabase) other = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  other = gh_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (gh_database_exec (db, "CREATE TABLE count_test (topic TEXT)", &error));
  start = gh_database_get_change_count (db);
  g_assert_cmpint (start, >=, 0);
  g_assert_cmpint (gh_database_get_change_count (other), ==, start);

  write_touching (db, "persons", TRUE);
  g_assert_cmpint (gh_database_get_change_count (db), ==, start + 1);
  g_assert_cmpint (gh_database_get_change_count (other), ==, start + 1);

  /* the engine's queue, the audit log, fetched records, or nothing announced */
  write_touching (other, "sync", TRUE);
  write_touching (other, "audit", TRUE);
  write_touching (db, "records", TRUE);
  write_touching (db, NULL, TRUE);
  g_assert_cmpint (gh_database_get_change_count (db), ==, start + 1);

  /* a rolled-back write moves nothing */
  write_touching (other, "devices", FALSE);
  g_assert_cmpint (gh_database_get_change_count (db), ==, start + 1);

  /* a nested write counts once, when the outer transaction commits */
  g_assert_true (gh_database_begin (other, &error));
  write_touching (other, "rooms", TRUE);
  write_touching (other, "sync", TRUE);
  g_assert_cmpint (gh_database_get_change_count (db), ==, start + 1);
  g_assert_true (gh_database_commit (other, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gh_database_get_change_count (db), ==, start + 2);
  g_assert_cmpint (store_test_count (db, "count_test"), ==, 7);

  g_assert_true (gh_database_is_bookkeeping ("sync"));
  g_assert_true (gh_database_is_bookkeeping ("audit"));
  g_assert_true (gh_database_is_bookkeeping ("records"));
  g_assert_false (gh_database_is_bookkeeping ("persons"));
  g_assert_false (gh_database_is_bookkeeping (NULL));
}

typedef struct {
  const char *path;
  gint        stop;
  guint       rounds;
} BusyWriter;

/* Short write transactions back to back, as the sync plan writes device by device. */
static gpointer
busy_writer (gpointer user_data)
{
  BusyWriter *writer = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDatabase) db = gh_database_open (writer->path, &error);

  g_assert_no_error (error);
  while (!g_atomic_int_get (&writer->stop)) {
    g_assert_true (gh_database_begin (db, &error));
    g_assert_true (gh_database_exec (db, "INSERT INTO gate_test (who) VALUES ('thread')",
                                     &error));
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    g_assert_true (gh_database_commit (db, &error));
    g_assert_no_error (error);
    writer->rounds++;
  }
  return NULL;
}

/* A writer on another thread that starts its next transaction the moment it commits does not
 * starve this connection: each write waits about one of the other's transactions, not until
 * SQLite's busy timeout gives up. */
static void
test_write_turns (StoreFixture  *fixture,
                  gconstpointer  data)
{
  GhDatabase *db = fixture->database;
  BusyWriter writer = { fixture->path, 0, 0 };
  g_autoptr(GError) error = NULL;
  GThread *thread;
  gint64 longest = 0;

  g_assert_true (gh_database_exec (db, "CREATE TABLE gate_test (who TEXT)", &error));
  thread = g_thread_new ("busy-writer", busy_writer, &writer);
  while (g_atomic_int_get (&writer.rounds) < 3)
    g_usleep (1000);
  for (guint i = 0; i < 20; i++) {
    gint64 start = g_get_monotonic_time ();

    g_assert_true (gh_database_begin (db, &error));
    g_assert_no_error (error);
    g_assert_true (gh_database_exec (db, "INSERT INTO gate_test (who) VALUES ('main')", &error));
    g_assert_true (gh_database_commit (db, &error));
    longest = MAX (longest, g_get_monotonic_time () - start);
    g_usleep (5 * G_TIME_SPAN_MILLISECOND);
  }
  g_atomic_int_set (&writer.stop, 1);
  g_thread_join (thread);
  g_test_message ("longest wait %.1f ms while the other thread committed %u times",
                  longest / 1000.0, writer.rounds);
  g_assert_cmpint (store_test_count (db, "gate_test"), ==, 20 + writer.rounds);
  /* one 10 ms transaction of the other thread, with a wide margin for a loaded machine */
  g_assert_cmpint (longest, <, 500 * G_TIME_SPAN_MILLISECOND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/database/migrate-empty-and-reopen", test_migrate_empty_and_reopen);
  g_test_add_func ("/store/database/not-a-database", test_not_a_database);
  g_test_add_func ("/store/database/newer-schema", test_newer_schema);
  g_test_add_func ("/store/database/missing-folder", test_missing_folder);
  g_test_add ("/store/database/audit-append-only", StoreFixture, NULL,
              store_fixture_setup, test_audit_append_only, store_fixture_teardown);
  g_test_add ("/store/database/nested-transaction", StoreFixture, NULL,
              store_fixture_setup, test_nested_transaction, store_fixture_teardown);
  g_test_add ("/store/database/change-count", StoreFixture, NULL,
              store_fixture_setup, test_change_count, store_fixture_teardown);
  g_test_add ("/store/database/write-turns", StoreFixture, NULL,
              store_fixture_setup, test_write_turns, store_fixture_teardown);

  return g_test_run ();
}
