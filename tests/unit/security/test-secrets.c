/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json.h>
#include <string.h>

#include "gh-audit-log.h"
#include "gh-auth.h"
#include "gh-database-private.h"
#include "gh-device-secrets.h"
#include "gh-device-store.h"
#include "gh-error.h"
#include "gh-operator-store.h"
#include "security-test-helpers.h"

/*
 * No device password may appear in the database file, its WAL, the log output or the default
 * export. Every log message of the process is captured by a writer installed before anything
 * logs, and debug messages are switched on so that a g_debug() leak counts too.
 */

static const char * const device_passwords[] = {
  "Canary-Vto-Pass-8810",
  "Canary-Vth-Pass-4471",
  "Canary-Fence-Pass-2290",
};
#define OPERATOR_PASSWORD "Canary-Operator-3391"
#define PASSPHRASE        "correct horse battery staple"

static GString *captured;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++) {
    if (fields[i].length < 0)
      g_string_append (captured, fields[i].value);
    else
      g_string_append_len (captured, fields[i].value, fields[i].length);
    g_string_append_c (captured, ' ');
  }
  g_string_append_c (captured, '\n');

  return g_log_writer_default (level, fields, n_fields, user_data);
}

static GhDevice *
make_device (const char *kind,
             const char *name,
             const char *host)
{
  GhDevice *device = gh_device_new ();

  gh_device_set_kind (device, kind);
  gh_device_set_name (device, name);
  gh_device_set_host (device, host);
  gh_device_set_driver (device, "test");
  gh_device_set_username (device, "admin");

  return device;
}

static gint64
add_devices (SecurityFixture *fixture,
             GhSession       *admin,
             gint64          *ids)
{
  g_autoptr(GhDeviceStore) store = gh_device_store_new (fixture->database);
  const char *kinds[] = { "vto", "vth", "fence" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (device_passwords); i++) {
    g_autofree char *name = g_strdup_printf ("Device %u", i);
    g_autofree char *host = g_strdup_printf ("10.0.0.%u", 10 + i);
    g_autoptr(GhDevice) device = make_device (kinds[i], name, host);

    ids[i] = gh_device_store_add (store, admin, device, &error);
    g_assert_no_error (error);
    g_assert_true (gh_device_secrets_set (fixture->database, admin, ids[i], device_passwords[i],
                                          &error));
    g_assert_no_error (error);
  }

  return G_N_ELEMENTS (device_passwords);
}

static GhSession *
make_admin (SecurityFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GhAuthPolicy policy;
  GhSession *admin;

  gh_auth_get_policy (fixture->database, &policy);
  policy.kdf_iterations = SECURITY_TEST_KDF_ITERATIONS;
  g_assert_true (gh_auth_set_policy (fixture->database, fixture->system, &policy, &error));
  admin = gh_auth_create_first_administrator (fixture->database, "alice", OPERATOR_PASSWORD,
                                              "gui", &error);
  g_assert_no_error (error);

  return admin;
}

static void
assert_file_clean (const char *path,
                   const char *secret)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return;  /* e.g. no WAL left */

  if (security_test_contains (contents, len, secret))
    g_error ("“%s” found in %s", secret, path);
}

/* Every file in the data folder: database, -wal, -shm, keys. */
static guint
assert_dir_clean (const char *dir,
                  const char *secret)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);

    assert_file_clean (path, secret);
    n++;
  }

  return n;
}

/* First prove the scan can fail: text stored in the clear is found in the file or WAL. */
static void
test_scanner_sees_plain_text (SecurityFixture *fixture,
                              gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = make_admin (fixture);
  g_autoptr(GhDeviceStore) store = gh_device_store_new (fixture->database);
  g_autoptr(GhDevice) device = make_device ("vto", "Plain-Control-Name-5150", "10.0.0.5");
  g_autofree char *db = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *wal_path = g_strconcat (fixture->path, "-wal", NULL);
  gsize db_len = 0, wal_len = 0;

  gh_device_store_add (store, admin, device, &error);
  g_assert_no_error (error);

  g_file_get_contents (fixture->path, &db, &db_len, NULL);
  g_file_get_contents (wal_path, &wal, &wal_len, NULL);
  g_assert_true (security_test_contains (db, db_len, "Plain-Control-Name-5150") ||
                 security_test_contains (wal, wal_len, "Plain-Control-Name-5150"));
}

static void
test_no_plain_passwords (SecurityFixture *fixture,
                         gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = make_admin (fixture);
  g_autoptr(GhSession) session = NULL;
  g_autoptr(GhDeviceStore) store = gh_device_store_new (fixture->database);
  g_autoptr(GBytes) plain_export = NULL;
  g_autoptr(GBytes) sealed_export = NULL;
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GBytes) wrong = NULL;
  g_autoptr(GOutputStream) audit_csv = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) audit_json = g_memory_output_stream_new_resizable ();
  g_autofree char *exported_path = g_build_filename (fixture->dir, "devices.json", NULL);
  g_autofree char *sealed_path = g_build_filename (fixture->dir, "devices.ghbox", NULL);
  gint64 ids[G_N_ELEMENTS (device_passwords)];
  json_object *doc;
  json_object *devices;
  gsize len;
  const char *bytes;

  add_devices (fixture, admin, ids);

  /* Use the secrets the way the protocol layer does, and update a device. */
  for (guint i = 0; i < G_N_ELEMENTS (device_passwords); i++) {
    g_autofree char *secret = gh_device_secrets_dup (fixture->database, fixture->system, ids[i],
                                                     &error);

    g_assert_no_error (error);
    g_assert_cmpstr (secret, ==, device_passwords[i]);
  }
  {
    g_autoptr(GhDevice) device = gh_device_store_get (store, ids[0], &error);

    g_assert_no_error (error);
    gh_device_set_name (device, "Front gate");
    g_assert_true (gh_device_store_update (store, admin, device, &error));
    g_assert_no_error (error);
  }
  session = gh_auth_login (fixture->database, "alice", OPERATOR_PASSWORD, "cli", &error);
  g_assert_no_error (error);
  g_clear_object (&session);
  session = gh_auth_login (fixture->database, "alice", "Wrong-Guess-77", "cli", NULL);
  g_assert_null (session);

  /* The ordinary export carries no password at all. */
  plain_export = gh_device_secrets_export (fixture->database, admin, NULL, &error);
  g_assert_no_error (error);
  bytes = g_bytes_get_data (plain_export, &len);
  doc = json_tokener_parse (bytes);
  g_assert_nonnull (doc);
  g_assert_true (json_object_object_get_ex (doc, "devices", &devices));
  g_assert_cmpuint (json_object_array_length (devices), ==, G_N_ELEMENTS (device_passwords));
  g_assert_false (json_object_object_get_ex (json_object_array_get_idx (devices, 0), "password",
                                             NULL));
  json_object_put (doc);
  g_assert_true (g_file_set_contents (exported_path, bytes, len, NULL));

  /* Only on request, and then sealed with a passphrase. */
  sealed_export = gh_device_secrets_export (fixture->database, admin, "short", &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_assert_null (sealed_export);
  g_clear_error (&error);
  sealed_export = gh_device_secrets_export (fixture->database, admin, PASSPHRASE, &error);
  g_assert_no_error (error);
  bytes = g_bytes_get_data (sealed_export, &len);
  g_assert_true (g_file_set_contents (sealed_path, bytes, len, NULL));

  wrong = gh_device_secrets_open_export ("correct horse battery stapler", sealed_export, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_assert_null (wrong);
  g_clear_error (&error);
  opened = gh_device_secrets_open_export (PASSPHRASE, sealed_export, &error);
  g_assert_no_error (error);
  bytes = g_bytes_get_data (opened, &len);
  for (guint i = 0; i < G_N_ELEMENTS (device_passwords); i++)
    g_assert_true (security_test_contains (bytes, len, device_passwords[i]));

  /* Audit exports. */
  g_assert_true (gh_audit_log_export (fixture->database, admin, GH_AUDIT_EXPORT_CSV, audit_csv,
                                      NULL, &error));
  g_assert_true (gh_audit_log_export (fixture->database, admin, GH_AUDIT_EXPORT_JSON_LINES,
                                      audit_json, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (audit_csv, NULL, NULL);
  g_output_stream_close (audit_json, NULL, NULL);

  /* Scan while the database is open (the WAL holds the recent pages)… */
  for (guint i = 0; i < G_N_ELEMENTS (device_passwords); i++) {
    const char *secret = device_passwords[i];
    GMemoryOutputStream *csv = G_MEMORY_OUTPUT_STREAM (audit_csv);
    GMemoryOutputStream *json = G_MEMORY_OUTPUT_STREAM (audit_json);

    g_assert_cmpuint (assert_dir_clean (fixture->dir, secret), >=, 4);
    g_assert_false (security_test_contains (g_memory_output_stream_get_data (csv),
                                            g_memory_output_stream_get_data_size (csv), secret));
    g_assert_false (security_test_contains (g_memory_output_stream_get_data (json),
                                            g_memory_output_stream_get_data_size (json),
                                            secret));
    g_assert_null (strstr (captured->str, secret));
  }
  g_assert_cmpuint (assert_dir_clean (fixture->dir, OPERATOR_PASSWORD), >=, 4);
  g_assert_null (strstr (captured->str, OPERATOR_PASSWORD));

  /* …and after closing (checkpointed into the main file). */
  g_clear_object (&store);
  g_assert_finalize_object (g_steal_pointer (&fixture->database));
  for (guint i = 0; i < G_N_ELEMENTS (device_passwords); i++)
    assert_dir_clean (fixture->dir, device_passwords[i]);
  assert_dir_clean (fixture->dir, OPERATOR_PASSWORD);

  /* The log did see the work (so the capture works). */
  g_assert_nonnull (strstr (captured->str, "gh-database"));
}

/* A sealed password is bound to this data folder's key. */
static void
test_other_key (SecurityFixture *fixture,
                gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = make_admin (fixture);
  g_autoptr(GhDeviceStore) store = gh_device_store_new (fixture->database);
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *key_path = g_build_filename (fixture->dir, GH_KEY_STORE_FILE_NAME, NULL);
  gint64 ids[G_N_ELEMENTS (device_passwords)];

  add_devices (fixture, admin, ids);
  sealed = gh_device_store_get_secret (store, admin, ids[0], &error);
  g_assert_no_error (error);
  g_assert_nonnull (sealed);
  g_assert_cmpuint (g_bytes_get_size (sealed), ==,
                    1 + 12 + strlen (device_passwords[0]) + 16);

  /* The repository refuses a password that was not sealed. */
  {
    g_autoptr(GBytes) plain = g_bytes_new_static ("Plain-Password-1", 16);

    g_assert_false (gh_device_store_set_secret (store, admin, ids[0], plain, &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
    g_clear_error (&error);
  }

  /* Without the key store attached, nothing can be read or stored. */
  g_clear_object (&store);
  g_assert_finalize_object (g_steal_pointer (&fixture->database));
  fixture->database = gh_database_open (fixture->path, &error);
  g_assert_no_error (error);
  secret = gh_device_secrets_dup (fixture->database, admin, ids[0], &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_null (secret);
  g_clear_error (&error);
  g_assert_false (gh_device_secrets_set (fixture->database, admin, ids[0], "Another-Pass-11",
                                         &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_clear_error (&error);

  /* Guards never see device passwords, sealed or not. */
  {
    g_autoptr(GhSession) guard = gh_session_new (5, "gary", GH_ROLE_GUARD, "gui");

    g_assert_true (gh_key_store_attach (fixture->keys, fixture->database, &error));
    secret = gh_device_secrets_dup (fixture->database, guard, ids[0], &error);
    g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
  }

  secret = gh_device_secrets_dup (fixture->database, admin, ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, device_passwords[1]);
}

static void
test_pins (SecurityFixture *fixture,
           gconstpointer    data)
{
  const char *pin_a = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  const char *pin_b = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = make_admin (fixture);
  g_autoptr(GhSession) guard = gh_session_new (5, "gary", GH_ROLE_GUARD, "gui");
  g_autoptr(GhDeviceStore) store = gh_device_store_new (fixture->database);
  g_autofree char *pin = NULL;
  g_autofree char *subject = NULL;
  gint64 ids[G_N_ELEMENTS (device_passwords)];
  gboolean first = FALSE;

  add_devices (fixture, admin, ids);

  g_assert_true (gh_device_secrets_get_pin (fixture->database, guard, ids[0], &pin, NULL,
                                            &error));
  g_assert_null (pin);

  /* Bad input. */
  g_assert_false (gh_device_secrets_check_pin (fixture->database, guard, ids[0], "abc", NULL,
                                               NULL, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (gh_device_secrets_set_pin (fixture->database, admin, 9999, pin_a, NULL,
                                             &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* First use pins. */
  g_assert_true (gh_device_secrets_check_pin (fixture->database, guard, ids[0], pin_a,
                                              "CN=vto-front", &first, &error));
  g_assert_no_error (error);
  g_assert_true (first);
  g_assert_true (gh_device_secrets_check_pin (fixture->database, guard, ids[0], pin_a, NULL,
                                              &first, &error));
  g_assert_false (first);

  /* A changed certificate is refused with a clear message. */
  g_assert_false (gh_device_secrets_check_pin (fixture->database, guard, ids[0], pin_b, NULL,
                                               &first, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "certificate has changed"));
  g_clear_error (&error);
  g_assert_cmpint (security_test_count (fixture->database, "audit_log WHERE action = "
                                        "'device.certificate-mismatch'"), ==, 1);

  g_assert_true (gh_device_secrets_get_pin (fixture->database, guard, ids[0], &pin, &subject,
                                            &error));
  g_assert_cmpstr (pin, ==, pin_a);
  g_assert_cmpstr (subject, ==, "CN=vto-front");
  g_clear_pointer (&pin, g_free);

  /* An installer accepts the new certificate. */
  g_assert_false (gh_device_secrets_clear_pin (fixture->database, guard, ids[0], &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_true (gh_device_secrets_set_pin (fixture->database, admin, ids[0], pin_b, NULL,
                                            &error));
  g_assert_no_error (error);
  g_assert_true (gh_device_secrets_check_pin (fixture->database, guard, ids[0], pin_b, NULL,
                                              &first, &error));
  g_assert_true (gh_device_secrets_clear_pin (fixture->database, admin, ids[0], &error));
  g_assert_true (gh_device_secrets_check_pin (fixture->database, guard, ids[0], pin_a, NULL,
                                              &first, &error));
  g_assert_no_error (error);
  g_assert_true (first);

  /* Removing the device drops its pin. */
  g_assert_true (gh_device_store_remove (store, admin, ids[0], &error));
  g_assert_no_error (error);
  g_assert_cmpint (security_test_count (fixture->database, "device_certificates"), ==, 0);
}

/* A self-signed P-256 certificate; its key's SHA-256 computed with the openssl tool:
 * openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | sha256sum */
static const char test_cert[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBjTCCATOgAwIBAgIUWOOPfl4E28hmVF1JgRbjimnqjpowCgYIKoZIzj0EAwIw\n"
  "HDEaMBgGA1UEAwwRdnRvLWZyb250LmV4YW1wbGUwHhcNMjYxMTI1MTUzNDIxWhcN\n"
  "MzYxMTIyMTUzNDIxWjAcMRowGAYDVQQDDBF2dG8tZnJvbnQuZXhhbXBsZTBZMBMG\n"
  "ByqGSM49AgEGCCqGSM49AwEHA0IABFMnFLwlI87jlfdcd9fLJjQuhQb7aAHsMSNs\n"
  "PrsYg38PzksQFBS2qXN1xrdAeiLbm7mEDEJ9n7dY9NZdqZWB0sWjUzBRMB0GA1Ud\n"
  "DgQWBBRhBl+DqvZi59A+4PYytz1WwqwpmjAfBgNVHSMEGDAWgBRhBl+DqvZi59A+\n"
  "4PYytz1WwqwpmjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIFi/\n"
  "l5sFtmqNMh6ruG6WI5XAVoPavScgTPSETapPan9IAiEAlSAqm9h9HlgEq7kCt8En\n"
  "+nbY60BoE1ZyjS//HnkKIHA=\n"
  "-----END CERTIFICATE-----\n";
#define TEST_CERT_PIN  "d665178eaeb62db8b362788dcd067498fceae6b57d415f9fd8f40870eac0f721"
#define TEST_CERT_CURL "sha256//1mUXjq62LbizYniNzQZ0mPzq5rV9QV+f2PQIcOrA9yE="

static void
test_pin_from_certificate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *curl = NULL;
  g_autofree guchar *der = NULL;
  g_autofree char *der_pin = NULL;
  g_autofree char *body = NULL;
  g_autofree char *bad = NULL;
  gsize der_len = 0;

  pin = gh_device_secrets_pin_from_certificate ((const guint8 *)test_cert, strlen (test_cert),
                                                &subject, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pin, ==, TEST_CERT_PIN);
  g_assert_nonnull (strstr (subject, "vto-front.example"));

  curl = gh_device_secrets_pin_to_curl (pin);
  g_assert_cmpstr (curl, ==, TEST_CERT_CURL);
  g_assert_null (gh_device_secrets_pin_to_curl ("not a pin"));

  /* The same certificate in DER. */
  body = g_strndup (test_cert + strlen ("-----BEGIN CERTIFICATE-----\n"),
                    strlen (test_cert) - strlen ("-----BEGIN CERTIFICATE-----\n") -
                    strlen ("-----END CERTIFICATE-----\n"));
  der = g_base64_decode (body, &der_len);
  der_pin = gh_device_secrets_pin_from_certificate (der, der_len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (der_pin, ==, TEST_CERT_PIN);

  bad = gh_device_secrets_pin_from_certificate ((const guint8 *)"hello", 5, NULL, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_assert_null (bad);
}

int
main (int   argc,
      char *argv[])
{
  captured = g_string_new (NULL);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  security_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/security/secrets/" path, SecurityFixture, NULL, security_fixture_setup, func, \
              security_fixture_teardown)

  ADD ("scanner-sees-plain-text", test_scanner_sees_plain_text);
  ADD ("no-plain-passwords", test_no_plain_passwords);
  ADD ("other-key", test_other_key);
  ADD ("pins", test_pins);
  g_test_add_func ("/security/secrets/pin-from-certificate", test_pin_from_certificate);

  return g_test_run ();
}
