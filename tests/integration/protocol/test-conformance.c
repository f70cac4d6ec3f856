/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-conformance"

#include "config.h"

#include "gh-call-control.h"
#include "gh-door-control.h"
#include "gh-driver.h"
#include "gh-error.h"
#include "gh-notice-board.h"
#include "gh-dial-plan.h"
#include "gh-person-sync.h"
#include "gh-record-source.h"
#include "sim-test-util.h"

/*
 * The driver conformance suite: what every driver must do, checked only through the seam
 * (gh_driver_* and the ability interfaces) against a simulated community driven by
 * gatehouse-sim's control API. The driver under test is named by $GH_CONFORMANCE_DRIVER.
 */

static SimProc *sim;
static const char *driver_name;

typedef struct {
  gpointer  value;
  gboolean  ok;
  GError   *error;
  gboolean  done;
} Wait;

typedef struct {
  GhDriver  *driver;
  GPtrArray *events;
} Fixture;

static void
spin_until (gboolean *flag,
            guint     ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  /* never block: a lost completion must fail at the deadline, not hang the suite */
  while (!*flag) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  }
}

static void
spin_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until) {
    g_main_context_iteration (NULL, FALSE);
    g_usleep (5000);
  }
}

static GhDriver *
driver_for (const char *device,
            const char *password)
{
  g_autoptr(GUri) uri = g_uri_parse (sim_http (sim, device), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GhDeviceConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  GhDriver *driver;

  config = gh_device_config_new (driver_name, g_uri_get_host (uri), g_uri_get_port (uri),
                                 sim_field (sim, device, "username"),
                                 password ? password : sim_field (sim, device, "password"));
  g_free (config->id);
  config->id = g_strdup (device);
  config->timeout_ms = 5000;
  driver = gh_driver_new (config, &error);
  g_assert_no_error (error);
  return driver;
}

static void
bool_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = g_task_propagate_boolean (G_TASK (result), &w->error);
  w->done = TRUE;
}

static void
event_cb (GhDriver *driver,
          GhEvent  *event,
          gpointer  user_data)
{
  Fixture *f = user_data;
  g_autofree char *text = gh_event_to_string (event);

  g_test_message ("event: %s", text);
  g_ptr_array_add (f->events, gh_event_ref (event));
}

static guint
count_events (Fixture     *f,
              GhEventKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < f->events->len; i++)
    n += ((GhEvent *) g_ptr_array_index (f->events, i))->kind == kind;
  return n;
}

static GhEvent *
wait_event (Fixture     *f,
            GhEventKind  kind,
            guint        ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  for (;;) {
    for (guint i = 0; i < f->events->len; i++) {
      GhEvent *event = g_ptr_array_index (f->events, i);

      if (event->kind == kind)
        return event;
    }
    if (g_get_monotonic_time () > deadline)
      g_error ("no %s event within %u ms", gh_event_kind_to_string (kind), ms);
    g_main_context_iteration (NULL, FALSE);
    g_usleep (2000);
  }
}

static void
ctl (const char *device,
     const char *action,
     const char *json)
{
  long status = 0;
  g_autoptr(json_object) reply = sim_ctl (sim, device, action, json, &status);

  g_assert_cmpint (status, ==, 200);
}

static gboolean
ctl_granted (const char *device,
             const char *action,
             const char *json)
{
  g_autoptr(json_object) reply = sim_ctl (sim, device, action, json, NULL);
  json_object *granted;

  g_assert_true (json_object_object_get_ex (reply, "granted", &granted));
  return json_object_get_boolean (granted);
}

/* Every test gets a fresh driver on the door station, subscribed and past attach replays. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->events = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_event_unref);
  f->driver = driver_for ("VTO-A", NULL);
  g_signal_connect (f->driver, "event", G_CALLBACK (event_cb), f);
  g_assert_true (gh_driver_start_events (f->driver, &error));
  g_assert_no_error (error);
  wait_event (f, GH_EVENT_DEVICE_ONLINE, 10000);
  spin_for (3300);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gh_driver_stop_events (f->driver);
  g_signal_handlers_disconnect_by_data (f->driver, f);
  g_clear_object (&f->driver);
  g_ptr_array_unref (f->events);
  spin_for (50);
}

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *w = user_data;

  w->value = gh_driver_probe_finish (GH_DRIVER (source), result, &w->error);
  w->done = TRUE;
}

static void
test_probe_kinds (void)
{
  static const struct {
    const char   *device;
    GhDeviceKind  kind;
    guint         doors;
  } cases[] = {
    { "VTO-A", GH_DEVICE_KIND_DOOR_STATION, 2 },
    { "VTH-1101", GH_DEVICE_KIND_INDOOR_MONITOR, 0 },
    { "VTS-1", GH_DEVICE_KIND_MASTER_STATION, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GhDriver) driver = driver_for (cases[i].device, NULL);
    g_autoptr(GhProbeInfo) info = NULL;
    Wait w = { 0 };

    gh_driver_probe_async (driver, NULL, probe_cb, &w);
    spin_until (&w.done, 10000);
    g_assert_no_error (w.error);
    info = w.value;
    g_assert_cmpint (info->kind, ==, cases[i].kind);
    g_assert_cmpuint (info->door_count, ==, cases[i].doors);
    g_assert_nonnull (info->model);
    g_assert_nonnull (info->serial);
    g_assert_nonnull (info->firmware);
  }
}

static void
test_cancel (void)
{
  g_autoptr(GhDriver) driver = driver_for ("VTO-A", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait w = { 0 };

  g_cancellable_cancel (cancellable);
  gh_driver_probe_async (driver, cancellable, probe_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_null (w.value);
  g_assert_error (w.error, GH_ERROR, GH_ERROR_CANCELLED);
  g_clear_error (&w.error);
}

static void
state_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *w = user_data;

  w->value = GINT_TO_POINTER (gh_call_control_get_call_state_finish (GH_DRIVER (source), result,
                                                                     &w->error));
  w->done = TRUE;
}

static GhCallState
call_state (GhDriver *driver)
{
  Wait w = { 0 };

  gh_call_control_get_call_state_async (driver, NULL, state_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_no_error (w.error);
  return GPOINTER_TO_INT (w.value);
}

/* One press, one ringing; one answer; one end — whatever codes the device sends. */
static void
test_call_answered (Fixture       *f,
                    gconstpointer  data)
{
  GhEvent *ring;

  ctl ("VTO-A", "ring", "{\"room\":\"1101\"}");
  ring = wait_event (f, GH_EVENT_CALL_RINGING, 5000);
  g_assert_cmpstr (ring->room, ==, "1101");
  g_assert_cmpint (call_state (f->driver), ==, GH_CALL_STATE_RINGING);
  ctl ("VTH-1101", "answer", "{}");
  wait_event (f, GH_EVENT_CALL_ANSWERED, 5000);
  g_assert_cmpint (call_state (f->driver), ==, GH_CALL_STATE_TALKING);
  ctl ("VTH-1101", "hangup", "{}");
  wait_event (f, GH_EVENT_CALL_ENDED, 5000);
  spin_for (500);
  g_assert_cmpuint (count_events (f, GH_EVENT_CALL_RINGING), ==, 1);
  g_assert_cmpuint (count_events (f, GH_EVENT_CALL_ANSWERED), ==, 1);
  g_assert_cmpuint (count_events (f, GH_EVENT_CALL_ENDED) +
                    count_events (f, GH_EVENT_CALL_MISSED), ==, 1);
  g_assert_cmpint (call_state (f->driver), ==, GH_CALL_STATE_IDLE);
}

static void
test_call_missed (Fixture       *f,
                  gconstpointer  data)
{
  ctl ("VTO-A", "ring", "{\"room\":\"1101\"}");
  wait_event (f, GH_EVENT_CALL_RINGING, 5000);
  wait_event (f, GH_EVENT_CALL_MISSED, 5000);  /* ring_timeout_ms is 1.2 s */
  spin_for (500);
  g_assert_cmpuint (count_events (f, GH_EVENT_CALL_MISSED), ==, 1);
  g_assert_cmpuint (count_events (f, GH_EVENT_CALL_ENDED), ==, 0);
}

static void
test_hang_up_from_client (Fixture       *f,
                          gconstpointer  data)
{
  Wait w = { 0 };

  ctl ("VTO-A", "ring", "{\"room\":\"1101\"}");
  wait_event (f, GH_EVENT_CALL_RINGING, 5000);
  gh_call_control_hang_up_async (f->driver, NULL, bool_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_no_error (w.error);
  g_assert_cmpint (call_state (f->driver), ==, GH_CALL_STATE_IDLE);
}

static void
push_people (GhDriver   *driver,
             const char *card_prefix)
{
  g_autoptr(GPtrArray) persons = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_person_free);
  Wait w = { 0 };

  for (guint i = 0; i < 3; i++) {
    g_autofree char *id = g_strdup_printf ("C%u", i);
    g_autofree char *card = g_strdup_printf ("%s%u", card_prefix, i);
    GhDevicePerson *p = gh_device_person_new (id, "Résident Ünïcode");

    p->room = g_strdup ("1101");
    p->password = g_strdup ("246810");
    p->valid_from = g_get_real_time () / G_USEC_PER_SEC - 3600;
    p->valid_to = g_get_real_time () / G_USEC_PER_SEC + 86400;
    g_ptr_array_add (p->cards, gh_device_card_new (card, GH_CARD_KIND_ORDINARY));
    if (i == 2)
      g_ptr_array_add (p->cards, gh_device_card_new ("999999", GH_CARD_KIND_DURESS));
    g_ptr_array_add (persons, p);
  }
  gh_person_sync_push_persons_async (driver, persons, NULL, bool_cb, &w);
  spin_until (&w.done, 20000);
  g_assert_no_error (w.error);
}

static void
test_access (Fixture       *f,
             gconstpointer  data)
{
  GhEvent *granted, *denied;
  const char *ids[] = { "C1", NULL };
  Wait w = { 0 };

  push_people (f->driver, "55000");
  push_people (f->driver, "55000");  /* again: exists → update */

  g_assert_true (ctl_granted ("VTO-A", "card", "{\"card\":\"550000\",\"door\":1}"));
  granted = wait_event (f, GH_EVENT_ACCESS_GRANTED, 5000);
  g_assert_cmpint (granted->method, ==, GH_ACCESS_METHOD_CARD);
  g_assert_cmpstr (granted->credential, ==, "550000");
  g_assert_cmpstr (granted->person_id, ==, "C0");
  g_assert_cmpint (granted->door, ==, 0);

  g_assert_false (ctl_granted ("VTO-A", "card", "{\"card\":\"12345678\",\"door\":1}"));
  denied = wait_event (f, GH_EVENT_ACCESS_DENIED, 5000);
  g_assert_cmpstr (denied->credential, ==, "12345678");

  g_assert_true (ctl_granted ("VTO-A", "password",
                              "{\"user\":\"C1\",\"password\":\"246810\",\"door\":1}"));

  /* removal takes the person's credentials with it */
  gh_person_sync_remove_persons_async (f->driver, ids, NULL, bool_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_no_error (w.error);
  g_assert_false (ctl_granted ("VTO-A", "card", "{\"card\":\"550001\",\"door\":1}"));
}

static void
records_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *w = user_data;

  w->value = gh_record_source_fetch_records_finish (GH_DRIVER (source), result, &w->error);
  w->done = TRUE;
}

static GhDeviceRecordBatch *
fetch (GhDriver     *driver,
       GhRecordKind  kind,
       const char   *cursor)
{
  Wait w = { 0 };

  gh_record_source_fetch_records_async (driver, kind, cursor, NULL, records_cb, &w);
  spin_until (&w.done, 15000);
  g_assert_no_error (w.error);
  return w.value;
}

static void
test_access_records (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GhDeviceRecordBatch) before = fetch (f->driver, GH_RECORD_KIND_ACCESS, NULL);
  g_autoptr(GhDeviceRecordBatch) after = NULL;
  g_autoptr(GhDeviceRecordBatch) none = NULL;
  gboolean seen = FALSE;

  push_people (f->driver, "66000");
  g_assert_true (ctl_granted ("VTO-A", "card", "{\"card\":\"660001\",\"door\":2}"));
  after = fetch (f->driver, GH_RECORD_KIND_ACCESS, before->cursor);
  for (guint i = 0; i < after->records->len; i++) {
    GhDeviceRecord *r = g_ptr_array_index (after->records, i);

    if (g_strcmp0 (r->credential, "660001") == 0) {
      seen = TRUE;
      g_assert_true (r->granted);
      g_assert_cmpint (r->door, ==, 1);
      g_assert_cmpint (r->method, ==, GH_ACCESS_METHOD_CARD);
    }
  }
  g_assert_true (seen);
  none = fetch (f->driver, GH_RECORD_KIND_ACCESS, after->cursor);
  g_assert_cmpuint (none->records->len, ==, 0);
}

static void
test_alarm_and_tamper (Fixture       *f,
                       gconstpointer  data)
{
  GhEvent *start;

  /* stale-replay suppression must not eat a live alarm once the attach window is over */
  ctl ("VTO-A", "alarm", "{\"input\":1,\"active\":true}");
  start = wait_event (f, GH_EVENT_ALARM_START, 5000);
  g_assert_cmpint (start->door, ==, 1);
  ctl ("VTO-A", "alarm", "{\"input\":1,\"active\":false}");
  wait_event (f, GH_EVENT_ALARM_STOP, 5000);
  ctl ("VTO-A", "tamper", "{\"active\":true}");
  wait_event (f, GH_EVENT_TAMPER, 5000);
  ctl ("VTO-A", "tamper", "{\"active\":false}");
}

static void
test_doors (Fixture       *f,
            gconstpointer  data)
{
  static const GhDoorAction actions[] = {
    GH_DOOR_ACTION_OPEN, GH_DOOR_ACTION_CLOSE, GH_DOOR_ACTION_ALWAYS_OPEN,
    GH_DOOR_ACTION_RESTORE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++) {
    Wait w = { 0 };

    gh_door_control_set_door_async (f->driver, 1, actions[i], NULL, bool_cb, &w);
    spin_until (&w.done, 10000);
    g_assert_no_error (w.error);
    if (actions[i] == GH_DOOR_ACTION_OPEN)
      g_assert_cmpint (wait_event (f, GH_EVENT_DOOR_OPENED, 5000)->door, ==, 1);
  }
}

static void
test_numbering_and_notice (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) regs = NULL;
  g_autoptr(GhDeviceNotice) notice = gh_device_notice_new ("Water", "No water on Tuesday 9-12");
  Wait w = { 0 };

  regs = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_registration_free);
  g_ptr_array_add (regs, gh_device_registration_new (GH_REGISTRATION_ROOM, "1101"));
  g_ptr_array_add (regs, gh_device_registration_new (GH_REGISTRATION_ROOM, "1101#1"));
  g_ptr_array_add (regs, gh_device_registration_new (GH_REGISTRATION_MASTER_STATION, "101"));
  gh_dial_plan_push_registrations_async (f->driver, regs, NULL, bool_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_no_error (w.error);

  memset (&w, 0, sizeof w);
  gh_dial_plan_set_room_password_async (f->driver, "1101", "888888", NULL, bool_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_no_error (w.error);
  g_assert_true (ctl_granted ("VTO-A", "unlock-code", "{\"code\":\"001101888888\",\"door\":1}"));
  g_assert_false (ctl_granted ("VTO-A", "unlock-code", "{\"code\":\"001101000000\",\"door\":1}"));

  /* setting it again updates rather than adding a second row */
  memset (&w, 0, sizeof w);
  gh_dial_plan_set_room_password_async (f->driver, "1101", "777777", NULL, bool_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_no_error (w.error);
  g_assert_false (ctl_granted ("VTO-A", "unlock-code", "{\"code\":\"001101888888\",\"door\":1}"));

  memset (&w, 0, sizeof w);
  notice->target_room = g_strdup ("1101");
  gh_notice_board_push_notice_async (f->driver, notice, NULL, bool_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_no_error (w.error);
}

static void
test_offline_and_back (Fixture       *f,
                       gconstpointer  data)
{
  g_object_set (f->driver, "reconnect-delay", 100, "heartbeat-interval", 1, NULL);
  ctl ("VTO-A", "faults", "{\"offline\":true}");
  wait_event (f, GH_EVENT_DEVICE_OFFLINE, 20000);
  ctl ("VTO-A", "faults", "{\"offline\":false}");
  g_ptr_array_set_size (f->events, 0);
  wait_event (f, GH_EVENT_DEVICE_ONLINE, 20000);
}

static void
test_unauthorized (void)
{
  g_autoptr(GhDriver) driver = driver_for ("VTH-1101", "wrong-password");
  Fixture f = { driver, g_ptr_array_new_with_free_func ((GDestroyNotify) gh_event_unref) };

  g_signal_connect (driver, "event", G_CALLBACK (event_cb), &f);
  g_assert_true (gh_driver_start_events (driver, NULL));
  wait_event (&f, GH_EVENT_DEVICE_UNAUTHORIZED, 10000);
  gh_driver_stop_events (driver);
  g_signal_handlers_disconnect_by_data (driver, &f);
  g_ptr_array_unref (f.events);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  driver_name = g_getenv ("GH_CONFORMANCE_DRIVER");
  if (driver_name == NULL)
    driver_name = "dahua";
  g_assert_true (gh_driver_registry_lookup (driver_name) != G_TYPE_INVALID);
  sim = sim_proc_start (SIM_TEST_COMMUNITY, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  g_test_add_func ("/conformance/probe-kinds", test_probe_kinds);
  g_test_add_func ("/conformance/cancel", test_cancel);
  g_test_add_func ("/conformance/unauthorized", test_unauthorized);
  ADD ("/conformance/call-answered", test_call_answered);
  ADD ("/conformance/call-missed", test_call_missed);
  ADD ("/conformance/hang-up-from-client", test_hang_up_from_client);
  ADD ("/conformance/access", test_access);
  ADD ("/conformance/access-records", test_access_records);
  ADD ("/conformance/alarm-and-tamper", test_alarm_and_tamper);
  ADD ("/conformance/doors", test_doors);
  ADD ("/conformance/numbering-and-notice", test_numbering_and_notice);
  ADD ("/conformance/offline-and-back", test_offline_and_back);
#undef ADD

  ret = g_test_run ();
  sim_proc_stop (sim);
  return ret;
}
