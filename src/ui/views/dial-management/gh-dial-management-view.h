/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GH_TYPE_DIAL_MANAGEMENT_VIEW (gh_dial_management_view_get_type ())

G_DECLARE_FINAL_TYPE (GhDialManagementView, gh_dial_management_view, GH, DIAL_MANAGEMENT_VIEW, AdwBin)

GtkWidget *gh_dial_management_view_new (void);

G_END_DECLS
