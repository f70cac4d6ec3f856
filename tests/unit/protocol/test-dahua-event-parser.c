/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-dahua-event-parser"

#include "config.h"

#include "gh-dahua-event-parser.h"
#include "gh-error.h"

#include <string.h>

/* The documented reply: no blank line between part headers and body, CRLF endings. */
static const char doc_stream[] =
  "--myboundary\r\n"
  "Content-Type: text/plain\r\n"
  "Content-Length: 39\r\n"
  "Code=VideoMotion;action=Start;index=0\r\n\r\n"
  "--myboundary\r\n"
  "Content-Type: text/plain\r\n"
  "Content-Length: 9\r\n"
  "Heartbeat\r\n\r\n";

/* Real wire: blank line after headers, pretty-printed JSON over several lines, LF endings,
 * Content-Length that does not match what follows. */
static const char real_stream[] =
  "--myboundary\n"
  "Content-Type: text/plain\n"
  "Content-Length: 74\n"
  "\n"
  "Code=SIPRegisterResult;action=Pulse;index=0;data={\n"
  "   \"Success\" : false\n"
  "}\n"
  "\n"
  "--myboundary\n"
  "Content-Type: text/plain\n"
  "Content-Length: 10\n"
  "\n"
  "Code=CallNoAnswered;action=Start;index=1;data={\n"
  "   \"CallID\" : \"7\",\n"
  "   \"IsEncryptedStream\" : false,\n"
  "   \"LockNum\" : 2,\n"
  "   \"Note\" : \"a=b;c=d {not a brace} \\\" }\",\n"
  "   \"TCPPort\" : 37777,\n"
  "   \"UserID\" : \"9901\"\n"
  "}\n"
  "\n"
  "--myboundary\n"
  "Content-Type: text/plain\n"
  "Content-Length: 9\n"
  "\n"
  "Heartbeat\n"
  "\n";

typedef struct {
  GPtrArray *seen;
} Collector;

static void
event_cb (const GhDahuaRawEvent *event,
          gpointer               user_data)
{
  Collector *c = user_data;
  g_autofree char *data = event->data ? gh_dahua_event_data_to_json (event->data)
                                       : g_strdup ("-");

  g_ptr_array_add (c->seen, g_strdup_printf ("%s|%s|%d|%s", event->code,
                                             event->action ? event->action : "-",
                                             event->index, data));
}

static void
heartbeat_cb (gpointer user_data)
{
  Collector *c = user_data;

  g_ptr_array_add (c->seen, g_strdup ("HB"));
}

static char *
run_split (const char *content_type,
           const char *stream,
           gsize       len,
           const gsize *cuts,
           guint       n_cuts)
{
  Collector c = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GhDahuaEventParser) parser = gh_dahua_event_parser_new (content_type, event_cb,
                                                                     heartbeat_cb, &c);
  gsize pos = 0;
  char *joined;

  for (guint i = 0; i <= n_cuts; i++) {
    gsize end = i < n_cuts ? cuts[i] : len;

    g_assert_true (gh_dahua_event_parser_feed (parser, stream + pos, end - pos, NULL));
    pos = end;
  }
  g_ptr_array_add (c.seen, NULL);
  joined = g_strjoinv ("\n", (char **) c.seen->pdata);
  g_ptr_array_unref (c.seen);
  return joined;
}

static char *
run_whole (const char *content_type,
           const char *stream)
{
  return run_split (content_type, stream, strlen (stream), NULL, 0);
}

static void
test_doc_example (void)
{
  g_autofree char *out = run_whole ("multipart/x-mixed-replace; boundary=myboundary", doc_stream);

  g_assert_cmpstr (out, ==, "VideoMotion|Start|0|-\nHB");
}

static void
test_real_wire (void)
{
  g_autofree char *out = run_whole ("multipart/x-mixed-replace; boundary=myboundary",
                                    real_stream);

  g_assert_cmpstr (out, ==,
                   "SIPRegisterResult|Pulse|0|{\"Success\":false}\n"
                   "CallNoAnswered|Start|1|{\"CallID\":\"7\",\"IsEncryptedStream\":false,"
                   "\"LockNum\":2,\"Note\":\"a=b;c=d {not a brace} \\\" }\",\"TCPPort\":37777,"
                   "\"UserID\":\"9901\"}\n"
                   "HB");
}

/* Every single cut point, and byte-by-byte, must give the same parts. */
static void
test_any_split (void)
{
  const char *ct = "multipart/x-mixed-replace; boundary=myboundary";
  gsize len = strlen (real_stream);
  g_autofree char *expected = run_whole (ct, real_stream);
  g_autofree gsize *every = g_new (gsize, len);

  for (gsize cut = 1; cut < len; cut++) {
    g_autofree char *out = run_split (ct, real_stream, len, &cut, 1);

    g_assert_cmpstr (out, ==, expected);
  }
  for (gsize i = 0; i + 1 < len; i++)
    every[i] = i + 1;
  {
    g_autofree char *out = run_split (ct, real_stream, len, every, len - 1);

    g_assert_cmpstr (out, ==, expected);
  }
  /* random multi-cuts */
  for (guint round = 0; round < 200; round++) {
    gsize cuts[6];
    guint n = g_test_rand_int_range (1, G_N_ELEMENTS (cuts) + 1);
    g_autofree char *out = NULL;

    for (guint i = 0; i < n; i++)
      cuts[i] = g_test_rand_int_range (0, len + 1);
    for (guint i = 1; i < n; i++) /* sort */
      for (guint j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
        gsize t = cuts[j];
        cuts[j] = cuts[j - 1];
        cuts[j - 1] = t;
      }
    out = run_split (ct, real_stream, len, cuts, n);
    g_assert_cmpstr (out, ==, expected);
  }
}

static void
test_boundary_variants (void)
{
  static const struct {
    const char *content_type;
    const char *expected;
  } cases[] = {
    { "multipart/x-mixed-replace; boundary=myboundary", "myboundary" },
    { "multipart/x-mixed-replace;boundary=\"my boundary\"", "my boundary" },
    { "multipart/x-mixed-replace; boundary=--myboundary", "myboundary" },
    { "multipart/x-mixed-replace; BOUNDARY = abc123 ; charset=utf-8", "abc123" },
    { "text/plain", NULL },
    { "multipart/x-mixed-replace; boundary=", NULL },
    { "multipart/x-mixed-replace; boundary=\"--\"", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *b = gh_dahua_boundary_from_content_type (cases[i].content_type);

    g_assert_cmpstr (b, ==, cases[i].expected);
  }
}

/* The boundary comes from the header, not a hard-coded "myboundary". */
static void
test_custom_boundary (void)
{
  const char *stream =
    "--xyz\r\nContent-Type: text/plain\r\n\r\nCode=Invite;action=Pulse;index=0\r\n"
    "--myboundary\r\n"  /* not our boundary: body noise after a complete part */
    "--xyz\r\n\r\nCode=IgnoreInvite;action=Pulse\r\n"
    "--xyz--\r\n";
  g_autofree char *out = run_whole ("multipart/x-mixed-replace; boundary=\"--xyz\"", stream);

  g_assert_cmpstr (out, ==, "Invite|Pulse|0|-\nIgnoreInvite|Pulse|-1|-");
}

/* "-- boundary" spacing, stray HTTP noise, missing Content-Type header (boundary learned). */
static void
test_noise (void)
{
  const char *stream =
    "HTTP/1.1 200 OK\r\n"
    "garbage before the first part\r\n"
    "-- myboundary\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "Code=AlarmLocal;action=Start;index=2\r\n"
    "HTTP/1\r\n"
    "--myboundary\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "no code here\r\n"
    "--myboundary\r\n"
    "\r\n"
    "heartbeat\r\n";
  Collector c = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GhDahuaEventParser) parser = gh_dahua_event_parser_new (NULL, event_cb,
                                                                     heartbeat_cb, &c);

  g_assert_true (gh_dahua_event_parser_feed (parser, stream, strlen (stream), NULL));
  g_assert_cmpstr (gh_dahua_event_parser_get_boundary (parser), ==, "myboundary");
  g_assert_cmpuint (c.seen->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (c.seen, 0), ==, "AlarmLocal|Start|2|-");
  g_assert_cmpstr (g_ptr_array_index (c.seen, 1), ==, "HB");
  g_assert_cmpuint (gh_dahua_event_parser_get_n_bad (parser), ==, 1);
  g_ptr_array_unref (c.seen);
}

/* A complete part is delivered before the next boundary arrives. */
static void
test_no_wait_for_boundary (void)
{
  const char *part = "--myboundary\r\nContent-Type: text/plain\r\nContent-Length: 40\r\n\r\n"
                     "Code=DoorStatus;action=Pulse;index=0;data={\r\n \"Status\" : \"Open\"\r\n";
  Collector c = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GhDahuaEventParser) parser =
    gh_dahua_event_parser_new ("multipart/x-mixed-replace; boundary=myboundary", event_cb,
                               heartbeat_cb, &c);

  g_assert_true (gh_dahua_event_parser_feed (parser, part, strlen (part), NULL));
  g_assert_cmpuint (c.seen->len, ==, 0);  /* JSON still open */
  g_assert_true (gh_dahua_event_parser_feed (parser, "}\r\n", 3, NULL));
  g_assert_cmpuint (c.seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (c.seen, 0), ==, "DoorStatus|Pulse|0|{\"Status\":\"Open\"}");
  /* the trailing blank line and the next boundary do not produce a second copy */
  g_assert_true (gh_dahua_event_parser_feed (parser, "\r\n--myboundary\r\n", 16, NULL));
  g_assert_cmpuint (c.seen->len, ==, 1);
  g_ptr_array_unref (c.seen);
}

static void
test_oversized (void)
{
  Collector c = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GhDahuaEventParser) parser =
    gh_dahua_event_parser_new ("multipart/x-mixed-replace; boundary=b", event_cb, heartbeat_cb,
                               &c);
  g_autofree char *big = g_malloc (300 * 1024);
  g_autoptr(GError) error = NULL;
  const char *tail = "\n--b\n\nCode=Invite;action=Pulse\n";

  memset (big, 'x', 300 * 1024);
  g_assert_true (gh_dahua_event_parser_feed (parser, "--b\n\nCode=A;data={\n", 19, NULL));
  g_assert_false (gh_dahua_event_parser_feed (parser, big, 300 * 1024, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PROTOCOL);
  /* the parser recovers at the next line and boundary */
  g_assert_true (gh_dahua_event_parser_feed (parser, tail, strlen (tail), NULL));
  g_assert_cmpuint (c.seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (c.seen, 0), ==, "Invite|Pulse|-1|-");
  g_ptr_array_unref (c.seen);
}

static void
test_body_grammar (void)
{
  g_autoptr(GhDahuaRawEvent) e1 = NULL;
  g_autoptr(GhDahuaRawEvent) e2 = NULL;
  g_autoptr(GhDahuaRawEvent) e3 = NULL;
  g_autoptr(GhDahuaRawEvent) e4 = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n;

  e1 = gh_dahua_raw_event_parse ("Code=AccessControl;action=Pulse;index=0;data={\"CardNo\":"
                                 "\"A=1;B=2\",\"Method\":1,\"Status\":\"1\",\"UTC\":1644589321.0}",
                                 -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (e1->code, ==, "AccessControl");
  g_assert_cmpstr (e1->action, ==, "Pulse");
  g_assert_cmpint (e1->index, ==, 0);
  g_assert_cmpstr (gh_dahua_raw_event_get_string (e1, "CardNo"), ==, "A=1;B=2");
  g_assert_true (gh_dahua_raw_event_get_int (e1, "Status", &n));
  g_assert_cmpint (n, ==, 1);
  g_assert_true (gh_dahua_raw_event_get_int (e1, "UTC", &n));
  g_assert_cmpint (n, ==, 1644589321);

  /* index and data optional; keys in any case; unknown fields ignored; value keeps '=' */
  e2 = gh_dahua_raw_event_parse ("code = NetAbort ; Action=Start;extra=a=b", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (e2->code, ==, "NetAbort");
  g_assert_cmpstr (e2->action, ==, "Start");
  g_assert_cmpint (e2->index, ==, -1);
  g_assert_null (e2->data);

  /* data that is not JSON is kept as text */
  e3 = gh_dahua_raw_event_parse ("Code=X;action=Pulse;index=x;data=not json", -1, &error);
  g_assert_no_error (error);
  g_assert_null (e3->data);
  g_assert_cmpstr (e3->data_text, ==, "not json");
  g_assert_cmpint (e3->index, ==, -1);

  e4 = gh_dahua_raw_event_parse ("action=Start;index=0", -1, &error);
  g_assert_null (e4);
  g_assert_error (error, GH_ERROR, GH_ERROR_PROTOCOL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dahua/event-parser/doc-example", test_doc_example);
  g_test_add_func ("/dahua/event-parser/real-wire", test_real_wire);
  g_test_add_func ("/dahua/event-parser/any-split", test_any_split);
  g_test_add_func ("/dahua/event-parser/boundary-variants", test_boundary_variants);
  g_test_add_func ("/dahua/event-parser/custom-boundary", test_custom_boundary);
  g_test_add_func ("/dahua/event-parser/noise", test_noise);
  g_test_add_func ("/dahua/event-parser/no-wait-for-boundary", test_no_wait_for_boundary);
  g_test_add_func ("/dahua/event-parser/oversized", test_oversized);
  g_test_add_func ("/dahua/event-parser/body-grammar", test_body_grammar);

  return g_test_run ();
}
