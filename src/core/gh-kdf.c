/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-kdf"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>

#include "gh-kdf.h"

#include "gh-crypto-private.h"
#include "gh-error.h"

#define MIN_SALT_LEN 8
#define MAX_SALT_LEN 64

typedef struct {
  guint   iterations;
  guint8 *salt;      /* (owned) */
  gsize   salt_len;
  guint8 *hash;      /* (owned) */
  gsize   hash_len;
} Parsed;

static void
parsed_clear (Parsed *p)
{
  g_clear_pointer (&p->salt, g_free);
  if (p->hash != NULL)
    OPENSSL_cleanse (p->hash, p->hash_len);
  g_clear_pointer (&p->hash, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parsed, parsed_clear)

static gboolean
parse_encoded (const char *encoded,
               Parsed     *out)
{
  g_auto(GStrv) parts = NULL;
  guint64 iterations;

  if (encoded == NULL)
    return FALSE;

  parts = g_strsplit (encoded, "$", -1);
  if (g_strv_length (parts) != 4 || strcmp (parts[0], GH_KDF_SCHEME) != 0)
    return FALSE;

  if (parts[1][0] == '0' ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, GH_KDF_MAX_ITERATIONS, &iterations, NULL))
    return FALSE;

  out->salt = gh_crypto_base64_decode (parts[2], &out->salt_len);
  out->hash = gh_crypto_base64_decode (parts[3], &out->hash_len);
  out->iterations = (guint)iterations;

  return out->salt != NULL && out->hash != NULL &&
         out->salt_len >= MIN_SALT_LEN && out->salt_len <= MAX_SALT_LEN &&
         out->hash_len == GH_KDF_HASH_LEN;
}

/**
 * gh_kdf_pbkdf2_sha256:
 * @password: (array length=password_len): the password bytes
 * @iterations: at least 1
 * @out: (array length=out_len): receives the derived key
 *
 * Plain PBKDF2-HMAC-SHA256 (RFC 8018), for known-answer tests and for the encoders below.
 */
gboolean
gh_kdf_pbkdf2_sha256 (const char    *password,
                      gsize          password_len,
                      const guint8  *salt,
                      gsize          salt_len,
                      guint          iterations,
                      guint8        *out,
                      gsize          out_len,
                      GError       **error)
{
  g_return_val_if_fail (password != NULL || password_len == 0, FALSE);
  g_return_val_if_fail (salt != NULL || salt_len == 0, FALSE);
  g_return_val_if_fail (out != NULL && out_len > 0, FALSE);

  if (iterations < 1 || iterations > GH_KDF_MAX_ITERATIONS) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The iteration count %u is out of range; use 1 to %d."),
                 iterations, GH_KDF_MAX_ITERATIONS);
    return FALSE;
  }

  if (password_len > G_MAXINT || salt_len > G_MAXINT || out_len > G_MAXINT ||
      PKCS5_PBKDF2_HMAC (password != NULL ? password : "", (int)password_len,
                         salt, (int)salt_len, (int)iterations, EVP_sha256 (),
                         (int)out_len, out) != 1) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_FAILED,
                         _("The password could not be hashed; the cryptography library "
                           "refused the request."));
    return FALSE;
  }

  return TRUE;
}

/**
 * gh_kdf_hash_password:
 * @password: the operator's password (UTF-8)
 *
 * Returns: (transfer full) (nullable): the encoded hash with %GH_KDF_ITERATIONS iterations
 *   and a fresh random salt
 */
char *
gh_kdf_hash_password (const char  *password,
                      GError     **error)
{
  return gh_kdf_hash_password_with_iterations (password, GH_KDF_ITERATIONS, error);
}

/**
 * gh_kdf_hash_password_with_iterations:
 * @iterations: 1 to %GH_KDF_MAX_ITERATIONS
 *
 * Like gh_kdf_hash_password() with an explicit iteration count. Hashes made with fewer than
 * %GH_KDF_ITERATIONS iterations verify, but gh_kdf_needs_rehash() returns %TRUE for them.
 */
char *
gh_kdf_hash_password_with_iterations (const char  *password,
                                      guint        iterations,
                                      GError     **error)
{
  guint8 salt[GH_KDF_SALT_LEN];
  guint8 hash[GH_KDF_HASH_LEN];
  g_autofree char *salt_b64 = NULL;
  g_autofree char *hash_b64 = NULL;

  g_return_val_if_fail (password != NULL, NULL);

  if (!gh_crypto_random_bytes (salt, sizeof salt, error))
    return NULL;

  if (!gh_kdf_pbkdf2_sha256 (password, strlen (password), salt, sizeof salt, iterations,
                             hash, sizeof hash, error))
    return NULL;

  salt_b64 = g_base64_encode (salt, sizeof salt);
  hash_b64 = g_base64_encode (hash, sizeof hash);
  OPENSSL_cleanse (hash, sizeof hash);

  return g_strdup_printf ("%s$%u$%s$%s", GH_KDF_SCHEME, iterations, salt_b64, hash_b64);
}

/**
 * gh_kdf_verify_password:
 * @password: what the operator typed
 * @encoded: the stored hash
 *
 * Returns: %TRUE if @password matches. Otherwise %FALSE with %GH_ERROR_AUTH_FAILED when it
 *   does not match, or %GH_ERROR_INVALID_INPUT when @encoded is not a hash this version can
 *   read.
 */
gboolean
gh_kdf_verify_password (const char  *password,
                        const char  *encoded,
                        GError     **error)
{
  g_auto(Parsed) parsed = { 0 };
  guint8 hash[GH_KDF_HASH_LEN];
  gboolean match;

  g_return_val_if_fail (password != NULL, FALSE);

  if (!parse_encoded (encoded, &parsed)) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("The stored password hash is damaged or of an unknown kind; an "
                           "administrator must set a new password for this account."));
    return FALSE;
  }

  if (!gh_kdf_pbkdf2_sha256 (password, strlen (password), parsed.salt, parsed.salt_len,
                             parsed.iterations, hash, sizeof hash, error))
    return FALSE;

  match = CRYPTO_memcmp (hash, parsed.hash, sizeof hash) == 0;
  OPENSSL_cleanse (hash, sizeof hash);

  if (!match) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                         _("The password is not correct."));
    return FALSE;
  }
  return TRUE;
}

/**
 * gh_kdf_needs_rehash:
 *
 * Returns: %TRUE if @encoded should be replaced by a fresh gh_kdf_hash_password(): it uses
 *   fewer than %GH_KDF_ITERATIONS iterations, a salt shorter than %GH_KDF_SALT_LEN bytes, or
 *   cannot be read at all
 */
gboolean
gh_kdf_needs_rehash (const char *encoded)
{
  g_auto(Parsed) parsed = { 0 };

  if (!parse_encoded (encoded, &parsed))
    return TRUE;

  return parsed.iterations < GH_KDF_ITERATIONS || parsed.salt_len < GH_KDF_SALT_LEN;
}
