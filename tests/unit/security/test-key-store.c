/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "gh-error.h"
#include "gh-key-store.h"
#include "security-test-helpers.h"

static GhKeyStore *
open_store (const char  *dir,
            GError     **error)
{
  return gh_key_store_open_full (dir, GH_KEY_STORE_FLAGS_NONE, 2000, error);
}

static void
test_file_fallback (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = security_test_make_dir ();
  g_autofree char *key_path = g_build_filename (dir, GH_KEY_STORE_FILE_NAME, NULL);
  g_autoptr(GhKeyStore) first = NULL;
  g_autoptr(GhKeyStore) second = NULL;
  const guint8 *secret_key, *audit_key;
  gsize secret_len, audit_len;
  struct stat st;
  gint64 start = g_get_monotonic_time ();

  first = open_store (dir, &error);
  g_assert_no_error (error);
  /* The bus address points nowhere: no hang, file fallback. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (gh_key_store_get_backend (first), ==, GH_KEY_BACKEND_FILE);
  g_assert_cmpstr (gh_key_store_get_backend_name (first), ==, "file");

  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  secret_key = gh_key_store_get_secret_key (first, &secret_len);
  audit_key = gh_key_store_get_audit_key (first, &audit_len);
  g_assert_cmpuint (secret_len, ==, 32);
  g_assert_cmpuint (audit_len, ==, 32);
  /* Two different working keys from one master. */
  g_assert_true (memcmp (secret_key, audit_key, 32) != 0);
  g_assert_cmpuint (strlen (gh_key_store_get_fingerprint (first)), ==, 16);

  second = open_store (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gh_key_store_get_fingerprint (first), ==,
                   gh_key_store_get_fingerprint (second));
  g_assert_cmpmem (secret_key, 32, gh_key_store_get_secret_key (second, NULL), 32);
  g_assert_cmpmem (audit_key, 32, gh_key_store_get_audit_key (second, NULL), 32);

  g_clear_object (&first);
  g_clear_object (&second);
  security_test_remove_dir (dir);
}

static void
test_file_permissions (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = security_test_make_dir ();
  g_autofree char *key_path = g_build_filename (dir, GH_KEY_STORE_FILE_NAME, NULL);
  g_autoptr(GhKeyStore) keys = NULL;
  const int modes[] = { 0644, 0640, 0604, 0660, 0606, 0700 };

  keys = open_store (dir, &error);
  g_assert_no_error (error);
  g_clear_object (&keys);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++) {
    g_assert_cmpint (g_chmod (key_path, modes[i]), ==, 0);
    keys = open_store (dir, &error);
    if (modes[i] == 0700) {
      /* Owner-only execute bit is odd but leaks nothing. */
      g_assert_no_error (error);
      g_clear_object (&keys);
      continue;
    }
    g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
    g_assert_null (keys);
    g_assert_nonnull (strstr (error->message, "chmod 600"));
    g_clear_error (&error);
  }

  /* Fixing the mode makes the same key usable again. */
  g_assert_cmpint (g_chmod (key_path, 0600), ==, 0);
  keys = open_store (dir, &error);
  g_assert_no_error (error);

  g_clear_object (&keys);
  security_test_remove_dir (dir);
}

static void
test_file_damaged (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = security_test_make_dir ();
  g_autofree char *key_path = g_build_filename (dir, GH_KEY_STORE_FILE_NAME, NULL);
  g_autofree char *elsewhere = g_build_filename (dir, "elsewhere", NULL);
  g_autoptr(GhKeyStore) keys = NULL;
  const char *bad[] = {
    "",
    "gatehouse-key-v1\n",
    "gatehouse-key-v1\nnot base64 at all!\n",
    "gatehouse-key-v1\nAAAA\n",
    "something-else\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_unlink (key_path);
    g_assert_true (g_file_set_contents_full (key_path, bad[i], -1, G_FILE_SET_CONTENTS_NONE,
                                             0600, NULL));
    keys = open_store (dir, &error);
    g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
    g_assert_null (keys);
    g_clear_error (&error);
  }

  /* A symbolic link in place of the key file is refused, not followed. */
  g_unlink (key_path);
  g_assert_true (g_file_set_contents_full (elsewhere, "x", -1, G_FILE_SET_CONTENTS_NONE, 0600,
                                           NULL));
  g_assert_cmpint (symlink (elsewhere, key_path), ==, 0);
  keys = open_store (dir, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
  g_assert_null (keys);
  g_clear_error (&error);

  security_test_remove_dir (dir);
}

static void
test_missing_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeyStore) keys = NULL;

  keys = open_store ("/nonexistent-gatehouse-dir/data", &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
  g_assert_null (keys);
}

/* The marker says the key is in the keyring: an unreachable keyring must not make a new key. */
static void
test_keyring_marker (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = security_test_make_dir ();
  g_autofree char *marker = g_build_filename (dir, GH_KEY_STORE_MARKER_NAME, NULL);
  g_autofree char *key_path = g_build_filename (dir, GH_KEY_STORE_FILE_NAME, NULL);
  g_autoptr(GhKeyStore) keys = NULL;

  g_assert_true (g_file_set_contents (marker, "keyring\n", -1, NULL));

  keys = open_store (dir, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_UNREACHABLE);
  g_assert_null (keys);
  g_assert_false (g_file_test (key_path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  keys = gh_key_store_open_full (dir, GH_KEY_STORE_FLAGS_NO_KEYRING, 2000, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_UNREACHABLE);
  g_assert_null (keys);
  g_clear_error (&error);

  security_test_remove_dir (dir);
}

static void
test_seal_secret (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir1 = security_test_make_dir ();
  g_autofree char *dir2 = security_test_make_dir ();
  g_autoptr(GhKeyStore) one = NULL;
  g_autoptr(GhKeyStore) two = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) sealed_again = NULL;
  g_autofree char *opened = NULL;
  g_autofree char *wrong = NULL;
  const char *secret = "Door-Pass-4711";
  gsize len;
  const guint8 *data;

  one = open_store (dir1, &error);
  g_assert_no_error (error);
  two = open_store (dir2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gh_key_store_get_fingerprint (one), !=, gh_key_store_get_fingerprint (two));

  sealed = gh_key_store_seal_secret (one, secret, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (sealed, &len);
  g_assert_false (security_test_contains (data, len, secret));

  /* A fresh nonce every time. */
  sealed_again = gh_key_store_seal_secret (one, secret, &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (sealed, sealed_again));

  opened = gh_key_store_open_secret (one, sealed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, secret);

  wrong = gh_key_store_open_secret (two, sealed, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_assert_null (wrong);

  g_clear_object (&one);
  g_clear_object (&two);
  security_test_remove_dir (dir1);
  security_test_remove_dir (dir2);
}

static void
test_attach_other_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir1 = security_test_make_dir ();
  g_autofree char *dir2 = security_test_make_dir ();
  g_autofree char *path = g_build_filename (dir1, "gatehouse.db", NULL);
  g_autoptr(GhKeyStore) own = NULL;
  g_autoptr(GhKeyStore) other = NULL;
  g_autoptr(GhDatabase) database = NULL;

  own = open_store (dir1, &error);
  g_assert_no_error (error);
  other = open_store (dir2, &error);
  g_assert_no_error (error);

  database = gh_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (gh_key_store_attach (own, database, &error));
  g_assert_no_error (error);
  g_assert_true (gh_key_store_get_for_database (database) == own);
  g_assert_finalize_object (g_steal_pointer (&database));

  database = gh_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_null (gh_key_store_get_for_database (database));
  g_assert_false (gh_key_store_attach (other, database, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, gh_key_store_get_fingerprint (own)));
  g_assert_null (gh_key_store_get_for_database (database));
  g_clear_error (&error);

  g_assert_true (gh_key_store_attach (own, database, &error));
  g_assert_no_error (error);

  g_assert_finalize_object (g_steal_pointer (&database));
  g_clear_object (&own);
  g_clear_object (&other);
  security_test_remove_dir (dir1);
  security_test_remove_dir (dir2);
}

static gpointer
open_in_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  GhKeyStore *keys = open_store (data, &error);

  if (keys == NULL)
    g_printerr ("open failed: %s\n", error->message);
  return keys;
}

/* Several programs start on a new folder at once: they all end up with one key. */
static void
test_concurrent_first_start (void)
{
  g_autofree char *dir = security_test_make_dir ();
  GThread *threads[6];
  GhKeyStore *keys[G_N_ELEMENTS (threads)];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("open", open_in_thread, dir);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    keys[i] = g_thread_join (threads[i]);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++) {
    g_assert_nonnull (keys[i]);
    g_assert_cmpstr (gh_key_store_get_fingerprint (keys[i]), ==,
                     gh_key_store_get_fingerprint (keys[0]));
  }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_object_unref (keys[i]);

  security_test_remove_dir (dir);
}

/*
 * A "bus" that accepts connections (the kernel queues them) and never says a word: the D-Bus
 * handshake stalls, and the key store must give up after its time-out and use the file.
 * This test runs last: the stalled connection stays stuck in this process.
 */
static void
test_keyring_hangs (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = security_test_make_dir ();
  g_autofree char *sock_path = g_build_filename (dir, "silent-bus", NULL);
  g_autofree char *address = g_strdup_printf ("unix:path=%s", sock_path);
  g_autoptr(GhKeyStore) keys = NULL;
  struct sockaddr_un sun = { .sun_family = AF_UNIX };
  gint64 start, elapsed;
  int fd;

  fd = socket (AF_UNIX, SOCK_STREAM, 0);
  g_assert_cmpint (fd, >=, 0);
  g_strlcpy (sun.sun_path, sock_path, sizeof sun.sun_path);
  g_assert_cmpint (bind (fd, (struct sockaddr *)&sun, sizeof sun), ==, 0);
  g_assert_cmpint (listen (fd, 16), ==, 0);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  start = g_get_monotonic_time ();
  keys = gh_key_store_open_full (dir, GH_KEY_STORE_FLAGS_NONE, 700, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_cmpint (gh_key_store_get_backend (keys), ==, GH_KEY_BACKEND_FILE);
  g_assert_cmpint (elapsed, >=, 600 * 1000);
  g_assert_cmpint (elapsed, <, 10 * G_USEC_PER_SEC);

  close (fd);
  g_clear_object (&keys);
  security_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  security_test_init (&argc, &argv);

  g_test_add_func ("/security/key-store/file-fallback", test_file_fallback);
  g_test_add_func ("/security/key-store/file-permissions", test_file_permissions);
  g_test_add_func ("/security/key-store/file-damaged", test_file_damaged);
  g_test_add_func ("/security/key-store/missing-dir", test_missing_dir);
  g_test_add_func ("/security/key-store/keyring-marker", test_keyring_marker);
  g_test_add_func ("/security/key-store/seal-secret", test_seal_secret);
  g_test_add_func ("/security/key-store/attach-other-key", test_attach_other_key);
  g_test_add_func ("/security/key-store/concurrent-first-start", test_concurrent_first_start);
  g_test_add_func ("/security/key-store/keyring-hangs", test_keyring_hangs);

  return g_test_run ();
}
