/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-cli-person"

#include "config.h"

#include "gh-cli.h"

#include "gh-cli-csv.h"
#include "gh-department-store.h"
#include "gh-error.h"
#include "gh-org-store.h"
#include "gh-person-store.h"

#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>

/*
 * gatehousectl person add|list|show|remove|import|export
 *
 * The CSV columns (import and export): person_id (required), name, department (a path of
 * department names separated by "/", created when missing), room (an organization path such
 * as 02#01#302; the room must exist), type, gender, phone, email,
 * id_number, valid_from, valid_to (YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS]), cards (card numbers
 * separated by ";", the first is the main card), password (6–8 digits), face (image files
 * separated by ";", relative to the CSV file), remark.
 */

static const char * const person_columns[] = {
  "person_id", "name", "department", "room", "type", "gender", "phone", "email", "id_number",
  "valid_from", "valid_to", "cards", "password", "face", "remark", NULL
};
static const char * const person_required[] = { "person_id", NULL };

typedef struct {
  GhCli             *cli;
  GhPersonStore     *persons;      /* (owned) */
  GhDepartmentStore *departments;  /* (owned) */
  GhOrgStore        *org;          /* (owned) */
  GHashTable        *dept_by_path; /* (owned) path → id */
  GPtrArray         *dept_created; /* (owned) paths created in the current row */
  char              *base_dir;     /* (owned) (nullable) for relative face files */
} PersonCtx;

static void
person_ctx_clear (PersonCtx *ctx)
{
  g_clear_object (&ctx->persons);
  g_clear_object (&ctx->departments);
  g_clear_object (&ctx->org);
  g_clear_pointer (&ctx->dept_by_path, g_hash_table_unref);
  g_clear_pointer (&ctx->dept_created, g_ptr_array_unref);
  g_clear_pointer (&ctx->base_dir, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PersonCtx, person_ctx_clear)

static void
index_departments (PersonCtx  *ctx,
                   gint64      parent_id,
                   const char *prefix)
{
  g_autoptr(GListModel) children = gh_department_store_list_children (ctx->departments,
                                                                      parent_id);
  guint n = g_list_model_get_n_items (children);

  for (guint i = 0; i < n; i++) {
    g_autoptr(GhDepartment) dept = g_list_model_get_item (children, i);
    g_autofree char *path = prefix ? g_strconcat (prefix, "/", gh_department_get_name (dept),
                                                  NULL)
                                   : g_strdup (gh_department_get_name (dept));

    g_hash_table_insert (ctx->dept_by_path, g_strdup (path),
                         g_memdup2 (&(gint64){ gh_department_get_id (dept) }, sizeof (gint64)));
    index_departments (ctx, gh_department_get_id (dept), path);
  }
}

static gboolean
person_ctx_init (PersonCtx  *ctx,
                 GhCli      *cli,
                 GError    **error)
{
  ctx->cli = cli;
  if (!gh_cli_open (cli, error))
    return FALSE;

  ctx->persons = gh_person_store_new (cli->database);
  ctx->departments = gh_department_store_new (cli->database);
  ctx->org = gh_org_store_new (cli->database);

  return TRUE;
}

/* Finds the department with the path "A/B/C", creating the missing ones when @create. */
static gint64
resolve_department (PersonCtx   *ctx,
                    const char  *text,
                    gboolean     create,
                    GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) path = g_string_new (NULL);
  gint64 parent = 0;

  if (ctx->dept_by_path == NULL) {
    ctx->dept_by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    ctx->dept_created = g_ptr_array_new_with_free_func (g_free);
    index_departments (ctx, 0, NULL);
  }

  parts = g_strsplit (text, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++) {
    const char *name = g_strstrip (parts[i]);
    gint64 *id;

    if (*name == '\0') {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   "the department “%s” has an empty part; write names separated by “/”", text);
      return 0;
    }

    if (path->len > 0)
      g_string_append_c (path, '/');
    g_string_append (path, name);

    id = g_hash_table_lookup (ctx->dept_by_path, path->str);
    if (id != NULL) {
      parent = *id;
      continue;
    }

    if (!create) {
      g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                   "there is no department “%s”", path->str);
      return 0;
    }

    parent = gh_department_store_add (ctx->departments, ctx->cli->session, parent, name, error);
    if (parent <= 0)
      return 0;

    g_hash_table_insert (ctx->dept_by_path, g_strdup (path->str),
                         g_memdup2 (&parent, sizeof parent));
    g_ptr_array_add (ctx->dept_created, g_strdup (path->str));
  }

  return parent;
}

static const char *
image_type_for (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".png"))
    return "image/png";
  if (g_str_has_suffix (lower, ".jpg") || g_str_has_suffix (lower, ".jpeg"))
    return "image/jpeg";

  return NULL;
}

static GBytes *
load_face (PersonCtx   *ctx,
           const char  *file,
           const char **out_type,
           GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  *out_type = image_type_for (file);
  if (*out_type == NULL) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 "the face image “%s” is neither JPEG (.jpg) nor PNG (.png)", file);
    return NULL;
  }

  if (g_path_is_absolute (file) || ctx->base_dir == NULL)
    path = g_strdup (file);
  else
    path = g_build_filename (ctx->base_dir, file, NULL);

  if (!g_file_get_contents (path, &data, &len, error)) {
    g_prefix_error (error, "the face image cannot be read: ");
    if ((*error)->domain == G_FILE_ERROR) {
      (*error)->domain = GH_ERROR;
      (*error)->code = GH_ERROR_INVALID_INPUT;
    }
    return NULL;
  }

  if (len < 4 ||
      (strcmp (*out_type, "image/jpeg") == 0 && memcmp (data, "\xff\xd8\xff", 3) != 0) ||
      (strcmp (*out_type, "image/png") == 0 && memcmp (data, "\x89PNG", 4) != 0)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 "the face image “%s” is not a %s file", file,
                 strcmp (*out_type, "image/png") == 0 ? "PNG" : "JPEG");
    return NULL;
  }

  return g_bytes_new_take (g_steal_pointer (&data), len);
}

/* One person and its credentials, as given on the command line or in a CSV row. */
typedef struct {
  const char  *person_id;
  const char  *name;
  const char  *department;
  const char  *room;
  const char  *type;
  const char  *gender;
  const char  *phone;
  const char  *email;
  const char  *id_number;
  const char  *valid_from;
  const char  *valid_to;
  char       **cards;
  const char  *password;
  char       **faces;
  const char  *remark;
} PersonInput;

static gboolean
non_empty (const char *text)
{
  return text != NULL && *text != '\0';
}

/* Builds the person from @in; checks what the store cannot (times, files). */
static GhPerson *
person_from_input (PersonCtx          *ctx,
                   const PersonInput  *in,
                   gboolean            create_departments,
                   GError            **error)
{
  g_autoptr(GhPerson) person = gh_person_new (in->person_id, in->name ? in->name : "");
  gint64 seconds;

  if (non_empty (in->department)) {
    g_autoptr(GError) local = NULL;
    gint64 id = resolve_department (ctx, in->department, create_departments, &local);

    if (id <= 0) {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
    gh_person_set_department_id (person, id);
  }

  if (non_empty (in->room)) {
    gint64 room = gh_org_store_find_room (ctx->org, in->room, error);

    if (room <= 0)
      return NULL;
    gh_person_set_room_id (person, room);
  }

  if (non_empty (in->type))
    gh_person_set_person_type (person, in->type);
  if (non_empty (in->gender))
    gh_person_set_gender (person, in->gender);
  if (in->phone)
    gh_person_set_phone (person, in->phone);
  if (in->email)
    gh_person_set_email (person, in->email);
  if (in->id_number)
    gh_person_set_id_number (person, in->id_number);
  if (in->remark)
    gh_person_set_remark (person, in->remark);

  if (non_empty (in->valid_from)) {
    if (!gh_cli_parse_time (in->valid_from, FALSE, &seconds, error)) {
      g_prefix_error (error, "valid_from: ");
      return NULL;
    }
    gh_person_set_valid_from (person, seconds);
  }
  if (non_empty (in->valid_to)) {
    if (!gh_cli_parse_time (in->valid_to, TRUE, &seconds, error)) {
      g_prefix_error (error, "valid_to: ");
      return NULL;
    }
    gh_person_set_valid_to (person, seconds);
  }

  if (in->cards != NULL && in->cards[0] != NULL)
    gh_person_set_card_number (person, in->cards[0]);

  return g_steal_pointer (&person);
}

/* Adds the person with all credentials in one transaction (a savepoint inside an import). */
static gint64
add_person (PersonCtx          *ctx,
            const PersonInput  *in,
            GError            **error)
{
  GhCli *cli = ctx->cli;
  g_autoptr(GhPerson) person = NULL;
  gint64 id = 0;

  if (!gh_database_begin (cli->database, error))
    return 0;

  if (ctx->dept_created != NULL)
    g_ptr_array_set_size (ctx->dept_created, 0);

  person = person_from_input (ctx, in, TRUE, error);
  if (person == NULL)
    goto fail;

  id = gh_person_store_add (ctx->persons, cli->session, person, error);
  if (id <= 0)
    goto fail;

  for (guint i = 1; in->cards != NULL && in->cards[i] != NULL; i++)
    if (gh_person_store_add_card (ctx->persons, cli->session, id, in->cards[i], "ordinary",
                                  error) <= 0)
      goto fail;

  if (non_empty (in->password) &&
      !gh_person_store_set_password (ctx->persons, cli->session, id, in->password, error))
    goto fail;

  for (guint i = 0; in->faces != NULL && in->faces[i] != NULL; i++) {
    const char *type = NULL;
    g_autoptr(GBytes) image = load_face (ctx, in->faces[i], &type, error);

    if (image == NULL ||
        gh_person_store_set_face (ctx->persons, cli->session, id, 0, image, type, error) <= 0)
      goto fail;
  }

  if (!gh_database_commit (cli->database, error))
    return 0;

  return id;

fail:
  gh_database_rollback (cli->database);
  for (guint i = 0; ctx->dept_created != NULL && i < ctx->dept_created->len; i++)
    g_hash_table_remove (ctx->dept_by_path, g_ptr_array_index (ctx->dept_created, i));
  return 0;
}

/* Splits "a; b;c" into trimmed, non-empty parts. */
static char **
split_list (const char *text)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (text == NULL)
    return NULL;

  parts = g_strsplit (text, ";", -1);
  for (guint i = 0; parts[i] != NULL; i++) {
    char *part = g_strstrip (parts[i]);

    if (*part != '\0')
      g_strv_builder_add (builder, part);
  }

  return g_strv_builder_end (builder);
}

static int
person_add (GhCli  *cli,
            int     argc,
            char  **argv)
{
  g_auto(PersonCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  PersonInput in = { 0 };
  g_autofree char *name = NULL, *department = NULL, *room = NULL, *type = NULL, *gender = NULL;
  g_autofree char *phone = NULL, *email = NULL, *id_number = NULL, *valid_from = NULL;
  g_autofree char *valid_to = NULL, *password = NULL, *remark = NULL;
  g_auto(GStrv) cards = NULL;
  g_auto(GStrv) faces = NULL;
  gint64 id;
  GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, "Full name", "NAME" },
    { "department", 0, 0, G_OPTION_ARG_STRING, &department,
      "Department path (A/B), created when missing", "PATH" },
    { "room", 0, 0, G_OPTION_ARG_STRING, &room, "The room the person lives in (02#01#302)",
      "ROOM" },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type,
      "general, vip, guest, patrol, blocklist or other", "TYPE" },
    { "gender", 0, 0, G_OPTION_ARG_STRING, &gender, "unknown, male or female", "GENDER" },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, "Telephone", "PHONE" },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, "E-mail address", "EMAIL" },
    { "id-number", 0, 0, G_OPTION_ARG_STRING, &id_number, "Identity document number", "TEXT" },
    { "valid-from", 0, 0, G_OPTION_ARG_STRING, &valid_from, "Start of validity", "TIME" },
    { "valid-to", 0, 0, G_OPTION_ARG_STRING, &valid_to, "End of validity", "TIME" },
    { "card", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &cards,
      "Card number (repeat for more; the first is the main card)", "NUMBER" },
    { "password", 'p', 0, G_OPTION_ARG_STRING, &password, "Door password, 6–8 digits",
      "DIGITS" },
    { "face", 'f', 0, G_OPTION_ARG_FILENAME_ARRAY, &faces,
      "Face image, JPEG or PNG (up to two)", "FILE" },
    { "remark", 0, 0, G_OPTION_ARG_STRING, &remark, "Remark", "TEXT" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, "PERSON-ID", "Adds a person with cards, door password, face "
                     "images and validity, all or nothing.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one person ID");

  in = (PersonInput) {
    .person_id = argv[1], .name = name, .department = department, .room = room, .type = type,
    .gender = gender, .phone = phone, .email = email, .id_number = id_number,
    .valid_from = valid_from, .valid_to = valid_to, .cards = cards, .password = password,
    .faces = faces, .remark = remark,
  };

  if (!person_ctx_init (&ctx, cli, &error))
    return gh_cli_fail (cli, error);

  id = add_person (&ctx, &in, &error);
  if (id <= 0)
    return gh_cli_fail (cli, error);

  if (cli->json) {
    g_autoptr(json_object) obj = json_object_new_object ();

    json_object_object_add (obj, "person_id", json_object_new_string (argv[1]));
    json_object_object_add (obj, "id", json_object_new_int64 (id));
    gh_cli_print_json (obj);
  } else if (!cli->quiet) {
    g_print ("Added person %s\n", argv[1]);
  }

  return GH_CLI_EXIT_OK;
}

static json_object *
person_to_json (PersonCtx *ctx,
                GhPerson  *person,
                gboolean   details)
{
  json_object *obj = json_object_new_object ();
  g_autofree char *from = gh_cli_format_time (gh_person_get_valid_from (person));
  g_autofree char *to = gh_cli_format_time (gh_person_get_valid_to (person));

  json_object_object_add (obj, "person_id",
                          json_object_new_string (gh_person_get_person_id (person)));
  json_object_object_add (obj, "name", json_object_new_string (gh_person_get_name (person) ?: ""));
  json_object_object_add (obj, "department",
                          json_object_new_string (gh_person_get_department (person) ?: ""));
  if (gh_person_get_room_id (person) > 0) {
    g_autoptr(GhRoom) room = gh_org_store_get_room (ctx->org, gh_person_get_room_id (person),
                                                    NULL);

    json_object_object_add (obj, "room", json_object_new_string (room ? gh_room_get_path (room)
                                                                      : ""));
  } else {
    json_object_object_add (obj, "room", json_object_new_string (""));
  }
  json_object_object_add (obj, "type",
                          json_object_new_string (gh_person_get_person_type (person) ?: ""));
  json_object_object_add (obj, "card",
                          json_object_new_string (gh_person_get_card_number (person) ?: ""));
  json_object_object_add (obj, "valid_from", json_object_new_string (from));
  json_object_object_add (obj, "valid_to", json_object_new_string (to));

  if (details) {
    gint64 id = gh_person_get_id (person);
    g_autoptr(GPtrArray) cards = gh_person_store_list_cards (ctx->persons, id, NULL);
    g_autofree char *password = gh_person_store_get_password (ctx->persons, id, NULL);
    json_object *array = json_object_new_array ();
    int n_faces = 0;

    for (guint i = 0; cards != NULL && i < cards->len; i++) {
      GhCard *card = g_ptr_array_index (cards, i);
      json_object *c = json_object_new_object ();

      json_object_object_add (c, "number", json_object_new_string (card->number));
      json_object_object_add (c, "kind", json_object_new_string (card->kind));
      json_object_object_add (c, "frozen", json_object_new_boolean (card->frozen));
      json_object_array_add (array, c);
    }
    for (int slot = 1; slot <= GH_PERSON_MAX_FACES; slot++) {
      g_autoptr(GBytes) face = gh_person_store_get_face (ctx->persons, id, slot, NULL);

      n_faces += face != NULL;
    }

    json_object_object_add (obj, "gender",
                            json_object_new_string (gh_person_get_gender (person) ?: ""));
    json_object_object_add (obj, "phone",
                            json_object_new_string (gh_person_get_phone (person) ?: ""));
    json_object_object_add (obj, "email",
                            json_object_new_string (gh_person_get_email (person) ?: ""));
    json_object_object_add (obj, "id_number",
                            json_object_new_string (gh_person_get_id_number (person) ?: ""));
    json_object_object_add (obj, "remark",
                            json_object_new_string (gh_person_get_remark (person) ?: ""));
    json_object_object_add (obj, "cards", array);
    json_object_object_add (obj, "password_set", json_object_new_boolean (password != NULL));
    json_object_object_add (obj, "faces", json_object_new_int (n_faces));
  }

  return obj;
}

static int
person_list (GhCli  *cli,
             int     argc,
             char  **argv)
{
  g_auto(PersonCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *search = NULL;
  g_autofree char *department = NULL;
  g_autoptr(GListModel) model = NULL;
  gint64 department_id = 0;
  int limit = 0;
  guint n;
  GOptionEntry entries[] = {
    { "search", 's', 0, G_OPTION_ARG_STRING, &search,
      "Only persons whose ID, card or name starts with TEXT", "TEXT" },
    { "department", 0, 0, G_OPTION_ARG_STRING, &department,
      "Only this department and those under it", "PATH" },
    { "limit", 'l', 0, G_OPTION_ARG_INT, &limit, "At most N persons", "N" },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, NULL, "Lists persons.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);
  if (limit < 0)
    return gh_cli_usage_error (cli, "--limit must not be negative");

  if (!person_ctx_init (&ctx, cli, &error))
    return gh_cli_fail (cli, error);

  if (department != NULL) {
    department_id = resolve_department (&ctx, department, FALSE, &error);
    if (department_id <= 0)
      return gh_cli_fail (cli, error);
  }

  model = gh_person_store_list (ctx.persons, department_id, search);
  n = g_list_model_get_n_items (model);
  if (limit > 0)
    n = MIN (n, (guint)limit);

  if (cli->json) {
    g_autoptr(json_object) array = json_object_new_array_ext ((int)n);

    for (guint i = 0; i < n; i++) {
      g_autoptr(GhPerson) person = g_list_model_get_item (model, i);

      json_object_array_add (array, person_to_json (&ctx, person, FALSE));
    }
    gh_cli_print_json (array);
  } else {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

    g_ptr_array_add (rows, g_strdupv ((char *[]) { "PERSON-ID", "NAME", "DEPARTMENT", "CARD",
                                                   "VALID-FROM", "VALID-TO", NULL }));
    for (guint i = 0; i < n; i++) {
      g_autoptr(GhPerson) person = g_list_model_get_item (model, i);
      char **row = g_new0 (char *, 7);

      row[0] = g_strdup (gh_person_get_person_id (person));
      row[1] = g_strdup (gh_person_get_name (person));
      row[2] = g_strdup (gh_person_get_department (person));
      row[3] = g_strdup (gh_person_get_card_number (person));
      row[4] = gh_cli_format_time (gh_person_get_valid_from (person));
      row[5] = gh_cli_format_time (gh_person_get_valid_to (person));
      g_ptr_array_add (rows, row);
    }
    gh_cli_print_table (rows, 6);
  }

  return GH_CLI_EXIT_OK;
}

static int
person_show (GhCli  *cli,
             int     argc,
             char  **argv)
{
  g_auto(PersonCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GhPerson) person = NULL;
  g_autoptr(json_object) obj = NULL;

  if (!gh_cli_parse (cli, NULL, "PERSON-ID", "Shows one person and their credentials.", &argc,
                     &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one person ID");

  if (!person_ctx_init (&ctx, cli, &error))
    return gh_cli_fail (cli, error);

  person = gh_person_store_find (ctx.persons, argv[1], &error);
  if (person == NULL)
    return gh_cli_fail (cli, error);

  obj = person_to_json (&ctx, person, TRUE);
  if (cli->json) {
    gh_cli_print_json (obj);
  } else {
    json_object *cards = json_object_object_get (obj, "cards");

    json_object_object_foreach (obj, key, value) {
      if (json_object_is_type (value, json_type_array))
        continue;
      g_print ("%-13s %s\n", key, json_object_get_string (value));
    }
    for (size_t i = 0; i < json_object_array_length (cards); i++) {
      json_object *card = json_object_array_get_idx (cards, i);

      g_print ("%-13s %s (%s%s)\n", "card",
               json_object_get_string (json_object_object_get (card, "number")),
               json_object_get_string (json_object_object_get (card, "kind")),
               json_object_get_boolean (json_object_object_get (card, "frozen")) ? ", frozen"
                                                                                   : "");
    }
  }

  return GH_CLI_EXIT_OK;
}

static int
person_remove (GhCli  *cli,
               int     argc,
               char  **argv)
{
  g_auto(PersonCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;

  if (!gh_cli_parse (cli, NULL, "PERSON-ID…", "Removes persons (all or none).", &argc, &argv,
                     &error))
    return gh_cli_fail (cli, error);
  if (argc < 2)
    return gh_cli_usage_error (cli, "give at least one person ID");

  if (!person_ctx_init (&ctx, cli, &error))
    return gh_cli_fail (cli, error);

  if (!gh_database_begin (cli->database, &error))
    return gh_cli_fail (cli, error);

  for (int i = 1; i < argc; i++) {
    g_autoptr(GhPerson) person = gh_person_store_find (ctx.persons, argv[i], &error);

    if (person == NULL ||
        !gh_person_store_remove (ctx.persons, cli->session, gh_person_get_id (person), &error)) {
      gh_database_rollback (cli->database);
      return gh_cli_fail (cli, error);
    }
  }

  if (!gh_database_commit (cli->database, &error))
    return gh_cli_fail (cli, error);

  if (!cli->quiet && !cli->json)
    g_print ("Removed %d person%s\n", argc - 1, argc == 2 ? "" : "s");

  return GH_CLI_EXIT_OK;
}

static FILE *
open_input (const char  *path,
            GError     **error)
{
  FILE *file;

  if (strcmp (path, "-") == 0)
    return stdin;

  file = fopen (path, "rb");
  if (file == NULL) {
    int saved = errno;

    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, "cannot open %s: %s", path,
                 g_strerror (saved));
  }

  return file;
}

static gint64
file_size (FILE *file)
{
  struct stat st;

  if (fstat (fileno (file), &st) != 0 || !S_ISREG (st.st_mode))
    return 0;

  return st.st_size;
}

static int
person_import (GhCli  *cli,
               int     argc,
               char  **argv)
{
  g_auto(PersonCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GhCliCsvReader) reader = NULL;
  g_autoptr(GhCliCsvHeader) header = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GhCliProgress) progress = NULL;
  g_autoptr(json_object) problems = json_object_new_array ();
  g_autofree char *display = NULL;
  gboolean dry_run = FALSE;
  gboolean skip_bad = FALSE;
  guint n_good = 0, n_bad = 0;
  guint line = 0;
  FILE *file;
  int status;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
      "Check every row and print what would change; write nothing", NULL },
    { "skip-bad", 0, 0, G_OPTION_ARG_NONE, &skip_bad,
      "Write the good rows even when some rows are bad (exit status 3)", NULL },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, "FILE.csv",
                     "Adds the persons of a CSV file in one transaction. Columns: person_id "
                     "(required), name, department, room, type, gender, phone, email, id_number, "
                     "valid_from, valid_to, cards, password, face, remark. With any bad row "
                     "nothing is written unless --skip-bad is given. FILE may be - for standard "
                     "input.", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 2)
    return gh_cli_usage_error (cli, "give exactly one CSV file");

  file = open_input (argv[1], &error);
  if (file == NULL)
    return gh_cli_fail (cli, error);

  display = strcmp (argv[1], "-") == 0 ? g_strdup ("stdin") : g_strdup (argv[1]);
  reader = gh_cli_csv_reader_new (file, display);

  if (!gh_cli_csv_reader_next (reader, &fields, &line, &error)) {
    if (error == NULL)
      g_set_error (&error, GH_ERROR, GH_ERROR_INVALID_INPUT, "%s is empty; the first row must "
                   "name the columns", display);
    status = gh_cli_fail (cli, error);
    goto out;
  }

  header = gh_cli_csv_header_new (fields, person_columns, person_required, &error);
  if (header == NULL) {
    g_prefix_error (&error, "%s: ", display);
    status = gh_cli_fail (cli, error);
    goto out;
  }
  g_clear_pointer (&fields, g_ptr_array_unref);

  if (!person_ctx_init (&ctx, cli, &error) || !gh_database_begin (cli->database, &error)) {
    status = gh_cli_fail (cli, error);
    goto out;
  }

  if (strcmp (argv[1], "-") != 0)
    ctx.base_dir = g_path_get_dirname (argv[1]);

  progress = gh_cli_progress_new (cli, "Importing persons", file_size (file));

  for (;;) {
    g_autoptr(GError) row_error = NULL;
    g_auto(GStrv) cards = NULL;
    g_auto(GStrv) faces = NULL;
    PersonInput in = { 0 };

    g_clear_pointer (&fields, g_ptr_array_unref);
    if (!gh_cli_csv_reader_next (reader, &fields, &line, &row_error)) {
      if (row_error == NULL)
        break;

      /* A broken quote leaves the rest of the file unreadable: report it and stop. */
      g_printerr ("gatehousectl: %s\n", row_error->message);
      json_object_array_add (problems, json_object_new_string (row_error->message));
      n_bad++;
      break;
    }

    gh_cli_progress_update (progress, gh_cli_csv_reader_get_offset (reader));

#define COL(name) gh_cli_csv_header_get (header, fields, name)
    cards = split_list (COL ("cards"));
    faces = split_list (COL ("face"));
    in = (PersonInput) {
      .person_id = COL ("person_id"), .name = COL ("name"), .department = COL ("department"),
      .room = COL ("room"),
      .type = COL ("type"), .gender = COL ("gender"), .phone = COL ("phone"),
      .email = COL ("email"), .id_number = COL ("id_number"), .valid_from = COL ("valid_from"),
      .valid_to = COL ("valid_to"), .cards = cards, .password = COL ("password"),
      .faces = faces, .remark = COL ("remark"),
    };
#undef COL

    if (!gh_cli_csv_header_check_row (header, fields, &row_error)) {
      /* reported below */
    } else {
      in.person_id = g_strstrip ((char *)in.person_id);
      if (add_person (&ctx, &in, &row_error) > 0) {
        n_good++;
        if (dry_run && !cli->json && !cli->quiet)
          g_print ("line %u: would add person %s%s%s%s\n", line, in.person_id,
                   non_empty (in.name) ? " (" : "", non_empty (in.name) ? in.name : "",
                   non_empty (in.name) ? ")" : "");
        continue;
      }
    }

    n_bad++;
    gh_cli_progress_interrupt (progress);
    g_printerr ("gatehousectl: %s:%u: %s\n", display, line, row_error->message);
    {
      json_object *problem = json_object_new_object ();

      json_object_object_add (problem, "line", json_object_new_int ((int)line));
      json_object_object_add (problem, "message", json_object_new_string (row_error->message));
      json_object_array_add (problems, problem);
    }
  }

  g_clear_pointer (&progress, gh_cli_progress_free);

  if (dry_run || (n_bad > 0 && !skip_bad)) {
    gh_database_rollback (cli->database);
  } else if (!gh_database_commit (cli->database, &error)) {
    status = gh_cli_fail (cli, error);
    goto out;
  }

  if (cli->json) {
    g_autoptr(json_object) obj = json_object_new_object ();
    gboolean written = !dry_run && (n_bad == 0 || skip_bad);

    json_object_object_add (obj, "dry_run", json_object_new_boolean (dry_run));
    json_object_object_add (obj, "written", json_object_new_boolean (written));
    json_object_object_add (obj, "added", json_object_new_int (written ? (int)n_good : 0));
    json_object_object_add (obj, "good_rows", json_object_new_int ((int)n_good));
    json_object_object_add (obj, "bad_rows", json_object_new_int ((int)n_bad));
    json_object_object_add (obj, "problems", json_object_get (problems));
    gh_cli_print_json (obj);
  } else if (!cli->quiet) {
    if (dry_run)
      g_print ("Dry run: %u person%s would be added, %u bad row%s; nothing was written\n",
               n_good, n_good == 1 ? "" : "s", n_bad, n_bad == 1 ? "" : "s");
    else if (n_bad > 0 && !skip_bad)
      g_printerr ("gatehousectl: %u bad row%s; nothing was written (fix them, or give "
                  "--skip-bad to import the %u good row%s)\n", n_bad, n_bad == 1 ? "" : "s",
                  n_good, n_good == 1 ? "" : "s");
    else
      g_print ("Added %u person%s%s\n", n_good, n_good == 1 ? "" : "s",
               n_bad > 0 ? " (bad rows skipped)" : "");
  }

  if (n_bad == 0)
    status = GH_CLI_EXIT_OK;
  else if (skip_bad)
    status = GH_CLI_EXIT_PARTIAL;
  else
    status = GH_CLI_EXIT_FAILURE;

out:
  if (file != stdin)
    fclose (file);

  return status;
}

static int
person_export (GhCli  *cli,
               int     argc,
               char  **argv)
{
  g_auto(PersonCtx) ctx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *output = NULL;
  gboolean passwords = FALSE;
  FILE *file = stdout;
  guint n;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (default: standard "
      "output)", "FILE" },
    { "with-passwords", 0, 0, G_OPTION_ARG_NONE, &passwords,
      "Include door passwords (the file then needs the same care as the database)", NULL },
    { NULL },
  };

  if (!gh_cli_parse (cli, entries, NULL, "Writes all persons as CSV in the import format "
                     "(face images are not exported).", &argc, &argv, &error))
    return gh_cli_fail (cli, error);
  if (argc != 1)
    return gh_cli_usage_error (cli, "unexpected argument “%s”", argv[1]);

  if (!person_ctx_init (&ctx, cli, &error))
    return gh_cli_fail (cli, error);

  if (output != NULL && strcmp (output, "-") != 0) {
    file = fopen (output, "wb");
    if (file == NULL) {
      int saved = errno;

      g_set_error (&error, GH_ERROR, GH_ERROR_FAILED, "cannot write %s: %s", output,
                   g_strerror (saved));
      return gh_cli_fail (cli, error);
    }
  }

  gh_cli_csv_append_row (out, person_columns, g_strv_length ((char **)person_columns));
  model = gh_person_store_list (ctx.persons, 0, NULL);
  n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++) {
    g_autoptr(GhPerson) person = g_list_model_get_item (model, i);
    gint64 id = gh_person_get_id (person);
    g_autoptr(GPtrArray) cards = gh_person_store_list_cards (ctx.persons, id, NULL);
    g_autoptr(GString) card_list = g_string_new (NULL);
    g_autofree char *password = passwords ? gh_person_store_get_password (ctx.persons, id, NULL)
                                          : NULL;
    g_autofree char *from = gh_cli_format_time (gh_person_get_valid_from (person));
    g_autofree char *to = gh_cli_format_time (gh_person_get_valid_to (person));
    g_autofree char *department = NULL;
    g_autofree char *room_path = NULL;
    const char *row[15];

    /* The main card first, as import reads it. */
    for (int pass = 0; pass < 2; pass++) {
      for (guint c = 0; cards != NULL && c < cards->len; c++) {
        GhCard *card = g_ptr_array_index (cards, c);

        if ((g_strcmp0 (card->kind, "main") == 0) != (pass == 0))
          continue;
        if (card_list->len > 0)
          g_string_append_c (card_list, ';');
        g_string_append (card_list, card->number);
      }
    }

    if (gh_person_get_department_id (person) > 0) {
      /* The full path, so that import puts the person back in the same place. */
      g_autoptr(GhDepartment) dept = NULL;
      g_autoptr(GString) path = g_string_new (NULL);
      gint64 dept_id = gh_person_get_department_id (person);

      while (dept_id > 0 && (dept = gh_department_store_get (ctx.departments, dept_id, NULL))) {
        g_string_prepend (path, gh_department_get_name (dept));
        dept_id = gh_department_get_parent_id (dept);
        if (dept_id > 0)
          g_string_prepend_c (path, '/');
        g_clear_object (&dept);
      }
      department = g_string_free (g_steal_pointer (&path), FALSE);
    }

    if (gh_person_get_room_id (person) > 0) {
      g_autoptr(GhRoom) room = gh_org_store_get_room (ctx.org, gh_person_get_room_id (person),
                                                      NULL);

      room_path = room ? g_strdup (gh_room_get_path (room)) : NULL;
    }

    row[0] = gh_person_get_person_id (person);
    row[1] = gh_person_get_name (person);
    row[2] = department;
    row[3] = room_path;
    row[4] = gh_person_get_person_type (person);
    row[5] = gh_person_get_gender (person);
    row[6] = gh_person_get_phone (person);
    row[7] = gh_person_get_email (person);
    row[8] = gh_person_get_id_number (person);
    row[9] = from;
    row[10] = to;
    row[11] = card_list->str;
    row[12] = password;
    row[13] = "";
    row[14] = gh_person_get_remark (person);
    gh_cli_csv_append_row (out, row, G_N_ELEMENTS (row));

    if (out->len > 1 << 16) {
      fwrite (out->str, 1, out->len, file);
      g_string_truncate (out, 0);
    }
  }

  fwrite (out->str, 1, out->len, file);
  if ((file != stdout && fclose (file) != 0) || (file == stdout && fflush (stdout) != 0)) {
    g_set_error (&error, GH_ERROR, GH_ERROR_FAILED, "writing the export failed: %s",
                 g_strerror (errno));
    return gh_cli_fail (cli, error);
  }

  return GH_CLI_EXIT_OK;
}

const GhCliCommand gh_cli_person_commands[] = {
  { "person", "add", person_add, "Add a person with cards, password, faces and validity" },
  { "person", "list", person_list, "List persons" },
  { "person", "show", person_show, "Show one person" },
  { "person", "remove", person_remove, "Remove persons" },
  { "person", "import", person_import, "Add persons from a CSV file" },
  { "person", "export", person_export, "Write all persons as CSV" },
  { NULL },
};
