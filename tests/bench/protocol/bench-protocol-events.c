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
 * main loop. A second thread drives the simulator's control API (card swipes, rings); the
 * latency of an event is from just before its control request to the driver's normalized
 * event, so it includes the control round trip (an upper bound of what the driver adds).
 * Prints `BENCH <name> <value> <unit>` lines.
 */

#define MAX_PAIRS    500
#define SWIPE_SECONDS 10
#define RINGS        100

static SimProc *sim;
static GHashTable *index_of;     /* device name → index + 1 */
static GMutex lock;
static GQueue sent[2 * MAX_PAIRS];  /* per device: gint64* µs of requests not yet seen */
static GArray *swipe_ms;         /* double */
static GArray *ring_ms;          /* double */
static guint rings;
static guint online;
static guint PAIRS = MAX_PAIRS;  /* BENCH_EVENT_PAIRS */

static double
cpu_seconds (void)
{
  struct rusage u;

  /* this thread only: the drivers run here, the control requests on another thread */
  getrusage (RUSAGE_THREAD, &u);
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

static void
event_cb (GhDriver *driver,
          GhEvent  *event,
          gpointer  user_data)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (index_of, event->device_id));
  gint64 now = g_get_monotonic_time ();
  g_autofree gint64 *t0 = NULL;

  if (i == 0)
    return;
  i--;
  if (event->kind == GH_EVENT_DEVICE_ONLINE) {
    online++;
    return;
  }
  if (event->kind != GH_EVENT_ACCESS_DENIED && event->kind != GH_EVENT_ACCESS_GRANTED &&
      event->kind != GH_EVENT_CALL_RINGING)
    return;
  g_mutex_lock (&lock);
  t0 = g_queue_pop_head (&sent[i]);
  g_mutex_unlock (&lock);
  if (t0 == NULL)
    return;
  {
    double ms = (now - *t0) / 1000.0;

    g_array_append_val (event->kind == GH_EVENT_CALL_RINGING ? ring_ms : swipe_ms, ms);
  }
}

static void
mark_sent (guint i)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&lock);
  g_queue_push_tail (&sent[i], g_memdup2 (&now, sizeof now));
  g_mutex_unlock (&lock);
}

static gpointer
swipe_thread (gpointer user_data)
{
  guint *count = user_data;
  gint64 end = g_get_monotonic_time () + SWIPE_SECONDS * G_USEC_PER_SEC;

  for (guint n = 0; g_get_monotonic_time () < end; n++) {
    guint i = n % PAIRS;  /* door stations are 0…PAIRS-1 */
    g_autofree char *name = g_strdup_printf ("VTO-%03u", i);
    g_autoptr(json_object) reply = NULL;

    mark_sent (i);
    reply = sim_ctl (sim, name, "card", "{\"card\":\"DEAD0001\",\"door\":1}", NULL);
    (*count)++;
  }
  return NULL;
}

static gpointer
ring_thread (gpointer user_data)
{
  for (guint n = 0; n < rings; n++) {
    g_autofree char *name = g_strdup_printf ("VTO-%03u", n);
    g_autofree char *body = g_strdup_printf ("{\"room\":\"%u\"}", 1000 + n);
    g_autoptr(json_object) reply = NULL;

    mark_sent (n);
    reply = sim_ctl (sim, name, "ring", body, NULL);
    g_usleep (20 * 1000);
  }
  return NULL;
}

static void
spin_until_joined (GThread *thread,
                   gboolean *flag)
{
  while (!g_atomic_int_get (flag))
    g_main_context_iteration (NULL, FALSE) || (g_usleep (200), TRUE);
  g_thread_join (thread);
}

typedef struct {
  GThreadFunc func;
  gpointer    data;
  gboolean    done;
} Job;

static gpointer
job_main (gpointer user_data)
{
  Job *job = user_data;

  job->func (job->data);
  g_atomic_int_set (&job->done, TRUE);
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GString) community = g_string_new (NULL);
  g_autoptr(GPtrArray) drivers = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 t0, deadline;
  double cpu0, idle_cpu, swipe_cpu, wall;
  guint swipes = 0;
  Job job = { 0 };

  if (g_getenv ("BENCH_EVENT_PAIRS") != NULL)
    PAIRS = CLAMP (atoi (g_getenv ("BENCH_EVENT_PAIRS")), 1, MAX_PAIRS);
  index_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  swipe_ms = g_array_new (FALSE, FALSE, sizeof (double));
  ring_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_string_append (community, "{\"defaults\":{\"username\":\"admin\",\"password\":\"admin123\","
                              "\"ring_timeout_ms\":60000,\"sip_report_seconds\":0},"
                              "\"devices\":[");
  for (guint i = 0; i < PAIRS; i++)
    g_string_append_printf (community,
                            "%s{\"name\":\"VTO-%03u\",\"kind\":\"vto\",\"number\":\"%u\"},"
                            "{\"name\":\"VTH-%03u\",\"kind\":\"vth\",\"number\":\"%u\"}",
                            i ? "," : "", i, 8000 + i, i, 1000 + i);
  g_string_append (community, "]}");
  sim = sim_proc_start (community->str, NULL);
  rings = MIN (RINGS, PAIRS);

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
    g_hash_table_insert (index_of, g_strdup (name), GUINT_TO_POINTER (i + 1));
    g_queue_init (&sent[i]);
    if (!gh_driver_start_events (driver, &error))
      g_error ("%s: %s", name, error->message);
    g_ptr_array_add (drivers, driver);
  }

  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (online < 2 * PAIRS && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  printf ("# %u of %u event streams online\n", online, 2 * PAIRS);
  /* past the replay window after attaching */
  t0 = g_get_monotonic_time ();
  while (g_get_monotonic_time () - t0 < 3 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);

  /* idle: 1,000 streams with heartbeats */
  cpu0 = cpu_seconds ();
  t0 = g_get_monotonic_time ();
  while (g_get_monotonic_time () - t0 < 5 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  idle_cpu = (cpu_seconds () - cpu0) / 5.0 * 100;

  /* card swipes as fast as the control interface takes them, round-robin over door stations */
  job.func = (GThreadFunc) swipe_thread;
  job.data = &swipes;
  cpu0 = cpu_seconds ();
  t0 = g_get_monotonic_time ();
  spin_until_joined (g_thread_new ("swipes", job_main, &job), &job.done);
  /* let the last events arrive */
  deadline = g_get_monotonic_time () + 500 * 1000;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (200), TRUE);
  wall = (g_get_monotonic_time () - t0) / 1e6;
  swipe_cpu = cpu_seconds () - cpu0;

  /* rings on 100 door stations */
  memset (&job, 0, sizeof job);
  job.func = (GThreadFunc) ring_thread;
  spin_until_joined (g_thread_new ("rings", job_main, &job), &job.done);
  deadline = g_get_monotonic_time () + 1000 * 1000;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (200), TRUE);

  printf ("# %u door stations + %u monitors\n", PAIRS, PAIRS);
  printf ("# %u swipes in %.1f s (%.0f/s), %u access events matched; %u of %u rings seen\n",
          swipes, wall, swipes / wall, swipe_ms->len, ring_ms->len, rings);
  if (PAIRS != MAX_PAIRS)
    printf ("# NOTE: %u devices, not 1,000 (BENCH_EVENT_PAIRS)\n", 2 * PAIRS);
  printf ("BENCH protocol.events_1000dev_idle_cpu %.2f %%\n", idle_cpu);
  printf ("BENCH protocol.events_1000dev_rate %.0f events/s\n", swipe_ms->len / wall);
  printf ("BENCH protocol.events_1000dev_p50 %.2f ms\n", percentile (swipe_ms, 0.50));
  printf ("BENCH protocol.events_1000dev_p99 %.2f ms\n", percentile (swipe_ms, 0.99));
  printf ("BENCH protocol.events_1000dev_cpu %.1f %%\n", swipe_cpu / wall * 100);
  /* the 10,000 events/s of the target, from the client CPU per event measured (heartbeats
   * and everything else on the loop included: an upper bound) */
  if (swipe_ms->len > 0) {
    printf ("BENCH protocol.events_1000dev_cpu_per_event %.1f us\n",
            swipe_cpu / swipe_ms->len * 1e6);
    printf ("BENCH protocol.events_1000dev_cpu_at_10k_per_s %.1f %%\n",
            swipe_cpu / swipe_ms->len * 10000 * 100);
  }
  printf ("BENCH protocol.ring_latency_p50 %.2f ms\n", percentile (ring_ms, 0.50));
  printf ("BENCH protocol.ring_latency_p99 %.2f ms\n", percentile (ring_ms, 0.99));
  fflush (stdout);

  for (guint i = 0; i < drivers->len; i++)
    gh_driver_stop_events (g_ptr_array_index (drivers, i));
  sim_proc_stop (sim);
  return 0;
}
