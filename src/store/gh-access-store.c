/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-access-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-access-store.h"
#include "gh-database-private.h"

#include "gh-error.h"

/**
 * GhAccessStore:
 *
 * Access rules: time templates (kept in the core's one-line text form) and permission groups
 * (a time template, a verification method and a set of doors) with their members, persons
 * and departments. A department member grants the group to every person of the department
 * and its sub-departments. Changes need %GH_PERMISSION_ACCESS_RULES_WRITE; they queue a push
 * of the group, or of the persons whose doors changed, to the devices concerned.
 */
struct _GhAccessStore
{
  GObject     parent_instance;

  GhDatabase *database;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhAccessStore, gh_access_store, G_TYPE_OBJECT)

static const char * const verify_methods[] = {
  "any", "card", "password", "face", "fingerprint", "card+password", "face+card",
  "face+password", "fingerprint+password", "fingerprint+card", NULL
};

#define GROUP_COLUMNS \
  "g.id, g.name, g.remark, g.time_template_id, g.verify_method, " \
  "(SELECT count(*) FROM group_persons m WHERE m.group_id = g.id), " \
  "(SELECT count(*) FROM group_departments m WHERE m.group_id = g.id) "

void
gh_access_time_template_free (GhAccessTimeTemplate *tmpl)
{
  if (tmpl == NULL)
    return;

  g_free (tmpl->name);
  g_free (tmpl->remark);
  g_clear_pointer (&tmpl->schedule, gh_time_template_free);
  g_free (tmpl);
}

void
gh_permission_group_free (GhPermissionGroup *group)
{
  if (group == NULL)
    return;

  g_free (group->name);
  g_free (group->remark);
  g_free (group->verify_method);
  g_clear_pointer (&group->doors, g_array_unref);
  g_free (group);
}

static gboolean
check_name (const char  *name,
            const char  *what,
            GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));

  if (*trimmed == '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Enter a name for the %s."), what);
    return FALSE;
  }

  return TRUE;
}

/* Adds the (device, object) pairs a query returns to @pairs. */
static gboolean
collect_pairs (GhAccessStore  *self,
               GhStmt         *stmt,
               GArray         *pairs,
               GError        **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gint64 pair[2] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };

    g_array_append_vals (pairs, pair, 2);
  }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return gh_database_fail (self->database, error, "reading the devices to update");
  return TRUE;
}

static gint
compare_pairs (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const gint64 *x = a;
  const gint64 *y = b;

  if (x[0] != y[0])
    return x[0] < y[0] ? -1 : 1;
  return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* Queues a push for each pair, device by device: one device's tasks then sit together in
 * the queue table, which its pushes read and update in batches. */
static gboolean
enqueue_pairs (GhAccessStore  *self,
               GArray         *pairs,
               const char     *object_kind,
               GError        **error)
{
  g_qsort_with_data (pairs->data, pairs->len / 2, 2 * sizeof (gint64),
                     compare_pairs, NULL);
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    if (gh_database_enqueue_sync (self->database, g_array_index (pairs, gint64, i), object_kind,
                                  g_array_index (pairs, gint64, i + 1), "upsert", error) == 0)
      return FALSE;

  return TRUE;
}

/* Queues a push for each (device, object) pair a query returns. */
static gboolean
queue_pairs (GhAccessStore  *self,
             GhStmt         *stmt,
             const char     *object_kind,
             GError        **error)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (gint64));

  return collect_pairs (self, stmt, pairs, error) &&
         enqueue_pairs (self, pairs, object_kind, error);
}

static gboolean
queue_group (GhAccessStore  *self,
             gint64          group_id,
             GError        **error)
{
  g_autoptr(GhStmt) stmt = gh_database_prepare (self->database,
                                                "SELECT DISTINCT device_id, group_id "
                                                "FROM group_doors WHERE group_id = ?", error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, group_id);

  return queue_pairs (self, stmt, "permission-group", error);
}

static void
gh_access_store_dispose (GObject *object)
{
  GhAccessStore *self = (GhAccessStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_access_store_parent_class)->dispose (object);
}

static void
gh_access_store_class_init (GhAccessStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_access_store_dispose;
}

static void
gh_access_store_init (GhAccessStore *self)
{
}

GhAccessStore *
gh_access_store_new (GhDatabase *database)
{
  GhAccessStore *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  self = g_object_new (GH_TYPE_ACCESS_STORE, NULL);
  self->database = g_object_ref (database);

  return self;
}

static gint64
save_time_template (GhAccessStore         *self,
                    GhSession             *session,
                    gint64                 id,
                    const char            *name,
                    const GhTimeTemplate  *schedule,
                    const char            *remark,
                    GError               **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *text = NULL;
  g_autofree char *trimmed = NULL;

  if (!check_name (name, _("time template"), error))
    return 0;

  g_return_val_if_fail (schedule != NULL, 0);

  trimmed = g_strstrip (g_strdup (name));
  text = gh_time_template_to_string (schedule);

  if (id == 0)
    stmt = gh_database_prepare (self->database,
                                "INSERT INTO time_templates (name, sections, remark, id) "
                                "VALUES (?, ?, ?, NULL)", error);
  else
    stmt = gh_database_prepare (self->database,
                                "UPDATE time_templates SET name = ?, sections = ?, remark = ? "
                                "WHERE id = ?", error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, trimmed, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, remark ? remark : "", -1, SQLITE_STATIC);
  if (id != 0)
    sqlite3_bind_int64 (stmt, 4, id);

  if (sqlite3_step (stmt) != SQLITE_DONE) {
    if (gh_database_is_constraint (self->database))
      g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                   _("A time template called “%s” exists already. Choose another name."),
                   trimmed);
    else
      gh_database_fail (self->database, error, "saving a time template");
    return 0;
  }

  if (id == 0) {
    id = gh_database_last_insert_id (self->database);
  } else if (gh_database_changes (self->database) == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The time template no longer exists; refresh the list."));
    return 0;
  }

  if (!gh_database_auditf (self->database, session, error, "time-template.save",
                           "time-template", id, "%s: %s", trimmed, text))
    return 0;

  return id;
}

/**
 * gh_access_store_add_time_template:
 *
 * Returns: the new template's id, or 0 with @error set
 */
gint64
gh_access_store_add_time_template (GhAccessStore         *self,
                                   GhSession             *session,
                                   const char            *name,
                                   const GhTimeTemplate  *schedule,
                                   const char            *remark,
                                   GError               **error)
{
  gint64 id;

  g_return_val_if_fail (GH_IS_ACCESS_STORE (self), 0);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_ACCESS_RULES_WRITE,
                                error))
    return 0;

  id = save_time_template (self, session, 0, name, schedule, remark, error);

  if (!gh_database_end_write (self->database, id > 0, "access", error))
    return 0;

  return id;
}

/**
 * gh_access_store_update_time_template:
 *
 * Saves the template and queues the groups using it for their devices.
 */
gboolean
gh_access_store_update_time_template (GhAccessStore         *self,
                                      GhSession             *session,
                                      gint64                 id,
                                      const char            *name,
                                      const GhTimeTemplate  *schedule,
                                      const char            *remark,
                                      GError               **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_ACCESS_STORE (self), FALSE);
  g_return_val_if_fail (id > 0, FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_ACCESS_RULES_WRITE,
                                error))
    return FALSE;

  if (save_time_template (self, session, id, name, schedule, remark, error) == 0)
    goto out;

  stmt = gh_database_prepare (self->database,
                              "SELECT DISTINCT d.device_id, d.group_id FROM group_doors d "
                              "JOIN permission_groups g ON g.id = d.group_id "
                              "WHERE g.time_template_id = ?", error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_int64 (stmt, 1, id);
  ok = queue_pairs (self, stmt, "permission-group", error);

out:
  return gh_database_end_write (self->database, ok, "access", error);
}

/**
 * gh_access_store_remove_time_template:
 *
 * Refused (%GH_ERROR_IN_USE) while permission groups use the template.
 */
gboolean
gh_access_store_remove_time_template (GhAccessStore  *self,
                                      GhSession      *session,
                                      gint64          id,
                                      GError        **error)
{
  gint64 users;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_ACCESS_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_ACCESS_RULES_WRITE,
                                error))
    return FALSE;

  users = gh_database_query_int (self->database,
                                 "SELECT count(*) FROM permission_groups "
                                 "WHERE time_template_id = ?", id, error);
  if (users > 0)
    g_set_error (error, GH_ERROR, GH_ERROR_IN_USE,
                 g_dngettext (GETTEXT_PACKAGE,
                              "%u permission group uses this time template. Give it another "
                              "template first.",
                              "%u permission groups use this time template. Give them another "
                              "template first.", (gulong)users), (guint)users);

  ok = users == 0 &&
       gh_database_exec_id (self->database, "DELETE FROM time_templates WHERE id = ?", id,
                            _("The time template no longer exists; refresh the list."), error) &&
       gh_database_auditf (self->database, session, error, "time-template.remove",
                           "time-template", id, "%s", "");

  return gh_database_end_write (self->database, ok, "access", error);
}

static GhAccessTimeTemplate *
time_template_from_row (GhStmt  *stmt,
                        GError **error)
{
  g_autoptr(GhAccessTimeTemplate) tmpl = g_new0 (GhAccessTimeTemplate, 1);

  tmpl->id = sqlite3_column_int64 (stmt, 0);
  tmpl->name = gh_stmt_dup_text (stmt, 1);
  tmpl->schedule = gh_time_template_from_string ((const char *)sqlite3_column_text (stmt, 2),
                                                 error);
  tmpl->remark = gh_stmt_dup_text (stmt, 3);

  if (tmpl->schedule == NULL) {
    g_prefix_error (error, _("The stored time template “%s” is damaged: "), tmpl->name);
    return NULL;
  }

  return g_steal_pointer (&tmpl);
}

GhAccessTimeTemplate *
gh_access_store_get_time_template (GhAccessStore  *self,
                                   gint64          id,
                                   GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_ACCESS_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT id, name, sections, remark FROM time_templates "
                              "WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return time_template_from_row (stmt, error);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The time template no longer exists; refresh the list."));
  else
    gh_database_fail (self->database, error, "reading a time template");

  return NULL;
}

/**
 * gh_access_store_list_time_templates:
 *
 * Returns: (transfer full) (element-type GhAccessTimeTemplate): all templates by name
 */
GPtrArray *
gh_access_store_list_time_templates (GhAccessStore  *self,
                                     GError        **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_ACCESS_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT id, name, sections, remark FROM time_templates "
                              "ORDER BY name, id", error);
  if (stmt == NULL)
    return NULL;

  result = g_ptr_array_new_with_free_func ((GDestroyNotify)gh_access_time_template_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    GhAccessTimeTemplate *tmpl = time_template_from_row (stmt, error);

    if (tmpl == NULL)
      return NULL;
    g_ptr_array_add (result, tmpl);
  }

  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading time templates");
    return NULL;
  }

  return g_steal_pointer (&result);
}

static gboolean
validate_group (GhAccessStore            *self,
                const GhPermissionGroup  *group,
                GError                  **error)
{
  const char *method = group->verify_method ? group->verify_method : "any";

  if (!check_name (group->name, _("permission group"), error))
    return FALSE;

  if (!g_strv_contains (verify_methods, method)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Unknown verification method “%s”."), method);
    return FALSE;
  }

  if (group->time_template_id > 0 &&
      gh_database_query_int (self->database, "SELECT count(*) FROM time_templates WHERE id = ?",
                             group->time_template_id, error) <= 0) {
    g_clear_error (error);
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The time template chosen no longer exists; choose another one."));
    return FALSE;
  }

  for (guint i = 0; group->doors != NULL && i < group->doors->len; i++) {
    const GhGroupDoor *door = &g_array_index (group->doors, GhGroupDoor, i);
    g_autoptr(GhStmt) stmt = gh_database_prepare (self->database,
                                                  "SELECT name, door_count FROM devices "
                                                  "WHERE id = ?", error);

    if (stmt == NULL)
      return FALSE;

    sqlite3_bind_int64 (stmt, 1, door->device_id);
    if (sqlite3_step (stmt) != SQLITE_ROW) {
      g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                   _("A device chosen for the group no longer exists; refresh the list."));
      return FALSE;
    }

    if (door->door_index < 0 || door->door_index >= sqlite3_column_int (stmt, 1)) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("“%s” has %d doors; door %d does not exist."),
                   sqlite3_column_text (stmt, 0), sqlite3_column_int (stmt, 1),
                   door->door_index + 1);
      return FALSE;
    }
  }

  return TRUE;
}

static gint64
save_group (GhAccessStore            *self,
            GhSession                *session,
            const GhPermissionGroup  *group,
            GError                  **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *name = NULL;
  gint64 id = group->id;

  if (!validate_group (self, group, error))
    return 0;

  name = g_strstrip (g_strdup (group->name));

  if (id == 0)
    stmt = gh_database_prepare (self->database,
                                "INSERT INTO permission_groups (name, remark, time_template_id, "
                                "verify_method, id) VALUES (?, ?, ?, ?, NULL)", error);
  else
    stmt = gh_database_prepare (self->database,
                                "UPDATE permission_groups SET name = ?, remark = ?, "
                                "time_template_id = ?, verify_method = ? WHERE id = ?", error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, group->remark ? group->remark : "", -1, SQLITE_STATIC);
  gh_stmt_bind_id (stmt, 3, group->time_template_id);
  sqlite3_bind_text (stmt, 4, group->verify_method ? group->verify_method : "any", -1,
                     SQLITE_STATIC);
  if (id != 0)
    sqlite3_bind_int64 (stmt, 5, id);

  if (sqlite3_step (stmt) != SQLITE_DONE) {
    if (gh_database_is_constraint (self->database))
      g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                   _("A permission group called “%s” exists already. Choose another name."),
                   name);
    else
      gh_database_fail (self->database, error, "saving a permission group");
    return 0;
  }

  if (id == 0) {
    id = gh_database_last_insert_id (self->database);
  } else if (gh_database_changes (self->database) == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The permission group no longer exists; refresh the list."));
    return 0;
  } else if (!queue_group (self, id, error)) {
    /* The devices that lose doors learn it from the push of the old door set. */
    return 0;
  }

  gh_stmt_release (g_steal_pointer (&stmt));

  stmt = gh_database_prepare (self->database, "DELETE FROM group_doors WHERE group_id = ?",
                              error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, id);
  if (!gh_database_step_done (self->database, stmt, error))
    return 0;

  for (guint i = 0; group->doors != NULL && i < group->doors->len; i++) {
    const GhGroupDoor *door = &g_array_index (group->doors, GhGroupDoor, i);
    g_autoptr(GhStmt) insert = gh_database_prepare (self->database,
                                                    "INSERT OR IGNORE INTO group_doors "
                                                    "(group_id, device_id, door_index) "
                                                    "VALUES (?, ?, ?)", error);

    if (insert == NULL)
      return 0;

    sqlite3_bind_int64 (insert, 1, id);
    sqlite3_bind_int64 (insert, 2, door->device_id);
    sqlite3_bind_int (insert, 3, door->door_index);
    if (!gh_database_step_done (self->database, insert, error))
      return 0;
  }

  if (!queue_group (self, id, error) ||
      !gh_database_auditf (self->database, session, error,
                           group->id == 0 ? "permission-group.add" : "permission-group.update",
                           "permission-group", id, "%s, %s, template %" G_GINT64_FORMAT
                           ", %u doors", name, group->verify_method ? group->verify_method : "any",
                           group->time_template_id, group->doors ? group->doors->len : 0))
    return 0;

  return id;
}

/**
 * gh_access_store_add_group:
 * @group: the new group (its id is ignored)
 *
 * Returns: the new group's id, or 0 with @error set
 */
gint64
gh_access_store_add_group (GhAccessStore            *self,
                           GhSession                *session,
                           const GhPermissionGroup  *group,
                           GError                  **error)
{
  GhPermissionGroup copy;
  gint64 id;

  g_return_val_if_fail (GH_IS_ACCESS_STORE (self), 0);
  g_return_val_if_fail (group != NULL, 0);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_ACCESS_RULES_WRITE,
                                error))
    return 0;

  copy = *group;
  copy.id = 0;
  id = save_group (self, session, &copy, error);

  if (!gh_database_end_write (self->database, id > 0, "access", error))
    return 0;

  return id;
}

gboolean
gh_access_store_update_group (GhAccessStore            *self,
                              GhSession                *session,
                              const GhPermissionGroup  *group,
                              GError                  **error)
{
  gboolean ok;

  g_return_val_if_fail (GH_IS_ACCESS_STORE (self), FALSE);
  g_return_val_if_fail (group != NULL && group->id > 0, FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_ACCESS_RULES_WRITE,
                                error))
    return FALSE;

  ok = save_group (self, session, group, error) > 0;

  return gh_database_end_write (self->database, ok, "access", error);
}

gboolean
gh_access_store_remove_group (GhAccessStore  *self,
                              GhSession      *session,
                              gint64          id,
                              GError        **error)
{
  gboolean ok;

  g_return_val_if_fail (GH_IS_ACCESS_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_ACCESS_RULES_WRITE,
                                error))
    return FALSE;

  ok = queue_group (self, id, error) &&
       gh_database_exec_id (self->database, "DELETE FROM permission_groups WHERE id = ?", id,
                            _("The permission group no longer exists; refresh the list."),
                            error) &&
       gh_database_auditf (self->database, session, error, "permission-group.remove",
                           "permission-group", id, "%s", "");

  return gh_database_end_write (self->database, ok, "access", error);
}

static GhPermissionGroup *
group_from_row (GhAccessStore  *self,
                GhStmt         *stmt,
                GError        **error)
{
  g_autoptr(GhPermissionGroup) group = g_new0 (GhPermissionGroup, 1);
  g_autoptr(GhStmt) doors = NULL;
  int rc;

  group->id = sqlite3_column_int64 (stmt, 0);
  group->name = gh_stmt_dup_text (stmt, 1);
  group->remark = gh_stmt_dup_text (stmt, 2);
  group->time_template_id = sqlite3_column_int64 (stmt, 3);
  group->verify_method = gh_stmt_dup_text (stmt, 4);
  group->n_persons = (guint)sqlite3_column_int64 (stmt, 5);
  group->n_departments = (guint)sqlite3_column_int64 (stmt, 6);
  group->doors = g_array_new (FALSE, FALSE, sizeof (GhGroupDoor));

  doors = gh_database_prepare (self->database,
                               "SELECT device_id, door_index FROM group_doors "
                               "WHERE group_id = ? ORDER BY device_id, door_index", error);
  if (doors == NULL)
    return NULL;

  sqlite3_bind_int64 (doors, 1, group->id);
  while ((rc = sqlite3_step (doors)) == SQLITE_ROW) {
    GhGroupDoor door = { sqlite3_column_int64 (doors, 0), sqlite3_column_int (doors, 1) };

    g_array_append_val (group->doors, door);
  }

  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading a permission group");
    return NULL;
  }

  return g_steal_pointer (&group);
}

GhPermissionGroup *
gh_access_store_get_group (GhAccessStore  *self,
                           gint64          id,
                           GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_ACCESS_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT " GROUP_COLUMNS "FROM permission_groups g WHERE g.id = ?",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return group_from_row (self, stmt, error);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The permission group no longer exists; refresh the list."));
  else
    gh_database_fail (self->database, error, "reading a permission group");

  return NULL;
}

/**
 * gh_access_store_list_groups:
 *
 * Returns: (transfer full) (element-type GhPermissionGroup): all groups by name
 */
GPtrArray *
gh_access_store_list_groups (GhAccessStore  *self,
                             GError        **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_ACCESS_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT " GROUP_COLUMNS "FROM permission_groups g "
                              "ORDER BY g.name, g.id", error);
  if (stmt == NULL)
    return NULL;

  result = g_ptr_array_new_with_free_func ((GDestroyNotify)gh_permission_group_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    GhPermissionGroup *group = group_from_row (self, stmt, error);

    if (group == NULL)
      return NULL;
    g_ptr_array_add (result, group);
  }

  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading permission groups");
    return NULL;
  }

  return g_steal_pointer (&result);
}

/* Adds or removes members; @sql is the INSERT or DELETE for one (group, member) pair and
 * @queue_sql lists the (device, person) pairs to push for one member. */
static gboolean
change_members (GhAccessStore  *self,
                GhSession      *session,
                gint64          group_id,
                const gint64   *ids,
                guint           n_ids,
                const char     *sql,
                const char     *queue_sql,
                const char     *action,
                const char     *not_found,
                GError        **error)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean ok = TRUE;

  g_return_val_if_fail (GH_IS_ACCESS_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_ACCESS_RULES_WRITE,
                                error))
    return FALSE;

  if (gh_database_query_int (self->database,
                             "SELECT count(*) FROM permission_groups WHERE id = ?", group_id,
                             error) <= 0) {
    g_clear_error (error);
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The permission group no longer exists; refresh the list."));
    ok = FALSE;
  }

  for (guint i = 0; ok && i < n_ids; i++) {
    g_autoptr(GhStmt) stmt = gh_database_prepare (self->database, sql, error);
    g_autoptr(GhStmt) queue = NULL;

    if (stmt == NULL) {
      ok = FALSE;
      break;
    }

    sqlite3_bind_int64 (stmt, 1, group_id);
    sqlite3_bind_int64 (stmt, 2, ids[i]);
    if (sqlite3_step (stmt) != SQLITE_DONE) {
      if (gh_database_is_constraint (self->database))
        g_set_error_literal (error, GH_ERROR, GH_ERROR_NOT_FOUND, not_found);
      else
        gh_database_fail (self->database, error, "changing group members");
      ok = FALSE;
      break;
    }
    gh_stmt_release (g_steal_pointer (&stmt));

    queue = gh_database_prepare (self->database, queue_sql, error);
    if (queue == NULL) {
      ok = FALSE;
      break;
    }
    sqlite3_bind_int64 (queue, 1, group_id);
    sqlite3_bind_int64 (queue, 2, ids[i]);

    ok = collect_pairs (self, queue, pairs, error) &&
         gh_database_auditf (self->database, session, error, action, "permission-group",
                             group_id, "%" G_GINT64_FORMAT, ids[i]);
  }
  if (ok)
    ok = enqueue_pairs (self, pairs, "person", error);

  return gh_database_end_write (self->database, ok, "access", error);
}

#define PERSON_DEVICES \
  "SELECT DISTINCT d.device_id, ?2 FROM group_doors d WHERE d.group_id = ?1"
#define DEPARTMENT_DEVICES \
  "WITH RECURSIVE sub (id) AS (SELECT ?2 UNION ALL SELECT s.id FROM departments s " \
  "JOIN sub ON s.parent_id = sub.id) SELECT DISTINCT d.device_id, p.id FROM group_doors d " \
  "JOIN persons p ON p.department_id IN sub WHERE d.group_id = ?1"

gboolean
gh_access_store_add_persons (GhAccessStore  *self,
                             GhSession      *session,
                             gint64          group_id,
                             const gint64   *person_ids,
                             guint           n_persons,
                             GError        **error)
{
  return change_members (self, session, group_id, person_ids, n_persons,
                         "INSERT OR IGNORE INTO group_persons (group_id, person_id) "
                         "VALUES (?, ?)", PERSON_DEVICES, "permission-group.add-person",
                         _("A person chosen no longer exists; refresh the list."), error);
}

gboolean
gh_access_store_remove_persons (GhAccessStore  *self,
                                GhSession      *session,
                                gint64          group_id,
                                const gint64   *person_ids,
                                guint           n_persons,
                                GError        **error)
{
  return change_members (self, session, group_id, person_ids, n_persons,
                         "DELETE FROM group_persons WHERE group_id = ? AND person_id = ?",
                         PERSON_DEVICES, "permission-group.remove-person",
                         _("A person chosen no longer exists; refresh the list."), error);
}

gboolean
gh_access_store_add_departments (GhAccessStore  *self,
                                 GhSession      *session,
                                 gint64          group_id,
                                 const gint64   *department_ids,
                                 guint           n_departments,
                                 GError        **error)
{
  return change_members (self, session, group_id, department_ids, n_departments,
                         "INSERT OR IGNORE INTO group_departments (group_id, department_id) "
                         "VALUES (?, ?)", DEPARTMENT_DEVICES, "permission-group.add-department",
                         _("A department chosen no longer exists; refresh the list."), error);
}

gboolean
gh_access_store_remove_departments (GhAccessStore  *self,
                                    GhSession      *session,
                                    gint64          group_id,
                                    const gint64   *department_ids,
                                    guint           n_departments,
                                    GError        **error)
{
  return change_members (self, session, group_id, department_ids, n_departments,
                         "DELETE FROM group_departments WHERE group_id = ? AND department_id = ?",
                         DEPARTMENT_DEVICES, "permission-group.remove-department",
                         _("A department chosen no longer exists; refresh the list."), error);
}

/**
 * gh_access_store_list_person_doors:
 *
 * The doors a person may open: those of the groups the person belongs to directly or through
 * the department (or a superior department).
 *
 * Returns: (transfer full) (element-type GhGroupDoor): the doors, by device and door
 */
GArray *
gh_access_store_list_person_doors (GhAccessStore  *self,
                                   gint64          person_id,
                                   GError        **error)
{
  g_autoptr(GArray) doors = g_array_new (FALSE, FALSE, sizeof (GhGroupDoor));
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_ACCESS_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "WITH RECURSIVE up (id) AS (SELECT department_id FROM persons "
                              "WHERE id = ?1 AND department_id IS NOT NULL UNION ALL "
                              "SELECT d.parent_id FROM departments d JOIN up ON d.id = up.id "
                              "WHERE d.parent_id IS NOT NULL) "
                              "SELECT DISTINCT device_id, door_index FROM group_doors "
                              "WHERE group_id IN (SELECT group_id FROM group_persons "
                              "WHERE person_id = ?1 UNION SELECT group_id FROM group_departments "
                              "WHERE department_id IN up) ORDER BY device_id, door_index", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, person_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    GhGroupDoor door = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int (stmt, 1) };

    g_array_append_val (doors, door);
  }

  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading a person's doors");
    return NULL;
  }

  return g_steal_pointer (&doors);
}
