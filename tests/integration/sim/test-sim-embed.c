/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The library API that `gatehouse --demo` embeds: start the demo community in-process, reach a
 * device over loopback, stop it, and check that nothing outlives the community. */
#include "gh-sim-community.h"

#include <curl/curl.h>
#include <string.h>

typedef struct {
  char    *url;
  char    *userpwd;
  GString *body;
  long     status;
  gboolean done;
} Fetch;

static size_t
append_cb (char   *data,
           size_t  size,
           size_t  nmemb,
           void   *user_data)
{
  g_string_append_len (user_data, data, size * nmemb);
  return size * nmemb;
}

static gpointer
fetch_thread (gpointer user_data)
{
  Fetch *fetch = user_data;
  CURL *curl = curl_easy_init ();

  curl_easy_setopt (curl, CURLOPT_URL, fetch->url);
  curl_easy_setopt (curl, CURLOPT_USERPWD, fetch->userpwd);
  curl_easy_setopt (curl, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, append_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, fetch->body);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, 10000L);
  if (curl_easy_perform (curl) == CURLE_OK)
    curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &fetch->status);
  curl_easy_cleanup (curl);
  g_atomic_int_set (&fetch->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* The simulator lives on this thread's main loop; the client runs on another thread. */
static void
fetch (Fetch *f)
{
  GThread *thread = g_thread_new ("fetch", fetch_thread, f);
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  while (!g_atomic_int_get (&f->done) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  g_assert_true (f->done);
}

static void
test_demo (void)
{
  g_autoptr(GError) error = NULL;
  GhSimCommunity *community = gh_sim_community_new_demo ();
  GhSimDevice *vto = NULL;
  guint vtos = 0, vths = 0, fences = 0, vtss = 0;
  g_autofree char *control = NULL;

  g_assert_true (gh_sim_community_start (community, &error));
  g_assert_no_error (error);
  g_assert_true (gh_sim_community_is_running (community));
  control = gh_sim_community_dup_control_url (community);
  g_assert_true (g_str_has_prefix (control, "http://127.0.0.1:"));

  for (guint i = 0; i < gh_sim_community_get_n_devices (community); i++) {
    GhSimDevice *device = gh_sim_community_get_device (community, i);
    g_autofree char *http = gh_sim_device_dup_http_url (device);
    g_autofree char *rtsp = gh_sim_device_dup_rtsp_url (device);

    g_assert_true (g_str_has_prefix (http, "http://127.0.0.1:"));
    switch (gh_sim_device_get_kind (device)) {
    case GH_SIM_DEVICE_VTO:
      vtos++;
      g_assert_nonnull (rtsp);
      vto = vto ? vto : device;
      break;
    case GH_SIM_DEVICE_FENCE:
      fences++;
      g_assert_nonnull (rtsp);
      break;
    case GH_SIM_DEVICE_VTH:
      vths++;
      g_assert_null (rtsp);
      break;
    case GH_SIM_DEVICE_VTS:
    default:
      vtss++;
      break;
    }
  }
  g_assert_cmpuint (vtos, ==, 4);
  g_assert_cmpuint (fences, ==, 1);
  g_assert_cmpuint (vtss, ==, 1);
  g_assert_cmpuint (vths, >=, 8);
  g_assert_true (gh_sim_community_lookup (community, "VTO-1-1") == vto);

  {
    g_autofree char *base = gh_sim_device_dup_http_url (vto);
    Fetch f = { 0 };

    f.url = g_strconcat (base, "/cgi-bin/magicBox.cgi?action=getSerialNo", NULL);
    f.userpwd = g_strdup_printf ("%s:%s", gh_sim_device_get_username (vto),
                                 gh_sim_device_get_password (vto));
    f.body = g_string_new (NULL);
    fetch (&f);
    g_assert_cmpint (f.status, ==, 200);
    g_assert_true (g_str_has_prefix (f.body->str, "sn="));
    g_assert_true (strstr (f.body->str, gh_sim_device_get_serial (vto)) != NULL);
    g_free (f.url);
    g_free (f.userpwd);
    g_string_free (f.body, TRUE);
  }

  /* Devices can be driven directly too. */
  g_assert_true (gh_sim_device_ring (vto, "1101", &error));
  g_assert_no_error (error);
  g_assert_false (gh_sim_device_ring (vto, "1101", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (gh_sim_device_hang_up (vto, &error));

  gh_sim_community_stop (community);
  g_assert_false (gh_sim_community_is_running (community));
  g_assert_finalize_object (community);
}

static void
test_bad_description (void)
{
  g_autoptr(GError) error = NULL;
  GhSimCommunity *community;

  community = gh_sim_community_new_from_data ("{\"devices\":[{\"kind\":\"vto\"}]}", &error);
  g_assert_null (community);
  g_assert_nonnull (error);
  g_assert_true (strstr (error->message, "name") != NULL);
  g_clear_error (&error);
  community = gh_sim_community_new_from_data ("not json", &error);
  g_assert_null (community);
  g_assert_nonnull (error);
  g_clear_error (&error);
  community = gh_sim_community_new_from_file ("/nonexistent/community.json", &error);
  g_assert_null (community);
  g_assert_nonnull (error);
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);
  g_test_add_func ("/sim/embed/demo", test_demo);
  g_test_add_func ("/sim/embed/bad-description", test_bad_description);
  result = g_test_run ();
  curl_global_cleanup ();
  return result;
}
