/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gh-session.h"

G_BEGIN_DECLS

#define GH_TYPE_WINDOW (gh_window_get_type ())

G_DECLARE_FINAL_TYPE (GhWindow, gh_window, GH, WINDOW, AdwApplicationWindow)

GhWindow   *gh_window_new                   (GtkApplication *application,
                                             gboolean        demo);
gboolean    gh_window_show_view             (GhWindow       *self,
                                             const char     *name);
const char *gh_window_get_visible_view_name (GhWindow       *self);
GtkWidget  *gh_window_get_view              (GhWindow       *self,
                                             const char     *name);
void        gh_window_show_error            (GhWindow       *self,
                                             const char     *heading,
                                             const GError   *error);
void        gh_window_report_error          (GhWindow       *self,
                                             const char     *heading,
                                             const GError   *error);
void        gh_window_add_toast             (GhWindow       *self,
                                             AdwToast       *toast);
GhSession  *gh_window_get_session           (GhWindow       *self);
void        gh_window_set_session           (GhWindow       *self,
                                             GhSession      *session);
void        gh_window_lock                  (GhWindow       *self);
gboolean    gh_window_get_locked            (GhWindow       *self);
void        gh_window_change_password       (GhWindow       *self,
                                             gboolean        required);

G_END_DECLS
