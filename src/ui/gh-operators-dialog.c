/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-operators-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-operators-dialog.h"
#include "gh-a11y.h"
#include "gh-auth-worker.h"
#include "gh-password-feedback.h"

#include "gh-error.h"
#include "gh-operator-store.h"

/*
 * GhOperatorsDialog: for administrators. Lists the operator accounts with their role and
 * whether they are locked out; resets a password (the owner must change it at their next
 * sign-in), ends a lock-out, and adds accounts. The store checks the role on every call; a
 * refusal is shown as the store words it.
 */
struct _GhOperatorsDialog
{
  AdwWindow parent_instance;

  GhDatabase *database; /* (owned) */
  GhSession *session; /* (owned) */
  GhOperatorStore *store; /* (owned) */
  GCancellable *cancellable; /* (owned) */
  gboolean busy;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  GtkListBox *list;
  AdwEntryRow *add_name;
  AdwPasswordEntryRow *add_password;
  AdwComboRow *add_role;
  GhPasswordFeedback *add_feedback;
  GtkLabel *error_label;
  GtkButton *add_button;
};

G_DEFINE_FINAL_TYPE (GhOperatorsDialog, gh_operators_dialog, ADW_TYPE_WINDOW)

static const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static void
show_message (GhOperatorsDialog *self,
              const char        *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
toast (GhOperatorsDialog *self,
       const char        *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
add_changed_cb (GhOperatorsDialog *self)
{
  gh_password_feedback_update (self->add_feedback, text_of (self->add_password),
                               text_of (self->add_name), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button),
                            !self->busy && text_of (self->add_name)[0] != '\0' &&
                            gh_password_feedback_get_acceptable (self->add_feedback));
}

static void
add_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GhOperatorsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!gh_auth_worker_finish (result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    self->busy = FALSE;
    show_message (self, error->message);
    add_changed_cb (self);
    return;
  }

  self->busy = FALSE;
  /* Translators: %s is a user name */
  message = g_strdup_printf (_("Added %s"), text_of (self->add_name));
  toast (self, message);
  gtk_editable_set_text (GTK_EDITABLE (self->add_name), "");
  gtk_editable_set_text (GTK_EDITABLE (self->add_password), "");
  gh_operators_dialog_reload (self);
}

static void
add_clicked_cb (GhOperatorsDialog *self)
{
  GhRole role = (GhRole) adw_combo_row_get_selected (self->add_role);

  if (self->busy)
    return;

  show_message (self, NULL);
  self->busy = TRUE;
  add_changed_cb (self);
  gh_auth_worker_add_operator_async (self->database, self->session, text_of (self->add_name),
                                     text_of (self->add_password), role, self->cancellable,
                                     add_done_cb, g_object_ref (self));
}

typedef struct {
  GhOperatorsDialog *self; /* (owned) */
  gint64 id;
  char *username; /* (owned) */
  GtkWidget *entry; /* (borrowed) */
  GhPasswordFeedback *feedback; /* (borrowed) */
} Reset;

static void
reset_free (gpointer data)
{
  Reset *reset = data;

  g_object_unref (reset->self);
  g_free (reset->username);
  g_free (reset);
}

static void
reset_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GhOperatorsDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gh_auth_worker_finish (result, &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      show_message (self, error->message);
    return;
  }

  toast (self, _("Password reset; it must be changed at the next sign-in"));
  gh_operators_dialog_reload (self);
}

static void
reset_changed_cb (GtkEditable *entry,
                  gpointer     user_data)
{
  Reset *reset = user_data;
  GtkWidget *dialog = gtk_widget_get_ancestor (GTK_WIDGET (entry), ADW_TYPE_MESSAGE_DIALOG);

  gh_password_feedback_update (reset->feedback, gtk_editable_get_text (entry), reset->username,
                               NULL);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "reset",
                                           gh_password_feedback_get_acceptable (reset->feedback));
}

static void
reset_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  Reset *reset = user_data;

  if (!g_str_equal (response, "reset"))
    return;

  show_message (reset->self, NULL);
  gh_auth_worker_reset_password_async (reset->self->database, reset->self->session, reset->id,
                                       gtk_editable_get_text (GTK_EDITABLE (reset->entry)),
                                       reset->self->cancellable, reset_done_cb,
                                       g_object_ref (reset->self));
}

static void
reset_clicked_cb (GtkButton *button,
                  gpointer   user_data)
{
  GhOperatorsDialog *self = GH_OPERATORS_DIALOG (user_data);
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *list;
  Reset *reset;
  g_autofree char *heading = NULL;

  reset = g_new0 (Reset, 1);
  reset->self = g_object_ref (self);
  reset->id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "gh-operator-id"));
  reset->username = g_strdup (g_object_get_data (G_OBJECT (button), "gh-operator-name"));

  /* Translators: %s is a user name */
  heading = g_strdup_printf (_("Reset the Password of %s?"), reset->username);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Give the new password to its owner in person. They must "
                                     "choose their own at their next sign-in."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "reset", _("_Reset Password"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reset",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "reset", FALSE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* The window's lock closes this list; the question must go with it. */
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  reset->entry = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (reset->entry), _("New Password"));
  gh_a11y_label_entry_rows (reset->entry);
  gtk_list_box_append (GTK_LIST_BOX (list), reset->entry);
  gtk_box_append (GTK_BOX (box), list);
  reset->feedback = GH_PASSWORD_FEEDBACK (gh_password_feedback_new ());
  gh_password_feedback_update (reset->feedback, "", reset->username, NULL);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (reset->feedback));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  g_signal_connect (reset->entry, "changed", G_CALLBACK (reset_changed_cb), reset);
  g_signal_connect_data (dialog, "response", G_CALLBACK (reset_response_cb), reset,
                         (GClosureNotify) (void (*) (void)) reset_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
unlock_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  GhOperatorsDialog *self = GH_OPERATORS_DIALOG (user_data);
  g_autoptr(GError) error = NULL;
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "gh-operator-id"));

  if (!gh_operator_store_unlock (self->store, self->session, id, &error)) {
    show_message (self, error->message);
    return;
  }

  toast (self, _("Sign-in unlocked"));
  gh_operators_dialog_reload (self);
}

static GtkWidget *
create_row (GhOperatorsDialog *self,
            const GhOperator  *op,
            gint64             now)
{
  g_autoptr(GString) subtitle = g_string_new (gh_role_get_display_name (op->role));
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;
  g_autofree char *label = NULL;

  if (op->disabled)
    g_string_append_printf (subtitle, " · %s", _("disabled"));
  if (op->locked_until > now) {
    g_autoptr(GDateTime) until = g_date_time_new_from_unix_local (op->locked_until);
    g_autofree char *clock = g_date_time_format (until, "%H:%M");

    /* Translators: %s is a time of day */
    g_string_append_printf (subtitle, " · ");
    g_string_append_printf (subtitle, _("locked out until %s"), clock);
  }
  if (op->must_change_password)
    g_string_append_printf (subtitle, " · %s", _("must change password"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), op->username);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);

  if (op->locked_until > now) {
    button = gtk_button_new_with_mnemonic (_("_Unlock"));
    gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
    /* Translators: %s is a user name */
    label = g_strdup_printf (_("Unlock sign-in for %s"), op->username);
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    label, -1);
    g_object_set_data (G_OBJECT (button), "gh-operator-id", GSIZE_TO_POINTER (op->id));
    g_signal_connect_object (button, "clicked", G_CALLBACK (unlock_clicked_cb), self, 0);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    g_clear_pointer (&label, g_free);
  }

  button = gtk_button_new_with_mnemonic (_("_Reset Password…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* Translators: %s is a user name */
  label = g_strdup_printf (_("Reset the password of %s"), op->username);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  g_object_set_data (G_OBJECT (button), "gh-operator-id", GSIZE_TO_POINTER (op->id));
  g_object_set_data_full (G_OBJECT (button), "gh-operator-name", g_strdup (op->username),
                          g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (reset_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
gh_operators_dialog_dispose (GObject *object)
{
  GhOperatorsDialog *self = GH_OPERATORS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_OPERATORS_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->database);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (gh_operators_dialog_parent_class)->dispose (object);
}

static void
gh_operators_dialog_class_init (GhOperatorsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_operators_dialog_dispose;

  g_type_ensure (GH_TYPE_PASSWORD_FEEDBACK);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/gh-operators-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GhOperatorsDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GhOperatorsDialog, list);
  gtk_widget_class_bind_template_child (widget_class, GhOperatorsDialog, add_name);
  gtk_widget_class_bind_template_child (widget_class, GhOperatorsDialog, add_password);
  gtk_widget_class_bind_template_child (widget_class, GhOperatorsDialog, add_role);
  gtk_widget_class_bind_template_child (widget_class, GhOperatorsDialog, add_feedback);
  gtk_widget_class_bind_template_child (widget_class, GhOperatorsDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, GhOperatorsDialog, add_button);
  gtk_widget_class_bind_template_callback (widget_class, add_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
gh_operators_dialog_init (GhOperatorsDialog *self)
{
  g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gh_a11y_label_entry_rows (GTK_WIDGET (self));

  /* In GhRole order, so the selected position is the role. */
  for (GhRole role = GH_ROLE_ADMINISTRATOR; role <= GH_ROLE_GUARD; role++)
    gtk_string_list_append (roles, gh_role_get_display_name (role));
  adw_combo_row_set_model (self->add_role, G_LIST_MODEL (roles));
  adw_combo_row_set_selected (self->add_role, GH_ROLE_OPERATOR);
}

/**
 * gh_operators_dialog_new:
 * @parent: the main window
 * @database: the database
 * @session: an administrator's session
 *
 * Returns: (transfer none): a new dialog listing the operators, not yet shown
 */
GhOperatorsDialog *
gh_operators_dialog_new (GtkWindow  *parent,
                         GhDatabase *database,
                         GhSession  *session)
{
  GhOperatorsDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);
  g_return_val_if_fail (GH_IS_SESSION (session), NULL);

  self = g_object_new (GH_TYPE_OPERATORS_DIALOG, "transient-for", parent, NULL);
  self->database = g_object_ref (database);
  self->session = g_object_ref (session);
  self->store = gh_operator_store_new (database);
  gh_operators_dialog_reload (self);
  add_changed_cb (self);

  return self;
}

/**
 * gh_operators_dialog_reload:
 * @self: a #GhOperatorsDialog
 *
 * Lists the accounts again.
 *
 * Returns: how many accounts are listed
 */
guint
gh_operators_dialog_reload (GhOperatorsDialog *self)
{
  g_autoptr(GPtrArray) operators = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GtkWidget *child;

  g_return_val_if_fail (GH_IS_OPERATORS_DIALOG (self), 0);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  operators = gh_operator_store_list (self->store, self->session, &error);
  if (operators == NULL) {
    show_message (self, error->message);
    return 0;
  }

  for (guint i = 0; i < operators->len; i++)
    gtk_list_box_append (self->list, create_row (self, g_ptr_array_index (operators, i), now));

  return operators->len;
}
