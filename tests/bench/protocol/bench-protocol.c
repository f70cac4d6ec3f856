/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-protocol"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gh-key-store.h"
#include "gh-sync-engine.h"
#include "sim-test-util.h"

/*
 * Sync engine throughput against gatehouse-sim over loopback: 10,000 persons with a card
 * each (and a face for 1,000 of them) pushed to one door station, then to many at once
 * (BENCH_SYNC_DEVICES, 100 by default). The sequential baseline is the one-device time
 * multiplied by the device count: what pushing one device after the other would take.
 * Prints `BENCH <name> <value> <unit>` lines. The database is filled by sync-seed (the store
 * in its own process; see tests/integration/sync/meson.build).
 *
 * By default the simulated door stations store what they receive instantly, so every run is
 * bound by CPU (this process and the simulator share the machine's cores) and many devices
 * cannot overlap anything. BENCH_STORE_US sets the simulator's store_us_per_record, the time a
 * device takes to write each pushed record; with it the names get a `_store<N>us` suffix.
 */

#define PERSONS 10000
#define FACES   1000

static SimProc *sim;
static char *dir;

static char *
seed (const char *db_path,
      const char *first,
      ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  int status = 0;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("SYNC_SEED"));
  g_ptr_array_add (argv, (gpointer) db_path);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error) || !g_spawn_check_wait_status (status, NULL))
    g_error ("sync-seed %s failed: %s", first, error ? error->message : err);
  return g_strstrip (g_steal_pointer (&out));
}

static char *
add_device (const char *db_path,
            const char *name)
{
  g_autoptr(GUri) uri = g_uri_parse (sim_http (sim, name), G_URI_FLAGS_NONE, NULL);
  g_autofree char *port = g_strdup_printf ("%d", g_uri_get_port (uri));

  return seed (db_path, "device", name, "vto", g_uri_get_host (uri), port,
               sim_field (sim, name, "username"), sim_field (sim, name, "password"), NULL);
}

/* A database in its own data folder with @n devices from @first, every person with door 0 of
 * each. */
static char *
make_database (const char *name,
               guint       first,
               guint       n)
{
  g_autofree char *folder = g_build_filename (dir, name, NULL);
  char *db_path = g_build_filename (folder, "gatehouse.db", NULL);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  g_mkdir_with_parents (folder, 0700);
  g_free (seed (db_path, "persons", "P", "0", G_STRINGIFY (PERSONS), G_STRINGIFY (FACES), NULL));
  g_ptr_array_add (args, g_strdup (g_getenv ("SYNC_SEED")));
  g_ptr_array_add (args, g_strdup (db_path));
  g_ptr_array_add (args, g_strdup ("group"));
  g_ptr_array_add (args, g_strdup ("Everyone"));
  g_ptr_array_add (args, g_strdup ("0"));
  for (guint i = first; i < first + n; i++) {
    g_autofree char *device = g_strdup_printf ("VTO-%03u", i);

    g_ptr_array_add (args, add_device (db_path, device));
  }
  g_ptr_array_add (args, NULL);
  if (!g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error) || !g_spawn_check_wait_status (status, NULL))
    g_error ("sync-seed group failed");
  return db_path;
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  if (!gh_sync_engine_run_finish (GH_SYNC_ENGINE (source), result, &error))
    g_error ("sync run failed: %s", error->message);
  *done = TRUE;
}

static double
sim_cpu_seconds (void)
{
  return sim_cpu_ticks (atoi (g_subprocess_get_identifier (sim->process))) /
         (double) sysconf (_SC_CLK_TCK);
}

static double
cpu_seconds (void)
{
  struct rusage u;

  getrusage (RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/* Plans and pushes everything in @db_path; returns the wall seconds of plan and push. */
static double
push_all (const char *db_path,
          guint       n_devices,
          double     *out_plan_s,
          guint      *out_failed)
{
  g_autofree char *folder = g_path_get_dirname (db_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeyStore) keys = gh_key_store_open_full (folder, GH_KEY_STORE_FLAGS_NO_KEYRING, 0,
                                                       &error);
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSession) session = gh_session_new_system ("bench");
  g_autoptr(GhSyncEngine) engine = NULL;
  g_autoptr(GPtrArray) progress = NULL;
  gboolean done = FALSE;
  gint64 t0;

  g_assert_no_error (error);
  database = gh_key_store_open_database (keys, db_path, &error);
  g_assert_no_error (error);
  engine = gh_sync_engine_new (database, session);
  g_object_set (engine, "max-devices", MAX (n_devices, 1u), NULL);

  /* As in the application: the run plans on a thread and starts pushing to each device as
   * soon as its part of the plan is saved. */
  t0 = g_get_monotonic_time ();
  g_object_set (engine, "backoff-base", 1, "backoff-max", 2, NULL);
  /* a batch that failed under load (a request over its time limit) is retried after its
   * backoff, as the application would; the time counts */
  for (guint round = 0; round < 20; round++) {
    g_autoptr(GPtrArray) rows = NULL;
    guint waiting = 0;

    done = FALSE;
    gh_sync_engine_run_async (engine, NULL, run_cb, &done);
    while (!done)
      g_main_context_iteration (NULL, TRUE);
    if (round == 0) {
      *out_plan_s = gh_sync_engine_get_plan_time (engine) / 1e6;
      printf ("# plan: %.2f s (pushing meanwhile)\n", *out_plan_s);
    }
    rows = gh_sync_engine_list_progress (engine, 0, &error);
    for (guint i = 0; i < rows->len; i++) {
      GhSyncProgress *p = g_ptr_array_index (rows, i);

      waiting += p->failed + p->pending;
      if (p->failed > 0)
        printf ("# retry round %u: %s: %u failed: %s\n", round + 1, p->device_name, p->failed,
                p->last_error);
    }
    if (waiting == 0)
      break;
    g_usleep (G_USEC_PER_SEC);
  }

  progress = gh_sync_engine_list_progress (engine, 0, &error);
  *out_failed = 0;
  for (guint i = 0; i < progress->len; i++) {
    GhSyncProgress *p = g_ptr_array_index (progress, i);

    *out_failed += p->failed + p->pending;
    if (p->last_error != NULL)
      printf ("# %s: %u failed, %u pending: %s\n", p->device_name, p->failed, p->pending,
              p->last_error);
    if (gh_sync_plan_count_pushed (gh_sync_engine_get_plan (engine), p->device_id, "person") !=
        PERSONS)
      g_error ("%s holds %u persons", p->device_name,
               gh_sync_plan_count_pushed (gh_sync_engine_get_plan (engine), p->device_id,
                                          "person"));
  }
  return (g_get_monotonic_time () - t0) / 1e6;
}

static guint
count_users (const char *device)
{
  g_autoptr(json_object) state = sim_state (sim, device);
  json_object *stores, *users;

  if (!json_object_object_get_ex (state, "stores", &stores) ||
      !json_object_object_get_ex (stores, "AccessUser", &users))
    return 0;
  return (guint) json_object_object_length (users);
}

int
main (int   argc,
      char *argv[])
{
  guint n = g_getenv ("BENCH_SYNC_DEVICES") ? atoi (g_getenv ("BENCH_SYNC_DEVICES")) : 100;
  guint store_us = g_getenv ("BENCH_STORE_US") ? atoi (g_getenv ("BENCH_STORE_US")) : 0;
  g_autofree char *tag = store_us ? g_strdup_printf ("_store%uus", store_us) : g_strdup ("");
  g_autoptr(GString) community = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *one = NULL;
  g_autofree char *many = NULL;
  double plan1, plan_n, t1, t_n, cpu0, cpu1, cpu_n, sim0, sim1, sim_n;
  guint failed1, failed_n;

  dir = g_dir_make_tmp ("gh-bench-sync-XXXXXX", &error);
  g_assert_no_error (error);
  g_string_append_printf (community, "{\"defaults\":{\"username\":\"admin\","
                          "\"password\":\"admin123\",\"store_us_per_record\":%u},"
                          "\"devices\":[", store_us);
  for (guint i = 0; i <= n; i++)
    g_string_append_printf (community, "%s{\"name\":\"VTO-%03u\",\"kind\":\"vto\","
                            "\"number\":\"%u\",\"doors\":1}", i ? "," : "", i, 8000 + i);
  g_string_append (community, "]}");
  sim = sim_proc_start (community->str, NULL);

  one = make_database ("one", 0, 1);
  many = make_database ("many", 1, n);
  printf ("# seeded: %u persons (%u with a face), 1 + %u door stations; a device takes %u µs "
          "to store a record\n", PERSONS, FACES, n, store_us);
  fflush (stdout);

  cpu0 = cpu_seconds ();
  sim0 = sim_cpu_seconds ();
  t1 = push_all (one, 1, &plan1, &failed1);
  cpu1 = cpu_seconds () - cpu0;
  sim1 = sim_cpu_seconds () - sim0;
  if (failed1 > 0 || count_users ("VTO-000") != PERSONS)
    g_error ("the one-device push left %u tasks and %u users", failed1, count_users ("VTO-000"));
  printf ("BENCH protocol.push_10k_1vto%s %.2f s\n", tag, t1);
  printf ("BENCH protocol.push_10k_1vto%s_plan %.3f s\n", tag, plan1);
  printf ("BENCH protocol.push_10k_1vto%s_client_cpu %.2f s\n", tag, cpu1);
  printf ("BENCH protocol.push_10k_1vto%s_sim_cpu %.2f s\n", tag, sim1);
  fflush (stdout);

  cpu0 = cpu_seconds ();
  sim0 = sim_cpu_seconds ();
  t_n = push_all (many, n, &plan_n, &failed_n);
  cpu_n = cpu_seconds () - cpu0;
  sim_n = sim_cpu_seconds () - sim0;
  if (failed_n > 0 || count_users ("VTO-001") != PERSONS ||
      count_users (g_strdup_printf ("VTO-%03u", n)) != PERSONS)
    g_error ("the %u-device push left %u tasks", n, failed_n);
  printf ("BENCH protocol.push_10k_%uvto%s %.2f s\n", n, tag, t_n);
  printf ("BENCH protocol.push_10k_%uvto%s_plan %.3f s\n", n, tag, plan_n);
  printf ("BENCH protocol.push_10k_%uvto%s_client_cpu %.2f s\n", n, tag, cpu_n);
  printf ("BENCH protocol.push_10k_%uvto%s_sim_cpu %.2f s\n", n, tag, sim_n);
  printf ("BENCH protocol.push_10k_%uvto%s_sequential_baseline %.2f s\n", n, tag, t1 * n);
  printf ("BENCH protocol.push_10k_%uvto%s_ratio_to_1vto %.2f x\n", n, tag, t_n / t1);
  printf ("# target: the %u-device push takes at most 2x the one-device push: %s\n", n,
          t_n <= 2 * t1 ? "met" : "NOT met");
  fflush (stdout);

  sim_proc_stop (sim);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", dir);
  }
  return 0;
}
