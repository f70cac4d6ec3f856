/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sim-error"

#include "config.h"

#include "gh-sim-error.h"

G_DEFINE_QUARK (gh-sim-error-quark, gh_sim_error)
