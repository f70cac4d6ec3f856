/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GH_TYPE_CALL_GROUPS_VIEW (gh_call_groups_view_get_type ())

G_DECLARE_FINAL_TYPE (GhCallGroupsView, gh_call_groups_view, GH, CALL_GROUPS_VIEW, AdwBin)

GtkWidget *gh_call_groups_view_new (void);

G_END_DECLS
