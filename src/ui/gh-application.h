/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

#define GH_TYPE_APPLICATION (gh_application_get_type ())

G_DECLARE_FINAL_TYPE (GhApplication, gh_application, GH, APPLICATION, AdwApplication)

GhApplication *gh_application_new             (void);
const char    *gh_application_get_data_dir    (GhApplication  *self);
void           gh_application_set_data_dir    (GhApplication  *self,
                                               const char     *data_dir);
gboolean       gh_application_get_demo        (GhApplication  *self);
void           gh_application_set_demo        (GhApplication  *self,
                                               gboolean        demo);
gboolean       gh_application_ensure_data_dir (GhApplication  *self,
                                               GError        **error);
gboolean       gh_application_open_database   (GhApplication  *self,
                                               GError        **error);
GhDatabase    *gh_application_get_database    (GhApplication  *self);
GhSession     *gh_application_get_session     (GhApplication  *self);
void           gh_application_set_session     (GhApplication  *self,
                                               GhSession      *session);
void           gh_application_sign_out        (GhApplication  *self);

G_END_DECLS
