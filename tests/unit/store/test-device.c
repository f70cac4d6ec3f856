/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>

#include "gh-audit-store.h"
#include "gh-database-private.h"
#include "gh-device-store.h"
#include "gh-error.h"

#include "store-test-helpers.h"

static GhDevice *
make_device (const char *kind,
             const char *name,
             const char *host)
{
  GhDevice *device = gh_device_new ();

  gh_device_set_kind (device, kind);
  gh_device_set_name (device, name);
  gh_device_set_host (device, host);
  gh_device_set_driver (device, "test");
  gh_device_set_username (device, "admin");

  return device;
}

static void
test_add_update_remove (StoreFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr(GhDeviceStore) store = gh_device_store_new (fixture->database);
  g_autoptr(GhDevice) vto = make_device ("vto", "Gate A", "10.0.0.10");
  g_autoptr(GhDevice) twin = make_device ("vth", "Twin", "10.0.0.10");
  g_autoptr(GhDevice) read = NULL;
  g_autoptr(GBytes) secret = g_bytes_new_static ("\x01\x02sealed", 8);
  g_autoptr(GBytes) secret_read = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) vths = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = gh_device_store_add (store, fixture->admin, vto, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_device_get_id (vto), ==, id);

  /* The same address twice is refused, naming the first device. */
  g_assert_cmpint (gh_device_store_add (store, fixture->admin, twin, &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "Gate A"));
  g_clear_error (&error);

  gh_device_set_port (twin, 8080);
  g_assert_cmpint (gh_device_store_add (store, fixture->admin, twin, &error), >, 0);
  g_assert_no_error (error);

  /* Bad values. */
  gh_device_set_kind (twin, "toaster");
  g_assert_false (gh_device_store_update (store, fixture->admin, twin, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  gh_device_set_kind (twin, "vth");
  gh_device_set_host (twin, "http://x/");
  g_assert_false (gh_device_store_update (store, fixture->admin, twin, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  gh_device_set_host (twin, "10.0.0.11");

  gh_device_set_name (twin, "Flat 302");
  g_assert_true (gh_device_store_update (store, fixture->admin, twin, &error));
  g_assert_no_error (error);

  g_assert_true (gh_device_store_set_secret (store, fixture->admin, id, secret, &error));
  secret_read = gh_device_store_get_secret (store, fixture->admin, id, &error);
  g_assert_true (g_bytes_equal (secret, secret_read));
  g_assert_null (gh_device_store_get_secret (store, fixture->guard, id, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  g_assert_true (gh_device_store_set_status (store, fixture->admin, id, "online", 1700000000,
                                             &error));
  g_assert_true (gh_device_store_set_probe_info (store, fixture->admin, id, "VTO2202F", "SN1",
                                                 "4.5", 2, &error));
  g_assert_no_error (error);
  read = gh_device_store_get (store, id, &error);
  g_assert_cmpstr (gh_device_get_status (read), ==, "online");
  g_assert_cmpint (gh_device_get_last_seen (read), ==, 1700000000);
  g_assert_cmpint (gh_device_get_door_count (read), ==, 2);
  g_assert_cmpstr (gh_device_get_model (read), ==, "VTO2202F");

  all = gh_device_store_list (store, NULL);
  vths = gh_device_store_list (store, "vth");
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (vths), ==, 1);

  /* A guard may not change devices. */
  g_assert_false (gh_device_store_remove (store, fixture->guard, id, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  g_assert_true (gh_device_store_remove (store, fixture->admin, id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 1);
  g_assert_false (gh_device_store_remove (store, fixture->admin, id, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
}

static void
test_status_audited_on_change (StoreFixture  *fixture,
                               gconstpointer  data)
{
  g_autoptr(GhDeviceStore) store = gh_device_store_new (fixture->database);
  g_autoptr(GhDevice) vto = make_device ("vto", "Gate A", "10.0.0.10");
  g_autoptr(GhSession) system = gh_session_new_system ("sync");
  g_autoptr(GError) error = NULL;
  gint64 id;
  gint64 before;

  id = gh_device_store_add (store, fixture->admin, vto, &error);
  before = store_test_count (fixture->database, "audit_log");

  g_assert_true (gh_device_store_set_status (store, system, id, "online", 100, &error));
  g_assert_true (gh_device_store_set_status (store, system, id, "online", 200, &error));
  g_assert_true (gh_device_store_set_status (store, system, id, "online", 300, &error));
  g_assert_cmpint (store_test_count (fixture->database, "audit_log"), ==, before + 1);
  g_assert_true (gh_device_store_set_status (store, system, id, "offline", 0, &error));
  g_assert_cmpint (store_test_count (fixture->database, "audit_log"), ==, before + 2);

  g_assert_false (gh_device_store_set_status (store, system, id, "sleepy", 0, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
}

static void
test_https (StoreFixture  *fixture,
            gconstpointer  data)
{
  g_autoptr(GhDeviceStore) store = gh_device_store_new (fixture->database);
  g_autoptr(GhDevice) vto = make_device ("vto", "Gate A", "10.0.0.10");
  g_autoptr(GhDevice) read = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  gint64 before;

  id = gh_device_store_add (store, fixture->admin, vto, &error);
  g_assert_no_error (error);
  read = gh_device_store_get (store, id, &error);
  g_assert_false (gh_device_get_https (read));
  g_clear_object (&read);

  before = store_test_count (fixture->database, "audit_log");
  g_assert_true (gh_device_store_set_https (store, fixture->admin, id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_test_count (fixture->database, "audit_log"), ==, before + 1);
  read = gh_device_store_get (store, id, &error);
  g_assert_true (gh_device_get_https (read));
  g_clear_object (&read);

  /* an update of the other fields keeps the flag */
  gh_device_set_name (vto, "Gate A1");
  g_assert_true (gh_device_store_update (store, fixture->admin, vto, &error));
  read = gh_device_store_get (store, id, &error);
  g_assert_true (gh_device_get_https (read));
  g_clear_object (&read);

  /* a guard may not change it; an unknown device is reported */
  g_assert_false (gh_device_store_set_https (store, fixture->guard, id, FALSE, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (gh_device_store_set_https (store, fixture->admin, id + 100, TRUE, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (gh_device_store_set_https (store, fixture->admin, id, FALSE, &error));
  read = gh_device_store_get (store, id, &error);
  g_assert_false (gh_device_get_https (read));
}

/* A database made before the HTTPS flag keeps its devices, all on plain HTTP. */
static void
test_https_migration (void)
{
  g_autofree char *dir = store_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "gatehouse.db", NULL);
  g_autoptr(GhSession) admin = gh_session_new (1, "alice", GH_ROLE_ADMINISTRATOR, "test");
  g_autoptr(GhDeviceStore) store = NULL;
  g_autoptr(GhDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  const GhMigration *migrations;
  GhDatabase *database;
  guint n, i;
  sqlite3 *db = NULL;

  migrations = gh_migrations_get (&n);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  for (i = 0; i < n && migrations[i].version <= 4; i++)
    g_assert_cmpint (sqlite3_exec (db, migrations[i].sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 4;"
                                 "INSERT INTO devices (kind, name, host, port, username, driver) "
                                 "VALUES ('vto', 'Old gate', '10.0.0.20', 80, 'admin', 'test')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  database = gh_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_database_get_schema_version (database), ==,
                   gh_database_get_latest_version ());
  store = gh_device_store_new (database);
  device = gh_device_store_get (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gh_device_get_name (device), ==, "Old gate");
  g_assert_false (gh_device_get_https (device));
  g_clear_object (&device);
  g_assert_true (gh_device_store_set_https (store, admin, 1, TRUE, &error));
  g_assert_no_error (error);
  device = gh_device_store_get (store, 1, &error);
  g_assert_true (gh_device_get_https (device));

  g_clear_object (&store);
  g_assert_finalize_object (database);
  store_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/device/add-update-remove", StoreFixture, NULL, store_fixture_setup,
              test_add_update_remove, store_fixture_teardown);
  g_test_add ("/store/device/status-audited-on-change", StoreFixture, NULL, store_fixture_setup,
              test_status_audited_on_change, store_fixture_teardown);
  g_test_add ("/store/device/https", StoreFixture, NULL, store_fixture_setup, test_https,
              store_fixture_teardown);
  g_test_add_func ("/store/device/https-migration", test_https_migration);

  return g_test_run ();
}
