/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-cli-records"

#include "config.h"

#include "gh-cli-records.h"

#include "gh-cli-csv.h"
#include "gh-error.h"
#include "gh-record-store.h"

#include <string.h>

/* gatehousectl records export, and storing what records fetch read. */

static const char * const store_methods[] = {
  "unknown", "card", "password", "remote", "fingerprint", "face", "button", NULL
};

void
gh_cli_record_row_free (GhCliRecordRow *row)
{
  if (row == NULL)
    return;

  g_free (row->kind);
  g_free (row->key);
  g_free (row->method);
  g_free (row->status);
  g_free (row->direction);
  g_free (row->card);
  g_free (row->person_id);
  g_free (row->person_name);
  g_free (row->local_number);
  g_free (row->peer_number);
  g_free (row->detail);
  g_free (row);
}

static GhRecord *
record_from_row (const GhCliRecordRow *row)
{
  GhRecord *record = gh_record_new ();

  gh_record_set_kind (record, row->kind);
  gh_record_set_dedup_key (record, row->key);
  gh_record_set_time (record, row->time);
  gh_record_set_status (record, row->status);
  gh_record_set_door (record, row->door);
  gh_record_set_card_number (record, row->card);
  gh_record_set_person_ref (record, row->person_id);
  gh_record_set_person_name (record, row->person_name);
  gh_record_set_detail (record, row->detail);

  if (g_strcmp0 (row->kind, "call") == 0) {
    gh_record_set_direction (record, row->direction);
    gh_record_set_local_number (record, row->local_number);
    gh_record_set_peer_number (record, row->peer_number);
    gh_record_set_talk_seconds (record, row->talk_seconds);
  } else if (g_strcmp0 (row->kind, "access") == 0) {
    /* The store knows the methods people use; others (a duress card) count as unknown. */
    gh_record_set_method (record, g_strv_contains (store_methods, row->method ? row->method : "")
                                    ? row->method : "unknown");
  } else {
    /* Drivers report an alarm by its input; name the input as the alarm's type. */
    g_autofree char *type = g_strdup_printf ("input %d", row->door);

    gh_record_set_alarm_type (record, type);
    gh_record_set_channel (record, row->door);
  }

  return record;
}

/**
 * gh_cli_records_ingest:
 *
 * Stores the records read from one device; rows already stored are skipped.
 */
gboolean
gh_cli_records_ingest (GhCli      *cli,
                       gint64      device_id,
                       GPtrArray  *rows,
                       guint      *out_added,
                       GError    **error)
{
  g_autoptr(GhRecordStore) store = gh_record_store_new (cli->database);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (records, record_from_row (g_ptr_array_index (rows, i)));

  return gh_record_store_ingest (store, cli->session, device_id, records, out_added, error);
}

static const char * const export_columns[] = {
  "time", "device", "type", "status", "door", "method", "card", "person_id", "person_name",
  "local_number", "peer_number", "direction", "talk_seconds", "alarm_type", NULL
};

static int
records_export (GhCli  *cli,
                int     argc,
                char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhRecordStore) store = NULL;
  g_autoptr(GhDeviceStore) devices = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(json_object) array = json_object_new_array ();
  g_autofree char *type = NULL, *from = NULL, *to = NULL, *format = NULL, *output = NULL;
  g_autofree char *device_name = NULL, *status = NULL;
  GhRecordFilter filter = { 0 };
  gboolean as_json;
  guint n;
  GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, "call, access or alarm (required)", "TYPE" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "Records from this time", "TIME" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Records up to this time", "TIME" },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device_name, "Only this device", "DEVICE" },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, "Only this result (granted, denied, "
      "answered, missed, …)", "STATUS" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "csv or json (default: json with --json, "
      "else csv)", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE", "FILE" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, NULL, "Writes the records stored in the database (read from "
                     "the devices by “records fetch” or the application) as CSV or JSON.",
                     &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);
  if (g_strcmp0 (type, "call") != 0 && g_strcmp0 (type, "access") != 0 &&
      g_strcmp0 (type, "alarm") != 0)
    return gh_cli_usage_error (cli, "give --type call, access or alarm");
  if (format != NULL && g_strcmp0 (format, "csv") != 0 && g_strcmp0 (format, "json") != 0)
    return gh_cli_usage_error (cli, "unknown format “%s”; use csv or json", format);
  filter.kind = type;
  filter.status = status;
  if (from != NULL && !gh_cli_parse_time (from, FALSE, &filter.from, &error))
    return gh_cli_fail (cli, error);
  if (to != NULL) {
    if (!gh_cli_parse_time (to, TRUE, &filter.to, &error))
      return gh_cli_fail (cli, error);
    filter.to++;  /* the store's upper bound is exclusive */
  }
  if (filter.to > 0 && filter.from >= filter.to)
    return gh_cli_usage_error (cli, "--from is after --to");
  as_json = format != NULL ? g_strcmp0 (format, "json") == 0 : cli->json;

  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  store = gh_record_store_new (cli->database);
  devices = gh_device_store_new (cli->database);
  if (device_name != NULL) {
    g_autoptr(GhDevice) device = gh_cli_find_device (cli, devices, device_name, &error);

    if (device == NULL)
      return gh_cli_fail (cli, error);
    filter.device_id = gh_device_get_id (device);
  }

  list = gh_record_store_list (store, cli->session, &filter, &error);
  if (list == NULL)
    return gh_cli_fail (cli, error);
  n = g_list_model_get_n_items (list);

  gh_cli_csv_append_row (csv, export_columns, g_strv_length ((char **)export_columns));
  for (guint i = 0; i < n; i++) {
    g_autoptr(GhRecord) record = g_list_model_get_item (list, i);
    g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (gh_record_get_time (record));
    g_autofree char *when = time ? g_date_time_format_iso8601 (time) : g_strdup ("");
    g_autofree char *door = gh_record_get_door (record) > 0
                              ? g_strdup_printf ("%d", gh_record_get_door (record))
                              : g_strdup ("");
    g_autofree char *talk = g_strcmp0 (type, "call") == 0
                              ? g_strdup_printf ("%d", gh_record_get_talk_seconds (record))
                              : g_strdup ("");
    const char *row[] = {
      when, gh_record_get_device_name (record), type, gh_record_get_status (record), door,
      gh_record_get_method (record), gh_record_get_card_number (record),
      gh_record_get_person_ref (record), gh_record_get_person_name (record),
      gh_record_get_local_number (record), gh_record_get_peer_number (record),
      gh_record_get_direction (record), talk, gh_record_get_alarm_type (record),
    };

    if (as_json) {
      json_object *obj = json_object_new_object ();

      for (guint c = 0; c < G_N_ELEMENTS (row); c++)
        json_object_object_add (obj, export_columns[c],
                                json_object_new_string (row[c] ? row[c] : ""));
      json_object_array_add (array, obj);
    } else {
      gh_cli_csv_append_row (csv, row, G_N_ELEMENTS (row));
    }
  }

  {
    g_autofree char *text = as_json
      ? g_strconcat (json_object_to_json_string_ext (array, JSON_C_TO_STRING_PLAIN), "\n", NULL)
      : g_strdup (csv->str);

    if (output != NULL && strcmp (output, "-") != 0) {
      if (!g_file_set_contents (output, text, -1, &error))
        return gh_cli_fail (cli, error);
    } else {
      fputs (text, stdout);
    }
  }

  return GH_CLI_EXIT_OK;
}

const GhCliCommand gh_cli_records_store_commands[] = {
  { "records", "export", records_export, "Write stored records as CSV or JSON" },
  { NULL },
};
