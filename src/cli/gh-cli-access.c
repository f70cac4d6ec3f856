/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-cli-access"

#include "config.h"

#include "gh-cli.h"

#include "gh-access-store.h"
#include "gh-department-store.h"
#include "gh-error.h"
#include "gh-notice-store.h"
#include "gh-person-store.h"
#include "gh-time-template.h"

#include <string.h>

/*
 * gatehousectl group …  : permission groups, time templates and their members
 * gatehousectl notice … : notices for indoor monitors
 */

static GhAccessTimeTemplate *
find_template (GhAccessStore  *store,
               const char     *name,
               GError        **error)
{
  g_autoptr(GPtrArray) list = gh_access_store_list_time_templates (store, error);

  if (list == NULL)
    return NULL;

  for (guint i = 0; i < list->len; i++) {
    GhAccessTimeTemplate *tmpl = g_ptr_array_index (list, i);

    if (g_strcmp0 (tmpl->name, name) == 0)
      return gh_access_store_get_time_template (store, tmpl->id, error);
  }

  g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
               "there is no time template “%s”; see “gatehousectl group templates”", name);
  return NULL;
}

static GhPermissionGroup *
find_group (GhAccessStore  *store,
            const char     *name,
            GError        **error)
{
  g_autoptr(GPtrArray) list = gh_access_store_list_groups (store, error);

  if (list == NULL)
    return NULL;

  for (guint i = 0; i < list->len; i++) {
    GhPermissionGroup *group = g_ptr_array_index (list, i);

    if (g_strcmp0 (group->name, name) == 0)
      return gh_access_store_get_group (store, group->id, error);
  }

  g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
               "there is no permission group “%s”; see “gatehousectl group list”", name);
  return NULL;
}

static int
group_template_add (GhCli  *cli,
                    int     argc,
                    char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhAccessStore) store = NULL;
  g_autoptr(GhTimeTemplate) schedule = NULL;
  g_autofree char *text = NULL;
  g_autofree char *remark = NULL;
  GOptionEntry entries[] = {
    { "schedule", 's', 0, G_OPTION_ARG_STRING, &text, "Sections per weekday and holiday, e.g. "
      "\"mon=08:00-12:00,13:00-18:00;tue=08:00-18:00;2026-12-25=\" (default: always)",
      "TEXT" },
    { "remark", 0, 0, G_OPTION_ARG_STRING, &remark, "Remark", "TEXT" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, "NAME", "Adds a time template: up to four sections per "
                     "weekday, and holiday dates with their own sections. Days not named allow "
                     "nothing.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one template name");

  if (text == NULL) {
    schedule = gh_time_template_new_always ();
  } else {
    g_autofree char *full = g_str_has_prefix (text, "v1;") ? g_strdup (text)
                                                           : g_strconcat ("v1;", text, NULL);

    schedule = gh_time_template_from_string (full, &error);
    if (schedule == NULL)
      return gh_cli_fail (cli, error);
  }

  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);
  store = gh_access_store_new (cli->database);
  if (gh_access_store_add_time_template (store, cli->session, argv[1], schedule, remark,
                                         &error) <= 0)
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("Added time template %s\n", argv[1]);

  return GH_CLI_EXIT_OK;
}

static int
group_templates (GhCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhAccessStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(json_object) array = json_object_new_array ();

  if (!gh_cli_parse (cli, NULL, NULL, "Lists time templates.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);
  store = gh_access_store_new (cli->database);
  list = gh_access_store_list_time_templates (store, &error);
  if (list == NULL)
    return gh_cli_fail (cli, error);

  for (guint i = 0; i < list->len; i++) {
    GhAccessTimeTemplate *tmpl = g_ptr_array_index (list, i);
    g_autofree char *text = tmpl->schedule ? gh_time_template_to_string (tmpl->schedule)
                                           : g_strdup ("");

    if (cli->json) {
      json_object *obj = json_object_new_object ();

      json_object_object_add (obj, "name", json_object_new_string (tmpl->name));
      json_object_object_add (obj, "schedule", json_object_new_string (text));
      json_object_object_add (obj, "remark", json_object_new_string (tmpl->remark ?: ""));
      json_object_array_add (array, obj);
    } else {
      g_print ("%s\t%s\n", tmpl->name, text);
    }
  }
  if (cli->json)
    gh_cli_print_json (array);

  return GH_CLI_EXIT_OK;
}

static int
group_template_remove (GhCli  *cli,
                       int     argc,
                       char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhAccessStore) store = NULL;
  g_autoptr(GhAccessTimeTemplate) tmpl = NULL;

  if (!gh_cli_parse (cli, NULL, "NAME", "Removes a time template no group uses.", &argc, &argv,
                     &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one template name");
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);
  store = gh_access_store_new (cli->database);
  tmpl = find_template (store, argv[1], &error);
  if (tmpl == NULL ||
      !gh_access_store_remove_time_template (store, cli->session, tmpl->id, &error))
    return gh_cli_fail (cli, error);

  return GH_CLI_EXIT_OK;
}

/* "DEVICE" or "DEVICE:N" (door N from 1) */
static gboolean
parse_door (GhCli          *cli,
            GhDeviceStore  *devices,
            const char     *text,
            GhGroupDoor    *out,
            GError        **error)
{
  g_autofree char *name = g_strdup (text);
  char *colon = strrchr (name, ':');
  g_autoptr(GhDevice) device = NULL;
  guint64 door = 1;

  if (colon != NULL) {
    *colon = '\0';
    if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 16, &door, NULL)) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   "“%s”: the door after the colon must be a number from 1 to 16", text);
      return FALSE;
    }
  }

  device = gh_cli_find_device (cli, devices, name, error);
  if (device == NULL)
    return FALSE;

  out->device_id = gh_device_get_id (device);
  out->door_index = (int)door - 1;
  return TRUE;
}

static int
group_add (GhCli  *cli,
           int     argc,
           char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhAccessStore) store = NULL;
  g_autoptr(GhDeviceStore) devices = NULL;
  g_autofree char *template_name = NULL, *verify = NULL, *remark = NULL;
  g_auto(GStrv) doors = NULL;
  GhPermissionGroup group = { 0 };
  g_autoptr(GArray) door_array = g_array_new (FALSE, TRUE, sizeof (GhGroupDoor));
  GOptionEntry entries[] = {
    { "template", 't', 0, G_OPTION_ARG_STRING, &template_name, "Time template (default: always)",
      "NAME" },
    { "verify", 0, 0, G_OPTION_ARG_STRING, &verify, "How persons prove who they are: any "
      "(default), card, password, face, fingerprint, card+password, …", "METHOD" },
    { "door", 0, 0, G_OPTION_ARG_STRING_ARRAY, &doors, "A door the group opens: DEVICE or "
      "DEVICE:N (repeat)", "DEVICE[:N]" },
    { "remark", 0, 0, G_OPTION_ARG_STRING, &remark, "Remark", "TEXT" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, "NAME", "Adds a permission group: which doors, when and "
                     "how.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one group name");
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  store = gh_access_store_new (cli->database);
  devices = gh_device_store_new (cli->database);

  if (template_name != NULL) {
    g_autoptr(GhAccessTimeTemplate) tmpl = find_template (store, template_name, &error);

    if (tmpl == NULL)
      return gh_cli_fail (cli, error);
    group.time_template_id = tmpl->id;
  }

  for (guint i = 0; doors != NULL && doors[i] != NULL; i++) {
    GhGroupDoor door;

    if (!parse_door (cli, devices, doors[i], &door, &error))
      return gh_cli_fail (cli, error);
    g_array_append_val (door_array, door);
  }

  group.name = argv[1];
  group.remark = remark;
  group.verify_method = verify;
  group.doors = door_array;

  if (gh_access_store_add_group (store, cli->session, &group, &error) <= 0)
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("Added permission group %s\n", argv[1]);

  return GH_CLI_EXIT_OK;
}

static int
group_list (GhCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhAccessStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(json_object) array = json_object_new_array ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

  if (!gh_cli_parse (cli, NULL, NULL, "Lists permission groups.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);
  store = gh_access_store_new (cli->database);
  list = gh_access_store_list_groups (store, &error);
  if (list == NULL)
    return gh_cli_fail (cli, error);

  g_ptr_array_add (rows, g_strdupv ((char *[]) { "NAME", "VERIFY", "DOORS", "PERSONS",
                                                 "DEPARTMENTS", NULL }));
  for (guint i = 0; i < list->len; i++) {
    GhPermissionGroup *group = g_ptr_array_index (list, i);
    guint n_doors = group->doors ? group->doors->len : 0;

    if (cli->json) {
      json_object *obj = json_object_new_object ();

      json_object_object_add (obj, "name", json_object_new_string (group->name));
      json_object_object_add (obj, "verify",
                              json_object_new_string (group->verify_method ?: "any"));
      json_object_object_add (obj, "doors", json_object_new_int ((int)n_doors));
      json_object_object_add (obj, "persons", json_object_new_int ((int)group->n_persons));
      json_object_object_add (obj, "departments",
                              json_object_new_int ((int)group->n_departments));
      json_object_array_add (array, obj);
    } else {
      char **row = g_new0 (char *, 6);

      row[0] = g_strdup (group->name);
      row[1] = g_strdup (group->verify_method ?: "any");
      row[2] = g_strdup_printf ("%u", n_doors);
      row[3] = g_strdup_printf ("%u", group->n_persons);
      row[4] = g_strdup_printf ("%u", group->n_departments);
      g_ptr_array_add (rows, row);
    }
  }

  if (cli->json)
    gh_cli_print_json (array);
  else
    gh_cli_print_table (rows, 5);

  return GH_CLI_EXIT_OK;
}

static int
group_remove (GhCli  *cli,
              int     argc,
              char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhAccessStore) store = NULL;
  g_autoptr(GhPermissionGroup) group = NULL;

  if (!gh_cli_parse (cli, NULL, "NAME", "Removes a permission group.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one group name");
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);
  store = gh_access_store_new (cli->database);
  group = find_group (store, argv[1], &error);
  if (group == NULL || !gh_access_store_remove_group (store, cli->session, group->id, &error))
    return gh_cli_fail (cli, error);

  return GH_CLI_EXIT_OK;
}

static int
group_members (GhCli    *cli,
               int       argc,
               char    **argv,
               gboolean  add)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhAccessStore) store = NULL;
  g_autoptr(GhPersonStore) persons = NULL;
  g_autoptr(GhDepartmentStore) departments = NULL;
  g_autoptr(GhPermissionGroup) group = NULL;
  g_autoptr(GArray) person_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) department_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) person_names = NULL;
  g_auto(GStrv) department_paths = NULL;
  GOptionEntry entries[] = {
    { "person", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &person_names, "Person ID (repeat)", "ID" },
    { "department", 0, 0, G_OPTION_ARG_STRING_ARRAY, &department_paths,
      "Department path A/B (repeat)", "PATH" },
    { NULL },
  };
  gboolean ok;

  if (!gh_cli_parse (cli, entries, "GROUP", add ? "Adds persons and departments to a group."
                                                : "Removes persons and departments from a group.",
                     &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one group");
  if (person_names == NULL && department_paths == NULL)
    return gh_cli_usage_error (cli, "name members with --person or --department");
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  store = gh_access_store_new (cli->database);
  persons = gh_person_store_new (cli->database);
  departments = gh_department_store_new (cli->database);
  group = find_group (store, argv[1], &error);
  if (group == NULL)
    return gh_cli_fail (cli, error);

  for (guint i = 0; person_names != NULL && person_names[i] != NULL; i++) {
    g_autoptr(GhPerson) person = gh_person_store_find (persons, person_names[i], &error);
    gint64 id;

    if (person == NULL)
      return gh_cli_fail (cli, error);
    id = gh_person_get_id (person);
    g_array_append_val (person_ids, id);
  }

  for (guint i = 0; department_paths != NULL && department_paths[i] != NULL; i++) {
    g_auto(GStrv) parts = g_strsplit (department_paths[i], "/", -1);
    gint64 parent = 0;

    for (guint p = 0; parts[p] != NULL; p++) {
      g_autoptr(GListModel) children = gh_department_store_list_children (departments, parent);
      guint n = g_list_model_get_n_items (children);
      gint64 found = 0;

      for (guint c = 0; c < n && found == 0; c++) {
        g_autoptr(GhDepartment) dept = g_list_model_get_item (children, c);

        if (g_strcmp0 (gh_department_get_name (dept), g_strstrip (parts[p])) == 0)
          found = gh_department_get_id (dept);
      }
      if (found == 0) {
        g_set_error (&error, GH_ERROR, GH_ERROR_NOT_FOUND, "there is no department “%s”",
                     department_paths[i]);
        return gh_cli_fail (cli, error);
      }
      parent = found;
    }
    g_array_append_val (department_ids, parent);
  }

  if (!gh_database_begin (cli->database, &error))
    return gh_cli_fail (cli, error);

  if (add)
    ok = (person_ids->len == 0 ||
          gh_access_store_add_persons (store, cli->session, group->id,
                                       (gint64 *)person_ids->data, person_ids->len, &error)) &&
         (department_ids->len == 0 ||
          gh_access_store_add_departments (store, cli->session, group->id,
                                           (gint64 *)department_ids->data, department_ids->len,
                                           &error));
  else
    ok = (person_ids->len == 0 ||
          gh_access_store_remove_persons (store, cli->session, group->id,
                                          (gint64 *)person_ids->data, person_ids->len,
                                          &error)) &&
         (department_ids->len == 0 ||
          gh_access_store_remove_departments (store, cli->session, group->id,
                                              (gint64 *)department_ids->data,
                                              department_ids->len, &error));

  if (!ok) {
    gh_database_rollback (cli->database);
    return gh_cli_fail (cli, error);
  }
  if (!gh_database_commit (cli->database, &error))
    return gh_cli_fail (cli, error);

  return GH_CLI_EXIT_OK;
}

static int
group_add_members (GhCli *cli, int argc, char **argv)
{
  return group_members (cli, argc, argv, TRUE);
}

static int
group_remove_members (GhCli *cli, int argc, char **argv)
{
  return group_members (cli, argc, argv, FALSE);
}

/* ---- notices ---- */

static int
notice_add (GhCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhNoticeStore) store = NULL;
  g_autoptr(GhDeviceStore) devices = NULL;
  g_autoptr(GhNotice) notice = NULL;
  g_autofree char *body = NULL;
  g_autofree char *start = NULL;
  g_auto(GStrv) names = NULL;
  gint64 start_s = g_get_real_time () / G_USEC_PER_SEC;
  gint64 id;
  GOptionEntry entries[] = {
    { "body", 'b', 0, G_OPTION_ARG_STRING, &body, "The text of the notice", "TEXT" },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start, "When it starts to show (default: now)",
      "TIME" },
    { "device", 0, 0, G_OPTION_ARG_STRING_ARRAY, &names, "An indoor monitor to show it "
      "(repeat; default: all indoor monitors)", "DEVICE" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, "TITLE", "Adds a notice for indoor monitors and queues it "
                     "for them.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one title");
  if (start != NULL && !gh_cli_parse_time (start, FALSE, &start_s, &error))
    return gh_cli_fail (cli, error);
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  store = gh_notice_store_new (cli->database);
  devices = gh_device_store_new (cli->database);
  notice = gh_notice_new (argv[1], body ? body : "", start_s);

  if (names != NULL) {
    for (guint i = 0; names[i] != NULL; i++) {
      g_autoptr(GhDevice) device = gh_cli_find_device (cli, devices, names[i], &error);
      gint64 device_id;

      if (device == NULL)
        return gh_cli_fail (cli, error);
      device_id = gh_device_get_id (device);
      g_array_append_val (notice->device_ids, device_id);
    }
  } else {
    g_autoptr(GListModel) list = gh_device_store_list (devices, "vth");

    for (guint i = 0; i < g_list_model_get_n_items (list); i++) {
      g_autoptr(GhDevice) device = g_list_model_get_item (list, i);
      gint64 device_id = gh_device_get_id (device);

      g_array_append_val (notice->device_ids, device_id);
    }
  }

  id = gh_notice_store_add (store, cli->session, notice, &error);
  if (id <= 0)
    return gh_cli_fail (cli, error);

  if (cli->json) {
    g_autoptr(json_object) obj = json_object_new_object ();

    json_object_object_add (obj, "id", json_object_new_int64 (id));
    gh_cli_print_json (obj);
  } else if (!cli->quiet) {
    g_print ("Added notice %" G_GINT64_FORMAT " for %u device%s\n", id, notice->device_ids->len,
             notice->device_ids->len == 1 ? "" : "s");
  }

  return GH_CLI_EXIT_OK;
}

static int
notice_list (GhCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhNoticeStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(json_object) array = json_object_new_array ();

  if (!gh_cli_parse (cli, NULL, NULL, "Lists notices with their sending state per device.",
                     &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);
  store = gh_notice_store_new (cli->database);
  list = gh_notice_store_list (store, &error);
  if (list == NULL)
    return gh_cli_fail (cli, error);

  for (guint i = 0; i < list->len; i++) {
    GhNotice *notice = g_ptr_array_index (list, i);
    g_autoptr(GPtrArray) states = gh_notice_store_list_device_status (store, notice->id, NULL);
    g_autofree char *start = gh_cli_format_time (notice->start_time);
    json_object *obj = json_object_new_object ();
    json_object *devices = json_object_new_array ();

    json_object_object_add (obj, "id", json_object_new_int64 (notice->id));
    json_object_object_add (obj, "title", json_object_new_string (notice->title));
    json_object_object_add (obj, "body", json_object_new_string (notice->body ?: ""));
    json_object_object_add (obj, "start", json_object_new_string (start));
    for (guint s = 0; states != NULL && s < states->len; s++) {
      GhNoticeDeviceStatus *st = g_ptr_array_index (states, s);
      json_object *d = json_object_new_object ();

      json_object_object_add (d, "device", json_object_new_string (st->device_name ?: ""));
      json_object_object_add (d, "status", json_object_new_string (st->status ?: ""));
      json_object_object_add (d, "error", st->error ? json_object_new_string (st->error) : NULL);
      json_object_array_add (devices, d);
    }
    json_object_object_add (obj, "devices", devices);

    if (!cli->json) {
      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\n", notice->id, start, notice->title);
      for (size_t s = 0; s < json_object_array_length (devices); s++) {
        json_object *d = json_object_array_get_idx (devices, s);

        g_print ("\t%s: %s%s%s\n", json_object_get_string (json_object_object_get (d, "device")),
                 json_object_get_string (json_object_object_get (d, "status")),
                 json_object_object_get (d, "error") ? " — " : "",
                 json_object_object_get (d, "error")
                   ? json_object_get_string (json_object_object_get (d, "error")) : "");
      }
    }
    json_object_array_add (array, obj);
  }

  if (cli->json)
    gh_cli_print_json (array);

  return GH_CLI_EXIT_OK;
}

static int
notice_send (GhCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhNoticeStore) store = NULL;
  guint64 id;

  if (!gh_cli_parse (cli, NULL, "ID", "Queues a notice for its devices again.", &argc, &argv,
                     &error))
    return gh_cli_fail (cli, error);
  if (argc != 2 || !g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXINT64, &id, NULL))
    return gh_cli_usage_error (cli, "give the number of a notice (see “notice list”)");
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);
  store = gh_notice_store_new (cli->database);
  if (!gh_notice_store_send (store, cli->session, (gint64)id, &error))
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("Notice %" G_GUINT64_FORMAT " is queued; “gatehousectl sync run” sends it\n", id);

  return GH_CLI_EXIT_OK;
}

const GhCliCommand gh_cli_group_commands[] = {
  { "group", "add", group_add, "Add a permission group (doors, time template, verify method)" },
  { "group", "list", group_list, "List permission groups" },
  { "group", "remove", group_remove, "Remove a permission group" },
  { "group", "add-members", group_add_members, "Add persons and departments to a group" },
  { "group", "remove-members", group_remove_members, "Remove members from a group" },
  { "group", "add-template", group_template_add, "Add a time template" },
  { "group", "templates", group_templates, "List time templates" },
  { "group", "remove-template", group_template_remove, "Remove a time template" },
  { NULL },
};

const GhCliCommand gh_cli_notice_commands[] = {
  { "notice", "add", notice_add, "Add a notice for indoor monitors" },
  { "notice", "list", notice_list, "List notices and their sending state" },
  { "notice", "send", notice_send, "Queue a notice for its devices again" },
  { NULL },
};
