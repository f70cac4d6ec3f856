/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-device-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-device-store.h"
#include "gh-database-private.h"
#include "gh-device-private.h"
#include "gh-sql-list-model.h"

#include "gh-error.h"
#include "gh-secret-box.h"

/**
 * GhDeviceStore:
 *
 * The devices of the community. Adding, changing and removing devices needs
 * %GH_PERMISSION_DEVICES_WRITE; the status and probe results that the protocol layer observes
 * are recorded with %GH_PERMISSION_DEVICES_READ and audited only when they change. The device
 * password is kept as an opaque, already encrypted blob (`secret_enc`).
 */
struct _GhDeviceStore
{
  GObject     parent_instance;

  GhDatabase *database;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhDeviceStore, gh_device_store, G_TYPE_OBJECT)

#define DEVICE_COLUMNS \
  "d.id, d.kind, d.name, d.host, d.port, d.username, d.driver, d.status, d.model, d.serial, " \
  "d.firmware, d.door_count, d.last_seen, " \
  "(SELECT r.number FROM registration_numbers r WHERE r.device_id = d.id ORDER BY r.id LIMIT 1), " \
  "d.https "

static const char * const kinds[] = { "vto", "vth", "vts", "fence", "villa", NULL };
static const char * const statuses[] = {
  "unknown", "online", "offline", "auth-failed", "error", NULL
};

static gpointer
device_from_row (GhStmt *stmt)
{
  GhDevice *device = gh_device_new_row ();

  gh_device_set_id (device, sqlite3_column_int64 (stmt, 0));
  gh_device_set_kind (device, (const char *)sqlite3_column_text (stmt, 1));
  gh_device_set_name (device, (const char *)sqlite3_column_text (stmt, 2));
  gh_device_set_host (device, (const char *)sqlite3_column_text (stmt, 3));
  gh_device_set_port (device, sqlite3_column_int (stmt, 4));
  gh_device_set_username (device, (const char *)sqlite3_column_text (stmt, 5));
  gh_device_set_driver (device, (const char *)sqlite3_column_text (stmt, 6));
  gh_device_set_status (device, (const char *)sqlite3_column_text (stmt, 7));
  gh_device_set_model (device, (const char *)sqlite3_column_text (stmt, 8));
  gh_device_set_serial (device, (const char *)sqlite3_column_text (stmt, 9));
  gh_device_set_firmware (device, (const char *)sqlite3_column_text (stmt, 10));
  gh_device_set_door_count (device, sqlite3_column_int (stmt, 11));
  gh_device_set_last_seen (device, sqlite3_column_int64 (stmt, 12));
  gh_device_set_registration_number (device, (const char *)sqlite3_column_text (stmt, 13));
  gh_device_set_https (device, sqlite3_column_int (stmt, 14) != 0);

  return device;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;

  return TRUE;
}

static gboolean
validate_device (GhDevice  *device,
                 GError   **error)
{
  const char *kind = gh_device_get_kind (device);
  const char *host = gh_device_get_host (device);

  if (kind == NULL || !g_strv_contains (kinds, kind)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Unknown device type “%s”: use vto, vth, vts, fence or villa."),
                 kind ? kind : "");
    return FALSE;
  }

  if (is_blank (gh_device_get_name (device))) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Enter a name for the device."));
    return FALSE;
  }

  if (is_blank (host) || strpbrk (host, " /?#@") != NULL) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("“%s” is not a host name or IP address; enter e.g. 192.168.1.108."),
                 host ? host : "");
    return FALSE;
  }

  if (gh_device_get_port (device) < 1 || gh_device_get_port (device) > 65535) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The port %d is out of range: use 1 to 65535."), gh_device_get_port (device));
    return FALSE;
  }

  if (is_blank (gh_device_get_driver (device))) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Choose the driver that talks to the device."));
    return FALSE;
  }

  if (gh_device_get_door_count (device) < 0 || gh_device_get_door_count (device) > 16) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("A device has 0 to 16 doors, not %d."), gh_device_get_door_count (device));
    return FALSE;
  }

  return TRUE;
}

/* After a failed write: explain a taken address, or report the database error. */
static void
explain_failure (GhDeviceStore  *self,
                 GhDevice       *device,
                 GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;

  if (gh_database_is_constraint (self->database)) {
    stmt = gh_database_prepare (self->database,
                                "SELECT name FROM devices WHERE host = ? AND port = ? AND id <> ?",
                                NULL);
    if (stmt != NULL) {
      sqlite3_bind_text (stmt, 1, gh_device_get_host (device), -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, gh_device_get_port (device));
      sqlite3_bind_int64 (stmt, 3, gh_device_get_id (device));
      if (sqlite3_step (stmt) == SQLITE_ROW) {
        g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                     _("The device at %s port %d is already added as “%s”."),
                     gh_device_get_host (device), gh_device_get_port (device),
                     sqlite3_column_text (stmt, 0));
        return;
      }
    }
  }

  gh_database_fail (self->database, error, "saving a device");
}

static void
bind_device (GhStmt   *stmt,
             GhDevice *device)
{
  gh_stmt_bind_text (stmt, 1, gh_device_get_kind (device));
  sqlite3_bind_text (stmt, 2, g_strstrip (g_strdup (gh_device_get_name (device))), -1, g_free);
  gh_stmt_bind_text (stmt, 3, gh_device_get_host (device));
  sqlite3_bind_int (stmt, 4, gh_device_get_port (device));
  sqlite3_bind_text (stmt, 5, gh_device_get_username (device) ?: "", -1, SQLITE_TRANSIENT);
  gh_stmt_bind_text (stmt, 6, gh_device_get_driver (device));
  sqlite3_bind_text (stmt, 7, gh_device_get_model (device) ?: "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, gh_device_get_serial (device) ?: "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, gh_device_get_firmware (device) ?: "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 10, gh_device_get_door_count (device));
}

static void
gh_device_store_dispose (GObject *object)
{
  GhDeviceStore *self = (GhDeviceStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_device_store_parent_class)->dispose (object);
}

static void
gh_device_store_class_init (GhDeviceStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_device_store_dispose;
}

static void
gh_device_store_init (GhDeviceStore *self)
{
}

GhDeviceStore *
gh_device_store_new (GhDatabase *database)
{
  GhDeviceStore *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  self = g_object_new (GH_TYPE_DEVICE_STORE, NULL);
  self->database = g_object_ref (database);

  return self;
}

/**
 * gh_device_store_add:
 *
 * Returns: the new device's id (also set on @device), or 0 with @error set
 *   (%GH_ERROR_EXISTS when another device has the same host and port)
 */
gint64
gh_device_store_add (GhDeviceStore  *self,
                     GhSession      *session,
                     GhDevice       *device,
                     GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gint64 id = 0;

  g_return_val_if_fail (GH_IS_DEVICE_STORE (self), 0);
  g_return_val_if_fail (GH_IS_DEVICE (device), 0);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_DEVICES_WRITE, error))
    return 0;

  if (!validate_device (device, error))
    goto out;

  stmt = gh_database_prepare (self->database,
                              "INSERT INTO devices (kind, name, host, port, username, driver, "
                              "model, serial, firmware, door_count) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto out;

  bind_device (stmt, device);
  if (sqlite3_step (stmt) != SQLITE_DONE) {
    explain_failure (self, device, error);
    goto out;
  }

  id = gh_database_last_insert_id (self->database);
  if (!gh_database_auditf (self->database, session, error, "device.add", "device", id,
                           "%s %s at %s:%d", gh_device_get_kind (device),
                           gh_device_get_name (device), gh_device_get_host (device),
                           gh_device_get_port (device)))
    id = 0;

out:
  if (!gh_database_end_write (self->database, id > 0, "devices", error))
    return 0;

  gh_device_set_id (device, id);

  return id;
}

gboolean
gh_device_store_update (GhDeviceStore  *self,
                        GhSession      *session,
                        GhDevice       *device,
                        GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_DEVICE_STORE (self), FALSE);
  g_return_val_if_fail (GH_IS_DEVICE (device), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_DEVICES_WRITE, error))
    return FALSE;

  if (!validate_device (device, error))
    goto out;

  stmt = gh_database_prepare (self->database,
                              "UPDATE devices SET kind = ?, name = ?, host = ?, port = ?, "
                              "username = ?, driver = ?, model = ?, serial = ?, firmware = ?, "
                              "door_count = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto out;

  bind_device (stmt, device);
  sqlite3_bind_int64 (stmt, 11, gh_device_get_id (device));
  if (sqlite3_step (stmt) != SQLITE_DONE) {
    explain_failure (self, device, error);
    goto out;
  }

  if (gh_database_changes (self->database) == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The device no longer exists; refresh the list."));
    goto out;
  }

  ok = gh_database_auditf (self->database, session, error, "device.update", "device",
                           gh_device_get_id (device), "%s at %s:%d",
                           gh_device_get_name (device), gh_device_get_host (device),
                           gh_device_get_port (device));

out:
  return gh_database_end_write (self->database, ok, "devices", error);
}

/**
 * gh_device_store_remove:
 *
 * Removes the device with its registration numbers, door permissions, pending pushes and
 * sending states. Records read from it stay, without the device.
 */
gboolean
gh_device_store_remove (GhDeviceStore  *self,
                        GhSession      *session,
                        gint64          id,
                        GError        **error)
{
  g_autoptr(GhDevice) device = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_DEVICE_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_DEVICES_WRITE, error))
    return FALSE;

  device = gh_device_store_get (self, id, error);
  ok = device != NULL &&
       gh_database_exec_id (self->database, "DELETE FROM devices WHERE id = ?", id,
                            _("The device no longer exists; refresh the list."), error) &&
       gh_database_auditf (self->database, session, error, "device.remove", "device", id,
                           "%s at %s:%d", gh_device_get_name (device),
                           gh_device_get_host (device), gh_device_get_port (device));

  if (ok) {
    /* Registration numbers, call groups and rooms' sending states went with it. */
    gh_database_touch (self->database, "registration-numbers");
    gh_database_touch (self->database, "call-groups");
    gh_database_touch (self->database, "rooms");
  }

  return gh_database_end_write (self->database, ok, "devices", error);
}

/**
 * gh_device_store_set_secret:
 * @secret_enc: (nullable): the device password, already sealed by the caller (a key box of
 *   gh-secret-box.h; gh_device_secrets_set() seals and stores in one call)
 *
 * Refuses, with %GH_ERROR_INVALID_INPUT, bytes that are not a sealed key box, so a plain
 * password cannot be stored here by mistake.
 */
gboolean
gh_device_store_set_secret (GhDeviceStore  *self,
                            GhSession      *session,
                            gint64          id,
                            GBytes         *secret_enc,
                            GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_DEVICE_STORE (self), FALSE);

  /* A sealed box starts with its version byte, which no typed password does. */
  if (secret_enc != NULL &&
      (g_bytes_get_size (secret_enc) == 0 ||
       *(const guint8 *)g_bytes_get_data (secret_enc, NULL) != GH_SECRET_BOX_VERSION_KEY)) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("A device password must be sealed before it is stored; use "
                           "gh_device_secrets_set()."));
    return FALSE;
  }

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_DEVICES_WRITE, error))
    return FALSE;

  stmt = gh_database_prepare (self->database, "UPDATE devices SET secret_enc = ? WHERE id = ?",
                              error);
  if (stmt == NULL)
    goto out;

  if (secret_enc != NULL) {
    gsize size;
    gconstpointer data = g_bytes_get_data (secret_enc, &size);

    sqlite3_bind_blob64 (stmt, 1, data, size, SQLITE_STATIC);
  }
  sqlite3_bind_int64 (stmt, 2, id);

  if (!gh_database_step_done (self->database, stmt, error))
    goto out;

  if (gh_database_changes (self->database) == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The device no longer exists; refresh the list."));
    goto out;
  }

  ok = gh_database_auditf (self->database, session, error, "device.secret", "device", id, "%s",
                           secret_enc ? "set" : "cleared");

out:
  /* the sync engine builds the device's driver again */
  return gh_database_end_write (self->database, ok, "devices", error);
}

/**
 * gh_device_store_set_https:
 * @https: %TRUE to reach the device over HTTPS, its certificate pinned on first use
 *
 * Needs %GH_PERMISSION_DEVICES_WRITE; audited in the same transaction.
 */
gboolean
gh_device_store_set_https (GhDeviceStore  *self,
                           GhSession      *session,
                           gint64          id,
                           gboolean        https,
                           GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_DEVICE_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_DEVICES_WRITE, error))
    return FALSE;

  stmt = gh_database_prepare (self->database, "UPDATE devices SET https = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_int (stmt, 1, https ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, id);

  if (!gh_database_step_done (self->database, stmt, error))
    goto out;

  if (gh_database_changes (self->database) == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The device no longer exists; refresh the list."));
    goto out;
  }

  ok = gh_database_auditf (self->database, session, error, "device.https", "device", id, "%s",
                           https ? "on" : "off");

out:
  return gh_database_end_write (self->database, ok, "devices", error);
}

/**
 * gh_device_store_get_secret:
 *
 * Needs %GH_PERMISSION_DEVICES_WRITE: only roles that may configure devices read their
 * (encrypted) passwords.
 *
 * Returns: (transfer full) (nullable): the encrypted secret, or %NULL if none is set
 */
GBytes *
gh_device_store_get_secret (GhDeviceStore  *self,
                            GhSession      *session,
                            gint64          id,
                            GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_DEVICE_STORE (self), NULL);

  if (!gh_session_check (session, GH_PERMISSION_DEVICES_WRITE, error))
    return NULL;

  stmt = gh_database_prepare (self->database, "SELECT secret_enc FROM devices WHERE id = ?",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return gh_stmt_dup_bytes (stmt, 0);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The device no longer exists; refresh the list."));
  else
    gh_database_fail (self->database, error, "reading a device");

  return NULL;
}

/**
 * gh_device_store_set_status:
 * @status: unknown, online, offline, auth-failed or error
 * @last_seen: Unix seconds of the last answer, or 0 to keep the stored value
 *
 * Records what the protocol layer observed. A change of status is audited; a repeated status
 * only moves last_seen.
 */
gboolean
gh_device_store_set_status (GhDeviceStore  *self,
                            GhSession      *session,
                            gint64          id,
                            const char     *status,
                            gint64          last_seen,
                            GError        **error)
{
  g_autoptr(GhStmt) read = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *old_status = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_DEVICE_STORE (self), FALSE);

  if (status == NULL || !g_strv_contains (statuses, status)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Unknown device status “%s”."),
                 status ? status : "");
    return FALSE;
  }

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_DEVICES_READ, error))
    return FALSE;

  read = gh_database_prepare (self->database, "SELECT status FROM devices WHERE id = ?", error);
  if (read == NULL)
    goto out;

  sqlite3_bind_int64 (read, 1, id);
  if (sqlite3_step (read) != SQLITE_ROW) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The device no longer exists; refresh the list."));
    goto out;
  }
  old_status = gh_stmt_dup_text (read, 0);

  stmt = gh_database_prepare (self->database,
                              "UPDATE devices SET status = ?, "
                              "last_seen = coalesce (?, last_seen) WHERE id = ?", error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  gh_stmt_bind_id (stmt, 2, last_seen);
  sqlite3_bind_int64 (stmt, 3, id);
  ok = gh_database_step_done (self->database, stmt, error);

  if (ok && g_strcmp0 (old_status, status) != 0)
    ok = gh_database_auditf (self->database, session, error, "device.status", "device", id,
                             "%s → %s", old_status, status);

out:
  return gh_database_end_write (self->database, ok, "devices", error);
}

/**
 * gh_device_store_set_probe_info:
 *
 * Records what a probe of the device reported. Audited when something changed.
 */
gboolean
gh_device_store_set_probe_info (GhDeviceStore  *self,
                                GhSession      *session,
                                gint64          id,
                                const char     *model,
                                const char     *serial,
                                const char     *firmware,
                                int             door_count,
                                GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_DEVICE_STORE (self), FALSE);

  if (door_count < 0 || door_count > 16) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("A device has 0 to 16 doors, not %d."), door_count);
    return FALSE;
  }

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_DEVICES_READ, error))
    return FALSE;

  stmt = gh_database_prepare (self->database,
                              "UPDATE devices SET model = ?1, serial = ?2, firmware = ?3, "
                              "door_count = ?4 WHERE id = ?5 AND (model IS NOT ?1 OR "
                              "serial IS NOT ?2 OR firmware IS NOT ?3 OR door_count IS NOT ?4)",
                              error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_text (stmt, 1, model ? model : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, serial ? serial : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, firmware ? firmware : "", -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, door_count);
  sqlite3_bind_int64 (stmt, 5, id);
  ok = gh_database_step_done (self->database, stmt, error);

  if (ok && gh_database_changes (self->database) > 0)
    ok = gh_database_auditf (self->database, session, error, "device.probe", "device", id,
                             "%s, serial %s, firmware %s, %d doors", model ? model : "",
                             serial ? serial : "", firmware ? firmware : "", door_count);

out:
  return gh_database_end_write (self->database, ok, "devices", error);
}

GhDevice *
gh_device_store_get (GhDeviceStore  *self,
                     gint64          id,
                     GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_DEVICE_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT " DEVICE_COLUMNS "FROM devices d WHERE d.id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return device_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The device no longer exists; refresh the list."));
  else
    gh_database_fail (self->database, error, "reading a device");

  return NULL;
}

/**
 * gh_device_store_list:
 * @kind: (nullable): only devices of this type ("vto", "vth", …), or %NULL for all
 *
 * Returns: (transfer full): a #GListModel of #GhDevice ordered by type and name, following
 *   changes
 */
GListModel *
gh_device_store_list (GhDeviceStore *self,
                      const char    *kind)
{
  g_return_val_if_fail (GH_IS_DEVICE_STORE (self), NULL);

  return G_LIST_MODEL (gh_sql_list_model_new (self->database, GH_TYPE_DEVICE, "devices",
                                              "SELECT count(*) FROM devices "
                                              "WHERE ?1 IS NULL OR kind = ?1",
                                              "SELECT " DEVICE_COLUMNS "FROM devices d "
                                              "WHERE ?1 IS NULL OR d.kind = ?1 "
                                              "ORDER BY d.kind, d.name, d.id LIMIT ? OFFSET ?",
                                              g_variant_new ("(ms)", kind), device_from_row));
}
