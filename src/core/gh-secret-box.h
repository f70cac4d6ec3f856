/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Sealing small secrets (device passwords) and encrypted exports.
 *
 * Key box, version 1, for secrets kept in the database under a 32-byte key held outside it:
 *
 *   byte 0       version, 0x01
 *   bytes 1–12   random nonce (fresh for every seal)
 *   …            AES-256-GCM ciphertext, as long as the plaintext
 *   last 16      GCM tag
 *
 * The version byte is authenticated as associated data, so it cannot be swapped either.
 *
 * Passphrase box, version 2, for files a person carries (encrypted exports). The key is
 * derived from the passphrase with scrypt and a random 16-byte salt, both kept in the header:
 *
 *   byte 0       version, 0x02
 *   byte 1       log2 of scrypt N (GH_SECRET_BOX_SCRYPT_LOG2_N = 15 when sealing;
 *                10–18 accepted when opening)
 *   byte 2       scrypt r (8 when sealing; 1–8 accepted)
 *   byte 3       scrypt p (1 when sealing; 1–4 accepted)
 *   bytes 4–19   salt
 *   bytes 20–31  random nonce
 *   …            ciphertext, then 16-byte tag
 *
 * Bytes 0–19 are authenticated as associated data. The limits on N, r and p bound the memory
 * (at most 256 MiB) a damaged or hostile file can make us spend.
 *
 * Opening fails with %GH_ERROR_AUTH_FAILED when the key or passphrase is wrong or any byte was
 * changed (GCM cannot tell those apart), and with %GH_ERROR_INVALID_INPUT when the blob is too
 * short or of an unknown version.
 */

#define GH_SECRET_BOX_KEY_LEN         32
#define GH_SECRET_BOX_NONCE_LEN       12
#define GH_SECRET_BOX_TAG_LEN         16
#define GH_SECRET_BOX_VERSION_KEY     1
#define GH_SECRET_BOX_VERSION_PASS    2
#define GH_SECRET_BOX_SALT_LEN        16
#define GH_SECRET_BOX_SCRYPT_LOG2_N   15
#define GH_SECRET_BOX_SCRYPT_R        8
#define GH_SECRET_BOX_SCRYPT_P        1

gboolean  gh_secret_box_generate_key         (guint8        *out_key,
                                              GError       **error);
GBytes   *gh_secret_box_seal                 (const guint8  *key,
                                              gsize          key_len,
                                              const guint8  *plaintext,
                                              gsize          plaintext_len,
                                              GError       **error);
GBytes   *gh_secret_box_open                 (const guint8  *key,
                                              gsize          key_len,
                                              const guint8  *blob,
                                              gsize          blob_len,
                                              GError       **error);
char     *gh_secret_box_seal_string          (const guint8  *key,
                                              gsize          key_len,
                                              const char    *secret,
                                              GError       **error);
char     *gh_secret_box_open_string          (const guint8  *key,
                                              gsize          key_len,
                                              const char    *sealed_base64,
                                              GError       **error);

gboolean  gh_secret_box_derive_key           (const char    *passphrase,
                                              const guint8  *salt,
                                              gsize          salt_len,
                                              guint64        n,
                                              guint32        r,
                                              guint32        p,
                                              guint8        *out_key,
                                              gsize          out_len,
                                              GError       **error);
GBytes   *gh_secret_box_seal_with_passphrase (const char    *passphrase,
                                              const guint8  *plaintext,
                                              gsize          plaintext_len,
                                              GError       **error);
GBytes   *gh_secret_box_open_with_passphrase (const char    *passphrase,
                                              const guint8  *blob,
                                              gsize          blob_len,
                                              GError       **error);

G_END_DECLS
