/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GH_TYPE_ROOM (gh_room_get_type ())
G_DECLARE_FINAL_TYPE (GhRoom, gh_room, GH, ROOM, GObject)

gint64      gh_room_get_id                  (GhRoom *self);
gint64      gh_room_get_org_node_id         (GhRoom *self);
const char *gh_room_get_number              (GhRoom *self);
const char *gh_room_get_name                (GhRoom *self);
const char *gh_room_get_path                (GhRoom *self);
gboolean    gh_room_get_has_unlock_password (GhRoom *self);
const char *gh_room_get_sending_status      (GhRoom *self);

G_END_DECLS
