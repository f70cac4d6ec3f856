/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * GhEventKind:
 *
 * What happened at a device, in vendor-neutral terms. Drivers map their own event codes onto
 * these; anything they cannot map arrives as %GH_EVENT_OTHER with the raw code kept so it can
 * be shown for diagnosis.
 */
typedef enum {
  GH_EVENT_OTHER,
  GH_EVENT_CALL_RINGING,
  GH_EVENT_CALL_ANSWERED,
  GH_EVENT_CALL_ENDED,
  GH_EVENT_CALL_MISSED,
  GH_EVENT_ACCESS_GRANTED,
  GH_EVENT_ACCESS_DENIED,
  GH_EVENT_DOOR_OPENED,
  GH_EVENT_DOOR_CLOSED,
  GH_EVENT_DOOR_LEFT_OPEN,
  GH_EVENT_ALARM_START,
  GH_EVENT_ALARM_STOP,
  GH_EVENT_TAMPER,
  GH_EVENT_DEVICE_ONLINE,
  GH_EVENT_DEVICE_OFFLINE,
  GH_EVENT_DEVICE_UNAUTHORIZED,
} GhEventKind;

/**
 * GhAccessMethod:
 *
 * How a person asked a door to open.
 */
typedef enum {
  GH_ACCESS_METHOD_UNKNOWN,
  GH_ACCESS_METHOD_CARD,
  GH_ACCESS_METHOD_PASSWORD,
  GH_ACCESS_METHOD_REMOTE,
  GH_ACCESS_METHOD_FINGERPRINT,
  GH_ACCESS_METHOD_FACE,
  GH_ACCESS_METHOD_BUTTON,
  GH_ACCESS_METHOD_DURESS,
} GhAccessMethod;

#define GH_TYPE_EVENT_KIND (gh_event_kind_get_type ())
#define GH_TYPE_ACCESS_METHOD (gh_access_method_get_type ())
#define GH_TYPE_EVENT (gh_event_get_type ())

/**
 * GhEvent:
 * @kind: what happened
 * @device_id: the device that reported it (the #GhDeviceConfig id)
 * @door: 0-based door or input index, -1 when the event is not about a door
 * @time: when it happened, microseconds since the epoch in UTC
 * @method: how access was asked for (access events)
 * @credential: card number or other credential shown, or %NULL
 * @person_id: the person the device matched, or %NULL
 * @room: the room involved (called room, or the room of the person), or %NULL
 * @call_id: the device's call identifier, or %NULL
 * @raw_code: the device's own event code, for diagnosis
 * @raw_action: the device's own action word (Start, Stop, Pulse…), or %NULL
 * @raw_data: the device's event payload as JSON text, or %NULL
 * @synthetic: %TRUE when the driver made the event up (a ring that timed out, a lost stream)
 *
 * A normalized device event. Reference counted; treat as immutable once emitted.
 */
typedef struct {
  GhEventKind     kind;
  char           *device_id;   /* (owned) */
  int             door;
  gint64          time;
  GhAccessMethod  method;
  char           *credential;  /* (owned) */
  char           *person_id;   /* (owned) */
  char           *room;        /* (owned) */
  char           *call_id;     /* (owned) */
  char           *raw_code;    /* (owned) */
  char           *raw_action;  /* (owned) */
  char           *raw_data;    /* (owned) */
  gboolean        synthetic;
} GhEvent;

GType        gh_event_kind_get_type       (void) G_GNUC_CONST;
GType        gh_access_method_get_type    (void) G_GNUC_CONST;
GType        gh_event_get_type            (void) G_GNUC_CONST;

GhEvent     *gh_event_new                 (GhEventKind     kind,
                                           const char     *device_id);
GhEvent     *gh_event_ref                 (GhEvent        *self);
void         gh_event_unref               (GhEvent        *self);
char        *gh_event_to_string           (const GhEvent  *self);

const char  *gh_event_kind_to_string      (GhEventKind     kind);
gboolean     gh_event_kind_from_string    (const char     *name,
                                           GhEventKind    *out_kind);
const char  *gh_access_method_to_string   (GhAccessMethod  method);
gboolean     gh_event_kind_is_call        (GhEventKind     kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhEvent, gh_event_unref)

G_END_DECLS
