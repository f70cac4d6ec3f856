/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-device-secrets"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string.h>

#include "gh-device-secrets.h"
#include "gh-database-private.h"
#include "gh-device-store.h"
#include "gh-key-store.h"

#include "gh-error.h"
#include "gh-secret-box.h"

/*
 * Device passwords and device certificates.
 *
 * Passwords: gh_device_secrets_set() seals a device password with the secret key of the
 * data folder's #GhKeyStore (AES-256-GCM, fresh nonce) and stores only the sealed box in
 * devices.secret_enc. gh_device_secrets_dup() opens it on demand for the protocol layer, and
 * needs %GH_PERMISSION_DEVICES_WRITE (installers and administrators; drivers use a system
 * session). Neither function logs the password nor puts it in an audit row.
 *
 * Certificates (trust on first use): a driver that talks HTTPS to a device computes the
 * SHA-256 of the leaf certificate's SubjectPublicKeyInfo (64 hex digits) and calls
 * gh_device_secrets_check_pin(). The first time, the pin is stored; later, a different key
 * is refused with a %GH_ERROR_AUTH_FAILED error that says the certificate changed. An
 * installer who knows the device was replaced or re-keyed clears the pin.
 *
 * Export: gh_device_secrets_export() writes the device list as JSON, without passwords; with
 * a passphrase it includes them and seals the whole document with the passphrase (scrypt +
 * AES-256-GCM, gh-secret-box.h).
 */

#define EXPORT_FORMAT "gatehouse-devices"

static GhKeyStore *
require_keys (GhDatabase  *database,
              GError     **error)
{
  GhKeyStore *keys = gh_key_store_get_for_database (database);

  if (keys == NULL)
    g_set_error_literal (error, GH_ERROR, GH_ERROR_FAILED,
                         _("Device passwords cannot be stored or read: the data folder’s key is "
                           "not loaded. Open the database together with its key store."));

  return keys;
}

/**
 * gh_device_secrets_set:
 * @session: needs %GH_PERMISSION_DEVICES_WRITE
 * @password: (nullable): the device's password, or %NULL to forget it
 *
 * Seals and stores the password of a device.
 */
gboolean
gh_device_secrets_set (GhDatabase  *database,
                       GhSession   *session,
                       gint64       device_id,
                       const char  *password,
                       GError     **error)
{
  g_autoptr(GhDeviceStore) devices = NULL;
  g_autoptr(GBytes) sealed = NULL;
  GhKeyStore *keys;

  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (!gh_session_check (session, GH_PERMISSION_DEVICES_WRITE, error))
    return FALSE;

  if (password != NULL) {
    if (!g_utf8_validate (password, -1, NULL)) {
      g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                           _("The device password is not valid text."));
      return FALSE;
    }

    keys = require_keys (database, error);
    if (keys == NULL)
      return FALSE;

    sealed = gh_key_store_seal_secret (keys, password, error);
    if (sealed == NULL)
      return FALSE;
  }

  devices = gh_device_store_new (database);

  return gh_device_store_set_secret (devices, session, device_id, sealed, error);
}

/**
 * gh_device_secrets_dup:
 * @session: needs %GH_PERMISSION_DEVICES_WRITE
 *
 * Returns: (transfer full): the device's password (wipe it after use), or %NULL with @error
 *   set (%GH_ERROR_NOT_FOUND when none is stored)
 */
char *
gh_device_secrets_dup (GhDatabase  *database,
                       GhSession   *session,
                       gint64       device_id,
                       GError     **error)
{
  g_autoptr(GhDeviceStore) devices = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GError) local_error = NULL;
  GhKeyStore *keys;
  char *secret;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);
  g_return_val_if_fail (GH_IS_SESSION (session), NULL);

  if (!gh_session_check (session, GH_PERMISSION_DEVICES_WRITE, error))
    return NULL;

  keys = require_keys (database, error);
  if (keys == NULL)
    return NULL;

  devices = gh_device_store_new (database);
  sealed = gh_device_store_get_secret (devices, session, device_id, &local_error);
  if (sealed == NULL) {
    if (local_error != NULL)
      g_propagate_error (error, g_steal_pointer (&local_error));
    else
      g_set_error_literal (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                           _("No password is stored for this device. Enter it in the device’s "
                             "settings."));
    return NULL;
  }

  secret = gh_key_store_open_secret (keys, sealed, &local_error);
  if (secret == NULL) {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("The stored password of device %" G_GINT64_FORMAT " cannot be decrypted "
                   "(%s). It was sealed under another key or damaged; enter it again."),
                 device_id, local_error->message);
    return NULL;
  }

  return secret;
}

static gboolean
check_pin_text (const char  *spki_sha256,
                GError     **error)
{
  if (spki_sha256 == NULL || strlen (spki_sha256) != GH_DEVICE_PIN_HEX_LEN)
    goto bad;

  for (const char *p = spki_sha256; *p != '\0'; p++) {
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      goto bad;
  }

  return TRUE;

bad:
  g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
               _("A certificate pin is the SHA-256 of the public key as %d lower-case hex "
                 "digits."), GH_DEVICE_PIN_HEX_LEN);
  return FALSE;
}

static gboolean
read_pin (GhDatabase  *database,
          gint64       device_id,
          char       **out_pin,
          char       **out_subject,
          GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  stmt = gh_database_prepare (database,
                              "SELECT spki_sha256, subject FROM device_certificates "
                              "WHERE device_id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, device_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW) {
    *out_pin = gh_stmt_dup_text (stmt, 0);
    if (out_subject != NULL)
      *out_subject = gh_stmt_dup_text (stmt, 1);
    return TRUE;
  }

  if (rc != SQLITE_DONE)
    return gh_database_fail (database, error, "reading a device certificate pin");

  *out_pin = NULL;
  if (out_subject != NULL)
    *out_subject = NULL;

  return TRUE;
}

/**
 * gh_device_secrets_pin_from_certificate:
 * @data: a certificate, PEM (the first one in the text) or DER
 * @out_subject: (out) (optional) (transfer full): its subject, one line
 *
 * Computes what gh_device_secrets_check_pin() compares: the SHA-256 of the certificate's
 * SubjectPublicKeyInfo. Pinning the key rather than the certificate lets a device renew its
 * certificate with the same key.
 *
 * Returns: (transfer full): 64 lower-case hex digits, or %NULL with %GH_ERROR_INVALID_INPUT
 */
char *
gh_device_secrets_pin_from_certificate (const guint8  *data,
                                        gsize          len,
                                        char         **out_subject,
                                        GError       **error)
{
  X509 *cert = NULL;
  BIO *bio;
  guint8 *spki = NULL;
  guint8 digest[32];
  unsigned int digest_len = 0;
  int spki_len;
  GString *hex;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (out_subject != NULL)
    *out_subject = NULL;

  if (len > 0 && len < G_MAXINT) {
    bio = BIO_new_mem_buf (data, (int)len);
    cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
    BIO_free (bio);

    if (cert == NULL) {
      const guint8 *p = data;

      cert = d2i_X509 (NULL, &p, (long)len);
    }
  }

  if (cert == NULL) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("The device sent something that is not an X.509 certificate."));
    return NULL;
  }

  spki_len = i2d_X509_PUBKEY (X509_get_X509_PUBKEY (cert), &spki);
  if (spki_len <= 0 ||
      !EVP_Digest (spki, spki_len, digest, &digest_len, EVP_sha256 (), NULL)) {
    OPENSSL_free (spki);
    X509_free (cert);
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("The public key of the device’s certificate cannot be read."));
    return NULL;
  }
  OPENSSL_free (spki);

  if (out_subject != NULL) {
    char *line = X509_NAME_oneline (X509_get_subject_name (cert), NULL, 0);

    *out_subject = g_strdup (line != NULL ? line : "");
    OPENSSL_free (line);
  }
  X509_free (cert);

  hex = g_string_sized_new (2 * sizeof digest);
  for (guint i = 0; i < digest_len; i++)
    g_string_append_printf (hex, "%02x", digest[i]);

  return g_string_free (hex, FALSE);
}

/**
 * gh_device_secrets_pin_to_curl:
 * @spki_sha256: a pin, 64 lower-case hex digits
 *
 * Returns: (transfer full) (nullable): the pin as libcurl's CURLOPT_PINNEDPUBLICKEY wants it,
 *   `sha256//<base64>`, or %NULL when @spki_sha256 is not a pin
 */
char *
gh_device_secrets_pin_to_curl (const char *spki_sha256)
{
  guint8 digest[32];
  g_autofree char *b64 = NULL;

  if (!check_pin_text (spki_sha256, NULL))
    return NULL;

  for (guint i = 0; i < sizeof digest; i++)
    digest[i] = (g_ascii_xdigit_value (spki_sha256[2 * i]) << 4) |
                g_ascii_xdigit_value (spki_sha256[2 * i + 1]);

  b64 = g_base64_encode (digest, sizeof digest);

  return g_strconcat ("sha256//", b64, NULL);
}

/**
 * gh_device_secrets_get_pin:
 * @session: needs %GH_PERMISSION_DEVICES_READ
 * @out_spki_sha256: (out) (transfer full): the pinned key hash, or %NULL if none is pinned
 * @out_subject: (out) (optional) (transfer full): the certificate subject seen when pinning
 */
gboolean
gh_device_secrets_get_pin (GhDatabase  *database,
                           GhSession   *session,
                           gint64       device_id,
                           char       **out_spki_sha256,
                           char       **out_subject,
                           GError     **error)
{
  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);
  g_return_val_if_fail (out_spki_sha256 != NULL, FALSE);

  *out_spki_sha256 = NULL;

  if (!gh_session_check (session, GH_PERMISSION_DEVICES_READ, error))
    return FALSE;

  return read_pin (database, device_id, out_spki_sha256, out_subject, error);
}

static gboolean
write_pin (GhDatabase  *database,
           GhSession   *session,
           gint64       device_id,
           const char  *spki_sha256,
           const char  *subject,
           const char  *old_pin,
           GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;

  stmt = gh_database_prepare (database,
                              "INSERT INTO device_certificates (device_id, spki_sha256, subject) "
                              "VALUES (?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET "
                              "spki_sha256 = excluded.spki_sha256, subject = excluded.subject, "
                              "updated = unixepoch ()", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, device_id);
  sqlite3_bind_text (stmt, 2, spki_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, subject != NULL ? subject : "", -1, SQLITE_STATIC);

  if (sqlite3_step (stmt) != SQLITE_DONE) {
    if (gh_database_is_constraint (database))
      g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                   _("The device no longer exists; refresh the list."));
    else
      gh_database_fail (database, error, "storing a device certificate pin");
    return FALSE;
  }

  if (old_pin != NULL)
    return gh_database_auditf (database, session, error, "device.certificate-replaced", "device",
                               device_id, "public key SHA-256 %.16s… → %.16s…", old_pin,
                               spki_sha256);

  return gh_database_auditf (database, session, error, "device.certificate-pinned", "device",
                             device_id, "public key SHA-256 %.16s…", spki_sha256);
}

/**
 * gh_device_secrets_set_pin:
 * @session: needs %GH_PERMISSION_DEVICES_WRITE
 * @spki_sha256: SHA-256 of the leaf certificate's SubjectPublicKeyInfo, 64 lower-case hex
 * @subject: (nullable): the certificate subject, for display
 *
 * Pins (or re-pins, after an installer confirmed a new certificate) a device's key.
 */
gboolean
gh_device_secrets_set_pin (GhDatabase  *database,
                           GhSession   *session,
                           gint64       device_id,
                           const char  *spki_sha256,
                           const char  *subject,
                           GError     **error)
{
  g_autofree char *old_pin = NULL;
  gboolean ok;

  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (!check_pin_text (spki_sha256, error))
    return FALSE;

  if (!gh_database_begin_write (database, session, GH_PERMISSION_DEVICES_WRITE, error))
    return FALSE;

  ok = read_pin (database, device_id, &old_pin, NULL, error);
  if (ok && g_strcmp0 (old_pin, spki_sha256) != 0)
    ok = write_pin (database, session, device_id, spki_sha256, subject, old_pin, error);

  return gh_database_end_write (database, ok, "devices", error);
}

/**
 * gh_device_secrets_clear_pin:
 * @session: needs %GH_PERMISSION_DEVICES_WRITE
 *
 * Forgets a device's pinned key, so the next connection pins whatever it finds. For a device
 * that was replaced or got a new certificate on purpose.
 */
gboolean
gh_device_secrets_clear_pin (GhDatabase  *database,
                             GhSession   *session,
                             gint64       device_id,
                             GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (!gh_database_begin_write (database, session, GH_PERMISSION_DEVICES_WRITE, error))
    return FALSE;

  stmt = gh_database_prepare (database, "DELETE FROM device_certificates WHERE device_id = ?",
                              error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, device_id);
  if (!gh_database_step_done (database, stmt, error))
    goto out;

  ok = gh_database_changes (database) == 0 ||
       gh_database_auditf (database, session, error, "device.certificate-cleared", "device",
                           device_id, "pin removed; the next connection pins again");

out:
  return gh_database_end_write (database, ok, "devices", error);
}

/**
 * gh_device_secrets_check_pin:
 * @session: needs %GH_PERMISSION_DEVICES_READ (the pin is stored on first use even for a
 *   session that may not change devices: pinning only narrows what is trusted)
 * @spki_sha256: the key hash the device presented now
 * @subject: (nullable): the presented certificate's subject
 * @out_first_use: (out) (optional): set when this call pinned the key
 * @error: %GH_ERROR_AUTH_FAILED when the device presents another key than the pinned one
 *
 * Returns: %TRUE when the connection may go on
 */
gboolean
gh_device_secrets_check_pin (GhDatabase  *database,
                             GhSession   *session,
                             gint64       device_id,
                             const char  *spki_sha256,
                             const char  *subject,
                             gboolean    *out_first_use,
                             GError     **error)
{
  g_autofree char *pinned = NULL;
  g_autofree char *pinned_subject = NULL;
  gboolean ok;

  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (out_first_use != NULL)
    *out_first_use = FALSE;

  if (!check_pin_text (spki_sha256, error))
    return FALSE;

  if (!gh_database_begin_write (database, session, GH_PERMISSION_DEVICES_READ, error))
    return FALSE;

  if (!read_pin (database, device_id, &pinned, &pinned_subject, error))
    return gh_database_end_write (database, FALSE, NULL, error);

  if (pinned == NULL) {
    ok = write_pin (database, session, device_id, spki_sha256, subject, NULL, error);
    if (ok && out_first_use != NULL)
      *out_first_use = TRUE;
    return gh_database_end_write (database, ok, "devices", error);
  }

  if (CRYPTO_memcmp (pinned, spki_sha256, GH_DEVICE_PIN_HEX_LEN) == 0) {
    gh_database_rollback (database);
    return TRUE;
  }

  /* Record the refusal; the connection must not go on either way. */
  ok = gh_database_auditf (database, session, NULL, "device.certificate-mismatch", "device",
                           device_id, "pinned %.16s…, presented %.16s…", pinned, spki_sha256);
  gh_database_end_write (database, ok, NULL, NULL);

  g_set_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
               _("The device’s HTTPS certificate has changed (pinned key %.16s…, now %.16s…). "
                 "Someone may be intercepting the connection. If the device was replaced or "
                 "its certificate renewed on purpose, an installer can clear the pin in the "
                 "device’s settings."), pinned, spki_sha256);
  return FALSE;
}

static void
add_string (json_object *obj,
            const char  *key,
            const char  *value)
{
  json_object_object_add (obj, key, json_object_new_string (value != NULL ? value : ""));
}

/**
 * gh_device_secrets_export:
 * @session: needs %GH_PERMISSION_DEVICES_READ; with a passphrase
 *   %GH_PERMISSION_DEVICES_WRITE
 * @passphrase: (nullable): %NULL for the ordinary export without passwords; otherwise at
 *   least 12 characters, and the export includes the passwords and is sealed with it
 *
 * Returns: (transfer full): UTF-8 JSON (a NUL follows its last byte, so it can be read as a
 *   string), or a passphrase box (gh-secret-box.h) holding it
 */
GBytes *
gh_device_secrets_export (GhDatabase  *database,
                          GhSession   *session,
                          const char  *passphrase,
                          GError     **error)
{
  g_autoptr(GhDeviceStore) devices = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GBytes) sealed = NULL;
  json_object *root;
  json_object *array;
  const char *text;
  gboolean with_secrets = passphrase != NULL;
  guint n;
  gboolean ok = TRUE;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);
  g_return_val_if_fail (GH_IS_SESSION (session), NULL);

  if (!gh_session_check (session, with_secrets ? GH_PERMISSION_DEVICES_WRITE
                                               : GH_PERMISSION_DEVICES_READ, error))
    return NULL;

  if (with_secrets && g_utf8_strlen (passphrase, -1) < GH_DEVICE_EXPORT_MIN_PASSPHRASE) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Choose a passphrase of at least %d characters to protect the exported "
                   "device passwords."), GH_DEVICE_EXPORT_MIN_PASSPHRASE);
    return NULL;
  }

  if (with_secrets && require_keys (database, error) == NULL)
    return NULL;

  devices = gh_device_store_new (database);
  list = gh_device_store_list (devices, NULL);
  n = g_list_model_get_n_items (list);

  root = json_object_new_object ();
  add_string (root, "format", EXPORT_FORMAT);
  json_object_object_add (root, "version", json_object_new_int (1));
  json_object_object_add (root, "passwords", json_object_new_boolean (with_secrets));
  array = json_object_new_array ();
  json_object_object_add (root, "devices", array);

  for (guint i = 0; i < n && ok; i++) {
    g_autoptr(GhDevice) device = g_list_model_get_item (list, i);
    json_object *obj = json_object_new_object ();

    json_object_object_add (obj, "id", json_object_new_int64 (gh_device_get_id (device)));
    add_string (obj, "kind", gh_device_get_kind (device));
    add_string (obj, "name", gh_device_get_name (device));
    add_string (obj, "host", gh_device_get_host (device));
    json_object_object_add (obj, "port", json_object_new_int (gh_device_get_port (device)));
    add_string (obj, "username", gh_device_get_username (device));
    add_string (obj, "driver", gh_device_get_driver (device));
    add_string (obj, "model", gh_device_get_model (device));
    add_string (obj, "serial", gh_device_get_serial (device));
    add_string (obj, "firmware", gh_device_get_firmware (device));
    json_object_object_add (obj, "door_count",
                            json_object_new_int (gh_device_get_door_count (device)));

    if (with_secrets) {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *secret = gh_device_secrets_dup (database, session,
                                                       gh_device_get_id (device), &local_error);

      if (secret != NULL) {
        add_string (obj, "password", secret);
        OPENSSL_cleanse (secret, strlen (secret));
      } else if (!g_error_matches (local_error, GH_ERROR, GH_ERROR_NOT_FOUND)) {
        g_propagate_error (error, g_steal_pointer (&local_error));
        ok = FALSE;
      }
    }

    json_object_array_add (array, obj);
  }

  if (ok) {
    text = json_object_to_json_string_ext (root, JSON_C_TO_STRING_PRETTY |
                                                 JSON_C_TO_STRING_NOSLASHESCAPE);
    if (with_secrets)
      sealed = gh_secret_box_seal_with_passphrase (passphrase, (const guint8 *)text,
                                                   strlen (text), error);
    else
      sealed = g_bytes_new_take (g_strdup (text), strlen (text));  /* NUL after the end */

    if (with_secrets)
      OPENSSL_cleanse ((char *)text, strlen (text));
    ok = sealed != NULL;
  }

  json_object_put (root);

  if (!ok)
    return NULL;

  if (!gh_database_begin (database, error))
    return NULL;
  if (!gh_database_auditf (database, session, error, "devices.exported", "device", 0,
                           "%u devices, %s", n,
                           with_secrets ? "with passwords, sealed with a passphrase"
                                        : "without passwords")) {
    gh_database_rollback (database);
    return NULL;
  }
  if (!gh_database_commit (database, error))
    return NULL;

  return g_steal_pointer (&sealed);
}

/**
 * gh_device_secrets_open_export:
 *
 * Opens an export made with a passphrase.
 *
 * Returns: (transfer full): the JSON text, or %NULL with %GH_ERROR_AUTH_FAILED for a wrong
 *   passphrase or a changed file
 */
GBytes *
gh_device_secrets_open_export (const char  *passphrase,
                               GBytes      *sealed,
                               GError     **error)
{
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (passphrase != NULL, NULL);
  g_return_val_if_fail (sealed != NULL, NULL);

  data = g_bytes_get_data (sealed, &len);

  return gh_secret_box_open_with_passphrase (passphrase, data, len, error);
}
