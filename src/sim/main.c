/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gatehouse-sim"

#include "config.h"

#include "gh-sim-community.h"

#include <glib-unix.h>
#include <jemalloc/jemalloc.h>
#include <libsoup/soup.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_object, json_object_put)

/* The programs allocate with jemalloc (alloc_dep in the top meson.build): says which one. */
static void
log_allocator (void)
{
  const char *version = NULL;
  size_t size = sizeof version;

  if (mallctl ("version", &version, &size, NULL, 0) == 0)
    g_debug ("Allocator: jemalloc %s", version);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* libsoup warns when a peer vanishes between accept() and the first read (clients dropping
 * sockets, the offline and reboot faults). That is network weather for a simulator, not a bug,
 * so it must not abort it even when G_DEBUG=fatal-warnings is set; everything else stays fatal. */
static gboolean
fatal_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  return !(g_strcmp0 (log_domain, "libsoup") == 0 && (log_level & G_LOG_LEVEL_WARNING));
}

/* Every attached event stream is a socket; a thousand devices need more than the default 1024. */
static void
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
      g_warning ("Could not raise the open-file limit; large communities may run out of sockets");
  }
}

static int
run_server (int    argc,
            char **argv)
{
  g_autofree char *community_file = NULL;
  g_autofree char *state_file = NULL;
  gboolean demo = FALSE;
  gboolean https = FALSE;
  int control_port = 0;
  GOptionEntry entries[] = {
    { "community", 'c', 0, G_OPTION_ARG_FILENAME, &community_file,
      "Community description (JSON, see docs/simulator.md)", "FILE" },
    { "demo", 'd', 0, G_OPTION_ARG_NONE, &demo, "Run the built-in demo community", NULL },
    { "state", 's', 0, G_OPTION_ARG_FILENAME, &state_file,
      "Keep what clients push in this file across runs", "FILE" },
    { "control-port", 0, 0, G_OPTION_ARG_INT, &control_port,
      "Port of the control server (default: ephemeral)", "PORT" },
    { "https", 0, 0, G_OPTION_ARG_NONE, &https,
      "Serve every device over HTTPS with a generated self-signed certificate", NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- simulate intercom devices");
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSimCommunity) community = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *control = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "Use `gatehouse-sim ctl --help` to drive a running simulator.");
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("gatehouse-sim: %s\n", error->message);
    return 2;
  }
  log_allocator ();
  if (demo == (community_file != NULL)) {
    g_printerr ("gatehouse-sim: give either --demo or --community FILE\n");
    return 2;
  }
  raise_fd_limit ();
  g_test_log_set_fatal_handler (fatal_log_cb, NULL);

  if (demo) {
    community = gh_sim_community_new_demo ();
  } else {
    community = gh_sim_community_new_from_file (community_file, &error);
    if (community == NULL) {
      g_printerr ("gatehouse-sim: %s\n", error->message);
      return 1;
    }
  }
  for (guint i = 0; https && i < gh_sim_community_get_n_devices (community); i++) {
    if (!gh_sim_device_set_https (gh_sim_community_get_device (community, i), &error)) {
      g_printerr ("gatehouse-sim: %s\n", error->message);
      return 1;
    }
  }
  if (control_port > 0)
    gh_sim_community_set_control_port (community, control_port);
  if (state_file)
    gh_sim_community_set_state_file (community, state_file);
  if (!gh_sim_community_start (community, &error)) {
    g_printerr ("gatehouse-sim: %s\n", error->message);
    return 1;
  }

  for (guint i = 0; i < gh_sim_community_get_n_devices (community); i++) {
    g_autofree char *line = gh_sim_device_dup_endpoint_json (
      gh_sim_community_get_device (community, i));

    printf ("%s\n", line);
  }
  control = gh_sim_community_dup_control_url (community);
  printf ("{\"control\":\"%s\"}\nREADY\n", control);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  gh_sim_community_stop (community);
  return 0;
}

/* ctl */

static int
run_ctl (int    argc,
         char **argv)
{
  g_autofree char *control = NULL;
  g_autofree char *room = NULL, *card = NULL, *user = NULL, *password = NULL, *code = NULL;
  g_auto(GStrv) faults = NULL;
  int door = 1, input = 0, seconds = -1;
  double rate = 10;
  gboolean inactive = FALSE, closed = FALSE;
  GOptionEntry entries[] = {
    { "control", 0, 0, G_OPTION_ARG_STRING, &control,
      "Control URL printed at start (or $GATEHOUSE_SIM_CONTROL)", "URL" },
    { "room", 0, 0, G_OPTION_ARG_STRING, &room, "Room to ring", "ROOM" },
    { "card", 0, 0, G_OPTION_ARG_STRING, &card, "Card number to swipe", "NUMBER" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "Person ID (password, face, fingerprint)", "ID" },
    { "password", 0, 0, G_OPTION_ARG_STRING, &password, "Password to enter", "PASSWORD" },
    { "code", 0, 0, G_OPTION_ARG_STRING, &code, "Room unlock code, e.g. 000011888888", "CODE" },
    { "door", 0, 0, G_OPTION_ARG_INT, &door, "Door number, from 1", "N" },
    { "input", 0, 0, G_OPTION_ARG_INT, &input, "Alarm input, from 0", "N" },
    { "clear", 0, 0, G_OPTION_ARG_NONE, &inactive, "Clear the alarm or tamper", NULL },
    { "close", 0, 0, G_OPTION_ARG_NONE, &closed, "Close a forced door", NULL },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Reboot downtime; how long a load runs", "S" },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, "Load: events per second per device", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults,
      "Fault to set (offline, slow_ms, silent, http_500, malformed, auth_fail)", "NAME=VALUE" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (
    "ACTION [DEVICE] - drive a running gatehouse-sim");
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(json_object) body = json_object_new_object ();
  g_autofree char *url = NULL;
  const char *action, *device;
  gboolean get = FALSE;
  guint status;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Actions: list, info, state, faults, audio, ring, answer, hangup, card, password,\n"
    "unlock-code, face, fingerprint, alarm, tamper, door, fault, reboot; and load (every\n"
    "device emits --rate events per second for --seconds; no DEVICE).");
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("gatehouse-sim ctl: %s\n", error->message);
    return 2;
  }
  if (control == NULL)
    control = g_strdup (g_getenv ("GATEHOUSE_SIM_CONTROL"));
  if (control == NULL || argc < 2) {
    g_printerr ("gatehouse-sim ctl: give --control URL and an ACTION (see --help)\n");
    return 2;
  }
  action = argv[1];
  device = argc > 2 ? argv[2] : NULL;
  if (g_strcmp0 (action, "list") == 0) {
    url = g_strdup_printf ("%s/devices", control);
    get = TRUE;
  } else if (g_strcmp0 (action, "load") == 0) {
    url = g_strdup_printf ("%s/load", control);
    json_object_object_add (body, "rate", json_object_new_double (rate));
    json_object_object_add (body, "seconds", json_object_new_int (seconds >= 0 ? seconds : 10));
  } else if (device == NULL) {
    g_printerr ("gatehouse-sim ctl: %s needs a DEVICE name\n", action);
    return 2;
  } else if (g_strcmp0 (action, "info") == 0) {
    url = g_strdup_printf ("%s/devices/%s", control, device);
    get = TRUE;
  } else if (g_strcmp0 (action, "state") == 0 || g_strcmp0 (action, "faults") == 0 ||
             g_strcmp0 (action, "audio") == 0) {
    url = g_strdup_printf ("%s/devices/%s/%s", control, device, action);
    get = TRUE;
  } else {
    const char *path = g_strcmp0 (action, "fault") == 0 ? "faults" : action;

    url = g_strdup_printf ("%s/devices/%s/%s", control, device, path);
    if (room)
      json_object_object_add (body, "room", json_object_new_string (room));
    if (card)
      json_object_object_add (body, "card", json_object_new_string (card));
    if (user)
      json_object_object_add (body, "user", json_object_new_string (user));
    if (password)
      json_object_object_add (body, "password", json_object_new_string (password));
    if (code)
      json_object_object_add (body, "code", json_object_new_string (code));
    if (g_strcmp0 (action, "fault") != 0)
      json_object_object_add (body, "door", json_object_new_int (door));
    if (g_strcmp0 (action, "alarm") == 0)
      json_object_object_add (body, "input", json_object_new_int (input));
    if (g_strcmp0 (action, "alarm") == 0 || g_strcmp0 (action, "tamper") == 0)
      json_object_object_add (body, "active", json_object_new_boolean (!inactive));
    if (g_strcmp0 (action, "door") == 0)
      json_object_object_add (body, "open", json_object_new_boolean (!closed));
    if (g_strcmp0 (action, "reboot") == 0)
      json_object_object_add (body, "seconds", json_object_new_int (seconds >= 0 ? seconds : 3));
    for (guint i = 0; faults && faults[i]; i++) {
      g_auto(GStrv) kv = g_strsplit (faults[i], "=", 2);

      if (kv[1] == NULL) {
        g_printerr ("gatehouse-sim ctl: --set takes NAME=VALUE\n");
        return 2;
      }
      if (g_strcmp0 (kv[1], "true") == 0 || g_strcmp0 (kv[1], "false") == 0)
        json_object_object_add (body, kv[0], json_object_new_boolean (kv[1][0] == 't'));
      else
        json_object_object_add (body, kv[0], json_object_new_int (atoi (kv[1])));
    }
  }

  session = soup_session_new ();
  msg = soup_message_new (get ? "GET" : "POST", url);
  if (msg == NULL) {
    g_printerr ("gatehouse-sim ctl: %s is not a valid URL\n", url);
    return 2;
  }
  if (!get) {
    const char *text = json_object_to_json_string (body);
    g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

    soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  if (reply == NULL) {
    g_printerr ("gatehouse-sim ctl: %s\n", error->message);
    return 1;
  }
  status = soup_message_get_status (msg);
  if (g_strcmp0 (action, "audio") == 0) {
    printf ("%zu\n", g_bytes_get_size (reply));
  } else {
    fwrite (g_bytes_get_data (reply, NULL), 1, g_bytes_get_size (reply), stdout);
    printf ("\n");
  }
  return status >= 200 && status < 300 ? 0 : 1;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  if (argc > 1 && g_strcmp0 (argv[1], "ctl") == 0)
    return run_ctl (argc - 1, argv + 1);
  return run_server (argc, argv);
}
