/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sim-rtsp-factory"

#include "config.h"

#include "gh-sim-rtsp-factory.h"

#include <gst/app/app.h>
#include <gst/rtsp-server/rtsp-onvif-media.h>
#include <gst/rtsp-server/rtsp-onvif-server.h>
#include <gst/video/video.h>
#include <string.h>

/* The ONVIF back channel keeps at most this much received A-law (about 35 minutes at 8 kB/s);
 * later audio is dropped, so a forgotten talk session cannot eat the memory of a simulator that
 * hosts a thousand devices. */
#define BACKCHANNEL_MAX_BYTES (16 * 1024 * 1024)

/* The payload type and caps of the back channel: G.711 A-law, 8 kHz, mono, as a door station
 * accepts it. */
#define BACKCHANNEL_RTP_CAPS \
  "application/x-rtp,media=audio,payload=8,clock-rate=8000,encoding-name=PCMA"

/* %s: scene; %d: GOP length in frames, bitrate in kbit/s. */
#define STREAM_LAUNCH \
  "%s ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=%d bitrate=%d " \
  "! video/x-h264,profile=baseline " \
  "! rtph264pay name=pay0 pt=96 config-interval=-1 " \
  "audiotestsrc is-live=true wave=sine freq=440 volume=0.2 samplesperbuffer=160 " \
  "! audio/x-raw,rate=8000,channels=1 ! alawenc ! rtppcmapay name=pay1 pt=8"

#define BACKCHANNEL_LAUNCH \
  "capsfilter name=depay_backchannel caps=\"" BACKCHANNEL_RTP_CAPS "\" " \
  "! rtppcmadepay ! appsink name=talk async=false sync=false"

struct _GhSimRtspFactory
{
  GstRTSPOnvifMediaFactory parent_instance;

  char *device_name;          /* (owned) */

  GMutex lock;
  GByteArray *backchannel;    /* (owned) (locked) */
};

G_DEFINE_FINAL_TYPE (GhSimRtspFactory, gh_sim_rtsp_factory, GST_TYPE_RTSP_ONVIF_MEDIA_FACTORY)

static GstFlowReturn
backchannel_new_sample_cb (GstAppSink *sink,
                           gpointer    user_data)
{
  GhSimRtspFactory *self = GH_SIM_RTSP_FACTORY (user_data);
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer;
  GstMapInfo map;

  if (sample == NULL)
    return GST_FLOW_EOS;

  buffer = gst_sample_get_buffer (sample);
  if (buffer == NULL || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_FLOW_OK;

  g_mutex_lock (&self->lock);
  if (self->backchannel->len + map.size <= BACKCHANNEL_MAX_BYTES)
    g_byte_array_append (self->backchannel, map.data, map.size);
  g_mutex_unlock (&self->lock);

  gst_buffer_unmap (buffer, &map);

  return GST_FLOW_OK;
}

static GstElement *
make_backchannel_bin (GhSimRtspFactory  *self,
                      GError           **error)
{
  g_autoptr(GstElement) bin = NULL;
  g_autoptr(GstElement) depay = NULL;
  g_autoptr(GstElement) talk = NULL;
  g_autoptr(GstPad) pad = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = backchannel_new_sample_cb };

  bin = gst_parse_bin_from_description_full (BACKCHANNEL_LAUNCH, FALSE, NULL,
                                             GST_PARSE_FLAG_FATAL_ERRORS, error);
  if (bin == NULL)
    return NULL;
  gst_object_ref_sink (bin);

  /* The ONVIF media looks the back channel up by these names. */
  gst_object_set_name (GST_OBJECT (bin), "onvif-backchannel");
  depay = gst_bin_get_by_name (GST_BIN (bin), "depay_backchannel");
  talk = gst_bin_get_by_name (GST_BIN (bin), "talk");
  pad = gst_element_get_static_pad (depay, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", pad));

  gst_app_sink_set_callbacks (GST_APP_SINK (talk), &callbacks, g_object_ref (self),
                              g_object_unref);

  return g_steal_pointer (&bin);
}

static GstElement *
gh_sim_rtsp_factory_create_element (GstRTSPMediaFactory *factory,
                                    const GstRTSPUrl    *url)
{
  GhSimRtspFactory *self = GH_SIM_RTSP_FACTORY (factory);
  GstRTSPContext *ctx = gst_rtsp_context_get_current ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) bin = NULL;
  g_autoptr(GstElement) overlay = NULL;
  g_autofree char *scene = NULL;
  g_autofree char *launch = NULL;
  GhSimRtspStream stream;
  gboolean onvif;

  /* The clients' pre-request hooks answer 404 before a bad query gets here. */
  if (!gh_sim_rtsp_parse_query (url->query, &stream, &onvif))
    stream = GH_SIM_RTSP_STREAM_MAIN;

  if (stream == GH_SIM_RTSP_STREAM_MAIN) {
    scene = gh_sim_rtsp_scene_launch (GH_SIM_RTSP_MAIN_WIDTH, GH_SIM_RTSP_MAIN_HEIGHT, 25, TRUE);
    launch = g_strdup_printf (STREAM_LAUNCH, scene, 50, 1024);
  } else {
    scene = gh_sim_rtsp_scene_launch (GH_SIM_RTSP_SUB_WIDTH, GH_SIM_RTSP_SUB_HEIGHT, 15, TRUE);
    launch = g_strdup_printf (STREAM_LAUNCH, scene, 30, 256);
  }

  bin = gst_parse_bin_from_description_full (launch, FALSE, NULL, GST_PARSE_FLAG_FATAL_ERRORS,
                                             &error);
  if (bin == NULL) {
    g_message ("Cannot build the stream of %s: %s; check the GStreamer plugins", self->device_name,
               error->message);
    return NULL;
  }
  gst_object_ref_sink (bin);

  overlay = gst_bin_get_by_name (GST_BIN (bin), "overlay");
  gh_sim_rtsp_scene_attach_clock (overlay, self->device_name);

  if (ctx != NULL && gst_rtsp_onvif_media_factory_requires_backchannel (factory, ctx)) {
    GstElement *backchannel = make_backchannel_bin (self, &error);

    if (backchannel == NULL) {
      g_message ("Cannot build the back channel of %s: %s", self->device_name, error->message);
      return NULL;
    }
    gst_bin_add (GST_BIN (bin), backchannel);
  }

  return g_steal_pointer (&bin);
}

static gboolean
gh_sim_rtsp_factory_has_backchannel_support (GstRTSPOnvifMediaFactory *factory)
{
  GstRTSPContext *ctx = gst_rtsp_context_get_current ();
  GstRTSPMethod method = GST_RTSP_INVALID;
  GhSimRtspStream stream;
  gboolean onvif = FALSE;

  /* Like a door station, offer the back channel only on the ONVIF flavour of the URL
   * (…&unicast=true&proto=Onvif), which the DESCRIBE carries. The SETUP and PLAY that follow
   * use the query-less control URLs of the media it created, which has the back channel or
   * not already. */
  if (ctx == NULL || ctx->uri == NULL || ctx->request == NULL)
    return FALSE;
  gst_rtsp_message_parse_request (ctx->request, &method, NULL, NULL);
  if (method != GST_RTSP_DESCRIBE && ctx->uri->query == NULL)
    return TRUE;
  if (!gh_sim_rtsp_parse_query (ctx->uri->query, &stream, &onvif))
    return FALSE;

  return onvif;
}

static void
gh_sim_rtsp_factory_finalize (GObject *object)
{
  GhSimRtspFactory *self = GH_SIM_RTSP_FACTORY (object);

  g_clear_pointer (&self->device_name, g_free);
  g_clear_pointer (&self->backchannel, g_byte_array_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (gh_sim_rtsp_factory_parent_class)->finalize (object);
}

static void
gh_sim_rtsp_factory_class_init (GhSimRtspFactoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstRTSPMediaFactoryClass *factory_class = GST_RTSP_MEDIA_FACTORY_CLASS (klass);
  GstRTSPOnvifMediaFactoryClass *onvif_class = GST_RTSP_ONVIF_MEDIA_FACTORY_CLASS (klass);

  object_class->finalize = gh_sim_rtsp_factory_finalize;

  factory_class->create_element = gh_sim_rtsp_factory_create_element;
  onvif_class->has_backchannel_support = gh_sim_rtsp_factory_has_backchannel_support;
}

static void
gh_sim_rtsp_factory_init (GhSimRtspFactory *self)
{
  GstRTSPMediaFactory *factory = GST_RTSP_MEDIA_FACTORY (self);

  g_mutex_init (&self->lock);
  self->backchannel = g_byte_array_new ();

  gst_rtsp_media_factory_set_media_gtype (factory, GST_TYPE_RTSP_ONVIF_MEDIA);
  /* Only a marker: create_element() builds the back channel itself. */
  gst_rtsp_onvif_media_factory_set_backchannel_launch (GST_RTSP_ONVIF_MEDIA_FACTORY (self),
                                                       BACKCHANNEL_LAUNCH);
  /* Viewers of the same stream share one encoder; a talking client gets its own pipeline
   * (the ONVIF factory never shares back-channel media). Media are not reusable (the default):
   * the pipeline is torn down when the last viewer leaves, so an idle device costs no thread and
   * no CPU. */
  gst_rtsp_media_factory_set_shared (factory, TRUE);
  gst_rtsp_media_factory_set_suspend_mode (factory, GST_RTSP_SUSPEND_MODE_NONE);
  gst_rtsp_media_factory_add_role (factory, "viewer",
                                   GST_RTSP_PERM_MEDIA_FACTORY_ACCESS, G_TYPE_BOOLEAN, TRUE,
                                   GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, G_TYPE_BOOLEAN, TRUE,
                                   NULL);
}

GhSimRtspFactory *
gh_sim_rtsp_factory_new (const char *device_name)
{
  GhSimRtspFactory *self;

  g_return_val_if_fail (device_name != NULL, NULL);

  self = g_object_new (GH_TYPE_SIM_RTSP_FACTORY, NULL);
  self->device_name = g_strdup (device_name);

  return self;
}

GBytes *
gh_sim_rtsp_factory_dup_backchannel_audio (GhSimRtspFactory *self)
{
  GBytes *bytes;

  g_return_val_if_fail (GH_IS_SIM_RTSP_FACTORY (self), NULL);

  g_mutex_lock (&self->lock);
  bytes = g_bytes_new (self->backchannel->data, self->backchannel->len);
  g_mutex_unlock (&self->lock);

  return bytes;
}

/**
 * gh_sim_rtsp_parse_query:
 * @query: (nullable): the URL query, e.g. `channel=1&subtype=0&unicast=true&proto=Onvif`
 * @stream: (out): the stream asked for
 * @onvif: (out): whether the ONVIF flavour (`proto=Onvif`) was asked for
 *
 * A door station has one video channel with a main stream (subtype 0, the default) and a sub
 * stream (subtype 1). Other keys (unicast, starttime…) are ignored, and so is a control path
 * that a client appended to the last value.
 *
 * Returns: %FALSE when the query names another channel or subtype
 */
gboolean
gh_sim_rtsp_parse_query (const char      *query,
                         GhSimRtspStream *stream,
                         gboolean        *onvif)
{
  g_auto(GStrv) pairs = NULL;

  *stream = GH_SIM_RTSP_STREAM_MAIN;
  *onvif = FALSE;

  if (query == NULL)
    return TRUE;

  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++) {
    char *eq = strchr (pairs[i], '=');
    char *value = eq != NULL ? eq + 1 : pairs[i] + strlen (pairs[i]);
    gsize key_len = (gsize) (value - pairs[i]) - (eq != NULL ? 1 : 0);

    /* Some clients append the stream's control path to the query (…&proto=Onvif/trackID=1). */
    value[strcspn (value, "/")] = '\0';

    if (key_len == strlen ("channel") && g_ascii_strncasecmp (pairs[i], "channel", key_len) == 0) {
      if (strcmp (value, "1") != 0)
        return FALSE;
    } else if (key_len == strlen ("subtype") &&
               g_ascii_strncasecmp (pairs[i], "subtype", key_len) == 0) {
      if (strcmp (value, "0") == 0)
        *stream = GH_SIM_RTSP_STREAM_MAIN;
      else if (strcmp (value, "1") == 0)
        *stream = GH_SIM_RTSP_STREAM_SUB;
      else
        return FALSE;
    } else if (key_len == strlen ("proto") &&
               g_ascii_strncasecmp (pairs[i], "proto", key_len) == 0) {
      *onvif = g_ascii_strcasecmp (value, "Onvif") == 0;
    }
  }

  return TRUE;
}

/**
 * gh_sim_rtsp_scene_launch:
 * @width: frame width
 * @height: frame height
 * @fps: frames per second
 * @live: whether the source runs on the clock (streams) or makes one frame at once (snapshot)
 *
 * The scene every stream and snapshot shows: a colour-bar test pattern with a textoverlay named
 * `overlay`; gh_sim_rtsp_scene_attach_clock() fills in its text.
 *
 * Returns: (transfer full): a gst-launch description ending in the overlay
 */
char *
gh_sim_rtsp_scene_launch (int      width,
                          int      height,
                          int      fps,
                          gboolean live)
{
  return g_strdup_printf ("videotestsrc pattern=smpte75 %s "
                          "! video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1,"
                          "pixel-aspect-ratio=1/1 "
                          "! textoverlay name=overlay font-desc=\"Sans Bold 16\" valignment=top "
                          "halignment=left line-alignment=left shaded-background=true "
                          "wait-text=false",
                          live ? "is-live=true" : "num-buffers=1", width, height, fps);
}

/**
 * gh_sim_rtsp_scene_text:
 * @device_name: the (markup-escaped) device name
 * @real_time_us: wall-clock time in microseconds since the epoch
 *
 * The overlay of every frame: the device name on the first line and the wall clock in UTC with
 * milliseconds on the second, `YYYY-MM-DD HH:MM:SS.mmm UTC`. A client that decodes the frame
 * (or a person looking at it) compares that clock with its own to measure latency.
 *
 * Returns: (transfer full): the overlay text
 */
char *
gh_sim_rtsp_scene_text (const char *device_name,
                        gint64      real_time_us)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (real_time_us / G_USEC_PER_SEC);
  g_autofree char *clock = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");

  return g_strdup_printf ("%s\n%s.%03d UTC", device_name, clock,
                          (int) ((real_time_us % G_USEC_PER_SEC) / 1000));
}

static void
draw_stamp (GstVideoFrame *frame,
            guint64        stamp)
{
  int width = GST_VIDEO_FRAME_WIDTH (frame);
  int height = GST_VIDEO_FRAME_HEIGHT (frame);
  int band = MAX (height / GH_SIM_RTSP_STAMP_BAND_DIVISOR, 2) & ~1;
  int top = (height - band) & ~1;
  guint8 *y_plane = GST_VIDEO_FRAME_PLANE_DATA (frame, 0);
  int y_stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);

  for (int row = top; row < top + band; row++) {
    guint8 *line = y_plane + (gsize) row * y_stride;

    for (int bit = 0; bit < GH_SIM_RTSP_STAMP_BITS; bit++) {
      int x0 = bit * width / GH_SIM_RTSP_STAMP_BITS;
      int x1 = (bit + 1) * width / GH_SIM_RTSP_STAMP_BITS;
      gboolean one = (stamp >> (GH_SIM_RTSP_STAMP_BITS - 1 - bit)) & 1;

      memset (line + x0, one ? 235 : 16, x1 - x0);
    }
  }

  /* Grey chroma under the band, so it is pure black and white. */
  for (guint plane = 1; plane < 3; plane++) {
    guint8 *data = GST_VIDEO_FRAME_PLANE_DATA (frame, plane);
    int stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, plane);
    int chroma_width = GST_VIDEO_FRAME_COMP_WIDTH (frame, plane);

    for (int row = top / 2; row < (top + band) / 2; row++)
      memset (data + (gsize) row * stride, 128, chroma_width);
  }
}

static GstPadProbeReturn
clock_probe_cb (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  const char *name = user_data;
  gint64 now = g_get_real_time ();
  g_autoptr(GstObject) overlay = gst_pad_get_parent (pad);
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autofree char *text = gh_sim_rtsp_scene_text (name, now);
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstVideoInfo video_info;
  GstVideoFrame frame;

  if (overlay != NULL)
    g_object_set (overlay, "text", text, NULL);

  if (caps == NULL || !gst_video_info_from_caps (&video_info, caps) ||
      GST_VIDEO_INFO_FORMAT (&video_info) != GST_VIDEO_FORMAT_I420)
    return GST_PAD_PROBE_OK;

  buffer = gst_buffer_make_writable (buffer);
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (gst_video_frame_map (&frame, &video_info, buffer, GST_MAP_WRITE)) {
    draw_stamp (&frame, (guint64) (now / 1000));
    gst_video_frame_unmap (&frame);
  }

  return GST_PAD_PROBE_OK;
}

/**
 * gh_sim_rtsp_scene_attach_clock:
 * @overlay: a textoverlay fed with I420
 * @device_name: the device name (plain text)
 *
 * Makes @overlay show gh_sim_rtsp_scene_text() for the moment each frame passes it, and paints
 * the same moment as a machine-readable time stamp band at the bottom of the frame: the band is
 * 1/%GH_SIM_RTSP_STAMP_BAND_DIVISOR of the frame height, split into %GH_SIM_RTSP_STAMP_BITS
 * equal blocks across the full width; block i (from the left) is white (luma 235) when bit
 * (47 − i) of the milliseconds since the Unix epoch is set, black (luma 16) otherwise.
 */
void
gh_sim_rtsp_scene_attach_clock (GstElement *overlay,
                                const char *device_name)
{
  g_autoptr(GstPad) pad = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (GST_IS_ELEMENT (overlay));
  g_return_if_fail (device_name != NULL);

  /* textoverlay renders Pango markup; a name like "A & B" must not break it. */
  escaped = g_markup_escape_text (device_name, -1);
  text = gh_sim_rtsp_scene_text (escaped, g_get_real_time ());
  g_object_set (overlay, "text", text, NULL);

  pad = gst_element_get_static_pad (overlay, "video_sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, clock_probe_cb, g_steal_pointer (&escaped),
                     g_free);
}
