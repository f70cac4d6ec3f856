/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

#define GH_TYPE_DEPARTMENT (gh_department_get_type ())
G_DECLARE_FINAL_TYPE (GhDepartment, gh_department, GH, DEPARTMENT, GObject)

gint64      gh_department_get_id        (GhDepartment *self);
gint64      gh_department_get_parent_id (GhDepartment *self);
const char *gh_department_get_name      (GhDepartment *self);
guint       gh_department_get_n_persons (GhDepartment *self);

#define GH_TYPE_DEPARTMENT_STORE (gh_department_store_get_type ())
G_DECLARE_FINAL_TYPE (GhDepartmentStore, gh_department_store, GH, DEPARTMENT_STORE, GObject)

GhDepartmentStore *gh_department_store_new           (GhDatabase         *database);
gint64             gh_department_store_add           (GhDepartmentStore  *self,
                                                      GhSession          *session,
                                                      gint64              parent_id,
                                                      const char         *name,
                                                      GError            **error);
gboolean           gh_department_store_rename        (GhDepartmentStore  *self,
                                                      GhSession          *session,
                                                      gint64              id,
                                                      const char         *name,
                                                      GError            **error);
gboolean           gh_department_store_move          (GhDepartmentStore  *self,
                                                      GhSession          *session,
                                                      gint64              id,
                                                      gint64              parent_id,
                                                      GError            **error);
gboolean           gh_department_store_remove        (GhDepartmentStore  *self,
                                                      GhSession          *session,
                                                      gint64              id,
                                                      GError            **error);
GhDepartment      *gh_department_store_get           (GhDepartmentStore  *self,
                                                      gint64              id,
                                                      GError            **error);
GListModel        *gh_department_store_list_children (GhDepartmentStore  *self,
                                                      gint64              parent_id);
GListModel        *gh_department_store_create_child_model (gpointer        item,
                                                           gpointer        user_data);

G_END_DECLS
