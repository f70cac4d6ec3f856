/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-device.h"
#include "gh-session.h"

G_BEGIN_DECLS

#define GH_TYPE_DEVICE_STORE (gh_device_store_get_type ())
G_DECLARE_FINAL_TYPE (GhDeviceStore, gh_device_store, GH, DEVICE_STORE, GObject)

GhDeviceStore *gh_device_store_new            (GhDatabase     *database);
gint64         gh_device_store_add            (GhDeviceStore  *self,
                                               GhSession      *session,
                                               GhDevice       *device,
                                               GError        **error);
gboolean       gh_device_store_update         (GhDeviceStore  *self,
                                               GhSession      *session,
                                               GhDevice       *device,
                                               GError        **error);
gboolean       gh_device_store_remove         (GhDeviceStore  *self,
                                               GhSession      *session,
                                               gint64          id,
                                               GError        **error);
gboolean       gh_device_store_set_secret     (GhDeviceStore  *self,
                                               GhSession      *session,
                                               gint64          id,
                                               GBytes         *secret_enc,
                                               GError        **error);
gboolean       gh_device_store_set_https      (GhDeviceStore  *self,
                                               GhSession      *session,
                                               gint64          id,
                                               gboolean        https,
                                               GError        **error);
GBytes        *gh_device_store_get_secret     (GhDeviceStore  *self,
                                               GhSession      *session,
                                               gint64          id,
                                               GError        **error);
gboolean       gh_device_store_set_status     (GhDeviceStore  *self,
                                               GhSession      *session,
                                               gint64          id,
                                               const char     *status,
                                               gint64          last_seen,
                                               GError        **error);
gboolean       gh_device_store_set_probe_info (GhDeviceStore  *self,
                                               GhSession      *session,
                                               gint64          id,
                                               const char     *model,
                                               const char     *serial,
                                               const char     *firmware,
                                               int             door_count,
                                               GError        **error);
GhDevice      *gh_device_store_get            (GhDeviceStore  *self,
                                               gint64          id,
                                               GError        **error);
GListModel    *gh_device_store_list           (GhDeviceStore  *self,
                                               const char     *kind);

G_END_DECLS
