/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-cli-sync"

#include "config.h"

#include "gh-cli.h"

#include "gh-device-store.h"
#include "gh-error.h"
#include "gh-builtin-drivers.h"
#include "gh-sync-engine.h"
#include "gh-sync-store.h"

#include <string.h>

/* gatehousectl sync status|run|retry: the queue of changes waiting to reach the devices. */

static GHashTable *
device_names (GhDeviceStore *store)
{
  g_autoptr(GListModel) list = gh_device_store_list (store, NULL);
  GHashTable *names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  guint n = g_list_model_get_n_items (list);

  for (guint i = 0; i < n; i++) {
    g_autoptr(GhDevice) device = g_list_model_get_item (list, i);

    g_hash_table_insert (names, g_memdup2 (&(gint64){ gh_device_get_id (device) }, sizeof (gint64)),
                         g_strdup (gh_device_get_name (device)));
  }

  return names;
}

static int
sync_status (GhCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDeviceStore) devices = NULL;
  g_autoptr(GhSyncStore) sync = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autofree char *device_name = NULL;
  gboolean all = FALSE;
  gint64 device_id = 0;
  GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device_name, "Only this device", "DEVICE" },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, "Include finished items", NULL },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, NULL, "Shows, per device and item, what waits to be sent, "
                     "what failed and why.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  devices = gh_device_store_new (cli->database);
  sync = gh_sync_store_new (cli->database);
  if (device_name != NULL) {
    g_autoptr(GhDevice) device = gh_cli_find_device (cli, devices, device_name, &error);

    if (device == NULL)
      return gh_cli_fail (cli, error);
    device_id = gh_device_get_id (device);
  }

  tasks = gh_sync_store_list (sync, device_id, all, &error);
  if (tasks == NULL)
    return gh_cli_fail (cli, error);
  names = device_names (devices);

  if (cli->json) {
    g_autoptr(json_object) array = json_object_new_array ();

    for (guint i = 0; i < tasks->len; i++) {
      GhSyncTask *task = g_ptr_array_index (tasks, i);
      json_object *obj = json_object_new_object ();
      const char *name = g_hash_table_lookup (names, &task->device_id);

      json_object_object_add (obj, "device", name ? json_object_new_string (name) : NULL);
      json_object_object_add (obj, "item", json_object_new_string (task->object_kind));
      json_object_object_add (obj, "item_id", json_object_new_int64 (task->object_id));
      json_object_object_add (obj, "operation", json_object_new_string (task->operation));
      json_object_object_add (obj, "status", json_object_new_string (task->status));
      json_object_object_add (obj, "attempts", json_object_new_int (task->attempts));
      json_object_object_add (obj, "error", task->last_error
                                              ? json_object_new_string (task->last_error) : NULL);
      json_object_array_add (array, obj);
    }
    gh_cli_print_json (array);
  } else {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

    g_ptr_array_add (rows, g_strdupv ((char *[]) { "DEVICE", "ITEM", "OPERATION", "STATUS",
                                                   "ATTEMPTS", "REASON", NULL }));
    for (guint i = 0; i < tasks->len; i++) {
      GhSyncTask *task = g_ptr_array_index (tasks, i);
      char **row = g_new0 (char *, 7);

      row[0] = g_strdup (g_hash_table_lookup (names, &task->device_id));
      row[1] = g_strdup_printf ("%s %" G_GINT64_FORMAT, task->object_kind, task->object_id);
      row[2] = g_strdup (task->operation);
      row[3] = g_strdup (task->status);
      row[4] = g_strdup_printf ("%d", task->attempts);
      row[5] = g_strdup (task->last_error ? task->last_error : "");
      g_ptr_array_add (rows, row);
    }
    gh_cli_print_table (rows, 6);
  }

  return GH_CLI_EXIT_OK;
}

static int
sync_retry (GhCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDeviceStore) devices = NULL;
  g_autoptr(GhSyncStore) sync = NULL;
  g_autofree char *device_name = NULL;
  gint64 device_id = 0;
  GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device_name, "Only this device", "DEVICE" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, NULL, "Puts failed items back in the queue, due now.", &argc,
                     &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  devices = gh_device_store_new (cli->database);
  sync = gh_sync_store_new (cli->database);
  if (device_name != NULL) {
    g_autoptr(GhDevice) device = gh_cli_find_device (cli, devices, device_name, &error);

    if (device == NULL)
      return gh_cli_fail (cli, error);
    device_id = gh_device_get_id (device);
  }

  if (!gh_sync_store_retry_failed (sync, cli->session, device_id, &error))
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("Failed items are queued again; run “gatehousectl sync run” to send them\n");

  return GH_CLI_EXIT_OK;
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;  /* only wakes the loop so the deadline is checked */
}

static int
sync_run (GhCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) system = NULL;
  g_autoptr(GhSyncEngine) engine = NULL;
  g_autoptr(GhSyncStore) sync = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) progress = NULL;
  g_autoptr(json_object) array = json_object_new_array ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  int wait_s = 0;
  int max_backoff = 0;
  guint queued = 0, remaining, total_done = 0, done_before = 0;
  GOptionEntry entries[] = {
    { "wait", 'w', 0, G_OPTION_ARG_INT, &wait_s, "Keep retrying failed pushes for up to S "
      "seconds (devices that come back are finished)", "S" },
    { "max-backoff", 0, 0, G_OPTION_ARG_INT, &max_backoff, "Wait at most S seconds between "
      "retries of a device (default 600)", "S" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, NULL, "Plans what every device should hold, sends the "
                     "differences and shows the result per device. Exit status 3 when pushes "
                     "remain queued (a device did not answer); they are retried by the next run "
                     "or by the application.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);
  if (wait_s < 0 || max_backoff < 0 || max_backoff > 86400)
    return gh_cli_usage_error (cli, "--wait and --max-backoff take seconds (at most a day)");

  gh_builtin_drivers_register ();
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);
  if (!gh_session_check (cli->session, GH_PERMISSION_SYNC_RUN, &error))
    return gh_cli_fail (cli, error);

  /* The engine reads device passwords, which only device installers may; the operator's
   * right to run a sync was checked above. */
  system = gh_session_new_system ("cli");
  engine = gh_sync_engine_new (cli->database, system);
  sync = gh_sync_store_new (cli->database);
  if (max_backoff > 0)
    g_object_set (engine, "backoff-base", (guint)MIN (5, max_backoff),
                  "backoff-max", (guint)max_backoff, NULL);

  if (!gh_sync_engine_plan (engine, 0, &queued, &error))
    return gh_cli_fail (cli, error);

  /* What was done before this run, to tell "partly done" from "nothing done" at the end. */
  progress = gh_sync_engine_list_progress (engine, 0, &error);
  if (progress == NULL)
    return gh_cli_fail (cli, error);
  for (guint i = 0; i < progress->len; i++)
    done_before += ((GhSyncProgress *)g_ptr_array_index (progress, i))->done;
  g_clear_pointer (&progress, g_ptr_array_unref);

  gh_sync_engine_run_async (engine, NULL, run_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!gh_sync_engine_run_finish (engine, result, &error))
    return gh_cli_fail (cli, error);

  if (wait_s > 0 && gh_sync_store_count_waiting (sync, 0) > 0) {
    gint64 deadline = g_get_monotonic_time () + (gint64)wait_s * G_USEC_PER_SEC;
    guint tick = g_timeout_add (200, tick_cb, NULL);

    gh_sync_engine_start (engine);
    while (gh_sync_store_count_waiting (sync, 0) > 0 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    gh_sync_engine_stop (engine);
    while (gh_sync_engine_is_running (engine))
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (tick);
  }

  progress = gh_sync_engine_list_progress (engine, 0, &error);
  if (progress == NULL)
    return gh_cli_fail (cli, error);

  g_ptr_array_add (rows, g_strdupv ((char *[]) { "DEVICE", "WAITING", "DONE", "FAILED",
                                                 "LAST-ERROR", NULL }));
  for (guint i = 0; i < progress->len; i++) {
    GhSyncProgress *p = g_ptr_array_index (progress, i);
    json_object *obj = json_object_new_object ();
    char **row = g_new0 (char *, 6);

    total_done += p->done;
    json_object_object_add (obj, "device", json_object_new_string (p->device_name ?: ""));
    json_object_object_add (obj, "waiting", json_object_new_int ((int)p->pending));
    json_object_object_add (obj, "done", json_object_new_int ((int)p->done));
    json_object_object_add (obj, "failed", json_object_new_int ((int)p->failed));
    json_object_object_add (obj, "error", p->last_error ? json_object_new_string (p->last_error)
                                                        : NULL);
    json_object_array_add (array, obj);

    row[0] = g_strdup (p->device_name);
    row[1] = g_strdup_printf ("%u", p->pending);
    row[2] = g_strdup_printf ("%u", p->done);
    row[3] = g_strdup_printf ("%u", p->failed);
    row[4] = g_strdup (p->last_error ? p->last_error : "");
    g_ptr_array_add (rows, row);
  }

  if (cli->json)
    gh_cli_print_json (array);
  else if (!cli->quiet)
    gh_cli_print_table (rows, 5);

  remaining = gh_sync_store_count_waiting (sync, 0);
  if (remaining == 0)
    return GH_CLI_EXIT_OK;

  g_printerr ("gatehousectl: sync run: %u push%s still queued; see “gatehousectl sync status” "
              "for the reasons\n", remaining, remaining == 1 ? "" : "es");
  return total_done > done_before ? GH_CLI_EXIT_PARTIAL : GH_CLI_EXIT_FAILURE;
}

const GhCliCommand gh_cli_sync_commands[] = {
  { "sync", "status", sync_status, "Show what waits to be sent and why items failed" },
  { "sync", "run", sync_run, "Send queued changes to the devices" },
  { "sync", "retry", sync_retry, "Queue failed items again" },
  { NULL },
};
