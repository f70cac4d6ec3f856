/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sim-device-http"

#include "config.h"

#include "gh-sim-device-private.h"
#include "gh-sim-acceptor.h"
#include "gh-sim-error.h"
#include "gh-sim-tls.h"
#ifdef GH_SIM_HAVE_RTSP
#include "gh-sim-rtsp.h"
#endif

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <stdlib.h>

#define BAD_REQUEST "Error\r\nBad Request!\r\n"
#define FIND_CAP 1024
#define STORE_FIND_CAPS 100
/* The firmware keeps a user's name in a 32-byte field (NUL included): a longer UserName is
 * refused, like any other value the device cannot store. */
#define USER_NAME_MAX_BYTES 31

typedef struct {
  const char *endpoint;
  const char *list_key;
  const char *id_key;
  const char *id_list;
} StoreKind;

static const StoreKind store_kinds[] = {
  { "AccessUser", "UserList", "UserID", "UserIDList" },
  { "AccessCard", "CardList", "CardNo", "CardNoList" },
  { "AccessFace", "FaceList", "UserID", "UserIDList" },
  { "AccessFingerprint", "FingerprintList", "UserID", "UserIDList" },
};

/* A request paused for a while: answered later (slow_ms fault, path set), or already answered
 * and its reply held back (store_us_per_record, path NULL). */
typedef struct {
  GhSimDevice       *device; /* (owned) */
  SoupServerMessage *msg;    /* (owned) */
  char              *path;   /* (owned) (nullable) */
  GHashTable        *query;  /* (owned) (nullable) */
} Delayed;

static gboolean delayed_cb (gpointer user_data);

static void dispatch (GhSimDevice       *self,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query);

/* Replies */

void
gh_sim_reply_text (SoupServerMessage *msg,
                   GhSimDevice       *self,
                   guint              status,
                   const char        *body)
{
  g_autofree char *mangled = NULL;

  if (self->fault_malformed && body != NULL) {
    /* Half a reply with the separators gone, as a wedged web server produces. */
    mangled = g_strndup (body, MAX (strlen (body) / 2, 1));
    g_strdelimit (mangled, "=\r\n", ' ');
    body = mangled = g_strconcat ("<html>", mangled, NULL);
  }
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain;charset=utf-8", SOUP_MEMORY_COPY,
                                    body ? body : "", body ? strlen (body) : 0);
}

static void
reply_ok (SoupServerMessage *msg,
          GhSimDevice       *self)
{
  gh_sim_reply_text (msg, self, SOUP_STATUS_OK, "OK\r\n");
}

static void
reply_bad (SoupServerMessage *msg,
           GhSimDevice       *self)
{
  gh_sim_reply_text (msg, self, SOUP_STATUS_BAD_REQUEST, BAD_REQUEST);
}

static void
reply_json (SoupServerMessage *msg,
            GhSimDevice       *self,
            json_object       *obj)
{
  const char *text = json_object_to_json_string_ext (obj, JSON_C_TO_STRING_PLAIN |
                                                     JSON_C_TO_STRING_NOSLASHESCAPE);

  if (self->fault_malformed) {
    gh_sim_reply_text (msg, self, SOUP_STATUS_OK, text);
    return;
  }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json;charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static const char *
param (GHashTable *query,
       const char *key)
{
  return query ? g_hash_table_lookup (query, key) : NULL;
}

/* Authentication */

static char *
make_nonce (GhSimDevice *self)
{
  gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;
  g_autofree char *seed = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", now, self->nonce_secret);
  g_autofree char *sig = gh_sim_md5_hex (seed, FALSE);

  return g_strdup_printf ("%012" G_GINT64_FORMAT "%.16s", now, sig);
}

/* 0 = valid, 1 = stale, -1 = forged */
static int
check_nonce (GhSimDevice *self,
             const char  *nonce)
{
  g_autofree char *stamp = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *sig = NULL;
  const char *end;
  gint64 then;

  if (nonce == NULL || strlen (nonce) != 28 || strspn (nonce, "0123456789") < 12)
    return -1;
  stamp = g_strndup (nonce, 12);
  then = g_ascii_strtoll (stamp, NULL, 10);
  end = nonce + 12;
  seed = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", then, self->nonce_secret);
  sig = gh_sim_md5_hex (seed, FALSE);
  if (strncmp (sig, end, 16) != 0)
    return -1;
  return g_get_monotonic_time () / G_USEC_PER_SEC - then > 300 ? 1 : 0;
}

static void
challenge (GhSimDevice       *self,
           SoupServerMessage *msg,
           gboolean           stale,
           const char        *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *value = NULL;

  if (self->basic_auth) {
    value = g_strdup ("Basic realm=\"Device_CGI\"");
  } else {
    g_autofree char *nonce = make_nonce (self);
    g_autofree char *opaque = gh_sim_md5_hex (self->serial, FALSE);

    value = g_strdup_printf ("Digest realm=\"Login to %s\", qop=\"auth\", nonce=\"%s\", "
                             "opaque=\"%s\"%s", self->serial, nonce, opaque,
                             stale ? ", stale=\"true\"" : "");
  }
  soup_message_headers_replace (headers, "WWW-Authenticate", value);
  soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  body = body ? body : "Error\r\nUnauthorized!\r\n";
  soup_server_message_set_response (msg, "text/plain;charset=utf-8", SOUP_MEMORY_COPY,
                                    body, strlen (body));
}

static char *
request_uri (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);

  return query ? g_strdup_printf ("%s?%s", g_uri_get_path (uri), query)
               : g_strdup (g_uri_get_path (uri));
}

/* Returns 1 when @header proves the credentials, 0 when it is wrong, 2 when the nonce is
 * merely stale (the client should retry, not a failed login). */
static int
verify (GhSimDevice       *self,
        SoupServerMessage *msg,
        const char        *header)
{
  if (header == NULL)
    return 0;
  if (self->basic_auth) {
    g_autofree char *expected = NULL;
    g_autofree char *encoded = NULL;

    if (g_ascii_strncasecmp (header, "Basic ", 6) != 0)
      return 0;
    expected = g_strdup_printf ("%s:%s", self->username, self->password);
    encoded = g_base64_encode ((const guchar *) expected, strlen (expected));
    return g_strcmp0 (g_strstrip (g_strdup (header + 6)), encoded) == 0 ? 1 : 0;
  } else {
    GHashTable *params;
    const char *user, *realm, *nonce, *uri, *response, *qop, *nc, *cnonce;
    g_autofree char *expected_realm = g_strdup_printf ("Login to %s", self->serial);
    g_autofree char *wire_uri = NULL;
    g_autofree char *ha1_in = NULL, *ha1 = NULL, *ha2_in = NULL, *ha2 = NULL;
    g_autofree char *resp_in = NULL, *expected = NULL;
    int result = 0;
    int nonce_state;

    if (g_ascii_strncasecmp (header, "Digest ", 7) != 0)
      return 0;
    params = soup_header_parse_param_list (header + 7);
    user = g_hash_table_lookup (params, "username");
    realm = g_hash_table_lookup (params, "realm");
    nonce = g_hash_table_lookup (params, "nonce");
    uri = g_hash_table_lookup (params, "uri");
    response = g_hash_table_lookup (params, "response");
    qop = g_hash_table_lookup (params, "qop");
    nc = g_hash_table_lookup (params, "nc");
    cnonce = g_hash_table_lookup (params, "cnonce");
    nonce_state = check_nonce (self, nonce);
    wire_uri = request_uri (msg);

    if (user && realm && uri && response && nonce_state >= 0 &&
        g_strcmp0 (realm, expected_realm) == 0) {
      g_autofree char *plain_uri = g_uri_unescape_string (uri, NULL);
      g_autofree char *plain_wire = g_uri_unescape_string (wire_uri, NULL);

      /* Like most firmware, accept the signed URI percent-encoded or not, but it must be the
       * request's own URI. */
      if (g_strcmp0 (uri, wire_uri) == 0 || g_strcmp0 (plain_uri, plain_wire) == 0) {
        ha1_in = g_strdup_printf ("%s:%s:%s", user, realm, self->password);
        ha1 = gh_sim_md5_hex (ha1_in, FALSE);
        ha2_in = g_strdup_printf ("%s:%s", soup_server_message_get_method (msg), uri);
        ha2 = gh_sim_md5_hex (ha2_in, FALSE);
        if (qop)
          resp_in = g_strdup_printf ("%s:%s:%s:%s:%s:%s", ha1, nonce, nc ? nc : "",
                                     cnonce ? cnonce : "", qop, ha2);
        else
          resp_in = g_strdup_printf ("%s:%s:%s", ha1, nonce, ha2);
        expected = gh_sim_md5_hex (resp_in, FALSE);
        if (g_strcmp0 (user, self->username) == 0 &&
            g_ascii_strcasecmp (expected, response) == 0)
          result = nonce_state == 1 ? 2 : 1;
      }
    }
    soup_header_free_param_list (params);
    return result;
  }
}

/* Checks the request's credentials; replies 401 itself and returns FALSE when they fail. */
static gboolean
authenticate (GhSimDevice       *self,
              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *header = soup_message_headers_get_one (headers, "Authorization");
  gint64 now = g_get_monotonic_time ();
  int result;

  if (self->locked_until > now) {
    challenge (self, msg, FALSE, "Error\r\nAccount locked!\r\n");
    return FALSE;
  }
  if (header == NULL) {
    challenge (self, msg, FALSE, NULL);
    return FALSE;
  }
  result = self->fault_auth ? 0 : verify (self, msg, header);
  if (result == 1) {
    self->auth_failures = 0;
    return TRUE;
  }
  if (result == 2) {
    challenge (self, msg, TRUE, NULL);
    return FALSE;
  }
  if (++self->auth_failures >= self->lock_times && self->lock_seconds > 0) {
    self->auth_failures = 0;
    self->locked_until = now + (gint64) self->lock_seconds * G_USEC_PER_SEC;
    challenge (self, msg, FALSE, "Error\r\nAccount locked!\r\n");
    return FALSE;
  }
  challenge (self, msg, FALSE, NULL);
  return FALSE;
}

/* magicBox, global, accessControl */

static void
handle_magic_box (GhSimDevice       *self,
                  SoupServerMessage *msg,
                  GHashTable        *query)
{
  const char *action = param (query, "action");
  g_autofree char *body = NULL;

  if (g_strcmp0 (action, "getDeviceType") == 0)
    body = g_strdup_printf ("type=%s\r\n", self->model);
  else if (g_strcmp0 (action, "getSystemInfo") == 0)
    body = g_strdup_printf ("deviceType=%s\r\nprocessor=SSC338BQ\r\nserialNumber=%s\r\n"
                            "updateSerial=%s\r\n", self->model, self->serial, self->model);
  else if (g_strcmp0 (action, "getSoftwareVersion") == 0)
    body = g_strdup_printf ("version=%s,build:%s\r\n", self->firmware, self->build_date);
  else if (g_strcmp0 (action, "getSerialNo") == 0)
    body = g_strdup_printf ("sn=%s\r\n", self->serial);
  else if (g_strcmp0 (action, "getMachineName") == 0)
    body = g_strdup_printf ("name=%s\r\n", gh_sim_config_get (self->config, "General.MachineName"));
  else if (g_strcmp0 (action, "getVendor") == 0)
    body = g_strdup ("vendor=Dahua\r\n");
  else if (g_strcmp0 (action, "getHardwareVersion") == 0)
    body = g_strdup ("version=1.00\r\n");
  else if (g_strcmp0 (action, "reboot") == 0) {
    reply_ok (msg, self);
    gh_sim_device_reboot (self, 3, NULL);
    return;
  }
  if (body == NULL) {
    reply_bad (msg, self);
    return;
  }
  gh_sim_reply_text (msg, self, SOUP_STATUS_OK, body);
}

static void
handle_global (GhSimDevice       *self,
               SoupServerMessage *msg,
               GHashTable        *query)
{
  const char *action = param (query, "action");

  if (g_strcmp0 (action, "getCurrentTime") == 0) {
    g_autofree char *now = gh_sim_format_time (gh_sim_device_local_time (self), NULL);
    g_autofree char *body = g_strdup_printf ("result=%s\r\n", now);

    gh_sim_reply_text (msg, self, SOUP_STATUS_OK, body);
  } else if (g_strcmp0 (action, "setCurrentTime") == 0) {
    gint64 when;

    if (!gh_sim_parse_time (param (query, "time"), &when)) {
      reply_bad (msg, self);
      return;
    }
    self->clock_offset = when - gh_sim_now_utc ();
    gh_sim_device_changed (self);
    reply_ok (msg, self);
  } else {
    reply_bad (msg, self);
  }
}

static gboolean
door_param (GhSimDevice *self,
            GHashTable  *query,
            guint       *door)
{
  const char *text = param (query, "channel");
  char *end = NULL;
  guint64 v;

  if (text == NULL) {
    *door = 1;
    return self->doors >= 1;
  }
  v = g_ascii_strtoull (text, &end, 10);
  if (end == text || *end != 0 || v < 1 || v > self->doors)
    return FALSE;
  *door = v;
  return TRUE;
}

static void
handle_access_control (GhSimDevice       *self,
                       SoupServerMessage *msg,
                       GHashTable        *query)
{
  const char *action = param (query, "action");
  guint door;

  if (!door_param (self, query, &door)) {
    reply_bad (msg, self);
    return;
  }
  if (g_strcmp0 (action, "openDoor") == 0) {
    if (!gh_sim_device_remote_open (self, door, param (query, "UserID"), NULL))
      reply_bad (msg, self);
    else
      reply_ok (msg, self);
  } else if (g_strcmp0 (action, "closeDoor") == 0) {
    if (!gh_sim_device_remote_close (self, door, NULL))
      reply_bad (msg, self);
    else
      reply_ok (msg, self);
  } else if (g_strcmp0 (action, "getDoorStatus") == 0) {
    gh_sim_reply_text (msg, self, SOUP_STATUS_OK, self->door_open[door - 1] ?
                       "Info.status=Open\r\n" : "Info.status=Close\r\n");
  } else if (g_strcmp0 (action, "getLockStatus") == 0) {
    gh_sim_reply_text (msg, self, SOUP_STATUS_OK, self->door_open[door - 1] ?
                       "Info.status=Unlock\r\n" : "Info.status=Lock\r\n");
  } else {
    reply_bad (msg, self);
  }
}

/* configManager */

static void
handle_config (GhSimDevice       *self,
               SoupServerMessage *msg,
               GHashTable        *query)
{
  const char *action = param (query, "action");

  if (g_strcmp0 (action, "getConfig") == 0) {
    const char *name = param (query, "name");
    g_autoptr(GString) out = g_string_new (NULL);

    if (name == NULL || !gh_sim_config_has_name (self->config, name)) {
      g_autofree char *body = g_strdup_printf ("Error: Error -1 getting param in name=%s\r\n",
                                               name ? name : "");
      gh_sim_reply_text (msg, self, SOUP_STATUS_BAD_REQUEST, body);
      return;
    }
    gh_sim_config_dump (self->config, name, "table.", out);
    gh_sim_reply_text (msg, self, SOUP_STATUS_OK, out->str);
  } else if (g_strcmp0 (action, "setConfig") == 0) {
    GHashTableIter iter;
    gpointer key, value;
    guint count = 0;

    /* Validate everything first: keys go without `table.`, and the name must exist. */
    g_hash_table_iter_init (&iter, query);
    while (g_hash_table_iter_next (&iter, &key, &value)) {
      g_autofree char *name = NULL;

      if (g_strcmp0 (key, "action") == 0)
        continue;
      name = gh_sim_config_key_name (key);
      if (g_str_has_prefix (key, "table.") || !gh_sim_config_has_name (self->config, name) ||
          (strchr (key, '.') == NULL && strchr (key, '[') == NULL)) {
        reply_bad (msg, self);
        return;
      }
      count++;
    }
    if (count == 0) {
      reply_bad (msg, self);
      return;
    }
    g_hash_table_iter_init (&iter, query);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (g_strcmp0 (key, "action") != 0)
        gh_sim_config_set (self->config, key, value);
    gh_sim_device_changed (self);
    reply_ok (msg, self);
  } else {
    reply_bad (msg, self);
  }
}

/* eventManager */

static void
stream_free (GhSimStream *stream)
{
  g_clear_handle_id (&stream->replay_id, g_source_remove);
  if (stream->out) {
    g_source_destroy (stream->out);
    g_clear_pointer (&stream->out, g_source_unref);
  }
  if (stream->io)
    g_io_stream_close (stream->io, NULL, NULL);
  g_clear_object (&stream->io);
  g_clear_object (&stream->socket);
  g_clear_object (&stream->tls);
  g_byte_array_unref (stream->pending);
  g_strfreev (stream->codes);
  g_free (stream);
}

static void
stream_drop (GhSimStream *stream)
{
  if (stream->closed)
    return;
  stream->closed = TRUE;
  g_ptr_array_remove (stream->device->streams, stream);
  stream_free (stream);
}

/* Sends what it can now; the rest waits for the socket to drain. Returns FALSE when the peer is
 * gone (the stream is then freed). */
static gboolean
stream_flush (GhSimStream *stream)
{
  g_autoptr(GError) error = NULL;
  gssize sent;

  if (stream->pending->len == 0)
    return TRUE;
  if (stream->tls) /* HTTPS mode: the bytes go through the TLS layer */
    sent = g_pollable_output_stream_write_nonblocking (
      G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (stream->tls)),
      stream->pending->data, stream->pending->len, NULL, &error);
  else
    sent = g_socket_send_with_blocking (stream->socket, (const char *) stream->pending->data,
                                        stream->pending->len, FALSE, NULL, &error);
  if (sent < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
    stream_drop (stream);
    return FALSE;
  }
  if (sent > 0)
    g_byte_array_remove_range (stream->pending, 0, sent);
  return TRUE;
}

static gboolean
stream_writable_cb (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  GhSimStream *stream = user_data;

  if (!stream_flush (stream))
    return G_SOURCE_REMOVE; /* stream_drop destroyed this source */
  if (stream->pending->len > 0)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&stream->out, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
stream_send (GhSimStream *stream,
             const char  *data,
             gsize        len)
{
  /* A client that reads nothing for 4 MiB is not coming back. */
  if (stream->pending->len + len > 4 * 1024 * 1024) {
    stream_drop (stream);
    return;
  }
  g_byte_array_append (stream->pending, (const guint8 *) data, len);
  if (stream->out || !stream_flush (stream))
    return;
  if (stream->pending->len > 0) {
    stream->out = g_socket_create_source (stream->socket, G_IO_OUT, NULL);
    g_source_set_callback (stream->out, (GSourceFunc) (void (*) (void)) stream_writable_cb, stream,
                           NULL);
    g_source_attach (stream->out, NULL);
  }
}

void
gh_sim_stream_write (GhSimStream *stream,
                     const char  *body)
{
  GhSimDevice *self = stream->device;
  g_autofree char *part = NULL;

  if (stream->closed)
    return;
  if (self->fault_malformed)
    part = g_strdup_printf ("-- %s\r\nHTTP/1 Content-Length: x\r\n%.*s", self->boundary,
                            (int) strlen (body) / 2, body);
  else
    part = g_strdup_printf ("--%s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n"
                            "%s\r\n\r\n", self->boundary, strlen (body), body);
  stream_send (stream, part, strlen (part));
}

/* Drops the stream when its client has closed the connection (clients send nothing after the
 * request, so anything readable is either the end or noise to discard). */
void
gh_sim_stream_check_peer (GhSimStream *stream)
{
  GIOCondition condition = g_socket_condition_check (stream->socket,
                                                     G_IO_IN | G_IO_HUP | G_IO_ERR);
  char buffer[512];

  if (condition & (G_IO_HUP | G_IO_ERR)) {
    stream_drop (stream);
    return;
  }
  if (condition & G_IO_IN) {
    gssize n = g_socket_receive_with_blocking (stream->socket, buffer, sizeof buffer, FALSE, NULL,
                                               NULL);

    if (n <= 0)
      stream_drop (stream);
  }
}

static gboolean
stream_wants (GhSimStream *stream,
              const char  *code)
{
  if (stream->codes == NULL)
    return TRUE;
  for (guint i = 0; stream->codes[i]; i++)
    if (g_ascii_strcasecmp (stream->codes[i], "All") == 0 ||
        g_strcmp0 (stream->codes[i], code) == 0)
      return TRUE;
  return FALSE;
}

void
gh_sim_device_streams_write (GhSimDevice *self,
                             const char  *code,
                             const char  *body)
{
  g_autoptr(GPtrArray) snapshot = NULL;

  if (self->fault_silent || self->streams->len == 0)
    return;
  /* A write may drop a dead stream from the array; walk a copy. */
  snapshot = g_ptr_array_copy (self->streams, NULL, NULL);
  for (guint i = 0; i < snapshot->len; i++) {
    GhSimStream *stream = snapshot->pdata[i];

    if (stream_wants (stream, code))
      gh_sim_stream_write (stream, body);
  }
}

static gboolean
replay_cb (gpointer user_data)
{
  GhSimStream *stream = user_data;
  GhSimDevice *self = stream->device;

  stream->replay_id = 0;
  if (self->fault_silent)
    return G_SOURCE_REMOVE;
  for (GList *l = self->active_starts; l && !stream->closed; l = l->next) {
    const char *body = l->data;
    g_autofree char *code = g_strndup (body + 5, strcspn (body + 5, ";"));

    if (stream_wants (stream, code))
      gh_sim_stream_write (stream, body);
  }
  return G_SOURCE_REMOVE;
}

static void
handle_event_manager (GhSimDevice       *self,
                      SoupServerMessage *msg,
                      GHashTable        *query)
{
  const char *action = param (query, "action");
  const char *codes = param (query, "codes");
  const char *heartbeat = param (query, "heartbeat");
  g_autoptr(GSocket) socket = NULL;
  g_autofree char *date = NULL;
  g_autofree char *head = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GhSimStream *stream;
  guint64 beat = 0;

  if (g_strcmp0 (action, "attach") != 0 || codes == NULL) {
    reply_bad (msg, self);
    return;
  }
  if (heartbeat) {
    char *end = NULL;

    beat = g_ascii_strtoull (heartbeat, &end, 10);
    if (end == heartbeat || *end != 0 || beat < 1 || beat > 60) {
      reply_bad (msg, self);
      return;
    }
  }
  if (soup_server_message_get_socket (msg))
    socket = g_object_ref (soup_server_message_get_socket (msg));

  stream = g_new0 (GhSimStream, 1);
  stream->device = self;
  stream->socket = g_steal_pointer (&socket);
  stream->pending = g_byte_array_new ();
  stream->heartbeat = beat;
  stream->next_beat = g_get_monotonic_time () + beat * G_USEC_PER_SEC;
  {
    g_autofree char *inner = g_strdup (codes);
    gsize len = strlen (inner);

    /* `[All]`, `[A,B]`; the device does not validate names. */
    if (len >= 2 && inner[0] == '[' && inner[len - 1] == ']') {
      inner[len - 1] = 0;
      stream->codes = g_strsplit (inner + 1, ",", -1);
    } else {
      stream->codes = g_strsplit (inner, ",", -1);
    }
  }
  /* Take the socket over: from here on this is a raw multipart stream that ends only when a side
   * closes it, exactly as the firmware writes it. */
  stream->io = soup_server_message_steal_connection (msg);
  g_object_set_data (G_OBJECT (msg), "gh-sim-taken-over", GINT_TO_POINTER (TRUE));
  if (stream->socket == NULL && stream->io) {
    g_autoptr(GIOStream) base = g_object_ref (stream->io);

    /* libsoup hands back its own wrapper around the connection we accepted */
    while (!G_IS_SOCKET_CONNECTION (base) &&
           g_object_class_find_property (G_OBJECT_GET_CLASS (base), "base-iostream")) {
      GIOStream *inner = NULL;

      g_object_get (base, "base-iostream", &inner, NULL);
      if (inner == NULL)
        break;
      g_object_unref (base);
      base = inner;
    }
    if (G_IS_SOCKET_CONNECTION (base))
      stream->socket = g_object_ref (g_socket_connection_get_socket (G_SOCKET_CONNECTION (base)));
  }
  if (self->tls_certificate && stream->io) {
    g_autoptr(GIOStream) base = g_object_ref (stream->io);

    /* HTTPS mode: the multipart bytes must go through the TLS connection under the wrapper */
    while (!G_IS_TLS_CONNECTION (base) &&
           g_object_class_find_property (G_OBJECT_GET_CLASS (base), "base-iostream")) {
      GIOStream *inner = NULL;

      g_object_get (base, "base-iostream", &inner, NULL);
      if (inner == NULL)
        break;
      g_object_unref (base);
      base = inner;
    }
    if (G_IS_TLS_CONNECTION (base)) {
      g_autoptr(GIOStream) raw = NULL;

      g_object_get (base, "base-io-stream", &raw, NULL);
      if (stream->socket == NULL && G_IS_SOCKET_CONNECTION (raw))
        stream->socket = g_object_ref (g_socket_connection_get_socket (
                                         G_SOCKET_CONNECTION (raw)));
      stream->tls = g_steal_pointer (&base);
    }
  }
  if (stream->socket == NULL) {
    g_warning ("%s: the event stream's connection has no socket (%s)", self->name,
               stream->io ? G_OBJECT_TYPE_NAME (stream->io) : "none");
    stream_free (stream);
    return;
  }
  g_ptr_array_add (self->streams, stream);
  date = g_date_time_format (now, "%a, %d %b %Y %H:%M:%S GMT");
  head = g_strdup_printf ("HTTP/1.1 200 OK\r\n"
                          "Server: Webs\r\n"
                          "Date: %s\r\n"
                          "Cache-Control: no-cache\r\n"
                          "Pragma: no-cache\r\n"
                          "Expires: Thu, 01 Dec 2099 16:00:00 GMT\r\n"
                          "Connection: close\r\n"
                          "Content-Type: multipart/x-mixed-replace; boundary=%s\r\n"
                          "\r\n", date, self->boundary);
  g_socket_set_blocking (stream->socket, FALSE);
  /* Parts are small and must leave at once, not wait for the peer's delayed ACK. */
  g_socket_set_option (stream->socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  stream_send (stream, head, strlen (head));

  /* Some firmware replays still-active Start events about a second after attach. */
  if (!stream->closed && self->replay_on_attach && self->active_starts)
    stream->replay_id = g_timeout_add (1000, replay_cb, stream);
}

void
gh_sim_device_streams_close (GhSimDevice *self)
{
  /* The device vanishes: the sockets are closed, not the multipart bodies finished. */
  while (self->streams->len > 0)
    stream_drop (self->streams->pdata[0]);
}

/* recordFinder / recordUpdater */

static gboolean
row_matches (GTree      *row,
             GHashTable *query,
             gboolean    ignore_filters)
{
  GHashTableIter iter;
  gpointer key, value;
  const char *start = param (query, "StartTime");
  const char *end = param (query, "EndTime");
  const char *created = gh_sim_row_get (row, "CreateTime");
  gint64 t = created ? g_ascii_strtoll (created, NULL, 10) : 0;

  if (ignore_filters)
    return TRUE;
  if (start && t < g_ascii_strtoll (start, NULL, 10))
    return FALSE;
  if (end && t > g_ascii_strtoll (end, NULL, 10))
    return FALSE;
  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    if (!g_str_has_prefix (key, "condition."))
      continue;
    if (g_strcmp0 (gh_sim_row_get (row, (char *) key + strlen ("condition.")), value) != 0)
      return FALSE;
  }
  return TRUE;
}

static gboolean
uint_param (GHashTable *query,
            const char *key,
            guint       fallback,
            guint      *out)
{
  const char *text = param (query, key);
  char *end = NULL;
  guint64 v;

  if (text == NULL) {
    *out = fallback;
    return TRUE;
  }
  v = g_ascii_strtoull (text, &end, 10);
  if (end == text || *end != 0 || v > G_MAXUINT)
    return FALSE;
  *out = v;
  return TRUE;
}

static void
handle_record_finder (GhSimDevice       *self,
                      SoupServerMessage *msg,
                      GHashTable        *query)
{
  const char *action = param (query, "action");
  const char *name = param (query, "name");
  GhSimTable *table = gh_sim_device_get_table (self, name);
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  /* This firmware ignores paging and filters for the call log, as the reference unit does. */
  gboolean ignore = g_strcmp0 (name, "VideoTalkLog") == 0;
  GPtrArray *rows;
  guint count, offset;

  if (table == NULL) {
    reply_bad (msg, self);
    return;
  }
  rows = gh_sim_table_get_rows (table);
  for (guint i = 0; i < rows->len; i++)
    if (row_matches (rows->pdata[i], query, ignore))
      g_ptr_array_add (matches, rows->pdata[i]);

  if (g_strcmp0 (action, "getQuerySize") == 0) {
    g_string_append_printf (out, "Size=%u\r\ncount=%u\r\n", matches->len, matches->len);
    gh_sim_reply_text (msg, self, SOUP_STATUS_OK, out->str);
    return;
  }
  if (g_strcmp0 (action, "find") != 0 && g_strcmp0 (action, "doSeekFind") != 0) {
    reply_bad (msg, self);
    return;
  }
  if (!uint_param (query, "count", FIND_CAP, &count) ||
      !uint_param (query, "offset", 0, &offset)) {
    reply_bad (msg, self);
    return;
  }
  if (ignore || g_strcmp0 (action, "find") == 0)
    offset = 0;
  if (ignore)
    count = FIND_CAP;
  count = MIN (count, FIND_CAP);
  if (g_strcmp0 (name, "AccessControlCardRec") == 0)
    g_string_append_printf (out, "totalCount=%u\r\n", matches->len);
  {
    guint found = offset < matches->len ? MIN (count, matches->len - offset) : 0;

    g_string_append_printf (out, "found=%u\r\n", found);
    for (guint i = 0; i < found; i++) {
      g_autofree char *prefix = g_strdup_printf ("records[%u].", i);

      gh_sim_row_dump (matches->pdata[offset + i], prefix, out);
    }
  }
  gh_sim_reply_text (msg, self, SOUP_STATUS_OK, out->str);
}

static void
apply_fields (GTree      *row,
              GHashTable *query)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    if (g_strcmp0 (key, "action") == 0 || g_strcmp0 (key, "name") == 0 ||
        g_strcmp0 (key, "recno") == 0 || g_strcmp0 (key, "RecNo") == 0)
      continue;
    gh_sim_row_set (row, key, value);
  }
}

static void
handle_record_updater (GhSimDevice       *self,
                       SoupServerMessage *msg,
                       GHashTable        *query)
{
  const char *action = param (query, "action");
  const char *name = param (query, "name");
  GhSimTable *table = gh_sim_device_get_table (self, name);
  gboolean is_card = g_strcmp0 (name, "AccessControlCard") == 0;
  GTree *row = NULL;
  guint recno = 0;

  if (table == NULL) {
    reply_bad (msg, self);
    return;
  }
  if (param (query, "recno") && !uint_param (query, "recno", 0, &recno)) {
    reply_bad (msg, self);
    return;
  }
  if (recno)
    row = gh_sim_table_lookup (table, recno);
  else if (is_card && param (query, "CardNo"))
    row = gh_sim_table_find_field (table, "CardNo", param (query, "CardNo"));

  if (g_strcmp0 (action, "insert") == 0) {
    g_autofree char *body = NULL;
    GTree *fresh;

    /* The card number is mandatory and unique. */
    if (is_card && (param (query, "CardNo") == NULL || *param (query, "CardNo") == 0 ||
                    row != NULL)) {
      reply_bad (msg, self);
      return;
    }
    fresh = gh_sim_row_new ();
    apply_fields (fresh, query);
    if (gh_sim_row_get (fresh, "CreateTime") == NULL) {
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, gh_sim_now_utc ());

      gh_sim_row_set (fresh, "CreateTime", now);
    }
    recno = gh_sim_table_insert (table, fresh);
    gh_sim_device_changed (self);
    body = g_strdup_printf ("RecNo=%u\r\n", recno);
    gh_sim_reply_text (msg, self, SOUP_STATUS_OK, body);
  } else if (g_strcmp0 (action, "update") == 0) {
    if (row == NULL) {
      reply_bad (msg, self);
      return;
    }
    apply_fields (row, query);
    gh_sim_device_changed (self);
    reply_ok (msg, self);
  } else if (g_strcmp0 (action, "remove") == 0) {
    const char *rec = row ? gh_sim_row_get (row, "RecNo") : NULL;

    if (rec == NULL || !gh_sim_table_remove (table, atoi (rec))) {
      reply_bad (msg, self);
      return;
    }
    gh_sim_device_changed (self);
    reply_ok (msg, self);
  } else if (g_strcmp0 (action, "get") == 0) {
    g_autoptr(GString) out = g_string_new (NULL);

    if (row == NULL) {
      reply_bad (msg, self);
      return;
    }
    gh_sim_row_dump (row, "records[0].", out);
    gh_sim_reply_text (msg, self, SOUP_STATUS_OK, out->str);
  } else if (g_strcmp0 (action, "clear") == 0) {
    gh_sim_table_clear (table);
    gh_sim_device_changed (self);
    reply_ok (msg, self);
  } else {
    reply_bad (msg, self);
  }
}

/* AccessUser / AccessCard / AccessFace / AccessFingerprint JSON endpoints */

static const char *
json_str_id (json_object *obj,
             const char  *key)
{
  json_object *v;

  if (obj && json_object_object_get_ex (obj, key, &v))
    return json_object_get_string (v);
  return NULL;
}

static json_object *
parse_body_list (SoupServerMessage *msg,
                 const StoreKind   *kind)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(json_object) root = json_tokener_parse (text);
  json_object *list;

  if (root == NULL || !json_object_object_get_ex (root, kind->list_key, &list) ||
      !json_object_is_type (list, json_type_array))
    return NULL;
  for (size_t i = 0; i < json_object_array_length (list); i++) {
    json_object *item = json_object_array_get_idx (list, i);
    json_object *id;

    if (!json_object_is_type (item, json_type_object) ||
        !json_object_object_get_ex (item, kind->id_key, &id) ||
        !json_object_is_type (id, json_type_string) || *json_object_get_string (id) == 0)
      return NULL;
  }
  return json_object_get (list);
}

/* Values this device cannot store make it refuse the whole list. */
static gboolean
item_fits (json_object     *item,
           const StoreKind *kind)
{
  const char *name;

  if (g_strcmp0 (kind->endpoint, "AccessUser") != 0)
    return TRUE;
  name = json_str_id (item, "UserName");
  return name == NULL || strlen (name) <= USER_NAME_MAX_BYTES;
}

static GPtrArray *
id_list (GHashTable      *query,
         const StoreKind *kind)
{
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; i < 10000; i++) {
    g_autofree char *key = g_strdup_printf ("%s[%u]", kind->id_list, i);
    const char *v = param (query, key);

    if (v == NULL)
      break;
    g_ptr_array_add (ids, (gpointer) v);
  }
  return ids;
}

/* Sends the reply only after @us microseconds: the time a device takes to write what it was
 * given (store_us_per_record). Other requests are served meanwhile. */
static void
hold_reply (GhSimDevice       *self,
            SoupServerMessage *msg,
            guint64            us)
{
  Delayed *d;

  if (us == 0)
    return;
  d = g_new0 (Delayed, 1);
  d->device = g_object_ref (self);
  d->msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  g_timeout_add (MAX (1, (guint) MIN (us / 1000, G_MAXUINT)), delayed_cb, d);
}

static void
handle_store (GhSimDevice       *self,
              SoupServerMessage *msg,
              GHashTable        *query,
              const StoreKind   *kind)
{
  const char *action = param (query, "action");
  json_object *items;

  json_object_object_get_ex (self->stores, kind->endpoint, &items);

  if (g_strcmp0 (action, "insertMulti") == 0 || g_strcmp0 (action, "updateMulti") == 0) {
    gboolean insert = action[0] == 'i';
    g_autoptr(json_object) list = parse_body_list (msg, kind);
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    if (list == NULL) {
      reply_bad (msg, self);
      return;
    }
    /* All or nothing: a duplicate insert or an update of an unknown ID fails the batch. */
    for (size_t i = 0; i < json_object_array_length (list); i++) {
      const char *id = json_str_id (json_object_array_get_idx (list, i), kind->id_key);
      gboolean exists = json_object_object_get_ex (items, id, NULL);

      if ((insert && (exists || g_hash_table_contains (seen, id))) || (!insert && !exists)) {
        reply_bad (msg, self);
        return;
      }
      if (!item_fits (json_object_array_get_idx (list, i), kind)) {
        reply_bad (msg, self);
        return;
      }
      g_hash_table_add (seen, (gpointer) id);
    }
    for (size_t i = 0; i < json_object_array_length (list); i++) {
      json_object *item = json_object_array_get_idx (list, i);
      const char *id = json_str_id (item, kind->id_key);

      if (insert) {
        gh_sim_store_set (items, id, item);
      } else {
        json_object *stored;
        g_autoptr(json_object) current = NULL;

        json_object_object_get_ex (items, id, &stored);
        current = gh_sim_store_parse (stored);
        json_object_object_foreach (item, k, v)
          json_object_object_add (current, k, json_object_get (v));
        gh_sim_store_set (items, id, current);
      }
    }
    gh_sim_device_changed (self);
    reply_ok (msg, self);
    hold_reply (self, msg, json_object_array_length (list) * (guint64) self->store_us_per_record);
  } else if (g_strcmp0 (action, "removeMulti") == 0) {
    g_autoptr(GPtrArray) ids = id_list (query, kind);

    if (ids->len == 0) {
      reply_bad (msg, self);
      return;
    }
    for (guint i = 0; i < ids->len; i++)
      json_object_object_del (items, ids->pdata[i]);
    gh_sim_device_changed (self);
    reply_ok (msg, self);
  } else if (g_strcmp0 (action, "removeAll") == 0) {
    json_object_object_add (self->stores, kind->endpoint, json_object_new_object ());
    gh_sim_device_changed (self);
    reply_ok (msg, self);
  } else if (g_strcmp0 (action, "list") == 0) {
    g_autoptr(GPtrArray) ids = id_list (query, kind);
    g_autoptr(json_object) reply = json_object_new_object ();
    json_object *list = json_object_new_array ();

    for (guint i = 0; i < ids->len; i++) {
      json_object *stored;

      if (json_object_object_get_ex (items, ids->pdata[i], &stored))
        json_object_array_add (list, gh_sim_store_parse (stored));
    }
    json_object_object_add (reply, kind->list_key, list);
    reply_json (msg, self, reply);
  } else if (g_strcmp0 (action, "startFind") == 0) {
    json_object *matches = json_object_new_array ();
    g_autoptr(json_object) reply = json_object_new_object ();
    guint token = self->next_token++;

    json_object_object_foreach (items, id, stored) {
      g_autoptr(json_object) item = NULL;
      GHashTableIter iter;
      gpointer key, value;
      gboolean ok = TRUE;

      g_hash_table_iter_init (&iter, query);
      while (ok && g_hash_table_iter_next (&iter, &key, &value)) {
        if (!g_str_has_prefix (key, "Condition."))
          continue;
        /* a record whose text does not mention the value is not parsed at all */
        ok = gh_sim_store_may_hold (stored, value);
        if (ok && item == NULL)
          item = gh_sim_store_parse (stored);
        if (ok)
          ok = g_strcmp0 (json_str_id (item, (char *) key + strlen ("Condition.")), value) == 0;
      }
      if (ok)
        json_object_array_add (matches, item != NULL ? g_steal_pointer (&item)
                                                     : gh_sim_store_parse (stored));
      (void) id;
    }
    json_object_object_add (reply, "Token", json_object_new_int (token));
    json_object_object_add (reply, "Total", json_object_new_int (
                              json_object_array_length (matches)));
    json_object_object_add (reply, "Caps", json_object_new_int (STORE_FIND_CAPS));
    g_hash_table_insert (self->finds, GUINT_TO_POINTER (token), matches);
    reply_json (msg, self, reply);
  } else if (g_strcmp0 (action, "doFind") == 0) {
    guint token, offset, count;
    json_object *matches;
    g_autoptr(json_object) reply = json_object_new_object ();
    json_object *info = json_object_new_array ();
    size_t total;

    if (!uint_param (query, "Token", 0, &token) || !uint_param (query, "Offset", 0, &offset) ||
        !uint_param (query, "Count", STORE_FIND_CAPS, &count) ||
        (matches = g_hash_table_lookup (self->finds, GUINT_TO_POINTER (token))) == NULL) {
      json_object_put (info);
      reply_bad (msg, self);
      return;
    }
    total = json_object_array_length (matches);
    count = MIN (count, STORE_FIND_CAPS);
    for (size_t i = offset; i < total && i < (size_t) offset + count; i++)
      json_object_array_add (info, json_object_get (json_object_array_get_idx (matches, i)));
    json_object_object_add (reply, "Info", info);
    reply_json (msg, self, reply);
  } else if (g_strcmp0 (action, "stopFind") == 0) {
    guint token;

    if (!uint_param (query, "Token", 0, &token) ||
        !g_hash_table_remove (self->finds, GUINT_TO_POINTER (token))) {
      reply_bad (msg, self);
      return;
    }
    reply_ok (msg, self);
  } else {
    reply_bad (msg, self);
  }
}

/* snapshot and audio */

static void
handle_snapshot (GhSimDevice       *self,
                 SoupServerMessage *msg)
{
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;

  if (self->kind == GH_SIM_DEVICE_VTS) {
    reply_bad (msg, self);
    return;
  }
  if (self->fault_malformed) {
    /* The device sometimes answers 200 with a text body instead of a picture. */
    gh_sim_reply_text (msg, self, SOUP_STATUS_OK, "Error\r\n");
    return;
  }
#ifdef GH_SIM_HAVE_RTSP
  if (self->rtsp)
    jpeg = gh_sim_rtsp_snapshot_jpeg (self->rtsp, NULL);
#endif
  if (jpeg == NULL) {
    g_autofree char *now = gh_sim_format_time (gh_sim_device_local_time (self), "%H:%M:%S");
    g_autofree char *label = g_strdup_printf ("%s  %s", self->name, now);

    jpeg = gh_sim_snapshot_render (label, &error);
  }
  if (jpeg == NULL) {
    g_warning ("%s: snapshot failed: %s", self->name, error->message);
    gh_sim_reply_text (msg, self, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Error\r\n");
    return;
  }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/jpeg", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg));
}

static void
audio_chunk_cb (SoupServerMessage *msg,
                GBytes            *chunk,
                GhSimDevice       *self)
{
  /* Keep the most recent 16 MiB. */
  if (self->audio->len + g_bytes_get_size (chunk) > 16 * 1024 * 1024)
    g_byte_array_set_size (self->audio, 0);
  g_byte_array_append (self->audio, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
}

static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  GhSimDevice *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *header = soup_message_headers_get_one (headers, "Authorization");

  if (g_strcmp0 (path, "/cgi-bin/audio.cgi") != 0 ||
      g_strcmp0 (param (query, "action"), "postAudio") != 0 ||
      g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    return;
  /* Audio is streamed until the client hangs up; record it as it arrives once the request is
   * known to be authorised (the full check, with lockout, runs in the main handler). */
  if (self->fault_auth || self->fault_offline || verify (self, msg, header) != 1 ||
      self->locked_until > g_get_monotonic_time ())
    return;
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (audio_chunk_cb), self, 0);
}

static void
handle_audio (GhSimDevice       *self,
              SoupServerMessage *msg,
              GHashTable        *query)
{
  if (g_strcmp0 (param (query, "action"), "postAudio") != 0 ||
      g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0) {
    reply_bad (msg, self);
    return;
  }
  gh_sim_device_changed (self);
  reply_ok (msg, self);
}

/* Dispatch */

static gboolean
delayed_cb (gpointer user_data)
{
  Delayed *d = user_data;

  if (d->device->fault_offline || d->device->reboot_id != 0)
    soup_server_message_set_status (d->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
  else if (d->path != NULL)
    dispatch (d->device, d->msg, d->path, d->query);
  /* an attached event stream has left libsoup's hands */
  if (!g_object_get_data (G_OBJECT (d->msg), "gh-sim-taken-over"))
    soup_server_message_unpause (d->msg);
  g_object_unref (d->msg);
  g_object_unref (d->device);
  g_free (d->path);
  g_clear_pointer (&d->query, g_hash_table_unref);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static void
dispatch (GhSimDevice       *self,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query)
{
  g_autoptr(GHashTable) empty = NULL;
  const char *cgi;

  if (query == NULL)
    query = empty = g_hash_table_new (g_str_hash, g_str_equal);
  if (self->fault_http_500) {
    gh_sim_reply_text (msg, self, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                       "Error\r\nInternal Server Error!\r\n");
    return;
  }
  if (g_strcmp0 (path, "/RPC2_Login") == 0) {
    gh_sim_device_handle_rpc_login (self, msg);
    return;
  }
  if (g_strcmp0 (path, "/RPC2") == 0) {
    gh_sim_device_handle_rpc (self, msg);
    return;
  }
  if (!g_str_has_prefix (path, "/cgi-bin/")) {
    gh_sim_reply_text (msg, self, SOUP_STATUS_NOT_FOUND, "Error\r\nNot Found!\r\n");
    return;
  }
  if (!authenticate (self, msg))
    return;
  cgi = path + strlen ("/cgi-bin/");
  if (g_strcmp0 (cgi, "magicBox.cgi") == 0)
    handle_magic_box (self, msg, query);
  else if (g_strcmp0 (cgi, "global.cgi") == 0)
    handle_global (self, msg, query);
  else if (g_strcmp0 (cgi, "accessControl.cgi") == 0)
    handle_access_control (self, msg, query);
  else if (g_strcmp0 (cgi, "configManager.cgi") == 0)
    handle_config (self, msg, query);
  else if (g_strcmp0 (cgi, "eventManager.cgi") == 0)
    handle_event_manager (self, msg, query);
  else if (g_strcmp0 (cgi, "recordFinder.cgi") == 0)
    handle_record_finder (self, msg, query);
  else if (g_strcmp0 (cgi, "recordUpdater.cgi") == 0)
    handle_record_updater (self, msg, query);
  else if (g_strcmp0 (cgi, "snapshot.cgi") == 0)
    handle_snapshot (self, msg);
  else if (g_strcmp0 (cgi, "audio.cgi") == 0)
    handle_audio (self, msg, query);
  else {
    for (guint i = 0; i < G_N_ELEMENTS (store_kinds); i++) {
      g_autofree char *name = g_strconcat (store_kinds[i].endpoint, ".cgi", NULL);

      if (g_strcmp0 (cgi, name) == 0) {
        handle_store (self, msg, query, &store_kinds[i]);
        return;
      }
    }
    gh_sim_reply_text (msg, self, SOUP_STATUS_NOT_FOUND, "Error\r\nNot Implemented!\r\n");
  }
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  GhSimDevice *self = user_data;

  /* Tests check that a client never sends credentials to a device whose certificate changed. */
  if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                    "Authorization"))
    self->credentialed_requests++;
  if (self->fault_slow_ms > 0) {
    Delayed *d = g_new0 (Delayed, 1);

    d->device = g_object_ref (self);
    d->msg = g_object_ref (msg);
    d->path = g_strdup (path);
    d->query = query ? g_hash_table_ref (query) : NULL;
    soup_server_message_pause (msg);
    g_timeout_add (self->fault_slow_ms, delayed_cb, d);
    return;
  }
  dispatch (self, msg, path, query);
}

static void
accept_cb (GSocket  *client,
           gpointer  user_data)
{
  GhSimDevice *self = user_data;
  g_autoptr(GSocketConnection) connection = g_socket_connection_factory_create_connection (client);
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (client, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (client, NULL);
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  if (local == NULL || remote == NULL)
    return; /* the peer is already gone */
  /* libsoup writes a reply's headers and body separately; with Nagle the body would wait for
   * the client's delayed ACK (40 ms) on a kept-alive connection. */
  g_socket_set_option (client, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  if (self->tls_certificate) {
    /* The handshake runs on the first read, inside libsoup's own I/O. */
    stream = g_tls_server_connection_new (G_IO_STREAM (connection), self->tls_certificate,
                                          &error);
    if (stream == NULL) {
      g_warning ("%s: no TLS for a connection: %s", self->name, error->message);
      return;
    }
  } else {
    stream = G_IO_STREAM (g_object_ref (connection));
  }
  if (!soup_server_accept_iostream (self->server, stream, local, remote, &error))
    g_debug ("%s: could not take a connection: %s", self->name, error->message);
}

/* libsoup keeps a connection open after a reply only while the server has a listener of its
 * own; connections handed over with soup_server_accept_iostream() would otherwise be closed
 * after every request, which no device does. The real listening socket stays in the
 * community's epoll acceptor, so the server gets a stand-in: a loopback socket that never
 * receives a connection, registered while a private, never-iterated main context is the
 * thread default, so its watch costs the main loop nothing. */
static gboolean
keep_alive_anchor (SoupServer *server,
                   GError    **error)
{
  static GMainContext *parked;
  GSList *listeners = soup_server_get_listeners (server); /* (transfer container) */
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  gboolean ok;

  if (listeners != NULL) {
    g_slist_free (listeners);
    return TRUE;
  }
  if (parked == NULL)
    parked = g_main_context_new ();
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         error);
  if (socket == NULL)
    return FALSE;
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_socket_set_listen_backlog (socket, 1);
  if (!g_socket_bind (socket, address, FALSE, error) || !g_socket_listen (socket, error))
    return FALSE;
  g_main_context_push_thread_default (parked);
  ok = soup_server_listen_socket (server, socket, 0, error);
  g_main_context_pop_thread_default (parked);
  return ok;
}

gboolean
gh_sim_device_http_listen (GhSimDevice *self,
                           GError     **error)
{
  GhSimAcceptor *acceptor = gh_sim_community_get_acceptor (self->community);
  g_autoptr(GSocketAddress) local = NULL;
  guint port = self->port ? self->port : self->requested_port;

  if (self->server == NULL) {
    self->server = soup_server_new ("server-header", "Webs", NULL);
    soup_server_add_early_handler (self->server, NULL, early_cb, self, NULL);
    soup_server_add_handler (self->server, NULL, handler_cb, self, NULL);
  }
  if (self->listener)
    return TRUE;
  if (!keep_alive_anchor (self->server, error)) {
    g_prefix_error (error, "%s could not keep connections open: ", self->name);
    return FALSE;
  }
  self->listener = gh_sim_acceptor_listen (acceptor, port, accept_cb, self, error);
  if (self->listener == NULL) {
    g_prefix_error (error, "%s could not listen on 127.0.0.1:%u: ", self->name, port);
    return FALSE;
  }
  local = g_socket_get_local_address (self->listener, NULL);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  return TRUE;
}

void
gh_sim_device_http_disconnect (GhSimDevice *self)
{
  gh_sim_device_streams_close (self);
  if (self->listener && self->community)
    gh_sim_acceptor_close (gh_sim_community_get_acceptor (self->community), self->listener);
  self->listener = NULL;
  if (self->server)
    soup_server_disconnect (self->server);
}

/* Replaces the certificate (and key) as if the device had been swapped for another unit: open
 * connections are dropped, the port stays the same. */
gboolean
gh_sim_device_rotate_certificate (GhSimDevice  *self,
                                  GError      **error)
{
  GTlsCertificate *certificate;

  if (self->tls_certificate == NULL) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "%s speaks plain HTTP; give it \"https\": true to rotate its certificate",
                 self->name);
    return FALSE;
  }
  certificate = gh_sim_tls_generate_certificate (self->name, error);
  if (certificate == NULL)
    return FALSE;
  g_set_object (&self->tls_certificate, certificate);
  g_object_unref (certificate);
  self->tls_rotations++;
  self->credentialed_requests = 0;
  if (self->listener) {
    gh_sim_device_http_disconnect (self);
    return gh_sim_device_http_listen (self, error);
  }
  return TRUE;
}

char *
gh_sim_device_dup_tls_json (GhSimDevice *self)
{
  g_autoptr(json_object) obj = json_object_new_object ();

  json_object_object_add (obj, "https", json_object_new_boolean (self->tls_certificate != NULL));
  if (self->tls_certificate) {
    g_autoptr(GError) error = NULL;
    g_autofree char *pin = gh_sim_tls_dup_pin (self->tls_certificate, &error);

    json_object_object_add (obj, "pin", pin ? json_object_new_string (pin) : NULL);
  }
  json_object_object_add (obj, "rotations", json_object_new_int (self->tls_rotations));
  json_object_object_add (obj, "credentialed_requests",
                          json_object_new_int (self->credentialed_requests));
  return g_strdup (json_object_to_json_string_ext (obj, JSON_C_TO_STRING_PLAIN |
                                                   JSON_C_TO_STRING_NOSLASHESCAPE));
}
