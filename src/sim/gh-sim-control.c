/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sim-control"

#include "config.h"

#include "gh-sim-community-private.h"
#include "gh-sim-device-private.h"
#include "gh-sim-error.h"
#ifdef GH_SIM_HAVE_RTSP
#include "gh-sim-rtsp.h"
#endif

#include <string.h>

static void
reply_json_text (SoupServerMessage *msg,
                 guint              status,
                 const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text,
                                    strlen (text));
}

static void
reply_obj (SoupServerMessage *msg,
           guint              status,
           json_object       *obj)
{
  reply_json_text (msg, status, json_object_to_json_string_ext (obj, JSON_C_TO_STRING_PLAIN |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void
reply_error (SoupServerMessage *msg,
             GError            *error)
{
  g_autoptr(json_object) obj = json_object_new_object ();
  guint status = SOUP_STATUS_BAD_REQUEST;

  if (g_error_matches (error, GH_SIM_ERROR, GH_SIM_ERROR_NOT_FOUND))
    status = SOUP_STATUS_NOT_FOUND;
  else if (g_error_matches (error, GH_SIM_ERROR, GH_SIM_ERROR_BUSY))
    status = SOUP_STATUS_CONFLICT;
  json_object_object_add (obj, "error", json_object_new_string (error->message));
  reply_obj (msg, status, obj);
}

static void
reply_message (SoupServerMessage *msg,
               guint              status,
               const char        *message)
{
  g_autoptr(json_object) obj = json_object_new_object ();

  json_object_object_add (obj, "error", json_object_new_string (message));
  reply_obj (msg, status, obj);
}

static const char *
body_str (json_object *body,
          const char  *key)
{
  json_object *v;

  if (body && json_object_object_get_ex (body, key, &v) && !json_object_is_type (v, json_type_null))
    return json_object_get_string (v);
  return NULL;
}

static int
body_int (json_object *body,
          const char  *key,
          int          fallback)
{
  json_object *v;

  if (body && json_object_object_get_ex (body, key, &v) && !json_object_is_type (v, json_type_null))
    return json_object_get_int (v);
  return fallback;
}

static gboolean
body_bool (json_object *body,
           const char  *key,
           gboolean     fallback)
{
  json_object *v;

  if (body && json_object_object_get_ex (body, key, &v) && !json_object_is_type (v, json_type_null))
    return json_object_get_boolean (v);
  return fallback;
}

static void
device_action (GhSimDevice       *device,
               const char        *action,
               json_object       *body,
               SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_object) reply = json_object_new_object ();
  gboolean granted = FALSE, has_granted = FALSE, ok;
  guint door = body_int (body, "door", 1);

  if (g_strcmp0 (action, "ring") == 0) {
    ok = gh_sim_device_ring (device, body_str (body, "room"), &error);
  } else if (g_strcmp0 (action, "answer") == 0) {
    ok = gh_sim_device_answer (device, &error);
  } else if (g_strcmp0 (action, "hangup") == 0) {
    ok = gh_sim_device_hang_up (device, &error);
  } else if (g_strcmp0 (action, "card") == 0) {
    ok = gh_sim_device_swipe_card (device, body_str (body, "card"), door, &granted, &error);
    has_granted = TRUE;
  } else if (g_strcmp0 (action, "password") == 0) {
    ok = gh_sim_device_enter_password (device, body_str (body, "user"),
                                       body_str (body, "password"), door, &granted, &error);
    has_granted = TRUE;
  } else if (g_strcmp0 (action, "unlock-code") == 0) {
    ok = gh_sim_device_enter_unlock_code (device, body_str (body, "code"), door, &granted,
                                          &error);
    has_granted = TRUE;
  } else if (g_strcmp0 (action, "face") == 0) {
    ok = gh_sim_device_present_face (device, body_str (body, "user"), door, &granted, &error);
    has_granted = TRUE;
  } else if (g_strcmp0 (action, "fingerprint") == 0) {
    ok = gh_sim_device_present_fingerprint (device, body_str (body, "user"), door, &granted,
                                            &error);
    has_granted = TRUE;
  } else if (g_strcmp0 (action, "alarm") == 0) {
    ok = gh_sim_device_set_alarm (device, body_int (body, "input", 0),
                                  body_bool (body, "active", TRUE), &error);
  } else if (g_strcmp0 (action, "tamper") == 0) {
    ok = gh_sim_device_set_tamper (device, body_bool (body, "active", TRUE), &error);
  } else if (g_strcmp0 (action, "door") == 0) {
    ok = gh_sim_device_force_door (device, door, body_bool (body, "open", TRUE), &error);
  } else if (g_strcmp0 (action, "rotate-certificate") == 0) {
    ok = gh_sim_device_rotate_certificate (device, &error);
  } else if (g_strcmp0 (action, "reboot") == 0) {
    ok = gh_sim_device_reboot (device, body_int (body, "seconds", 3), &error);
  } else if (g_strcmp0 (action, "faults") == 0) {
    ok = TRUE;
    if (body == NULL || !json_object_is_type (body, json_type_object)) {
      reply_message (msg, SOUP_STATUS_BAD_REQUEST,
                     "Send a JSON object such as {\"offline\": true, \"slow_ms\": 500}");
      return;
    }
    json_object_object_foreach (body, key, value) {
      int v = json_object_is_type (value, json_type_boolean) ? json_object_get_boolean (value)
                                                             : json_object_get_int (value);
      if (!gh_sim_device_set_fault (device, key, v, &error)) {
        ok = FALSE;
        break;
      }
    }
    if (ok) {
      g_autofree char *faults = gh_sim_device_dup_faults_json (device);

      reply_json_text (msg, SOUP_STATUS_OK, faults);
      return;
    }
  } else {
    reply_message (msg, SOUP_STATUS_NOT_FOUND,
                   "Unknown action; see docs/simulator.md for the control interface");
    return;
  }
  if (!ok) {
    reply_error (msg, error);
    return;
  }
  json_object_object_add (reply, "ok", json_object_new_boolean (TRUE));
  if (has_granted)
    json_object_object_add (reply, "granted", json_object_new_boolean (granted));
  json_object_object_add (reply, "call_state", json_object_new_string (
                            gh_sim_device_call_state (device)));
  reply_obj (msg, SOUP_STATUS_OK, reply);
}

static void
device_get (GhSimDevice       *device,
            const char        *what,
            SoupServerMessage *msg)
{
  if (what == NULL) {
    g_autofree char *text = gh_sim_device_dup_endpoint_json (device);

    reply_json_text (msg, SOUP_STATUS_OK, text);
  } else if (g_strcmp0 (what, "state") == 0) {
    g_autofree char *text = gh_sim_device_dup_state_json (device);

    reply_json_text (msg, SOUP_STATUS_OK, text);
  } else if (g_strcmp0 (what, "tls") == 0) {
    g_autofree char *text = gh_sim_device_dup_tls_json (device);
    reply_json_text (msg, SOUP_STATUS_OK, text);
  } else if (g_strcmp0 (what, "faults") == 0) {
    g_autofree char *text = gh_sim_device_dup_faults_json (device);

    reply_json_text (msg, SOUP_STATUS_OK, text);
  } else if (g_strcmp0 (what, "audio") == 0 || g_strcmp0 (what, "backchannel") == 0) {
    g_autoptr(GBytes) bytes = NULL;

    if (what[0] == 'a')
      bytes = gh_sim_device_dup_posted_audio (device);
#ifdef GH_SIM_HAVE_RTSP
    else if (device->rtsp)
      bytes = gh_sim_rtsp_dup_backchannel_audio (device->rtsp);
#endif
    if (bytes == NULL)
      bytes = g_bytes_new (NULL, 0);
    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                      g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  } else {
    reply_message (msg, SOUP_STATUS_NOT_FOUND, "Unknown resource");
  }
}

/* An empty body is no object (NULL); anything else must be a JSON object, or the request is
 * answered with 400 and FALSE returned. */
static gboolean
parse_body (SoupServerMessage  *msg,
            json_object       **out)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  *out = NULL;
  if (*g_strstrip (text) == 0)
    return TRUE;
  *out = json_tokener_parse (text);
  if (*out == NULL || !json_object_is_type (*out, json_type_object)) {
    g_clear_pointer (out, json_object_put);
    reply_message (msg, SOUP_STATUS_BAD_REQUEST, "The request body must be a JSON object");
    return FALSE;
  }
  return TRUE;
}

/* GET /load reads the load generator; POST /load {"rate": 10, "seconds": 10} starts it. */
static void
community_load (GhSimCommunity    *community,
                const char        *method,
                SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (g_strcmp0 (method, "POST") == 0) {
    g_autoptr(json_object) body = NULL;
    json_object *v;
    double rate = 10, seconds = 10;

    if (!parse_body (msg, &body))
      return;
    if (body && json_object_object_get_ex (body, "rate", &v))
      rate = json_object_get_double (v);
    if (body && json_object_object_get_ex (body, "seconds", &v))
      seconds = json_object_get_double (v);
    if (!gh_sim_community_start_load (community, rate, seconds, &error)) {
      reply_error (msg, error);
      return;
    }
  } else if (g_strcmp0 (method, "GET") != 0) {
    reply_message (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Use GET to read, POST to act");
    return;
  }
  text = gh_sim_community_dup_load_json (community);
  reply_json_text (msg, SOUP_STATUS_OK, text);
}

static void
control_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  GhSimCommunity *community = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) parts = g_strsplit (path + 1, "/", -1);
  guint n = g_strv_length (parts);
  GhSimDevice *device;

  if (n == 1 && g_strcmp0 (parts[0], "load") == 0) {
    community_load (community, method, msg);
    return;
  }
  if (n == 0 || g_strcmp0 (parts[0], "devices") != 0) {
    reply_message (msg, SOUP_STATUS_NOT_FOUND, "Use /devices, /devices/NAME/ACTION or /load");
    return;
  }
  if (n == 1 || (n == 2 && *parts[1] == 0)) {
    g_autoptr(GString) out = g_string_new ("[");

    for (guint i = 0; i < gh_sim_community_get_n_devices (community); i++) {
      g_autofree char *text = gh_sim_device_dup_endpoint_json (
        gh_sim_community_get_device (community, i));

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, text);
    }
    g_string_append_c (out, ']');
    reply_json_text (msg, SOUP_STATUS_OK, out->str);
    return;
  }
  device = gh_sim_community_lookup (community, parts[1]);
  if (device == NULL) {
    g_autofree char *text = g_strdup_printf ("No device named \"%s\"", parts[1]);

    reply_message (msg, SOUP_STATUS_NOT_FOUND, text);
    return;
  }
  if (g_strcmp0 (method, "GET") == 0) {
    device_get (device, n > 2 ? parts[2] : NULL, msg);
  } else if (g_strcmp0 (method, "POST") == 0 && n == 3) {
    g_autoptr(json_object) json = NULL;

    if (!parse_body (msg, &json))
      return;
    device_action (device, parts[2], json, msg);
  } else {
    reply_message (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Use GET to read, POST to act");
  }
}

SoupServer *
gh_sim_control_new (GhSimCommunity *community,
                    guint           port,
                    GError        **error)
{
  g_autoptr(SoupServer) server = soup_server_new ("server-header", "gatehouse-sim", NULL);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);

  soup_server_add_handler (server, NULL, control_cb, community, NULL);
  if (!soup_server_listen (server, address, 0, error)) {
    g_prefix_error (error, "The control server could not listen on 127.0.0.1:%u: ", port);
    return NULL;
  }
  return g_steal_pointer (&server);
}
