/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GH_TYPE_DEVICE (gh_device_get_type ())
G_DECLARE_FINAL_TYPE (GhDevice, gh_device, GH, DEVICE, GObject)

GhDevice   *gh_device_new                     (void);
gint64      gh_device_get_id                  (GhDevice *self);
const char *gh_device_get_kind                (GhDevice *self);
const char *gh_device_get_name                (GhDevice *self);
const char *gh_device_get_host                (GhDevice *self);
int         gh_device_get_port                (GhDevice *self);
const char *gh_device_get_username            (GhDevice *self);
const char *gh_device_get_driver              (GhDevice *self);
const char *gh_device_get_status              (GhDevice *self);
const char *gh_device_get_model               (GhDevice *self);
const char *gh_device_get_serial              (GhDevice *self);
const char *gh_device_get_firmware            (GhDevice *self);
int         gh_device_get_door_count          (GhDevice *self);
gint64      gh_device_get_last_seen           (GhDevice *self);
gboolean    gh_device_get_https               (GhDevice *self);
const char *gh_device_get_registration_number (GhDevice *self);
void        gh_device_set_kind                (GhDevice   *self,
                                               const char *kind);
void        gh_device_set_name                (GhDevice   *self,
                                               const char *name);
void        gh_device_set_host                (GhDevice   *self,
                                               const char *host);
void        gh_device_set_port                (GhDevice *self,
                                               int       port);
void        gh_device_set_username            (GhDevice   *self,
                                               const char *username);
void        gh_device_set_driver              (GhDevice   *self,
                                               const char *driver);
void        gh_device_set_model               (GhDevice   *self,
                                               const char *model);
void        gh_device_set_serial              (GhDevice   *self,
                                               const char *serial);
void        gh_device_set_firmware            (GhDevice   *self,
                                               const char *firmware);
void        gh_device_set_door_count          (GhDevice *self,
                                               int       door_count);

G_END_DECLS
