/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

/**
 * GhCallGroupMember:
 * @device_id: a master station (VTS), or 0 for this client (the management platform)
 */
typedef struct {
  gint64 device_id;
} GhCallGroupMember;

typedef struct {
  gint64  id;
  char   *name;
  gint64  building_id;  /* the building whose calls the group answers, or 0 */
  GArray *members;      /* (element-type GhCallGroupMember) in calling order */
} GhCallGroup;

GhCallGroup *gh_call_group_new  (const char  *name,
                                 gint64       building_id);
void         gh_call_group_free (GhCallGroup *group);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhCallGroup, gh_call_group_free)

#define GH_TYPE_CALL_GROUP_STORE (gh_call_group_store_get_type ())
G_DECLARE_FINAL_TYPE (GhCallGroupStore, gh_call_group_store, GH, CALL_GROUP_STORE, GObject)

GhCallGroupStore *gh_call_group_store_new          (GhDatabase         *database);
gint64            gh_call_group_store_add          (GhCallGroupStore   *self,
                                                    GhSession          *session,
                                                    const GhCallGroup  *group,
                                                    GError            **error);
gboolean          gh_call_group_store_update       (GhCallGroupStore   *self,
                                                    GhSession          *session,
                                                    const GhCallGroup  *group,
                                                    GError            **error);
gboolean          gh_call_group_store_remove       (GhCallGroupStore   *self,
                                                    GhSession          *session,
                                                    gint64              id,
                                                    GError            **error);
GhCallGroup      *gh_call_group_store_get          (GhCallGroupStore   *self,
                                                    gint64              id,
                                                    GError            **error);
GhCallGroup      *gh_call_group_store_for_building (GhCallGroupStore   *self,
                                                    gint64              building_id,
                                                    GError            **error);
GPtrArray        *gh_call_group_store_list         (GhCallGroupStore   *self,
                                                    GError            **error);

G_END_DECLS
