/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The flat reader of event data, against json-c on the same text. */
#include "config.h"

#include <json-c/json.h>
#include <string.h>

#include "gh-dahua-event-data.h"

/* What json-c makes of @text: its plain form when it is an object, else NULL. */
static char *
json_c_form (const char *text)
{
  json_tokener *tok = json_tokener_new ();
  json_object *obj = json_tokener_parse_ex (tok, text, strlen (text));
  char *out = NULL;

  json_tokener_free (tok);
  if (obj != NULL && json_object_is_type (obj, json_type_object))
    out = g_strdup (json_object_to_json_string_ext (obj, JSON_C_TO_STRING_PLAIN));
  json_object_put (obj);
  return out;
}

static void
test_same_as_json_c (void)
{
  static const char *cases[] = {
    "{}",
    "  {\n   \"Success\" : false\n}\n",
    "{\"CallID\":\"7\",\"IsEncryptedStream\":false,\"LockNum\":2,\"TCPPort\":37777}",
    "{\"Note\":\"a=b;c=d {not a brace} \\\" }\",\"UserID\":\"9901\"}",
    "{\"UTC\":1644589321.0,\"Neg\":-12,\"Exp\":1.5e3,\"Big\":123456789012345678}",
    "{\"Esc\":\"tab\\tnl\\nq\\\"bs\\\\sl\\/u\\u00e9\\u4e2d\",\"Pair\":\"\\ud83d\\ude00\"}",
    "{\"Nested\":{\"a\":[1,2,{\"b\":null}],\"c\":\"}\"},\"After\":1}",
    "{\"Dup\":1,\"Other\":2,\"Dup\":\"two\"}",
    "{\"Null\":null,\"T\":true,\"Arr\":[]}",
    "{\"Name\":\"Zoë Müller\"} trailing text",
    "{\"a\":1,}",            /* json-c is lenient about some of these */
    "{'single':'quoted'}",
    "{\"a\":01}",
    "{\"a\":\"\\u0000x\"}",
    "{\"lone\":\"\\ud800\"}",
    "{\"a\":1",
    "[1,2]",
    "\"text\"",
    "not json",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GhDahuaEventData) data = gh_dahua_event_data_parse (cases[i], strlen (cases[i]));
    g_autofree char *expected = json_c_form (cases[i]);
    g_autofree char *got = data ? gh_dahua_event_data_to_json (data) : NULL;

    g_test_message ("%s", cases[i]);
    g_assert_cmpstr (got, ==, expected);
  }
}

static void
test_values (void)
{
  const char *text = "{\"CardNo\":\"A=1;B=2\",\"Method\":1,\"Status\":\"1\",\"UTC\":1644589321.0,"
                     "\"Open\":true,\"Nested\":{\"CardNo\":\"inner\"},\"Esc\":\"\\u00e9\\n\","
                     "\"Huge\":1e300,\"Bad\":\"12x\",\"Dup\":1,\"Dup\":2,"
                     "\"Pair\":\"\\ud837\\ude00\",\"Neg\":-42,\"Plus\":\"+7\","
                     "\"Space\":\" 5\",\"Max\":9223372036854775807,"
                     "\"Over\":\"9223372036854775808\",\"Sign\":\"-\"}";
  g_autoptr(GhDahuaEventData) data = gh_dahua_event_data_parse (text, strlen (text));
  gint64 n = -1;

  g_assert_nonnull (data);
  g_assert_cmpstr (gh_dahua_event_data_get_string (data, "CardNo"), ==, "A=1;B=2");
  g_assert_cmpstr (gh_dahua_event_data_get_string (data, "Esc"), ==, "é\n");
  /* U+1DE00 from its surrogate pair (json-c 0.16 gives U+FFFD for this one) */
  g_assert_cmpstr (gh_dahua_event_data_get_string (data, "Pair"), ==, "\xf0\x9d\xb8\x80");
  /* numbers are not strings, objects are neither */
  g_assert_null (gh_dahua_event_data_get_string (data, "Method"));
  g_assert_null (gh_dahua_event_data_get_string (data, "Nested"));
  g_assert_null (gh_dahua_event_data_get_string (data, "Missing"));
  g_assert_true (gh_dahua_event_data_get_int (data, "Method", &n));
  g_assert_cmpint (n, ==, 1);
  g_assert_true (gh_dahua_event_data_get_int (data, "Status", &n));
  g_assert_cmpint (n, ==, 1);
  g_assert_true (gh_dahua_event_data_get_int (data, "UTC", &n));
  g_assert_cmpint (n, ==, 1644589321);
  g_assert_true (gh_dahua_event_data_get_int (data, "Open", &n));
  g_assert_cmpint (n, ==, 1);
  g_assert_true (gh_dahua_event_data_get_int (data, "Dup", &n));
  g_assert_cmpint (n, ==, 2);
  g_assert_false (gh_dahua_event_data_get_int (data, "Huge", &n));
  g_assert_false (gh_dahua_event_data_get_int (data, "Bad", &n));
  g_assert_false (gh_dahua_event_data_get_int (data, "Nested", &n));
  g_assert_false (gh_dahua_event_data_get_int (data, "Missing", &n));
  /* whole-range decimals, signs, leading blanks (read as a float); no bare sign, no
   * overflow */
  g_assert_true (gh_dahua_event_data_get_int (data, "Neg", &n));
  g_assert_cmpint (n, ==, -42);
  g_assert_true (gh_dahua_event_data_get_int (data, "Plus", &n));
  g_assert_cmpint (n, ==, 7);
  g_assert_true (gh_dahua_event_data_get_int (data, "Max", &n));
  g_assert_cmpint (n, ==, G_MAXINT64);
  g_assert_true (gh_dahua_event_data_get_int (data, "Space", &n));
  g_assert_cmpint (n, ==, 5);
  g_assert_false (gh_dahua_event_data_get_int (data, "Over", &n));
  g_assert_false (gh_dahua_event_data_get_int (data, "Sign", &n));
  /* a missing data object answers nothing */
  g_assert_null (gh_dahua_event_data_get_string (NULL, "CardNo"));
  g_assert_false (gh_dahua_event_data_get_int (NULL, "UTC", &n));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dahua/event-data/same-as-json-c", test_same_as_json_c);
  g_test_add_func ("/dahua/event-data/values", test_values);
  return g_test_run ();
}
