/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sim-rtsp"

#include "config.h"

#include "gh-sim-rtsp.h"

#include "gh-sim-rtsp-factory.h"

#include <gst/app/app.h>
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-onvif-server.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <string.h>

/* How often expired sessions (clients that vanished without TEARDOWN) are swept, while there
 * are sessions at all. */
#define SESSION_SWEEP_SECONDS 2

/* How long a snapshot may take before it is given up. */
#define SNAPSHOT_TIMEOUT (5 * GST_SECOND)

/**
 * GhSimRtsp:
 *
 * The RTSP face of one simulated door station or fence station.
 *
 * It listens on 127.0.0.1 on an ephemeral port, answers Digest-authenticated
 * `/cam/realmonitor?channel=1&subtype=0` (1280×720 main stream) and `subtype=1` (352×288 sub
 * stream), each H.264 video of a test scene with the device name and a millisecond wall clock,
 * plus G.711 A-law audio. With `&unicast=true&proto=Onvif` it also offers an ONVIF audio back
 * channel (PCMA/8000) and keeps what it receives.
 *
 * An idle device is a listening socket and a few small objects: no pipeline and no thread exists
 * until a client asks for a stream, and the pipeline goes away when the last client leaves.
 */
struct _GhSimRtsp
{
  GObject parent_instance;

  char *device_name;              /* (owned) */
  GMainContext *context;          /* (owned) */
  GstRTSPServer *server;          /* (owned) */
  GhSimRtspFactory *factory;      /* (owned) */
  GSocket *socket;                /* (owned) */
  GSource *accept_source;         /* (owned) */
  GSource *sweep_source;          /* (owned) (nullable) */
  guint port;
  gint online;                    /* (atomic) */
};

G_DEFINE_FINAL_TYPE (GhSimRtsp, gh_sim_rtsp, G_TYPE_OBJECT)

G_DEFINE_QUARK (gh-sim-rtsp-error-quark, gh_sim_rtsp_error)

static gboolean
is_printable (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p)) {
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  }
  return TRUE;
}

static gboolean
check_text (const char  *what,
            const char  *value,
            gboolean     allow_empty,
            GError     **error)
{
  if (value == NULL || (!allow_empty && *value == '\0')) {
    g_set_error (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_INVALID_INPUT,
                 "The %s of an RTSP device must not be empty", what);
    return FALSE;
  }
  if (!g_utf8_validate (value, -1, NULL) || !is_printable (value)) {
    g_set_error (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_INVALID_INPUT,
                 "The %s of an RTSP device must be printable UTF-8 text", what);
    return FALSE;
  }
  return TRUE;
}

static GstRTSPStatusCode
check_url_cb (GstRTSPClient  *client,
              GstRTSPContext *ctx,
              gpointer        user_data)
{
  GhSimRtspStream stream;
  gboolean onvif;

  /* Mount points ignore the query; a door station answers 404 for a channel or subtype it
   * does not have. */
  if (ctx->uri == NULL || !gh_sim_rtsp_parse_query (ctx->uri->query, &stream, &onvif))
    return GST_RTSP_STS_NOT_FOUND;

  return GST_RTSP_STS_OK;
}

static gboolean
sweep_sessions_cb (gpointer user_data)
{
  GhSimRtsp *self = GH_SIM_RTSP (user_data);
  g_autoptr(GstRTSPSessionPool) pool = gst_rtsp_server_get_session_pool (self->server);

  gst_rtsp_session_pool_cleanup (pool);
  if (gst_rtsp_session_pool_get_n_sessions (pool) > 0)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&self->sweep_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static gboolean
start_sweep_cb (gpointer user_data)
{
  GhSimRtsp *self = GH_SIM_RTSP (user_data);

  if (self->server == NULL || self->sweep_source != NULL)
    return G_SOURCE_REMOVE;

  self->sweep_source = g_timeout_source_new_seconds (SESSION_SWEEP_SECONDS);
  g_source_set_callback (self->sweep_source, sweep_sessions_cb, self, NULL);
  g_source_set_name (self->sweep_source, "[gh-sim-rtsp] sweep sessions");
  g_source_attach (self->sweep_source, self->context);

  return G_SOURCE_REMOVE;
}

static void
new_session_cb (GstRTSPClient  *client,
                GstRTSPSession *session,
                gpointer        user_data)
{
  GhSimRtsp *self = GH_SIM_RTSP (user_data);

  /* Runs on the client's thread; the sweep timer lives on our context. */
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, start_sweep_cb,
                              g_object_ref (self), g_object_unref);
}

static void
client_connected_cb (GstRTSPServer *server,
                     GstRTSPClient *client,
                     gpointer       user_data)
{
  GhSimRtsp *self = GH_SIM_RTSP (user_data);

  g_signal_connect (client, "pre-describe-request", G_CALLBACK (check_url_cb), NULL);
  g_signal_connect (client, "pre-setup-request", G_CALLBACK (check_url_cb), NULL);
  g_signal_connect_object (client, "new-session", G_CALLBACK (new_session_cb), self, 0);
}

static gboolean
accept_cb (GSocket      *socket,
           GIOCondition  condition,
           gpointer      user_data)
{
  GhSimRtsp *self = GH_SIM_RTSP (user_data);
  g_autoptr(GSocket) refused = NULL;

  if (g_atomic_int_get (&self->online))
    return gst_rtsp_server_io_func (socket, condition, self->server);

  /* Offline: take the connection off the backlog and drop it at once. */
  refused = g_socket_accept (socket, NULL, NULL);
  if (refused != NULL)
    g_socket_close (refused, NULL);

  return G_SOURCE_CONTINUE;
}

static GstRTSPFilterResult
remove_client_cb (GstRTSPServer *server,
                  GstRTSPClient *client,
                  gpointer       user_data)
{
  return GST_RTSP_FILTER_REMOVE;
}

static GstRTSPFilterResult
remove_session_cb (GstRTSPSessionPool *pool,
                   GstRTSPSession     *session,
                   gpointer            user_data)
{
  return GST_RTSP_FILTER_REMOVE;
}

static void
drop_clients (GhSimRtsp *self)
{
  g_autoptr(GstRTSPSessionPool) pool = NULL;

  /* Closing the connections tears down TCP sessions; UDP sessions outlive their connection,
   * so they are removed from the pool as well, which stops their pipelines. */
  g_list_free_full (gst_rtsp_server_client_filter (self->server, remove_client_cb, NULL),
                    g_object_unref);
  pool = gst_rtsp_server_get_session_pool (self->server);
  g_list_free_full (gst_rtsp_session_pool_filter (pool, remove_session_cb, NULL),
                    g_object_unref);
}

static void
gh_sim_rtsp_dispose (GObject *object)
{
  GhSimRtsp *self = GH_SIM_RTSP (object);

  if (self->accept_source != NULL) {
    g_source_destroy (self->accept_source);
    g_clear_pointer (&self->accept_source, g_source_unref);
  }
  if (self->sweep_source != NULL) {
    g_source_destroy (self->sweep_source);
    g_clear_pointer (&self->sweep_source, g_source_unref);
  }
  if (self->socket != NULL) {
    g_socket_close (self->socket, NULL);
    g_clear_object (&self->socket);
  }
  if (self->server != NULL) {
    drop_clients (self);
    g_clear_object (&self->server);
  }
  g_clear_object (&self->factory);

  G_OBJECT_CLASS (gh_sim_rtsp_parent_class)->dispose (object);
}

static void
gh_sim_rtsp_finalize (GObject *object)
{
  GhSimRtsp *self = GH_SIM_RTSP (object);

  g_clear_pointer (&self->device_name, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (gh_sim_rtsp_parent_class)->finalize (object);
}

static void
gh_sim_rtsp_class_init (GhSimRtspClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_sim_rtsp_dispose;
  object_class->finalize = gh_sim_rtsp_finalize;
}

static void
gh_sim_rtsp_init (GhSimRtsp *self)
{
  self->online = TRUE;
}

/**
 * gh_sim_rtsp_new:
 * @device_name: shown in every frame, e.g. "Gate 1"
 * @username: the Digest user name clients must give
 * @password: its password (may be empty)
 * @error: return location for a #GError
 *
 * Opens the device's RTSP port on 127.0.0.1 (an ephemeral port; see gh_sim_rtsp_get_port())
 * and serves it from the thread-default main context, which the caller must run. Clients are
 * handled on GStreamer's RTSP server threads, and media on their own threads.
 *
 * gst_init() must have been called.
 *
 * Returns: (transfer full): the device's RTSP server, or %NULL with @error set
 */
GhSimRtsp *
gh_sim_rtsp_new (const char  *device_name,
                 const char  *username,
                 const char  *password,
                 GError     **error)
{
  g_autoptr(GhSimRtsp) self = NULL;
  g_autoptr(GstRTSPMountPoints) mounts = NULL;
  g_autoptr(GstRTSPAuth) auth = NULL;
  g_autoptr(GstRTSPThreadPool) threads = NULL;
  g_autoptr(GstRTSPToken) token = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *realm = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!gst_is_initialized ()) {
    g_set_error_literal (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_MEDIA,
                         "GStreamer is not initialised; call gst_init() first");
    return NULL;
  }
  if (!check_text ("device name", device_name, FALSE, error) ||
      !check_text ("user name", username, FALSE, error) ||
      !check_text ("password", password, TRUE, error))
    return NULL;
  if (strchr (username, ':') != NULL) {
    g_set_error_literal (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_INVALID_INPUT,
                         "The user name of an RTSP device must not contain “:”");
    return NULL;
  }

  self = g_object_new (GH_TYPE_SIM_RTSP, NULL);
  self->device_name = g_strdup (device_name);
  self->context = g_main_context_ref_thread_default ();

  self->server = gst_rtsp_onvif_server_new ();
  gst_rtsp_server_set_address (self->server, "127.0.0.1");
  gst_rtsp_server_set_service (self->server, "0");
  /* Requests of a device's clients run on one thread of GStreamer's pool (started with the first
   * client, gone with the last), so preparing a pipeline never blocks the caller's main loop. */
  threads = gst_rtsp_server_get_thread_pool (self->server);
  gst_rtsp_thread_pool_set_max_threads (threads, 1);

  self->factory = gh_sim_rtsp_factory_new (device_name);
  mounts = gst_rtsp_server_get_mount_points (self->server);
  gst_rtsp_mount_points_add_factory (mounts, GH_SIM_RTSP_MOUNT_PATH,
                                     g_object_ref (GST_RTSP_MEDIA_FACTORY (self->factory)));

  /* Digest only, as door stations do; one account that may open both streams. */
  auth = gst_rtsp_auth_new ();
  realm = g_strdup_printf ("Login to %s", device_name);
  g_strdelimit (realm, "\"\\", '_');
  gst_rtsp_auth_set_realm (auth, realm);
  gst_rtsp_auth_set_supported_methods (auth, GST_RTSP_AUTH_DIGEST);
  token = gst_rtsp_token_new (GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE, G_TYPE_STRING, "viewer", NULL);
  gst_rtsp_auth_add_digest (auth, username, password, token);
  gst_rtsp_server_set_auth (self->server, auth);

  g_signal_connect_object (self->server, "client-connected", G_CALLBACK (client_connected_cb),
                           self, 0);

  self->socket = gst_rtsp_server_create_socket (self->server, NULL, &local_error);
  if (self->socket == NULL) {
    g_set_error (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_IO,
                 "Cannot open the RTSP port of “%s” on 127.0.0.1: %s (too many open files? "
                 "raise the descriptor limit)", device_name, local_error->message);
    return NULL;
  }
  address = g_socket_get_local_address (self->socket, &local_error);
  if (address == NULL) {
    g_set_error (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_IO,
                 "Cannot read the RTSP port of “%s”: %s", device_name, local_error->message);
    return NULL;
  }
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));

  self->accept_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (accept_cb), self, NULL);
  g_source_set_name (self->accept_source, "[gh-sim-rtsp] accept");
  g_source_attach (self->accept_source, self->context);

  return g_steal_pointer (&self);
}

/**
 * gh_sim_rtsp_release_accept:
 * @self: a #GhSimRtsp
 *
 * Stops watching the listening socket and returns it, for a caller that accepts connections
 * itself and passes each to gh_sim_rtsp_take_connection(): a process with hundreds of door
 * stations then polls one descriptor for all of them instead of one per station on every
 * main-loop turn.
 *
 * Returns: (transfer none): the listening socket; it stays owned by @self
 */
GSocket *
gh_sim_rtsp_release_accept (GhSimRtsp *self)
{
  g_return_val_if_fail (GH_IS_SIM_RTSP (self), NULL);

  if (self->accept_source) {
    g_source_destroy (self->accept_source);
    g_clear_pointer (&self->accept_source, g_source_unref);
  }
  return self->socket;
}

/**
 * gh_sim_rtsp_take_connection:
 * @self: a #GhSimRtsp
 * @client: a connection accepted on gh_sim_rtsp_get_socket()
 *
 * Serves a connection the caller accepted on the socket of gh_sim_rtsp_release_accept(). An
 * offline device closes it at once.
 */
void
gh_sim_rtsp_take_connection (GhSimRtsp *self,
                             GSocket   *client)
{
  g_autoptr(GSocketAddress) remote = NULL;
  g_autofree char *ip = NULL;

  g_return_if_fail (GH_IS_SIM_RTSP (self));
  g_return_if_fail (G_IS_SOCKET (client));

  remote = g_socket_get_remote_address (client, NULL);
  if (!g_atomic_int_get (&self->online) || !G_IS_INET_SOCKET_ADDRESS (remote)) {
    g_socket_close (client, NULL);
    return;
  }
  ip = g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
  /* transfer full of the socket */
  gst_rtsp_server_transfer_connection (self->server, g_object_ref (client), ip,
                                      g_inet_socket_address_get_port (
                                        G_INET_SOCKET_ADDRESS (remote)), NULL);
}

/**
 * gh_sim_rtsp_get_port:
 * @self: a #GhSimRtsp
 *
 * Returns: the TCP port on 127.0.0.1 that serves `rtsp://127.0.0.1:<port>/cam/realmonitor?…`
 */
guint
gh_sim_rtsp_get_port (GhSimRtsp *self)
{
  g_return_val_if_fail (GH_IS_SIM_RTSP (self), 0);

  return self->port;
}

/**
 * gh_sim_rtsp_dup_backchannel_audio:
 * @self: a #GhSimRtsp
 *
 * The raw G.711 A-law bytes (8 kHz mono, RTP payloads in arrival order) that clients have sent
 * on the ONVIF back channel since the device was created, across all talk sessions. Storage
 * stops at 16 MiB.
 *
 * Returns: (transfer full): a copy of the received audio; empty when nobody talked
 */
GBytes *
gh_sim_rtsp_dup_backchannel_audio (GhSimRtsp *self)
{
  g_return_val_if_fail (GH_IS_SIM_RTSP (self), NULL);

  return gh_sim_rtsp_factory_dup_backchannel_audio (self->factory);
}

/**
 * gh_sim_rtsp_set_online:
 * @self: a #GhSimRtsp
 * @online: %FALSE to simulate an unreachable device
 *
 * Offline, the port stays bound (so it cannot be taken by another device), but every connection
 * is closed right after it is accepted, and the clients already connected are dropped along with
 * their sessions and pipelines. Snapshots fail with %GH_SIM_RTSP_ERROR_OFFLINE.
 */
void
gh_sim_rtsp_set_online (GhSimRtsp *self,
                        gboolean   online)
{
  g_return_if_fail (GH_IS_SIM_RTSP (self));

  online = !!online;
  if (g_atomic_int_get (&self->online) == online)
    return;

  g_atomic_int_set (&self->online, online);
  if (!online)
    drop_clients (self);
}

/**
 * gh_sim_rtsp_snapshot_jpeg:
 * @self: a #GhSimRtsp
 * @error: return location for a #GError
 *
 * Renders the current scene (the main-stream test pattern with the device name and the
 * millisecond clock) at 1280×720 and encodes it as JPEG, with a short one-off pipeline that does
 * not need a streaming client. It blocks for a few tens of milliseconds.
 *
 * Returns: (transfer full): the JPEG file, or %NULL with @error set
 */
GBytes *
gh_sim_rtsp_snapshot_jpeg (GhSimRtsp  *self,
                           GError    **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) overlay = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *scene = NULL;
  g_autofree char *launch = NULL;
  GstBuffer *buffer;
  GstMapInfo map;
  GBytes *jpeg;

  g_return_val_if_fail (GH_IS_SIM_RTSP (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_atomic_int_get (&self->online)) {
    g_set_error (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_OFFLINE,
                 "“%s” is offline; switch it online to take a snapshot", self->device_name);
    return NULL;
  }

  scene = gh_sim_rtsp_scene_launch (GH_SIM_RTSP_MAIN_WIDTH, GH_SIM_RTSP_MAIN_HEIGHT, 25, FALSE);
  launch = g_strdup_printf ("%s ! jpegenc quality=85 ! appsink name=sink sync=false", scene);
  pipeline = gst_parse_launch_full (launch, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &local_error);
  if (pipeline == NULL) {
    g_set_error (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_MEDIA,
                 "Cannot build the snapshot pipeline: %s; check the GStreamer plugins",
                 local_error->message);
    return NULL;
  }
  gst_object_ref_sink (pipeline);

  overlay = gst_bin_get_by_name (GST_BIN (pipeline), "overlay");
  gh_sim_rtsp_scene_attach_clock (overlay, self->device_name);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE)
    sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), SNAPSHOT_TIMEOUT);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (sample == NULL || (buffer = gst_sample_get_buffer (sample)) == NULL) {
    g_set_error (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_MEDIA,
                 "The snapshot pipeline of “%s” produced no picture", self->device_name);
    return NULL;
  }
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    g_set_error (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_MEDIA,
                 "Cannot read the snapshot of “%s”", self->device_name);
    return NULL;
  }
  jpeg = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buffer, &map);

  return jpeg;
}
