/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-change-password-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-change-password-dialog.h"
#include "gh-a11y.h"
#include "gh-auth-worker.h"
#include "gh-password-feedback.h"

#include "gh-error.h"

/*
 * GhChangePasswordDialog: an operator changes their own password: the current one, the new
 * one twice, with the policy's live feedback. A wrong current password counts as a failed
 * sign-in; when that locks the account the dialog emits ::locked-out and the window locks.
 * When an administrator has reset the password the dialog is "required": it opens right after
 * sign-in and its only other way out is signing out.
 */
struct _GhChangePasswordDialog
{
  AdwWindow parent_instance;

  GhDatabase *database; /* (owned) */
  GhSession *session; /* (owned) */
  GCancellable *cancellable; /* (owned) */
  gboolean required;
  gboolean busy;

  /* Template children */
  GtkButton *cancel_button;
  GtkButton *change_button;
  GtkLabel *intro_label;
  AdwPasswordEntryRow *current_password;
  AdwPasswordEntryRow *new_password;
  AdwPasswordEntryRow *confirm_password;
  GhPasswordFeedback *feedback;
  GtkLabel *error_label;
};

G_DEFINE_FINAL_TYPE (GhChangePasswordDialog, gh_change_password_dialog, ADW_TYPE_WINDOW)

enum {
  PASSWORD_CHANGED,
  LOCKED_OUT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static void
show_message (GhChangePasswordDialog *self,
              const char             *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static gboolean
ready (GhChangePasswordDialog *self)
{
  return !self->busy && text_of (self->current_password)[0] != '\0' &&
         gh_password_feedback_get_acceptable (self->feedback);
}

static void
changed_cb (GhChangePasswordDialog *self)
{
  gh_password_feedback_update (self->feedback, text_of (self->new_password),
                               gh_session_get_username (self->session),
                               text_of (self->confirm_password));
  gtk_widget_set_sensitive (GTK_WIDGET (self->change_button), ready (self));
}

static void
set_busy (GhChangePasswordDialog *self,
          gboolean                busy)
{
  self->busy = busy;
  gtk_editable_set_editable (GTK_EDITABLE (self->current_password), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->new_password), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->confirm_password), !busy);
  changed_cb (self);
}

static void
change_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhChangePasswordDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gh_auth_worker_finish (result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;

    set_busy (self, FALSE);
    show_message (self, error->message);

    if (g_error_matches (error, GH_ERROR, GH_ERROR_LOCKED_OUT)) {
      g_signal_emit (self, signals[LOCKED_OUT], 0, error);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
    if (g_error_matches (error, GH_ERROR, GH_ERROR_AUTH_FAILED)) {
      gtk_editable_set_text (GTK_EDITABLE (self->current_password), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->current_password));
    } else {
      gtk_widget_grab_focus (GTK_WIDGET (self->new_password));
    }
    return;
  }

  set_busy (self, FALSE);
  g_signal_emit (self, signals[PASSWORD_CHANGED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
change_clicked_cb (GhChangePasswordDialog *self)
{
  if (!ready (self))
    return;

  show_message (self, NULL);
  set_busy (self, TRUE);
  gh_auth_worker_change_password_async (self->database, self->session,
                                        text_of (self->current_password),
                                        text_of (self->new_password), self->cancellable,
                                        change_done_cb, g_object_ref (self));
}

static void
current_activated_cb (GhChangePasswordDialog *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->new_password));
}

static void
new_activated_cb (GhChangePasswordDialog *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->confirm_password));
}

static void
cancel_clicked_cb (GhChangePasswordDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (self->required && parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.sign-out", NULL);

  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
gh_change_password_dialog_close_request (GtkWindow *window)
{
  GhChangePasswordDialog *self = GH_CHANGE_PASSWORD_DIALOG (window);

  /* Escape or the window manager: the same as Cancel (Sign Out when required). */
  if (self->required) {
    cancel_clicked_cb (self);
    return TRUE;
  }

  return GTK_WINDOW_CLASS (gh_change_password_dialog_parent_class)->close_request (window);
}

static void
gh_change_password_dialog_dispose (GObject *object)
{
  GhChangePasswordDialog *self = GH_CHANGE_PASSWORD_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_CHANGE_PASSWORD_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->database);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (gh_change_password_dialog_parent_class)->dispose (object);
}

static void
gh_change_password_dialog_class_init (GhChangePasswordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = gh_change_password_dialog_dispose;
  window_class->close_request = gh_change_password_dialog_close_request;

  /**
   * GhChangePasswordDialog::password-changed:
   *
   * The new password is stored; the dialog closes.
   */
  signals[PASSWORD_CHANGED] =
    g_signal_new ("password-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);

  /**
   * GhChangePasswordDialog::locked-out:
   * @error: the #GH_ERROR_LOCKED_OUT error, which says until when
   *
   * Too many wrong current passwords locked the account; the dialog closes.
   */
  signals[LOCKED_OUT] =
    g_signal_new ("locked-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  g_type_ensure (GH_TYPE_PASSWORD_FEEDBACK);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/gh-change-password-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GhChangePasswordDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, GhChangePasswordDialog, change_button);
  gtk_widget_class_bind_template_child (widget_class, GhChangePasswordDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, GhChangePasswordDialog, current_password);
  gtk_widget_class_bind_template_child (widget_class, GhChangePasswordDialog, new_password);
  gtk_widget_class_bind_template_child (widget_class, GhChangePasswordDialog, confirm_password);
  gtk_widget_class_bind_template_child (widget_class, GhChangePasswordDialog, feedback);
  gtk_widget_class_bind_template_child (widget_class, GhChangePasswordDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, change_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, current_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
gh_change_password_dialog_init (GhChangePasswordDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gh_a11y_label_entry_rows (GTK_WIDGET (self));
}

/**
 * gh_change_password_dialog_new:
 * @parent: the main window
 * @database: the database
 * @session: the operator whose password changes
 * @required: whether an administrator reset the password, so it must be changed now
 *
 * Returns: (transfer none): a new dialog, not yet shown; it destroys itself when done
 */
GhChangePasswordDialog *
gh_change_password_dialog_new (GtkWindow  *parent,
                               GhDatabase *database,
                               GhSession  *session,
                               gboolean    required)
{
  GhChangePasswordDialog *self;
  g_autofree char *intro = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);
  g_return_val_if_fail (GH_IS_SESSION (session), NULL);

  self = g_object_new (GH_TYPE_CHANGE_PASSWORD_DIALOG, "transient-for", parent, NULL);
  self->database = g_object_ref (database);
  self->session = g_object_ref (session);
  self->required = required;

  if (required) {
    /* Translators: %s is the operator's user name */
    intro = g_strdup_printf (_("An administrator set the password of %s. Choose a new one "
                               "that only you know before you continue."),
                             gh_session_get_username (session));
    gtk_button_set_label (self->cancel_button, _("Sign _Out"));
  } else {
    /* Translators: %s is the operator's user name */
    intro = g_strdup_printf (_("Change the password of %s. A wrong current password counts "
                               "as a failed sign-in."), gh_session_get_username (session));
  }
  gtk_label_set_text (self->intro_label, intro);
  changed_cb (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->current_password));

  return self;
}
