/* SPDX-License-Identifier: GPL-3.0-or-later */
/* /RPC2_Login and /RPC2: two-step login, sessions, call control, door, config, record paging. */
#include "sim-test-util.h"

#include <curl/curl.h>
#include <string.h>

static SimProc *sim;

static json_object *
rpc (const char *device,
     const char *path,
     const char *json)
{
  g_autofree char *url = g_strconcat (sim_http (sim, device), path, NULL);
  g_autoptr(SimReply) reply = sim_post (url, SIM_AUTH_NONE, NULL, NULL, "application/json", json,
                                        strlen (json));
  json_object *obj;

  g_assert_cmpint (reply->status, ==, 200);
  obj = json_tokener_parse (reply->body->str);
  g_assert_nonnull (obj);
  return obj;
}

static gint64
error_code (json_object *reply)
{
  json_object *error, *code;

  if (!json_object_object_get_ex (reply, "error", &error))
    return 0;
  g_assert_true (json_object_object_get_ex (error, "code", &code));
  return json_object_get_int64 (code);
}

static const char *
path_str (json_object *obj,
          const char  *a,
          const char  *b)
{
  json_object *x, *y;

  g_assert_true (json_object_object_get_ex (obj, a, &x));
  if (b == NULL)
    return json_object_get_string (x);
  g_assert_true (json_object_object_get_ex (x, b, &y));
  return json_object_get_string (y);
}

static char *
md5_upper (const char *text)
{
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_MD5, text, -1);

  return g_ascii_strup (hex, -1);
}

/* Logs in with the Default scheme and returns the session, or 0 with *code set on failure. */
static gint64
login (const char *device,
       const char *user,
       const char *password,
       gint64     *code)
{
  g_autoptr(json_object) challenge = rpc (device, "/RPC2_Login",
                                          "{\"method\":\"global.login\",\"params\":{\"userName\":"
                                          "\"admin\",\"password\":\"\",\"clientType\":\"Web3.0\","
                                          "\"loginType\":\"Direct\"},\"id\":1}");
  g_autofree char *ha1_in = NULL, *ha1 = NULL, *pass_in = NULL, *pass = NULL, *second = NULL;
  g_autoptr(json_object) reply = NULL;
  json_object *session, *result;
  const char *realm, *random;

  g_assert_cmpint (error_code (challenge), ==, 268632079);
  g_assert_cmpstr (path_str (challenge, "params", "encryption"), ==, "Default");
  realm = path_str (challenge, "params", "realm");
  random = path_str (challenge, "params", "random");
  g_assert_true (g_str_has_prefix (realm, "Login to "));
  g_assert_true (json_object_object_get_ex (challenge, "session", &session));
  g_assert_cmpint (json_object_get_int64 (session), !=, 0);

  ha1_in = g_strdup_printf ("%s:%s:%s", user, realm, password);
  ha1 = md5_upper (ha1_in);
  pass_in = g_strdup_printf ("%s:%s:%s", user, random, ha1);
  pass = md5_upper (pass_in);
  second = g_strdup_printf ("{\"method\":\"global.login\",\"params\":{\"userName\":\"%s\","
                            "\"password\":\"%s\",\"clientType\":\"Web3.0\","
                            "\"loginType\":\"Direct\","
                            "\"authorityType\":\"Default\",\"passwordType\":\"Default\"},\"id\":2,"
                            "\"session\":%" G_GINT64_FORMAT "}", user, pass,
                            json_object_get_int64 (session));
  reply = rpc (device, "/RPC2_Login", second);
  g_assert_true (json_object_object_get_ex (reply, "result", &result));
  *code = error_code (reply);
  if (!json_object_get_boolean (result))
    return 0;
  g_assert_true (json_object_object_get_ex (reply, "session", &session));
  return json_object_get_int64 (session);
}

static json_object *
call (const char *device,
      gint64      session,
      const char *method,
      const char *params,
      gint64      object)
{
  g_autofree char *body = g_strdup_printf ("{\"method\":\"%s\",\"params\":%s,\"id\":7,"
                                           "\"session\":%" G_GINT64_FORMAT ",\"object\":%"
                                           G_GINT64_FORMAT "}", method, params ? params : "null",
                                           session, object);

  return rpc (device, "/RPC2", body);
}

static gboolean
ok (json_object *reply)
{
  json_object *result;

  g_assert_true (json_object_object_get_ex (reply, "result", &result));
  return json_object_get_boolean (result);
}

static void
test_login (void)
{
  gint64 code = 0;
  gint64 session = login ("VTO-A", "admin", "admin123", &code);
  g_autoptr(json_object) sn = NULL;
  g_autoptr(json_object) invalid = NULL;

  g_assert_cmpint (session, !=, 0);
  sn = call ("VTO-A", session, "magicBox.getSerialNo", NULL, 0);
  g_assert_true (ok (sn));
  g_assert_cmpstr (path_str (sn, "params", "sn"), ==, "SIMVTOA0001");
  invalid = call ("VTO-A", 12345, "magicBox.getSerialNo", NULL, 0);
  g_assert_false (ok (invalid));
  g_assert_cmpint (error_code (invalid), ==, 287637505);
  g_assert_cmpint (login ("VTO-A", "admin", "wrong", &code), ==, 0);
  g_assert_cmpint (code, ==, 268632080);
}

static void
test_lockout (void)
{
  gint64 code = 0;

  for (guint i = 0; i < 2; i++) {
    g_assert_cmpint (login ("VTO-LOCK", "admin", "nope", &code), ==, 0);
    g_assert_cmpint (code, ==, 268632080);
  }
  g_assert_cmpint (login ("VTO-LOCK", "admin", "nope", &code), ==, 0);
  g_assert_cmpint (code, ==, 268632081);
  g_assert_cmpint (login ("VTO-LOCK", "admin", "admin123", &code), ==, 0);
  g_assert_cmpint (code, ==, 268632081);
  g_usleep (2200 * 1000);
  g_assert_cmpint (login ("VTO-LOCK", "admin", "admin123", &code), !=, 0);
}

static void
test_session_expiry (void)
{
  gint64 code = 0;
  gint64 session = login ("VTH-1101", "admin", "admin123", &code);
  g_autoptr(json_object) alive = NULL;
  g_autoptr(json_object) expired = NULL;

  g_usleep (1200 * 1000);
  alive = call ("VTH-1101", session, "global.keepAlive", "{\"timeout\":2,\"action\":true}", 0);
  g_assert_true (ok (alive));
  g_usleep (1200 * 1000);
  /* keepAlive refreshed it: still valid 2.4 s after login */
  g_clear_pointer (&alive, json_object_put);
  alive = call ("VTH-1101", session, "global.getCurrentTime", NULL, 0);
  g_assert_true (ok (alive));
  g_usleep (2600 * 1000);
  expired = call ("VTH-1101", session, "global.getCurrentTime", NULL, 0);
  g_assert_false (ok (expired));
  g_assert_cmpint (error_code (expired), ==, 287637505);
}

static void
test_call_control (void)
{
  gint64 code = 0;
  gint64 session = login ("VTO-A", "admin", "admin123", &code);
  g_autoptr(json_object) instance = call ("VTO-A", session, "VideoTalkPhone.factory.instance",
                                          "{}", 0);
  json_object *result;
  gint64 object;
  long status = 0;

  g_assert_true (json_object_object_get_ex (instance, "result", &result));
  object = json_object_get_int64 (result);
  g_assert_cmpint (object, >, 0);
#define STATE(expected) G_STMT_START { \
    g_autoptr(json_object) s = call ("VTO-A", session, "VideoTalkPhone.getCallState", "{}", \
                                     object); \
    g_assert_true (ok (s)); \
    g_assert_cmpstr (path_str (s, "params", "callState"), ==, expected); \
  } G_STMT_END
  STATE ("Idle");
  {
    g_autoptr(json_object) idle = call ("VTO-A", session, "VideoTalkPhone.answer", "{}", object);

    g_assert_false (ok (idle));
    g_assert_cmpint (error_code (idle), ==, 268959743);
  }
  {
    g_autoptr(json_object) r = sim_ctl (sim, "VTO-A", "ring", "{\"room\":\"1101\"}", &status);

    g_assert_cmpint (status, ==, 200);
  }
  STATE ("Ringing");
  {
    g_autoptr(json_object) a = call ("VTO-A", session, "VideoTalkPhone.answer", "{}", object);

    g_assert_true (ok (a));
  }
  STATE ("Talking");
  {
    g_autoptr(json_object) d = call ("VTO-A", session, "VideoTalkPhone.disconnect", "{}", object);

    g_assert_true (ok (d));
  }
  STATE ("Idle");
  {
    g_autoptr(json_object) bad = call ("VTO-A", session, "VideoTalkPhone.getCallState", "{}", 1);
    g_autoptr(json_object) unknown = call ("VTO-A", session, "nothing.here", "{}", 0);

    g_assert_false (ok (bad));
    g_assert_cmpint (error_code (unknown), ==, 268894210);
  }
#undef STATE
}

static void
test_door_and_config (void)
{
  gint64 code = 0;
  gint64 session = login ("VTO-A", "admin", "admin123", &code);
  g_autoptr(json_object) open = call ("VTO-A", session, "accessControl.openDoor",
                                      "{\"Type\":\"Remote\",\"DoorIndex\":1}", 0);
  g_autoptr(json_object) status = call ("VTO-A", session, "accessControl.getDoorStatus",
                                        "{\"DoorState\":1}", 0);
  g_autoptr(json_object) config = call ("VTO-A", session, "configManager.getConfig",
                                        "{\"name\":\"AccessControl\"}", 0);
  g_autoptr(json_object) set = NULL;
  g_autoptr(SimReply) cgi = NULL;
  json_object *params, *table, *door, *name;

  g_assert_true (ok (open));
  g_assert_true (ok (status));
  g_assert_true (json_object_object_get_ex (status, "params", &params));
  g_assert_cmpstr (path_str (params, "Info", "status"), ==, "Open");
  g_assert_true (ok (config));
  g_assert_true (json_object_object_get_ex (config, "params", &params));
  g_assert_true (json_object_object_get_ex (params, "table", &table));
  g_assert_true (json_object_is_type (table, json_type_array));
  door = json_object_array_get_idx (table, 0);
  g_assert_true (json_object_object_get_ex (door, "Name", &name));
  g_assert_cmpstr (json_object_get_string (name), ==, "Door1");

  set = call ("VTO-A", session, "configManager.setConfig",
              "{\"name\":\"CommGlobal\",\"table\":{\"AlarmEnable\":true,"
              "\"CurrentProfile\":\"Outdoor\"}}", 0);
  g_assert_true (ok (set));
  cgi = sim_cgi (sim, "VTO-A", "/cgi-bin/configManager.cgi?action=getConfig&name=CommGlobal");
  g_assert_true (strstr (cgi->body->str, "table.CommGlobal.CurrentProfile=Outdoor\r\n") != NULL);
  g_assert_true (strstr (cgi->body->str, "table.CommGlobal.AlarmEnable=true\r\n") != NULL);
}

static void
test_record_paging (void)
{
  gint64 code = 0;
  gint64 session = login ("VTS-1", "admin", "admin123", &code);
  g_autoptr(json_object) create = NULL;
  json_object *result;
  gint64 object;
  guint counts[] = { 2, 2, 1, 0 };

  for (guint i = 0; i < 5; i++) {
    g_autofree char *path = g_strdup_printf ("/cgi-bin/recordUpdater.cgi?action=insert"
                                             "&name=AccessControlPwd&UserID=%u&DoorOpenPwd=1", i);
    g_autoptr(SimReply) reply = sim_cgi (sim, "VTS-1", path);

    g_assert_cmpint (reply->status, ==, 200);
  }
  create = call ("VTS-1", session, "RecordFinder.factory.create",
                 "{\"name\":\"AccessControlPwd\"}", 0);
  g_assert_true (json_object_object_get_ex (create, "result", &result));
  object = json_object_get_int64 (result);
  {
    g_autoptr(json_object) start = call ("VTS-1", session, "RecordFinder.startFind",
                                         "{\"condition\":{}}", object);

    g_assert_true (ok (start));
  }
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++) {
    g_autoptr(json_object) page = call ("VTS-1", session, "RecordFinder.doFind", "{\"count\":2}",
                                        object);
    json_object *params, *found, *records;

    g_assert_true (ok (page));
    g_assert_true (json_object_object_get_ex (page, "params", &params));
    g_assert_true (json_object_object_get_ex (params, "found", &found));
    g_assert_true (json_object_object_get_ex (params, "records", &records));
    g_assert_cmpint (json_object_get_int (found), ==, counts[i]);
    g_assert_cmpuint (json_object_array_length (records), ==, counts[i]);
  }
  {
    g_autoptr(json_object) filtered = call ("VTS-1", session, "RecordFinder.startFind",
                                            "{\"condition\":{\"UserID\":\"3\"}}", object);
    g_autoptr(json_object) page = call ("VTS-1", session, "RecordFinder.doFind", "{\"count\":10}",
                                        object);
    json_object *params, *found;

    g_assert_true (ok (filtered));
    json_object_object_get_ex (page, "params", &params);
    json_object_object_get_ex (params, "found", &found);
    g_assert_cmpint (json_object_get_int (found), ==, 1);
  }
  {
    g_autoptr(json_object) stop = call ("VTS-1", session, "RecordFinder.stopFind", "{}", object);
    g_autoptr(json_object) destroy = call ("VTS-1", session, "RecordFinder.destroy", "{}", object);
    g_autoptr(json_object) bad = call ("VTS-1", session, "RecordFinder.factory.create",
                                       "{\"name\":\"Nope\"}", 0);

    g_assert_true (ok (stop));
    g_assert_true (ok (destroy));
    g_assert_false (ok (bad));
  }
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);
  sim = sim_proc_start (SIM_TEST_COMMUNITY, NULL);

  g_test_add_func ("/sim/rpc/login", test_login);
  g_test_add_func ("/sim/rpc/lockout", test_lockout);
  g_test_add_func ("/sim/rpc/session-expiry", test_session_expiry);
  g_test_add_func ("/sim/rpc/call-control", test_call_control);
  g_test_add_func ("/sim/rpc/door-and-config", test_door_and_config);
  g_test_add_func ("/sim/rpc/record-paging", test_record_paging);
  result = g_test_run ();

  sim_proc_stop (sim);
  curl_global_cleanup ();
  return result;
}
