/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli-test-helpers.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

void
cli_result_free (CliResult *result)
{
  if (result == NULL)
    return;

  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

CliResult *
cli_runv (const char         *data_dir,
          const char         *input,
          const char * const *args)
{
  return cli_runv_as (CLI_TEST_USER, CLI_TEST_PASSWORD, data_dir, input, args);
}

/* Runs as @user with @password in the environment (either %NULL: unset). */
CliResult *
cli_runv_as (const char         *user,
             const char         *password,
             const char         *data_dir,
             const char         *input,
             const char * const *args)
{
  const char *binary = g_getenv ("GATEHOUSECTL");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  CliResult *result = g_new0 (CliResult, 1);

  g_assert_nonnull (binary);

  g_ptr_array_add (argv, (gpointer)binary);
  if (data_dir != NULL) {
    g_ptr_array_add (argv, (gpointer)"--data-dir");
    g_ptr_array_add (argv, (gpointer)data_dir);
  }
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "GATEHOUSE_NO_KEYRING", "1", TRUE);
  if (user != NULL)
    g_subprocess_launcher_setenv (launcher, "GATEHOUSE_USER", user, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "GATEHOUSE_USER");
  if (password != NULL)
    g_subprocess_launcher_setenv (launcher, "GATEHOUSE_PASSWORD", password, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "GATEHOUSE_PASSWORD");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, input, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process))
    g_error ("gatehousectl %s died (signal %d)\nstdout:\n%s\nstderr:\n%s",
             args[0] ? args[0] : "", g_subprocess_get_term_sig (process),
             result->out ? result->out : "", result->err ? result->err : "");
  result->status = g_subprocess_get_exit_status (process);

  if (result->out == NULL)
    result->out = g_strdup ("");
  if (result->err == NULL)
    result->err = g_strdup ("");

  /* Warnings and criticals must never reach a user. */
  if (strstr (result->err, "CRITICAL") || strstr (result->err, "WARNING **"))
    g_error ("gatehousectl logged a warning:\n%s", result->err);

  return result;
}

CliResult *
cli_run (const char *data_dir,
         const char *input,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return cli_runv (data_dir, input, (const char * const *)args->pdata);
}

/* Runs with --json, expects success, and returns the parsed output. */
json_object *
cli_run_json (const char *data_dir,
              ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(CliResult) result = NULL;
  const char *arg;
  json_object *obj;
  va_list ap;

  g_ptr_array_add (args, (gpointer)"--json");
  va_start (ap, data_dir);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  result = cli_runv (data_dir, NULL, (const char * const *)args->pdata);
  cli_assert_status (result, 0);
  obj = json_tokener_parse (result->out);
  if (obj == NULL)
    g_error ("not JSON: %s", result->out);

  return obj;
}

/* A fresh data folder with the test administrator. */
char *
cli_make_data_dir (void)
{
  char *dir = cli_make_dir ();
  const char *args[] = { "operator", "init", "--user", CLI_TEST_USER, NULL };
  g_autoptr(CliResult) r = cli_runv_as (NULL, CLI_TEST_PASSWORD, dir, NULL, args);

  cli_assert_status (r, 0);

  return dir;
}

char *
cli_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("gh-cli-test-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL) {
    GFileInfo *info;

    while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL) {
      g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

      remove_tree (child);
      g_object_unref (info);
    }
  }

  g_file_delete (file, NULL, NULL);
}

void
cli_remove_dir (const char *dir)
{
  g_autoptr(GFile) file = g_file_new_for_path (dir);

  remove_tree (file);
}

char *
cli_write_file (const char *dir,
                const char *name,
                const char *contents,
                gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);

  return path;
}

static void
put_json (gpointer data)
{
  json_object_put (data);
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

CliSim *
cli_sim_start (const char *community_json)
{
  const char *binary = g_getenv ("GATEHOUSE_SIM");
  CliSim *sim = g_new0 (CliSim, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *file = NULL;

  g_assert_nonnull (binary);

  sim->dir = cli_make_dir ();
  file = cli_write_file (sim->dir, "community.json", community_json, -1);
  sim->devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        put_json);
  /* The simulator ends with the test, even when an assertion aborts it. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim->process = g_subprocess_launcher_spawn (launcher, &error, binary, "--community", file,
                                              NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  for (;;) {
    g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
    json_object *obj, *value;

    g_assert_no_error (error);
    g_assert_nonnull (line);  /* the simulator exited before READY */
    if (strcmp (line, "READY") == 0)
      break;

    obj = json_tokener_parse (line);
    g_assert_nonnull (obj);
    if (json_object_object_get_ex (obj, "control", &value)) {
      sim->control = g_strdup (json_object_get_string (value));
      json_object_put (obj);
      continue;
    }
    g_assert_true (json_object_object_get_ex (obj, "name", &value));
    g_hash_table_insert (sim->devices, g_strdup (json_object_get_string (value)), obj);
  }

  return sim;
}

void
cli_sim_stop (CliSim *sim)
{
  g_subprocess_send_signal (sim->process, SIGTERM);
  g_subprocess_wait (sim->process, NULL, NULL);
  g_object_unref (sim->process);
  g_hash_table_unref (sim->devices);
  cli_remove_dir (sim->dir);
  g_free (sim->dir);
  g_free (sim->control);
  g_free (sim);
}

const char *
cli_sim_field (CliSim     *sim,
               const char *device,
               const char *field)
{
  json_object *obj = g_hash_table_lookup (sim->devices, device);
  json_object *value;

  g_assert_nonnull (obj);
  if (!json_object_object_get_ex (obj, field, &value))
    return NULL;

  return json_object_get_string (value);
}

/* Runs `gatehouse-sim ctl --control ADDRESS ARGS…`. */
CliResult *
cli_sim_ctl (CliSim *sim,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  CliResult *result = g_new0 (CliResult, 1);
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (gpointer)g_getenv ("GATEHOUSE_SIM"));
  g_ptr_array_add (argv, (gpointer)"ctl");
  g_ptr_array_add (argv, (gpointer)"--control");
  g_ptr_array_add (argv, sim->control);
  va_start (ap, sim);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  result->status = g_subprocess_get_exit_status (process);

  return result;
}
