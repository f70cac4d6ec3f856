/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to src/store: the repositories fill rows they read. */

#include "gh-org-node.h"

G_BEGIN_DECLS

GhOrgNode *gh_org_node_new_row       (void);
void       gh_org_node_set_id        (GhOrgNode *self,
                                      gint64     id);
void       gh_org_node_set_parent_id (GhOrgNode *self,
                                      gint64     parent_id);
void       gh_org_node_set_kind      (GhOrgNode  *self,
                                      const char *kind);
void       gh_org_node_set_number    (GhOrgNode  *self,
                                      const char *number);
void       gh_org_node_set_name      (GhOrgNode  *self,
                                      const char *name);

G_END_DECLS
