/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CGI endpoints of the simulator, over real sockets with libcurl. */
#include "sim-test-util.h"

#include <curl/curl.h>
#include <string.h>

static SimProc *sim;

static size_t
discard_cb (char  *data,
            size_t size,
            size_t count,
            void  *user_data)
{
  return size * count;
}

static void
assert_body (SimReply   *reply,
             long        status,
             const char *body)
{
  g_assert_cmpint (reply->status, ==, status);
  g_assert_cmpstr (reply->body->str, ==, body);
}

static void
test_identity (void)
{
  g_autoptr(SimReply) type = sim_cgi (sim, "VTO-A", "/cgi-bin/magicBox.cgi?action=getDeviceType");
  g_autoptr(SimReply) info = sim_cgi (sim, "VTO-A", "/cgi-bin/magicBox.cgi?action=getSystemInfo");
  g_autoptr(SimReply) version = sim_cgi (sim, "VTO-A",
                                         "/cgi-bin/magicBox.cgi?action=getSoftwareVersion");
  g_autoptr(SimReply) sn = sim_cgi (sim, "VTO-A", "/cgi-bin/magicBox.cgi?action=getSerialNo");
  g_autoptr(SimReply) name = sim_cgi (sim, "VTO-A", "/cgi-bin/magicBox.cgi?action=getMachineName");
  g_autoptr(SimReply) bad = sim_cgi (sim, "VTO-A", "/cgi-bin/magicBox.cgi?action=nope");
  g_autoptr(SimReply) missing = sim_cgi (sim, "VTO-A", "/cgi-bin/nothing.cgi?action=x");
  g_autofree char *serial = sim_kv (info->body->str, "serialNumber");

  assert_body (type, 200, "type=VTO2211G-WP\r\n");
  g_assert_true (strstr (type->headers->str, "text/plain;charset=utf-8") != NULL);
  g_assert_cmpint (info->status, ==, 200);
  g_assert_cmpstr (serial, ==, "SIMVTOA0001");
  g_assert_true (g_str_has_prefix (version->body->str, "version=4.511.0000000.0.R,build:"));
  assert_body (sn, 200, "sn=SIMVTOA0001\r\n");
  assert_body (name, 200, "name=VTO-A\r\n");
  assert_body (bad, 400, "Error\r\nBad Request!\r\n");
  g_assert_cmpint (missing->status, ==, 404);
}

/* One TCP connection carries request after request, as on a device: the first request pays the
 * connection and the Digest challenge, the next ones reuse both. */
static void
test_keep_alive (void)
{
  g_autofree char *url = g_strconcat (sim_http (sim, "VTO-A"),
                                      "/cgi-bin/magicBox.cgi?action=getSerialNo", NULL);
  CURL *easy = curl_easy_init ();
  long connects = -1;
  long status = 0;
  double fastest = G_MAXDOUBLE;

  curl_easy_setopt (easy, CURLOPT_URL, url);
  curl_easy_setopt (easy, CURLOPT_USERPWD, "admin:admin123");
  curl_easy_setopt (easy, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, discard_cb);
  for (guint i = 0; i < 5; i++) {
    g_assert_cmpint (curl_easy_perform (easy), ==, CURLE_OK);
    curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &status);
    g_assert_cmpint (status, ==, 200);
    curl_easy_getinfo (easy, CURLINFO_NUM_CONNECTS, &connects);
    /* the first transfer opens the connection; every later one reuses it */
    g_assert_cmpint (connects, ==, i == 0 ? 1 : 0);
    if (i > 0) {
      double total = 0;

      curl_easy_getinfo (easy, CURLINFO_TOTAL_TIME, &total);
      fastest = MIN (fastest, total);
    }
  }
  /* A reply written as headers and body in two segments without TCP_NODELAY waits for the
   * client's delayed ACK: every request on a kept-alive connection then takes ≥ 40 ms. */
  g_assert_cmpfloat (fastest, <, 0.030);
  curl_easy_cleanup (easy);
}

/* The RTSP port of a door station answers through the community's shared acceptor. */
static void
test_rtsp_port (void)
{
  g_autoptr(GUri) uri = g_uri_parse (sim_field (sim, "VTO-A", "rtsp"), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  char reply[512] = { 0 };
  gssize n;

  g_assert_nonnull (uri);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL,
                                                &error);
  g_assert_no_error (error);
  request = g_strdup_printf ("OPTIONS %s RTSP/1.0\r\nCSeq: 1\r\n\r\n",
                             sim_field (sim, "VTO-A", "rtsp"));
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request,
                             strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)), reply,
                           sizeof reply - 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
  g_assert_true (g_str_has_prefix (reply, "RTSP/1.0 200 OK"));
  g_assert_nonnull (strstr (reply, "CSeq: 1"));
}

/* store_us_per_record: a device takes time to write what it is given; the reply waits, the
 * device keeps serving other requests meanwhile. */
static void
test_store_time (void)
{
  SimProc *slow = sim_proc_start (
    "{\"defaults\":{\"store_us_per_record\":100000},\"devices\":["
    "{\"name\":\"VTO-S\",\"kind\":\"vto\",\"number\":\"8001\"}]}", NULL);
  const char *users = "{\"UserList\":[{\"UserID\":\"S1\",\"UserName\":\"One\"},"
                      "{\"UserID\":\"S2\",\"UserName\":\"Two\"},"
                      "{\"UserID\":\"S3\",\"UserName\":\"Three\"}]}";
  g_autoptr(SimReply) reply = NULL;
  gint64 start = g_get_monotonic_time ();

  reply = sim_cgi_post (slow, "VTO-S", "/cgi-bin/AccessUser.cgi?action=insertMulti", users);
  g_assert_cmpint (reply->status, ==, 200);
  /* three records at 100 ms each */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  sim_proc_stop (slow);
}

static void
test_digest_challenge (void)
{
  g_autofree char *url = g_strconcat (sim_http (sim, "VTO-A"),
                                      "/cgi-bin/magicBox.cgi?action=getSerialNo", NULL);
  g_autoptr(SimReply) anon = sim_get (url, SIM_AUTH_NONE, NULL, NULL);
  g_autoptr(SimReply) wrong = NULL;

  g_assert_cmpint (anon->status, ==, 401);
  g_assert_true (strstr (anon->headers->str,
                         "WWW-Authenticate: Digest realm=\"Login to SIMVTOA0001\", qop=\"auth\"")
                 != NULL);
  g_assert_true (strstr (anon->headers->str, "opaque=\"") != NULL);
  wrong = sim_get (url, SIM_AUTH_DIGEST, "admin", "wrong");
  g_assert_cmpint (wrong->status, ==, 401);
  /* Basic is refused by a digest device */
  {
    g_autoptr(SimReply) basic = sim_get (url, SIM_AUTH_BASIC, "admin", "admin123");

    g_assert_cmpint (basic->status, ==, 401);
  }
}

static void
test_lockout (void)
{
  g_autofree char *url = g_strconcat (sim_http (sim, "VTO-LOCK"),
                                      "/cgi-bin/magicBox.cgi?action=getSerialNo", NULL);

  for (guint i = 0; i < 3; i++) {
    g_autoptr(SimReply) wrong = sim_get (url, SIM_AUTH_DIGEST, "admin", "guess");

    g_assert_cmpint (wrong->status, ==, 401);
  }
  {
    /* Locked: even the right password is refused until the lock time passes. */
    g_autoptr(SimReply) locked = sim_get (url, SIM_AUTH_DIGEST, "admin", "admin123");

    g_assert_cmpint (locked->status, ==, 401);
    g_assert_true (strstr (locked->body->str, "locked") != NULL);
  }
  g_usleep (2300 * 1000);
  {
    g_autoptr(SimReply) ok = sim_get (url, SIM_AUTH_DIGEST, "admin", "admin123");

    assert_body (ok, 200, "sn=SIMVTOL0003\r\n");
  }
}

static void
test_basic_only (void)
{
  g_autofree char *url = g_strconcat (sim_http (sim, "VTO-BASIC"),
                                      "/cgi-bin/magicBox.cgi?action=getDeviceType", NULL);
  g_autoptr(SimReply) anon = sim_get (url, SIM_AUTH_NONE, NULL, NULL);
  g_autoptr(SimReply) digest = sim_get (url, SIM_AUTH_DIGEST, "admin", "basic99");
  g_autoptr(SimReply) basic = sim_get (url, SIM_AUTH_BASIC, "admin", "basic99");
  g_autoptr(SimReply) wrong = sim_get (url, SIM_AUTH_BASIC, "admin", "nope");

  g_assert_cmpint (anon->status, ==, 401);
  g_assert_true (strstr (anon->headers->str,
                         "WWW-Authenticate: Basic realm=\"Device_CGI\"") != NULL);
  g_assert_cmpint (digest->status, ==, 401);
  g_assert_cmpint (basic->status, ==, 200);
  g_assert_cmpint (wrong->status, ==, 401);
}

static void
test_time (void)
{
  g_autoptr(SimReply) set = sim_cgi (sim, "VTH-1101", "/cgi-bin/global.cgi?action=setCurrentTime"
                                     "&time=2030-01-02%2003:04:05");
  g_autoptr(SimReply) get = sim_cgi (sim, "VTH-1101", "/cgi-bin/global.cgi?action=getCurrentTime");
  g_autoptr(SimReply) bad = sim_cgi (sim, "VTH-1101",
                                     "/cgi-bin/global.cgi?action=setCurrentTime&time=tomorrow");

  assert_body (set, 200, "OK\r\n");
  g_assert_true (g_str_has_prefix (get->body->str, "result=2030-01-02 03:04:0"));
  g_assert_cmpint (bad->status, ==, 400);
}

static void
test_config (void)
{
  g_autoptr(SimReply) ac = sim_cgi (sim, "VTO-A", "/cgi-bin/configManager.cgi?action=getConfig"
                                    "&name=AccessControl");
  g_autoptr(SimReply) unknown = sim_cgi (sim, "VTO-A",
                                         "/cgi-bin/configManager.cgi?action=getConfig&name=Bogus");
  g_autoptr(SimReply) prefixed = sim_cgi (sim, "VTO-A",
                                          "/cgi-bin/configManager.cgi?action=setConfig"
                                          "&table.VideoTalkPhoneGeneral.AutoRecordEnable=false");
  g_autoptr(SimReply) bad_name = sim_cgi (sim, "VTO-A",
                                          "/cgi-bin/configManager.cgi?action=setConfig"
                                          "&Bogus.Key=1");
  g_autoptr(SimReply) set = sim_cgi (sim, "VTO-A", "/cgi-bin/configManager.cgi?action=setConfig"
                                     "&VideoTalkPhoneGeneral.AutoRecordEnable=0"
                                     "&AccessControl%5B0%5D.UnlockHoldInterval=5");
  g_autoptr(SimReply) vtpg = sim_cgi (sim, "VTO-A", "/cgi-bin/configManager.cgi?action=getConfig"
                                      "&name=VideoTalkPhoneGeneral");
  g_autoptr(SimReply) sip = sim_cgi (sim, "VTO-A",
                                     "/cgi-bin/configManager.cgi?action=getConfig&name=SIP");
  g_autoptr(SimReply) encode = sim_cgi (sim, "VTO-A",
                                        "/cgi-bin/configManager.cgi?action=getConfig&name=Encode");
  g_autoptr(SimReply) ac2 = NULL;
  g_autofree char *door = sim_kv (ac->body->str, "table.AccessControl[0].Name");
  g_autofree char *record = NULL;
  g_autofree char *user_id = sim_kv (sip->body->str, "table.SIP.UserID");
  g_autofree char *codec = sim_kv (encode->body->str,
                                   "table.Encode[0].MainFormat[0].Audio.Compression");
  g_autofree char *hold = NULL;

  g_assert_cmpint (ac->status, ==, 200);
  g_assert_cmpstr (door, ==, "Door1");
  g_assert_cmpint (unknown->status, ==, 400);
  g_assert_true (g_str_has_prefix (unknown->body->str, "Error"));
  assert_body (prefixed, 400, "Error\r\nBad Request!\r\n");
  assert_body (bad_name, 400, "Error\r\nBad Request!\r\n");
  assert_body (set, 200, "OK\r\n");
  record = sim_kv (vtpg->body->str, "table.VideoTalkPhoneGeneral.AutoRecordEnable");
  g_assert_cmpstr (record, ==, "false"); /* 0 accepted, stored with the device's type */
  g_assert_cmpstr (user_id, ==, "8001");
  g_assert_cmpstr (codec, ==, "G.711A");
  ac2 = sim_cgi (sim, "VTO-A", "/cgi-bin/configManager.cgi?action=getConfig&name=AccessControl");
  hold = sim_kv (ac2->body->str, "table.AccessControl[0].UnlockHoldInterval");
  g_assert_cmpstr (hold, ==, "5");
  {
    g_autoptr(SimReply) back = sim_cgi (sim, "VTO-A", "/cgi-bin/configManager.cgi?action=setConfig"
                                        "&AccessControl%5B0%5D.UnlockHoldInterval=2");

    g_assert_cmpint (back->status, ==, 200);
  }
}

static void
test_snapshot (void)
{
  g_autoptr(SimReply) vto = sim_cgi (sim, "VTO-A", "/cgi-bin/snapshot.cgi?channel=1");
  g_autoptr(SimReply) bare = sim_cgi (sim, "FENCE-1", "/cgi-bin/snapshot.cgi");

  g_assert_cmpint (vto->status, ==, 200);
  g_assert_true (strstr (vto->headers->str, "image/jpeg") != NULL);
  g_assert_cmpuint (vto->body->len, >, 2000);
  g_assert_cmpint ((guchar) vto->body->str[0], ==, 0xff);
  g_assert_cmpint ((guchar) vto->body->str[1], ==, 0xd8);
  g_assert_cmpint (bare->status, ==, 200);
  g_assert_cmpint ((guchar) bare->body->str[0], ==, 0xff);
}

static void
test_audio (void)
{
  g_autofree char *url = g_strconcat (sim_http (sim, "VTO-A"), "/cgi-bin/audio.cgi?action=postAudio"
                                      "&httptype=singlepart&channel=1", NULL);
  g_autoptr(GByteArray) audio = g_byte_array_new ();
  g_autoptr(SimReply) reply = NULL;
  g_autoptr(SimReply) stored = NULL;
  g_autofree char *ctl_url = g_strdup_printf ("%s/devices/VTO-A/audio", sim->control);

  for (guint i = 0; i < 4000; i++) {
    guint8 b = (i * 7) & 0xff;

    g_byte_array_append (audio, &b, 1);
  }
  reply = sim_post (url, SIM_AUTH_DIGEST, "admin", "admin123", "Audio/G.711A",
                    (const char *) audio->data, audio->len);
  assert_body (reply, 200, "OK\r\n");
  stored = sim_get (ctl_url, SIM_AUTH_NONE, NULL, NULL);
  g_assert_cmpuint (stored->body->len, ==, 4000);
  g_assert_cmpmem (stored->body->str, stored->body->len, audio->data, audio->len);
  {
    /* Wrong credentials: nothing is recorded. */
    g_autoptr(SimReply) denied = sim_post (url, SIM_AUTH_DIGEST, "admin", "bad", "Audio/G.711A",
                                           "xxxx", 4);
    g_autoptr(SimReply) again = sim_get (ctl_url, SIM_AUTH_NONE, NULL, NULL);

    g_assert_cmpint (denied->status, ==, 401);
    g_assert_cmpuint (again->body->len, ==, 4000);
  }
}

static void
test_door (void)
{
  g_autoptr(SimReply) open = sim_cgi (sim, "FENCE-1", "/cgi-bin/accessControl.cgi?action=openDoor"
                                      "&channel=1&UserID=7");
  g_autoptr(SimReply) status = sim_cgi (sim, "FENCE-1", "/cgi-bin/accessControl.cgi"
                                        "?action=getDoorStatus&channel=1");
  g_autoptr(SimReply) closed = NULL;
  g_autoptr(SimReply) bad = sim_cgi (sim, "FENCE-1",
                                     "/cgi-bin/accessControl.cgi?action=openDoor&channel=2");
  g_autoptr(SimReply) vth = sim_cgi (sim, "VTH-1101",
                                     "/cgi-bin/accessControl.cgi?action=openDoor&channel=1");

  assert_body (open, 200, "OK\r\n");
  assert_body (status, 200, "Info.status=Open\r\n");
  g_usleep (600 * 1000);
  closed = sim_cgi (sim, "FENCE-1", "/cgi-bin/accessControl.cgi?action=getDoorStatus&channel=1");
  assert_body (closed, 200, "Info.status=Close\r\n");
  g_assert_cmpint (bad->status, ==, 400);
  g_assert_cmpint (vth->status, ==, 400);
}

static void
test_endpoint_lines (void)
{
  g_assert_cmpstr (sim_field (sim, "VTO-A", "kind"), ==, "vto");
  g_assert_cmpstr (sim_field (sim, "VTO-A", "number"), ==, "8001");
  g_assert_cmpstr (sim_field (sim, "VTO-A", "username"), ==, "admin");
  g_assert_cmpstr (sim_field (sim, "VTO-A", "password"), ==, "admin123");
  g_assert_true (g_str_has_prefix (sim_field (sim, "VTO-A", "http"), "http://127.0.0.1:"));
  g_assert_true (g_str_has_prefix (sim_field (sim, "VTO-A", "rtsp"), "rtsp://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (sim_field (sim, "VTO-A", "rtsp"),
                                   "/cam/realmonitor?channel=1&subtype=0"));
  g_assert_nonnull (sim_field (sim, "FENCE-1", "rtsp"));
  g_assert_null (sim_field (sim, "VTH-1101", "rtsp"));
  g_assert_null (sim_field (sim, "VTS-1", "rtsp"));
  g_assert_cmpstr (sim_field (sim, "VTS-1", "kind"), ==, "vts");
  g_assert_cmpstr (sim_field (sim, "VTO-BASIC", "auth"), ==, "basic");
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);
  sim = sim_proc_start (SIM_TEST_COMMUNITY, NULL);

  g_test_add_func ("/sim/http/endpoint-lines", test_endpoint_lines);
  g_test_add_func ("/sim/http/identity", test_identity);
  g_test_add_func ("/sim/http/digest-challenge", test_digest_challenge);
  g_test_add_func ("/sim/http/keep-alive", test_keep_alive);
  g_test_add_func ("/sim/http/rtsp-port", test_rtsp_port);
  g_test_add_func ("/sim/http/store-time", test_store_time);
  g_test_add_func ("/sim/http/lockout", test_lockout);
  g_test_add_func ("/sim/http/basic-only", test_basic_only);
  g_test_add_func ("/sim/http/time", test_time);
  g_test_add_func ("/sim/http/config", test_config);
  g_test_add_func ("/sim/http/snapshot", test_snapshot);
  g_test_add_func ("/sim/http/audio", test_audio);
  g_test_add_func ("/sim/http/door", test_door);
  result = g_test_run ();

  sim_proc_stop (sim);
  curl_global_cleanup ();
  return result;
}
