/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "gh-database.h"
#include "gh-device.h"
#include "gh-http.h"
#include "gh-session.h"

G_BEGIN_DECLS

#define GH_TYPE_DEVICE_CONFIG (gh_device_config_get_type ())
#define GH_TYPE_DEVICE_PINNING (gh_device_pinning_get_type ())

G_DECLARE_FINAL_TYPE (GhDevicePinning, gh_device_pinning, GH, DEVICE_PINNING, GObject)

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
 * @pinning: (nullable): HTTPS certificate pinning for a stored device; set with
 *   gh_device_config_set_pinning()
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
  GhDevicePinning *pinning; /* (owned) (nullable) */
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
gboolean        gh_device_config_set_pinning (GhDeviceConfig      *self,
                                            GhDatabase            *database,
                                            GhSession             *session,
                                            gint64                 device_id,
                                            const char            *device_name,
                                            GError               **error);
GhDeviceConfig *gh_device_config_new_for_device (GhDatabase        *database,
                                                 GhSession         *session,
                                                 GhDevice          *device,
                                                 GError           **error);
void            gh_device_config_apply_tls (const GhDeviceConfig  *self,
                                            GhHttpRequest         *request);

const char     *gh_device_pinning_get_pin  (GhDevicePinning       *self);
gboolean        gh_device_pinning_check    (GObject               *object,
                                            GBytes                *certificate,
                                            GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDeviceConfig, gh_device_config_free)

G_END_DECLS
