/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-auth-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-auth-window.h"
#include "gh-a11y.h"
#include "gh-auth-worker.h"
#include "gh-password-feedback.h"

#include "gh-auth.h"
#include "gh-error.h"

/*
 * GhAuthWindow: what comes before the main window. With no operator in the database it shows
 * the first-run page, which creates the administrator; otherwise the sign-in page. Either way
 * it ends by emitting ::signed-in with the new session; the application then opens the main
 * window. Passwords are checked in a worker thread (gh-auth-worker.c), so the window keeps
 * drawing while the slow hash runs.
 */
struct _GhAuthWindow
{
  AdwApplicationWindow parent_instance;

  GhDatabase *database; /* (owned) (nullable): NULL when the database could not be opened */
  GCancellable *cancellable; /* (owned) */
  gboolean busy;

  /* Template children */
  GtkStack *stack;
  AdwEntryRow *first_run_name;
  AdwPasswordEntryRow *first_run_password;
  AdwPasswordEntryRow *first_run_confirm;
  GhPasswordFeedback *first_run_feedback;
  GtkLabel *first_run_error;
  GtkButton *create_button;
  GtkSpinner *create_spinner;
  AdwEntryRow *login_name;
  AdwPasswordEntryRow *login_password;
  GtkLabel *login_error;
  GtkButton *sign_in_button;
  GtkSpinner *sign_in_spinner;
  AdwStatusPage *unavailable_page;
};

G_DEFINE_FINAL_TYPE (GhAuthWindow, gh_auth_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static void
show_message (GtkLabel   *label,
              const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
set_busy (GhAuthWindow *self,
          gboolean      busy)
{
  self->busy = busy;

  gtk_widget_set_visible (GTK_WIDGET (self->create_spinner), busy);
  gtk_spinner_set_spinning (self->create_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_spinner), busy);
  gtk_spinner_set_spinning (self->sign_in_spinner, busy);

  /* Read-only rather than insensitive: the focus stays where it is, and GtkText does not
   * complain about a lost focus-out. */
  gtk_editable_set_editable (GTK_EDITABLE (self->first_run_name), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->first_run_password), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->first_run_confirm), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->login_name), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->login_password), !busy);
}

static gboolean
first_run_ready (GhAuthWindow *self)
{
  return !self->busy && self->database != NULL && text_of (self->first_run_name)[0] != '\0' &&
         gh_password_feedback_get_acceptable (self->first_run_feedback);
}

static void
first_run_changed_cb (GhAuthWindow *self)
{
  gh_password_feedback_update (self->first_run_feedback, text_of (self->first_run_password),
                               text_of (self->first_run_name), text_of (self->first_run_confirm));
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), first_run_ready (self));
}

static void
login_changed_cb (GhAuthWindow *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button),
                            !self->busy && self->database != NULL &&
                            text_of (self->login_name)[0] != '\0' &&
                            text_of (self->login_password)[0] != '\0');
}

static void
signed_in (GhAuthWindow *self,
           GhSession    *session)
{
  g_debug ("Signed in as %s", gh_session_get_username (session));
  g_signal_emit (self, signals[SIGNED_IN], 0, session);
}

static void
create_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhAuthWindow) self = user_data;
  g_autoptr(GhSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = gh_auth_worker_create_administrator_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  first_run_changed_cb (self);

  if (session == NULL) {
    show_message (self->first_run_error, error->message);
    /* Someone else created the first account meanwhile: sign in instead. */
    if (g_error_matches (error, GH_ERROR, GH_ERROR_EXISTS)) {
      gtk_stack_set_visible_child_name (self->stack, "sign-in");
      show_message (self->login_error, error->message);
    }
    return;
  }

  signed_in (self, session);
}

static void
create_clicked_cb (GhAuthWindow *self)
{
  if (!first_run_ready (self))
    return;

  show_message (self->first_run_error, NULL);
  set_busy (self, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), FALSE);
  gh_auth_worker_create_administrator_async (self->database, text_of (self->first_run_name),
                                             text_of (self->first_run_password),
                                             self->cancellable, create_done_cb,
                                             g_object_ref (self));
}

static void
first_run_name_activated_cb (GhAuthWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->first_run_password));
}

static void
first_run_password_activated_cb (GhAuthWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->first_run_confirm));
}

static void
first_run_confirm_activated_cb (GhAuthWindow *self)
{
  if (first_run_ready (self))
    create_clicked_cb (self);
}

static void
sign_in_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GhAuthWindow) self = user_data;
  g_autoptr(GhSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = gh_auth_worker_login_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);

  if (session == NULL) {
    show_message (self->login_error, error->message);
    gtk_editable_set_text (GTK_EDITABLE (self->login_password), "");
    gtk_widget_grab_focus (GTK_WIDGET (self->login_password));
    login_changed_cb (self);
    return;
  }

  signed_in (self, session);
}

static void
sign_in_clicked_cb (GhAuthWindow *self)
{
  if (self->busy || self->database == NULL)
    return;

  if (text_of (self->login_name)[0] == '\0') {
    gtk_widget_grab_focus (GTK_WIDGET (self->login_name));
    return;
  }
  if (text_of (self->login_password)[0] == '\0') {
    gtk_widget_grab_focus (GTK_WIDGET (self->login_password));
    return;
  }

  show_message (self->login_error, NULL);
  set_busy (self, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), FALSE);
  gh_auth_worker_login_async (self->database, text_of (self->login_name),
                              text_of (self->login_password), self->cancellable,
                              sign_in_done_cb, g_object_ref (self));
}

static void
login_name_activated_cb (GhAuthWindow *self)
{
  if (text_of (self->login_password)[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->login_password));
  else
    sign_in_clicked_cb (self);
}

static void
login_password_activated_cb (GhAuthWindow *self)
{
  sign_in_clicked_cb (self);
}

static void
stack_page_cb (GhAuthWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (name, "first-run") == 0) {
    gtk_window_set_title (GTK_WINDOW (self), _("Welcome to Gatehouse"));
    gtk_widget_grab_focus (GTK_WIDGET (self->first_run_name));
  } else if (g_strcmp0 (name, "sign-in") == 0) {
    gtk_window_set_title (GTK_WINDOW (self), _("Sign In to Gatehouse"));
    if (text_of (self->login_name)[0] == '\0')
      gtk_widget_grab_focus (GTK_WIDGET (self->login_name));
    else
      gtk_widget_grab_focus (GTK_WIDGET (self->login_password));
  } else {
    gtk_window_set_title (GTK_WINDOW (self), _("Gatehouse"));
  }
}

static void
gh_auth_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GhAuthWindow *self = GH_AUTH_WINDOW (object);

  switch (prop_id) {
  case PROP_DATABASE:
    g_value_set_object (value, self->database);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_auth_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GhAuthWindow *self = GH_AUTH_WINDOW (object);

  switch (prop_id) {
  case PROP_DATABASE:
    self->database = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_auth_window_constructed (GObject *object)
{
  GhAuthWindow *self = GH_AUTH_WINDOW (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (gh_auth_window_parent_class)->constructed (object);

  if (self->database == NULL)
    return;

  if (gh_auth_has_operators (self->database, &error)) {
    gtk_stack_set_visible_child_name (self->stack, "sign-in");
  } else if (error != NULL) {
    gh_auth_window_show_error (self, _("Database Unavailable"), error);
  } else {
    gtk_stack_set_visible_child_name (self->stack, "first-run");
  }
  stack_page_cb (self);
  first_run_changed_cb (self);
  login_changed_cb (self);
}

static void
gh_auth_window_dispose (GObject *object)
{
  GhAuthWindow *self = GH_AUTH_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_AUTH_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_auth_window_parent_class)->dispose (object);
}

static void
gh_auth_window_class_init (GhAuthWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = gh_auth_window_get_property;
  object_class->set_property = gh_auth_window_set_property;
  object_class->constructed = gh_auth_window_constructed;
  object_class->dispose = gh_auth_window_dispose;

  /**
   * GhAuthWindow:database:
   *
   * The database to sign in to, or %NULL when it could not be opened (the window then only
   * explains why; see gh_auth_window_show_error()).
   */
  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL, GH_TYPE_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GhAuthWindow::signed-in:
   * @session: the new session
   *
   * An operator signed in, or the first administrator was created (and signed in).
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, GH_TYPE_SESSION);

  g_type_ensure (GH_TYPE_PASSWORD_FEEDBACK);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/gh-auth-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GhAuthWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, GhAuthWindow, first_run_name);
  gtk_widget_class_bind_template_child (widget_class, GhAuthWindow, first_run_password);
  gtk_widget_class_bind_template_child (widget_class, GhAuthWindow, first_run_confirm);
  gtk_widget_class_bind_template_child (widget_class, GhAuthWindow, first_run_feedback);
  gtk_widget_class_bind_template_child (widget_class, GhAuthWindow, first_run_error);
  gtk_widget_class_bind_template_child (widget_class, GhAuthWindow, create_button);
  gtk_widget_class_bind_template_child (widget_class, GhAuthWindow, create_spinner);
  gtk_widget_class_bind_template_child (widget_class, GhAuthWindow, login_name);
  gtk_widget_class_bind_template_child (widget_class, GhAuthWindow, login_password);
  gtk_widget_class_bind_template_child (widget_class, GhAuthWindow, login_error);
  gtk_widget_class_bind_template_child (widget_class, GhAuthWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, GhAuthWindow, sign_in_spinner);
  gtk_widget_class_bind_template_child (widget_class, GhAuthWindow, unavailable_page);
  gtk_widget_class_bind_template_callback (widget_class, first_run_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, first_run_name_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, first_run_password_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, first_run_confirm_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, login_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, login_name_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, login_password_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, stack_page_cb);
}

static void
gh_auth_window_init (GhAuthWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gh_a11y_label_entry_rows (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->stack, "unavailable");
}

/**
 * gh_auth_window_new:
 * @application: the application
 * @database: (nullable): the open database, or %NULL if it could not be opened
 *
 * Returns: (transfer full): a window on the first-run page when @database has no operator
 *   yet, otherwise on the sign-in page
 */
GhAuthWindow *
gh_auth_window_new (GtkApplication *application,
                    GhDatabase     *database)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (database == NULL || GH_IS_DATABASE (database), NULL);

  return g_object_new (GH_TYPE_AUTH_WINDOW,
                       "application", application,
                       "database", database,
                       NULL);
}

/**
 * gh_auth_window_get_page_name:
 *
 * Returns: "first-run", "sign-in" or "unavailable"
 */
const char *
gh_auth_window_get_page_name (GhAuthWindow *self)
{
  g_return_val_if_fail (GH_IS_AUTH_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * gh_auth_window_show_error:
 * @self: a #GhAuthWindow
 * @heading: what failed, in a few words
 * @error: the error, whose message says what to do
 *
 * Replaces the forms with @error: nobody can sign in without a database.
 */
void
gh_auth_window_show_error (GhAuthWindow *self,
                           const char   *heading,
                           const GError *error)
{
  g_return_if_fail (GH_IS_AUTH_WINDOW (self));
  g_return_if_fail (heading != NULL);
  g_return_if_fail (error != NULL);

  adw_status_page_set_title (self->unavailable_page, heading);
  adw_status_page_set_description (self->unavailable_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "unavailable");
}
