/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-rpc-reply"

#include "config.h"

#include "gh-dahua-rpc.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* RPC2 replies, including the login challenge path. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GhDahuaRpcReply) reply = gh_dahua_rpc_reply_parse ((const char *) data, size, NULL);
  g_autoptr(GError) error = NULL;

  if (reply == NULL)
    return 0;
  gh_dahua_rpc_reply_check (reply, "fuzz.method", &error);
  if (reply->error_code == GH_DAHUA_RPC_LOGIN_CHALLENGE) {
    const char *realm = gh_dahua_rpc_reply_get_param_string (reply, "realm");
    const char *random = gh_dahua_rpc_reply_get_param_string (reply, "random");
    const char *encryption = gh_dahua_rpc_reply_get_param_string (reply, "encryption");
    g_autofree char *hash = gh_dahua_rpc_login_hash ("admin", "pw", realm, random, encryption,
                                                     NULL);
    g_autofree char *next = gh_dahua_rpc_build_request ("global.login", reply->params, 2,
                                                        reply->session, 0);
  }
  return 0;
}
