/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gh-sim-community.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* gh-sim-control.c: the JSON-over-HTTP control server of a community. */
SoupServer *gh_sim_control_new (GhSimCommunity *community,
                                guint           port,
                                GError        **error);

G_END_DECLS
