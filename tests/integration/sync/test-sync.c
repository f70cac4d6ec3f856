/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "gh-database-private.h"
#include "gh-error.h"
#include "gh-key-store.h"
#include "gh-person-store.h"
#include "gh-sync-engine.h"
#include "gh-sync-store.h"
#include "sim-test-util.h"

/* The sync engine against gatehouse-sim over loopback: the database is filled by sync-seed
 * (the store's public API in a child process), the engine pushes through the real driver, and
 * the checks read what the simulated devices stored through the simulator's control API. */

#define COMMUNITY \
  "{\"defaults\":{\"username\":\"admin\",\"password\":\"admin123\"}," \
  "\"devices\":[" \
  "{\"name\":\"VTO-A\",\"kind\":\"vto\",\"number\":\"8001\",\"doors\":2}," \
  "{\"name\":\"VTO-B\",\"kind\":\"vto\",\"number\":\"8002\",\"doors\":2}," \
  "{\"name\":\"VTH-101\",\"kind\":\"vth\",\"number\":\"101\"}," \
  "{\"name\":\"VTO-C\",\"kind\":\"vto\",\"number\":\"8003\",\"doors\":1}" \
  "]}"

static SimProc *sim;
static char *dir;
static char *db_path;
static gint64 vto_a, vto_b, vth, vto_c;
static char *notice_id;

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Wait;

static char *
seed (const char *first,
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
  g_ptr_array_add (argv, db_path);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("sync-seed %s failed: %s", first, err);
  return g_strstrip (g_steal_pointer (&out));
}

static gint64
add_device (const char *name,
            const char *kind)
{
  g_autoptr(GUri) uri = g_uri_parse (sim_http (sim, name), G_URI_FLAGS_NONE, NULL);
  g_autofree char *port = g_strdup_printf ("%d", g_uri_get_port (uri));
  g_autofree char *id = seed ("device", name, kind, g_uri_get_host (uri), port,
                              sim_field (sim, name, "username"),
                              sim_field (sim, name, "password"), NULL);

  return g_ascii_strtoll (id, NULL, 10);
}

static GhSyncEngine *
engine_open (GhDatabase **out_database)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) session = gh_session_new_system ("sync");
  g_autoptr(GhKeyStore) keys = gh_key_store_open_full (dir, GH_KEY_STORE_FLAGS_NO_KEYRING, 0,
                                                       &error);
  GhDatabase *database;
  GhSyncEngine *engine;

  g_assert_no_error (error);
  database = gh_key_store_open_database (keys, db_path, &error);
  g_assert_no_error (error);
  engine = gh_sync_engine_new (database, session);
  g_object_set (engine, "backoff-base", 1, "backoff-max", 2, "request-timeout-ms", 4000, NULL);
  *out_database = database;
  return engine;
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = gh_sync_engine_run_finish (GH_SYNC_ENGINE (source), result, &w->error);
  w->done = TRUE;
}

static void
run (GhSyncEngine *engine)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  Wait w = { 0 };

  gh_sync_engine_run_async (engine, NULL, run_cb, &w);
  while (!w.done) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_main_context_iteration (NULL, TRUE);
  }
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
}

static GhSyncProgress *
progress_of (GhSyncEngine *engine,
             gint64        device)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = gh_sync_engine_list_progress (engine, device, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  return g_ptr_array_steal_index (rows, 0);
}

/* Runs until the device has nothing waiting or failed (backoffs included). */
static void
run_until_clean (GhSyncEngine *engine,
                 gint64        device)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(GhSyncProgress) p = NULL;

    run (engine);
    p = progress_of (engine, device);
    if (p->pending == 0 && p->failed == 0)
      return;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (200 * 1000);
  }
}

static json_object *
store_of (const char *device,
          const char *store)
{
  g_autoptr(json_object) state = sim_state (sim, device);
  json_object *stores, *items;

  g_assert_true (json_object_object_get_ex (state, "stores", &stores));
  g_assert_true (json_object_object_get_ex (stores, store, &items));
  return json_object_get (items);
}

static guint
count_store (const char *device,
             const char *store)
{
  g_autoptr(json_object) items = store_of (device, store);

  return (guint) json_object_object_length (items);
}

static json_object *
records_of (const char *device,
            const char *table)
{
  g_autoptr(json_object) state = sim_state (sim, device);
  json_object *records, *rows;

  g_assert_true (json_object_object_get_ex (state, "records", &records));
  if (!json_object_object_get_ex (records, table, &rows))
    return json_object_new_array ();
  return json_object_get (rows);
}

static const char *
field (json_object *object,
       const char  *key)
{
  json_object *v;

  if (!json_object_object_get_ex (object, key, &v))
    return NULL;
  return json_object_get_string (v);
}

static guint
count_rows (const char *device,
            const char *table,
            const char *key,
            const char *value)
{
  g_autoptr(json_object) rows = records_of (device, table);
  guint n = 0;

  for (size_t i = 0; i < json_object_array_length (rows); i++)
    if (g_strcmp0 (field (json_object_array_get_idx (rows, i), key), value) == 0)
      n++;
  return n;
}

static void
count_done_cb (GhSyncEngine *engine,
               gint64        device,
               guint         n_done,
               guint         n_failed,
               guint        *total)
{
  *total += n_done;
}

static void
test_push_persons (void)
{
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncEngine) engine = engine_open (&database);
  g_autoptr(json_object) users = NULL;
  g_autoptr(json_object) cards = NULL;
  g_autoptr(GhSyncProgress) p = NULL;
  g_autofree char *a = g_strdup_printf ("%" G_GINT64_FORMAT, vto_a);
  g_autofree char *b = g_strdup_printf ("%" G_GINT64_FORMAT, vto_b);
  g_autofree char *group = NULL;
  json_object *user, *card, *doors;

  g_free (seed ("persons", "P", "0", "20", "5", NULL));
  group = seed ("group", "Residents", "0", a, b, NULL);
  run (engine);

  g_assert_cmpuint (count_store ("VTO-A", "AccessUser"), ==, 20);
  g_assert_cmpuint (count_store ("VTO-A", "AccessCard"), ==, 20);
  g_assert_cmpuint (count_store ("VTO-A", "AccessFace"), ==, 5);
  g_assert_cmpuint (count_store ("VTO-B", "AccessUser"), ==, 20);
  g_assert_cmpuint (count_store ("VTO-B", "AccessFace"), ==, 5);
  g_assert_cmpuint (count_store ("VTH-101", "AccessUser"), ==, 0);

  users = store_of ("VTO-A", "AccessUser");
  g_assert_true (json_object_object_get_ex (users, "P00003", &user));
  g_assert_cmpstr (field (user, "UserName"), ==, "Resident 3");
  g_assert_true (json_object_object_get_ex (user, "Doors", &doors));
  g_assert_cmpuint (json_object_array_length (doors), ==, 1);
  g_assert_cmpint (json_object_get_int (json_object_array_get_idx (doors, 0)), ==, 0);
  cards = store_of ("VTO-A", "AccessCard");
  g_assert_true (json_object_object_get_ex (cards, "5A500003", &card));
  g_assert_cmpstr (field (card, "UserID"), ==, "P00003");

  p = progress_of (engine, vto_a);
  g_assert_cmpuint (p->pending, ==, 0);
  g_assert_cmpuint (p->failed, ==, 0);
  g_assert_cmpuint (p->done, >=, 20);
  g_assert_cmpuint (gh_sync_plan_count_pushed (gh_sync_engine_get_plan (engine), vto_a, "person"),
                    ==, 20);
}

static void
test_idempotent (void)
{
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncEngine) engine = engine_open (&database);
  g_autoptr(GError) error = NULL;
  guint queued = 99;
  guint done = 0;

  /* A new engine on the reopened database finds nothing to do. */
  g_assert_true (gh_sync_engine_plan (engine, 0, &queued, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (queued, ==, 0);
  g_signal_connect (engine, "progress", G_CALLBACK (count_done_cb), &done);
  run (engine);
  run (engine);
  g_assert_cmpuint (done, ==, 0);
  g_assert_cmpuint (count_store ("VTO-A", "AccessUser"), ==, 20);
  g_assert_cmpuint (count_store ("VTO-A", "AccessCard"), ==, 20);
}

static void
test_change_one (void)
{
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncEngine) engine = engine_open (&database);
  g_autoptr(json_object) users = NULL;
  json_object *user;
  guint done = 0;

  g_free (seed ("rename", "P00007", "Changed Name", NULL));
  g_signal_connect (engine, "progress", G_CALLBACK (count_done_cb), &done);
  run (engine);
  /* one person, on each of the two door stations */
  g_assert_cmpuint (done, ==, 2);
  users = store_of ("VTO-B", "AccessUser");
  g_assert_true (json_object_object_get_ex (users, "P00007", &user));
  g_assert_cmpstr (field (user, "UserName"), ==, "Changed Name");
  g_assert_cmpuint (count_store ("VTO-B", "AccessUser"), ==, 20);
}

static const char *
user_name_on (const char *device,
              const char *person)
{
  static char name[64];
  g_autoptr(json_object) users = store_of (device, "AccessUser");
  json_object *user;

  g_assert_true (json_object_object_get_ex (users, person, &user));
  g_strlcpy (name, field (user, "UserName"), sizeof name);
  return name;
}

/* The engine's own writes (outcomes and claims on its writer thread, the plan on its
 * thread) are not changes to plan for; another program's edit is. An edit that moves no
 * change count (plain SQL, no store) shows which: it reaches the devices only with the next
 * plan. */
static void
test_own_writes (void)
{
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncEngine) engine = engine_open (&database);
  g_autoptr(GError) error = NULL;
  guint done = 0;

  /* a push, so that the writer commits after the plan */
  g_free (seed ("rename", "P00012", "Twelfth Person", NULL));
  run (engine);
  g_assert_cmpstr (user_name_on ("VTO-A", "P00012"), ==, "Twelfth Person");
  g_signal_connect (engine, "progress", G_CALLBACK (count_done_cb), &done);
  g_assert_true (gh_database_exec (database, "UPDATE persons SET name = 'Quietly Renamed' "
                                   "WHERE person_id = 'P00012'", &error));
  g_assert_no_error (error);
  run (engine);
  run (engine);
  g_assert_cmpuint (done, ==, 0);
  g_assert_cmpstr (user_name_on ("VTO-A", "P00012"), !=, "Quietly Renamed");

  /* another program's edit: this run plans, and so sends both */
  g_free (seed ("rename", "P00013", "Renamed By Another", NULL));
  run (engine);
  g_assert_cmpuint (done, ==, 4);
  g_assert_cmpstr (user_name_on ("VTO-A", "P00012"), ==, "Quietly Renamed");
  g_assert_cmpstr (user_name_on ("VTO-B", "P00013"), ==, "Renamed By Another");
}

/* A door station's password changed by another program (gatehousectl while the application
 * runs): the engine reads the device's settings again instead of going on with the driver it
 * built before. */
static void
test_device_edited_elsewhere (void)
{
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncEngine) engine = engine_open (&database);
  g_autofree char *b = g_strdup_printf ("%" G_GINT64_FORMAT, vto_b);
  g_autoptr(GhSyncProgress) refused = NULL;

  /* a push, so that the engine has built VTO-B's driver */
  g_free (seed ("rename", "P00014", "Fourteenth Person", NULL));
  run (engine);
  g_assert_cmpstr (user_name_on ("VTO-B", "P00014"), ==, "Fourteenth Person");

  g_free (seed ("device-password", b, "not-the-password", NULL));
  g_free (seed ("rename", "P00015", "Fifteenth Elsewhere", NULL));
  run (engine);
  refused = progress_of (engine, vto_b);
  g_assert_cmpuint (refused->failed, >, 0);
  g_assert_nonnull (refused->last_error);
  g_assert_cmpstr (user_name_on ("VTO-B", "P00015"), !=, "Fifteenth Elsewhere");
  /* the other door station still takes it */
  g_assert_cmpstr (user_name_on ("VTO-A", "P00015"), ==, "Fifteenth Elsewhere");

  g_free (seed ("device-password", b, sim_field (sim, "VTO-B", "password"), NULL));
  run_until_clean (engine, vto_b);
  g_assert_cmpstr (user_name_on ("VTO-B", "P00015"), ==, "Fifteenth Elsewhere");
}

/* The writer thread's connection cannot be had (here: the path now names a file that is not
 * a database; the engine's own connection still holds the real one): the engine records on
 * its main connection instead and the push goes through. */
static void
test_writer_unavailable (void)
{
  g_autofree char *moved = g_strconcat (db_path, ".moved", NULL);
  g_autoptr(GError) error = NULL;

  g_free (seed ("rename", "P00016", "Sixteenth Person", NULL));
  {
    g_autoptr(GhDatabase) database = NULL;
    g_autoptr(GhSyncEngine) engine = engine_open (&database);

    /* planned now, so that the run needs no planning thread either */
    g_assert_true (gh_sync_engine_plan (engine, 0, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (g_rename (db_path, moved), ==, 0);
    g_assert_true (g_file_set_contents (db_path, "not a database", -1, &error));
    run (engine);
    g_assert_cmpstr (user_name_on ("VTO-A", "P00016"), ==, "Sixteenth Person");
    g_assert_cmpstr (user_name_on ("VTO-B", "P00016"), ==, "Sixteenth Person");
  }
  g_assert_cmpint (g_remove (db_path), ==, 0);
  g_assert_cmpint (g_rename (moved, db_path), ==, 0);
}

static void
test_delete (void)
{
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncEngine) engine = engine_open (&database);
  g_autoptr(json_object) users = NULL;

  g_free (seed ("remove", "P00008", NULL));
  run (engine);
  users = store_of ("VTO-A", "AccessUser");
  g_assert_false (json_object_object_get_ex (users, "P00008", NULL));
  g_assert_cmpuint (count_store ("VTO-A", "AccessUser"), ==, 19);
  g_assert_cmpuint (count_store ("VTO-B", "AccessUser"), ==, 19);
  g_assert_cmpuint (gh_sync_plan_count_pushed (gh_sync_engine_get_plan (engine), vto_b, "person"),
                    ==, 19);
}

static void
test_offline_backoff (void)
{
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncEngine) engine = engine_open (&database);
  g_autoptr(GhSyncStore) queue = gh_sync_store_new (database);
  g_autoptr(json_object) off = NULL;
  g_autoptr(json_object) on = NULL;
  g_autoptr(json_object) cards = NULL;
  g_autoptr(GhSyncProgress) p = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  off = sim_ctl (sim, "VTO-B", "faults", "{\"offline\":true}", NULL);
  g_free (seed ("card", "P00001", "7B000001", NULL));
  run (engine);

  /* VTO-A took the change; VTO-B's task waits with the reason and a backoff */
  cards = store_of ("VTO-A", "AccessCard");
  g_assert_true (json_object_object_get_ex (cards, "7B000001", NULL));
  p = progress_of (engine, vto_b);
  g_assert_cmpuint (p->failed, ==, 1);
  g_assert_nonnull (p->last_error);
  g_test_message ("VTO-B offline: %s", p->last_error);
  g_assert_cmpuint (strlen (p->last_error), >, 10);
  tasks = gh_sync_store_list (queue, vto_b, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  {
    GhSyncTask *task = g_ptr_array_index (tasks, 0);

    g_assert_cmpstr (task->status, ==, "failed");
    g_assert_cmpstr (task->object_kind, ==, "person");
    g_assert_cmpint (task->attempts, ==, 1);
    g_assert_cmpint (task->next_attempt, >, now);
    g_assert_cmpstr (task->last_error, ==, p->last_error);
  }

  /* still offline: a second attempt after the backoff fails again, attempts count up */
  g_usleep (2600 * 1000);
  run (engine);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  tasks = gh_sync_store_list (queue, vto_b, FALSE, &error);
  g_assert_cmpint (((GhSyncTask *) g_ptr_array_index (tasks, 0))->attempts, ==, 2);

  on = sim_ctl (sim, "VTO-B", "faults", "{\"offline\":false}", NULL);
  run_until_clean (engine, vto_b);
  g_clear_pointer (&cards, json_object_put);
  cards = store_of ("VTO-B", "AccessCard");
  g_assert_true (json_object_object_get_ex (cards, "7B000001", NULL));
}

static void
test_restart_resumes (void)
{
  g_autoptr(json_object) off = NULL;
  g_autoptr(json_object) on = NULL;
  g_autofree char *a = g_strdup_printf ("%" G_GINT64_FORMAT, vto_a);
  g_autofree char *group = NULL;

  off = sim_ctl (sim, "VTO-A", "faults", "{\"offline\":true}", NULL);
  g_free (seed ("persons", "Q", "0", "30", "0", NULL));
  group = seed ("group", "Night shift", "1", a, NULL);
  {
    g_autoptr(GhDatabase) database = NULL;
    g_autoptr(GhSyncEngine) engine = engine_open (&database);
    g_autoptr(GhSyncProgress) p = NULL;

    run (engine);
    p = progress_of (engine, vto_a);
    /* the 19 old persons gain door 1, the 30 new ones arrive: all wait for VTO-A */
    g_assert_cmpuint (p->failed, ==, 49);
    g_assert_cmpuint (count_store ("VTO-A", "AccessUser"), ==, 19);
  }

  /* the application restarts: a new engine on the reopened database finishes the work */
  on = sim_ctl (sim, "VTO-A", "faults", "{\"offline\":false}", NULL);
  {
    g_autoptr(GhDatabase) database = NULL;
    g_autoptr(GhSyncEngine) engine = engine_open (&database);
    g_autoptr(json_object) users = NULL;
    json_object *user, *doors;

    run_until_clean (engine, vto_a);
    g_assert_cmpuint (count_store ("VTO-A", "AccessUser"), ==, 49);
    g_assert_cmpuint (count_store ("VTO-B", "AccessUser"), ==, 19);
    users = store_of ("VTO-A", "AccessUser");
    g_assert_true (json_object_object_get_ex (users, "P00002", &user));
    g_assert_true (json_object_object_get_ex (user, "Doors", &doors));
    g_assert_cmpuint (json_object_array_length (doors), ==, 2);
  }
}

static void
test_room_password (void)
{
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncEngine) engine = engine_open (&database);
  g_autofree char *a = g_strdup_printf ("%" G_GINT64_FORMAT, vto_a);
  g_autofree char *h = g_strdup_printf ("%" G_GINT64_FORMAT, vth);
  g_autofree char *room = NULL;

  room = seed ("room", a, h, "101", "246810", NULL);
  run_until_clean (engine, vto_a);
  run_until_clean (engine, vth);
  g_assert_cmpuint (count_rows ("VTO-A", "AccessControlPwd", "DoorOpenPwd", "246810"), ==, 1);
  g_assert_cmpuint (count_rows ("VTH-101", "AccessControlPwd", "DoorOpenPwd", "246810"), ==, 1);
  /* the door station learns the monitor's number */
  g_assert_cmpuint (count_rows ("VTO-A", "VideoTalkContact", "Type", "VTH"), ==, 1);

  /* a new password replaces the old one instead of adding a row */
  g_free (seed ("room-password", room, "135791", NULL));
  run_until_clean (engine, vto_a);
  g_assert_cmpuint (count_rows ("VTO-A", "AccessControlPwd", "DoorOpenPwd", "135791"), ==, 1);
  g_assert_cmpuint (count_rows ("VTO-A", "AccessControlPwd", "DoorOpenPwd", "246810"), ==, 0);
}

static void
test_notice (void)
{
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncEngine) engine = engine_open (&database);
  g_autofree char *h = g_strdup_printf ("%" G_GINT64_FORMAT, vth);

  notice_id = seed ("notice", "Water off", "Tuesday 9-12", h, NULL);
  run_until_clean (engine, vth);
  g_assert_cmpuint (count_rows ("VTH-101", "Announcement", "AnnounceTitle", "Water off"), ==, 1);
  /* running again sends nothing twice */
  run (engine);
  g_assert_cmpuint (count_rows ("VTH-101", "Announcement", "AnnounceTitle", "Water off"), ==, 1);
  g_assert_cmpuint (count_rows ("VTO-A", "Announcement", "AnnounceTitle", "Water off"), ==, 0);
}

static void
test_notice_edit_withdraw (void)
{
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncEngine) engine = engine_open (&database);
  g_autoptr(json_object) rows = NULL;

  g_assert_nonnull (notice_id);
  /* an edit replaces the announcement on the monitor instead of adding a second one */
  g_free (seed ("notice-title", notice_id, "Water off (extended)", NULL));
  run_until_clean (engine, vth);
  g_assert_cmpuint (count_rows ("VTH-101", "Announcement", "AnnounceTitle", "Water off"), ==, 0);
  g_assert_cmpuint (count_rows ("VTH-101", "Announcement", "AnnounceTitle",
                                "Water off (extended)"), ==, 1);

  /* a deleted notice is withdrawn from the monitor */
  g_free (seed ("notice-remove", notice_id, NULL));
  run_until_clean (engine, vth);
  rows = records_of ("VTH-101", "Announcement");
  g_assert_cmpuint (json_object_array_length (rows), ==, 0);
  g_assert_cmpuint (gh_sync_plan_count_pushed (gh_sync_engine_get_plan (engine), vth, "notice"),
                    ==, 0);
}

static void
test_unregister (void)
{
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncEngine) engine = engine_open (&database);
  g_autoptr(json_object) rows = records_of ("VTO-A", "VideoTalkContact");
  g_autofree char *number = NULL;

  /* the monitor's number, which the door station learnt in /sync/room-password */
  for (size_t i = 0; i < json_object_array_length (rows); i++) {
    json_object *row = json_object_array_get_idx (rows, i);

    if (g_strcmp0 (field (row, "Type"), "VTH") == 0)
      number = g_strdup (field (row, "VTShortNumber"));
  }
  g_assert_nonnull (number);
  g_assert_cmpuint (count_rows ("VTO-A", "VideoTalkContact", "VTShortNumber", number), ==, 1);
  g_assert_cmpuint (count_rows ("VTH-101", "VideoTalkContact", "VTShortNumber", number), ==, 1);

  g_free (seed ("unregister", number, NULL));
  run_until_clean (engine, vto_a);
  run_until_clean (engine, vth);
  g_assert_cmpuint (count_rows ("VTO-A", "VideoTalkContact", "VTShortNumber", number), ==, 0);
  g_assert_cmpuint (count_rows ("VTH-101", "VideoTalkContact", "VTShortNumber", number), ==, 0);
  /* the door station keeps its own number */
  g_assert_cmpuint (count_rows ("VTO-A", "VideoTalkContact", "Type", "VTO"), ==, 1);
}

static void
count_batches_cb (GhSyncEngine *engine,
                  gint64        device,
                  guint         n_done,
                  guint         n_failed,
                  guint        *batches)
{
  (*batches)++;
}

static void
test_split_refused (void)
{
  /* 36 bytes: more than the 31 a door station keeps for a name, fewer than the 64 characters
   * Gatehouse allows */
  static const char *long_name = "Bartholomew Fitzgerald-Montgomery III";
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncEngine) engine = engine_open (&database);
  g_autoptr(GhSyncStore) queue = gh_sync_store_new (database);
  g_autoptr(GhSyncProgress) p = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(json_object) users = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *c = g_strdup_printf ("%" G_GINT64_FORMAT, vto_c);
  g_autofree char *group = NULL;
  guint batches = 0;
  GhSyncTask *task;

  g_free (seed ("persons", "S", "0", "9", "0", NULL));
  g_free (seed ("rename", "S00004", long_name, NULL));
  /* everyone in the database (19 P…, 30 Q…, 9 S…) to door station C, in one batch */
  group = seed ("group", "Split", "0", c, NULL);
  g_signal_connect (engine, "progress", G_CALLBACK (count_batches_cb), &batches);
  run (engine);

  /* all but the refused person arrived */
  p = progress_of (engine, vto_c);
  g_test_message ("VTO-C: %u done, %u failed in %u batches: %s", p->done, p->failed, batches,
                  p->last_error);
  g_assert_cmpuint (p->failed, ==, 1);
  g_assert_cmpuint (p->pending, ==, 0);
  g_assert_cmpuint (count_store ("VTO-C", "AccessUser"), ==, 57);
  /* tasks, not persons: a person queued twice (by its repository and by the plan) counts
   * twice */
  g_assert_cmpuint (p->done, >=, 57);
  users = store_of ("VTO-C", "AccessUser");
  {
    g_autoptr(json_object) cards = store_of ("VTO-C", "AccessCard");

    /* sync-seed's card numbers: 5A, the prefix letter, the number */
    g_assert_false (json_object_object_get_ex (cards, "5A530004", NULL));
    g_assert_true (json_object_object_get_ex (cards, "5A530005", NULL));
  }
  g_assert_false (json_object_object_get_ex (users, "S00004", NULL));
  g_assert_true (json_object_object_get_ex (users, "S00003", NULL));
  g_assert_true (json_object_object_get_ex (users, "S00005", NULL));
  /* bisection: at most two sends per halving of the 58 (ceil (log2 (58)) = 6) plus the first */
  g_assert_cmpuint (batches, <=, 1 + 2 * 6);

  /* exactly that person failed, with the device's reason naming them */
  tasks = gh_sync_store_list (queue, vto_c, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  task = g_ptr_array_index (tasks, 0);
  g_assert_cmpstr (task->status, ==, "failed");
  g_assert_cmpstr (task->object_kind, ==, "person");
  g_assert_nonnull (strstr (task->last_error, "S00004"));
  g_assert_nonnull (strstr (task->last_error, "refused"));
  g_assert_cmpstr (task->last_error, ==, p->last_error);

  /* a shorter name is taken on the next attempt */
  g_free (seed ("rename", "S00004", "Bart Fitzgerald", NULL));
  run_until_clean (engine, vto_c);
  g_clear_pointer (&users, json_object_put);
  users = store_of ("VTO-C", "AccessUser");
  g_assert_true (json_object_object_get_ex (users, "S00004", NULL));
  g_assert_cmpuint (count_store ("VTO-C", "AccessUser"), ==, 58);

  /* a device that is down refuses nothing: the batch waits as a whole, without splitting */
  {
    g_autoptr(json_object) off = sim_ctl (sim, "VTO-C", "faults", "{\"offline\":true}", NULL);
    g_autoptr(json_object) on = NULL;
    g_autoptr(GhSyncProgress) down = NULL;

    g_free (seed ("rename", "S00004", long_name, NULL));
    g_free (seed ("rename", "S00006", "Sixth Renamed", NULL));
    batches = 0;
    run (engine);
    down = progress_of (engine, vto_c);
    g_assert_cmpuint (down->failed, ==, 2);
    g_assert_cmpuint (batches, ==, 1);
    g_assert_null (strstr (down->last_error, "refused"));

    on = sim_ctl (sim, "VTO-C", "faults", "{\"offline\":false}", NULL);
    g_free (seed ("rename", "S00004", "Bart Fitzgerald", NULL));
    run_until_clean (engine, vto_c);
  }
}

static void
test_continuous (void)
{
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncEngine) engine = engine_open (&database);
  gint64 deadline;

  g_object_set (engine, "plan-interval", 1, NULL);
  gh_sync_engine_start (engine);
  /* a change by another program: found by the periodic plan, pushed without being asked */
  g_free (seed ("rename", "P00011", "Renamed Elsewhere", NULL));
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  for (;;) {
    g_autoptr(json_object) users = store_of ("VTO-A", "AccessUser");
    json_object *user;

    g_assert_true (json_object_object_get_ex (users, "P00011", &user));
    if (g_strcmp0 (field (user, "UserName"), "Renamed Elsewhere") == 0)
      break;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    for (guint i = 0; i < 50; i++)
      g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
  }
  gh_sync_engine_stop (engine);
  while (gh_sync_engine_is_running (engine))
    g_main_context_iteration (NULL, TRUE);
}

/* Tasks of @device due now, claimed through @plan. */
static GPtrArray *
claim (GhSyncPlan *plan,
       gint64      device,
       gint64      now)
{
  g_autoptr(GhSession) session = gh_session_new_system ("sync");
  g_autoptr(GError) error = NULL;
  GPtrArray *items = gh_sync_plan_claim (plan, session, device, now, 100, &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

static void
finish_ok (GhSyncPlan *plan,
           GPtrArray  *items)
{
  g_autoptr(GhSession) session = gh_session_new_system ("sync");
  g_autoptr(GError) error = NULL;

  g_assert_true (gh_sync_plan_finish (plan, session, items, NULL, 0, &error));
  g_assert_no_error (error);
}

static void
replan (GhSyncPlan *plan)
{
  g_autoptr(GhSession) session = gh_session_new_system ("sync");
  g_autoptr(GError) error = NULL;

  g_assert_true (gh_sync_plan_compute (plan, session, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Renames through @database's own connection (sync-seed writes through its own). */
static void
rename_here (GhDatabase *database,
             const char *person_id,
             const char *name)
{
  g_autoptr(GhSession) session = gh_session_new_system ("sync");
  g_autoptr(GhPersonStore) store = gh_person_store_new (database);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhPerson) p = gh_person_store_find (store, person_id, &error);

  g_assert_no_error (error);
  gh_person_set_name (p, name);
  g_assert_true (gh_person_store_update (store, session, p, &error));
  g_assert_no_error (error);
}


/* A claim is a lease on the device: another connection (another window, gatehousectl)
 * claims nothing of it until the lease is released or runs out. */
static void
test_lease (void)
{
  g_autoptr(GhDatabase) db_a = NULL;
  g_autoptr(GhDatabase) db_b = NULL;
  g_autoptr(GhSyncEngine) a = engine_open (&db_a);
  g_autoptr(GhSyncEngine) b = engine_open (&db_b);
  GhSyncPlan *plan_a = gh_sync_engine_get_plan (a);
  GhSyncPlan *plan_b = gh_sync_engine_get_plan (b);
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GPtrArray) again = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_free (seed ("rename", "P00005", "Leased Name", NULL));
  replan (plan_a);
  held = claim (plan_a, vto_a, now);
  g_assert_cmpuint (held->len, >=, 1);
  refused = claim (plan_b, vto_a, now);
  g_assert_cmpuint (refused->len, ==, 0);
  /* a whole run of the other engine leaves the held device alone (and ends) and pushes the
   * other one; the held device is due when the lease runs out */
  run (b);
  g_assert_cmpstr (user_name_on ("VTO-B", "P00005"), ==, "Leased Name");
  g_assert_cmpstr (user_name_on ("VTO-A", "P00005"), !=, "Leased Name");
  g_assert_cmpint (gh_sync_plan_get_next_due (plan_b), >, now + 60);
  g_assert_cmpint (gh_sync_plan_get_next_due (plan_a), <=, now + 1);
  /* a lease left by a crash runs out */
  later = claim (plan_b, vto_a, now + 3600);
  g_assert_cmpuint (later->len, ==, held->len);
  gh_sync_plan_release (plan_b, vto_a);
  gh_sync_plan_release (plan_a, vto_a);
  /* released: claimed again, still waiting (a claim writes no task) */
  again = claim (plan_b, vto_a, now);
  g_assert_cmpuint (again->len, ==, held->len);
  gh_sync_plan_release (plan_b, vto_a);

  run (a);
  g_assert_cmpstr (user_name_on ("VTO-A", "P00005"), ==, "Leased Name");
  g_assert_cmpstr (user_name_on ("VTO-B", "P00005"), ==, "Leased Name");
}

/* A change and a plan while a batch is on its way (first both through the engine's own
 * connection, then both elsewhere): the batch reached the device, but the device does not
 * hold what it should now, so its task stays waiting and the next run sends the newer
 * state. */
static void
test_replanned_in_flight (void)
{
  g_autoptr(GhDatabase) db_a = NULL;
  g_autoptr(GhDatabase) db_b = NULL;
  g_autoptr(GhSyncEngine) a = engine_open (&db_a);
  g_autoptr(GhSyncEngine) b = engine_open (&db_b);
  GhSyncPlan *plan_a = gh_sync_engine_get_plan (a);
  const char *names[] = { "First Flight", "Second Flight" };

  for (guint round = 0; round < G_N_ELEMENTS (names); round++) {
    g_autoptr(GPtrArray) items = NULL;
    g_autoptr(GhSyncProgress) before = NULL;
    g_autoptr(GhSyncProgress) after = NULL;
    g_autofree char *sent = NULL;

    g_free (seed ("rename", "P00006", "In Flight", NULL));
    replan (plan_a);
    items = claim (plan_a, vto_a, g_get_real_time () / G_USEC_PER_SEC);
    g_assert_cmpuint (items->len, ==, 1);
    before = progress_of (a, vto_a);
    /* the batch is out; the person changes and a plan runs */
    if (round == 0) {
      rename_here (db_a, "P00006", names[round]);
      replan (plan_a);
    } else {
      g_free (seed ("rename", "P00006", names[round], NULL));
      replan (gh_sync_engine_get_plan (b));
    }
    finish_ok (plan_a, items);
    gh_sync_plan_release (plan_a, vto_a);
    after = progress_of (a, vto_a);
    g_assert_cmpuint (after->pending, ==, before->pending);
    g_assert_cmpuint (after->done, ==, before->done);

    run (a);
    g_assert_cmpstr (user_name_on ("VTO-A", "P00006"), ==, names[round]);
  }

  /* without a plan in between, a finished batch is done */
  {
    g_autoptr(GPtrArray) items = NULL;
    g_autoptr(GhSyncProgress) p = NULL;

    g_free (seed ("rename", "P00006", "Landed", NULL));
    replan (plan_a);
    items = claim (plan_a, vto_a, g_get_real_time () / G_USEC_PER_SEC);
    g_assert_cmpuint (items->len, ==, 1);
    finish_ok (plan_a, items);
    gh_sync_plan_release (plan_a, vto_a);
    p = progress_of (a, vto_a);
    g_assert_cmpuint (p->pending, ==, 0);
  }
}

static guint
count_prefixed (json_object *items,
                const char  *field_name,
                const char  *prefix)
{
  guint n = 0;

  json_object_object_foreach (items, key, item) {
    const char *value = field_name ? field (item, field_name) : key;

    n += value != NULL && g_str_has_prefix (value, prefix);
  }
  return n;
}

/* More persons than one request holds (users and cards go 100 to a request) and more faces
 * among a hundred persons than one request holds (10): every one arrives. */
static void
test_large_batches (void)
{
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncEngine) engine = engine_open (&database);
  g_autofree char *b = g_strdup_printf ("%" G_GINT64_FORMAT, vto_b);
  g_autoptr(json_object) users = NULL;
  g_autoptr(json_object) cards = NULL;
  g_autoptr(json_object) faces = NULL;
  g_autoptr(GhSyncProgress) p = NULL;

  g_free (seed ("persons", "L", "0", "230", "25", NULL));
  g_free (seed ("group", "Everyone on B", "0", b, NULL));
  run (engine);

  users = store_of ("VTO-B", "AccessUser");
  cards = store_of ("VTO-B", "AccessCard");
  faces = store_of ("VTO-B", "AccessFace");
  g_assert_cmpuint (count_prefixed (users, NULL, "L"), ==, 230);
  g_assert_cmpuint (count_prefixed (cards, "UserID", "L"), ==, 230);
  g_assert_cmpuint (count_prefixed (faces, NULL, "L"), ==, 25);
  p = progress_of (engine, vto_b);
  g_assert_cmpuint (p->pending, ==, 0);
  g_assert_cmpuint (p->failed, ==, 0);
}

static void
cancel_on_progress_cb (GhSyncEngine *engine,
                       gint64        device,
                       guint         n_done,
                       guint         n_failed,
                       GCancellable *cancellable)
{
  if (n_done > 0)
    g_cancellable_cancel (cancellable);
}

/* The application quits in the middle of a push: the batches out end, the engine (and its
 * writer thread) goes away, nothing is lost, and the next engine sends the rest. */
static void
test_stopped_mid_push (void)
{
  g_autofree char *b = g_strdup_printf ("%" G_GINT64_FORMAT, vto_b);
  g_autoptr(json_object) slow = NULL;
  g_autoptr(json_object) fast = NULL;
  g_autoptr(json_object) users = NULL;

  g_free (seed ("persons", "M", "0", "120", "0", NULL));
  g_free (seed ("group", "M on B", "0", b, NULL));
  slow = sim_ctl (sim, "VTO-B", "faults", "{\"slow_ms\":300}", NULL);
  {
    g_autoptr(GhDatabase) database = NULL;
    g_autoptr(GhSyncEngine) engine = engine_open (&database);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GhSyncProgress) p = NULL;
    g_autoptr(json_object) some = NULL;
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
    Wait w = { 0 };

    g_object_set (engine, "batch-size", 20, NULL);
    g_signal_connect (engine, "progress", G_CALLBACK (cancel_on_progress_cb), cancellable);
    gh_sync_engine_run_async (engine, cancellable, run_cb, &w);
    while (!w.done) {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
    g_clear_error (&w.error);
    p = progress_of (engine, vto_b);
    /* some sent, the rest still waiting */
    g_assert_cmpuint (p->done, >, 0);
    g_assert_cmpuint (p->pending + p->failed, >, 0);
    some = store_of ("VTO-B", "AccessUser");
    g_assert_cmpuint (count_prefixed (some, NULL, "M"), <, 120);
  }

  fast = sim_ctl (sim, "VTO-B", "faults", "{\"slow_ms\":0}", NULL);
  {
    g_autoptr(GhDatabase) database = NULL;
    g_autoptr(GhSyncEngine) engine = engine_open (&database);

    run_until_clean (engine, vto_b);
  }
  users = store_of ("VTO-B", "AccessUser");
  g_assert_cmpuint (count_prefixed (users, NULL, "M"), ==, 120);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  dir = g_dir_make_tmp ("gh-sync-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (dir, "gatehouse.db", NULL);
  sim = sim_proc_start (COMMUNITY, NULL);
  vto_a = add_device ("VTO-A", "vto");
  vto_b = add_device ("VTO-B", "vto");
  vth = add_device ("VTH-101", "vth");
  vto_c = add_device ("VTO-C", "vto");

  g_test_add_func ("/sync/push-persons", test_push_persons);
  g_test_add_func ("/sync/idempotent", test_idempotent);
  g_test_add_func ("/sync/change-one", test_change_one);
  g_test_add_func ("/sync/own-writes", test_own_writes);
  g_test_add_func ("/sync/device-edited-elsewhere", test_device_edited_elsewhere);
  g_test_add_func ("/sync/writer-unavailable", test_writer_unavailable);
  g_test_add_func ("/sync/delete", test_delete);
  g_test_add_func ("/sync/offline-backoff", test_offline_backoff);
  g_test_add_func ("/sync/restart-resumes", test_restart_resumes);
  g_test_add_func ("/sync/room-password", test_room_password);
  g_test_add_func ("/sync/notice", test_notice);
  g_test_add_func ("/sync/notice-edit-withdraw", test_notice_edit_withdraw);
  g_test_add_func ("/sync/unregister", test_unregister);
  g_test_add_func ("/sync/split-refused", test_split_refused);
  g_test_add_func ("/sync/continuous", test_continuous);
  g_test_add_func ("/sync/lease", test_lease);
  g_test_add_func ("/sync/replanned-in-flight", test_replanned_in_flight);
  g_test_add_func ("/sync/large-batches", test_large_batches);
  g_test_add_func ("/sync/stopped-mid-push", test_stopped_mid_push);

  ret = g_test_run ();
  sim_proc_stop (sim);
  g_free (notice_id);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", dir);
  }
  return ret;
}
