/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "security-test-helpers.h"
#include "gh-database-private.h"

/*
 * Tests never reach a real keyring: the session bus address points at a socket that does not
 * exist, so libsecret fails at once and the key store falls back to the 0600 key file.
 */
void
security_test_init (int    *argc,
                    char ***argv)
{
  g_autofree char *address = NULL;
  g_autofree char *nobus = g_build_filename (g_get_tmp_dir (), "gh-security-no-such-bus", NULL);

  address = g_strdup_printf ("unix:path=%s", nobus);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  g_test_init (argc, argv, NULL);
}

char *
security_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("gh-security-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
security_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);

    if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
      security_test_remove_dir (path);
    else
      g_unlink (path);
  }

  g_rmdir (dir);
}

static void
open_database (SecurityFixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->keys = gh_key_store_open_full (fixture->dir, GH_KEY_STORE_FLAGS_NONE, 2000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_key_store_get_backend (fixture->keys), ==, GH_KEY_BACKEND_FILE);

  fixture->database = gh_database_open (fixture->path, &error);
  g_assert_no_error (error);
  gh_key_store_attach (fixture->keys, fixture->database, &error);
  g_assert_no_error (error);
}

void
security_fixture_setup (SecurityFixture *fixture,
                        gconstpointer    data)
{
  fixture->dir = security_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "gatehouse.db", NULL);
  fixture->system = gh_session_new_system ("test");
  open_database (fixture);
}

/* Closes and opens the database and keys again, as a restart of the app would. */
void
security_fixture_reopen (SecurityFixture *fixture)
{
  g_assert_finalize_object (fixture->database);
  g_assert_finalize_object (fixture->keys);
  fixture->database = NULL;
  fixture->keys = NULL;
  open_database (fixture);
}

void
security_fixture_teardown (SecurityFixture *fixture,
                           gconstpointer    data)
{
  g_clear_object (&fixture->system);
  if (fixture->database != NULL)
    g_assert_finalize_object (fixture->database);
  if (fixture->keys != NULL)
    g_assert_finalize_object (fixture->keys);
  security_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

gint64
security_test_count (GhDatabase *database,
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

/* Where @needle's bytes first occur in @haystack (binary-safe), or NULL. */
guint8 *
security_test_find (gconstpointer  haystack,
                    gsize          len,
                    const char    *needle)
{
  const guint8 *hay = haystack;
  gsize n = strlen (needle);

  if (n == 0 || n > len)
    return NULL;

  for (gsize i = 0; i + n <= len; i++) {
    if (hay[i] == (guint8)needle[0] && memcmp (hay + i, needle, n) == 0)
      return (guint8 *)hay + i;
  }

  return NULL;
}

gboolean
security_test_contains (gconstpointer  haystack,
                        gsize          len,
                        const char    *needle)
{
  return security_test_find (haystack, len, needle) != NULL;
}
