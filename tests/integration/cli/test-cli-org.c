/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gatehousectl org, dial and check: the community's places, numbers and their rules. */
#include "cli-test-helpers.h"

#include <sqlite3.h>
#include <string.h>

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
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = cli_make_data_dir ();
  run_ok (f, "device", "add", "VTO-1", "--kind", "vto", "--host", "10.1.0.1", "--no-password",
          NULL);
  run_ok (f, "device", "add", "VTH-302", "--kind", "vth", "--host", "10.1.0.2", "--no-password",
          NULL);
  run_ok (f, "device", "add", "VTH-302b", "--kind", "vth", "--host", "10.1.0.3",
          "--no-password", NULL);
  run_ok (f, "device", "add", "Guard", "--kind", "vts", "--host", "10.1.0.4", "--no-password",
          NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cli_remove_dir (f->dir);
  g_free (f->dir);
}

static void
test_places (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CliResult) r = NULL;
  json_object *rooms;

  r = cli_run (f->dir, NULL, "org", "add", "02#01#302", "--name", "Lee family",
               "--unlock-password", "888888", NULL);
  cli_assert_status (r, 0);
  cli_assert_contains (r->out, "Added building 02\nAdded unit 02#01\nAdded room 02#01#302\n");

  run_ok (f, "org", "add", "02#01#303", NULL);
  run_ok (f, "org", "add", "03", "--name", "Tower", NULL);

  rooms = cli_run_json (f->dir, "org", "list", NULL);
  g_assert_cmpuint (json_object_array_length (rooms), ==, 2);
  g_assert_cmpstr (json_object_get_string (json_object_object_get (
                     json_object_array_get_idx (rooms, 0), "path")), ==, "02#01#302");
  g_assert_true (json_object_get_boolean (json_object_object_get (
                   json_object_array_get_idx (rooms, 0), "unlock_password")));
  g_assert_false (json_object_get_boolean (json_object_object_get (
                    json_object_array_get_idx (rooms, 1), "unlock_password")));
  json_object_put (rooms);

  /* The keypad code: room padded to six digits, then the password. */
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "org", "code", "02#01#302", NULL);
  cli_assert_status (r, 0);
  g_assert_cmpstr (r->out, ==, "000302888888\n");

  run_ok (f, "org", "password", "02#01#303", "12345678", NULL);
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "org", "code", "02#01#303", NULL);
  g_assert_cmpstr (r->out, ==, "00030312345678\n");
  run_ok (f, "org", "password", "02#01#303", "--clear", NULL);
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "org", "code", "02#01#303", NULL);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "has no unlock password");

  /* A building that still holds rooms cannot go; a room can. */
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "org", "remove", "02", NULL);
  cli_assert_status (r, 1);
  run_ok (f, "org", "remove", "02#01#303", NULL);
  run_ok (f, "org", "remove", "03", NULL);

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "org", "levels", NULL);
  g_assert_cmpstr (r->out, ==, "building-unit\n");
}

static void
test_place_errors (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    const char *args[8];
    int         status;
    const char *message;
  } cases[] = {
    { { "org", "add", "02#01#302#9", NULL }, 2, "is not a place" },
    { { "org", "add", "2a", NULL }, 2, "building number “2a”" },
    { { "org", "add", "1234", NULL }, 2, "1 to 3 digits" },
    { { "org", "add", "02#01#1234567", NULL }, 2, "1 to 6 digits" },
    { { "org", "add", "02#01#302", "--unlock-password", "12", NULL }, 2, "" },
    { { "org", "add", "02#01", "--unlock-password", "888888", NULL }, 2, "is not a room" },
    { { "org", "password", "02#01#302", NULL }, 2, "either a password, --clear or --resend" },
    { { "org", "password", "02#01#302", "888888", "--clear", NULL }, 2, "either" },
    { { "org", "code", "09#01#101", NULL }, 1, "There is no room 09#01#101" },
    { { "org", "levels", "--set", "floors", NULL }, 2, "unknown layout" },
  };
  json_object *rooms;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(CliResult) r = cli_runv (f->dir, NULL, cases[i].args);

    cli_assert_status (r, cases[i].status);
    cli_assert_contains (r->err, cases[i].message);
  }

  rooms = cli_run_json (f->dir, "org", "list", NULL);
  g_assert_cmpuint (json_object_array_length (rooms), ==, 0);
  json_object_put (rooms);
}

static void
test_import_rooms (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *csv = cli_write_file (f->dir, "rooms.csv",
                                         "path,name,unlock_password\n"
                                         "01#01#101,One,111111\n"
                                         "01#01#102,,\n"
                                         "01#01#x,Bad,\n"
                                         "01#02#201,Two,12\n"
                                         "01#01#101,Again,\n", -1);
  g_autoptr(CliResult) r = NULL;
  json_object *rooms;

  r = cli_run (f->dir, NULL, "org", "import", csv, NULL);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "rooms.csv:4: ");
  cli_assert_contains (r->err, "rooms.csv:5: ");
  cli_assert_contains (r->err, "rooms.csv:6: ");
  g_assert_null (strstr (r->err, "rooms.csv:2:"));
  rooms = cli_run_json (f->dir, "org", "list", NULL);
  g_assert_cmpuint (json_object_array_length (rooms), ==, 0);
  json_object_put (rooms);

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "org", "import", "--dry-run", csv, NULL);
  cli_assert_status (r, 1);
  cli_assert_contains (r->out, "line 2: would add building 01");
  cli_assert_contains (r->out, "line 3: would add room 01#01#102");

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "org", "import", "--skip-bad", csv, NULL);
  cli_assert_status (r, 3);
  rooms = cli_run_json (f->dir, "org", "list", NULL);
  g_assert_cmpuint (json_object_array_length (rooms), ==, 2);
  json_object_put (rooms);
}

static void
test_dial_and_check (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CliResult) r = NULL;
  json_object *numbers, *report;

  run_ok (f, "org", "add", "02#01#302", NULL);
  run_ok (f, "dial", "add", "VTH-302", "02#01#302", NULL);
  run_ok (f, "dial", "add", "VTH-302b", "02#01#302#1", NULL);
  run_ok (f, "dial", "add", "VTO-1", "02#01#8055", "--last-two", "55", NULL);
  run_ok (f, "dial", "add", "Guard", "101", "--last-two", "01", NULL);

  numbers = cli_run_json (f->dir, "dial", "list", NULL);
  g_assert_cmpuint (json_object_array_length (numbers), ==, 4);
  json_object_put (numbers);

  /* The rules of the foundation issue, each with a message that says what to fix. */
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "dial", "add", "VTO-1", "02#01#8056", "--last-two", "55", NULL);
  cli_assert_status (r, 2);
  cli_assert_contains (r->err, "56");

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "dial", "add", "VTO-1", "02#01#8056", NULL);
  cli_assert_status (r, 2);
  cli_assert_contains (r->err, "--last-two");

  /* 02#01#302#0 is the main monitor again: a conflict with 02#01#302. */
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "dial", "add", "VTH-302b", "02#01#302#0", NULL);
  g_assert_cmpint (r->status, !=, 0);

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "dial", "add", "VTH-302", "02#01#999", NULL);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "There is no room 02#01#999");

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "dial", "add", "Nobody", "101", NULL);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "no device named “Nobody”");

  /* The whole plan is consistent. */
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "check", NULL);
  cli_assert_status (r, 0);
  cli_assert_contains (r->out, "consistent (4 numbers");

  report = cli_run_json (f->dir, "check", "plan", NULL);
  g_assert_true (json_object_get_boolean (json_object_object_get (report, "ok")));
  json_object_put (report);

  /* Numbers that reached the database some other way (an older version, a hand edit) are
   * found by check: a conflict with the main monitor, a duplicate and a broken number. */
  {
    g_autofree char *path = g_build_filename (f->dir, "gatehouse.db", NULL);
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db,
      "INSERT INTO registration_numbers (device_id, kind, number, org_node_id, room_id, "
      "extension) SELECT d.id, 'vth', '02#01#302#0', r.org_node_id, r.id, 0 FROM devices d, "
      "rooms r WHERE d.name = 'VTH-302b' AND r.number = '302';"
      "INSERT INTO registration_numbers (device_id, kind, number) SELECT id, 'vto', "
      "'02#01#5' FROM devices WHERE name = 'VTO-1';", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "check", NULL);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "02#01#302 (device VTH-302) and 02#01#302#0 (device VTH-302b)");
  cli_assert_contains (r->err, "02#01#5 (device VTO-1) breaks the numbering rules");
  {
    g_autoptr(CliResult) json = cli_run (f->dir, NULL, "--json", "check", NULL);

    report = json_tokener_parse (json->out);
  }
  g_assert_false (json_object_get_boolean (json_object_object_get (report, "ok")));
  g_assert_cmpuint (json_object_array_length (json_object_object_get (report, "problems")), ==,
                    2);
  json_object_put (report);
  run_ok (f, "dial", "remove", "02#01#302#0", NULL);
  run_ok (f, "dial", "remove", "02#01#5", NULL);

  run_ok (f, "dial", "remove", "02#01#302#1", NULL);
  numbers = cli_run_json (f->dir, "dial", "list", "--device", "VTH-302b", NULL);
  g_assert_cmpuint (json_object_array_length (numbers), ==, 0);
  json_object_put (numbers);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli/org/places", test_places);
  ADD ("/cli/org/place-errors", test_place_errors);
  ADD ("/cli/org/import", test_import_rooms);
  ADD ("/cli/dial/add-and-check", test_dial_and_check);
#undef ADD

  return g_test_run ();
}
