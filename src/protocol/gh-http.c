/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-http"

#include "config.h"

#include "gh-http.h"

#include "gh-error.h"

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <errno.h>
#include <glib-unix.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

/*
 * One libcurl multi handle per GMainContext drives every device transfer: curl tells us which
 * sockets to watch (CURLMOPT_SOCKETFUNCTION) and when to wake up (CURLMOPT_TIMERFUNCTION); we
 * call curl_multi_socket_action() when they are ready. No thread per device, no blocking call
 * on the main loop.
 *
 * The sockets sit in one epoll set, watched by a single GSource: a site keeps an event stream
 * open to every device, and with one GSource per socket each main-loop turn would poll and
 * check a thousand descriptors to find the one that has data. Likewise one sweep timer checks
 * the read-idle watchdogs of all streams instead of a timer per stream.
 *
 * A plain-HTTP stream whose body runs to the end of the connection (an event stream: no
 * length, no transfer or content encoding) is read here once its final headers are in:
 * curl pauses the transfer and we read its socket from the same epoll set. Per event part
 * that saves curl's own work and the poll() it makes after every read, which were a fifth
 * of the driver's CPU with a thousand streams. Everything before (connection, the Digest
 * round, the headers) and every other transfer stays with curl.
 */

#define DEFAULT_CONNECT_TIMEOUT_MS 5000
#define MAX_BODY (16 * 1024 * 1024)
/* Idle kept-alive connections the engine holds, at most: one per device of a large site.
 * curl's default (4 per transfer in flight) evicted them while a push went from device to
 * device, so nearly every request paid for a new TCP (and TLS) handshake. */
#define MAX_IDLE_CONNECTIONS 4096
#define MIN_IDLE_CONNECTIONS 64
/* Finished easy handles kept for the next request to the same device with the same
 * credentials: they remember the negotiated authentication (Digest nonce, or Basic), so the
 * next request is sent signed at once instead of after a 401 round trip (and an unsigned
 * POST does not send its body twice). */
#define MAX_IDLE_EASY_PER_DEVICE 4
#define MAX_IDLE_EASY 512
/* How often the read-idle watchdogs of streams are checked. */
#define WATCHDOG_SWEEP_MS 250

struct _GhHttp
{
  GObject       parent_instance;

  GMainContext *context;  /* (owned) */
  CURLM        *multi;    /* (owned) */
  int           epoll_fd;
  GSource      *epoll_source; /* (owned) */
  GHashTable   *sockets;  /* (owned) set of the fds in the epoll set */
  GSource      *timer;    /* (owned) (nullable) */
  GHashTable   *watched;  /* (owned) set of Transfer* with a read-idle watchdog */
  GHashTable   *taken;    /* (owned) fd → Transfer*: streams read here, not by curl */
  GPtrArray    *to_take;  /* (owned) Transfer* to read here after the current curl call */
  GSource      *sweep;    /* (owned) (nullable) runs while @watched is not empty */
  GHashTable   *idle;     /* (owned) device key → GQueue* (owned) of CURL* (owned) */
  guint         n_idle;
  guint         n_active;
};

G_DEFINE_FINAL_TYPE (GhHttp, gh_http, G_TYPE_OBJECT)

typedef struct {
  GhHttp             *http;          /* (owned) */
  CURL               *easy;          /* (owned) */
  char               *key;           /* (owned) device and credentials, for the idle pool */
  gboolean            reused;        /* easy came from the idle pool */
  gboolean            retried;       /* already restarted once on a fresh easy handle */
  gboolean            resent;        /* already resent once on a fresh connection */
  gboolean            answered;      /* a byte of the final (not 401) response arrived */
  gboolean            reusable;      /* finished cleanly: easy may go back to the pool */
  char               *url;           /* (owned) */
  char               *method;        /* (owned) */
  char               *username;      /* (owned) (nullable) */
  char               *password;      /* (owned) (nullable) */
  guint               timeout_ms;
  guint               connect_timeout_ms;
  gboolean            verify_tls;
  char               *tls_pin;       /* (owned) (nullable) */
  GhHttpCertificateFunc check_certificate;
  GObject            *check_object;  /* (owned) (nullable) */
  gsize               body_len;
  struct curl_slist  *headers;       /* (owned) */
  char               *body_copy;     /* (owned) */
  char                errbuf[CURL_ERROR_SIZE];
  GByteArray         *body;          /* (owned) (nullable) one-shot only */
  GTask              *task;          /* (owned) (nullable) one-shot only */
  GCancellable       *cancellable;   /* (owned) (nullable) */
  gulong              cancel_id;
  GhHttpStreamFuncs   funcs;         /* streams only */
  gpointer            user_data;
  gboolean            is_stream;
  gboolean            attached;
  gboolean            cancelled;
  gboolean            headers_done;
  gboolean            framed;        /* the response has a length or an encoding for curl */
  gboolean            take_checked;  /* whether to read the stream here was decided */
  gboolean            taken;         /* the stream is read here since its headers */
  int                 taken_fd;      /* its socket while in http->taken, else -1 */
  int                 sock_fd;       /* the socket curl last asked to watch for it, or -1 */
  guint               idle_timeout_ms;
  gint64              last_activity;
  GSource            *finisher;      /* (owned) (nullable) deferred cancel */
  GError             *abort_error;   /* (owned) (nullable) */
} Transfer;

struct _GhHttpStream
{
  Transfer transfer;
};

static GMutex defaults_lock;
static GHashTable *defaults;  /* GMainContext* → GhHttp* (weak) */

static void transfer_finish (Transfer *t,
                             CURLcode  result);
static void taken_release   (Transfer *t);
static void transfer_configure (Transfer *t);
static void transfer_start (Transfer *t);
static void watchdog_remove (Transfer *t);

static void
ensure_curl (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once)) {
    curl_global_init (CURL_GLOBAL_DEFAULT);
    g_once_init_leave (&once, 1);
  }
}

static void
idle_queue_free (gpointer data)
{
  g_queue_free_full (data, (GDestroyNotify) curl_easy_cleanup);
}

/* Which easy handles may serve a request: same scheme, host and port, same credentials. */
static char *
device_key (const GhHttpRequest *request)
{
  g_autoptr(GUri) uri = g_uri_parse (request->url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL)
    return NULL;
  return g_strdup_printf ("%s://%s:%d\n%s\n%s", g_uri_get_scheme (uri),
                          g_uri_get_host (uri) ? g_uri_get_host (uri) : "",
                          g_uri_get_port (uri), request->username ? request->username : "",
                          request->password ? request->password : "");
}

static CURL *
easy_acquire (GhHttp     *self,
              const char *key,
              gboolean   *reused)
{
  GQueue *queue = key ? g_hash_table_lookup (self->idle, key) : NULL;

  *reused = FALSE;
  if (queue != NULL) {
    CURL *easy = g_queue_pop_tail (queue);  /* the most recently used: the freshest nonce */

    if (g_queue_is_empty (queue))
      g_hash_table_remove (self->idle, key);
    self->n_idle--;
    *reused = TRUE;
    return easy;
  }
  return curl_easy_init ();
}

static void
easy_release (GhHttp     *self,
              const char *key,
              CURL       *easy)
{
  GQueue *queue;

  if (key == NULL || self->n_idle >= MAX_IDLE_EASY) {
    curl_easy_cleanup (easy);
    return;
  }
  queue = g_hash_table_lookup (self->idle, key);
  if (queue == NULL) {
    queue = g_queue_new ();
    g_hash_table_insert (self->idle, g_strdup (key), queue);
  }
  if (g_queue_get_length (queue) >= MAX_IDLE_EASY_PER_DEVICE) {
    curl_easy_cleanup (easy);
    return;
  }
  /* Nothing in the handle may point at the finished transfer's memory. */
  curl_easy_setopt (easy, CURLOPT_PRIVATE, NULL);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, NULL);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, NULL);
  curl_easy_setopt (easy, CURLOPT_HEADERDATA, NULL);
  curl_easy_setopt (easy, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt (easy, CURLOPT_POSTFIELDS, NULL);
  g_queue_push_tail (queue, easy);
  self->n_idle++;
}

static void
transfer_free (Transfer *t)
{
  if (t->cancel_id != 0)
    g_cancellable_disconnect (t->cancellable, t->cancel_id);
  g_clear_object (&t->cancellable);
  if (t->idle_timeout_ms > 0)
    watchdog_remove (t);
  if (t->finisher != NULL) {
    g_source_destroy (t->finisher);
    g_clear_pointer (&t->finisher, g_source_unref);
  }
  g_ptr_array_remove_fast (t->http->to_take, t);
  taken_release (t);
  if (t->attached) {
    curl_multi_remove_handle (t->http->multi, t->easy);
    t->http->n_active--;
  }
  if (t->reusable)
    easy_release (t->http, t->key, t->easy);
  else
    curl_easy_cleanup (t->easy);
  g_free (t->key);
  g_free (t->url);
  g_free (t->method);
  g_free (t->username);
  g_free (t->password);
  g_free (t->tls_pin);
  g_clear_object (&t->check_object);
  curl_slist_free_all (t->headers);
  if (t->body_copy != NULL)
    g_free (t->body_copy);
  if (t->body != NULL)
    g_byte_array_unref (t->body);
  g_clear_object (&t->task);
  g_clear_error (&t->abort_error);
  g_clear_object (&t->http);
  g_free (t);
}

static void
check_done (GhHttp *self)
{
  CURLMsg *msg;
  int left;

  g_object_ref (self);
  while ((msg = curl_multi_info_read (self->multi, &left)) != NULL) {
    Transfer *t = NULL;

    if (msg->msg != CURLMSG_DONE)
      continue;
    curl_easy_getinfo (msg->easy_handle, CURLINFO_PRIVATE, (char **) &t);
    if (t == NULL)
      continue;
    {
      CURLcode result = msg->data.result;

      /* msg is invalid once the handle is removed. */
      taken_release (t);
      curl_multi_remove_handle (self->multi, t->easy);
      t->attached = FALSE;
      self->n_active--;
      transfer_finish (t, result);
    }
  }
  g_object_unref (self);
}

/*
 * What a socket's epoll result means to curl. A hang-up is not an error: the peer closed its
 * end and whatever it sent before (often the whole reply) is still there to read, so curl
 * must read it and see the end of file itself. Only EPOLLERR is a socket error.
 */
int
gh_http_epoll_to_curl (guint32 events)
{
  int mask = 0;

  if (events & (EPOLLIN | EPOLLPRI | EPOLLHUP | EPOLLRDHUP))
    mask |= CURL_CSELECT_IN;
  if (events & EPOLLOUT)
    mask |= CURL_CSELECT_OUT;
  if (events & EPOLLERR)
    mask |= CURL_CSELECT_ERR;
  return mask;
}

/* Stops reading @t's socket here (before curl closes it). */
static void
taken_release (Transfer *t)
{
  if (t->taken_fd < 0)
    return;
  epoll_ctl (t->http->epoll_fd, EPOLL_CTL_DEL, t->taken_fd, NULL);
  g_hash_table_remove (t->http->taken, GINT_TO_POINTER (t->taken_fd));
  t->taken_fd = -1;
}

/* A stream read here has data, or ended. */
static void
taken_read (Transfer *t)
{
  char buf[16384];
  ssize_t n = recv (t->taken_fd, buf, sizeof buf, MSG_DONTWAIT);
  int saved_errno = errno;

  if (n > 0) {
    t->last_activity = g_get_monotonic_time ();
    if (t->funcs.data != NULL && !t->cancelled)
      t->funcs.data (buf, n, t->user_data);
    return;
  }
  if (n < 0 && (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK || saved_errno == EINTR))
    return;
  /* the end of the body (the device closed the connection), as curl would report it */
  if (n < 0)
    g_snprintf (t->errbuf, sizeof t->errbuf, "Recv failure: %s", g_strerror (saved_errno));
  taken_release (t);
  if (t->attached) {
    curl_multi_remove_handle (t->http->multi, t->easy);
    t->attached = FALSE;
    t->http->n_active--;
  }
  transfer_finish (t, n == 0 ? CURLE_OK : CURLE_RECV_ERROR);
}

/* Whether @t is a plain-HTTP stream that runs to the end of the connection, past its final
 * headers: one curl need not read. */
static gboolean
can_take (Transfer *t)
{
  long code = 0;

  if (!t->is_stream || !t->headers_done || t->framed || t->abort_error != NULL ||
      g_ascii_strncasecmp (t->url, "http://", 7) != 0)
    return FALSE;
  curl_easy_getinfo (t->easy, CURLINFO_RESPONSE_CODE, &code);
  return code == 200;
}

/* Outside curl's calls: pauses the streams marked in write_cb() and watches their sockets
 * here. Anything unexpected leaves the stream with curl. */
static void
take_streams (GhHttp *self)
{
  while (self->to_take->len > 0) {
    Transfer *t = g_ptr_array_steal_index_fast (self->to_take, self->to_take->len - 1);
    struct epoll_event event = { .events = EPOLLIN };
    int fd = t->sock_fd;

    /* (CURLINFO_ACTIVESOCKET names a transfer's socket only once a request on it ended) */
    if (t->cancelled || t->abort_error != NULL || !t->attached || t->taken || fd < 0 ||
        curl_easy_pause (t->easy, CURLPAUSE_ALL) != CURLE_OK)
      continue;
    /* curl has stopped watching it (its socket callback removed it): the entry is ours now */
    g_hash_table_remove (self->sockets, GINT_TO_POINTER (fd));
    event.data.fd = fd;
    if (epoll_ctl (self->epoll_fd, EPOLL_CTL_ADD, fd, &event) < 0 &&
        (errno != EEXIST || epoll_ctl (self->epoll_fd, EPOLL_CTL_MOD, fd, &event) < 0)) {
      g_debug ("%s: could not watch the stream's socket (%s); curl keeps reading it", t->url,
               g_strerror (errno));
      curl_easy_pause (t->easy, CURLPAUSE_CONT);
      continue;
    }
    t->taken = TRUE;
    t->taken_fd = fd;
    g_hash_table_insert (self->taken, GINT_TO_POINTER (fd), t);
  }
}

/* Some sockets are ready: hand each to curl (or read the stream taken from it). With more than
 * a batch ready the epoll descriptor stays readable and the rest come on the next turn. */
static gboolean
epoll_ready_cb (int          fd,
                GIOCondition condition,
                gpointer     user_data)
{
  GhHttp *self = user_data;
  struct epoll_event events[128];
  int running = 0;
  int n;

  n = epoll_wait (self->epoll_fd, events, G_N_ELEMENTS (events), 0);
  if (n <= 0)
    return G_SOURCE_CONTINUE;
  g_object_ref (self);
  for (int i = 0; i < n; i++) {
    Transfer *t = g_hash_table_size (self->taken) > 0
                    ? g_hash_table_lookup (self->taken, GINT_TO_POINTER (events[i].data.fd))
                    : NULL;

    if (t != NULL)
      taken_read (t);
    else
      curl_multi_socket_action (self->multi, events[i].data.fd,
                                gh_http_epoll_to_curl (events[i].events),
                                &running);
  }
  check_done (self);
  take_streams (self);
  g_object_unref (self);
  return G_SOURCE_CONTINUE;
}

static int
socket_cb (CURL          *easy,
           curl_socket_t  fd,
           int            what,
           void          *userp,
           void          *socketp)
{
  GhHttp *self = userp;
  struct epoll_event event = { 0 };
  Transfer *t = NULL;

  curl_easy_getinfo (easy, CURLINFO_PRIVATE, (char **) &t);
  if (t != NULL && what != CURL_POLL_REMOVE)
    t->sock_fd = fd;
  else if (t != NULL && t->sock_fd == fd)
    t->sock_fd = -1;
  if (what == CURL_POLL_REMOVE) {
    if (g_hash_table_remove (self->sockets, GINT_TO_POINTER (fd)))
      epoll_ctl (self->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
    return 0;
  }
  if (what & CURL_POLL_IN)
    event.events |= EPOLLIN;
  if (what & CURL_POLL_OUT)
    event.events |= EPOLLOUT;
  event.data.fd = fd;
  /* A descriptor number curl closed and reused may still be in the set, or may have left it
   * with the close: try the other operation when the first one disagrees. */
  if (g_hash_table_contains (self->sockets, GINT_TO_POINTER (fd))) {
    if (epoll_ctl (self->epoll_fd, EPOLL_CTL_MOD, fd, &event) < 0 && errno == ENOENT)
      epoll_ctl (self->epoll_fd, EPOLL_CTL_ADD, fd, &event);
  } else {
    if (epoll_ctl (self->epoll_fd, EPOLL_CTL_ADD, fd, &event) < 0 && errno == EEXIST)
      epoll_ctl (self->epoll_fd, EPOLL_CTL_MOD, fd, &event);
    g_hash_table_add (self->sockets, GINT_TO_POINTER (fd));
  }
  return 0;
}

static gboolean
timer_fired_cb (gpointer user_data)
{
  GhHttp *self = user_data;
  int running = 0;

  g_object_ref (self);
  g_clear_pointer (&self->timer, g_source_unref);
  curl_multi_socket_action (self->multi, CURL_SOCKET_TIMEOUT, 0, &running);
  check_done (self);
  take_streams (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static int
timer_cb (CURLM *multi,
          long   timeout_ms,
          void  *userp)
{
  GhHttp *self = userp;

  if (self->timer != NULL) {
    g_source_destroy (self->timer);
    g_clear_pointer (&self->timer, g_source_unref);
  }
  if (timeout_ms < 0)
    return 0;
  self->timer = g_timeout_source_new (timeout_ms);
  g_source_set_callback (self->timer, timer_fired_cb, self, NULL);
  g_source_set_static_name (self->timer, "[gh-http timer]");
  g_source_attach (self->timer, self->context);
  return 0;
}

/* A quarter of the file descriptors this process may open, within bounds: idle
 * connections must never starve the event streams and the database of descriptors. */
static long
idle_connections_limit (void)
{
  struct rlimit limit;
  rlim_t n = 1024;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    n = limit.rlim_cur;
  else if (limit.rlim_cur == RLIM_INFINITY)
    n = MAX_IDLE_CONNECTIONS * 4;
  return CLAMP ((long) (n / 4), MIN_IDLE_CONNECTIONS, MAX_IDLE_CONNECTIONS);
}

static void
gh_http_finalize (GObject *object)
{
  GhHttp *self = (GhHttp *) object;

  g_mutex_lock (&defaults_lock);
  if (defaults != NULL && g_hash_table_lookup (defaults, self->context) == self)
    g_hash_table_remove (defaults, self->context);
  g_mutex_unlock (&defaults_lock);

  g_hash_table_destroy (self->idle);
  curl_multi_cleanup (self->multi);
  g_hash_table_destroy (self->sockets);
  g_source_destroy (self->epoll_source);
  g_source_unref (self->epoll_source);
  close (self->epoll_fd);
  g_hash_table_destroy (self->watched);
  g_hash_table_destroy (self->taken);
  g_ptr_array_unref (self->to_take);
  if (self->sweep != NULL) {
    g_source_destroy (self->sweep);
    g_clear_pointer (&self->sweep, g_source_unref);
  }
  if (self->timer != NULL) {
    g_source_destroy (self->timer);
    g_clear_pointer (&self->timer, g_source_unref);
  }
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (gh_http_parent_class)->finalize (object);
}

static void
gh_http_class_init (GhHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_http_finalize;
}

static void
gh_http_init (GhHttp *self)
{
  ensure_curl ();
  self->context = g_main_context_ref_thread_default ();
  self->sockets = g_hash_table_new (NULL, NULL);
  self->watched = g_hash_table_new (NULL, NULL);
  self->taken = g_hash_table_new (NULL, NULL);
  self->to_take = g_ptr_array_new ();
  self->epoll_fd = epoll_create1 (EPOLL_CLOEXEC);
  if (self->epoll_fd < 0)
    g_error ("Could not create an epoll set: %s", g_strerror (errno));
  self->epoll_source = g_unix_fd_source_new (self->epoll_fd, G_IO_IN);
  g_source_set_callback (self->epoll_source, G_SOURCE_FUNC (epoll_ready_cb), self, NULL);
  g_source_set_static_name (self->epoll_source, "[gh-http sockets]");
  g_source_attach (self->epoll_source, self->context);
  self->idle = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, idle_queue_free);
  self->multi = curl_multi_init ();
  curl_multi_setopt (self->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
  curl_multi_setopt (self->multi, CURLMOPT_SOCKETDATA, self);
  curl_multi_setopt (self->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
  curl_multi_setopt (self->multi, CURLMOPT_TIMERDATA, self);
  curl_multi_setopt (self->multi, CURLMOPT_MAXCONNECTS, idle_connections_limit ());
}

/**
 * gh_http_get_default:
 *
 * Returns: (transfer full): the HTTP engine of the thread-default main context; every
 *   device on that context shares it
 */
GhHttp *
gh_http_get_default (void)
{
  GMainContext *context = g_main_context_get_thread_default ();
  GhHttp *self;

  if (context == NULL)
    context = g_main_context_default ();
  g_mutex_lock (&defaults_lock);
  if (defaults == NULL)
    defaults = g_hash_table_new (NULL, NULL);
  self = g_hash_table_lookup (defaults, context);
  if (self != NULL && !g_atomic_int_get (&G_OBJECT (self)->ref_count))
    self = NULL;
  if (self != NULL) {
    g_object_ref (self);
    g_mutex_unlock (&defaults_lock);
    return self;
  }
  g_mutex_unlock (&defaults_lock);

  self = g_object_new (GH_TYPE_HTTP, NULL);
  g_mutex_lock (&defaults_lock);
  g_hash_table_replace (defaults, self->context, self);
  g_mutex_unlock (&defaults_lock);
  return self;
}

/* Transfers in flight, for tests and diagnostics. */
guint
gh_http_get_n_active (GhHttp *self)
{
  g_return_val_if_fail (GH_IS_HTTP (self), 0);

  return self->n_active;
}

/**
 * gh_http_get_n_direct_streams:
 *
 * Returns: how many streams are read here rather than by libcurl (plain-HTTP streams that
 *   run to the end of the connection, past their final headers)
 */
guint
gh_http_get_n_direct_streams (GhHttp *self)
{
  g_return_val_if_fail (GH_IS_HTTP (self), 0);

  return g_hash_table_size (self->taken);
}

static gboolean
response_is_auth_round (Transfer *t)
{
  long code = 0;

  curl_easy_getinfo (t->easy, CURLINFO_RESPONSE_CODE, &code);
  return code == 401 || code == 407 || (code >= 100 && code < 200);
}

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  nmemb,
          void   *userp)
{
  Transfer *t = userp;
  gsize len = size * nmemb;

  if (t->cancelled || t->abort_error != NULL)
    return 0;  /* aborts the transfer */
  t->last_activity = g_get_monotonic_time ();
  /* The bodies of 401 challenges are not the answer (a stream past its final headers is
   * not one: no need to ask curl for every part). */
  if (!(t->is_stream && t->headers_done) && response_is_auth_round (t))
    return len;

  if (!t->is_stream) {
    if (t->body->len + len > MAX_BODY) {
      t->abort_error = g_error_new (GH_ERROR, GH_ERROR_PROTOCOL,
                                    "The device's reply is larger than %u bytes", MAX_BODY);
      return 0;
    }
    g_byte_array_append (t->body, (const guint8 *) data, len);
    return len;
  }

  if (!t->headers_done) {
    long code = 0;
    const char *ct = NULL;

    t->headers_done = TRUE;
    curl_easy_getinfo (t->easy, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo (t->easy, CURLINFO_CONTENT_TYPE, &ct);
    if (t->funcs.headers)
      t->funcs.headers (code, ct, t->user_data);
    if (t->cancelled)
      return 0;
  }
  if (t->funcs.data)
    t->funcs.data (data, len, t->user_data);
  if (!t->take_checked && !t->cancelled) {
    t->take_checked = TRUE;
    if (can_take (t))
      g_ptr_array_add (t->http->to_take, t);
  }
  return t->cancelled ? 0 : len;
}

static gboolean
header_named (const char *line,
              gsize       len,
              const char *name)
{
  gsize n = strlen (name);

  return len > n && g_ascii_strncasecmp (line, name, n) == 0 && line[n] == ':';
}

static size_t
header_cb (char   *data,
           size_t  size,
           size_t  nmemb,
           void   *userp)
{
  Transfer *t = userp;
  gsize len = size * nmemb;

  t->last_activity = g_get_monotonic_time ();
  if (t->cancelled)
    return 0;
  if (!response_is_auth_round (t))
    t->answered = TRUE;
  /* each header block (a 401 round's, a 100's, the final one) starts with its status line */
  if (len > 5 && g_ascii_strncasecmp (data, "HTTP/", 5) == 0)
    t->framed = FALSE;
  else if (header_named (data, len, "Transfer-Encoding") ||
           header_named (data, len, "Content-Length") ||
           header_named (data, len, "Content-Encoding"))
    t->framed = TRUE;
  /* End of a header block: tell a stream about its final response right away, so a quiet
   * event stream counts as connected before its first part. */
  if (t->is_stream && !t->headers_done && (len == 2 || len == 1) &&
      (data[0] == '\r' || data[0] == '\n') && !response_is_auth_round (t)) {
    long code = 0;
    const char *ct = NULL;

    t->headers_done = TRUE;
    curl_easy_getinfo (t->easy, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo (t->easy, CURLINFO_CONTENT_TYPE, &ct);
    if (t->funcs.headers)
      t->funcs.headers (code, ct, t->user_data);
    if (t->cancelled)
      return 0;
  }
  return len;
}

static GError *
error_for (Transfer *t,
           CURLcode  result)
{
  const char *detail = t->errbuf[0] ? t->errbuf : curl_easy_strerror (result);
  char *url = NULL;
  long code = 0;

  if (t->abort_error != NULL)
    return g_steal_pointer (&t->abort_error);
  curl_easy_getinfo (t->easy, CURLINFO_EFFECTIVE_URL, &url);

  switch (result) {
  case CURLE_OK:
    curl_easy_getinfo (t->easy, CURLINFO_RESPONSE_CODE, &code);
    if (code == 401 || code == 407)
      return g_error_new (GH_ERROR, GH_ERROR_AUTH_FAILED,
                          "The device refused the user name or password; check the device "
                          "credentials");
    return NULL;
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
  case CURLE_COULDNT_CONNECT:
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
    return g_error_new (GH_ERROR, GH_ERROR_UNREACHABLE,
                        "The device did not answer (%s); check that it is powered and on the "
                        "network", detail);
  case CURLE_OPERATION_TIMEDOUT:
    return g_error_new (GH_ERROR, GH_ERROR_TIMED_OUT,
                        "The device took too long to answer (%s)", detail);
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    return g_error_new (GH_ERROR, GH_ERROR_AUTH_FAILED,
                        "The certificate of the device at %s changed since it was first seen, "
                        "so nothing was sent to it; if the device was replaced, clear its "
                        "certificate pin and connect again", url ? url : t->url);
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CACERT_BADFILE:
    return g_error_new (GH_ERROR, GH_ERROR_UNREACHABLE,
                        "The secure connection to the device failed (%s); check its certificate "
                        "or turn certificate checking off for this device", detail);
  case CURLE_URL_MALFORMAT:
  case CURLE_UNSUPPORTED_PROTOCOL:
    return g_error_new (GH_ERROR, GH_ERROR_INVALID_INPUT,
                        "The device address gives an invalid URL (%s)", detail);
  default:
    return g_error_new (GH_ERROR, GH_ERROR_PROTOCOL, "The request to the device failed (%s)",
                        detail);
  }
}

/* Runs the request again on a new easy handle (its own authentication round trip). */
static gboolean
transfer_restart (Transfer *t)
{
  CURL *fresh = curl_easy_init ();

  if (fresh == NULL)
    return FALSE;
  g_debug ("%s: the device refused the remembered authentication; trying afresh", t->url);
  curl_easy_cleanup (t->easy);
  t->easy = fresh;
  t->reused = FALSE;
  t->retried = TRUE;
  t->errbuf[0] = '\0';
  t->headers_done = FALSE;
  if (t->body != NULL)
    g_byte_array_set_size (t->body, 0);
  transfer_configure (t);
  transfer_start (t);
  return TRUE;
}

/*
 * A kept-alive connection the device closed (idle timeout, or a device that closes after
 * every reply) can die just as a request goes out on it: the request is reset or gets no
 * answer. When nothing of the answer arrived, the device did not act on the request, so it
 * is sent once more on a new connection, as curl itself does for its simplest case.
 */
static gboolean
transfer_resend (Transfer *t,
                 CURLcode  result)
{
  if (t->resent || t->answered || t->cancelled || t->abort_error != NULL)
    return FALSE;
  if (result != CURLE_RECV_ERROR && result != CURLE_SEND_ERROR && result != CURLE_GOT_NOTHING)
    return FALSE;
  g_debug ("%s: the connection closed before the answer (%s); resending on a new one",
           t->url, t->errbuf[0] ? t->errbuf : curl_easy_strerror (result));
  t->resent = TRUE;
  t->errbuf[0] = '\0';
  t->headers_done = FALSE;
  if (t->body != NULL)
    g_byte_array_set_size (t->body, 0);
  transfer_configure (t);
  transfer_start (t);
  return TRUE;
}

static void
transfer_finish (Transfer *t,
                 CURLcode  result)
{
  g_autoptr(GError) error = NULL;

  if (t->cancelled && t->is_stream) {
    transfer_free (t);
    return;
  }
  if (t->cancelled) {
    g_task_return_new_error (t->task, GH_ERROR, GH_ERROR_CANCELLED, "The request was cancelled");
    transfer_free (t);
    return;
  }

  if (transfer_resend (t, result))
    return;

  /* A pooled handle's remembered nonce may have been dropped by the device without a
   * "stale" flag, which curl takes for refused credentials. Ask once more from scratch. */
  if (result == CURLE_OK && t->reused && !t->retried && t->abort_error == NULL &&
      response_is_auth_round (t) && transfer_restart (t))
    return;

  error = error_for (t, result);
  /* a handle paused for a stream read here does not go back to the pool */
  t->reusable = result == CURLE_OK && error == NULL && !response_is_auth_round (t) && !t->taken;
  if (t->is_stream) {
    GhHttpStreamFuncs funcs = t->funcs;
    gpointer user_data = t->user_data;

    /* The handle is invalid for the closed callback's caller; free first. */
    transfer_free (t);
    if (funcs.closed)
      funcs.closed (error, user_data);
    return;
  }

  if (error != NULL) {
    g_task_return_error (t->task, g_steal_pointer (&error));
  } else {
    GhHttpResponse *response = g_new0 (GhHttpResponse, 1);
    long code = 0;
    const char *ct = NULL;

    curl_easy_getinfo (t->easy, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo (t->easy, CURLINFO_CONTENT_TYPE, &ct);
    response->status = code;
    response->content_type = g_strdup (ct);
    {
      /* Keep a NUL after the body (not counted) so text replies can be read as strings. */
      g_autoptr(GBytes) all = NULL;
      gsize len = t->body->len;

      g_byte_array_append (t->body, (const guint8 *) "", 1);
      all = g_byte_array_free_to_bytes (g_steal_pointer (&t->body));
      response->body = g_bytes_new_from_bytes (all, 0, len);
    }
    g_task_return_pointer (t->task, response, (GDestroyNotify) gh_http_response_free);
  }
  transfer_free (t);
}

static gboolean
finisher_cb (gpointer user_data)
{
  Transfer *t = user_data;

  g_clear_pointer (&t->finisher, g_source_unref);
  taken_release (t);
  if (t->attached) {
    curl_multi_remove_handle (t->http->multi, t->easy);
    t->attached = FALSE;
    t->http->n_active--;
  }
  transfer_finish (t, CURLE_ABORTED_BY_CALLBACK);
  return G_SOURCE_REMOVE;
}

/* Ends a transfer from outside curl's callbacks, on the next main loop turn. */
static void
schedule_finish (Transfer *t)
{
  if (t->finisher != NULL)
    return;
  t->finisher = g_idle_source_new ();
  g_source_set_priority (t->finisher, G_PRIORITY_DEFAULT);
  g_source_set_callback (t->finisher, finisher_cb, t, NULL);
  g_source_set_static_name (t->finisher, "[gh-http finish]");
  g_source_attach (t->finisher, t->http->context);
}

/* Ends the streams that have been silent for longer than their read-idle timeout. */
static gboolean
sweep_cb (gpointer user_data)
{
  GhHttp *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) expired = g_ptr_array_new ();
  GHashTableIter iter;
  Transfer *t;

  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, (gpointer *) &t, NULL))
    if (now - t->last_activity >= (gint64) t->idle_timeout_ms * 1000)
      g_ptr_array_add (expired, t);
  for (guint i = 0; i < expired->len; i++) {
    t = expired->pdata[i];
    g_hash_table_remove (self->watched, t);
    if (t->abort_error == NULL)
      t->abort_error = g_error_new (GH_ERROR, GH_ERROR_TIMED_OUT,
                                    "The device sent nothing for %u s; the connection is "
                                    "treated as dead", t->idle_timeout_ms / 1000);
    schedule_finish (t);
  }
  if (g_hash_table_size (self->watched) > 0)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->sweep, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
watchdog_add (Transfer *t)
{
  GhHttp *self = t->http;

  g_hash_table_add (self->watched, t);
  if (self->sweep != NULL)
    return;
  self->sweep = g_timeout_source_new (WATCHDOG_SWEEP_MS);
  g_source_set_callback (self->sweep, sweep_cb, self, NULL);
  g_source_set_static_name (self->sweep, "[gh-http watchdogs]");
  g_source_attach (self->sweep, self->context);
}

static void
watchdog_remove (Transfer *t)
{
  GhHttp *self = t->http;

  if (!g_hash_table_remove (self->watched, t) || g_hash_table_size (self->watched) > 0 ||
      self->sweep == NULL)
    return;
  g_source_destroy (self->sweep);
  g_clear_pointer (&self->sweep, g_source_unref);
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  Transfer *t = user_data;

  t->cancelled = TRUE;
  schedule_finish (t);
}

/* Sets every option a request uses, so a handle from the idle pool carries nothing over
 * from its previous request but its authentication state. */
/*
 * Certificate checks during the handshake. libcurl hands over each new connection's SSL_CTX;
 * the verify callback sees the chain and, at the leaf, asks the request's checker (which
 * pins on first use or compares with the pin). Refusing there aborts the handshake, so no
 * request and no credentials reach a device with an unexpected key.
 */
static int
transfer_ex_index (void)
{
  static gsize index = 0; /* stored plus one, so 0 means "not yet" */

  if (g_once_init_enter (&index))
    g_once_init_leave (&index, (gsize) SSL_CTX_get_ex_new_index (0, NULL, NULL, NULL, NULL) + 1);
  return (int) index - 1;
}

static int
verify_cb (int             preverify_ok,
           X509_STORE_CTX *store)
{
  SSL *ssl = X509_STORE_CTX_get_ex_data (store, SSL_get_ex_data_X509_STORE_CTX_idx ());
  Transfer *t = ssl ? SSL_CTX_get_ex_data (SSL_get_SSL_CTX (ssl), transfer_ex_index ()) : NULL;
  X509 *leaf;
  unsigned char *der = NULL;
  int len;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (t == NULL)
    return 0;
  if (t->verify_tls && !preverify_ok)
    return 0;
  if (X509_STORE_CTX_get_error_depth (store) > 0)
    return 1; /* only the leaf carries the key that is pinned */
  leaf = X509_STORE_CTX_get_current_cert (store);
  len = leaf ? i2d_X509 (leaf, &der) : -1;
  if (len <= 0) {
    g_clear_error (&t->abort_error);
    t->abort_error = g_error_new (GH_ERROR, GH_ERROR_PROTOCOL,
                                  "The device at %s sent a certificate that cannot be read",
                                  t->url);
    return 0;
  }
  bytes = g_bytes_new (der, len);
  OPENSSL_free (der);
  if (!t->check_certificate (t->check_object, bytes, &error)) {
    g_clear_error (&t->abort_error);
    t->abort_error = g_steal_pointer (&error);
    return 0;
  }
  return 1;
}

static CURLcode
ssl_ctx_cb (CURL  *easy,
            void  *ssl_ctx,
            void  *user_data)
{
  Transfer *t = user_data;

  /* The connection may outlive @t (it is kept for reuse): refusing renegotiation means the
   * verify callback only runs in the first handshake, while @t is alive. */
  SSL_CTX_set_options (ssl_ctx, SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_ex_data (ssl_ctx, transfer_ex_index (), t);
  SSL_CTX_set_verify (ssl_ctx, SSL_VERIFY_PEER, verify_cb);
  return CURLE_OK;
}

static void
transfer_configure (Transfer *t)
{
  CURL *easy = t->easy;

  curl_easy_setopt (easy, CURLOPT_PRIVATE, t);
  curl_easy_setopt (easy, CURLOPT_URL, t->url);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, t->errbuf);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, t);
  curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (easy, CURLOPT_HEADERDATA, t);
  curl_easy_setopt (easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS,
                    (long) (t->connect_timeout_ms ? t->connect_timeout_ms
                                                  : DEFAULT_CONNECT_TIMEOUT_MS));
  curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, (long) t->timeout_ms);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, t->verify_tls ? 1L : 0L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, t->verify_tls ? 2L : 0L);
  /* Pinning: see docs/security.md for the trust model (the pin replaces chain checks). */
  curl_easy_setopt (easy, CURLOPT_PINNEDPUBLICKEY, t->tls_pin);
  curl_easy_setopt (easy, CURLOPT_SSL_CTX_FUNCTION, t->check_certificate ? ssl_ctx_cb : NULL);
  curl_easy_setopt (easy, CURLOPT_SSL_CTX_DATA, t->check_certificate ? t : NULL);
  /* A resumed TLS session shows no certificate, so the check would not run. */
  curl_easy_setopt (easy, CURLOPT_SSL_SESSIONID_CACHE, t->check_certificate ? 0L : 1L);
  if (t->username != NULL) {
    /* Digest when offered, Basic for old firmware that offers only Basic. */
    curl_easy_setopt (easy, CURLOPT_HTTPAUTH, (long) (CURLAUTH_DIGEST | CURLAUTH_BASIC));
    curl_easy_setopt (easy, CURLOPT_USERNAME, t->username);
    curl_easy_setopt (easy, CURLOPT_PASSWORD, t->password ? t->password : "");
  }
  if (g_ascii_strcasecmp (t->method, "POST") == 0) {
    curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, NULL);
    curl_easy_setopt (easy, CURLOPT_POST, 1L);
    curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) t->body_len);
    curl_easy_setopt (easy, CURLOPT_POSTFIELDS, t->body_copy);
  } else {
    /* POSTFIELDS itself switches to POST, so clear it before going back to GET */
    curl_easy_setopt (easy, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) -1);
    curl_easy_setopt (easy, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST,
                      g_ascii_strcasecmp (t->method, "GET") != 0 ? t->method : NULL);
  }
  curl_easy_setopt (easy, CURLOPT_HTTPHEADER, t->headers);
  curl_easy_setopt (easy, CURLOPT_FRESH_CONNECT, t->resent ? 1L : 0L);
}

static Transfer *
transfer_new (GhHttp              *self,
              const GhHttpRequest *request)
{
  Transfer *t = g_new0 (Transfer, 1);

  t->http = g_object_ref (self);
  t->taken_fd = -1;
  t->sock_fd = -1;
  t->last_activity = g_get_monotonic_time ();
  t->url = g_strdup (request->url);
  t->method = g_strdup (request->method ? request->method : "GET");
  t->username = g_strdup (request->username);
  t->password = g_strdup (request->password);
  t->timeout_ms = request->timeout_ms;
  t->connect_timeout_ms = request->connect_timeout_ms;
  t->verify_tls = request->verify_tls;
  t->tls_pin = g_strdup (request->tls_pin);
  t->check_certificate = request->check_certificate;
  if (request->check_object != NULL)
    t->check_object = g_object_ref (request->check_object);
  if (g_ascii_strcasecmp (t->method, "POST") == 0) {
    const char *data = request->body ? g_bytes_get_data (request->body, &t->body_len) : NULL;

    t->body_copy = g_malloc (t->body_len + 1);
    if (t->body_len > 0)
      memcpy (t->body_copy, data, t->body_len);
  }
  if (request->content_type != NULL) {
    g_autofree char *h = g_strdup_printf ("Content-Type: %s", request->content_type);

    t->headers = curl_slist_append (t->headers, h);
  }
  t->headers = curl_slist_append (t->headers, "Expect:");

  t->key = device_key (request);
  t->easy = easy_acquire (self, t->key, &t->reused);
  transfer_configure (t);

  if (request->idle_timeout_ms > 0) {
    t->idle_timeout_ms = request->idle_timeout_ms;
    watchdog_add (t);
  }
  return t;
}

static void
transfer_start (Transfer *t)
{
  CURLMcode rc = curl_multi_add_handle (t->http->multi, t->easy);

  if (rc != CURLM_OK) {
    t->abort_error = g_error_new (GH_ERROR, GH_ERROR_FAILED, "Could not start the request: %s",
                                  curl_multi_strerror (rc));
    schedule_finish (t);
    return;
  }
  t->attached = TRUE;
  t->http->n_active++;
}

/**
 * gh_http_send_async:
 *
 * Sends one request; the whole reply body is collected. HTTP error statuses are not
 * errors (devices answer 400 with a useful body), except 401 after authentication, which
 * fails with %GH_ERROR_AUTH_FAILED. Cancelling fails with %GH_ERROR_CANCELLED.
 */
void
gh_http_send_async (GhHttp              *self,
                    const GhHttpRequest *request,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  Transfer *t;

  g_return_if_fail (GH_IS_HTTP (self));
  g_return_if_fail (request != NULL && request->url != NULL);

  t = transfer_new (self, request);
  t->body = g_byte_array_new ();
  t->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (t->task, gh_http_send_async);
  g_task_set_check_cancellable (t->task, FALSE);
  if (cancellable != NULL) {
    t->cancellable = g_object_ref (cancellable);
    t->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), t, NULL);
    if (t->cancel_id == 0) {
      /* already cancelled: cancelled_cb ran synchronously */
      return;
    }
  }
  transfer_start (t);
}

/**
 * gh_http_send_finish:
 *
 * Returns: (transfer full): the response, or %NULL with an error
 */
GhHttpResponse *
gh_http_send_finish (GhHttp        *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gh_http_stream_start:
 * @funcs: callbacks, called on the engine's main context
 *
 * Starts a long-lived request whose body is handed over as it arrives (event streams). Use
 * @request->idle_timeout_ms as the dead-socket watchdog; leave @request->timeout_ms at 0.
 *
 * Returns: (transfer none): the stream, valid until @funcs->closed has been called or
 *   gh_http_stream_cancel()
 */
GhHttpStream *
gh_http_stream_start (GhHttp                  *self,
                      const GhHttpRequest     *request,
                      const GhHttpStreamFuncs *funcs,
                      gpointer                 user_data)
{
  Transfer *t;

  g_return_val_if_fail (GH_IS_HTTP (self), NULL);
  g_return_val_if_fail (request != NULL && request->url != NULL, NULL);
  g_return_val_if_fail (funcs != NULL, NULL);

  t = transfer_new (self, request);
  t->is_stream = TRUE;
  t->funcs = *funcs;
  t->user_data = user_data;
  transfer_start (t);
  G_STATIC_ASSERT (G_STRUCT_OFFSET (GhHttpStream, transfer) == 0);
  return (GhHttpStream *) t;
}

/**
 * gh_http_stream_cancel:
 *
 * Stops the stream. No callback runs after this, not even closed. Safe to call from inside
 * the stream's own callbacks.
 */
void
gh_http_stream_cancel (GhHttpStream *stream)
{
  Transfer *t = (Transfer *) stream;

  g_return_if_fail (stream != NULL);

  t->cancelled = TRUE;
  schedule_finish (t);
}

void
gh_http_response_free (GhHttpResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->content_type);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

/**
 * gh_http_escape:
 *
 * Percent-encodes everything but RFC 3986 unreserved characters, for query values (names
 * with spaces or non-ASCII letters, times with spaces). Keys with literal brackets such as
 * "UserIDList[0]" are written unescaped by the caller, so the Digest uri matches the
 * request line byte for byte.
 *
 * Returns: (transfer full): the escaped value
 */
char *
gh_http_escape (const char *value)
{
  return g_uri_escape_string (value ? value : "", NULL, FALSE);
}
