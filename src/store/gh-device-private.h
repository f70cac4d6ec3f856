/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to src/store: the repositories fill rows they read. */

#include "gh-device.h"

G_BEGIN_DECLS

GhDevice *gh_device_new_row                 (void);
void      gh_device_set_id                  (GhDevice *self,
                                             gint64    id);
void      gh_device_set_status              (GhDevice   *self,
                                             const char *status);
void      gh_device_set_last_seen           (GhDevice *self,
                                             gint64    last_seen);
void      gh_device_set_https               (GhDevice *self,
                                             gboolean  https);
void      gh_device_set_registration_number (GhDevice   *self,
                                             const char *registration_number);

G_END_DECLS
