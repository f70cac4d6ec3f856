/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gh-database.h"

G_BEGIN_DECLS

#define GH_TYPE_AUTH_WINDOW (gh_auth_window_get_type ())

G_DECLARE_FINAL_TYPE (GhAuthWindow, gh_auth_window, GH, AUTH_WINDOW, AdwApplicationWindow)

GhAuthWindow *gh_auth_window_new           (GtkApplication *application,
                                            GhDatabase     *database);
const char   *gh_auth_window_get_page_name (GhAuthWindow   *self);
void          gh_auth_window_show_error    (GhAuthWindow   *self,
                                            const char     *heading,
                                            const GError   *error);

G_END_DECLS
