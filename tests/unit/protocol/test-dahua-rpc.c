/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-dahua-rpc"

#include "config.h"

#include "gh-dahua-rpc.h"
#include "gh-error.h"

static void
test_login_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dflt = NULL;
  g_autofree char *basic = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *other = NULL;
  g_autofree char *norealm = NULL;

  /* Reference computed independently: UPPER(MD5(user:random:UPPER(MD5(user:realm:pass)))) */
  dflt = gh_dahua_rpc_login_hash ("admin", "admin123", "Login to AMC000N49SSV0M2U46", "3734299",
                                  "Default", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dflt, ==, "4E2C4F08B119BEFDE6553053E9618D6D");

  basic = gh_dahua_rpc_login_hash ("admin", "pw", NULL, NULL, "Basic", &error);
  g_assert_cmpstr (basic, ==, "YWRtaW46cHc=");
  plain = gh_dahua_rpc_login_hash ("admin", "pw", NULL, NULL, "Plain", &error);
  g_assert_cmpstr (plain, ==, "pw");

  other = gh_dahua_rpc_login_hash ("admin", "pw", "r", "1", "OldDigest", &error);
  g_assert_null (other);
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  norealm = gh_dahua_rpc_login_hash ("admin", "pw", NULL, "1", "Default", &error);
  g_assert_null (norealm);
  g_assert_error (error, GH_ERROR, GH_ERROR_PROTOCOL);
}

static void
test_build_request (void)
{
  struct json_object *params = json_object_new_object ();
  struct json_object *session = json_object_new_int64 (1005027323);
  struct json_object *str_session = json_object_new_string ("abc/def");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  json_object_object_add (params, "userName", json_object_new_string ("admin"));
  a = gh_dahua_rpc_build_request ("global.login", params, 1, session, 0);
  g_assert_cmpstr (a, ==, "{\"method\":\"global.login\",\"params\":{\"userName\":\"admin\"},"
                          "\"id\":1,\"session\":1005027323}");
  b = gh_dahua_rpc_build_request ("VideoTalkPhone.getCallState", NULL, 7, str_session, 20737192);
  g_assert_cmpstr (b, ==, "{\"method\":\"VideoTalkPhone.getCallState\",\"params\":null,"
                          "\"id\":7,\"session\":\"abc/def\",\"object\":20737192}");
  json_object_put (params);
  json_object_put (session);
  json_object_put (str_session);
}

static void
test_challenge_reply (void)
{
  const char *text =
    "{\"error\":{\"code\":268632079,\"message\":\"Component error: login challenge!\"},\"id\":1,"
    "\"params\":{\"authorization\":\"3339ea\",\"encryption\":\"Default\",\"mac\":\"3CEF8C6101C0\","
    "\"random\":\"3734299\",\"realm\":\"Login to AMC000N49SSV0M2U46\"},\"result\":false,"
    "\"session\":1005027323}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDahuaRpcReply) reply = gh_dahua_rpc_reply_parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_false (reply->ok);
  g_assert_cmpint (reply->id, ==, 1);
  g_assert_cmpint (reply->error_code, ==, GH_DAHUA_RPC_LOGIN_CHALLENGE);
  g_assert_cmpstr (gh_dahua_rpc_reply_get_param_string (reply, "random"), ==, "3734299");
  g_assert_cmpstr (gh_dahua_rpc_reply_get_param_string (reply, "realm"), ==,
                   "Login to AMC000N49SSV0M2U46");
  g_assert_cmpint (json_object_get_int64 (reply->session), ==, 1005027323);
}

static void
test_success_replies (void)
{
  g_autoptr(GhDahuaRpcReply) login = NULL;
  g_autoptr(GhDahuaRpcReply) instance = NULL;
  g_autoptr(GhDahuaRpcReply) state = NULL;
  g_autoptr(GError) error = NULL;

  login = gh_dahua_rpc_reply_parse ("{ \"id\" : 10000, \"params\" : null, \"result\" : true, "
                                    "\"session\" : 462002603 }", -1, &error);
  g_assert_no_error (error);
  g_assert_true (login->ok);
  g_assert_null (login->params);
  g_assert_true (gh_dahua_rpc_reply_check (login, "global.login", NULL));

  instance = gh_dahua_rpc_reply_parse ("{\"id\":3,\"result\":20737192,\"session\":\"x\"}", -1,
                                       &error);
  g_assert_true (instance->ok);
  g_assert_cmpint (json_object_get_int64 (instance->result), ==, 20737192);
  g_assert_cmpstr (json_object_get_string (instance->session), ==, "x");

  state = gh_dahua_rpc_reply_parse ("{\"params\":{\"callState\":\"Idle\"},\"result\":true}", -1,
                                    &error);
  g_assert_cmpstr (gh_dahua_rpc_reply_get_param_string (state, "callState"), ==, "Idle");
  g_assert_cmpint (state->id, ==, -1);
}

static void
test_error_codes (void)
{
  static const struct {
    gint64 code;
    int    gh_code;
  } cases[] = {
    { GH_DAHUA_RPC_BAD_CREDENTIALS, GH_ERROR_AUTH_FAILED },
    { GH_DAHUA_RPC_LOCKED, GH_ERROR_LOCKED_OUT },
    { GH_DAHUA_RPC_BLOCKED, GH_ERROR_AUTH_FAILED },
    { GH_DAHUA_RPC_LOGGED_IN_ELSE, GH_ERROR_AUTH_FAILED },
    { GH_DAHUA_RPC_NOT_INITIALISED, GH_ERROR_FAILED },
    { GH_DAHUA_RPC_NO_PERMISSION, GH_ERROR_NOT_SUPPORTED },
    { GH_DAHUA_RPC_SESSION_INVALID, GH_ERROR_AUTH_FAILED },
    { GH_DAHUA_RPC_SESSION_EXPIRED, GH_ERROR_AUTH_FAILED },
    { GH_DAHUA_RPC_UNKNOWN_ERROR, GH_ERROR_FAILED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *text = g_strdup_printf ("{\"id\":2,\"result\":false,\"error\":{\"code\":%"
                                             G_GINT64_FORMAT ",\"message\":\"m\"}}",
                                             cases[i].code);
    g_autoptr(GhDahuaRpcReply) reply = gh_dahua_rpc_reply_parse (text, -1, NULL);
    g_autoptr(GError) error = NULL;

    g_assert_false (gh_dahua_rpc_reply_check (reply, "x.y", &error));
    g_assert_error (error, GH_ERROR, cases[i].gh_code);
  }
  g_assert_true (gh_dahua_rpc_error_is_session (GH_DAHUA_RPC_SESSION_EXPIRED));
  g_assert_false (gh_dahua_rpc_error_is_session (GH_DAHUA_RPC_LOCKED));
}

static void
test_bad_replies (void)
{
  static const char *bad[] = { "", "[1,2]", "{", "null", "Error\r\nBad Request!", "\"x\"" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GhDahuaRpcReply) reply = gh_dahua_rpc_reply_parse (bad[i], -1, &error);

    g_assert_null (reply);
    g_assert_error (error, GH_ERROR, GH_ERROR_PROTOCOL);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dahua/rpc/login-hash", test_login_hash);
  g_test_add_func ("/dahua/rpc/build-request", test_build_request);
  g_test_add_func ("/dahua/rpc/challenge-reply", test_challenge_reply);
  g_test_add_func ("/dahua/rpc/success-replies", test_success_replies);
  g_test_add_func ("/dahua/rpc/error-codes", test_error_codes);
  g_test_add_func ("/dahua/rpc/bad-replies", test_bad_replies);

  return g_test_run ();
}
