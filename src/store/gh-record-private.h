/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to src/store: the repositories fill rows they read. */

#include "gh-record.h"

G_BEGIN_DECLS

GhRecord *gh_record_new_row         (void);
void      gh_record_set_id          (GhRecord *self,
                                     gint64    id);
void      gh_record_set_device_id   (GhRecord *self,
                                     gint64    device_id);
void      gh_record_set_device_name (GhRecord   *self,
                                     const char *device_name);

G_END_DECLS
