/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-http"

#include "config.h"

#include <curl/curl.h>
#include <libsoup/soup.h>
#include <sys/epoll.h>

#include "gh-error.h"
#include "gh-http.h"

/* A libsoup server in this process is the peer for the HTTP plumbing itself: Digest and
 * Basic authentication, slow and silent replies, streamed bodies. */

typedef struct {
  SoupServer *server;
  char       *base;
  GPtrArray  *paused;  /* messages held open */
  GPtrArray  *streams;
  GHashTable *peers;   /* remote "address:port" of every connection a request came on */
  guint       n_requests;
} Fixture;

static char *
digest_password_cb (SoupAuthDomain    *domain,
                    SoupServerMessage *msg,
                    const char        *username,
                    gpointer           user_data)
{
  if (g_strcmp0 (username, "admin") != 0)
    return NULL;
  return soup_auth_domain_digest_encode_password (username, "Login to TEST", "secret");
}

static gboolean
basic_check_cb (SoupAuthDomain    *domain,
                SoupServerMessage *msg,
                const char        *username,
                const char        *password,
                gpointer           user_data)
{
  return g_strcmp0 (username, "admin") == 0 && g_strcmp0 (password, "secret") == 0;
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *f = user_data;

  if (g_str_has_suffix (path, "/hello")) {
    const char *q = query ? g_hash_table_lookup (query, "name") : NULL;
    g_autofree char *body = g_strdup_printf ("hello=%s\r\n", q ? q : "");

    soup_server_message_set_status (msg, 200, NULL);
    soup_server_message_set_response (msg, "text/plain;charset=utf-8", SOUP_MEMORY_COPY,
                                      body, strlen (body));
  } else if (g_str_has_suffix (path, "/echo")) {
    SoupMessageBody *req = soup_server_message_get_request_body (msg);
    g_autoptr(GBytes) bytes = soup_message_body_flatten (req);

    soup_server_message_set_status (msg, 200, NULL);
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                      g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  } else if (g_str_has_suffix (path, "/bad")) {
    soup_server_message_set_status (msg, 400, NULL);
    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                      "Error\r\nBad Request!\r\n", 22);
  } else if (g_str_has_suffix (path, "/silent")) {
    soup_server_message_pause (msg);
    g_ptr_array_add (f->paused, g_object_ref (msg));
  } else if (g_str_has_suffix (path, "/eofstream")) {
    SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);

    /* as a Dahua device sends its event stream: no length, no chunks, to the end of the
     * connection */
    soup_message_headers_set_encoding (h, SOUP_ENCODING_EOF);
    soup_message_headers_set_content_type (h, "multipart/x-mixed-replace; boundary=myboundary",
                                           NULL);
    soup_server_message_set_status (msg, 200, NULL);
    soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                              "--myboundary\r\n", 14);
    g_ptr_array_add (f->streams, g_object_ref (msg));
  } else if (g_str_has_suffix (path, "/stream")) {
    SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);

    soup_message_headers_set_encoding (h, SOUP_ENCODING_CHUNKED);
    soup_message_headers_set_content_type (h, "multipart/x-mixed-replace; boundary=myboundary",
                                           NULL);
    soup_server_message_set_status (msg, 200, NULL);
    soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                              "--myboundary\r\n", 14);
    g_ptr_array_add (f->streams, g_object_ref (msg));
  } else {
    soup_server_message_set_status (msg, 404, NULL);
  }
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  Fixture *f = user_data;
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  g_autofree char *peer = NULL;

  g_assert_nonnull (remote);
  peer = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (remote));
  g_hash_table_add (f->peers, g_steal_pointer (&peer));
  f->n_requests++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupAuthDomain) digest = NULL;
  g_autoptr(SoupAuthDomain) basic = NULL;
  GSList *uris;

  f->paused = g_ptr_array_new_with_free_func (g_object_unref);
  f->streams = g_ptr_array_new_with_free_func (g_object_unref);
  f->peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->server = soup_server_new (NULL, NULL);
  g_signal_connect (f->server, "request-started", G_CALLBACK (request_started_cb), f);
  digest = soup_auth_domain_digest_new ("realm", "Login to TEST", NULL);
  soup_auth_domain_add_path (digest, "/digest");
  soup_auth_domain_digest_set_auth_callback (digest, digest_password_cb, NULL, NULL);
  soup_server_add_auth_domain (f->server, digest);
  basic = soup_auth_domain_basic_new ("realm", "Device_CGI", NULL);
  soup_auth_domain_add_path (basic, "/basic");
  soup_auth_domain_basic_set_auth_callback (basic, basic_check_cb, NULL, NULL);
  soup_server_add_auth_domain (f->server, basic);
  soup_server_add_handler (f->server, NULL, handler_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < f->paused->len; i++)
    soup_server_message_unpause (g_ptr_array_index (f->paused, i));
  g_ptr_array_unref (f->paused);
  g_ptr_array_unref (f->streams);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_hash_table_unref (f->peers);
  g_free (f->base);
  while (g_main_context_iteration (NULL, FALSE));
}

typedef struct {
  GhHttpResponse *response;
  GError         *error;
  gboolean        done;
} Result;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;

  r->response = gh_http_send_finish (GH_HTTP (source), result, &r->error);
  r->done = TRUE;
}

static void
spin_until (gboolean *flag,
            guint     seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!*flag) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_main_context_iteration (NULL, TRUE);
  }
}

static void
request (GhHttpRequest *req,
         GCancellable  *cancellable,
         Result        *r)
{
  g_autoptr(GhHttp) http = gh_http_get_default ();

  memset (r, 0, sizeof *r);
  gh_http_send_async (http, req, cancellable, send_cb, r);
  spin_until (&r->done, 20);
}

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->response, gh_http_response_free);
  g_clear_error (&r->error);
}

static void
test_digest (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/digest/hello?name=%s", f->base, "ab");
  GhHttpRequest req = { .url = url, .username = "admin", .password = "secret",
                        .timeout_ms = 5000 };
  Result r;

  request (&req, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (r.response->status, ==, 200);
  g_assert_cmpstr (r.response->content_type, ==, "text/plain;charset=utf-8");
  g_assert_cmpstr (g_bytes_get_data (r.response->body, NULL), ==, "hello=ab\r\n");
  result_clear (&r);

  req.password = "wrong";
  request (&req, NULL, &r);
  g_assert_error (r.error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  result_clear (&r);
}

static void
test_basic_fallback (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/basic/hello", f->base);
  GhHttpRequest req = { .url = url, .username = "admin", .password = "secret",
                        .timeout_ms = 5000 };
  Result r;

  request (&req, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (r.response->status, ==, 200);
  result_clear (&r);
}

static void
test_post_and_status (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/digest/echo", f->base);
  g_autofree char *bad = g_strdup_printf ("%s/bad", f->base);
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"UserList\":[]}", 15);
  GhHttpRequest req = { .method = "POST", .url = url, .username = "admin",
                        .password = "secret", .body = body,
                        .content_type = "application/json", .timeout_ms = 5000 };
  GhHttpRequest req_bad = { .url = bad, .timeout_ms = 5000 };
  Result r;

  request (&req, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (g_bytes_get_data (r.response->body, NULL), ==, "{\"UserList\":[]}");
  result_clear (&r);

  /* HTTP 400 is an answer, not a transport error: the body says why */
  request (&req_bad, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (r.response->status, ==, 400);
  result_clear (&r);
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_autofree char *url = NULL;
  GhHttpRequest req = { .timeout_ms = 5000 };
  Result r;

  /* a port that was just free */
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u/x", port);
  req.url = url;
  request (&req, NULL, &r);
  g_assert_error (r.error, GH_ERROR, GH_ERROR_UNREACHABLE);
  result_clear (&r);
}

static void
test_timeout_and_cancel (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/silent", f->base);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GhHttp) http = gh_http_get_default ();
  GhHttpRequest req = { .url = url, .timeout_ms = 300 };
  GhHttpRequest idle = { .url = url, .idle_timeout_ms = 300 };
  Result r;

  request (&req, NULL, &r);
  g_assert_error (r.error, GH_ERROR, GH_ERROR_TIMED_OUT);
  result_clear (&r);

  request (&idle, NULL, &r);
  g_assert_error (r.error, GH_ERROR, GH_ERROR_TIMED_OUT);
  result_clear (&r);

  req.timeout_ms = 10000;
  memset (&r, 0, sizeof r);
  gh_http_send_async (http, &req, cancellable, send_cb, &r);
  g_timeout_add_once (100, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  spin_until (&r.done, 5);
  g_assert_error (r.error, GH_ERROR, GH_ERROR_CANCELLED);
  result_clear (&r);

  /* already cancelled */
  request (&req, cancellable, &r);
  g_assert_error (r.error, GH_ERROR, GH_ERROR_CANCELLED);
  result_clear (&r);
  g_assert_cmpuint (gh_http_get_n_active (http), ==, 0);
}

/* Many requests at once share one multi handle on one main loop. */
static void
test_concurrent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GhHttp) http = gh_http_get_default ();
  Result results[24];
  g_autofree char *urls[G_N_ELEMENTS (results)];

  for (guint i = 0; i < G_N_ELEMENTS (results); i++) {
    GhHttpRequest req = { .username = "admin", .password = "secret", .timeout_ms = 10000 };

    urls[i] = g_strdup_printf ("%s/digest/hello?name=%u", f->base, i);
    req.url = urls[i];
    memset (&results[i], 0, sizeof results[i]);
    gh_http_send_async (http, &req, NULL, send_cb, &results[i]);
  }
  for (guint i = 0; i < G_N_ELEMENTS (results); i++) {
    g_autofree char *expected = g_strdup_printf ("hello=%u\r\n", i);

    spin_until (&results[i].done, 20);
    g_assert_no_error (results[i].error);
    g_assert_cmpstr (g_bytes_get_data (results[i].response->body, NULL), ==, expected);
    result_clear (&results[i]);
    g_free (urls[i]);
    urls[i] = NULL;
  }
}

/* Sequential requests to one device travel on one kept-alive connection (a new TCP and, for
 * HTTPS, TLS handshake per request made pushing to many devices CPU-bound), and only the
 * first one pays for the Digest 401 round trip. */
static void
test_connection_reuse (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GhHttp) http = gh_http_get_default ();  /* one engine for every request */
  const guint n = 30;

  for (guint i = 0; i < n; i++) {
    g_autofree char *url = NULL;
    g_autofree char *expected = NULL;
    g_autofree char *json = g_strdup_printf ("{\"n\":%u}", i);
    g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
    GhHttpRequest req = { .username = "admin", .password = "secret", .timeout_ms = 5000 };
    Result r;

    /* GET and POST alternate on the same remembered handles */
    if (i % 2 == 0) {
      url = g_strdup_printf ("%s/digest/hello?name=%u", f->base, i);
      expected = g_strdup_printf ("hello=%u\r\n", i);
    } else {
      url = g_strdup_printf ("%s/digest/echo", f->base);
      expected = g_strdup (json);
      req.method = "POST";
      req.body = body;
      req.content_type = "application/json";
    }
    req.url = url;
    request (&req, NULL, &r);
    g_assert_no_error (r.error);
    g_assert_cmpuint (r.response->status, ==, 200);
    g_assert_cmpstr (g_bytes_get_data (r.response->body, NULL), ==, expected);
    result_clear (&r);
  }
  g_test_message ("%u requests (auth rounds included) on %u connections", f->n_requests,
                  g_hash_table_size (f->peers));
  g_assert_cmpuint (f->n_requests, >=, n);
  g_assert_cmpuint (f->n_requests, <=, n + 2);
  g_assert_cmpuint (g_hash_table_size (f->peers), ==, 1);
}

/* A remembered authentication the server refuses (here: a Digest handle sent to a path that
 * wants Basic, as after a device swapped its firmware) is retried from scratch, and a
 * password that really is wrong still fails. */
static void
test_auth_memory_refused (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GhHttp) http = gh_http_get_default ();
  g_autofree char *digest = g_strdup_printf ("%s/digest/hello?name=d", f->base);
  g_autofree char *basic = g_strdup_printf ("%s/basic/hello?name=b", f->base);
  GhHttpRequest req = { .username = "admin", .password = "secret", .timeout_ms = 5000 };
  Result r;

  for (guint i = 0; i < 6; i++) {
    req.url = i % 2 == 0 ? digest : basic;
    req.password = "secret";
    request (&req, NULL, &r);
    g_assert_no_error (r.error);
    g_assert_cmpuint (r.response->status, ==, 200);
    g_assert_cmpstr (g_bytes_get_data (r.response->body, NULL), ==,
                     i % 2 == 0 ? "hello=d\r\n" : "hello=b\r\n");
    result_clear (&r);

    req.password = "wrong";
    request (&req, NULL, &r);
    g_assert_error (r.error, GH_ERROR, GH_ERROR_AUTH_FAILED);
    result_clear (&r);
  }
  g_assert_cmpuint (gh_http_get_n_active (http), ==, 0);
}

/* Many devices served one after the other (a push to a whole site) each keep their own idle
 * connection: the engine must not evict them down to a few cached connections. */
static void
test_connection_reuse_many (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GhHttp) http = gh_http_get_default ();
  Fixture devices[12];
  const guint rounds = 4;

  for (guint d = 0; d < G_N_ELEMENTS (devices); d++) {
    memset (&devices[d], 0, sizeof devices[d]);
    fixture_setup (&devices[d], NULL);
  }
  for (guint round = 0; round < rounds; round++) {
    for (guint d = 0; d < G_N_ELEMENTS (devices); d++) {
      g_autofree char *url = g_strdup_printf ("%s/digest/hello?name=%u", devices[d].base, d);
      GhHttpRequest req = { .url = url, .username = "admin", .password = "secret",
                            .timeout_ms = 5000 };
      Result r;

      request (&req, NULL, &r);
      g_assert_no_error (r.error);
      g_assert_cmpuint (r.response->status, ==, 200);
      result_clear (&r);
    }
  }
  for (guint d = 0; d < G_N_ELEMENTS (devices); d++) {
    g_test_message ("device %u: %u requests on %u connections", d, devices[d].n_requests,
                    g_hash_table_size (devices[d].peers));
    g_assert_cmpuint (devices[d].n_requests, >=, rounds);
    g_assert_cmpuint (g_hash_table_size (devices[d].peers), ==, 1);
    fixture_teardown (&devices[d], NULL);
  }
}

typedef struct {
  guint     status;
  char     *content_type;
  GString  *data;
  GError   *error;
  gboolean  closed;
  gboolean  got_headers;
} StreamState;

static void
stream_headers_cb (guint       status,
                   const char *content_type,
                   gpointer    user_data)
{
  StreamState *s = user_data;

  s->status = status;
  s->content_type = g_strdup (content_type);
  s->got_headers = TRUE;
}

static void
stream_data_cb (const char *data,
                gsize       len,
                gpointer    user_data)
{
  StreamState *s = user_data;

  g_string_append_len (s->data, data, len);
}

static void
stream_closed_cb (const GError *error,
                  gpointer      user_data)
{
  StreamState *s = user_data;

  s->error = error ? g_error_copy (error) : NULL;
  s->closed = TRUE;
}

static const GhHttpStreamFuncs stream_funcs = {
  stream_headers_cb, stream_data_cb, stream_closed_cb,
};

static void
test_stream_watchdog (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/digest/stream", f->base);
  g_autoptr(GhHttp) http = gh_http_get_default ();
  GhHttpRequest req = { .url = url, .username = "admin", .password = "secret",
                        .idle_timeout_ms = 600 };
  StreamState s = { .data = g_string_new (NULL) };
  SoupServerMessage *msg;

  gh_http_stream_start (http, &req, &stream_funcs, &s);
  spin_until (&s.got_headers, 10);
  g_assert_cmpuint (s.status, ==, 200);
  g_assert_cmpstr (s.content_type, ==, "multipart/x-mixed-replace; boundary=myboundary");
  while (f->streams->len == 0)
    g_main_context_iteration (NULL, TRUE);
  msg = g_ptr_array_index (f->streams, 0);

  /* keep the stream alive past the idle limit with small chunks */
  for (guint i = 0; i < 4; i++) {
    gint64 until = g_get_monotonic_time () + 250 * 1000;

    soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                              "Heartbeat\r\n", 11);
    soup_server_message_unpause (msg);
    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
    g_assert_false (s.closed);
    /* chunked: curl decodes it, so curl reads it */
    g_assert_cmpuint (gh_http_get_n_direct_streams (http), ==, 0);
  }
  /* then go silent without closing the socket: the watchdog must notice */
  spin_until (&s.closed, 10);
  g_assert_error (s.error, GH_ERROR, GH_ERROR_TIMED_OUT);
  g_assert_true (g_str_has_prefix (s.data->str, "--myboundary\r\nHeartbeat\r\n"));
  g_clear_error (&s.error);
  g_free (s.content_type);
  g_string_free (s.data, TRUE);
}

/* Appends @text to the stream @msg and waits until the client holds @total bytes. */
static void
stream_send (SoupServerMessage *msg,
             const char        *text,
             StreamState       *s,
             gsize              total)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY,
                            text, strlen (text));
  soup_server_message_unpause (msg);
  while (s->data->len < total) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_assert_false (s->closed);
    g_main_context_iteration (NULL, TRUE);
  }
}

static void
spin_for_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static void
stream_state_clear (StreamState *s)
{
  g_clear_error (&s->error);
  g_free (s->content_type);
  g_string_free (s->data, TRUE);
}

/* A stream that runs to the end of the connection (after a Digest round) is read without
 * curl once its headers are in: every byte arrives in order, the end of the body closes it
 * cleanly, and the watchdog and cancelling work on it as on any stream. */
static void
test_stream_direct (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/digest/eofstream", f->base);
  g_autoptr(GhHttp) http = gh_http_get_default ();
  GhHttpRequest req = { .url = url, .username = "admin", .password = "secret",
                        .idle_timeout_ms = 600 };
  StreamState s = { .data = g_string_new (NULL) };
  g_autoptr(GString) expected = g_string_new ("--myboundary\r\n");
  SoupServerMessage *msg;

  gh_http_stream_start (http, &req, &stream_funcs, &s);
  spin_until (&s.got_headers, 10);
  g_assert_cmpuint (s.status, ==, 200);
  while (f->streams->len == 0 || s.data->len < expected->len)
    g_main_context_iteration (NULL, TRUE);
  msg = g_ptr_array_index (f->streams, 0);
  /* taken from curl after the first bytes */
  for (gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;
       gh_http_get_n_direct_streams (http) == 0 && g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (gh_http_get_n_direct_streams (http), ==, 1);

  for (guint i = 0; i < 5; i++) {
    g_autofree char *part = g_strdup_printf ("Content-Type: text/plain\r\n\r\n"
                                             "Code=Test;action=Pulse;index=%u\r\n"
                                             "--myboundary\r\n", i);

    g_string_append (expected, part);
    stream_send (msg, part, &s, expected->len);
  }
  g_assert_cmpstr (s.data->str, ==, expected->str);

  /* the device ends the body: a clean end, nothing left behind */
  soup_message_body_complete (soup_server_message_get_response_body (msg));
  soup_server_message_unpause (msg);
  spin_until (&s.closed, 10);
  g_assert_no_error (s.error);
  g_assert_cmpstr (s.data->str, ==, expected->str);
  g_assert_cmpuint (gh_http_get_n_direct_streams (http), ==, 0);
  g_assert_cmpuint (gh_http_get_n_active (http), ==, 0);
  stream_state_clear (&s);
}

/* Starts a stream to the fixture's /eofstream and waits until it is read without curl. */
static GhHttpStream *
direct_stream_start (Fixture       *f,
                     GhHttp        *http,
                     GhHttpRequest *req,
                     StreamState   *s)
{
  GhHttpStream *stream = gh_http_stream_start (http, req, &stream_funcs, s);

  while (f->streams->len == 0 || s->data->len == 0)
    g_main_context_iteration (NULL, TRUE);
  stream_send (g_ptr_array_index (f->streams, 0), "Heartbeat\r\n", s, 14 + 11);
  g_assert_cmpuint (gh_http_get_n_direct_streams (http), ==, 1);
  return stream;
}

static void
test_stream_direct_watchdog (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/eofstream", f->base);
  g_autoptr(GhHttp) http = gh_http_get_default ();
  GhHttpRequest req = { .url = url, .idle_timeout_ms = 600 };
  StreamState s = { .data = g_string_new (NULL) };

  direct_stream_start (f, http, &req, &s);
  /* silent without closing: the watchdog ends it, and the socket leaves the epoll set */
  spin_until (&s.closed, 10);
  g_assert_error (s.error, GH_ERROR, GH_ERROR_TIMED_OUT);
  g_assert_cmpuint (gh_http_get_n_direct_streams (http), ==, 0);
  g_assert_cmpuint (gh_http_get_n_active (http), ==, 0);
  stream_state_clear (&s);
}

static void
test_stream_direct_cancel (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/eofstream", f->base);
  g_autoptr(GhHttp) http = gh_http_get_default ();
  GhHttpRequest req = { .url = url };
  StreamState s = { .data = g_string_new (NULL) };

  gh_http_stream_cancel (direct_stream_start (f, http, &req, &s));
  spin_for_ms (200);
  g_assert_false (s.closed);  /* no callback after cancel */
  g_assert_cmpuint (gh_http_get_n_direct_streams (http), ==, 0);
  g_assert_cmpuint (gh_http_get_n_active (http), ==, 0);
  stream_state_clear (&s);
}

static void
test_stream_cancel (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/stream", f->base);
  g_autoptr(GhHttp) http = gh_http_get_default ();
  GhHttpRequest req = { .url = url };
  StreamState s = { .data = g_string_new (NULL) };
  GhHttpStream *stream;

  stream = gh_http_stream_start (http, &req, &stream_funcs, &s);
  spin_until (&s.got_headers, 10);
  gh_http_stream_cancel (stream);
  spin_for_ms (200);
  g_assert_false (s.closed);  /* no callback after cancel */
  g_assert_cmpuint (gh_http_get_n_active (http), ==, 0);
  stream_state_clear (&s);
}

static void
test_escape (void)
{
  g_autofree char *a = gh_http_escape ("Zhang San/ü&=;");
  g_autofree char *b = gh_http_escape ("2026-03-26 12:22:31");

  g_assert_cmpstr (a, ==, "Zhang%20San%2F%C3%BC%26%3D%3B");
  g_assert_cmpstr (b, ==, "2026-03-26%2012%3A22%3A31");
}

/* A hang-up with the reply still unread is readable, not a socket error. */
static void
test_poll_condition (void)
{
  g_assert_cmpint (gh_http_epoll_to_curl (EPOLLIN), ==, CURL_CSELECT_IN);
  g_assert_cmpint (gh_http_epoll_to_curl (EPOLLOUT), ==, CURL_CSELECT_OUT);
  g_assert_cmpint (gh_http_epoll_to_curl (EPOLLIN | EPOLLHUP), ==, CURL_CSELECT_IN);
  g_assert_cmpint (gh_http_epoll_to_curl (EPOLLHUP), ==, CURL_CSELECT_IN);
  g_assert_cmpint (gh_http_epoll_to_curl (EPOLLRDHUP), ==, CURL_CSELECT_IN);
  g_assert_cmpint (gh_http_epoll_to_curl (EPOLLOUT | EPOLLHUP), ==,
                   CURL_CSELECT_IN | CURL_CSELECT_OUT);
  g_assert_cmpint (gh_http_epoll_to_curl (EPOLLERR), ==, CURL_CSELECT_ERR);
  g_assert_cmpint (gh_http_epoll_to_curl (EPOLLIN | EPOLLERR | EPOLLHUP), ==,
                   CURL_CSELECT_IN | CURL_CSELECT_ERR);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/http/digest", test_digest);
  ADD ("/http/basic-fallback", test_basic_fallback);
  ADD ("/http/post-and-status", test_post_and_status);
  ADD ("/http/unreachable", test_unreachable);
  ADD ("/http/timeout-and-cancel", test_timeout_and_cancel);
  ADD ("/http/concurrent", test_concurrent);
  ADD ("/http/connection-reuse", test_connection_reuse);
  ADD ("/http/connection-reuse-many", test_connection_reuse_many);
  ADD ("/http/auth-memory-refused", test_auth_memory_refused);
  ADD ("/http/stream-watchdog", test_stream_watchdog);
  ADD ("/http/stream-cancel", test_stream_cancel);
  ADD ("/http/stream-direct", test_stream_direct);
  ADD ("/http/stream-direct-watchdog", test_stream_direct_watchdog);
  ADD ("/http/stream-direct-cancel", test_stream_direct_cancel);
#undef ADD
  g_test_add_func ("/http/escape", test_escape);
  g_test_add_func ("/http/poll-condition", test_poll_condition);

  return g_test_run ();
}
