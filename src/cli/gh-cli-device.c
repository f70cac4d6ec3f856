/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-cli-device"

#include "config.h"

#include "gh-cli.h"

#include "gh-builtin-drivers.h"
#include "gh-cli-csv.h"
#include "gh-cli-records.h"
#include "gh-device-secrets.h"
#include "gh-device-store.h"
#include "gh-door-service.h"
#include "gh-driver.h"
#include "gh-error.h"
#include "gh-record-source.h"

#include <glib-unix.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/*
 * gatehousectl device add|list|probe|remove|import|export|drivers, door …, events tail and
 * records fetch: everything that talks to devices, through the protocol layer's drivers.
 */

static const char * const device_kinds[] = { "vto", "vth", "vts", "fence", "villa", NULL };

/* ---- waiting for async results on the one main loop ---- */

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

/* ---- devices ---- */

/**
 * gh_cli_find_device:
 * @name: a device name, or `#ID`
 *
 * Returns: (transfer full): the device, or %NULL with @error naming what was not found
 */
GhDevice *
gh_cli_find_device (GhCli          *cli,
                    GhDeviceStore  *store,
                    const char     *name,
                    GError        **error)
{
  g_autoptr(GListModel) list = NULL;
  guint64 id;
  guint n;

  if (name[0] == '#' && g_ascii_string_to_unsigned (name + 1, 10, 1, G_MAXINT64, &id, NULL))
    return gh_device_store_get (store, (gint64)id, error);

  list = gh_device_store_list (store, NULL);
  n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++) {
    g_autoptr(GhDevice) device = g_list_model_get_item (list, i);

    if (g_strcmp0 (gh_device_get_name (device), name) == 0)
      return g_steal_pointer (&device);
  }

  g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
               "there is no device named “%s”; see “gatehousectl device list”", name);
  return NULL;
}

/* The devices named in @names, or all devices of @kind (NULL: any) when @names is empty. */
static GPtrArray *
find_devices (GhCli           *cli,
              GhDeviceStore   *store,
              char           **names,
              const char      *kind,
              GError         **error)
{
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);

  if (names != NULL && names[0] != NULL) {
    for (guint i = 0; names[i] != NULL; i++) {
      GhDevice *device = gh_cli_find_device (cli, store, names[i], error);

      if (device == NULL)
        return NULL;
      g_ptr_array_add (devices, device);
    }
  } else {
    g_autoptr(GListModel) list = gh_device_store_list (store, kind);
    guint n = g_list_model_get_n_items (list);

    for (guint i = 0; i < n; i++)
      g_ptr_array_add (devices, g_list_model_get_item (list, i));
  }

  return g_steal_pointer (&devices);
}

/* A driver for @device. The operator's permission for the action was checked by the caller;
 * the password is read with a system session, as drivers do. */
static GhDriver *
make_driver (GhCli     *cli,
             GhDevice  *device,
             GError   **error)
{
  g_autoptr(GhSession) system = gh_session_new_system ("cli");
  g_autoptr(GhDeviceConfig) config = gh_device_config_new_for_device (cli->database, system,
                                                                      device, error);

  return config != NULL ? gh_driver_new (config, error) : NULL;
}

static const char *
default_driver (GError **error)
{
  g_auto(GStrv) names = gh_driver_registry_list ();
  static char *only = NULL;

  if (names != NULL && g_strv_length (names) == 1) {
    g_free (only);
    only = g_strdup (names[0]);
    return only;
  }

  g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
               "choose a driver with --driver; see “gatehousectl device drivers”");
  return NULL;
}

static gboolean
device_open (GhCli   *cli,
             GError **error)
{
  gh_builtin_drivers_register ();
  return gh_cli_open (cli, error);
}

static gboolean
parse_port (const char  *text,
            int         *out_port,
            GError     **error)
{
  guint64 port;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &port, NULL)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 "the port “%s” must be a number from 1 to 65535", text);
    return FALSE;
  }

  *out_port = (int)port;
  return TRUE;
}

typedef struct {
  const char *name;
  const char *kind;
  const char *host;
  const char *port;
  const char *username;
  const char *password;
  const char *driver;
  gboolean    https;
} DeviceInput;

static gint64
add_device (GhCli              *cli,
            GhDeviceStore      *store,
            const DeviceInput  *in,
            GError            **error)
{
  g_autoptr(GhDevice) device = gh_device_new ();
  const char *driver = in->driver;
  int port = 80;
  gint64 id;

  if (in->name == NULL || *in->name == '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, "the device needs a name");
    return 0;
  }
  if (in->kind == NULL || !g_strv_contains (device_kinds, in->kind)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 "the kind “%s” is unknown; use vto, vth, vts, fence or villa",
                 in->kind ? in->kind : "");
    return 0;
  }
  if (in->host == NULL || *in->host == '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, "the device needs a host (--host)");
    return 0;
  }
  if (in->port != NULL && *in->port != '\0' && !parse_port (in->port, &port, error))
    return 0;
  if (driver == NULL || *driver == '\0') {
    driver = default_driver (error);
    if (driver == NULL)
      return 0;
  } else if (gh_driver_registry_lookup (driver) == G_TYPE_INVALID) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 "there is no driver “%s”; see “gatehousectl device drivers”", driver);
    return 0;
  }

  gh_device_set_name (device, in->name);
  gh_device_set_kind (device, in->kind);
  gh_device_set_host (device, in->host);
  gh_device_set_port (device, port);
  gh_device_set_username (device, in->username ? in->username : "");
  gh_device_set_driver (device, driver);

  if (!gh_database_begin (cli->database, error))
    return 0;

  id = gh_device_store_add (store, cli->session, device, error);
  if (id <= 0 ||
      (in->https && !gh_device_store_set_https (store, cli->session, id, TRUE, error)) ||
      (in->password != NULL && *in->password != '\0' &&
       !gh_device_secrets_set (cli->database, cli->session, id, in->password, error))) {
    gh_database_rollback (cli->database);
    return 0;
  }

  if (!gh_database_commit (cli->database, error))
    return 0;

  return id;
}

static int
device_add (GhCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDeviceStore) store = NULL;
  g_autofree char *kind = NULL, *host = NULL, *port = NULL, *username = NULL, *driver = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  gboolean no_password = FALSE;
  gboolean https = FALSE;
  DeviceInput in;
  GOptionEntry entries[] = {
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind, "vto, vth, vts, fence or villa", "KIND" },
    { "host", 'H', 0, G_OPTION_ARG_STRING, &host, "Address or host name", "HOST" },
    { "port", 'P', 0, G_OPTION_ARG_STRING, &port, "Web port (default 80)", "PORT" },
    { "username", 'U', 0, G_OPTION_ARG_STRING, &username, "Device login (default admin)",
      "NAME" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      "Read the device password from FILE (else GATEHOUSE_DEVICE_PASSWORD or a prompt)",
      "FILE" },
    { "no-password", 0, 0, G_OPTION_ARG_NONE, &no_password, "The device has no password",
      NULL },
    { "driver", 0, 0, G_OPTION_ARG_STRING, &driver,
      "Driver (default: the only one built in; see “device drivers”)", "NAME" },
    { "https", 0, 0, G_OPTION_ARG_NONE, &https,
      "Talk HTTPS; the device's certificate is pinned on first use", NULL },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, "NAME", "Adds a device. Its password is stored encrypted.",
                     &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one device name");
  if (kind == NULL || host == NULL)
    return gh_cli_usage_error (cli, "--kind and --host are required");

  if (password_file != NULL) {
    if (!g_file_get_contents (password_file, &password, NULL, &error))
      return gh_cli_usage_error (cli, "%s", error->message);
    g_strchomp (password);
  } else if (!no_password) {
    password = gh_cli_read_password ("GATEHOUSE_DEVICE_PASSWORD", "Device password: ", &error);
    if (password == NULL)
      return gh_cli_fail (cli, error);
  }

  if (!device_open (cli, &error))
    return gh_cli_fail (cli, error);

  store = gh_device_store_new (cli->database);
  in = (DeviceInput) { argv[1], kind, host, port, username ? username : "admin", password,
                       driver, https };
  if (add_device (cli, store, &in, &error) <= 0)
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("Added device %s; run “gatehousectl device probe %s” to read its model\n", argv[1],
             argv[1]);

  return GH_CLI_EXIT_OK;
}

static json_object *
device_to_json (GhDevice *device)
{
  json_object *obj = json_object_new_object ();
  g_autofree char *seen = gh_cli_format_time (gh_device_get_last_seen (device));

  json_object_object_add (obj, "id", json_object_new_int64 (gh_device_get_id (device)));
  json_object_object_add (obj, "name", json_object_new_string (gh_device_get_name (device)));
  json_object_object_add (obj, "kind", json_object_new_string (gh_device_get_kind (device)));
  json_object_object_add (obj, "host", json_object_new_string (gh_device_get_host (device)));
  json_object_object_add (obj, "port", json_object_new_int (gh_device_get_port (device)));
  json_object_object_add (obj, "https", json_object_new_boolean (gh_device_get_https (device)));
  json_object_object_add (obj, "username",
                          json_object_new_string (gh_device_get_username (device) ?: ""));
  json_object_object_add (obj, "driver", json_object_new_string (gh_device_get_driver (device)));
  json_object_object_add (obj, "status", json_object_new_string (gh_device_get_status (device)));
  json_object_object_add (obj, "model", json_object_new_string (gh_device_get_model (device) ?: ""));
  json_object_object_add (obj, "serial",
                          json_object_new_string (gh_device_get_serial (device) ?: ""));
  json_object_object_add (obj, "firmware",
                          json_object_new_string (gh_device_get_firmware (device) ?: ""));
  json_object_object_add (obj, "doors", json_object_new_int (gh_device_get_door_count (device)));
  json_object_object_add (obj, "last_seen", json_object_new_string (seen));

  return obj;
}

static int
device_list (GhCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDeviceStore) store = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autofree char *kind = NULL;
  guint n;
  GOptionEntry entries[] = {
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind, "Only devices of this kind", "KIND" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, NULL, "Lists devices.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);
  if (kind != NULL && !g_strv_contains (device_kinds, kind))
    return gh_cli_usage_error (cli, "unknown kind “%s”; use vto, vth, vts, fence or villa",
                               kind);
  if (!device_open (cli, &error))
    return gh_cli_fail (cli, error);

  store = gh_device_store_new (cli->database);
  list = gh_device_store_list (store, kind);
  n = g_list_model_get_n_items (list);

  if (cli->json) {
    g_autoptr(json_object) array = json_object_new_array ();

    for (guint i = 0; i < n; i++) {
      g_autoptr(GhDevice) device = g_list_model_get_item (list, i);

      json_object_array_add (array, device_to_json (device));
    }
    gh_cli_print_json (array);
  } else {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

    g_ptr_array_add (rows, g_strdupv ((char *[]) { "NAME", "KIND", "ADDRESS", "STATUS", "MODEL",
                                                   "SERIAL", "FIRMWARE", "DOORS", NULL }));
    for (guint i = 0; i < n; i++) {
      g_autoptr(GhDevice) device = g_list_model_get_item (list, i);
      char **row = g_new0 (char *, 9);

      row[0] = g_strdup (gh_device_get_name (device));
      row[1] = g_strdup (gh_device_get_kind (device));
      row[2] = g_strdup_printf ("%s%s:%d", gh_device_get_https (device) ? "https://" : "",
                                gh_device_get_host (device), gh_device_get_port (device));
      row[3] = g_strdup (gh_device_get_status (device));
      row[4] = g_strdup (gh_device_get_model (device));
      row[5] = g_strdup (gh_device_get_serial (device));
      row[6] = g_strdup (gh_device_get_firmware (device));
      row[7] = g_strdup_printf ("%d", gh_device_get_door_count (device));
      g_ptr_array_add (rows, row);
    }
    gh_cli_print_table (rows, 8);
  }

  return GH_CLI_EXIT_OK;
}

static int
device_remove (GhCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDeviceStore) store = NULL;
  g_autoptr(GPtrArray) devices = NULL;

  if (!gh_cli_parse (cli, NULL, "NAME…", "Removes devices with their registration numbers "
                     "(all or none).", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc < 2)
    return gh_cli_usage_error (cli, "give at least one device");
  if (!device_open (cli, &error))
    return gh_cli_fail (cli, error);

  store = gh_device_store_new (cli->database);
  devices = find_devices (cli, store, argv + 1, NULL, &error);
  if (devices == NULL || !gh_database_begin (cli->database, &error))
    return gh_cli_fail (cli, error);

  for (guint i = 0; i < devices->len; i++) {
    if (!gh_device_store_remove (store, cli->session,
                                 gh_device_get_id (g_ptr_array_index (devices, i)), &error)) {
      gh_database_rollback (cli->database);
      return gh_cli_fail (cli, error);
    }
  }

  if (!gh_database_commit (cli->database, &error))
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("Removed %u device%s\n", devices->len, devices->len == 1 ? "" : "s");

  return GH_CLI_EXIT_OK;
}

static int
device_clear_pin (GhCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDeviceStore) store = NULL;
  g_autoptr(GhDevice) device = NULL;

  if (!gh_cli_parse (cli, NULL, "NAME", "Forgets the certificate key pinned for an HTTPS "
                     "device, after the device was replaced; the next connection pins the key "
                     "it then presents.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give one device");
  if (!device_open (cli, &error))
    return gh_cli_fail (cli, error);

  store = gh_device_store_new (cli->database);
  device = gh_cli_find_device (cli, store, argv[1], &error);
  if (device == NULL ||
      !gh_device_secrets_clear_pin (cli->database, cli->session, gh_device_get_id (device),
                                    &error))
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("The certificate pin of %s is cleared; the next connection pins its key\n",
             gh_device_get_name (device));

  return GH_CLI_EXIT_OK;
}

static const char *
status_for_error (const GError *error)
{
  if (g_error_matches (error, GH_ERROR, GH_ERROR_AUTH_FAILED))
    return "auth-failed";
  if (g_error_matches (error, GH_ERROR, GH_ERROR_UNREACHABLE) ||
      g_error_matches (error, GH_ERROR, GH_ERROR_TIMED_OUT))
    return "offline";
  return "error";
}

static int
device_probe (GhCli  *cli,
              int     argc,
              char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDeviceStore) store = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) drivers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(json_object) results = json_object_new_array ();
  GAsyncResult **slots;
  guint n_failed = 0;

  if (!gh_cli_parse (cli, NULL, "[NAME…]", "Asks devices (default: all) for their model, serial "
                     "number, firmware and door count, and stores the answers.", &argc, &argv,
                     &error))
    return gh_cli_fail (cli, error);
  if (!device_open (cli, &error))
    return gh_cli_fail (cli, error);
  if (!gh_session_check (cli->session, GH_PERMISSION_DEVICES_WRITE, &error))
    return gh_cli_fail (cli, error);

  store = gh_device_store_new (cli->database);
  devices = find_devices (cli, store, argv + 1, NULL, &error);
  if (devices == NULL)
    return gh_cli_fail (cli, error);

  /* All devices at once; the HTTP layer multiplexes them on the main loop. */
  slots = g_new0 (GAsyncResult *, devices->len);
  for (guint i = 0; i < devices->len; i++) {
    g_autoptr(GError) local = NULL;
    GhDriver *driver = make_driver (cli, g_ptr_array_index (devices, i), &local);

    g_ptr_array_add (drivers, driver);
    if (driver != NULL)
      gh_driver_probe_async (driver, NULL, store_result_cb, &slots[i]);
  }

  for (guint i = 0; i < devices->len; i++) {
    GhDevice *device = g_ptr_array_index (devices, i);
    GhDriver *driver = g_ptr_array_index (drivers, i);
    g_autoptr(GhProbeInfo) info = NULL;
    g_autoptr(GError) local = NULL;
    json_object *obj = json_object_new_object ();
    gint64 id = gh_device_get_id (device);

    json_object_object_add (obj, "name", json_object_new_string (gh_device_get_name (device)));

    if (driver == NULL) {
      g_set_error (&local, GH_ERROR, GH_ERROR_NOT_SUPPORTED, "no driver “%s”",
                   gh_device_get_driver (device));
    } else {
      info = gh_driver_probe_finish (driver, wait_result (&slots[i]), &local);
      g_clear_object (&slots[i]);
    }

    if (info != NULL &&
        gh_device_store_set_probe_info (store, cli->session, id, info->model, info->serial,
                                        info->firmware, (int)info->door_count, &local) &&
        gh_device_store_set_status (store, cli->session, id, "online",
                                    g_get_real_time () / G_USEC_PER_SEC, &local)) {
      json_object_object_add (obj, "status", json_object_new_string ("online"));
      json_object_object_add (obj, "model", json_object_new_string (info->model ?: ""));
      json_object_object_add (obj, "serial", json_object_new_string (info->serial ?: ""));
      json_object_object_add (obj, "firmware", json_object_new_string (info->firmware ?: ""));
      json_object_object_add (obj, "doors", json_object_new_int ((int)info->door_count));
      if (!cli->json && !cli->quiet)
        g_print ("%s: %s, serial %s, firmware %s, %u door%s\n", gh_device_get_name (device),
                 info->model ?: "?", info->serial ?: "?", info->firmware ?: "?",
                 info->door_count, info->door_count == 1 ? "" : "s");
    } else {
      const char *status = status_for_error (local);

      n_failed++;
      gh_device_store_set_status (store, cli->session, id, status, 0, NULL);
      json_object_object_add (obj, "status", json_object_new_string (status));
      json_object_object_add (obj, "error", json_object_new_string (local->message));
      g_printerr ("gatehousectl: device probe: %s: %s\n", gh_device_get_name (device),
                  local->message);
    }
    json_object_array_add (results, obj);
  }
  g_free (slots);

  if (cli->json)
    gh_cli_print_json (results);

  if (n_failed == 0)
    return GH_CLI_EXIT_OK;
  return n_failed == devices->len ? GH_CLI_EXIT_FAILURE : GH_CLI_EXIT_PARTIAL;
}

static const char * const device_columns[] = {
  "name", "kind", "host", "port", "username", "password", "driver", "https", NULL
};
static const char * const device_required[] = { "name", "kind", "host", NULL };

/* The optional "https" column: empty, 0 or 1 (no/yes and false/true also do). */
static gboolean
parse_https (const char  *text,
             gboolean    *out_https,
             GError     **error)
{
  if (text == NULL || *text == '\0' || g_str_equal (text, "0") ||
      g_ascii_strcasecmp (text, "no") == 0 || g_ascii_strcasecmp (text, "false") == 0) {
    *out_https = FALSE;
    return TRUE;
  }
  if (g_str_equal (text, "1") || g_ascii_strcasecmp (text, "yes") == 0 ||
      g_ascii_strcasecmp (text, "true") == 0) {
    *out_https = TRUE;
    return TRUE;
  }
  g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, "https must be 0 or 1, not “%s”", text);
  return FALSE;
}

static int
device_import (GhCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDeviceStore) store = NULL;
  g_autoptr(GhCliCsvReader) reader = NULL;
  g_autoptr(GhCliCsvHeader) header = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  gboolean dry_run = FALSE, skip_bad = FALSE;
  guint n_good = 0, n_bad = 0, line = 0;
  FILE *file;
  int status;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, "Check and print what would change; "
      "write nothing", NULL },
    { "skip-bad", 0, 0, G_OPTION_ARG_NONE, &skip_bad, "Write the good rows even when some are "
      "bad (exit status 3)", NULL },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, "FILE.csv", "Adds devices from CSV in one transaction. "
                     "Columns: name, kind, host (required), port, username, password, driver.",
                     &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one CSV file");

  file = strcmp (argv[1], "-") == 0 ? stdin : fopen (argv[1], "rb");
  if (file == NULL)
    return gh_cli_usage_error (cli, "cannot open %s: %s", argv[1], g_strerror (errno));
  reader = gh_cli_csv_reader_new (file, argv[1]);

  if (!gh_cli_csv_reader_next (reader, &fields, &line, &error) ||
      !(header = gh_cli_csv_header_new (fields, device_columns, device_required, &error))) {
    if (error == NULL)
      g_set_error (&error, GH_ERROR, GH_ERROR_INVALID_INPUT, "%s is empty", argv[1]);
    status = gh_cli_fail (cli, error);
    goto out;
  }

  if (!device_open (cli, &error) || !gh_database_begin (cli->database, &error)) {
    status = gh_cli_fail (cli, error);
    goto out;
  }
  store = gh_device_store_new (cli->database);

  for (;;) {
    g_autoptr(GError) row_error = NULL;
    DeviceInput in;

    g_clear_pointer (&fields, g_ptr_array_unref);
    if (!gh_cli_csv_reader_next (reader, &fields, &line, &row_error)) {
      if (row_error == NULL)
        break;
      g_printerr ("gatehousectl: %s\n", row_error->message);
      n_bad++;
      break;
    }

#define COL(name) gh_cli_csv_header_get (header, fields, name)
    in = (DeviceInput) { COL ("name"), COL ("kind"), COL ("host"), COL ("port"),
                         COL ("username") ?: "admin", COL ("password"), COL ("driver") };
#undef COL
    if (gh_cli_csv_header_check_row (header, fields, &row_error) &&
        parse_https (gh_cli_csv_header_get (header, fields, "https"), &in.https, &row_error) &&
        add_device (cli, store, &in, &row_error) > 0) {
      n_good++;
      if (dry_run && !cli->quiet && !cli->json)
        g_print ("line %u: would add %s %s at %s\n", line, in.kind, in.name, in.host);
      continue;
    }

    n_bad++;
    g_printerr ("gatehousectl: %s:%u: %s\n", argv[1], line, row_error->message);
  }

  if (dry_run || (n_bad > 0 && !skip_bad)) {
    gh_database_rollback (cli->database);
  } else if (!gh_database_commit (cli->database, &error)) {
    status = gh_cli_fail (cli, error);
    goto out;
  }

  if (!cli->quiet) {
    if (dry_run)
      g_print ("Dry run: %u device%s would be added, %u bad row%s; nothing was written\n",
               n_good, n_good == 1 ? "" : "s", n_bad, n_bad == 1 ? "" : "s");
    else if (n_bad > 0 && !skip_bad)
      g_printerr ("gatehousectl: %u bad row%s; nothing was written (fix them, or give "
                  "--skip-bad)\n", n_bad, n_bad == 1 ? "" : "s");
    else
      g_print ("Added %u device%s\n", n_good, n_good == 1 ? "" : "s");
  }

  status = n_bad == 0 ? GH_CLI_EXIT_OK : skip_bad ? GH_CLI_EXIT_PARTIAL : GH_CLI_EXIT_FAILURE;

out:
  if (file != stdin)
    fclose (file);
  return status;
}

static int
device_export (GhCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDeviceStore) store = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean with_passwords = FALSE;
  guint n;
  GOptionEntry entries[] = {
    { "with-passwords", 0, 0, G_OPTION_ARG_NONE, &with_passwords, "Include the device "
      "passwords, sealed with a passphrase (GATEHOUSE_EXPORT_PASSPHRASE or a prompt): the "
      "output is then one line of base64 that only the passphrase opens", NULL },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, NULL, "Writes the devices as CSV in the import format, "
                     "without passwords unless --with-passwords is given.", &argc, &argv,
                     &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);

  if (with_passwords) {
    g_autofree char *passphrase = NULL;
    g_autoptr(GBytes) sealed = NULL;
    g_autofree char *encoded = NULL;

    passphrase = gh_cli_read_password ("GATEHOUSE_EXPORT_PASSPHRASE",
                                       "Passphrase for the export: ", &error);
    if (passphrase == NULL)
      return gh_cli_fail (cli, error);
    if (g_utf8_strlen (passphrase, -1) < 12)
      return gh_cli_usage_error (cli, "the export passphrase needs at least 12 characters");
    if (!device_open (cli, &error))
      return gh_cli_fail (cli, error);
    sealed = gh_device_secrets_export (cli->database, cli->session, passphrase, &error);
    if (sealed == NULL)
      return gh_cli_fail (cli, error);
    encoded = g_base64_encode (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
    g_print ("%s\n", encoded);
    return GH_CLI_EXIT_OK;
  }

  if (!device_open (cli, &error))
    return gh_cli_fail (cli, error);

  store = gh_device_store_new (cli->database);
  list = gh_device_store_list (store, NULL);
  n = g_list_model_get_n_items (list);

  gh_cli_csv_append_row (out, device_columns, g_strv_length ((char **)device_columns));
  for (guint i = 0; i < n; i++) {
    g_autoptr(GhDevice) device = g_list_model_get_item (list, i);
    g_autofree char *port = g_strdup_printf ("%d", gh_device_get_port (device));
    const char *row[] = {
      gh_device_get_name (device), gh_device_get_kind (device), gh_device_get_host (device),
      port, gh_device_get_username (device), "", gh_device_get_driver (device),
      gh_device_get_https (device) ? "1" : "0",
    };

    gh_cli_csv_append_row (out, row, G_N_ELEMENTS (row));
  }
  fwrite (out->str, 1, out->len, stdout);

  return GH_CLI_EXIT_OK;
}

static int
device_drivers (GhCli  *cli,
                int     argc,
                char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  if (!gh_cli_parse (cli, NULL, NULL, "Lists the device drivers built in.", &argc, &argv,
                     &error))
    return gh_cli_fail (cli, error);

  gh_builtin_drivers_register ();
  names = gh_driver_registry_list ();

  if (cli->json) {
    g_autoptr(json_object) array = json_object_new_array ();

    for (guint i = 0; names != NULL && names[i] != NULL; i++)
      json_object_array_add (array, json_object_new_string (names[i]));
    gh_cli_print_json (array);
  } else {
    for (guint i = 0; names != NULL && names[i] != NULL; i++)
      g_print ("%s\n", names[i]);
  }

  return GH_CLI_EXIT_OK;
}

/* ---- doors ---- */

static int
door_action (GhCli         *cli,
             int            argc,
             char         **argv,
             GhDoorAction   action,
             const char    *verb)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDeviceStore) store = NULL;
  g_autoptr(GhDevice) device = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  int door = 1;
  GOptionEntry entries[] = {
    { "door", 0, 0, G_OPTION_ARG_INT, &door, "Door number on the device (default 1)", "N" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, "DEVICE", verb, &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one device");
  if (door < 1 || door > 16)
    return gh_cli_usage_error (cli, "--door must be from 1 to 16");
  if (!device_open (cli, &error))
    return gh_cli_fail (cli, error);
  if (!gh_session_check (cli->session, GH_PERMISSION_DOORS_CONTROL, &error))
    return gh_cli_fail (cli, error);

  store = gh_device_store_new (cli->database);
  device = gh_cli_find_device (cli, store, argv[1], &error);
  if (device == NULL)
    return gh_cli_fail (cli, error);
  if (door > gh_device_get_door_count (device) && gh_device_get_door_count (device) > 0) {
    g_set_error (&error, GH_ERROR, GH_ERROR_INVALID_INPUT, "%s has %d door%s", argv[1],
                 gh_device_get_door_count (device),
                 gh_device_get_door_count (device) == 1 ? "" : "s");
    return gh_cli_fail (cli, error);
  }

  /* The door service checks the role again, talks to the device and audits the attempt. */
  gh_door_service_run_async (cli->database, cli->session, gh_device_get_id (device),
                             (guint)(door - 1), action, NULL, store_result_cb, &result);
  if (!gh_door_service_run_finish (wait_result (&result), &error))
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("Door %d of %s: done\n", door, argv[1]);

  return GH_CLI_EXIT_OK;
}

static int
door_open (GhCli *cli, int argc, char **argv)
{
  return door_action (cli, argc, argv, GH_DOOR_ACTION_OPEN, "Opens a door once.");
}

static int
door_close (GhCli *cli, int argc, char **argv)
{
  return door_action (cli, argc, argv, GH_DOOR_ACTION_CLOSE, "Closes a door that is open now "
                      "(a door held open stays so until restored).");
}

static int
door_always_open (GhCli *cli, int argc, char **argv)
{
  return door_action (cli, argc, argv, GH_DOOR_ACTION_ALWAYS_OPEN, "Holds a door open until "
                      "restored.");
}

static int
door_restore (GhCli *cli, int argc, char **argv)
{
  return door_action (cli, argc, argv, GH_DOOR_ACTION_RESTORE, "Returns a door to normal.");
}

/* ---- events ---- */

typedef struct {
  GHashTable *names;      /* (owned) device id → name */
  GMainLoop  *loop;       /* (owned) */
  guint       count;      /* stop after this many events, 0: never */
  guint       seen;
  GPtrArray  *kinds;      /* (owned) (nullable) only these kinds */
} Tail;

static json_object *
event_to_json (Tail          *tail,
               const GhEvent *event)
{
  json_object *obj = json_object_new_object ();
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (event->time / G_USEC_PER_SEC);
  g_autofree char *when = time ? g_date_time_format_iso8601 (time) : g_strdup ("");

#define STR(s) ((s) ? json_object_new_string (s) : NULL)
  json_object_object_add (obj, "time", json_object_new_string (when));
  json_object_object_add (obj, "kind", json_object_new_string (
                            gh_event_kind_to_string (event->kind)));
  json_object_object_add (obj, "device", STR (g_hash_table_lookup (tail->names,
                                                                   event->device_id)));
  json_object_object_add (obj, "door", event->door >= 0 ? json_object_new_int (event->door + 1)
                                                         : NULL);
  json_object_object_add (obj, "method", json_object_new_string (
                            gh_access_method_to_string (event->method)));
  json_object_object_add (obj, "credential", STR (event->credential));
  json_object_object_add (obj, "person_id", STR (event->person_id));
  json_object_object_add (obj, "room", STR (event->room));
  json_object_object_add (obj, "call_id", STR (event->call_id));
  json_object_object_add (obj, "raw_code", STR (event->raw_code));
  json_object_object_add (obj, "synthetic", json_object_new_boolean (event->synthetic));
#undef STR

  return obj;
}

static void
event_cb (GhDriver *driver,
          GhEvent  *event,
          gpointer  user_data)
{
  Tail *tail = user_data;
  g_autoptr(json_object) obj = NULL;

  if (tail->kinds != NULL && !g_ptr_array_find_with_equal_func (
        tail->kinds, gh_event_kind_to_string (event->kind), g_str_equal, NULL))
    return;

  obj = event_to_json (tail, event);
  gh_cli_print_json (obj);
  fflush (stdout);

  tail->seen++;
  if (tail->count > 0 && tail->seen >= tail->count)
    g_main_loop_quit (tail->loop);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
events_tail (GhCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDeviceStore) store = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) drivers = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) kinds = NULL;
  int count = 0;
  int timeout = 0;
  Tail tail = { 0 };
  guint sources[3];
  GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING_ARRAY, &names, "Only this device (repeat for more)",
      "DEVICE" },
    { "kind", 0, 0, G_OPTION_ARG_STRING_ARRAY, &kinds,
      "Only events of this kind (access-granted, call-ringing, …; repeat for more)", "KIND" },
    { "count", 'c', 0, G_OPTION_ARG_INT, &count, "Stop after N events", "N" },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout, "Stop after S seconds", "S" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, NULL, "Prints the live events of all devices (or those "
                     "given), normalized, one JSON object per line, until interrupted.", &argc,
                     &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);
  if (count < 0 || timeout < 0)
    return gh_cli_usage_error (cli, "--count and --timeout must not be negative");
  for (guint i = 0; kinds != NULL && kinds[i] != NULL; i++) {
    GhEventKind kind;

    if (!gh_event_kind_from_string (kinds[i], &kind))
      return gh_cli_usage_error (cli, "unknown event kind “%s”", kinds[i]);
  }
  if (!device_open (cli, &error))
    return gh_cli_fail (cli, error);
  if (!gh_session_check (cli->session, GH_PERMISSION_RECORDS_READ, &error))
    return gh_cli_fail (cli, error);

  store = gh_device_store_new (cli->database);
  devices = find_devices (cli, store, names, NULL, &error);
  if (devices == NULL)
    return gh_cli_fail (cli, error);
  if (devices->len == 0) {
    g_set_error (&error, GH_ERROR, GH_ERROR_NOT_FOUND, "there are no devices to listen to");
    return gh_cli_fail (cli, error);
  }

  tail.names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  tail.loop = g_main_loop_new (NULL, FALSE);
  tail.count = (guint)count;
  if (kinds != NULL) {
    tail.kinds = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; kinds[i] != NULL; i++)
      g_ptr_array_add (tail.kinds, g_strdup (kinds[i]));
  }

  for (guint i = 0; i < devices->len; i++) {
    GhDevice *device = g_ptr_array_index (devices, i);
    g_autoptr(GError) local = NULL;
    GhDriver *driver = make_driver (cli, device, &local);

    if (driver == NULL || !gh_driver_start_events (driver, &local)) {
      g_printerr ("gatehousectl: events tail: %s: %s\n", gh_device_get_name (device),
                  local->message);
      g_clear_object (&driver);
      continue;
    }
    g_hash_table_insert (tail.names,
                         g_strdup_printf ("%" G_GINT64_FORMAT, gh_device_get_id (device)),
                         g_strdup (gh_device_get_name (device)));
    g_signal_connect (driver, "event", G_CALLBACK (event_cb), &tail);
    g_ptr_array_add (drivers, driver);
  }

  sources[0] = g_unix_signal_add (SIGINT, quit_cb, tail.loop);
  sources[1] = g_unix_signal_add (SIGTERM, quit_cb, tail.loop);
  sources[2] = timeout > 0 ? g_timeout_add_seconds ((guint)timeout, quit_cb, tail.loop) : 0;

  if (drivers->len > 0)
    g_main_loop_run (tail.loop);

  for (guint i = 0; i < drivers->len; i++) {
    GhDriver *driver = g_ptr_array_index (drivers, i);

    g_signal_handlers_disconnect_by_data (driver, &tail);
    gh_driver_stop_events (driver);
  }
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (sources[i] != 0)
      g_source_remove (sources[i]);
  g_main_loop_unref (tail.loop);
  g_hash_table_unref (tail.names);
  g_clear_pointer (&tail.kinds, g_ptr_array_unref);

  if (drivers->len == 0)
    return GH_CLI_EXIT_FAILURE;
  return drivers->len < devices->len ? GH_CLI_EXIT_PARTIAL : GH_CLI_EXIT_OK;
}

/* ---- records ---- */

static gboolean
record_kind_from_string (const char   *text,
                         GhRecordKind *out_kind)
{
  if (g_strcmp0 (text, "call") == 0)
    *out_kind = GH_RECORD_KIND_CALL;
  else if (g_strcmp0 (text, "access") == 0)
    *out_kind = GH_RECORD_KIND_ACCESS;
  else if (g_strcmp0 (text, "alarm") == 0)
    *out_kind = GH_RECORD_KIND_ALARM;
  else
    return FALSE;

  return TRUE;
}

static const char * const record_columns[] = {
  "time", "device", "type", "door", "method", "result", "credential", "person_id",
  "person_name", "room", "local_number", "direction", "duration", NULL
};

/* The device's record in plain fields, ready for the store and for printing. */
static GhCliRecordRow *
row_from_record (const GhDeviceRecord *record)
{
  GhCliRecordRow *row = g_new0 (GhCliRecordRow, 1);

  row->kind = g_strdup (gh_record_kind_to_string (record->kind));
  row->key = g_strdup (record->key);
  row->time = record->time;
  row->door = record->door >= 0 ? record->door + 1 : 0;
  row->method = g_strdup (gh_access_method_to_string (record->method));
  row->status = g_strdup (record->kind == GH_RECORD_KIND_CALL
                            ? (record->granted ? "answered" : "missed")
                            : record->kind == GH_RECORD_KIND_ACCESS
                              ? (record->granted ? "granted" : "denied") : "start");
  row->direction = g_strdup (record->kind == GH_RECORD_KIND_CALL
                               ? (record->outgoing ? "outgoing" : "incoming") : NULL);
  row->card = g_strdup (record->credential);
  row->person_id = g_strdup (record->person_id);
  row->person_name = g_strdup (record->person_name);
  row->local_number = g_strdup (record->local_number);
  row->peer_number = g_strdup (record->room);
  row->talk_seconds = (int)record->duration_s;
  row->detail = g_strdup (record->raw);

  return row;
}

static void
print_row (const GhCliRecordRow *rec,
           const char           *device,
           char                **row)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (rec->time);
  gboolean call = g_strcmp0 (rec->kind, "call") == 0;

  row[0] = time ? g_date_time_format_iso8601 (time) : g_strdup ("");
  row[1] = g_strdup (device);
  row[2] = g_strdup (rec->kind);
  row[3] = rec->door > 0 ? g_strdup_printf ("%d", rec->door) : g_strdup ("");
  row[4] = g_strdup (rec->method);
  row[5] = g_strdup (g_strcmp0 (rec->kind, "alarm") == 0 ? "" : rec->status);
  row[6] = g_strdup (rec->card ?: "");
  row[7] = g_strdup (rec->person_id ?: "");
  row[8] = g_strdup (rec->person_name ?: "");
  row[9] = g_strdup (rec->peer_number ?: "");
  row[10] = g_strdup (rec->local_number ?: "");
  row[11] = g_strdup (call ? rec->direction : "");
  row[12] = call ? g_strdup_printf ("%d", rec->talk_seconds) : g_strdup ("");
}

static int
records_fetch (GhCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDeviceStore) store = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(json_object) array = json_object_new_array ();
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autofree char *type = NULL, *from = NULL, *to = NULL, *format = NULL, *output = NULL;
  g_auto(GStrv) names = NULL;
  gint64 from_s = 0, to_s = G_MAXINT64;
  GhRecordKind kind;
  gboolean as_json;
  guint n_failed = 0, n_records = 0, n_added = 0;
  GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, "call, access or alarm (required)", "TYPE" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "Records from this time", "TIME" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Records up to this time", "TIME" },
    { "device", 0, 0, G_OPTION_ARG_STRING_ARRAY, &names, "Only this device (repeat for more)",
      "DEVICE" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "csv or json (default: json with --json, "
      "else csv)", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE", "FILE" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, NULL, "Reads call, access or alarm records from the devices "
                     "(default: all of them) and writes them as CSV or JSON.", &argc, &argv,
                     &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);
  if (type == NULL || !record_kind_from_string (type, &kind))
    return gh_cli_usage_error (cli, "give --type call, access or alarm");
  if (format != NULL && g_strcmp0 (format, "csv") != 0 && g_strcmp0 (format, "json") != 0)
    return gh_cli_usage_error (cli, "unknown format “%s”; use csv or json", format);
  if ((from != NULL && !gh_cli_parse_time (from, FALSE, &from_s, &error)) ||
      (to != NULL && !gh_cli_parse_time (to, TRUE, &to_s, &error)))
    return gh_cli_fail (cli, error);
  if (from_s > to_s)
    return gh_cli_usage_error (cli, "--from is after --to");
  as_json = format != NULL ? g_strcmp0 (format, "json") == 0 : cli->json;

  if (!device_open (cli, &error))
    return gh_cli_fail (cli, error);
  if (!gh_session_check (cli->session, GH_PERMISSION_RECORDS_READ, &error))
    return gh_cli_fail (cli, error);

  store = gh_device_store_new (cli->database);
  devices = find_devices (cli, store, names, NULL, &error);
  if (devices == NULL)
    return gh_cli_fail (cli, error);

  gh_cli_csv_append_row (csv, record_columns, g_strv_length ((char **)record_columns));

  for (guint i = 0; i < devices->len; i++) {
    GhDevice *device = g_ptr_array_index (devices, i);
    g_autoptr(GhDriver) driver = NULL;
    g_autoptr(GError) local = NULL;
    g_autofree char *cursor = NULL;
    g_autoptr(GPtrArray) fetched = g_ptr_array_new_with_free_func (
      (GDestroyNotify)gh_cli_record_row_free);

    driver = make_driver (cli, device, &local);
    if (driver != NULL && !gh_driver_supports (driver, GH_TYPE_RECORD_SOURCE))
      continue;  /* devices without logs are not a failure */

    /* Page through the device's log: each batch returns a cursor for the next. */
    while (driver != NULL && local == NULL) {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GhDeviceRecordBatch) batch = NULL;

      gh_record_source_fetch_records_async (driver, kind, cursor, NULL, store_result_cb, &result);
      batch = gh_record_source_fetch_records_finish (driver, wait_result (&result), &local);
      if (batch == NULL)
        break;

      for (guint r = 0; r < batch->records->len; r++) {
        GhDeviceRecord *record = g_ptr_array_index (batch->records, r);
        GhCliRecordRow *rec = row_from_record (record);
        char *row[13];

        g_ptr_array_add (fetched, rec);
        if (record->time < from_s || record->time > to_s)
          continue;

        print_row (rec, gh_device_get_name (device), row);
        n_records++;
        if (as_json) {
          json_object *obj = json_object_new_object ();

          for (guint c = 0; c < G_N_ELEMENTS (row); c++)
            json_object_object_add (obj, record_columns[c], json_object_new_string (row[c]));
          json_object_array_add (array, obj);
        } else {
          gh_cli_csv_append_row (csv, (const char * const *)row, G_N_ELEMENTS (row));
        }
        for (guint c = 0; c < G_N_ELEMENTS (row); c++)
          g_free (row[c]);
      }

      if (batch->records->len == 0 || batch->cursor == NULL ||
          g_strcmp0 (batch->cursor, cursor) == 0)
        break;
      g_free (cursor);
      cursor = g_strdup (batch->cursor);
    }

    /* Everything read is kept, so `records export` and the application see it. */
    if (local == NULL && fetched->len > 0) {
      guint added = 0;

      if (!gh_cli_records_ingest (cli, gh_device_get_id (device), fetched, &added, &local))
        g_prefix_error (&local, "storing its records: ");
      n_added += added;
    }

    if (local != NULL) {
      n_failed++;
      g_printerr ("gatehousectl: records fetch: %s: %s\n", gh_device_get_name (device),
                  local->message);
    }
  }

  {
    const char *text = as_json ? json_object_to_json_string_ext (array, JSON_C_TO_STRING_PLAIN)
                               : csv->str;

    if (output != NULL && strcmp (output, "-") != 0) {
      g_autofree char *contents = as_json ? g_strconcat (text, "\n", NULL) : g_strdup (text);

      if (!g_file_set_contents (output, contents, -1, &error))
        return gh_cli_fail (cli, error);
    } else {
      fputs (text, stdout);
      if (as_json)
        fputc ('\n', stdout);
    }
  }

  if (output != NULL && !cli->quiet)
    g_printerr ("gatehousectl: records fetch: %u record%s written, %u new stored\n", n_records,
                n_records == 1 ? "" : "s", n_added);

  if (n_failed == 0)
    return GH_CLI_EXIT_OK;
  return n_failed == devices->len ? GH_CLI_EXIT_FAILURE : GH_CLI_EXIT_PARTIAL;
}

const GhCliCommand gh_cli_device_commands[] = {
  { "device", "add", device_add, "Add a device" },
  { "device", "list", device_list, "List devices" },
  { "device", "probe", device_probe, "Read model, serial, firmware and doors from devices" },
  { "device", "remove", device_remove, "Remove devices" },
  { "device", "import", device_import, "Add devices from a CSV file" },
  { "device", "export", device_export, "Write the devices as CSV (passwords only sealed, on request)" },
  { "device", "clear-pin", device_clear_pin, "Forget a replaced HTTPS device's pinned key" },
  { "device", "drivers", device_drivers, "List the device drivers built in" },
  { NULL },
};

const GhCliCommand gh_cli_door_commands[] = {
  { "door", "open", door_open, "Open a door once" },
  { "door", "close", door_close, "Close a door that is open now" },
  { "door", "always-open", door_always_open, "Hold a door open" },
  { "door", "restore", door_restore, "Return a door to normal" },
  { NULL },
};

const GhCliCommand gh_cli_events_commands[] = {
  { "events", "tail", events_tail, "Print live events as JSON lines" },
  { NULL },
};

const GhCliCommand gh_cli_records_commands[] = {
  { "records", "fetch", records_fetch, "Read records from devices, store them, print them" },
  { NULL },
};
