/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "gh-demo.h"

#include "gh-builtin-drivers.h"
#include "gh-device-secrets.h"
#include "gh-device-store.h"
#include "gh-driver.h"
#include "gh-error.h"
#include "gh-key-store.h"
#include "gh-session.h"

#include <errno.h>
#include <json.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/*
 * GhDemo: the demo community behind `gatehouse --demo`.
 *
 * It runs `gatehouse-sim --demo` as a child process, reads the line the simulator prints for
 * each device (name, kind, number, address, login) until READY, and seeds a fresh database
 * with those devices and a small community (gh-demo-seed.c). Then it probes every device
 * through the protocol layer, as the app would probe real devices, and stores what they say
 * about themselves. The child is the app's: it is
 * stopped with SIGTERM (then SIGKILL) when the demo ends, and the kernel sends it SIGTERM if
 * the app dies first (PR_SET_PDEATHSIG), so no simulator outlives the app.
 *
 * This file uses GIO, the store and the protocol layer only, so the integration tests run it
 * without a display.
 */

#define STDERR_TAIL_MAX 2048

struct _GhDemo
{
  GObject           parent_instance;

  char             *simulator;     /* (owned) */
  char             *driver;        /* (owned) */
  GSubprocess      *process;       /* (owned) (nullable) */
  GDataInputStream *stdout_lines;  /* (owned) (nullable) */
  GCancellable     *io_cancel;     /* (owned): cancels the pipe reads on stop */
  GTask            *start_task;    /* (owned) (nullable): until READY, failure or timeout */
  gulong            cancel_id;     /* on the start task's cancellable */
  guint             timeout_id;
  GPtrArray        *devices;       /* (owned) (element-type GhDemoDevice) */
  char             *control_url;   /* (owned) (nullable) */
  GString          *stderr_tail;   /* (owned): the last lines the simulator wrote there */
  gboolean          stdout_eof;
  gboolean          stderr_eof;
};

G_DEFINE_FINAL_TYPE (GhDemo, gh_demo, G_TYPE_OBJECT)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_object, json_object_put)

static pid_t parent_pid;

/* Runs in the child between fork and exec: only async-signal-safe calls. */
static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  /* The app may have died before prctl: then nobody would ever stop this child. */
  if (getppid () != parent_pid)
    _exit (1);
}

static char *
dup_stderr_tail (GhDemo *self)
{
  g_autofree char *tail = g_strstrip (g_strdup (self->stderr_tail->str));

  return *tail ? g_steal_pointer (&tail) : NULL;
}

static void
finish_start (GhDemo *self,
              GError *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (task != NULL && self->cancel_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), self->cancel_id);
  self->cancel_id = 0;

  if (task == NULL) {
    g_clear_error (&error);
    return;
  }

  if (error != NULL) {
    gh_demo_stop (self);
    g_task_return_error (task, error);
  } else {
    g_task_return_boolean (task, TRUE);
  }
}

static GError *
exited_error (GhDemo *self)
{
  g_autofree char *tail = dup_stderr_tail (self);

  return g_error_new (GH_ERROR, GH_ERROR_UNREACHABLE,
                      _("The demo simulator (%s) stopped before its devices were ready. Run "
                        "“%s --demo” in a terminal to see why.%s%s"),
                      self->simulator, self->simulator, tail ? "\n\n" : "", tail ? tail : "");
}

static void
stderr_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhDemo) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    return;  /* cancelled by stop */

  if (g_bytes_get_size (bytes) == 0) {
    /* An early exit is reported once both pipes are drained, so the error quotes stderr. */
    self->stderr_eof = TRUE;
    if (self->start_task != NULL && self->stdout_eof)
      finish_start (self, exited_error (self));
    return;
  }

  data = g_bytes_get_data (bytes, &len);
  g_debug ("simulator: %.*s", (int)len, data);
  g_string_append_len (self->stderr_tail, data, len);
  if (self->stderr_tail->len > STDERR_TAIL_MAX)
    g_string_erase (self->stderr_tail, 0, self->stderr_tail->len - STDERR_TAIL_MAX);

  g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 1024, G_PRIORITY_DEFAULT,
                                   self->io_cancel, stderr_read_cb, g_object_ref (self));
}

static void read_next_line (GhDemo *self);

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GhDemo) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize len;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, &len,
                                                     &error);
  if (self->start_task == NULL)
    return;  /* stopped, timed out or cancelled meanwhile */

  if (line == NULL) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      finish_start (self, g_error_new_literal (GH_ERROR, GH_ERROR_CANCELLED,
                                               _("The demo start was cancelled.")));
    else if (error != NULL)
      finish_start (self, g_error_new (GH_ERROR, GH_ERROR_PROTOCOL,
                                       _("Could not read from the demo simulator: %s"),
                                       error->message));
    else {
      /* Reported once stderr is drained too (stderr_read_cb), so the error can quote it. */
      self->stdout_eof = TRUE;
      if (self->stderr_eof)
        finish_start (self, exited_error (self));
    }
    return;
  }

  g_strstrip (line);
  if (g_str_equal (line, "READY")) {
    if (self->devices->len == 0)
      finish_start (self, g_error_new (GH_ERROR, GH_ERROR_PROTOCOL,
                                       _("The demo simulator (%s) announced no devices."),
                                       self->simulator));
    else
      finish_start (self, NULL);
    return;
  }

  if (*line != '\0') {
    g_autoptr(json_object) root = json_tokener_parse (line);
    json_object *control;

    if (root != NULL && json_object_object_get_ex (root, "control", &control)) {
      g_free (self->control_url);
      self->control_url = g_strdup (json_object_get_string (control));
    } else {
      GhDemoDevice *device = gh_demo_parse_device_line (line, self->driver, &error);

      if (device == NULL) {
        finish_start (self, g_steal_pointer (&error));
        return;
      }
      g_ptr_array_add (self->devices, device);
    }
  }

  read_next_line (self);
}

static void
read_next_line (GhDemo *self)
{
  g_data_input_stream_read_line_async (self->stdout_lines, G_PRIORITY_DEFAULT, self->io_cancel,
                                       line_read_cb, g_object_ref (self));
}

static gboolean
start_timeout_cb (gpointer user_data)
{
  GhDemo *self = user_data;

  self->timeout_id = 0;
  finish_start (self, g_error_new (GH_ERROR, GH_ERROR_TIMED_OUT,
                                   _("The demo simulator did not get its devices ready within "
                                     "%u seconds. The computer may be very busy; try again."),
                                   GH_DEMO_START_TIMEOUT_MS / 1000));
  return G_SOURCE_REMOVE;
}

/* The caller's cancellable stops the pipe reads; line_read_cb then fails the start. */
static void
forward_cancel_cb (GCancellable *cancellable,
                   GCancellable *io_cancel)
{
  g_cancellable_cancel (io_cancel);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static gboolean
stop_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
gh_demo_dispose (GObject *object)
{
  GhDemo *self = GH_DEMO (object);

  gh_demo_stop (self);

  G_OBJECT_CLASS (gh_demo_parent_class)->dispose (object);
}

static void
gh_demo_finalize (GObject *object)
{
  GhDemo *self = GH_DEMO (object);

  g_clear_pointer (&self->simulator, g_free);
  g_clear_pointer (&self->driver, g_free);
  g_clear_object (&self->io_cancel);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->control_url, g_free);
  g_string_free (self->stderr_tail, TRUE);

  G_OBJECT_CLASS (gh_demo_parent_class)->finalize (object);
}

static void
gh_demo_class_init (GhDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_demo_dispose;
  object_class->finalize = gh_demo_finalize;
}

static void
gh_demo_init (GhDemo *self)
{
  self->io_cancel = g_cancellable_new ();
  self->devices = g_ptr_array_new_with_free_func ((GDestroyNotify)gh_demo_device_free);
  self->stderr_tail = g_string_new (NULL);
}

/**
 * gh_demo_find_simulator:
 * @error: return location for a %GH_ERROR_NOT_FOUND error
 *
 * Finds `gatehouse-sim`: `$GATEHOUSE_SIM` if set, else the one in the build tree (when
 * running from it), else the installed one next to `gatehouse`, else the one in `$PATH`.
 *
 * Returns: (transfer full): the simulator's path, or %NULL with @error set
 */
char *
gh_demo_find_simulator (GError **error)
{
  const char *env = g_getenv ("GATEHOUSE_SIM");
  g_autofree char *installed = g_build_filename (GH_BINDIR, "gatehouse-sim", NULL);
  char *in_path;

  if (env != NULL && *env != '\0') {
    if (g_file_test (env, G_FILE_TEST_IS_EXECUTABLE) && !g_file_test (env, G_FILE_TEST_IS_DIR))
      return g_strdup (env);

    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("GATEHOUSE_SIM names “%s”, which is not a program. Point it at the "
                   "gatehouse-sim program, or unset it."), env);
    return NULL;
  }

#ifdef GH_SIM_BUILD_PATH
  if (g_file_test (GH_SIM_BUILD_PATH, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (GH_SIM_BUILD_PATH);
#endif

  if (g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&installed);

  in_path = g_find_program_in_path ("gatehouse-sim");
  if (in_path != NULL)
    return in_path;

  g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
               _("The demo needs the device simulator gatehouse-sim, which is not installed "
                 "(looked in %s and $PATH). Install it (build with -Dsim=true), or set "
                 "GATEHOUSE_SIM to its path."), GH_BINDIR);
  return NULL;
}

/**
 * gh_demo_reset_data_dir:
 * @data_dir: the demo's own data folder
 *
 * Removes the demo database (and its journal files) from @data_dir, so the next open makes a
 * fresh one. Other files, such as the folder's key file, stay. The folder is marked as the
 * demo's (%GH_DEMO_MARKER_NAME); a folder that holds a database but not the mark is refused
 * with %GH_ERROR_EXISTS, so `--demo --data-dir` never deletes a real database.
 *
 * Returns: %TRUE when no old database is left
 */
gboolean
gh_demo_reset_data_dir (const char  *data_dir,
                        GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *marker = NULL;
  g_autofree char *database = NULL;

  g_return_val_if_fail (data_dir != NULL, FALSE);

  marker = g_build_filename (data_dir, GH_DEMO_MARKER_NAME, NULL);
  database = g_build_filename (data_dir, GH_DEMO_DATABASE_NAME, NULL);
  if (g_file_test (database, G_FILE_TEST_EXISTS) && !g_file_test (marker, G_FILE_TEST_EXISTS)) {
    g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                 _("“%s” holds a Gatehouse database the demo did not make. The demo starts "
                   "afresh each time and would delete it: give --data-dir an empty folder."),
                 data_dir);
    return FALSE;
  }

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++) {
    g_autofree char *path = g_strconcat (database, suffixes[i], NULL);

    if (g_unlink (path) != 0 && errno != ENOENT) {
      int saved_errno = errno;

      g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                   _("Could not remove the old demo database “%s”: %s. Remove it by hand, or "
                     "start the demo with --data-dir and another folder."),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  }

  return g_file_set_contents_full (marker, "This folder belongs to gatehouse --demo: its "
                                   "database is replaced at every start.\n", -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static char *
dup_member (json_object *root,
            const char  *key)
{
  json_object *value;

  if (!json_object_object_get_ex (root, key, &value) || json_object_is_type (value, json_type_null))
    return NULL;

  return g_strdup (json_object_get_string (value));
}

/**
 * gh_demo_parse_device_line:
 * @line: one device line of `gatehouse-sim --demo` (a JSON object)
 * @driver: the protocol driver to record for the device, unless the line names one
 *
 * Returns: (transfer full): the device, or %NULL with a %GH_ERROR_PROTOCOL error
 */
GhDemoDevice *
gh_demo_parse_device_line (const char  *line,
                           const char  *driver,
                           GError     **error)
{
  g_autoptr(json_object) root = NULL;
  g_autoptr(GhDemoDevice) device = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *http = NULL;
  json_object *doors;

  g_return_val_if_fail (line != NULL, NULL);

  root = json_tokener_parse (line);
  if (root == NULL || !json_object_is_type (root, json_type_object)) {
    g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL,
                 _("The demo simulator printed “%.80s”, which is not a device description."),
                 line);
    return NULL;
  }

  device = gh_demo_device_new ();
  device->name = dup_member (root, "name");
  device->kind = dup_member (root, "kind");
  device->number = dup_member (root, "number");
  device->building = dup_member (root, "building");
  device->unit = dup_member (root, "unit");
  device->driver = dup_member (root, "driver");
  device->username = dup_member (root, "username");
  device->password = dup_member (root, "password");
  device->model = dup_member (root, "model");
  device->serial = dup_member (root, "serial");
  device->firmware = dup_member (root, "firmware");
  if (json_object_object_get_ex (root, "doors", &doors))
    device->doors = json_object_get_int (doors);
  if (device->driver == NULL)
    device->driver = g_strdup (driver);
  http = dup_member (root, "http");

  if (device->name == NULL || device->kind == NULL || device->number == NULL || http == NULL) {
    g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL,
                 _("The demo simulator described a device without name, kind, number or "
                   "address: “%.80s”."), line);
    return NULL;
  }

  uri = g_uri_parse (http, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_port (uri) <= 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL,
                 _("The demo simulator gave device “%s” the address “%s”, which is not "
                   "host:port."), device->name, http);
    return NULL;
  }
  device->host = g_strdup (g_uri_get_host (uri));
  device->port = g_uri_get_port (uri);

  return g_steal_pointer (&device);
}

/**
 * gh_demo_new:
 * @simulator: path of `gatehouse-sim` (see gh_demo_find_simulator())
 * @driver: the protocol driver that talks to the simulator's devices
 *
 * Returns: (transfer full): a demo that is not started yet
 */
GhDemo *
gh_demo_new (const char *simulator,
             const char *driver)
{
  GhDemo *self;

  g_return_val_if_fail (simulator != NULL, NULL);
  g_return_val_if_fail (driver != NULL, NULL);

  self = g_object_new (GH_TYPE_DEMO, NULL);
  self->simulator = g_strdup (simulator);
  self->driver = g_strdup (driver);

  return self;
}

/**
 * gh_demo_start_async:
 *
 * Starts the simulator and reads its devices. Completes when it is READY, when it fails to
 * start or stops early (%GH_ERROR_UNREACHABLE, with what it wrote to stderr), after
 * %GH_DEMO_START_TIMEOUT_MS (%GH_ERROR_TIMED_OUT), or when @cancellable fires; on every
 * failure the child is stopped again.
 */
void
gh_demo_start_async (GhDemo              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  GInputStream *err_stream;

  g_return_if_fail (GH_IS_DEMO (self));
  g_return_if_fail (self->process == NULL && self->start_task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_demo_start_async);
  g_task_set_return_on_cancel (task, FALSE);

  if (g_task_return_error_if_cancelled (task))
    return;

  g_ptr_array_set_size (self->devices, 0);
  g_string_truncate (self->stderr_tail, 0);
  self->stdout_eof = self->stderr_eof = FALSE;
  g_clear_object (&self->io_cancel);
  self->io_cancel = g_cancellable_new ();

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  parent_pid = getpid ();
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  self->process = g_subprocess_launcher_spawn (launcher, &error, self->simulator, "--demo", NULL);
  if (self->process == NULL) {
    g_task_return_new_error (task, GH_ERROR, GH_ERROR_UNREACHABLE,
                             _("Could not start the demo simulator (%s): %s"), self->simulator,
                             error->message);
    return;
  }
  g_debug ("Started %s --demo as process %s", self->simulator,
           g_subprocess_get_identifier (self->process));

  self->start_task = g_steal_pointer (&task);
  self->stdout_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  err_stream = g_subprocess_get_stderr_pipe (self->process);
  g_input_stream_read_bytes_async (err_stream, 1024, G_PRIORITY_DEFAULT, self->io_cancel,
                                   stderr_read_cb, g_object_ref (self));
  read_next_line (self);
  self->timeout_id = g_timeout_add (GH_DEMO_START_TIMEOUT_MS, start_timeout_cb, self);

  if (cancellable != NULL)
    self->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel_cb),
                                             g_object_ref (self->io_cancel), g_object_unref);
}

/**
 * gh_demo_start_finish:
 *
 * Returns: %TRUE when the simulator is running and its devices are known
 */
gboolean
gh_demo_start_finish (GhDemo        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (GH_IS_DEMO (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gh_demo_is_running:
 *
 * Returns: whether the simulator child is running
 */
gboolean
gh_demo_is_running (GhDemo *self)
{
  g_return_val_if_fail (GH_IS_DEMO (self), FALSE);

  return self->process != NULL;
}

/**
 * gh_demo_get_identifier:
 *
 * Returns: (nullable): the simulator's process id as text, or %NULL when it is not running
 */
const char *
gh_demo_get_identifier (GhDemo *self)
{
  g_return_val_if_fail (GH_IS_DEMO (self), NULL);

  return self->process ? g_subprocess_get_identifier (self->process) : NULL;
}

/**
 * gh_demo_get_devices:
 *
 * Returns: (transfer none) (element-type GhDemoDevice): the devices the simulator announced
 */
GPtrArray *
gh_demo_get_devices (GhDemo *self)
{
  g_return_val_if_fail (GH_IS_DEMO (self), NULL);

  return self->devices;
}

/**
 * gh_demo_get_control_url:
 *
 * Returns: (nullable): the simulator's control server (see `gatehouse-sim ctl`)
 */
const char *
gh_demo_get_control_url (GhDemo *self)
{
  g_return_val_if_fail (GH_IS_DEMO (self), NULL);

  return self->control_url;
}

/**
 * gh_demo_seed:
 * @database: a fresh database in the demo's data folder
 *
 * Seeds @database with the simulator's devices and the demo community. Device passwords are
 * sealed with the data folder's key; when no key store is attached yet, the folder's key file
 * is used (the demo's device passwords are public, so the keyring is left alone).
 *
 * Returns: %TRUE on success
 */
gboolean
gh_demo_seed (GhDemo             *self,
              GhDatabase         *database,
              GhDemoSeedSummary  *out_summary,
              GError            **error)
{
  g_autoptr(GhSession) session = NULL;

  g_return_val_if_fail (GH_IS_DEMO (self), FALSE);
  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);

  if (gh_key_store_get_for_database (database) == NULL) {
    g_autofree char *dir = g_path_get_dirname (gh_database_get_path (database));
    g_autoptr(GhKeyStore) keys = gh_key_store_open_full (dir, GH_KEY_STORE_FLAGS_NO_KEYRING, 0,
                                                         error);

    if (keys == NULL || !gh_key_store_attach (keys, database, error))
      return FALSE;
  }

  session = gh_session_new_system ("demo");

  return gh_demo_seed_run (database, session, self->devices, out_summary, error);
}

/**
 * gh_demo_stop:
 *
 * Stops the simulator: SIGTERM, then SIGKILL after %GH_DEMO_STOP_TIMEOUT_MS, and waits until
 * it is gone. A pending start fails with %GH_ERROR_CANCELLED. Safe to call more than once.
 */
void
gh_demo_stop (GhDemo *self)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GSource) timeout = NULL;
  gboolean done = FALSE;
  gboolean timed_out = FALSE;

  g_return_if_fail (GH_IS_DEMO (self));

  g_cancellable_cancel (self->io_cancel);
  g_clear_object (&self->stdout_lines);
  process = g_steal_pointer (&self->process);

  if (self->start_task != NULL)
    finish_start (self, g_error_new_literal (GH_ERROR, GH_ERROR_CANCELLED,
                                             _("The demo was stopped while it started.")));

  if (process == NULL)
    return;

  g_subprocess_send_signal (process, SIGTERM);

  /* Wait on a private context, so nothing else runs meanwhile (this also runs at exit). */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  timeout = g_timeout_source_new (GH_DEMO_STOP_TIMEOUT_MS);
  g_source_set_callback (timeout, stop_timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  while (!done && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);

  if (!done) {
    g_warning ("The demo simulator did not stop within %u s; killing it",
               GH_DEMO_STOP_TIMEOUT_MS / 1000);
    g_subprocess_force_exit (process);
    g_subprocess_wait (process, NULL, NULL);
  }
  g_main_context_pop_thread_default (context);

  g_debug ("Demo simulator stopped");
}

/**
 * gh_demo_dup_default_driver:
 * @error: return location for a %GH_ERROR_NOT_FOUND error
 *
 * The protocol driver the demo's devices speak: the built-in driver, when there is exactly
 * one (the simulator imitates that vendor's devices).
 *
 * Returns: (transfer full): the driver name, or %NULL with @error set
 */
char *
gh_demo_dup_default_driver (GError **error)
{
  g_auto(GStrv) names = NULL;

  gh_builtin_drivers_register ();
  names = gh_driver_registry_list ();
  if (names == NULL || g_strv_length (names) != 1) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The demo needs exactly one built-in device driver, but %u are registered."),
                 names ? g_strv_length (names) : 0);
    return NULL;
  }

  return g_strdup (names[0]);
}

typedef struct {
  GhDatabase    *database;  /* (owned) */
  GhDeviceStore *store;     /* (owned) */
  GhSession     *session;   /* (owned) */
  guint          pending;
  guint          n_online;
} ProbeData;

static void
probe_data_free (ProbeData *data)
{
  g_clear_object (&data->database);
  g_clear_object (&data->store);
  g_clear_object (&data->session);
  g_free (data);
}

static const char *
status_for_error (const GError *error)
{
  if (g_error_matches (error, GH_ERROR, GH_ERROR_AUTH_FAILED))
    return "auth-failed";
  if (g_error_matches (error, GH_ERROR, GH_ERROR_UNREACHABLE) ||
      g_error_matches (error, GH_ERROR, GH_ERROR_TIMED_OUT))
    return "offline";
  return "error";
}

static void
probe_one_done (GTask *task)
{
  ProbeData *data = g_task_get_task_data (task);

  if (--data->pending == 0)
    g_task_return_int (task, data->n_online);
}

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDriver *driver = GH_DRIVER (source);
  ProbeData *data = g_task_get_task_data (task);
  g_autoptr(GhProbeInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = g_ascii_strtoll (gh_driver_get_config (driver)->id, NULL, 10);

  info = gh_driver_probe_finish (driver, result, &error);
  if (info != NULL &&
      gh_device_store_set_probe_info (data->store, data->session, id, info->model, info->serial,
                                      info->firmware, (int)info->door_count, &error) &&
      gh_device_store_set_status (data->store, data->session, id, "online",
                                  g_get_real_time () / G_USEC_PER_SEC, &error)) {
    data->n_online++;
  } else {
    g_autoptr(GError) status_error = NULL;

    g_message ("Demo device %s did not answer the probe: %s", gh_driver_get_config (driver)->id,
               error->message);
    if (!gh_device_store_set_status (data->store, data->session, id, status_for_error (error),
                                     0, &status_error))
      g_warning ("Could not store the demo device's status: %s", status_error->message);
  }

  g_object_unref (driver);
  probe_one_done (task);
}

/**
 * gh_demo_probe_async:
 * @database: the seeded demo database
 *
 * Probes every device of @database through its protocol driver, all at once, and stores the
 * model, serial number, firmware, door count and status each one reports (or "offline",
 * "auth-failed" or "error"). Completes when every device has answered or failed.
 */
void
gh_demo_probe_async (GhDemo              *self,
                     GhDatabase          *database,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GListModel) devices = NULL;
  ProbeData *data;

  g_return_if_fail (GH_IS_DEMO (self));
  g_return_if_fail (GH_IS_DATABASE (database));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_demo_probe_async);
  data = g_new0 (ProbeData, 1);
  data->database = g_object_ref (database);
  data->store = gh_device_store_new (database);
  data->session = gh_session_new_system ("demo");
  g_task_set_task_data (task, data, (GDestroyNotify)probe_data_free);

  gh_builtin_drivers_register ();
  devices = gh_device_store_list (data->store, NULL);
  data->pending = 1;  /* held until every probe is started */

  for (guint i = 0; i < g_list_model_get_n_items (devices); i++) {
    g_autoptr(GhDevice) device = g_list_model_get_item (devices, i);
    g_autoptr(GhDeviceConfig) config = NULL;
    g_autoptr(GError) error = NULL;
    GhDriver *driver = NULL;

    config = gh_device_config_new_for_device (database, data->session, device, &error);
    if (config != NULL)
      driver = gh_driver_new (config, &error);
    if (driver == NULL) {
      g_warning ("Cannot probe demo device %s: %s", gh_device_get_name (device), error->message);
      continue;
    }

    data->pending++;
    gh_driver_probe_async (driver, cancellable, probe_cb, g_object_ref (task));
  }

  probe_one_done (task);
}

/**
 * gh_demo_probe_finish:
 *
 * Returns: how many devices answered the probe (the others are stored with their status)
 */
guint
gh_demo_probe_finish (GhDemo        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  gssize n;

  g_return_val_if_fail (GH_IS_DEMO (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  n = g_task_propagate_int (G_TASK (result), error);

  return n > 0 ? (guint)n : 0;
}
