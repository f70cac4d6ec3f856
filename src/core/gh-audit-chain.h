/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The tamper-evident chain of the audit log.
 *
 * Each audit entry carries a MAC that covers the entry and the MAC of the entry before it:
 *
 *   mac[i] = hex (HMAC-SHA256 (key, "gh-audit-chain-v1\n" ‖ mac[i-1] ‖ "\n" ‖ canonical[i]))
 *
 * where mac[i-1] is 64 lower-case hex digits and, for the first entry, GH_AUDIT_CHAIN_GENESIS
 * (64 zeros). Changing, removing or reordering any entry breaks every MAC from there on, and
 * without the key nobody can recompute them. The key (at least 16 bytes) is kept outside the
 * database.
 *
 * The canonical text of an entry is unambiguous, because every field is length-prefixed:
 *
 *   gh-audit-v1;<field>;<field>;…   (seven fields, in this order)
 *
 * fields: id, timestamp, operator, surface, action, object, detail. A field is
 * `<byte length in decimal>:<bytes>`; a missing (NULL) string field is `-`. id and the
 * timestamp (microseconds since the Unix epoch, UTC) are written in decimal and length-
 * prefixed like the rest. So "a;b" as one field can never be read as two fields.
 */

#define GH_AUDIT_CHAIN_MAC_HEX_LEN 64
#define GH_AUDIT_CHAIN_MIN_KEY_LEN 16
#define GH_AUDIT_CHAIN_GENESIS \
  "0000000000000000000000000000000000000000000000000000000000000000"

char     *gh_audit_chain_hmac_sha256_hex (const guint8  *key,
                                          gsize          key_len,
                                          const guint8  *data,
                                          gsize          data_len);
char     *gh_audit_chain_canonical_entry (gint64         id,
                                          gint64         timestamp_usec,
                                          const char    *operator_name,
                                          const char    *surface,
                                          const char    *action,
                                          const char    *object,
                                          const char    *detail);
char     *gh_audit_chain_compute         (const guint8  *key,
                                          gsize          key_len,
                                          const char    *prev_mac_hex,
                                          const char    *canonical_entry,
                                          GError       **error);
gboolean  gh_audit_chain_verify          (const guint8  *key,
                                          gsize          key_len,
                                          const char    *prev_mac_hex,
                                          const char    *canonical_entry,
                                          const char    *mac_hex,
                                          GError       **error);

G_END_DECLS
