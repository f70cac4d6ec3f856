/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gh-access-store.h"
#include "gh-department-store.h"
#include "gh-device-store.h"
#include "gh-error.h"
#include "gh-person-store.h"
#include "gh-sync-store.h"

#include "store-test-helpers.h"

static gint64
add_vto (StoreFixture *fixture,
         int           doors)
{
  g_autoptr(GhDeviceStore) devices = gh_device_store_new (fixture->database);
  g_autoptr(GhDevice) device = gh_device_new ();
  g_autoptr(GError) error = NULL;
  gint64 id;

  gh_device_set_kind (device, "vto");
  gh_device_set_name (device, "Main gate");
  gh_device_set_host (device, "10.0.0.5");
  gh_device_set_driver (device, "test");
  gh_device_set_door_count (device, doors);
  id = gh_device_store_add (devices, fixture->admin, device, &error);
  g_assert_no_error (error);

  return id;
}

static void
test_time_templates (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GhAccessStore) store = gh_access_store_new (fixture->database);
  g_autoptr(GhTimeTemplate) office = gh_time_template_new ();
  g_autoptr(GhTimeTemplate) always = gh_time_template_new_always ();
  g_autoptr(GhAccessTimeTemplate) read = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  GhTimeSection morning = { 8 * 60, 12 * 60 };
  GhPermissionGroup group = { 0 };
  gint64 id;

  g_assert_true (gh_time_template_set_day (office, G_DATE_MONDAY, &morning, 1, &error));
  id = gh_access_store_add_time_template (store, fixture->admin, "Office", office, "", &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_access_store_add_time_template (store, fixture->admin, " Office ", always,
                                                      "", &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_clear_error (&error);

  read = gh_access_store_get_time_template (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->name, ==, "Office");
  g_assert_true (gh_time_template_equal (read->schedule, office));

  g_assert_true (gh_access_store_update_time_template (store, fixture->admin, id, "Office hours",
                                                       always, "all day", &error));
  g_assert_no_error (error);
  all = gh_access_store_list_time_templates (store, &error);
  g_assert_cmpuint (all->len, ==, 1);

  /* In use by a group: cannot go. */
  group.name = (char *)"Staff";
  group.time_template_id = id;
  g_assert_cmpint (gh_access_store_add_group (store, fixture->admin, &group, &error), >, 0);
  g_assert_false (gh_access_store_remove_time_template (store, fixture->admin, id, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_IN_USE);
  g_clear_error (&error);

  g_assert_cmpint (gh_access_store_add_time_template (store, fixture->guard, "G", always, "",
                                                      &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
}

static void
test_groups_and_members (StoreFixture  *fixture,
                         gconstpointer  data)
{
  g_autoptr(GhAccessStore) store = gh_access_store_new (fixture->database);
  g_autoptr(GhPersonStore) persons = gh_person_store_new (fixture->database);
  g_autoptr(GhDepartmentStore) departments = gh_department_store_new (fixture->database);
  g_autoptr(GhSyncStore) sync = gh_sync_store_new (fixture->database);
  g_autoptr(GhPermissionGroup) read = NULL;
  g_autoptr(GArray) doors = g_array_new (FALSE, FALSE, sizeof (GhGroupDoor));
  g_autoptr(GArray) person_doors = NULL;
  g_autoptr(GhPerson) alice = gh_person_new ("1", "Alice");
  g_autoptr(GhPerson) bob = gh_person_new ("2", "Bob");
  g_autoptr(GError) error = NULL;
  GhPermissionGroup group = { 0 };
  GhGroupDoor door = { 0, 0 };
  gint64 vto;
  gint64 id;
  gint64 top;
  gint64 sub;
  gint64 ids[1];

  vto = add_vto (fixture, 2);
  top = gh_department_store_add (departments, fixture->admin, 0, "Residents", &error);
  sub = gh_department_store_add (departments, fixture->admin, top, "Block A", &error);
  gh_person_set_department_id (bob, sub);
  gh_person_store_add (persons, fixture->admin, alice, &error);
  gh_person_store_add (persons, fixture->admin, bob, &error);
  g_assert_no_error (error);

  door.device_id = vto;
  door.door_index = 2;
  g_array_append_val (doors, door);
  group.name = (char *)"Gate";
  group.verify_method = (char *)"card";
  group.doors = doors;
  g_assert_cmpint (gh_access_store_add_group (store, fixture->admin, &group, &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "door 3"));
  g_clear_error (&error);

  g_array_index (doors, GhGroupDoor, 0).door_index = 1;
  group.verify_method = (char *)"retina";
  g_assert_cmpint (gh_access_store_add_group (store, fixture->admin, &group, &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  group.verify_method = (char *)"card+password";
  id = gh_access_store_add_group (store, fixture->admin, &group, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_sync_store_count_waiting (sync, vto), ==, 1);

  ids[0] = gh_person_get_id (alice);
  g_assert_true (gh_access_store_add_persons (store, fixture->admin, id, ids, 1, &error));
  ids[0] = top;
  g_assert_true (gh_access_store_add_departments (store, fixture->admin, id, ids, 1, &error));
  g_assert_no_error (error);
  /* The group, Alice and Bob (through the parent department) are queued for the gate. */
  g_assert_cmpint (gh_sync_store_count_waiting (sync, vto), ==, 3);

  read = gh_access_store_get_group (store, id, &error);
  g_assert_cmpuint (read->n_persons, ==, 1);
  g_assert_cmpuint (read->n_departments, ==, 1);
  g_assert_cmpuint (read->doors->len, ==, 1);
  g_assert_cmpstr (read->verify_method, ==, "card+password");

  person_doors = gh_access_store_list_person_doors (store, gh_person_get_id (bob), &error);
  g_assert_cmpuint (person_doors->len, ==, 1);
  g_assert_cmpint (g_array_index (person_doors, GhGroupDoor, 0).door_index, ==, 1);

  ids[0] = 999999;
  g_assert_false (gh_access_store_add_persons (store, fixture->admin, id, ids, 1, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (gh_access_store_remove_group (store, fixture->admin, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_test_count (fixture->database, "group_persons"), ==, 0);
  g_assert_cmpint (store_test_count (fixture->database, "group_doors"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/access/time-templates", StoreFixture, NULL, store_fixture_setup,
              test_time_templates, store_fixture_teardown);
  g_test_add ("/store/access/groups-and-members", StoreFixture, NULL, store_fixture_setup,
              test_groups_and_members, store_fixture_teardown);

  return g_test_run ();
}
