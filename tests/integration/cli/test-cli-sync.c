/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The whole path through gatehousectl and gatehouse-sim: persons imported with cards reach a
 * door station by sync and open it; a room's unlock password opens it with the keypad code; a
 * device that is away during a sync gets its pushes once it is back. */
#include "cli-test-helpers.h"

#include <string.h>

#define COMMUNITY \
  "{\"defaults\":{\"username\":\"admin\",\"password\":\"admin123\",\"unlock_hold_ms\":300}," \
  "\"devices\":[" \
  "{\"name\":\"VTO-A\",\"kind\":\"vto\",\"number\":\"8001\",\"doors\":2}," \
  "{\"name\":\"VTO-B\",\"kind\":\"vto\",\"number\":\"8002\",\"doors\":1}," \
  "{\"name\":\"VTH-1\",\"kind\":\"vth\",\"number\":\"1101\"}" \
  "]}"

static CliSim *sim;

typedef struct {
  char *dir;
} Fixture;

static void
run_ok (Fixture *f,
        ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(CliResult) r = NULL;
  const char *arg;
  va_list ap;

  va_start (ap, f);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  r = cli_runv (f->dir, NULL, (const char * const *)args->pdata);
  cli_assert_status (r, 0);
}

static void
add_sim_device (Fixture    *f,
                const char *name,
                const char *kind)
{
  g_autoptr(GUri) uri = g_uri_parse (cli_sim_field (sim, name, "http"), G_URI_FLAGS_NONE, NULL);
  g_autofree char *port = g_strdup_printf ("%d", g_uri_get_port (uri));

  run_ok (f, "device", "add", name, "--kind", kind, "--host", g_uri_get_host (uri), "--port",
          port, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = cli_make_data_dir ();
  add_sim_device (f, "VTO-A", "vto");
  add_sim_device (f, "VTO-B", "vto");
  run_ok (f, "device", "probe", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cli_remove_dir (f->dir);
  g_free (f->dir);
}

/* Swipes @card (or types @code) at a simulated door station; TRUE when it opened. */
static gboolean
sim_attempt (const char *action,
             const char *device,
             const char *option,
             const char *value)
{
  g_autoptr(CliResult) r = cli_sim_ctl (sim, action, device, option, value, NULL);
  json_object *obj = json_tokener_parse (r->out);
  gboolean granted;

  if (obj == NULL)
    g_error ("gatehouse-sim ctl %s: %s %s", action, r->out, r->err);
  granted = json_object_get_boolean (json_object_object_get (obj, "granted"));
  json_object_put (obj);

  return granted;
}

static void
tail_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *)user_data = TRUE;
}

static GSubprocess *
spawn_cli (Fixture    *f,
           GError    **error,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  g_subprocess_launcher_setenv (launcher, "GATEHOUSE_USER", CLI_TEST_USER, TRUE);
  g_subprocess_launcher_setenv (launcher, "GATEHOUSE_PASSWORD", CLI_TEST_PASSWORD, TRUE);
  g_subprocess_launcher_setenv (launcher, "GATEHOUSE_NO_KEYRING", "1", TRUE);
  g_ptr_array_add (argv, (gpointer)g_getenv ("GATEHOUSECTL"));
  g_ptr_array_add (argv, (gpointer)"--data-dir");
  g_ptr_array_add (argv, f->dir);
  va_start (ap, error);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  return g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, error);
}

static void
test_import_sync_swipe (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("person_id,name,department,cards\n");
  g_autofree char *file = NULL;
  g_autoptr(CliResult) r = NULL;
  g_autoptr(GSubprocess) tail = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gboolean done = FALSE;
  gint64 deadline;
  json_object *event, *records;
  gboolean found = FALSE;

  for (guint i = 1; i <= 500; i++)
    g_string_append_printf (csv, "R%04u,Resident %u,Residents,%08X\n", i, i, 0xC0000000 + i);
  file = cli_write_file (f->dir, "residents.csv", csv->str, (gssize)csv->len);
  run_ok (f, "person", "import", file, NULL);
  run_ok (f, "group", "add", "Residents", "--door", "VTO-A:1", NULL);
  run_ok (f, "group", "add-members", "Residents", "--department", "Residents", NULL);

  /* Before the sync the door station does not know the card. */
  g_assert_false (sim_attempt ("card", "VTO-A", "--card", "C0000123"));

  r = cli_run (f->dir, NULL, "--json", "sync", "run", NULL);
  cli_assert_status (r, 0);
  cli_assert_contains (r->out, "\"device\":\"VTO-A\",\"waiting\":0");

  /* Listen, swipe a resident's card, see it granted. */
  tail = spawn_cli (f, &error, "events", "tail", "--kind", "access-granted", "--count", "1",
                    "--timeout", "25", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (tail, NULL, tail_done_cb, &done);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!done && g_get_monotonic_time () < deadline) {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    g_assert_true (sim_attempt ("card", "VTO-A", "--card", "C0000123"));
    while (!done && g_get_monotonic_time () < until) {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  }
  g_assert_true (done);
  g_subprocess_communicate_utf8 (tail, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  event = json_tokener_parse (out);
  if (event == NULL)
    g_error ("events tail printed: %s\n%s", out, err);
  g_assert_cmpstr (json_object_get_string (json_object_object_get (event, "kind")), ==,
                   "access-granted");
  g_assert_cmpstr (json_object_get_string (json_object_object_get (event, "credential")), ==,
                   "C0000123");
  g_assert_cmpstr (json_object_get_string (json_object_object_get (event, "person_id")), ==,
                   "R0291");
  json_object_put (event);

  /* …and in the records. */
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "records", "fetch", "--type", "access", "--device", "VTO-A",
               "--quiet", NULL);
  cli_assert_status (r, 0);
  records = cli_run_json (f->dir, "records", "export", "--type", "access", "--status", "granted",
                          NULL);
  for (size_t i = 0; i < json_object_array_length (records); i++) {
    json_object *rec = json_object_array_get_idx (records, i);

    if (g_strcmp0 (json_object_get_string (json_object_object_get (rec, "card")),
                   "C0000123") == 0 &&
        g_strcmp0 (json_object_get_string (json_object_object_get (rec, "person_id")),
                   "R0291") == 0)
      found = TRUE;
  }
  g_assert_true (found);
  json_object_put (records);

  /* Not in the group's doors: VTO-B still refuses. */
  g_assert_false (sim_attempt ("card", "VTO-B", "--card", "C0000123"));
}

static void
test_room_unlock_code (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CliResult) code = NULL;
  g_autoptr(CliResult) r = NULL;
  g_autofree char *typed = NULL;

  run_ok (f, "org", "add", "01#01#11", "--unlock-password", "888888", NULL);
  run_ok (f, "dial", "add", "VTO-A", "01#01#8001", "--last-two", "01", NULL);

  r = cli_run (f->dir, NULL, "sync", "run", NULL);
  cli_assert_status (r, 0);

  /* The manual's example: room 11 with password 888888 is 000011888888. */
  code = cli_run (f->dir, NULL, "org", "code", "01#01#11", NULL);
  cli_assert_status (code, 0);
  g_assert_cmpstr (code->out, ==, "000011888888\n");
  typed = g_strchomp (g_strdup (code->out));

  g_assert_true (sim_attempt ("unlock-code", "VTO-A", "--code", typed));
  g_assert_false (sim_attempt ("unlock-code", "VTO-A", "--code", "000011888887"));
  g_assert_false (sim_attempt ("unlock-code", "VTO-A", "--code", "000012888888"));
}

static void
test_device_away_during_sync (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(CliResult) r = NULL;
  g_autoptr(CliResult) fault = NULL;
  g_autoptr(GSubprocess) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  json_object *tasks;
  gboolean failed_seen = FALSE;

  run_ok (f, "person", "add", "W1", "--card", "00DD0001", NULL);
  run_ok (f, "group", "add", "Both", "--door", "VTO-A:1", "--door", "VTO-B:1", NULL);
  run_ok (f, "group", "add-members", "Both", "--person", "W1", NULL);

  /* VTO-B is away: VTO-A gets everything, VTO-B's pushes stay queued with the reason. */
  fault = cli_sim_ctl (sim, "fault", "VTO-B", "--set", "offline=1", NULL);
  g_assert_cmpint (fault->status, ==, 0);
  r = cli_run (f->dir, NULL, "sync", "run", NULL);
  cli_assert_status (r, 3);
  cli_assert_contains (r->err, "still queued");

  tasks = cli_run_json (f->dir, "sync", "status", "--device", "VTO-B", NULL);
  g_assert_cmpuint (json_object_array_length (tasks), >, 0);
  for (size_t i = 0; i < json_object_array_length (tasks); i++) {
    json_object *task = json_object_array_get_idx (tasks, i);

    if (json_object_get_string (json_object_object_get (task, "error")) != NULL)
      failed_seen = TRUE;
  }
  g_assert_true (failed_seen);
  json_object_put (tasks);
  g_assert_true (sim_attempt ("card", "VTO-A", "--card", "00DD0001"));
  g_assert_false (sim_attempt ("card", "VTO-B", "--card", "00DD0001"));

  /* A sync that keeps trying finishes once the device is back. */
  run = spawn_cli (f, &error, "sync", "run", "--wait", "60", "--max-backoff", "1", NULL);
  g_assert_no_error (error);
  g_usleep (2 * G_USEC_PER_SEC);
  g_clear_pointer (&fault, cli_result_free);
  fault = cli_sim_ctl (sim, "fault", "VTO-B", "--set", "offline=0", NULL);
  g_assert_cmpint (fault->status, ==, 0);

  g_subprocess_communicate_utf8 (run, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (run) != 0)
    g_error ("sync run --wait: %d\n%s\n%s", g_subprocess_get_exit_status (run), out, err);

  g_assert_true (sim_attempt ("card", "VTO-B", "--card", "00DD0001"));
  tasks = cli_run_json (f->dir, "sync", "status", NULL);
  g_assert_cmpuint (json_object_array_length (tasks), ==, 0);
  json_object_put (tasks);
}

static void
test_notice_reaches_monitor (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(CliResult) r = NULL;
  g_autoptr(CliResult) state = NULL;
  json_object *obj, *announcements, *list, *devices;

  add_sim_device (f, "VTH-1", "vth");
  run_ok (f, "org", "add", "01#01#101", NULL);
  run_ok (f, "dial", "add", "VTH-1", "01#01#101", NULL);
  run_ok (f, "notice", "add", "Water off", "--body", "Tuesday 9 to 12", NULL);

  r = cli_run (f->dir, NULL, "sync", "run", NULL);
  cli_assert_status (r, 0);

  /* The notice list says it was sent, and the monitor holds it. */
  list = cli_run_json (f->dir, "notice", "list", NULL);
  devices = json_object_object_get (json_object_array_get_idx (list, 0), "devices");
  g_assert_cmpstr (json_object_get_string (json_object_object_get (
                     json_object_array_get_idx (devices, 0), "status")), ==, "sent");
  json_object_put (list);

  state = cli_sim_ctl (sim, "state", "VTH-1", NULL);
  obj = json_tokener_parse (state->out);
  g_assert_nonnull (obj);
  announcements = json_object_object_get (json_object_object_get (obj, "records"),
                                          "Announcement");
  g_assert_nonnull (announcements);
  g_assert_cmpuint (json_object_array_length (announcements), >=, 1);
  g_assert_cmpstr (json_object_get_string (json_object_object_get (
                     json_object_array_get_idx (announcements, 0), "AnnounceTitle")), ==,
                   "Water off");
  json_object_put (obj);
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("GATEHOUSE_DEVICE_PASSWORD", "admin123", TRUE);

  sim = cli_sim_start (COMMUNITY);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli/sync/import-sync-swipe", test_import_sync_swipe);
  ADD ("/cli/sync/room-unlock-code", test_room_unlock_code);
  ADD ("/cli/sync/device-away-during-sync", test_device_away_during_sync);
  ADD ("/cli/sync/notice-reaches-monitor", test_notice_reaches_monitor);
#undef ADD

  result = g_test_run ();
  cli_sim_stop (sim);

  return result;
}
