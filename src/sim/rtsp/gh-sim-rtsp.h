/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GH_SIM_RTSP_ERROR (gh_sim_rtsp_error_quark ())

/**
 * GhSimRtspError:
 * @GH_SIM_RTSP_ERROR_FAILED: anything without a more precise code
 * @GH_SIM_RTSP_ERROR_INVALID_INPUT: a device name or credential breaks a rule
 * @GH_SIM_RTSP_ERROR_IO: the listening socket could not be opened
 * @GH_SIM_RTSP_ERROR_MEDIA: a GStreamer element is missing or a pipeline failed
 * @GH_SIM_RTSP_ERROR_OFFLINE: the simulated device is switched offline
 *
 * Error codes of the simulator's RTSP side. It keeps its own domain: the simulator shares no code
 * with the client layers, and the RTSP library links nothing else of the simulator.
 */
typedef enum {
  GH_SIM_RTSP_ERROR_FAILED,
  GH_SIM_RTSP_ERROR_INVALID_INPUT,
  GH_SIM_RTSP_ERROR_IO,
  GH_SIM_RTSP_ERROR_MEDIA,
  GH_SIM_RTSP_ERROR_OFFLINE,
} GhSimRtspError;

GQuark gh_sim_rtsp_error_quark (void);

#define GH_TYPE_SIM_RTSP (gh_sim_rtsp_get_type ())

G_DECLARE_FINAL_TYPE (GhSimRtsp, gh_sim_rtsp, GH, SIM_RTSP, GObject)

/* gst_init() must have been called before any of these. */
GhSimRtsp *gh_sim_rtsp_new                   (const char  *device_name,
                                              const char  *username,
                                              const char  *password,
                                              GError     **error);
guint      gh_sim_rtsp_get_port              (GhSimRtsp   *self);
GSocket   *gh_sim_rtsp_release_accept        (GhSimRtsp   *self);
void       gh_sim_rtsp_take_connection       (GhSimRtsp   *self,
                                              GSocket     *client);
GBytes    *gh_sim_rtsp_dup_backchannel_audio (GhSimRtsp   *self);
void       gh_sim_rtsp_set_online            (GhSimRtsp   *self,
                                              gboolean     online);
GBytes    *gh_sim_rtsp_snapshot_jpeg         (GhSimRtsp   *self,
                                              GError     **error);

G_END_DECLS
