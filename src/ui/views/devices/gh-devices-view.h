/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GH_TYPE_DEVICES_VIEW (gh_devices_view_get_type ())

G_DECLARE_FINAL_TYPE (GhDevicesView, gh_devices_view, GH, DEVICES_VIEW, AdwBin)

GtkWidget *gh_devices_view_new (void);

G_END_DECLS
