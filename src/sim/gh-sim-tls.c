/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sim-tls"

#include "config.h"

#include "gh-sim-tls.h"

#include "gh-sim-error.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

/* Self-signed certificates for devices in HTTPS mode. Each call makes a fresh P-256 key, so a
 * new certificate also has a new public key: exactly what a replaced device looks like. */

static char *
bio_to_string (BIO *bio)
{
  char *data = NULL;
  long len = BIO_get_mem_data (bio, &data);

  return g_strndup (data, len);
}

GTlsCertificate *
gh_sim_tls_generate_certificate (const char  *common_name,
                                 GError     **error)
{
  EVP_PKEY *key = NULL;
  X509 *cert = NULL;
  X509_NAME *name;
  BIO *bio = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *both = NULL;
  GTlsCertificate *result = NULL;

  g_return_val_if_fail (common_name != NULL, NULL);

  key = EVP_EC_gen ("P-256");
  cert = X509_new ();
  if (key == NULL || cert == NULL)
    goto fail;
  X509_set_version (cert, 2);
  ASN1_INTEGER_set (X509_get_serialNumber (cert), (long) (g_random_int () & 0x7fffffff));
  X509_gmtime_adj (X509_getm_notBefore (cert), -3600);
  X509_gmtime_adj (X509_getm_notAfter (cert), 10L * 365 * 24 * 3600);
  X509_set_pubkey (cert, key);
  name = X509_get_subject_name (cert);
  X509_NAME_add_entry_by_txt (name, "O", MBSTRING_UTF8, (const unsigned char *) "gatehouse-sim",
                              -1, -1, 0);
  X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8, (const unsigned char *) common_name,
                              -1, -1, 0);
  X509_set_issuer_name (cert, name);
  if (X509_sign (cert, key, EVP_sha256 ()) == 0)
    goto fail;

  bio = BIO_new (BIO_s_mem ());
  if (!PEM_write_bio_X509 (bio, cert))
    goto fail;
  cert_pem = bio_to_string (bio);
  BIO_free (bio);
  bio = BIO_new (BIO_s_mem ());
  if (!PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL))
    goto fail;
  key_pem = bio_to_string (bio);

  both = g_strconcat (cert_pem, key_pem, NULL);
  result = g_tls_certificate_new_from_pem (both, -1, error);
  if (result == NULL)
    g_prefix_error (error, "The generated certificate for %s was not accepted: ", common_name);
  goto out;

fail:
  g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_IO,
               "Could not generate a certificate for %s with OpenSSL", common_name);
out:
  BIO_free (bio);
  X509_free (cert);
  EVP_PKEY_free (key);
  return result;
}

/* The public-key pin of @certificate in curl's "sha256//BASE64" form, so tests and the
 * control interface can show what a client should have pinned. */
char *
gh_sim_tls_dup_pin (GTlsCertificate  *certificate,
                    GError          **error)
{
  g_autoptr(GByteArray) der = NULL;
  const unsigned char *p;
  X509 *cert;
  unsigned char *spki = NULL;
  int len;
  guchar digest[32];
  gsize digest_len = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *b64 = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_IO, "The certificate has no DER form");
    return NULL;
  }
  p = der->data;
  cert = d2i_X509 (NULL, &p, der->len);
  if (cert == NULL) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_IO, "The certificate could not be parsed");
    return NULL;
  }
  len = i2d_PUBKEY (X509_get0_pubkey (cert), &spki);
  X509_free (cert);
  if (len <= 0) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_IO, "The public key could not be encoded");
    return NULL;
  }
  g_checksum_update (checksum, spki, len);
  OPENSSL_free (spki);
  g_checksum_get_digest (checksum, digest, &digest_len);
  b64 = g_base64_encode (digest, digest_len);
  return g_strconcat ("sha256//", b64, NULL);
}
