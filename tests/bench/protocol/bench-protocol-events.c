/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE  /* RUSAGE_THREAD */
#define G_LOG_DOMAIN "bench-protocol-events"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "gh-driver.h"
#include "sim-test-util.h"

/*
 * Events through the driver: one gatehouse-sim process with 500 door stations and 500
 * monitors, a driver with an attached event stream per device, all in this process on one
 * blocking main loop. The simulator stamps every event with the moment it wrote the part
 * (`stamp_events`, CLOCK_MONOTONIC µs), so each latency is from the device writing the event
 * to this process holding the normalized GhEvent: the kernel's loopback, the wake-up, libcurl,
 * the parser, the event map and the signal — everything the client adds, and no more.
 *
 * 1. idle: heartbeats only, CPU of the driver thread;
 * 2. load: the simulator's load generator makes every device emit 10 events/s (door stations a
 *    refused card, monitors an alarm input) for 10 s: p50/p99 latency and the driver thread's
 *    CPU share;
 * 3. rings: 100 door stations ring a room, one after the other, from a second thread through
 *    the control interface: latency of the ring event (door station and monitor).
 * Prints `BENCH <name> <value> <unit>` lines.
 */

#define MAX_PAIRS     500
#define LOAD_RATE     10      /* events per second per device */
#define LOAD_SECONDS  10
#define RINGS         100

typedef enum {
  PHASE_SETUP,
  PHASE_LOAD,
  PHASE_RINGS,
} Phase;

static SimProc *sim;
static GArray *load_ms;          /* double */
static GArray *ring_ms;          /* double */
static guint load_unstamped;
static guint online;
static Phase phase;
static guint PAIRS = MAX_PAIRS;  /* BENCH_EVENT_PAIRS */

/* CPU seconds of this thread only (the drivers run here, the ring requests on another
 * thread); @user_only leaves out the time in the kernel. */
static double
thread_cpu (gboolean user_only)
{
  struct rusage u;

  getrusage (RUSAGE_THREAD, &u);
  if (user_only)
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6;
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}


static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  if (values->len == 0)
    return -1;
  g_array_sort (values, cmp_double);
  return g_array_index (values, double, MIN (values->len - 1, (guint) (p * values->len)));
}

/* When the simulator wrote the event, from the stamp in its data; 0 without one. */
static gint64
sent_at (const GhEvent *event)
{
  const char *at = event->raw_data ? strstr (event->raw_data, "\"GhSimSentUs\"") : NULL;

  if (at == NULL)
    return 0;
  at += strlen ("\"GhSimSentUs\"");
  while (*at == ' ' || *at == ':')
    at++;
  return g_ascii_strtoll (at, NULL, 10);
}

static void
event_cb (GhDriver *driver,
          GhEvent  *event,
          gpointer  user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 sent;
  double ms;

  if (event->kind == GH_EVENT_DEVICE_ONLINE) {
    online++;
    return;
  }
  sent = sent_at (event);
  if (phase == PHASE_LOAD &&
      (event->kind == GH_EVENT_ACCESS_DENIED || event->kind == GH_EVENT_ALARM_START ||
       event->kind == GH_EVENT_ALARM_STOP)) {
    if (sent == 0) {
      load_unstamped++;
      return;
    }
    ms = (now - sent) / 1000.0;
    g_array_append_val (load_ms, ms);
  } else if (phase == PHASE_RINGS && event->kind == GH_EVENT_CALL_RINGING && sent != 0) {
    ms = (now - sent) / 1000.0;
    g_array_append_val (ring_ms, ms);
  }
}

static gboolean
flag_cb (gpointer user_data)
{
  g_atomic_int_set ((gint *) user_data, TRUE);
  g_main_context_wakeup (NULL);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop, blocking in poll like an application, for @ms milliseconds or until
 * @flag is set. */
static void
run_for (guint  ms,
         gint  *flag)
{
  gint expired = FALSE;
  guint id = g_timeout_add (ms, flag_cb, &expired);

  while (!g_atomic_int_get (&expired) && !(flag && g_atomic_int_get (flag)))
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
}

typedef struct {
  gint done;
} RingJob;

static gpointer
ring_thread (gpointer user_data)
{
  RingJob *job = user_data;

  for (guint n = 0; n < MIN (RINGS, PAIRS); n++) {
    g_autofree char *name = g_strdup_printf ("VTO-%03u", n);
    g_autofree char *body = g_strdup_printf ("{\"room\":\"%u\"}", 1000 + n);
    g_autoptr(json_object) ring = sim_ctl (sim, name, "ring", body, NULL);
    g_autoptr(json_object) hangup = NULL;

    g_usleep (20 * 1000);
    hangup = sim_ctl (sim, name, "hangup", "{}", NULL);
  }
  g_atomic_int_set (&job->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GString) community = g_string_new (NULL);
  g_autoptr(GPtrArray) drivers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *load_url = NULL;
  g_autofree char *load_body = NULL;
  g_autoptr(SimReply) reply = NULL;
  gint64 t0, deadline;
  double cpu0, user0, idle_cpu, load_cpu, load_user, wall;
  guint expected;
  RingJob job = { 0 };
  GThread *thread;

  if (g_getenv ("BENCH_EVENT_PAIRS") != NULL)
    PAIRS = CLAMP (atoi (g_getenv ("BENCH_EVENT_PAIRS")), 1, MAX_PAIRS);
  load_ms = g_array_new (FALSE, FALSE, sizeof (double));
  ring_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_string_append (community, "{\"defaults\":{\"username\":\"admin\",\"password\":\"admin123\","
                              "\"ring_timeout_ms\":60000,\"sip_report_seconds\":0,"
                              "\"stamp_events\":true},\"devices\":[");
  for (guint i = 0; i < PAIRS; i++)
    g_string_append_printf (community,
                            "%s{\"name\":\"VTO-%03u\",\"kind\":\"vto\",\"number\":\"%u\"},"
                            "{\"name\":\"VTH-%03u\",\"kind\":\"vth\",\"number\":\"%u\"}",
                            i ? "," : "", i, 8000 + i, i, 1000 + i);
  g_string_append (community, "]}");
  sim = sim_proc_start (community->str, NULL);

  for (guint i = 0; i < 2 * PAIRS; i++) {
    g_autofree char *name = g_strdup_printf ("%s-%03u", i < PAIRS ? "VTO" : "VTH", i % PAIRS);
    g_autoptr(GUri) uri = g_uri_parse (sim_http (sim, name), G_URI_FLAGS_NONE, NULL);
    g_autoptr(GhDeviceConfig) config = NULL;
    g_autoptr(GError) error = NULL;
    GhDriver *driver;

    config = gh_device_config_new ("dahua", g_uri_get_host (uri), g_uri_get_port (uri),
                                   sim_field (sim, name, "username"),
                                   sim_field (sim, name, "password"));
    g_free (config->id);
    config->id = g_strdup (name);
    driver = gh_driver_new (config, &error);
    g_assert_no_error (error);
    g_signal_connect (driver, "event", G_CALLBACK (event_cb), NULL);
    if (!gh_driver_start_events (driver, &error))
      g_error ("%s: %s", name, error->message);
    g_ptr_array_add (drivers, driver);
  }

  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (online < 2 * PAIRS && g_get_monotonic_time () < deadline)
    run_for (100, NULL);
  printf ("# %u of %u event streams online\n", online, 2 * PAIRS);
  /* past the replay window after attaching */
  run_for (3000, NULL);

  /* idle: 1,000 streams with heartbeats */
  cpu0 = thread_cpu (FALSE);
  run_for (5000, NULL);
  idle_cpu = (thread_cpu (FALSE) - cpu0) / 5.0 * 100;

  /* load: every device 10 events/s for 10 s, generated inside the simulator */
  load_url = g_strconcat (sim->control, "/load", NULL);
  load_body = g_strdup_printf ("{\"rate\": %d, \"seconds\": %d}", LOAD_RATE, LOAD_SECONDS);
  phase = PHASE_LOAD;
  cpu0 = thread_cpu (FALSE);
  user0 = thread_cpu (TRUE);
  t0 = g_get_monotonic_time ();
  reply = sim_post (load_url, SIM_AUTH_NONE, NULL, NULL, "application/json", load_body,
                    strlen (load_body));
  g_assert_cmpint (reply->status, ==, 200);
  run_for (LOAD_SECONDS * 1000 + 300, NULL);
  wall = (g_get_monotonic_time () - t0) / 1e6;
  load_cpu = thread_cpu (FALSE) - cpu0;
  load_user = thread_cpu (TRUE) - user0;
  expected = LOAD_RATE * LOAD_SECONDS * 2 * PAIRS;

  /* rings on 100 door stations */
  phase = PHASE_RINGS;
  thread = g_thread_new ("rings", ring_thread, &job);
  while (!g_atomic_int_get (&job.done))
    run_for (1000, &job.done);
  g_thread_join (thread);
  run_for (500, NULL);

  printf ("# %u door stations + %u monitors\n", PAIRS, PAIRS);
  printf ("# load: %u of %u events delivered in %.1f s (%u without a stamp); %u ring events\n",
          load_ms->len, expected, wall, load_unstamped, ring_ms->len);
  if (PAIRS != MAX_PAIRS)
    printf ("# NOTE: %u devices, not 1,000 (BENCH_EVENT_PAIRS)\n", 2 * PAIRS);
  printf ("BENCH protocol.events_1000dev_idle_cpu %.2f %%\n", idle_cpu);
  printf ("BENCH protocol.events_1000dev_rate %.0f events/s\n", load_ms->len / wall);
  printf ("BENCH protocol.events_1000dev_delivered %.2f %%\n", 100.0 * load_ms->len / expected);
  printf ("BENCH protocol.events_1000dev_p50 %.2f ms\n", percentile (load_ms, 0.50));
  printf ("BENCH protocol.events_1000dev_p99 %.2f ms\n", percentile (load_ms, 0.99));
  printf ("BENCH protocol.events_1000dev_cpu %.1f %%\n", load_cpu / wall * 100);
  /* the kernel's share is mostly loopback TCP: receiving each part and, inline on loopback,
   * the simulator's side of the acknowledgement */
  printf ("BENCH protocol.events_1000dev_cpu_user %.1f %%\n", load_user / wall * 100);
  printf ("BENCH protocol.events_1000dev_cpu_kernel %.1f %%\n", (load_cpu - load_user) / wall * 100);
  if (load_ms->len > 0)
    printf ("BENCH protocol.events_1000dev_cpu_per_event %.1f us\n",
            load_cpu / load_ms->len * 1e6);
  printf ("BENCH protocol.ring_latency_p50 %.2f ms\n", percentile (ring_ms, 0.50));
  printf ("BENCH protocol.ring_latency_p99 %.2f ms\n", percentile (ring_ms, 0.99));
  fflush (stdout);

  for (guint i = 0; i < drivers->len; i++)
    gh_driver_stop_events (g_ptr_array_index (drivers, i));
  sim_proc_stop (sim);
  return 0;
}
