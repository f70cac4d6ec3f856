/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

#define GH_DEVICE_EXPORT_MIN_PASSPHRASE 12
#define GH_DEVICE_PIN_HEX_LEN           64

gboolean  gh_device_secrets_set                  (GhDatabase     *database,
                                                  GhSession      *session,
                                                  gint64          device_id,
                                                  const char     *password,
                                                  GError        **error);
char     *gh_device_secrets_dup                  (GhDatabase     *database,
                                                  GhSession      *session,
                                                  gint64          device_id,
                                                  GError        **error);

char     *gh_device_secrets_pin_from_certificate (const guint8   *data,
                                                  gsize           len,
                                                  char          **out_subject,
                                                  GError        **error);
char     *gh_device_secrets_pin_to_curl          (const char     *spki_sha256);
gboolean  gh_device_secrets_get_pin              (GhDatabase     *database,
                                                  GhSession      *session,
                                                  gint64          device_id,
                                                  char          **out_spki_sha256,
                                                  char          **out_subject,
                                                  GError        **error);
gboolean  gh_device_secrets_set_pin              (GhDatabase     *database,
                                                  GhSession      *session,
                                                  gint64          device_id,
                                                  const char     *spki_sha256,
                                                  const char     *subject,
                                                  GError        **error);
gboolean  gh_device_secrets_clear_pin            (GhDatabase     *database,
                                                  GhSession      *session,
                                                  gint64          device_id,
                                                  GError        **error);
gboolean  gh_device_secrets_check_pin            (GhDatabase     *database,
                                                  GhSession      *session,
                                                  gint64          device_id,
                                                  const char     *spki_sha256,
                                                  const char     *subject,
                                                  gboolean       *out_first_use,
                                                  GError        **error);

GBytes   *gh_device_secrets_export               (GhDatabase     *database,
                                                  GhSession      *session,
                                                  const char     *passphrase,
                                                  GError        **error);
GBytes   *gh_device_secrets_open_export          (const char     *passphrase,
                                                  GBytes         *sealed,
                                                  GError        **error);

G_END_DECLS
