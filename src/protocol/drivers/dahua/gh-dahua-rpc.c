/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-dahua-rpc"

#include "config.h"

#include "gh-dahua-rpc.h"

#include "gh-error.h"

#include <string.h>

static char *
md5_upper (const char *text)
{
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_MD5, text, -1);

  return g_ascii_strup (hex, -1);
}

/**
 * gh_dahua_rpc_login_hash:
 * @encryption: the "encryption" value of the login challenge ("Default", "Basic", "Plain")
 *
 * Computes the password for the second global.login. For "Default":
 * HA1 = UPPER(MD5(user:realm:password)), then UPPER(MD5(user:random:HA1)).
 *
 * Returns: (transfer full): the value to send, or %NULL with %GH_ERROR_NOT_SUPPORTED
 */
char *
gh_dahua_rpc_login_hash (const char  *username,
                         const char  *password,
                         const char  *realm,
                         const char  *random,
                         const char  *encryption,
                         GError     **error)
{
  g_return_val_if_fail (username != NULL && password != NULL, NULL);

  if (encryption == NULL || g_strcmp0 (encryption, "Default") == 0) {
    g_autofree char *a = NULL;
    g_autofree char *ha1 = NULL;
    g_autofree char *b = NULL;

    if (realm == NULL || random == NULL) {
      g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL,
                   "The login challenge lacks its realm or random value");
      return NULL;
    }
    a = g_strdup_printf ("%s:%s:%s", username, realm, password);
    ha1 = md5_upper (a);
    b = g_strdup_printf ("%s:%s:%s", username, random, ha1);
    return md5_upper (b);
  }
  if (g_strcmp0 (encryption, "Basic") == 0) {
    g_autofree char *pair = g_strdup_printf ("%s:%s", username, password);

    return g_base64_encode ((const guchar *) pair, strlen (pair));
  }
  if (g_strcmp0 (encryption, "Plain") == 0)
    return g_strdup (password);

  g_set_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED,
               "The device asks for “%s” login encryption, which Gatehouse does not support",
               encryption);
  return NULL;
}

/**
 * gh_dahua_rpc_build_request:
 * @params: (nullable): the params object (not consumed)
 * @session: (nullable): the session as the device sent it (not consumed)
 * @object: an instance id, 0 for none
 *
 * Returns: (transfer full): the JSON request text
 */
char *
gh_dahua_rpc_build_request (const char         *method,
                            struct json_object *params,
                            gint64              id,
                            struct json_object *session,
                            gint64              object)
{
  struct json_object *req = json_object_new_object ();
  char *text;

  g_return_val_if_fail (method != NULL, NULL);

  json_object_object_add (req, "method", json_object_new_string (method));
  json_object_object_add (req, "params", params ? json_object_get (params) : NULL);
  json_object_object_add (req, "id", json_object_new_int64 (id));
  if (session != NULL)
    json_object_object_add (req, "session", json_object_get (session));
  if (object != 0)
    json_object_object_add (req, "object", json_object_new_int64 (object));
  text = g_strdup (json_object_to_json_string_ext (req, JSON_C_TO_STRING_PLAIN |
                                                        JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put (req);
  return text;
}

/**
 * gh_dahua_rpc_reply_parse:
 *
 * Returns: (transfer full): the reply, or %NULL with %GH_ERROR_PROTOCOL when the text is not
 *   a JSON object
 */
GhDahuaRpcReply *
gh_dahua_rpc_reply_parse (const char  *text,
                          gssize       len,
                          GError     **error)
{
  g_autoptr(GhDahuaRpcReply) reply = NULL;
  struct json_tokener *tok;
  struct json_object *root, *value, *err;
  enum json_tokener_error jerr;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (len < 0)
    len = strlen (text);
  if (len > G_MAXINT) {
    g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL, "The device's reply is too large");
    return NULL;
  }
  tok = json_tokener_new ();
  root = json_tokener_parse_ex (tok, text ? text : "", (int) len);
  jerr = json_tokener_get_error (tok);
  json_tokener_free (tok);
  if (root == NULL || !json_object_is_type (root, json_type_object)) {
    g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL, "The device's reply is not a JSON object%s%s",
                 root == NULL ? ": " : "",
                 root == NULL ? json_tokener_error_desc (jerr) : "");
    json_object_put (root);
    return NULL;
  }

  reply = g_new0 (GhDahuaRpcReply, 1);
  reply->root = root;
  reply->id = -1;
  if (json_object_object_get_ex (root, "id", &value) && json_object_is_type (value, json_type_int))
    reply->id = json_object_get_int64 (value);
  if (json_object_object_get_ex (root, "result", &value)) {
    reply->result = value;
    if (value == NULL)
      reply->ok = FALSE;
    else if (json_object_is_type (value, json_type_boolean))
      reply->ok = json_object_get_boolean (value);
    else
      reply->ok = TRUE;
  }
  if (json_object_object_get_ex (root, "params", &value) &&
      json_object_is_type (value, json_type_object))
    reply->params = value;
  if (json_object_object_get_ex (root, "session", &value) &&
      (json_object_is_type (value, json_type_int) ||
       json_object_is_type (value, json_type_string)))
    reply->session = value;
  if (json_object_object_get_ex (root, "error", &err) &&
      json_object_is_type (err, json_type_object)) {
    if (json_object_object_get_ex (err, "code", &value) &&
        (json_object_is_type (value, json_type_int) ||
         json_object_is_type (value, json_type_double)))
      reply->error_code = json_object_get_int64 (value);
    if (json_object_object_get_ex (err, "message", &value) &&
        json_object_is_type (value, json_type_string))
      reply->error_message = g_utf8_make_valid (json_object_get_string (value), -1);
    if (reply->error_code != 0)
      reply->ok = FALSE;
  }
  return g_steal_pointer (&reply);
}

void
gh_dahua_rpc_reply_free (GhDahuaRpcReply *self)
{
  if (self == NULL)
    return;
  g_free (self->error_message);
  json_object_put (self->root);
  g_free (self);
}

/* Error codes that mean "log in again". */
gboolean
gh_dahua_rpc_error_is_session (gint64 code)
{
  return code == GH_DAHUA_RPC_SESSION_INVALID || code == GH_DAHUA_RPC_SESSION_EXPIRED;
}

/**
 * gh_dahua_rpc_reply_check:
 * @method: the method called, for the message
 *
 * Turns a failed reply into a #GError with the matching %GH_ERROR code.
 */
gboolean
gh_dahua_rpc_reply_check (const GhDahuaRpcReply  *self,
                          const char             *method,
                          GError                **error)
{
  const char *msg;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->ok)
    return TRUE;
  msg = self->error_message ? self->error_message : "no message";
  switch (self->error_code) {
  case GH_DAHUA_RPC_BAD_CREDENTIALS:
    g_set_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                 "The device refused the user name or password; check the device credentials");
    break;
  case GH_DAHUA_RPC_LOCKED:
    g_set_error (error, GH_ERROR, GH_ERROR_LOCKED_OUT,
                 "The device locked the account after failed logins; wait and try again");
    break;
  case GH_DAHUA_RPC_BLOCKED:
    g_set_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                 "The device has blocked or disabled this account; unblock it on the device");
    break;
  case GH_DAHUA_RPC_LOGGED_IN_ELSE:
    g_set_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                 "The account is already logged in elsewhere; log it out or use another account");
    break;
  case GH_DAHUA_RPC_NOT_INITIALISED:
    g_set_error (error, GH_ERROR, GH_ERROR_FAILED,
                 "The device is not initialised; finish its set-up in its web page first");
    break;
  case GH_DAHUA_RPC_NO_PERMISSION:
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED,
                 "The device refused %s (no permission or not supported): %s", method, msg);
    break;
  case GH_DAHUA_RPC_SESSION_INVALID:
  case GH_DAHUA_RPC_SESSION_EXPIRED:
    g_set_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                 "The device session expired during %s; log in again", method);
    break;
  case GH_DAHUA_RPC_LOGIN_CHALLENGE:
    g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL,
                 "The device answered %s with a login challenge", method);
    break;
  default:
    if (self->error_code != 0)
      g_set_error (error, GH_ERROR, GH_ERROR_FAILED, "The device failed %s (error %" G_GINT64_FORMAT
                   "): %s", method, self->error_code, msg);
    else
      g_set_error (error, GH_ERROR, GH_ERROR_FAILED, "The device answered false to %s", method);
    break;
  }
  return FALSE;
}

const char *
gh_dahua_rpc_reply_get_param_string (const GhDahuaRpcReply *self,
                                     const char            *key)
{
  struct json_object *value;

  if (self->params == NULL || !json_object_object_get_ex (self->params, key, &value) ||
      !json_object_is_type (value, json_type_string))
    return NULL;
  return json_object_get_string (value);
}
