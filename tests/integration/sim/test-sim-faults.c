/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Injected faults, reboot, persistence across runs and the control interface's errors. */
#include "sim-test-util.h"

#include <curl/curl.h>
#include <glib/gstdio.h>
#include <string.h>

static SimProc *sim;

static void
fault (const char *device,
       const char *json)
{
  long status = 0;
  g_autoptr(json_object) reply = sim_ctl (sim, device, "faults", json, &status);

  g_assert_cmpint (status, ==, 200);
}

static void
test_offline (void)
{
  SimStream *stream = sim_stream_open (sim, "VTO-A", "action=attach&codes=%5BAll%5D&heartbeat=1");
  g_autoptr(SimReply) down = NULL;
  g_autoptr(SimReply) up = NULL;

  fault ("VTO-A", "{\"offline\":true}");
  down = sim_cgi (sim, "VTO-A", "/cgi-bin/magicBox.cgi?action=getSerialNo");
  g_assert_cmpint (down->status, ==, -(long) CURLE_COULDNT_CONNECT);
  /* the stream was dropped with the device */
  for (guint i = 0; i < 100 && !sim_stream_is_done (stream); i++)
    g_usleep (20000);
  g_assert_true (sim_stream_is_done (stream));
  sim_stream_close (stream);
  {
    long status = 0;
    g_autoptr(json_object) ring = sim_ctl (sim, "VTO-A", "ring", "{\"room\":\"1101\"}", &status);

    g_assert_cmpint (status, ==, 409);
  }
  fault ("VTO-A", "{\"offline\":false}");
  up = sim_cgi (sim, "VTO-A", "/cgi-bin/magicBox.cgi?action=getSerialNo");
  g_assert_cmpint (up->status, ==, 200); /* same port as before */
}

static void
test_slow (void)
{
  gint64 start;
  g_autoptr(SimReply) reply = NULL;

  fault ("VTH-1101", "{\"slow_ms\":700}");
  start = g_get_monotonic_time ();
  reply = sim_cgi (sim, "VTH-1101", "/cgi-bin/magicBox.cgi?action=getDeviceType");
  g_assert_cmpint (reply->status, ==, 200);
  /* a digest exchange is two requests, each delayed */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1400 * 1000);
  {
    /* a slow device is slow to attach too, but then streams normally */
    SimStream *stream = sim_stream_open (sim, "VTH-1101",
                                         "action=attach&codes=%5BAll%5D&heartbeat=1");

    g_assert_true (sim_stream_wait (stream, "Heartbeat", 2500));
    sim_stream_close (stream);
  }
  fault ("VTH-1101", "{\"slow_ms\":0}");
  start = g_get_monotonic_time ();
  g_clear_pointer (&reply, sim_reply_free);
  reply = sim_cgi (sim, "VTH-1101", "/cgi-bin/magicBox.cgi?action=getDeviceType");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 500 * 1000);
}

static void
test_silent (void)
{
  SimStream *stream = sim_stream_open (sim, "FENCE-1", "action=attach&codes=%5BAll%5D&heartbeat=1");
  g_autoptr(SimReply) open = NULL;

  g_assert_true (sim_stream_wait (stream, "Heartbeat", 2500));
  fault ("FENCE-1", "{\"silent\":true}");
  g_usleep (200 * 1000);
  sim_stream_clear (stream);
  open = sim_cgi (sim, "FENCE-1", "/cgi-bin/accessControl.cgi?action=openDoor&channel=1");
  g_assert_cmpint (open->status, ==, 200);
  g_assert_false (sim_stream_wait (stream, "--myboundary", 2500));
  g_assert_false (sim_stream_is_done (stream)); /* silent, but the socket stays open */
  fault ("FENCE-1", "{\"silent\":false}");
  g_assert_true (sim_stream_wait (stream, "Heartbeat", 2500));
  sim_stream_close (stream);
}

static void
test_http_500_malformed_auth (void)
{
  g_autoptr(SimReply) err = NULL;
  g_autoptr(SimReply) garbled = NULL;
  g_autoptr(SimReply) picture = NULL;
  g_autoptr(SimReply) refused = NULL;
  g_autoptr(SimReply) fine = NULL;

  fault ("VTO-A", "{\"http_500\":true}");
  err = sim_cgi (sim, "VTO-A", "/cgi-bin/magicBox.cgi?action=getSerialNo");
  g_assert_cmpint (err->status, ==, 500);
  fault ("VTO-A", "{\"http_500\":false,\"malformed\":true}");
  garbled = sim_cgi (sim, "VTO-A", "/cgi-bin/magicBox.cgi?action=getSerialNo");
  g_assert_cmpint (garbled->status, ==, 200);
  g_assert_null (strchr (garbled->body->str, '='));
  picture = sim_cgi (sim, "VTO-A", "/cgi-bin/snapshot.cgi");
  g_assert_cmpint (picture->status, ==, 200);
  g_assert_cmpint ((guchar) picture->body->str[0], !=, 0xff);
  fault ("VTO-A", "{\"malformed\":false,\"auth_fail\":true}");
  refused = sim_cgi (sim, "VTO-A", "/cgi-bin/magicBox.cgi?action=getSerialNo");
  g_assert_cmpint (refused->status, ==, 401);
  fault ("VTO-A", "{\"auth_fail\":false}");
  g_usleep (100 * 1000);
  fine = sim_cgi (sim, "VTO-A", "/cgi-bin/magicBox.cgi?action=getSerialNo");
  g_assert_cmpint (fine->status, ==, 200);
  g_assert_cmpstr (fine->body->str, ==, "sn=SIMVTOA0001\r\n");
}

static void
test_reboot (void)
{
  g_autoptr(SimReply) insert = sim_cgi (sim, "VTO-A", "/cgi-bin/recordUpdater.cgi?action=insert"
                                        "&name=AccessControlCard&CardNo=REBOOT1");
  g_autoptr(SimReply) during = NULL;
  g_autoptr(SimReply) after = NULL;
  long status = 0;
  g_autoptr(json_object) reply = sim_ctl (sim, "VTO-A", "reboot", "{\"seconds\":1}", &status);

  g_assert_cmpint (insert->status, ==, 200);
  g_assert_cmpint (status, ==, 200);
  during = sim_cgi (sim, "VTO-A", "/cgi-bin/magicBox.cgi?action=getSerialNo");
  g_assert_cmpint (during->status, <, 0);
  g_usleep (1500 * 1000);
  after = sim_cgi (sim, "VTO-A", "/cgi-bin/recordFinder.cgi?action=find&name=AccessControlCard"
                   "&condition.CardNo=REBOOT1");
  g_assert_cmpint (after->status, ==, 200);
  g_assert_true (strstr (after->body->str, "found=1\r\n") != NULL); /* kept across reboot */
}

static int
stream_count (const char *device)
{
  g_autoptr(json_object) state = sim_state (sim, device);
  json_object *v;

  g_assert_true (json_object_object_get_ex (state, "event_streams", &v));
  return json_object_get_int (v);
}

/* A client that leaves a stream without heartbeats is noticed within a few seconds. */
static void
test_stream_gone (void)
{
  SimStream *stream = sim_stream_open (sim, "VTS-1", "action=attach&codes=%5BAll%5D");
  gint64 deadline;

  g_assert_cmpint (stream_count ("VTS-1"), ==, 1);
  sim_stream_close (stream);
  deadline = g_get_monotonic_time () + 8 * G_USEC_PER_SEC;
  while (stream_count ("VTS-1") > 0 && g_get_monotonic_time () < deadline)
    g_usleep (200 * 1000);
  g_assert_cmpint (stream_count ("VTS-1"), ==, 0);
}

static void
test_control_errors (void)
{
  long status = 0;
  g_autoptr(json_object) a = sim_ctl (sim, "NOPE", "ring", "{}", &status);

  g_assert_cmpint (status, ==, 404);
  {
    g_autoptr(json_object) b = sim_ctl (sim, "VTO-A", "faults", "{\"bogus\":true}", &status);

    g_assert_cmpint (status, ==, 400);
  }
  {
    g_autoptr(json_object) c = sim_ctl (sim, "VTH-1101", "card", "{\"card\":\"1\"}", &status);

    g_assert_cmpint (status, ==, 400); /* a monitor has no card reader */
  }
  {
    g_autoptr(json_object) d = sim_ctl (sim, "VTO-A", "dance", "{}", &status);

    g_assert_cmpint (status, ==, 404);
  }
  {
    g_autoptr(json_object) e = sim_ctl (sim, "VTO-A", "ring", "not json", &status);

    g_assert_cmpint (status, ==, 400);
  }
}

static void
test_state_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gh-sim-state-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "state.json", NULL);
  const char *args[] = { "--state", file, NULL };
  SimProc *first = sim_proc_start (SIM_TEST_COMMUNITY, args);
  SimProc *second;
  g_autofree char *url = g_strconcat (sim_http (first, "VTO-A"),
                                      "/cgi-bin/AccessCard.cgi?action=insertMulti", NULL);
  const char *card = "{\"CardList\":[{\"CardNo\":\"KEEP1\",\"UserID\":\"U1\"}]}";
  g_autoptr(SimReply) insert = sim_post (url, SIM_AUTH_DIGEST, "admin", "admin123",
                                         "application/json", card, strlen (card));
  g_autoptr(json_object) state = NULL;
  json_object *stores, *cards;

  g_assert_cmpint (insert->status, ==, 200);
  sim_proc_stop (first);
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));

  second = sim_proc_start (SIM_TEST_COMMUNITY, args);
  state = sim_state (second, "VTO-A");
  g_assert_true (json_object_object_get_ex (state, "stores", &stores));
  g_assert_true (json_object_object_get_ex (stores, "AccessCard", &cards));
  g_assert_true (json_object_object_get_ex (cards, "KEEP1", NULL));
  sim_proc_stop (second);
  g_unlink (file);
  g_rmdir (dir);
}

static void
test_bad_community (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gh-sim-bad-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "bad.json", NULL);
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *err = NULL;

  g_file_set_contents (file, "{\"devices\":[{\"name\":\"X\",\"kind\":\"toaster\"}]}", -1, &error);
  g_assert_no_error (error);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                           &error, g_getenv ("GATEHOUSE_SIM"), "--community", file, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_true (strstr (err, "\"kind\" must be one of vto, vth, vts, fence") != NULL);
  g_unlink (file);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);
  sim = sim_proc_start (SIM_TEST_COMMUNITY, NULL);

  g_test_add_func ("/sim/faults/offline", test_offline);
  g_test_add_func ("/sim/faults/slow", test_slow);
  g_test_add_func ("/sim/faults/silent", test_silent);
  g_test_add_func ("/sim/faults/http-500-malformed-auth", test_http_500_malformed_auth);
  g_test_add_func ("/sim/faults/reboot", test_reboot);
  g_test_add_func ("/sim/faults/stream-gone", test_stream_gone);
  g_test_add_func ("/sim/faults/control-errors", test_control_errors);
  g_test_add_func ("/sim/faults/state-file", test_state_file);
  g_test_add_func ("/sim/faults/bad-community", test_bad_community);
  result = g_test_run ();

  sim_proc_stop (sim);
  curl_global_cleanup ();
  return result;
}
