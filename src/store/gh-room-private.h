/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to src/store: the repositories fill rows they read. */

#include "gh-room.h"

G_BEGIN_DECLS

GhRoom *gh_room_new_row                 (void);
void    gh_room_set_id                  (GhRoom *self,
                                         gint64  id);
void    gh_room_set_org_node_id         (GhRoom *self,
                                         gint64  org_node_id);
void    gh_room_set_number              (GhRoom     *self,
                                         const char *number);
void    gh_room_set_name                (GhRoom     *self,
                                         const char *name);
void    gh_room_set_path                (GhRoom     *self,
                                         const char *path);
void    gh_room_set_has_unlock_password (GhRoom   *self,
                                         gboolean  has_unlock_password);
void    gh_room_set_sending_status      (GhRoom     *self,
                                         const char *sending_status);

G_END_DECLS
