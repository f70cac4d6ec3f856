/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GH_TYPE_RECORDS_VIEW (gh_records_view_get_type ())

G_DECLARE_FINAL_TYPE (GhRecordsView, gh_records_view, GH, RECORDS_VIEW, AdwBin)

GtkWidget *gh_records_view_new (void);

G_END_DECLS
