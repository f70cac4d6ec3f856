/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GH_TYPE_ORG_NODE (gh_org_node_get_type ())
G_DECLARE_FINAL_TYPE (GhOrgNode, gh_org_node, GH, ORG_NODE, GObject)

gint64      gh_org_node_get_id        (GhOrgNode *self);
gint64      gh_org_node_get_parent_id (GhOrgNode *self);
const char *gh_org_node_get_kind      (GhOrgNode *self);
const char *gh_org_node_get_number    (GhOrgNode *self);
const char *gh_org_node_get_name      (GhOrgNode *self);

G_END_DECLS
