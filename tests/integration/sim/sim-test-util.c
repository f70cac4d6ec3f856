/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for the simulator's integration tests: run gatehouse-sim as a real process and talk
 * to it with plain libcurl over loopback. */
#include "sim-test-util.h"

#include <curl/curl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

struct _SimStream {
  GThread  *thread;
  GMutex    lock;
  GCond     cond;
  GString  *text;
  GString  *headers;
  char     *url;
  char     *user;
  char     *password;
  gboolean  stop;
  gboolean  done;
  long      status;
};

static void
free_json (gpointer data)
{
  json_object_put (data);
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static const char *
sim_binary (void)
{
  const char *path = g_getenv ("GATEHOUSE_SIM");

  g_assert_nonnull (path);
  return path;
}

SimProc *
sim_proc_start (const char        *community_json,
                const char *const *extra_args)
{
  SimProc *sim = g_new0 (SimProc, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  sim->dir = g_dir_make_tmp ("gh-sim-test-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_build_filename (sim->dir, "community.json", NULL);
  g_file_set_contents (file, community_json, -1, &error);
  g_assert_no_error (error);

  g_ptr_array_add (argv, (gpointer) sim_binary ());
  g_ptr_array_add (argv, (gpointer) "--community");
  g_ptr_array_add (argv, file);
  for (guint i = 0; extra_args && extra_args[i]; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* a failed assertion aborts the test; the simulator must not outlive it */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                               &error);
  g_assert_no_error (error);

  sim->devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        free_json);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  for (;;) {
    g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
    json_object *obj, *v;

    g_assert_no_error (error);
    g_assert_nonnull (line); /* the simulator exited before READY */
    if (g_strcmp0 (line, "READY") == 0)
      break;
    obj = json_tokener_parse (line);
    g_assert_nonnull (obj);
    if (json_object_object_get_ex (obj, "control", &v)) {
      sim->control = g_strdup (json_object_get_string (v));
      json_object_put (obj);
      continue;
    }
    g_assert_true (json_object_object_get_ex (obj, "name", &v));
    g_hash_table_insert (sim->devices, g_strdup (json_object_get_string (v)), obj);
  }
  g_assert_nonnull (sim->control);
  return sim;
}

void
sim_proc_stop (SimProc *sim)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (sim->dir, "community.json", NULL);

  g_subprocess_send_signal (sim->process, SIGTERM);
  g_subprocess_wait_check (sim->process, NULL, &error);
  g_assert_no_error (error); /* a clean exit on SIGTERM */
  g_object_unref (sim->process);
  g_hash_table_unref (sim->devices);
  g_unlink (file);
  {
    g_autofree char *state = g_build_filename (sim->dir, "state.json", NULL);

    g_unlink (state);
  }
  g_rmdir (sim->dir);
  g_free (sim->dir);
  g_free (sim->control);
  g_free (sim);
}

const char *
sim_field (SimProc    *sim,
           const char *device,
           const char *field)
{
  json_object *obj = g_hash_table_lookup (sim->devices, device);
  json_object *v;

  g_assert_nonnull (obj);
  if (!json_object_object_get_ex (obj, field, &v))
    return NULL;
  return json_object_get_string (v);
}

const char *
sim_http (SimProc    *sim,
          const char *device)
{
  return sim_field (sim, device, "http");
}

static size_t
append_cb (char   *data,
           size_t  size,
           size_t  nmemb,
           void   *user_data)
{
  g_string_append_len (user_data, data, size * nmemb);
  return size * nmemb;
}

static SimReply *
perform (const char *url,
         SimAuth     auth,
         const char *user,
         const char *password,
         const char *content_type,
         const char *body,
         gsize       length)
{
  SimReply *reply = g_new0 (SimReply, 1);
  CURL *curl = curl_easy_init ();
  struct curl_slist *headers = NULL;
  g_autofree char *userpwd = NULL;
  CURLcode rc;

  reply->body = g_string_new (NULL);
  reply->headers = g_string_new (NULL);
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, append_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, reply->body);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, append_cb);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, reply->headers);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, 20000L);
  if (auth != SIM_AUTH_NONE) {
    userpwd = g_strdup_printf ("%s:%s", user, password);
    curl_easy_setopt (curl, CURLOPT_USERPWD, userpwd);
    curl_easy_setopt (curl, CURLOPT_HTTPAUTH, auth == SIM_AUTH_DIGEST ? CURLAUTH_DIGEST
                                                                      : CURLAUTH_BASIC);
  }
  if (body) {
    g_autofree char *ct = g_strdup_printf ("Content-Type: %s", content_type);

    headers = curl_slist_append (headers, ct);
    curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE, (long) length);
  }
  rc = curl_easy_perform (curl);
  if (rc == CURLE_OK)
    curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &reply->status);
  else
    reply->status = -(long) rc;
  curl_slist_free_all (headers);
  curl_easy_cleanup (curl);
  return reply;
}

SimReply *
sim_get (const char *url,
         SimAuth     auth,
         const char *user,
         const char *password)
{
  return perform (url, auth, user, password, NULL, NULL, 0);
}

SimReply *
sim_post (const char *url,
          SimAuth     auth,
          const char *user,
          const char *password,
          const char *content_type,
          const char *body,
          gsize       length)
{
  return perform (url, auth, user, password, content_type, body, length);
}

SimReply *
sim_cgi (SimProc    *sim,
         const char *device,
         const char *path_and_query)
{
  g_autofree char *url = g_strconcat (sim_http (sim, device), path_and_query, NULL);
  SimAuth auth = g_strcmp0 (sim_field (sim, device, "auth"), "basic") == 0 ? SIM_AUTH_BASIC
                                                                            : SIM_AUTH_DIGEST;

  return sim_get (url, auth, sim_field (sim, device, "username"),
                  sim_field (sim, device, "password"));
}

SimReply *
sim_cgi_post (SimProc    *sim,
              const char *device,
              const char *path_and_query,
              const char *json)
{
  g_autofree char *url = g_strconcat (sim_http (sim, device), path_and_query, NULL);

  return sim_post (url, SIM_AUTH_DIGEST, sim_field (sim, device, "username"),
                   sim_field (sim, device, "password"), "application/json", json, strlen (json));
}

json_object *
sim_ctl (SimProc    *sim,
         const char *device,
         const char *action,
         const char *json,
         long       *status)
{
  g_autofree char *url = g_strdup_printf ("%s/devices/%s/%s", sim->control, device, action);
  g_autoptr(SimReply) reply = json ? sim_post (url, SIM_AUTH_NONE, NULL, NULL, "application/json",
                                               json, strlen (json))
                                   : sim_get (url, SIM_AUTH_NONE, NULL, NULL);

  if (status)
    *status = reply->status;
  return json_tokener_parse (reply->body->str);
}

json_object *
sim_state (SimProc    *sim,
           const char *device)
{
  long status = 0;
  json_object *state = sim_ctl (sim, device, "state", NULL, &status);

  g_assert_cmpint (status, ==, 200);
  g_assert_nonnull (state);
  return state;
}

void
sim_reply_free (SimReply *reply)
{
  g_string_free (reply->body, TRUE);
  g_string_free (reply->headers, TRUE);
  g_free (reply);
}

/* The value of `key=` in a key=value reply, split on the first `=` only. */
char *
sim_kv (const char *body,
        const char *key)
{
  g_auto(GStrv) lines = g_strsplit (body, "\r\n", -1);
  gsize n = strlen (key);

  for (guint i = 0; lines[i]; i++)
    if (strncmp (lines[i], key, n) == 0 && lines[i][n] == '=')
      return g_strdup (lines[i] + n + 1);
  return NULL;
}

/* Event streams */

static size_t
stream_cb (char   *data,
           size_t  size,
           size_t  nmemb,
           void   *user_data)
{
  SimStream *stream = user_data;

  g_mutex_lock (&stream->lock);
  g_string_append_len (stream->text, data, size * nmemb);
  g_cond_broadcast (&stream->cond);
  g_mutex_unlock (&stream->lock);
  return size * nmemb;
}

static size_t
stream_header_cb (char   *data,
                  size_t  size,
                  size_t  nmemb,
                  void   *user_data)
{
  SimStream *stream = user_data;

  g_mutex_lock (&stream->lock);
  g_string_append_len (stream->headers, data, size * nmemb);
  g_mutex_unlock (&stream->lock);
  return size * nmemb;
}

static int
progress_cb (void       *user_data,
             curl_off_t  a,
             curl_off_t  b,
             curl_off_t  c,
             curl_off_t  d)
{
  SimStream *stream = user_data;
  gboolean stop;

  g_mutex_lock (&stream->lock);
  stop = stream->stop;
  g_mutex_unlock (&stream->lock);
  return stop ? 1 : 0;
}

static gpointer
stream_thread (gpointer user_data)
{
  SimStream *stream = user_data;
  CURL *curl = curl_easy_init ();
  g_autofree char *userpwd = g_strdup_printf ("%s:%s", stream->user, stream->password);

  curl_easy_setopt (curl, CURLOPT_URL, stream->url);
  curl_easy_setopt (curl, CURLOPT_USERPWD, userpwd);
  curl_easy_setopt (curl, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, stream_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, stream);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, stream_header_cb);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, stream);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, progress_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, stream);
  curl_easy_perform (curl);
  g_mutex_lock (&stream->lock);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &stream->status);
  stream->done = TRUE;
  g_cond_broadcast (&stream->cond);
  g_mutex_unlock (&stream->lock);
  curl_easy_cleanup (curl);
  return NULL;
}

SimStream *
sim_stream_open (SimProc    *sim,
                 const char *device,
                 const char *query)
{
  SimStream *stream = g_new0 (SimStream, 1);

  g_mutex_init (&stream->lock);
  g_cond_init (&stream->cond);
  stream->text = g_string_new (NULL);
  stream->headers = g_string_new (NULL);
  stream->url = g_strdup_printf ("%s/cgi-bin/eventManager.cgi?%s", sim_http (sim, device), query);
  stream->user = g_strdup (sim_field (sim, device, "username"));
  stream->password = g_strdup (sim_field (sim, device, "password"));
  stream->thread = g_thread_new ("sim-stream", stream_thread, stream);
  /* Wait until the multipart reply has started, so later events are not missed. */
  g_assert_true (sim_stream_wait (stream, NULL, 5000));
  return stream;
}

gboolean
sim_stream_wait (SimStream  *stream,
                 const char *needle,
                 guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  gboolean found = FALSE;

  if (needle == NULL) {
    /* The reply headers arrive before any part: poll for them. */
    while (!found && g_get_monotonic_time () < deadline) {
      g_mutex_lock (&stream->lock);
      found = strstr (stream->headers->str, " 200 ") != NULL &&
              g_str_has_suffix (stream->headers->str, "\r\n\r\n");
      g_mutex_unlock (&stream->lock);
      if (!found)
        g_usleep (5000);
    }
    return found;
  }
  g_mutex_lock (&stream->lock);
  while (!(found = strstr (stream->text->str, needle) != NULL) && !stream->done)
    if (!g_cond_wait_until (&stream->cond, &stream->lock, deadline))
      break;
  g_mutex_unlock (&stream->lock);
  return found;
}

gboolean
sim_stream_is_done (SimStream *stream)
{
  gboolean done;

  g_mutex_lock (&stream->lock);
  done = stream->done;
  g_mutex_unlock (&stream->lock);
  return done;
}

guint
sim_stream_count (SimStream  *stream,
                  const char *needle)
{
  guint count = 0;
  const char *at;

  g_mutex_lock (&stream->lock);
  for (at = stream->text->str; (at = strstr (at, needle)) != NULL; at += strlen (needle))
    count++;
  g_mutex_unlock (&stream->lock);
  return count;
}

char *
sim_stream_dup_text (SimStream *stream)
{
  char *text;

  g_mutex_lock (&stream->lock);
  text = g_strdup (stream->text->str);
  g_mutex_unlock (&stream->lock);
  return text;
}

char *
sim_stream_dup_headers (SimStream *stream)
{
  char *text;

  g_mutex_lock (&stream->lock);
  text = g_strdup (stream->headers->str);
  g_mutex_unlock (&stream->lock);
  return text;
}

void
sim_stream_clear (SimStream *stream)
{
  g_mutex_lock (&stream->lock);
  g_string_truncate (stream->text, 0);
  g_mutex_unlock (&stream->lock);
}

void
sim_stream_close (SimStream *stream)
{
  g_mutex_lock (&stream->lock);
  stream->stop = TRUE;
  g_mutex_unlock (&stream->lock);
  g_thread_join (stream->thread);
  g_mutex_clear (&stream->lock);
  g_cond_clear (&stream->cond);
  g_string_free (stream->text, TRUE);
  g_string_free (stream->headers, TRUE);
  g_free (stream->url);
  g_free (stream->user);
  g_free (stream->password);
  g_free (stream);
}

/* User + system CPU of process @pid in clock ticks (sysconf (_SC_CLK_TCK)), or -1. */
gint64
sim_cpu_ticks (GPid pid)
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
