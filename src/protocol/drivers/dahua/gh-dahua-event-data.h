/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The top level of an event's JSON data object, read once per event on a busy stream. */
typedef struct _GhDahuaEventData GhDahuaEventData;

GhDahuaEventData *gh_dahua_event_data_parse      (const char             *text,
                                                  gsize                   len);
void              gh_dahua_event_data_free       (GhDahuaEventData       *self);
const char       *gh_dahua_event_data_get_string (const GhDahuaEventData *self,
                                                  const char             *key);
gboolean          gh_dahua_event_data_get_int    (const GhDahuaEventData *self,
                                                  const char             *key,
                                                  gint64                 *out_value);
char             *gh_dahua_event_data_to_json    (const GhDahuaEventData *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDahuaEventData, gh_dahua_event_data_free)

G_END_DECLS
