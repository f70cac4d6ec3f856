/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/rtsp-server/rtsp-onvif-media-factory.h>

G_BEGIN_DECLS

/* Private to the simulator's RTSP library. */

#define GH_TYPE_SIM_RTSP_FACTORY (gh_sim_rtsp_factory_get_type ())

G_DECLARE_FINAL_TYPE (GhSimRtspFactory, gh_sim_rtsp_factory, GH, SIM_RTSP_FACTORY,
                      GstRTSPOnvifMediaFactory)

/* The one mount path; the stream is chosen by the query (channel=1&subtype=0|1). */
#define GH_SIM_RTSP_MOUNT_PATH "/cam/realmonitor"

/* Size of the main stream, also used for snapshots. */
#define GH_SIM_RTSP_MAIN_WIDTH  1280
#define GH_SIM_RTSP_MAIN_HEIGHT 720
#define GH_SIM_RTSP_SUB_WIDTH   352
#define GH_SIM_RTSP_SUB_HEIGHT  288

/* The time stamp band at the bottom of every frame (see gh_sim_rtsp_scene_attach_clock()). */
#define GH_SIM_RTSP_STAMP_BITS 48
#define GH_SIM_RTSP_STAMP_BAND_DIVISOR 24

/**
 * GhSimRtspStream:
 * @GH_SIM_RTSP_STREAM_MAIN: subtype=0
 * @GH_SIM_RTSP_STREAM_SUB: subtype=1
 *
 * Which of the device's streams a URL asks for.
 */
typedef enum {
  GH_SIM_RTSP_STREAM_MAIN,
  GH_SIM_RTSP_STREAM_SUB,
} GhSimRtspStream;

GhSimRtspFactory *gh_sim_rtsp_factory_new                   (const char       *device_name);
GBytes           *gh_sim_rtsp_factory_dup_backchannel_audio (GhSimRtspFactory *self);

gboolean          gh_sim_rtsp_parse_query                   (const char       *query,
                                                             GhSimRtspStream  *stream,
                                                             gboolean         *onvif);
char             *gh_sim_rtsp_scene_launch                  (int               width,
                                                             int               height,
                                                             int               fps,
                                                             gboolean          live);
void              gh_sim_rtsp_scene_attach_clock            (GstElement       *overlay,
                                                             const char       *device_name);
char             *gh_sim_rtsp_scene_text                    (const char       *device_name,
                                                             gint64            real_time_us);

G_END_DECLS
