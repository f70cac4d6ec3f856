/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GH_TYPE_INFORMATION_RELEASE_VIEW (gh_information_release_view_get_type ())

G_DECLARE_FINAL_TYPE (GhInformationReleaseView, gh_information_release_view, GH, INFORMATION_RELEASE_VIEW, AdwBin)

GtkWidget *gh_information_release_view_new (void);

G_END_DECLS
