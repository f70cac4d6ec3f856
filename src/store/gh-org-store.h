/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-numbering.h"
#include "gh-org-node.h"
#include "gh-room.h"
#include "gh-session.h"

G_BEGIN_DECLS

typedef struct {
  gint64  device_id;
  char   *device_name;
  char   *status;   /* pending, sent or failed */
  char   *error;    /* (nullable) */
  gint64  updated;
} GhRoomDeviceStatus;

void gh_room_device_status_free (GhRoomDeviceStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhRoomDeviceStatus, gh_room_device_status_free)

#define GH_TYPE_ORG_STORE (gh_org_store_get_type ())
G_DECLARE_FINAL_TYPE (GhOrgStore, gh_org_store, GH, ORG_STORE, GObject)

GhOrgStore  *gh_org_store_new                 (GhDatabase   *database);
GhOrgLevels  gh_org_store_get_levels          (GhOrgStore   *self);
gboolean     gh_org_store_set_levels          (GhOrgStore   *self,
                                               GhSession    *session,
                                               GhOrgLevels   levels,
                                               GError      **error);
gint64       gh_org_store_get_community       (GhOrgStore   *self,
                                               GError      **error);
gint64       gh_org_store_add_node            (GhOrgStore   *self,
                                               GhSession    *session,
                                               gint64        parent_id,
                                               const char   *number,
                                               const char   *name,
                                               GError      **error);
gboolean     gh_org_store_update_node         (GhOrgStore   *self,
                                               GhSession    *session,
                                               gint64        id,
                                               const char   *number,
                                               const char   *name,
                                               GError      **error);
gboolean     gh_org_store_remove_node         (GhOrgStore   *self,
                                               GhSession    *session,
                                               gint64        id,
                                               GError      **error);
GhOrgNode   *gh_org_store_get_node            (GhOrgStore   *self,
                                               gint64        id,
                                               GError      **error);
GListModel  *gh_org_store_list_children       (GhOrgStore   *self,
                                               gint64        parent_id);
GListModel  *gh_org_store_create_child_model  (gpointer      item,
                                               gpointer      user_data);

gint64       gh_org_store_add_room            (GhOrgStore   *self,
                                               GhSession    *session,
                                               gint64        node_id,
                                               const char   *number,
                                               const char   *name,
                                               GError      **error);
gboolean     gh_org_store_update_room         (GhOrgStore   *self,
                                               GhSession    *session,
                                               gint64        id,
                                               const char   *number,
                                               const char   *name,
                                               GError      **error);
gboolean     gh_org_store_remove_room         (GhOrgStore   *self,
                                               GhSession    *session,
                                               gint64        id,
                                               GError      **error);
GhRoom      *gh_org_store_get_room            (GhOrgStore   *self,
                                               gint64        id,
                                               GError      **error);
gint64       gh_org_store_find_room           (GhOrgStore   *self,
                                               const char   *path,
                                               GError      **error);
GListModel  *gh_org_store_list_rooms          (GhOrgStore   *self,
                                               gint64        node_id);
gboolean     gh_org_store_set_unlock_password (GhOrgStore   *self,
                                               GhSession    *session,
                                               gint64        room_id,
                                               const char   *password,
                                               GError      **error);
char        *gh_org_store_get_unlock_password (GhOrgStore   *self,
                                               GhSession    *session,
                                               gint64        room_id,
                                               GError      **error);
gboolean     gh_org_store_resend_unlock_password (GhOrgStore *self,
                                                  GhSession  *session,
                                                  gint64      room_id,
                                                  GError    **error);
gboolean     gh_org_store_set_room_device_status (GhOrgStore *self,
                                                  GhSession  *session,
                                                  gint64      room_id,
                                                  gint64      device_id,
                                                  const char *status,
                                                  const char *error_text,
                                                  GError    **error);
GPtrArray   *gh_org_store_list_room_device_status (GhOrgStore *self,
                                                   gint64      room_id,
                                                   GError    **error);

G_END_DECLS
