/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gh-call-group-store.h"
#include "gh-sync-store.h"
#include "gh-error.h"

#include "store-test-helpers.h"

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


int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/call-group/members-and-buildings", CommunityFixture, NULL, community_fixture_setup,
              test_call_groups, community_fixture_teardown);

  return g_test_run ();
}
