/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Call groups, notices and the push queue. */
#include "config.h"

#include "gh-call-group-store.h"
#include "gh-device-store.h"
#include "gh-dial-store.h"
#include "gh-error.h"
#include "gh-notice-store.h"
#include "gh-org-store.h"
#include "gh-sync-store.h"

#include "store-test-helpers.h"

typedef struct {
  StoreFixture  base;
  gint64        building;
  gint64        unit;
  gint64        vto;
  gint64        vth;
  gint64        vts;
  gint64        room;
} CommunityFixture;

static gint64
add_device (CommunityFixture *fixture,
            const char       *kind,
            const char       *host)
{
  g_autoptr(GhDeviceStore) devices = gh_device_store_new (fixture->base.database);
  g_autoptr(GhDevice) device = gh_device_new ();
  g_autoptr(GError) error = NULL;
  gint64 id;

  gh_device_set_kind (device, kind);
  gh_device_set_name (device, host);
  gh_device_set_host (device, host);
  gh_device_set_driver (device, "test");
  id = gh_device_store_add (devices, fixture->base.admin, device, &error);
  g_assert_no_error (error);

  return id;
}

static void
community_setup (CommunityFixture *fixture,
                 gconstpointer     data)
{
  g_autoptr(GhOrgStore) org = NULL;
  g_autoptr(GhDialStore) dial = NULL;
  g_autoptr(GError) error = NULL;
  GhSession *admin;
  gint64 community;

  store_fixture_setup (&fixture->base, data);
  admin = fixture->base.admin;
  org = gh_org_store_new (fixture->base.database);
  dial = gh_dial_store_new (fixture->base.database);

  community = gh_org_store_add_node (org, admin, 0, NULL, "Green Gardens", &error);
  fixture->building = gh_org_store_add_node (org, admin, community, "11", "B11", &error);
  fixture->unit = gh_org_store_add_node (org, admin, fixture->building, "01", "U1", &error);
  fixture->room = gh_org_store_add_room (org, admin, fixture->unit, "11", "", &error);
  g_assert_no_error (error);

  fixture->vto = add_device (fixture, "vto", "10.0.0.20");
  fixture->vth = add_device (fixture, "vth", "10.0.0.30");
  fixture->vts = add_device (fixture, "vts", "10.0.0.2");
  gh_dial_store_add_vto (dial, admin, fixture->vto, fixture->unit, "8055", "55", &error);
  gh_dial_store_add_vth (dial, admin, fixture->vth, fixture->room, 5, &error);
  g_assert_no_error (error);
}

static void
community_teardown (CommunityFixture *fixture,
                    gconstpointer     data)
{
  store_fixture_teardown (&fixture->base, data);
}

static void
test_call_groups (CommunityFixture *fixture,
                  gconstpointer     data)
{
  GhSession *admin = fixture->base.admin;
  g_autoptr(GhCallGroupStore) store = gh_call_group_store_new (fixture->base.database);
  g_autoptr(GhSyncStore) sync = gh_sync_store_new (fixture->base.database);
  g_autoptr(GhCallGroup) group = gh_call_group_new ("Night desk", fixture->building);
  g_autoptr(GhCallGroup) second = gh_call_group_new ("Day desk", fixture->building);
  g_autoptr(GhCallGroup) read = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  GhCallGroupMember vts = { fixture->vts };
  GhCallGroupMember client = { 0 };
  GhCallGroupMember vto = { fixture->vto };
  guint waiting;
  gint64 id;

  /* Only master stations and this client answer. */
  g_array_append_val (group->members, vto);
  g_assert_cmpint (gh_call_group_store_add (store, admin, group, &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_array_set_size (group->members, 0);
  g_array_append_val (group->members, client);
  g_array_append_val (group->members, vts);
  waiting = gh_sync_store_count_waiting (sync, fixture->vto);
  id = gh_call_group_store_add (store, admin, group, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gh_sync_store_count_waiting (sync, fixture->vto), ==, waiting + 1);

  /* One group per building. */
  g_array_append_val (second->members, vts);
  g_assert_cmpint (gh_call_group_store_add (store, admin, second, &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "Night desk"));
  g_clear_error (&error);

  /* Reorder: the master station first. */
  read = gh_call_group_store_get (store, id, &error);
  g_assert_cmpuint (read->members->len, ==, 2);
  g_assert_cmpint (g_array_index (read->members, GhCallGroupMember, 0).device_id, ==, 0);
  g_array_index (read->members, GhCallGroupMember, 0).device_id = fixture->vts;
  g_array_index (read->members, GhCallGroupMember, 1).device_id = 0;
  g_assert_true (gh_call_group_store_update (store, admin, read, &error));
  g_assert_no_error (error);
  g_clear_pointer (&read, gh_call_group_free);
  read = gh_call_group_store_for_building (store, fixture->building, &error);
  g_assert_cmpint (g_array_index (read->members, GhCallGroupMember, 0).device_id, ==,
                   fixture->vts);

  all = gh_call_group_store_list (store, &error);
  g_assert_cmpuint (all->len, ==, 1);

  g_assert_false (gh_call_group_store_remove (store, fixture->base.guard, id, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_true (gh_call_group_store_remove (store, admin, id, &error));
  g_assert_cmpint (store_test_count (fixture->base.database, "call_group_members"), ==, 0);
}

static void
test_notices (CommunityFixture *fixture,
              gconstpointer     data)
{
  GhSession *admin = fixture->base.admin;
  g_autoptr(GhNoticeStore) store = gh_notice_store_new (fixture->base.database);
  g_autoptr(GhNotice) notice = gh_notice_new ("Water off", "Tuesday 9:00–12:00", 1767000000);
  g_autoptr(GhNotice) read = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  /* A master station shows no notices. */
  g_array_append_val (notice->device_ids, fixture->vts);
  g_assert_cmpint (gh_notice_store_add (store, admin, notice, &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  g_array_set_size (notice->device_ids, 0);
  g_array_append_val (notice->device_ids, fixture->vto);
  g_array_append_val (notice->device_ids, fixture->vth);
  id = gh_notice_store_add (store, admin, notice, &error);
  g_assert_no_error (error);

  statuses = gh_notice_store_list_device_status (store, id, &error);
  g_assert_cmpuint (statuses->len, ==, 2);
  g_assert_cmpstr (((GhNoticeDeviceStatus *)g_ptr_array_index (statuses, 0))->status, ==,
                   "pending");
  g_assert_true (gh_notice_store_set_device_status (store, admin, id, fixture->vth, "failed",
                                                    "offline", &error));
  g_assert_true (gh_notice_store_send (store, admin, id, &error));
  g_assert_no_error (error);

  read = gh_notice_store_get (store, id, &error);
  g_assert_cmpstr (read->title, ==, "Water off");
  g_assert_cmpuint (read->device_ids->len, ==, 2);

  g_free (read->title);
  read->title = g_strdup ("");
  g_assert_false (gh_notice_store_update (store, admin, read, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  all = gh_notice_store_list (store, &error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_true (gh_notice_store_remove (store, admin, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_test_count (fixture->base.database, "notice_devices"), ==, 0);
}

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

  g_test_add ("/store/community/call-groups", CommunityFixture, NULL, community_setup,
              test_call_groups, community_teardown);
  g_test_add ("/store/community/notices", CommunityFixture, NULL, community_setup,
              test_notices, community_teardown);
  g_test_add ("/store/community/sync-queue", CommunityFixture, NULL, community_setup,
              test_sync_queue, community_teardown);

  return g_test_run ();
}
