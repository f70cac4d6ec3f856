/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include "gh-application.h"
#include "gh-window.h"

#include "views/building-manager/gh-building-manager-view.h"
#include "views/call-groups/gh-call-groups-view.h"
#include "views/devices/gh-devices-view.h"
#include "views/dial-management/gh-dial-management-view.h"
#include "views/information-release/gh-information-release-view.h"
#include "views/intercom/gh-intercom-view.h"
#include "views/permissions/gh-permissions-view.h"
#include "views/personnel/gh-personnel-view.h"
#include "views/records/gh-records-view.h"

#include "gh-error.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* One application for the whole run: a GApplication exports itself on the session bus under
 * its ID, so a second one in the same process could not register. */
static GhApplication *app;
static char *tmp_dir;
static char *data_dir;

typedef struct {
  GhWindow *window; /* (borrowed): owned by the application */
} Fixture;

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  /* Activating without a window opens a new one, as launching the app again would. */
  g_application_activate (G_APPLICATION (app));
  spin ();

  fixture->window = GH_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (GH_IS_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  g_list_free (windows);
  spin ();
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL) {
    while ((name = g_dir_read_name (dir)) != NULL) {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  }
  g_remove (path);
}

static void
test_data_dir_created (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *db_path = g_build_filename (data_dir, "gatehouse.db", NULL);
  GStatBuf st;

  g_assert_cmpint (g_stat (data_dir, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_assert_nonnull (gh_application_get_database (app));
  g_assert_true (g_file_test (db_path, G_FILE_TEST_IS_REGULAR));
}

static void
test_data_dir_error (void)
{
  g_autoptr(GhApplication) other = gh_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (tmp_dir, "a-file", NULL);
  g_autofree char *bad_dir = NULL;

  g_assert_true (g_file_set_contents (file, "not a folder", -1, &error));
  g_assert_no_error (error);

  /* A data folder below a regular file cannot be created. */
  bad_dir = g_build_filename (file, "data", NULL);
  gh_application_set_data_dir (other, bad_dir);
  g_assert_false (gh_application_ensure_data_dir (other, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, bad_dir));
  g_assert_null (gh_application_get_database (other));

  g_remove (file);
}

static void
test_default_data_dir (void)
{
  g_autoptr(GhApplication) plain = gh_application_new ();
  g_autoptr(GhApplication) demo_app = gh_application_new ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "gatehouse", NULL);
  g_autofree char *expected_demo = g_build_filename (g_get_user_data_dir (), "gatehouse-demo",
                                                     NULL);

  g_assert_cmpstr (gh_application_get_data_dir (plain), ==, expected);

  gh_application_set_demo (demo_app, TRUE);
  g_assert_true (gh_application_get_demo (demo_app));
  g_assert_cmpstr (gh_application_get_data_dir (demo_app), ==, expected_demo);
}

static const struct {
  const char *name;
  GType (*get_type) (void);
} views[] = {
  { "personnel", gh_personnel_view_get_type },
  { "permissions", gh_permissions_view_get_type },
  { "devices", gh_devices_view_get_type },
  { "building-manager", gh_building_manager_view_get_type },
  { "dial-management", gh_dial_management_view_get_type },
  { "call-groups", gh_call_groups_view_get_type },
  { "information-release", gh_information_release_view_get_type },
  { "intercom", gh_intercom_view_get_type },
  { "records", gh_records_view_get_type },
};

static void
test_views_exist (Fixture       *fixture,
                  gconstpointer  user_data)
{
  for (guint i = 0; i < G_N_ELEMENTS (views); i++) {
    GtkWidget *view = gh_window_get_view (fixture->window, views[i].name);

    g_assert_nonnull (view);
    g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (view, views[i].get_type ()));
  }

  g_assert_null (gh_window_get_view (fixture->window, "no-such-view"));
  g_assert_false (gh_window_show_view (fixture->window, "no-such-view"));
}

static void
test_show_view_action (Fixture       *fixture,
                       gconstpointer  user_data)
{
  /* Go through them backwards so each switch is a real change. */
  for (int i = G_N_ELEMENTS (views) - 1; i >= 0; i--) {
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view",
                                               "s", views[i].name));
    spin ();
    g_assert_cmpstr (gh_window_get_visible_view_name (fixture->window), ==, views[i].name);
    g_assert_true (gtk_widget_get_mapped (gh_window_get_view (fixture->window, views[i].name)));
  }
}

static void
test_last_view_restored (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GhWindow *second;

  gh_window_show_view (fixture->window, "call-groups");
  spin ();
  g_assert_cmpstr (g_settings_get_string (settings, "last-view"), ==, "call-groups");

  second = gh_window_new (GTK_APPLICATION (app), FALSE);
  g_assert_cmpstr (gh_window_get_visible_view_name (second), ==, "call-groups");
  gtk_window_destroy (GTK_WINDOW (second));
}

static void
test_window_size_saved (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 777, 555);
  gtk_window_close (GTK_WINDOW (fixture->window));
  spin ();

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 777);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 555);
}

static void
test_accels_and_help (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_auto(GStrv) quit_accels = gtk_application_get_accels_for_action (
    GTK_APPLICATION (app), "app.quit");

  g_assert_true (g_strv_contains ((const char * const *) quit_accels, "<Control>q"));
  g_assert_nonnull (gtk_application_window_get_help_overlay (
    GTK_APPLICATION_WINDOW (fixture->window)));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
}

static void
test_about (Fixture       *fixture,
            gconstpointer  user_data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwAboutWindow *about = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  spin ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

    if (ADW_IS_ABOUT_WINDOW (item))
      about = ADW_ABOUT_WINDOW (item);
  }

  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Gatehouse");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  gtk_window_destroy (GTK_WINDOW (about));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) session = NULL;
  int status;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL) {
    printf ("1..0 # SKIP no display (DISPLAY is not set)\n");
    return 0;
  }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  tmp_dir = g_dir_make_tmp ("gatehouse-ui-XXXXXX", &error);
  g_assert_no_error (error);
  /* Two levels that do not exist yet: the application must create both. */
  data_dir = g_build_filename (tmp_dir, "nested", "data", NULL);

  app = gh_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  gh_application_set_data_dir (app, data_dir);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  /* Signed in up front (as the demo is), so activation opens the main window; test-auth
   * covers the sign-in windows. */
  session = gh_session_new (1, "tester", GH_ROLE_ADMINISTRATOR, "gui");
  gh_application_set_session (app, session);

  g_test_add ("/ui/window/data-dir-created", Fixture, NULL,
              fixture_set_up, test_data_dir_created, fixture_tear_down);
  g_test_add_func ("/ui/application/data-dir-error", test_data_dir_error);
  g_test_add_func ("/ui/application/default-data-dir", test_default_data_dir);
  g_test_add ("/ui/window/views-exist", Fixture, NULL,
              fixture_set_up, test_views_exist, fixture_tear_down);
  g_test_add ("/ui/window/show-view-action", Fixture, NULL,
              fixture_set_up, test_show_view_action, fixture_tear_down);
  g_test_add ("/ui/window/last-view-restored", Fixture, NULL,
              fixture_set_up, test_last_view_restored, fixture_tear_down);
  g_test_add ("/ui/window/size-saved", Fixture, NULL,
              fixture_set_up, test_window_size_saved, fixture_tear_down);
  g_test_add ("/ui/window/accels-and-help", Fixture, NULL,
              fixture_set_up, test_accels_and_help, fixture_tear_down);
  g_test_add ("/ui/application/about", Fixture, NULL,
              fixture_set_up, test_about, fixture_tear_down);

  status = g_test_run ();

  g_clear_object (&app);
  remove_tree (tmp_dir);
  g_clear_pointer (&data_dir, g_free);
  g_clear_pointer (&tmp_dir, g_free);

  return status;
}
