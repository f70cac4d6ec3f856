/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-cli-operator"

#include "config.h"

#include "gh-cli.h"

#include "gh-audit-log.h"
#include "gh-auth.h"
#include "gh-error.h"
#include "gh-operator-store.h"

#include <gio/gunixoutputstream.h>
#include <string.h>
#include <unistd.h>

/* gatehousectl operator init|add|list|passwd and audit verify|export */

/* A new password: from @env, or asked twice on the terminal. */
static char *
read_new_password (const char  *env,
                   const char  *who,
                   GError     **error)
{
  g_autofree char *prompt = g_strdup_printf ("New password for %s: ", who);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  if (g_getenv (env) != NULL)
    return g_strdup (g_getenv (env));

  first = gh_cli_read_password (env, prompt, error);
  if (first == NULL)
    return NULL;
  second = gh_cli_read_password (env, "Repeat it: ", error);
  if (second == NULL)
    return NULL;

  if (strcmp (first, second) != 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 "the two passwords differ; nothing was changed");
    return NULL;
  }

  return g_steal_pointer (&first);
}

static int
operator_init (GhCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) session = NULL;
  g_autofree char *password = NULL;
  const char *user;

  if (!gh_cli_parse (cli, NULL, NULL, "Creates the first operator, an administrator named by "
                     "--user, when none exists yet. The password comes from GATEHOUSE_PASSWORD "
                     "or is asked twice.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);

  user = gh_cli_get_user (cli);
  if (user == NULL || *user == '\0')
    return gh_cli_usage_error (cli, "name the administrator with --user NAME");
  if (!gh_operator_store_check_username (user, &error))
    return gh_cli_fail (cli, error);

  if (!gh_cli_open_database (cli, &error))
    return gh_cli_fail (cli, error);

  if (gh_auth_has_operators (cli->database, &error)) {
    g_set_error (&error, GH_ERROR, GH_ERROR_EXISTS,
                 "an administrator already exists; further operators are added by one with "
                 "“gatehousectl operator add”");
    return gh_cli_fail (cli, error);
  }
  if (error != NULL)
    return gh_cli_fail (cli, error);

  password = read_new_password ("GATEHOUSE_PASSWORD", user, &error);
  if (password == NULL)
    return gh_cli_fail (cli, error);

  session = gh_auth_create_first_administrator (cli->database, user, password, "cli", &error);
  if (session == NULL)
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("Created administrator %s\n", user);

  return GH_CLI_EXIT_OK;
}

static int
operator_add (GhCli  *cli,
              int     argc,
              char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhOperatorStore) store = NULL;
  g_autofree char *role_name = NULL;
  g_autofree char *password = NULL;
  GhRole role = GH_ROLE_OPERATOR;
  GOptionEntry entries[] = {
    { "role", 'r', 0, G_OPTION_ARG_STRING, &role_name,
      "administrator, installer, operator (default) or guard", "ROLE" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, "NAME", "Adds an operator account. Its password comes "
                     "from GATEHOUSE_NEW_PASSWORD or is asked twice.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one operator name");
  if (role_name != NULL && !gh_role_from_string (role_name, &role))
    return gh_cli_usage_error (cli, "unknown role “%s”; use administrator, installer, operator "
                               "or guard", role_name);
  if (!gh_operator_store_check_username (argv[1], &error))
    return gh_cli_fail (cli, error);

  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  password = read_new_password ("GATEHOUSE_NEW_PASSWORD", argv[1], &error);
  if (password == NULL)
    return gh_cli_fail (cli, error);

  store = gh_operator_store_new (cli->database);
  if (gh_operator_store_add (store, cli->session, argv[1], password, role, &error) <= 0)
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("Added %s %s\n", gh_role_to_string (role), argv[1]);

  return GH_CLI_EXIT_OK;
}

static int
operator_list (GhCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhOperatorStore) store = NULL;
  g_autoptr(GPtrArray) operators = NULL;

  if (!gh_cli_parse (cli, NULL, NULL, "Lists operator accounts.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  store = gh_operator_store_new (cli->database);
  operators = gh_operator_store_list (store, cli->session, &error);
  if (operators == NULL)
    return gh_cli_fail (cli, error);

  if (cli->json) {
    g_autoptr(json_object) array = json_object_new_array ();

    for (guint i = 0; i < operators->len; i++) {
      GhOperator *op = g_ptr_array_index (operators, i);
      json_object *obj = json_object_new_object ();

      json_object_object_add (obj, "username", json_object_new_string (op->username));
      json_object_object_add (obj, "role", json_object_new_string (gh_role_to_string (op->role)));
      json_object_object_add (obj, "disabled", json_object_new_boolean (op->disabled));
      json_object_object_add (obj, "locked", json_object_new_boolean (
                                op->locked_until > g_get_real_time () / G_USEC_PER_SEC));
      json_object_array_add (array, obj);
    }
    gh_cli_print_json (array);
  } else {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

    g_ptr_array_add (rows, g_strdupv ((char *[]) { "NAME", "ROLE", "STATE", NULL }));
    for (guint i = 0; i < operators->len; i++) {
      GhOperator *op = g_ptr_array_index (operators, i);
      char **row = g_new0 (char *, 4);

      row[0] = g_strdup (op->username);
      row[1] = g_strdup (gh_role_to_string (op->role));
      row[2] = g_strdup (op->disabled ? "disabled"
                         : op->locked_until > g_get_real_time () / G_USEC_PER_SEC ? "locked"
                         : "active");
      g_ptr_array_add (rows, row);
    }
    gh_cli_print_table (rows, 3);
  }

  return GH_CLI_EXIT_OK;
}

static int
operator_passwd (GhCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_password = NULL;
  g_autofree char *new_password = NULL;

  if (!gh_cli_parse (cli, NULL, NULL, "Changes the password of the operator given by --user. "
                     "The current one comes from GATEHOUSE_PASSWORD or a prompt, the new one "
                     "from GATEHOUSE_NEW_PASSWORD or is asked twice.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);

  cli->allow_password_change = TRUE;
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  old_password = gh_cli_read_password ("GATEHOUSE_PASSWORD", "Current password: ", &error);
  if (old_password == NULL)
    return gh_cli_fail (cli, error);
  new_password = read_new_password ("GATEHOUSE_NEW_PASSWORD", gh_cli_get_user (cli), &error);
  if (new_password == NULL)
    return gh_cli_fail (cli, error);

  if (!gh_auth_change_password (cli->database, cli->session, old_password, new_password,
                                &error))
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("Changed the password of %s\n", gh_cli_get_user (cli));

  return GH_CLI_EXIT_OK;
}

static int
audit_verify (GhCli  *cli,
              int     argc,
              char  **argv)
{
  g_autoptr(GError) error = NULL;
  guint64 n_entries = 0;
  gint64 first_broken = 0;
  gboolean intact;

  if (!gh_cli_parse (cli, NULL, NULL, "Checks the audit log's chain of message authentication "
                     "codes and names the first broken entry. Exit status 1 when broken.",
                     &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  intact = gh_audit_log_verify (cli->database, cli->session, &n_entries, &first_broken, &error);

  if (cli->json) {
    g_autoptr(json_object) obj = json_object_new_object ();

    json_object_object_add (obj, "intact", json_object_new_boolean (intact));
    json_object_object_add (obj, "entries", json_object_new_int64 ((gint64)n_entries));
    json_object_object_add (obj, "first_broken_id", first_broken > 0
                                                      ? json_object_new_int64 (first_broken)
                                                      : NULL);
    json_object_object_add (obj, "message", error ? json_object_new_string (error->message)
                                                  : NULL);
    gh_cli_print_json (obj);
  }

  if (!intact) {
    if (!cli->json)
      gh_cli_fail (cli, error);
    return GH_CLI_EXIT_FAILURE;
  }

  if (!cli->json && !cli->quiet)
    g_print ("The audit log is intact (%" G_GUINT64_FORMAT " entries checked)\n", n_entries);

  return GH_CLI_EXIT_OK;
}

static int
audit_export (GhCli  *cli,
              int     argc,
              char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  GhAuditExportFormat fmt = GH_AUDIT_EXPORT_CSV;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "csv (default) or jsonl", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (default: standard "
      "output)", "FILE" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, NULL, "Writes the audit log.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);
  if (format != NULL && strcmp (format, "jsonl") == 0)
    fmt = GH_AUDIT_EXPORT_JSON_LINES;
  else if (format != NULL && strcmp (format, "csv") != 0)
    return gh_cli_usage_error (cli, "unknown format “%s”; use csv or jsonl", format);
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  if (output != NULL && strcmp (output, "-") != 0) {
    g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);

    stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL,
                                              &error));
    if (stream == NULL)
      return gh_cli_fail (cli, error);
  } else {
    stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  }

  if (!gh_audit_log_export (cli->database, cli->session, fmt, stream, NULL, &error) ||
      !g_output_stream_close (stream, NULL, &error))
    return gh_cli_fail (cli, error);

  return GH_CLI_EXIT_OK;
}

const GhCliCommand gh_cli_operator_commands[] = {
  { "operator", "init", operator_init, "Create the first administrator" },
  { "operator", "add", operator_add, "Add an operator account" },
  { "operator", "list", operator_list, "List operator accounts" },
  { "operator", "passwd", operator_passwd, "Change your password" },
  { NULL },
};

const GhCliCommand gh_cli_audit_commands[] = {
  { "audit", "verify", audit_verify, "Check the audit log and name the first broken entry" },
  { "audit", "export", audit_export, "Write the audit log as CSV or JSON lines" },
  { NULL },
};
