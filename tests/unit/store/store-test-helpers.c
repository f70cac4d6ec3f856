/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "store-test-helpers.h"
#include "gh-database-private.h"
#include "gh-device-store.h"
#include "gh-dial-store.h"
#include "gh-org-store.h"

char *
store_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("gh-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
store_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_unlink (path);
  }

  g_rmdir (dir);
}

void
store_fixture_setup (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = store_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "gatehouse.db", NULL);
  fixture->database = gh_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->database);
  fixture->admin = gh_session_new (1, "alice", GH_ROLE_ADMINISTRATOR, "test");
  fixture->guard = gh_session_new (2, "gary", GH_ROLE_GUARD, "test");
}

void
store_fixture_teardown (StoreFixture  *fixture,
                        gconstpointer  data)
{
  g_clear_object (&fixture->admin);
  g_clear_object (&fixture->guard);
  g_assert_finalize_object (fixture->database);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

gint64
store_test_count (GhDatabase *database,
                  const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (gh_database_get_handle (database), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

gint64
store_test_add_device (GhDatabase *database,
                       GhSession  *session,
                       const char *kind,
                       const char *host)
{
  g_autoptr(GhDeviceStore) devices = gh_device_store_new (database);
  g_autoptr(GhDevice) device = gh_device_new ();
  g_autoptr(GError) error = NULL;
  gint64 id;

  gh_device_set_kind (device, kind);
  gh_device_set_name (device, host);
  gh_device_set_host (device, host);
  gh_device_set_driver (device, "test");
  id = gh_device_store_add (devices, session, device, &error);
  g_assert_no_error (error);

  return id;
}

void
community_fixture_setup (CommunityFixture *fixture,
                         gconstpointer     data)
{
  g_autoptr(GhOrgStore) org = NULL;
  g_autoptr(GhDialStore) dial = NULL;
  g_autoptr(GError) error = NULL;
  GhDatabase *database;
  GhSession *admin;
  gint64 community;

  store_fixture_setup (&fixture->base, data);
  database = fixture->base.database;
  admin = fixture->base.admin;
  org = gh_org_store_new (database);
  dial = gh_dial_store_new (database);

  community = gh_org_store_add_node (org, admin, 0, NULL, "Green Gardens", &error);
  fixture->building = gh_org_store_add_node (org, admin, community, "11", "B11", &error);
  fixture->unit = gh_org_store_add_node (org, admin, fixture->building, "01", "U1", &error);
  fixture->room = gh_org_store_add_room (org, admin, fixture->unit, "11", "", &error);
  g_assert_no_error (error);

  fixture->vto = store_test_add_device (database, admin, "vto", "10.0.0.20");
  fixture->vth = store_test_add_device (database, admin, "vth", "10.0.0.30");
  fixture->vts = store_test_add_device (database, admin, "vts", "10.0.0.2");
  gh_dial_store_add_vto (dial, admin, fixture->vto, fixture->unit, "8055", "55", &error);
  gh_dial_store_add_vth (dial, admin, fixture->vth, fixture->room, 5, &error);
  g_assert_no_error (error);
}

void
community_fixture_teardown (CommunityFixture *fixture,
                            gconstpointer     data)
{
  store_fixture_teardown (&fixture->base, data);
}
