/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-dahua-event-map"

#include "config.h"

#include "gh-dahua-event-map.h"

#include "gh-dahua-time.h"

#include <string.h>

/*
 * Device event codes differ by model and firmware, so the mapping is a table. A row matches
 * a code (case-insensitive) and optionally an action; a refine function may look at the data
 * to pick the kind (AccessControl Status, BackKeyLight State, DoorStatus Status). Codes
 * without a row map to GH_EVENT_OTHER and keep their raw code for diagnosis.
 */

typedef GhEventKind (*RefineFunc) (const GhDahuaRawEvent *raw);

typedef struct {
  const char  *code;
  const char  *action;  /* NULL = any */
  GhEventKind  kind;
  RefineFunc   refine;
} MapRow;

static gboolean
action_is (const GhDahuaRawEvent *raw,
           const char            *action)
{
  return raw->action != NULL && g_ascii_strcasecmp (raw->action, action) == 0;
}

static GhEventKind
refine_access (const GhDahuaRawEvent *raw)
{
  gint64 status;

  if (gh_dahua_raw_event_get_int (raw, "Status", &status))
    return status != 0 ? GH_EVENT_ACCESS_GRANTED : GH_EVENT_ACCESS_DENIED;
  if (gh_dahua_raw_event_get_int (raw, "ErrorCode", &status))
    return status == 0 ? GH_EVENT_ACCESS_GRANTED : GH_EVENT_ACCESS_DENIED;
  return GH_EVENT_ACCESS_GRANTED;
}

static GhEventKind
refine_back_key_light (const GhDahuaRawEvent *raw)
{
  gint64 state;

  if (!gh_dahua_raw_event_get_int (raw, "State", &state))
    return GH_EVENT_OTHER;
  switch (state) {
  case 1:
  case 2:
    return GH_EVENT_CALL_RINGING;
  case 5:
    return GH_EVENT_CALL_ANSWERED;
  case 6:
    return GH_EVENT_CALL_MISSED;
  default:
    return GH_EVENT_OTHER;
  }
}

static GhEventKind
refine_door_status (const GhDahuaRawEvent *raw)
{
  const char *status = gh_dahua_raw_event_get_string (raw, "Status");

  if (status == NULL)
    status = raw->action;
  if (status == NULL)
    return GH_EVENT_OTHER;
  if (g_ascii_strcasecmp (status, "Open") == 0 || g_ascii_strcasecmp (status, "Start") == 0)
    return GH_EVENT_DOOR_OPENED;
  if (g_ascii_strcasecmp (status, "Close") == 0 || g_ascii_strcasecmp (status, "Closed") == 0 ||
      g_ascii_strcasecmp (status, "Stop") == 0)
    return GH_EVENT_DOOR_CLOSED;
  return GH_EVENT_OTHER;
}

static GhEventKind
refine_talk_action (const GhDahuaRawEvent *raw)
{
  const char *what = gh_dahua_raw_event_get_string (raw, "Action");

  if (what == NULL)
    what = raw->action;
  if (what == NULL)
    return GH_EVENT_OTHER;
  if (g_ascii_strcasecmp (what, "Invite") == 0 || g_ascii_strcasecmp (what, "Start") == 0)
    return GH_EVENT_CALL_RINGING;
  if (g_ascii_strcasecmp (what, "Hangup") == 0 || g_ascii_strcasecmp (what, "Stop") == 0)
    return GH_EVENT_CALL_ENDED;
  if (g_ascii_strcasecmp (what, "Answer") == 0)
    return GH_EVENT_CALL_ANSWERED;
  return GH_EVENT_OTHER;
}

/* AlarmLocal also reports the tamper switch, marked by its sense method. */
static GhEventKind
refine_alarm_local (const GhDahuaRawEvent *raw)
{
  const char *sense = gh_dahua_raw_event_get_string (raw, "SenseMethod");
  gboolean tamper = sense != NULL && g_ascii_strcasecmp (sense, "Tamper") == 0;

  if (action_is (raw, "Stop"))
    return GH_EVENT_ALARM_STOP;
  if (action_is (raw, "Start") || action_is (raw, "Pulse"))
    return tamper ? GH_EVENT_TAMPER : GH_EVENT_ALARM_START;
  return GH_EVENT_OTHER;
}

static const MapRow map[] = {
  /* Calls. CallNoAnswered Start fires at the button press; IgnoreInvite means answered. */
  { "Invite", NULL, GH_EVENT_CALL_RINGING, NULL },
  { "CallNoAnswered", "Start", GH_EVENT_CALL_RINGING, NULL },
  { "CallNoAnswered", "Stop", GH_EVENT_CALL_MISSED, NULL },
  { "IgnoreInvite", NULL, GH_EVENT_CALL_ANSWERED, NULL },
  { "PassiveHungup", NULL, GH_EVENT_CALL_ENDED, NULL },
  { "PassiveHangup", NULL, GH_EVENT_CALL_ENDED, NULL },
  { "HungupPhone", NULL, GH_EVENT_CALL_ENDED, NULL },
  { "HangupPhone", NULL, GH_EVENT_CALL_ENDED, NULL },
  { "Hangup", NULL, GH_EVENT_CALL_ENDED, NULL },
  { "BackKeyLight", NULL, GH_EVENT_OTHER, refine_back_key_light },
  { "PhoneCallDetect", "Stop", GH_EVENT_CALL_ENDED, NULL },
  { "PhoneCallDetect", NULL, GH_EVENT_CALL_RINGING, NULL },
  { "DoorBell", NULL, GH_EVENT_CALL_RINGING, NULL },
  { "_DoTalkAction_", NULL, GH_EVENT_OTHER, refine_talk_action },
  /* Access and doors. */
  { "AccessControl", NULL, GH_EVENT_ACCESS_GRANTED, refine_access },
  { "DoorStatus", NULL, GH_EVENT_OTHER, refine_door_status },
  { "DoorOpen", NULL, GH_EVENT_DOOR_OPENED, NULL },
  { "DoorClose", NULL, GH_EVENT_DOOR_CLOSED, NULL },
  { "DoorNotClosed", "Start", GH_EVENT_DOOR_LEFT_OPEN, NULL },
  { "DoorNotClosed", "Stop", GH_EVENT_DOOR_CLOSED, NULL },
  /* Alarms and tamper. */
  { "AlarmLocal", NULL, GH_EVENT_OTHER, refine_alarm_local },
  { "BreakIn", NULL, GH_EVENT_ALARM_START, NULL },  /* door forced open */
  { "ProfileAlarmTransmit", "Stop", GH_EVENT_ALARM_STOP, NULL },
  { "ProfileAlarmTransmit", NULL, GH_EVENT_ALARM_START, NULL },
  { "ChassisIntruded", "Stop", GH_EVENT_OTHER, NULL },
  { "ChassisIntruded", NULL, GH_EVENT_TAMPER, NULL },
  { "Tamper", "Stop", GH_EVENT_OTHER, NULL },
  { "Tamper", NULL, GH_EVENT_TAMPER, NULL },
};

static GhAccessMethod
map_method (gint64 method)
{
  switch (method) {
  case 1: return GH_ACCESS_METHOD_CARD;
  case 2: return GH_ACCESS_METHOD_PASSWORD;
  case 4: return GH_ACCESS_METHOD_REMOTE;
  case 6: return GH_ACCESS_METHOD_FINGERPRINT;
  case 15: return GH_ACCESS_METHOD_FACE;
  default: return GH_ACCESS_METHOD_UNKNOWN;
  }
}

static const char *
first_string (const GhDahuaRawEvent *raw,
              const char            *a,
              const char            *b)
{
  const char *v = gh_dahua_raw_event_get_string (raw, a);

  if ((v == NULL || *v == '\0') && b != NULL)
    v = gh_dahua_raw_event_get_string (raw, b);
  return (v != NULL && *v != '\0') ? v : NULL;
}

static char *
int_or_string (const GhDahuaRawEvent *raw,
               const char            *key)
{
  const char *s = first_string (raw, key, NULL);
  gint64 n;

  if (s != NULL)
    return g_strdup (s);
  if (gh_dahua_raw_event_get_int (raw, key, &n))
    return g_strdup_printf ("%" G_GINT64_FORMAT, n);
  return NULL;
}

/**
 * gh_dahua_event_map:
 * @now_us: the receive time, used when the device's own time is missing or implausible
 *
 * Returns: (transfer full): the normalized event; never %NULL
 */
GhEvent *
gh_dahua_event_map (const GhDahuaRawEvent *raw,
                    const char            *device_id,
                    gint64                 now_us)
{
  GhEventKind kind = GH_EVENT_OTHER;
  GhEvent *event;
  gint64 utc, method;

  g_return_val_if_fail (raw != NULL && raw->code != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (map); i++) {
    if (g_ascii_strcasecmp (map[i].code, raw->code) != 0)
      continue;
    if (map[i].action != NULL && !action_is (raw, map[i].action))
      continue;
    kind = map[i].refine ? map[i].refine (raw) : map[i].kind;
    break;
  }

  event = gh_event_new (kind, device_id);
  event->time = now_us;
  event->raw_code = g_strdup (raw->code);
  event->raw_action = g_strdup (raw->action);
  event->raw_data = g_strdup (raw->data_text);
  /* For a door station, index is the door or alarm input (0-based), not a camera channel. */
  if (raw->index >= 0 && raw->index < 1000)
    event->door = raw->index;

  /* The data's UTC is explicit; it is trusted only when close to our clock. */
  if (gh_dahua_raw_event_get_int (raw, "UTC", &utc) &&
      gh_dahua_time_is_plausible (utc, now_us / G_USEC_PER_SEC))
    event->time = utc * G_USEC_PER_SEC;

  if (kind == GH_EVENT_ACCESS_GRANTED || kind == GH_EVENT_ACCESS_DENIED) {
    gint64 card_type;

    if (gh_dahua_raw_event_get_int (raw, "Method", &method))
      event->method = map_method (method);
    if (gh_dahua_raw_event_get_int (raw, "CardType", &card_type) && card_type == 5)
      event->method = GH_ACCESS_METHOD_DURESS;
    event->credential = int_or_string (raw, "CardNo");
    event->person_id = int_or_string (raw, "UserID");
    if (gh_dahua_raw_event_get_int (raw, "Door", &method) && method >= 0 && method < 1000)
      event->door = (int) method;
  } else if (gh_event_kind_is_call (kind)) {
    event->call_id = int_or_string (raw, "CallID");
    /* In call events UserID is the called room. */
    event->room = int_or_string (raw, "UserID");
    if (event->room == NULL && raw->index > 1000)
      event->room = g_strdup_printf ("%d", raw->index);  /* multi-apartment stations */
    if (raw->index > 1000)
      event->door = -1;
  }
  return event;
}

typedef enum {
  CALL_IDLE,
  CALL_RINGING,
  CALL_TALKING,
} CallPhase;

struct _GhDahuaEventFilter
{
  gint64     attached_us;
  CallPhase  phase;
  gint64     phase_since_us;
  gint64     last_end_us;
  char      *call_id;  /* (owned) (nullable) */
  char      *room;     /* (owned) (nullable) */
};

GhDahuaEventFilter *
gh_dahua_event_filter_new (void)
{
  GhDahuaEventFilter *self = g_new0 (GhDahuaEventFilter, 1);

  self->attached_us = G_MININT64 / 2;
  self->last_end_us = G_MININT64 / 2;
  return self;
}

void
gh_dahua_event_filter_free (GhDahuaEventFilter *self)
{
  if (self == NULL)
    return;
  g_free (self->call_id);
  g_free (self->room);
  g_free (self);
}

/* Call when a (re)attach succeeded. */
void
gh_dahua_event_filter_attached (GhDahuaEventFilter *self,
                                gint64              now_us)
{
  self->attached_us = now_us;
}

/**
 * gh_dahua_event_filter_accept:
 *
 * Decides whether a mapped event is passed on: drops Start replays right after attach, the
 * extra ring codes one bell press produces, and duplicate ends of one call.
 */
gboolean
gh_dahua_event_filter_accept (GhDahuaEventFilter    *self,
                              const GhDahuaRawEvent *raw,
                              const GhEvent         *event,
                              gint64                 now_us)
{
  if (action_is (raw, "Start") && now_us - self->attached_us < GH_DAHUA_STALE_WINDOW_US) {
    g_debug ("Dropping %s Start replayed %" G_GINT64_FORMAT " ms after attach", raw->code,
             (now_us - self->attached_us) / 1000);
    return FALSE;
  }

  switch (event->kind) {
  case GH_EVENT_CALL_RINGING:
    if (self->phase == CALL_RINGING || self->phase == CALL_TALKING)
      return FALSE;
    self->phase = CALL_RINGING;
    self->phase_since_us = now_us;
    g_free (self->call_id);
    self->call_id = g_strdup (event->call_id);
    g_free (self->room);
    self->room = g_strdup (event->room);
    return TRUE;

  case GH_EVENT_CALL_ANSWERED:
    if (self->phase == CALL_TALKING)
      return FALSE;
    self->phase = CALL_TALKING;
    self->phase_since_us = now_us;
    return TRUE;

  case GH_EVENT_CALL_ENDED:
  case GH_EVENT_CALL_MISSED:
    if (self->phase == CALL_IDLE && now_us - self->last_end_us < GH_DAHUA_END_DEBOUNCE_US)
      return FALSE;
    self->phase = CALL_IDLE;
    self->last_end_us = now_us;
    return TRUE;

  default:
    return TRUE;
  }
}

/* When the filter next needs gh_dahua_event_filter_expire(), or G_MAXINT64. */
gint64
gh_dahua_event_filter_next_deadline (GhDahuaEventFilter *self)
{
  if (self->phase == CALL_RINGING)
    return self->phase_since_us + GH_DAHUA_RING_TIMEOUT_US;
  return G_MAXINT64;
}

/**
 * gh_dahua_event_filter_expire:
 *
 * Ringing is a pulse on many devices and may never get an end event. After
 * %GH_DAHUA_RING_TIMEOUT_US this returns a synthetic call-ended. State events (doors,
 * access) never get synthetic ends.
 *
 * Returns: (transfer full) (nullable): the synthetic event, or %NULL
 */
GhEvent *
gh_dahua_event_filter_expire (GhDahuaEventFilter *self,
                              const char         *device_id,
                              gint64              now_us)
{
  GhEvent *event;

  if (self->phase != CALL_RINGING || now_us < self->phase_since_us + GH_DAHUA_RING_TIMEOUT_US)
    return NULL;
  event = gh_event_new (GH_EVENT_CALL_ENDED, device_id);
  event->time = now_us;
  event->synthetic = TRUE;
  event->call_id = g_strdup (self->call_id);
  event->room = g_strdup (self->room);
  self->phase = CALL_IDLE;
  self->last_end_us = now_us;
  return event;
}
