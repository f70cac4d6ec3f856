/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GH_TYPE_REGISTRATION (gh_registration_get_type ())
G_DECLARE_FINAL_TYPE (GhRegistration, gh_registration, GH, REGISTRATION, GObject)

gint64      gh_registration_get_id          (GhRegistration *self);
gint64      gh_registration_get_device_id   (GhRegistration *self);
const char *gh_registration_get_device_name (GhRegistration *self);
const char *gh_registration_get_kind        (GhRegistration *self);
const char *gh_registration_get_number      (GhRegistration *self);
gint64      gh_registration_get_room_id     (GhRegistration *self);
gint64      gh_registration_get_org_node_id (GhRegistration *self);
int         gh_registration_get_extension   (GhRegistration *self);

G_END_DECLS
