/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gh-driver.h"

G_BEGIN_DECLS

#define GH_TYPE_DAHUA_DRIVER (gh_dahua_driver_get_type ())

G_DECLARE_FINAL_TYPE (GhDahuaDriver, gh_dahua_driver, GH, DAHUA_DRIVER, GObject)

G_END_DECLS
