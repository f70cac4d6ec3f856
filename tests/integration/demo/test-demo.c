/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-demo"

#include "config.h"

#include "gh-demo.h"
#include "gh-demo-seed.h"

#include "gh-access-store.h"
#include "gh-auth.h"
#include "gh-card-number.h"
#include "gh-department-store.h"
#include "gh-device-secrets.h"
#include "gh-device-store.h"
#include "gh-dial-store.h"
#include "gh-error.h"
#include "gh-numbering.h"
#include "gh-org-store.h"
#include "gh-person-password.h"
#include "gh-person-store.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The demo community of gatehouse-sim --demo: 4 door stations, 8 + 1 indoor monitors in 8
 * rooms, a fence station and a master station. */
#define N_SIM_DEVICES 15
#define N_SIM_ROOMS   8

/* The driver the simulator's devices speak (tests may name it; the app asks the registry). */
#define SIM_DRIVER    "dahua"

static char *tmp_dir;

/* Whether @pid is gone: no such process, or only a zombie waiting for its new parent. */
static gboolean
process_gone (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *stat = NULL;
  const char *close_paren;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;
  close_paren = strrchr (stat, ')');
  return close_paren != NULL && (close_paren[2] == 'Z' || close_paren[2] == 'X');
}

static gboolean
wait_gone (const char *pid,
           guint       ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (!process_gone (pid)) {
    if (g_get_monotonic_time () > deadline)
      return FALSE;
    g_usleep (20 * G_TIME_SPAN_MILLISECOND);
  }
  return TRUE;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Starts @demo and spins the main loop until it is READY or fails (with a deadline). */
static gboolean
start_demo (GhDemo        *demo,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;

  gh_demo_start_async (demo, cancellable, result_cb, &result);
  while (result == NULL) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_main_context_iteration (NULL, TRUE);
  }
  return gh_demo_start_finish (demo, result, error);
}

static GhDemo *
new_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sim = gh_demo_find_simulator (&error);
  g_autofree char *driver = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (sim);
  /* The app asks the driver registry; the simulator imitates that driver's devices. */
  driver = gh_demo_dup_default_driver (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (driver, ==, SIM_DRIVER);
  return gh_demo_new (sim, driver);
}

static guint
probe_demo (GhDemo      *demo,
            GhDatabase  *db,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;

  gh_demo_probe_async (demo, db, NULL, result_cb, &result);
  while (result == NULL) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_main_context_iteration (NULL, TRUE);
  }
  return gh_demo_probe_finish (demo, result, error);
}

/* After the probe, the store holds what each device said about itself. */
static void
check_probed (GhDatabase *db,
              GPtrArray  *announced)
{
  g_autoptr(GhDeviceStore) devices = gh_device_store_new (db);
  g_autoptr(GListModel) list = gh_device_store_list (devices, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++) {
    g_autoptr(GhDevice) device = g_list_model_get_item (list, i);
    const GhDemoDevice *spec = NULL;

    for (guint k = 0; k < announced->len; k++)
      if (g_str_equal (((GhDemoDevice *)g_ptr_array_index (announced, k))->name,
                       gh_device_get_name (device)))
        spec = g_ptr_array_index (announced, k);
    g_assert_nonnull (spec);

    g_assert_cmpstr (gh_device_get_status (device), ==, "online");
    g_assert_cmpint (gh_device_get_last_seen (device), >, 0);
    g_assert_cmpstr (gh_device_get_model (device), ==, spec->model);
    g_assert_cmpstr (gh_device_get_serial (device), ==, spec->serial);
    /* The device reports its version with the build date appended. */
    g_assert_true (g_str_has_prefix (gh_device_get_firmware (device), spec->firmware));
  }
}

static guint
count_items (GListModel *model)
{
  g_autoptr(GListModel) owned = model;

  return g_list_model_get_n_items (owned);
}

/* The checks a seeded demo database must pass. */
static void
check_seeded (GhDatabase *db)
{
  g_autoptr(GhPersonStore) persons = gh_person_store_new (db);
  g_autoptr(GhDeviceStore) devices = gh_device_store_new (db);
  g_autoptr(GhDialStore) dial = gh_dial_store_new (db);
  g_autoptr(GhOrgStore) org = gh_org_store_new (db);
  g_autoptr(GhAccessStore) access = gh_access_store_new (db);
  g_autoptr(GhSession) admin = gh_session_new_system ("test");
  g_autoptr(GListModel) person_list = NULL;
  g_autoptr(GListModel) numbers = NULL;
  g_autoptr(GListModel) device_list = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) cards = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint with_password = 0;
  guint in_rooms = 0;

  g_assert_cmpuint (gh_person_store_count (persons), ==, GH_DEMO_SEED_N_PERSONS);
  g_assert_cmpuint (count_items (gh_org_store_list_rooms (org, 0)), ==, N_SIM_ROOMS);
  g_assert_cmpint (gh_org_store_get_levels (org), ==, GH_ORG_LEVELS_BUILDING_UNIT);

  /* Every device, with its sealed password and driver. */
  device_list = gh_device_store_list (devices, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (device_list), ==, N_SIM_DEVICES);
  for (guint i = 0; i < N_SIM_DEVICES; i++) {
    g_autoptr(GhDevice) device = g_list_model_get_item (device_list, i);
    g_autofree char *password = gh_device_secrets_dup (db, admin, gh_device_get_id (device),
                                                       &error);

    g_assert_no_error (error);
    g_assert_cmpstr (password, ==, "admin123");
    g_assert_cmpstr (gh_device_get_driver (device), ==, SIM_DRIVER);
    g_assert_cmpstr (gh_device_get_host (device), ==, "127.0.0.1");
    g_assert_cmpint (gh_device_get_port (device), >, 0);
  }

  /* One registration number per device, each valid under the core numbering rules. */
  numbers = gh_dial_store_list (dial, 0);
  g_assert_cmpuint (g_list_model_get_n_items (numbers), ==, N_SIM_DEVICES);
  for (guint i = 0; i < N_SIM_DEVICES; i++) {
    g_autoptr(GhRegistration) reg = g_list_model_get_item (numbers, i);
    GhRegNumber parsed;
    GhRegKind kind;
    g_autofree char *formatted = NULL;

    g_assert_true (gh_reg_kind_from_string (gh_registration_get_kind (reg), &kind));
    g_assert_true (gh_reg_number_parse (kind, GH_ORG_LEVELS_BUILDING_UNIT,
                                        gh_registration_get_number (reg), &parsed, &error));
    g_assert_no_error (error);
    formatted = gh_reg_number_format (&parsed);
    g_assert_cmpstr (formatted, ==, gh_registration_get_number (reg));
  }
  {
    g_autoptr(GhRegistration) vto = gh_dial_store_find (dial, "1#1#8001", &error);
    g_autoptr(GhRegistration) ext = gh_dial_store_find (dial, "1#1#1101#1", &error);
    g_autoptr(GhRegistration) vts = gh_dial_store_find (dial, "101", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (gh_registration_get_device_name (vto), ==, "VTO-1-1");
    g_assert_cmpstr (gh_registration_get_device_name (ext), ==, "VTH-1101-EXT");
    g_assert_cmpstr (gh_registration_get_device_name (vts), ==, "VTS-1");
  }

  /* Persons: unique eight-digit hexadecimal cards; some keypad passwords; residents live in
   * the simulator's rooms. */
  person_list = gh_person_store_list (persons, 0, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (person_list), ==, GH_DEMO_SEED_N_PERSONS);
  for (guint i = 0; i < GH_DEMO_SEED_N_PERSONS; i++) {
    g_autoptr(GhPerson) person = g_list_model_get_item (person_list, i);
    g_autoptr(GPtrArray) person_cards = NULL;
    g_autofree char *password = NULL;

    g_assert_nonnull (gh_person_get_name (person));
    g_assert_cmpuint (strlen (gh_person_get_name (person)), >, 3);
    g_assert_cmpint (gh_person_get_department_id (person), >, 0);
    if (gh_person_get_room_id (person) > 0)
      in_rooms++;

    person_cards = gh_person_store_list_cards (persons, gh_person_get_id (person), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (person_cards->len, >=, 1);
    for (guint c = 0; c < person_cards->len; c++) {
      GhCard *card = g_ptr_array_index (person_cards, c);
      guint64 value;

      g_assert_cmpuint (strlen (card->number), ==, 8);
      g_assert_true (gh_card_number_to_value (card->number, GH_CARD_NUMBER_MODE_HEX, &value,
                                              &error));
      g_assert_no_error (error);
      g_assert_true (g_hash_table_add (cards, g_strdup (card->number)));
    }

    password = gh_person_store_get_password (persons, gh_person_get_id (person), NULL);
    if (password != NULL) {
      g_assert_true (gh_person_password_validate (password, &error));
      g_assert_no_error (error);
      with_password++;
    }
  }
  g_assert_cmpuint (with_password, >, 0);
  g_assert_cmpuint (with_password, <, GH_DEMO_SEED_N_PERSONS);
  g_assert_cmpuint (in_rooms, >=, 30);

  /* Working hours and the door stations' groups. */
  groups = gh_access_store_list_groups (access, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 2);
  for (guint i = 0; i < groups->len; i++) {
    GhPermissionGroup *group = g_ptr_array_index (groups, i);
    g_autoptr(GhPermissionGroup) full = gh_access_store_get_group (access, group->id, &error);

    g_assert_no_error (error);
    /* 4 door stations with 2 doors each and the fence station's door. */
    g_assert_cmpuint (full->doors->len, ==, 9);
  }
}

static void
test_parse_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDemoDevice) device = NULL;
  GhDemoDevice *bad;

  device = gh_demo_parse_device_line ("{\"name\":\"VTH-1101-EXT\",\"kind\":\"vth\",\"number\":"
                                      "\"1101#1\",\"building\":\"1\",\"unit\":\"1\",\"doors\":0,"
                                      "\"http\":\"http://127.0.0.1:38037\",\"username\":\"admin\","
                                      "\"password\":\"admin123\"}", "x", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (device->name, ==, "VTH-1101-EXT");
  g_assert_cmpstr (device->number, ==, "1101#1");
  g_assert_cmpstr (device->host, ==, "127.0.0.1");
  g_assert_cmpint (device->port, ==, 38037);
  g_assert_cmpstr (device->driver, ==, "x");
  g_assert_cmpstr (device->password, ==, "admin123");

  bad = gh_demo_parse_device_line ("READY?", "x", &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_PROTOCOL);
  g_assert_null (bad);
  g_clear_error (&error);

  bad = gh_demo_parse_device_line ("{\"name\":\"A\",\"kind\":\"vto\",\"number\":\"8001\","
                                   "\"http\":\"not a url\"}", "x", &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_PROTOCOL);
  g_assert_null (bad);
  g_clear_error (&error);

  bad = gh_demo_parse_device_line ("{\"kind\":\"vto\"}", "x", &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_PROTOCOL);
  g_assert_null (bad);
}

static void
test_find_simulator (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("GATEHOUSE_SIM"));
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  g_assert_nonnull (saved);
  found = gh_demo_find_simulator (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, saved);
  g_clear_pointer (&found, g_free);

  g_setenv ("GATEHOUSE_SIM", "/nonexistent/gatehouse-sim", TRUE);
  found = gh_demo_find_simulator (&error);
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "GATEHOUSE_SIM"));
  g_assert_null (found);
  g_setenv ("GATEHOUSE_SIM", saved, TRUE);
}

static void
test_start_failures (void)
{
  g_autoptr(GhDemo) missing = gh_demo_new ("/nonexistent/gatehouse-sim", SIM_DRIVER);
  g_autoptr(GhDemo) exits = gh_demo_new ("/bin/false", SIM_DRIVER);
  g_autoptr(GhDemo) garbage = gh_demo_new ("/bin/echo", SIM_DRIVER);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GhDemo) cancelled = new_demo ();
  g_autoptr(GError) error = NULL;

  g_assert_false (start_demo (missing, NULL, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_UNREACHABLE);
  g_assert_false (gh_demo_is_running (missing));
  g_clear_error (&error);

  /* Exits at once without a word. */
  g_assert_false (start_demo (exits, NULL, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "/bin/false"));
  g_assert_false (gh_demo_is_running (exits));
  g_clear_error (&error);

  /* echo prints "--demo": not a device description. */
  g_assert_false (start_demo (garbage, NULL, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PROTOCOL);
  g_assert_false (gh_demo_is_running (garbage));
  g_clear_error (&error);

  /* Fails with a message on stderr: the error quotes it. */
  {
    g_autofree char *script = g_build_filename (tmp_dir, "failing-sim", NULL);
    g_autoptr(GhDemo) failing = NULL;

    g_assert_true (g_file_set_contents (script, "#!/bin/sh\necho 'gatehouse-sim: port busy' >&2\n"
                                        "exit 3\n", -1, NULL));
    g_assert_cmpint (g_chmod (script, 0700), ==, 0);
    failing = gh_demo_new (script, SIM_DRIVER);
    g_assert_false (start_demo (failing, NULL, &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_UNREACHABLE);
    g_assert_nonnull (strstr (error->message, "gatehouse-sim: port busy"));
    g_assert_false (gh_demo_is_running (failing));
    g_clear_error (&error);
  }

  g_cancellable_cancel (cancellable);
  g_assert_false (start_demo (cancelled, cancellable, &error));
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                 g_error_matches (error, GH_ERROR, GH_ERROR_CANCELLED));
  g_assert_false (gh_demo_is_running (cancelled));
}

/* Start, seed, check; a second start seeds a fresh database; the child is gone after stop. */
static void
test_start_seed_stop (void)
{
  g_autofree char *data_dir = g_build_filename (tmp_dir, "seed", NULL);
  g_autofree char *db_path = g_build_filename (data_dir, GH_DEMO_DATABASE_NAME, NULL);

  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);

  for (guint run = 0; run < 2; run++) {
    g_autoptr(GhDemo) demo = new_demo ();
    g_autoptr(GhDatabase) db = NULL;
    g_autoptr(GhSession) admin = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *pid = NULL;
    GhDemoSeedSummary summary;
    GPtrArray *devices;

    g_assert_true (start_demo (demo, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (gh_demo_is_running (demo));
    pid = g_strdup (gh_demo_get_identifier (demo));
    g_assert_false (process_gone (pid));
    g_assert_nonnull (gh_demo_get_control_url (demo));
    g_assert_true (g_str_has_prefix (gh_demo_get_control_url (demo), "http://127.0.0.1:"));

    devices = gh_demo_get_devices (demo);
    g_assert_cmpuint (devices->len, ==, N_SIM_DEVICES);

    /* The old demo database goes; a fresh one is seeded. */
    g_assert_true (gh_demo_reset_data_dir (data_dir, &error));
    g_assert_no_error (error);
    g_assert_false (g_file_test (db_path, G_FILE_TEST_EXISTS));
    db = gh_database_open (db_path, &error);
    g_assert_no_error (error);
    g_assert_true (gh_demo_seed (demo, db, &summary, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (summary.n_devices, ==, N_SIM_DEVICES);
    g_assert_cmpuint (summary.n_numbers, ==, N_SIM_DEVICES);
    g_assert_cmpuint (summary.n_rooms, ==, N_SIM_ROOMS);
    g_assert_cmpuint (summary.n_persons, ==, GH_DEMO_SEED_N_PERSONS);
    g_assert_cmpuint (summary.n_cards, >=, GH_DEMO_SEED_N_PERSONS);
    g_assert_cmpuint (summary.n_groups, ==, 2);
    check_seeded (db);

    /* Every device answers a probe through the protocol layer. */
    g_assert_cmpuint (probe_demo (demo, db, &error), ==, N_SIM_DEVICES);
    g_assert_no_error (error);
    check_probed (db, devices);

    /* Seeding twice is refused and changes nothing. */
    g_assert_false (gh_demo_seed (demo, db, NULL, &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
    g_clear_error (&error);
    check_seeded (db);

    /* The demo administrator signs in without a password prompt. */
    admin = gh_demo_seed_sign_in (db, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (gh_session_get_username (admin), ==, GH_DEMO_OPERATOR);
    g_assert_cmpint (gh_session_get_role (admin), ==, GH_ROLE_ADMINISTRATOR);
    g_clear_object (&admin);
    /* …and can sign in again with the documented password. */
    admin = gh_auth_login (db, GH_DEMO_OPERATOR, GH_DEMO_OPERATOR_PASSWORD, "gui", &error);
    g_assert_no_error (error);
    g_assert_nonnull (admin);

    gh_demo_stop (demo);
    g_assert_false (gh_demo_is_running (demo));
    g_assert_null (gh_demo_get_identifier (demo));
    g_assert_true (process_gone (pid));
    gh_demo_stop (demo);  /* twice is harmless */
  }
}

/* A folder with a database the demo did not make is never wiped. */
static void
test_reset_refuses_foreign (void)
{
  g_autofree char *data_dir = g_build_filename (tmp_dir, "foreign", NULL);
  g_autofree char *db_path = g_build_filename (data_dir, GH_DEMO_DATABASE_NAME, NULL);
  g_autofree char *marker = g_build_filename (data_dir, GH_DEMO_MARKER_NAME, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (db_path, "real data", -1, NULL));

  g_assert_false (gh_demo_reset_data_dir (data_dir, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_assert_true (g_file_test (db_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* An empty folder becomes the demo's; from then on its database is replaced freely. */
  g_assert_cmpint (g_remove (db_path), ==, 0);
  g_assert_true (gh_demo_reset_data_dir (data_dir, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_set_contents (db_path, "demo data", -1, NULL));
  g_assert_true (gh_demo_reset_data_dir (data_dir, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (db_path, G_FILE_TEST_EXISTS));
}

/* A device line the store refuses: nothing is written. */
static void
test_seed_rollback (void)
{
  g_autofree char *data_dir = g_build_filename (tmp_dir, "rollback", NULL);
  g_autofree char *db_path = g_build_filename (data_dir, GH_DEMO_DATABASE_NAME, NULL);
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (
    (GDestroyNotify)gh_demo_device_free);
  g_autoptr(GhDatabase) db = NULL;
  g_autoptr(GhSession) session = gh_session_new_system ("test");
  g_autoptr(GhPersonStore) persons = NULL;
  g_autoptr(GhDeviceStore) device_store = NULL;
  g_autoptr(GError) error = NULL;
  GhDemoDevice *good = gh_demo_parse_device_line (
    "{\"name\":\"VTS-1\",\"kind\":\"vts\",\"number\":\"101\",\"http\":\"http://127.0.0.1:1\"}",
    SIM_DRIVER, &error);
  GhDemoDevice *bad = gh_demo_parse_device_line (
    "{\"name\":\"VTH-X\",\"kind\":\"vth\",\"number\":\"1101#12\",\"building\":\"1\","
    "\"unit\":\"1\",\"http\":\"http://127.0.0.1:2\"}", SIM_DRIVER, &error);

  g_assert_no_error (error);
  g_ptr_array_add (devices, good);
  g_ptr_array_add (devices, bad);
  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);
  g_assert_true (gh_demo_reset_data_dir (data_dir, &error));
  db = gh_database_open (db_path, &error);
  g_assert_no_error (error);

  {
    g_autoptr(GhDemo) demo = gh_demo_new ("/bin/false", SIM_DRIVER);

    /* No simulator has run: no devices. */
    g_assert_false (gh_demo_seed (demo, db, NULL, &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
    g_clear_error (&error);
  }

  g_assert_false (gh_demo_seed_run (db, session, devices, NULL, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "VTH-X"));
  g_clear_error (&error);

  persons = gh_person_store_new (db);
  device_store = gh_device_store_new (db);
  g_assert_cmpuint (gh_person_store_count (persons), ==, 0);
  g_assert_cmpuint (count_items (gh_device_store_list (device_store, NULL)), ==, 0);
  g_assert_false (gh_database_in_transaction (db));
}

/* The simulator dies with the app, even when the app never gets to stop it. */
static void
test_dies_with_parent (void)
{
  g_autofree char *pid_file = g_build_filename (tmp_dir, "sim.pid", NULL);
  g_autofree char *pid = NULL;
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess ()) {
    g_autoptr(GhDemo) demo = new_demo ();

    g_assert_true (start_demo (demo, NULL, &error));
    g_assert_true (g_file_set_contents (g_getenv ("TEST_DEMO_PID_FILE"),
                                        gh_demo_get_identifier (demo), -1, &error));
    _exit (0);  /* a crash, as far as the child can tell: no stop, no dispose */
  }

  g_setenv ("TEST_DEMO_PID_FILE", pid_file, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();

  g_assert_true (g_file_get_contents (pid_file, &pid, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (pid), >, 0);
  if (!wait_gone (pid, GH_DEMO_STOP_TIMEOUT_MS)) {
    kill (atoi (pid), SIGKILL);  /* leave no orphan behind, then fail */
    g_assert_not_reached ();
  }
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL) {
    while ((name = g_dir_read_name (dir)) != NULL) {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  }
  g_remove (path);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("GATEHOUSE_SIM") == NULL) {
    g_print ("1..0 # SKIP GATEHOUSE_SIM is not set; run through meson test\n");
    return 0;
  }

  tmp_dir = g_dir_make_tmp ("gh-demo-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/demo/parse-line", test_parse_line);
  g_test_add_func ("/demo/find-simulator", test_find_simulator);
  g_test_add_func ("/demo/start-failures", test_start_failures);
  g_test_add_func ("/demo/start-seed-stop", test_start_seed_stop);
  g_test_add_func ("/demo/reset-refuses-foreign", test_reset_refuses_foreign);
  g_test_add_func ("/demo/seed-rollback", test_seed_rollback);
  g_test_add_func ("/demo/dies-with-parent", test_dies_with_parent);

  status = g_test_run ();

  remove_tree (tmp_dir);
  g_free (tmp_dir);

  return status;
}
