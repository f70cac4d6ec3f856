/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-conformance-faults"

#include "config.h"

#include <string.h>

#include "gh-call-control.h"
#include "gh-conformance.h"
#include "gh-door-control.h"
#include "gh-error.h"
#include "gh-notice-board.h"
#include "gh-dial-plan.h"
#include "gh-person-sync.h"
#include "gh-record-source.h"

/*
 * Every fault gatehouse-sim can inject, against every registered driver: the device offline,
 * slow replies (past and within the request limit), an event stream that goes silent without
 * closing, HTTP 500, malformed replies, refused credentials and a reboot. While the fault
 * lasts, every operation fails in bounded time with the matching GH_ERROR code and a
 * readable message, and the event subscription reports the link state; once the fault is
 * cleared the subscription comes back on its own and every operation works again, including
 * the writes that failed during the fault (nothing is lost by retrying them).
 */

/* One run of every operation the seam offers, started together. */
typedef struct {
  const char *name;
  void      (*start)  (GhDriver   *driver,
                       GhConfCall *call);
  gboolean  (*finish) (GhDriver      *driver,
                       GAsyncResult  *result,
                       GError       **error);
} Op;

typedef struct {
  GhDriver     *driver;
  GhConfEvents *events;
} Fixture;

static GPtrArray *keep;  /* data handed to operations in flight */

/* ---------------------------------------------------------------------------------------- */
/* Operations                                                                                 */

static void
start_probe (GhDriver   *driver,
             GhConfCall *call)
{
  gh_driver_probe_async (driver, NULL, gh_conf_call_cb, call);
}

static gboolean
finish_probe (GhDriver      *driver,
              GAsyncResult  *result,
              GError       **error)
{
  g_autoptr(GhProbeInfo) info = gh_driver_probe_finish (driver, result, error);

  return info != NULL;
}

static void
start_door (GhDriver   *driver,
            GhConfCall *call)
{
  gh_door_control_set_door_async (driver, 0, GH_DOOR_ACTION_OPEN, NULL, gh_conf_call_cb, call);
}

static void
start_call_state (GhDriver   *driver,
                  GhConfCall *call)
{
  gh_call_control_get_call_state_async (driver, NULL, gh_conf_call_cb, call);
}

static gboolean
finish_call_state (GhDriver      *driver,
                   GAsyncResult  *result,
                   GError       **error)
{
  return gh_call_control_get_call_state_finish (driver, result, error) != GH_CALL_STATE_UNKNOWN;
}

static void
start_records (GhDriver   *driver,
               GhConfCall *call)
{
  gh_record_source_fetch_records_async (driver, GH_RECORD_KIND_ACCESS, NULL, NULL,
                                        gh_conf_call_cb, call);
}

static gboolean
finish_records (GhDriver      *driver,
                GAsyncResult  *result,
                GError       **error)
{
  g_autoptr(GhDeviceRecordBatch) batch = NULL;

  batch = gh_record_source_fetch_records_finish (driver, result, error);

  return batch != NULL;
}

static void
start_push (GhDriver   *driver,
            GhConfCall *call)
{
  GPtrArray *persons = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_person_free);
  GhDevicePerson *p = gh_device_person_new ("FLT1", "Fault Tolerant");

  p->password = g_strdup ("424242");
  g_ptr_array_add (p->cards, gh_device_card_new ("FC4242", GH_CARD_KIND_ORDINARY));
  g_ptr_array_add (persons, p);
  g_ptr_array_add (keep, persons);
  gh_person_sync_push_persons_async (driver, persons, NULL, gh_conf_call_cb, call);
}

static void
start_room_password (GhDriver   *driver,
                     GhConfCall *call)
{
  gh_dial_plan_set_room_password_async (driver, "1101", "909090", NULL, gh_conf_call_cb, call);
}

static void
start_registrations (GhDriver   *driver,
                     GhConfCall *call)
{
  GPtrArray *regs = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_registration_free);

  g_ptr_array_add (regs, gh_device_registration_new (GH_REGISTRATION_ROOM, "1101"));
  g_ptr_array_add (keep, regs);
  gh_dial_plan_push_registrations_async (driver, regs, NULL, gh_conf_call_cb, call);
}

static void
start_notice (GhDriver   *driver,
              GhConfCall *call)
{
  GPtrArray *holder = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_notice_free);
  GhDeviceNotice *notice = gh_device_notice_new ("Fault notice",
                                                 "Sent while the device misbehaved");

  notice->issue_time = g_get_real_time () / G_USEC_PER_SEC;
  g_ptr_array_add (holder, notice);
  g_ptr_array_add (keep, holder);
  gh_notice_board_push_notice_async (driver, notice, NULL, gh_conf_call_cb, call);
}

static gboolean
finish_notice (GhDriver      *driver,
               GAsyncResult  *result,
               GError       **error)
{
  g_autofree char *key = NULL;

  return gh_notice_board_push_notice_finish (driver, result, &key, error);
}

static void
start_time_sync (GhDriver   *driver,
                 GhConfCall *call)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  gh_driver_sync_time_async (driver, now, NULL, gh_conf_call_cb, call);
}

static const Op ops[] = {
  { "probe", start_probe, finish_probe },
  { "time sync", start_time_sync, gh_driver_sync_time_finish },
  { "door open", start_door, gh_door_control_set_door_finish },
  { "call state", start_call_state, finish_call_state },
  { "record fetch", start_records, finish_records },
  { "person push", start_push, gh_person_sync_push_persons_finish },
  { "room password", start_room_password, gh_dial_plan_set_room_password_finish },
  { "registrations", start_registrations, gh_dial_plan_push_registrations_finish },
  { "notice", start_notice, finish_notice },
};

static GType
op_ability (guint i)
{
  GType abilities[G_N_ELEMENTS (ops)] = {
    G_TYPE_NONE, G_TYPE_NONE, GH_TYPE_DOOR_CONTROL, GH_TYPE_CALL_CONTROL, GH_TYPE_RECORD_SOURCE,
    GH_TYPE_PERSON_SYNC, GH_TYPE_DIAL_PLAN, GH_TYPE_DIAL_PLAN, GH_TYPE_NOTICE_BOARD,
  };

  return abilities[i];
}

/* An outcome the harness lists as a known bug of this driver: reported, not failed. */
static gboolean
known_bug (const GhConfProfile *p,
           const char          *op,
           const char          *fault,
           const GError        *error,
           int                  expect_code)
{
  g_autofree char *check = g_strdup_printf ("faults/%s: %s", fault, op);
  const char *bug = gh_conf_known_bug (p, check);

  gboolean as_expected = expect_code < 0 ? error == NULL
                                         : (error != NULL && error->domain == GH_ERROR &&
                                            error->code == expect_code);

  if (bug == NULL || as_expected)
    return FALSE;
  g_test_incomplete (bug);
  return TRUE;
}

/* Starts every supported operation at once and waits for all of them. @expect_code -1 means
 * each must succeed; otherwise each must fail with that code. The wait is bounded: a fault may
 * cost a driver a few request time limits (a login, then the request), never a hang. */
static void
run_ops (const GhConfProfile *p,
         GhDriver            *driver,
         int                  expect_code,
         const char          *fault)
{
  GhConfCall calls[G_N_ELEMENTS (ops)] = { 0 };
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GString) wrong = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (op_ability (i) == G_TYPE_NONE || gh_driver_supports (driver, op_ability (i)))
      ops[i].start (driver, &calls[i]);

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *what = g_strdup_printf ("%s (%s)", ops[i].name, fault);
    GAsyncResult *result;
    gboolean ok;

    if (!(op_ability (i) == G_TYPE_NONE || gh_driver_supports (driver, op_ability (i))))
      continue;
    result = gh_conf_call_wait (&calls[i], 4 * GH_CONF_REQUEST_MS + 4000, what);
    ok = ops[i].finish (driver, result, &error);
    g_assert_true (ok == (error == NULL));
    gh_conf_call_clear (&calls[i]);
    if (error != NULL)
      g_test_message ("%s: %s (code %d)", what, error->message, error->code);
    if (known_bug (p, ops[i].name, fault, error, expect_code))
      continue;
    if (expect_code < 0 && !ok)
      g_string_append_printf (wrong, "\n  %s failed: %s", what, error->message);
    else if (expect_code >= 0 && ok)
      g_string_append_printf (wrong, "\n  %s succeeded", what);
    else if (expect_code >= 0 && (error->domain != GH_ERROR || error->code != expect_code))
      g_string_append_printf (wrong, "\n  %s: code %d, not %d: %s", what, error->code,
                              expect_code, error->message);
    else if (expect_code >= 0)
      g_assert_cmpuint (strlen (error->message), >, 10);
  }
  if (wrong->len > 0)
    g_error ("%s: wrong outcomes:%s", fault, wrong->str);
  g_test_message ("%s: all operations answered in %" G_GINT64_FORMAT " ms", fault,
                  (g_get_monotonic_time () - t0) / 1000);
}

/* ---------------------------------------------------------------------------------------- */
/* Fixture                                                                                    */

static void
fixture_open (Fixture             *f,
              const GhConfProfile *p)
{
  g_autoptr(GError) error = NULL;

  gh_conf_fault_clear (p, p->fault_station);
  f->driver = gh_conf_driver_new (p, p->fault_station, NULL, GH_CONF_REQUEST_MS);
  f->events = gh_conf_events_new (f->driver);
  g_assert_true (gh_driver_start_events (f->driver, &error));
  g_assert_no_error (error);
  gh_conf_events_wait (f->events, 0, GH_EVENT_DEVICE_ONLINE, GH_CONF_LINK_MS);
}

static void
fixture_close (Fixture             *f,
               const GhConfProfile *p)
{
  gh_driver_stop_events (f->driver);
  gh_conf_events_free (f->events);
  g_clear_object (&f->driver);
  gh_conf_fault_clear (p, p->fault_station);
  g_ptr_array_set_size (keep, 0);
}

/* Waits for the subscription to report @kind (offline, unauthorized) after @since. */
static void
expect_link (Fixture     *f,
             guint        since,
             GhEventKind  kind)
{
  GhEvent *ev = gh_conf_events_wait (f->events, since, kind, GH_CONF_LINK_MS);

  g_assert_nonnull (ev->device_id);
}

/* Doors opened by an earlier step close after the device's hold time; a door that is still
 * open reports no second opening. */
static void
wait_door_closed (const GhConfProfile *p)
{
  gint64 deadline = g_get_monotonic_time () + GH_CONF_EVENT_MS * 1000;

  for (;;) {
    g_autoptr(json_object) state = gh_conf_state (p, p->fault_station);
    json_object *doors;

    g_assert_true (json_object_object_get_ex (state, "doors", &doors));
    if (g_strcmp0 (json_object_get_string (json_object_array_get_idx (doors, 0)), "Close") == 0)
      return;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    gh_conf_spin (50);
  }
}

/* After the fault is cleared: the subscription is back on its own, operations work, and live
 * events flow again over the new connection. */
static void
expect_recovery (Fixture             *f,
                 const GhConfProfile *p,
                 const char          *fault)
{
  guint mark = gh_conf_events_mark (f->events);
  GhEvent *opened;

  if (gh_conf_events_link_state (f->events) != GH_EVENT_DEVICE_ONLINE)
    gh_conf_events_wait (f->events, mark, GH_EVENT_DEVICE_ONLINE, GH_CONF_LINK_MS);
  wait_door_closed (p);
  run_ops (p, f->driver, -1, fault);
  /* the door opened by run_ops shows as a live event */
  opened = gh_conf_events_wait (f->events, mark, GH_EVENT_DOOR_OPENED, GH_CONF_EVENT_MS);
  g_assert_cmpint (opened->door, ==, 0);
  g_assert_cmpint (gh_conf_events_link_state (f->events), ==, GH_EVENT_DEVICE_ONLINE);

  /* the writes that failed during the fault landed when retried */
  {
    g_autoptr(json_object) user = gh_conf_stored (p, p->fault_station, "AccessUser", "FLT1");

    g_assert_nonnull (user);
  }
  g_assert_true (gh_conf_ctl_granted (p, p->fault_station, "card",
                                      "{\"card\":\"FC4242\",\"door\":1}"));
  g_assert_true (gh_conf_ctl_granted (p, p->fault_station, "unlock-code",
                                      "{\"code\":\"001101909090\",\"door\":1}"));
}

/* Clears what a previous recovery pushed, so each fault proves its own retry. */
static void
forget_person (Fixture *f)
{
  const char *ids[] = { "FLT1", NULL };
  GhConfCall call = { 0 };
  g_autoptr(GError) error = NULL;

  gh_person_sync_remove_persons_async (f->driver, ids, NULL, gh_conf_call_cb, &call);
  g_assert_true (gh_person_sync_remove_persons_finish (f->driver,
                                                       gh_conf_call_wait (&call, GH_CONF_OP_MS,
                                                                          "removal"),
                                                       &error));
  g_assert_no_error (error);
  gh_conf_call_clear (&call);
}

/* ---------------------------------------------------------------------------------------- */
/* Tests                                                                                      */

static void
test_offline (const GhConfProfile *p)
{
  Fixture f = { 0 };
  guint mark;

  fixture_open (&f, p);
  forget_person (&f);
  mark = gh_conf_events_mark (f.events);
  gh_conf_fault (p, p->fault_station, "{\"offline\":true}");
  expect_link (&f, mark, GH_EVENT_DEVICE_OFFLINE);
  run_ops (p, f.driver, GH_ERROR_UNREACHABLE, "offline");
  /* still offline a while later: retries back off without flooding link events */
  gh_conf_spin (1500);
  g_assert_cmpint (gh_conf_events_link_state (f.events), ==, GH_EVENT_DEVICE_OFFLINE);
  g_assert_cmpuint (gh_conf_events_count (f.events, mark, GH_EVENT_DEVICE_OFFLINE), ==, 1);
  gh_conf_fault_clear (p, p->fault_station);
  expect_recovery (&f, p, "offline cleared");
  fixture_close (&f, p);
}

static void
test_slow (const GhConfProfile *p)
{
  Fixture f = { 0 };
  g_autofree char *slow = g_strdup_printf ("{\"slow_ms\":%u}", GH_CONF_REQUEST_MS * 3);
  g_autofree char *bearable = g_strdup_printf ("{\"slow_ms\":%u}", GH_CONF_REQUEST_MS / 5);

  fixture_open (&f, p);
  forget_person (&f);
  /* slower than the request limit: a timeout, not a hang */
  gh_conf_fault (p, p->fault_station, slow);
  run_ops (p, f.driver, GH_ERROR_TIMED_OUT, "slow");
  gh_conf_fault_clear (p, p->fault_station);
  expect_recovery (&f, p, "slow cleared");
  forget_person (&f);
  /* cancelling a call stuck on a slow device ends it at once */
  gh_conf_fault (p, p->fault_station, slow);
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GError) error = NULL;
    GhConfCall call = { 0 };
    gint64 t0;

    gh_driver_probe_async (f.driver, cancellable, gh_conf_call_cb, &call);
    gh_conf_spin (100);
    t0 = g_get_monotonic_time ();
    g_cancellable_cancel (cancellable);
    g_assert_null (gh_driver_probe_finish (f.driver, gh_conf_call_wait (&call, 1000,
                                                                         "cancelled probe"),
                                           &error));
    gh_conf_call_clear (&call);
    gh_conf_assert_error (error, GH_ERROR_CANCELLED, "probe cancelled on a slow device");
    g_assert_cmpint (g_get_monotonic_time () - t0, <, 1000 * 1000);
  }
  /* the last reference dropped with a call in flight: the call still completes, no crash */
  {
    g_autoptr(GhDriver) extra = gh_conf_driver_new (p, p->fault_station, NULL,
                                                    GH_CONF_REQUEST_MS);
    g_autoptr(GError) error = NULL;
    g_autoptr(GObject) source = NULL;
    GhConfCall call = { 0 };

    gh_driver_probe_async (extra, NULL, gh_conf_call_cb, &call);
    g_clear_object (&extra);
    gh_conf_call_wait (&call, 4 * GH_CONF_REQUEST_MS, "probe of a released driver");
    source = g_async_result_get_source_object (call.result);
    g_assert_null (gh_driver_probe_finish (GH_DRIVER (source), call.result, &error));
    g_assert_nonnull (error);
    gh_conf_call_clear (&call);
  }
  gh_conf_fault_clear (p, p->fault_station);
  /* slow but within the limit: works */
  gh_conf_fault (p, p->fault_station, bearable);
  run_ops (p, f.driver, -1, "slow within the limit");
  gh_conf_fault_clear (p, p->fault_station);
  fixture_close (&f, p);
}

static void
test_silent_stream (const GhConfProfile *p)
{
  Fixture f = { 0 };
  guint mark;

  fixture_open (&f, p);
  forget_person (&f);
  mark = gh_conf_events_mark (f.events);
  gh_conf_fault (p, p->fault_station, "{\"silent\":true}");
  /* an open connection that says nothing (not even heartbeats) is a dead link */
  expect_link (&f, mark, GH_EVENT_DEVICE_OFFLINE);
  gh_conf_fault_clear (p, p->fault_station);
  expect_recovery (&f, p, "silent stream cleared");
  fixture_close (&f, p);
}

static void
test_http_500 (const GhConfProfile *p)
{
  Fixture f = { 0 };
  guint mark;

  fixture_open (&f, p);
  forget_person (&f);
  mark = gh_conf_events_mark (f.events);
  gh_conf_fault (p, p->fault_station, "{\"http_500\":true}");
  run_ops (p, f.driver, GH_ERROR_PROTOCOL, "HTTP 500");
  /* a reattach answered with 500 is no working link (the open stream may live on until
   * the device drops it, so reboot-free: force the reattach by cutting it) */
  gh_conf_fault (p, p->fault_station, "{\"offline\":true}");
  expect_link (&f, mark, GH_EVENT_DEVICE_OFFLINE);
  gh_conf_fault (p, p->fault_station, "{\"offline\":false}");
  gh_conf_spin (1500);
  g_assert_cmpint (gh_conf_events_link_state (f.events), !=, GH_EVENT_DEVICE_ONLINE);
  gh_conf_fault_clear (p, p->fault_station);
  expect_recovery (&f, p, "HTTP 500 cleared");
  fixture_close (&f, p);
}

/* Whatever survives a garbled stream must still be a plausible event: a known device, a
 * door or input index in range, a time near now. */
static gboolean
events_sane (Fixture *f,
             guint    since)
{
  gint64 now = g_get_real_time ();

  for (guint i = since; i < gh_conf_events_mark (f->events); i++) {
    const GhEvent *ev = gh_conf_events_get (f->events, i);

    if (g_strcmp0 (ev->device_id, gh_driver_get_config (f->driver)->id) != 0 ||
        ev->door < -1 || ev->door > 16 || ABS (ev->time - now) > 600 * G_USEC_PER_SEC)
      return FALSE;
  }
  return TRUE;
}

static void
test_malformed (const GhConfProfile *p)
{
  Fixture f = { 0 };
  guint mark;

  fixture_open (&f, p);
  forget_person (&f);
  gh_conf_fault (p, p->fault_station, "{\"malformed\":true}");
  run_ops (p, f.driver, GH_ERROR_PROTOCOL, "malformed");
  /* garbled event parts must not crash the subscriber nor turn into made-up events */
  mark = gh_conf_events_mark (f.events);
  json_object_put (gh_conf_ctl (p, p->fault_station, "alarm", "{\"input\":2,\"active\":true}"));
  json_object_put (gh_conf_ctl (p, p->fault_station, "alarm", "{\"input\":2,\"active\":false}"));
  gh_conf_spin (1000);
  g_assert_true (events_sane (&f, mark));
  gh_conf_fault_clear (p, p->fault_station);
  expect_recovery (&f, p, "malformed cleared");
  fixture_close (&f, p);
}

static void
test_auth_failure (const GhConfProfile *p)
{
  Fixture f = { 0 };
  guint mark;

  fixture_open (&f, p);
  forget_person (&f);
  mark = gh_conf_events_mark (f.events);
  gh_conf_fault (p, p->fault_station, "{\"auth_fail\":true}");
  run_ops (p, f.driver, GH_ERROR_AUTH_FAILED, "auth failure");
  /* the stream only notices on its next attach */
  gh_conf_fault (p, p->fault_station, "{\"offline\":true}");
  gh_conf_events_wait (f.events, mark, GH_EVENT_DEVICE_OFFLINE, GH_CONF_LINK_MS);
  gh_conf_fault (p, p->fault_station, "{\"offline\":false}");
  expect_link (&f, mark, GH_EVENT_DEVICE_UNAUTHORIZED);
  gh_conf_fault_clear (p, p->fault_station);
  expect_recovery (&f, p, "auth failure cleared");
  fixture_close (&f, p);
}

static void
test_wrong_password (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->monitor, "not-the-password",
                                                   GH_CONF_REQUEST_MS);
  g_autoptr(GhConfEvents) events = gh_conf_events_new (driver);
  g_autoptr(GError) error = NULL;
  GhConfCall call = { 0 };

  gh_driver_probe_async (driver, NULL, gh_conf_call_cb, &call);
  g_assert_null (gh_driver_probe_finish (driver, gh_conf_call_wait (&call, GH_CONF_OP_MS,
                                                                     "probe"), &error));
  gh_conf_call_clear (&call);
  gh_conf_assert_error (error, GH_ERROR_AUTH_FAILED, "probe with a wrong password");
  g_assert_true (gh_driver_start_events (driver, NULL));
  gh_conf_events_wait (events, 0, GH_EVENT_DEVICE_UNAUTHORIZED, GH_CONF_LINK_MS);
  gh_driver_stop_events (driver);
}

static void
test_reboot (const GhConfProfile *p)
{
  Fixture f = { 0 };
  guint mark;

  fixture_open (&f, p);
  forget_person (&f);
  mark = gh_conf_events_mark (f.events);
  json_object_put (gh_conf_ctl (p, p->fault_station, "reboot", "{\"seconds\":2}"));
  expect_link (&f, mark, GH_EVENT_DEVICE_OFFLINE);
  run_ops (p, f.driver, GH_ERROR_UNREACHABLE, "rebooting");
  /* back by itself, no fault to clear */
  gh_conf_events_wait (f.events, mark, GH_EVENT_DEVICE_ONLINE, GH_CONF_LINK_MS);
  expect_recovery (&f, p, "after reboot");

  /* what was pushed survives a reboot; a subscription stopped while the device is down stays
   * quiet when it comes back */
  json_object_put (gh_conf_ctl (p, p->fault_station, "reboot", "{\"seconds\":1}"));
  gh_conf_events_wait (f.events, mark = gh_conf_events_mark (f.events),
                       GH_EVENT_DEVICE_OFFLINE, GH_CONF_LINK_MS);
  gh_driver_stop_events (f.driver);
  mark = gh_conf_events_mark (f.events);
  gh_conf_spin (2500);
  g_assert_cmpuint (gh_conf_events_mark (f.events), ==, mark);
  g_assert_true (gh_conf_ctl_granted (p, p->fault_station, "card",
                                      "{\"card\":\"FC4242\",\"door\":1}"));
  fixture_close (&f, p);
}

static void
test_unreachable_host (const GhConfProfile *p)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GhDeviceConfig) config = NULL;
  g_autoptr(GhDriver) driver = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* a port that was just free: nothing listens there */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  config = gh_device_config_new (p->driver, "127.0.0.1", port, "admin", "admin123");
  config->timeout_ms = GH_CONF_REQUEST_MS;
  driver = gh_driver_new (config, &error);
  g_assert_no_error (error);
  run_ops (p, driver, GH_ERROR_UNREACHABLE, "nothing listening");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  gh_conf_init (&argc, &argv);
  keep = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  gh_conf_add ("faults/unreachable-host", test_unreachable_host);
  gh_conf_add ("faults/offline", test_offline);
  gh_conf_add ("faults/slow", test_slow);
  gh_conf_add ("faults/silent-stream", test_silent_stream);
  gh_conf_add ("faults/http-500", test_http_500);
  gh_conf_add ("faults/malformed", test_malformed);
  gh_conf_add ("faults/auth-failure", test_auth_failure);
  gh_conf_add ("faults/wrong-password", test_wrong_password);
  gh_conf_add ("faults/reboot", test_reboot);
  ret = gh_conf_run ();
  g_ptr_array_unref (keep);
  return ret;
}
