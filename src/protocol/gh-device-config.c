/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-device-config"

#include "config.h"

#include "gh-device-config.h"

#include "gh-device-secrets.h"
#include "gh-error.h"

#include <string.h>

/*
 * GhDevicePinning: pin on first use for one stored device. It reads the stored pin when made
 * and, during the TLS handshake of each new connection (see #GhHttpCertificateFunc), checks the
 * device's key against the store: the first key seen is stored, another key is refused before
 * anything (credentials included) is sent. Trust model: device certificates are self-signed,
 * so chain checks are off and the pinned key is the trust; see docs/security.md.
 */
struct _GhDevicePinning
{
  GObject     parent_instance;

  GhDatabase *database;    /* (owned) */
  GhSession  *session;     /* (owned) */
  gint64      device_id;
  char       *device_name; /* (owned) */
  char       *curl_pin;    /* (owned) (nullable) "sha256//…" of the stored pin */
};

G_DEFINE_FINAL_TYPE (GhDevicePinning, gh_device_pinning, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (GhDeviceConfig, gh_device_config, gh_device_config_copy,
                     gh_device_config_free)

static void
gh_device_pinning_finalize (GObject *object)
{
  GhDevicePinning *self = GH_DEVICE_PINNING (object);

  g_clear_object (&self->database);
  g_clear_object (&self->session);
  g_free (self->device_name);
  g_free (self->curl_pin);
  G_OBJECT_CLASS (gh_device_pinning_parent_class)->finalize (object);
}

static void
gh_device_pinning_class_init (GhDevicePinningClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_device_pinning_finalize;
}

static void
gh_device_pinning_init (GhDevicePinning *self)
{
}

/**
 * gh_device_pinning_get_pin:
 *
 * Returns: (nullable): the pinned key in libcurl's "sha256//…" form, %NULL before first use
 */
const char *
gh_device_pinning_get_pin (GhDevicePinning *self)
{
  g_return_val_if_fail (GH_IS_DEVICE_PINNING (self), NULL);
  return self->curl_pin;
}

/**
 * gh_device_pinning_check:
 * @object: a #GhDevicePinning
 * @certificate: the DER of the device's leaf certificate
 *
 * A #GhHttpCertificateFunc: pins the key on first use, refuses a changed key with
 * %GH_ERROR_AUTH_FAILED (the refusal is audited by the store).
 */
gboolean
gh_device_pinning_check (GObject  *object,
                         GBytes   *certificate,
                         GError  **error)
{
  GhDevicePinning *self = GH_DEVICE_PINNING (object);
  g_autofree char *pin = NULL;
  g_autofree char *subject = NULL;
  g_autoptr(GError) local = NULL;
  gboolean first_use = FALSE;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (certificate, &len);

  pin = gh_device_secrets_pin_from_certificate (data, len, &subject, &local);
  if (pin == NULL) {
    g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL, "%s sent a certificate that cannot be "
                 "read (%s)", self->device_name, local->message);
    return FALSE;
  }
  if (!gh_device_secrets_check_pin (self->database, self->session, self->device_id, pin,
                                    subject, &first_use, &local)) {
    if (g_error_matches (local, GH_ERROR, GH_ERROR_AUTH_FAILED))
      g_set_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                   "The certificate of %s changed since it was first seen, so nothing was sent "
                   "to it. If the device was replaced, clear its certificate pin "
                   "(gatehousectl device clear-pin) and connect again. (%s)", self->device_name, local->message);
    else
      g_propagate_error (error, g_steal_pointer (&local));
    return FALSE;
  }
  if (first_use)
    g_message ("%s: pinned its HTTPS key on first use (%s)", self->device_name,
               subject ? subject : "no subject");
  g_free (self->curl_pin);
  self->curl_pin = gh_device_secrets_pin_to_curl (pin);
  return TRUE;
}

/**
 * gh_device_config_set_pinning:
 * @database: where the pin is kept
 * @session: who connects (needs %GH_PERMISSION_DEVICES_READ); usually a system session
 * @device_id: the stored device
 * @device_name: for messages
 *
 * Turns on certificate pinning for HTTPS requests made with this config: the stored pin is
 * read now; with none, the first connection pins the key it sees.
 *
 * Returns: %FALSE when the stored pin cannot be read
 */
gboolean
gh_device_config_set_pinning (GhDeviceConfig  *self,
                              GhDatabase      *database,
                              GhSession       *session,
                              gint64           device_id,
                              const char      *device_name,
                              GError         **error)
{
  g_autoptr(GhDevicePinning) pinning = NULL;
  g_autofree char *pin = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (!gh_device_secrets_get_pin (database, session, device_id, &pin, NULL, error))
    return FALSE;
  pinning = g_object_new (GH_TYPE_DEVICE_PINNING, NULL);
  pinning->database = g_object_ref (database);
  pinning->session = g_object_ref (session);
  pinning->device_id = device_id;
  pinning->device_name = g_strdup (device_name ? device_name : self->id);
  if (pin != NULL)
    pinning->curl_pin = gh_device_secrets_pin_to_curl (pin);
  g_set_object (&self->pinning, pinning);
  return TRUE;
}

/**
 * gh_device_config_apply_tls:
 *
 * Fills the TLS fields of @request from the config: chain checks, and the pin and first-use
 * check when the config has #GhDevicePinning. Drivers call it for every request.
 */
void
gh_device_config_apply_tls (const GhDeviceConfig *self,
                            GhHttpRequest        *request)
{
  g_return_if_fail (self != NULL && request != NULL);

  request->verify_tls = self->verify_tls;
  if (self->pinning == NULL || !self->use_https)
    return;
  request->tls_pin = self->pinning->curl_pin;
  request->check_certificate = gh_device_pinning_check;
  request->check_object = G_OBJECT (self->pinning);
}

/**
 * gh_device_config_new:
 *
 * Returns: (transfer full): a config with HTTP, TLS verification on and the default timeout;
 *   the id defaults to "host:port".
 */
GhDeviceConfig *
gh_device_config_new (const char *driver,
                      const char *host,
                      guint16     port,
                      const char *username,
                      const char *password)
{
  GhDeviceConfig *self = g_new0 (GhDeviceConfig, 1);

  self->driver = g_strdup (driver);
  self->host = g_strdup (host);
  self->port = port;
  self->username = g_strdup (username);
  self->password = g_strdup (password);
  self->verify_tls = TRUE;
  self->id = g_strdup_printf ("%s:%u", host ? host : "", port);
  return self;
}

GhDeviceConfig *
gh_device_config_copy (const GhDeviceConfig *self)
{
  GhDeviceConfig *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->id = g_strdup (self->id);
  copy->driver = g_strdup (self->driver);
  copy->host = g_strdup (self->host);
  copy->username = g_strdup (self->username);
  copy->password = g_strdup (self->password);
  copy->pinning = self->pinning ? g_object_ref (self->pinning) : NULL;
  return copy;
}

void
gh_device_config_free (GhDeviceConfig *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->driver);
  g_free (self->host);
  g_free (self->username);
  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  g_free (self->password);
  g_clear_object (&self->pinning);
  g_free (self);
}

/**
 * gh_device_config_validate:
 *
 * Checks that the config names a driver and a host that can go into a URL.
 */
gboolean
gh_device_config_validate (const GhDeviceConfig  *self,
                           GError               **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->driver == NULL || *self->driver == '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 "The device has no driver; choose the device type");
    return FALSE;
  }
  if (self->host == NULL || *self->host == '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 "The device has no address; enter its host name or IP address");
    return FALSE;
  }
  for (const char *p = self->host; *p; p++) {
    if (g_ascii_isspace (*p) || strchr ("/?#@", *p) != NULL) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   "The device address “%s” is not a host name or IP address", self->host);
      return FALSE;
    }
  }
  return TRUE;
}

/**
 * gh_device_config_base_url:
 *
 * Returns: (transfer full): "http[s]://host[:port]" without a trailing slash; IPv6
 *   addresses are bracketed.
 */
char *
gh_device_config_base_url (const GhDeviceConfig *self)
{
  const char *scheme;
  gboolean v6;

  g_return_val_if_fail (self != NULL && self->host != NULL, NULL);

  scheme = self->use_https ? "https" : "http";
  v6 = strchr (self->host, ':') != NULL && self->host[0] != '[';
  if (self->port != 0)
    return g_strdup_printf ("%s://%s%s%s:%u", scheme, v6 ? "[" : "", self->host,
                            v6 ? "]" : "", self->port);
  return g_strdup_printf ("%s://%s%s%s", scheme, v6 ? "[" : "", self->host, v6 ? "]" : "");
}

/**
 * gh_device_config_new_for_device:
 * @session: reads the device's password and keeps its certificate pin; callers that act for
 *   an operator who may use a device without seeing its password pass a system session, after
 *   checking the operator's own role
 *
 * The connection settings of a stored device: its driver, address, account and password,
 * HTTPS with the key pinned on first use (docs/security.md), and the device id as the
 * config's id.
 *
 * Returns: (transfer full): the config, or %NULL with @error set
 */
GhDeviceConfig *
gh_device_config_new_for_device (GhDatabase  *database,
                                 GhSession   *session,
                                 GhDevice    *device,
                                 GError     **error)
{
  g_autoptr(GhDeviceConfig) config = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *password = NULL;
  gint64 id;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);
  g_return_val_if_fail (GH_IS_SESSION (session), NULL);
  g_return_val_if_fail (GH_IS_DEVICE (device), NULL);

  id = gh_device_get_id (device);
  password = gh_device_secrets_dup (database, session, id, &local);
  if (password == NULL && !g_error_matches (local, GH_ERROR, GH_ERROR_NOT_FOUND)) {
    g_propagate_error (error, g_steal_pointer (&local));
    return NULL;
  }

  config = gh_device_config_new (gh_device_get_driver (device), gh_device_get_host (device),
                                 (guint16) gh_device_get_port (device),
                                 gh_device_get_username (device), password ? password : "");
  if (password != NULL)
    memset (password, 0, strlen (password));
  config->use_https = gh_device_get_https (device);
  config->verify_tls = FALSE; /* HTTPS trusts the pinned key, not a certificate chain */
  g_free (config->id);
  config->id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  if (!gh_device_config_set_pinning (config, database, session, id, gh_device_get_name (device),
                                     error))
    return NULL;

  return g_steal_pointer (&config);
}
