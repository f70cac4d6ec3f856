/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GH_TYPE_PASSWORD_FEEDBACK (gh_password_feedback_get_type ())

G_DECLARE_FINAL_TYPE (GhPasswordFeedback, gh_password_feedback, GH, PASSWORD_FEEDBACK, GtkWidget)

GtkWidget  *gh_password_feedback_new        (void);
gboolean    gh_password_feedback_update     (GhPasswordFeedback *self,
                                             const char         *password,
                                             const char         *account,
                                             const char         *confirmation);
gboolean    gh_password_feedback_get_acceptable (GhPasswordFeedback *self);
char       *gh_password_feedback_dup_text   (GhPasswordFeedback *self);

G_END_DECLS
