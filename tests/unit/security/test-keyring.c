/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <sys/stat.h>

#include "gh-error.h"
#include "gh-key-store.h"
#include "security-test-helpers.h"

/*
 * The keyring path, against a real Secret Service: a private session bus (GTestDBus) and a
 * gnome-keyring-daemon started by this test with its own folders and an unlocked login
 * keyring. Skipped when gnome-keyring-daemon is not installed. A separate program from
 * test-key-store because D-Bus and libsecret keep per-process connections.
 */

typedef struct {
  GTestDBus   *bus;
  GSubprocess *daemon;
  char        *home;
} Keyring;

/*
 * Under AddressSanitizer: D-Bus messages that GDBus queued for libsecret's proxies when the
 * daemon was killed mid-test stay behind in GIO's own queues. Only allocations made inside
 * those two libraries are excused; a leak from Gatehouse code is still reported.
 */
const char *__lsan_default_suppressions (void);
const char *__asan_default_options (void);

/* Full stacks through GLib (built without frame pointers), so the suppressions can match. */
const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

const char *
__lsan_default_suppressions (void)
{
  return "leak:libgio-2.0.so\nleak:libsecret-1.so\n";
}

/* Not static, so the compiler keeps the store and leak checkers see the bus as reachable. */
GTestDBus *security_test_stopped_bus;

static gboolean
wait_for_name (GDBusConnection *connection,
               const char      *name,
               gint64           deadline)
{
  while (g_get_monotonic_time () < deadline) {
    g_autoptr(GVariant) reply = NULL;
    gboolean has_owner = FALSE;

    reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                         "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                         "NameHasOwner", g_variant_new ("(s)", name),
                                         G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 1000,
                                         NULL, NULL);
    if (reply != NULL)
      g_variant_get (reply, "(b)", &has_owner);
    if (has_owner)
      return TRUE;
    g_usleep (50 * 1000);
  }

  return FALSE;
}

static gboolean
keyring_up (Keyring *keyring)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autofree char *data = NULL;
  g_autofree char *runtime = NULL;
  GOutputStream *in;

  keyring->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (keyring->bus);

  keyring->home = security_test_make_dir ();
  data = g_build_filename (keyring->home, "data", NULL);
  runtime = g_build_filename (keyring->home, "run", NULL);
  g_assert_cmpint (g_mkdir (data, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (runtime, 0700), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "HOME", keyring->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                g_test_dbus_get_bus_address (keyring->bus), TRUE);
  keyring->daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon",
                                                 "--foreground", "--unlock",
                                                 "--components=secrets", NULL);
  g_assert_no_error (error);

  /* The password of the new login keyring, on stdin. */
  in = g_subprocess_get_stdin_pipe (keyring->daemon);
  g_assert_true (g_output_stream_write_all (in, "test-keyring", 12, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (in, NULL, &error));
  g_assert_no_error (error);

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (keyring->bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);

  return wait_for_name (connection, "org.freedesktop.secrets",
                        g_get_monotonic_time () + 15 * G_USEC_PER_SEC);
}

static void
keyring_stop_daemon (Keyring *keyring)
{
  if (keyring->daemon == NULL)
    return;

  g_subprocess_force_exit (keyring->daemon);
  g_subprocess_wait (keyring->daemon, NULL, NULL);
  g_clear_object (&keyring->daemon);
}

static void
keyring_down (Keyring *keyring)
{
  keyring_stop_daemon (keyring);
  /* libsecret keeps the bus connection in its shared service object (and in the finished
   * calls' contexts), so stop the bus without waiting for the connection to be freed. */
  secret_service_disconnect ();
  g_test_dbus_stop (keyring->bus);
  /* Disposing a GTestDBus waits for that connection too; keep it until the process exits. */
  security_test_stopped_bus = g_steal_pointer (&keyring->bus);
  security_test_remove_dir (keyring->home);
  g_free (keyring->home);
}

static void
test_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeyStore) keys = NULL;
  g_autoptr(GhKeyStore) again = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *opened = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *program = g_find_program_in_path ("gnome-keyring-daemon");
  Keyring keyring = { 0 };
  struct stat st;

  if (program == NULL) {
    g_test_skip ("gnome-keyring-daemon is not installed");
    return;
  }

  if (!keyring_up (&keyring)) {
    keyring_down (&keyring);
    g_test_skip ("gnome-keyring-daemon did not come up on the private bus");
    return;
  }

  dir = security_test_make_dir ();
  key_path = g_build_filename (dir, GH_KEY_STORE_FILE_NAME, NULL);
  marker = g_build_filename (dir, GH_KEY_STORE_MARKER_NAME, NULL);

  keys = gh_key_store_open_full (dir, GH_KEY_STORE_FLAGS_NONE, 10000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_key_store_get_backend (keys), ==, GH_KEY_BACKEND_KEYRING);
  g_assert_cmpstr (gh_key_store_get_backend_name (keys), ==, "keyring");

  /* The key is not on disk; only a 0600 marker says where it is. */
  g_assert_false (g_file_test (key_path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_stat (marker, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  sealed = gh_key_store_seal_secret (keys, "Keyring-Held-5521", &error);
  g_assert_no_error (error);

  /* A second start finds the same key in the keyring. */
  again = gh_key_store_open_full (dir, GH_KEY_STORE_FLAGS_NONE, 10000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_key_store_get_backend (again), ==, GH_KEY_BACKEND_KEYRING);
  g_assert_cmpstr (gh_key_store_get_fingerprint (again), ==, gh_key_store_get_fingerprint (keys));
  opened = gh_key_store_open_secret (again, sealed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, "Keyring-Held-5521");
  g_clear_object (&again);

  /* The keyring goes away: no new key is made behind the user's back. */
  keyring_stop_daemon (&keyring);
  again = gh_key_store_open_full (dir, GH_KEY_STORE_FLAGS_NONE, 2000, &error);
  g_assert_null (again);
  g_assert_nonnull (error);
  g_assert_true (error->domain == GH_ERROR);
  g_assert_true (error->code == GH_ERROR_UNREACHABLE || error->code == GH_ERROR_STORAGE);
  g_assert_false (g_file_test (key_path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_clear_object (&keys);
  security_test_remove_dir (dir);
  keyring_down (&keyring);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/security/keyring/store-and-find", test_keyring);

  return g_test_run ();
}
