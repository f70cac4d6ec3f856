/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GH_TYPE_DEVICE_CONFIG (gh_device_config_get_type ())

/**
 * GhDeviceConfig:
 * @id: the device's identifier in Gatehouse (stored with events and records)
 * @driver: the registered driver name that talks to it
 * @host: host name or address
 * @port: TCP port of the device's web service, 0 for the scheme's default
 * @username: login name
 * @password: login password
 * @use_https: talk HTTPS instead of HTTP
 * @verify_tls: check the device's TLS certificate (devices often ship self-signed ones)
 * @timeout_ms: time limit for one request, 0 for the default (10 s)
 *
 * How to reach one device. Plain data; copy it to keep it.
 */
typedef struct {
  char     *id;        /* (owned) */
  char     *driver;    /* (owned) */
  char     *host;      /* (owned) */
  guint16   port;
  char     *username;  /* (owned) */
  char     *password;  /* (owned) */
  gboolean  use_https;
  gboolean  verify_tls;
  guint     timeout_ms;
} GhDeviceConfig;

GType           gh_device_config_get_type  (void) G_GNUC_CONST;
GhDeviceConfig *gh_device_config_new       (const char            *driver,
                                            const char            *host,
                                            guint16                port,
                                            const char            *username,
                                            const char            *password);
GhDeviceConfig *gh_device_config_copy      (const GhDeviceConfig  *self);
void            gh_device_config_free      (GhDeviceConfig        *self);
gboolean        gh_device_config_validate  (const GhDeviceConfig  *self,
                                            GError               **error);
char           *gh_device_config_base_url  (const GhDeviceConfig  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDeviceConfig, gh_device_config_free)

G_END_DECLS
