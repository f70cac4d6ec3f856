/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to src/store: the repositories fill rows they read. */

#include "gh-registration.h"

G_BEGIN_DECLS

GhRegistration *gh_registration_new_row         (void);
void            gh_registration_set_id          (GhRegistration *self,
                                                 gint64          id);
void            gh_registration_set_device_id   (GhRegistration *self,
                                                 gint64          device_id);
void            gh_registration_set_device_name (GhRegistration *self,
                                                 const char     *device_name);
void            gh_registration_set_kind        (GhRegistration *self,
                                                 const char     *kind);
void            gh_registration_set_number      (GhRegistration *self,
                                                 const char     *number);
void            gh_registration_set_room_id     (GhRegistration *self,
                                                 gint64          room_id);
void            gh_registration_set_org_node_id (GhRegistration *self,
                                                 gint64          org_node_id);
void            gh_registration_set_extension   (GhRegistration *self,
                                                 int             extension);

G_END_DECLS
