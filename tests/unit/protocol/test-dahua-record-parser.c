/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-dahua-record-parser"

#include "config.h"

#include "gh-dahua-record-parser.h"
#include "gh-error.h"

/* VideoTalkLog as a real VTO sends it (CRLF), rows out of order, an empty value. */
static const char video_talk_log[] =
  "found=2\r\n"
  "records[1].CallType=Incoming\r\n"
  "records[0].CallType=Outgoing\r\n"
  "records[0].CreateTime=945447906\r\n"
  "records[0].EndState=Missed\r\n"
  "records[0].LocalNumber=8001\r\n"
  "records[0].Notes=\r\n"
  "records[0].PeerNumber=9901\r\n"
  "records[0].RecNo=1\r\n"
  "records[1].RecNo=2\r\n"
  "records[1].Notes=a=b=c; d\r\n"
  "records[1].Doors[0]=0\r\n";

static void
test_records (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDahuaRecordSet) set = gh_dahua_record_set_parse (video_talk_log, -1, &error);
  GHashTable *r0, *r1;

  g_assert_no_error (error);
  g_assert_cmpuint (set->found, ==, 2);
  g_assert_cmpint (set->total, ==, -1);
  g_assert_cmpuint (set->records->len, ==, 2);
  r0 = g_ptr_array_index (set->records, 0);
  r1 = g_ptr_array_index (set->records, 1);
  g_assert_cmpstr (g_hash_table_lookup (r0, "CallType"), ==, "Outgoing");
  g_assert_cmpstr (g_hash_table_lookup (r0, "CreateTime"), ==, "945447906");
  g_assert_cmpstr (g_hash_table_lookup (r0, "Notes"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (r1, "Notes"), ==, "a=b=c; d");
  g_assert_cmpstr (g_hash_table_lookup (r1, "Doors[0]"), ==, "0");
}

static void
test_records_empty_and_total (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDahuaRecordSet) set = gh_dahua_record_set_parse ("totalCount=1000\nfound=0\n", -1,
                                                               &error);

  g_assert_no_error (error);
  g_assert_cmpuint (set->found, ==, 0);
  g_assert_cmpint (set->total, ==, 1000);
  g_assert_cmpuint (set->records->len, ==, 0);
}

static void
test_records_bad (void)
{
  static const char *bad[] = {
    "found=1\nrecords[x].A=1\n",
    "found=1\nrecords[99999999999].A=1\n",
    "found=1\nrecords[0]A=1\n",
    "found=1\nrecords[0].=1\n",
    "hello\n",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GhDahuaRecordSet) set = gh_dahua_record_set_parse (bad[i], -1, &error);

    g_assert_null (set);
    g_assert_error (error, GH_ERROR, GH_ERROR_PROTOCOL);
  }
}

static void
test_error_bodies (void)
{
  static const struct {
    const char *body;
    int code;
  } cases[] = {
    { "Error\r\nBad Request!\r\n", GH_ERROR_PROTOCOL },
    { "Bad Request!", GH_ERROR_PROTOCOL },
    { "Not Implemented!", GH_ERROR_NOT_SUPPORTED },
    { "Error: Error -1 getting param in name=Foo\r\n", GH_ERROR_PROTOCOL },
    { "  Error\n", GH_ERROR_PROTOCOL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GHashTable) kv = gh_dahua_kv_parse (cases[i].body, -1, &error);

    g_assert_null (kv);
    g_assert_error (error, GH_ERROR, cases[i].code);
    g_assert_nonnull (error->message);
  }
}

static void
test_ok (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gh_dahua_reply_expect_ok ("OK\r\n", -1, NULL));
  g_assert_true (gh_dahua_reply_expect_ok ("", 0, NULL));
  g_assert_false (gh_dahua_reply_expect_ok ("Error\r\nBad Request!", -1, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_false (gh_dahua_reply_expect_ok ("FAIL", -1, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PROTOCOL);
}

static void
test_kv_table_prefix (void)
{
  const char body[] = "table.AccessControl[0].Name=Door1\r\n"
                      "table.AccessControl[0].UnlockHoldInterval=2\r\n"
                      "sn=AD0578CPAJ36130\r\n"
                      "version=2.800.0000016.0.R,build:2020-06-05\r\n"
                      "token=abc==\r\n"
                      "\r\n"
                      "no equals sign\r\n"
                      "name=\xff\xfe bad utf8\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) kv = gh_dahua_kv_parse (body, sizeof body - 1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (kv, "AccessControl[0].Name"), ==, "Door1");
  g_assert_cmpstr (g_hash_table_lookup (kv, "AccessControl[0].UnlockHoldInterval"), ==, "2");
  g_assert_cmpstr (g_hash_table_lookup (kv, "sn"), ==, "AD0578CPAJ36130");
  g_assert_cmpstr (g_hash_table_lookup (kv, "version"), ==,
                   "2.800.0000016.0.R,build:2020-06-05");
  g_assert_cmpstr (g_hash_table_lookup (kv, "token"), ==, "abc==");
  g_assert_true (g_utf8_validate (g_hash_table_lookup (kv, "name"), -1, NULL));
  g_assert_cmpuint (g_hash_table_size (kv), ==, 6);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dahua/record-parser/records", test_records);
  g_test_add_func ("/dahua/record-parser/empty-and-total", test_records_empty_and_total);
  g_test_add_func ("/dahua/record-parser/bad", test_records_bad);
  g_test_add_func ("/dahua/record-parser/error-bodies", test_error_bodies);
  g_test_add_func ("/dahua/record-parser/ok", test_ok);
  g_test_add_func ("/dahua/record-parser/kv-table-prefix", test_kv_table_prefix);

  return g_test_run ();
}
