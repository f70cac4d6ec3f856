/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

#define GH_TYPE_OPERATORS_DIALOG (gh_operators_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GhOperatorsDialog, gh_operators_dialog, GH, OPERATORS_DIALOG, AdwWindow)

GhOperatorsDialog *gh_operators_dialog_new    (GtkWindow         *parent,
                                               GhDatabase        *database,
                                               GhSession         *session);
guint              gh_operators_dialog_reload (GhOperatorsDialog *self);

G_END_DECLS
