/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gatehousectl device, door, events and records against a running gatehouse-sim. */
#include "cli-test-helpers.h"

#include <sqlite3.h>
#include <string.h>

#define COMMUNITY \
  "{\"defaults\":{\"username\":\"admin\",\"password\":\"admin123\",\"unlock_hold_ms\":300}," \
  "\"devices\":[" \
  "{\"name\":\"VTO-A\",\"kind\":\"vto\",\"number\":\"8001\",\"serial\":\"SIMVTOA0001\"," \
  "\"model\":\"VTO2211G-WP\",\"firmware\":\"4.511.0000000.0.R\",\"doors\":2}," \
  "{\"name\":\"VTH-1\",\"kind\":\"vth\",\"number\":\"1101\",\"serial\":\"SIMVTH1101\"}," \
  "{\"name\":\"VTO-PW\",\"kind\":\"vto\",\"number\":\"8009\",\"password\":\"other99\"}," \
  "{\"name\":\"VTO-TLS\",\"kind\":\"vto\",\"number\":\"8010\",\"serial\":\"SIMTLS0010\"," \
  "\"https\":true}" \
  "]}"

static CliSim *sim;

typedef struct {
  char *dir;
} Fixture;

/* host and port of a simulated device, from its "http" URL */
static void
sim_address (const char  *device,
             char       **out_host,
             char       **out_port)
{
  const char *url = cli_sim_field (sim, device, "http");
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  *out_host = g_strdup (g_uri_get_host (uri));
  *out_port = g_strdup_printf ("%d", g_uri_get_port (uri));
}

static void
add_sim_device (Fixture    *f,
                const char *name,
                const char *kind)
{
  g_autofree char *host = NULL;
  g_autofree char *port = NULL;
  g_autoptr(CliResult) r = NULL;

  sim_address (name, &host, &port);
  r = cli_run (f->dir, NULL, "device", "add", name, "--kind", kind, "--host", host, "--port",
               port, NULL);
  cli_assert_status (r, 0);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = cli_make_data_dir ();
  add_sim_device (f, "VTO-A", "vto");
  add_sim_device (f, "VTH-1", "vth");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cli_remove_dir (f->dir);
  g_free (f->dir);
}

static json_object *
find_by_name (json_object *array,
              const char  *name)
{
  for (size_t i = 0; i < json_object_array_length (array); i++) {
    json_object *obj = json_object_array_get_idx (array, i);

    if (g_strcmp0 (json_object_get_string (json_object_object_get (obj, "name")), name) == 0)
      return obj;
  }
  g_error ("no %s in the list", name);
}

static const char *
field (json_object *obj,
       const char  *key)
{
  return json_object_get_string (json_object_object_get (obj, key));
}

static void
test_probe (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CliResult) r = NULL;
  json_object *list, *vto;

  r = cli_run (f->dir, NULL, "device", "probe", NULL);
  cli_assert_status (r, 0);
  cli_assert_contains (r->out, "VTO-A: VTO2211G-WP, serial SIMVTOA0001");

  list = cli_run_json (f->dir, "device", "list", NULL);
  vto = find_by_name (list, "VTO-A");
  g_assert_cmpstr (field (vto, "status"), ==, "online");
  g_assert_cmpstr (field (vto, "model"), ==, "VTO2211G-WP");
  g_assert_cmpstr (field (vto, "serial"), ==, "SIMVTOA0001");
  g_assert_true (g_str_has_prefix (field (vto, "firmware"), "4.511.0000000.0.R"));
  g_assert_cmpint (json_object_get_int (json_object_object_get (vto, "doors")), ==, 2);
  g_assert_cmpstr (field (find_by_name (list, "VTH-1"), "serial"), ==, "SIMVTH1101");
  json_object_put (list);
}

/* How many certificate pins the data folder holds for device @name. */
static int
count_pins (Fixture    *f,
            const char *name)
{
  g_autofree char *path = g_build_filename (f->dir, "gatehouse.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int count;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM device_certificates c "
                                       "JOIN devices d ON d.id = c.device_id WHERE d.name = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

/* A device added with --https is probed over HTTPS and its key pinned on first use; a changed
 * certificate is then refused. Plain devices beside it keep working over HTTP. */
static void
test_probe_https (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *host = NULL;
  g_autofree char *port = NULL;
  g_autoptr(CliResult) add = NULL;
  g_autoptr(CliResult) plain_add = NULL;
  g_autoptr(CliResult) probe = NULL;
  g_autoptr(CliResult) plain = NULL;
  g_autoptr(CliResult) rotate = NULL;
  g_autoptr(CliResult) refused = NULL;
  g_autoptr(CliResult) table = NULL;
  json_object *list, *tls, *vto;

  g_assert_true (g_str_has_prefix (cli_sim_field (sim, "VTO-TLS", "http"), "https://"));
  sim_address ("VTO-TLS", &host, &port);

  /* without --https the device's TLS port does not answer plain HTTP */
  plain_add = cli_run (f->dir, NULL, "device", "add", "VTO-TLS-PLAIN", "--kind", "vto",
                       "--host", host, "--port", port, NULL);
  cli_assert_status (plain_add, 0);
  plain = cli_run (f->dir, NULL, "device", "probe", "VTO-TLS-PLAIN", NULL);
  g_assert_cmpint (plain->status, !=, 0);
  g_clear_pointer (&plain, cli_result_free);
  g_assert_cmpint (count_pins (f, "VTO-TLS-PLAIN"), ==, 0);
  plain = cli_run (f->dir, NULL, "device", "remove", "VTO-TLS-PLAIN", NULL);
  cli_assert_status (plain, 0);
  g_clear_pointer (&plain, cli_result_free);

  add = cli_run (f->dir, NULL, "device", "add", "VTO-TLS", "--kind", "vto", "--host", host,
                 "--port", port, "--https", NULL);
  cli_assert_status (add, 0);
  g_assert_cmpint (count_pins (f, "VTO-TLS"), ==, 0);

  probe = cli_run (f->dir, NULL, "device", "probe", "VTO-TLS", NULL);
  cli_assert_status (probe, 0);
  cli_assert_contains (probe->out, "serial SIMTLS0010");
  g_assert_cmpint (count_pins (f, "VTO-TLS"), ==, 1);

  plain = cli_run (f->dir, NULL, "device", "probe", "VTO-A", NULL);
  cli_assert_status (plain, 0);
  g_assert_cmpint (count_pins (f, "VTO-A"), ==, 0);

  list = cli_run_json (f->dir, "device", "list", NULL);
  tls = find_by_name (list, "VTO-TLS");
  vto = find_by_name (list, "VTO-A");
  g_assert_true (json_object_get_boolean (json_object_object_get (tls, "https")));
  g_assert_false (json_object_get_boolean (json_object_object_get (vto, "https")));
  g_assert_cmpstr (field (tls, "status"), ==, "online");
  g_assert_cmpstr (field (vto, "status"), ==, "online");
  json_object_put (list);
  table = cli_run (f->dir, NULL, "device", "list", NULL);
  cli_assert_status (table, 0);
  cli_assert_contains (table->out, "https://");

  /* the flag goes through CSV import and export */
  {
    g_autofree char *bad = cli_write_file (f->dir, "tls-bad.csv", "name,kind,host,port,https\n"
                                           "TLS 3,vto,10.0.0.32,443,maybe\n", -1);
    g_autofree char *good = cli_write_file (f->dir, "tls.csv", "name,kind,host,port,https\n"
                                            "TLS 2,vto,10.0.0.31,443,1\n", -1);
    g_autoptr(CliResult) r = cli_run (f->dir, NULL, "device", "import", bad, NULL);
    g_autoptr(CliResult) ok = NULL;
    g_autoptr(CliResult) exported = NULL;
    const char *line;

    cli_assert_status (r, 1);
    cli_assert_contains (r->err, "tls-bad.csv:2: https must be 0 or 1, not “maybe”");
    ok = cli_run (f->dir, NULL, "device", "import", good, NULL);
    cli_assert_status (ok, 0);
    list = cli_run_json (f->dir, "device", "list", NULL);
    g_assert_true (json_object_get_boolean (json_object_object_get (find_by_name (list, "TLS 2"),
                                                                    "https")));
    json_object_put (list);
    exported = cli_run (f->dir, NULL, "device", "export", NULL);
    cli_assert_status (exported, 0);
    line = strstr (exported->out, "TLS 2,vto,10.0.0.31,443,admin,,");
    g_assert_nonnull (line);
    g_assert_true (strstr (line, ",1\r\n") == strchr (line, '\r') - 2);
    line = strstr (exported->out, "VTO-A,vto,");
    g_assert_nonnull (line);
    g_assert_true (strstr (line, ",0\r\n") == strchr (line, '\r') - 2);
  }

  /* the device was swapped: the pinned key no longer matches and the probe says so */
  rotate = cli_sim_ctl (sim, "rotate-certificate", "VTO-TLS", NULL);
  cli_assert_status (rotate, 0);
  refused = cli_run (f->dir, NULL, "device", "probe", "VTO-TLS", NULL);
  g_assert_cmpint (refused->status, !=, 0);
  cli_assert_contains (refused->err, "VTO-TLS");
  cli_assert_contains (refused->err, "device clear-pin");
  g_assert_cmpint (count_pins (f, "VTO-TLS"), ==, 1);

  /* the installer confirms the replacement: the next probe pins the new key */
  {
    g_autoptr(CliResult) cleared = cli_run (f->dir, NULL, "device", "clear-pin", "VTO-TLS",
                                            NULL);
    g_autoptr(CliResult) again = NULL;

    cli_assert_status (cleared, 0);
    g_assert_cmpint (count_pins (f, "VTO-TLS"), ==, 0);
    again = cli_run (f->dir, NULL, "device", "probe", "VTO-TLS", NULL);
    cli_assert_status (again, 0);
    g_assert_cmpint (count_pins (f, "VTO-TLS"), ==, 1);
  }
}

static void
test_probe_offline (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CliResult) fault = cli_sim_ctl (sim, "fault", "VTH-1", "--set", "offline=1", NULL);
  g_autoptr(CliResult) r = NULL;
  g_autoptr(CliResult) back = NULL;
  json_object *list;

  g_assert_cmpint (fault->status, ==, 0);

  /* One of two answered: partial, and the reason is named. */
  r = cli_run (f->dir, NULL, "device", "probe", NULL);
  back = cli_sim_ctl (sim, "fault", "VTH-1", "--set", "offline=0", NULL);
  cli_assert_status (r, 3);
  cli_assert_contains (r->err, "device probe: VTH-1: ");

  list = cli_run_json (f->dir, "device", "list", NULL);
  g_assert_cmpstr (field (find_by_name (list, "VTH-1"), "status"), !=, "online");
  g_assert_cmpstr (field (find_by_name (list, "VTO-A"), "status"), ==, "online");
  json_object_put (list);

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "device", "probe", "VTH-1", NULL);
  cli_assert_status (r, 0);
}

/* The password given for a device is wrong: probe says so and marks it. */
static void
test_probe_wrong_password (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(CliResult) r = NULL;
  json_object *list;

  add_sim_device (f, "VTO-PW", "vto");  /* with admin123, as the others */
  r = cli_run (f->dir, NULL, "device", "probe", "VTO-PW", NULL);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "device probe: VTO-PW: ");

  list = cli_run_json (f->dir, "device", "list", "--kind", "vto", NULL);
  g_assert_cmpstr (field (find_by_name (list, "VTO-PW"), "status"), ==, "auth-failed");
  json_object_put (list);
}

static void
test_bad_arguments (Fixture       *f,
                    gconstpointer  data)
{
  static const struct {
    const char *args[12];
    int         status;
    const char *message;
  } cases[] = {
    { { "device", "add", "X", "--kind", "tv", "--host", "10.0.0.9", "--no-password", NULL },
      2, "the kind “tv” is unknown" },
    { { "device", "add", "X", "--kind", "vto", "--host", "10.0.0.9", "--port", "70000",
        "--no-password", NULL }, 2, "port “70000”" },
    { { "device", "add", "X", "--kind", "vto", NULL }, 2, "--kind and --host are required" },
    { { "device", "add", "X", "--kind", "vto", "--host", "10.0.0.9", "--driver", "nope",
        "--no-password", NULL }, 2, "there is no driver “nope”" },
    { { "device", "remove", "Nobody", NULL }, 1, "there is no device named “Nobody”" },
    { { "door", "open", "VTO-A", "--door", "0", NULL }, 2, "--door must be" },
    { { "records", "fetch", NULL }, 2, "--type call, access or alarm" },
    { { "records", "fetch", "--type", "access", "--from", "2026-02-01", "--to", "2026-01-01",
        NULL }, 2, "--from is after --to" },
    { { "records", "fetch", "--type", "access", "--format", "xml", NULL }, 2, "unknown format" },
    { { "events", "tail", "--kind", "party", NULL }, 2, "unknown event kind" },
  };
  g_autofree char *host = NULL;
  g_autofree char *port = NULL;
  g_autoptr(CliResult) dup = NULL;
  json_object *list;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(CliResult) r = cli_runv (f->dir, NULL, cases[i].args);

    cli_assert_status (r, cases[i].status);
    cli_assert_contains (r->err, cases[i].message);
  }

  /* the same address twice */
  sim_address ("VTO-A", &host, &port);
  dup = cli_run (f->dir, NULL, "device", "add", "Again", "--kind", "vto", "--host", host,
                 "--port", port, NULL);
  cli_assert_status (dup, 1);

  list = cli_run_json (f->dir, "device", "list", NULL);
  g_assert_cmpuint (json_object_array_length (list), ==, 2);
  json_object_put (list);
}

static void
test_import_export (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *csv = cli_write_file (f->dir, "devices.csv",
                                         "name,kind,host,port,username,password\n"
                                         "Gate 1,fence,10.0.0.21,80,admin,secret1\n"
                                         "Broken,toaster,10.0.0.22,80,admin,x\n"
                                         "Guard,vts,10.0.0.23,8080,admin,secret3\n"
                                         "Bad port,vto,10.0.0.24,0,admin,x\n", -1);
  g_autoptr(CliResult) r = NULL;
  g_autoptr(CliResult) exported = NULL;
  json_object *list;

  r = cli_run (f->dir, NULL, "device", "import", csv, NULL);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "devices.csv:3: the kind “toaster” is unknown");
  cli_assert_contains (r->err, "devices.csv:5: the port “0”");
  list = cli_run_json (f->dir, "device", "list", NULL);
  g_assert_cmpuint (json_object_array_length (list), ==, 2);
  json_object_put (list);

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "device", "import", "--skip-bad", csv, NULL);
  cli_assert_status (r, 3);
  list = cli_run_json (f->dir, "device", "list", NULL);
  g_assert_cmpuint (json_object_array_length (list), ==, 4);
  g_assert_cmpint (json_object_get_int (json_object_object_get (find_by_name (list, "Guard"),
                                                                "port")), ==, 8080);
  json_object_put (list);

  exported = cli_run (f->dir, NULL, "device", "export", NULL);
  cli_assert_status (exported, 0);
  cli_assert_contains (exported->out, "name,kind,host,port,username,password,driver,https\r\n");
  cli_assert_contains (exported->out, "Gate 1,fence,10.0.0.21,80,admin,,");
  g_assert_null (strstr (exported->out, "secret1"));

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "device", "remove", "Gate 1", "Guard", NULL);
  cli_assert_status (r, 0);
  list = cli_run_json (f->dir, "device", "list", NULL);
  g_assert_cmpuint (json_object_array_length (list), ==, 2);
  json_object_put (list);
}

static void
test_door_and_records (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CliResult) r = NULL;
  g_autoptr(CliResult) probe = cli_run (f->dir, NULL, "device", "probe", "VTO-A", NULL);
  json_object *records;
  gboolean found = FALSE;

  cli_assert_status (probe, 0);

  r = cli_run (f->dir, NULL, "door", "open", "VTO-A", "--door", "2", NULL);
  cli_assert_status (r, 0);

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "door", "open", "VTO-A", "--door", "3", NULL);
  cli_assert_status (r, 2);
  cli_assert_contains (r->err, "VTO-A has 2 doors");

  /* Held open, then back to normal, as the door station's configuration shows. */
  {
    static const struct {
      const char *action;
      const char *state;
    } steps[] = {
      { "always-open", "OpenAlways" },
      { "close", "OpenAlways" },  /* closing now does not end the hold */
      { "restore", "Normal" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (steps); i++) {
      g_autoptr(CliResult) state = NULL;
      json_object *obj;

      g_clear_pointer (&r, cli_result_free);
      r = cli_run (f->dir, NULL, "door", steps[i].action, "VTO-A", NULL);
      cli_assert_status (r, 0);
      state = cli_sim_ctl (sim, "state", "VTO-A", NULL);
      obj = json_tokener_parse (state->out);
      g_assert_nonnull (obj);
      g_assert_cmpstr (json_object_get_string (json_object_object_get (
                         json_object_object_get (obj, "config"), "AccessControl[0].State")), ==,
                       steps[i].state);
      json_object_put (obj);
    }
  }

  /* The remote opening is in the door station's access log. */
  records = cli_run_json (f->dir, "records", "fetch", "--type", "access", "--device", "VTO-A",
                          NULL);
  for (size_t i = 0; i < json_object_array_length (records); i++) {
    json_object *rec = json_object_array_get_idx (records, i);

    if (g_strcmp0 (field (rec, "method"), "remote") == 0 &&
        g_strcmp0 (field (rec, "door"), "2") == 0 &&
        g_strcmp0 (field (rec, "result"), "granted") == 0)
      found = TRUE;
  }
  g_assert_true (found);
  json_object_put (records);

  /* Fetching stored them, once however often it runs; export reads them back. */
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "records", "fetch", "--type", "access", "--quiet", NULL);
  cli_assert_status (r, 0);
  records = cli_run_json (f->dir, "records", "export", "--type", "access", "--status", "granted",
                          "--device", "VTO-A", NULL);
  {
    guint remote = 0;

    for (size_t i = 0; i < json_object_array_length (records); i++) {
      json_object *rec = json_object_array_get_idx (records, i);

      if (g_strcmp0 (field (rec, "method"), "remote") == 0 &&
          g_strcmp0 (field (rec, "door"), "2") == 0)
        remote++;
      g_assert_cmpstr (field (rec, "status"), ==, "granted");
    }
    g_assert_cmpuint (remote, ==, 1);
  }
  json_object_put (records);

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "records", "export", "--type", "access", "--from", "2001-01-01",
               "--to", "2001-12-31", NULL);
  cli_assert_status (r, 0);
  g_assert_cmpstr (r->out, ==, "time,device,type,status,door,method,card,person_id,person_name,"
                               "local_number,peer_number,direction,talk_seconds,alarm_type\r\n");

  /* A window in the past holds nothing; CSV has its header. */
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "records", "fetch", "--type", "access", "--to", "2001-01-01",
               "--format", "csv", NULL);
  cli_assert_status (r, 0);
  g_assert_cmpstr (r->out, ==, "time,device,type,door,method,result,credential,person_id,"
                               "person_name,room,local_number,direction,duration\r\n");
}

static void
tail_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *)user_data = TRUE;
}

static void
test_events_tail (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) tail = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gboolean done = FALSE;
  json_object *event = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_subprocess_launcher_setenv (launcher, "GATEHOUSE_USER", CLI_TEST_USER, TRUE);
  g_subprocess_launcher_setenv (launcher, "GATEHOUSE_PASSWORD", CLI_TEST_PASSWORD, TRUE);
  g_subprocess_launcher_setenv (launcher, "GATEHOUSE_NO_KEYRING", "1", TRUE);
  tail = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("GATEHOUSECTL"),
                                      "--data-dir", f->dir, "events", "tail", "--kind",
                                      "access-denied", "--count", "1", "--timeout", "25", NULL);
  g_assert_no_error (error);

  /* Swipe an unknown card until the stream is up and the event comes through. */
  g_subprocess_wait_async (tail, NULL, tail_done_cb, &done);
  while (!done && g_get_monotonic_time () < deadline) {
    g_autoptr(CliResult) swipe = cli_sim_ctl (sim, "card", "VTO-A", "--card", "5EA1F00D", NULL);
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    /* the card is unknown: the simulator says so with exit status 1 */
    g_assert_cmpint (swipe->status, <=, 1);
    while (!done && g_get_monotonic_time () < until) {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  }
  g_assert_true (done);

  g_subprocess_communicate_utf8 (tail, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (tail), ==, 0);

  event = json_tokener_parse (out);
  if (event == NULL)
    g_error ("not one JSON object: %s\nstderr: %s", out, err);
  g_assert_cmpstr (field (event, "kind"), ==, "access-denied");
  g_assert_cmpstr (field (event, "device"), ==, "VTO-A");
  g_assert_cmpstr (field (event, "method"), ==, "card");
  g_assert_cmpstr (field (event, "credential"), ==, "5EA1F00D");
  json_object_put (event);
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
  ADD ("/cli/device/probe", test_probe);
  ADD ("/cli/device/probe-https", test_probe_https);
  ADD ("/cli/device/probe-offline", test_probe_offline);
  ADD ("/cli/device/probe-wrong-password", test_probe_wrong_password);
  ADD ("/cli/device/bad-arguments", test_bad_arguments);
  ADD ("/cli/device/import-export", test_import_export);
  ADD ("/cli/door/open-and-records", test_door_and_records);
  ADD ("/cli/events/tail", test_events_tail);
#undef ADD

  result = g_test_run ();
  cli_sim_stop (sim);

  return result;
}
