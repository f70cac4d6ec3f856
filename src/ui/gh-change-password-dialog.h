/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

#define GH_TYPE_CHANGE_PASSWORD_DIALOG (gh_change_password_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GhChangePasswordDialog, gh_change_password_dialog, GH,
                      CHANGE_PASSWORD_DIALOG, AdwWindow)

GhChangePasswordDialog *gh_change_password_dialog_new (GtkWindow  *parent,
                                                       GhDatabase *database,
                                                       GhSession  *session,
                                                       gboolean    required);

G_END_DECLS
