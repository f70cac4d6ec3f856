/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-pinning"

#include "config.h"

#include "gh-device-config.h"
#include "gh-device-secrets.h"
#include "gh-device-store.h"
#include "gh-driver.h"
#include "gh-error.h"
#include "gh-http.h"
#include "gh-key-store.h"
#include "sim-test-util.h"

#include <curl/curl.h>
#include <glib/gstdio.h>
#include <string.h>

/* HTTPS to devices with the key pinned on first use, against gatehouse-sim in HTTPS mode:
 * the simulator generates a self-signed certificate and can replace it ("rotate") as if the
 * device had been swapped. */

#define COMMUNITY \
  "{\"defaults\":{\"username\":\"admin\",\"password\":\"admin123\"}," \
  "\"devices\":[" \
  "{\"name\":\"VTO-TLS\",\"kind\":\"vto\",\"number\":\"8001\",\"serial\":\"SIMTLS0001\"," \
  "\"https\":true}," \
  "{\"name\":\"VTO-PLAIN\",\"kind\":\"vto\",\"number\":\"8002\",\"serial\":\"SIMPLAIN002\"}" \
  "]}"

static SimProc *sim;
static char *dir;
static GhDatabase *database;
static GhSession *session;

typedef struct {
  GhProbeInfo *info;
  GError      *error;
  gboolean     done;
} Wait;

static void
spin_until (gboolean *flag,
            guint     ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (!*flag) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  }
}

static json_object *
tls_state (const char *device)
{
  long status = 0;
  json_object *obj = sim_ctl (sim, device, "tls", NULL, &status);

  g_assert_cmpint (status, ==, 200);
  g_assert_nonnull (obj);
  return obj;
}

static const char *
obj_str (json_object *obj,
         const char  *key)
{
  json_object *v = NULL;

  g_assert_true (json_object_object_get_ex (obj, key, &v));
  return json_object_get_string (v);
}

static int
obj_int (json_object *obj,
         const char  *key)
{
  json_object *v = NULL;

  g_assert_true (json_object_object_get_ex (obj, key, &v));
  return json_object_get_int (v);
}

/* The simulator's current key in the store's form (hex of the SPKI SHA-256). */
static char *
sim_pin_hex (const char *device)
{
  g_autoptr(json_object) tls = tls_state (device);
  const char *pin = obj_str (tls, "pin");
  g_autofree guchar *raw = NULL;
  gsize len = 0;
  GString *hex = g_string_new (NULL);

  g_assert_true (g_str_has_prefix (pin, "sha256//"));
  raw = g_base64_decode (pin + strlen ("sha256//"), &len);
  g_assert_cmpuint (len, ==, 32);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", raw[i]);
  return g_string_free (hex, FALSE);
}

static char *
stored_pin (gint64 id)
{
  g_autoptr(GError) error = NULL;
  char *pin = NULL;

  g_assert_true (gh_device_secrets_get_pin (database, session, id, &pin, NULL, &error));
  g_assert_no_error (error);
  return pin;
}

static gint64
add_device (const char *name)
{
  g_autoptr(GhDeviceStore) store = gh_device_store_new (database);
  g_autoptr(GhDevice) device = gh_device_new ();
  g_autoptr(GUri) uri = g_uri_parse (sim_http (sim, name), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GError) error = NULL;
  gint64 id;

  gh_device_set_name (device, name);
  gh_device_set_kind (device, "vto");
  gh_device_set_host (device, g_uri_get_host (uri));
  gh_device_set_port (device, g_uri_get_port (uri));
  gh_device_set_username (device, "admin");
  gh_device_set_driver (device, "dahua");
  id = gh_device_store_add (store, session, device, &error);
  g_assert_no_error (error);
  g_assert_true (gh_device_secrets_set (database, session, id, "admin123", &error));
  g_assert_no_error (error);
  return id;
}

/* As the sync engine does for a stored device: config, password, pinning. */
static GhDriver *
driver_for (const char *name,
            gint64      id)
{
  g_autoptr(GUri) uri = g_uri_parse (sim_http (sim, name), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GhDeviceConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  GhDriver *driver;

  config = gh_device_config_new ("dahua", g_uri_get_host (uri), g_uri_get_port (uri), "admin",
                                 "admin123");
  config->use_https = g_str_equal (g_uri_get_scheme (uri), "https");
  config->verify_tls = FALSE; /* self-signed: the pin is the trust */
  config->timeout_ms = 5000;
  g_assert_true (gh_device_config_set_pinning (config, database, session, id, name, &error));
  g_assert_no_error (error);
  driver = gh_driver_new (config, &error);
  g_assert_no_error (error);
  return driver;
}

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *w = user_data;

  w->info = gh_driver_probe_finish (GH_DRIVER (source), result, &w->error);
  w->done = TRUE;
}

static GhProbeInfo *
probe (GhDriver  *driver,
       GError   **error)
{
  Wait w = { 0 };

  gh_driver_probe_async (driver, NULL, probe_cb, &w);
  spin_until (&w.done, 15000);
  if (w.error)
    g_propagate_error (error, w.error);
  return w.info;
}

/* libcurl straight at the simulator: HTTPS mode, the pin it reports, rotation. */
static long
curl_get (const char *url,
          const char *pin,
          gboolean    credentials)
{
  CURL *easy = curl_easy_init ();
  long code = 0;
  CURLcode rc;

  curl_easy_setopt (easy, CURLOPT_URL, url);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, fwrite);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, stderr);
  if (pin)
    curl_easy_setopt (easy, CURLOPT_PINNEDPUBLICKEY, pin);
  if (credentials) {
    curl_easy_setopt (easy, CURLOPT_HTTPAUTH, (long) CURLAUTH_DIGEST);
    curl_easy_setopt (easy, CURLOPT_USERPWD, "admin:admin123");
  }
  rc = curl_easy_perform (easy);
  if (rc == CURLE_OK)
    curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &code);
  else
    code = -(long) rc;
  curl_easy_cleanup (easy);
  return code;
}

static size_t
append_cb (char   *data,
           size_t  size,
           size_t  n,
           void   *user_data)
{
  g_string_append_len (user_data, data, size * n);
  return size * n;
}

/* The multipart event stream goes through the TLS layer too. */
static void
test_sim_https_events (void)
{
  g_autofree char *url = g_strconcat (sim_http (sim, "VTO-TLS"),
                                      "/cgi-bin/eventManager.cgi?action=attach&codes=%5BAll%5D"
                                      "&heartbeat=1", NULL);
  g_autoptr(GString) body = g_string_new (NULL);
  CURL *easy = curl_easy_init ();
  CURLcode rc;

  curl_easy_setopt (easy, CURLOPT_URL, url);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt (easy, CURLOPT_HTTPAUTH, (long) CURLAUTH_DIGEST);
  curl_easy_setopt (easy, CURLOPT_USERPWD, "admin:admin123");
  curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, 2500L);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, append_cb);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, body);
  rc = curl_easy_perform (easy);
  curl_easy_cleanup (easy);
  g_assert_cmpint (rc, ==, CURLE_OPERATION_TIMEDOUT); /* the stream stays open */
  g_assert_nonnull (strstr (body->str, "--myboundary\r\nContent-Type: text/plain\r\n"
                                       "Content-Length: 9\r\n\r\nHeartbeat"));
}

/* --https turns every device of a community to HTTPS. */
static void
test_sim_https_flag (void)
{
  const char *const args[] = { "--https", NULL };
  SimProc *all = sim_proc_start (COMMUNITY, args);
  g_autofree char *url = g_strconcat (sim_http (all, "VTO-PLAIN"),
                                      "/cgi-bin/magicBox.cgi?action=getSystemInfo", NULL);

  g_assert_true (g_str_has_prefix (sim_http (all, "VTO-TLS"), "https://"));
  g_assert_true (g_str_has_prefix (url, "https://"));
  g_assert_cmpint (curl_get (url, NULL, TRUE), ==, 200);
  sim_proc_stop (all);
}

static void
test_sim_https (void)
{
  g_autofree char *url = g_strconcat (sim_http (sim, "VTO-TLS"),
                                      "/cgi-bin/magicBox.cgi?action=getSystemInfo", NULL);
  g_autoptr(json_object) before = tls_state ("VTO-TLS");
  g_autoptr(json_object) after = NULL;
  g_autoptr(json_object) plain = tls_state ("VTO-PLAIN");
  g_autoptr(json_object) refused = NULL;
  g_autofree char *old_pin = g_strdup (obj_str (before, "pin"));
  long status = 0;

  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));
  g_assert_true (g_str_has_prefix (sim_http (sim, "VTO-PLAIN"), "http://"));
  g_assert_false (json_object_get_boolean (json_object_object_get (plain, "https")));

  g_assert_cmpint (curl_get (url, old_pin, TRUE), ==, 200);
  g_assert_cmpint (curl_get (url, "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", TRUE),
                   ==, -(long) CURLE_SSL_PINNEDPUBKEYNOTMATCH);

  g_clear_pointer (&refused, json_object_put);
  refused = sim_ctl (sim, "VTO-TLS", "rotate-certificate", "{}", &status);
  g_assert_cmpint (status, ==, 200);
  after = tls_state ("VTO-TLS");
  g_assert_cmpstr (obj_str (after, "pin"), !=, old_pin);
  g_assert_cmpint (obj_int (after, "rotations"), ==, 1);
  g_assert_cmpint (obj_int (after, "credentialed_requests"), ==, 0);
  g_assert_cmpint (curl_get (url, old_pin, TRUE), ==, -(long) CURLE_SSL_PINNEDPUBKEYNOTMATCH);
  g_assert_cmpint (curl_get (url, obj_str (after, "pin"), FALSE), ==, 401);
  g_assert_cmpint (curl_get (url, obj_str (after, "pin"), TRUE), ==, 200);
  g_clear_pointer (&after, json_object_put);
  after = tls_state ("VTO-TLS");
  g_assert_cmpint (obj_int (after, "credentialed_requests"), ==, 1);

  /* A plain HTTP device has no certificate to rotate */
  g_clear_pointer (&refused, json_object_put);
  refused = sim_ctl (sim, "VTO-PLAIN", "rotate-certificate", "{}", &status);
  g_assert_cmpint (status, ==, 400);
  g_assert_nonnull (strstr (obj_str (refused, "error"), "plain HTTP"));
}

static void
test_pin_on_first_use (void)
{
  gint64 id = add_device ("VTO-TLS");
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *expected = sim_pin_hex ("VTO-TLS");
  g_autofree char *after_rotation = NULL;
  g_autofree char *repinned = NULL;
  g_autoptr(json_object) tls = NULL;
  g_autoptr(GhDriver) first = NULL;
  g_autoptr(GhDriver) second = NULL;
  g_autoptr(GhDriver) third = NULL;
  g_autoptr(GhDriver) fourth = NULL;
  GhProbeInfo *info;
  long status = 0;

  g_assert_null (stored_pin (id));

  /* First use: the key is pinned */
  first = driver_for ("VTO-TLS", id);
  info = probe (first, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->serial, ==, "SIMTLS0001");
  gh_probe_info_free (info);
  pin = stored_pin (id);
  g_assert_cmpstr (pin, ==, expected);

  /* Same certificate: a new driver with the stored pin connects */
  second = driver_for ("VTO-TLS", id);
  info = probe (second, &error);
  g_assert_no_error (error);
  gh_probe_info_free (info);

  /* The device is replaced: every request is refused before credentials go out */
  json_object_put (sim_ctl (sim, "VTO-TLS", "rotate-certificate", "{}", &status));
  g_assert_cmpint (status, ==, 200);
  for (guint i = 0; i < 2; i++) {
    GhDriver *driver = i == 0 ? second : first;

    info = probe (driver, &error);
    g_assert_null (info);
    g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
    g_assert_nonnull (strstr (error->message, "The certificate of VTO-TLS changed since it was "
                                              "first seen"));
    g_assert_nonnull (strstr (error->message, "clear its certificate pin"));
    g_clear_error (&error);
  }
  third = driver_for ("VTO-TLS", id);
  info = probe (third, &error);
  g_assert_null (info);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_clear_error (&error);
  tls = tls_state ("VTO-TLS");
  g_assert_cmpint (obj_int (tls, "credentialed_requests"), ==, 0);
  after_rotation = stored_pin (id);
  g_assert_cmpstr (after_rotation, ==, expected); /* the old pin stays */

  /* An installer clears the pin: the next connection pins the new key */
  g_assert_true (gh_device_secrets_clear_pin (database, session, id, &error));
  g_assert_no_error (error);
  fourth = driver_for ("VTO-TLS", id);
  info = probe (fourth, &error);
  g_assert_no_error (error);
  gh_probe_info_free (info);
  repinned = stored_pin (id);
  g_free (expected);
  expected = sim_pin_hex ("VTO-TLS");
  g_assert_cmpstr (repinned, ==, expected);
  g_assert_cmpstr (repinned, !=, pin);
}

static void
test_plain_http_unchanged (void)
{
  gint64 id = add_device ("VTO-PLAIN");
  g_autoptr(GhDriver) driver = driver_for ("VTO-PLAIN", id);
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;
  GhProbeInfo *info;

  info = probe (driver, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->serial, ==, "SIMPLAIN002");
  gh_probe_info_free (info);
  pin = stored_pin (id);
  g_assert_null (pin);
}

/* The HTTP layer alone: a wrong pin fails the handshake with a clear error, nothing sent. */
typedef struct {
  GhHttpResponse *response;
  GError         *error;
  gboolean        done;
} SendWait;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendWait *w = user_data;

  w->response = gh_http_send_finish (GH_HTTP (source), result, &w->error);
  w->done = TRUE;
}

static void
test_http_pin_mismatch (void)
{
  g_autofree char *url = g_strconcat (sim_http (sim, "VTO-TLS"),
                                      "/cgi-bin/magicBox.cgi?action=getSystemInfo", NULL);
  g_autoptr(json_object) before = NULL;
  g_autoptr(json_object) after = NULL;
  GhHttpRequest req = { 0 };
  SendWait w = { 0 };

  json_object_put (sim_ctl (sim, "VTO-TLS", "rotate-certificate", "{}", NULL));
  before = tls_state ("VTO-TLS");
  req.url = url;
  req.username = "admin";
  req.password = "admin123";
  req.timeout_ms = 5000;
  req.tls_pin = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  gh_http_send_async (gh_http_get_default (), &req, NULL, send_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_null (w.response);
  g_assert_error (w.error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (w.error->message, "changed since it was first seen"));
  g_clear_error (&w.error);
  after = tls_state ("VTO-TLS");
  g_assert_cmpint (obj_int (after, "credentialed_requests"), ==, 0);

  /* the right pin works */
  memset (&w, 0, sizeof w);
  req.tls_pin = obj_str (before, "pin");
  gh_http_send_async (gh_http_get_default (), &req, NULL, send_cb, &w);
  spin_until (&w.done, 10000);
  g_assert_no_error (w.error);
  g_assert_cmpuint (w.response->status, ==, 200);
  gh_http_response_free (w.response);
}

static void
remove_tree (const char *path)
{
  GDir *d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
      remove_tree (child);
    else
      g_remove (child);
  }
  if (d)
    g_dir_close (d);
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeyStore) keys = NULL;
  g_autofree char *db_path = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("gh-pinning-XXXXXX", &error);
  g_assert_no_error (error);
  keys = gh_key_store_open_full (dir, GH_KEY_STORE_FLAGS_NO_KEYRING, 0, &error);
  g_assert_no_error (error);
  db_path = g_build_filename (dir, "gatehouse.db", NULL);
  database = gh_key_store_open_database (keys, db_path, &error);
  g_assert_no_error (error);
  session = gh_session_new_system ("pinning");
  sim = sim_proc_start (COMMUNITY, NULL);

  g_test_add_func ("/pinning/sim-https", test_sim_https);
  g_test_add_func ("/pinning/sim-https-events", test_sim_https_events);
  g_test_add_func ("/pinning/sim-https-flag", test_sim_https_flag);
  g_test_add_func ("/pinning/first-use", test_pin_on_first_use);
  g_test_add_func ("/pinning/plain-http", test_plain_http_unchanged);
  g_test_add_func ("/pinning/http-pin-mismatch", test_http_pin_mismatch);
  rc = g_test_run ();

  sim_proc_stop (sim);
  g_clear_object (&session);
  g_clear_object (&database);
  remove_tree (dir);
  g_free (dir);
  return rc;
}
