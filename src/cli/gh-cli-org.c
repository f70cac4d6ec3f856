/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-cli-org"

#include "config.h"

#include "gh-cli.h"

#include "gh-cli-csv.h"
#include "gh-device-store.h"
#include "gh-dial-store.h"
#include "gh-error.h"
#include "gh-numbering.h"
#include "gh-org-store.h"
#include "gh-unlock-code.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/*
 * gatehousectl org …  : buildings, units and rooms (with unlock passwords)
 * gatehousectl dial … : registration numbers of devices
 * gatehousectl check  : the numbering plan of the whole community
 *
 * Places are written as organization paths: `02` (building), `02#01` (unit), `02#01#302`
 * (room); without a unit level `02` and `02#302`.
 */

typedef struct {
  GhCli      *cli;
  GhOrgStore *org;  /* (owned) */
} OrgCtx;

static void
org_ctx_clear (OrgCtx *ctx)
{
  g_clear_object (&ctx->org);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OrgCtx, org_ctx_clear)

static gboolean
org_ctx_init (OrgCtx  *ctx,
              GhCli   *cli,
              GError **error)
{
  ctx->cli = cli;
  if (!gh_cli_open (cli, error))
    return FALSE;
  ctx->org = gh_org_store_new (cli->database);
  return TRUE;
}

static gboolean
levels_from_string (const char  *text,
                    GhOrgLevels *out_levels)
{
  if (g_strcmp0 (text, "building-unit") == 0 || g_strcmp0 (text, "units") == 0) {
    *out_levels = GH_ORG_LEVELS_BUILDING_UNIT;
    return TRUE;
  }
  if (g_strcmp0 (text, "building") == 0 || g_strcmp0 (text, "no-units") == 0) {
    *out_levels = GH_ORG_LEVELS_BUILDING;
    return TRUE;
  }
  return FALSE;
}

static const char *
levels_to_string (GhOrgLevels levels)
{
  return levels == GH_ORG_LEVELS_BUILDING_UNIT ? "building-unit" : "building";
}

/* The child of @parent_id numbered @number, or 0. */
static gint64
find_child (OrgCtx     *ctx,
            gint64      parent_id,
            const char *number)
{
  g_autoptr(GListModel) children = gh_org_store_list_children (ctx->org, parent_id);
  guint n = g_list_model_get_n_items (children);

  for (guint i = 0; i < n; i++) {
    g_autoptr(GhOrgNode) node = g_list_model_get_item (children, i);

    if (g_strcmp0 (gh_org_node_get_number (node), number) == 0)
      return gh_org_node_get_id (node);
  }

  return 0;
}

/* The parts of a path and what it names. */
typedef struct {
  char building[GH_NUMBERING_FIELD_SIZE];
  char unit[GH_NUMBERING_FIELD_SIZE];
  char room[GH_NUMBERING_FIELD_SIZE];
} PathParts;

static gboolean
digits_ok (const char *text,
           guint       max)
{
  gsize len = strlen (text);

  return len > 0 && len <= max && strspn (text, "0123456789") == len;
}

static gboolean
split_path (OrgCtx      *ctx,
            const char  *path,
            PathParts   *out,
            GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (path, "#", -1);
  guint n = g_strv_length (parts);
  gboolean units = gh_org_store_get_levels (ctx->org) == GH_ORG_LEVELS_BUILDING_UNIT;
  guint max = units ? 3 : 2;

  memset (out, 0, sizeof *out);

  if (n == 0 || n > max) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 "“%s” is not a place: write %s", path,
                 units ? "BUILDING, BUILDING#UNIT or BUILDING#UNIT#ROOM (02#01#302)"
                       : "BUILDING or BUILDING#ROOM (02#302); this community has no units");
    return FALSE;
  }

  for (guint i = 0; i < n; i++) {
    guint limit = i == 0 ? GH_NUMBERING_BUILDING_MAX_DIGITS
                  : (units && i == 1) ? GH_NUMBERING_UNIT_MAX_DIGITS
                  : GH_NUMBERING_ROOM_MAX_DIGITS;

    if (!digits_ok (parts[i], limit)) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   "“%s”: the %s number “%s” must be 1 to %u digits", path,
                   i == 0 ? "building" : (units && i == 1) ? "unit" : "room", parts[i], limit);
      return FALSE;
    }
  }

  g_strlcpy (out->building, parts[0], sizeof out->building);
  if (units && n >= 2)
    g_strlcpy (out->unit, parts[1], sizeof out->unit);
  if (n == max)
    g_strlcpy (out->room, parts[max - 1], sizeof out->room);

  return TRUE;
}

/* Finds (or, with @create, makes) the building or unit that holds a room of @parts. */
static gint64
resolve_node (OrgCtx           *ctx,
              const PathParts  *parts,
              gboolean          create,
              GPtrArray        *created,
              GError          **error)
{
  GhCli *cli = ctx->cli;
  gint64 community = gh_org_store_get_community (ctx->org, error);
  gint64 building, unit;

  if (community <= 0) {
    if (error != NULL && *error != NULL)
      return 0;
    if (!create) {
      g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND, "there is no building %s",
                   parts->building);
      return 0;
    }
    community = gh_org_store_add_node (ctx->org, cli->session, 0, NULL, NULL, error);
    if (community <= 0)
      return 0;
  }

  building = find_child (ctx, community, parts->building);
  if (building <= 0) {
    if (!create) {
      g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND, "there is no building %s",
                   parts->building);
      return 0;
    }
    building = gh_org_store_add_node (ctx->org, cli->session, community, parts->building, NULL,
                                      error);
    if (building <= 0)
      return 0;
    if (created)
      g_ptr_array_add (created, g_strdup_printf ("building %s", parts->building));
  }

  if (parts->unit[0] == '\0')
    return building;

  unit = find_child (ctx, building, parts->unit);
  if (unit <= 0) {
    if (!create) {
      g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND, "there is no unit %s#%s",
                   parts->building, parts->unit);
      return 0;
    }
    unit = gh_org_store_add_node (ctx->org, cli->session, building, parts->unit, NULL, error);
    if (unit <= 0)
      return 0;
    if (created)
      g_ptr_array_add (created, g_strdup_printf ("unit %s#%s", parts->building, parts->unit));
  }

  return unit;
}

/* Adds the place @path (and the buildings and units above it that are missing). */
static gboolean
add_place (OrgCtx      *ctx,
           const char  *path,
           const char  *name,
           const char  *password,
           GPtrArray   *created,
           GError     **error)
{
  GhCli *cli = ctx->cli;
  PathParts parts;
  gint64 node, room;

  if (!split_path (ctx, path, &parts, error))
    return FALSE;

  if (!gh_database_begin (cli->database, error))
    return FALSE;

  node = resolve_node (ctx, &parts, TRUE, created, error);
  if (node <= 0)
    goto fail;

  if (parts.room[0] == '\0') {
    if (password != NULL) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   "an unlock password belongs to a room; “%s” is not a room", path);
      goto fail;
    }
    if (name != NULL && !gh_org_store_update_node (ctx->org, cli->session, node,
                                                   parts.unit[0] ? parts.unit : parts.building,
                                                   name, error))
      goto fail;
  } else {
    room = gh_org_store_add_room (ctx->org, cli->session, node, parts.room, name, error);
    if (room <= 0)
      goto fail;
    if (created)
      g_ptr_array_add (created, g_strdup_printf ("room %s", path));
    if (password != NULL && *password != '\0' &&
        !gh_org_store_set_unlock_password (ctx->org, cli->session, room, password, error))
      goto fail;
  }

  return gh_database_commit (cli->database, error);

fail:
  gh_database_rollback (cli->database);
  return FALSE;
}

static int
org_add (GhCli  *cli,
         int     argc,
         char  **argv)
{
  g_auto(OrgCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  g_autofree char *password = NULL;
  GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, "Name shown next to the number", "NAME" },
    { "unlock-password", 'p', 0, G_OPTION_ARG_STRING, &password,
      "Unlock password of the room, 6–8 digits", "DIGITS" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, "PATH", "Adds a building (02), unit (02#01) or room "
                     "(02#01#302), with the buildings and units above it that are missing.",
                     &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one place, such as 02#01#302");
  if (password != NULL && !gh_unlock_code_validate_password (password, &error))
    return gh_cli_fail (cli, error);

  if (!org_ctx_init (&ctx, cli, &error))
    return gh_cli_fail (cli, error);

  if (!add_place (&ctx, argv[1], name, password, created, &error))
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    for (guint i = 0; i < created->len; i++)
      g_print ("Added %s\n", (char *)g_ptr_array_index (created, i));

  return GH_CLI_EXIT_OK;
}

static gint64
find_room (OrgCtx      *ctx,
           const char  *path,
           GError     **error)
{
  PathParts parts;

  if (!split_path (ctx, path, &parts, error))
    return 0;
  if (parts.room[0] == '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, "“%s” is not a room", path);
    return 0;
  }

  return gh_org_store_find_room (ctx->org, path, error);
}

static int
org_remove (GhCli  *cli,
            int     argc,
            char  **argv)
{
  g_auto(OrgCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  PathParts parts;
  gboolean ok;

  if (!gh_cli_parse (cli, NULL, "PATH", "Removes a room, or an empty unit or building.", &argc,
                     &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one place");
  if (!org_ctx_init (&ctx, cli, &error))
    return gh_cli_fail (cli, error);
  if (!split_path (&ctx, argv[1], &parts, &error))
    return gh_cli_fail (cli, error);

  if (parts.room[0] != '\0') {
    gint64 room = gh_org_store_find_room (ctx.org, argv[1], &error);

    ok = room > 0 && gh_org_store_remove_room (ctx.org, cli->session, room, &error);
  } else {
    gint64 node = resolve_node (&ctx, &parts, FALSE, NULL, &error);

    ok = node > 0 && gh_org_store_remove_node (ctx.org, cli->session, node, &error);
  }

  if (!ok)
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("Removed %s\n", argv[1]);

  return GH_CLI_EXIT_OK;
}

static json_object *
room_to_json (OrgCtx *ctx,
              GhRoom *room)
{
  json_object *obj = json_object_new_object ();
  g_autoptr(GPtrArray) states = gh_org_store_list_room_device_status (ctx->org,
                                                                      gh_room_get_id (room),
                                                                      NULL);
  json_object *devices = json_object_new_array ();

  json_object_object_add (obj, "path", json_object_new_string (gh_room_get_path (room)));
  json_object_object_add (obj, "number", json_object_new_string (gh_room_get_number (room)));
  json_object_object_add (obj, "name", json_object_new_string (gh_room_get_name (room) ?: ""));
  json_object_object_add (obj, "unlock_password",
                          json_object_new_boolean (gh_room_get_has_unlock_password (room)));
  json_object_object_add (obj, "sending",
                          json_object_new_string (gh_room_get_sending_status (room) ?: ""));

  for (guint i = 0; states != NULL && i < states->len; i++) {
    GhRoomDeviceStatus *st = g_ptr_array_index (states, i);
    json_object *d = json_object_new_object ();

    json_object_object_add (d, "device", json_object_new_string (st->device_name ?: ""));
    json_object_object_add (d, "status", json_object_new_string (st->status ?: ""));
    json_object_object_add (d, "error", st->error ? json_object_new_string (st->error) : NULL);
    json_object_array_add (devices, d);
  }
  json_object_object_add (obj, "devices", devices);

  return obj;
}

static int
org_list (GhCli  *cli,
          int     argc,
          char  **argv)
{
  g_auto(OrgCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) rooms = NULL;
  gint64 node = 0;
  guint n;

  if (!gh_cli_parse (cli, NULL, "[PATH]", "Lists the rooms (of a building or unit) with their "
                     "unlock password state.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc > 2)
    return gh_cli_usage_error (cli, "give at most one building or unit");
  if (!org_ctx_init (&ctx, cli, &error))
    return gh_cli_fail (cli, error);

  if (argc == 2) {
    PathParts parts;

    if (!split_path (&ctx, argv[1], &parts, &error))
      return gh_cli_fail (cli, error);
    if (parts.room[0] != '\0')
      return gh_cli_usage_error (cli, "“%s” is a room; give a building or unit", argv[1]);
    node = resolve_node (&ctx, &parts, FALSE, NULL, &error);
    if (node <= 0)
      return gh_cli_fail (cli, error);
  }

  rooms = gh_org_store_list_rooms (ctx.org, node);
  n = g_list_model_get_n_items (rooms);

  if (cli->json) {
    g_autoptr(json_object) array = json_object_new_array ();

    for (guint i = 0; i < n; i++) {
      g_autoptr(GhRoom) room = g_list_model_get_item (rooms, i);

      json_object_array_add (array, room_to_json (&ctx, room));
    }
    gh_cli_print_json (array);
  } else {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

    g_ptr_array_add (rows, g_strdupv ((char *[]) { "ROOM", "NAME", "UNLOCK-PASSWORD", "SENDING",
                                                   NULL }));
    for (guint i = 0; i < n; i++) {
      g_autoptr(GhRoom) room = g_list_model_get_item (rooms, i);
      char **row = g_new0 (char *, 5);

      row[0] = g_strdup (gh_room_get_path (room));
      row[1] = g_strdup (gh_room_get_name (room));
      row[2] = g_strdup (gh_room_get_has_unlock_password (room) ? "set" : "-");
      row[3] = g_strdup (gh_room_get_sending_status (room));
      g_ptr_array_add (rows, row);
    }
    gh_cli_print_table (rows, 4);
  }

  return GH_CLI_EXIT_OK;
}

static int
org_password (GhCli  *cli,
              int     argc,
              char  **argv)
{
  g_auto(OrgCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean clear = FALSE;
  gboolean resend = FALSE;
  gint64 room;
  GOptionEntry entries[] = {
    { "clear", 0, 0, G_OPTION_ARG_NONE, &clear, "Remove the room's unlock password", NULL },
    { "resend", 0, 0, G_OPTION_ARG_NONE, &resend, "Queue the current password for the "
      "devices again", NULL },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, "ROOM [DIGITS]", "Sets the unlock password of a room (6–8 "
                     "digits) and queues it for the room's indoor monitors and door stations. "
                     "Visitors open the door by typing the room number padded to six digits "
                     "followed by the password (see “org code”).", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (clear + resend + (argc == 3) != 1 || argc < 2 || argc > 3)
    return gh_cli_usage_error (cli, "give a room and either a password, --clear or --resend");
  if (argc == 3 && !gh_unlock_code_validate_password (argv[2], &error))
    return gh_cli_fail (cli, error);
  if (!org_ctx_init (&ctx, cli, &error))
    return gh_cli_fail (cli, error);

  room = find_room (&ctx, argv[1], &error);
  if (room <= 0)
    return gh_cli_fail (cli, error);

  if (resend ? !gh_org_store_resend_unlock_password (ctx.org, cli->session, room, &error)
             : !gh_org_store_set_unlock_password (ctx.org, cli->session, room,
                                                  clear ? NULL : argv[2], &error))
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("%s the unlock password of room %s; run “gatehousectl sync run” to send it\n",
             resend ? "Queued" : clear ? "Removed" : "Set", argv[1]);

  return GH_CLI_EXIT_OK;
}

static int
org_code (GhCli  *cli,
          int     argc,
          char  **argv)
{
  g_auto(OrgCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GhRoom) room = NULL;
  g_autofree char *password = NULL;
  g_autofree char *code = NULL;
  gint64 id;

  if (!gh_cli_parse (cli, NULL, "ROOM", "Prints the code a visitor types at the door station "
                     "to open it with the room's unlock password.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one room");
  if (!org_ctx_init (&ctx, cli, &error))
    return gh_cli_fail (cli, error);

  id = find_room (&ctx, argv[1], &error);
  if (id <= 0)
    return gh_cli_fail (cli, error);
  room = gh_org_store_get_room (ctx.org, id, &error);
  if (room == NULL)
    return gh_cli_fail (cli, error);
  password = gh_org_store_get_unlock_password (ctx.org, cli->session, id, &error);
  if (password == NULL) {
    if (error == NULL)
      g_set_error (&error, GH_ERROR, GH_ERROR_NOT_FOUND,
                   "room %s has no unlock password; set one with “gatehousectl org password”",
                   argv[1]);
    return gh_cli_fail (cli, error);
  }

  code = gh_unlock_code_build (gh_room_get_number (room), password, &error);
  if (code == NULL)
    return gh_cli_fail (cli, error);

  if (cli->json) {
    g_autoptr(json_object) obj = json_object_new_object ();

    json_object_object_add (obj, "room", json_object_new_string (argv[1]));
    json_object_object_add (obj, "code", json_object_new_string (code));
    gh_cli_print_json (obj);
  } else {
    g_print ("%s\n", code);
  }

  return GH_CLI_EXIT_OK;
}

static int
org_levels (GhCli  *cli,
            int     argc,
            char  **argv)
{
  g_auto(OrgCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *set = NULL;
  GhOrgLevels levels = GH_ORG_LEVELS_BUILDING_UNIT;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING, &set,
      "building-unit (buildings hold units) or building (rooms directly in buildings)",
      "LAYOUT" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, NULL, "Shows or sets whether the community has a unit "
                     "level.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);
  if (set != NULL && !levels_from_string (set, &levels))
    return gh_cli_usage_error (cli, "unknown layout “%s”; use building-unit or building", set);
  if (!org_ctx_init (&ctx, cli, &error))
    return gh_cli_fail (cli, error);

  if (set != NULL) {
    if (!gh_org_store_set_levels (ctx.org, cli->session, levels, &error))
      return gh_cli_fail (cli, error);
  }

  if (cli->json) {
    g_autoptr(json_object) obj = json_object_new_object ();

    json_object_object_add (obj, "levels", json_object_new_string (
                              levels_to_string (gh_org_store_get_levels (ctx.org))));
    gh_cli_print_json (obj);
  } else {
    g_print ("%s\n", levels_to_string (gh_org_store_get_levels (ctx.org)));
  }

  return GH_CLI_EXIT_OK;
}

static const char * const room_columns[] = { "path", "name", "unlock_password", NULL };
static const char * const room_required[] = { "path", NULL };

static int
org_import (GhCli  *cli,
            int     argc,
            char  **argv)
{
  g_auto(OrgCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GhCliCsvReader) reader = NULL;
  g_autoptr(GhCliCsvHeader) header = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GhCliProgress) progress = NULL;
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

  if (!gh_cli_parse (cli, entries, "FILE.csv", "Adds rooms from CSV in one transaction. "
                     "Columns: path (required, 02#01#302), name, unlock_password. Missing "
                     "buildings and units are added.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one CSV file");

  file = strcmp (argv[1], "-") == 0 ? stdin : fopen (argv[1], "rb");
  if (file == NULL)
    return gh_cli_usage_error (cli, "cannot open %s: %s", argv[1], g_strerror (errno));
  reader = gh_cli_csv_reader_new (file, argv[1]);

  if (!gh_cli_csv_reader_next (reader, &fields, &line, &error) ||
      !(header = gh_cli_csv_header_new (fields, room_columns, room_required, &error))) {
    if (error == NULL)
      g_set_error (&error, GH_ERROR, GH_ERROR_INVALID_INPUT, "%s is empty", argv[1]);
    status = gh_cli_fail (cli, error);
    goto out;
  }

  if (!org_ctx_init (&ctx, cli, &error) || !gh_database_begin (cli->database, &error)) {
    status = gh_cli_fail (cli, error);
    goto out;
  }

  progress = gh_cli_progress_new (cli, "Importing rooms", 0);

  for (;;) {
    g_autoptr(GError) row_error = NULL;
    g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
    const char *path, *password;

    g_clear_pointer (&fields, g_ptr_array_unref);
    if (!gh_cli_csv_reader_next (reader, &fields, &line, &row_error)) {
      if (row_error == NULL)
        break;
      g_printerr ("gatehousectl: %s\n", row_error->message);
      n_bad++;
      break;
    }
    gh_cli_progress_update (progress, n_good + n_bad);

    path = gh_cli_csv_header_get (header, fields, "path");
    password = gh_cli_csv_header_get (header, fields, "unlock_password");
    if (!gh_cli_csv_header_check_row (header, fields, &row_error)) {
      /* reported below */
    } else if (password != NULL && *password != '\0' &&
               !gh_unlock_code_validate_password (password, &row_error)) {
      /* reported below */
    } else if (path == NULL || *path == '\0') {
      g_set_error (&row_error, GH_ERROR, GH_ERROR_INVALID_INPUT, "the path is empty");
    } else if (add_place (&ctx, g_strstrip ((char *)path),
                          gh_cli_csv_header_get (header, fields, "name"),
                          password && *password ? password : NULL, created, &row_error)) {
      n_good++;
      if (dry_run && !cli->quiet && !cli->json)
        for (guint i = 0; i < created->len; i++)
          g_print ("line %u: would add %s\n", line, (char *)g_ptr_array_index (created, i));
      continue;
    }

    n_bad++;
    gh_cli_progress_interrupt (progress);
    g_printerr ("gatehousectl: %s:%u: %s\n", argv[1], line, row_error->message);
  }

  g_clear_pointer (&progress, gh_cli_progress_free);

  if (dry_run || (n_bad > 0 && !skip_bad)) {
    gh_database_rollback (cli->database);
  } else if (!gh_database_commit (cli->database, &error)) {
    status = gh_cli_fail (cli, error);
    goto out;
  }

  if (!cli->quiet) {
    if (dry_run)
      g_print ("Dry run: %u room%s would be added, %u bad row%s; nothing was written\n",
               n_good, n_good == 1 ? "" : "s", n_bad, n_bad == 1 ? "" : "s");
    else if (n_bad > 0 && !skip_bad)
      g_printerr ("gatehousectl: %u bad row%s; nothing was written (fix them, or give "
                  "--skip-bad)\n", n_bad, n_bad == 1 ? "" : "s");
    else
      g_print ("Added %u room%s\n", n_good, n_good == 1 ? "" : "s");
  }

  status = n_bad == 0 ? GH_CLI_EXIT_OK : skip_bad ? GH_CLI_EXIT_PARTIAL : GH_CLI_EXIT_FAILURE;

out:
  if (file != stdin)
    fclose (file);
  return status;
}

/* ---- dial ---- */

static int
dial_add (GhCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhOrgStore) org = NULL;
  g_autoptr(GhDialStore) dial = NULL;
  g_autoptr(GhDeviceStore) devices = NULL;
  g_autoptr(GhDevice) device = NULL;
  g_autofree char *last_two = NULL;
  GhRegKind kind;
  gint64 id = 0;
  GOptionEntry entries[] = {
    { "last-two", 'l', 0, G_OPTION_ARG_STRING, &last_two,
      "The last two digits of a door or master station's number, as typed to confirm it",
      "DD" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, "DEVICE NUMBER", "Registers a number for a device. An "
                     "indoor monitor takes its room (02#01#302, with #1–#9 for extra monitors); "
                     "a door station BUILDING#UNIT#NUMBER; master, fence and villa stations "
                     "their number alone. Stations need --last-two.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 3)
    return gh_cli_usage_error (cli, "give a device and a number");
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  org = gh_org_store_new (cli->database);
  dial = gh_dial_store_new (cli->database);
  devices = gh_device_store_new (cli->database);
  device = gh_cli_find_device (cli, devices, argv[1], &error);
  if (device == NULL)
    return gh_cli_fail (cli, error);

  if (!gh_reg_kind_from_string (gh_device_get_kind (device), &kind)) {
    g_set_error (&error, GH_ERROR, GH_ERROR_INVALID_INPUT, "device %s has the unknown kind %s",
                 argv[1], gh_device_get_kind (device));
    return gh_cli_fail (cli, error);
  }

  if (kind != GH_REG_KIND_VTH && last_two == NULL)
    return gh_cli_usage_error (cli, "a %s is confirmed with --last-two, the last two digits of "
                               "its number", gh_reg_kind_get_display_name (kind));

  if (kind == GH_REG_KIND_VTH) {
    GhRegNumber number;
    GhOrgPath path;
    g_autofree char *room_path = NULL;
    gint64 room;

    if (!gh_reg_number_parse (kind, gh_org_store_get_levels (org), argv[2], &number, &error))
      return gh_cli_fail (cli, error);
    gh_reg_number_get_org_path (&number, &path);
    room_path = gh_org_path_format (&path);
    room = gh_org_store_find_room (org, room_path, &error);
    if (room <= 0)
      return gh_cli_fail (cli, error);
    id = gh_dial_store_add_vth (dial, cli->session, gh_device_get_id (device), room,
                                number.extension, &error);
  } else if (kind == GH_REG_KIND_VTO) {
    GhRegNumber number;
    OrgCtx ctx = { cli, org };
    PathParts parts = { 0 };
    gint64 node;

    if (!gh_reg_number_parse (kind, gh_org_store_get_levels (org), argv[2], &number, &error))
      return gh_cli_fail (cli, error);
    g_strlcpy (parts.building, number.building, sizeof parts.building);
    g_strlcpy (parts.unit, number.unit, sizeof parts.unit);
    node = resolve_node (&ctx, &parts, FALSE, NULL, &error);
    if (node <= 0)
      return gh_cli_fail (cli, error);
    id = gh_dial_store_add_vto (dial, cli->session, gh_device_get_id (device), node,
                                number.device_number, last_two, &error);
  } else {
    id = gh_dial_store_add_station (dial, cli->session, gh_device_get_id (device), argv[2],
                                    last_two, &error);
  }

  if (id <= 0)
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("Registered %s for %s\n", argv[2], gh_device_get_name (device));

  return GH_CLI_EXIT_OK;
}

static int
dial_list (GhCli  *cli,
           int     argc,
           char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDialStore) dial = NULL;
  g_autoptr(GhDeviceStore) devices = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autofree char *device_name = NULL;
  gint64 device_id = 0;
  guint n;
  GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device_name, "Only this device", "DEVICE" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, NULL, "Lists registration numbers.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  dial = gh_dial_store_new (cli->database);
  devices = gh_device_store_new (cli->database);
  if (device_name != NULL) {
    g_autoptr(GhDevice) device = gh_cli_find_device (cli, devices, device_name, &error);

    if (device == NULL)
      return gh_cli_fail (cli, error);
    device_id = gh_device_get_id (device);
  }

  list = gh_dial_store_list (dial, device_id);
  n = g_list_model_get_n_items (list);

  if (cli->json) {
    g_autoptr(json_object) array = json_object_new_array ();

    for (guint i = 0; i < n; i++) {
      g_autoptr(GhRegistration) reg = g_list_model_get_item (list, i);
      json_object *obj = json_object_new_object ();

      json_object_object_add (obj, "number",
                              json_object_new_string (gh_registration_get_number (reg)));
      json_object_object_add (obj, "kind", json_object_new_string (gh_registration_get_kind (reg)));
      json_object_object_add (obj, "device",
                              json_object_new_string (gh_registration_get_device_name (reg) ?: ""));
      json_object_array_add (array, obj);
    }
    gh_cli_print_json (array);
  } else {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

    g_ptr_array_add (rows, g_strdupv ((char *[]) { "NUMBER", "KIND", "DEVICE", NULL }));
    for (guint i = 0; i < n; i++) {
      g_autoptr(GhRegistration) reg = g_list_model_get_item (list, i);
      char **row = g_new0 (char *, 4);

      row[0] = g_strdup (gh_registration_get_number (reg));
      row[1] = g_strdup (gh_registration_get_kind (reg));
      row[2] = g_strdup (gh_registration_get_device_name (reg));
      g_ptr_array_add (rows, row);
    }
    gh_cli_print_table (rows, 3);
  }

  return GH_CLI_EXIT_OK;
}

static int
dial_remove (GhCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDialStore) dial = NULL;
  g_autoptr(GhRegistration) reg = NULL;

  if (!gh_cli_parse (cli, NULL, "NUMBER", "Removes a registration number.", &argc, &argv,
                     &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one number");
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  dial = gh_dial_store_new (cli->database);
  reg = gh_dial_store_find (dial, argv[1], &error);
  if (reg == NULL ||
      !gh_dial_store_remove (dial, cli->session, gh_registration_get_id (reg), &error))
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("Removed %s\n", argv[1]);

  return GH_CLI_EXIT_OK;
}

/* ---- check ---- */

typedef struct {
  GhRegNumber  number;
  char        *text;    /* (owned) */
  char        *device;  /* (owned) */
} PlanEntry;

static void
plan_entry_free (PlanEntry *entry)
{
  g_free (entry->text);
  g_free (entry->device);
  g_free (entry);
}

static void
add_problem (json_object *problems,
             const char  *kind,
             char        *message)
{
  json_object *obj = json_object_new_object ();

  json_object_object_add (obj, "kind", json_object_new_string (kind));
  json_object_object_add (obj, "message", json_object_new_string (message));
  json_object_array_add (problems, obj);
  g_free (message);
}

static int
check_plan (GhCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhOrgStore) org = NULL;
  g_autoptr(GhDialStore) dial = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GListModel) rooms = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)plan_entry_free);
  g_autoptr(GHashTable) buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify)g_ptr_array_unref);
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(json_object) problems = json_object_new_array ();
  GHashTableIter iter;
  gpointer value;
  GhOrgLevels levels = GH_ORG_LEVELS_BUILDING_UNIT;
  guint n;

  if (!gh_cli_parse (cli, NULL, NULL, "Checks the numbering plan of the whole community: every "
                     "registration number against the rules, duplicates and conflicts (a main "
                     "monitor numbered with and without #0), and rooms whose unlock codes "
                     "collide. Exit status 1 when something is wrong.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);
  if (!gh_cli_open (cli, &error))
    return gh_cli_fail (cli, error);

  org = gh_org_store_new (cli->database);
  dial = gh_dial_store_new (cli->database);
  levels = gh_org_store_get_levels (org);
  list = gh_dial_store_list (dial, 0);
  n = g_list_model_get_n_items (list);

  for (guint i = 0; i < n; i++) {
    g_autoptr(GhRegistration) reg = g_list_model_get_item (list, i);
    g_autoptr(GError) local = NULL;
    PlanEntry *entry = g_new0 (PlanEntry, 1);
    GhRegKind kind;
    g_autofree char *key = NULL;
    GPtrArray *bucket;

    entry->text = g_strdup (gh_registration_get_number (reg));
    entry->device = g_strdup (gh_registration_get_device_name (reg));

    if (!gh_reg_kind_from_string (gh_registration_get_kind (reg), &kind) ||
        !gh_reg_number_parse (kind, levels, entry->text, &entry->number, &local)) {
      add_problem (problems, "invalid",
                   g_strdup_printf ("%s (device %s) breaks the numbering rules: %s",
                                    entry->text, entry->device,
                                    local ? local->message : "unknown kind"));
      plan_entry_free (entry);
      continue;
    }

    /* Only numbers in the same building and unit (or both stations) can clash. */
    key = g_strdup_printf ("%s#%s", entry->number.building, entry->number.unit);
    bucket = g_hash_table_lookup (buckets, key);
    if (bucket == NULL) {
      bucket = g_ptr_array_new ();
      g_hash_table_insert (buckets, g_steal_pointer (&key), bucket);
    }
    g_ptr_array_add (bucket, entry);
    g_ptr_array_add (entries, entry);
  }

  g_hash_table_iter_init (&iter, buckets);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    GPtrArray *bucket = value;

    for (guint i = 0; i < bucket->len; i++) {
      PlanEntry *a = g_ptr_array_index (bucket, i);

      for (guint j = i + 1; j < bucket->len; j++) {
        PlanEntry *b = g_ptr_array_index (bucket, j);

        if (gh_reg_number_equal (&a->number, &b->number))
          add_problem (problems, "duplicate",
                       g_strdup_printf ("%s is registered twice (devices %s and %s); remove one "
                                        "with “gatehousectl dial remove”", a->text, a->device,
                                        b->device));
        else if (gh_reg_number_conflicts (&a->number, &b->number))
          add_problem (problems, "conflict",
                       g_strdup_printf ("%s (device %s) and %s (device %s) call the same "
                                        "monitor; number one of them differently", a->text,
                                        a->device, b->text, b->device));
      }
    }
  }

  /* Rooms of one building or unit whose padded numbers are equal share an unlock code. */
  rooms = gh_org_store_list_rooms (org, 0);
  n = g_list_model_get_n_items (rooms);
  for (guint i = 0; i < n; i++) {
    g_autoptr(GhRoom) room = g_list_model_get_item (rooms, i);
    g_autofree char *padded = NULL;
    g_autofree char *key = NULL;
    const char *other;

    if (!gh_room_get_has_unlock_password (room))
      continue;
    padded = gh_unlock_code_pad_room (gh_room_get_number (room), NULL);
    if (padded == NULL)
      continue;
    key = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", gh_room_get_org_node_id (room), padded);
    other = g_hash_table_lookup (codes, key);
    if (other != NULL)
      add_problem (problems, "unlock-code",
                   g_strdup_printf ("rooms %s and %s both have an unlock password but the same "
                                    "keypad room number %s; remove one password", other,
                                    gh_room_get_path (room), padded));
    else
      g_hash_table_insert (codes, g_steal_pointer (&key), g_strdup (gh_room_get_path (room)));
  }

  if (cli->json) {
    g_autoptr(json_object) obj = json_object_new_object ();

    json_object_object_add (obj, "numbers", json_object_new_int ((int)entries->len));
    json_object_object_add (obj, "ok", json_object_new_boolean (
                              json_object_array_length (problems) == 0));
    json_object_object_add (obj, "problems", json_object_get (problems));
    gh_cli_print_json (obj);
  } else {
    for (size_t i = 0; i < json_object_array_length (problems); i++)
      g_printerr ("gatehousectl: check: %s\n", json_object_get_string (json_object_object_get (
                    json_object_array_get_idx (problems, i), "message")));
    if (!cli->quiet && json_object_array_length (problems) == 0)
      g_print ("The numbering plan is consistent (%u numbers, %u rooms)\n", entries->len, n);
  }

  return json_object_array_length (problems) == 0 ? GH_CLI_EXIT_OK : GH_CLI_EXIT_FAILURE;
}

const GhCliCommand gh_cli_org_commands[] = {
  { "org", "add", org_add, "Add a building, unit or room" },
  { "org", "list", org_list, "List rooms and their unlock password state" },
  { "org", "remove", org_remove, "Remove a room, unit or building" },
  { "org", "password", org_password, "Set, clear or resend a room's unlock password" },
  { "org", "code", org_code, "Print the door code for a room's unlock password" },
  { "org", "levels", org_levels, "Show or set whether the community has units" },
  { "org", "import", org_import, "Add rooms from a CSV file" },
  { NULL },
};

const GhCliCommand gh_cli_dial_commands[] = {
  { "dial", "add", dial_add, "Register a number for a device" },
  { "dial", "list", dial_list, "List registration numbers" },
  { "dial", "remove", dial_remove, "Remove a registration number" },
  { NULL },
};

const GhCliCommand gh_cli_check_commands[] = {
  { "check", "plan", check_plan, "Check the community's numbering plan" },
  { NULL },
};
