/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gh-notice-store.h"
#include "gh-error.h"

#include "store-test-helpers.h"

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


int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/notice/devices-and-status", CommunityFixture, NULL, community_fixture_setup,
              test_notices, community_fixture_teardown);

  return g_test_run ();
}
