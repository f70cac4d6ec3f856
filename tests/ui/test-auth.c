/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-auth"

#include "config.h"

#include "gh-application.h"
#include "gh-auth-window.h"
#include "gh-change-password-dialog.h"
#include "gh-lock-page.h"
#include "gh-operators-dialog.h"
#include "gh-password-feedback.h"
#include "gh-window.h"

#include "gh-auth.h"
#include "gh-error.h"
#include "gh-operator-store.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

/*
 * The sign-in path of the GUI on a real database: the first-run page creates the
 * administrator, wrong passwords and the lockout show their messages on the sign-in page, the
 * idle lock engages and lets only the right password through, and passwords change from the
 * menu. The tests run in order and share one application (one per process, as on the bus).
 */

#define ADMIN_NAME     "admin"
#define ADMIN_PASSWORD "Gate#House7"
#define NEW_PASSWORD   "Porter+Lodge9"
#define GUARD_NAME     "nightguard"
#define GUARD_PASSWORD "Moon&Lamp42"
#define DEADLINE_MS    20000

static GhApplication *app;
static char *tmp_dir;

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @cond holds or the deadline passes; the worker threads finish on
 * their own time. */
static gboolean
spin_until (gboolean (*cond) (gpointer),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;
  guint wake = g_timeout_add (50, wake_cb, NULL);
  gboolean met;

  while (!(met = cond (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);

  return met;
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gpointer
find_window (GType type)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next) {
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      return l->data;
  }
  return NULL;
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

    if (G_TYPE_CHECK_INSTANCE_TYPE (item, type))
      return item;
  }
  return NULL;
}

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

static void
set_text (gpointer    widget,
          GType       type,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (widget, type, name)), text);
}

static gboolean
main_window_shown (gpointer data)
{
  return find_window (GH_TYPE_WINDOW) != NULL && find_window (GH_TYPE_AUTH_WINDOW) == NULL;
}

static gboolean
label_shown (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (data)) &&
         gtk_label_get_text (GTK_LABEL (data))[0] != '\0';
}

static gboolean
window_locked (gpointer data)
{
  return gh_window_get_locked (GH_WINDOW (data));
}

static gboolean
window_unlocked (gpointer data)
{
  return !gh_window_get_locked (GH_WINDOW (data));
}

static gboolean
dialog_gone (gpointer data)
{
  return find_toplevel (GH_TYPE_CHANGE_PASSWORD_DIALOG) == NULL;
}

static GhDatabase *
database (void)
{
  GhDatabase *db = gh_application_get_database (app);

  g_assert_nonnull (db);
  return db;
}

static void
test_first_run (void)
{
  GhAuthWindow *window;
  GhPasswordFeedback *feedback;
  GtkWidget *create;
  g_autofree char *text = NULL;
  GhSession *session;

  g_application_activate (G_APPLICATION (app));
  spin ();

  window = find_window (GH_TYPE_AUTH_WINDOW);
  g_assert_nonnull (window);
  g_assert_null (find_window (GH_TYPE_WINDOW));
  g_assert_cmpstr (gh_auth_window_get_page_name (window), ==, "first-run");

  feedback = child (window, GH_TYPE_AUTH_WINDOW, "first_run_feedback");
  create = child (window, GH_TYPE_AUTH_WINDOW, "create_button");
  g_assert_false (gtk_widget_get_sensitive (create));

  /* Live feedback names each broken rule while typing. */
  set_text (window, GH_TYPE_AUTH_WINDOW, "first_run_name", ADMIN_NAME);
  set_text (window, GH_TYPE_AUTH_WINDOW, "first_run_password", "admin123");
  text = gh_password_feedback_dup_text (feedback);
  g_assert_nonnull (strstr (text, "“admin”"));
  g_assert_nonnull (strstr (text, "“123”"));
  g_assert_false (gtk_widget_get_sensitive (create));
  g_clear_pointer (&text, g_free);

  /* Good password, no confirmation yet, then a wrong one. */
  set_text (window, GH_TYPE_AUTH_WINDOW, "first_run_password", ADMIN_PASSWORD);
  set_text (window, GH_TYPE_AUTH_WINDOW, "first_run_confirm", "Gate#House");
  text = gh_password_feedback_dup_text (feedback);
  g_assert_nonnull (strstr (text, "follows every rule"));
  g_assert_nonnull (strstr (text, "differ"));
  g_assert_false (gtk_widget_get_sensitive (create));

  set_text (window, GH_TYPE_AUTH_WINDOW, "first_run_confirm", ADMIN_PASSWORD);
  g_assert_true (gtk_widget_get_sensitive (create));
  g_assert_true (gh_password_feedback_get_acceptable (feedback));

  gtk_widget_activate (create);
  g_assert_true (spin_until (main_window_shown, NULL));

  session = gh_application_get_session (app);
  g_assert_nonnull (session);
  g_assert_cmpstr (gh_session_get_username (session), ==, ADMIN_NAME);
  g_assert_cmpint (gh_session_get_role (session), ==, GH_ROLE_ADMINISTRATOR);
  g_assert_true (gh_window_get_session (find_window (GH_TYPE_WINDOW)) == session);
  g_assert_true (gh_auth_has_operators (database (), NULL));
}

static GhAuthWindow *
sign_out (void)
{
  GhAuthWindow *window;

  gh_application_sign_out (app);
  spin ();

  g_assert_null (gh_application_get_session (app));
  g_assert_null (find_window (GH_TYPE_WINDOW));
  window = find_window (GH_TYPE_AUTH_WINDOW);
  g_assert_nonnull (window);
  g_assert_cmpstr (gh_auth_window_get_page_name (window), ==, "sign-in");

  return window;
}

static const char *
try_sign_in (GhAuthWindow *window,
             const char   *username,
             const char   *password)
{
  GtkLabel *error_label = child (window, GH_TYPE_AUTH_WINDOW, "login_error");

  set_text (window, GH_TYPE_AUTH_WINDOW, "login_name", username);
  set_text (window, GH_TYPE_AUTH_WINDOW, "login_password", password);
  /* Enter in the password field signs in. */
  g_signal_emit_by_name (child (window, GH_TYPE_AUTH_WINDOW, "login_password"),
                         "entry-activated");
  g_assert_true (spin_until (label_shown, error_label));
  g_assert_null (find_window (GH_TYPE_WINDOW));

  return gtk_label_get_text (error_label);
}

static void
test_wrong_password (void)
{
  GhAuthWindow *window = sign_out ();
  const char *message;

  message = try_sign_in (window, ADMIN_NAME, "Not-the-one1");
  g_assert_cmpstr (message, ==, "Wrong user name or password.");

  /* An unknown name gets the very same answer. */
  message = try_sign_in (window, "nobody", "Not-the-one1");
  g_assert_cmpstr (message, ==, "Wrong user name or password.");

  /* The password field is emptied for the next try; the name stays. */
  g_assert_cmpstr (gtk_editable_get_text (child (window, GH_TYPE_AUTH_WINDOW, "login_password")),
                   ==, "");
}

static void
test_lockout (void)
{
  GhAuthWindow *window = find_window (GH_TYPE_AUTH_WINDOW);
  g_autoptr(GhOperatorStore) store = gh_operator_store_new (database ());
  g_autoptr(GhSession) system = gh_session_new_system ("test");
  g_autoptr(GError) error = NULL;
  const char *message = NULL;

  g_assert_cmpint (gh_operator_store_add (store, system, GUARD_NAME, GUARD_PASSWORD,
                                          GH_ROLE_GUARD, &error), >, 0);
  g_assert_no_error (error);

  for (guint i = 1; i <= GH_AUTH_DEFAULT_MAX_FAILURES; i++) {
    message = try_sign_in (window, GUARD_NAME, "Wrong-Guess1");
    if (i < GH_AUTH_DEFAULT_MAX_FAILURES)
      g_assert_cmpstr (message, ==, "Wrong user name or password.");
  }
  g_assert_nonnull (strstr (message, "locked until"));

  /* Even the right password is refused now, and the message says until when. */
  message = try_sign_in (window, GUARD_NAME, GUARD_PASSWORD);
  g_assert_nonnull (strstr (message, "locked until"));
  g_assert_null (gh_application_get_session (app));
}

static void
sign_in_as_admin (const char *password)
{
  GhAuthWindow *window = find_window (GH_TYPE_AUTH_WINDOW);

  g_assert_nonnull (window);
  set_text (window, GH_TYPE_AUTH_WINDOW, "login_name", ADMIN_NAME);
  set_text (window, GH_TYPE_AUTH_WINDOW, "login_password", password);
  gtk_widget_activate (child (window, GH_TYPE_AUTH_WINDOW, "sign_in_button"));
  g_assert_true (spin_until (main_window_shown, NULL));
  g_assert_cmpstr (gh_session_get_username (gh_application_get_session (app)), ==, ADMIN_NAME);
}

static void
test_idle_lock (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GhOperatorStore) store = gh_operator_store_new (database ());
  g_autoptr(GhOperator) admin = NULL;
  g_autoptr(GError) error = NULL;
  GhWindow *window;
  GhLockPage *lock_page;
  GtkLabel *error_label;

  sign_in_as_admin (ADMIN_PASSWORD);
  window = find_window (GH_TYPE_WINDOW);
  g_assert_false (gh_window_get_locked (window));

  g_settings_set_uint (settings, "idle-lock-seconds", 1);
  g_assert_true (spin_until (window_locked, window));

  lock_page = child (window, GH_TYPE_WINDOW, "lock_page");
  error_label = child (lock_page, GH_TYPE_LOCK_PAGE, "error_label");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));

  /* A wrong password keeps it locked and says so. */
  set_text (lock_page, GH_TYPE_LOCK_PAGE, "password", "Not-the-one1");
  gtk_widget_activate (child (lock_page, GH_TYPE_LOCK_PAGE, "unlock_button"));
  g_assert_true (spin_until (label_shown, error_label));
  g_assert_cmpstr (gtk_label_get_text (error_label), ==, "Wrong password.");
  g_assert_true (gh_window_get_locked (window));

  /* …and counts towards the lock-out like a failed sign-in. */
  admin = gh_operator_store_find (store, gh_application_get_session (app), ADMIN_NAME, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (admin->failed_attempts, ==, 1);

  /* No idle lock while unlocking; then the right password. */
  g_settings_set_uint (settings, "idle-lock-seconds", 0);
  set_text (lock_page, GH_TYPE_LOCK_PAGE, "password", ADMIN_PASSWORD);
  g_signal_emit_by_name (child (lock_page, GH_TYPE_LOCK_PAGE, "password"), "entry-activated");
  g_assert_true (spin_until (window_unlocked, window));
  g_assert_nonnull (gh_application_get_session (app));

  /* The menu locks too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL));
  g_assert_true (gh_window_get_locked (window));
  set_text (lock_page, GH_TYPE_LOCK_PAGE, "password", ADMIN_PASSWORD);
  gtk_widget_activate (child (lock_page, GH_TYPE_LOCK_PAGE, "unlock_button"));
  g_assert_true (spin_until (window_unlocked, window));
}

static void
test_change_password (void)
{
  GhWindow *window = find_window (GH_TYPE_WINDOW);
  GhChangePasswordDialog *dialog;
  g_autoptr(GhSession) check = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *change;
  GtkLabel *error_label;

  g_assert_nonnull (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.change-password", NULL));
  spin ();
  dialog = find_toplevel (GH_TYPE_CHANGE_PASSWORD_DIALOG);
  g_assert_nonnull (dialog);
  change = child (dialog, GH_TYPE_CHANGE_PASSWORD_DIALOG, "change_button");
  error_label = child (dialog, GH_TYPE_CHANGE_PASSWORD_DIALOG, "error_label");

  /* The new password gets the same live feedback. */
  set_text (dialog, GH_TYPE_CHANGE_PASSWORD_DIALOG, "current_password", "Not-the-one1");
  set_text (dialog, GH_TYPE_CHANGE_PASSWORD_DIALOG, "new_password", "aaa");
  g_assert_false (gtk_widget_get_sensitive (change));
  set_text (dialog, GH_TYPE_CHANGE_PASSWORD_DIALOG, "new_password", NEW_PASSWORD);
  set_text (dialog, GH_TYPE_CHANGE_PASSWORD_DIALOG, "confirm_password", NEW_PASSWORD);
  g_assert_true (gtk_widget_get_sensitive (change));

  /* A wrong current password is refused… */
  gtk_widget_activate (change);
  g_assert_true (spin_until (label_shown, error_label));
  g_assert_cmpstr (gtk_label_get_text (error_label), ==, "The current password is not correct.");

  /* …the right one changes it. */
  set_text (dialog, GH_TYPE_CHANGE_PASSWORD_DIALOG, "current_password", ADMIN_PASSWORD);
  gtk_widget_activate (change);
  g_assert_true (spin_until (dialog_gone, NULL));

  check = gh_auth_login (database (), ADMIN_NAME, NEW_PASSWORD, "test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (check);
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

static gboolean
three_operators_listed (gpointer data)
{
  return count_children (GTK_WIDGET (data)) == 3;
}

static gboolean
signed_out (gpointer data)
{
  return gh_application_get_session (app) == NULL;
}

static gboolean
required_dialog_shown (gpointer data)
{
  return main_window_shown (NULL) && find_toplevel (GH_TYPE_CHANGE_PASSWORD_DIALOG) != NULL;
}

static void
test_operators_dialog (void)
{
  GhWindow *window = find_window (GH_TYPE_WINDOW);
  g_autoptr(GhOperatorStore) store = gh_operator_store_new (database ());
  g_autoptr(GhOperator) clerk = NULL;
  g_autoptr(GError) error = NULL;
  GhOperatorsDialog *dialog;
  GhChangePasswordDialog *required;
  GhAuthWindow *auth;
  GtkWidget *list;

  g_assert_nonnull (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.operators", NULL));
  spin ();
  dialog = find_toplevel (GH_TYPE_OPERATORS_DIALOG);
  g_assert_nonnull (dialog);
  /* The administrator and the guard locked out above. */
  g_assert_cmpuint (gh_operators_dialog_reload (dialog), ==, 2);

  /* Add an operator with a role. */
  list = child (dialog, GH_TYPE_OPERATORS_DIALOG, "list");
  set_text (dialog, GH_TYPE_OPERATORS_DIALOG, "add_name", "deskclerk");
  set_text (dialog, GH_TYPE_OPERATORS_DIALOG, "add_password", "Desk*Work5");
  adw_combo_row_set_selected (child (dialog, GH_TYPE_OPERATORS_DIALOG, "add_role"),
                              GH_ROLE_OPERATOR);
  gtk_widget_activate (child (dialog, GH_TYPE_OPERATORS_DIALOG, "add_button"));
  g_assert_true (spin_until (three_operators_listed, list));
  gtk_window_destroy (GTK_WINDOW (dialog));

  clerk = gh_operator_store_find (store, gh_application_get_session (app), "deskclerk", &error);
  g_assert_no_error (error);
  g_assert_cmpint (clerk->role, ==, GH_ROLE_OPERATOR);

  /* After an administrator's reset, the owner must choose a new password first; leaving
   * that dialog signs out. */
  g_assert_true (gh_operator_store_reset_password (store, gh_application_get_session (app),
                                                   clerk->id, "Temp#Pass42", &error));
  g_assert_no_error (error);
  auth = sign_out ();
  set_text (auth, GH_TYPE_AUTH_WINDOW, "login_name", "deskclerk");
  set_text (auth, GH_TYPE_AUTH_WINDOW, "login_password", "Temp#Pass42");
  gtk_widget_activate (child (auth, GH_TYPE_AUTH_WINDOW, "sign_in_button"));
  g_assert_true (spin_until (required_dialog_shown, NULL));
  /* An operator is no administrator: no Operators action. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (find_window (GH_TYPE_WINDOW)),
                                              "win.operators", NULL) &&
                  find_toplevel (GH_TYPE_OPERATORS_DIALOG) != NULL);
  required = find_toplevel (GH_TYPE_CHANGE_PASSWORD_DIALOG);
  /* A realized button emits ::clicked a moment after it is activated. */
  gtk_widget_activate (child (required, GH_TYPE_CHANGE_PASSWORD_DIALOG, "cancel_button"));
  g_assert_true (spin_until (signed_out, NULL));
  g_assert_nonnull (find_window (GH_TYPE_AUTH_WINDOW));

  sign_in_as_admin (NEW_PASSWORD);
}

static void
test_permission_denied_is_a_toast (void)
{
  GhWindow *window = find_window (GH_TYPE_WINDOW);
  g_autoptr(GError) error = g_error_new_literal (GH_ERROR, GH_ERROR_PERMISSION_DENIED,
                                                 "Only an Administrator may do this.");

  g_autoptr(GError) broken = g_error_new_literal (GH_ERROR, GH_ERROR_STORAGE,
                                                  "The disk is full.");
  GtkWindow *dialog;

  g_assert_nonnull (window);
  gh_window_report_error (window, "Not Allowed", error);
  spin ();
  /* A toast, not a dialog over the window… */
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  /* …while anything else that fails gets a dialog. */
  gh_window_report_error (window, "Could Not Save", broken);
  spin ();
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "The disk is full.");
  gtk_window_destroy (dialog);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL) {
    while ((name = g_dir_read_name (dir)) != NULL) {
      g_autofree char *path_child = g_build_filename (path, name, NULL);

      remove_tree (path_child);
    }
  }
  g_remove (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) system = NULL;
  g_autofree char *data_dir = NULL;
  GhAuthPolicy policy;
  int status;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL) {
    printf ("1..0 # SKIP no display (DISPLAY is not set)\n");
    return 0;
  }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  tmp_dir = g_dir_make_tmp ("gatehouse-auth-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (tmp_dir, "data", NULL);

  app = gh_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  gh_application_set_data_dir (app, data_dir);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  /* Fast hashes: the test checks the flow, not PBKDF2's cost. */
  g_assert_true (gh_application_ensure_data_dir (app, &error));
  g_assert_true (gh_application_open_database (app, &error));
  g_assert_no_error (error);
  system = gh_session_new_system ("test");
  gh_auth_get_policy (gh_application_get_database (app), &policy);
  policy.kdf_iterations = GH_AUTH_MIN_KDF_ITERATIONS;
  g_assert_true (gh_auth_set_policy (gh_application_get_database (app), system, &policy,
                                     &error));
  g_assert_no_error (error);

  g_test_add_func ("/ui/auth/first-run", test_first_run);
  g_test_add_func ("/ui/auth/wrong-password", test_wrong_password);
  g_test_add_func ("/ui/auth/lockout", test_lockout);
  g_test_add_func ("/ui/auth/idle-lock", test_idle_lock);
  g_test_add_func ("/ui/auth/change-password", test_change_password);
  g_test_add_func ("/ui/auth/operators-dialog", test_operators_dialog);
  g_test_add_func ("/ui/auth/permission-denied-toast", test_permission_denied_is_a_toast);

  status = g_test_run ();

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;
       l = gtk_application_get_windows (GTK_APPLICATION (app)))
    gtk_window_destroy (GTK_WINDOW (l->data));
  spin ();
  g_clear_object (&app);
  remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return status;
}
