/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-device-config"

#include "config.h"

#include "gh-device-config.h"

#include "gh-error.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (GhDeviceConfig, gh_device_config, gh_device_config_copy,
                     gh_device_config_free)

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
