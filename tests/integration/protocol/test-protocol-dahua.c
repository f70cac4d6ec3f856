/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-protocol-dahua"

#include "config.h"

#include "gh-call-control.h"
#include "gh-door-control.h"
#include "gh-driver.h"
#include "gh-error.h"
#include "gh-media-source.h"
#include "gh-person-sync.h"
#include "gh-record-source.h"
#include "sim-test-util.h"

#include <glib/gstdio.h>

/* The Dahua driver against gatehouse-sim over loopback: real HTTP, Digest, RPC2 and the
 * multipart event stream, each side written independently. */

static SimProc *sim;

typedef struct {
  gpointer  value;
  gboolean  ok;
  GError   *error;
  gboolean  done;
} Wait;

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

  g_assert_nonnull (uri);
  config = gh_device_config_new ("dahua", g_uri_get_host (uri), g_uri_get_port (uri),
                                 sim_field (sim, device, "username"),
                                 password ? password : sim_field (sim, device, "password"));
  g_free (config->id);
  config->id = g_strdup (device);
  config->timeout_ms = 5000;
  driver = gh_driver_new (config, &error);
  g_assert_no_error (error);
  g_object_set (driver, "heartbeat-interval", 1, "reconnect-delay", 100, NULL);
  return driver;
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
bool_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = g_task_propagate_boolean (G_TASK (result), &w->error);
  w->done = TRUE;
}

static void
test_probe (void)
{
  g_autoptr(GhDriver) driver = driver_for ("VTO-A", NULL);
  g_autoptr(GhDriver) wrong = driver_for ("VTO-A", "not-the-password");
  g_autoptr(GhDriver) basic = driver_for ("VTO-BASIC", NULL);
  g_autoptr(GhProbeInfo) info = NULL;
  Wait w = { 0 };

  gh_driver_probe_async (driver, NULL, probe_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_no_error (w.error);
  info = w.value;
  g_assert_cmpstr (info->model, ==, "VTO2211G-WP");
  g_assert_cmpstr (info->serial, ==, "SIMVTOA0001");
  g_assert_true (g_str_has_prefix (info->firmware, "4.511"));
  g_assert_cmpint (info->kind, ==, GH_DEVICE_KIND_DOOR_STATION);
  g_assert_cmpuint (info->door_count, ==, 2);
  g_assert_cmpint (ABS (info->clock_offset_s), <, 5 * 60);

  /* Old firmware that offers only Basic */
  memset (&w, 0, sizeof w);
  gh_driver_probe_async (basic, NULL, probe_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_no_error (w.error);
  gh_probe_info_free (w.value);

  memset (&w, 0, sizeof w);
  gh_driver_probe_async (wrong, NULL, probe_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_null (w.value);
  g_assert_error (w.error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_clear_error (&w.error);
}

typedef struct {
  GPtrArray *events;
} Events;

static void
event_cb (GhDriver *driver,
          GhEvent  *event,
          gpointer  user_data)
{
  Events *e = user_data;
  g_autofree char *text = gh_event_to_string (event);

  g_test_message ("event: %s", text);
  g_ptr_array_add (e->events, gh_event_ref (event));
}

static GhEvent *
find_event (Events      *e,
            GhEventKind  kind)
{
  for (guint i = 0; i < e->events->len; i++) {
    GhEvent *event = g_ptr_array_index (e->events, i);

    if (event->kind == kind)
      return event;
  }
  return NULL;
}

static GhEvent *
wait_event (Events      *e,
            GhEventKind  kind,
            guint        ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;
  GhEvent *event;

  while ((event = find_event (e, kind)) == NULL) {
    if (g_get_monotonic_time () > deadline)
      g_error ("no %s event within %u ms", gh_event_kind_to_string (kind), ms);
    g_main_context_iteration (NULL, FALSE);
    g_usleep (2000);
  }
  return event;
}

static void
test_events_ring_and_door (void)
{
  g_autoptr(GhDriver) driver = driver_for ("VTO-A", NULL);
  g_autoptr(GError) error = NULL;
  Events e = { g_ptr_array_new_with_free_func ((GDestroyNotify) gh_event_unref) };
  g_autoptr(json_object) reply = NULL;
  GhEvent *ring;
  Wait w = { 0 };

  g_signal_connect (driver, "event", G_CALLBACK (event_cb), &e);
  g_assert_true (gh_driver_start_events (driver, &error));
  g_assert_no_error (error);
  wait_event (&e, GH_EVENT_DEVICE_ONLINE, 10000);
  /* past the stale-replay window after attach */
  spin_for (3300);

  reply = sim_ctl (sim, "VTO-A", "ring", "{\"room\":\"1101\"}", NULL);
  ring = wait_event (&e, GH_EVENT_CALL_RINGING, 10000);
  g_assert_cmpstr (ring->device_id, ==, "VTO-A");
  g_assert_nonnull (ring->raw_code);

  gh_door_control_set_door_async (driver, 0, GH_DOOR_ACTION_OPEN, NULL, bool_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  wait_event (&e, GH_EVENT_DOOR_OPENED, 10000);

  /* door index out of range for the device: a clear error, not a crash */
  memset (&w, 0, sizeof w);
  gh_door_control_set_door_async (driver, 7, GH_DOOR_ACTION_OPEN, NULL, bool_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_nonnull (w.error);
  g_clear_error (&w.error);

  gh_driver_stop_events (driver);
  g_ptr_array_unref (e.events);
}

/* The stream dies silently (no FIN): the watchdog notices and the driver reconnects. */
static void
test_events_reconnect (void)
{
  g_autoptr(GhDriver) driver = driver_for ("VTO-A", NULL);
  Events e = { g_ptr_array_new_with_free_func ((GDestroyNotify) gh_event_unref) };
  g_autoptr(json_object) silent = NULL;
  g_autoptr(json_object) back = NULL;

  g_signal_connect (driver, "event", G_CALLBACK (event_cb), &e);
  g_assert_true (gh_driver_start_events (driver, NULL));
  wait_event (&e, GH_EVENT_DEVICE_ONLINE, 10000);
  silent = sim_ctl (sim, "VTO-A", "faults", "{\"silent\":true}", NULL);
  wait_event (&e, GH_EVENT_DEVICE_OFFLINE, 15000);
  back = sim_ctl (sim, "VTO-A", "faults", "{\"silent\":false}", NULL);
  g_ptr_array_set_size (e.events, 0);
  wait_event (&e, GH_EVENT_DEVICE_ONLINE, 15000);
  gh_driver_stop_events (driver);
  g_ptr_array_unref (e.events);
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

static void
test_records (void)
{
  g_autoptr(GhDriver) driver = driver_for ("VTO-A", NULL);
  g_autoptr(json_object) r1 = NULL;
  g_autoptr(GhDeviceRecordBatch) first = NULL;
  g_autoptr(GhDeviceRecordBatch) again = NULL;
  Wait w = { 0 };

  /* an unanswered ring ends after ring_timeout_ms and is logged when it ends */
  r1 = sim_ctl (sim, "VTO-A", "ring", "{\"room\":\"1101\"}", NULL);
  spin_for (2000);

  gh_record_source_fetch_records_async (driver, GH_RECORD_KIND_CALL, NULL, NULL, records_cb, &w);
  spin_until (&w.done, 15000);
  g_assert_no_error (w.error);
  first = w.value;
  g_assert_cmpuint (first->records->len, >=, 1);
  g_assert_nonnull (first->cursor);
  {
    GhDeviceRecord *last = g_ptr_array_index (first->records, first->records->len - 1);

    g_assert_cmpstr (last->room, ==, "1101");
    g_assert_nonnull (last->key);
    g_assert_cmpint (ABS (last->time - g_get_real_time () / G_USEC_PER_SEC), <, 600);
  }

  /* the cursor makes the next fetch incremental: nothing new, no duplicates */
  memset (&w, 0, sizeof w);
  gh_record_source_fetch_records_async (driver, GH_RECORD_KIND_CALL, first->cursor, NULL,
                                        records_cb, &w);
  spin_until (&w.done, 15000);
  g_assert_no_error (w.error);
  again = w.value;
  g_assert_cmpuint (again->records->len, ==, 0);
}

/* More rows than one find returns (1024): paging, rows sharing a second, no duplicates. */
static void
test_records_paging (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gh-protocol-paging-XXXXXX", &error);
  g_autofree char *state_file = g_build_filename (dir, "state.json", NULL);
  const char *args[] = { "--state", state_file, NULL };
  g_autoptr(GString) state = g_string_new ("{\"devices\":{\"VTO-A\":{\"records\":"
                                           "{\"AccessControlCardRec\":[");
  gint64 base = g_get_real_time () / G_USEC_PER_SEC - 20000;
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GhDeviceRecordBatch) all = NULL;
  g_autoptr(GhDeviceRecordBatch) none = NULL;
  g_autoptr(GhDriver) driver = NULL;
  SimProc *paging_sim;
  SimProc *saved = sim;
  const guint n_rows = 2600;
  Wait w = { 0 };

  g_assert_no_error (error);
  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (state, "%s{\"CreateTime\":\"%" G_GINT64_FORMAT "\",\"CardNo\":"
                            "\"%u\",\"UserID\":\"U%u\",\"Method\":\"1\",\"Status\":\"1\","
                            "\"Door\":\"0\",\"Type\":\"Entry\"}", i ? "," : "",
                            base + i / 3, 100000 + i, i % 50);
  g_string_append (state, "]}}}}");
  g_file_set_contents (state_file, state->str, -1, &error);
  g_assert_no_error (error);

  paging_sim = sim_proc_start (SIM_TEST_COMMUNITY, args);
  sim = paging_sim;
  driver = driver_for ("VTO-A", NULL);
  gh_record_source_fetch_records_async (driver, GH_RECORD_KIND_ACCESS, NULL, NULL, records_cb,
                                        &w);
  spin_until (&w.done, 30000);
  g_assert_no_error (w.error);
  all = w.value;
  g_assert_cmpuint (all->records->len, ==, n_rows);
  for (guint i = 0; i < all->records->len; i++) {
    GhDeviceRecord *r = g_ptr_array_index (all->records, i);

    g_assert_true (g_hash_table_add (keys, r->key));
    g_assert_true (r->granted);
    if (i > 0)
      g_assert_cmpint (r->time, >=, ((GhDeviceRecord *) g_ptr_array_index (all->records, i - 1))->time);
  }

  memset (&w, 0, sizeof w);
  gh_record_source_fetch_records_async (driver, GH_RECORD_KIND_ACCESS, all->cursor, NULL,
                                        records_cb, &w);
  spin_until (&w.done, 30000);
  g_assert_no_error (w.error);
  none = w.value;
  g_assert_cmpuint (none->records->len, ==, 0);

  g_clear_object (&driver);
  sim = saved;
  sim_proc_stop (paging_sim);
  g_unlink (state_file);
  g_rmdir (dir);
}

static void
test_persons (void)
{
  g_autoptr(GhDriver) driver = driver_for ("VTO-A", NULL);
  g_autoptr(GPtrArray) persons = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_person_free);
  g_autoptr(json_object) swipe = NULL;
  json_object *granted;
  Wait w = { 0 };

  for (guint i = 0; i < 13; i++) {  /* more than one batch */
    g_autofree char *id = g_strdup_printf ("P%03u", i);
    g_autofree char *card = g_strdup_printf ("77%04u", i);
    GhDevicePerson *p = gh_device_person_new (id, "Zhang San");

    g_ptr_array_add (p->cards, gh_device_card_new (card, i == 1 ? GH_CARD_KIND_DURESS
                                                         : GH_CARD_KIND_ORDINARY));
    g_ptr_array_add (persons, p);
  }
  gh_person_sync_push_persons_async (driver, persons, NULL, bool_cb, &w);
  spin_until (&w.done, 20000);
  g_assert_no_error (w.error);

  /* pushing the same persons again turns "already exists" into updates */
  memset (&w, 0, sizeof w);
  gh_person_sync_push_persons_async (driver, persons, NULL, bool_cb, &w);
  spin_until (&w.done, 20000);
  g_assert_no_error (w.error);

  swipe = sim_ctl (sim, "VTO-A", "card", "{\"card\":\"770003\",\"door\":1}", NULL);
  g_assert_true (json_object_object_get_ex (swipe, "granted", &granted));
  g_assert_true (json_object_get_boolean (granted));
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

static void
test_rpc_call_state_and_time (void)
{
  g_autoptr(GhDriver) driver = driver_for ("VTO-A", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *url = NULL;
  Wait w = { 0 };

  gh_call_control_get_call_state_async (driver, NULL, state_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_no_error (w.error);
  g_assert_cmpint (GPOINTER_TO_INT (w.value), ==, GH_CALL_STATE_IDLE);

  memset (&w, 0, sizeof w);
  gh_driver_sync_time_async (driver, now, NULL, bool_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_no_error (w.error);

  url = gh_media_source_get_live_url (driver, 0, NULL);
  g_assert_true (g_str_has_prefix (url, "rtsp://admin:admin123@127.0.0.1:554/cam/realmonitor"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  sim = sim_proc_start (SIM_TEST_COMMUNITY, NULL);

  g_test_add_func ("/protocol/dahua/probe", test_probe);
  g_test_add_func ("/protocol/dahua/events-ring-and-door", test_events_ring_and_door);
  g_test_add_func ("/protocol/dahua/events-reconnect", test_events_reconnect);
  g_test_add_func ("/protocol/dahua/records", test_records);
  g_test_add_func ("/protocol/dahua/records-paging", test_records_paging);
  g_test_add_func ("/protocol/dahua/persons", test_persons);
  g_test_add_func ("/protocol/dahua/rpc-call-state-and-time", test_rpc_call_state_and_time);

  ret = g_test_run ();
  sim_proc_stop (sim);
  return ret;
}
