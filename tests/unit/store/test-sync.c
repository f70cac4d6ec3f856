/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gh-sync-store.h"
#include "gh-sync-plan.h"
#include "gh-access-store.h"
#include "gh-database-private.h"
#include "gh-department-store.h"
#include "gh-error.h"
#include "gh-person-store.h"

#include "store-test-helpers.h"

static void
test_sync_queue (CommunityFixture *fixture,
                 gconstpointer     data)
{
  g_autoptr(GhSyncStore) store = gh_sync_store_new (fixture->base.database);
  g_autoptr(GhSession) engine = gh_session_new_system ("sync");
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GError) error = NULL;
  GhSyncTask *task;
  gint64 first;
  gint64 second;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* Start from an empty queue (the fixture queued registration numbers). */
  due = gh_sync_store_take_due (store, engine, 0, now + 1, 100, &error);
  for (guint i = 0; i < due->len; i++)
    g_assert_true (gh_sync_store_complete (store, engine,
                                           ((GhSyncTask *)g_ptr_array_index (due, i))->id,
                                           &error));
  g_clear_pointer (&due, g_ptr_array_unref);
  g_assert_cmpuint (gh_sync_store_count_waiting (store, 0), ==, 0);

  /* A second change of the same object replaces the waiting push. */
  first = gh_sync_store_enqueue (store, engine, fixture->vth, "person", 7, "upsert", &error);
  second = gh_sync_store_enqueue (store, engine, fixture->vth, "person", 7, "delete", &error);
  g_assert_no_error (error);
  g_assert_cmpint (first, ==, second);
  g_assert_cmpuint (gh_sync_store_count_waiting (store, fixture->vth), ==, 1);

  g_assert_cmpint (gh_sync_store_enqueue (store, engine, fixture->vth, "toaster", 7, "upsert",
                                          &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (gh_sync_store_enqueue (store, fixture->base.guard, fixture->vth, "person", 8,
                                          "upsert", &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  due = gh_sync_store_take_due (store, engine, fixture->vth, now + 1, 10, &error);
  g_assert_cmpuint (due->len, ==, 1);
  task = g_ptr_array_index (due, 0);
  g_assert_cmpstr (task->operation, ==, "delete");
  g_assert_cmpstr (task->status, ==, "running");

  /* Claimed tasks are not handed out twice while their lease runs. */
  again = gh_sync_store_take_due (store, engine, fixture->vth, now + 2, 10, &error);
  g_assert_cmpuint (again->len, ==, 0);

  g_assert_true (gh_sync_store_fail (store, engine, task->id, "device offline", now + 60,
                                     &error));
  g_assert_no_error (error);
  later = gh_sync_store_take_due (store, engine, fixture->vth, now + 61, 10, &error);
  g_assert_cmpuint (later->len, ==, 1);
  task = g_ptr_array_index (later, 0);
  g_assert_cmpint (task->attempts, ==, 1);
  g_assert_cmpstr (task->last_error, ==, "device offline");
  g_assert_true (gh_sync_store_complete (store, engine, task->id, &error));
  g_assert_false (gh_sync_store_complete (store, engine, task->id, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpuint (gh_sync_store_count_waiting (store, fixture->vth), ==, 0);
  g_assert_true (gh_sync_store_purge_done (store, engine, G_MAXINT64, &error));
  g_assert_cmpint (store_test_count (fixture->base.database, "sync_tasks"), ==, 0);
}


static gint64
add_person (GhDatabase *database,
            GhSession  *session,
            const char *id,
            gint64      department)
{
  g_autoptr(GhPersonStore) store = gh_person_store_new (database);
  g_autoptr(GhPerson) p = gh_person_new (id, id);
  g_autoptr(GError) error = NULL;
  gint64 row;

  gh_person_set_department_id (p, department);
  row = gh_person_store_add (store, session, p, &error);
  g_assert_no_error (error);
  g_assert_cmpint (row, >, 0);
  return row;
}

static gint64
add_group (GhAccessStore *access,
           GhSession     *session,
           const char    *name,
           gint64         device,
           int            door)
{
  GhPermissionGroup group = { 0 };
  GhGroupDoor d = { device, door };
  g_autoptr(GError) error = NULL;
  gint64 id;

  group.name = (char *) name;
  group.remark = (char *) "";
  group.verify_method = (char *) "any";
  group.doors = g_array_new (FALSE, FALSE, sizeof (GhGroupDoor));
  g_array_append_val (group.doors, d);
  id = gh_access_store_add_group (access, session, &group, &error);
  g_array_unref (group.doors);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* The door mask the plan gives @person on @device, or -1 if it does not reach the device. */
static gint64
planned_doors (GhDatabase *database,
               gint64      device,
               gint64      person)
{
  g_autofree char *sql = g_strdup_printf ("SELECT ifnull ((SELECT doors FROM sync_desired "
                                          "WHERE device_id = %" G_GINT64_FORMAT " AND "
                                          "object_kind = 'person' AND object_id = ?), -1)",
                                          device);

  return gh_database_query_int (database, sql, person, NULL);
}

/* Who reaches a door station: members directly, members of a department and of its
 * sub-departments, and one mask for a person in several groups (their doors OR-ed, a door
 * two groups give counted once). */
static void
test_plan_grants (CommunityFixture *fixture,
                  gconstpointer     data)
{
  GhDatabase *database = fixture->base.database;
  GhSession *admin = fixture->base.admin;
  g_autoptr(GhSession) engine = gh_session_new_system ("sync");
  g_autoptr(GhDepartmentStore) departments = gh_department_store_new (database);
  g_autoptr(GhAccessStore) access = gh_access_store_new (database);
  g_autoptr(GhSyncPlan) plan = gh_sync_plan_new (database);
  g_autoptr(GError) error = NULL;
  gint64 top, sub, other, in_sub, in_other, direct, both, nobody;
  gint64 by_department, door0, door0_again, door1;

  /* a door station with two doors */
  g_assert_true (gh_database_exec_id (database, "UPDATE devices SET door_count = 2 WHERE id = ?",
                                      fixture->vto, "no door station", &error));
  top = gh_department_store_add (departments, admin, 0, "Block A", &error);
  sub = gh_department_store_add (departments, admin, top, "Floor 2", &error);
  other = gh_department_store_add (departments, admin, 0, "Block B", &error);
  g_assert_no_error (error);
  in_sub = add_person (database, admin, "S1", sub);
  in_other = add_person (database, admin, "O1", other);
  direct = add_person (database, admin, "D1", other);
  both = add_person (database, admin, "B1", other);
  nobody = add_person (database, admin, "N1", 0);

  by_department = add_group (access, admin, "Block A residents", fixture->vto, 0);
  door0 = add_group (access, admin, "Door 0", fixture->vto, 0);
  door1 = add_group (access, admin, "Door 1", fixture->vto, 1);
  door0_again = add_group (access, admin, "Door 0 too", fixture->vto, 0);
  g_assert_true (gh_access_store_add_departments (access, admin, by_department, &top, 1,
                                                  &error));
  g_assert_true (gh_access_store_add_persons (access, admin, door0,
                                              (gint64[]) { direct, both }, 2, &error));
  g_assert_true (gh_access_store_add_persons (access, admin, door1, &both, 1, &error));
  g_assert_true (gh_access_store_add_persons (access, admin, door0_again, &both, 1, &error));
  g_assert_no_error (error);

  g_assert_true (gh_sync_plan_compute (plan, engine, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (planned_doors (database, fixture->vto, in_sub), ==, 1);
  g_assert_cmpint (planned_doors (database, fixture->vto, direct), ==, 1);
  g_assert_cmpint (planned_doors (database, fixture->vto, both), ==, 3);
  g_assert_cmpint (planned_doors (database, fixture->vto, in_other), ==, -1);
  g_assert_cmpint (planned_doors (database, fixture->vto, nobody), ==, -1);
  g_assert_cmpint (planned_doors (database, fixture->vth, both), ==, -1);
}

typedef struct {
  GhDatabase *database;
  gint64      person;
  GArray     *devices;  /* gint64: in the order they were planned */
  GArray     *held;     /* gint64: whether the device's rows were saved when it was reported */
} PlannedLog;

static void
planned_cb (gint64   device_id,
            gpointer user_data)
{
  PlannedLog *log = user_data;
  gint64 held = planned_doors (log->database, device_id, log->person) >= 0;

  g_array_append_val (log->devices, device_id);
  g_array_append_val (log->held, held);
}

/* The plan saves device by device and reports each one once it is saved (so the engine can
 * push to it while the others are planned); a plan with nothing changed writes nothing. */
static void
test_plan_per_device (CommunityFixture *fixture,
                      gconstpointer     data)
{
  GhDatabase *database = fixture->base.database;
  GhSession *admin = fixture->base.admin;
  g_autoptr(GhSession) engine = gh_session_new_system ("sync");
  g_autoptr(GhAccessStore) access = gh_access_store_new (database);
  g_autoptr(GhSyncPlan) plan = gh_sync_plan_new (database);
  g_autoptr(GhDatabase) other = NULL;
  g_autoptr(GError) error = NULL;
  PlannedLog log = { database, 0, NULL, NULL };
  gint64 group, version;
  guint upserts = 0, deletes = 0;

  log.devices = g_array_new (FALSE, FALSE, sizeof (gint64));
  log.held = g_array_new (FALSE, FALSE, sizeof (gint64));
  log.person = add_person (database, admin, "E1", 0);
  group = add_group (access, admin, "Everywhere", fixture->vto, 0);
  g_assert_true (gh_access_store_add_persons (access, admin, group, &log.person, 1, &error));
  g_assert_no_error (error);
  add_group (access, admin, "Monitor", fixture->vth, 0);
  g_assert_true (gh_database_exec_id (database, "INSERT INTO group_doors (group_id, device_id, "
                                      "door_index) VALUES (?, (SELECT id FROM devices WHERE "
                                      "kind = 'vts'), 0)", group, "no group", &error));

  g_assert_true (gh_sync_plan_compute (plan, engine, 0, planned_cb, &log, &upserts, &deletes,
                                       &error));
  g_assert_no_error (error);
  /* every device once, in id order, its rows already saved when reported */
  g_assert_cmpuint (log.devices->len, ==, 3);
  for (guint i = 0; i < log.devices->len; i++) {
    gint64 id = g_array_index (log.devices, gint64, i);

    if (i > 0)
      g_assert_cmpint (id, >, g_array_index (log.devices, gint64, i - 1));
    g_assert_cmpint (g_array_index (log.held, gint64, i), ==, id != fixture->vth);
  }
  g_assert_cmpint (planned_doors (database, fixture->vto, log.person), ==, 1);
  g_assert_cmpint (planned_doors (database, fixture->vts, log.person), ==, 1);
  g_assert_cmpint (planned_doors (database, fixture->vth, log.person), ==, -1);

  /* nothing changed: another connection sees no write at all */
  other = gh_database_open (fixture->base.path, &error);
  g_assert_no_error (error);
  version = gh_database_get_data_version (other);
  g_array_set_size (log.devices, 0);
  g_assert_true (gh_sync_plan_compute (plan, engine, 0, planned_cb, &log, &upserts, &deletes,
                                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (upserts + deletes, ==, 0);
  g_assert_cmpuint (log.devices->len, ==, 3);
  g_assert_cmpint (gh_database_get_data_version (other), ==, version);

  /* one device only */
  g_array_set_size (log.devices, 0);
  g_assert_true (gh_sync_plan_compute (plan, engine, fixture->vts, planned_cb, &log, NULL, NULL,
                                       &error));
  g_assert_cmpuint (log.devices->len, ==, 1);
  g_assert_cmpint (g_array_index (log.devices, gint64, 0), ==, fixture->vts);

  /* a guard may not plan */
  g_assert_false (gh_sync_plan_compute (plan, fixture->base.guard, 0, NULL, NULL, NULL, NULL,
                                        &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);

  g_array_unref (log.devices);
  g_array_unref (log.held);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/sync/queue", CommunityFixture, NULL, community_fixture_setup,
              test_sync_queue, community_fixture_teardown);
  g_test_add ("/store/sync/plan-grants", CommunityFixture, NULL, community_fixture_setup,
              test_plan_grants, community_fixture_teardown);
  g_test_add ("/store/sync/plan-per-device", CommunityFixture, NULL, community_fixture_setup,
              test_plan_per_device, community_fixture_teardown);

  return g_test_run ();
}
