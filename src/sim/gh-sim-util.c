/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sim-util"

#include "config.h"

#include "gh-sim-util.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

struct _GhSimConfig {
  GTree *keys; /* (owned) key → value */
};

struct _GhSimTable {
  char      *name;      /* (owned) */
  guint      next_recno;
  GPtrArray *rows;      /* (owned) (element-type GTree) */
};

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return strcmp (a, b);
}

char *
gh_sim_md5_hex (const char *text,
                gboolean    upper)
{
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_MD5, text, -1);

  return upper ? g_ascii_strup (hex, -1) : g_steal_pointer (&hex);
}

static void
pretty_value (json_object *obj,
              int          depth,
              GString     *out)
{
  switch (json_object_get_type (obj)) {
  case json_type_object: {
    gboolean first = TRUE;
    json_object *json_key;

    g_string_append (out, "{\n");
    json_object_object_foreach (obj, key, value) {
      if (!first)
        g_string_append (out, ",\n");
      first = FALSE;
      for (int i = 0; i < depth + 1; i++)
        g_string_append (out, "   ");
      json_key = json_object_new_string (key);
      g_string_append (out, json_object_to_json_string_ext (json_key, JSON_C_TO_STRING_PLAIN));
      g_string_append (out, " : ");
      json_object_put (json_key);
      pretty_value (value, depth + 1, out);
    }
    g_string_append_c (out, '\n');
    for (int i = 0; i < depth; i++)
      g_string_append (out, "   ");
    g_string_append_c (out, '}');
    break;
  }
  case json_type_array: {
    size_t n = json_object_array_length (obj);

    if (n == 0) {
      g_string_append (out, "[]");
      break;
    }
    g_string_append (out, "[\n");
    for (size_t i = 0; i < n; i++) {
      for (int d = 0; d < depth + 1; d++)
        g_string_append (out, "   ");
      pretty_value (json_object_array_get_idx (obj, i), depth + 1, out);
      if (i + 1 < n)
        g_string_append_c (out, ',');
      g_string_append_c (out, '\n');
    }
    for (int i = 0; i < depth; i++)
      g_string_append (out, "   ");
    g_string_append_c (out, ']');
    break;
  }
  default:
    g_string_append (out, json_object_to_json_string_ext (obj, JSON_C_TO_STRING_PLAIN |
                                                          JSON_C_TO_STRING_NOSLASHESCAPE));
    break;
  }
}

/* Firmware prints event data the way its JSON writer does: three-space indent, ` : `. */
char *
gh_sim_json_pretty (json_object *obj)
{
  GString *out = g_string_new (NULL);

  pretty_value (obj, 0, out);
  return g_string_free (out, FALSE);
}

char *
gh_sim_format_time (gint64      epoch,
                    const char *format)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (epoch);

  return g_date_time_format (dt, format ? format : "%Y-%m-%d %H:%M:%S");
}

gboolean
gh_sim_parse_time (const char *text,
                   gint64     *epoch)
{
  int y, mo, d, h = 0, mi = 0, s = 0;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return FALSE;
  if (sscanf (text, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) < 3 &&
      sscanf (text, "%4d%2d%2d %2d%2d%2d", &y, &mo, &d, &h, &mi, &s) < 3)
    return FALSE;
  dt = g_date_time_new_utc (y, mo, d, h, mi, s);
  if (dt == NULL)
    return FALSE;
  *epoch = g_date_time_to_unix (dt);
  return TRUE;
}

gint64
gh_sim_now_utc (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Config */

GhSimConfig *
gh_sim_config_new (void)
{
  GhSimConfig *config = g_new0 (GhSimConfig, 1);

  config->keys = g_tree_new_full (compare_keys, NULL, g_free, g_free);
  return config;
}

void
gh_sim_config_free (GhSimConfig *config)
{
  if (config == NULL)
    return;
  g_tree_unref (config->keys);
  g_free (config);
}

char *
gh_sim_config_key_name (const char *key)
{
  return g_strndup (key, strcspn (key, "[."));
}

static gboolean
is_bool (const char *v)
{
  return g_strcmp0 (v, "true") == 0 || g_strcmp0 (v, "false") == 0;
}

void
gh_sim_config_set (GhSimConfig *config,
                   const char  *key,
                   const char  *value)
{
  const char *old = g_tree_lookup (config->keys, key);

  /* Accept 1/0 for a boolean key and keep the type the device reports. */
  if (is_bool (old) && (g_strcmp0 (value, "1") == 0 || g_strcmp0 (value, "0") == 0))
    value = value[0] == '1' ? "true" : "false";
  g_tree_replace (config->keys, g_strdup (key), g_strdup (value));
}

const char *
gh_sim_config_get (GhSimConfig *config,
                   const char  *key)
{
  return g_tree_lookup (config->keys, key);
}

typedef struct {
  const char *name;
  gsize       len;
  gboolean    found;
  const char *prefix;
  GString    *out;
  GPtrArray  *keys;
} Walk;

static gboolean
key_in_name (const char *key,
             const char *name,
             gsize       len)
{
  return strncmp (key, name, len) == 0 && (key[len] == '.' || key[len] == '[' || key[len] == 0);
}

static gboolean
has_name_cb (gpointer key,
             gpointer value,
             gpointer user_data)
{
  Walk *w = user_data;

  if (key_in_name (key, w->name, w->len)) {
    w->found = TRUE;
    return TRUE;
  }
  return FALSE;
}

gboolean
gh_sim_config_has_name (GhSimConfig *config,
                        const char  *name)
{
  Walk w = { name, strlen (name), FALSE };

  g_tree_foreach (config->keys, has_name_cb, &w);
  return w.found;
}

static gboolean
dump_cb (gpointer key,
         gpointer value,
         gpointer user_data)
{
  Walk *w = user_data;

  if (key_in_name (key, w->name, w->len))
    g_string_append_printf (w->out, "%s%s=%s\r\n", w->prefix, (char *) key, (char *) value);
  return FALSE;
}

void
gh_sim_config_dump (GhSimConfig *config,
                    const char  *name,
                    const char  *prefix,
                    GString     *out)
{
  Walk w = { name, strlen (name), FALSE, prefix ? prefix : "", out };

  g_tree_foreach (config->keys, dump_cb, &w);
}

static json_object *
typed_value (const char *v)
{
  char *end = NULL;
  long long n;

  if (g_strcmp0 (v, "true") == 0)
    return json_object_new_boolean (TRUE);
  if (g_strcmp0 (v, "false") == 0)
    return json_object_new_boolean (FALSE);
  if (v[0] != 0 && (v[0] != '0' || v[1] == 0)) {
    n = strtoll (v, &end, 10);
    if (end != NULL && *end == 0)
      return json_object_new_int64 (n);
  }
  return json_object_new_string (v);
}

/* Walks `[0].Name.Sub[2]` below @node, creating containers, and stores @value at the leaf. */
static void
json_insert (json_object **node,
             const char   *path,
             const char   *value)
{
  if (*path == 0) {
    if (*node == NULL)
      *node = typed_value (value);
    return;
  }
  if (*path == '[') {
    int idx = atoi (path + 1);
    const char *rest = strchr (path, ']');
    json_object *child;

    if (rest == NULL)
      return;
    if (*node == NULL)
      *node = json_object_new_array ();
    if (!json_object_is_type (*node, json_type_array))
      return;
    while ((int) json_object_array_length (*node) <= idx)
      json_object_array_add (*node, NULL);
    child = json_object_array_get_idx (*node, idx);
    if (child == NULL) {
      json_insert (&child, rest + 1, value);
      json_object_array_put_idx (*node, idx, child);
    } else {
      json_insert (&child, rest + 1, value);
    }
    return;
  }
  if (*path == '.') {
    gsize n = strcspn (path + 1, "[.");
    g_autofree char *field = g_strndup (path + 1, n);
    json_object *child = NULL;

    if (*node == NULL)
      *node = json_object_new_object ();
    if (!json_object_is_type (*node, json_type_object))
      return;
    if (json_object_object_get_ex (*node, field, &child)) {
      json_insert (&child, path + 1 + n, value);
    } else {
      json_insert (&child, path + 1 + n, value);
      json_object_object_add (*node, field, child);
    }
  }
}

static gboolean
to_json_cb (gpointer key,
            gpointer value,
            gpointer user_data)
{
  Walk *w = user_data;

  if (key_in_name (key, w->name, w->len))
    g_ptr_array_add (w->keys, key), g_ptr_array_add (w->keys, value);
  return FALSE;
}

json_object *
gh_sim_config_to_json (GhSimConfig *config,
                       const char  *name)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  Walk w = { name, strlen (name), FALSE, NULL, NULL, keys };
  json_object *root = NULL;

  g_tree_foreach (config->keys, to_json_cb, &w);
  for (guint i = 0; i + 1 < keys->len; i += 2)
    json_insert (&root, (char *) keys->pdata[i] + w.len, keys->pdata[i + 1]);
  return root ? root : json_object_new_object ();
}

static void
flatten (GhSimConfig *config,
         const char  *prefix,
         json_object *obj)
{
  switch (json_object_get_type (obj)) {
  case json_type_object: {
    json_object_object_foreach (obj, key, value) {
      g_autofree char *child = g_strdup_printf ("%s.%s", prefix, key);
      flatten (config, child, value);
    }
    break;
  }
  case json_type_array:
    for (size_t i = 0; i < json_object_array_length (obj); i++) {
      g_autofree char *child = g_strdup_printf ("%s[%zu]", prefix, i);
      flatten (config, child, json_object_array_get_idx (obj, i));
    }
    break;
  case json_type_null:
    break;
  default:
    gh_sim_config_set (config, prefix, json_object_get_string (obj));
    break;
  }
}

void
gh_sim_config_set_json (GhSimConfig *config,
                        const char  *name,
                        json_object *table)
{
  flatten (config, name, table);
}

/* Record tables */

GhSimTable *
gh_sim_table_new (const char *name)
{
  GhSimTable *table = g_new0 (GhSimTable, 1);

  table->name = g_strdup (name);
  table->next_recno = 1;
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_tree_unref);
  return table;
}

void
gh_sim_table_free (GhSimTable *table)
{
  if (table == NULL)
    return;
  g_free (table->name);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

const char *
gh_sim_table_get_name (GhSimTable *table)
{
  return table->name;
}

GTree *
gh_sim_row_new (void)
{
  return g_tree_new_full (compare_keys, NULL, g_free, g_free);
}

void
gh_sim_row_set (GTree      *row,
                const char *field,
                const char *value)
{
  g_tree_replace (row, g_strdup (field), g_strdup (value ? value : ""));
}

const char *
gh_sim_row_get (GTree      *row,
                const char *field)
{
  return g_tree_lookup (row, field);
}

guint
gh_sim_table_insert (GhSimTable *table,
                     GTree      *row)
{
  guint recno = table->next_recno++;
  g_autofree char *text = g_strdup_printf ("%u", recno);

  gh_sim_row_set (row, "RecNo", text);
  g_ptr_array_add (table->rows, row);
  return recno;
}

GTree *
gh_sim_table_lookup (GhSimTable *table,
                     guint       recno)
{
  g_autofree char *text = g_strdup_printf ("%u", recno);

  return gh_sim_table_find_field (table, "RecNo", text);
}

GTree *
gh_sim_table_find_field (GhSimTable *table,
                         const char *field,
                         const char *value)
{
  for (guint i = 0; i < table->rows->len; i++) {
    GTree *row = table->rows->pdata[i];

    if (g_strcmp0 (gh_sim_row_get (row, field), value) == 0)
      return row;
  }
  return NULL;
}

gboolean
gh_sim_table_remove (GhSimTable *table,
                     guint       recno)
{
  GTree *row = gh_sim_table_lookup (table, recno);

  return row != NULL && g_ptr_array_remove (table->rows, row);
}

void
gh_sim_table_clear (GhSimTable *table)
{
  g_ptr_array_set_size (table->rows, 0);
}

GPtrArray *
gh_sim_table_get_rows (GhSimTable *table)
{
  return table->rows;
}

typedef struct {
  const char  *prefix;
  GString     *out;
  json_object *obj;
} RowWalk;

static gboolean
row_dump_cb (gpointer key,
             gpointer value,
             gpointer user_data)
{
  RowWalk *w = user_data;

  if (w->out)
    g_string_append_printf (w->out, "%s%s=%s\r\n", w->prefix, (char *) key, (char *) value);
  else
    json_object_object_add (w->obj, key, json_object_new_string (value));
  return FALSE;
}

void
gh_sim_row_dump (GTree      *row,
                 const char *prefix,
                 GString    *out)
{
  RowWalk w = { prefix, out, NULL };

  g_tree_foreach (row, row_dump_cb, &w);
}

json_object *
gh_sim_row_to_json (GTree *row)
{
  RowWalk w = { NULL, NULL, json_object_new_object () };

  g_tree_foreach (row, row_dump_cb, &w);
  return w.obj;
}

json_object *
gh_sim_table_to_json (GhSimTable *table)
{
  json_object *array = json_object_new_array ();

  for (guint i = 0; i < table->rows->len; i++)
    json_object_array_add (array, gh_sim_row_to_json (table->rows->pdata[i]));
  return array;
}
