/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-registration.h"
#include "gh-session.h"

G_BEGIN_DECLS

#define GH_TYPE_DIAL_STORE (gh_dial_store_get_type ())
G_DECLARE_FINAL_TYPE (GhDialStore, gh_dial_store, GH, DIAL_STORE, GObject)

GhDialStore    *gh_dial_store_new         (GhDatabase   *database);
gint64          gh_dial_store_add_vth     (GhDialStore  *self,
                                           GhSession    *session,
                                           gint64        device_id,
                                           gint64        room_id,
                                           int           extension,
                                           GError      **error);
gint64          gh_dial_store_add_vto     (GhDialStore  *self,
                                           GhSession    *session,
                                           gint64        device_id,
                                           gint64        node_id,
                                           const char   *vto_number,
                                           const char   *last_two,
                                           GError      **error);
gint64          gh_dial_store_add_station (GhDialStore  *self,
                                           GhSession    *session,
                                           gint64        device_id,
                                           const char   *station_number,
                                           const char   *last_two,
                                           GError      **error);
gboolean        gh_dial_store_remove      (GhDialStore  *self,
                                           GhSession    *session,
                                           gint64        id,
                                           GError      **error);
GhRegistration *gh_dial_store_get         (GhDialStore  *self,
                                           gint64        id,
                                           GError      **error);
GhRegistration *gh_dial_store_find        (GhDialStore  *self,
                                           const char   *number,
                                           GError      **error);
GListModel     *gh_dial_store_list        (GhDialStore  *self,
                                           gint64        device_id);

G_END_DECLS
