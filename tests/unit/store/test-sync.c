/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gh-sync-store.h"
#include "gh-error.h"

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


int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/sync/queue", CommunityFixture, NULL, community_fixture_setup,
              test_sync_queue, community_fixture_teardown);

  return g_test_run ();
}
