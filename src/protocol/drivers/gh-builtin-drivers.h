/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void gh_builtin_drivers_register (void);

G_END_DECLS
