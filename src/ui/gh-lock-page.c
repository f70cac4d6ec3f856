/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-lock-page"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-lock-page.h"
#include "gh-a11y.h"
#include "gh-auth-worker.h"

#include "gh-error.h"

/*
 * GhLockPage: covers the main window after idle time (or Lock in the menu). Only the operator
 * who is signed in can unlock it, with their password; a wrong password counts towards the
 * sign-in lockout like any failed sign-in. Sign Out (win.sign-out) hands the desk to someone
 * else.
 */
struct _GhLockPage
{
  GtkWidget parent_instance;

  GhDatabase *database; /* (owned) (nullable) */
  GhSession *session; /* (owned) (nullable) */
  GCancellable *cancellable; /* (owned) (nullable) */

  /* Template children */
  AdwStatusPage *status_page;
  AdwPasswordEntryRow *password;
  GtkLabel *error_label;
  GtkButton *unlock_button;
  GtkSpinner *spinner;
};

G_DEFINE_FINAL_TYPE (GhLockPage, gh_lock_page, GTK_TYPE_WIDGET)

enum {
  UNLOCKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (GhLockPage *self,
              const char *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (GhLockPage *self,
          gboolean    busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button),
                            !busy && gtk_editable_get_text (GTK_EDITABLE (self->password))[0]);
}

static void
password_changed_cb (GhLockPage *self)
{
  set_busy (self, self->cancellable != NULL);
}

static void
unlock_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhLockPage) self = user_data;
  g_autoptr(GhSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = gh_auth_worker_login_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  gtk_editable_set_text (GTK_EDITABLE (self->password), "");
  set_busy (self, FALSE);

  if (session != NULL && self->session != NULL &&
      gh_session_get_operator_id (session) != gh_session_get_operator_id (self->session)) {
    /* Cannot happen with the name fixed, but never unlock someone else's desk. */
    show_message (self, _("Only the operator who locked Gatehouse can unlock it."));
    return;
  }

  if (session == NULL) {
    /* The name is fixed here, so only the password can be wrong. */
    if (g_error_matches (error, GH_ERROR, GH_ERROR_AUTH_FAILED))
      show_message (self, _("Wrong password."));
    else
      show_message (self, error->message);
    gtk_widget_grab_focus (GTK_WIDGET (self->password));
    return;
  }

  show_message (self, NULL);
  g_signal_emit (self, signals[UNLOCKED], 0);
}

static void
unlock_clicked_cb (GhLockPage *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password));

  if (self->cancellable != NULL || self->database == NULL || self->session == NULL ||
      password[0] == '\0')
    return;

  show_message (self, NULL);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  gh_auth_worker_login_async (self->database, gh_session_get_username (self->session), password,
                              self->cancellable, unlock_done_cb, g_object_ref (self));
}

static void
cancel (GhLockPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static gboolean
gh_lock_page_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (GH_LOCK_PAGE (widget)->password));
}

static void
gh_lock_page_dispose (GObject *object)
{
  GhLockPage *self = GH_LOCK_PAGE (object);

  GtkWidget *child;

  cancel (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_LOCK_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->database);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (gh_lock_page_parent_class)->dispose (object);
}

static void
gh_lock_page_class_init (GhLockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_lock_page_dispose;
  widget_class->grab_focus = gh_lock_page_grab_focus;

  /**
   * GhLockPage::unlocked:
   *
   * The operator typed their password correctly.
   */
  signals[UNLOCKED] =
    g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/gh-lock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GhLockPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, GhLockPage, password);
  gtk_widget_class_bind_template_child (widget_class, GhLockPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, GhLockPage, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, GhLockPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, password_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, unlock_clicked_cb);
}

static void
gh_lock_page_init (GhLockPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gh_a11y_label_entry_rows (GTK_WIDGET (self));
}

GtkWidget *
gh_lock_page_new (void)
{
  return g_object_new (GH_TYPE_LOCK_PAGE, NULL);
}

/**
 * gh_lock_page_reset:
 * @self: a #GhLockPage
 * @database: (nullable): the database to check the password against
 * @session: (nullable): the session that is locked
 *
 * Prepares the page for a new lock: clears the field and any message and names the operator
 * who may unlock.
 */
void
gh_lock_page_reset (GhLockPage *self,
                    GhDatabase *database,
                    GhSession  *session)
{
  g_autofree char *description = NULL;

  g_return_if_fail (GH_IS_LOCK_PAGE (self));

  cancel (self);
  g_set_object (&self->database, database);
  g_set_object (&self->session, session);

  if (session != NULL)
    /* Translators: %s is an operator's user name */
    description = g_strdup_printf (_("Signed in as %s. Enter your password to "
                                     "continue."),
                                   gh_session_get_username (session));
  adw_status_page_set_description (self->status_page, description);

  gtk_editable_set_text (GTK_EDITABLE (self->password), "");
  show_message (self, NULL);
  set_busy (self, FALSE);
}
