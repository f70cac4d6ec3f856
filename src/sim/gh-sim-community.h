/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "gh-sim-device.h"

G_BEGIN_DECLS

#define GH_TYPE_SIM_COMMUNITY (gh_sim_community_get_type ())

G_DECLARE_FINAL_TYPE (GhSimCommunity, gh_sim_community, GH, SIM_COMMUNITY, GObject)

GhSimCommunity *gh_sim_community_new_demo          (void);
GhSimCommunity *gh_sim_community_new_from_file     (const char     *path,
                                                    GError        **error);
GhSimCommunity *gh_sim_community_new_from_data     (const char     *json,
                                                    GError        **error);
void            gh_sim_community_set_state_file    (GhSimCommunity *self,
                                                    const char     *path);
void            gh_sim_community_set_control_port  (GhSimCommunity *self,
                                                    guint           port);
gboolean        gh_sim_community_start             (GhSimCommunity *self,
                                                    GError        **error);
void            gh_sim_community_stop              (GhSimCommunity *self);
gboolean        gh_sim_community_is_running        (GhSimCommunity *self);
guint           gh_sim_community_get_n_devices     (GhSimCommunity *self);
GhSimDevice    *gh_sim_community_get_device        (GhSimCommunity *self,
                                                    guint           position);
GhSimDevice    *gh_sim_community_lookup            (GhSimCommunity *self,
                                                    const char     *name);
char           *gh_sim_community_dup_control_url   (GhSimCommunity *self);
gboolean        gh_sim_community_start_load        (GhSimCommunity *self,
                                                    double          rate,
                                                    double          seconds,
                                                    GError        **error);
char           *gh_sim_community_dup_load_json     (GhSimCommunity *self);
gboolean        gh_sim_community_save_state        (GhSimCommunity *self,
                                                    GError        **error);

G_END_DECLS
