/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-cli"

#include "config.h"

#include "gh-cli.h"

#include "gh-error.h"
#include "gh-auth.h"
#include "gh-key-store.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

struct _GhCliProgress
{
  char   *what;   /* (owned) */
  gint64  total;
  gint64  last_us;
  gboolean shown;
};

static GOptionEntry global_entries[] = {
  { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    "Use the data folder DIR (default: $XDG_DATA_HOME/gatehouse)", "DIR" },
  { "user", 'u', 0, G_OPTION_ARG_STRING, NULL,
    "Log in as operator NAME (password from GATEHOUSE_PASSWORD or a prompt)", "NAME" },
  { "json", 'j', 0, G_OPTION_ARG_NONE, NULL, "Print listings as JSON", NULL },
  { "quiet", 'q', 0, G_OPTION_ARG_NONE, NULL, "Print no progress or summaries", NULL },
  { NULL },
};

void
gh_cli_clear (GhCli *cli)
{
  g_clear_pointer (&cli->data_dir, g_free);
  g_clear_pointer (&cli->user, g_free);
  g_clear_object (&cli->session);
  g_clear_object (&cli->database);
}

/* The data folder as an absolute path: --data-dir, or $XDG_DATA_HOME/gatehouse as in the app. */
char *
gh_cli_get_data_dir (GhCli *cli)
{
  g_autoptr(GFile) file = NULL;

  if (cli->data_dir == NULL)
    return g_build_filename (g_get_user_data_dir (), "gatehouse", NULL);

  file = g_file_new_for_commandline_arg (cli->data_dir);

  return g_file_get_path (file);
}

/**
 * gh_cli_parse:
 *
 * Parses the options of one subcommand together with the global options, which may be given
 * before or after the subcommand. On return @argv holds the program name followed by the
 * positional arguments.
 */
gboolean
gh_cli_parse (GhCli          *cli,
              GOptionEntry   *entries,
              const char     *parameter_string,
              const char     *description,
              int            *argc,
              char         ***argv,
              GError        **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *user = NULL;
  gboolean json = FALSE;
  gboolean quiet = FALSE;
  GOptionEntry globals[G_N_ELEMENTS (global_entries)];
  GOptionGroup *group;

  memcpy (globals, global_entries, sizeof global_entries);
  globals[0].arg_data = &data_dir;
  globals[1].arg_data = &user;
  globals[2].arg_data = &json;
  globals[3].arg_data = &quiet;

  context = g_option_context_new (parameter_string);
  if (description != NULL)
    g_option_context_set_description (context, description);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);

  group = g_option_group_new ("global", "Global options:", "Show the global options", NULL,
                              NULL);
  g_option_group_add_entries (group, globals);
  g_option_context_add_group (context, group);
  g_option_context_set_strict_posix (context, FALSE);

  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (data_dir != NULL && *data_dir == '\0') {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--data-dir needs a folder name");
    return FALSE;
  }
  if (user != NULL && *user == '\0') {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--user needs a name");
    return FALSE;
  }

  /* Only those given here override what was given before the subcommand. */
  if (data_dir != NULL) {
    g_free (cli->data_dir);
    cli->data_dir = g_steal_pointer (&data_dir);
  }
  if (user != NULL) {
    g_free (cli->user);
    cli->user = g_steal_pointer (&user);
  }
  cli->json = cli->json || json;
  cli->quiet = cli->quiet || quiet;

  for (int i = 1; i < *argc; i++) {
    if ((*argv)[i][0] == '-' && (*argv)[i][1] != '\0' && strcmp ((*argv)[i], "--") != 0) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                   "Unknown option %s", (*argv)[i]);
      return FALSE;
    }
  }

  return TRUE;
}


/**
 * gh_cli_read_password:
 * @env: the environment variable that may hold the password
 * @prompt: what to ask on the terminal
 *
 * Reads a password from @env, or from the terminal without echo.
 */
char *
gh_cli_read_password (const char  *env,
                      const char  *prompt,
                      GError     **error)
{
  const char *value = g_getenv (env);
  g_autoptr(GString) password = g_string_new (NULL);
  struct termios saved, quiet;
  gboolean echo_off = FALSE;
  FILE *tty;
  int c;

  if (value != NULL)
    return g_strdup (value);

  tty = fopen ("/dev/tty", "r+");
  if (tty == NULL) {
    g_set_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                 "no terminal to ask for the password on; set %s", env);
    return NULL;
  }

  fprintf (tty, "%s", prompt);
  fflush (tty);
  if (tcgetattr (fileno (tty), &saved) == 0) {
    quiet = saved;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    echo_off = tcsetattr (fileno (tty), TCSAFLUSH, &quiet) == 0;
  }

  while ((c = getc (tty)) != EOF && c != '\n')
    g_string_append_c (password, (char)c);

  if (echo_off)
    tcsetattr (fileno (tty), TCSAFLUSH, &saved);
  fprintf (tty, "\n");
  fclose (tty);

  return g_string_free (g_steal_pointer (&password), FALSE);
}

const char *
gh_cli_get_user (GhCli *cli)
{
  if (cli->user != NULL)
    return cli->user;

  return g_getenv ("GATEHOUSE_USER");
}

static gboolean
open_session (GhCli   *cli,
              GError **error)
{
  const char *user = gh_cli_get_user (cli);
  g_autofree char *password = NULL;
  g_autofree char *prompt = NULL;

  if (user == NULL || *user == '\0') {
    if (!gh_auth_has_operators (cli->database, error))
      g_set_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                   "there is no operator yet; create the administrator with "
                   "“gatehousectl operator init --user NAME”");
    else
      g_set_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                   "log in with --user NAME (or set GATEHOUSE_USER); the password comes from "
                   "GATEHOUSE_PASSWORD or a prompt");
    return FALSE;
  }

  prompt = g_strdup_printf ("Password for %s: ", user);
  password = gh_cli_read_password ("GATEHOUSE_PASSWORD", prompt, error);
  if (password == NULL)
    return FALSE;

  cli->session = gh_auth_login (cli->database, user, password, "cli", error);
  if (cli->session == NULL)
    return FALSE;

  if (gh_auth_must_change_password (cli->database, cli->session) && !cli->allow_password_change) {
    g_clear_object (&cli->session);
    g_set_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                 "the password of %s was set by an administrator; choose your own first with "
                 "“gatehousectl operator passwd --user %s”", user, user);
    return FALSE;
  }

  return TRUE;
}

/* Opens the data folder and database without logging in (for `operator init`). */
gboolean
gh_cli_open_database (GhCli   *cli,
                      GError **error)
{
  g_autofree char *dir = gh_cli_get_data_dir (cli);
  g_autofree char *path = g_build_filename (dir, "gatehouse.db", NULL);
  g_autoptr(GhKeyStore) keys = NULL;

  if (cli->database != NULL)
    return TRUE;

  if (g_mkdir_with_parents (dir, 0700) != 0) {
    int saved = errno;

    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 "cannot create the data folder %s (%s); choose another with --data-dir", dir,
                 g_strerror (saved));
    return FALSE;
  }

  cli->database = gh_database_open (path, error);
  if (cli->database == NULL)
    return FALSE;

  /* A service account without a keyring sets GATEHOUSE_NO_KEYRING=1: the key file is used. */
  keys = gh_key_store_open_full (dir,
                                 g_strcmp0 (g_getenv ("GATEHOUSE_NO_KEYRING"), "1") == 0
                                   ? GH_KEY_STORE_FLAGS_NO_KEYRING : GH_KEY_STORE_FLAGS_NONE,
                                 GH_KEY_STORE_DEFAULT_TIMEOUT, error);
  if (keys == NULL || !gh_key_store_attach (keys, cli->database, error)) {
    g_clear_object (&cli->database);
    return FALSE;
  }

  return TRUE;
}

/**
 * gh_cli_open:
 *
 * Opens (creating when needed) the data folder and its database, attaches the folder's keys
 * and logs the operator in (--user or GATEHOUSE_USER; GATEHOUSE_PASSWORD or a prompt). Safe while the app has the same database open (WAL, busy wait).
 */
gboolean
gh_cli_open (GhCli   *cli,
             GError **error)
{
  if (cli->session != NULL)
    return TRUE;

  if (!gh_cli_open_database (cli, error))
    return FALSE;

  return open_session (cli, error);
}

int
gh_cli_exit_for_error (const GError *error)
{
  if (error->domain == G_OPTION_ERROR)
    return GH_CLI_EXIT_USAGE;
  if (error->domain == GH_ERROR && error->code == GH_ERROR_INVALID_INPUT)
    return GH_CLI_EXIT_USAGE;
  /* A refused login is a failure, not a usage mistake: the command line may be right. */
  return GH_CLI_EXIT_FAILURE;
}

int
gh_cli_fail (GhCli        *cli,
             const GError *error)
{
  g_printerr ("gatehousectl: %s%s%s\n", cli->command ? cli->command : "",
              cli->command ? ": " : "", error->message);
  if (error->domain == G_OPTION_ERROR)
    g_printerr ("Try “gatehousectl %s --help”.\n", cli->command ? cli->command : "");

  return gh_cli_exit_for_error (error);
}

int
gh_cli_usage_error (GhCli      *cli,
                    const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("gatehousectl: %s%s%s\nTry “gatehousectl %s --help”.\n",
              cli->command ? cli->command : "", cli->command ? ": " : "", message,
              cli->command ? cli->command : "");

  return GH_CLI_EXIT_USAGE;
}


void
gh_cli_print_json (json_object *object)
{
  const char *text = json_object_to_json_string_ext (object, JSON_C_TO_STRING_PLAIN |
                                                             JSON_C_TO_STRING_NOSLASHESCAPE);

  fputs (text, stdout);
  fputc ('\n', stdout);
}

/* Prints @rows (each a char*[n_columns], the first row the heading) as aligned columns. */
void
gh_cli_print_table (GPtrArray *rows,
                    guint      n_columns)
{
  g_autofree gsize *widths = g_new0 (gsize, n_columns);

  for (guint r = 0; r < rows->len; r++) {
    char **row = g_ptr_array_index (rows, r);

    for (guint c = 0; c < n_columns; c++)
      widths[c] = MAX (widths[c], (gsize)g_utf8_strlen (row[c] ? row[c] : "", -1));
  }

  for (guint r = 0; r < rows->len; r++) {
    char **row = g_ptr_array_index (rows, r);
    g_autoptr(GString) line = g_string_new (NULL);

    for (guint c = 0; c < n_columns; c++) {
      const char *cell = row[c] ? row[c] : "";

      g_string_append (line, cell);
      if (c + 1 < n_columns) {
        for (gsize pad = (gsize)g_utf8_strlen (cell, -1); pad < widths[c] + 2; pad++)
          g_string_append_c (line, ' ');
      }
    }
    while (line->len > 0 && line->str[line->len - 1] == ' ')
      g_string_truncate (line, line->len - 1);
    g_print ("%s\n", line->str);
  }
}


/**
 * gh_cli_parse_time:
 * @text: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DDTHH:MM[:SS]` (local time) or an
 *   ISO 8601 time with a zone (`…Z`, `…+02:00`)
 * @end_of_day: for a bare date, take 23:59:59 instead of 00:00:00
 *
 * Returns: %TRUE with Unix seconds in @out_seconds
 */
gboolean
gh_cli_parse_time (const char  *text,
                   gboolean     end_of_day,
                   gint64      *out_seconds,
                   GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text ? text : ""));
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) time = NULL;
  int y, mo, d, h = 0, mi = 0, s = 0;
  char sep, tail;
  int n;

  if (strlen (copy) == 10 &&
      sscanf (copy, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) == 3) {
    if (end_of_day) {
      h = 23;
      mi = 59;
      s = 59;
    }
    time = g_date_time_new (local, y, mo, d, h, mi, s);
  } else if ((n = sscanf (copy, "%4d-%2d-%2d%c%2d:%2d:%2d%c", &y, &mo, &d, &sep, &h, &mi, &s,
                          &tail)) >= 6 && n <= 7 && (sep == ' ' || sep == 'T') &&
             strpbrk (copy + 10, "Z+-") == NULL) {
    time = g_date_time_new (local, y, mo, d, h, mi, n == 7 ? s : 0);
  } else {
    time = g_date_time_new_from_iso8601 (copy, local);
  }

  if (time == NULL) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 "“%s” is not a time; write YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS]", copy);
    return FALSE;
  }

  *out_seconds = g_date_time_to_unix (time);

  return TRUE;
}

/* Local time as `YYYY-MM-DD HH:MM:SS`, or "" for 0. */
char *
gh_cli_format_time (gint64 seconds)
{
  g_autoptr(GDateTime) time = NULL;

  if (seconds <= 0)
    return g_strdup ("");

  time = g_date_time_new_from_unix_local (seconds);
  if (time == NULL)
    return g_strdup ("");

  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

GhCliProgress *
gh_cli_progress_new (GhCli      *cli,
                     const char *what,
                     gint64      total)
{
  GhCliProgress *self;

  if (cli->quiet || !isatty (STDERR_FILENO))
    return NULL;

  self = g_new0 (GhCliProgress, 1);
  self->what = g_strdup (what);
  self->total = total;

  return self;
}

void
gh_cli_progress_update (GhCliProgress *self,
                        gint64         done)
{
  gint64 now;

  if (self == NULL)
    return;

  now = g_get_monotonic_time ();
  if (now - self->last_us < G_USEC_PER_SEC / 10 && done < self->total)
    return;

  self->last_us = now;
  self->shown = TRUE;
  if (self->total > 0)
    fprintf (stderr, "\r%s: %" G_GINT64_FORMAT "%%", self->what,
             CLAMP (done * 100 / self->total, 0, 100));
  else
    fprintf (stderr, "\r%s: %" G_GINT64_FORMAT, self->what, done);
  fflush (stderr);
}

/* Erases the progress line so that a message can be printed on a line of its own; the next
 * update draws it again. */
void
gh_cli_progress_interrupt (GhCliProgress *self)
{
  if (self == NULL || !self->shown)
    return;

  fprintf (stderr, "\r\033[K");
  fflush (stderr);
  self->shown = FALSE;
  self->last_us = 0;
}

void
gh_cli_progress_free (GhCliProgress *self)
{
  if (self == NULL)
    return;

  if (self->shown)
    fprintf (stderr, "\r\033[K");
  g_free (self->what);
  g_free (self);
}
