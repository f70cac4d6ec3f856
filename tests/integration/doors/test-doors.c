/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-doors"

#include "config.h"

#include <string.h>

#include "gh-audit-log.h"
#include "gh-audit-store.h"
#include "gh-builtin-drivers.h"
#include "gh-call-service.h"
#include "gh-device-secrets.h"
#include "gh-device-store.h"
#include "gh-door-service.h"
#include "gh-driver.h"
#include "gh-error.h"
#include "gh-key-store.h"
#include "sim-test-util.h"

/* The door and call services against gatehouse-sim: the role check comes before the device is touched,
 * the simulated relay really moves, and every attempt past the role check is in the audit log
 * (whose chain must still verify). The last test runs the real gatehousectl. Doors are held
 * open for a minute so a test can see the state it caused. */

#define COMMUNITY \
  "{\"defaults\":{\"username\":\"admin\",\"password\":\"admin123\",\"unlock_hold_ms\":60000," \
  "\"ring_timeout_ms\":60000}," \
  "\"devices\":[" \
  "{\"name\":\"VTO-A\",\"kind\":\"vto\",\"number\":\"8001\",\"doors\":2}," \
  "{\"name\":\"VTO-B\",\"kind\":\"vto\",\"number\":\"8002\",\"doors\":1}," \
  "{\"name\":\"VTH-1101\",\"kind\":\"vth\",\"number\":\"1101\"}" \
  "]}"

#define CLI_ADMIN    "chief"
#define CLI_ADMIN_PW "Gatehouse-Test-Pw9"
#define CLI_GUARD_PW "Guard-Duty-Pw42"

static SimProc *sim;
static char *dir;
static GhDatabase *database;
static GhSession *admin;
static gint64 vto_a, offline;

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Wait;

static guint16
sim_port (const char *device)
{
  g_autoptr(GUri) uri = g_uri_parse (sim_http (sim, device), G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return (guint16) g_uri_get_port (uri);
}

static gint64
add_device (const char *name,
            guint16     port,
            int         doors)
{
  g_autoptr(GhDeviceStore) store = gh_device_store_new (database);
  g_autoptr(GhDevice) device = gh_device_new ();
  g_auto(GStrv) drivers = gh_driver_registry_list ();
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert_cmpuint (g_strv_length (drivers), >=, 1);
  gh_device_set_kind (device, "vto");
  gh_device_set_name (device, name);
  gh_device_set_host (device, "127.0.0.1");
  gh_device_set_port (device, port);
  gh_device_set_username (device, "admin");
  gh_device_set_driver (device, drivers[0]);
  id = gh_device_store_add (store, admin, device, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (gh_device_secrets_set (database, admin, id, "admin123", &error));
  g_assert_no_error (error);
  g_assert_true (gh_device_store_set_probe_info (store, admin, id, "sim", name, "1", doors,
                                                 &error));
  g_assert_no_error (error);
  return id;
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Wait *w = user_data;

  g_assert_null (source);
  w->ok = gh_door_service_run_finish (result, &w->error);
  w->done = TRUE;
}

static gboolean
run_door (GhSession     *session,
          gint64         device,
          guint          door,
          GhDoorAction   action,
          GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  Wait w = { 0 };

  gh_door_service_run_async (database, session, device, door, action, NULL, run_cb, &w);
  while (!w.done) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_main_context_iteration (NULL, TRUE);
  }
  g_assert_true (w.ok == (w.error == NULL));
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.ok;
}

static const char *
door_state (const char *device,
            guint       door)
{
  static char buf[16];
  g_autoptr(json_object) state = sim_state (sim, device);
  json_object *doors = NULL;

  g_assert_nonnull (state);
  g_assert_true (json_object_object_get_ex (state, "doors", &doors));
  g_strlcpy (buf, json_object_get_string (json_object_array_get_idx (doors, door)), sizeof buf);
  return buf;
}

static GPtrArray *
audit_entries (void)
{
  g_autoptr(GhAuditStore) audit = gh_audit_store_new (database);
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = gh_audit_store_list (audit, admin, 0, 1000, &error);

  g_assert_no_error (error);
  return entries;
}

static void
assert_chain_intact (void)
{
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  gint64 broken = -1;

  g_assert_true (gh_audit_log_verify (database, admin, &n, &broken, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, >, 0);
}

static void
test_guard_opens (void)
{
  g_autoptr(GhSession) guard = gh_session_new (7, "gate", GH_ROLE_GUARD, "intercom-desk");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *object = g_strdup_printf ("%" G_GINT64_FORMAT ":0", vto_a);
  GhAuditEntry *newest;

  g_assert_cmpstr (door_state ("VTO-A", 0), ==, "Close");
  g_assert_true (run_door (guard, vto_a, 0, GH_DOOR_ACTION_OPEN, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (door_state ("VTO-A", 0), ==, "Open");
  g_assert_cmpstr (door_state ("VTO-A", 1), ==, "Close");

  entries = audit_entries ();
  newest = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (newest->action, ==, "door.open");
  g_assert_cmpstr (newest->operator_name, ==, "gate");
  g_assert_cmpstr (newest->surface, ==, "intercom-desk");
  g_assert_cmpstr (newest->object_type, ==, "door");
  g_assert_cmpstr (newest->object_id, ==, object);
  g_assert_nonnull (strstr (newest->detail, "VTO-A door 1"));
  g_assert_cmpint (newest->ts, >, 0);
  assert_chain_intact ();

  /* Closing again is a door action of its own in the log. */
  g_assert_true (run_door (guard, vto_a, 0, GH_DOOR_ACTION_CLOSE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (door_state ("VTO-A", 0), ==, "Close");
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = audit_entries ();
  newest = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (newest->action, ==, "door.close");
  g_assert_cmpstr (newest->object_id, ==, object);
  assert_chain_intact ();
}

static void
test_roles_refused (void)
{
  static const GhRole refused[] = { GH_ROLE_OPERATOR, GH_ROLE_INSTALLER };
  g_autoptr(GPtrArray) before = audit_entries ();

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++) {
    g_autoptr(GhSession) session = gh_session_new (8 + i, "clerk", refused[i], "intercom-desk");
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) after = NULL;

    g_assert_false (run_door (session, vto_a, 1, GH_DOOR_ACTION_OPEN, &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
    g_assert_nonnull (strstr (error->message, "Guard"));
    g_assert_cmpstr (door_state ("VTO-A", 1), ==, "Close");

    /* A refused attempt touched nothing: no device request, no audit entry. */
    after = audit_entries ();
    g_assert_cmpuint (after->len, ==, before->len);
  }
  assert_chain_intact ();
}

static void
test_bad_door_and_device (void)
{
  g_autoptr(GhSession) guard = gh_session_new (7, "gate", GH_ROLE_GUARD, "intercom-desk");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GhAuditEntry *newest;

  g_assert_false (run_door (guard, vto_a, 5, GH_DOOR_ACTION_OPEN, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "2 doors"));
  g_clear_error (&error);

  g_assert_false (run_door (guard, 99999, 0, GH_DOOR_ACTION_OPEN, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  entries = audit_entries ();
  newest = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (newest->action, ==, "door.open-failed");
  g_assert_cmpstr (newest->object_id, ==, "99999:0");
  assert_chain_intact ();
}

static void
test_offline_device (void)
{
  g_autoptr(GhSession) guard = gh_session_new (7, "gate", GH_ROLE_GUARD, "intercom-desk");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *object = g_strdup_printf ("%" G_GINT64_FORMAT ":0", offline);
  GhAuditEntry *newest;

  g_assert_false (run_door (guard, offline, 0, GH_DOOR_ACTION_ALWAYS_OPEN, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == GH_ERROR);
  g_assert_cmpint (error->code, !=, GH_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "Offline"));

  entries = audit_entries ();
  newest = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (newest->action, ==, "door.always-open-failed");
  g_assert_cmpstr (newest->operator_name, ==, "gate");
  g_assert_cmpstr (newest->surface, ==, "intercom-desk");
  g_assert_cmpstr (newest->object_id, ==, object);
  g_assert_cmpstr (newest->detail, ==, error->message);

  g_clear_error (&error);
  g_assert_false (run_door (guard, offline, 0, GH_DOOR_ACTION_OPEN, &error));
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = audit_entries ();
  newest = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (newest->action, ==, "door.open-failed");
  g_assert_nonnull (strstr (newest->detail, error->message));
  assert_chain_intact ();
}

/* ---- calls ---- */

static void
call_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = gh_call_service_run_finish (result, &w->error);
  w->done = TRUE;
}

static gboolean
run_call (GhSession     *session,
          gint64         device,
          GhCallAction   action,
          GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  Wait w = { 0 };

  gh_call_service_run_async (database, session, device, action, NULL, "1101", NULL, call_cb,
                             &w);
  while (!w.done) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_main_context_iteration (NULL, TRUE);
  }
  g_assert_true (w.ok == (w.error == NULL));
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.ok;
}

static char *
call_state (const char *device)
{
  g_autoptr(json_object) state = sim_state (sim, device);
  json_object *value = NULL;

  g_assert_nonnull (state);
  g_assert_true (json_object_object_get_ex (state, "call_state", &value));
  return g_strdup (json_object_get_string (value));
}

static void
ring (void)
{
  g_autoptr(json_object) reply = NULL;
  g_autofree char *state = NULL;
  long status = 0;

  reply = sim_ctl (sim, "VTO-A", "ring", "{\"room\":\"1101\"}", &status);
  g_assert_cmpint (status, ==, 200);
  state = call_state ("VTO-A");
  g_assert_cmpstr (state, ==, "Ringing");
}

static GhAuditEntry *
newest_entry (GPtrArray **entries)
{
  g_clear_pointer (entries, g_ptr_array_unref);
  *entries = audit_entries ();
  g_assert_cmpuint ((*entries)->len, >, 0);
  return g_ptr_array_index (*entries, 0);
}

static void
test_calls (void)
{
  g_autoptr(GhSession) guard = gh_session_new (7, "gate", GH_ROLE_GUARD, "intercom-desk");
  g_autoptr(GhSession) clerk = gh_session_new (9, "clerk", GH_ROLE_OPERATOR, "intercom-desk");
  g_autofree char *object = g_strdup_printf ("device:%" G_GINT64_FORMAT, vto_a);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  GhAuditEntry *newest;
  guint n_before;
  char *state;

  /* A Guard answers, then hangs up. */
  ring ();
  g_assert_true (run_call (guard, vto_a, GH_CALL_ACTION_ANSWER, &error));
  g_assert_no_error (error);
  state = call_state ("VTO-A");
  g_assert_cmpstr (state, ==, "Talking");
  g_free (state);
  newest = newest_entry (&entries);
  g_assert_cmpstr (newest->action, ==, "call.answered");
  g_assert_cmpstr (newest->operator_name, ==, "gate");
  g_assert_cmpstr (newest->surface, ==, "intercom-desk");
  g_assert_cmpstr (newest->object_type, ==, "call");
  g_assert_cmpstr (newest->object_id, ==, object);
  g_assert_nonnull (strstr (newest->detail, "1101"));
  g_assert_true (run_call (guard, vto_a, GH_CALL_ACTION_HANG_UP, &error));
  g_assert_no_error (error);
  state = call_state ("VTO-A");
  g_assert_cmpstr (state, ==, "Idle");
  g_free (state);
  g_assert_cmpstr (newest_entry (&entries)->action, ==, "call.ended");

  /* An Operator may not take the call: it keeps ringing and nothing is logged. */
  ring ();
  n_before = entries->len;
  g_assert_false (run_call (clerk, vto_a, GH_CALL_ACTION_ANSWER, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "Guard"));
  g_clear_error (&error);
  state = call_state ("VTO-A");
  g_assert_cmpstr (state, ==, "Ringing");
  g_free (state);
  newest_entry (&entries);
  g_assert_cmpuint (entries->len, ==, n_before);

  /* The Guard rejects it. */
  g_assert_true (run_call (guard, vto_a, GH_CALL_ACTION_REJECT, &error));
  g_assert_no_error (error);
  state = call_state ("VTO-A");
  g_assert_cmpstr (state, ==, "Idle");
  g_free (state);
  g_assert_cmpstr (newest_entry (&entries)->action, ==, "call.rejected");

  /* An unreachable station: the error comes back and the attempt is logged. */
  g_assert_false (run_call (guard, offline, GH_CALL_ACTION_ANSWER, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (error->code, !=, GH_ERROR_PERMISSION_DENIED);
  newest = newest_entry (&entries);
  g_assert_cmpstr (newest->action, ==, "call.answer-failed");
  g_assert_cmpstr (newest->operator_name, ==, "gate");
  g_assert_cmpstr (newest->detail, ==, error->message);
  assert_chain_intact ();
}

/* ---- gatehousectl ---- */

static int
ctl (const char  *data_dir,
     const char  *user,
     const char  *password,
     char       **out_stdout,
     char       **out_stderr,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("GATEHOUSECTL"));
  g_assert_nonnull (argv->pdata[0]);
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) data_dir);
  va_start (ap, out_stderr);
  for (arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "GATEHOUSE_NO_KEYRING", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GATEHOUSE_DEVICE_PASSWORD", "admin123", TRUE);
  g_subprocess_launcher_setenv (launcher, "GATEHOUSE_NEW_PASSWORD", CLI_GUARD_PW, TRUE);
  if (user != NULL)
    g_subprocess_launcher_setenv (launcher, "GATEHOUSE_USER", user, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "GATEHOUSE_USER");
  g_subprocess_launcher_setenv (launcher, "GATEHOUSE_PASSWORD", password, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out_stdout, out_stderr, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

#define CTL_OK(...) \
  G_STMT_START { \
    g_autofree char *_o = NULL, *_e = NULL; \
    int _s = ctl (__VA_ARGS__, NULL); \
    if (_s != 0) \
      g_error ("gatehousectl failed (%d):\n%s\n%s", _s, _o ? _o : "", _e ? _e : ""); \
  } G_STMT_END

static json_object *
find_entry (const char *jsonl,
            const char *action,
            const char *operator)
{
  g_auto(GStrv) lines = g_strsplit (jsonl, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++) {
    json_object *obj = *lines[i] ? json_tokener_parse (lines[i]) : NULL;

    if (obj != NULL &&
        g_strcmp0 (json_object_get_string (json_object_object_get (obj, "action")), action) == 0 &&
        g_strcmp0 (json_object_get_string (json_object_object_get (obj, "operator")),
                   operator) == 0)
      return obj;
    g_clear_pointer (&obj, json_object_put);
  }
  return NULL;
}

static void
test_cli_door_open (void)
{
  g_autofree char *data_dir = g_build_filename (dir, "cli", NULL);
  g_autofree char *port = g_strdup_printf ("%u", sim_port ("VTO-B"));
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(json_object) entry = NULL;
  int status;

  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);
  CTL_OK (data_dir, NULL, CLI_ADMIN_PW, &_o, &_e, "operator", "init", "--user", CLI_ADMIN);
  CTL_OK (data_dir, CLI_ADMIN, CLI_ADMIN_PW, &_o, &_e, "device", "add", "VTO-B", "--kind", "vto",
          "--host", "127.0.0.1", "--port", port);
  CTL_OK (data_dir, CLI_ADMIN, CLI_ADMIN_PW, &_o, &_e, "device", "probe", "VTO-B");
  CTL_OK (data_dir, CLI_ADMIN, CLI_ADMIN_PW, &_o, &_e, "operator", "add", "gate", "--role",
          "guard");
  CTL_OK (data_dir, CLI_ADMIN, CLI_ADMIN_PW, &_o, &_e, "operator", "add", "clerk", "--role",
          "operator");

  /* An Operator is refused with a message, and the relay stays shut. */
  status = ctl (data_dir, "clerk", CLI_GUARD_PW, &out, &err, "door", "open", "VTO-B", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "Guard"));
  g_assert_cmpstr (door_state ("VTO-B", 0), ==, "Close");

  CTL_OK (data_dir, "gate", CLI_GUARD_PW, &_o, &_e, "door", "open", "VTO-B");
  g_assert_cmpstr (door_state ("VTO-B", 0), ==, "Open");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = ctl (data_dir, CLI_ADMIN, CLI_ADMIN_PW, &out, &err, "audit", "export", "--format",
                "jsonl", NULL);
  g_assert_cmpint (status, ==, 0);
  entry = find_entry (out, "door.open", "gate");
  if (entry == NULL)
    g_error ("no door.open entry by gate in:\n%s", out);
  g_assert_cmpstr (json_object_get_string (json_object_object_get (entry, "surface")), ==,
                   "cli");
  g_assert_cmpstr (json_object_get_string (json_object_object_get (entry, "object_type")), ==,
                   "door");
  g_assert_true (g_str_has_suffix (json_object_get_string (json_object_object_get (entry,
                                                                                   "object_id")),
                                   ":0"));
  g_assert_null (find_entry (out, "door.open", "clerk"));
  g_assert_null (find_entry (out, "door.open-failed", "clerk"));

  CTL_OK (data_dir, CLI_ADMIN, CLI_ADMIN_PW, &_o, &_e, "audit", "verify");
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL &&
         g_file_enumerator_iterate (children, &info, NULL, NULL, NULL) && info != NULL) {
    g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

    remove_tree (child);
  }
  g_file_delete (file, NULL, NULL);
}

static guint16
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GhKeyStore) keys = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  gh_builtin_drivers_register ();

  sim = sim_proc_start (COMMUNITY, NULL);
  dir = g_dir_make_tmp ("gh-doors-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (dir, "gatehouse.db", NULL);
  keys = gh_key_store_open_full (dir, GH_KEY_STORE_FLAGS_NO_KEYRING, 0, &error);
  g_assert_no_error (error);
  database = gh_key_store_open_database (keys, db_path, &error);
  g_assert_no_error (error);
  admin = gh_session_new (1, "admin", GH_ROLE_ADMINISTRATOR, "test");
  vto_a = add_device ("VTO-A", sim_port ("VTO-A"), 2);
  offline = add_device ("Offline", free_port (), 1);

  g_test_add_func ("/doors/guard-opens", test_guard_opens);
  g_test_add_func ("/doors/roles-refused", test_roles_refused);
  g_test_add_func ("/doors/bad-door-and-device", test_bad_door_and_device);
  g_test_add_func ("/doors/offline-device", test_offline_device);
  g_test_add_func ("/doors/calls", test_calls);
  g_test_add_func ("/doors/cli-door-open", test_cli_door_open);
  status = g_test_run ();

  g_clear_object (&admin);
  g_clear_object (&database);
  sim_proc_stop (sim);
  {
    g_autoptr(GFile) top = g_file_new_for_path (dir);

    remove_tree (top);
    g_free (dir);
  }
  return status;
}
