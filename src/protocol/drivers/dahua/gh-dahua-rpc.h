/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-c/json.h>

G_BEGIN_DECLS

#define GH_DAHUA_RPC_LOGIN_CHALLENGE   268632079
#define GH_DAHUA_RPC_BAD_CREDENTIALS   268632080
#define GH_DAHUA_RPC_LOCKED            268632081
#define GH_DAHUA_RPC_BLOCKED           268632082
#define GH_DAHUA_RPC_LOGGED_IN_ELSE    268632083
#define GH_DAHUA_RPC_NOT_INITIALISED   268632086
#define GH_DAHUA_RPC_NO_PERMISSION     268894210
#define GH_DAHUA_RPC_SESSION_INVALID   287637504
#define GH_DAHUA_RPC_SESSION_EXPIRED   287637505
#define GH_DAHUA_RPC_UNKNOWN_ERROR     268959743

/**
 * GhDahuaRpcReply:
 * @id: the request id echoed, -1 when absent
 * @ok: %TRUE when "result" is true or an object id/other non-false value
 * @result: the "result" member (borrowed from @root)
 * @params: the "params" member, or %NULL (borrowed from @root)
 * @session: the "session" member as sent (number or string), or %NULL (borrowed)
 * @error_code: "error.code", 0 when absent
 * @error_message: "error.message", or %NULL
 */
typedef struct {
  gint64              id;
  gboolean            ok;
  struct json_object *result;
  struct json_object *params;
  struct json_object *session;
  gint64              error_code;
  char               *error_message;  /* (owned) */
  struct json_object *root;           /* (owned) */
} GhDahuaRpcReply;

char            *gh_dahua_rpc_login_hash         (const char          *username,
                                                  const char          *password,
                                                  const char          *realm,
                                                  const char          *random,
                                                  const char          *encryption,
                                                  GError             **error);
char            *gh_dahua_rpc_build_request      (const char          *method,
                                                  struct json_object  *params,
                                                  gint64               id,
                                                  struct json_object  *session,
                                                  gint64               object);
GhDahuaRpcReply *gh_dahua_rpc_reply_parse        (const char          *text,
                                                  gssize               len,
                                                  GError             **error);
void             gh_dahua_rpc_reply_free         (GhDahuaRpcReply     *self);
gboolean         gh_dahua_rpc_reply_check        (const GhDahuaRpcReply *self,
                                                  const char          *method,
                                                  GError             **error);
gboolean         gh_dahua_rpc_error_is_session   (gint64               code);
const char      *gh_dahua_rpc_reply_get_param_string (const GhDahuaRpcReply *self,
                                                  const char          *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDahuaRpcReply, gh_dahua_rpc_reply_free)

G_END_DECLS
