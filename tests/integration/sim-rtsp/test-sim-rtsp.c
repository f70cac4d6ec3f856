/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sim-rtsp"

#include "config.h"

#include "gh-sim-rtsp.h"
#include "gh-sim-rtsp-factory.h"

#include <gst/app/app.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <string.h>
#include <unistd.h>

/* Plain GStreamer RTSP clients (rtspsrc) against GhSimRtsp over real loopback sockets. The server
 * lives on this thread's main context, so every wait iterates it. */

#define USER "admin"
#define PASSWORD "s3cret-Pass"
#define WAIT_US (15 * G_USEC_PER_SEC)

typedef struct {
  GstElement *pipeline;             /* (owned) */
  GstElement *src;                  /* (borrowed) */
  GMutex lock;
  guint video_frames;               /* (locked) */
  guint audio_buffers;              /* (locked) */
  GstCaps *video_caps;              /* (locked) (owned) decoded caps */
  GstCaps *audio_caps;              /* (locked) (owned) depayloaded caps */
  gint backchannel_id;              /* (locked) -1 until select-stream saw a sendonly stream */
  guint stamps;                     /* (locked) frames with a plausible time stamp band */
  gint64 first_stamp_ms;            /* (locked) */
  gint64 last_stamp_ms;             /* (locked) */
  gint64 min_latency_ms;            /* (locked) wall clock at decode minus the frame's stamp */
  gint64 max_latency_ms;            /* (locked) */
  GError *error;                    /* first ERROR on the bus */
  gboolean eos;
} Client;

/* Reads the simulator's time stamp band (documented in docs/simulator-rtsp.md) independently of
 * the server code: 48 blocks across the bottom 1/24 of the frame, most significant bit on the
 * left, white = 1; the value is the wall clock in ms since the epoch. */
static gboolean
read_stamp (GstSample *sample,
            gint64    *stamp_ms)
{
  GstVideoInfo info;
  GstVideoFrame frame;
  guint64 value = 0;
  int width, height, band, row;
  const guint8 *line;

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
      GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_I420 ||
      !gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ))
    return FALSE;

  width = GST_VIDEO_FRAME_WIDTH (&frame);
  height = GST_VIDEO_FRAME_HEIGHT (&frame);
  band = MAX (height / 24, 2) & ~1;
  row = ((height - band) & ~1) + band / 2;
  line = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0) +
         (gsize) row * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
  for (int bit = 0; bit < 48; bit++)
    value = (value << 1) | (line[(2 * bit + 1) * width / 96] > 125 ? 1 : 0);
  gst_video_frame_unmap (&frame);

  *stamp_ms = (gint64) value;
  return TRUE;
}

static GstFlowReturn
video_sample_cb (GstAppSink *sink,
                 gpointer    user_data)
{
  Client *client = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  gint64 stamp_ms;

  if (sample == NULL)
    return GST_FLOW_EOS;
  g_mutex_lock (&client->lock);
  client->video_frames++;
  /* A frame damaged on the way (UDP loss on a busy host makes the decoder conceal the bottom
   * of the picture) does not carry a plausible time: the reader skips it. */
  if (read_stamp (sample, &stamp_ms) &&
      stamp_ms <= g_get_real_time () / 1000 && stamp_ms > g_get_real_time () / 1000 - 5000) {
    gint64 latency_ms = g_get_real_time () / 1000 - stamp_ms;

    if (client->stamps++ == 0) {
      client->first_stamp_ms = stamp_ms;
      client->min_latency_ms = client->max_latency_ms = latency_ms;
    }
    client->last_stamp_ms = stamp_ms;
    client->min_latency_ms = MIN (client->min_latency_ms, latency_ms);
    client->max_latency_ms = MAX (client->max_latency_ms, latency_ms);
  }
  gst_caps_replace (&client->video_caps, gst_sample_get_caps (sample));
  g_mutex_unlock (&client->lock);
  return GST_FLOW_OK;
}

static GstFlowReturn
audio_sample_cb (GstAppSink *sink,
                 gpointer    user_data)
{
  Client *client = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);

  if (sample == NULL)
    return GST_FLOW_EOS;
  g_mutex_lock (&client->lock);
  client->audio_buffers++;
  gst_caps_replace (&client->audio_caps, gst_sample_get_caps (sample));
  g_mutex_unlock (&client->lock);
  return GST_FLOW_OK;
}

static void
pad_added_cb (GstElement *src,
              GstPad     *pad,
              gpointer    user_data)
{
  Client *client = user_data;
  g_autoptr(GstCaps) caps = gst_pad_query_caps (pad, NULL);
  GstStructure *s = gst_caps_get_structure (caps, 0);
  const char *media = gst_structure_get_string (s, "media");
  const char *encoding = gst_structure_get_string (s, "encoding-name");
  const char *description;
  GstAppSinkCallbacks callbacks = { 0 };
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstPad) sinkpad = NULL;
  GstElement *bin;

  if (g_strcmp0 (media, "video") == 0 && g_strcmp0 (encoding, "H264") == 0) {
    description = "rtph264depay ! h264parse ! avdec_h264 ! appsink name=sink sync=false";
    callbacks.new_sample = video_sample_cb;
  } else if (g_strcmp0 (media, "audio") == 0 && g_strcmp0 (encoding, "PCMA") == 0) {
    description = "rtppcmadepay ! appsink name=sink sync=false";
    callbacks.new_sample = audio_sample_cb;
  } else {
    description = "fakesink sync=false";
  }

  bin = gst_parse_bin_from_description (description, TRUE, NULL);
  g_assert_nonnull (bin);
  gst_bin_add (GST_BIN (client->pipeline), bin);
  sink = gst_bin_get_by_name (GST_BIN (bin), "sink");
  if (sink != NULL)
    gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, client, NULL);
  sinkpad = gst_element_get_static_pad (bin, "sink");
  g_assert_cmpint (gst_pad_link (pad, sinkpad), ==, GST_PAD_LINK_OK);
  gst_element_sync_state_with_parent (bin);
}

static gboolean
select_stream_cb (GstElement *src,
                  guint       num,
                  GstCaps    *caps,
                  gpointer    user_data)
{
  Client *client = user_data;
  GstStructure *s = gst_caps_get_structure (caps, 0);

  if (gst_structure_has_field (s, "a-sendonly")) {
    g_mutex_lock (&client->lock);
    client->backchannel_id = (gint) num;
    g_mutex_unlock (&client->lock);
  }
  return TRUE;
}

static Client *
client_new (GhSimRtsp  *rtsp,
            const char *query,
            const char *user,
            const char *password,
            gboolean    tcp,
            gboolean    backchannel)
{
  Client *client = g_new0 (Client, 1);
  g_autofree char *url = g_strdup_printf ("rtsp://127.0.0.1:%u/cam/realmonitor%s%s",
                                          gh_sim_rtsp_get_port (rtsp), query != NULL ? "?" : "",
                                          query != NULL ? query : "");

  g_mutex_init (&client->lock);
  client->backchannel_id = -1;
  client->pipeline = gst_pipeline_new (NULL);
  client->src = gst_element_factory_make ("rtspsrc", NULL);
  g_assert_nonnull (client->src);
  g_object_set (client->src, "location", url, "latency", 100,
                "tcp-timeout", (guint64) 5 * G_USEC_PER_SEC, NULL);
  if (user != NULL)
    g_object_set (client->src, "user-id", user, "user-pw", password, NULL);
  if (tcp)
    gst_util_set_object_arg (G_OBJECT (client->src), "protocols", "tcp");
  if (backchannel)
    gst_util_set_object_arg (G_OBJECT (client->src), "backchannel", "onvif");
  g_signal_connect (client->src, "pad-added", G_CALLBACK (pad_added_cb), client);
  g_signal_connect (client->src, "select-stream", G_CALLBACK (select_stream_cb), client);
  gst_bin_add (GST_BIN (client->pipeline), client->src);

  g_assert_cmpint (gst_element_set_state (client->pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  return client;
}

static void
client_free (Client *client)
{
  gst_element_set_state (client->pipeline, GST_STATE_NULL);
  gst_object_unref (client->pipeline);
  g_clear_pointer (&client->video_caps, gst_caps_unref);
  g_clear_pointer (&client->audio_caps, gst_caps_unref);
  g_clear_error (&client->error);
  g_mutex_clear (&client->lock);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static void
client_poll_bus (Client *client)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (client->pipeline);
  GstMessage *message;

  while ((message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR | GST_MESSAGE_EOS)) != NULL) {
    if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR && client->error == NULL)
      gst_message_parse_error (message, &client->error, NULL);
    else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
      client->eos = TRUE;
    gst_message_unref (message);
  }
}

typedef gboolean (*Condition) (Client *client, gpointer data);

/* Iterates the main context (the server's) until @condition holds or the deadline passes. */
static gboolean
client_wait (Client    *client,
             Condition  condition,
             gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  while (g_get_monotonic_time () < deadline) {
    while (g_main_context_iteration (NULL, FALSE))
      ;
    client_poll_bus (client);
    if (condition (client, data))
      return TRUE;
    g_usleep (2000);
  }
  return FALSE;
}

static gboolean
got_media (Client  *client,
           gpointer data)
{
  guint wanted = GPOINTER_TO_UINT (data);
  gboolean done;

  g_mutex_lock (&client->lock);
  done = client->stamps >= wanted && client->audio_buffers >= wanted;
  g_mutex_unlock (&client->lock);
  return done || client->error != NULL || client->eos;
}

static gboolean
failed (Client  *client,
        gpointer data)
{
  return client->error != NULL || client->eos;
}

static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until) {
    while (g_main_context_iteration (NULL, FALSE))
      ;
    g_usleep (2000);
  }
}

static void
assert_plays (Client *client,
              int     width,
              int     height)
{
  GstStructure *s;
  int w = 0, h = 0, rate = 0, channels = 0;

  g_assert_true (client_wait (client, got_media, GUINT_TO_POINTER (5)));
  g_assert_no_error (client->error);
  g_assert_false (client->eos);

  g_mutex_lock (&client->lock);
  s = gst_caps_get_structure (client->video_caps, 0);
  g_assert_true (gst_structure_get_int (s, "width", &w));
  g_assert_true (gst_structure_get_int (s, "height", &h));
  s = gst_caps_get_structure (client->audio_caps, 0);
  g_assert_cmpstr (gst_structure_get_name (s), ==, "audio/x-alaw");
  g_assert_true (gst_structure_get_int (s, "rate", &rate));
  g_assert_true (gst_structure_get_int (s, "channels", &channels));
  g_mutex_unlock (&client->lock);

  g_assert_cmpint (w, ==, width);
  g_assert_cmpint (h, ==, height);
  g_assert_cmpint (rate, ==, 8000);
  g_assert_cmpint (channels, ==, 1);

  /* Frames carry the wall clock they were made at: it runs, and it is a little in the past
   * (same host, same clock). */
  g_mutex_lock (&client->lock);
  g_assert_cmpuint (client->stamps, >=, 5);
  g_assert_cmpint (client->last_stamp_ms, >, client->first_stamp_ms);
  g_assert_cmpint (client->min_latency_ms, >=, 0);
  g_assert_cmpint (client->max_latency_ms, <, 3000);
  g_test_message ("%dx%d: %u of %u frames stamped, latency %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " ms",
                  width, height, client->stamps, client->video_frames, client->min_latency_ms,
                  client->max_latency_ms);
  g_mutex_unlock (&client->lock);
}

static void
assert_refused (Client *client)
{
  g_assert_true (client_wait (client, failed, NULL));
  g_mutex_lock (&client->lock);
  g_assert_cmpuint (client->video_frames, ==, 0);
  g_mutex_unlock (&client->lock);
}

static void
finish (GhSimRtsp *rtsp)
{
  /* Let queued invocations (session sweeping) run, then the object must go away. */
  spin (20);
  g_assert_finalize_object (rtsp);
}

static void
test_new_invalid (void)
{
  g_autoptr(GError) error = NULL;
  GhSimRtsp *rtsp;

  rtsp = gh_sim_rtsp_new ("", USER, PASSWORD, &error);
  g_assert_null (rtsp);
  g_assert_error (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  rtsp = gh_sim_rtsp_new ("Gate", "ad:min", PASSWORD, &error);
  g_assert_null (rtsp);
  g_assert_error (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  rtsp = gh_sim_rtsp_new ("Gate", USER, "bad\npassword", &error);
  g_assert_null (rtsp);
  g_assert_error (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  rtsp = gh_sim_rtsp_new ("Gate \xff", USER, PASSWORD, &error);
  g_assert_null (rtsp);
  g_assert_error (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_INVALID_INPUT);
}

static void
test_query (void)
{
  GhSimRtspStream stream;
  gboolean onvif;

  g_assert_true (gh_sim_rtsp_parse_query ("channel=1&subtype=0", &stream, &onvif));
  g_assert_cmpint (stream, ==, GH_SIM_RTSP_STREAM_MAIN);
  g_assert_false (onvif);
  g_assert_true (gh_sim_rtsp_parse_query ("channel=1&subtype=1&unicast=true&proto=Onvif",
                                          &stream, &onvif));
  g_assert_cmpint (stream, ==, GH_SIM_RTSP_STREAM_SUB);
  g_assert_true (onvif);
  g_assert_true (gh_sim_rtsp_parse_query (NULL, &stream, &onvif));
  g_assert_cmpint (stream, ==, GH_SIM_RTSP_STREAM_MAIN);
  g_assert_true (gh_sim_rtsp_parse_query ("channel=1&proto=Onvif&subtype=1/stream=0", &stream,
                                          &onvif));
  g_assert_cmpint (stream, ==, GH_SIM_RTSP_STREAM_SUB);
  g_assert_true (onvif);
  g_assert_true (gh_sim_rtsp_parse_query ("subtype=1&proto", &stream, &onvif));
  g_assert_false (onvif);
  g_assert_false (gh_sim_rtsp_parse_query ("subtype", &stream, &onvif));
  g_assert_false (gh_sim_rtsp_parse_query ("channel=2&subtype=0", &stream, &onvif));
  g_assert_false (gh_sim_rtsp_parse_query ("channel=1&subtype=2", &stream, &onvif));
  g_assert_false (gh_sim_rtsp_parse_query ("channel=1&subtype=", &stream, &onvif));
}

static void
test_scene_text (void)
{
  /* 2026-11-25 14:45:12.345678 UTC */
  g_autofree char *text = gh_sim_rtsp_scene_text ("Gate 1", G_GINT64_CONSTANT (1795617912345678));

  g_assert_cmpstr (text, ==, "Gate 1\n2026-11-25 14:45:12.345 UTC");
}

static void
test_auth (void)
{
  g_autoptr(GError) error = NULL;
  /* The name is part of the Digest realm: non-ASCII must work too. */
  GhSimRtsp *rtsp = gh_sim_rtsp_new ("Tor Süd", USER, PASSWORD, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (gh_sim_rtsp_get_port (rtsp), >, 0);

  {
    g_autoptr(Client) wrong = client_new (rtsp, "channel=1&subtype=1", USER, "wrong", TRUE, FALSE);

    assert_refused (wrong);
    g_assert_error (wrong->error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED);
  }
  {
    g_autoptr(Client) anonymous = client_new (rtsp, "channel=1&subtype=1", NULL, NULL, TRUE,
                                              FALSE);

    assert_refused (anonymous);
    g_assert_error (anonymous->error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED);
  }
  {
    g_autoptr(Client) right = client_new (rtsp, "channel=1&subtype=1", USER, PASSWORD, TRUE,
                                          FALSE);

    assert_plays (right, 352, 288);
  }

  finish (rtsp);
}

static void
test_streams (void)
{
  g_autoptr(GError) error = NULL;
  GhSimRtsp *rtsp = gh_sim_rtsp_new ("Gate 1", USER, PASSWORD, &error);

  g_assert_no_error (error);

  {
    /* Default transports: UDP first, as a real client. */
    g_autoptr(Client) main_stream = client_new (rtsp, "channel=1&subtype=0", USER, PASSWORD,
                                                FALSE, FALSE);
    g_autoptr(Client) sub_stream = client_new (rtsp, "channel=1&subtype=1", USER, PASSWORD,
                                               TRUE, FALSE);

    assert_plays (main_stream, 1280, 720);
    assert_plays (sub_stream, 352, 288);
  }
  {
    /* Two viewers of one stream at once (they share the server's pipeline). */
    g_autoptr(Client) first = client_new (rtsp, "channel=1&subtype=1", USER, PASSWORD, TRUE,
                                          FALSE);
    g_autoptr(Client) second = client_new (rtsp, "channel=1&subtype=1", USER, PASSWORD, TRUE,
                                           FALSE);

    assert_plays (first, 352, 288);
    assert_plays (second, 352, 288);
  }
  {
    g_autoptr(Client) missing = client_new (rtsp, "channel=1&subtype=7", USER, PASSWORD, TRUE,
                                            FALSE);

    assert_refused (missing);
    g_assert_error (missing->error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND);
  }

  finish (rtsp);
}

static void
test_backchannel (void)
{
  g_autoptr(GError) error = NULL;
  GhSimRtsp *rtsp = gh_sim_rtsp_new ("Gate 2", USER, PASSWORD, &error);
  g_autoptr(GBytes) received = NULL;
  g_autoptr(GByteArray) sent = g_byte_array_new ();
  g_autoptr(GstElement) mic = NULL;
  g_autoptr(GstElement) appsrc = NULL;
  g_autoptr(GstElement) rtp = NULL;
  const guint packets = 50;
  const guint packet_bytes = 160;
  gint id;

  g_assert_no_error (error);

  {
    /* No back channel on the plain URL: the server answers 551 to Require. */
    g_autoptr(Client) plain = client_new (rtsp, "channel=1&subtype=1", USER, PASSWORD, TRUE,
                                          TRUE);

    assert_refused (plain);
    g_assert_error (plain->error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS);
  }
  {
    g_autoptr(Client) bare = client_new (rtsp, NULL, USER, PASSWORD, TRUE, TRUE);

    assert_refused (bare);
    g_assert_error (bare->error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS);
  }
  {
    /* Without a query the URL means the main stream. */
    g_autoptr(Client) bare = client_new (rtsp, NULL, USER, PASSWORD, TRUE, FALSE);

    assert_plays (bare, 1280, 720);
  }

  /* A-law bytes with a recognisable pattern → RTP (PCMA) → rtspsrc's back channel. */
  mic = gst_parse_launch ("appsrc name=mic format=time "
                          "caps=audio/x-alaw,rate=8000,channels=1 "
                          "! rtppcmapay pt=8 min-ptime=20000000 max-ptime=20000000 "
                          "! appsink name=rtp sync=false", &error);
  g_assert_no_error (error);
  appsrc = gst_bin_get_by_name (GST_BIN (mic), "mic");
  rtp = gst_bin_get_by_name (GST_BIN (mic), "rtp");
  g_assert_cmpint (gst_element_set_state (mic, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);

  {
    g_autoptr(Client) talk = client_new (rtsp, "channel=1&subtype=1&unicast=true&proto=Onvif",
                                         USER, PASSWORD, TRUE, TRUE);

    assert_plays (talk, 352, 288);
    g_mutex_lock (&talk->lock);
    id = talk->backchannel_id;
    g_mutex_unlock (&talk->lock);
    g_assert_cmpint (id, >=, 0);

    for (guint i = 0; i < packets; i++) {
      GstBuffer *buffer = gst_buffer_new_allocate (NULL, packet_bytes, NULL);
      GstMapInfo map;
      GstSample *sample;
      GstFlowReturn ret = GST_FLOW_ERROR;

      gst_buffer_map (buffer, &map, GST_MAP_WRITE);
      for (guint j = 0; j < packet_bytes; j++)
        map.data[j] = (guint8) ((i * packet_bytes + j) * 7 + 3);
      g_byte_array_append (sent, map.data, map.size);
      gst_buffer_unmap (buffer, &map);
      GST_BUFFER_PTS (buffer) = i * 20 * GST_MSECOND;
      GST_BUFFER_DURATION (buffer) = 20 * GST_MSECOND;
      g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (appsrc), buffer), ==, GST_FLOW_OK);

      /* One 20 ms packet out for each buffer in; push-backchannel-buffer takes ownership of
       * the sample (push-backchannel-sample is broken on 1.22.0). */
      sample = gst_app_sink_try_pull_sample (GST_APP_SINK (rtp), GST_SECOND);
      g_assert_nonnull (sample);
      g_signal_emit_by_name (talk->src, "push-backchannel-buffer", (guint) id, sample, &ret);
      g_assert_cmpint (ret, ==, GST_FLOW_OK);
      spin (20);
    }

    {
      gint64 deadline = g_get_monotonic_time () + WAIT_US;

      do {
        g_clear_pointer (&received, g_bytes_unref);
        spin (20);
        received = gh_sim_rtsp_dup_backchannel_audio (rtsp);
      } while (g_bytes_get_size (received) < sent->len && g_get_monotonic_time () < deadline);
    }
  }

  gst_element_set_state (mic, GST_STATE_NULL);

  g_assert_cmpmem (g_bytes_get_data (received, NULL), g_bytes_get_size (received),
                   sent->data, sent->len);

  finish (rtsp);
}

static void
test_snapshot (void)
{
  g_autoptr(GError) error = NULL;
  GhSimRtsp *rtsp = gh_sim_rtsp_new ("Gate <3> & Co", USER, PASSWORD, &error);
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GstElement) decoder = NULL;
  g_autoptr(GstElement) in = NULL;
  g_autoptr(GstElement) out = NULL;
  g_autoptr(GstSample) decoded = NULL;
  const guint8 *data;
  gsize size;
  GstVideoInfo info;

  g_assert_no_error (error);

  first = gh_sim_rtsp_snapshot_jpeg (rtsp, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (first, &size);
  g_assert_cmpuint (size, >, 1000);
  g_assert_cmpuint (data[0], ==, 0xff);
  g_assert_cmpuint (data[1], ==, 0xd8);
  g_assert_cmpuint (data[size - 2], ==, 0xff);
  g_assert_cmpuint (data[size - 1], ==, 0xd9);

  /* It decodes, to a 1280×720 picture. */
  decoder = gst_parse_launch ("appsrc name=in caps=image/jpeg ! jpegdec ! videoconvert "
                              "! video/x-raw,format=RGB ! appsink name=out sync=false", &error);
  g_assert_no_error (error);
  in = gst_bin_get_by_name (GST_BIN (decoder), "in");
  out = gst_bin_get_by_name (GST_BIN (decoder), "out");
  g_assert_cmpint (gst_element_set_state (decoder, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  gst_app_src_push_buffer (GST_APP_SRC (in), gst_buffer_new_wrapped_bytes (first));
  gst_app_src_end_of_stream (GST_APP_SRC (in));
  decoded = gst_app_sink_try_pull_sample (GST_APP_SINK (out), 5 * GST_SECOND);
  gst_element_set_state (decoder, GST_STATE_NULL);
  g_assert_nonnull (decoded);
  g_assert_true (gst_video_info_from_caps (&info, gst_sample_get_caps (decoded)));
  g_assert_cmpint (GST_VIDEO_INFO_WIDTH (&info), ==, 1280);
  g_assert_cmpint (GST_VIDEO_INFO_HEIGHT (&info), ==, 720);

  /* The clock runs: a later snapshot is a different picture. */
  g_usleep (15000);
  second = gh_sim_rtsp_snapshot_jpeg (rtsp, &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (first, second));

  gh_sim_rtsp_set_online (rtsp, FALSE);
  g_assert_null (gh_sim_rtsp_snapshot_jpeg (rtsp, &error));
  g_assert_error (error, GH_SIM_RTSP_ERROR, GH_SIM_RTSP_ERROR_OFFLINE);

  finish (rtsp);
}

static void
test_offline (void)
{
  g_autoptr(GError) error = NULL;
  GhSimRtsp *rtsp = gh_sim_rtsp_new ("Fence 3", USER, PASSWORD, &error);
  guint port;

  g_assert_no_error (error);
  port = gh_sim_rtsp_get_port (rtsp);

  {
    g_autoptr(Client) watching = client_new (rtsp, "channel=1&subtype=1", USER, PASSWORD, TRUE,
                                             FALSE);

    assert_plays (watching, 352, 288);

    /* Going offline drops the client that is watching. */
    gh_sim_rtsp_set_online (rtsp, FALSE);
    g_assert_true (client_wait (watching, failed, NULL));
  }
  {
    g_autoptr(Client) refused = client_new (rtsp, "channel=1&subtype=1", USER, PASSWORD, TRUE,
                                            FALSE);

    assert_refused (refused);
  }

  gh_sim_rtsp_set_online (rtsp, TRUE);
  g_assert_cmpuint (gh_sim_rtsp_get_port (rtsp), ==, port);
  {
    g_autoptr(Client) again = client_new (rtsp, "channel=1&subtype=1", USER, PASSWORD, TRUE,
                                          FALSE);

    assert_plays (again, 352, 288);
  }

  finish (rtsp);
}

static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return 0;
  fields = g_strsplit (statm, " ", -1);
  return g_ascii_strtoull (fields[1], NULL, 10) * (gsize) sysconf (_SC_PAGESIZE);
}

static void
test_many (void)
{
  const guint count = 100;
  g_autoptr(GPtrArray) devices = g_ptr_array_new ();
  g_autoptr(GHashTable) ports = g_hash_table_new (NULL, NULL);
  gsize before, after;
  gint64 start, elapsed;

  /* Warm up the types and plugins so they are not counted. */
  g_object_unref (gh_sim_rtsp_new ("Warm-up", USER, PASSWORD, NULL));

  before = resident_bytes ();
  start = g_get_monotonic_time ();
  for (guint i = 0; i < count; i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *name = g_strdup_printf ("Door %u", i + 1);
    GhSimRtsp *rtsp = gh_sim_rtsp_new (name, USER, PASSWORD, &error);

    g_assert_no_error (error);
    g_assert_false (g_hash_table_contains (ports,
                                           GUINT_TO_POINTER (gh_sim_rtsp_get_port (rtsp))));
    g_hash_table_add (ports, GUINT_TO_POINTER (gh_sim_rtsp_get_port (rtsp)));
    g_ptr_array_add (devices, rtsp);
  }
  elapsed = g_get_monotonic_time () - start;
  after = resident_bytes ();

  g_test_message ("%u idle RTSP devices: %.1f ms to create, RSS +%.1f KiB (%.1f KiB each)",
                  count, elapsed / 1000.0, (after - before) / 1024.0,
                  (after - before) / 1024.0 / count);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (after - before, <, count * 256 * 1024);

  {
    /* The last of them serves as well as a lone one. */
    GhSimRtsp *last = g_ptr_array_index (devices, count - 1);
    g_autoptr(Client) client = client_new (last, "channel=1&subtype=1", USER, PASSWORD, TRUE,
                                           FALSE);

    assert_plays (client, 352, 288);
  }

  for (guint i = 0; i < devices->len; i++)
    finish (g_ptr_array_index (devices, i));
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim-rtsp/new-invalid", test_new_invalid);
  g_test_add_func ("/sim-rtsp/query", test_query);
  g_test_add_func ("/sim-rtsp/scene-text", test_scene_text);
  g_test_add_func ("/sim-rtsp/auth", test_auth);
  g_test_add_func ("/sim-rtsp/streams", test_streams);
  g_test_add_func ("/sim-rtsp/backchannel", test_backchannel);
  g_test_add_func ("/sim-rtsp/snapshot", test_snapshot);
  g_test_add_func ("/sim-rtsp/offline", test_offline);
  g_test_add_func ("/sim-rtsp/many", test_many);

  return g_test_run ();
}
