/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gatehousectl person …: the real binary against a fresh data folder. */
#include "cli-test-helpers.h"

#include <string.h>
#include <sys/wait.h>

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = cli_make_data_dir ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cli_remove_dir (f->dir);
  g_free (f->dir);
}

static guint
count_persons (Fixture *f)
{
  json_object *list = cli_run_json (f->dir, "person", "list", NULL);
  guint n = (guint)json_object_array_length (list);

  json_object_put (list);
  return n;
}

static void
test_add_show_remove (Fixture       *f,
                      gconstpointer  data)
{
  /* A minimal JPEG header is enough for the store; the CLI checks the magic bytes. */
  static const char jpeg[] = "\xff\xd8\xff\xe0" "fake image";
  g_autofree char *face = cli_write_file (f->dir, "ann.jpg", jpeg, sizeof jpeg - 1);
  g_autoptr(CliResult) r = NULL;
  json_object *obj, *cards;

  r = cli_run (f->dir, NULL, "person", "add", "P001", "--name", "Ann Lee", "--card", "00a1b2c3",
               "--card", "DD01", "--password", "123456", "--face", face, "--department",
               "Block A/Staff", "--valid-from", "2026-01-01", "--valid-to", "2026-12-31", NULL);
  cli_assert_status (r, 0);

  obj = cli_run_json (f->dir, "person", "show", "P001", NULL);
  g_assert_cmpstr (json_object_get_string (json_object_object_get (obj, "name")), ==, "Ann Lee");
  g_assert_cmpstr (json_object_get_string (json_object_object_get (obj, "department")), ==,
                   "Staff");
  g_assert_cmpstr (json_object_get_string (json_object_object_get (obj, "valid_to")), ==,
                   "2026-12-31 23:59:59");
  g_assert_true (json_object_get_boolean (json_object_object_get (obj, "password_set")));
  g_assert_cmpint (json_object_get_int (json_object_object_get (obj, "faces")), ==, 1);
  cards = json_object_object_get (obj, "cards");
  g_assert_cmpuint (json_object_array_length (cards), ==, 2);
  g_assert_cmpstr (json_object_get_string (json_object_object_get (
                     json_object_array_get_idx (cards, 0), "number")), ==, "00A1B2C3");
  json_object_put (obj);

  /* text output names the person too */
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "person", "list", NULL);
  cli_assert_status (r, 0);
  cli_assert_contains (r->out, "P001");
  cli_assert_contains (r->out, "Ann Lee");

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "person", "remove", "P001", NULL);
  cli_assert_status (r, 0);
  g_assert_cmpuint (count_persons (f), ==, 0);

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "person", "remove", "P001", NULL);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "gatehousectl: person remove: ");
}

static void
test_bad_arguments (Fixture       *f,
                    gconstpointer  data)
{
  static const struct {
    const char *args[8];
    int         status;
    const char *message;
  } cases[] = {
    { { "person", "add", NULL }, 2, "give exactly one person ID" },
    { { "person", "add", "P1", "--password", "12", NULL }, 2, "6 to 8" },
    { { "person", "add", "P1", "--card", "XYZ", NULL }, 2, "not hexadecimal" },
    { { "person", "add", "P1", "--valid-from", "soon", NULL }, 2, "not a time" },
    { { "person", "add", "P1", "--valid-from", "2026-02-01", "--valid-to", "2026-01-01", NULL },
      2, "ends before it starts" },
    { { "person", "add", "P1", "--face", "/nonexistent.jpg", NULL }, 2, "cannot be read" },
    { { "person", "add", "P1", "--face", "/etc/hostname", NULL }, 2, "neither JPEG" },
    { { "person", "add", "P1", "--bogus", NULL }, 2, "Unknown option" },
    { { "person", "frobnicate", NULL }, 2, "unknown action" },
    { { "frobnicate", NULL }, 2, "unknown command" },
    { { "person", NULL }, 2, "needs an action" },
    { { "person", "list", "--limit", "-1", NULL }, 2, "--limit" },
    { { "person", "list", "--data-dir", "", NULL }, 2, "--data-dir needs a folder name" },
    { { "person", "list", "--user", "", NULL }, 2, "--user needs a name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(CliResult) r = cli_runv (f->dir, NULL, cases[i].args);

    cli_assert_status (r, cases[i].status);
    cli_assert_contains (r->err, cases[i].message);
    g_assert_cmpstr (r->out, ==, "");
  }

  /* nothing was written by any of them */
  g_assert_cmpuint (count_persons (f), ==, 0);
}

static void
test_global_options_anywhere (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(CliResult) r = NULL;
  const char *before[] = { "--json", "person", "list", NULL };
  const char *after[] = { "person", "list", "-j", NULL };

  r = cli_runv (f->dir, NULL, before);
  cli_assert_status (r, 0);
  g_assert_cmpstr (r->out, ==, "[]\n");
  g_clear_pointer (&r, cli_result_free);
  r = cli_runv (f->dir, NULL, after);
  cli_assert_status (r, 0);
  g_assert_cmpstr (r->out, ==, "[]\n");

  /* --data-dir after the action wins as well */
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (NULL, NULL, "person", "add", "X1", "--data-dir", f->dir, NULL);
  cli_assert_status (r, 0);
  g_assert_cmpuint (count_persons (f), ==, 1);
}

#define HEADER "person_id,name,department,cards,password,valid_from,valid_to,remark\n"

static void
test_import_all_or_nothing (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *csv = cli_write_file (f->dir, "people.csv",
    HEADER
    "A1,Ann,Tower/Staff,0A0A0001;0A0A0002,123456,2026-01-01,,\"likes \"\"tea\"\", coffee\"\n"
    "A2,Bob,,0A0A0003,,,,\n"
    "A3,\"Multi\nLine\",,ZZZ,,,,\n"        /* line 4: bad card; the row spans two lines */
    "A4,Dup card,,0A0A0001,,,,\n"          /* line 6: card of A1 */
    "A1,Same ID,,,,,,\n"                    /* line 7: ID taken (by row 2) */
    "A5,Bad date,,,,2026-13-45,,\n"        /* line 8 */
    "A6,Short pw,,,12,,,\n"                 /* line 9 */
    "A7,Fine,,,,,,\n"
    "A8,Smith, John,,,,,,\n", -1);          /* line 11: an unquoted comma */
  g_autoptr(CliResult) r = NULL;
  g_autoptr(CliResult) dry = NULL;
  json_object *obj;

  r = cli_run (f->dir, NULL, "person", "import", csv, NULL);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "people.csv:4: ");
  cli_assert_contains (r->err, "not hexadecimal");
  cli_assert_contains (r->err, "people.csv:6: Card 0A0A0001 is already issued to Ann");
  cli_assert_contains (r->err, "people.csv:7: The person ID A1 is already used");
  cli_assert_contains (r->err, "people.csv:8: valid_from");
  cli_assert_contains (r->err, "people.csv:9: ");
  cli_assert_contains (r->err, "people.csv:11: the row has 9 fields but the header names 8");
  cli_assert_contains (r->err, "6 bad rows; nothing was written");
  g_assert_null (strstr (r->err, "people.csv:2:"));
  g_assert_null (strstr (r->err, "people.csv:10:"));
  g_assert_cmpuint (count_persons (f), ==, 0);

  /* --dry-run says what would happen and writes nothing either */
  dry = cli_run (f->dir, NULL, "person", "import", "--dry-run", "--skip-bad", csv, NULL);
  cli_assert_status (dry, 3);
  cli_assert_contains (dry->out, "line 2: would add person A1 (Ann)");
  cli_assert_contains (dry->out, "line 10: would add person A7 (Fine)");
  cli_assert_contains (dry->out, "3 persons would be added, 6 bad rows");
  g_assert_cmpuint (count_persons (f), ==, 0);

  /* --skip-bad writes the three good rows, exit status 3 */
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "--json", "person", "import", "--skip-bad", csv, NULL);
  cli_assert_status (r, 3);
  obj = json_tokener_parse (r->out);
  g_assert_nonnull (obj);
  g_assert_cmpint (json_object_get_int (json_object_object_get (obj, "added")), ==, 3);
  g_assert_cmpint (json_object_get_int (json_object_object_get (obj, "bad_rows")), ==, 6);
  g_assert_cmpint (json_object_get_int (json_object_object_get (
                     json_object_array_get_idx (json_object_object_get (obj, "problems"), 0),
                     "line")), ==, 4);
  json_object_put (obj);
  g_assert_cmpuint (count_persons (f), ==, 3);

  obj = cli_run_json (f->dir, "person", "show", "A1", NULL);
  g_assert_cmpuint (json_object_array_length (json_object_object_get (obj, "cards")), ==, 2);
  g_assert_cmpstr (json_object_get_string (json_object_object_get (obj, "remark")), ==,
                   "likes \"tea\", coffee");
  g_assert_cmpstr (json_object_get_string (json_object_object_get (obj, "department")), ==,
                   "Staff");
  json_object_put (obj);
}

static void
test_import_bad_files (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *unknown = cli_write_file (f->dir, "u.csv", "person_id,colour\nA,red\n", -1);
  g_autofree char *missing = cli_write_file (f->dir, "m.csv", "name\nAnn\n", -1);
  g_autofree char *open_quote = cli_write_file (f->dir, "q.csv",
                                                "person_id,name\nB1,ok\nB2,\"never closed\n",
                                                -1);
  g_autofree char *empty = cli_write_file (f->dir, "e.csv", "", -1);
  g_autoptr(CliResult) r = NULL;

  r = cli_run (f->dir, NULL, "person", "import", unknown, NULL);
  cli_assert_status (r, 2);
  cli_assert_contains (r->err, "unknown column “colour”");

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "person", "import", missing, NULL);
  cli_assert_status (r, 2);
  cli_assert_contains (r->err, "“person_id” is missing");

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "person", "import", open_quote, NULL);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "line 3: a quoted field is never closed");

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "person", "import", empty, NULL);
  cli_assert_status (r, 2);
  cli_assert_contains (r->err, "is empty");

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "person", "import", "/nonexistent/x.csv", NULL);
  cli_assert_status (r, 2);
  cli_assert_contains (r->err, "cannot open");

  g_assert_cmpuint (count_persons (f), ==, 0);
}

static void
test_import_stdin_and_export_round_trip (Fixture       *f,
                                         gconstpointer  data)
{
  g_autoptr(CliResult) r = NULL;
  g_autoptr(CliResult) exported = NULL;
  g_autoptr(CliResult) again = NULL;
  g_autofree char *other = cli_make_data_dir ();
  g_autofree char *file = NULL;

  r = cli_run (f->dir, HEADER "S1,\"Smith, Sam\",Ops/Night,0B000001;0B000002,654321,"
               "2026-03-01 08:00,2026-04-01,\"two\nlines\"\nS2,Sue,,,,,,\n",
               "person", "import", "-", NULL);
  cli_assert_status (r, 0);
  cli_assert_contains (r->out, "Added 2 persons");

  exported = cli_run (f->dir, NULL, "person", "export", "--with-passwords", NULL);
  cli_assert_status (exported, 0);
  cli_assert_contains (exported->out, "S1,\"Smith, Sam\",Ops/Night,");
  cli_assert_contains (exported->out, "0B000001;0B000002,654321");

  /* The export imports into another folder and exports identically. */
  file = cli_write_file (other, "export.csv", exported->out, -1);
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (other, NULL, "person", "import", file, NULL);
  cli_assert_status (r, 0);
  again = cli_run (other, NULL, "person", "export", "--with-passwords", NULL);
  cli_assert_status (again, 0);
  g_assert_cmpstr (again->out, ==, exported->out);

  cli_remove_dir (other);
}

static void
test_rooms (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *csv = cli_write_file (f->dir, "rooms.csv",
                                         "person_id,name,room\n"
                                         "H1,Hana,02#01#302\n"
                                         "H2,Hugo,02#01#999\n"
                                         "H3,Hans,\n", -1);
  g_autoptr(CliResult) r = NULL;
  g_autoptr(CliResult) exported = NULL;
  json_object *obj;

  r = cli_run (f->dir, NULL, "org", "add", "02#01#302", NULL);
  cli_assert_status (r, 0);

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "person", "add", "H0", "--room", "02#01#302", NULL);
  cli_assert_status (r, 0);
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "person", "add", "HX", "--room", "02#01#303", NULL);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "There is no room 02#01#303");

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "person", "import", "--skip-bad", csv, NULL);
  cli_assert_status (r, 3);
  cli_assert_contains (r->err, "rooms.csv:3: There is no room 02#01#999");

  obj = cli_run_json (f->dir, "person", "show", "H1", NULL);
  g_assert_cmpstr (json_object_get_string (json_object_object_get (obj, "room")), ==,
                   "02#01#302");
  json_object_put (obj);

  exported = cli_run (f->dir, NULL, "person", "export", NULL);
  cli_assert_contains (exported->out, "H1,Hana,,02#01#302,");
  cli_assert_contains (exported->out, "H3,Hans,,,");
}

/* Two writers at once, as with the application open: the second waits, neither fails. */
static void
test_concurrent_writers (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("person_id,cards\n");
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  g_autofree char *err = NULL;

  for (guint i = 1; i <= 5000; i++)
    g_string_append_printf (csv, "C%05u,%08X\n", i, 0x20000000 + i);
  file = cli_write_file (f->dir, "many.csv", csv->str, (gssize)csv->len);

  g_subprocess_launcher_setenv (launcher, "GATEHOUSE_USER", CLI_TEST_USER, TRUE);
  g_subprocess_launcher_setenv (launcher, "GATEHOUSE_PASSWORD", CLI_TEST_PASSWORD, TRUE);
  import = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("GATEHOUSECTL"),
                                        "--data-dir", f->dir, "person", "import", file, NULL);
  g_assert_no_error (error);

  for (guint i = 0; i < 5; i++) {
    g_autofree char *id = g_strdup_printf ("SIDE%u", i);
    const char *args[] = { "person", "add", id, NULL };
    g_autoptr(CliResult) r = cli_runv (f->dir, NULL, args);

    cli_assert_status (r, 0);
  }

  g_subprocess_communicate_utf8 (import, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (import) != 0)
    g_error ("the import failed next to another writer: %s", err);

  g_assert_cmpuint (count_persons (f), ==, 5005);
}

/* On a terminal the import draws a progress line, and bad rows still get lines of their own. */
static void
test_progress_on_terminal (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *script = g_find_program_in_path ("script");
  g_autoptr(GString) csv = g_string_new ("person_id\n");
  g_autofree char *file = NULL;
  g_autofree char *command = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = NULL;
  int status;

  if (script == NULL) {
    g_test_skip ("script(1) is needed to run the import on a terminal");
    return;
  }

  for (guint i = 1; i <= 20000; i++)
    g_string_append_printf (csv, "T%05u\n", i);
  g_string_append (csv, "bad id\n");
  file = cli_write_file (f->dir, "terminal.csv", csv->str, (gssize)csv->len);
  command = g_strdup_printf ("%s --data-dir %s person import --skip-bad %s",
                             g_getenv ("GATEHOUSECTL"), f->dir, file);

  env = g_environ_setenv (g_get_environ (), "GATEHOUSE_USER", CLI_TEST_USER, TRUE);
  env = g_environ_setenv (env, "GATEHOUSE_PASSWORD", CLI_TEST_PASSWORD, TRUE);
  g_spawn_sync (NULL, (char *[]) { script, (char *)"-qec", command, (char *)"/dev/null", NULL },
                env, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 3)
    g_error ("import on a terminal: status %d\n%s", status, out);
  cli_assert_contains (out, "\rImporting persons: ");
  cli_assert_contains (out, "\r\033[Kgatehousectl: ");
  cli_assert_contains (out, "terminal.csv:20002: ");

  /* …and none without a terminal. */
  {
    g_autoptr(CliResult) r = cli_run (f->dir, NULL, "person", "import", "--dry-run", file, NULL);

    g_assert_null (strstr (r->err, "Importing persons"));
  }
}

static void
test_import_large (Fixture       *f,
                   gconstpointer  data)
{
  guint n = g_test_slow () ? 100000 : 5000;
  g_autoptr(GString) csv = g_string_new ("person_id,name,cards\n");
  g_autofree char *file = NULL;
  g_autoptr(CliResult) r = NULL;
  json_object *list;
  gint64 start;

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (csv, "L%06u,Person %u,%08X\n", i, i, 0x10000000 + i);
  file = cli_write_file (f->dir, "large.csv", csv->str, (gssize)csv->len);

  start = g_get_monotonic_time ();
  r = cli_run (f->dir, NULL, "--quiet", "person", "import", file, NULL);
  cli_assert_status (r, 0);
  g_test_message ("imported %u persons in %.1f s", n,
                  (g_get_monotonic_time () - start) / 1e6);

  list = cli_run_json (f->dir, "person", "list", "--search", "L000042", NULL);
  g_assert_cmpuint (json_object_array_length (list), ==, 1);
  json_object_put (list);
  g_assert_cmpuint (count_persons (f), ==, n);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli/person/add-show-remove", test_add_show_remove);
  ADD ("/cli/person/bad-arguments", test_bad_arguments);
  ADD ("/cli/person/global-options-anywhere", test_global_options_anywhere);
  ADD ("/cli/person/import-all-or-nothing", test_import_all_or_nothing);
  ADD ("/cli/person/import-bad-files", test_import_bad_files);
  ADD ("/cli/person/import-stdin-export-round-trip", test_import_stdin_and_export_round_trip);
  ADD ("/cli/person/rooms", test_rooms);
  ADD ("/cli/person/concurrent-writers", test_concurrent_writers);
  ADD ("/cli/person/progress-on-terminal", test_progress_on_terminal);
  ADD ("/cli/person/import-large", test_import_large);
#undef ADD

  return g_test_run ();
}
