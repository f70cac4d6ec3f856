/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gatehousectl group, notice and sync status: the store side of permissions and pushes. */
#include "cli-test-helpers.h"

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
  run_ok (f, "device", "add", "VTO-1", "--kind", "vto", "--host", "10.2.0.1", "--no-password",
          NULL);
  run_ok (f, "device", "add", "VTH-101", "--kind", "vth", "--host", "10.2.0.2",
          "--no-password", NULL);
  run_ok (f, "person", "add", "P1", "--name", "Ann", "--department", "Staff", NULL);
  run_ok (f, "person", "add", "P2", "--name", "Bob", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cli_remove_dir (f->dir);
  g_free (f->dir);
}

static void
test_groups (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CliResult) r = NULL;
  json_object *list, *group, *tasks;

  run_ok (f, "group", "add-template", "Office", "--schedule",
          "mon=08:00-12:00,13:00-18:00;fri=08:00-16:00;2026-12-25=", NULL);
  r = cli_run (f->dir, NULL, "group", "templates", NULL);
  cli_assert_status (r, 0);
  cli_assert_contains (r->out, "Office\tv1;mon=08:00-12:00,13:00-18:00;tue=;wed=;thu=;"
                               "fri=08:00-16:00;sat=;sun=;2026-12-25=");

  run_ok (f, "group", "add", "Staff", "--template", "Office", "--door", "VTO-1:1", "--verify",
          "card", NULL);
  run_ok (f, "group", "add-members", "Staff", "--person", "P2", "--department", "Staff", NULL);

  list = cli_run_json (f->dir, "group", "list", NULL);
  g_assert_cmpuint (json_object_array_length (list), ==, 1);
  group = json_object_array_get_idx (list, 0);
  g_assert_cmpint (json_object_get_int (json_object_object_get (group, "doors")), ==, 1);
  g_assert_cmpint (json_object_get_int (json_object_object_get (group, "persons")), ==, 1);
  g_assert_cmpint (json_object_get_int (json_object_object_get (group, "departments")), ==, 1);
  json_object_put (list);

  /* The change waits for the door station, item by item. */
  tasks = cli_run_json (f->dir, "sync", "status", "--device", "VTO-1", NULL);
  g_assert_cmpuint (json_object_array_length (tasks), >, 0);
  for (size_t i = 0; i < json_object_array_length (tasks); i++) {
    json_object *task = json_object_array_get_idx (tasks, i);

    g_assert_cmpstr (json_object_get_string (json_object_object_get (task, "device")), ==,
                     "VTO-1");
    g_assert_cmpstr (json_object_get_string (json_object_object_get (task, "status")), ==,
                     "pending");
  }
  json_object_put (tasks);

  /* A template in use cannot go; the members can. */
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "group", "remove-template", "Office", NULL);
  g_assert_cmpint (r->status, !=, 0);
  run_ok (f, "group", "remove-members", "Staff", "--person", "P2", NULL);
  run_ok (f, "group", "remove", "Staff", NULL);
  run_ok (f, "group", "remove-template", "Office", NULL);

  list = cli_run_json (f->dir, "group", "list", NULL);
  g_assert_cmpuint (json_object_array_length (list), ==, 0);
  json_object_put (list);
}

static void
test_group_errors (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    const char *args[10];
    int         status;
    const char *message;
  } cases[] = {
    { { "group", "add-template", "Bad", "--schedule", "mon=08:00-25:00", NULL }, 2,
      "is not a time section" },
    { { "group", "add-template", "Bad", "--schedule", "someday=08:00-09:00", NULL }, 2, "" },
    { { "group", "add", "G", "--door", "VTO-1:9", NULL }, 2, "door 9 does not exist" },
    { { "group", "add", "G", "--door", "VTO-1:x", NULL }, 2, "from 1 to 16" },
    { { "group", "add", "G", "--door", "Nowhere", NULL }, 1, "no device named “Nowhere”" },
    { { "group", "add", "G", "--template", "Never", NULL }, 1, "no time template “Never”" },
    { { "group", "add-members", "Nobody", "--person", "P1", NULL }, 1,
      "no permission group “Nobody”" },
    { { "group", "add-members", "G", NULL }, 2, "--person or --department" },
  };
  json_object *list;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(CliResult) r = cli_runv (f->dir, NULL, cases[i].args);

    cli_assert_status (r, cases[i].status);
    cli_assert_contains (r->err, cases[i].message);
  }

  list = cli_run_json (f->dir, "group", "list", NULL);
  g_assert_cmpuint (json_object_array_length (list), ==, 0);
  json_object_put (list);
}

static void
test_notices (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CliResult) r = NULL;
  json_object *list, *devices;

  /* An indoor monitor shows notices once it has a number. */
  r = cli_run (f->dir, NULL, "notice", "add", "Water off", "--body", "Tuesday 9–12", NULL);
  cli_assert_status (r, 2);
  cli_assert_contains (r->err, "no registration number");

  run_ok (f, "org", "add", "01#01#101", NULL);
  run_ok (f, "dial", "add", "VTH-101", "01#01#101", NULL);
  run_ok (f, "notice", "add", "Water off", "--body", "Tuesday 9–12", "--start", "2026-12-01",
          NULL);

  list = cli_run_json (f->dir, "notice", "list", NULL);
  g_assert_cmpuint (json_object_array_length (list), ==, 1);
  g_assert_cmpstr (json_object_get_string (json_object_object_get (
                     json_object_array_get_idx (list, 0), "title")), ==, "Water off");
  devices = json_object_object_get (json_object_array_get_idx (list, 0), "devices");
  g_assert_cmpuint (json_object_array_length (devices), ==, 1);
  g_assert_cmpstr (json_object_get_string (json_object_object_get (
                     json_object_array_get_idx (devices, 0), "device")), ==, "VTH-101");
  run_ok (f, "notice", "send", json_object_get_string (json_object_object_get (
            json_object_array_get_idx (list, 0), "id")), NULL);
  json_object_put (list);

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "notice", "send", "999", NULL);
  cli_assert_status (r, 1);
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "notice", "send", "first", NULL);
  cli_assert_status (r, 2);
}

static void
test_sync_unreachable (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CliResult) r = NULL;
  json_object *tasks;
  const char *reason = NULL;

  /* Nothing listens on port 9 of the loopback: the pushes fail at once, and stay queued with
   * the reason. */
  run_ok (f, "device", "remove", "VTO-1", "VTH-101", NULL);
  run_ok (f, "device", "add", "Dead", "--kind", "vto", "--host", "127.0.0.1", "--port", "9",
          "--no-password", NULL);
  run_ok (f, "group", "add", "G", "--door", "Dead:1", NULL);
  run_ok (f, "group", "add-members", "G", "--person", "P1", NULL);

  r = cli_run (f->dir, NULL, "sync", "run", "--max-backoff", "1", NULL);
  /* 1 when nothing could be sent, 3 when some items needed no device (the run did part) */
  if (r->status != 1)
    cli_assert_status (r, 3);
  cli_assert_contains (r->err, "still queued");
  cli_assert_contains (r->out, "Dead");

  tasks = cli_run_json (f->dir, "sync", "status", "--device", "Dead", NULL);
  g_assert_cmpuint (json_object_array_length (tasks), >, 0);
  for (size_t i = 0; i < json_object_array_length (tasks); i++) {
    json_object *task = json_object_array_get_idx (tasks, i);

    if (json_object_get_string (json_object_object_get (task, "error")) != NULL)
      reason = json_object_get_string (json_object_object_get (task, "error"));
  }
  g_assert_nonnull (reason);
  json_object_put (tasks);

  run_ok (f, "sync", "retry", "--device", "Dead", NULL);
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "sync", "status", "--all", NULL);
  cli_assert_status (r, 0);
  cli_assert_contains (r->out, "Dead");

  g_clear_pointer (&r, cli_result_free);
  r = cli_run (f->dir, NULL, "sync", "run", "--wait", "-1", NULL);
  cli_assert_status (r, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli/group/groups", test_groups);
  ADD ("/cli/group/errors", test_group_errors);
  ADD ("/cli/notice/add-list-send", test_notices);
  ADD ("/cli/sync/unreachable", test_sync_unreachable);
#undef ADD

  return g_test_run ();
}
