/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-notice-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-notice-store.h"
#include "gh-database-private.h"

#include "gh-error.h"

/**
 * GhNoticeStore:
 *
 * Information release: notices (title, text, start time) for door stations and indoor
 * monitors that have a registration number, with the sending state per device. Saving or
 * sending a notice marks its devices pending and queues the push; removing it queues its
 * removal. Changes need %GH_PERMISSION_COMMUNITY_WRITE; recording the outcome of a push needs
 * %GH_PERMISSION_SYNC_RUN.
 */
struct _GhNoticeStore
{
  GObject     parent_instance;

  GhDatabase *database;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhNoticeStore, gh_notice_store, G_TYPE_OBJECT)

#define TITLE_MAX_CHARS 64
#define BODY_MAX_CHARS  256

GhNotice *
gh_notice_new (const char *title,
               const char *body,
               gint64      start_time)
{
  GhNotice *notice = g_new0 (GhNotice, 1);

  notice->title = g_strdup (title);
  notice->body = g_strdup (body);
  notice->start_time = start_time;
  notice->device_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  return notice;
}

void
gh_notice_free (GhNotice *notice)
{
  if (notice == NULL)
    return;

  g_free (notice->title);
  g_free (notice->body);
  g_clear_pointer (&notice->device_ids, g_array_unref);
  g_free (notice);
}

void
gh_notice_device_status_free (GhNoticeDeviceStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->device_name);
  g_free (status->status);
  g_free (status->error);
  g_free (status);
}

static gboolean
validate_notice (GhNoticeStore   *self,
                 const GhNotice  *notice,
                 GError         **error)
{
  g_autofree char *title = g_strstrip (g_strdup (notice->title ? notice->title : ""));

  if (*title == '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Enter a title for the notice."));
    return FALSE;
  }

  if (g_utf8_strlen (title, -1) > TITLE_MAX_CHARS ||
      (notice->body != NULL && g_utf8_strlen (notice->body, -1) > BODY_MAX_CHARS)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The notice is too long for the devices: at most %d characters of title and "
                   "%d of text."), TITLE_MAX_CHARS, BODY_MAX_CHARS);
    return FALSE;
  }

  if (notice->start_time <= 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Set the start time of the notice."));
    return FALSE;
  }

  if (notice->device_ids == NULL || notice->device_ids->len == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Select at least one device to show the notice."));
    return FALSE;
  }

  for (guint i = 0; i < notice->device_ids->len; i++) {
    g_autoptr(GhStmt) stmt = gh_database_prepare (self->database,
                                                  "SELECT d.kind, d.name, EXISTS (SELECT 1 FROM "
                                                  "registration_numbers g WHERE g.device_id = "
                                                  "d.id) FROM devices d WHERE d.id = ?", error);

    if (stmt == NULL)
      return FALSE;

    sqlite3_bind_int64 (stmt, 1, g_array_index (notice->device_ids, gint64, i));
    if (sqlite3_step (stmt) != SQLITE_ROW) {
      g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                   _("A device chosen for the notice no longer exists; refresh the list."));
      return FALSE;
    }

    if (g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "vto") != 0 &&
        g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "vth") != 0) {
      g_set_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED,
                   _("“%s” cannot show notices: only door stations (VTO) and indoor monitors "
                     "(VTH) can."), sqlite3_column_text (stmt, 1));
      return FALSE;
    }

    if (sqlite3_column_int (stmt, 2) == 0) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("“%s” has no registration number yet; give it one in Dial Management "
                     "first."), sqlite3_column_text (stmt, 1));
      return FALSE;
    }
  }

  return TRUE;
}

/* Marks every device of the notice pending and queues the push. */
static gboolean
queue_notice (GhNoticeStore  *self,
              gint64          id,
              const char     *operation,
              GError        **error)
{
  g_autoptr(GArray) devices = NULL;

  devices = gh_database_query_ids (self->database,
                                   "UPDATE notice_devices SET status = 'pending', error = NULL, "
                                   "updated = unixepoch () WHERE notice_id = ? "
                                   "RETURNING device_id", id, "queuing a notice", error);
  if (devices == NULL)
    return FALSE;

  for (guint i = 0; i < devices->len; i++)
    if (gh_database_enqueue_sync (self->database, g_array_index (devices, gint64, i), "notice",
                                  id, operation, error) == 0)
      return FALSE;

  return TRUE;
}

static gint64
save_notice (GhNoticeStore   *self,
             GhSession       *session,
             const GhNotice  *notice,
             GError         **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *title = NULL;
  gint64 id = notice->id;

  if (!validate_notice (self, notice, error))
    return 0;

  title = g_strstrip (g_strdup (notice->title));

  if (id > 0) {
    /* Devices dropped from the notice are told to remove it. */
    stmt = gh_database_prepare (self->database,
                                "SELECT device_id FROM notice_devices WHERE notice_id = ?", error);
    if (stmt == NULL)
      return 0;
    sqlite3_bind_int64 (stmt, 1, id);
    while (sqlite3_step (stmt) == SQLITE_ROW) {
      gint64 device = sqlite3_column_int64 (stmt, 0);
      gboolean kept = FALSE;

      for (guint i = 0; i < notice->device_ids->len && !kept; i++)
        kept = g_array_index (notice->device_ids, gint64, i) == device;
      if (!kept &&
          gh_database_enqueue_sync (self->database, device, "notice", id, "delete", error) == 0)
        return 0;
    }
    gh_stmt_release (g_steal_pointer (&stmt));

    stmt = gh_database_prepare (self->database,
                                "UPDATE notices SET title = ?, body = ?, start_time = ? "
                                "WHERE id = ?", error);
  } else {
    stmt = gh_database_prepare (self->database,
                                "INSERT INTO notices (title, body, start_time, id) "
                                "VALUES (?, ?, ?, NULL)", error);
  }
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, notice->body ? notice->body : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, notice->start_time);
  if (id > 0)
    sqlite3_bind_int64 (stmt, 4, id);

  if (!gh_database_step_done (self->database, stmt, error))
    return 0;

  if (id == 0) {
    id = gh_database_last_insert_id (self->database);
  } else if (gh_database_changes (self->database) == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The notice no longer exists; refresh the list."));
    return 0;
  }
  gh_stmt_release (g_steal_pointer (&stmt));

  stmt = gh_database_prepare (self->database, "DELETE FROM notice_devices WHERE notice_id = ?",
                              error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!gh_database_step_done (self->database, stmt, error))
    return 0;

  for (guint i = 0; i < notice->device_ids->len; i++) {
    g_autoptr(GhStmt) insert = gh_database_prepare (self->database,
                                                    "INSERT OR IGNORE INTO notice_devices "
                                                    "(notice_id, device_id) VALUES (?, ?)",
                                                    error);

    if (insert == NULL)
      return 0;
    sqlite3_bind_int64 (insert, 1, id);
    sqlite3_bind_int64 (insert, 2, g_array_index (notice->device_ids, gint64, i));
    if (!gh_database_step_done (self->database, insert, error))
      return 0;
  }

  if (!queue_notice (self, id, "upsert", error) ||
      !gh_database_auditf (self->database, session, error,
                           notice->id > 0 ? "notice.update" : "notice.add", "notice", id,
                           "%s (%u devices)", title, notice->device_ids->len))
    return 0;

  return id;
}

static void
gh_notice_store_dispose (GObject *object)
{
  GhNoticeStore *self = (GhNoticeStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_notice_store_parent_class)->dispose (object);
}

static void
gh_notice_store_class_init (GhNoticeStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_notice_store_dispose;
}

static void
gh_notice_store_init (GhNoticeStore *self)
{
}

GhNoticeStore *
gh_notice_store_new (GhDatabase *database)
{
  GhNoticeStore *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  self = g_object_new (GH_TYPE_NOTICE_STORE, NULL);
  self->database = g_object_ref (database);

  return self;
}

/**
 * gh_notice_store_add:
 * @notice: the new notice (its id is ignored)
 *
 * Returns: the new notice's id, or 0 with @error set
 */
gint64
gh_notice_store_add (GhNoticeStore   *self,
                     GhSession       *session,
                     const GhNotice  *notice,
                     GError         **error)
{
  GhNotice copy;
  gint64 id;

  g_return_val_if_fail (GH_IS_NOTICE_STORE (self), 0);
  g_return_val_if_fail (notice != NULL, 0);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return 0;

  copy = *notice;
  copy.id = 0;
  id = save_notice (self, session, &copy, error);

  if (!gh_database_end_write (self->database, id > 0, "notices", error))
    return 0;

  return id;
}

gboolean
gh_notice_store_update (GhNoticeStore   *self,
                        GhSession       *session,
                        const GhNotice  *notice,
                        GError         **error)
{
  gboolean ok;

  g_return_val_if_fail (GH_IS_NOTICE_STORE (self), FALSE);
  g_return_val_if_fail (notice != NULL && notice->id > 0, FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return FALSE;

  ok = save_notice (self, session, notice, error) > 0;

  return gh_database_end_write (self->database, ok, "notices", error);
}

gboolean
gh_notice_store_remove (GhNoticeStore  *self,
                        GhSession      *session,
                        gint64          id,
                        GError        **error)
{
  gboolean ok;

  g_return_val_if_fail (GH_IS_NOTICE_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_COMMUNITY_WRITE, error))
    return FALSE;

  ok = queue_notice (self, id, "delete", error) &&
       gh_database_exec_id (self->database, "DELETE FROM notices WHERE id = ?", id,
                            _("The notice no longer exists; refresh the list."), error) &&
       gh_database_auditf (self->database, session, error, "notice.remove", "notice", id, "%s",
                           "");

  return gh_database_end_write (self->database, ok, "notices", error);
}

/**
 * gh_notice_store_send:
 *
 * Sends the notice to its devices again (the manual send button).
 */
gboolean
gh_notice_store_send (GhNoticeStore  *self,
                      GhSession      *session,
                      gint64          id,
                      GError        **error)
{
  gboolean ok;

  g_return_val_if_fail (GH_IS_NOTICE_STORE (self), FALSE);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SYNC_RUN, error))
    return FALSE;

  ok = gh_database_query_int (self->database, "SELECT count(*) FROM notices WHERE id = ?", id,
                              error) > 0;
  if (!ok && (error == NULL || *error == NULL))
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The notice no longer exists; refresh the list."));

  ok = ok &&
       queue_notice (self, id, "upsert", error) &&
       gh_database_auditf (self->database, session, error, "notice.send", "notice", id, "%s",
                           "");

  return gh_database_end_write (self->database, ok, "notices", error);
}

/**
 * gh_notice_store_set_device_status:
 * @status: pending, sent or failed
 * @error_text: (nullable): why sending failed
 */
gboolean
gh_notice_store_set_device_status (GhNoticeStore  *self,
                                   GhSession      *session,
                                   gint64          id,
                                   gint64          device_id,
                                   const char     *status,
                                   const char     *error_text,
                                   GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_NOTICE_STORE (self), FALSE);

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
                              "UPDATE notice_devices SET status = ?, error = ?, "
                              "updated = unixepoch () WHERE notice_id = ? AND device_id = ?",
                              error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  gh_stmt_bind_text (stmt, 2, error_text);
  sqlite3_bind_int64 (stmt, 3, id);
  sqlite3_bind_int64 (stmt, 4, device_id);
  if (!gh_database_step_done (self->database, stmt, error))
    goto out;

  if (gh_database_changes (self->database) == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The notice is not (or no longer) meant for that device."));
    goto out;
  }

  ok = gh_database_auditf (self->database, session, error, "notice.status", "notice", id,
                           "device %" G_GINT64_FORMAT ": %s%s%s", device_id, status,
                           error_text ? ", " : "", error_text ? error_text : "");

out:
  return gh_database_end_write (self->database, ok, "notices", error);
}

GhNotice *
gh_notice_store_get (GhNoticeStore  *self,
                     gint64          id,
                     GError        **error)
{
  g_autoptr(GhNotice) notice = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_NOTICE_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT title, body, start_time, created FROM notices WHERE id = ?",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW) {
    if (rc == SQLITE_DONE)
      g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                   _("The notice no longer exists; refresh the list."));
    else
      gh_database_fail (self->database, error, "reading a notice");
    return NULL;
  }

  notice = gh_notice_new ((const char *)sqlite3_column_text (stmt, 0),
                          (const char *)sqlite3_column_text (stmt, 1),
                          sqlite3_column_int64 (stmt, 2));
  notice->id = id;
  notice->created = sqlite3_column_int64 (stmt, 3);
  gh_stmt_release (g_steal_pointer (&stmt));

  stmt = gh_database_prepare (self->database,
                              "SELECT device_id FROM notice_devices WHERE notice_id = ? "
                              "ORDER BY device_id", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gint64 device = sqlite3_column_int64 (stmt, 0);

    g_array_append_val (notice->device_ids, device);
  }

  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading a notice");
    return NULL;
  }

  return g_steal_pointer (&notice);
}

/**
 * gh_notice_store_list:
 *
 * Returns: (transfer full) (element-type GhNotice): all notices, newest start time first
 */
GPtrArray *
gh_notice_store_list (GhNoticeStore  *self,
                      GError        **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_NOTICE_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT id FROM notices ORDER BY start_time DESC, id DESC", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gint64 id = sqlite3_column_int64 (stmt, 0);

    g_array_append_val (ids, id);
  }
  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading notices");
    return NULL;
  }
  gh_stmt_release (g_steal_pointer (&stmt));

  result = g_ptr_array_new_with_free_func ((GDestroyNotify)gh_notice_free);
  for (guint i = 0; i < ids->len; i++) {
    GhNotice *notice = gh_notice_store_get (self, g_array_index (ids, gint64, i), error);

    if (notice == NULL)
      return NULL;
    g_ptr_array_add (result, notice);
  }

  return g_steal_pointer (&result);
}

/**
 * gh_notice_store_list_device_status:
 *
 * Returns: (transfer full) (element-type GhNoticeDeviceStatus): the sending state per device
 */
GPtrArray *
gh_notice_store_list_device_status (GhNoticeStore  *self,
                                    gint64          id,
                                    GError        **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_NOTICE_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT s.device_id, d.name, s.status, s.error, s.updated "
                              "FROM notice_devices s JOIN devices d ON d.id = s.device_id "
                              "WHERE s.notice_id = ? ORDER BY d.name, d.id", error);
  if (stmt == NULL)
    return NULL;

  result = g_ptr_array_new_with_free_func ((GDestroyNotify)gh_notice_device_status_free);
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    GhNoticeDeviceStatus *status = g_new0 (GhNoticeDeviceStatus, 1);

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
