/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-org-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-org-store.h"
#include "gh-database-private.h"
#include "gh-org-node-private.h"
#include "gh-room-private.h"
#include "gh-sql-list-model.h"

#include "gh-error.h"
#include "gh-unlock-code.h"

/**
 * GhOrgStore:
 *
 * The organization of the community (community → building → unit, or community → building
 * when the community has no units) and its rooms, with their unlock passwords and the state
 * of sending those passwords to the devices. Changes need %GH_PERMISSION_COMMUNITY_WRITE.
 *
 * Removing a room removes its registration numbers (and queues their removal from the
 * devices). Setting an unlock password queues it for the room's indoor monitors and for the
 * door stations of its unit or building, and marks their sending state pending.
 */
struct _GhOrgStore
{
  GObject     parent_instance;

  GhDatabase *database;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhOrgStore, gh_org_store, G_TYPE_OBJECT)

#define NODE_COLUMNS "o.id, o.parent_id, o.kind, o.number, o.name "
#define ROOM_COLUMNS \
  "r.id, r.org_node_id, r.number, r.name, n.kind, n.number, pn.number, " \
  "r.unlock_password IS NOT NULL, " \
  "(SELECT CASE WHEN count(*) = 0 THEN '' WHEN sum (s.status = 'failed') > 0 THEN 'failed' " \
  "WHEN sum (s.status = 'pending') > 0 THEN 'pending' ELSE 'sent' END " \
  "FROM room_device_status s WHERE s.room_id = r.id) "
#define ROOM_FROM \
  " FROM rooms r JOIN org_nodes n ON n.id = r.org_node_id " \
  "LEFT JOIN org_nodes pn ON pn.id = n.parent_id "
#define ROOM_ORDER \
  " ORDER BY CAST (CASE n.kind WHEN 'unit' THEN pn.number ELSE n.number END AS INTEGER), " \
  "CAST (CASE n.kind WHEN 'unit' THEN n.number ELSE '0' END AS INTEGER), " \
  "CAST (r.number AS INTEGER), r.number, r.id"
#define NODES_BELOW(n) \
  "WITH RECURSIVE sub (id) AS (SELECT id FROM org_nodes WHERE (?" n " IS NULL AND " \
  "parent_id IS NULL) OR id = ?" n " UNION ALL " \
  "SELECT o.id FROM org_nodes o JOIN sub ON o.parent_id = sub.id) "
/* The devices that keep a room's unlock password: its indoor monitors, and the door stations
 * registered to its unit or building. */
#define ROOM_DEVICES \
  "SELECT DISTINCT g.device_id FROM registration_numbers g WHERE g.room_id = ?1 OR " \
  "(g.kind = 'vto' AND g.org_node_id IN (SELECT r.org_node_id FROM rooms r WHERE r.id = ?1 " \
  "UNION SELECT n.parent_id FROM rooms r JOIN org_nodes n ON n.id = r.org_node_id " \
  "WHERE r.id = ?1))"

void
gh_room_device_status_free (GhRoomDeviceStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->device_name);
  g_free (status->status);
  g_free (status->error);
  g_free (status);
}

static gpointer
node_from_row (GhStmt *stmt)
{
  GhOrgNode *node = gh_org_node_new_row ();

  gh_org_node_set_id (node, sqlite3_column_int64 (stmt, 0));
  gh_org_node_set_parent_id (node, sqlite3_column_int64 (stmt, 1));
  gh_org_node_set_kind (node, (const char *)sqlite3_column_text (stmt, 2));
  gh_org_node_set_number (node, (const char *)sqlite3_column_text (stmt, 3));
  gh_org_node_set_name (node, (const char *)sqlite3_column_text (stmt, 4));

  return node;
}

static char *
format_path (const char *node_kind,
             const char *node_number,
             const char *parent_number,
             const char *room)
{
  GhOrgPath path = { 0 };

  if (g_strcmp0 (node_kind, "unit") == 0) {
    g_strlcpy (path.building, parent_number ? parent_number : "", sizeof path.building);
    g_strlcpy (path.unit, node_number ? node_number : "", sizeof path.unit);
  } else {
    g_strlcpy (path.building, node_number ? node_number : "", sizeof path.building);
  }
  g_strlcpy (path.room, room ? room : "", sizeof path.room);

  return gh_org_path_format (&path);
}

static gpointer
room_from_row (GhStmt *stmt)
{
  GhRoom *room = gh_room_new_row ();
  g_autofree char *path = NULL;

  path = format_path ((const char *)sqlite3_column_text (stmt, 4),
                      (const char *)sqlite3_column_text (stmt, 5),
                      (const char *)sqlite3_column_text (stmt, 6),
                      (const char *)sqlite3_column_text (stmt, 2));

  gh_room_set_id (room, sqlite3_column_int64 (stmt, 0));
  gh_room_set_org_node_id (room, sqlite3_column_int64 (stmt, 1));
  gh_room_set_number (room, (const char *)sqlite3_column_text (stmt, 2));
  gh_room_set_name (room, (const char *)sqlite3_column_text (stmt, 3));
  gh_room_set_path (room, path);
  gh_room_set_has_unlock_password (room, sqlite3_column_int (stmt, 7) != 0);
  gh_room_set_sending_status (room, (const char *)sqlite3_column_text (stmt, 8));

  return room;
}

static gboolean
read_node (GhOrgStore  *self,
           gint64       id,
           char       **out_kind,
           GError     **error)
{
  g_autoptr(GhOrgNode) node = gh_org_store_get_node (self, id, error);

  if (node == NULL)
    return FALSE;

  *out_kind = g_strdup (gh_org_node_get_kind (node));
  return TRUE;
}

static void
gh_org_store_dispose (GObject *object)
{
  GhOrgStore *self = (GhOrgStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_org_store_parent_class)->dispose (object);
}

static void
gh_org_store_class_init (GhOrgStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_org_store_dispose;
}

static void
gh_org_store_init (GhOrgStore *self)
{
}

GhOrgStore *
gh_org_store_new (GhDatabase *database)
{
  GhOrgStore *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  self = g_object_new (GH_TYPE_ORG_STORE, NULL);
  self->database = g_object_ref (database);

  return self;
}

/**
 * gh_org_store_get_levels:
 *
 * Returns: whether the community has a unit level (the default) or not
 */
GhOrgLevels
gh_org_store_get_levels (GhOrgStore *self)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), GH_ORG_LEVELS_BUILDING_UNIT);

  value = gh_database_get_setting (self->database, "org-levels");

  return g_strcmp0 (value, "building") == 0 ? GH_ORG_LEVELS_BUILDING
                                            : GH_ORG_LEVELS_BUILDING_UNIT;
}

/**
 * gh_org_store_set_levels:
 *
 * Refused (%GH_ERROR_IN_USE) while nodes or rooms exist that the new layout cannot hold.
 */
gboolean
gh_org_store_set_levels (GhOrgStore   *self,
                         GhSession    *session,
                         GhOrgLevels   levels,
                         GError      **error)
{
  gint64 n;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), FALSE);
  g_return_val_if_fail (levels <= GH_ORG_LEVELS_BUILDING, FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return FALSE;

  if (levels == GH_ORG_LEVELS_BUILDING) {
    n = gh_database_query_int (self->database,
                               "SELECT count(*) FROM org_nodes WHERE kind = 'unit'", 0, error);
    if (n > 0)
      g_set_error (error, GH_ERROR, GH_ERROR_IN_USE,
                   _("The community has %" G_GINT64_FORMAT " units. Remove them before "
                     "switching to buildings without units."), n);
  } else {
    n = gh_database_query_int (self->database,
                               "SELECT count(*) FROM rooms r JOIN org_nodes n "
                               "ON n.id = r.org_node_id WHERE n.kind = 'building'", 0, error);
    if (n > 0)
      g_set_error (error, GH_ERROR, GH_ERROR_IN_USE,
                   _("%" G_GINT64_FORMAT " rooms sit directly in buildings. Remove them before "
                     "adding a unit level."), n);
  }

  if (n == 0) {
    const char *value = levels == GH_ORG_LEVELS_BUILDING ? "building" : "building-unit";

    ok = gh_database_set_setting (self->database, "org-levels", value, error) &&
         gh_database_audit (self->database, session, "settings.org-levels", "settings",
                            "org-levels", value, error);
  }

  return gh_database_end_write (self->database, ok, "settings", error);
}

/**
 * gh_org_store_get_community:
 *
 * Returns: the id of the community node, or 0 if none was added yet
 */
gint64
gh_org_store_get_community (GhOrgStore  *self,
                            GError     **error)
{
  g_return_val_if_fail (GH_IS_ORG_STORE (self), 0);

  return MAX (0, gh_database_query_int (self->database,
                                        "SELECT id FROM org_nodes WHERE parent_id IS NULL "
                                        "ORDER BY id LIMIT 1", 0, error));
}

static gboolean
validate_node_number (GhOrgLevels   levels,
                      const char   *kind,
                      const char   *number,
                      GError      **error)
{
  GhOrgPath path;

  if (g_str_equal (kind, "community"))
    return TRUE;

  if (g_str_equal (kind, "building"))
    return gh_org_path_build (GH_ORG_LEVELS_BUILDING, number, NULL, "1", &path, error);

  return gh_org_path_build (GH_ORG_LEVELS_BUILDING_UNIT, "1", number, "1", &path, error);
}

static void
explain_node_failure (GhOrgStore  *self,
                      const char  *kind,
                      const char  *number,
                      GError     **error)
{
  if (gh_database_is_constraint (self->database))
    g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                 _("There is already a %s numbered %s here. Choose another number."),
                 kind, number);
  else
    gh_database_fail (self->database, error, "saving the organization");
}

/**
 * gh_org_store_add_node:
 * @parent_id: 0 to add the community; the community to add a building; a building to add a
 *   unit (only when the community has units)
 * @number: the building or unit number (digits); ignored for the community
 *
 * Returns: the new node's id, or 0 with @error set
 */
gint64
gh_org_store_add_node (GhOrgStore   *self,
                       GhSession    *session,
                       gint64        parent_id,
                       const char   *number,
                       const char   *name,
                       GError      **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *parent_kind = NULL;
  const char *kind;
  gint64 id = 0;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), 0);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return 0;

  if (parent_id <= 0) {
    kind = "community";
    if (gh_org_store_get_community (self, error) > 0) {
      g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                   _("The community already exists; add buildings to it instead."));
      goto out;
    }
    number = "";
  } else {
    if (!read_node (self, parent_id, &parent_kind, error))
      goto out;

    if (g_str_equal (parent_kind, "community")) {
      kind = "building";
    } else if (g_str_equal (parent_kind, "building") &&
               gh_org_store_get_levels (self) == GH_ORG_LEVELS_BUILDING_UNIT) {
      kind = "unit";
    } else {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("Nothing can be added below a %s; add rooms to it instead."), parent_kind);
      goto out;
    }

    if (!validate_node_number (gh_org_store_get_levels (self), kind, number, error))
      goto out;
  }

  stmt = gh_database_prepare (self->database,
                              "INSERT INTO org_nodes (parent_id, kind, number, name) "
                              "VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto out;

  gh_stmt_bind_id (stmt, 1, parent_id);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, name ? name : "", -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE) {
    explain_node_failure (self, kind, number, error);
    goto out;
  }

  id = gh_database_last_insert_id (self->database);
  if (!gh_database_auditf (self->database, session, error, "org.add", kind, id, "%s %s",
                           number, name ? name : ""))
    id = 0;

out:
  if (!gh_database_end_write (self->database, id > 0, "org", error))
    return 0;

  return id;
}

gboolean
gh_org_store_update_node (GhOrgStore   *self,
                          GhSession    *session,
                          gint64        id,
                          const char   *number,
                          const char   *name,
                          GError      **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *kind = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return FALSE;

  if (!read_node (self, id, &kind, error))
    goto out;

  if (g_str_equal (kind, "community"))
    number = "";
  else if (!validate_node_number (gh_org_store_get_levels (self), kind, number, error))
    goto out;

  stmt = gh_database_prepare (self->database,
                              "UPDATE org_nodes SET number = ?, name = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name ? name : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, id);
  if (sqlite3_step (stmt) != SQLITE_DONE) {
    explain_node_failure (self, kind, number, error);
    goto out;
  }

  ok = gh_database_auditf (self->database, session, error, "org.update", kind, id, "%s %s",
                           number, name ? name : "");
  if (ok)
    gh_database_touch (self->database, "rooms");

out:
  return gh_database_end_write (self->database, ok, "org", error);
}

/**
 * gh_org_store_remove_node:
 *
 * Refused (%GH_ERROR_IN_USE) while the node holds buildings, units or rooms.
 */
gboolean
gh_org_store_remove_node (GhOrgStore   *self,
                          GhSession    *session,
                          gint64        id,
                          GError      **error)
{
  g_autoptr(GhOrgNode) node = NULL;
  gint64 children = -1;
  gint64 rooms = -1;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return FALSE;

  node = gh_org_store_get_node (self, id, error);
  if (node == NULL)
    goto out;

  children = gh_database_query_int (self->database,
                                    "SELECT count(*) FROM org_nodes WHERE parent_id = ?", id,
                                    error);
  rooms = gh_database_query_int (self->database,
                                 "SELECT count(*) FROM rooms WHERE org_node_id = ?", id, error);
  if (children < 0 || rooms < 0)
    goto out;

  if (children > 0 || rooms > 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_IN_USE,
                 _("The %s %s still holds %" G_GINT64_FORMAT " buildings or units and %"
                   G_GINT64_FORMAT " rooms. Remove them first."),
                 gh_org_node_get_kind (node), gh_org_node_get_number (node), children, rooms);
    goto out;
  }

  ok = gh_database_exec_id (self->database, "DELETE FROM org_nodes WHERE id = ?", id,
                            _("The building or unit no longer exists; refresh the list."),
                            error) &&
       gh_database_auditf (self->database, session, error, "org.remove",
                           gh_org_node_get_kind (node), id, "%s %s",
                           gh_org_node_get_number (node), gh_org_node_get_name (node));

out:
  return gh_database_end_write (self->database, ok, "org", error);
}

GhOrgNode *
gh_org_store_get_node (GhOrgStore  *self,
                       gint64       id,
                       GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT " NODE_COLUMNS "FROM org_nodes o WHERE o.id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return node_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The building or unit no longer exists; refresh the list."));
  else
    gh_database_fail (self->database, error, "reading the organization");

  return NULL;
}

/**
 * gh_org_store_list_children:
 * @parent_id: a node, or 0 for the top (the community)
 *
 * Returns: (transfer full): a #GListModel of #GhOrgNode ordered by number, following changes
 */
GListModel *
gh_org_store_list_children (GhOrgStore *self,
                            gint64      parent_id)
{
  g_return_val_if_fail (GH_IS_ORG_STORE (self), NULL);

  return G_LIST_MODEL (gh_sql_list_model_new (self->database, GH_TYPE_ORG_NODE, "org",
                                              "SELECT count(*) FROM org_nodes "
                                              "WHERE parent_id IS ?1",
                                              "SELECT " NODE_COLUMNS "FROM org_nodes o "
                                              "WHERE o.parent_id IS ?1 ORDER BY "
                                              "CAST (o.number AS INTEGER), o.number, o.id "
                                              "LIMIT ? OFFSET ?",
                                              parent_id > 0
                                                ? g_variant_new ("(mx)", TRUE, parent_id)
                                                : g_variant_new ("(mx)", FALSE, (gint64)0),
                                              node_from_row));
}

/**
 * gh_org_store_create_child_model:
 * @item: a #GhOrgNode
 * @user_data: the #GhOrgStore
 *
 * A GtkTreeListModelCreateModelFunc for the organization tree.
 *
 * Returns: (transfer full) (nullable): the children of @item, or %NULL for a unit
 */
GListModel *
gh_org_store_create_child_model (gpointer item,
                                 gpointer user_data)
{
  GhOrgNode *node = GH_ORG_NODE (item);

  if (g_strcmp0 (gh_org_node_get_kind (node), "unit") == 0)
    return NULL;

  return gh_org_store_list_children (GH_ORG_STORE (user_data), gh_org_node_get_id (node));
}

static gboolean
check_room_node (GhOrgStore  *self,
                 gint64       node_id,
                 GError     **error)
{
  g_autofree char *kind = NULL;
  const char *wanted;

  if (!read_node (self, node_id, &kind, error))
    return FALSE;

  wanted = gh_org_store_get_levels (self) == GH_ORG_LEVELS_BUILDING ? "building" : "unit";
  if (!g_str_equal (kind, wanted)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Rooms belong to a %s in this community; choose one, not a %s."),
                 wanted, kind);
    return FALSE;
  }

  return TRUE;
}

static void
explain_room_failure (GhOrgStore  *self,
                      const char  *number,
                      GError     **error)
{
  if (gh_database_is_constraint (self->database))
    g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                 _("Room %s already exists here. Choose another number."), number);
  else
    gh_database_fail (self->database, error, "saving a room");
}

/**
 * gh_org_store_add_room:
 * @node_id: the unit (or, without units, the building) of the room
 * @number: the room number, 1 to 6 digits
 *
 * Returns: the new room's id, or 0 with @error set
 */
gint64
gh_org_store_add_room (GhOrgStore   *self,
                       GhSession    *session,
                       gint64        node_id,
                       const char   *number,
                       const char   *name,
                       GError      **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gint64 id = 0;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), 0);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return 0;

  if (!check_room_node (self, node_id, error) || !gh_unlock_code_validate_room (number, error))
    goto out;

  stmt = gh_database_prepare (self->database,
                              "INSERT INTO rooms (org_node_id, number, name) VALUES (?, ?, ?)",
                              error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_int64 (stmt, 1, node_id);
  sqlite3_bind_text (stmt, 2, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name ? name : "", -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE) {
    explain_room_failure (self, number, error);
    goto out;
  }

  id = gh_database_last_insert_id (self->database);
  if (!gh_database_auditf (self->database, session, error, "room.add", "room", id, "%s %s",
                           number, name ? name : ""))
    id = 0;

out:
  if (!gh_database_end_write (self->database, id > 0, "rooms", error))
    return 0;

  return id;
}

gboolean
gh_org_store_update_room (GhOrgStore   *self,
                          GhSession    *session,
                          gint64        id,
                          const char   *number,
                          const char   *name,
                          GError      **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return FALSE;

  if (!gh_unlock_code_validate_room (number, error))
    goto out;

  stmt = gh_database_prepare (self->database,
                              "UPDATE rooms SET number = ?, name = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name ? name : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, id);
  if (sqlite3_step (stmt) != SQLITE_DONE) {
    explain_room_failure (self, number, error);
    goto out;
  }

  if (gh_database_changes (self->database) == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The room no longer exists; refresh the list."));
    goto out;
  }

  ok = gh_database_auditf (self->database, session, error, "room.update", "room", id, "%s %s",
                           number, name ? name : "");

out:
  return gh_database_end_write (self->database, ok, "rooms", error);
}

/* Queues the removal of the registration numbers of a room from their devices. */
static gboolean
queue_room_numbers_removal (GhOrgStore  *self,
                            gint64       room_id,
                            GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  stmt = gh_database_prepare (self->database,
                              "SELECT device_id, id FROM registration_numbers WHERE room_id = ?",
                              error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, room_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gint64 pair[2] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };

    g_array_append_vals (pairs, pair, 2);
  }
  if (rc != SQLITE_DONE)
    return gh_database_fail (self->database, error, "reading registration numbers");

  gh_stmt_release (g_steal_pointer (&stmt));

  for (guint i = 0; i + 1 < pairs->len; i += 2)
    if (gh_database_enqueue_sync (self->database, g_array_index (pairs, gint64, i),
                                  "registration-number", g_array_index (pairs, gint64, i + 1),
                                  "delete", error) == 0)
      return FALSE;

  return TRUE;
}

/**
 * gh_org_store_remove_room:
 *
 * Removes the room together with its registration numbers (queuing their removal from the
 * devices) and its sending states. Persons living in the room keep their records, without
 * the room.
 */
gboolean
gh_org_store_remove_room (GhOrgStore   *self,
                          GhSession    *session,
                          gint64        id,
                          GError      **error)
{
  g_autoptr(GhRoom) room = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return FALSE;

  room = gh_org_store_get_room (self, id, error);
  ok = room != NULL &&
       queue_room_numbers_removal (self, id, error) &&
       gh_database_exec_id (self->database, "DELETE FROM rooms WHERE id = ?", id,
                            _("The room no longer exists; refresh the list."), error) &&
       gh_database_auditf (self->database, session, error, "room.remove", "room", id, "%s",
                           gh_room_get_path (room));

  if (ok) {
    gh_database_touch (self->database, "registration-numbers");
    gh_database_touch (self->database, "persons");
  }

  return gh_database_end_write (self->database, ok, "rooms", error);
}

GhRoom *
gh_org_store_get_room (GhOrgStore  *self,
                       gint64       id,
                       GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT " ROOM_COLUMNS ROOM_FROM "WHERE r.id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return room_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The room no longer exists; refresh the list."));
  else
    gh_database_fail (self->database, error, "reading a room");

  return NULL;
}

/**
 * gh_org_store_find_room:
 * @path: an organization path such as `02#01#302` (or `02#302` without units)
 *
 * Returns: the room's id, or 0 with @error set
 */
gint64
gh_org_store_find_room (GhOrgStore  *self,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  GhOrgPath parsed;
  GhOrgLevels levels;
  int rc;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), 0);

  levels = gh_org_store_get_levels (self);
  if (!gh_org_path_parse (levels, path, &parsed, error))
    return 0;

  stmt = gh_database_prepare (self->database,
                              "SELECT r.id FROM rooms r JOIN org_nodes n ON n.id = r.org_node_id "
                              "LEFT JOIN org_nodes pn ON pn.id = n.parent_id WHERE r.number = ?1 "
                              "AND ((n.kind = 'unit' AND n.number = ?2 AND pn.number = ?3) OR "
                              "(n.kind = 'building' AND ?2 = '' AND n.number = ?3))", error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, parsed.room, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, parsed.unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, parsed.building, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND, _("There is no room %s."), path);
  else
    gh_database_fail (self->database, error, "finding a room");

  return 0;
}

/**
 * gh_org_store_list_rooms:
 * @node_id: rooms below this node (building or unit), or 0 for all rooms
 *
 * Returns: (transfer full): a #GListModel of #GhRoom ordered by building, unit and room number,
 *   following changes
 */
GListModel *
gh_org_store_list_rooms (GhOrgStore *self,
                         gint64      node_id)
{
  g_return_val_if_fail (GH_IS_ORG_STORE (self), NULL);

  return G_LIST_MODEL (gh_sql_list_model_new (self->database, GH_TYPE_ROOM, "rooms",
                                              NODES_BELOW ("1")
                                              "SELECT count(*) FROM rooms "
                                              "WHERE org_node_id IN sub",
                                              NODES_BELOW ("1")
                                              "SELECT " ROOM_COLUMNS ROOM_FROM
                                              "WHERE r.org_node_id IN sub" ROOM_ORDER
                                              " LIMIT ? OFFSET ?",
                                              node_id > 0
                                                ? g_variant_new ("(mx)", TRUE, node_id)
                                                : g_variant_new ("(mx)", FALSE, (gint64)0),
                                              room_from_row));
}

/* Marks the sending state pending and queues a push for every device keeping the room's
 * unlock password. */
static gboolean
queue_unlock_password (GhOrgStore  *self,
                       gint64       room_id,
                       const char  *operation,
                       GError     **error)
{
  g_autoptr(GArray) devices = NULL;

  devices = gh_database_query_ids (self->database, ROOM_DEVICES, room_id,
                                   "reading a room's devices", error);
  if (devices == NULL)
    return FALSE;

  for (guint i = 0; i < devices->len; i++) {
    g_autoptr(GhStmt) status = NULL;
    gint64 device = g_array_index (devices, gint64, i);

    status = gh_database_prepare (self->database,
                                  "INSERT INTO room_device_status (room_id, device_id, status) "
                                  "VALUES (?1, ?2, 'pending') ON CONFLICT (room_id, device_id) "
                                  "DO UPDATE SET status = 'pending', error = NULL, "
                                  "updated = unixepoch ()", error);
    if (status == NULL)
      return FALSE;

    sqlite3_bind_int64 (status, 1, room_id);
    sqlite3_bind_int64 (status, 2, device);
    if (!gh_database_step_done (self->database, status, error) ||
        gh_database_enqueue_sync (self->database, device, "room-password", room_id, operation,
                                  error) == 0)
      return FALSE;
  }

  return TRUE;
}

/**
 * gh_org_store_set_unlock_password:
 * @password: (nullable): 6 to 8 digits, or %NULL to remove the password
 *
 * Stores the password and queues it for the devices of the room (see #GhOrgStore).
 */
gboolean
gh_org_store_set_unlock_password (GhOrgStore   *self,
                                  GhSession    *session,
                                  gint64        room_id,
                                  const char   *password,
                                  GError      **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), FALSE);

  if (password != NULL && !gh_unlock_code_validate_password (password, error))
    return FALSE;

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return FALSE;

  stmt = gh_database_prepare (self->database,
                              "UPDATE rooms SET unlock_password = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto out;

  gh_stmt_bind_text (stmt, 1, password);
  sqlite3_bind_int64 (stmt, 2, room_id);
  if (!gh_database_step_done (self->database, stmt, error))
    goto out;

  if (gh_database_changes (self->database) == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The room no longer exists; refresh the list."));
    goto out;
  }

  ok = queue_unlock_password (self, room_id, password ? "upsert" : "delete", error) &&
       gh_database_auditf (self->database, session, error,
                           password ? "room.unlock-password.set" : "room.unlock-password.remove",
                           "room", room_id, "%s", "");

out:
  return gh_database_end_write (self->database, ok, "rooms", error);
}

/**
 * gh_org_store_resend_unlock_password:
 *
 * Queues the room's current unlock password for its devices again (the manual send button).
 */
gboolean
gh_org_store_resend_unlock_password (GhOrgStore  *self,
                                     GhSession   *session,
                                     gint64       room_id,
                                     GError     **error)
{
  gint64 has;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SYNC_RUN, error))
    return FALSE;

  has = gh_database_query_int (self->database,
                               "SELECT count(*) FROM rooms WHERE id = ? AND "
                               "unlock_password IS NOT NULL", room_id, error);
  if (has == 0)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The room has no unlock password to send; set one first."));

  ok = has > 0 &&
       queue_unlock_password (self, room_id, "upsert", error) &&
       gh_database_auditf (self->database, session, error, "room.unlock-password.resend",
                           "room", room_id, "%s", "");

  return gh_database_end_write (self->database, ok, "rooms", error);
}

/**
 * gh_org_store_get_unlock_password:
 *
 * Needs %GH_PERMISSION_COMMUNITY_WRITE.
 *
 * Returns: (transfer full) (nullable): the password, or %NULL if none is set
 */
char *
gh_org_store_get_unlock_password (GhOrgStore   *self,
                                  GhSession    *session,
                                  gint64        room_id,
                                  GError      **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), NULL);

  if (!gh_session_check (session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return NULL;

  stmt = gh_database_prepare (self->database,
                              "SELECT unlock_password FROM rooms WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, room_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return gh_stmt_dup_text (stmt, 0);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The room no longer exists; refresh the list."));
  else
    gh_database_fail (self->database, error, "reading a room");

  return NULL;
}

/**
 * gh_org_store_set_room_device_status:
 * @status: pending, sent or failed
 * @error_text: (nullable): why sending failed
 *
 * Records the outcome of sending a room's unlock password to a device (needs
 * %GH_PERMISSION_SYNC_RUN).
 */
gboolean
gh_org_store_set_room_device_status (GhOrgStore  *self,
                                     GhSession   *session,
                                     gint64       room_id,
                                     gint64       device_id,
                                     const char  *status,
                                     const char  *error_text,
                                     GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), FALSE);

  if (g_strcmp0 (status, "pending") != 0 && g_strcmp0 (status, "sent") != 0 &&
      g_strcmp0 (status, "failed") != 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Unknown sending status “%s”: use pending, sent or failed."),
                 status ? status : "");
    return FALSE;
  }

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SYNC_RUN, error))
    return FALSE;

  stmt = gh_database_prepare (self->database,
                              "INSERT INTO room_device_status (room_id, device_id, status, error) "
                              "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (room_id, device_id) DO UPDATE "
                              "SET status = ?3, error = ?4, updated = unixepoch ()", error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_int64 (stmt, 1, room_id);
  sqlite3_bind_int64 (stmt, 2, device_id);
  sqlite3_bind_text (stmt, 3, status, -1, SQLITE_STATIC);
  gh_stmt_bind_text (stmt, 4, error_text);
  if (sqlite3_step (stmt) != SQLITE_DONE) {
    if (gh_database_is_constraint (self->database))
      g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                   _("The room or the device no longer exists."));
    else
      gh_database_fail (self->database, error, "saving a sending status");
    goto out;
  }

  ok = gh_database_auditf (self->database, session, error, "room.unlock-password.status", "room",
                           room_id, "device %" G_GINT64_FORMAT ": %s%s%s", device_id, status,
                           error_text ? ", " : "", error_text ? error_text : "");

out:
  return gh_database_end_write (self->database, ok, "rooms", error);
}

/**
 * gh_org_store_list_room_device_status:
 *
 * Returns: (transfer full) (element-type GhRoomDeviceStatus): the sending state of the room's
 *   unlock password on each device
 */
GPtrArray *
gh_org_store_list_room_device_status (GhOrgStore  *self,
                                      gint64       room_id,
                                      GError     **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_ORG_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT s.device_id, d.name, s.status, s.error, s.updated "
                              "FROM room_device_status s JOIN devices d ON d.id = s.device_id "
                              "WHERE s.room_id = ? ORDER BY d.name, d.id", error);
  if (stmt == NULL)
    return NULL;

  result = g_ptr_array_new_with_free_func ((GDestroyNotify)gh_room_device_status_free);
  sqlite3_bind_int64 (stmt, 1, room_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    GhRoomDeviceStatus *status = g_new0 (GhRoomDeviceStatus, 1);

    status->device_id = sqlite3_column_int64 (stmt, 0);
    status->device_name = gh_stmt_dup_text (stmt, 1);
    status->status = gh_stmt_dup_text (stmt, 2);
    status->error = gh_stmt_dup_text (stmt, 3);
    status->updated = sqlite3_column_int64 (stmt, 4);
    g_ptr_array_add (result, status);
  }

  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading sending states");
    return NULL;
  }

  return g_steal_pointer (&result);
}
