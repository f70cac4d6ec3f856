/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GH_TYPE_INTERCOM_VIEW (gh_intercom_view_get_type ())

G_DECLARE_FINAL_TYPE (GhIntercomView, gh_intercom_view, GH, INTERCOM_VIEW, AdwBin)

GtkWidget *gh_intercom_view_new (void);

G_END_DECLS
