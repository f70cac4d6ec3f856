/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gh-device-store.h"
#include "gh-error.h"
#include "gh-record-store.h"

#include "store-test-helpers.h"

static gint64
add_device (StoreFixture *fixture,
            const char   *host)
{
  g_autoptr(GhDeviceStore) devices = gh_device_store_new (fixture->database);
  g_autoptr(GhDevice) device = gh_device_new ();
  g_autoptr(GError) error = NULL;
  gint64 id;

  gh_device_set_kind (device, "vto");
  gh_device_set_name (device, host);
  gh_device_set_host (device, host);
  gh_device_set_driver (device, "test");
  id = gh_device_store_add (devices, fixture->admin, device, &error);
  g_assert_no_error (error);

  return id;
}

static GhRecord *
access_record (gint64      time,
               const char *key,
               gboolean    granted)
{
  GhRecord *record = gh_record_new ();

  gh_record_set_kind (record, "access");
  gh_record_set_time (record, time);
  gh_record_set_dedup_key (record, key);
  gh_record_set_status (record, granted ? "granted" : "denied");
  gh_record_set_method (record, "card");
  gh_record_set_card_number (record, "A1B2C3D4");
  gh_record_set_person_name (record, "Zhang San");

  return record;
}

static void
test_ingest_and_list (StoreFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(GhRecordStore) store = gh_record_store_new (fixture->database);
  g_autoptr(GhSession) sync = gh_session_new_system ("sync");
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) denied = NULL;
  g_autoptr(GListModel) window = NULL;
  g_autoptr(GListModel) calls = NULL;
  g_autoptr(GhRecord) newest = NULL;
  g_autoptr(GhRecord) call = NULL;
  g_autoptr(GError) error = NULL;
  GhRecordFilter filter = { "access", 0, 0, 0, NULL };
  gint64 gate;
  gint64 door;
  guint added = 0;

  gate = add_device (fixture, "10.0.0.1");
  door = add_device (fixture, "10.0.0.2");

  for (guint i = 0; i < 450; i++) {
    g_autofree char *key = g_strdup_printf ("%u", i + 1);

    g_ptr_array_add (batch, access_record (1700000000 + i * 60, key, i % 10 != 0));
  }
  g_assert_true (gh_record_store_ingest (store, sync, gate, batch, &added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 450);

  /* Reading the same records again adds nothing. */
  g_assert_true (gh_record_store_ingest (store, sync, gate, batch, &added, &error));
  g_assert_cmpuint (added, ==, 0);
  /* The same record numbers on another device are other records. */
  g_ptr_array_set_size (batch, 5);
  g_assert_true (gh_record_store_ingest (store, sync, door, batch, &added, &error));
  g_assert_cmpuint (added, ==, 5);

  all = gh_record_store_list (store, fixture->guard, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 455);
  newest = g_list_model_get_item (all, 0);
  g_assert_cmpint (gh_record_get_time (newest), ==, 1700000000 + 449 * 60);
  g_assert_cmpstr (gh_record_get_device_name (newest), ==, "10.0.0.1");
  g_assert_cmpstr (gh_record_get_person_name (newest), ==, "Zhang San");

  filter.device_id = gate;
  filter.status = "denied";
  denied = gh_record_store_list (store, fixture->guard, &filter, &error);
  g_assert_cmpuint (g_list_model_get_n_items (denied), ==, 45);

  filter.status = NULL;
  filter.from = 1700000000 + 100 * 60;
  filter.to = 1700000000 + 110 * 60;
  window = gh_record_store_list (store, fixture->guard, &filter, &error);
  g_assert_cmpuint (g_list_model_get_n_items (window), ==, 10);

  /* Calls and alarms. */
  g_ptr_array_set_size (batch, 0);
  g_ptr_array_add (batch, gh_record_new ());
  call = g_object_ref (g_ptr_array_index (batch, 0));
  gh_record_set_kind (call, "call");
  gh_record_set_time (call, 945447906);
  gh_record_set_dedup_key (call, "945447906");
  gh_record_set_direction (call, "outgoing");
  gh_record_set_status (call, "missed");
  gh_record_set_peer_number (call, "9901");
  g_assert_true (gh_record_store_ingest (store, sync, gate, batch, &added, &error));
  g_assert_no_error (error);
  filter = (GhRecordFilter) { "call", 0, 0, 0, "missed" };
  calls = gh_record_store_list (store, fixture->admin, &filter, &error);
  g_assert_cmpuint (g_list_model_get_n_items (calls), ==, 1);

  /* A bad record fails the whole batch with a message. */
  g_ptr_array_add (batch, access_record (1700000000, "x1", TRUE));
  gh_record_set_status (g_ptr_array_index (batch, 1), "maybe");
  g_assert_false (gh_record_store_ingest (store, sync, door, batch, &added, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "maybe"));
  g_clear_error (&error);
  g_assert_cmpint (store_test_count (fixture->database, "call_records"), ==, 1);

  /* A guard reads records but does not write them; unknown kinds are refused. */
  g_assert_false (gh_record_store_ingest (store, fixture->guard, gate, batch, &added, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  filter.kind = "toast";
  g_assert_null (gh_record_store_list (store, fixture->admin, &filter, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/record/ingest-and-list", StoreFixture, NULL, store_fixture_setup,
              test_ingest_and_list, store_fixture_teardown);

  return g_test_run ();
}
