/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "gh-application.h"
#include "gh-auth-window.h"
#include "gh-demo.h"
#include "gh-window.h"

#include "gh-auth.h"
#include "gh-database.h"
#include "gh-error.h"

#include <errno.h>
#include <unistd.h>

/*
 * GhApplication: owns the command line (--data-dir, --demo, --version), the data folder and the
 * application-wide actions (quit, about). A run with its own data folder is not unique, so a
 * demo and a normal session can be open side by side without one taking over the other.
 *
 * Nothing is shown before an operator signs in: activation opens the first-run or sign-in
 * window (GhAuthWindow) unless a session was set (gh_application_set_session(), as the demo
 * does), and the main window gets that session.
 */
struct _GhApplication
{
  AdwApplication parent_instance;

  char *data_dir; /* (owned) (nullable): NULL until set or defaulted */
  GhDatabase *database; /* (owned) (nullable): NULL until opened */
  GhSession *session; /* (owned) (nullable): NULL until an operator signs in */
  GhDemo *demo_community; /* (owned) (nullable): the simulator behind --demo */
  gboolean demo;
};

G_DEFINE_FINAL_TYPE (GhApplication, gh_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_DATA_DIR,
  PROP_DEMO,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "data-dir", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Keep the database and media in DIR (default: ~/.local/share/gatehouse)"), N_("DIR") },
  { "demo", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Run with the demo community in its own data folder"), NULL },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

static char *
default_data_dir (gboolean demo)
{
  return g_build_filename (g_get_user_data_dir (), demo ? "gatehouse-demo" : "gatehouse", NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* Close the windows first so each one saves its size and view. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);

  g_application_quit (app);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { N_("The Gatehouse developers"), NULL };
  const char *translated_developers[] = { _(developers[0]), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "application-name", _("Gatehouse"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Gatehouse developers"),
                        "developers", translated_developers,
                        "copyright", _("© 2026 The Gatehouse developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "comments", _("Manage the door stations, indoor monitors and residents "
                                      "of a community’s video intercom system."),
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
};

static void
present_main_window (GhApplication *self)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  GhWindow *window = NULL;

  for (GList *l = windows; l != NULL; l = l->next) {
    if (GH_IS_WINDOW (l->data) && window == NULL)
      window = GH_WINDOW (l->data);
  }

  if (window == NULL)
    window = gh_window_new (GTK_APPLICATION (self), self->demo);
  gh_window_set_session (window, self->session);
  gtk_window_present (GTK_WINDOW (window));

  for (GList *l = windows; l != NULL; l = l->next) {
    if (GH_IS_AUTH_WINDOW (l->data))
      gtk_window_destroy (GTK_WINDOW (l->data));
  }
  g_list_free (windows);

  /* An administrator set this password: its owner chooses a new one before anything else. */
  if (self->database != NULL && self->session != NULL &&
      gh_auth_must_change_password (self->database, self->session))
    gh_window_change_password (window, TRUE);
}

static void
signed_in_cb (GhApplication *self,
              GhSession     *session)
{
  gh_application_set_session (self, session);
}

static void
present_auth_window (GhApplication *self,
                     const char    *heading,
                     const GError  *error)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  GhAuthWindow *window;

  window = gh_auth_window_new (GTK_APPLICATION (self), self->database);
  g_signal_connect_object (window, "signed-in", G_CALLBACK (signed_in_cb), self,
                           G_CONNECT_SWAPPED);
  if (error != NULL)
    gh_auth_window_show_error (window, heading, error);
  gtk_window_present (GTK_WINDOW (window));

  /* Closing (not destroying) lets the main window save its size and view. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);
}

/* --demo: a dialog instead of the sign-in window; closing it ends the app. */
static void
show_demo_error (GhApplication *self,
                 const GError  *error)
{
  GtkWidget *dialog = adw_message_dialog_new (NULL, _("Demo Unavailable"), error->message);

  g_printerr ("%s\n", error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
demo_probed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint n = gh_demo_probe_finish (GH_DEMO (source), result, &error);

  g_debug ("%u demo devices answered the probe", n);
}

/* The simulator is ready: seed the fresh database, sign in as the demo administrator (no
 * password prompt), open the main window, then probe the devices as the app would. */
static void
demo_started_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GhApplication) self = user_data;
  g_autoptr(GhSession) session = NULL;
  g_autoptr(GError) error = NULL;

  if (gh_demo_start_finish (GH_DEMO (source), result, &error) &&
      gh_demo_seed (GH_DEMO (source), self->database, NULL, &error))
    session = gh_demo_seed_sign_in (self->database, &error);

  if (session != NULL) {
    gh_application_set_session (self, session);
    g_application_activate (G_APPLICATION (self));
    gh_demo_probe_async (GH_DEMO (source), self->database, NULL, demo_probed_cb, NULL);
  } else if (!g_error_matches (error, GH_ERROR, GH_ERROR_CANCELLED)) {
    show_demo_error (self, error);
  }
  g_application_release (G_APPLICATION (self));
}

static void
start_demo (GhApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *simulator = gh_demo_find_simulator (&error);
  g_autofree char *driver = simulator ? gh_demo_dup_default_driver (&error) : NULL;

  if (driver == NULL) {
    show_demo_error (self, error);
    return;
  }

  self->demo_community = gh_demo_new (simulator, driver);
  g_application_hold (G_APPLICATION (self));
  gh_demo_start_async (self->demo_community, NULL, demo_started_cb, g_object_ref (self));
}

static int
gh_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  GhApplication *self = GH_APPLICATION (application);
  g_autofree char *data_dir = NULL;

  if (g_variant_dict_contains (options, "version")) {
    g_print ("%s %s\n", "gatehouse", PACKAGE_VERSION);
    return 0;
  }

  if (g_variant_dict_contains (options, "demo"))
    gh_application_set_demo (self, TRUE);

  if (g_variant_dict_lookup (options, "data-dir", "^ay", &data_dir)) {
    g_autoptr(GFile) file = NULL;

    if (data_dir[0] == '\0') {
      g_printerr (_("The --data-dir option needs a folder name.\n"));
      return 1;
    }
    /* Resolve a relative path against the current folder, not the primary instance's. */
    file = g_file_new_for_commandline_arg (data_dir);
    g_free (data_dir);
    data_dir = g_file_get_path (file);
    gh_application_set_data_dir (self, data_dir);
  }

  /* A session with its own data folder must not hand over to, or take over, another one. */
  if (self->demo || self->data_dir != NULL)
    g_application_set_flags (application,
                             g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);

  return G_APPLICATION_CLASS (gh_application_parent_class)->handle_local_options (application,
                                                                                options);
}

static void
gh_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (gh_application_parent_class)->startup (application);

  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_window_set_default_icon_name (APP_ID);
}

static void
gh_application_activate (GApplication *application)
{
  GhApplication *self = GH_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (application));
  if (window != NULL) {
    gtk_window_present (window);
    return;
  }

  if (!gh_application_ensure_data_dir (self, &error)) {
    g_printerr ("%s\n", error->message);
    present_auth_window (self, _("Data Folder Unavailable"), error);
    return;
  }

  /* The demo starts from a fresh database every time. */
  if (self->demo && self->database == NULL &&
      !gh_demo_reset_data_dir (gh_application_get_data_dir (self), &error)) {
    show_demo_error (self, error);
    return;
  }

  if (!gh_application_open_database (self, &error)) {
    g_printerr ("%s\n", error->message);
    present_auth_window (self, _("Database Unavailable"), error);
    return;
  }

  if (self->demo && self->session == NULL) {
    if (self->demo_community == NULL)
      start_demo (self);
    return;
  }

  if (self->session != NULL)
    present_main_window (self);
  else
    present_auth_window (self, NULL, NULL);
}

static void
gh_application_shutdown (GApplication *application)
{
  GhApplication *self = GH_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  if (self->session != NULL && self->database != NULL &&
      !gh_auth_logout (self->database, self->session, "application closed", &error))
    g_warning ("Could not record the sign-out: %s", error->message);
  g_clear_object (&self->session);

  /* No simulator outlives the app (gh-demo.c also asks the kernel for that). */
  if (self->demo_community != NULL)
    gh_demo_stop (self->demo_community);
  g_clear_object (&self->demo_community);

  G_APPLICATION_CLASS (gh_application_parent_class)->shutdown (application);
}

static void
gh_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GhApplication *self = GH_APPLICATION (object);

  switch (prop_id) {
  case PROP_DATA_DIR:
    g_value_set_string (value, gh_application_get_data_dir (self));
    break;
  case PROP_DEMO:
    g_value_set_boolean (value, self->demo);
    break;
  case PROP_SESSION:
    g_value_set_object (value, self->session);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_application_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GhApplication *self = GH_APPLICATION (object);

  switch (prop_id) {
  case PROP_DATA_DIR:
    gh_application_set_data_dir (self, g_value_get_string (value));
    break;
  case PROP_DEMO:
    gh_application_set_demo (self, g_value_get_boolean (value));
    break;
  case PROP_SESSION:
    gh_application_set_session (self, g_value_get_object (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_application_finalize (GObject *object)
{
  GhApplication *self = GH_APPLICATION (object);

  g_clear_pointer (&self->data_dir, g_free);
  g_clear_object (&self->session);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_application_parent_class)->finalize (object);
}

static void
gh_application_class_init (GhApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->get_property = gh_application_get_property;
  object_class->set_property = gh_application_set_property;
  object_class->finalize = gh_application_finalize;

  app_class->handle_local_options = gh_application_handle_local_options;
  app_class->startup = gh_application_startup;
  app_class->activate = gh_application_activate;
  app_class->shutdown = gh_application_shutdown;

  /**
   * GhApplication:data-dir:
   *
   * The folder that holds the database and media. Defaults to `gatehouse` (or
   * `gatehouse-demo` in demo mode) under the user data folder.
   */
  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GhApplication:demo:
   *
   * Whether the application runs the demo community.
   */
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GhApplication:session:
   *
   * The signed-in operator, or %NULL. Setting it while the sign-in window is up replaces
   * that window with the main window.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, GH_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_application_init (GhApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

/**
 * gh_application_new:
 *
 * Returns: (transfer full): a new #GhApplication
 */
GhApplication *
gh_application_new (void)
{
  return g_object_new (GH_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

/**
 * gh_application_get_data_dir:
 * @self: a #GhApplication
 *
 * Returns: (transfer none): the data folder, the default one unless one was set
 */
const char *
gh_application_get_data_dir (GhApplication *self)
{
  g_return_val_if_fail (GH_IS_APPLICATION (self), NULL);

  if (self->data_dir == NULL)
    self->data_dir = default_data_dir (self->demo);

  return self->data_dir;
}

/**
 * gh_application_set_data_dir:
 * @self: a #GhApplication
 * @data_dir: (nullable): a folder, or %NULL for the default
 */
void
gh_application_set_data_dir (GhApplication *self,
                             const char    *data_dir)
{
  g_return_if_fail (GH_IS_APPLICATION (self));

  if (g_strcmp0 (self->data_dir, data_dir) == 0)
    return;

  g_free (self->data_dir);
  self->data_dir = g_strdup (data_dir);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_DIR]);
}

gboolean
gh_application_get_demo (GhApplication *self)
{
  g_return_val_if_fail (GH_IS_APPLICATION (self), FALSE);

  return self->demo;
}

/**
 * gh_application_set_demo:
 * @self: a #GhApplication
 * @demo: whether to run the demo community
 *
 * Switches demo mode. Call it before the data folder is read: the default folder depends on it.
 */
void
gh_application_set_demo (GhApplication *self,
                         gboolean       demo)
{
  g_return_if_fail (GH_IS_APPLICATION (self));

  demo = !!demo;
  if (self->demo == demo)
    return;

  self->demo = demo;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
}

/**
 * gh_application_ensure_data_dir:
 * @self: a #GhApplication
 * @error: return location for a #GH_ERROR_STORAGE error
 *
 * Creates the data folder (readable by the user only) if it does not exist, and checks that it
 * is a folder the user can write to.
 *
 * Returns: %TRUE if the folder is ready
 */
gboolean
gh_application_ensure_data_dir (GhApplication  *self,
                                GError        **error)
{
  const char *dir;

  g_return_val_if_fail (GH_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  dir = gh_application_get_data_dir (self);

  if (g_mkdir_with_parents (dir, 0700) != 0) {
    int saved_errno = errno;

    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("Could not create the data folder “%s”: %s. Check the permissions of the "
                   "folders above it, or start Gatehouse with --data-dir and another folder."),
                 dir, g_strerror (saved_errno));
    return FALSE;
  }

  if (g_access (dir, W_OK | X_OK) != 0) {
    int saved_errno = errno;

    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("The data folder “%s” cannot be written to: %s. Fix its permissions, or "
                   "start Gatehouse with --data-dir and another folder."),
                 dir, g_strerror (saved_errno));
    return FALSE;
  }

  return TRUE;
}

/**
 * gh_application_open_database:
 * @self: a #GhApplication
 * @error: return location for a #GError
 *
 * Opens (creating or upgrading it if needed) `gatehouse.db` in the data folder, which must
 * exist. Does nothing if the database is already open.
 *
 * Returns: %TRUE if the database is open
 */
gboolean
gh_application_open_database (GhApplication  *self,
                              GError        **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (GH_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->database != NULL)
    return TRUE;

  /* The store's messages name the file and say what to do. */
  path = g_build_filename (gh_application_get_data_dir (self), "gatehouse.db", NULL);
  self->database = gh_database_open (path, error);

  return self->database != NULL;
}

/**
 * gh_application_get_database:
 * @self: a #GhApplication
 *
 * Returns: (transfer none) (nullable): the open database, or %NULL before
 *   gh_application_open_database() succeeded
 */
GhDatabase *
gh_application_get_database (GhApplication *self)
{
  g_return_val_if_fail (GH_IS_APPLICATION (self), NULL);

  return self->database;
}

/**
 * gh_application_get_session:
 * @self: a #GhApplication
 *
 * Returns: (transfer none) (nullable): the signed-in operator's session
 */
GhSession *
gh_application_get_session (GhApplication *self)
{
  g_return_val_if_fail (GH_IS_APPLICATION (self), NULL);

  return self->session;
}

/**
 * gh_application_set_session:
 * @self: a #GhApplication
 * @session: (nullable): a session from gh_auth_login() or the like
 *
 * Signs the application in without the sign-in window (the demo does this with its demo
 * administrator) or records the sign-in the window made. Before activation, the first window
 * will then be the main window; afterwards the main window replaces the sign-in window.
 */
void
gh_application_set_session (GhApplication *self,
                            GhSession     *session)
{
  g_return_if_fail (GH_IS_APPLICATION (self));
  g_return_if_fail (session == NULL || GH_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);

  if (session != NULL && gtk_application_get_windows (GTK_APPLICATION (self)) != NULL)
    present_main_window (self);
}

/**
 * gh_application_sign_out:
 * @self: a #GhApplication
 *
 * Ends the session (audited), closes the main window and shows the sign-in window.
 */
void
gh_application_sign_out (GhApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) session = NULL;

  g_return_if_fail (GH_IS_APPLICATION (self));

  session = g_steal_pointer (&self->session);
  if (session == NULL)
    return;

  if (self->database != NULL &&
      !gh_auth_logout (self->database, session, "signed out", &error))
    g_warning ("Could not record the sign-out: %s", error->message);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  present_auth_window (self, NULL, NULL);
}
