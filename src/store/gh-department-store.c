/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-department-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-department-store.h"
#include "gh-database-private.h"
#include "gh-sql-list-model.h"

#include "gh-error.h"

/**
 * GhDepartment:
 *
 * One node of the department tree, as a read-only row object.
 */
struct _GhDepartment
{
  GObject  parent_instance;

  gint64   id;
  gint64   parent_id;
  char    *name;  /* (owned) */
  guint    n_persons;
};

G_DEFINE_FINAL_TYPE (GhDepartment, gh_department, G_TYPE_OBJECT)

enum {
  DEPT_PROP_0,
  DEPT_PROP_ID,
  DEPT_PROP_PARENT_ID,
  DEPT_PROP_NAME,
  DEPT_PROP_N_PERSONS,
  DEPT_N_PROPS
};

static GParamSpec *dept_properties[DEPT_N_PROPS];

/**
 * GhDepartmentStore:
 *
 * The department tree of the personnel list. Changes need
 * %GH_PERMISSION_PERSONNEL_WRITE. A department that still holds persons or sub-departments
 * cannot be removed (%GH_ERROR_IN_USE).
 *
 * For a tree view, wrap gh_department_store_list_children (store, 0) in a GtkTreeListModel
 * with gh_department_store_create_child_model() and the store as user data.
 */
struct _GhDepartmentStore
{
  GObject     parent_instance;

  GhDatabase *database;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhDepartmentStore, gh_department_store, G_TYPE_OBJECT)

static void
gh_department_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GhDepartment *self = GH_DEPARTMENT (object);

  switch (prop_id) {
  case DEPT_PROP_ID:
    g_value_set_int64 (value, self->id);
    break;
  case DEPT_PROP_PARENT_ID:
    g_value_set_int64 (value, self->parent_id);
    break;
  case DEPT_PROP_NAME:
    g_value_set_string (value, self->name);
    break;
  case DEPT_PROP_N_PERSONS:
    g_value_set_uint (value, self->n_persons);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_department_finalize (GObject *object)
{
  GhDepartment *self = (GhDepartment *)object;

  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (gh_department_parent_class)->finalize (object);
}

static void
gh_department_class_init (GhDepartmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_department_get_property;
  object_class->finalize = gh_department_finalize;

  dept_properties[DEPT_PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  dept_properties[DEPT_PROP_PARENT_ID] =
    g_param_spec_int64 ("parent-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  dept_properties[DEPT_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  dept_properties[DEPT_PROP_N_PERSONS] =
    g_param_spec_uint ("n-persons", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, DEPT_N_PROPS, dept_properties);
}

static void
gh_department_init (GhDepartment *self)
{
}

gint64
gh_department_get_id (GhDepartment *self)
{
  g_return_val_if_fail (GH_IS_DEPARTMENT (self), 0);

  return self->id;
}

gint64
gh_department_get_parent_id (GhDepartment *self)
{
  g_return_val_if_fail (GH_IS_DEPARTMENT (self), 0);

  return self->parent_id;
}

const char *
gh_department_get_name (GhDepartment *self)
{
  g_return_val_if_fail (GH_IS_DEPARTMENT (self), NULL);

  return self->name;
}

/**
 * gh_department_get_n_persons:
 *
 * Returns: how many persons belong directly to the department, when it was read
 */
guint
gh_department_get_n_persons (GhDepartment *self)
{
  g_return_val_if_fail (GH_IS_DEPARTMENT (self), 0);

  return self->n_persons;
}

#define DEPARTMENT_COLUMNS \
  "d.id, d.parent_id, d.name, (SELECT count(*) FROM persons p WHERE p.department_id = d.id) "

static gpointer
department_from_row (GhStmt *stmt)
{
  GhDepartment *self = g_object_new (GH_TYPE_DEPARTMENT, NULL);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->parent_id = sqlite3_column_int64 (stmt, 1);
  self->name = gh_stmt_dup_text (stmt, 2);
  self->n_persons = (guint)sqlite3_column_int64 (stmt, 3);

  return self;
}

static gboolean
validate_name (const char  *name,
               GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));

  if (*trimmed == '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Enter a department name."));
    return FALSE;
  }

  if (g_utf8_strlen (trimmed, -1) > 64) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The department name is too long: use at most 64 characters."));
    return FALSE;
  }

  return TRUE;
}

static gboolean
require_department (GhDepartmentStore  *self,
                    gint64              id,
                    GError            **error)
{
  gint64 n = gh_database_query_int (self->database,
                                    "SELECT count(*) FROM departments WHERE id = ?", id, error);

  if (n == 0)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The department no longer exists; refresh the list."));

  return n > 0;
}

static gboolean
check_sibling_name (GhDepartmentStore  *self,
                    gint64              parent_id,
                    const char         *name,
                    gint64              except_id,
                    GError            **error)
{
  g_autoptr(GhStmt) stmt = NULL;

  stmt = gh_database_prepare (self->database,
                              "SELECT id FROM departments WHERE parent_id IS ? AND name = ? "
                              "AND id <> ?", error);
  if (stmt == NULL)
    return FALSE;

  gh_stmt_bind_id (stmt, 1, parent_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, except_id);

  if (sqlite3_step (stmt) == SQLITE_ROW) {
    g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                 _("There is already a department called “%s” here. Choose another name."),
                 name);
    return FALSE;
  }

  return TRUE;
}

static gboolean
begin_write (GhDepartmentStore  *self,
             GhSession          *session,
             GError            **error)
{
  g_return_val_if_fail (GH_IS_DEPARTMENT_STORE (self), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (!gh_session_check (session, GH_PERMISSION_PERSONNEL_WRITE, error))
    return FALSE;

  return gh_database_begin (self->database, error);
}

static gboolean
end_write (GhDepartmentStore  *self,
           gboolean            ok,
           GError            **error)
{
  if (!ok) {
    gh_database_rollback (self->database);
    return FALSE;
  }

  gh_database_touch (self->database, "departments");
  /* Person rows show their department's name. */
  gh_database_touch (self->database, "persons");

  return gh_database_commit (self->database, error);
}

static void
gh_department_store_dispose (GObject *object)
{
  GhDepartmentStore *self = (GhDepartmentStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_department_store_parent_class)->dispose (object);
}

static void
gh_department_store_class_init (GhDepartmentStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_department_store_dispose;
}

static void
gh_department_store_init (GhDepartmentStore *self)
{
}

GhDepartmentStore *
gh_department_store_new (GhDatabase *database)
{
  GhDepartmentStore *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  self = g_object_new (GH_TYPE_DEPARTMENT_STORE, NULL);
  self->database = g_object_ref (database);

  return self;
}

/**
 * gh_department_store_add:
 * @parent_id: the superior department, or 0 for a top-level department
 *
 * Returns: the new department's id, or 0 with @error set
 */
gint64
gh_department_store_add (GhDepartmentStore  *self,
                         GhSession          *session,
                         gint64              parent_id,
                         const char         *name,
                         GError            **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *trimmed = NULL;
  gint64 id = 0;

  if (!begin_write (self, session, error))
    return 0;

  if (!validate_name (name, error) ||
      (parent_id > 0 && !require_department (self, parent_id, error)))
    goto out;

  trimmed = g_strstrip (g_strdup (name));
  if (!check_sibling_name (self, parent_id, trimmed, 0, error))
    goto out;

  stmt = gh_database_prepare (self->database,
                              "INSERT INTO departments (parent_id, name, position) VALUES "
                              "(?1, ?2, (SELECT ifnull (max (position), -1) + 1 FROM departments "
                              "WHERE parent_id IS ?1))", error);
  if (stmt == NULL)
    goto out;

  gh_stmt_bind_id (stmt, 1, parent_id);
  sqlite3_bind_text (stmt, 2, trimmed, -1, SQLITE_STATIC);
  if (!gh_database_step_done (self->database, stmt, error))
    goto out;

  id = gh_database_last_insert_id (self->database);
  if (!gh_database_auditf (self->database, session, error, "department.add", "department", id,
                           "%s (parent %" G_GINT64_FORMAT ")", trimmed, parent_id))
    id = 0;

out:
  if (!end_write (self, id > 0, error))
    return 0;

  return id;
}

gboolean
gh_department_store_rename (GhDepartmentStore  *self,
                            GhSession          *session,
                            gint64              id,
                            const char         *name,
                            GError            **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *trimmed = NULL;
  gboolean ok = FALSE;
  gint64 parent_id;

  if (!begin_write (self, session, error))
    return FALSE;

  if (!validate_name (name, error) || !require_department (self, id, error))
    goto out;

  trimmed = g_strstrip (g_strdup (name));
  parent_id = gh_database_query_int (self->database,
                                     "SELECT ifnull (parent_id, 0) FROM departments WHERE id = ?",
                                     id, error);
  if (parent_id < 0 || !check_sibling_name (self, parent_id, trimmed, id, error))
    goto out;

  stmt = gh_database_prepare (self->database, "UPDATE departments SET name = ? WHERE id = ?",
                              error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_text (stmt, 1, trimmed, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  ok = gh_database_step_done (self->database, stmt, error) &&
       gh_database_auditf (self->database, session, error, "department.rename", "department",
                           id, "%s", trimmed);

out:
  return end_write (self, ok, error);
}

/**
 * gh_department_store_move:
 * @parent_id: the new superior department, or 0 for top level
 *
 * Refuses to move a department below itself or one of its sub-departments.
 */
gboolean
gh_department_store_move (GhDepartmentStore  *self,
                          GhSession          *session,
                          gint64              id,
                          gint64              parent_id,
                          GError            **error)
{
  g_autoptr(GhStmt) cycle = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  if (!begin_write (self, session, error))
    return FALSE;

  if (!require_department (self, id, error) ||
      (parent_id > 0 && !require_department (self, parent_id, error)))
    goto out;

  cycle = gh_database_prepare (self->database,
                               "WITH RECURSIVE sub (id) AS (SELECT ?1 UNION ALL "
                               "SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id) "
                               "SELECT count(*) FROM sub WHERE id = ?2", error);
  if (cycle == NULL)
    goto out;

  sqlite3_bind_int64 (cycle, 1, id);
  sqlite3_bind_int64 (cycle, 2, parent_id);
  if (sqlite3_step (cycle) != SQLITE_ROW) {
    gh_database_fail (self->database, error, "moving a department");
    goto out;
  }

  if (sqlite3_column_int (cycle, 0) > 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("A department cannot be moved below itself or one of its sub-departments."));
    goto out;
  }

  stmt = gh_database_prepare (self->database,
                              "UPDATE departments SET parent_id = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto out;

  gh_stmt_bind_id (stmt, 1, parent_id);
  sqlite3_bind_int64 (stmt, 2, id);

  if (sqlite3_step (stmt) != SQLITE_DONE) {
    if (gh_database_is_constraint (self->database))
      g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                   _("The new superior department already has a department with this name."));
    else
      gh_database_fail (self->database, error, "moving a department");
    sqlite3_reset (stmt);
    goto out;
  }

  ok = gh_database_auditf (self->database, session, error, "department.move", "department", id,
                           "parent %" G_GINT64_FORMAT, parent_id);

out:
  return end_write (self, ok, error);
}

/**
 * gh_department_store_remove:
 *
 * Removes an empty department. If it still holds persons or sub-departments, fails with
 * %GH_ERROR_IN_USE and a message saying how many and what to do.
 */
gboolean
gh_department_store_remove (GhDepartmentStore  *self,
                            GhSession          *session,
                            gint64              id,
                            GError            **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autoptr(GhDepartment) department = NULL;
  gboolean ok = FALSE;
  gint64 n_children;

  if (!begin_write (self, session, error))
    return FALSE;

  department = gh_department_store_get (self, id, error);
  if (department == NULL)
    goto out;

  if (department->n_persons > 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_IN_USE,
                 g_dngettext (GETTEXT_PACKAGE,
                              "The department “%s” still holds %u person. Move that person to "
                              "another department (Batch Edit) or delete them, then try again.",
                              "The department “%s” still holds %u persons. Move them to another "
                              "department (Batch Edit) or delete them, then try again.",
                              department->n_persons),
                 department->name, department->n_persons);
    goto out;
  }

  n_children = gh_database_query_int (self->database,
                                      "SELECT count(*) FROM departments WHERE parent_id = ?", id,
                                      error);
  if (n_children < 0)
    goto out;

  if (n_children > 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_IN_USE,
                 g_dngettext (GETTEXT_PACKAGE,
                              "The department “%s” still has %u sub-department. Delete or move "
                              "it first.",
                              "The department “%s” still has %u sub-departments. Delete or move "
                              "them first.",
                              (gulong)n_children),
                 department->name, (guint)n_children);
    goto out;
  }

  stmt = gh_database_prepare (self->database, "DELETE FROM departments WHERE id = ?", error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_int64 (stmt, 1, id);
  ok = gh_database_step_done (self->database, stmt, error) &&
       gh_database_auditf (self->database, session, error, "department.remove", "department",
                           id, "%s", department->name);

out:
  return end_write (self, ok, error);
}

GhDepartment *
gh_department_store_get (GhDepartmentStore  *self,
                         gint64              id,
                         GError            **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_DEPARTMENT_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT " DEPARTMENT_COLUMNS "FROM departments d WHERE d.id = ?",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return department_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The department no longer exists; refresh the list."));
  else
    gh_database_fail (self->database, error, "reading a department");

  return NULL;
}

/**
 * gh_department_store_list_children:
 * @parent_id: the parent, or 0 for the top-level departments
 *
 * Returns: (transfer full): a #GListModel of #GhDepartment ordered by position and name,
 *   following changes
 */
GListModel *
gh_department_store_list_children (GhDepartmentStore *self,
                                   gint64             parent_id)
{
  GVariant *params;

  g_return_val_if_fail (GH_IS_DEPARTMENT_STORE (self), NULL);

  params = parent_id > 0 ? g_variant_new ("(mx)", TRUE, parent_id)
                         : g_variant_new ("(mx)", FALSE, (gint64)0);

  return G_LIST_MODEL (gh_sql_list_model_new (self->database, GH_TYPE_DEPARTMENT, "departments",
                                              "SELECT count(*) FROM departments "
                                              "WHERE parent_id IS ?1",
                                              "SELECT " DEPARTMENT_COLUMNS "FROM departments d "
                                              "WHERE d.parent_id IS ?1 ORDER BY d.position, "
                                              "d.name, d.id LIMIT ? OFFSET ?",
                                              params, department_from_row));
}

/**
 * gh_department_store_create_child_model:
 * @item: a #GhDepartment
 * @user_data: the #GhDepartmentStore
 *
 * A GtkTreeListModelCreateModelFunc.
 *
 * Returns: (transfer full) (nullable): the children of @item, or %NULL if it has none
 */
GListModel *
gh_department_store_create_child_model (gpointer item,
                                        gpointer user_data)
{
  GhDepartmentStore *self = GH_DEPARTMENT_STORE (user_data);
  GhDepartment *department = GH_DEPARTMENT (item);
  gint64 n;

  n = gh_database_query_int (self->database,
                             "SELECT count(*) FROM departments WHERE parent_id = ?",
                             department->id, NULL);
  if (n <= 0)
    return NULL;

  return gh_department_store_list_children (self, department->id);
}
