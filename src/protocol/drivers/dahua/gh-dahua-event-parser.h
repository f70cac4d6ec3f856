/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "gh-dahua-event-data.h"

G_BEGIN_DECLS

/**
 * GhDahuaRawEvent:
 * @code: the event code ("CallNoAnswered")
 * @action: the action word ("Start", "Stop", "Pulse"…), or %NULL when absent
 * @index: the index field, -1 when absent or not a number
 * @data: the data object's members, or %NULL when absent or not a JSON object
 * @data_text: the data text as received, or %NULL when absent
 *
 * One event part of the device's event stream, before mapping.
 */
typedef struct {
  char               *code;       /* (owned) */
  char               *action;     /* (owned) (nullable) */
  int                 index;
  GhDahuaEventData   *data;       /* (owned) (nullable) */
  char               *data_text;  /* (owned) (nullable) */
} GhDahuaRawEvent;

typedef struct _GhDahuaEventParser GhDahuaEventParser;

typedef void (*GhDahuaEventFunc)     (const GhDahuaRawEvent *event,
                                      gpointer               user_data);
typedef void (*GhDahuaHeartbeatFunc) (gpointer               user_data);

GhDahuaEventParser *gh_dahua_event_parser_new          (const char           *content_type,
                                                        GhDahuaEventFunc      event_func,
                                                        GhDahuaHeartbeatFunc  heartbeat_func,
                                                        gpointer              user_data);
void                gh_dahua_event_parser_free         (GhDahuaEventParser   *self);
gboolean            gh_dahua_event_parser_feed         (GhDahuaEventParser   *self,
                                                        const char           *data,
                                                        gsize                 len,
                                                        GError              **error);
void                gh_dahua_event_parser_finish       (GhDahuaEventParser   *self);
const char         *gh_dahua_event_parser_get_boundary (GhDahuaEventParser   *self);
guint               gh_dahua_event_parser_get_n_bad    (GhDahuaEventParser   *self);

char               *gh_dahua_boundary_from_content_type (const char          *content_type);

GhDahuaRawEvent    *gh_dahua_raw_event_parse           (const char           *body,
                                                        gssize                len,
                                                        GError              **error);
void                gh_dahua_raw_event_free            (GhDahuaRawEvent      *self);
const char         *gh_dahua_raw_event_get_string      (const GhDahuaRawEvent *self,
                                                        const char           *key);
gboolean            gh_dahua_raw_event_get_int         (const GhDahuaRawEvent *self,
                                                        const char           *key,
                                                        gint64               *out_value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDahuaEventParser, gh_dahua_event_parser_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDahuaRawEvent, gh_dahua_raw_event_free)

G_END_DECLS
