/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Operator password hashing.
 *
 * Operator passwords are stored only as PBKDF2-HMAC-SHA256 hashes with a 16-byte random salt
 * (from the OpenSSL random generator) and GH_KDF_ITERATIONS (600,000) iterations, the OWASP
 * 2023 figure for this function. The stored text describes itself:
 *
 *   pbkdf2-sha256$<iterations>$<salt, base64>$<32-byte hash, base64>
 *
 * with standard base64 (A–Z a–z 0–9 + /, `=` padding). gh_kdf_verify_password() compares in
 * constant time. gh_kdf_needs_rehash() tells the caller to store a fresh hash after a
 * successful sign-in when the stored one is weaker than today's setting.
 *
 * gh_kdf_hash_password_with_iterations() exists so tests and benchmarks can use a small
 * count explicitly; product code calls gh_kdf_hash_password().
 */

#define GH_KDF_SCHEME          "pbkdf2-sha256"
#define GH_KDF_ITERATIONS      600000
#define GH_KDF_MAX_ITERATIONS  100000000
#define GH_KDF_SALT_LEN        16
#define GH_KDF_HASH_LEN        32

gboolean  gh_kdf_pbkdf2_sha256                 (const char    *password,
                                                gsize          password_len,
                                                const guint8  *salt,
                                                gsize          salt_len,
                                                guint          iterations,
                                                guint8        *out,
                                                gsize          out_len,
                                                GError       **error);
char     *gh_kdf_hash_password                 (const char    *password,
                                                GError       **error);
char     *gh_kdf_hash_password_with_iterations (const char    *password,
                                                guint          iterations,
                                                GError       **error);
gboolean  gh_kdf_verify_password               (const char    *password,
                                                const char    *encoded,
                                                GError       **error);
gboolean  gh_kdf_needs_rehash                  (const char    *encoded);

G_END_DECLS
