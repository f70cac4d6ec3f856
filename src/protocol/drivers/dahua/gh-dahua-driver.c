/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-dahua-driver"

#include "config.h"

#include "gh-dahua-driver.h"

#include "gh-call-control.h"
#include "gh-dahua-event-map.h"
#include "gh-dahua-event-parser.h"
#include "gh-dahua-record-parser.h"
#include "gh-dahua-rpc.h"
#include "gh-dahua-time.h"
#include "gh-door-control.h"
#include "gh-error.h"
#include "gh-http.h"
#include "gh-json-text.h"
#include "gh-media-source.h"
#include "gh-notice-board.h"
#include "gh-dial-plan.h"
#include "gh-person-sync.h"
#include "gh-record-source.h"

#include <stdio.h>
#include <string.h>

/*
 * The Dahua driver speaks HTTP CGI (Digest, Basic fallback) and JSON-RPC over HTTP
 * (/RPC2_Login, /RPC2) through the shared GhHttp engine. The event stream is a long-lived
 * eventManager attach with heartbeats, a read-idle watchdog and reconnects with exponential
 * backoff and jitter.
 */

#define DEFAULT_TIMEOUT_MS 10000
#define RECORD_PAGE 1024            /* devices cap one find at 1024 rows */
#define RECORD_MAX_PAGES 200
/* Persons per insertMulti of users and cards; faces and fingerprints, whose images make
 * large requests, go BLOB_BATCH entries at a time. No firmware limit is documented in the
 * sources we have (docs/protocol.md). */
#define PERSON_BATCH 100
#define BLOB_BATCH   10
#define KEEPALIVE_S 30

struct _GhDahuaDriver
{
  GObject              parent_instance;

  GhDeviceConfig      *config;         /* (owned) */
  GhHttp              *http;           /* (owned) */
  char                *base_url;       /* (owned) */
  GTimeZone           *tz;             /* (owned) device zone, assumed ours */
  GhDahuaClockMode     clock_mode;
  gint64               clock_checked_us; /* real time of the last guess; 0 after an attach */

  /* RPC2 */
  struct json_object  *session;        /* (owned) (nullable) */
  gint64               next_id;
  GPtrArray           *login_waiters;  /* (owned) GTask* waiting for a login in flight */
  gboolean             logging_in;
  guint                keepalive_id;
  gint64               call_object;

  /* events */
  gboolean             events_wanted;
  GhHttpStream        *stream;         /* (borrowed) valid until closed or cancelled */
  GhDahuaEventParser  *parser;         /* (owned) (nullable) */
  GhDahuaEventFilter  *filter;         /* (owned) */
  guint                reconnect_id;
  guint                expire_id;
  guint                attempt;
  GhEventKind          link_state;     /* last ONLINE/OFFLINE/UNAUTHORIZED emitted */
  guint                heartbeat_s;
  guint                reconnect_base_ms;
  guint                reconnect_max_ms;
  guint                rtsp_port;
};

static void driver_iface_init        (GhDriverInterface        *iface);
static void door_control_iface_init  (GhDoorControlInterface   *iface);
static void person_sync_iface_init   (GhPersonSyncInterface    *iface);
static void dial_plan_iface_init     (GhDialPlanInterface     *iface);
static void notice_board_iface_init  (GhNoticeBoardInterface   *iface);
static void record_source_iface_init (GhRecordSourceInterface  *iface);
static void call_control_iface_init  (GhCallControlInterface   *iface);
static void media_source_iface_init  (GhMediaSourceInterface   *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhDahuaDriver, gh_dahua_driver, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (GH_TYPE_DRIVER, driver_iface_init)
  G_IMPLEMENT_INTERFACE (GH_TYPE_DOOR_CONTROL, door_control_iface_init)
  G_IMPLEMENT_INTERFACE (GH_TYPE_PERSON_SYNC, person_sync_iface_init)
  G_IMPLEMENT_INTERFACE (GH_TYPE_DIAL_PLAN, dial_plan_iface_init)
  G_IMPLEMENT_INTERFACE (GH_TYPE_NOTICE_BOARD, notice_board_iface_init)
  G_IMPLEMENT_INTERFACE (GH_TYPE_RECORD_SOURCE, record_source_iface_init)
  G_IMPLEMENT_INTERFACE (GH_TYPE_CALL_CONTROL, call_control_iface_init)
  G_IMPLEMENT_INTERFACE (GH_TYPE_MEDIA_SOURCE, media_source_iface_init))

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_HEARTBEAT_INTERVAL,
  PROP_RECONNECT_DELAY,
  PROP_RECONNECT_MAX_DELAY,
  PROP_RTSP_PORT,
  PROP_CLOCK_MODE,
  N_PROPS = PROP_CONFIG,
};

static GParamSpec *properties[PROP_CLOCK_MODE + 1];

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_object, json_object_put)

/* ---------------------------------------------------------------------------------------- */
/* CGI                                                                                       */

/* Cancellation is reported as GH_ERROR_CANCELLED by the HTTP layer; GTask must not replace
 * it with its own G_IO_ERROR_CANCELLED. */
static GTask *
task_new (gpointer             self,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_check_cancellable (task, FALSE);
  return task;
}

static void
request_init (GhDahuaDriver *self,
              GhHttpRequest *req,
              const char    *url)
{
  memset (req, 0, sizeof *req);
  req->url = url;
  req->username = self->config->username;
  req->password = self->config->password;
  req->timeout_ms = self->config->timeout_ms ? self->config->timeout_ms : DEFAULT_TIMEOUT_MS;
  gh_device_config_apply_tls (self->config, req); /* chain checks, pin on first use */
}

static void
cgi_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GhHttpResponse) response = NULL;
  GError *error = NULL;
  g_autofree char *body = NULL;
  gsize len;
  const char *data;

  response = gh_http_send_finish (GH_HTTP (source), result, &error);
  if (response == NULL) {
    g_task_return_error (task, error);
    return;
  }
  data = g_bytes_get_data (response->body, &len);
  body = g_strndup (data ? data : "", len);
  if (response->status == 404) {
    g_task_return_new_error (task, GH_ERROR, GH_ERROR_NOT_SUPPORTED,
                             "The device does not offer %s",
                             (const char *) g_task_get_task_data (task));
    return;
  }
  if (!gh_dahua_reply_check (body, -1, &error)) {
    g_task_return_error (task, error);
    return;
  }
  if (response->status < 200 || response->status >= 300) {
    g_task_return_new_error (task, GH_ERROR, GH_ERROR_PROTOCOL,
                             "The device answered HTTP %u to %s", response->status,
                             (const char *) g_task_get_task_data (task));
    return;
  }
  g_task_return_pointer (task, g_steal_pointer (&body), g_free);
}

/* @query: "magicBox.cgi?action=..." with values already escaped. */
static void
cgi_async (GhDahuaDriver       *self,
           const char          *query,
           const char          *json_body,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autofree char *url = g_strdup_printf ("%s/cgi-bin/%s", self->base_url, query);
  g_autoptr(GBytes) body = NULL;
  GhHttpRequest req;
  GTask *task = task_new (self, cancellable, callback, user_data);
  const char *q = strchr (query, '?');

  g_task_set_source_tag (task, cgi_async);
  g_task_set_task_data (task, g_strndup (query, q ? (gsize) (q - query) : strlen (query)),
                        g_free);
  request_init (self, &req, url);
  if (json_body != NULL) {
    body = g_bytes_new (json_body, strlen (json_body));
    req.method = "POST";
    req.body = body;
    req.content_type = "application/json";
  }
  gh_http_send_async (self->http, &req, cancellable, cgi_done_cb, task);
}

static char *
cgi_finish (GhDahuaDriver  *self,
            GAsyncResult   *result,
            GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------------- */
/* RPC2                                                                                      */

typedef struct {
  char               *method;
  struct json_object *params;
  gint64              object;
  gboolean            retried;
} RpcCall;

static void
rpc_call_free (RpcCall *call)
{
  g_free (call->method);
  json_object_put (call->params);
  g_free (call);
}

static void
rpc_post (GhDahuaDriver       *self,
          const char          *path,
          const char          *text,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autofree char *url = g_strdup_printf ("%s%s", self->base_url, path);
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  GhHttpRequest req;

  request_init (self, &req, url);
  /* RPC2 authenticates with the session, not HTTP auth. */
  req.username = NULL;
  req.password = NULL;
  req.method = "POST";
  req.body = body;
  req.content_type = "application/json";
  gh_http_send_async (self->http, &req, cancellable, callback, user_data);
}

static GhDahuaRpcReply *
rpc_reply_from (GObject       *source,
                GAsyncResult  *result,
                GError       **error)
{
  g_autoptr(GhHttpResponse) response = gh_http_send_finish (GH_HTTP (source), result, error);
  const char *data;
  gsize len;

  if (response == NULL)
    return NULL;
  if (response->status == 404) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED, "The device has no RPC2 service");
    return NULL;
  }
  data = g_bytes_get_data (response->body, &len);
  return gh_dahua_rpc_reply_parse (data ? data : "", len, error);
}

static void keepalive_start (GhDahuaDriver *self);

static void
login_complete (GhDahuaDriver *self,
                GError        *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->login_waiters);

  self->login_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->logging_in = FALSE;
  if (error == NULL)
    keepalive_start (self);
  for (guint i = 0; i < waiters->len; i++) {
    GTask *task = g_ptr_array_index (waiters, i);

    if (error != NULL)
      g_task_return_error (task, g_error_copy (error));
    else
      g_task_return_boolean (task, TRUE);
  }
  g_clear_error (&error);
}

static void
login_second_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GhDahuaDriver) self = user_data;
  g_autoptr(GhDahuaRpcReply) reply = NULL;
  GError *error = NULL;

  reply = rpc_reply_from (source, result, &error);
  if (reply != NULL && !gh_dahua_rpc_reply_check (reply, "global.login", &error))
    g_clear_pointer (&reply, gh_dahua_rpc_reply_free);
  if (reply != NULL && reply->session != NULL) {
    /* The second login's session is the one to use. */
    g_clear_pointer (&self->session, json_object_put);
    self->session = json_object_get (reply->session);
  } else if (reply != NULL && self->session == NULL) {
    error = g_error_new (GH_ERROR, GH_ERROR_PROTOCOL, "The device's login reply has no session");
  }
  if (error != NULL)
    g_clear_pointer (&self->session, json_object_put);
  login_complete (self, error);
}

static void
login_first_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhDahuaDriver) self = user_data;
  g_autoptr(GhDahuaRpcReply) reply = NULL;
  g_autoptr(json_object) params = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *text = NULL;
  const char *encryption;
  GError *error = NULL;

  reply = rpc_reply_from (source, result, &error);
  if (reply == NULL) {
    login_complete (self, error);
    return;
  }
  if (reply->error_code != GH_DAHUA_RPC_LOGIN_CHALLENGE) {
    if (!gh_dahua_rpc_reply_check (reply, "global.login", &error))
      login_complete (self, error);
    else
      login_complete (self, g_error_new (GH_ERROR, GH_ERROR_PROTOCOL,
                                         "The device did not send a login challenge"));
    return;
  }
  encryption = gh_dahua_rpc_reply_get_param_string (reply, "encryption");
  hash = gh_dahua_rpc_login_hash (self->config->username ? self->config->username : "",
                                  self->config->password ? self->config->password : "",
                                  gh_dahua_rpc_reply_get_param_string (reply, "realm"),
                                  gh_dahua_rpc_reply_get_param_string (reply, "random"),
                                  encryption, &error);
  if (hash == NULL) {
    login_complete (self, error);
    return;
  }
  g_clear_pointer (&self->session, json_object_put);
  self->session = reply->session ? json_object_get (reply->session) : NULL;
  params = json_object_new_object ();
  json_object_object_add (params, "userName",
                          json_object_new_string (self->config->username ? self->config->username
                                                                         : ""));
  json_object_object_add (params, "password", json_object_new_string (hash));
  json_object_object_add (params, "clientType", json_object_new_string ("Web3.0"));
  json_object_object_add (params, "loginType", json_object_new_string ("Direct"));
  json_object_object_add (params, "authorityType",
                          json_object_new_string (encryption ? encryption : "Default"));
  json_object_object_add (params, "passwordType", json_object_new_string ("Default"));
  text = gh_dahua_rpc_build_request ("global.login", params, ++self->next_id, self->session, 0);
  rpc_post (self, "/RPC2_Login", text, NULL, login_second_cb, g_object_ref (self));
}

/* Logs in (two-step challenge) unless a session exists; concurrent callers share one login. */
static void
ensure_session_async (GhDahuaDriver       *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = task_new (self, cancellable, callback, user_data);
  g_autoptr(json_object) params = NULL;
  g_autofree char *text = NULL;

  if (self->session != NULL && !self->logging_in) {
    g_task_return_boolean (task, TRUE);
    g_object_unref (task);
    return;
  }
  g_ptr_array_add (self->login_waiters, task);
  if (self->logging_in)
    return;
  self->logging_in = TRUE;
  params = json_object_new_object ();
  json_object_object_add (params, "userName",
                          json_object_new_string (self->config->username ? self->config->username
                                                                         : ""));
  json_object_object_add (params, "password", json_object_new_string (""));
  json_object_object_add (params, "clientType", json_object_new_string ("Web3.0"));
  json_object_object_add (params, "loginType", json_object_new_string ("Direct"));
  text = gh_dahua_rpc_build_request ("global.login", params, ++self->next_id, NULL, 0);
  rpc_post (self, "/RPC2_Login", text, NULL, login_first_cb, g_object_ref (self));
}

static void rpc_send (GTask *task);

static void
rpc_reply_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDahuaDriver *self = g_task_get_source_object (task);
  RpcCall *call = g_task_get_task_data (task);
  g_autoptr(GhDahuaRpcReply) reply = NULL;
  GError *error = NULL;

  reply = rpc_reply_from (source, result, &error);
  if (reply == NULL) {
    g_task_return_error (task, error);
    return;
  }
  if (!reply->ok && gh_dahua_rpc_error_is_session (reply->error_code) && !call->retried) {
    /* Session expired: log in again once and repeat the call. */
    call->retried = TRUE;
    g_clear_pointer (&self->session, json_object_put);
    self->call_object = 0;
    rpc_send (g_steal_pointer (&task));
    return;
  }
  if (!gh_dahua_rpc_reply_check (reply, call->method, &error)) {
    g_task_return_error (task, error);
    return;
  }
  g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify) gh_dahua_rpc_reply_free);
}

static void
rpc_session_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  RpcCall *call = g_task_get_task_data (task);
  g_autofree char *text = NULL;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error)) {
    g_task_return_error (task, error);
    return;
  }
  text = gh_dahua_rpc_build_request (call->method, call->params, ++self->next_id, self->session,
                                     call->object);
  rpc_post (self, "/RPC2", text, g_task_get_cancellable (task), rpc_reply_cb,
            g_object_ref (task));
}

static void
rpc_send (GTask *task)
{
  GhDahuaDriver *self = g_task_get_source_object (task);

  ensure_session_async (self, g_task_get_cancellable (task), rpc_session_cb, task);
}

/* @params: (transfer full) (nullable) */
static void
rpc_async (GhDahuaDriver       *self,
           const char          *method,
           struct json_object  *params,
           gint64               object,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = task_new (self, cancellable, callback, user_data);
  RpcCall *call = g_new0 (RpcCall, 1);

  call->method = g_strdup (method);
  call->params = params;
  call->object = object;
  g_task_set_source_tag (task, rpc_async);
  g_task_set_task_data (task, call, (GDestroyNotify) rpc_call_free);
  rpc_send (task);
}

static GhDahuaRpcReply *
rpc_finish (GAsyncResult  *result,
            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
keepalive_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GhDahuaRpcReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = rpc_finish (result, &error);
  if (reply == NULL)
    g_debug ("Keep-alive failed: %s", error->message);
}

static gboolean
keepalive_cb (gpointer user_data)
{
  GhDahuaDriver *self = user_data;
  struct json_object *params;

  if (self->session == NULL) {
    self->keepalive_id = 0;
    return G_SOURCE_REMOVE;
  }
  params = json_object_new_object ();
  json_object_object_add (params, "timeout", json_object_new_int (2 * KEEPALIVE_S));
  json_object_object_add (params, "action", json_object_new_boolean (TRUE));
  rpc_async (self, "global.keepAlive", params, 0, NULL, keepalive_done_cb, NULL);
  return G_SOURCE_CONTINUE;
}

static void
keepalive_start (GhDahuaDriver *self)
{
  if (self->keepalive_id == 0)
    self->keepalive_id = g_timeout_add_seconds (KEEPALIVE_S, keepalive_cb, self);
}

/* ---------------------------------------------------------------------------------------- */
/* Probe                                                                                     */

static const char * const probe_queries[] = {
  "magicBox.cgi?action=getDeviceType",
  "magicBox.cgi?action=getSystemInfo",
  "magicBox.cgi?action=getSoftwareVersion",
  "magicBox.cgi?action=getSerialNo",
  "configManager.cgi?action=getConfig&name=AccessControl",
  "global.cgi?action=getCurrentTime",
};

typedef struct {
  guint        step;
  GHashTable  *kv;    /* (owned) merged replies */
  guint        doors;
} ProbeData;

static void
probe_data_free (ProbeData *data)
{
  g_hash_table_unref (data->kv);
  g_free (data);
}

static GhDeviceKind
kind_from_model (const char *model)
{
  g_autofree char *up = g_ascii_strup (model ? model : "", -1);

  if (strstr (up, "VTO") != NULL)
    return GH_DEVICE_KIND_DOOR_STATION;
  if (strstr (up, "VTH") != NULL)
    return GH_DEVICE_KIND_INDOOR_MONITOR;
  if (strstr (up, "VTS") != NULL)
    return GH_DEVICE_KIND_MASTER_STATION;
  if (strstr (up, "ASI") != NULL || strstr (up, "ASC") != NULL)
    return GH_DEVICE_KIND_ACCESS_CONTROLLER;
  return GH_DEVICE_KIND_UNKNOWN;
}

static void probe_next (GTask *task);

static void
probe_step_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  ProbeData *data = g_task_get_task_data (task);
  g_autofree char *body = NULL;
  g_autoptr(GHashTable) kv = NULL;
  GError *error = NULL;

  body = cgi_finish (self, result, &error);
  if (body == NULL) {
    /* Only the device type is required; the rest is best effort across firmware. */
    if (data->step == 0 || g_error_matches (error, GH_ERROR, GH_ERROR_AUTH_FAILED) ||
        g_error_matches (error, GH_ERROR, GH_ERROR_UNREACHABLE) ||
        g_error_matches (error, GH_ERROR, GH_ERROR_CANCELLED)) {
      g_task_return_error (task, error);
      return;
    }
    g_debug ("Probe step %s failed: %s", probe_queries[data->step], error->message);
    g_clear_error (&error);
  } else if ((kv = gh_dahua_kv_parse (body, -1, NULL)) != NULL) {
    GHashTableIter iter;
    gpointer k, v;

    g_hash_table_iter_init (&iter, kv);
    while (g_hash_table_iter_next (&iter, &k, &v)) {
      guint door;

      if (sscanf (k, "AccessControl[%u].", &door) == 1 && door < 64)
        data->doors = MAX (data->doors, door + 1);
      g_hash_table_replace (data->kv, g_strdup (k), g_strdup (v));
    }
  }
  data->step++;
  probe_next (g_steal_pointer (&task));
}

static void
probe_next (GTask *task)
{
  GhDahuaDriver *self = g_task_get_source_object (task);
  ProbeData *data = g_task_get_task_data (task);
  GhProbeInfo *info;
  const char *model, *serial, *version, *now;
  gint64 device_now;

  if (data->step < G_N_ELEMENTS (probe_queries)) {
    cgi_async (self, probe_queries[data->step], NULL, g_task_get_cancellable (task),
               probe_step_cb, task);
    return;
  }

  info = gh_probe_info_new ();
  model = g_hash_table_lookup (data->kv, "deviceType");
  if (model == NULL || *model == '\0')
    model = g_hash_table_lookup (data->kv, "type");
  serial = g_hash_table_lookup (data->kv, "serialNumber");
  if (serial == NULL || *serial == '\0')
    serial = g_hash_table_lookup (data->kv, "sn");
  version = g_hash_table_lookup (data->kv, "version");
  info->model = g_strdup (model);
  info->serial = g_strdup (serial);
  info->firmware = g_strdup (version);
  info->kind = kind_from_model (model);
  info->door_count = data->doors;
  if (info->door_count == 0 && info->kind == GH_DEVICE_KIND_DOOR_STATION)
    info->door_count = 1;
  now = g_hash_table_lookup (data->kv, "result");
  if (now != NULL && gh_dahua_time_parse (now, self->tz, &device_now))
    info->clock_offset_s = device_now - g_get_real_time () / G_USEC_PER_SEC;
  if (info->model == NULL) {
    gh_probe_info_free (info);
    g_task_return_new_error (task, GH_ERROR, GH_ERROR_PROTOCOL,
                             "The device did not say what type it is");
  } else {
    g_task_return_pointer (task, info, (GDestroyNotify) gh_probe_info_free);
  }
  g_object_unref (task);
}

static void
dahua_probe_async (GhDriver            *driver,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = task_new (driver, cancellable, callback, user_data);
  ProbeData *data = g_new0 (ProbeData, 1);

  data->kv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_task_set_source_tag (task, dahua_probe_async);
  g_task_set_task_data (task, data, (GDestroyNotify) probe_data_free);
  probe_next (task);
}

/* ---------------------------------------------------------------------------------------- */
/* Simple request → OK actions                                                               */

static void
ok_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *body = NULL;
  GError *error = NULL;

  body = cgi_finish (GH_DAHUA_DRIVER (source), result, &error);
  if (body == NULL || !gh_dahua_reply_expect_ok (body, -1, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
cgi_expect_ok (GhDahuaDriver       *self,
               gpointer             source_tag,
               const char          *query,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  cgi_async (self, query, NULL, cancellable, ok_done_cb, task);
}

static void
dahua_set_door_async (GhDoorControl       *door_control,
                      guint                door,
                      GhDoorAction         action,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GhDahuaDriver *self = GH_DAHUA_DRIVER (door_control);
  g_autofree char *query = NULL;

  if (door >= 64) {
    g_autoptr(GTask) task = task_new (self, cancellable, callback, user_data);

    g_task_return_new_error (task, GH_ERROR, GH_ERROR_INVALID_INPUT,
                             "Door %u does not exist; doors are numbered from 1", door + 1);
    return;
  }
  switch (action) {
  case GH_DOOR_ACTION_OPEN:
    /* channel is 1-based; UserID goes into the device's log to tell remote opens apart */
    query = g_strdup_printf ("accessControl.cgi?action=openDoor&channel=%u&UserID=gatehouse"
                             "&Type=Remote", door + 1);
    break;
  case GH_DOOR_ACTION_CLOSE:
    query = g_strdup_printf ("accessControl.cgi?action=closeDoor&channel=%u", door + 1);
    break;
  case GH_DOOR_ACTION_ALWAYS_OPEN:
    query = g_strdup_printf ("configManager.cgi?action=setConfig&AccessControl[%u].State="
                             "OpenAlways", door);
    break;
  case GH_DOOR_ACTION_RESTORE:
  default:
    query = g_strdup_printf ("configManager.cgi?action=setConfig&AccessControl[%u].State=Normal",
                             door);
    break;
  }
  cgi_expect_ok (self, dahua_set_door_async, query, cancellable, callback, user_data);
}

static void
sync_time_rpc_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  g_autoptr(GhDahuaRpcReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  g_autofree char *escaped = NULL;

  reply = rpc_finish (result, &error);
  if (reply != NULL) {
    g_task_return_boolean (task, TRUE);
    return;
  }
  if (g_error_matches (error, GH_ERROR, GH_ERROR_CANCELLED)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  /* No RPC2 on this firmware: the CGI way. */
  g_debug ("global.setCurrentTime over RPC2 failed (%s); trying CGI", error->message);
  escaped = gh_http_escape (g_task_get_task_data (task));
  query = g_strdup_printf ("global.cgi?action=setCurrentTime&time=%s", escaped);
  cgi_async (self, query, NULL, g_task_get_cancellable (task), ok_done_cb,
             g_object_ref (task));
}

static void
dahua_sync_time_async (GhDriver            *driver,
                       GDateTime           *now,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GhDahuaDriver *self = GH_DAHUA_DRIVER (driver);
  GTask *task = task_new (self, cancellable, callback, user_data);
  char *text = gh_dahua_time_format (g_date_time_to_unix (now), self->tz);
  struct json_object *params = json_object_new_object ();

  g_task_set_source_tag (task, dahua_sync_time_async);
  g_task_set_task_data (task, text, g_free);
  json_object_object_add (params, "time", json_object_new_string (text));
  rpc_async (self, "global.setCurrentTime", params, 0, cancellable, sync_time_rpc_cb, task);
}

/* ---------------------------------------------------------------------------------------- */
/* Events                                                                                    */

static void stream_connect (GhDahuaDriver *self);

static void
emit_link (GhDahuaDriver *self,
           GhEventKind    kind,
           const char    *why)
{
  g_autoptr(GhEvent) event = NULL;

  if (self->link_state == kind)
    return;
  self->link_state = kind;
  event = gh_event_new (kind, self->config->id);
  event->synthetic = TRUE;
  event->raw_data = g_strdup (why);
  gh_driver_emit_event (GH_DRIVER (self), event);
}

static gboolean
expire_cb (gpointer user_data)
{
  GhDahuaDriver *self = user_data;
  g_autoptr(GhEvent) event = NULL;

  self->expire_id = 0;
  event = gh_dahua_event_filter_expire (self->filter, self->config->id, g_get_real_time ());
  if (event != NULL)
    gh_driver_emit_event (GH_DRIVER (self), event);
  return G_SOURCE_REMOVE;
}

static void
schedule_expire (GhDahuaDriver *self)
{
  gint64 deadline = gh_dahua_event_filter_next_deadline (self->filter);
  gint64 delay_ms;

  g_clear_handle_id (&self->expire_id, g_source_remove);
  if (deadline == G_MAXINT64)
    return;
  delay_ms = MAX (0, (deadline - g_get_real_time ()) / 1000) + 1;
  self->expire_id = g_timeout_add (MIN (delay_ms, G_MAXUINT), expire_cb, self);
}

static void
raw_event_cb (const GhDahuaRawEvent *raw,
              gpointer               user_data)
{
  GhDahuaDriver *self = user_data;
  gint64 now = g_get_real_time ();
  g_autoptr(GhEvent) event = gh_dahua_event_map (raw, self->config->id, now);
  const char *locale_time = gh_dahua_raw_event_get_string (raw, "LocaleTime");
  gint64 utc;

  /* An event carrying both clocks tells how this device encodes epoch times in its logs. A
   * device's clock setting hardly ever changes: look on the first event after each attach
   * and then once a minute, not on every event of a busy stream. */
  if (now - self->clock_checked_us >= 60 * G_USEC_PER_SEC && locale_time != NULL &&
      gh_dahua_raw_event_get_int (raw, "UTC", &utc)) {
    GhDahuaClockMode mode = gh_dahua_time_guess_mode (utc, locale_time, self->tz);

    self->clock_checked_us = now;

    if (mode != self->clock_mode) {
      self->clock_mode = mode;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_MODE]);
    }
  }
  if (g_ascii_strcasecmp (raw->code, "Duress") == 0) {
    event->kind = GH_EVENT_ALARM_START;
    event->method = GH_ACCESS_METHOD_DURESS;
  }
  if (!gh_dahua_event_filter_accept (self->filter, raw, event, now))
    return;
  gh_driver_emit_event (GH_DRIVER (self), event);
  schedule_expire (self);
}

static void
heartbeat_cb (gpointer user_data)
{
  GhDahuaDriver *self = user_data;

  /* A heartbeat proves the link; the backoff starts over. */
  self->attempt = 0;
}

static void
stream_headers_cb (guint       status,
                   const char *content_type,
                   gpointer    user_data)
{
  GhDahuaDriver *self = user_data;

  if (status != 200) {
    g_autofree char *why = g_strdup_printf ("The device answered HTTP %u to the event "
                                            "subscription", status);

    g_debug ("%s", why);
    return;  /* the body is not an event stream; closed_cb follows */
  }
  g_clear_pointer (&self->parser, gh_dahua_event_parser_free);
  self->parser = gh_dahua_event_parser_new (content_type, raw_event_cb, heartbeat_cb, self);
  self->clock_checked_us = 0;
  gh_dahua_event_filter_attached (self->filter, g_get_real_time ());
  emit_link (self, GH_EVENT_DEVICE_ONLINE, NULL);
}

static void
stream_data_cb (const char *data,
                gsize       len,
                gpointer    user_data)
{
  GhDahuaDriver *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->parser == NULL)
    return;
  if (!gh_dahua_event_parser_feed (self->parser, data, len, &error))
    g_debug ("Event stream: %s", error->message);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  GhDahuaDriver *self = user_data;

  self->reconnect_id = 0;
  stream_connect (self);
  return G_SOURCE_REMOVE;
}

static guint
next_delay_ms (GhDahuaDriver *self)
{
  guint64 delay = self->reconnect_base_ms;

  for (guint i = 0; i < self->attempt && delay < self->reconnect_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->reconnect_max_ms);
  if (self->attempt < 16)
    self->attempt++;
  /* "Equal jitter": half fixed, half random, so devices restarting together spread out. */
  return delay / 2 + g_random_int_range (0, delay / 2 + 1);
}

static void
stream_closed_cb (const GError *error,
                  gpointer      user_data)
{
  GhDahuaDriver *self = user_data;
  guint delay;

  self->stream = NULL;
  if (self->parser != NULL)
    gh_dahua_event_parser_finish (self->parser);
  g_clear_pointer (&self->parser, gh_dahua_event_parser_free);

  if (error != NULL && g_error_matches (error, GH_ERROR, GH_ERROR_AUTH_FAILED))
    emit_link (self, GH_EVENT_DEVICE_UNAUTHORIZED, error->message);
  else
    emit_link (self, GH_EVENT_DEVICE_OFFLINE,
               error ? error->message : "The device ended the event stream");
  if (!self->events_wanted)
    return;
  delay = next_delay_ms (self);
  g_debug ("Event stream of %s closed (%s); reconnecting in %u ms", self->config->id,
           error ? error->message : "end of stream", delay);
  self->reconnect_id = g_timeout_add (delay, reconnect_cb, self);
}

static const GhHttpStreamFuncs stream_funcs = {
  stream_headers_cb, stream_data_cb, stream_closed_cb,
};

static void
stream_connect (GhDahuaDriver *self)
{
  g_autofree char *url = NULL;
  GhHttpRequest req;

  if (self->stream != NULL)
    return;
  /* codes=[All]: devices accept any list unchecked, so asking for all is the safe choice. */
  url = g_strdup_printf ("%s/cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat=%u",
                         self->base_url, self->heartbeat_s);
  request_init (self, &req, url);
  req.timeout_ms = 0;  /* never a total timeout on a stream */
  req.idle_timeout_ms = self->heartbeat_s * 3000 + 2000;  /* ~3 missed heartbeats */
  self->stream = gh_http_stream_start (self->http, &req, &stream_funcs, self);
}

static gboolean
dahua_start_events (GhDriver  *driver,
                    GError   **error)
{
  GhDahuaDriver *self = GH_DAHUA_DRIVER (driver);

  if (self->events_wanted)
    return TRUE;
  self->events_wanted = TRUE;
  self->attempt = 0;
  stream_connect (self);
  return TRUE;
}

static void
dahua_stop_events (GhDriver *driver)
{
  GhDahuaDriver *self = GH_DAHUA_DRIVER (driver);

  self->events_wanted = FALSE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  g_clear_handle_id (&self->expire_id, g_source_remove);
  if (self->stream != NULL) {
    gh_http_stream_cancel (self->stream);
    self->stream = NULL;
  }
  g_clear_pointer (&self->parser, gh_dahua_event_parser_free);
  self->link_state = GH_EVENT_OTHER;
}

/* ---------------------------------------------------------------------------------------- */
/* Records                                                                                   */

typedef struct {
  GhRecordKind    kind;
  const char     *name;
  gint64          since;       /* UTC seconds; rows older than this are not new */
  GHashTable     *seen;        /* (owned) keys at exactly @since from the last fetch */
  GHashTable     *batch_keys;  /* (owned) keys added in this fetch */
  GhDeviceRecordBatch  *batch;       /* (owned) */
  gint64          object;
  guint           pages;
  gint64          cgi_start;   /* device epoch of the next CGI window */
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_hash_table_unref (data->seen);
  g_hash_table_unref (data->batch_keys);
  g_clear_pointer (&data->batch, gh_device_record_batch_free);
  g_free (data);
}

static const char *
record_name (GhRecordKind kind)
{
  switch (kind) {
  case GH_RECORD_KIND_CALL: return "VideoTalkLog";
  case GH_RECORD_KIND_ACCESS: return "AccessControlCardRec";
  case GH_RECORD_KIND_ALARM: return "AlarmRecord";
  default: return NULL;
  }
}

static int
strp_cmp (const void *a,
          const void *b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* RecNo renumbers when the device's ring buffer wraps, so it is not part of the key. */
static char *
record_key (GHashTable *row)
{
  g_autofree gpointer *keys = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  g_autofree char *sum = NULL;
  guint n;

  keys = g_hash_table_get_keys_as_array (row, &n);
  qsort (keys, n, sizeof (gpointer), strp_cmp);
  for (guint i = 0; i < n; i++) {
    if (g_strcmp0 (keys[i], "RecNo") == 0)
      continue;
    g_string_append_printf (all, "%s=%s\n", (char *) keys[i],
                            (char *) g_hash_table_lookup (row, keys[i]));
  }
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, all->str, all->len);
  return g_strdup_printf ("%s-%.12s", (char *) g_hash_table_lookup (row, "CreateTime"), sum);
}

static char *
row_to_json (GHashTable *row)
{
  g_autoptr(json_object) obj = json_object_new_object ();
  g_autofree gpointer *keys = NULL;
  guint n;

  keys = g_hash_table_get_keys_as_array (row, &n);
  qsort (keys, n, sizeof (gpointer), strp_cmp);
  for (guint i = 0; i < n; i++)
    json_object_object_add (obj, keys[i], json_object_new_string (g_hash_table_lookup (row,
                                                                                      keys[i])));
  return g_strdup (json_object_to_json_string_ext (obj, JSON_C_TO_STRING_PLAIN));
}

static const char *
row_get (GHashTable *row,
         const char *key)
{
  const char *v = g_hash_table_lookup (row, key);

  return (v != NULL && *v != '\0') ? v : NULL;
}

static gint64
row_int (GHashTable *row,
         const char *key,
         gint64      fallback)
{
  const char *v = row_get (row, key);
  gint64 n;

  if (v == NULL || !g_ascii_string_to_signed (v, 10, G_MININT64, G_MAXINT64, &n, NULL))
    return fallback;
  return n;
}

static GhAccessMethod
record_method (gint64 method)
{
  switch (method) {
  case 1: return GH_ACCESS_METHOD_CARD;
  case 2: return GH_ACCESS_METHOD_PASSWORD;
  case 4: return GH_ACCESS_METHOD_REMOTE;
  case 6: return GH_ACCESS_METHOD_FINGERPRINT;
  case 15: return GH_ACCESS_METHOD_FACE;
  default: return GH_ACCESS_METHOD_UNKNOWN;
  }
}

static void
fetch_add_row (GhDahuaDriver *self,
               FetchData     *data,
               GHashTable    *row)
{
  const char *created = row_get (row, "CreateTime");
  g_autofree char *key = NULL;
  GhDeviceRecord *record;
  gint64 t, raw;

  if (created == NULL)
    return;
  if (g_ascii_string_to_signed (created, 10, 0, G_MAXINT64 / 2, &raw, NULL))
    t = gh_dahua_time_to_utc (raw, self->clock_mode, self->tz);
  else if (!gh_dahua_time_parse (created, self->tz, &t))  /* OEM firmware: a date string */
    return;
  if (t < data->since)
    return;  /* firmware that ignores the StartTime filter */
  key = record_key (row);
  if ((t == data->since && g_hash_table_contains (data->seen, key)) ||
      g_hash_table_contains (data->batch_keys, key))
    return;

  record = gh_device_record_new (data->kind);
  record->key = g_strdup (key);
  record->time = t;
  record->raw = row_to_json (row);
  switch (data->kind) {
  case GH_RECORD_KIND_CALL:
    record->room = g_strdup (row_get (row, "PeerNumber"));
    record->local_number = g_strdup (row_get (row, "LocalNumber"));
    record->outgoing = g_strcmp0 (row_get (row, "CallType"), "Outgoing") == 0;
    record->duration_s = CLAMP (row_int (row, "TalkTime", 0), 0, G_MAXINT);
    /* EndState says whether the call was answered, even one hung up within the second
     * (TalkTime 0); only a row without it falls back to the talk time. */
    if (row_get (row, "EndState") != NULL)
      record->granted = g_ascii_strcasecmp (row_get (row, "EndState"), "Received") == 0;
    else
      record->granted = record->duration_s > 0;
    break;
  case GH_RECORD_KIND_ACCESS:
    record->credential = g_strdup (row_get (row, "CardNo"));
    record->person_id = g_strdup (row_get (row, "UserID"));
    record->person_name = g_strdup (row_get (row, "CardName"));
    record->method = record_method (row_int (row, "Method", 0));
    record->granted = row_int (row, "Status", 0) != 0;
    record->door = CLAMP (row_int (row, "Door", -1), -1, 1000);
    break;
  case GH_RECORD_KIND_ALARM:
  default:
    record->door = CLAMP (row_int (row, "Door", row_int (row, "Index", -1)), -1, 1000);
    record->person_id = g_strdup (row_get (row, "UserID"));
    record->credential = g_strdup (row_get (row, "CardNo"));
    break;
  }
  g_hash_table_add (data->batch_keys, g_steal_pointer (&key));
  g_ptr_array_add (data->batch->records, record);
}

static int
record_cmp (gconstpointer a,
            gconstpointer b)
{
  const GhDeviceRecord *ra = *(GhDeviceRecord **) a;
  const GhDeviceRecord *rb = *(GhDeviceRecord **) b;

  return (ra->time > rb->time) - (ra->time < rb->time);
}

static void
fetch_complete (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  GhDeviceRecordBatch *batch = g_steal_pointer (&data->batch);
  gint64 max_time = data->since;
  GString *cursor = g_string_new (NULL);

  g_ptr_array_sort (batch->records, record_cmp);
  for (guint i = 0; i < batch->records->len; i++)
    max_time = MAX (max_time, ((GhDeviceRecord *) g_ptr_array_index (batch->records, i))->time);
  g_string_append_printf (cursor, "t=%" G_GINT64_FORMAT ";k=", max_time);
  /* Remember every key at the newest second, so the next fetch can start there again. */
  if (max_time == data->since) {
    GHashTableIter iter;
    gpointer k;

    g_hash_table_iter_init (&iter, data->seen);
    while (g_hash_table_iter_next (&iter, &k, NULL))
      g_string_append_printf (cursor, "%s,", (char *) k);
  }
  for (guint i = 0; i < batch->records->len; i++) {
    GhDeviceRecord *r = g_ptr_array_index (batch->records, i);

    if (r->time == max_time)
      g_string_append_printf (cursor, "%s,", r->key);
  }
  batch->cursor = g_string_free (cursor, FALSE);
  g_task_return_pointer (task, batch, (GDestroyNotify) gh_device_record_batch_free);
  g_object_unref (task);
}

static gboolean
parse_cursor (const char  *cursor,
              gint64      *since,
              GHashTable  *seen,
              GError     **error)
{
  g_auto(GStrv) parts = NULL;

  *since = 0;
  if (cursor == NULL || *cursor == '\0')
    return TRUE;
  parts = g_strsplit (cursor, ";", 2);
  if (!g_str_has_prefix (parts[0], "t=") ||
      !g_ascii_string_to_signed (parts[0] + 2, 10, 0, G_MAXINT64 / 2, since, NULL) ||
      parts[1] == NULL || !g_str_has_prefix (parts[1], "k=")) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 "The record cursor “%.40s” was not made by this driver; fetch from the start",
                 cursor);
    return FALSE;
  }
  {
    g_auto(GStrv) keys = g_strsplit (parts[1] + 2, ",", -1);

    for (guint i = 0; keys[i]; i++)
      if (*keys[i] != '\0')
        g_hash_table_add (seen, g_strdup (keys[i]));
  }
  return TRUE;
}

static void fetch_cgi_next (GTask *task);

static void
fetch_cgi_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GhDahuaRecordSet) set = NULL;
  g_autofree char *body = NULL;
  GError *error = NULL;
  gint64 newest = data->cgi_start;

  body = cgi_finish (self, result, &error);
  if (body != NULL)
    set = gh_dahua_record_set_parse (body, -1, &error);
  if (set == NULL) {
    g_task_return_error (task, error);
    return;
  }
  for (guint i = 0; i < set->records->len; i++) {
    GHashTable *row = g_ptr_array_index (set->records, i);

    fetch_add_row (self, data, row);
    newest = MAX (newest, row_int (row, "CreateTime", 0));
  }
  data->pages++;
  /* A full page means the cap cut it: move the window to the newest row and ask again.
   * Overlap at that second is removed by the keys. No progress ends the loop. */
  if (set->found >= RECORD_PAGE && newest > data->cgi_start && data->pages < RECORD_MAX_PAGES) {
    data->cgi_start = newest;
    fetch_cgi_next (g_steal_pointer (&task));
    return;
  }
  fetch_complete (g_steal_pointer (&task));
}

static void
fetch_cgi_next (GTask *task)
{
  GhDahuaDriver *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  gint64 end = gh_dahua_time_from_utc (g_get_real_time () / G_USEC_PER_SEC + 86400,
                                       self->clock_mode, self->tz);
  g_autofree char *query = NULL;

  query = g_strdup_printf ("recordFinder.cgi?action=find&name=%s&StartTime=%" G_GINT64_FORMAT
                           "&EndTime=%" G_GINT64_FORMAT "&count=%u", data->name,
                           data->cgi_start, end, RECORD_PAGE);
  cgi_async (self, query, NULL, g_task_get_cancellable (task), fetch_cgi_cb, task);
}

static void
rpc_ignore_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GhDahuaRpcReply) reply = rpc_finish (result, NULL);
}

static void
fetch_rpc_close (GTask *task)
{
  GhDahuaDriver *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);

  if (data->object != 0) {
    rpc_async (self, "RecordFinder.stopFind", NULL, data->object, NULL, rpc_ignore_cb, NULL);
    rpc_async (self, "RecordFinder.destroy", NULL, data->object, NULL, rpc_ignore_cb, NULL);
    data->object = 0;
  }
}

static void fetch_rpc_do_find (GTask *task);

static void
fetch_rpc_found_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GhDahuaRpcReply) reply = NULL;
  struct json_object *records = NULL;
  GError *error = NULL;
  gsize n = 0;

  reply = rpc_finish (result, &error);
  if (reply == NULL) {
    fetch_rpc_close (task);
    g_task_return_error (task, error);
    return;
  }
  if (reply->params != NULL && json_object_object_get_ex (reply->params, "records", &records) &&
      json_object_is_type (records, json_type_array))
    n = json_object_array_length (records);
  for (gsize i = 0; i < n; i++) {
    struct json_object *item = json_object_array_get_idx (records, i);
    g_autoptr(GHashTable) row = NULL;

    if (!json_object_is_type (item, json_type_object))
      continue;
    row = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    json_object_object_foreach (item, k, v) {
      const char *text = json_object_is_type (v, json_type_string) ? json_object_get_string (v)
                         : json_object_to_json_string_ext (v, JSON_C_TO_STRING_PLAIN);

      g_hash_table_replace (row, g_strdup (k), g_utf8_make_valid (text, -1));
    }
    fetch_add_row (self, data, row);
  }
  data->pages++;
  if (n >= RECORD_PAGE && data->pages < RECORD_MAX_PAGES) {
    fetch_rpc_do_find (g_steal_pointer (&task));
    return;
  }
  fetch_rpc_close (task);
  fetch_complete (g_steal_pointer (&task));
}

static void
fetch_rpc_do_find (GTask *task)
{
  GhDahuaDriver *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  struct json_object *params = json_object_new_object ();

  json_object_object_add (params, "count", json_object_new_int (RECORD_PAGE));
  rpc_async (self, "RecordFinder.doFind", params, data->object, g_task_get_cancellable (task),
             fetch_rpc_found_cb, task);
}

static void
fetch_rpc_started_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GhDahuaRpcReply) reply = NULL;
  GError *error = NULL;

  reply = rpc_finish (result, &error);
  if (reply == NULL) {
    fetch_rpc_close (task);
    g_task_return_error (task, error);
    return;
  }
  fetch_rpc_do_find (g_steal_pointer (&task));
}

static void
fetch_rpc_created_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GhDahuaRpcReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  struct json_object *params, *condition;

  reply = rpc_finish (result, &error);
  if (reply == NULL || !json_object_is_type (reply->result, json_type_int)) {
    if (error != NULL && (g_error_matches (error, GH_ERROR, GH_ERROR_CANCELLED) ||
                          g_error_matches (error, GH_ERROR, GH_ERROR_UNREACHABLE) ||
                          g_error_matches (error, GH_ERROR, GH_ERROR_TIMED_OUT))) {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
    /* No RecordFinder over RPC2 on this firmware: page through the CGI instead. */
    g_debug ("RecordFinder over RPC2 unavailable (%s); using recordFinder.cgi",
             error ? error->message : "no object id");
    fetch_cgi_next (g_steal_pointer (&task));
    return;
  }
  data->object = json_object_get_int64 (reply->result);
  params = json_object_new_object ();
  condition = json_object_new_object ();
  json_object_object_add (condition, "StartTime",
                          json_object_new_int64 (data->cgi_start));
  json_object_object_add (condition, "EndTime",
                          json_object_new_int64 (gh_dahua_time_from_utc (
                            g_get_real_time () / G_USEC_PER_SEC + 86400, self->clock_mode,
                            self->tz)));
  json_object_object_add (params, "condition", condition);
  rpc_async (self, "RecordFinder.startFind", params, data->object, g_task_get_cancellable (task),
             fetch_rpc_started_cb, g_object_ref (task));
}

static void
dahua_fetch_records_async (GhRecordSource      *source,
                           GhRecordKind         kind,
                           const char          *cursor,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  GTask *task = task_new (self, cancellable, callback, user_data);
  FetchData *data = g_new0 (FetchData, 1);
  struct json_object *params;
  GError *error = NULL;

  g_task_set_source_tag (task, dahua_fetch_records_async);
  data->kind = kind;
  data->name = record_name (kind);
  data->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->batch_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->batch = gh_device_record_batch_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);
  if (data->name == NULL) {
    g_task_return_new_error (task, GH_ERROR, GH_ERROR_INVALID_INPUT, "Unknown record kind %d",
                             kind);
    g_object_unref (task);
    return;
  }
  if (!parse_cursor (cursor, &data->since, data->seen, &error)) {
    g_task_return_error (task, error);
    g_object_unref (task);
    return;
  }
  data->cgi_start = data->since > 0 ? gh_dahua_time_from_utc (data->since, self->clock_mode,
                                                              self->tz) : 0;
  params = json_object_new_object ();
  json_object_object_add (params, "name", json_object_new_string (data->name));
  rpc_async (self, "RecordFinder.factory.create", params, 0, cancellable, fetch_rpc_created_cb,
             task);
}

/* ---------------------------------------------------------------------------------------- */
/* Persons, cards, faces, fingerprints: JSON insertMulti in batches, "exists" → update       */

typedef struct {
  const char *endpoint;    /* "AccessUser" */
  const char *list_key;    /* "UserList" */
  const char *id_key;      /* "UserID" */
  const char *id_list;     /* "UserIDList" */
} StoreKind;

static const StoreKind store_user = { "AccessUser", "UserList", "UserID", "UserIDList" };
static const StoreKind store_card = { "AccessCard", "CardList", "CardNo", "CardNoList" };
static const StoreKind store_face = { "AccessFace", "FaceList", "UserID", "UserIDList" };
static const StoreKind store_finger = { "AccessFingerprint", "FingerprintList", "UserID",
                                        "UserIDList" };

/* One entry of an insertMulti list, written once: pushes build thousands of them. */
typedef struct {
  char *id;    /* its ID on the device (UserID, CardNo) */
  char *json;  /* the entry as a JSON object */
} StoreItem;

static void
store_item_free (StoreItem *item)
{
  g_free (item->id);
  g_free (item->json);
  g_free (item);
}

typedef struct {
  const StoreKind *kind;
  GPtrArray       *items;     /* (owned) (element-type StoreItem) */
  GPtrArray       *pending;   /* (owned) (nullable) items of @items still to insert after the
                               * updates (not owning them) */
  char            *refusal;   /* (owned) (nullable) why the device refused the insert */
} Upsert;

static void
upsert_free (Upsert *u)
{
  g_ptr_array_unref (u->items);
  g_clear_pointer (&u->pending, g_ptr_array_unref);
  g_free (u->refusal);
  g_free (u);
}

static char *
list_body (const StoreKind *kind,
           GPtrArray       *items)
{
  GString *body = g_string_sized_new (64);

  g_string_append_printf (body, "{\"%s\":[", kind->list_key);
  for (guint i = 0; i < items->len; i++) {
    if (i > 0)
      g_string_append_c (body, ',');
    g_string_append (body, ((StoreItem *) g_ptr_array_index (items, i))->json);
  }
  g_string_append (body, "]}");
  return g_string_free (body, FALSE);
}

/* The ID of an entry of a device's answer. */
static const char *
item_id (const StoreKind    *kind,
         struct json_object *item)
{
  struct json_object *v;

  if (!json_object_object_get_ex (item, kind->id_key, &v))
    return "";
  return json_object_get_string (v);
}

/* "The device refused the request: Bad Request!" → "Bad Request!" */
static const char *
refusal_detail (const char *message)
{
  static const char prefix[] = "The device refused the request: ";

  if (message == NULL)
    return "refused";
  return g_str_has_prefix (message, prefix) ? message + strlen (prefix) : message;
}

/* The device answered the list query, so it is alive and speaks the protocol: a refused
 * update or insert after it is about the items (a value the device does not accept). */
static void
upsert_return_refusal (GTask  *task,
                       GError *error)
{
  Upsert *u = g_task_get_task_data (task);

  if (!g_error_matches (error, GH_ERROR, GH_ERROR_PROTOCOL)) {
    g_task_return_error (task, error);
    return;
  }
  g_task_return_new_error (task, GH_ERROR, GH_ERROR_INVALID_INPUT,
                           "The device refused the %s list (%s); check the values (IDs, name "
                           "length, card numbers, dates)", u->kind->endpoint,
                           refusal_detail (error->message));
  g_error_free (error);
}

static void
upsert_inserted_rest_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *body = NULL;
  GError *error = NULL;

  body = cgi_finish (GH_DAHUA_DRIVER (source), result, &error);
  if (body == NULL || !gh_dahua_reply_expect_ok (body, -1, &error))
    upsert_return_refusal (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
upsert_updated_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  Upsert *u = g_task_get_task_data (task);
  g_autofree char *body = NULL;
  g_autofree char *query = NULL;
  g_autofree char *json = NULL;
  GError *error = NULL;

  body = cgi_finish (self, result, &error);
  if (body == NULL || !gh_dahua_reply_expect_ok (body, -1, &error)) {
    upsert_return_refusal (task, error);
    return;
  }
  if (u->pending == NULL || u->pending->len == 0) {
    g_task_return_boolean (task, TRUE);
    return;
  }
  query = g_strdup_printf ("%s.cgi?action=insertMulti", u->kind->endpoint);
  json = list_body (u->kind, u->pending);
  cgi_async (self, query, json, g_task_get_cancellable (task), upsert_inserted_rest_cb,
             g_object_ref (task));
}

static void
upsert_listed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  Upsert *u = g_task_get_task_data (task);
  g_autoptr(json_object) root = NULL;
  g_autoptr(GHashTable) existing = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) update = g_ptr_array_new ();
  g_autofree char *body = NULL;
  g_autofree char *query = NULL;
  g_autofree char *json = NULL;
  struct json_object *list = NULL;
  GError *error = NULL;

  body = cgi_finish (self, result, &error);
  if (body == NULL) {
    g_task_return_error (task, error);
    return;
  }
  root = json_tokener_parse (body);
  if (root == NULL || !json_object_is_type (root, json_type_object)) {
    /* A garbled answer says nothing about the items: it is the device's fault, not theirs. */
    g_task_return_new_error (task, GH_ERROR, GH_ERROR_PROTOCOL,
                             "The device answered the %s list query with something that is not "
                             "JSON; the push will be retried", u->kind->endpoint);
    return;
  }
  if (json_object_object_get_ex (root, u->kind->list_key, &list) &&
      json_object_is_type (list, json_type_array)) {
    for (gsize i = 0; i < json_object_array_length (list); i++)
      g_hash_table_add (existing,
                        (gpointer) item_id (u->kind, json_object_array_get_idx (list, i)));
  }
  u->pending = g_ptr_array_new ();
  for (guint i = 0; i < u->items->len; i++) {
    StoreItem *item = g_ptr_array_index (u->items, i);

    g_ptr_array_add (g_hash_table_contains (existing, item->id) ? update : u->pending, item);
  }
  if (update->len == 0) {
    /* Nothing existed, yet the insert was refused: the items themselves are wrong. */
    g_task_return_new_error (task, GH_ERROR, GH_ERROR_INVALID_INPUT,
                             "The device refused the %s list (%s); check the values (IDs, name "
                             "length, card numbers, dates)", u->kind->endpoint,
                             refusal_detail (u->refusal));
    return;
  }
  query = g_strdup_printf ("%s.cgi?action=updateMulti", u->kind->endpoint);
  json = list_body (u->kind, update);
  cgi_async (self, query, json, g_task_get_cancellable (task), upsert_updated_cb,
             g_object_ref (task));
}

/* @ids: (element-type utf8) */
static char *
id_list_query (const StoreKind *kind,
               const char      *action,
               GPtrArray       *ids)
{
  GString *q = g_string_new (NULL);

  g_string_append_printf (q, "%s.cgi?action=%s", kind->endpoint, action);
  for (guint i = 0; i < ids->len; i++) {
    g_autofree char *escaped = gh_http_escape (g_ptr_array_index (ids, i));

    /* literal brackets: the Digest uri must equal the request line byte for byte */
    g_string_append_printf (q, "&%s[%u]=%s", kind->id_list, i, escaped);
  }
  return g_string_free (q, FALSE);
}

static void
upsert_inserted_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  Upsert *u = g_task_get_task_data (task);
  g_autofree char *body = NULL;
  g_autofree char *query = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  body = cgi_finish (self, result, &error);
  if (body != NULL && gh_dahua_reply_expect_ok (body, -1, &error)) {
    g_task_return_boolean (task, TRUE);
    return;
  }
  if (!g_error_matches (error, GH_ERROR, GH_ERROR_PROTOCOL)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  /* "Bad Request" on insert usually means some IDs exist: find them and update those. */
  g_free (u->refusal);
  u->refusal = g_strdup (error->message);
  ids = g_ptr_array_sized_new (u->items->len);
  for (guint i = 0; i < u->items->len; i++)
    g_ptr_array_add (ids, ((StoreItem *) g_ptr_array_index (u->items, i))->id);
  query = id_list_query (u->kind, "list", ids);
  cgi_async (self, query, NULL, g_task_get_cancellable (task), upsert_listed_cb,
             g_object_ref (task));
}

/* @items: (transfer full) (element-type StoreItem) */
static void
upsert_async (GhDahuaDriver       *self,
              const StoreKind     *kind,
              GPtrArray           *items,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = task_new (self, cancellable, callback, user_data);
  Upsert *u = g_new0 (Upsert, 1);
  g_autofree char *query = g_strdup_printf ("%s.cgi?action=insertMulti", kind->endpoint);
  g_autofree char *json = NULL;

  u->kind = kind;
  u->items = items;
  g_task_set_task_data (task, u, (GDestroyNotify) upsert_free);
  if (items->len == 0) {
    g_task_return_boolean (task, TRUE);
    g_object_unref (task);
    return;
  }
  json = list_body (kind, items);
  cgi_async (self, query, json, cancellable, upsert_inserted_cb, task);
}

static char *
format_local (GhDahuaDriver *self,
              gint64         utc)
{
  return gh_dahua_time_format (utc, self->tz);
}

static StoreItem *
store_item_new (const char *id,
                GString    *json)
{
  StoreItem *item = g_new (StoreItem, 1);

  item->id = g_strdup (id);
  item->json = g_string_free (json, FALSE);
  return item;
}

/* `"key":` then @text as a JSON string */
static void
append_member (GString    *out,
               const char *key,
               const char *text)
{
  /* no printf: a push writes this a hundred thousand times per device */
  if (out->len > 1)
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, key);
  g_string_append (out, "\":");
  gh_json_append_string (out, text);
}

static StoreItem *
person_user_item (GhDahuaDriver        *self,
                  const GhDevicePerson *p)
{
  GString *o = g_string_sized_new (160);

  g_string_append_c (o, '{');
  append_member (o, "UserID", p->id);
  append_member (o, "UserName", p->name ? p->name : "");
  g_string_append (o, ",\"UserType\":0,\"UserStatus\":0,\"Authority\":2");
  if (p->password != NULL)
    append_member (o, "Password", p->password);
  if (p->room != NULL)
    append_member (o, "RoomNo", p->room);
  if (p->valid_from > 0) {
    g_autofree char *t = format_local (self, p->valid_from);

    append_member (o, "ValidFrom", t);
  }
  if (p->valid_to > 0) {
    g_autofree char *t = format_local (self, p->valid_to);

    append_member (o, "ValidTo", t);
  }
  if (p->doors != 0) {
    GString *sections = g_string_new (NULL);

    g_string_append (o, ",\"Doors\":[");
    for (guint d = 0; d < 32; d++) {
      if (p->doors & (1u << d)) {
        if (sections->len)
          g_string_append_c (o, ',');
        gh_json_append_int (o, d);
        g_string_append (sections, sections->len ? ",255" : "255");
      }
    }
    g_string_append (o, "],\"TimeSections\":[");
    g_string_append (o, sections->str);
    g_string_append_c (o, ']');
    g_string_free (sections, TRUE);
  }
  g_string_append_c (o, '}');
  return store_item_new (p->id, o);
}

static StoreItem *
card_item (const GhDevicePerson *p,
           const GhDeviceCard   *card)
{
  GString *o = g_string_sized_new (128);

  g_string_append_c (o, '{');
  append_member (o, "CardNo", card->number);
  append_member (o, "UserID", p->id);
  append_member (o, "CardName", p->name ? p->name : "");
  /* CardType 5 is a duress card; main cards are ordinary cards on the device. */
  g_string_append (o, card->kind == GH_CARD_KIND_DURESS ? ",\"CardType\":5" : ",\"CardType\":0");
  g_string_append (o, card->lost ? ",\"CardStatus\":1}" : ",\"CardStatus\":0}");
  return store_item_new (card->number, o);
}

/* {"UserID": …, "<key>": [base64 of each blob]} */
static StoreItem *
blobs_item (const GhDevicePerson *p,
            const char           *key,
            GPtrArray            *blobs)
{
  GString *o = g_string_sized_new (64);

  g_string_append_c (o, '{');
  append_member (o, "UserID", p->id);
  g_string_append_printf (o, ",\"%s\":[", key);
  for (guint i = 0; i < blobs->len; i++) {
    gsize len;
    const guchar *data = g_bytes_get_data (g_ptr_array_index (blobs, i), &len);
    g_autofree char *b64 = g_base64_encode (data, len);

    /* base64 needs no escaping */
    g_string_append_printf (o, "%s\"%s\"", i ? "," : "", b64);
  }
  g_string_append (o, "]}");
  return store_item_new (p->id, o);
}

typedef struct {
  GPtrArray *persons;  /* (owned) */
  guint      offset;   /* first person of the current batch */
  guint      stage;    /* 0 users, 1 cards, 2 faces, 3 fingerprints */
  guint      next;     /* stages 2 and 3: the first person of the batch not yet sent */
} PushData;

static void
push_data_free (PushData *d)
{
  g_ptr_array_unref (d->persons);
  g_free (d);
}

static void push_next (GTask *task);

static void
push_stage_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PushData *d = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error)) {
    guint end = MIN (d->offset + PERSON_BATCH, d->persons->len);

    if (end == d->offset + 1)
      g_prefix_error (&error, "Person %s: ",
                      ((GhDevicePerson *) g_ptr_array_index (d->persons, d->offset))->id);
    else
      g_prefix_error (&error, "Persons %u–%u: ", d->offset + 1, end);
    g_task_return_error (task, error);
    return;
  }
  if (d->stage >= 2 && d->next < MIN (d->offset + PERSON_BATCH, d->persons->len)) {
    push_next (g_steal_pointer (&task));
    return;
  }
  d->next = 0;
  if (++d->stage > 3) {
    d->stage = 0;
    d->offset += PERSON_BATCH;
  }
  push_next (g_steal_pointer (&task));
}

static void
push_next (GTask *task)
{
  GhDahuaDriver *self = g_task_get_source_object (task);
  PushData *d = g_task_get_task_data (task);
  guint end = MIN (d->offset + PERSON_BATCH, d->persons->len);
  GPtrArray *items;
  const StoreKind *kind;
  guint i;

  if (d->offset >= d->persons->len) {
    g_task_return_boolean (task, TRUE);
    g_object_unref (task);
    return;
  }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) store_item_free);
  for (i = MAX (d->offset, d->next); i < end; i++) {
    const GhDevicePerson *p = g_ptr_array_index (d->persons, i);

    if (d->stage >= 2 && items->len == BLOB_BATCH)
      break;
    switch (d->stage) {
    case 0:
      g_ptr_array_add (items, person_user_item (self, p));
      break;
    case 1:
      for (guint c = 0; c < p->cards->len; c++)
        g_ptr_array_add (items, card_item (p, g_ptr_array_index (p->cards, c)));
      break;
    case 2:
      if (p->faces->len > 0)
        g_ptr_array_add (items, blobs_item (p, "PhotoData", p->faces));
      break;
    case 3:
    default:
      if (p->fingerprints->len > 0)
        g_ptr_array_add (items, blobs_item (p, "FingerprintData", p->fingerprints));
      break;
    }
  }
  d->next = i;
  kind = d->stage == 0 ? &store_user : d->stage == 1 ? &store_card :
         d->stage == 2 ? &store_face : &store_finger;
  upsert_async (self, kind, items, g_task_get_cancellable (task), push_stage_cb, task);
}

static void
dahua_push_persons_async (GhPersonSync        *sync,
                          GPtrArray           *persons,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = task_new (sync, cancellable, callback, user_data);
  PushData *d = g_new0 (PushData, 1);

  g_task_set_source_tag (task, dahua_push_persons_async);
  d->persons = g_ptr_array_ref (persons);
  g_task_set_task_data (task, d, (GDestroyNotify) push_data_free);
  for (guint i = 0; i < persons->len; i++) {
    const GhDevicePerson *p = g_ptr_array_index (persons, i);

    if (p->id == NULL || *p->id == '\0') {
      g_task_return_new_error (task, GH_ERROR, GH_ERROR_INVALID_INPUT,
                               "Person %u has no ID; every person pushed to a device needs one",
                               i + 1);
      g_object_unref (task);
      return;
    }
  }
  push_next (task);
}

/*
 * Removal, per batch of persons: find each person's cards (AccessCard startFind by UserID,
 * since not every firmware drops a user's cards with the user), remove those cards, remove
 * the users, then their faces and fingerprints (refusals there are not errors: most firmware
 * removes them with the user).
 */
typedef enum {
  REMOVE_FIND_CARDS,
  REMOVE_CARDS,
  REMOVE_USERS,
  REMOVE_FACES,
  REMOVE_FINGERPRINTS,
} RemoveStage;

typedef struct {
  GStrv               ids;
  guint               offset;     /* first person of the batch */
  guint               finding;    /* person whose cards are being listed */
  RemoveStage         stage;
  struct json_object *cards;      /* (owned) [{CardNo}] of the batch */
  char               *token;      /* (owned) (nullable) open card search */
} RemoveData;

static void
remove_data_free (RemoveData *d)
{
  g_strfreev (d->ids);
  json_object_put (d->cards);
  g_free (d->token);
  g_free (d);
}

static void remove_next (GTask *task);

static guint
remove_batch_end (RemoveData *d)
{
  guint end = d->offset;

  while (d->ids[end] != NULL && end < d->offset + PERSON_BATCH)
    end++;
  return end;
}

static void
remove_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RemoveData *d = g_task_get_task_data (task);
  g_autofree char *body = NULL;
  GError *error = NULL;

  body = cgi_finish (GH_DAHUA_DRIVER (source), result, &error);
  if (body != NULL)
    gh_dahua_reply_expect_ok (body, -1, &error);
  if (error != NULL && (d->stage == REMOVE_USERS || d->stage == REMOVE_CARDS ||
                        g_error_matches (error, GH_ERROR, GH_ERROR_CANCELLED) ||
                        g_error_matches (error, GH_ERROR, GH_ERROR_UNREACHABLE))) {
    g_task_return_error (task, error);
    return;
  }
  g_clear_error (&error);
  if (d->stage == REMOVE_FINGERPRINTS) {
    d->offset = remove_batch_end (d);
    d->finding = d->offset;
    d->stage = REMOVE_FIND_CARDS;
    g_clear_pointer (&d->cards, json_object_put);
  } else {
    d->stage++;
  }
  remove_next (g_steal_pointer (&task));
}

static void
remove_cards_found_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  RemoveData *d = g_task_get_task_data (task);
  g_autoptr(json_object) root = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  struct json_object *v;

  body = cgi_finish (self, result, &error);
  if (body == NULL) {
    if (g_error_matches (error, GH_ERROR, GH_ERROR_CANCELLED) ||
        g_error_matches (error, GH_ERROR, GH_ERROR_UNREACHABLE)) {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
    /* No card search on this firmware: rely on the device dropping cards with users. */
    g_debug ("Card search failed (%s)", error->message);
    g_clear_pointer (&d->token, g_free);
    d->finding++;
    remove_next (g_steal_pointer (&task));
    return;
  }
  root = json_tokener_parse (body);
  if (d->token == NULL) {
    /* startFind answered: remember the token, then read the matches */
    if (root != NULL && json_object_object_get_ex (root, "Token", &v))
      d->token = g_strdup (json_object_get_string (v));
    if (d->token == NULL)
      d->finding++;
  } else {
    struct json_object *info = NULL;

    if (root != NULL && json_object_object_get_ex (root, "Info", &info) &&
        json_object_is_type (info, json_type_array)) {
      for (gsize i = 0; i < json_object_array_length (info); i++) {
        struct json_object *card = json_object_array_get_idx (info, i), *no;

        if (json_object_is_type (card, json_type_object) &&
            json_object_object_get_ex (card, "CardNo", &no)) {
          struct json_object *item = json_object_new_object ();

          json_object_object_add (item, "CardNo", json_object_get (no));
          json_object_array_add (d->cards, item);
        }
      }
    }
    {
      g_autofree char *q = g_strdup_printf ("AccessCard.cgi?action=stopFind&Token=%s", d->token);

      /* best effort: searches also expire on the device */
      cgi_async (self, q, NULL, NULL, (GAsyncReadyCallback) NULL, NULL);
    }
    g_clear_pointer (&d->token, g_free);
    d->finding++;
  }
  remove_next (g_steal_pointer (&task));
}

static void
remove_next (GTask *task)
{
  GhDahuaDriver *self = g_task_get_source_object (task);
  RemoveData *d = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *query = NULL;
  guint end = remove_batch_end (d);
  const StoreKind *kind;

  if (d->offset >= end) {
    g_task_return_boolean (task, TRUE);
    g_object_unref (task);
    return;
  }
  if (d->cards == NULL)
    d->cards = json_object_new_array ();

  switch (d->stage) {
  case REMOVE_FIND_CARDS:
    if (d->finding < end) {
      g_autofree char *escaped = NULL;

      if (d->token != NULL) {
        query = g_strdup_printf ("AccessCard.cgi?action=doFind&Token=%s&Offset=0&Count=100",
                                 d->token);
      } else {
        escaped = gh_http_escape (d->ids[d->finding]);
        query = g_strdup_printf ("AccessCard.cgi?action=startFind&Condition.UserID=%s", escaped);
      }
      cgi_async (self, query, NULL, cancellable, remove_cards_found_cb, task);
      return;
    }
    d->stage = REMOVE_CARDS;
    G_GNUC_FALLTHROUGH;
  case REMOVE_CARDS:
    if (json_object_array_length (d->cards) == 0) {
      d->stage = REMOVE_USERS;
      remove_next (task);
      return;
    }
    ids = g_ptr_array_sized_new (json_object_array_length (d->cards));
    for (gsize i = 0; i < json_object_array_length (d->cards); i++)
      g_ptr_array_add (ids, (gpointer) item_id (&store_card,
                                                json_object_array_get_idx (d->cards, i)));
    query = id_list_query (&store_card, "removeMulti", ids);
    cgi_async (self, query, NULL, cancellable, remove_done_cb, task);
    return;
  case REMOVE_USERS:
  case REMOVE_FACES:
  case REMOVE_FINGERPRINTS:
  default:
    kind = d->stage == REMOVE_USERS ? &store_user : d->stage == REMOVE_FACES ? &store_face
                                                                             : &store_finger;
    ids = g_ptr_array_sized_new (end - d->offset);
    for (guint i = d->offset; i < end; i++)
      g_ptr_array_add (ids, d->ids[i]);
    query = id_list_query (kind, "removeMulti", ids);
    cgi_async (self, query, NULL, cancellable, remove_done_cb, task);
    return;
  }
}

static void
dahua_remove_persons_async (GhPersonSync        *sync,
                            const char * const  *person_ids,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = task_new (sync, cancellable, callback, user_data);
  RemoveData *d = g_new0 (RemoveData, 1);

  g_task_set_source_tag (task, dahua_remove_persons_async);
  d->ids = g_strdupv ((char **) person_ids);
  if (d->ids == NULL)
    d->ids = g_new0 (char *, 1);
  g_task_set_task_data (task, d, (GDestroyNotify) remove_data_free);
  remove_next (task);
}

/* ---------------------------------------------------------------------------------------- */
/* Numbering, room passwords, notices: recordUpdater rows                                    */

typedef struct {
  char *name;      /* record name */
  char *fields;    /* "&K=v&K2=v2", escaped */
  char *find;      /* "&condition.K=v" or NULL to always insert */
} RowWrite;

static void
row_write_free (RowWrite *w)
{
  if (w == NULL)  /* write_list_next() steals the entries it has started */
    return;
  g_free (w->name);
  g_free (w->fields);
  g_free (w->find);
  g_free (w);
}

static void
row_written_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *body = NULL;
  g_autoptr(GHashTable) kv = NULL;
  GError *error = NULL;

  body = cgi_finish (GH_DAHUA_DRIVER (source), result, &error);
  if (body == NULL) {
    g_task_return_error (task, error);
    return;
  }
  /* insert answers "RecNo=n", update answers "OK" */
  kv = gh_dahua_kv_parse (body, -1, NULL);
  if ((kv != NULL && g_hash_table_contains (kv, "RecNo")) ||
      gh_dahua_reply_expect_ok (body, -1, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
row_found_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  RowWrite *w = g_task_get_task_data (task);
  g_autoptr(GhDahuaRecordSet) set = NULL;
  g_autofree char *body = NULL;
  g_autofree char *query = NULL;
  const char *recno = NULL;
  GError *error = NULL;

  body = cgi_finish (self, result, &error);
  if (body != NULL)
    set = gh_dahua_record_set_parse (body, -1, &error);
  if (set == NULL) {
    g_task_return_error (task, error);
    return;
  }
  if (set->records->len > 0)
    recno = g_hash_table_lookup (g_ptr_array_index (set->records, 0), "RecNo");
  if (recno != NULL) {
    g_autofree char *escaped = gh_http_escape (recno);

    query = g_strdup_printf ("recordUpdater.cgi?action=update&name=%s&recno=%s%s", w->name,
                             escaped, w->fields);
  } else {
    query = g_strdup_printf ("recordUpdater.cgi?action=insert&name=%s%s", w->name, w->fields);
  }
  cgi_async (self, query, NULL, g_task_get_cancellable (task), row_written_cb,
             g_object_ref (task));
}

static void
row_write_async (GhDahuaDriver       *self,
                 RowWrite            *w,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = task_new (self, cancellable, callback, user_data);
  g_autofree char *query = NULL;

  g_task_set_task_data (task, w, (GDestroyNotify) row_write_free);
  if (w->find == NULL) {
    query = g_strdup_printf ("recordUpdater.cgi?action=insert&name=%s%s", w->name, w->fields);
    cgi_async (self, query, NULL, cancellable, row_written_cb, task);
    return;
  }
  query = g_strdup_printf ("recordFinder.cgi?action=find&name=%s%s&count=1", w->name, w->find);
  cgi_async (self, query, NULL, cancellable, row_found_cb, task);
}

static void
append_field (GString    *s,
              const char *key,
              const char *value)
{
  g_autofree char *escaped = gh_http_escape (value ? value : "");

  g_string_append_printf (s, "&%s=%s", key, escaped);
}

typedef struct {
  GPtrArray *writes;  /* (owned) RowWrite* still to do */
  guint      next;
} WriteList;

static void
write_list_free (WriteList *l)
{
  g_ptr_array_unref (l->writes);
  g_free (l);
}

static void write_list_next (GTask *task);

static void
write_list_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error)) {
    g_task_return_error (task, error);
    return;
  }
  write_list_next (g_steal_pointer (&task));
}

static void
write_list_next (GTask *task)
{
  GhDahuaDriver *self = g_task_get_source_object (task);
  WriteList *l = g_task_get_task_data (task);

  if (l->next >= l->writes->len) {
    g_task_return_boolean (task, TRUE);
    g_object_unref (task);
    return;
  }
  row_write_async (self, g_steal_pointer (&l->writes->pdata[l->next++]),
                   g_task_get_cancellable (task), write_list_cb, task);
}

/* Runs @writes (transfer full, element-type RowWrite) one after the other. */
static void
write_rows_async (GhDahuaDriver       *self,
                  gpointer             source_tag,
                  GPtrArray           *writes,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = task_new (self, cancellable, callback, user_data);
  WriteList *l = g_new0 (WriteList, 1);

  g_task_set_source_tag (task, source_tag);
  l->writes = writes;
  g_task_set_task_data (task, l, (GDestroyNotify) write_list_free);
  write_list_next (task);
}

static RowWrite *
row_write_new (const char *name,
               const char *find_key,
               const char *find_value)
{
  RowWrite *w = g_new0 (RowWrite, 1);

  w->name = g_strdup (name);
  if (find_key != NULL) {
    g_autofree char *escaped = gh_http_escape (find_value);

    w->find = g_strdup_printf ("&condition.%s=%s", find_key, escaped);
  }
  return w;
}

static void
dahua_push_registrations_async (GhDialPlan         *numbering,
                                GPtrArray           *registrations,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GPtrArray *writes = g_ptr_array_new_with_free_func ((GDestroyNotify) row_write_free);

  for (guint i = 0; i < registrations->len; i++) {
    const GhDeviceRegistration *r = g_ptr_array_index (registrations, i);
    RowWrite *w = row_write_new ("VideoTalkContact", "VTShortNumber", r->number);
    GString *f = g_string_new (NULL);

    append_field (f, "VTShortNumber", r->number);
    append_field (f, "FirstName", r->name ? r->name : r->number);
    append_field (f, "Type", r->kind == GH_REGISTRATION_ROOM ? "VTH" :
                             r->kind == GH_REGISTRATION_DOOR_STATION ? "VTO" : "VTS");
    if (r->address != NULL)
      append_field (f, "IPAddress", r->address);
    w->fields = g_string_free (f, FALSE);
    g_ptr_array_add (writes, w);
  }
  write_rows_async (GH_DAHUA_DRIVER (numbering), dahua_push_registrations_async, writes,
                    cancellable, callback, user_data);
}

static void
dahua_set_room_password_async (GhDialPlan         *numbering,
                               const char          *room,
                               const char          *password,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GPtrArray *writes = g_ptr_array_new_with_free_func ((GDestroyNotify) row_write_free);
  RowWrite *w = row_write_new ("AccessControlPwd", "UserID", room);
  GString *f = g_string_new (NULL);

  append_field (f, "UserID", room);
  append_field (f, "DoorOpenPwd", password);
  w->fields = g_string_free (f, FALSE);
  g_ptr_array_add (writes, w);
  write_rows_async (GH_DAHUA_DRIVER (numbering), dahua_set_room_password_async, writes,
                    cancellable, callback, user_data);
}

/*
 * Removing registration numbers: find the VideoTalkContact rows of each number, remove them by
 * RecNo. Only rows whose VTShortNumber really is the number are removed, in case a firmware
 * ignores the find condition (as some do for the call log).
 */
typedef struct {
  GStrv      numbers;  /* (owned) */
  guint      next;     /* the next number to look for */
  GPtrArray *recnos;   /* (owned) RecNo of rows still to remove */
} RegRemove;

static void
reg_remove_free (RegRemove *r)
{
  g_strfreev (r->numbers);
  g_ptr_array_unref (r->recnos);
  g_free (r);
}

static void reg_remove_next (GTask *task);

static void
reg_removed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *body = NULL;
  GError *error = NULL;

  body = cgi_finish (GH_DAHUA_DRIVER (source), result, &error);
  if (body == NULL || !gh_dahua_reply_expect_ok (body, -1, &error)) {
    g_prefix_error (&error, "Removing a registration number: ");
    g_task_return_error (task, error);
    return;
  }
  reg_remove_next (g_steal_pointer (&task));
}

static void
reg_found_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RegRemove *r = g_task_get_task_data (task);
  const char *number = r->numbers[r->next - 1];
  g_autoptr(GhDahuaRecordSet) set = NULL;
  g_autofree char *body = NULL;
  GError *error = NULL;

  body = cgi_finish (GH_DAHUA_DRIVER (source), result, &error);
  if (body != NULL)
    set = gh_dahua_record_set_parse (body, -1, &error);
  if (set == NULL) {
    g_prefix_error (&error, "Looking for registration number %s: ", number);
    g_task_return_error (task, error);
    return;
  }
  for (guint i = 0; i < set->records->len; i++) {
    GHashTable *row = g_ptr_array_index (set->records, i);
    const char *recno = g_hash_table_lookup (row, "RecNo");

    if (recno != NULL && *recno != '\0' &&
        g_strcmp0 (g_hash_table_lookup (row, "VTShortNumber"), number) == 0)
      g_ptr_array_add (r->recnos, g_strdup (recno));
  }
  reg_remove_next (g_steal_pointer (&task));
}

static void
reg_remove_next (GTask *task)
{
  GhDahuaDriver *self = g_task_get_source_object (task);
  RegRemove *r = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *query = NULL;

  if (r->recnos->len > 0) {
    g_autofree char *recno = g_ptr_array_steal_index (r->recnos, r->recnos->len - 1);
    g_autofree char *escaped = gh_http_escape (recno);

    query = g_strdup_printf ("recordUpdater.cgi?action=remove&name=VideoTalkContact&recno=%s",
                             escaped);
    cgi_async (self, query, NULL, cancellable, reg_removed_cb, task);
    return;
  }
  if (r->numbers[r->next] != NULL) {
    g_autofree char *escaped = gh_http_escape (r->numbers[r->next++]);

    query = g_strdup_printf ("recordFinder.cgi?action=find&name=VideoTalkContact"
                             "&condition.VTShortNumber=%s", escaped);
    cgi_async (self, query, NULL, cancellable, reg_found_cb, task);
    return;
  }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
dahua_remove_registrations_async (GhDialPlan          *numbering,
                                  const char * const  *numbers,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = task_new (numbering, cancellable, callback, user_data);
  RegRemove *r = g_new0 (RegRemove, 1);

  g_task_set_source_tag (task, dahua_remove_registrations_async);
  r->numbers = g_strdupv ((char **) numbers);
  r->recnos = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, r, (GDestroyNotify) reg_remove_free);
  for (guint i = 0; r->numbers[i] != NULL; i++) {
    if (*r->numbers[i] == '\0') {
      g_task_return_new_error (task, GH_ERROR, GH_ERROR_INVALID_INPUT,
                               "Registration number %u to remove is empty", i + 1);
      g_object_unref (task);
      return;
    }
  }
  reg_remove_next (task);
}

/*
 * Notices are Announcement rows. The device names a row by its RecNo, so that is the notice's
 * key, together with the IssueTime it was sent with ("RECNO:ISSUETIME"): a row with that RecNo
 * but another IssueTime is someone else's (the device was reset, or the row was replaced on
 * the device), and is left alone. A push with an earlier key updates that row when it is still
 * there, else adds a new one; a withdrawal removes it, and finds nothing to do when it is gone.
 */
typedef struct {
  char     *fields;     /* (nullable) "&K=v…" escaped; NULL to withdraw */
  char     *issue;      /* (nullable) the IssueTime sent */
  char     *recno;      /* (nullable) the row of the earlier key */
  char     *old_issue;  /* (nullable) its IssueTime */
} NoticeOp;

static void
notice_op_free (NoticeOp *op)
{
  g_free (op->fields);
  g_free (op->issue);
  g_free (op->recno);
  g_free (op->old_issue);
  g_free (op);
}

static gboolean
all_digits (const char *s,
            gsize       len)
{
  if (s == NULL || len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* "RECNO:ISSUETIME" → its parts; FALSE when @key is not one of this driver's notice keys. */
static gboolean
notice_key_parse (const char  *key,
                  char       **recno,
                  char       **issue)
{
  const char *colon = key ? strchr (key, ':') : NULL;
  const char *t = colon ? colon + 1 : NULL;

  if (colon == NULL || !all_digits (key, colon - key))
    return FALSE;
  if (*t == '-')  /* an issue time before 1970 */
    t++;
  if (!all_digits (t, strlen (t)))
    return FALSE;
  *recno = g_strndup (key, colon - key);
  *issue = g_strdup (colon + 1);
  return TRUE;
}

static void
notice_return_key (GTask      *task,
                   const char *recno)
{
  NoticeOp *op = g_task_get_task_data (task);

  g_task_return_pointer (task, g_strdup_printf ("%s:%s", recno, op->issue), g_free);
}

static void
notice_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NoticeOp *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) kv = NULL;
  g_autofree char *body = NULL;
  const char *recno;
  GError *error = NULL;

  body = cgi_finish (GH_DAHUA_DRIVER (source), result, &error);
  if (body == NULL) {
    g_task_return_error (task, error);
    return;
  }
  if (op->fields == NULL) {
    /* withdrawn */
    if (!gh_dahua_reply_expect_ok (body, -1, &error))
      g_task_return_error (task, error);
    else
      g_task_return_boolean (task, TRUE);
    return;
  }
  if (op->recno != NULL) {
    /* updated in place */
    if (!gh_dahua_reply_expect_ok (body, -1, &error))
      g_task_return_error (task, error);
    else
      notice_return_key (task, op->recno);
    return;
  }
  kv = gh_dahua_kv_parse (body, -1, &error);
  if (kv == NULL) {
    g_task_return_error (task, error);
    return;
  }
  recno = g_hash_table_lookup (kv, "RecNo");
  if (recno == NULL || !all_digits (recno, strlen (recno))) {
    g_task_return_new_error (task, GH_ERROR, GH_ERROR_PROTOCOL,
                             "The device stored the notice but gave no record number; it "
                             "cannot be withdrawn later, delete it on the device");
    return;
  }
  notice_return_key (task, recno);
}

static void
notice_insert (GTask *task)
{
  NoticeOp *op = g_task_get_task_data (task);
  g_autofree char *query = g_strdup_printf ("recordUpdater.cgi?action=insert&name=Announcement%s",
                                            op->fields);

  g_clear_pointer (&op->recno, g_free);
  cgi_async (g_task_get_source_object (task), query, NULL, g_task_get_cancellable (task),
             notice_written_cb, task);
}

static void
notice_found_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  NoticeOp *op = g_task_get_task_data (task);
  g_autoptr(GhDahuaRecordSet) set = NULL;
  g_autofree char *body = NULL;
  g_autofree char *escaped = gh_http_escape (op->recno);
  g_autofree char *query = NULL;
  gboolean there = FALSE;
  GError *error = NULL;

  body = cgi_finish (self, result, &error);
  if (body != NULL)
    set = gh_dahua_record_set_parse (body, -1, &error);
  if (set == NULL) {
    g_task_return_error (task, error);
    g_object_unref (task);
    return;
  }
  for (guint i = 0; i < set->records->len && !there; i++) {
    GHashTable *row = g_ptr_array_index (set->records, i);

    there = g_strcmp0 (g_hash_table_lookup (row, "RecNo"), op->recno) == 0 &&
            g_strcmp0 (g_hash_table_lookup (row, "IssueTime"), op->old_issue) == 0;
  }
  if (op->fields == NULL && !there) {
    /* already gone: withdrawing twice is fine */
    g_task_return_boolean (task, TRUE);
    g_object_unref (task);
    return;
  }
  if (!there) {
    notice_insert (task);
    return;
  }
  if (op->fields == NULL)
    query = g_strdup_printf ("recordUpdater.cgi?action=remove&name=Announcement&recno=%s",
                             escaped);
  else
    query = g_strdup_printf ("recordUpdater.cgi?action=update&name=Announcement&recno=%s%s",
                             escaped, op->fields);
  cgi_async (self, query, NULL, g_task_get_cancellable (task), notice_written_cb, task);
}

/* Looks for the row of op->recno, then notice_found_cb() goes on. */
static void
notice_find (GTask *task)
{
  NoticeOp *op = g_task_get_task_data (task);
  g_autofree char *escaped = gh_http_escape (op->recno);
  g_autofree char *query = g_strdup_printf ("recordFinder.cgi?action=find&name=Announcement"
                                            "&condition.RecNo=%s", escaped);

  cgi_async (g_task_get_source_object (task), query, NULL, g_task_get_cancellable (task),
             notice_found_cb, task);
}

static void
dahua_push_notice_async (GhNoticeBoard        *board,
                         const GhDeviceNotice *notice,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  GTask *task = task_new (board, cancellable, callback, user_data);
  NoticeOp *op = g_new0 (NoticeOp, 1);
  GString *f = g_string_new (NULL);
  g_autofree char *expire = g_strdup_printf ("%" G_GINT64_FORMAT, notice->expire_time);

  g_task_set_source_tag (task, dahua_push_notice_async);
  g_task_set_task_data (task, op, (GDestroyNotify) notice_op_free);
  op->issue = g_strdup_printf ("%" G_GINT64_FORMAT,
                               notice->issue_time ? notice->issue_time
                                                  : g_get_real_time () / G_USEC_PER_SEC);
  append_field (f, "AnnounceTitle", notice->title);
  append_field (f, "AnnounceContent", notice->body);
  append_field (f, "AnnounceDoor", notice->target_room ? notice->target_room : "");
  append_field (f, "IssueTime", op->issue);
  append_field (f, "ExpireTime", expire);
  append_field (f, "AnnounceState", "0");
  op->fields = g_string_free (f, FALSE);
  /* a key from another driver or an older version names no row here: add a new one */
  if (notice->device_key != NULL &&
      notice_key_parse (notice->device_key, &op->recno, &op->old_issue))
    notice_find (task);
  else
    notice_insert (task);
}

static void
dahua_withdraw_notice_async (GhNoticeBoard       *board,
                             const char          *device_key,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = task_new (board, cancellable, callback, user_data);
  NoticeOp *op = g_new0 (NoticeOp, 1);

  g_task_set_source_tag (task, dahua_withdraw_notice_async);
  g_task_set_task_data (task, op, (GDestroyNotify) notice_op_free);
  if (!notice_key_parse (device_key, &op->recno, &op->old_issue)) {
    g_task_return_new_error (task, GH_ERROR, GH_ERROR_INVALID_INPUT,
                             "“%s” does not say which announcement the notice is (it was sent "
                             "by an older version); delete the notice on the device", device_key);
    g_object_unref (task);
    return;
  }
  notice_find (task);
}

/* ---------------------------------------------------------------------------------------- */
/* Call control over RPC2                                                                    */

typedef struct {
  char *method;   /* VideoTalkPhone method to call on the instance */
  guint fallback; /* hang-up: 0 disconnect, 1 endCall, 2 console hc */
} CallOp;

static void
call_op_free (CallOp *op)
{
  g_free (op->method);
  g_free (op);
}

static void call_op_run (GTask *task);

static GhCallState
call_state_from (const char *s)
{
  if (s == NULL)
    return GH_CALL_STATE_UNKNOWN;
  if (g_ascii_strcasecmp (s, "Idle") == 0 || g_ascii_strcasecmp (s, "Hangup") == 0)
    return GH_CALL_STATE_IDLE;
  if (g_ascii_strcasecmp (s, "Talking") == 0 || g_ascii_strcasecmp (s, "Answer") == 0 ||
      g_ascii_strcasecmp (s, "Connected") == 0)
    return GH_CALL_STATE_TALKING;
  if (g_ascii_strcasecmp (s, "Ringing") == 0 || g_ascii_strcasecmp (s, "Ring") == 0 ||
      g_ascii_strcasecmp (s, "Calling") == 0 || g_ascii_strcasecmp (s, "Incoming") == 0 ||
      g_ascii_strcasecmp (s, "Invite") == 0)
    return GH_CALL_STATE_RINGING;
  return GH_CALL_STATE_UNKNOWN;
}

static void
call_op_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  CallOp *op = g_task_get_task_data (task);
  g_autoptr(GhDahuaRpcReply) reply = NULL;
  GError *error = NULL;

  reply = rpc_finish (result, &error);
  if (reply == NULL) {
    if (g_strcmp0 (op->method, "getCallState") != 0 && g_strcmp0 (op->method, "answer") != 0 &&
        op->fallback < 2 && !g_error_matches (error, GH_ERROR, GH_ERROR_CANCELLED) &&
        !g_error_matches (error, GH_ERROR, GH_ERROR_UNREACHABLE)) {
      /* disconnect → endCall → console "hc": firmware differs in what works */
      g_debug ("VideoTalkPhone.%s failed (%s); trying the next way", op->method, error->message);
      g_clear_error (&error);
      op->fallback++;
      g_free (op->method);
      op->method = g_strdup (op->fallback == 1 ? "endCall" : "hc");
      self->call_object = op->fallback == 2 ? self->call_object : 0;
      call_op_run (g_steal_pointer (&task));
      return;
    }
    g_task_return_error (task, error);
    return;
  }
  if (g_strcmp0 (op->method, "getCallState") == 0)
    g_task_return_int (task, call_state_from (gh_dahua_rpc_reply_get_param_string (reply,
                                                                                   "callState")));
  else
    g_task_return_boolean (task, TRUE);
}

static void
call_instance_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  g_autoptr(GhDahuaRpcReply) reply = NULL;
  GError *error = NULL;

  reply = rpc_finish (result, &error);
  if (reply == NULL) {
    g_task_return_error (task, error);
    return;
  }
  if (!json_object_is_type (reply->result, json_type_int)) {
    g_task_return_new_error (task, GH_ERROR, GH_ERROR_PROTOCOL,
                             "VideoTalkPhone.factory.instance returned no object id");
    return;
  }
  self->call_object = json_object_get_int64 (reply->result);
  call_op_run (g_steal_pointer (&task));
}

static void
call_op_run (GTask *task)
{
  GhDahuaDriver *self = g_task_get_source_object (task);
  CallOp *op = g_task_get_task_data (task);
  g_autofree char *method = NULL;

  if (g_strcmp0 (op->method, "hc") == 0) {
    struct json_object *params = json_object_new_object ();

    json_object_object_add (params, "command", json_object_new_string ("hc"));
    rpc_async (self, "console.runCmd", params, 0, g_task_get_cancellable (task),
               call_op_done_cb, task);
    return;
  }
  if (self->call_object == 0) {
    rpc_async (self, "VideoTalkPhone.factory.instance", NULL, 0, g_task_get_cancellable (task),
               call_instance_cb, task);
    return;
  }
  method = g_strdup_printf ("VideoTalkPhone.%s", op->method);
  rpc_async (self, method, NULL, self->call_object, g_task_get_cancellable (task),
             call_op_done_cb, task);
}

static void
call_op_start (GhDahuaDriver       *self,
               gpointer             source_tag,
               const char          *method,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = task_new (self, cancellable, callback, user_data);
  CallOp *op = g_new0 (CallOp, 1);

  op->method = g_strdup (method);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) call_op_free);
  call_op_run (task);
}

static void
dahua_get_call_state_async (GhCallControl       *control,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  call_op_start (GH_DAHUA_DRIVER (control), dahua_get_call_state_async, "getCallState",
                 cancellable, callback, user_data);
}

static void
dahua_answer_async (GhCallControl       *control,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  call_op_start (GH_DAHUA_DRIVER (control), dahua_answer_async, "answer", cancellable,
                 callback, user_data);
}

static void
dahua_hang_up_async (GhCallControl       *control,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  call_op_start (GH_DAHUA_DRIVER (control), dahua_hang_up_async, "disconnect", cancellable,
                 callback, user_data);
}

/* ---------------------------------------------------------------------------------------- */
/* Media                                                                                     */

static char *
dahua_get_live_url (GhMediaSource  *source,
                    guint           stream,
                    GError        **error)
{
  GhDahuaDriver *self = GH_DAHUA_DRIVER (source);
  g_autofree char *user = gh_http_escape (self->config->username);
  g_autofree char *pass = gh_http_escape (self->config->password);
  gboolean v6 = strchr (self->config->host, ':') != NULL;

  if (stream > 1) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 "Stream %u does not exist; use 0 (main) or 1 (sub)", stream);
    return NULL;
  }
  /* Credentials in the URL must be percent-encoded. */
  return g_strdup_printf ("rtsp://%s:%s@%s%s%s:%u/cam/realmonitor?channel=1&subtype=%u",
                          user, pass, v6 ? "[" : "", self->config->host, v6 ? "]" : "",
                          self->rtsp_port, stream);
}

static GhTalkBackMethod
dahua_get_talk_back (GhMediaSource *source)
{
  /* ONVIF RTSP back channel (…&unicast=true&proto=Onvif); firmware without it needs the
   * audio.cgi upload, which the media layer can try when the back channel is missing. */
  return GH_TALK_BACK_RTSP_BACKCHANNEL;
}

/* ---------------------------------------------------------------------------------------- */
/* GObject                                                                                   */

static void
gh_dahua_driver_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GhDahuaDriver *self = GH_DAHUA_DRIVER (object);

  switch (prop_id) {
  case PROP_CONFIG:
    g_value_set_boxed (value, self->config);
    break;
  case PROP_HEARTBEAT_INTERVAL:
    g_value_set_uint (value, self->heartbeat_s);
    break;
  case PROP_RECONNECT_DELAY:
    g_value_set_uint (value, self->reconnect_base_ms);
    break;
  case PROP_RECONNECT_MAX_DELAY:
    g_value_set_uint (value, self->reconnect_max_ms);
    break;
  case PROP_RTSP_PORT:
    g_value_set_uint (value, self->rtsp_port);
    break;
  case PROP_CLOCK_MODE:
    g_value_set_boolean (value, self->clock_mode == GH_DAHUA_CLOCK_WALL);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_dahua_driver_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GhDahuaDriver *self = GH_DAHUA_DRIVER (object);

  switch (prop_id) {
  case PROP_CONFIG:
    g_clear_pointer (&self->config, gh_device_config_free);
    self->config = g_value_dup_boxed (value);
    break;
  case PROP_HEARTBEAT_INTERVAL:
    if (self->heartbeat_s != g_value_get_uint (value)) {
      self->heartbeat_s = g_value_get_uint (value);
      g_object_notify_by_pspec (object, pspec);
    }
    break;
  case PROP_RECONNECT_DELAY:
    if (self->reconnect_base_ms != g_value_get_uint (value)) {
      self->reconnect_base_ms = g_value_get_uint (value);
      g_object_notify_by_pspec (object, pspec);
    }
    break;
  case PROP_RECONNECT_MAX_DELAY:
    if (self->reconnect_max_ms != g_value_get_uint (value)) {
      self->reconnect_max_ms = g_value_get_uint (value);
      g_object_notify_by_pspec (object, pspec);
    }
    break;
  case PROP_RTSP_PORT:
    if (self->rtsp_port != g_value_get_uint (value)) {
      self->rtsp_port = g_value_get_uint (value);
      g_object_notify_by_pspec (object, pspec);
    }
    break;
  case PROP_CLOCK_MODE: {
    GhDahuaClockMode mode = g_value_get_boolean (value) ? GH_DAHUA_CLOCK_WALL
                                                        : GH_DAHUA_CLOCK_UTC;

    if (self->clock_mode != mode) {
      self->clock_mode = mode;
      g_object_notify_by_pspec (object, pspec);
    }
    break;
  }
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_dahua_driver_constructed (GObject *object)
{
  GhDahuaDriver *self = GH_DAHUA_DRIVER (object);

  G_OBJECT_CLASS (gh_dahua_driver_parent_class)->constructed (object);

  if (self->config == NULL)
    self->config = gh_device_config_new ("dahua", "invalid.invalid", 0, "", "");
  if (self->config->id == NULL)
    self->config->id = g_strdup (self->config->host);
  self->base_url = gh_device_config_base_url (self->config);
}

static void
gh_dahua_driver_dispose (GObject *object)
{
  GhDahuaDriver *self = GH_DAHUA_DRIVER (object);

  dahua_stop_events (GH_DRIVER (self));
  g_clear_handle_id (&self->keepalive_id, g_source_remove);

  G_OBJECT_CLASS (gh_dahua_driver_parent_class)->dispose (object);
}

static void
gh_dahua_driver_finalize (GObject *object)
{
  GhDahuaDriver *self = GH_DAHUA_DRIVER (object);

  g_clear_pointer (&self->config, gh_device_config_free);
  g_clear_object (&self->http);
  g_free (self->base_url);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->session, json_object_put);
  g_clear_pointer (&self->login_waiters, g_ptr_array_unref);
  g_clear_pointer (&self->filter, gh_dahua_event_filter_free);

  G_OBJECT_CLASS (gh_dahua_driver_parent_class)->finalize (object);
}

static void
gh_dahua_driver_class_init (GhDahuaDriverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_dahua_driver_get_property;
  object_class->set_property = gh_dahua_driver_set_property;
  object_class->constructed = gh_dahua_driver_constructed;
  object_class->dispose = gh_dahua_driver_dispose;
  object_class->finalize = gh_dahua_driver_finalize;

  g_object_class_override_property (object_class, PROP_CONFIG, "config");

  /**
   * GhDahuaDriver:heartbeat-interval:
   *
   * Seconds between heartbeats asked of the event stream (1–60). The stream is treated as
   * dead after about three missed heartbeats.
   */
  properties[PROP_HEARTBEAT_INTERVAL] =
    g_param_spec_uint ("heartbeat-interval", NULL, NULL, 1, 60, 5,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GhDahuaDriver:reconnect-delay:
   *
   * First reconnect delay of the event stream in ms; it doubles per failure, with jitter.
   */
  properties[PROP_RECONNECT_DELAY] =
    g_param_spec_uint ("reconnect-delay", NULL, NULL, 10, 600000, 1000,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RECONNECT_MAX_DELAY] =
    g_param_spec_uint ("reconnect-max-delay", NULL, NULL, 10, 3600000, 60000,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RTSP_PORT] =
    g_param_spec_uint ("rtsp-port", NULL, NULL, 1, 65535, 554,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GhDahuaDriver:clock-wall-time:
   *
   * Whether the device stores log times as its wall clock read as UTC. Learnt from events
   * that carry both UTC and LocaleTime; can be set from a stored device setting.
   */
  properties[PROP_CLOCK_MODE] =
    g_param_spec_boolean ("clock-wall-time", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  for (guint i = PROP_HEARTBEAT_INTERVAL; i <= PROP_CLOCK_MODE; i++)
    g_object_class_install_property (object_class, i, properties[i]);
}

static void
gh_dahua_driver_init (GhDahuaDriver *self)
{
  self->http = gh_http_get_default ();
  self->tz = g_time_zone_new_local ();
  self->login_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->filter = gh_dahua_event_filter_new ();
  self->heartbeat_s = 5;
  self->reconnect_base_ms = 1000;
  self->reconnect_max_ms = 60000;
  self->rtsp_port = 554;
  self->link_state = GH_EVENT_OTHER;
}

static void
driver_iface_init (GhDriverInterface *iface)
{
  iface->name = "dahua";
  iface->probe_async = dahua_probe_async;
  iface->start_events = dahua_start_events;
  iface->stop_events = dahua_stop_events;
  iface->sync_time_async = dahua_sync_time_async;
}

static void
door_control_iface_init (GhDoorControlInterface *iface)
{
  iface->set_door_async = dahua_set_door_async;
}

static void
person_sync_iface_init (GhPersonSyncInterface *iface)
{
  iface->push_persons_async = dahua_push_persons_async;
  iface->remove_persons_async = dahua_remove_persons_async;
}

static void
dial_plan_iface_init (GhDialPlanInterface *iface)
{
  iface->push_registrations_async = dahua_push_registrations_async;
  iface->set_room_password_async = dahua_set_room_password_async;
  iface->remove_registrations_async = dahua_remove_registrations_async;
}

static void
notice_board_iface_init (GhNoticeBoardInterface *iface)
{
  iface->push_notice_async = dahua_push_notice_async;
  iface->withdraw_notice_async = dahua_withdraw_notice_async;
}

static void
record_source_iface_init (GhRecordSourceInterface *iface)
{
  iface->fetch_records_async = dahua_fetch_records_async;
}

static void
call_control_iface_init (GhCallControlInterface *iface)
{
  iface->get_call_state_async = dahua_get_call_state_async;
  iface->answer_async = dahua_answer_async;
  iface->hang_up_async = dahua_hang_up_async;
}

static void
media_source_iface_init (GhMediaSourceInterface *iface)
{
  iface->get_live_url = dahua_get_live_url;
  iface->get_talk_back = dahua_get_talk_back;
}
