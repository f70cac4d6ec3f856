/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-call-group-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-call-group-store.h"
#include "gh-database-private.h"

#include "gh-error.h"

/**
 * GhCallGroupStore:
 *
 * Call groups: master stations (VTS) and this client, in calling order, assigned to a
 * building, so that calls from the building ring them one after the other. A building has at
 * most one group; without one, the client answers the building's calls. Changes need
 * %GH_PERMISSION_COMMUNITY_WRITE and queue the group for the door stations of the building.
 */
struct _GhCallGroupStore
{
  GObject     parent_instance;

  GhDatabase *database;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhCallGroupStore, gh_call_group_store, G_TYPE_OBJECT)

/* The door stations registered in a building or its units. */
#define BUILDING_VTOS \
  "SELECT DISTINCT g.device_id, ?2 FROM registration_numbers g WHERE g.kind = 'vto' AND " \
  "g.org_node_id IN (SELECT id FROM org_nodes WHERE id = ?1 OR parent_id = ?1)"

GhCallGroup *
gh_call_group_new (const char *name,
                   gint64      building_id)
{
  GhCallGroup *group = g_new0 (GhCallGroup, 1);

  group->name = g_strdup (name);
  group->building_id = building_id;
  group->members = g_array_new (FALSE, FALSE, sizeof (GhCallGroupMember));

  return group;
}

void
gh_call_group_free (GhCallGroup *group)
{
  if (group == NULL)
    return;

  g_free (group->name);
  g_clear_pointer (&group->members, g_array_unref);
  g_free (group);
}

static gboolean
queue_building (GhCallGroupStore  *self,
                gint64             building_id,
                gint64             group_id,
                GError           **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autoptr(GArray) devices = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (building_id <= 0)
    return TRUE;

  stmt = gh_database_prepare (self->database, BUILDING_VTOS, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, building_id);
  sqlite3_bind_int64 (stmt, 2, group_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gint64 device = sqlite3_column_int64 (stmt, 0);

    g_array_append_val (devices, device);
  }
  if (rc != SQLITE_DONE)
    return gh_database_fail (self->database, error, "reading the building's door stations");

  gh_stmt_release (g_steal_pointer (&stmt));

  for (guint i = 0; i < devices->len; i++)
    if (gh_database_enqueue_sync (self->database, g_array_index (devices, gint64, i),
                                  "call-group", group_id, "upsert", error) == 0)
      return FALSE;

  return TRUE;
}

static gboolean
validate_group (GhCallGroupStore   *self,
                const GhCallGroup  *group,
                GError            **error)
{
  g_autofree char *name = g_strstrip (g_strdup (group->name ? group->name : ""));
  guint n_clients = 0;

  if (*name == '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Enter a name for the call group."));
    return FALSE;
  }

  if (group->building_id > 0) {
    g_autoptr(GhStmt) stmt = gh_database_prepare (self->database,
                                                  "SELECT kind FROM org_nodes WHERE id = ?",
                                                  error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, group->building_id);
    if (sqlite3_step (stmt) != SQLITE_ROW ||
        g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "building") != 0) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("Assign the call group to a building of the community."));
      return FALSE;
    }
  }

  if (group->members == NULL || group->members->len == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Select at least one master station or this client for the call group."));
    return FALSE;
  }

  for (guint i = 0; i < group->members->len; i++) {
    gint64 device = g_array_index (group->members, GhCallGroupMember, i).device_id;
    g_autoptr(GhStmt) stmt = NULL;

    if (device == 0) {
      if (++n_clients > 1) {
        g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                     _("This client is in the call group twice; keep it once."));
        return FALSE;
      }
      continue;
    }

    stmt = gh_database_prepare (self->database, "SELECT kind, name FROM devices WHERE id = ?",
                                error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, device);
    if (sqlite3_step (stmt) != SQLITE_ROW) {
      g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                   _("A device of the call group no longer exists; refresh the list."));
      return FALSE;
    }
    if (g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "vts") != 0) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("“%s” is not a master station (VTS); only master stations and this "
                     "client answer in a call group."), sqlite3_column_text (stmt, 1));
      return FALSE;
    }
    for (guint j = 0; j < i; j++) {
      if (g_array_index (group->members, GhCallGroupMember, j).device_id == device) {
        g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                     _("“%s” is in the call group twice; keep it once."),
                     sqlite3_column_text (stmt, 1));
        return FALSE;
      }
    }
  }

  return TRUE;
}

static gint64
save_group (GhCallGroupStore   *self,
            GhSession          *session,
            const GhCallGroup  *group,
            GError            **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *name = NULL;
  gint64 id = group->id;
  gint64 old_building = 0;

  if (!validate_group (self, group, error))
    return 0;

  name = g_strstrip (g_strdup (group->name));

  if (group->building_id > 0) {
    g_autoptr(GhStmt) taken = gh_database_prepare (self->database,
                                                   "SELECT name FROM call_groups "
                                                   "WHERE building_id = ? AND id <> ?", error);

    if (taken == NULL)
      return 0;
    sqlite3_bind_int64 (taken, 1, group->building_id);
    sqlite3_bind_int64 (taken, 2, id);
    if (sqlite3_step (taken) == SQLITE_ROW) {
      g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                   _("The building already has the call group “%s”. Edit that group "
                     "instead."), sqlite3_column_text (taken, 0));
      return 0;
    }
  }

  if (id > 0) {
    old_building = gh_database_query_int (self->database,
                                          "SELECT ifnull (building_id, 0) FROM call_groups "
                                          "WHERE id = ?", id, error);
    stmt = gh_database_prepare (self->database,
                                "UPDATE call_groups SET name = ?, building_id = ? WHERE id = ?",
                                error);
  } else {
    stmt = gh_database_prepare (self->database,
                                "INSERT INTO call_groups (name, building_id, id) "
                                "VALUES (?, ?, NULL)", error);
  }
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  gh_stmt_bind_id (stmt, 2, group->building_id);
  if (id > 0)
    sqlite3_bind_int64 (stmt, 3, id);

  if (sqlite3_step (stmt) != SQLITE_DONE) {
    if (gh_database_is_constraint (self->database))
      g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                   _("A call group called “%s” exists already. Choose another name."), name);
    else
      gh_database_fail (self->database, error, "saving a call group");
    return 0;
  }

  if (id == 0) {
    id = gh_database_last_insert_id (self->database);
  } else if (gh_database_changes (self->database) == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The call group no longer exists; refresh the list."));
    return 0;
  }
  gh_stmt_release (g_steal_pointer (&stmt));

  stmt = gh_database_prepare (self->database, "DELETE FROM call_group_members WHERE group_id = ?",
                              error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!gh_database_step_done (self->database, stmt, error))
    return 0;

  for (guint i = 0; i < group->members->len; i++) {
    gint64 device = g_array_index (group->members, GhCallGroupMember, i).device_id;
    g_autoptr(GhStmt) insert = gh_database_prepare (self->database,
                                                    "INSERT INTO call_group_members (group_id, "
                                                    "position, kind, device_id) "
                                                    "VALUES (?, ?, ?, ?)", error);

    if (insert == NULL)
      return 0;
    sqlite3_bind_int64 (insert, 1, id);
    sqlite3_bind_int (insert, 2, (int)i);
    sqlite3_bind_text (insert, 3, device > 0 ? "device" : "client", -1, SQLITE_STATIC);
    gh_stmt_bind_id (insert, 4, device);
    if (!gh_database_step_done (self->database, insert, error))
      return 0;
  }

  if ((old_building != group->building_id && !queue_building (self, old_building, id, error)) ||
      !queue_building (self, group->building_id, id, error) ||
      !gh_database_auditf (self->database, session, error,
                           group->id > 0 ? "call-group.update" : "call-group.add", "call-group",
                           id, "%s, building %" G_GINT64_FORMAT ", %u members", name,
                           group->building_id, group->members->len))
    return 0;

  return id;
}

static void
gh_call_group_store_dispose (GObject *object)
{
  GhCallGroupStore *self = (GhCallGroupStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_call_group_store_parent_class)->dispose (object);
}

static void
gh_call_group_store_class_init (GhCallGroupStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_call_group_store_dispose;
}

static void
gh_call_group_store_init (GhCallGroupStore *self)
{
}

GhCallGroupStore *
gh_call_group_store_new (GhDatabase *database)
{
  GhCallGroupStore *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  self = g_object_new (GH_TYPE_CALL_GROUP_STORE, NULL);
  self->database = g_object_ref (database);

  return self;
}

/**
 * gh_call_group_store_add:
 * @group: the new group (its id is ignored)
 *
 * Returns: the new group's id, or 0 with @error set
 */
gint64
gh_call_group_store_add (GhCallGroupStore   *self,
                         GhSession          *session,
                         const GhCallGroup  *group,
                         GError            **error)
{
  GhCallGroup copy;
  gint64 id;

  g_return_val_if_fail (GH_IS_CALL_GROUP_STORE (self), 0);
  g_return_val_if_fail (group != NULL, 0);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return 0;

  copy = *group;
  copy.id = 0;
  id = save_group (self, session, &copy, error);

  if (!gh_database_end_write (self->database, id > 0, "call-groups", error))
    return 0;

  return id;
}

gboolean
gh_call_group_store_update (GhCallGroupStore   *self,
                            GhSession          *session,
                            const GhCallGroup  *group,
                            GError            **error)
{
  gboolean ok;

  g_return_val_if_fail (GH_IS_CALL_GROUP_STORE (self), FALSE);
  g_return_val_if_fail (group != NULL && group->id > 0, FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return FALSE;

  ok = save_group (self, session, group, error) > 0;

  return gh_database_end_write (self->database, ok, "call-groups", error);
}

gboolean
gh_call_group_store_remove (GhCallGroupStore  *self,
                            GhSession         *session,
                            gint64             id,
                            GError           **error)
{
  gint64 building;
  gboolean ok;

  g_return_val_if_fail (GH_IS_CALL_GROUP_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return FALSE;

  building = gh_database_query_int (self->database,
                                    "SELECT ifnull (building_id, 0) FROM call_groups "
                                    "WHERE id = ?", id, error);
  ok = building >= 0 &&
       queue_building (self, building, id, error) &&
       gh_database_exec_id (self->database, "DELETE FROM call_groups WHERE id = ?", id,
                            _("The call group no longer exists; refresh the list."), error) &&
       gh_database_auditf (self->database, session, error, "call-group.remove", "call-group",
                           id, "%s", "");

  return gh_database_end_write (self->database, ok, "call-groups", error);
}

static GhCallGroup *
read_group (GhCallGroupStore  *self,
            const char        *sql,
            gint64             key,
            GError           **error)
{
  g_autoptr(GhCallGroup) group = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  g_autoptr(GhStmt) members = NULL;
  int rc;

  stmt = gh_database_prepare (self->database, sql, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW) {
    if (rc == SQLITE_DONE)
      g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND, _("There is no such call group."));
    else
      gh_database_fail (self->database, error, "reading a call group");
    return NULL;
  }

  group = gh_call_group_new ((const char *)sqlite3_column_text (stmt, 1),
                             sqlite3_column_int64 (stmt, 2));
  group->id = sqlite3_column_int64 (stmt, 0);
  gh_stmt_release (g_steal_pointer (&stmt));

  members = gh_database_prepare (self->database,
                                 "SELECT ifnull (device_id, 0) FROM call_group_members "
                                 "WHERE group_id = ? ORDER BY position", error);
  if (members == NULL)
    return NULL;

  sqlite3_bind_int64 (members, 1, group->id);
  while ((rc = sqlite3_step (members)) == SQLITE_ROW) {
    GhCallGroupMember member = { sqlite3_column_int64 (members, 0) };

    g_array_append_val (group->members, member);
  }

  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading a call group");
    return NULL;
  }

  return g_steal_pointer (&group);
}

GhCallGroup *
gh_call_group_store_get (GhCallGroupStore  *self,
                         gint64             id,
                         GError           **error)
{
  g_return_val_if_fail (GH_IS_CALL_GROUP_STORE (self), NULL);

  return read_group (self, "SELECT id, name, building_id FROM call_groups WHERE id = ?", id,
                     error);
}

/**
 * gh_call_group_store_for_building:
 *
 * Returns: (transfer full): the group answering calls from @building_id, or %NULL with
 *   %GH_ERROR_NOT_FOUND when the client answers them itself
 */
GhCallGroup *
gh_call_group_store_for_building (GhCallGroupStore  *self,
                                  gint64             building_id,
                                  GError           **error)
{
  g_return_val_if_fail (GH_IS_CALL_GROUP_STORE (self), NULL);

  return read_group (self,
                     "SELECT id, name, building_id FROM call_groups WHERE building_id = ?",
                     building_id, error);
}

/**
 * gh_call_group_store_list:
 *
 * Returns: (transfer full) (element-type GhCallGroup): all groups by name
 */
GPtrArray *
gh_call_group_store_list (GhCallGroupStore  *self,
                          GError           **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_CALL_GROUP_STORE (self), NULL);

  stmt = gh_database_prepare (self->database, "SELECT id FROM call_groups ORDER BY name, id",
                              error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gint64 id = sqlite3_column_int64 (stmt, 0);

    g_array_append_val (ids, id);
  }
  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading call groups");
    return NULL;
  }
  gh_stmt_release (g_steal_pointer (&stmt));

  result = g_ptr_array_new_with_free_func ((GDestroyNotify)gh_call_group_free);
  for (guint i = 0; i < ids->len; i++) {
    GhCallGroup *group = gh_call_group_store_get (self, g_array_index (ids, gint64, i), error);

    if (group == NULL)
      return NULL;
    g_ptr_array_add (result, group);
  }

  return g_steal_pointer (&result);
}
