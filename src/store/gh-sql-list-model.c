/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sql-list-model"

#include "config.h"

#include "gh-sql-list-model.h"

/*
 * GhSqlListModel:
 *
 * A read-only GListModel over a query. It knows the row count (count_sql) and fetches rows
 * in pages of PAGE_SIZE (page_sql, whose last two parameters are LIMIT and OFFSET) when a
 * view asks for them, keeping the few most recently used pages. When the database reports
 * a change of @topic after a commit, the model recounts, drops its pages and emits
 * items-changed for the whole range.
 *
 * The model keeps pointers to its SQL strings: pass string literals.
 */
struct _GhSqlListModel
{
  GObject       parent_instance;

  GhDatabase   *database;   /* (owned) */
  GType         item_type;
  const char   *count_sql;  /* (borrowed) static or interned */
  const char   *page_sql;   /* (borrowed) static or interned */
  GVariant     *params;     /* (owned) tuple of x/s/d/mv values */
  GhSqlRowFunc  row_func;
  guint         n_items;
  GHashTable   *pages;      /* (owned) page number → GPtrArray of items */
  GQueue        lru;        /* page numbers, most recent first */
};

#define PAGE_SIZE 200
#define MAX_PAGES 6

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhSqlListModel, gh_sql_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

gboolean
gh_stmt_bind_variant (GhStmt   *stmt,
                      GVariant *params)
{
  guint n;

  if (params == NULL)
    return TRUE;

  n = g_variant_n_children (params);

  for (guint i = 0; i < n; i++) {
    g_autoptr(GVariant) child = g_variant_get_child_value (params, i);
    int index = (int)i + 1;

    if (g_variant_is_of_type (child, G_VARIANT_TYPE_MAYBE)) {
      g_autoptr(GVariant) inner = g_variant_get_maybe (child);

      if (inner == NULL) {
        sqlite3_bind_null (stmt, index);
        continue;
      }
      g_clear_pointer (&child, g_variant_unref);
      child = g_steal_pointer (&inner);
    }

    if (g_variant_is_of_type (child, G_VARIANT_TYPE_INT64))
      sqlite3_bind_int64 (stmt, index, g_variant_get_int64 (child));
    else if (g_variant_is_of_type (child, G_VARIANT_TYPE_STRING))
      sqlite3_bind_text (stmt, index, g_variant_get_string (child, NULL), -1, SQLITE_TRANSIENT);
    else if (g_variant_is_of_type (child, G_VARIANT_TYPE_DOUBLE))
      sqlite3_bind_double (stmt, index, g_variant_get_double (child));
    else if (g_variant_is_of_type (child, G_VARIANT_TYPE_BOOLEAN))
      sqlite3_bind_int (stmt, index, g_variant_get_boolean (child));
    else
      g_return_val_if_reached (FALSE);
  }

  return TRUE;
}

static guint
count_rows (GhSqlListModel *self)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = gh_database_prepare (self->database, self->count_sql, &error);
  if (stmt == NULL) {
    g_warning ("Cannot count rows: %s", error->message);
    return 0;
  }

  gh_stmt_bind_variant (stmt, self->params);

  if (sqlite3_step (stmt) != SQLITE_ROW) {
    g_warning ("Cannot count rows: %s", sqlite3_errmsg (gh_database_get_handle (self->database)));
    return 0;
  }

  return (guint)sqlite3_column_int64 (stmt, 0);
}

static GPtrArray *
load_page (GhSqlListModel *self,
           guint           page)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  int n_params;
  int rc;

  stmt = gh_database_prepare (self->database, self->page_sql, &error);
  if (stmt == NULL) {
    g_warning ("Cannot read rows: %s", error->message);
    return g_steal_pointer (&items);
  }

  gh_stmt_bind_variant (stmt, self->params);
  n_params = sqlite3_bind_parameter_count (stmt);
  sqlite3_bind_int (stmt, n_params - 1, PAGE_SIZE);
  sqlite3_bind_int64 (stmt, n_params, (gint64)page * PAGE_SIZE);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, self->row_func (stmt));

  if (rc != SQLITE_DONE)
    g_warning ("Cannot read rows: %s", sqlite3_errmsg (gh_database_get_handle (self->database)));

  return g_steal_pointer (&items);
}

static GType
gh_sql_list_model_get_item_type (GListModel *model)
{
  return GH_SQL_LIST_MODEL (model)->item_type;
}

static guint
gh_sql_list_model_get_n_items (GListModel *model)
{
  return GH_SQL_LIST_MODEL (model)->n_items;
}

static gpointer
gh_sql_list_model_get_item (GListModel *model,
                            guint       position)
{
  GhSqlListModel *self = GH_SQL_LIST_MODEL (model);
  guint page = position / PAGE_SIZE;
  guint offset = position % PAGE_SIZE;
  GPtrArray *items;

  if (position >= self->n_items)
    return NULL;

  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (items == NULL) {
    items = load_page (self, page);
    g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);

    if (g_queue_get_length (&self->lru) >= MAX_PAGES) {
      gpointer oldest = g_queue_pop_tail (&self->lru);
      g_hash_table_remove (self->pages, oldest);
    }
    g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
  } else if (g_queue_peek_head (&self->lru) != GUINT_TO_POINTER (page)) {
    g_queue_remove (&self->lru, GUINT_TO_POINTER (page));
    g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
  }

  if (offset >= items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (items, offset));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = gh_sql_list_model_get_item_type;
  iface->get_n_items = gh_sql_list_model_get_n_items;
  iface->get_item = gh_sql_list_model_get_item;
}

static void
changed_cb (GhSqlListModel *self,
            const char     *topic,
            GhDatabase     *database)
{
  gh_sql_list_model_reload (self);
}

static void
gh_sql_list_model_dispose (GObject *object)
{
  GhSqlListModel *self = (GhSqlListModel *)object;

  if (self->database != NULL)
    g_signal_handlers_disconnect_by_data (self->database, self);
  g_clear_object (&self->database);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_queue_clear (&self->lru);
  g_clear_pointer (&self->params, g_variant_unref);

  G_OBJECT_CLASS (gh_sql_list_model_parent_class)->dispose (object);
}

static void
gh_sql_list_model_class_init (GhSqlListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_sql_list_model_dispose;
}

static void
gh_sql_list_model_init (GhSqlListModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
  g_queue_init (&self->lru);
}

/*
 * gh_sql_list_model_new:
 * @topic: the #GhDatabase::changed detail that invalidates the model
 * @count_sql: returns one integer, the number of rows
 * @page_sql: the rows, in a stable order, ending in `LIMIT ? OFFSET ?`
 * @params: (transfer floating) (nullable): a tuple bound to both statements from index 1
 */
GhSqlListModel *
gh_sql_list_model_new (GhDatabase   *database,
                       GType         item_type,
                       const char   *topic,
                       const char   *count_sql,
                       const char   *page_sql,
                       GVariant     *params,
                       GhSqlRowFunc  row_func)
{
  GhSqlListModel *self;
  g_autofree char *signal = NULL;

  self = g_object_new (GH_TYPE_SQL_LIST_MODEL, NULL);
  self->database = g_object_ref (database);
  self->item_type = item_type;
  self->count_sql = count_sql;
  self->page_sql = page_sql;
  self->params = params ? g_variant_ref_sink (params) : NULL;
  self->row_func = row_func;
  self->n_items = count_rows (self);

  signal = g_strdup_printf ("changed::%s", topic);
  g_signal_connect_object (database, signal, G_CALLBACK (changed_cb), self,
                           G_CONNECT_SWAPPED);

  return self;
}

void
gh_sql_list_model_reload (GhSqlListModel *self)
{
  guint old_n = self->n_items;

  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
  self->n_items = count_rows (self);

  if (old_n > 0 || self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
}

guint
gh_sql_list_model_get_page_size (void)
{
  return PAGE_SIZE;
}
