/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Event streams and device behaviour: rings, unlocks, alarms, the attach replay quirk. */
#include "sim-test-util.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

static SimProc *sim;

static void
ctl_ok (const char *device,
        const char *action,
        const char *json)
{
  long status = 0;
  g_autoptr(json_object) reply = sim_ctl (sim, device, action, json, &status);

  g_assert_cmpint (status, ==, 200);
}

static guint
count_rows (SimProc    *s,
            const char *device,
            const char *query)
{
  g_autofree char *path = g_strdup_printf ("/cgi-bin/recordFinder.cgi?action=find&%s", query);
  g_autoptr(SimReply) reply = sim_cgi (s, device, path);
  g_autofree char *found = sim_kv (reply->body->str, "found");

  g_assert_cmpint (reply->status, ==, 200);
  g_assert_nonnull (found);
  return atoi (found);
}

static void
test_attach_format (void)
{
  SimStream *stream = sim_stream_open (sim, "VTH-1101",
                                       "action=attach&codes=%5BAll%5D&heartbeat=1");
  g_autofree char *headers = sim_stream_dup_headers (stream);

  g_assert_true (strstr (headers, "Content-Type: multipart/x-mixed-replace; boundary=myboundary")
                 != NULL);
  g_assert_true (sim_stream_wait (stream, "--myboundary\r\nContent-Type: text/plain\r\n"
                                  "Content-Length: 9\r\n\r\nHeartbeat\r\n\r\n", 2500));
  g_assert_true (sim_stream_wait (stream, "Heartbeat\r\n\r\n--myboundary", 2500));
  sim_stream_close (stream);

  {
    g_autoptr(SimReply) bad = sim_cgi (sim, "VTH-1101",
                                       "/cgi-bin/eventManager.cgi?action=attach&codes=%5BAll%5D"
                                       "&heartbeat=99");
    g_assert_cmpint (bad->status, ==, 400);
  }
}

/* The Content-Length of every part counts the body without its trailing CRLF. */
static void
assert_lengths (const char *text)
{
  const char *at = text;

  while ((at = strstr (at, "Content-Length: ")) != NULL) {
    int length = atoi (at + strlen ("Content-Length: "));
    const char *body = strstr (at, "\r\n\r\n") + 4;

    g_assert_true (strncmp (body + length, "\r\n\r\n", 4) == 0);
    at = body;
  }
}

static void
test_ring_answered (void)
{
  SimStream *vto = sim_stream_open (sim, "VTO-A", "action=attach&codes=%5BAll%5D");
  SimStream *vth = sim_stream_open (sim, "VTH-1101", "action=attach&codes=%5BAll%5D");
  g_autoptr(json_object) state = NULL;
  json_object *v;
  g_autofree char *text = NULL;
  guint before = count_rows (sim, "VTO-A", "name=VideoTalkLog");

  ctl_ok ("VTO-A", "ring", "{\"room\":\"1101\"}");
  g_assert_true (sim_stream_wait (vto, "Code=Invite;action=Pulse;index=0;data={", 2000));
  g_assert_true (sim_stream_wait (vto, "Code=CallNoAnswered;action=Start;index=0;data={", 2000));
  g_assert_true (sim_stream_wait (vto, "\"State\" : 1", 2000));
  g_assert_true (sim_stream_wait (vto, "\"UserID\" : \"1101\"", 2000));
  g_assert_true (sim_stream_wait (vth, "Code=Invite;action=Pulse", 2000));
  state = sim_state (sim, "VTH-1101-2");
  g_assert_true (json_object_object_get_ex (state, "call_state", &v));
  g_assert_cmpstr (json_object_get_string (v), ==, "Ringing");
  {
    /* Busy while the call is up. */
    long status = 0;
    g_autoptr(json_object) busy = sim_ctl (sim, "VTO-A", "ring", "{\"room\":\"1101\"}", &status);

    g_assert_cmpint (status, ==, 409);
  }

  ctl_ok ("VTH-1101", "answer", "{}");
  g_assert_true (sim_stream_wait (vto, "Code=IgnoreInvite;action=Pulse", 2000));
  g_assert_true (sim_stream_wait (vto, "\"State\" : 5", 2000));
  g_clear_pointer (&state, json_object_put);
  state = sim_state (sim, "VTO-A");
  json_object_object_get_ex (state, "call_state", &v);
  g_assert_cmpstr (json_object_get_string (v), ==, "Talking");
  /* No call-log row while the call is still running. */
  g_assert_cmpuint (count_rows (sim, "VTO-A", "name=VideoTalkLog"), ==, before);

  ctl_ok ("VTH-1101", "hangup", "{}");
  g_assert_true (sim_stream_wait (vto, "Code=HungupPhone;action=Pulse", 2000));
  g_assert_cmpuint (count_rows (sim, "VTO-A", "name=VideoTalkLog"), ==, before + 1);
  {
    g_autoptr(SimReply) log = sim_cgi (sim, "VTO-A",
                                       "/cgi-bin/recordFinder.cgi?action=find&name=VideoTalkLog");
    g_autofree char *key = g_strdup_printf ("records[%u].EndState", before);
    g_autofree char *end_state = sim_kv (log->body->str, key);
    g_autofree char *key2 = g_strdup_printf ("records[%u].CallType", before);
    g_autofree char *call_type = sim_kv (log->body->str, key2);

    g_assert_cmpstr (end_state, ==, "Received");
    g_assert_cmpstr (call_type, ==, "Outgoing");
  }
  text = sim_stream_dup_text (vto);
  assert_lengths (text);
  sim_stream_close (vto);
  sim_stream_close (vth);
}

static void
test_ring_unanswered (void)
{
  SimStream *vto = sim_stream_open (sim, "VTO-A", "action=attach&codes=%5BAll%5D");
  guint before = count_rows (sim, "VTO-A", "name=VideoTalkLog");
  guint vth_before = count_rows (sim, "VTH-1101", "name=VideoTalkLog");

  ctl_ok ("VTO-A", "ring", "{\"room\":\"1101\"}");
  g_assert_true (sim_stream_wait (vto, "Code=CallNoAnswered;action=Start", 2000));
  g_assert_false (sim_stream_wait (vto, "Code=CallNoAnswered;action=Stop", 800));
  g_assert_true (sim_stream_wait (vto, "Code=CallNoAnswered;action=Stop", 2000));
  g_assert_true (sim_stream_wait (vto, "\"State\" : 6", 2000));
  g_assert_cmpuint (count_rows (sim, "VTO-A", "name=VideoTalkLog"), ==, before + 1);
  g_assert_cmpuint (count_rows (sim, "VTH-1101", "name=VideoTalkLog"), ==, vth_before + 1);
  {
    g_autoptr(SimReply) log = sim_cgi (sim, "VTO-A",
                                       "/cgi-bin/recordFinder.cgi?action=find&name=VideoTalkLog");
    g_autofree char *key = g_strdup_printf ("records[%u].EndState", before);
    g_autofree char *end_state = sim_kv (log->body->str, key);
    g_autofree char *key2 = g_strdup_printf ("records[%u].TalkTime", before);
    g_autofree char *talk = sim_kv (log->body->str, key2);

    g_assert_cmpstr (end_state, ==, "Missed");
    g_assert_cmpstr (talk, ==, "0");
  }
  /* Hung up by the door station while ringing */
  sim_stream_clear (vto);
  ctl_ok ("VTO-A", "ring", "{\"room\":\"1101\"}");
  g_assert_true (sim_stream_wait (vto, "Code=CallNoAnswered;action=Start", 2000));
  ctl_ok ("VTO-A", "hangup", "{}");
  g_assert_true (sim_stream_wait (vto, "Code=CallNoAnswered;action=Stop", 500));
  sim_stream_close (vto);

  {
    long status = 0;
    g_autoptr(json_object) none = sim_ctl (sim, "VTO-A", "ring", "{\"room\":\"4242\"}", &status);

    g_assert_cmpint (status, ==, 404); /* no monitor, no ring */
  }
}

static void
test_remote_unlock (void)
{
  SimStream *vto = sim_stream_open (sim, "VTO-A", "action=attach&codes=%5BAll%5D");
  g_autoptr(SimReply) open = sim_cgi (sim, "VTO-A",
                                      "/cgi-bin/accessControl.cgi?action=openDoor&channel=2"
                                      "&UserID=1101&Type=Remote");
  const char *at;
  g_autofree char *text = NULL;

  g_assert_cmpint (open->status, ==, 200);
  g_assert_true (sim_stream_wait (vto, "Code=AccessControl;action=Pulse;index=1", 2000));
  g_assert_true (sim_stream_wait (vto, "\"Method\" : 4", 2000));
  g_assert_true (sim_stream_wait (vto, "\"Status\" : \"Open\"", 2000));
  g_assert_true (sim_stream_wait (vto, "\"Status\" : \"Close\"", 3000));
  text = sim_stream_dup_text (vto);
  at = strstr (text, "\"Status\" : \"Open\"");
  g_assert_true (at != NULL && strstr (at, "\"Status\" : \"Close\"") != NULL);
  g_assert_cmpuint (count_rows (sim, "VTO-A", "name=AccessControlCardRec&condition.UserID=1101"),
                    >=, 1);
  sim_stream_close (vto);
}

static void
test_alarm_replay (void)
{
  SimStream *first = sim_stream_open (sim, "VTO-A", "action=attach&codes=%5BAll%5D");
  SimStream *late;
  g_autofree char *text = NULL;

  ctl_ok ("VTO-A", "alarm", "{\"input\":1,\"active\":true}");
  g_assert_true (sim_stream_wait (first, "Code=AlarmLocal;action=Start;index=1", 2000));
  g_usleep (1100 * 1000);

  /* A fresh attach sees the still-active Start again, stamped before the connection. */
  late = sim_stream_open (sim, "VTO-A", "action=attach&codes=%5BAll%5D");
  g_assert_false (sim_stream_wait (late, "Code=AlarmLocal;action=Start;index=1", 300));
  g_assert_true (sim_stream_wait (late, "Code=AlarmLocal;action=Start;index=1", 2000));
  g_assert_cmpuint (sim_stream_count (late, "Code=AlarmLocal;action=Start"), ==, 1);
  text = sim_stream_dup_text (late);
  {
    g_autofree char *first_text = sim_stream_dup_text (first);
    const char *start = "Code=AlarmLocal;action=Start;index=1";
    const char *utc_a = strstr (strstr (first_text, start), "\"UTC\" : ");
    const char *utc_b = strstr (strstr (text, start), "\"UTC\" : ");

    g_assert_nonnull (utc_a);
    g_assert_nonnull (utc_b);
    g_assert_true (strncmp (utc_a, utc_b, 18) == 0);
  }
  ctl_ok ("VTO-A", "alarm", "{\"input\":1,\"active\":false}");
  g_assert_true (sim_stream_wait (late, "Code=AlarmLocal;action=Stop;index=1", 2000));
  sim_stream_close (late);

  ctl_ok ("VTO-A", "tamper", "{\"active\":true}");
  g_assert_true (sim_stream_wait (first, "Code=AlarmLocal;action=Start;index=8", 2000));
  g_assert_true (sim_stream_wait (first, "\"SenseMethod\" : \"Tamper\"", 2000));
  ctl_ok ("VTO-A", "tamper", "{\"active\":false}");
  g_assert_true (sim_stream_wait (first, "Code=AlarmLocal;action=Stop;index=8", 2000));

  ctl_ok ("VTO-A", "door", "{\"door\":1,\"open\":true}");
  g_assert_true (sim_stream_wait (first, "Code=BreakIn;action=Pulse;index=0", 2000));
  ctl_ok ("VTO-A", "door", "{\"door\":1,\"open\":false}");
  g_assert_true (sim_stream_wait (first, "\"Status\" : \"Close\"", 2000));
  sim_stream_close (first);

  g_assert_cmpuint (count_rows (sim, "VTO-A", "name=AlarmRecord&condition.AlarmType=AlarmLocal"),
                    ==, 2);
  g_assert_cmpuint (count_rows (sim, "VTO-A", "name=AlarmRecord&condition.AlarmType=BreakIn"),
                    ==, 1);
  g_assert_cmpuint (count_rows (sim, "VTO-A", "name=AlarmRecord&condition.AlarmType=Tamper"),
                    ==, 2);
}

static void
test_code_filter (void)
{
  SimStream *doors = sim_stream_open (sim, "FENCE-1", "action=attach&codes=%5BDoorStatus%5D");
  g_autoptr(SimReply) open = sim_cgi (sim, "FENCE-1",
                                      "/cgi-bin/accessControl.cgi?action=openDoor&channel=1");

  g_assert_cmpint (open->status, ==, 200);
  g_assert_true (sim_stream_wait (doors, "Code=DoorStatus", 2000));
  g_assert_cmpuint (sim_stream_count (doors, "Code=AccessControl"), ==, 0);
  g_assert_cmpuint (sim_stream_count (doors, "Code=BackKeyLight"), ==, 0);
  sim_stream_close (doors);
}

static void
test_sip_register (void)
{
  SimStream *stream = sim_stream_open (sim, "VTO-LOCK", "action=attach&codes=%5BAll%5D");

  /* reported every sip_report_seconds (1 s here, 20 s by default) */
  g_assert_true (sim_stream_wait (stream, "Code=SIPRegisterResult;action=Pulse;index=0;data={",
                                  2500));
  g_assert_true (sim_stream_wait (stream, "\"Success\" : true", 2500));
  sim_stream_close (stream);
}

/* The load generator: every device emits the asked rate for the asked time, door stations a
 * refused card and monitors an alarm input; with stamp_events each part says when it left. */
static void
test_load (void)
{
  SimProc *stamped = sim_proc_start (
    "{\"defaults\":{\"stamp_events\":true,\"sip_report_seconds\":0},\"devices\":["
    "{\"name\":\"VTO-L\",\"kind\":\"vto\",\"number\":\"8001\"},"
    "{\"name\":\"VTH-L\",\"kind\":\"vth\",\"number\":\"1101\"}]}", NULL);
  SimStream *vto = sim_stream_open (stamped, "VTO-L", "action=attach&codes=%5BAll%5D");
  SimStream *vth = sim_stream_open (stamped, "VTH-L", "action=attach&codes=%5BAll%5D");
  g_autofree char *url = g_strconcat (stamped->control, "/load", NULL);
  const char *start = "{\"rate\": 40, \"seconds\": 0.5}";
  g_autoptr(SimReply) reply = NULL;
  g_autoptr(SimReply) bad = NULL;
  g_autoptr(SimReply) status = NULL;
  g_autofree char *text = NULL;
  guint cards, alarms;

  g_usleep (300 * 1000); /* past the attach */
  reply = sim_post (url, SIM_AUTH_NONE, NULL, NULL, "application/json", start, strlen (start));
  g_assert_cmpint (reply->status, ==, 200);
  g_assert_nonnull (strstr (reply->body->str, "\"running\":true"));
  g_usleep (900 * 1000);
  status = sim_get (url, SIM_AUTH_NONE, NULL, NULL);
  g_assert_cmpint (status->status, ==, 200);
  /* 40 per second per device for half a second: 20 each, 40 in all */
  g_assert_nonnull (strstr (status->body->str, "\"sent\":40"));
  g_assert_nonnull (strstr (status->body->str, "\"running\":false"));
  cards = sim_stream_count (vto, "Code=AccessControl;action=Pulse");
  alarms = sim_stream_count (vth, "Code=AlarmLocal;action=");
  g_assert_cmpuint (cards, ==, 20);
  g_assert_cmpuint (alarms, ==, 20);
  text = sim_stream_dup_text (vto);
  g_assert_nonnull (strstr (text, "\"GhSimSentUs\" : "));
  g_assert_nonnull (strstr (text, "\"ErrorCode\" : 16"));

  bad = sim_post (url, SIM_AUTH_NONE, NULL, NULL, "application/json", "{\"rate\": -1}", 12);
  g_assert_cmpint (bad->status, ==, 400);
  g_assert_nonnull (strstr (bad->body->str, "rate"));
  sim_stream_close (vto);
  sim_stream_close (vth);
  sim_proc_stop (stamped);
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);
  sim = sim_proc_start (SIM_TEST_COMMUNITY, NULL);

  g_test_add_func ("/sim/events/attach-format", test_attach_format);
  g_test_add_func ("/sim/events/ring-answered", test_ring_answered);
  g_test_add_func ("/sim/events/ring-unanswered", test_ring_unanswered);
  g_test_add_func ("/sim/events/remote-unlock", test_remote_unlock);
  g_test_add_func ("/sim/events/alarm-replay", test_alarm_replay);
  g_test_add_func ("/sim/events/code-filter", test_code_filter);
  g_test_add_func ("/sim/events/sip-register", test_sip_register);
  g_test_add_func ("/sim/events/load", test_load);
  result = g_test_run ();

  sim_proc_stop (sim);
  curl_global_cleanup ();
  return result;
}
