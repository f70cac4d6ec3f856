/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-event-stream"

#include "config.h"

#include "gh-dahua-event-map.h"
#include "gh-dahua-event-parser.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

#define NOW_US (G_GINT64_CONSTANT (1774527751) * G_USEC_PER_SEC)

static GhDahuaEventFilter *filter;

static void
event_cb (const GhDahuaRawEvent *raw,
          gpointer               user_data)
{
  g_autoptr(GhEvent) event = gh_dahua_event_map (raw, "fuzz", NOW_US);
  g_autofree char *text = gh_event_to_string (event);

  gh_dahua_event_filter_accept (filter, raw, event, NOW_US);
}

static void
heartbeat_cb (gpointer user_data)
{
}

/* Input: one byte picking the chunk size, one picking the Content-Type, then the stream. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char *types[] = {
    "multipart/x-mixed-replace; boundary=myboundary",
    "multipart/x-mixed-replace; boundary=\"--myboundary\"",
    NULL,
    "text/plain",
  };
  GhDahuaEventParser *parser;
  gsize chunk;
  gsize pos = 2;

  if (size < 2)
    return 0;
  chunk = (data[0] % 64) + 1;
  filter = gh_dahua_event_filter_new ();
  gh_dahua_event_filter_attached (filter, 0);
  parser = gh_dahua_event_parser_new (types[data[1] % G_N_ELEMENTS (types)], event_cb,
                                      heartbeat_cb, NULL);
  while (pos < size) {
    gsize n = MIN (chunk, size - pos);

    gh_dahua_event_parser_feed (parser, (const char *) data + pos, n, NULL);
    pos += n;
  }
  gh_dahua_event_parser_finish (parser);
  gh_dahua_event_parser_free (parser);
  g_clear_pointer (&filter, gh_dahua_event_filter_free);
  return 0;
}
