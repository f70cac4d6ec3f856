/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GH_TYPE_PERMISSIONS_VIEW (gh_permissions_view_get_type ())

G_DECLARE_FINAL_TYPE (GhPermissionsView, gh_permissions_view, GH, PERMISSIONS_VIEW, AdwBin)

GtkWidget *gh_permissions_view_new (void);

G_END_DECLS
