/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-dial-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-dial-store.h"
#include "gh-database-private.h"
#include "gh-registration-private.h"
#include "gh-sql-list-model.h"

#include "gh-error.h"
#include "gh-numbering.h"

/**
 * GhDialStore:
 *
 * Dial management: the registration numbers through which devices call each other. The
 * numbers are built by the core numbering rules from the organization (building, unit, room,
 * extension) or from a station's own number. Changes need %GH_PERMISSION_COMMUNITY_WRITE and
 * queue a push of the number to the device (and, for an indoor monitor, to the door stations
 * of its unit or building). A registration number goes away with its room or its device.
 */
struct _GhDialStore
{
  GObject     parent_instance;

  GhDatabase *database;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhDialStore, gh_dial_store, G_TYPE_OBJECT)

#define REG_COLUMNS \
  "g.id, g.device_id, d.name, g.kind, g.number, g.room_id, g.org_node_id, g.extension "
#define REG_FROM " FROM registration_numbers g JOIN devices d ON d.id = g.device_id "
/* The building and unit numbers of an organization node (a unit or a building). */
#define NODE_NUMBERS \
  "SELECT CASE n.kind WHEN 'unit' THEN pn.number ELSE n.number END, " \
  "CASE n.kind WHEN 'unit' THEN n.number ELSE NULL END, n.kind " \
  "FROM org_nodes n LEFT JOIN org_nodes pn ON pn.id = n.parent_id WHERE n.id = ?"

static gpointer
registration_from_row (GhStmt *stmt)
{
  GhRegistration *reg = gh_registration_new_row ();

  gh_registration_set_id (reg, sqlite3_column_int64 (stmt, 0));
  gh_registration_set_device_id (reg, sqlite3_column_int64 (stmt, 1));
  gh_registration_set_device_name (reg, (const char *)sqlite3_column_text (stmt, 2));
  gh_registration_set_kind (reg, (const char *)sqlite3_column_text (stmt, 3));
  gh_registration_set_number (reg, (const char *)sqlite3_column_text (stmt, 4));
  gh_registration_set_room_id (reg, sqlite3_column_int64 (stmt, 5));
  gh_registration_set_org_node_id (reg, sqlite3_column_int64 (stmt, 6));
  gh_registration_set_extension (reg, sqlite3_column_type (stmt, 7) == SQLITE_NULL
                                        ? GH_NUMBERING_NO_EXTENSION
                                        : sqlite3_column_int (stmt, 7));

  return reg;
}

static GhOrgLevels
get_levels (GhDialStore *self)
{
  g_autofree char *value = gh_database_get_setting (self->database, "org-levels");

  return g_strcmp0 (value, "building") == 0 ? GH_ORG_LEVELS_BUILDING
                                            : GH_ORG_LEVELS_BUILDING_UNIT;
}

/* Reads the device's kind; fails unless it is one of @kinds. */
static gboolean
check_device (GhDialStore         *self,
              gint64               device_id,
              const char * const  *kinds,
              GhRegKind           *out_kind,
              GError             **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  const char *kind;

  stmt = gh_database_prepare (self->database, "SELECT kind, name FROM devices WHERE id = ?",
                              error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, device_id);
  if (sqlite3_step (stmt) != SQLITE_ROW) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The device no longer exists; refresh the list."));
    return FALSE;
  }

  kind = (const char *)sqlite3_column_text (stmt, 0);
  if (!g_strv_contains (kinds, kind) || !gh_reg_kind_from_string (kind, out_kind)) {
    g_autofree char *wanted = g_strjoinv (", ", (char **)kinds);

    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("“%s” is a %s; choose a device of type %s."),
                 sqlite3_column_text (stmt, 1), kind, wanted);
    return FALSE;
  }

  return TRUE;
}

/* The building and unit numbers of @node_id, which must be where rooms and door stations
 * live (a unit, or a building without units). */
static gboolean
read_node_numbers (GhDialStore  *self,
                   gint64        node_id,
                   char        **out_building,
                   char        **out_unit,
                   GError      **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  const char *wanted = get_levels (self) == GH_ORG_LEVELS_BUILDING ? "building" : "unit";

  stmt = gh_database_prepare (self->database, NODE_NUMBERS, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, node_id);
  if (sqlite3_step (stmt) != SQLITE_ROW) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The building or unit no longer exists; refresh the list."));
    return FALSE;
  }

  if (g_strcmp0 ((const char *)sqlite3_column_text (stmt, 2), wanted) != 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Choose a %s: numbers are given per %s in this community."), wanted, wanted);
    return FALSE;
  }

  *out_building = gh_stmt_dup_text (stmt, 0);
  *out_unit = gh_stmt_dup_text (stmt, 1);

  return TRUE;
}

/* A VTH number may not clash with another of the same room (11#01#11 and 11#01#11#0 name the
 * same main monitor). */
static gboolean
check_vth_conflicts (GhDialStore        *self,
                     gint64              room_id,
                     const GhRegNumber  *number,
                     GError            **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  GhOrgLevels levels = get_levels (self);
  int rc;

  stmt = gh_database_prepare (self->database,
                              "SELECT g.number, d.name FROM registration_numbers g "
                              "JOIN devices d ON d.id = g.device_id "
                              "WHERE g.room_id = ? AND g.kind = 'vth'", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, room_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    GhRegNumber other;

    if (gh_reg_number_parse (GH_REG_KIND_VTH, levels, (const char *)sqlite3_column_text (stmt, 0),
                             &other, NULL) &&
        gh_reg_number_conflicts (number, &other)) {
      g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                   _("The number clashes with %s of “%s” in the same room. Use another "
                     "extension."), sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1));
      return FALSE;
    }
  }

  if (rc != SQLITE_DONE)
    return gh_database_fail (self->database, error, "reading registration numbers");

  return TRUE;
}

static gint64
insert_number (GhDialStore        *self,
               GhSession          *session,
               gint64              device_id,
               const GhRegNumber  *number,
               gint64              node_id,
               gint64              room_id,
               GError            **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autoptr(GhStmt) vtos = NULL;
  g_autofree char *text = gh_reg_number_format (number);
  gint64 id;
  int rc;

  stmt = gh_database_prepare (self->database,
                              "INSERT INTO registration_numbers (device_id, kind, number, "
                              "org_node_id, room_id, extension) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, device_id);
  sqlite3_bind_text (stmt, 2, gh_reg_kind_to_string (number->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
  gh_stmt_bind_id (stmt, 4, node_id);
  gh_stmt_bind_id (stmt, 5, room_id);
  if (number->extension != GH_NUMBERING_NO_EXTENSION)
    sqlite3_bind_int (stmt, 6, number->extension);

  if (sqlite3_step (stmt) != SQLITE_DONE) {
    g_autoptr(GhRegistration) holder = NULL;

    if (gh_database_is_constraint (self->database) &&
        (holder = gh_dial_store_find (self, text, NULL)) != NULL)
      g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                   _("The registration number %s is already used by “%s”."), text,
                   gh_registration_get_device_name (holder));
    else
      gh_database_fail (self->database, error, "adding a registration number");
    return 0;
  }

  id = gh_database_last_insert_id (self->database);
  gh_stmt_release (g_steal_pointer (&stmt));

  if (gh_database_enqueue_sync (self->database, device_id, "registration-number", id, "upsert",
                                error) == 0)
    return 0;

  /* The door stations of the unit or building learn the indoor monitor's number too. */
  if (number->kind == GH_REG_KIND_VTH) {
    g_autoptr(GArray) devices = g_array_new (FALSE, FALSE, sizeof (gint64));

    vtos = gh_database_prepare (self->database,
                                "SELECT DISTINCT device_id FROM registration_numbers "
                                "WHERE kind = 'vto' AND org_node_id = ?", error);
    if (vtos == NULL)
      return 0;

    sqlite3_bind_int64 (vtos, 1, node_id);
    while ((rc = sqlite3_step (vtos)) == SQLITE_ROW) {
      gint64 vto = sqlite3_column_int64 (vtos, 0);

      g_array_append_val (devices, vto);
    }
    gh_stmt_release (g_steal_pointer (&vtos));

    for (guint i = 0; i < devices->len; i++)
      if (gh_database_enqueue_sync (self->database, g_array_index (devices, gint64, i),
                                    "registration-number", id, "upsert", error) == 0)
        return 0;
  }

  if (!gh_database_auditf (self->database, session, error, "registration.add", "device",
                           device_id, "%s", text))
    return 0;

  return id;
}

static void
gh_dial_store_dispose (GObject *object)
{
  GhDialStore *self = (GhDialStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_dial_store_parent_class)->dispose (object);
}

static void
gh_dial_store_class_init (GhDialStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_dial_store_dispose;
}

static void
gh_dial_store_init (GhDialStore *self)
{
}

GhDialStore *
gh_dial_store_new (GhDatabase *database)
{
  GhDialStore *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  self = g_object_new (GH_TYPE_DIAL_STORE, NULL);
  self->database = g_object_ref (database);

  return self;
}

/**
 * gh_dial_store_add_vth:
 * @extension: 0–9 when the room has more than one indoor monitor, or
 *   %GH_NUMBERING_NO_EXTENSION
 *
 * Registers an indoor monitor for a room: `building#unit#room[#extension]`.
 *
 * Returns: the new number's id, or 0 with @error set
 */
gint64
gh_dial_store_add_vth (GhDialStore  *self,
                       GhSession    *session,
                       gint64        device_id,
                       gint64        room_id,
                       int           extension,
                       GError      **error)
{
  static const char * const kinds[] = { "vth", NULL };
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *building = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *room = NULL;
  GhRegNumber number;
  GhRegKind kind;
  gint64 node_id = 0;
  gint64 id = 0;

  g_return_val_if_fail (GH_IS_DIAL_STORE (self), 0);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return 0;

  if (!check_device (self, device_id, kinds, &kind, error))
    goto out;

  stmt = gh_database_prepare (self->database,
                              "SELECT org_node_id, number FROM rooms WHERE id = ?", error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_int64 (stmt, 1, room_id);
  if (sqlite3_step (stmt) != SQLITE_ROW) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The room no longer exists; refresh the list."));
    goto out;
  }
  node_id = sqlite3_column_int64 (stmt, 0);
  room = gh_stmt_dup_text (stmt, 1);
  gh_stmt_release (g_steal_pointer (&stmt));

  if (read_node_numbers (self, node_id, &building, &unit, error) &&
      gh_reg_number_build_vth (get_levels (self), building, unit, room, extension, &number,
                               error) &&
      check_vth_conflicts (self, room_id, &number, error))
    id = insert_number (self, session, device_id, &number, node_id, room_id, error);

out:
  if (!gh_database_end_write (self->database, id > 0, "registration-numbers", error))
    return 0;

  return id;
}

/**
 * gh_dial_store_add_vto:
 * @node_id: the unit (or, without units, the building) of the door station
 * @vto_number: the door station's own number, e.g. "8055"
 * @last_two: the two digits the installer typed; must equal the last two of @vto_number
 *
 * Registers a door station: `building#unit#number`.
 *
 * Returns: the new number's id, or 0 with @error set
 */
gint64
gh_dial_store_add_vto (GhDialStore  *self,
                       GhSession    *session,
                       gint64        device_id,
                       gint64        node_id,
                       const char   *vto_number,
                       const char   *last_two,
                       GError      **error)
{
  static const char * const kinds[] = { "vto", NULL };
  g_autofree char *building = NULL;
  g_autofree char *unit = NULL;
  GhRegNumber number;
  GhRegKind kind;
  gint64 id = 0;

  g_return_val_if_fail (GH_IS_DIAL_STORE (self), 0);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return 0;

  if (check_device (self, device_id, kinds, &kind, error) &&
      read_node_numbers (self, node_id, &building, &unit, error) &&
      gh_reg_number_build_vto (get_levels (self), building, unit, vto_number, last_two, &number,
                               error))
    id = insert_number (self, session, device_id, &number, node_id, 0, error);

  if (!gh_database_end_write (self->database, id > 0, "registration-numbers", error))
    return 0;

  return id;
}

/**
 * gh_dial_store_add_station:
 * @station_number: the station's own number, e.g. "101"
 * @last_two: the two digits the installer typed; must equal the last two of @station_number
 *
 * Registers a master (VTS), fence or villa station by its own number.
 *
 * Returns: the new number's id, or 0 with @error set
 */
gint64
gh_dial_store_add_station (GhDialStore  *self,
                           GhSession    *session,
                           gint64        device_id,
                           const char   *station_number,
                           const char   *last_two,
                           GError      **error)
{
  static const char * const kinds[] = { "vts", "fence", "villa", NULL };
  GhRegNumber number;
  GhRegKind kind;
  gint64 id = 0;

  g_return_val_if_fail (GH_IS_DIAL_STORE (self), 0);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return 0;

  if (check_device (self, device_id, kinds, &kind, error) &&
      gh_reg_number_build_station (kind, station_number, last_two, &number, error))
    id = insert_number (self, session, device_id, &number, 0, 0, error);

  if (!gh_database_end_write (self->database, id > 0, "registration-numbers", error))
    return 0;

  return id;
}

gboolean
gh_dial_store_remove (GhDialStore  *self,
                      GhSession    *session,
                      gint64        id,
                      GError      **error)
{
  g_autoptr(GhRegistration) reg = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_DIAL_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return FALSE;

  reg = gh_dial_store_get (self, id, error);
  ok = reg != NULL &&
       gh_database_enqueue_sync (self->database, gh_registration_get_device_id (reg),
                                 "registration-number", id, "delete", error) > 0 &&
       gh_database_exec_id (self->database, "DELETE FROM registration_numbers WHERE id = ?", id,
                            _("The registration number no longer exists; refresh the list."),
                            error) &&
       gh_database_auditf (self->database, session, error, "registration.remove", "device",
                           gh_registration_get_device_id (reg), "%s",
                           gh_registration_get_number (reg));

  if (ok)
    gh_database_touch (self->database, "devices");

  return gh_database_end_write (self->database, ok, "registration-numbers", error);
}

GhRegistration *
gh_dial_store_get (GhDialStore  *self,
                   gint64        id,
                   GError      **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_DIAL_STORE (self), NULL);

  stmt = gh_database_prepare (self->database, "SELECT " REG_COLUMNS REG_FROM "WHERE g.id = ?",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return registration_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The registration number no longer exists; refresh the list."));
  else
    gh_database_fail (self->database, error, "reading a registration number");

  return NULL;
}

/**
 * gh_dial_store_find:
 * @number: a registration number as text
 *
 * Returns: (transfer full): the registration, or %NULL with @error set
 */
GhRegistration *
gh_dial_store_find (GhDialStore  *self,
                    const char   *number,
                    GError      **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_DIAL_STORE (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT " REG_COLUMNS REG_FROM "WHERE g.number = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return registration_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("No device has the registration number %s."), number);
  else
    gh_database_fail (self->database, error, "reading a registration number");

  return NULL;
}

/**
 * gh_dial_store_list:
 * @device_id: numbers of this device, or 0 for all
 *
 * Returns: (transfer full): a #GListModel of #GhRegistration ordered by kind and number,
 *   following changes
 */
GListModel *
gh_dial_store_list (GhDialStore *self,
                    gint64       device_id)
{
  g_return_val_if_fail (GH_IS_DIAL_STORE (self), NULL);

  return G_LIST_MODEL (gh_sql_list_model_new (self->database, GH_TYPE_REGISTRATION,
                                              "registration-numbers",
                                              "SELECT count(*) FROM registration_numbers "
                                              "WHERE ?1 = 0 OR device_id = ?1",
                                              "SELECT " REG_COLUMNS REG_FROM
                                              "WHERE ?1 = 0 OR g.device_id = ?1 "
                                              "ORDER BY g.kind, g.number LIMIT ? OFFSET ?",
                                              g_variant_new ("(x)", device_id),
                                              registration_from_row));
}
