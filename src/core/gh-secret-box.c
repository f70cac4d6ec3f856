/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-secret-box"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <string.h>

#include "gh-secret-box.h"

#include "gh-crypto-private.h"
#include "gh-error.h"

#define PASS_HEADER_LEN (4 + GH_SECRET_BOX_SALT_LEN)
#define MIN_LOG2_N      10
#define MAX_LOG2_N      18
#define MAX_R           8
#define MAX_P           4

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_CIPHER_CTX, EVP_CIPHER_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_KDF, EVP_KDF_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_KDF_CTX, EVP_KDF_CTX_free)

static void
set_crypto_error (GError **error)
{
  g_set_error_literal (error, GH_ERROR, GH_ERROR_FAILED,
                       _("The cryptography library refused to encrypt or decrypt; check the "
                         "OpenSSL installation."));
}

static gboolean
check_key (gsize    key_len,
           GError **error)
{
  if (key_len == GH_SECRET_BOX_KEY_LEN)
    return TRUE;

  g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
               _("The encryption key has %u bytes; it must have exactly %d."),
               (guint)key_len, GH_SECRET_BOX_KEY_LEN);
  return FALSE;
}

/* Appends nonce ‖ ciphertext ‖ tag to @out, authenticating @aad. */
static gboolean
gcm_seal (const guint8  *key,
          const guint8  *aad,
          gsize          aad_len,
          const guint8  *plaintext,
          gsize          plaintext_len,
          GByteArray    *out,
          GError       **error)
{
  g_autoptr(EVP_CIPHER_CTX) ctx = EVP_CIPHER_CTX_new ();
  guint8 nonce[GH_SECRET_BOX_NONCE_LEN];
  guint offset;
  int len = 0, final_len = 0;

  if (plaintext_len > G_MAXINT - 64) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("The data is too large to encrypt in one piece."));
    return FALSE;
  }

  if (!gh_crypto_random_bytes (nonce, sizeof nonce, error))
    return FALSE;

  g_byte_array_append (out, nonce, sizeof nonce);
  offset = out->len;
  g_byte_array_set_size (out, offset + plaintext_len + GH_SECRET_BOX_TAG_LEN);

  if (ctx == NULL ||
      EVP_EncryptInit_ex (ctx, EVP_aes_256_gcm (), NULL, NULL, NULL) != 1 ||
      EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_SET_IVLEN, sizeof nonce, NULL) != 1 ||
      EVP_EncryptInit_ex (ctx, NULL, NULL, key, nonce) != 1 ||
      EVP_EncryptUpdate (ctx, NULL, &len, aad, (int)aad_len) != 1 ||
      (plaintext_len > 0 &&
       EVP_EncryptUpdate (ctx, out->data + offset, &len, plaintext, (int)plaintext_len) != 1) ||
      EVP_EncryptFinal_ex (ctx, out->data + offset + len, &final_len) != 1 ||
      EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_GET_TAG, GH_SECRET_BOX_TAG_LEN,
                           out->data + offset + plaintext_len) != 1) {
    set_crypto_error (error);
    return FALSE;
  }

  return TRUE;
}

/* Opens nonce ‖ ciphertext ‖ tag (@sealed, at least nonce + tag long). */
static GBytes *
gcm_open (const guint8  *key,
          const guint8  *aad,
          gsize          aad_len,
          const guint8  *sealed,
          gsize          sealed_len,
          const char    *auth_message,
          GError       **error)
{
  g_autoptr(EVP_CIPHER_CTX) ctx = EVP_CIPHER_CTX_new ();
  const guint8 *nonce = sealed;
  const guint8 *ciphertext = sealed + GH_SECRET_BOX_NONCE_LEN;
  gsize ciphertext_len = sealed_len - GH_SECRET_BOX_NONCE_LEN - GH_SECRET_BOX_TAG_LEN;
  guint8 *tag = (guint8 *)ciphertext + ciphertext_len;
  g_autofree guint8 *plain = g_malloc (ciphertext_len + 1);
  int len = 0, final_len = 0;

  if (ctx == NULL ||
      EVP_DecryptInit_ex (ctx, EVP_aes_256_gcm (), NULL, NULL, NULL) != 1 ||
      EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_SET_IVLEN, GH_SECRET_BOX_NONCE_LEN, NULL) != 1 ||
      EVP_DecryptInit_ex (ctx, NULL, NULL, key, nonce) != 1 ||
      EVP_DecryptUpdate (ctx, NULL, &len, aad, (int)aad_len) != 1 ||
      (ciphertext_len > 0 &&
       EVP_DecryptUpdate (ctx, plain, &len, ciphertext, (int)ciphertext_len) != 1) ||
      EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_SET_TAG, GH_SECRET_BOX_TAG_LEN, tag) != 1) {
    set_crypto_error (error);
    return NULL;
  }

  if (EVP_DecryptFinal_ex (ctx, plain + len, &final_len) != 1) {
    OPENSSL_cleanse (plain, ciphertext_len);
    g_set_error_literal (error, GH_ERROR, GH_ERROR_AUTH_FAILED, auth_message);
    return NULL;
  }

  return g_bytes_new_take (g_steal_pointer (&plain), ciphertext_len);
}

static gboolean
check_version (const guint8  *blob,
               gsize          blob_len,
               guint8         version,
               gsize          header_len,
               GError       **error)
{
  if (blob == NULL || blob_len < 1) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("There is no encrypted data to open."));
    return FALSE;
  }

  if (blob[0] != version) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The encrypted data has format version %u, but version %u was expected; "
                   "it was not made by this kind of seal or by a newer Gatehouse."),
                 blob[0], version);
    return FALSE;
  }

  if (blob_len < header_len + GH_SECRET_BOX_NONCE_LEN + GH_SECRET_BOX_TAG_LEN) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The encrypted data is cut short (%u bytes); it cannot be opened."),
                 (guint)blob_len);
    return FALSE;
  }

  return TRUE;
}

/**
 * gh_secret_box_generate_key:
 * @out_key: (out caller-allocates) (array fixed-size=32): receives a random key
 */
gboolean
gh_secret_box_generate_key (guint8  *out_key,
                            GError **error)
{
  g_return_val_if_fail (out_key != NULL, FALSE);

  return gh_crypto_random_bytes (out_key, GH_SECRET_BOX_KEY_LEN, error);
}

/**
 * gh_secret_box_seal:
 * @key: (array length=key_len): a 32-byte key
 * @plaintext: (array length=plaintext_len) (nullable): the secret
 *
 * Returns: (transfer full) (nullable): a version-1 box, 29 bytes longer than @plaintext
 */
GBytes *
gh_secret_box_seal (const guint8  *key,
                    gsize          key_len,
                    const guint8  *plaintext,
                    gsize          plaintext_len,
                    GError       **error)
{
  g_autoptr(GByteArray) out = NULL;
  const guint8 version = GH_SECRET_BOX_VERSION_KEY;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (plaintext != NULL || plaintext_len == 0, NULL);

  if (!check_key (key_len, error))
    return NULL;

  out = g_byte_array_new ();
  g_byte_array_append (out, &version, 1);
  if (!gcm_seal (key, &version, 1, plaintext, plaintext_len, out, error))
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * gh_secret_box_open:
 * @key: (array length=key_len): the 32-byte key it was sealed with
 * @blob: (array length=blob_len): a version-1 box
 *
 * Returns: (transfer full) (nullable): the plaintext
 */
GBytes *
gh_secret_box_open (const guint8  *key,
                    gsize          key_len,
                    const guint8  *blob,
                    gsize          blob_len,
                    GError       **error)
{
  g_return_val_if_fail (key != NULL, NULL);

  if (!check_key (key_len, error))
    return NULL;

  if (!check_version (blob, blob_len, GH_SECRET_BOX_VERSION_KEY, 1, error))
    return NULL;

  return gcm_open (key, blob, 1, blob + 1, blob_len - 1,
                   _("The secret could not be decrypted: the key is wrong or the stored data "
                     "was changed. Enter the device password again."),
                   error);
}

/**
 * gh_secret_box_seal_string:
 * @secret: a NUL-terminated secret, e.g. a device password
 *
 * Returns: (transfer full) (nullable): the version-1 box in base64, for a text column
 */
char *
gh_secret_box_seal_string (const guint8  *key,
                           gsize          key_len,
                           const char    *secret,
                           GError       **error)
{
  g_autoptr(GBytes) sealed = NULL;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (secret != NULL, NULL);

  sealed = gh_secret_box_seal (key, key_len, (const guint8 *)secret, strlen (secret), error);
  if (sealed == NULL)
    return NULL;

  data = g_bytes_get_data (sealed, &len);
  return g_base64_encode (data, len);
}

/**
 * gh_secret_box_open_string:
 * @sealed_base64: text from gh_secret_box_seal_string()
 *
 * Returns: (transfer full) (nullable): the secret; the caller should wipe it after use
 */
char *
gh_secret_box_open_string (const guint8  *key,
                           gsize          key_len,
                           const char    *sealed_base64,
                           GError       **error)
{
  g_autofree guint8 *blob = NULL;
  g_autoptr(GBytes) plain = NULL;
  gsize blob_len = 0, len;
  const char *data;

  blob = gh_crypto_base64_decode (sealed_base64, &blob_len);
  if (blob == NULL) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("The stored secret is not valid base64 text; enter the device "
                           "password again."));
    return NULL;
  }

  plain = gh_secret_box_open (key, key_len, blob, blob_len, error);
  if (plain == NULL)
    return NULL;

  data = g_bytes_get_data (plain, &len);
  if (memchr (data, '\0', len) != NULL || !g_utf8_validate_len (data, len, NULL)) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("The stored secret is not text; enter the device password again."));
    return NULL;
  }

  return g_strndup (data, len);
}

/**
 * gh_secret_box_derive_key:
 * @passphrase: the passphrase (UTF-8, not empty)
 * @salt: (array length=salt_len): random salt, at least 16 bytes
 * @n: scrypt cost, a power of two, 2^10 to 2^18
 * @r: scrypt block size, 1 to 8
 * @p: scrypt parallelism, 1 to 4
 * @out_key: (array length=out_len): receives the key
 *
 * Derives a key from a passphrase with scrypt (RFC 7914).
 */
gboolean
gh_secret_box_derive_key (const char    *passphrase,
                          const guint8  *salt,
                          gsize          salt_len,
                          guint64        n,
                          guint32        r,
                          guint32        p,
                          guint8        *out_key,
                          gsize          out_len,
                          GError       **error)
{
  g_autoptr(EVP_KDF) kdf = NULL;
  g_autoptr(EVP_KDF_CTX) ctx = NULL;
  OSSL_PARAM params[6];

  g_return_val_if_fail (salt != NULL, FALSE);
  g_return_val_if_fail (out_key != NULL && out_len > 0, FALSE);

  if (passphrase == NULL || *passphrase == '\0') {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Enter a passphrase."));
    return FALSE;
  }

  if (n < (1u << MIN_LOG2_N) || n > (1u << MAX_LOG2_N) || (n & (n - 1)) != 0 ||
      r < 1 || r > MAX_R || p < 1 || p > MAX_P || salt_len < 8) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("The key derivation settings are out of range; the data was not "
                           "made by Gatehouse or was changed."));
    return FALSE;
  }

  params[0] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_PASSWORD, (char *)passphrase,
                                                 strlen (passphrase));
  params[1] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_SALT, (guint8 *)salt, salt_len);
  params[2] = OSSL_PARAM_construct_uint64 (OSSL_KDF_PARAM_SCRYPT_N, &n);
  params[3] = OSSL_PARAM_construct_uint32 (OSSL_KDF_PARAM_SCRYPT_R, &r);
  params[4] = OSSL_PARAM_construct_uint32 (OSSL_KDF_PARAM_SCRYPT_P, &p);
  params[5] = OSSL_PARAM_construct_end ();

  kdf = EVP_KDF_fetch (NULL, "SCRYPT", NULL);
  ctx = kdf != NULL ? EVP_KDF_CTX_new (kdf) : NULL;
  if (ctx == NULL || EVP_KDF_derive (ctx, out_key, out_len, params) != 1) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_FAILED,
                         _("The key could not be derived from the passphrase; the system may "
                           "be short of memory."));
    return FALSE;
  }

  return TRUE;
}

/**
 * gh_secret_box_seal_with_passphrase:
 *
 * Returns: (transfer full) (nullable): a version-2 box (see gh-secret-box.h)
 */
GBytes *
gh_secret_box_seal_with_passphrase (const char    *passphrase,
                                    const guint8  *plaintext,
                                    gsize          plaintext_len,
                                    GError       **error)
{
  g_autoptr(GByteArray) out = NULL;
  guint8 header[PASS_HEADER_LEN];
  guint8 key[GH_SECRET_BOX_KEY_LEN];
  gboolean ok;

  g_return_val_if_fail (plaintext != NULL || plaintext_len == 0, NULL);

  header[0] = GH_SECRET_BOX_VERSION_PASS;
  header[1] = GH_SECRET_BOX_SCRYPT_LOG2_N;
  header[2] = GH_SECRET_BOX_SCRYPT_R;
  header[3] = GH_SECRET_BOX_SCRYPT_P;
  if (!gh_crypto_random_bytes (header + 4, GH_SECRET_BOX_SALT_LEN, error))
    return NULL;

  if (!gh_secret_box_derive_key (passphrase, header + 4, GH_SECRET_BOX_SALT_LEN,
                                 G_GUINT64_CONSTANT (1) << header[1], header[2], header[3],
                                 key, sizeof key, error))
    return NULL;

  out = g_byte_array_new ();
  g_byte_array_append (out, header, sizeof header);
  ok = gcm_seal (key, header, sizeof header, plaintext, plaintext_len, out, error);
  OPENSSL_cleanse (key, sizeof key);
  if (!ok)
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * gh_secret_box_open_with_passphrase:
 *
 * Returns: (transfer full) (nullable): the plaintext of a version-2 box
 */
GBytes *
gh_secret_box_open_with_passphrase (const char    *passphrase,
                                    const guint8  *blob,
                                    gsize          blob_len,
                                    GError       **error)
{
  guint8 key[GH_SECRET_BOX_KEY_LEN];
  GBytes *plain;

  if (!check_version (blob, blob_len, GH_SECRET_BOX_VERSION_PASS, PASS_HEADER_LEN, error))
    return NULL;

  if (blob[1] < MIN_LOG2_N || blob[1] > MAX_LOG2_N) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("The key derivation settings are out of range; the data was not "
                           "made by Gatehouse or was changed."));
    return NULL;
  }

  if (!gh_secret_box_derive_key (passphrase, blob + 4, GH_SECRET_BOX_SALT_LEN,
                                 G_GUINT64_CONSTANT (1) << blob[1], blob[2], blob[3],
                                 key, sizeof key, error))
    return NULL;

  plain = gcm_open (key, blob, PASS_HEADER_LEN, blob + PASS_HEADER_LEN,
                    blob_len - PASS_HEADER_LEN,
                    _("The file could not be decrypted: the passphrase is wrong or the file "
                      "was changed."),
                    error);
  OPENSSL_cleanse (key, sizeof key);
  return plain;
}
