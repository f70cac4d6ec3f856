/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "gh-event.h"
#include "gh-dahua-event-parser.h"

G_BEGIN_DECLS

/* Start events this soon after (re)attach are stale replays of still-active state. */
#define GH_DAHUA_STALE_WINDOW_US (3 * G_USEC_PER_SEC)
/* A ring with no answer or end after this long is closed with a synthetic call-ended. */
#define GH_DAHUA_RING_TIMEOUT_US (60 * G_USEC_PER_SEC)
/* Duplicate end events (several codes for one hang-up) within this window are dropped. */
#define GH_DAHUA_END_DEBOUNCE_US (10 * G_USEC_PER_SEC)

GhEvent *gh_dahua_event_map (const GhDahuaRawEvent *raw,
                             const char            *device_id,
                             gint64                 now_us);

typedef struct _GhDahuaEventFilter GhDahuaEventFilter;

GhDahuaEventFilter *gh_dahua_event_filter_new           (void);
void                gh_dahua_event_filter_free          (GhDahuaEventFilter    *self);
void                gh_dahua_event_filter_attached      (GhDahuaEventFilter    *self,
                                                         gint64                 now_us);
gboolean            gh_dahua_event_filter_accept        (GhDahuaEventFilter    *self,
                                                         const GhDahuaRawEvent *raw,
                                                         const GhEvent         *event,
                                                         gint64                 now_us);
GhEvent            *gh_dahua_event_filter_expire        (GhDahuaEventFilter    *self,
                                                         const char            *device_id,
                                                         gint64                 now_us);
gint64              gh_dahua_event_filter_next_deadline (GhDahuaEventFilter    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDahuaEventFilter, gh_dahua_event_filter_free)

G_END_DECLS
