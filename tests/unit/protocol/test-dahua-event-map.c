/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-dahua-event-map"

#include "config.h"

#include "gh-dahua-event-map.h"
#include "gh-dahua-time.h"

#define NOW_S ((gint64) 1774527751)
#define NOW_US (NOW_S * G_USEC_PER_SEC)

static GhEvent *
map_body (const char *body,
          gint64      now_us)
{
  g_autoptr(GhDahuaRawEvent) raw = gh_dahua_raw_event_parse (body, -1, NULL);

  g_assert_nonnull (raw);
  return gh_dahua_event_map (raw, "dev1", now_us);
}

static void
test_call_codes (void)
{
  static const struct {
    const char  *body;
    GhEventKind  kind;
  } cases[] = {
    { "Code=Invite;action=Pulse;index=0", GH_EVENT_CALL_RINGING },
    { "Code=CallNoAnswered;action=Start;index=1", GH_EVENT_CALL_RINGING },
    { "Code=CallNoAnswered;action=Stop;index=1", GH_EVENT_CALL_MISSED },
    { "Code=IgnoreInvite;action=Pulse", GH_EVENT_CALL_ANSWERED },
    { "Code=PassiveHungup;action=Start", GH_EVENT_CALL_ENDED },
    { "Code=HangupPhone;action=Pulse", GH_EVENT_CALL_ENDED },
    { "Code=BackKeyLight;action=Pulse;index=-1;data={\"State\":1}", GH_EVENT_CALL_RINGING },
    { "Code=BackKeyLight;action=Pulse;data={\"State\":5}", GH_EVENT_CALL_ANSWERED },
    { "Code=BackKeyLight;action=Pulse;data={\"State\":6}", GH_EVENT_CALL_MISSED },
    { "Code=BackKeyLight;action=Pulse;data={\"State\":8}", GH_EVENT_OTHER },
    { "Code=PhoneCallDetect;action=Start", GH_EVENT_CALL_RINGING },
    { "Code=_DoTalkAction_;action=Pulse;data={\"Action\":\"Invite\"}", GH_EVENT_CALL_RINGING },
    { "Code=_DoTalkAction_;action=Pulse;data={\"Action\":\"Hangup\"}", GH_EVENT_CALL_ENDED },
    { "Code=DoorStatus;action=Pulse;index=0;data={\"Status\":\"Open\"}", GH_EVENT_DOOR_OPENED },
    { "Code=DoorStatus;action=Close;index=0", GH_EVENT_DOOR_CLOSED },
    { "Code=DoorNotClosed;action=Start;index=0", GH_EVENT_DOOR_LEFT_OPEN },
    { "Code=AlarmLocal;action=Start;index=2", GH_EVENT_ALARM_START },
    { "Code=AlarmLocal;action=Stop;index=2", GH_EVENT_ALARM_STOP },
    { "Code=ChassisIntruded;action=Start", GH_EVENT_TAMPER },
    { "Code=AlarmLocal;action=Start;index=8;data={\"SenseMethod\":\"Tamper\"}",
      GH_EVENT_TAMPER },
    { "Code=AlarmLocal;action=Stop;index=8;data={\"SenseMethod\":\"Tamper\"}",
      GH_EVENT_ALARM_STOP },
    { "Code=BreakIn;action=Pulse;index=0;data={\"Door\":0}", GH_EVENT_ALARM_START },
    { "Code=SIPRegisterResult;action=Pulse;data={\"Success\":false}", GH_EVENT_OTHER },
    { "Code=invite;action=pulse", GH_EVENT_CALL_RINGING },  /* case-insensitive */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GhEvent) event = map_body (cases[i].body, NOW_US);

    g_test_message ("%s", cases[i].body);
    g_assert_cmpint (event->kind, ==, cases[i].kind);
    g_assert_nonnull (event->raw_code);
  }
}

static void
test_access (void)
{
  g_autoptr(GhEvent) ok = map_body (
    "Code=AccessControl;action=Pulse;index=0;data={\"CardNo\":\"12001\",\"CardType\":0,"
    "\"Method\":1,\"Status\":1,\"UserID\":\"101\",\"UTC\":1774527700}", NOW_US);
  g_autoptr(GhEvent) denied = map_body (
    "Code=AccessControl;action=Pulse;index=1;data={\"Method\":2,\"Status\":0,\"UserID\":\"\"}",
    NOW_US);
  g_autoptr(GhEvent) duress = map_body (
    "Code=AccessControl;action=Pulse;data={\"CardNo\":\"9\",\"CardType\":5,\"Method\":1,"
    "\"Status\":1}", NOW_US);
  g_autoptr(GhEvent) remote = map_body (
    "Code=AccessControl;action=Pulse;data={\"Method\":4,\"Status\":\"1\",\"UserID\":101}",
    NOW_US);

  g_assert_cmpint (ok->kind, ==, GH_EVENT_ACCESS_GRANTED);
  g_assert_cmpint (ok->method, ==, GH_ACCESS_METHOD_CARD);
  g_assert_cmpstr (ok->credential, ==, "12001");
  g_assert_cmpstr (ok->person_id, ==, "101");
  g_assert_cmpint (ok->door, ==, 0);
  g_assert_cmpint (ok->time, ==, (gint64) 1774527700 * G_USEC_PER_SEC);
  g_assert_nonnull (ok->raw_data);

  g_assert_cmpint (denied->kind, ==, GH_EVENT_ACCESS_DENIED);
  g_assert_cmpint (denied->method, ==, GH_ACCESS_METHOD_PASSWORD);
  g_assert_null (denied->person_id);
  g_assert_cmpint (denied->door, ==, 1);

  g_assert_cmpint (duress->method, ==, GH_ACCESS_METHOD_DURESS);
  g_assert_cmpint (remote->method, ==, GH_ACCESS_METHOD_REMOTE);
  g_assert_cmpstr (remote->person_id, ==, "101");
}

/* UTC far from our clock is not trusted; the receive time is used instead. */
static void
test_implausible_time (void)
{
  g_autoptr(GhEvent) e = map_body ("Code=Invite;action=Pulse;data={\"UTC\":945447906}", NOW_US);
  g_autoptr(GhEvent) f = map_body ("Code=Invite;action=Pulse;data={\"UTC\":\"1774527751.0\"}",
                                   NOW_US + 1000);

  g_assert_cmpint (e->time, ==, NOW_US);
  g_assert_cmpint (f->time, ==, NOW_US - 0);
}

static void
test_call_fields (void)
{
  g_autoptr(GhEvent) e = map_body (
    "Code=CallNoAnswered;action=Start;index=1;data={\"CallID\":\"7\",\"LockNum\":2,"
    "\"UserID\":\"9901\"}", NOW_US);
  g_autoptr(GhEvent) apt = map_body ("Code=CallNoAnswered;action=Start;index=9902", NOW_US);

  g_assert_cmpstr (e->call_id, ==, "7");
  g_assert_cmpstr (e->room, ==, "9901");
  g_assert_cmpstr (apt->room, ==, "9902");
  g_assert_cmpint (apt->door, ==, -1);
}

static gboolean
feed (GhDahuaEventFilter *filter,
      const char         *body,
      gint64              now_us)
{
  g_autoptr(GhDahuaRawEvent) raw = gh_dahua_raw_event_parse (body, -1, NULL);
  g_autoptr(GhEvent) event = gh_dahua_event_map (raw, "dev1", now_us);

  return gh_dahua_event_filter_accept (filter, raw, event, now_us);
}

static void
test_filter_stale_replay (void)
{
  g_autoptr(GhDahuaEventFilter) filter = gh_dahua_event_filter_new ();

  gh_dahua_event_filter_attached (filter, NOW_US);
  /* a replayed Start one second after attach is dropped; Pulse/Stop are kept */
  g_assert_false (feed (filter, "Code=AlarmLocal;action=Start;index=1", NOW_US + G_USEC_PER_SEC));
  g_assert_true (feed (filter, "Code=AlarmLocal;action=Stop;index=1", NOW_US + G_USEC_PER_SEC));
  g_assert_true (feed (filter, "Code=AlarmLocal;action=Start;index=1",
                       NOW_US + 4 * G_USEC_PER_SEC));
  /* a reconnect resets the window */
  gh_dahua_event_filter_attached (filter, NOW_US + 100 * G_USEC_PER_SEC);
  g_assert_false (feed (filter, "Code=DoorNotClosed;action=Start;index=0",
                        NOW_US + 101 * G_USEC_PER_SEC));
}

static void
test_filter_ring_debounce (void)
{
  g_autoptr(GhDahuaEventFilter) filter = gh_dahua_event_filter_new ();
  gint64 t = NOW_US;
  g_autoptr(GhEvent) none = NULL;
  g_autoptr(GhEvent) synth = NULL;

  /* One bell press: Invite + CallNoAnswered Start + BackKeyLight 1 → one ringing */
  g_assert_true (feed (filter,
                       "Code=Invite;action=Pulse;data={\"CallID\":\"7\",\"UserID\":\"9901\"}", t));
  g_assert_false (feed (filter, "Code=CallNoAnswered;action=Start", t + 1000));
  g_assert_false (feed (filter, "Code=BackKeyLight;action=Pulse;data={\"State\":1}", t + 2000));
  /* answered once */
  g_assert_true (feed (filter, "Code=IgnoreInvite;action=Pulse", t + G_USEC_PER_SEC));
  g_assert_false (feed (filter, "Code=BackKeyLight;action=Pulse;data={\"State\":5}",
                        t + G_USEC_PER_SEC));
  /* ended once */
  g_assert_true (feed (filter, "Code=PassiveHungup;action=Pulse", t + 30 * G_USEC_PER_SEC));
  g_assert_false (feed (filter, "Code=HangupPhone;action=Pulse", t + 31 * G_USEC_PER_SEC));
  g_assert_cmpint (gh_dahua_event_filter_next_deadline (filter), ==, G_MAXINT64);

  /* A ring that never ends is closed by a synthetic end after the timeout */
  t += 100 * G_USEC_PER_SEC;
  g_assert_true (feed (filter, "Code=Invite;action=Pulse;data={\"CallID\":\"8\"}", t));
  g_assert_cmpint (gh_dahua_event_filter_next_deadline (filter), ==, t + GH_DAHUA_RING_TIMEOUT_US);
  none = gh_dahua_event_filter_expire (filter, "dev1", t + G_USEC_PER_SEC);
  g_assert_null (none);
  synth = gh_dahua_event_filter_expire (filter, "dev1", t + GH_DAHUA_RING_TIMEOUT_US);
  g_assert_nonnull (synth);
  g_assert_cmpint (synth->kind, ==, GH_EVENT_CALL_ENDED);
  g_assert_true (synth->synthetic);
  g_assert_cmpstr (synth->call_id, ==, "8");

  /* state events never get synthetic ends, and pass through unchanged */
  g_assert_true (feed (filter, "Code=DoorStatus;action=Pulse;data={\"Status\":\"Open\"}",
                       t + 200 * G_USEC_PER_SEC));
  g_assert_null (gh_dahua_event_filter_expire (filter, "dev1", t + 900 * G_USEC_PER_SEC));
}

static void
test_time_modes (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  gint64 t;
  g_autofree char *text = NULL;

  g_assert_nonnull (berlin);
  /* 2026-03-26 12:22:31 Berlin (UTC+1) = 11:22:31 UTC = 1774524151 */
  g_assert_true (gh_dahua_time_parse ("2026-03-26 12:22:31", berlin, &t));
  g_assert_cmpint (t, ==, 1774524151);
  g_assert_true (gh_dahua_time_parse ("26-03-2026 12:22:31", berlin, &t));  /* TimeChange */
  g_assert_cmpint (t, ==, 1774524151);
  g_assert_true (gh_dahua_time_parse ("2026-03-26T12:22:31", utc, &t));
  g_assert_cmpint (t, ==, 1774527751);
  g_assert_true (gh_dahua_time_parse ("20260326 122231", utc, &t));
  g_assert_cmpint (t, ==, 1774527751);
  g_assert_false (gh_dahua_time_parse ("2026-13-26 12:22:31", utc, &t));
  g_assert_false (gh_dahua_time_parse ("yesterday", utc, &t));
  g_assert_false (gh_dahua_time_parse ("2026-03-26 12:22:31 junk", utc, &t));

  /* Wall-clock-as-epoch: 1774527751 reads as 12:22:31, which in Berlin is 11:22:31 UTC */
  g_assert_cmpint (gh_dahua_time_to_utc (1774527751, GH_DAHUA_CLOCK_WALL, berlin), ==, 1774524151);
  g_assert_cmpint (gh_dahua_time_to_utc (1774527751, GH_DAHUA_CLOCK_UTC, berlin), ==, 1774527751);
  g_assert_cmpint (gh_dahua_time_from_utc (1774524151, GH_DAHUA_CLOCK_WALL, berlin), ==,
                   1774527751);
  g_assert_cmpint (gh_dahua_time_from_utc (1774524151, GH_DAHUA_CLOCK_UTC, berlin), ==,
                   1774524151);

  /* Guess: an event whose UTC equals LocaleTime read as UTC → wall clock encoding */
  g_assert_cmpint (gh_dahua_time_guess_mode (1774527751, "2026-03-26 12:22:31", berlin), ==,
                   GH_DAHUA_CLOCK_WALL);
  g_assert_cmpint (gh_dahua_time_guess_mode (1774524151, "2026-03-26 12:22:31", berlin), ==,
                   GH_DAHUA_CLOCK_UTC);
  g_assert_cmpint (gh_dahua_time_guess_mode (1774527751, "2026-03-26 12:22:31", utc), ==,
                   GH_DAHUA_CLOCK_UTC);

  text = gh_dahua_time_format (1774524151, berlin);
  g_assert_cmpstr (text, ==, "2026-03-26 12:22:31");

  g_assert_true (gh_dahua_time_is_plausible (NOW_S + 299, NOW_S));
  g_assert_false (gh_dahua_time_is_plausible (NOW_S - 301, NOW_S));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dahua/event-map/call-codes", test_call_codes);
  g_test_add_func ("/dahua/event-map/access", test_access);
  g_test_add_func ("/dahua/event-map/implausible-time", test_implausible_time);
  g_test_add_func ("/dahua/event-map/call-fields", test_call_fields);
  g_test_add_func ("/dahua/event-map/filter-stale-replay", test_filter_stale_replay);
  g_test_add_func ("/dahua/event-map/filter-ring-debounce", test_filter_ring_debounce);
  g_test_add_func ("/dahua/event-map/time-modes", test_time_modes);

  return g_test_run ();
}
