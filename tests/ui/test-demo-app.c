/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-demo-app"

#include "config.h"

#include "gh-application.h"
#include "gh-window.h"

#include "gh-person-store.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * `gatehouse --demo --data-dir DIR`, in process: the simulator starts as a child, the demo
 * administrator is signed in without a prompt, the main window says "Demo" and the database
 * holds the seeded community; after app.quit no gatehouse-sim is left.
 */

#define DEADLINE_S 60

typedef struct {
  GhApplication *app;
  gboolean       seen;       /* the demo window was up with its simulator */
  guint          n_persons;
  char          *title;
  char          *operator;
  gint64         deadline;
} Run;

/* The live gatehouse-sim children of this process (zombies do not count). */
static guint
count_sim_children (void)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL) {
    g_autofree char *path = g_build_filename ("/proc", name, "stat", NULL);
    g_autofree char *stat = NULL;
    char state;
    int ppid;
    const char *close_paren;

    if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &stat, NULL, NULL))
      continue;
    close_paren = strrchr (stat, ')');
    if (close_paren == NULL || sscanf (close_paren + 2, "%c %d", &state, &ppid) != 2)
      continue;
    if (ppid == getpid () && state != 'Z' && strstr (stat, "(gatehouse-sim)") != NULL)
      n++;
  }
  return n;
}

static gboolean
poll_cb (gpointer user_data)
{
  Run *run = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));
  GhSession *session = gh_application_get_session (run->app);

  if (g_get_monotonic_time () > run->deadline) {
    g_printerr ("The demo window did not appear within %d s\n", DEADLINE_S);
    g_application_quit (G_APPLICATION (run->app));
    return G_SOURCE_REMOVE;
  }

  if (!GH_IS_WINDOW (window) || session == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return G_SOURCE_CONTINUE;

  {
    g_autoptr(GhPersonStore) persons =
      gh_person_store_new (gh_application_get_database (run->app));

    run->n_persons = gh_person_store_count (persons);
  }
  run->title = g_strdup (gtk_window_get_title (window));
  run->operator = g_strdup (gh_session_get_username (session));
  run->seen = count_sim_children () == 1;

  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
test_demo_app (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp_dir = g_dir_make_tmp ("gatehouse-demo-ui-XXXXXX", &error);
  g_autofree char *data_dir = NULL;
  g_autofree char *marker = NULL;
  char *argv[5];
  Run run = { 0 };
  int status;

  g_assert_no_error (error);
  data_dir = g_build_filename (tmp_dir, "demo", NULL);
  argv[0] = (char *)"gatehouse";
  argv[1] = (char *)"--demo";
  argv[2] = (char *)"--data-dir";
  argv[3] = data_dir;
  argv[4] = NULL;

  g_assert_cmpuint (count_sim_children (), ==, 0);

  run.app = gh_application_new ();
  run.deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
  g_timeout_add (100, poll_cb, &run);
  status = g_application_run (G_APPLICATION (run.app), 4, argv);
  g_assert_cmpint (status, ==, 0);

  g_assert_true (gh_application_get_demo (run.app));
  g_assert_true (run.seen);
  g_assert_nonnull (strstr (run.title, "Demo"));
  g_assert_cmpstr (run.operator, ==, "demo");
  g_assert_cmpuint (run.n_persons, ==, 40);

  /* Quit stopped the simulator and waited for it. */
  g_assert_cmpuint (count_sim_children (), ==, 0);

  marker = g_build_filename (data_dir, "demo-folder", NULL);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));

  g_clear_object (&run.app);
  g_free (run.title);
  g_free (run.operator);

  {
    g_autoptr(GDir) dir = g_dir_open (data_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
      g_autofree char *path = g_build_filename (data_dir, name, NULL);

      g_remove (path);
    }
    g_rmdir (data_dir);
    g_rmdir (tmp_dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL) {
    printf ("1..0 # SKIP no display (DISPLAY is not set)\n");
    return 0;
  }

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/demo/app", test_demo_app);

  return g_test_run ();
}
