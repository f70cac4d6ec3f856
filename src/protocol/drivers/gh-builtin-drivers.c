/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-builtin-drivers"

#include "config.h"

#include "gh-builtin-drivers.h"

#include "gh-driver.h"
#include "dahua/gh-dahua-driver.h"

/* The one place that lists the drivers shipped in the tree (static libraries have no
 * constructors to do it for them). */
void
gh_builtin_drivers_register (void)
{
  gh_driver_registry_register ("dahua", GH_TYPE_DAHUA_DRIVER);
}
