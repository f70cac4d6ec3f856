/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GH_TYPE_BUILDING_MANAGER_VIEW (gh_building_manager_view_get_type ())

G_DECLARE_FINAL_TYPE (GhBuildingManagerView, gh_building_manager_view, GH, BUILDING_MANAGER_VIEW, AdwBin)

GtkWidget *gh_building_manager_view_new (void);

G_END_DECLS
