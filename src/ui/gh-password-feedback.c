/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-password-feedback"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-password-feedback.h"

#include "gh-password-policy.h"

/*
 * GhPasswordFeedback: the live list under a new-password field. It names every rule of the
 * operator password policy the typed password still breaks (in the policy's own words, which
 * quote the offending part), whether the confirmation matches, or that all is well. The list
 * is also the field's accessible description, so a screen reader hears it.
 */
struct _GhPasswordFeedback
{
  GtkWidget parent_instance;

  GtkWidget *box; /* (owned) */
  gboolean acceptable;
};

G_DEFINE_FINAL_TYPE (GhPasswordFeedback, gh_password_feedback, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ACCEPTABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
add_line (GhPasswordFeedback *self,
          const char         *icon_name,
          const char         *style,
          const char         *text)
{
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, style);
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (line), icon);
  gtk_box_append (GTK_BOX (line), label);
  gtk_box_append (GTK_BOX (self->box), line);
}

static void
set_acceptable (GhPasswordFeedback *self,
                gboolean            acceptable)
{
  acceptable = !!acceptable;
  if (self->acceptable == acceptable)
    return;

  self->acceptable = acceptable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCEPTABLE]);
}

static void
gh_password_feedback_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  GhPasswordFeedback *self = GH_PASSWORD_FEEDBACK (object);

  switch (prop_id) {
  case PROP_ACCEPTABLE:
    g_value_set_boolean (value, self->acceptable);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_password_feedback_dispose (GObject *object)
{
  GhPasswordFeedback *self = GH_PASSWORD_FEEDBACK (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (gh_password_feedback_parent_class)->dispose (object);
}

static void
gh_password_feedback_class_init (GhPasswordFeedbackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = gh_password_feedback_get_property;
  object_class->dispose = gh_password_feedback_dispose;

  /**
   * GhPasswordFeedback:acceptable:
   *
   * Whether the last password given follows every rule (and matches its confirmation).
   */
  properties[PROP_ACCEPTABLE] =
    g_param_spec_boolean ("acceptable", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "passwordfeedback");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
gh_password_feedback_init (GhPasswordFeedback *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password rules"), -1);
  gh_password_feedback_update (self, "", NULL, NULL);
}

GtkWidget *
gh_password_feedback_new (void)
{
  return g_object_new (GH_TYPE_PASSWORD_FEEDBACK, NULL);
}

/**
 * gh_password_feedback_update:
 * @self: a #GhPasswordFeedback
 * @password: (nullable): the new password as typed so far
 * @account: (nullable): the account it is for (rules 3 and 4 of the policy)
 * @confirmation: (nullable): the password typed a second time, or %NULL when there is no
 *   confirmation field
 *
 * Shows what is still wrong with @password.
 *
 * Returns: whether @password follows every rule and matches @confirmation
 */
gboolean
gh_password_feedback_update (GhPasswordFeedback *self,
                             const char         *password,
                             const char         *account,
                             const char         *confirmation)
{
  g_auto(GStrv) failures = NULL;
  gboolean matches;
  GtkWidget *child;

  g_return_val_if_fail (GH_IS_PASSWORD_FEEDBACK (self), FALSE);

  if (password == NULL)
    password = "";

  while ((child = gtk_widget_get_first_child (self->box)) != NULL)
    gtk_box_remove (GTK_BOX (self->box), child);

  failures = gh_password_policy_get_failures (password, account);
  matches = confirmation == NULL || g_str_equal (password, confirmation);

  /* Before the first key the rules are a checklist, not yet a complaint. */
  for (guint i = 0; failures[i] != NULL; i++) {
    if (password[0] == '\0')
      add_line (self, "dialog-information-symbolic", "dim-label", failures[i]);
    else
      add_line (self, "dialog-warning-symbolic", "warning", failures[i]);
  }

  if (failures[0] == NULL)
    add_line (self, "object-select-symbolic", "success",
              _("The password follows every rule."));

  if (!matches && confirmation[0] != '\0')
    add_line (self, "dialog-warning-symbolic", "warning", _("The two passwords differ."));
  else if (!matches)
    add_line (self, "dialog-information-symbolic", "dim-label",
              _("Type the password again to confirm it."));

  set_acceptable (self, failures[0] == NULL && matches);

  return self->acceptable;
}

gboolean
gh_password_feedback_get_acceptable (GhPasswordFeedback *self)
{
  g_return_val_if_fail (GH_IS_PASSWORD_FEEDBACK (self), FALSE);

  return self->acceptable;
}

/**
 * gh_password_feedback_dup_text:
 * @self: a #GhPasswordFeedback
 *
 * Returns: (transfer full): the lines on show, one per line (for tests and descriptions)
 */
char *
gh_password_feedback_dup_text (GhPasswordFeedback *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (GH_IS_PASSWORD_FEEDBACK (self), NULL);

  for (GtkWidget *line = gtk_widget_get_first_child (self->box); line != NULL;
       line = gtk_widget_get_next_sibling (line)) {
    GtkWidget *label = gtk_widget_get_last_child (line);

    if (text->len > 0)
      g_string_append_c (text, '\n');
    g_string_append (text, gtk_label_get_text (GTK_LABEL (label)));
  }

  return g_string_free (text, FALSE);
}
