/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "store-test-helpers.h"
#include "gh-database-private.h"

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
