/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to src/store: a GListModel that pages rows from SQLite on demand. */

#include <gio/gio.h>

#include "gh-database-private.h"

G_BEGIN_DECLS

/* Builds the item for the current row of @stmt. */
typedef gpointer (*GhSqlRowFunc) (GhStmt *stmt);

#define GH_TYPE_SQL_LIST_MODEL (gh_sql_list_model_get_type ())
G_DECLARE_FINAL_TYPE (GhSqlListModel, gh_sql_list_model, GH, SQL_LIST_MODEL, GObject)

GhSqlListModel *gh_sql_list_model_new      (GhDatabase   *database,
                                            GType         item_type,
                                            const char   *topic,
                                            const char   *count_sql,
                                            const char   *page_sql,
                                            GVariant     *params,
                                            GhSqlRowFunc  row_func);
void            gh_sql_list_model_reload   (GhSqlListModel *self);
guint           gh_sql_list_model_get_page_size (void);

gboolean        gh_stmt_bind_variant       (GhStmt       *stmt,
                                            GVariant     *params);

G_END_DECLS
