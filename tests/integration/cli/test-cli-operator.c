/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gatehousectl operator … and audit …: logins, the first administrator, the audit chain. */
#include "cli-test-helpers.h"

#include <sqlite3.h>
#include <string.h>

static void
test_first_administrator (void)
{
  g_autofree char *dir = cli_make_dir ();
  const char *list[] = { "person", "list", NULL };
  const char *init[] = { "operator", "init", "--user", "chief", NULL };
  const char *init_no_user[] = { "operator", "init", NULL };
  g_autoptr(CliResult) r = NULL;

  /* Nothing works before the administrator exists, and the message says what to do. */
  r = cli_runv_as (NULL, NULL, dir, NULL, list);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "gatehousectl operator init --user NAME");

  g_clear_pointer (&r, cli_result_free);
  r = cli_runv_as (NULL, CLI_TEST_PASSWORD, dir, NULL, init_no_user);
  cli_assert_status (r, 2);
  cli_assert_contains (r->err, "--user NAME");

  /* The password policy refuses a weak one, and nothing is created. */
  g_clear_pointer (&r, cli_result_free);
  r = cli_runv_as (NULL, "abc", dir, NULL, init);
  cli_assert_status (r, 2);
  g_clear_pointer (&r, cli_result_free);
  r = cli_runv_as (CLI_TEST_USER, CLI_TEST_PASSWORD, dir, NULL, list);
  cli_assert_status (r, 1);

  g_clear_pointer (&r, cli_result_free);
  r = cli_runv_as (NULL, CLI_TEST_PASSWORD, dir, NULL, init);
  cli_assert_status (r, 0);
  cli_assert_contains (r->out, "Created administrator chief");

  /* Only once. */
  g_clear_pointer (&r, cli_result_free);
  r = cli_runv_as (NULL, CLI_TEST_PASSWORD, dir, NULL, init);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "already exists");

  g_clear_pointer (&r, cli_result_free);
  r = cli_runv_as (CLI_TEST_USER, CLI_TEST_PASSWORD, dir, NULL, list);
  cli_assert_status (r, 0);

  cli_remove_dir (dir);
}

static void
test_login (void)
{
  g_autofree char *dir = cli_make_data_dir ();
  const char *list[] = { "person", "list", NULL };
  const char *add_guard[] = { "operator", "add", "gate", "--role", "guard", NULL };
  const char *add_person[] = { "person", "add", "P1", NULL };
  g_autoptr(CliResult) r = NULL;

  r = cli_runv_as (NULL, CLI_TEST_PASSWORD, dir, NULL, list);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "log in with --user NAME");

  g_clear_pointer (&r, cli_result_free);
  r = cli_runv_as (CLI_TEST_USER, "Wrong-Password-77", dir, NULL, list);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "Wrong user name or password");

  /* No password and no terminal: say how to give one. */
  g_clear_pointer (&r, cli_result_free);
  r = cli_runv_as (CLI_TEST_USER, NULL, dir, NULL, list);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "GATEHOUSE_PASSWORD");

  /* A guard may list but not add persons; passwd changes the guard's own password. */
  g_setenv ("GATEHOUSE_NEW_PASSWORD", "Guard-Duty-Pw42", TRUE);
  g_clear_pointer (&r, cli_result_free);
  r = cli_runv (dir, NULL, add_guard);
  cli_assert_status (r, 0);

  g_clear_pointer (&r, cli_result_free);
  r = cli_runv_as ("gate", "Guard-Duty-Pw42", dir, NULL, list);
  cli_assert_status (r, 0);

  {
    const char *passwd[] = { "operator", "passwd", NULL };

    g_setenv ("GATEHOUSE_NEW_PASSWORD", "Night-Watch-Pw73", TRUE);
    g_clear_pointer (&r, cli_result_free);
    r = cli_runv_as ("gate", "Guard-Duty-Pw42", dir, NULL, passwd);
    cli_assert_status (r, 0);
  }
  g_unsetenv ("GATEHOUSE_NEW_PASSWORD");

  g_clear_pointer (&r, cli_result_free);
  r = cli_runv_as ("gate", "Guard-Duty-Pw42", dir, NULL, list);
  cli_assert_status (r, 1);

  g_clear_pointer (&r, cli_result_free);
  r = cli_runv_as ("gate", "Night-Watch-Pw73", dir, NULL, add_person);
  cli_assert_status (r, 1);
  cli_assert_contains (r->err, "gatehousectl: person add: ");
  g_assert_cmpstr (r->out, ==, "");

  g_clear_pointer (&r, cli_result_free);
  r = cli_runv (dir, NULL, (const char *[]) { "--json", "operator", "list", NULL });
  cli_assert_status (r, 0);
  cli_assert_contains (r->out, "\"username\":\"gate\",\"role\":\"guard\"");

  cli_remove_dir (dir);
}

static void
test_audit_verify (void)
{
  g_autofree char *dir = cli_make_data_dir ();
  g_autofree char *db_path = g_build_filename (dir, "gatehouse.db", NULL);
  const char *verify[] = { "audit", "verify", NULL };
  g_autoptr(CliResult) r = NULL;
  g_autoptr(CliResult) exported = NULL;
  sqlite3 *db = NULL;
  gint64 victim = 0;

  for (int i = 0; i < 3; i++) {
    g_autofree char *id = g_strdup_printf ("V%d", i);
    const char *add[] = { "person", "add", id, NULL };

    g_clear_pointer (&r, cli_result_free);
    r = cli_runv (dir, NULL, add);
    cli_assert_status (r, 0);
  }

  g_clear_pointer (&r, cli_result_free);
  r = cli_runv (dir, NULL, verify);
  cli_assert_status (r, 0);
  cli_assert_contains (r->out, "The audit log is intact");

  exported = cli_runv (dir, NULL, (const char *[]) { "audit", "export", "--format", "jsonl",
                                                     NULL });
  cli_assert_status (exported, 0);
  cli_assert_contains (exported->out, "person.add");

  /* Someone with write access to the file drops the append-only triggers and edits an entry
   * behind Gatehouse's back. */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id FROM audit_log WHERE action = "
                                         "'person.add' ORDER BY id LIMIT 1 OFFSET 1", -1,
                                         &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    victim = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
  }
  {
    g_autofree char *sql = g_strdup_printf ("DROP TRIGGER IF EXISTS audit_log_no_update;"
                                            "UPDATE audit_log SET detail = 'nothing to see' "
                                            "WHERE id = %" G_GINT64_FORMAT, victim);

    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }
  sqlite3_close (db);

  g_clear_pointer (&r, cli_result_free);
  r = cli_runv (dir, NULL, (const char *[]) { "--json", "audit", "verify", NULL });
  cli_assert_status (r, 1);
  {
    json_object *obj = json_tokener_parse (r->out);

    g_assert_nonnull (obj);
    g_assert_false (json_object_get_boolean (json_object_object_get (obj, "intact")));
    g_assert_cmpint (json_object_get_int64 (json_object_object_get (obj, "first_broken_id")),
                     ==, victim);
    json_object_put (obj);
  }

  g_clear_pointer (&r, cli_result_free);
  r = cli_runv (dir, NULL, verify);
  cli_assert_status (r, 1);
  {
    g_autofree char *needle = g_strdup_printf ("%" G_GINT64_FORMAT, victim);

    cli_assert_contains (r->err, needle);
  }

  cli_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/operator/first-administrator", test_first_administrator);
  g_test_add_func ("/cli/operator/login", test_login);
  g_test_add_func ("/cli/audit/verify", test_audit_verify);

  return g_test_run ();
}
