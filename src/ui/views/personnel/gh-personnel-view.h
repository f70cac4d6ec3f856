/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GH_TYPE_PERSONNEL_VIEW (gh_personnel_view_get_type ())

G_DECLARE_FINAL_TYPE (GhPersonnelView, gh_personnel_view, GH, PERSONNEL_VIEW, AdwBin)

GtkWidget *gh_personnel_view_new (void);

G_END_DECLS
