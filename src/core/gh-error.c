/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-error"

#include "config.h"

#include "gh-error.h"

G_DEFINE_QUARK (gh-error-quark, gh_error)
