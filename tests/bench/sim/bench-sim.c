/* SPDX-License-Identifier: GPL-3.0-or-later */
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
#include <sys/resource.h>
#include <unistd.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_object, json_object_put)

#define PAIRS 500              /* 500 door stations + 500 monitors = 1,000 devices */
#define HEARTBEAT 5            /* seconds */
#define IDLE_SECONDS 10
#define RINGS 200
#define WATCHED 20             /* door stations with a second, dedicated stream for latency */

typedef struct {
  guint    index;
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

static size_t
discard_cb (char   *data,
            size_t  size,
            size_t  nmemb,
            void   *user_data)
{
  return size * nmemb;
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

static gint64
cpu_ticks (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  const char *after;
  unsigned long utime = 0, stime = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  after = strrchr (text, ')');
  /* fields after the command: state(3) … utime(14) stime(15) */
  if (sscanf (after + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
              &utime, &stime) != 2)
    return -1;
  return utime + stime;
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
  gint64 latencies[RINGS];
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
  ticks0 = cpu_ticks (pid);
  t0 = g_get_monotonic_time ();
  pump (multi, t0 + IDLE_SECONDS * G_USEC_PER_SEC);
  ticks1 = cpu_ticks (pid);
  printf ("BENCH sim.idle_cpu_1000_devices %.2f %%\n",
          100.0 * (ticks1 - ticks0) / sysconf (_SC_CLK_TCK) /
          ((g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC));

  /* Ring latency: control request sent → Invite part read from the door station's stream. The
   * 1,000 streams stay attached; the measured stream sits on its own small multi handle, since
   * curl_multi_perform() walks every transfer of a handle and would time libcurl, not the sim. */
  {
    CURLM *fast = curl_multi_init ();

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

    for (guint r = 0; r < RINGS; r++) {
      guint door = r % WATCHED;
      Stream *stream = &watched[door];
      CURL *ring = curl_easy_init ();
      CURL *hang = curl_easy_init ();
      g_autofree char *ring_url = g_strdup_printf ("%s/devices/VTO-%u/ring", control, door);
      g_autofree char *hang_url = g_strdup_printf ("%s/devices/VTO-%u/hangup", control, door);
      g_autofree char *body = g_strdup_printf ("{\"room\":\"%u\"}", 10000 + door);
      gint64 start;

      curl_easy_setopt (ring, CURLOPT_URL, ring_url);
      curl_easy_setopt (ring, CURLOPT_COPYPOSTFIELDS, body);
      curl_easy_setopt (ring, CURLOPT_WRITEFUNCTION, discard_cb);
      stream->invite_at = 0;
      start = g_get_monotonic_time ();
      curl_multi_add_handle (fast, ring);
      deadline = start + 5 * G_USEC_PER_SEC;
      while (stream->invite_at == 0 && g_get_monotonic_time () < deadline) {
        int running;

        curl_multi_perform (fast, &running);
        if (stream->invite_at == 0)
          curl_multi_poll (fast, NULL, 0, 1, NULL);
      }
      if (stream->invite_at == 0) {
        g_printerr ("Ring %u never reached the event stream\n", r);
        return 1;
      }
      latencies[r] = stream->invite_at - start;
      pump (fast, g_get_monotonic_time () + 5 * 1000);
      curl_multi_remove_handle (fast, ring);
      curl_easy_cleanup (ring);

      curl_easy_setopt (hang, CURLOPT_URL, hang_url);
      curl_easy_setopt (hang, CURLOPT_COPYPOSTFIELDS, "{}");
      curl_easy_setopt (hang, CURLOPT_WRITEFUNCTION, discard_cb);
      curl_multi_add_handle (fast, hang);
      pump (fast, g_get_monotonic_time () + 10 * 1000);
      curl_multi_remove_handle (fast, hang);
      curl_easy_cleanup (hang);
      /* keep the 1,000 streams drained between rings */
      pump (multi, g_get_monotonic_time () + 5 * 1000);
    }
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
