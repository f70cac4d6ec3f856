/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sim-device-rpc"

#include "config.h"

#include "gh-sim-device-private.h"
#include "gh-sim-error.h"

#include <string.h>
#include <stdlib.h>

#define ERR_LOGIN_CHALLENGE 268632079
#define ERR_LOGIN_FAILED 268632080
#define ERR_LOCKED 268632081
#define ERR_NOT_SUPPORTED 268894210
#define ERR_INVALID_SESSION 287637505
#define ERR_UNKNOWN 268959743
#define RPC_FIND_CAP 1024

typedef struct {
  json_object *request; /* (borrowed) */
  json_object *reply;   /* (owned) */
  json_object *params;  /* (borrowed) (nullable) */
  gint64       id;
  guint32      session;
} Call;

static void
send_json (GhSimDevice       *self,
           SoupServerMessage *msg,
           json_object       *obj)
{
  const char *text = json_object_to_json_string_ext (obj, JSON_C_TO_STRING_PLAIN |
                                                     JSON_C_TO_STRING_NOSLASHESCAPE);

  if (self->fault_malformed) {
    gh_sim_reply_text (msg, self, SOUP_STATUS_OK, text);
    return;
  }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text,
                                    strlen (text));
}

static json_object *
new_reply (gint64  id,
           guint32 session)
{
  json_object *reply = json_object_new_object ();

  json_object_object_add (reply, "id", json_object_new_int64 (id));
  json_object_object_add (reply, "session", json_object_new_int64 (session));
  return reply;
}

static void
set_error (json_object *reply,
           int          code,
           const char  *message)
{
  json_object *error = json_object_new_object ();

  json_object_object_add (error, "code", json_object_new_int (code));
  json_object_object_add (error, "message", json_object_new_string (message));
  json_object_object_add (reply, "error", error);
  json_object_object_add (reply, "result", json_object_new_boolean (FALSE));
}

static void
set_ok (json_object *reply,
        json_object *params)
{
  json_object_object_add (reply, "params", params);
  json_object_object_add (reply, "result", json_object_new_boolean (TRUE));
}

static json_object *
parse_request (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  json_object *root = json_tokener_parse (text);

  if (root && !json_object_is_type (root, json_type_object)) {
    json_object_put (root);
    return NULL;
  }
  return root;
}

static const char *
get_str (json_object *obj,
         const char  *key)
{
  json_object *v;

  if (obj && json_object_object_get_ex (obj, key, &v) && json_object_is_type (v, json_type_string))
    return json_object_get_string (v);
  return NULL;
}

static gint64
get_int (json_object *obj,
         const char  *key,
         gint64       fallback)
{
  json_object *v;

  if (obj && json_object_object_get_ex (obj, key, &v) && !json_object_is_type (v, json_type_null))
    return json_object_get_int64 (v);
  return fallback;
}

static void
bad_request (GhSimDevice       *self,
             SoupServerMessage *msg)
{
  gh_sim_reply_text (msg, self, SOUP_STATUS_BAD_REQUEST, "Error\r\nBad Request!\r\n");
}

void
gh_sim_device_handle_rpc_login (GhSimDevice       *self,
                                SoupServerMessage *msg)
{
  g_autoptr(json_object) request = parse_request (msg);
  g_autoptr(json_object) reply = NULL;
  json_object *params;
  const char *user, *password;
  guint32 sid;
  gint64 id;
  GhSimRpcSession *session;
  gint64 now = g_get_monotonic_time ();

  if (request == NULL || g_strcmp0 (get_str (request, "method"), "global.login") != 0 ||
      !json_object_object_get_ex (request, "params", &params)) {
    bad_request (self, msg);
    return;
  }
  id = get_int (request, "id", 0);
  sid = get_int (request, "session", 0);
  user = get_str (params, "userName");
  password = get_str (params, "password");
  session = sid ? g_hash_table_lookup (self->rpc_sessions, GUINT_TO_POINTER (sid)) : NULL;

  if (session == NULL || session->logged_in) {
    json_object *challenge = json_object_new_object ();
    g_autofree char *realm = g_strdup_printf ("Login to %s", self->serial);
    g_autofree char *seed = g_strdup_printf ("%u:%s:%u", g_random_int (), self->serial,
                                             g_random_int ());
    g_autofree char *auth = g_compute_checksum_for_string (G_CHECKSUM_SHA1, seed, -1);

    /* Step one: a fresh session and the challenge to hash the password with. */
    session = g_new0 (GhSimRpcSession, 1);
    do
      session->id = g_random_int_range (100000000, G_MAXINT32);
    while (g_hash_table_contains (self->rpc_sessions, GUINT_TO_POINTER (session->id)));
    session->random = g_strdup_printf ("%u", g_random_int_range (1000000, 99999999));
    session->last_used = now;
    g_hash_table_insert (self->rpc_sessions, GUINT_TO_POINTER (session->id), session);
    reply = new_reply (id, session->id);
    json_object_object_add (challenge, "authorization", json_object_new_string (auth));
    json_object_object_add (challenge, "encryption", json_object_new_string ("Default"));
    json_object_object_add (challenge, "mac", json_object_new_string (self->mac));
    json_object_object_add (challenge, "random", json_object_new_string (session->random));
    json_object_object_add (challenge, "realm", json_object_new_string (realm));
    set_error (reply, ERR_LOGIN_CHALLENGE, "Component error: login challenge!");
    json_object_object_add (reply, "params", challenge);
    send_json (self, msg, reply);
    return;
  }

  reply = new_reply (id, sid);
  if (self->locked_until > now) {
    g_hash_table_remove (self->rpc_sessions, GUINT_TO_POINTER (sid));
    set_error (reply, ERR_LOCKED, "Account locked!");
    send_json (self, msg, reply);
    return;
  }
  {
    g_autofree char *realm = g_strdup_printf ("Login to %s", self->serial);
    g_autofree char *ha1_in = g_strdup_printf ("%s:%s:%s", self->username, realm,
                                               self->password);
    g_autofree char *ha1 = gh_sim_md5_hex (ha1_in, TRUE);
    g_autofree char *pass_in = g_strdup_printf ("%s:%s:%s", self->username, session->random, ha1);
    g_autofree char *expected = gh_sim_md5_hex (pass_in, TRUE);

    if (self->fault_auth || g_strcmp0 (user, self->username) != 0 ||
        password == NULL || g_ascii_strcasecmp (password, expected) != 0) {
      g_hash_table_remove (self->rpc_sessions, GUINT_TO_POINTER (sid));
      if (++self->auth_failures >= self->lock_times && self->lock_seconds > 0) {
        self->auth_failures = 0;
        self->locked_until = now + (gint64) self->lock_seconds * G_USEC_PER_SEC;
        set_error (reply, ERR_LOCKED, "Account locked!");
      } else {
        set_error (reply, ERR_LOGIN_FAILED, "Login failed: wrong user name or password");
      }
      send_json (self, msg, reply);
      return;
    }
  }
  self->auth_failures = 0;
  session->logged_in = TRUE;
  session->last_used = now;
  {
    json_object *p = json_object_new_object ();
    g_autofree char *cookie = g_strdup_printf ("WebClientHttpSessionID=%u; path=/", sid);

    json_object_object_add (p, "keepAliveInterval", json_object_new_int (self->session_timeout));
    set_ok (reply, p);
    soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie",
                                 cookie);
  }
  send_json (self, msg, reply);
}

static guint32
new_object (GhSimDevice *self,
            const char  *kind)
{
  guint32 id = self->next_object++;

  g_hash_table_insert (self->rpc_objects, GUINT_TO_POINTER (id), g_strdup (kind));
  return id;
}

static const char *
object_kind (GhSimDevice *self,
             json_object *request)
{
  guint32 object = get_int (request, "object", 0);

  return object ? g_hash_table_lookup (self->rpc_objects, GUINT_TO_POINTER (object)) : NULL;
}

static void
rpc_call_control (GhSimDevice *self,
                  const char  *method,
                  Call        *c)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (method, "VideoTalkPhone.factory.instance") == 0) {
    json_object_object_add (c->reply, "result", json_object_new_int64 (
                              new_object (self, "VideoTalkPhone")));
    return;
  }
  if (g_strcmp0 (object_kind (self, c->request), "VideoTalkPhone") != 0) {
    set_error (c->reply, ERR_NOT_SUPPORTED, "Invalid object: call VideoTalkPhone.factory.instance");
    return;
  }
  if (g_strcmp0 (method, "VideoTalkPhone.getCallState") == 0) {
    json_object *p = json_object_new_object ();

    json_object_object_add (p, "callState", json_object_new_string (
                              gh_sim_device_call_state (self)));
    set_ok (c->reply, p);
  } else if (g_strcmp0 (method, "VideoTalkPhone.answer") == 0) {
    if (gh_sim_device_answer (self, &error))
      set_ok (c->reply, NULL);
    else
      set_error (c->reply, ERR_UNKNOWN, "Unknown error! error code was not set in service!");
  } else if (g_strcmp0 (method, "VideoTalkPhone.disconnect") == 0 ||
             g_strcmp0 (method, "VideoTalkPhone.endCall") == 0) {
    if (gh_sim_device_hang_up (self, &error))
      set_ok (c->reply, NULL);
    else
      set_error (c->reply, ERR_UNKNOWN, "Unknown error! error code was not set in service!");
  } else if (g_strcmp0 (method, "VideoTalkPhone.destroy") == 0) {
    g_hash_table_remove (self->rpc_objects, GUINT_TO_POINTER (get_int (c->request, "object", 0)));
    set_ok (c->reply, NULL);
  } else {
    set_error (c->reply, ERR_NOT_SUPPORTED, "Method not supported");
  }
}

static void
rpc_access_control (GhSimDevice *self,
                    const char  *method,
                    Call        *c)
{
  g_autoptr(GError) error = NULL;
  int index = get_int (c->params, "DoorIndex", get_int (c->params, "channel", 0));

  if (g_strcmp0 (method, "accessControl.factory.instance") == 0) {
    json_object_object_add (c->reply, "result", json_object_new_int64 (
                              new_object (self, "accessControl")));
  } else if (g_strcmp0 (method, "accessControl.openDoor") == 0) {
    if (gh_sim_device_remote_open (self, index + 1, get_str (c->params, "UserID"), &error))
      set_ok (c->reply, NULL);
    else
      set_error (c->reply, ERR_UNKNOWN, error->message);
  } else if (g_strcmp0 (method, "accessControl.closeDoor") == 0) {
    if (gh_sim_device_remote_close (self, index + 1, &error))
      set_ok (c->reply, NULL);
    else
      set_error (c->reply, ERR_UNKNOWN, error->message);
  } else if (g_strcmp0 (method, "accessControl.getDoorStatus") == 0) {
    int door = get_int (c->params, "DoorState", index);
    json_object *p, *info;

    if (door < 0 || door >= (int) self->doors) {
      set_error (c->reply, ERR_UNKNOWN, "No such door");
      return;
    }
    p = json_object_new_object ();
    info = json_object_new_object ();
    json_object_object_add (info, "status", json_object_new_string (
                              self->door_open[door] ? "Open" : "Close"));
    json_object_object_add (p, "Info", info);
    set_ok (c->reply, p);
  } else if (g_strcmp0 (method, "accessControl.destroy") == 0) {
    g_hash_table_remove (self->rpc_objects, GUINT_TO_POINTER (get_int (c->request, "object", 0)));
    set_ok (c->reply, NULL);
  } else {
    set_error (c->reply, ERR_NOT_SUPPORTED, "Method not supported");
  }
}

static gboolean
row_matches (GTree       *row,
             json_object *condition)
{
  const char *created = gh_sim_row_get (row, "CreateTime");
  gint64 t = created ? g_ascii_strtoll (created, NULL, 10) : 0;

  if (condition == NULL || !json_object_is_type (condition, json_type_object))
    return TRUE;
  json_object_object_foreach (condition, key, value) {
    if (g_strcmp0 (key, "StartTime") == 0) {
      if (t < json_object_get_int64 (value))
        return FALSE;
    } else if (g_strcmp0 (key, "EndTime") == 0) {
      if (t > json_object_get_int64 (value))
        return FALSE;
    } else if (g_strcmp0 (gh_sim_row_get (row, key), json_object_get_string (value)) != 0) {
      return FALSE;
    }
  }
  return TRUE;
}

static void
rpc_record_finder (GhSimDevice *self,
                   const char  *method,
                   Call        *c)
{
  guint32 object = get_int (c->request, "object", 0);
  const char *kind = object_kind (self, c->request);

  if (g_strcmp0 (method, "RecordFinder.factory.create") == 0) {
    const char *name = get_str (c->params, "name");

    if (!gh_sim_device_is_record_name (name)) {
      set_error (c->reply, ERR_UNKNOWN, "Unknown record name");
      return;
    }
    json_object_object_add (c->reply, "result", json_object_new_int64 (new_object (self, name)));
    return;
  }
  if (kind == NULL || !gh_sim_device_is_record_name (kind)) {
    set_error (c->reply, ERR_NOT_SUPPORTED, "Invalid object: call RecordFinder.factory.create");
    return;
  }
  if (g_strcmp0 (method, "RecordFinder.startFind") == 0) {
    GhSimTable *table = gh_sim_device_get_table (self, kind);
    GPtrArray *rows = gh_sim_table_get_rows (table);
    json_object *condition = NULL;
    json_object *matches = json_object_new_array ();

    if (c->params)
      json_object_object_get_ex (c->params, "condition", &condition);
    for (guint i = 0; i < rows->len; i++)
      if (row_matches (rows->pdata[i], condition))
        json_object_array_add (matches, gh_sim_row_to_json (rows->pdata[i]));
    g_hash_table_insert (self->rpc_finds, GUINT_TO_POINTER (object), matches);
    g_hash_table_insert (self->rpc_cursors, GUINT_TO_POINTER (object), GUINT_TO_POINTER (0));
    set_ok (c->reply, NULL);
  } else if (g_strcmp0 (method, "RecordFinder.doFind") == 0) {
    json_object *matches = g_hash_table_lookup (self->rpc_finds, GUINT_TO_POINTER (object));
    guint cursor = GPOINTER_TO_UINT (g_hash_table_lookup (self->rpc_cursors,
                                                          GUINT_TO_POINTER (object)));
    gint64 count = get_int (c->params, "count", RPC_FIND_CAP);
    json_object *records, *p;
    guint found = 0;

    if (matches == NULL) {
      set_error (c->reply, ERR_UNKNOWN, "Call RecordFinder.startFind first");
      return;
    }
    count = CLAMP (count, 0, RPC_FIND_CAP);
    records = json_object_new_array ();
    for (guint i = cursor; i < json_object_array_length (matches) && found < count; i++, found++)
      json_object_array_add (records, json_object_get (json_object_array_get_idx (matches, i)));
    g_hash_table_insert (self->rpc_cursors, GUINT_TO_POINTER (object),
                         GUINT_TO_POINTER (cursor + found));
    p = json_object_new_object ();
    json_object_object_add (p, "found", json_object_new_int (found));
    json_object_object_add (p, "records", records);
    set_ok (c->reply, p);
  } else if (g_strcmp0 (method, "RecordFinder.stopFind") == 0) {
    g_hash_table_remove (self->rpc_finds, GUINT_TO_POINTER (object));
    g_hash_table_remove (self->rpc_cursors, GUINT_TO_POINTER (object));
    set_ok (c->reply, NULL);
  } else if (g_strcmp0 (method, "RecordFinder.destroy") == 0) {
    g_hash_table_remove (self->rpc_finds, GUINT_TO_POINTER (object));
    g_hash_table_remove (self->rpc_cursors, GUINT_TO_POINTER (object));
    g_hash_table_remove (self->rpc_objects, GUINT_TO_POINTER (object));
    set_ok (c->reply, NULL);
  } else {
    set_error (c->reply, ERR_NOT_SUPPORTED, "Method not supported");
  }
}

static void
rpc_dispatch (GhSimDevice *self,
              const char  *method,
              Call        *c)
{
  json_object *p;

  if (g_str_has_prefix (method, "VideoTalkPhone.")) {
    rpc_call_control (self, method, c);
  } else if (g_str_has_prefix (method, "accessControl.")) {
    rpc_access_control (self, method, c);
  } else if (g_str_has_prefix (method, "RecordFinder.")) {
    rpc_record_finder (self, method, c);
  } else if (g_strcmp0 (method, "global.keepAlive") == 0) {
    p = json_object_new_object ();
    json_object_object_add (p, "timeout", json_object_new_int (self->session_timeout));
    set_ok (c->reply, p);
  } else if (g_strcmp0 (method, "global.logout") == 0) {
    g_hash_table_remove (self->rpc_sessions, GUINT_TO_POINTER (c->session));
    set_ok (c->reply, NULL);
  } else if (g_strcmp0 (method, "global.getCurrentTime") == 0) {
    g_autofree char *now = gh_sim_format_time (gh_sim_device_local_time (self), NULL);

    p = json_object_new_object ();
    json_object_object_add (p, "time", json_object_new_string (now));
    set_ok (c->reply, p);
  } else if (g_strcmp0 (method, "global.setCurrentTime") == 0) {
    gint64 when;

    if (!gh_sim_parse_time (get_str (c->params, "time"), &when)) {
      set_error (c->reply, ERR_UNKNOWN, "Invalid time");
      return;
    }
    self->clock_offset = when - gh_sim_now_utc ();
    set_ok (c->reply, NULL);
  } else if (g_strcmp0 (method, "magicBox.getDeviceType") == 0) {
    p = json_object_new_object ();
    json_object_object_add (p, "type", json_object_new_string (self->model));
    set_ok (c->reply, p);
  } else if (g_strcmp0 (method, "magicBox.getSystemInfo") == 0) {
    p = json_object_new_object ();
    json_object_object_add (p, "deviceType", json_object_new_string (self->model));
    json_object_object_add (p, "processor", json_object_new_string ("SSC338BQ"));
    json_object_object_add (p, "serialNumber", json_object_new_string (self->serial));
    set_ok (c->reply, p);
  } else if (g_strcmp0 (method, "magicBox.getSerialNo") == 0) {
    p = json_object_new_object ();
    json_object_object_add (p, "sn", json_object_new_string (self->serial));
    set_ok (c->reply, p);
  } else if (g_strcmp0 (method, "magicBox.getSoftwareVersion") == 0) {
    json_object *version = json_object_new_object ();

    json_object_object_add (version, "Version", json_object_new_string (self->firmware));
    json_object_object_add (version, "BuildDate", json_object_new_string (self->build_date));
    p = json_object_new_object ();
    json_object_object_add (p, "version", version);
    set_ok (c->reply, p);
  } else if (g_strcmp0 (method, "system.listService") == 0) {
    static const char * const services[] = {
      "global", "magicBox", "configManager", "accessControl", "VideoTalkPhone", "RecordFinder",
      "AccessUser", "AccessCard", "AccessFace", "eventManager", NULL,
    };
    json_object *list = json_object_new_array ();

    for (guint i = 0; services[i]; i++)
      json_object_array_add (list, json_object_new_string (services[i]));
    p = json_object_new_object ();
    json_object_object_add (p, "service", list);
    set_ok (c->reply, p);
  } else if (g_strcmp0 (method, "configManager.getConfig") == 0) {
    const char *name = get_str (c->params, "name");

    if (name == NULL || !gh_sim_config_has_name (self->config, name)) {
      set_error (c->reply, ERR_UNKNOWN, "Unknown error! error code was not set in service!");
      return;
    }
    p = json_object_new_object ();
    json_object_object_add (p, "table", gh_sim_config_to_json (self->config, name));
    set_ok (c->reply, p);
  } else if (g_strcmp0 (method, "configManager.setConfig") == 0) {
    const char *name = get_str (c->params, "name");
    json_object *table;

    if (name == NULL || !gh_sim_config_has_name (self->config, name) ||
        !json_object_object_get_ex (c->params, "table", &table)) {
      set_error (c->reply, ERR_UNKNOWN, "Unknown error! error code was not set in service!");
      return;
    }
    gh_sim_config_set_json (self->config, name, table);
    gh_sim_device_changed (self);
    set_ok (c->reply, NULL);
  } else if (g_strcmp0 (method, "console.runCmd") == 0) {
    const char *command = get_str (c->params, "command");
    g_autoptr(GError) error = NULL;
    gboolean ok = FALSE;

    if (g_strcmp0 (command, "hc") == 0)
      ok = gh_sim_device_hang_up (self, &error);
    else if (command && g_str_has_prefix (command, "call "))
      ok = gh_sim_device_ring (self, command + 5, &error);
    if (ok)
      set_ok (c->reply, NULL);
    else
      set_error (c->reply, ERR_UNKNOWN, "Unknown error! error code was not set in service!");
  } else {
    set_error (c->reply, ERR_NOT_SUPPORTED, "Method not supported");
  }
}

static guint32
cookie_session (SoupServerMessage *msg)
{
  const char *cookie = soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "Cookie");
  const char *at = cookie ? strstr (cookie, "WebClientHttpSessionID=") : NULL;

  return at ? (guint32) g_ascii_strtoull (at + strlen ("WebClientHttpSessionID="), NULL, 10) : 0;
}

void
gh_sim_device_handle_rpc (GhSimDevice       *self,
                          SoupServerMessage *msg)
{
  g_autoptr(json_object) request = parse_request (msg);
  g_autoptr(json_object) reply = NULL;
  const char *method;
  GhSimRpcSession *session;
  Call c = { 0 };

  if (request == NULL || (method = get_str (request, "method")) == NULL) {
    bad_request (self, msg);
    return;
  }
  c.request = request;
  c.id = get_int (request, "id", 0);
  c.session = get_int (request, "session", 0);
  if (c.session == 0)
    c.session = cookie_session (msg);
  json_object_object_get_ex (request, "params", &c.params);
  reply = new_reply (c.id, c.session);
  c.reply = reply;

  session = g_hash_table_lookup (self->rpc_sessions, GUINT_TO_POINTER (c.session));
  if (session == NULL || !session->logged_in) {
    set_error (reply, ERR_INVALID_SESSION, "Invalid session in request data!");
    send_json (self, msg, reply);
    return;
  }
  session->last_used = g_get_monotonic_time ();
  rpc_dispatch (self, method, &c);
  send_json (self, msg, reply);
}
