/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sim-snapshot"

#include "config.h"

#include "gh-sim-device-private.h"
#include "gh-sim-error.h"

#include <gst/gst.h>
#include <gst/app/gstappsink.h>

/* Renders one JPEG frame of the device's test scene (colour bars with its name and clock). */
GBytes *
gh_sim_snapshot_render (const char *label,
                        GError    **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) overlay = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstSample) sample = NULL;
  GstBuffer *buffer;
  GstMapInfo map;
  GBytes *bytes;

  if (!gst_init_check (NULL, NULL, error))
    return NULL;
  pipeline = gst_parse_launch ("videotestsrc num-buffers=1 pattern=smpte "
                               "! video/x-raw,width=640,height=360 "
                               "! textoverlay name=overlay font-desc=\"Sans 20\" valignment=top "
                               "! videoconvert ! jpegenc quality=80 "
                               "! appsink name=sink sync=false", error);
  if (pipeline == NULL)
    return NULL;
  overlay = gst_bin_get_by_name (GST_BIN (pipeline), "overlay");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (overlay, "text", label, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 5 * GST_SECOND);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (sample == NULL || (buffer = gst_sample_get_buffer (sample)) == NULL ||
      !gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_FAILED,
                 "The snapshot pipeline produced no frame; check that the GStreamer base and "
                 "good plugins are installed");
    return NULL;
  }
  bytes = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buffer, &map);
  return bytes;
}
