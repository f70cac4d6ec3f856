/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-cli-sync"

#include "config.h"

#include "gh-cli.h"

#include "gh-device-store.h"
#include "gh-error.h"
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

static int
sync_run (GhCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GError) error = NULL;

  if (!gh_cli_parse (cli, NULL, NULL, "Sends the queued changes to the devices.", &argc, &argv,
                     &error))
    return gh_cli_fail (cli, error);

  /* The push engine that turns queued items into driver calls belongs to the protocol layer
   * and is not part of this version; say so instead of pretending. */
  g_set_error (&error, GH_ERROR, GH_ERROR_NOT_SUPPORTED,
               "this version has no sync engine yet; the queue is kept (see “gatehousectl sync "
               "status”) and will be sent by a version that has one");

  return gh_cli_fail (cli, error);
}

const GhCliCommand gh_cli_sync_commands[] = {
  { "sync", "status", sync_status, "Show what waits to be sent and why items failed" },
  { "sync", "run", sync_run, "Send queued changes to the devices" },
  { "sync", "retry", sync_retry, "Queue failed items again" },
  { NULL },
};
