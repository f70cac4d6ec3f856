/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gh-device-store.h"
#include "gh-dial-store.h"
#include "gh-error.h"
#include "gh-org-store.h"
#include "gh-sync-store.h"

#include "store-test-helpers.h"

typedef struct {
  StoreFixture   base;
  GhOrgStore    *org;
  GhDialStore   *dial;
  GhDeviceStore *devices;
  gint64         community;
  gint64         building;
  gint64         unit;
  gint64         room;
  gint64         vth;
  gint64         vto;
  gint64         vts;
} OrgFixture;

static gint64
add_device (OrgFixture *fixture,
            const char *kind,
            const char *name,
            const char *host)
{
  g_autoptr(GhDevice) device = gh_device_new ();
  g_autoptr(GError) error = NULL;
  gint64 id;

  gh_device_set_kind (device, kind);
  gh_device_set_name (device, name);
  gh_device_set_host (device, host);
  gh_device_set_driver (device, "test");
  id = gh_device_store_add (fixture->devices, fixture->base.admin, device, &error);
  g_assert_no_error (error);

  return id;
}

static void
org_setup (OrgFixture    *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GhSession *admin;

  store_fixture_setup (&fixture->base, data);
  admin = fixture->base.admin;
  fixture->org = gh_org_store_new (fixture->base.database);
  fixture->dial = gh_dial_store_new (fixture->base.database);
  fixture->devices = gh_device_store_new (fixture->base.database);

  fixture->community = gh_org_store_add_node (fixture->org, admin, 0, NULL, "Green Gardens",
                                              &error);
  fixture->building = gh_org_store_add_node (fixture->org, admin, fixture->community, "02",
                                             "Building 2", &error);
  fixture->unit = gh_org_store_add_node (fixture->org, admin, fixture->building, "01",
                                         "Unit 1", &error);
  fixture->room = gh_org_store_add_room (fixture->org, admin, fixture->unit, "302", "Chen",
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpint (fixture->room, >, 0);

  fixture->vth = add_device (fixture, "vth", "Chen's monitor", "10.0.0.30");
  fixture->vto = add_device (fixture, "vto", "Unit door", "10.0.0.20");
  fixture->vts = add_device (fixture, "vts", "Guard desk", "10.0.0.2");
}

static void
org_teardown (OrgFixture    *fixture,
              gconstpointer  data)
{
  g_clear_object (&fixture->org);
  g_clear_object (&fixture->dial);
  g_clear_object (&fixture->devices);
  store_fixture_teardown (&fixture->base, data);
}

static void
test_tree_and_rooms (OrgFixture    *fixture,
                     gconstpointer  data)
{
  GhSession *admin = fixture->base.admin;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) top = gh_org_store_list_children (fixture->org, 0);
  g_autoptr(GListModel) buildings = NULL;
  g_autoptr(GListModel) rooms = gh_org_store_list_rooms (fixture->org, 0);
  g_autoptr(GListModel) unit_rooms = gh_org_store_list_rooms (fixture->org, fixture->unit);
  g_autoptr(GhOrgNode) community = NULL;
  g_autoptr(GhRoom) room = NULL;
  gint64 other_unit;

  g_assert_cmpuint (g_list_model_get_n_items (top), ==, 1);
  community = g_list_model_get_item (top, 0);
  buildings = gh_org_store_create_child_model (community, fixture->org);
  g_assert_cmpuint (g_list_model_get_n_items (buildings), ==, 1);

  /* Rules of the tree. */
  g_assert_cmpint (gh_org_store_add_node (fixture->org, admin, 0, NULL, "Second", &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (gh_org_store_add_node (fixture->org, admin, fixture->community, "02", "Dup",
                                          &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (gh_org_store_add_node (fixture->org, admin, fixture->community, "12345", "Big",
                                          &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (gh_org_store_add_node (fixture->org, admin, fixture->unit, "1", "Too deep",
                                          &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (gh_org_store_add_room (fixture->org, admin, fixture->building, "5", "",
                                          &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (gh_org_store_add_room (fixture->org, admin, fixture->unit, "302", "",
                                          &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_clear_error (&error);

  other_unit = gh_org_store_add_node (fixture->org, admin, fixture->building, "02", "Unit 2",
                                      &error);
  g_assert_cmpint (gh_org_store_add_room (fixture->org, admin, other_unit, "101", "", &error), >,
                   0);
  g_assert_cmpint (gh_org_store_add_room (fixture->org, admin, fixture->unit, "1101", "",
                                          &error), >, 0);
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (rooms), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (unit_rooms), ==, 2);
  room = g_list_model_get_item (rooms, 0);
  g_assert_cmpstr (gh_room_get_path (room), ==, "02#01#302");
  g_assert_cmpint (gh_org_store_find_room (fixture->org, "02#02#101", &error), >, 0);
  g_assert_cmpint (gh_org_store_find_room (fixture->org, "02#02#999", &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A unit with rooms cannot go, nor can units while they exist be switched off. */
  g_assert_false (gh_org_store_remove_node (fixture->org, admin, other_unit, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_IN_USE);
  g_clear_error (&error);
  g_assert_false (gh_org_store_set_levels (fixture->org, admin, GH_ORG_LEVELS_BUILDING, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_IN_USE);
  g_clear_error (&error);

  /* Installers may change the community, guards may not. */
  g_assert_cmpint (gh_org_store_add_room (fixture->org, fixture->base.guard, fixture->unit, "9",
                                          "", &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
}

static void
test_remove_room_removes_numbers (OrgFixture    *fixture,
                                  gconstpointer  data)
{
  GhSession *admin = fixture->base.admin;
  g_autoptr(GhSyncStore) sync = gh_sync_store_new (fixture->base.database);
  g_autoptr(GhRegistration) reg = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  gint64 main_vth;
  gint64 vto;

  vto = gh_dial_store_add_vto (fixture->dial, admin, fixture->vto, fixture->unit, "8055", "55",
                               &error);
  g_assert_no_error (error);
  main_vth = gh_dial_store_add_vth (fixture->dial, admin, fixture->vth, fixture->room,
                                    GH_NUMBERING_NO_EXTENSION, &error);
  g_assert_no_error (error);
  reg = gh_dial_store_get (fixture->dial, main_vth, &error);
  g_assert_cmpstr (gh_registration_get_number (reg), ==, "02#01#302");
  g_clear_object (&reg);
  reg = gh_dial_store_get (fixture->dial, vto, &error);
  g_assert_cmpstr (gh_registration_get_number (reg), ==, "02#01#8055");

  /* Extension 0 is the main monitor again. */
  g_assert_cmpint (gh_dial_store_add_vth (fixture->dial, admin, fixture->vth, fixture->room, 0,
                                          &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (gh_dial_store_add_vth (fixture->dial, admin, fixture->vth, fixture->room, 5,
                                          &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (store_test_count (fixture->base.database, "registration_numbers"), ==, 3);

  /* The installer typed the wrong last two digits; a VTO is not a VTH. */
  g_assert_cmpint (gh_dial_store_add_station (fixture->dial, admin, fixture->vts, "101", "02",
                                              &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (gh_dial_store_add_vth (fixture->dial, admin, fixture->vto, fixture->room, 1,
                                          &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (gh_dial_store_add_station (fixture->dial, admin, fixture->vts, "101", "01",
                                              &error), >, 0);
  g_assert_no_error (error);

  g_assert_true (gh_org_store_remove_room (fixture->org, admin, fixture->room, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_test_count (fixture->base.database, "registration_numbers"), ==, 2);
  g_assert_null (gh_dial_store_find (fixture->dial, "02#01#302", &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The monitor is told to forget its numbers. */
  tasks = gh_sync_store_list (sync, fixture->vth, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 2);
  for (guint i = 0; i < tasks->len; i++) {
    GhSyncTask *task = g_ptr_array_index (tasks, i);

    g_assert_cmpstr (task->object_kind, ==, "registration-number");
    g_assert_cmpstr (task->operation, ==, "delete");
  }
}

static void
test_unlock_password (OrgFixture    *fixture,
                      gconstpointer  data)
{
  GhSession *admin = fixture->base.admin;
  g_autoptr(GhSyncStore) sync = gh_sync_store_new (fixture->base.database);
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GhRoom) room = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;

  gh_dial_store_add_vto (fixture->dial, admin, fixture->vto, fixture->unit, "8055", "55", &error);
  gh_dial_store_add_vth (fixture->dial, admin, fixture->vth, fixture->room,
                         GH_NUMBERING_NO_EXTENSION, &error);
  g_assert_no_error (error);

  g_assert_false (gh_org_store_set_unlock_password (fixture->org, admin, fixture->room, "12a456",
                                                    &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (gh_org_store_set_unlock_password (fixture->org, admin, fixture->room, "888888",
                                                   &error));
  g_assert_no_error (error);
  password = gh_org_store_get_unlock_password (fixture->org, admin, fixture->room, &error);
  g_assert_cmpstr (password, ==, "888888");

  statuses = gh_org_store_list_room_device_status (fixture->org, fixture->room, &error);
  g_assert_cmpuint (statuses->len, ==, 2);
  room = gh_org_store_get_room (fixture->org, fixture->room, &error);
  g_assert_true (gh_room_get_has_unlock_password (room));
  g_assert_cmpstr (gh_room_get_sending_status (room), ==, "pending");
  g_clear_object (&room);

  g_assert_true (gh_org_store_set_room_device_status (fixture->org, admin, fixture->room,
                                                      fixture->vto, "sent", NULL, &error));
  g_assert_true (gh_org_store_set_room_device_status (fixture->org, admin, fixture->room,
                                                      fixture->vth, "failed", "timed out",
                                                      &error));
  g_assert_no_error (error);
  room = gh_org_store_get_room (fixture->org, fixture->room, &error);
  g_assert_cmpstr (gh_room_get_sending_status (room), ==, "failed");

  g_assert_cmpuint (gh_sync_store_count_waiting (sync, fixture->vto), >=, 1);
  g_assert_true (gh_org_store_resend_unlock_password (fixture->org, admin, fixture->room,
                                                      &error));
  g_assert_no_error (error);
}

static void
test_without_units (StoreFixture  *fixture,
                    gconstpointer  data)
{
  GhSession *admin = fixture->admin;
  g_autoptr(GhOrgStore) org = gh_org_store_new (fixture->database);
  g_autoptr(GhDialStore) dial = gh_dial_store_new (fixture->database);
  g_autoptr(GhRoom) room = NULL;
  g_autoptr(GhRegistration) reg = NULL;
  g_autoptr(GError) error = NULL;
  gint64 community;
  gint64 building;
  gint64 room_id;
  gint64 vth;
  gint64 vto;

  g_assert_true (gh_org_store_set_levels (org, admin, GH_ORG_LEVELS_BUILDING, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gh_org_store_get_levels (org), ==, GH_ORG_LEVELS_BUILDING);

  community = gh_org_store_add_node (org, admin, 0, NULL, "Villas", &error);
  building = gh_org_store_add_node (org, admin, community, "02", "", &error);
  g_assert_no_error (error);

  /* No unit level: rooms go straight into the building. */
  g_assert_cmpint (gh_org_store_add_node (org, admin, building, "01", "", &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  room_id = gh_org_store_add_room (org, admin, building, "302", "", &error);
  g_assert_no_error (error);
  room = gh_org_store_get_room (org, room_id, &error);
  g_assert_cmpstr (gh_room_get_path (room), ==, "02#302");
  g_assert_cmpint (gh_org_store_find_room (org, "02#302", &error), ==, room_id);

  vth = store_test_add_device (fixture->database, admin, "vth", "10.0.1.30");
  vto = store_test_add_device (fixture->database, admin, "vto", "10.0.1.20");
  gh_dial_store_add_vth (dial, admin, vth, room_id, GH_NUMBERING_NO_EXTENSION, &error);
  gh_dial_store_add_vto (dial, admin, vto, building, "8055", "55", &error);
  g_assert_no_error (error);
  reg = gh_dial_store_find (dial, "02#302", &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_registration_get_device_id (reg), ==, vth);
  g_clear_object (&reg);
  reg = gh_dial_store_find (dial, "02#8055", &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_registration_get_device_id (reg), ==, vto);

  /* A unit level cannot come back while rooms sit in buildings. */
  g_assert_false (gh_org_store_set_levels (org, admin, GH_ORG_LEVELS_BUILDING_UNIT, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_IN_USE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/org/tree-and-rooms", OrgFixture, NULL, org_setup, test_tree_and_rooms,
              org_teardown);
  g_test_add ("/store/org/remove-room-removes-numbers", OrgFixture, NULL, org_setup,
              test_remove_room_removes_numbers, org_teardown);
  g_test_add ("/store/org/unlock-password", OrgFixture, NULL, org_setup, test_unlock_password,
              org_teardown);
  g_test_add ("/store/org/without-units", StoreFixture, NULL, store_fixture_setup,
              test_without_units, store_fixture_teardown);

  return g_test_run ();
}
