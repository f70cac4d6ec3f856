/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-audit-chain"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#include "gh-audit-chain.h"

#include "gh-error.h"

#define CHAIN_PREFIX "gh-audit-chain-v1\n"
#define ENTRY_PREFIX "gh-audit-v1"

static gboolean
is_mac_hex (const char *s)
{
  if (s == NULL || strlen (s) != GH_AUDIT_CHAIN_MAC_HEX_LEN)
    return FALSE;
  for (; *s != '\0'; s++) {
    if (!g_ascii_isxdigit (*s))
      return FALSE;
  }
  return TRUE;
}

static void
append_field (GString    *s,
              const char *value)
{
  g_string_append_c (s, ';');
  if (value == NULL) {
    g_string_append_c (s, '-');
    return;
  }
  g_string_append_printf (s, "%" G_GSIZE_FORMAT ":", strlen (value));
  g_string_append (s, value);
}

/**
 * gh_audit_chain_hmac_sha256_hex:
 * @key: (array length=key_len): the key
 * @data: (array length=data_len): the message
 *
 * Returns: (transfer full): HMAC-SHA256 of @data as 64 lower-case hex digits
 */
char *
gh_audit_chain_hmac_sha256_hex (const guint8 *key,
                                gsize         key_len,
                                const guint8 *data,
                                gsize         data_len)
{
  guint8 mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  char *hex;

  g_return_val_if_fail (key != NULL || key_len == 0, NULL);
  g_return_val_if_fail (data != NULL || data_len == 0, NULL);
  g_return_val_if_fail (key_len <= G_MAXINT, NULL);

  if (HMAC (EVP_sha256 (), key != NULL ? key : (const guint8 *)"", (int)key_len,
            data != NULL ? data : (const guint8 *)"", data_len, mac, &mac_len) == NULL)
    g_error ("HMAC-SHA256 is unavailable in the OpenSSL library");

  hex = g_malloc (mac_len * 2 + 1);
  for (unsigned int i = 0; i < mac_len; i++) {
    hex[2 * i] = "0123456789abcdef"[mac[i] >> 4];
    hex[2 * i + 1] = "0123456789abcdef"[mac[i] & 0xf];
  }
  hex[mac_len * 2] = '\0';
  OPENSSL_cleanse (mac, sizeof mac);
  return hex;
}

/**
 * gh_audit_chain_canonical_entry:
 * @timestamp_usec: when, in microseconds since the Unix epoch (UTC)
 * @operator_name: (nullable): who acted
 * @surface: (nullable): "gui", "cli", "system", …
 * @action: (nullable): what was done, e.g. "person.update"
 * @object: (nullable): what it was done to
 * @detail: (nullable): free text or JSON
 *
 * Returns: (transfer full): the canonical text described in gh-audit-chain.h
 */
char *
gh_audit_chain_canonical_entry (gint64      id,
                                gint64      timestamp_usec,
                                const char *operator_name,
                                const char *surface,
                                const char *action,
                                const char *object,
                                const char *detail)
{
  GString *s = g_string_new (ENTRY_PREFIX);
  char number[32];

  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, id);
  append_field (s, number);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, timestamp_usec);
  append_field (s, number);
  append_field (s, operator_name);
  append_field (s, surface);
  append_field (s, action);
  append_field (s, object);
  append_field (s, detail);

  return g_string_free (s, FALSE);
}

/**
 * gh_audit_chain_compute:
 * @key: (array length=key_len): the audit key, at least 16 bytes
 * @prev_mac_hex: (nullable): the previous entry's MAC, or %NULL (or "") for the first entry
 * @canonical_entry: from gh_audit_chain_canonical_entry()
 *
 * Returns: (transfer full) (nullable): this entry's MAC, 64 lower-case hex digits; %NULL with
 *   %GH_ERROR_INVALID_INPUT if the key is too short or @prev_mac_hex is not a MAC
 */
char *
gh_audit_chain_compute (const guint8  *key,
                        gsize          key_len,
                        const char    *prev_mac_hex,
                        const char    *canonical_entry,
                        GError       **error)
{
  g_autoptr(GString) message = NULL;
  g_autofree char *prev = NULL;

  g_return_val_if_fail (canonical_entry != NULL, NULL);

  if (key == NULL || key_len < GH_AUDIT_CHAIN_MIN_KEY_LEN) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The audit key is too short (%u bytes); it needs at least %d."),
                 (guint)key_len, GH_AUDIT_CHAIN_MIN_KEY_LEN);
    return NULL;
  }

  if (prev_mac_hex == NULL || *prev_mac_hex == '\0')
    prev_mac_hex = GH_AUDIT_CHAIN_GENESIS;

  if (!is_mac_hex (prev_mac_hex)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The previous audit MAC “%s” is not %d hexadecimal digits; the audit log "
                   "is damaged."), prev_mac_hex, GH_AUDIT_CHAIN_MAC_HEX_LEN);
    return NULL;
  }
  prev = g_ascii_strdown (prev_mac_hex, -1);

  message = g_string_new (CHAIN_PREFIX);
  g_string_append (message, prev);
  g_string_append_c (message, '\n');
  g_string_append (message, canonical_entry);

  return gh_audit_chain_hmac_sha256_hex (key, key_len, (const guint8 *)message->str,
                                         message->len);
}

/**
 * gh_audit_chain_verify:
 * @mac_hex: the MAC stored with the entry
 *
 * Recomputes the entry's MAC and compares it, in constant time, with @mac_hex.
 *
 * Returns: %TRUE if they match; otherwise %FALSE with %GH_ERROR_AUTH_FAILED (the entry, the
 *   previous MAC or the key differ from what was chained) or %GH_ERROR_INVALID_INPUT.
 */
gboolean
gh_audit_chain_verify (const guint8  *key,
                       gsize          key_len,
                       const char    *prev_mac_hex,
                       const char    *canonical_entry,
                       const char    *mac_hex,
                       GError       **error)
{
  g_autofree char *expected = NULL;
  g_autofree char *given = NULL;

  expected = gh_audit_chain_compute (key, key_len, prev_mac_hex, canonical_entry, error);
  if (expected == NULL)
    return FALSE;

  if (!is_mac_hex (mac_hex)) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                         _("The audit entry’s MAC is missing or malformed; the entry was "
                           "changed."));
    return FALSE;
  }

  given = g_ascii_strdown (mac_hex, -1);
  if (CRYPTO_memcmp (expected, given, GH_AUDIT_CHAIN_MAC_HEX_LEN) != 0) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                         _("The audit entry does not match its MAC: the entry or the one before "
                           "it was changed or removed."));
    return FALSE;
  }

  return TRUE;
}
