/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE /* strcasestr */
/* One gatehouse-sim process with 1,000 devices, every one with an attached event stream:
 * resident memory, idle CPU with heartbeats, and ring latency on the stream.
 * Prints `BENCH <name> <value> <unit>` lines. */
#include <curl/curl.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "sim-test-util.h"

#define PAIRS 500              /* 500 door stations + 500 monitors = 1,000 devices */
#define HEARTBEAT 5            /* seconds */
#define IDLE_SECONDS 10
#define RINGS 200
#define WATCHED 20             /* door stations with a second, dedicated stream for latency */

typedef struct {
  guint    index;
  CURL    *easy;
  gboolean attached;
  char     tail[32];
  gint64   invite_at;          /* monotonic µs when the last Invite part arrived */
} Stream;

static Stream streams[2 * PAIRS];
static Stream watched[WATCHED];

static size_t
header_cb (char   *data,
           size_t  size,
           size_t  nmemb,
           void   *user_data)
{
  Stream *stream = user_data;

  if (size * nmemb > 12 && strncmp (data, "HTTP/1.1 200", 12) == 0)
    stream->attached = TRUE;
  return size * nmemb;
}

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  nmemb,
          void   *user_data)
{
  Stream *stream = user_data;
  size_t len = size * nmemb;
  g_autofree char *joined = g_strconcat (stream->tail, "", NULL);
  g_autoptr(GString) text = g_string_new (joined);

  g_string_append_len (text, data, len);
  if (strstr (text->str, "Code=Invite;") != NULL)
    stream->invite_at = g_get_monotonic_time ();
  g_strlcpy (stream->tail, text->str + (text->len > 16 ? text->len - 16 : 0), sizeof stream->tail);
  return len;
}

static void
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit (RLIMIT_NOFILE, &limit);
  }
}

static long
rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char *at;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (at = strstr (text, "VmRSS:")) == NULL)
    return -1;
  return atol (at + 6);
}

static void
pump (CURLM  *multi,
      gint64  until)
{
  int running;

  while (g_get_monotonic_time () < until) {
    curl_multi_perform (multi, &running);
    curl_multi_poll (multi, NULL, 0, 20, NULL);
  }
}

/* The control requests of the latency test go over one plain keep-alive socket, so the clock
 * starts right before the request's bytes leave, not inside libcurl's bookkeeping. */
static int
control_connect (const char *control)
{
  g_autoptr(GUri) uri = g_uri_parse (control, G_URI_FLAGS_NONE, NULL);
  struct sockaddr_in address = { .sin_family = AF_INET };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;

  g_assert_nonnull (uri);
  address.sin_port = htons (g_uri_get_port (uri));
  inet_pton (AF_INET, g_uri_get_host (uri), &address.sin_addr);
  if (fd < 0 || connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    g_error ("Could not connect to the control interface %s", control);
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static void
control_send (int         fd,
              const char *path,
              const char *body)
{
  g_autofree char *request = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: %zu\r\n\r\n%s",
                                              path, strlen (body), body);

  if (send (fd, request, strlen (request), MSG_NOSIGNAL) != (ssize_t) strlen (request))
    g_error ("Could not send a control request");
}

/* Reads one whole reply (headers and a Content-Length body); returns its status. */
static int
control_reply (int fd)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[4096];
  int status = 0;

  for (;;) {
    const char *end = strstr (text->str, "\r\n\r\n");
    ssize_t n;

    if (end != NULL) {
      const char *length = strcasestr (text->str, "Content-Length:");
      gsize want = (end - text->str) + 4 + (length ? atol (length + 15) : 0);

      if (text->len >= want) {
        sscanf (text->str, "HTTP/1.1 %d", &status);
        return status;
      }
    }
    n = recv (fd, buffer, sizeof buffer, 0);
    if (n <= 0)
      g_error ("The control interface closed the connection");
    g_string_append_len (text, buffer, n);
  }
}

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  const char *binary = g_getenv ("GATEHOUSE_SIM");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) community = g_string_new ("{\"defaults\":{\"ring_timeout_ms\":600000},"
                                               "\"devices\":[");
  g_autofree char *dir = g_dir_make_tmp ("gh-sim-bench-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "community.json", NULL);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *control = NULL;
  CURLM *multi;
  GPid pid;
  gint64 t0, ticks0, ticks1, deadline;
  guint attached = 0;
  gint64 latencies[RINGS] = { 0 };
  long rss;

  if (binary == NULL) {
    g_printerr ("Set GATEHOUSE_SIM to the gatehouse-sim binary\n");
    return 1;
  }
  raise_fd_limit ();
  curl_global_init (CURL_GLOBAL_DEFAULT);

  for (guint i = 0; i < PAIRS; i++)
    g_string_append_printf (community, "%s{\"name\":\"VTO-%u\",\"kind\":\"vto\","
                            "\"number\":\"8%04u\"},"
                            "{\"name\":\"VTH-%u\",\"kind\":\"vth\",\"number\":\"%u\"}",
                            i ? "," : "", i, i, i, 10000 + i);
  g_string_append (community, "]}");
  g_file_set_contents (file, community->str, -1, &error);
  g_assert_no_error (error);

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, binary, "--community", file,
                           NULL);
  g_assert_no_error (error);
  pid = atoi (g_subprocess_get_identifier (proc));
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  for (;;) {
    g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
    g_autoptr(json_object) obj = NULL;
    json_object *v;

    g_assert_no_error (error);
    g_assert_nonnull (line);
    if (g_strcmp0 (line, "READY") == 0)
      break;
    obj = json_tokener_parse (line);
    if (json_object_object_get_ex (obj, "control", &v))
      control = g_strdup (json_object_get_string (v));
    else if (json_object_object_get_ex (obj, "http", &v))
      g_ptr_array_add (urls, g_strdup (json_object_get_string (v)));
  }
  g_assert_cmpuint (urls->len, ==, 2 * PAIRS);

  /* Attach one event stream per device, all on one multi handle. */
  multi = curl_multi_init ();
  for (guint i = 0; i < urls->len; i++) {
    CURL *easy = curl_easy_init ();
    g_autofree char *url = g_strdup_printf ("%s/cgi-bin/eventManager.cgi?action=attach"
                                            "&codes=%%5BAll%%5D&heartbeat=%d",
                                            (char *) urls->pdata[i], HEARTBEAT);

    streams[i].index = i;
    curl_easy_setopt (easy, CURLOPT_URL, url);
    curl_easy_setopt (easy, CURLOPT_USERPWD, "admin:admin123");
    curl_easy_setopt (easy, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
    curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt (easy, CURLOPT_WRITEDATA, &streams[i]);
    curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt (easy, CURLOPT_HEADERDATA, &streams[i]);
    curl_multi_add_handle (multi, easy);
  }
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline) {
    pump (multi, g_get_monotonic_time () + 100 * 1000);
    attached = 0;
    for (guint i = 0; i < urls->len; i++)
      attached += streams[i].attached;
    if (attached == urls->len)
      break;
  }
  if (attached != urls->len) {
    g_printerr ("Only %u of %u event streams attached\n", attached, urls->len);
    return 1;
  }
  pump (multi, g_get_monotonic_time () + 2 * G_USEC_PER_SEC);

  rss = rss_kib (pid);
  printf ("BENCH sim.rss_1000_devices %.1f MiB\n", rss / 1024.0);

  /* Idle: only heartbeats flow. */
  ticks0 = sim_cpu_ticks (pid);
  t0 = g_get_monotonic_time ();
  pump (multi, t0 + IDLE_SECONDS * G_USEC_PER_SEC);
  ticks1 = sim_cpu_ticks (pid);
  printf ("BENCH sim.idle_cpu_1000_devices %.2f %%\n",
          100.0 * (ticks1 - ticks0) / sysconf (_SC_CLK_TCK) /
          ((g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC));

  /* Ring latency: control request sent → Invite part readable on the door station's stream.
   * The 1,000 streams stay attached. The clock starts right before the request leaves a plain
   * keep-alive socket and stops when the watched stream's socket turns readable (poll on that
   * one descriptor); libcurl then reads the part to confirm it is the Invite. Timing libcurl's
   * own loop would add its walk over every transfer (about 1 ms), which is not the sim's. */
  {
    CURLM *fast = curl_multi_init ();
    int control_fd;

    for (guint i = 0; i < WATCHED; i++) {
      CURL *easy = curl_easy_init ();
      g_autofree char *url = g_strdup_printf ("%s/cgi-bin/eventManager.cgi?action=attach"
                                              "&codes=%%5BAll%%5D&heartbeat=%d",
                                              (char *) urls->pdata[2 * i], HEARTBEAT);

      curl_easy_setopt (easy, CURLOPT_URL, url);
      curl_easy_setopt (easy, CURLOPT_USERPWD, "admin:admin123");
      curl_easy_setopt (easy, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
      curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, write_cb);
      curl_easy_setopt (easy, CURLOPT_WRITEDATA, &watched[i]);
      curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, header_cb);
      curl_easy_setopt (easy, CURLOPT_HEADERDATA, &watched[i]);
      watched[i].easy = easy;
      curl_multi_add_handle (fast, easy);
    }
    deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    for (attached = 0; attached < WATCHED && g_get_monotonic_time () < deadline;) {
      pump (fast, g_get_monotonic_time () + 50 * 1000);
      attached = 0;
      for (guint i = 0; i < WATCHED; i++)
        attached += watched[i].attached;
    }
    if (attached != WATCHED) {
      g_printerr ("The latency streams did not attach\n");
      return 1;
    }

    control_fd = control_connect (control);
    for (guint r = 0; r < RINGS; r++) {
      guint door = r % WATCHED;
      Stream *stream = &watched[door];
      g_autofree char *ring_path = g_strdup_printf ("/devices/VTO-%u/ring", door);
      g_autofree char *hang_path = g_strdup_printf ("/devices/VTO-%u/hangup", door);
      g_autofree char *body = g_strdup_printf ("{\"room\":\"%u\"}", 10000 + door);
      curl_socket_t fd = CURL_SOCKET_BAD;
      gint64 start;

      curl_easy_getinfo (stream->easy, CURLINFO_ACTIVESOCKET, &fd);
      g_assert_true (fd != CURL_SOCKET_BAD);
      stream->invite_at = 0;
      start = g_get_monotonic_time ();
      control_send (control_fd, ring_path, body);
      deadline = start + 5 * G_USEC_PER_SEC;
      /* Wait on the stream's own socket; when it turns readable, let libcurl read the part
       * and check that it is the Invite (a heartbeat may come first). */
      while (latencies[r] == 0 && g_get_monotonic_time () < deadline) {
        struct pollfd ready = { .fd = fd, .events = POLLIN };
        gint64 readable;
        int running;

        if (poll (&ready, 1, 100) <= 0)
          continue;
        readable = g_get_monotonic_time ();
        curl_multi_perform (fast, &running);
        if (stream->invite_at != 0)
          latencies[r] = readable - start;
      }
      if (latencies[r] == 0) {
        g_printerr ("Ring %u never reached the event stream\n", r);
        return 1;
      }
      if (control_reply (control_fd) != 200) {
        g_printerr ("Ring %u was refused\n", r);
        return 1;
      }
      control_send (control_fd, hang_path, "{}");
      control_reply (control_fd);
      /* keep every stream drained between rings */
      pump (fast, g_get_monotonic_time () + 5 * 1000);
      pump (multi, g_get_monotonic_time () + 5 * 1000);
    }
    close (control_fd);
  }
  qsort (latencies, RINGS, sizeof (gint64), compare_gint64);
  printf ("BENCH sim.ring_latency_p50 %.3f ms\n", latencies[RINGS / 2] / 1000.0);
  printf ("BENCH sim.ring_latency_p99 %.3f ms\n", latencies[(RINGS * 99) / 100 - 1] / 1000.0);

  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
  g_unlink (file);
  g_rmdir (dir);
  curl_global_cleanup ();
  return 0;
}
