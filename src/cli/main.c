/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gatehousectl"

#include "config.h"

#include "gh-cli.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

static const GhCliCommand *command_tables[] = {
  gh_cli_operator_commands,
  gh_cli_device_commands,
  gh_cli_org_commands,
  gh_cli_dial_commands,
  gh_cli_check_commands,
  gh_cli_person_commands,
  gh_cli_group_commands,
  gh_cli_notice_commands,
  gh_cli_sync_commands,
  gh_cli_door_commands,
  gh_cli_records_commands,
  gh_cli_records_store_commands,
  gh_cli_events_commands,
  gh_cli_audit_commands,
  NULL,
};

/* Help asked for goes to standard output; help after a mistake goes to standard error. */
static void
print_help (const char *group,
            gboolean    to_stderr)
{
  void (*print) (const char *, ...) = to_stderr ? g_printerr : g_print;
  const char *last_group = NULL;

  print ("Usage: gatehousectl [--data-dir DIR] [--user NAME] [--json] COMMAND ACTION "
           "[OPTIONS…]\n\n");
  print ("Manage a Gatehouse community from the command line. Each action has its own "
           "--help.\n\nCommands:\n");

  for (guint t = 0; command_tables[t] != NULL; t++) {
    for (const GhCliCommand *c = command_tables[t]; c->group != NULL; c++) {
      if (group != NULL && strcmp (group, c->group) != 0)
        continue;
      if (g_strcmp0 (last_group, c->group) != 0 && last_group != NULL && group == NULL)
        print ("\n");
      last_group = c->group;
      {
        g_autofree char *name = g_strconcat (c->group, " ", c->action, NULL);

        print ("  %-26s %s\n", name, c->summary);
      }
    }
  }

  print ("\nGlobal options:\n"
           "  -d, --data-dir DIR   data folder (default $XDG_DATA_HOME/gatehouse)\n"
           "  -u, --user NAME      operator to log in as (password: GATEHOUSE_PASSWORD or a "
           "prompt)\n"
           "  -j, --json           listings as JSON\n"
           "  -q, --quiet          no progress or summaries\n"
           "\nExit status: 0 ok, 1 failure, 2 wrong command line (nothing written), 3 partly "
           "done.\nSee gatehousectl(1).\n");
}

static gboolean
group_exists (const char *group)
{
  for (guint t = 0; command_tables[t] != NULL; t++)
    for (const GhCliCommand *c = command_tables[t]; c->group != NULL; c++)
      if (strcmp (c->group, group) == 0)
        return TRUE;

  return FALSE;
}

static const GhCliCommand *
find_command (const char *group,
              const char *action)
{
  for (guint t = 0; command_tables[t] != NULL; t++)
    for (const GhCliCommand *c = command_tables[t]; c->group != NULL; c++)
      if (strcmp (c->group, group) == 0 && strcmp (c->action, action) == 0)
        return c;

  return NULL;
}

/* The action of a group that has only one, which may then be left out (`check`). */
static const GhCliCommand *
single_action (const char *group)
{
  const GhCliCommand *found = NULL;

  for (guint t = 0; command_tables[t] != NULL; t++)
    for (const GhCliCommand *c = command_tables[t]; c->group != NULL; c++)
      if (strcmp (c->group, group) == 0) {
        if (found != NULL)
          return NULL;
        found = c;
      }

  return found;
}

/* Global options that take a value in the next argument. */
static gboolean
takes_value (const char *arg)
{
  return strcmp (arg, "-d") == 0 || strcmp (arg, "--data-dir") == 0 ||
         strcmp (arg, "-u") == 0 || strcmp (arg, "--user") == 0;
}

int
main (int    argc,
      char **argv)
{
  GhCli cli = { 0 };
  g_autofree char *command_name = NULL;
  g_autofree char *program = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const GhCliCommand *command;
  int group_at = -1;
  int action_at = -1;
  int status;

  setlocale (LC_ALL, "");
  /* Standard output carries listings and JSON; every log line goes to standard error. */
  g_log_writer_default_set_use_stderr (TRUE);

  for (int i = 1; i < argc; i++) {
    if (strcmp (argv[i], "--version") == 0 && group_at < 0) {
      g_print ("gatehousectl %s\n", PACKAGE_VERSION);
      return GH_CLI_EXIT_OK;
    }
    if ((strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0) && action_at < 0) {
      print_help (group_at >= 0 ? argv[group_at] : NULL, FALSE);
      return GH_CLI_EXIT_OK;
    }
    if (argv[i][0] == '-') {
      if (takes_value (argv[i]))
        i++;
      continue;
    }
    if (group_at < 0) {
      group_at = i;
    } else {
      action_at = i;
      break;
    }
  }

  if (group_at < 0) {
    print_help (NULL, TRUE);
    return GH_CLI_EXIT_USAGE;
  }

  if (!group_exists (argv[group_at])) {
    g_printerr ("gatehousectl: unknown command “%s”. Try “gatehousectl --help”.\n",
                argv[group_at]);
    return GH_CLI_EXIT_USAGE;
  }

  if (action_at < 0 && single_action (argv[group_at]) != NULL) {
    command = single_action (argv[group_at]);
  } else if (action_at < 0) {
    g_printerr ("gatehousectl: “%s” needs an action.\n", argv[group_at]);
    print_help (argv[group_at], TRUE);
    return GH_CLI_EXIT_USAGE;
  } else {
    command = find_command (argv[group_at], argv[action_at]);
  }

  if (command == NULL) {
    g_printerr ("gatehousectl: unknown action “%s %s”. Try “gatehousectl %s --help”.\n",
                argv[group_at], argv[action_at], argv[group_at]);
    return GH_CLI_EXIT_USAGE;
  }

  command_name = g_strdup_printf ("%s %s", command->group, command->action);
  cli.command = command_name;

  /* The action sees the program name, then every other argument (global options included). */
  /* … named "gatehousectl person add", which is how --help shows the usage line. */
  program = g_strdup_printf ("gatehousectl %s", command_name);
  g_ptr_array_add (args, program);
  for (int i = 1; i < argc; i++)
    if (i != group_at && (i != action_at || !g_str_equal (argv[i], command->action)))
      g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);

  {
    /* GOptionContext rearranges the vector it parses, so the action gets a copy. */
    g_auto(GStrv) copy = g_strdupv ((char **)args->pdata);
    char **vector = g_memdup2 (copy, sizeof (char *) * args->len);

    status = command->func (&cli, (int)args->len - 1, vector);
    g_free (vector);
  }

  gh_cli_clear (&cli);

  return status;
}
