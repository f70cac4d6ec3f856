/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sim-device"

#include "config.h"

#include "gh-sim-device.h"
#include "gh-sim-device-private.h"
#include "gh-sim-acceptor.h"
#include "gh-sim-error.h"
#include "gh-sim-tls.h"
#ifdef GH_SIM_HAVE_RTSP
#include "gh-sim-rtsp.h"
#endif

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#define ALARM_INPUTS 8
#define TAMPER_INDEX ALARM_INPUTS

/* Reasons written to AccessControlCardRec.ErrorCode and the AccessControl event. */
enum {
  ACCESS_OK = 0,
  ACCESS_UNKNOWN = 0x10,
  ACCESS_CANCELLED = 0x11,
  ACCESS_NO_DOOR_RIGHT = 0x12,
  ACCESS_WRONG_PASSWORD = 0x13,
  ACCESS_OUT_OF_VALIDITY = 0x14,
  ACCESS_OUT_OF_TIME_SECTION = 0x18,
  ACCESS_FROZEN = 0x20,
};

enum {
  METHOD_CARD = 1,
  METHOD_PASSWORD = 2,
  METHOD_REMOTE = 4,
  METHOD_FINGERPRINT = 6,
  METHOD_FACE = 15,
};

static const char * const record_names[] = {
  "AccessControlCard", "AccessControlCardRec", "AccessControlPwd", "AccessControlAlarmRecord",
  "VideoTalkLog", "VideoTalkContact", "Announcement", "AlarmRecord", NULL,
};

static const char * const store_names[] = {
  "AccessUser", "AccessCard", "AccessFace", "AccessFingerprint", NULL,
};

G_DEFINE_FINAL_TYPE (GhSimDevice, gh_sim_device, G_TYPE_OBJECT)

static const char *
json_str (json_object *obj,
          const char  *key,
          const char  *fallback)
{
  json_object *v;

  if (obj && json_object_object_get_ex (obj, key, &v) && !json_object_is_type (v, json_type_null))
    return json_object_get_string (v);
  return fallback;
}

static gint64
json_int (json_object *obj,
          const char  *key,
          gint64       fallback)
{
  json_object *v;

  if (obj && json_object_object_get_ex (obj, key, &v) && !json_object_is_type (v, json_type_null))
    return json_object_get_int64 (v);
  return fallback;
}

static const char *
pick_str (json_object *desc,
          json_object *defaults,
          const char  *key,
          const char  *fallback)
{
  return json_str (desc, key, json_str (defaults, key, fallback));
}

static gint64
pick_int (json_object *desc,
          json_object *defaults,
          const char  *key,
          gint64       fallback)
{
  return json_int (desc, key, json_int (defaults, key, fallback));
}

static gboolean
is_door_station (GhSimDevice *self)
{
  return self->kind == GH_SIM_DEVICE_VTO || self->kind == GH_SIM_DEVICE_FENCE;
}

static void
call_unref (GhSimCall *call)
{
  if (!g_ref_count_dec (&call->ref))
    return;
  g_clear_handle_id (&call->timeout_id, g_source_remove);
  g_object_unref (call->caller);
  g_ptr_array_unref (call->callees);
  g_free (call->room);
  g_free (call);
}

static GhSimCall *
call_ref (GhSimCall *call)
{
  g_ref_count_inc (&call->ref);
  return call;
}

static void
set_config_int (GhSimConfig *config,
                const char  *key,
                gint64       value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  gh_sim_config_set (config, key, text);
}

static void
seed_config (GhSimDevice *self)
{
  GhSimConfig *c = self->config;

  gh_sim_config_set (c, "General.MachineName", self->name);
  gh_sim_config_set (c, "General.LockLoginEnable", "true");
  set_config_int (c, "General.LockLoginTimes", self->lock_times);
  set_config_int (c, "General.LoginFailLockTime", self->lock_seconds);
  gh_sim_config_set (c, "Sound.SilentMode", "false");
  gh_sim_config_set (c, "Sound.AlarmSoundEnable", "true");
  gh_sim_config_set (c, "VideoTalkPhoneGeneral.AutoRecordEnable", "true");
  gh_sim_config_set (c, "VideoTalkPhoneGeneral.AutoRecordTime", "11");
  set_config_int (c, "VideoTalkPhoneGeneral.RingTime", self->ring_timeout_ms / 1000);
  gh_sim_config_set (c, "VideoTalkPhoneBasic.VTOCallSoundEnable", "true");
  gh_sim_config_set (c, "SIP.AuthID", self->number);
  gh_sim_config_set (c, "SIP.AuthPassword", self->password);
  gh_sim_config_set (c, "SIP.IsMainVTO", self->kind == GH_SIM_DEVICE_VTO ? "1" : "0");
  gh_sim_config_set (c, "SIP.LocalRTPPort", "15000");
  gh_sim_config_set (c, "SIP.LocalSIPPort", "5060");
  gh_sim_config_set (c, "SIP.RegExpiration", "60");
  gh_sim_config_set (c, "SIP.RegisterRealm", "VDP");
  gh_sim_config_set (c, "SIP.SIPServer", "127.0.0.1");
  gh_sim_config_set (c, "SIP.SIPServerID", "8000");
  gh_sim_config_set (c, "SIP.SIPServerPort", "5060");
  gh_sim_config_set (c, "SIP.UserEnable", "true");
  gh_sim_config_set (c, "SIP.UserID", self->number);
  gh_sim_config_set (c, "SIP.UserType", "0");
  gh_sim_config_set (c, "Encode[0].MainFormat[0].AudioEnable", "true");
  gh_sim_config_set (c, "Encode[0].MainFormat[0].Audio.Compression", "G.711A");
  gh_sim_config_set (c, "Encode[0].MainFormat[0].Audio.Frequency", "8000");
  gh_sim_config_set (c, "Encode[0].MainFormat[0].Audio.Bitrate", "64");
  gh_sim_config_set (c, "Encode[0].MainFormat[0].Video.Compression", "H.264");
  gh_sim_config_set (c, "Encode[0].MainFormat[0].Video.Width", "1280");
  gh_sim_config_set (c, "Encode[0].MainFormat[0].Video.Height", "720");
  gh_sim_config_set (c, "Encode[0].MainFormat[0].Video.FPS", "25");
  gh_sim_config_set (c, "Encode[0].ExtraFormat[0].Video.Compression", "H.264");
  gh_sim_config_set (c, "Encode[0].ExtraFormat[0].Video.Width", "352");
  gh_sim_config_set (c, "Encode[0].ExtraFormat[0].Video.Height", "288");
  gh_sim_config_set (c, "CommGlobal.AlarmEnable", "false");
  gh_sim_config_set (c, "CommGlobal.CurrentProfile", "AtHome");

  for (guint i = 0; i < self->doors; i++) {
    g_autofree char *p = g_strdup_printf ("AccessControl[%u].", i);
    g_autofree char *door = g_strdup_printf ("Door%u", i + 1);
    g_autofree char *k1 = g_strconcat (p, "Name", NULL);
    g_autofree char *k2 = g_strconcat (p, "State", NULL);
    g_autofree char *k3 = g_strconcat (p, "SensorEnable", NULL);
    g_autofree char *k4 = g_strconcat (p, "LockMode", NULL);
    g_autofree char *k5 = g_strconcat (p, "UnlockHoldInterval", NULL);
    g_autofree char *k6 = g_strconcat (p, "AccessProtocol", NULL);
    g_autofree char *k7 = g_strconcat (p, "UnlockReloadInterval", NULL);

    gh_sim_config_set (c, k1, door);
    gh_sim_config_set (c, k2, "Normal");
    gh_sim_config_set (c, k3, "false");
    gh_sim_config_set (c, k4, "2");
    set_config_int (c, k5, MAX (1, self->hold_ms / 1000));
    gh_sim_config_set (c, k6, "Local");
    gh_sim_config_set (c, k7, "500");
  }
  for (guint i = 0; i < 2; i++) {
    g_autofree char *k1 = g_strdup_printf ("Alarm[%u].Name", i);
    g_autofree char *k2 = g_strdup_printf ("Alarm[%u].SenseMethod", i);
    g_autofree char *k3 = g_strdup_printf ("Alarm[%u].Enable", i);
    g_autofree char *name = g_strdup_printf ("Alarm%u", i + 1);

    gh_sim_config_set (c, k1, name);
    gh_sim_config_set (c, k2, "Button");
    gh_sim_config_set (c, k3, "true");
  }
  /* Time schedule 0 is all day, every day; clients push their own in slots 1…127. */
  gh_sim_config_set (c, "AccessTimeSchedule[0].Name", "AllDay");
  gh_sim_config_set (c, "AccessTimeSchedule[0].Enable", "true");
  for (guint d = 0; d < 7; d++) {
    g_autofree char *k = g_strdup_printf ("AccessTimeSchedule[0].TimeSection[%u][0]", d);
    gh_sim_config_set (c, k, "1 00:00:00-23:59:59");
  }
}

gint64
gh_sim_device_local_time (GhSimDevice *self)
{
  return gh_sim_now_utc () + self->clock_offset;
}

gboolean
gh_sim_device_is_record_name (const char *name)
{
  return name != NULL && g_strv_contains (record_names, name);
}

GhSimTable *
gh_sim_device_get_table (GhSimDevice *self,
                         const char  *name)
{
  GhSimTable *table;

  if (!gh_sim_device_is_record_name (name))
    return NULL;
  table = g_hash_table_lookup (self->tables, name);
  if (table == NULL) {
    table = gh_sim_table_new (name);
    g_hash_table_insert (self->tables, g_strdup (name), table);
  }
  return table;
}

void
gh_sim_device_changed (GhSimDevice *self)
{
  if (self->community)
    gh_sim_community_schedule_save (self->community);
}

static char *
event_body (GhSimDevice *self,
            const char  *code,
            const char  *action,
            int          index,
            json_object *data)
{
  g_autofree char *pretty = NULL;

  if (data == NULL)
    return g_strdup_printf ("Code=%s;action=%s;index=%d", code, action, index);
  pretty = gh_sim_json_pretty (data);
  return g_strdup_printf ("Code=%s;action=%s;index=%d;data=%s", code, action, index, pretty);
}

static gboolean
same_event (const char *body,
            const char *code,
            int         index)
{
  g_autofree char *prefix = g_strdup_printf ("Code=%s;action=Start;index=%d;", code, index);
  g_autofree char *bare = g_strdup_printf ("Code=%s;action=Start;index=%d", code, index);

  return g_str_has_prefix (body, prefix) || g_strcmp0 (body, bare) == 0;
}

/* Emits one event to every attached stream; @data is consumed. Start events stay active until
 * their Stop so that a fresh attach can see them replayed, as some firmware does. */
void
gh_sim_device_emit (GhSimDevice *self,
                    const char  *code,
                    const char  *action,
                    int          index,
                    json_object *data)
{
  gint64 local = gh_sim_device_local_time (self);
  g_autofree char *locale_time = gh_sim_format_time (local, NULL);
  g_autofree char *body = NULL;

  if (data == NULL)
    data = json_object_new_object ();
  json_object_object_add (data, "LocaleTime", json_object_new_string (locale_time));
  json_object_object_add (data, "UTC", json_object_new_int64 (gh_sim_now_utc ()));
  /* a measuring aid, off by default: when the part left, on the clock every local process
   * shares, so a client can time what happens after the device wrote the event */
  if (self->stamp_events)
    json_object_object_add (data, "GhSimSentUs", json_object_new_int64 (g_get_monotonic_time ()));
  body = event_body (self, code, action, index, data);
  json_object_put (data);

  if (g_strcmp0 (action, "Start") == 0) {
    self->active_starts = g_list_append (self->active_starts, g_strdup (body));
  } else if (g_strcmp0 (action, "Stop") == 0) {
    for (GList *l = self->active_starts; l; l = l->next) {
      if (same_event (l->data, code, index)) {
        g_free (l->data);
        self->active_starts = g_list_delete_link (self->active_starts, l);
        break;
      }
    }
  }
  g_debug ("%s: %s", self->name, body);
  gh_sim_device_streams_write (self, code, body);
}

static void
forget_start (GhSimDevice *self,
              const char  *code,
              int          index)
{
  for (GList *l = self->active_starts; l; l = l->next) {
    if (same_event (l->data, code, index)) {
      g_free (l->data);
      self->active_starts = g_list_delete_link (self->active_starts, l);
      return;
    }
  }
}

static void
emit_back_key_light (GhSimDevice *self,
                     int          state)
{
  json_object *data = json_object_new_object ();

  json_object_object_add (data, "State", json_object_new_int (state));
  gh_sim_device_emit (self, "BackKeyLight", "Pulse", -1, data);
}

static void
add_alarm_record (GhSimDevice *self,
                  const char  *type,
                  int          channel,
                  const char  *status)
{
  GTree *row = gh_sim_row_new ();
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, gh_sim_now_utc ());
  g_autofree char *ch = g_strdup_printf ("%d", channel);

  gh_sim_row_set (row, "CreateTime", now);
  gh_sim_row_set (row, "Channel", ch);
  gh_sim_row_set (row, "AlarmType", type);
  gh_sim_row_set (row, "Status", status);
  gh_sim_table_insert (gh_sim_device_get_table (self, "AlarmRecord"), row);
  gh_sim_device_changed (self);
}

/* Calls */

static json_object *
call_data (GhSimCall   *call,
           GhSimDevice *caller)
{
  json_object *data = json_object_new_object ();
  g_autofree char *id = g_strdup_printf ("%u", call->id);

  json_object_object_add (data, "CallID", json_object_new_string (id));
  json_object_object_add (data, "IsEncryptedStream", json_object_new_boolean (FALSE));
  json_object_object_add (data, "LockNum", json_object_new_int (caller->doors));
  json_object_object_add (data, "SupportPaas", json_object_new_boolean (FALSE));
  json_object_object_add (data, "TCPPort", json_object_new_int (37777));
  json_object_object_add (data, "UserID", json_object_new_string (call->room));
  return data;
}

static void
write_call_log (GhSimDevice *self,
                GhSimCall   *call,
                gboolean     outgoing,
                const char  *peer_number,
                const char  *peer_type,
                gint64       end_utc)
{
  GTree *row = gh_sim_row_new ();
  g_autofree char *create = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             call->begin_utc + self->clock_offset);
  g_autofree char *talk = g_strdup_printf ("%" G_GINT64_FORMAT,
                                           call->answer_utc ? end_utc - call->answer_utc : 0);

  gh_sim_row_set (row, "CallType", outgoing ? "Outgoing" : "Incoming");
  gh_sim_row_set (row, "CreateTime", create);
  gh_sim_row_set (row, "EndState", call->answer_utc ? "Received" : "Missed");
  gh_sim_row_set (row, "LocalNumber", outgoing ? self->number : call->room);
  gh_sim_row_set (row, "MessageTime", "0");
  gh_sim_row_set (row, "Notes", "");
  gh_sim_row_set (row, "PeerNumber", peer_number);
  gh_sim_row_set (row, "PeerType", peer_type);
  gh_sim_row_set (row, "PicturePath", "");
  gh_sim_row_set (row, "Reserved", "");
  gh_sim_row_set (row, "TalkTime", talk);
  gh_sim_table_insert (gh_sim_device_get_table (self, "VideoTalkLog"), row);
  gh_sim_device_changed (self);
}

/* Ends @call: the VideoTalkLog rows are written only now, when the call is over. */
static void
end_call (GhSimCall *call)
{
  GhSimDevice *caller = call->caller;
  gint64 end_utc = gh_sim_now_utc ();
  gboolean answered = call->state == GH_SIM_CALL_TALKING;

  if (call->state == GH_SIM_CALL_ENDED)
    return;
  call->state = GH_SIM_CALL_ENDED;
  g_clear_handle_id (&call->timeout_id, g_source_remove);

  if (answered) {
    gh_sim_device_emit (caller, "HungupPhone", "Pulse", 0, call_data (call, caller));
    emit_back_key_light (caller, 0);
  } else {
    gh_sim_device_emit (caller, "CallNoAnswered", "Stop", 0, call_data (call, caller));
    emit_back_key_light (caller, 6);
  }
  write_call_log (caller, call, TRUE, call->room, "VTH", end_utc);
  for (guint i = 0; i < call->callees->len; i++) {
    GhSimDevice *vth = call->callees->pdata[i];

    write_call_log (vth, call, FALSE, caller->number,
                    caller->kind == GH_SIM_DEVICE_FENCE ? "FENCE" : "VTO", end_utc);
    gh_sim_device_emit (vth, answered ? "HungupPhone" : "CallNoAnswered",
                        answered ? "Pulse" : "Stop", 0, call_data (call, caller));
    if (vth->call == call)
      g_clear_pointer (&vth->call, call_unref);
  }
  if (caller->call == call)
    g_clear_pointer (&caller->call, call_unref);
}

static gboolean
ring_timeout_cb (gpointer user_data)
{
  GhSimCall *call = user_data;

  call->timeout_id = 0;
  call_ref (call);
  end_call (call);
  call_unref (call);
  return G_SOURCE_REMOVE;
}

const char *
gh_sim_device_call_state (GhSimDevice *self)
{
  if (self->call == NULL)
    return "Idle";
  switch (self->call->state) {
  case GH_SIM_CALL_RINGING:
    return "Ringing";
  case GH_SIM_CALL_TALKING:
    return "Talking";
  case GH_SIM_CALL_ENDED:
  default:
    return "Idle";
  }
}

/* Access */

static gboolean
time_in_sections (GhSimDevice *self,
                  guint        schedule,
                  gint64       local)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (local);
  int wday = g_date_time_get_day_of_week (dt) % 7; /* 0 = Sunday */
  int secs = g_date_time_get_hour (dt) * 3600 + g_date_time_get_minute (dt) * 60 +
             g_date_time_get_second (dt);
  g_autofree char *enable_key = g_strdup_printf ("AccessTimeSchedule[%u].Enable", schedule);
  const char *enable = gh_sim_config_get (self->config, enable_key);

  if (schedule == 255)
    return TRUE;
  if (g_strcmp0 (enable, "false") == 0)
    return FALSE;
  for (guint k = 0; k < 6; k++) {
    g_autofree char *key = g_strdup_printf ("AccessTimeSchedule[%u].TimeSection[%d][%u]",
                                            schedule, wday, k);
    const char *v = gh_sim_config_get (self->config, key);
    int on, h1, m1, s1, h2, m2, s2;

    if (v == NULL)
      continue;
    if (sscanf (v, "%d %d:%d:%d-%d:%d:%d", &on, &h1, &m1, &s1, &h2, &m2, &s2) != 7 || !on)
      continue;
    if (secs >= h1 * 3600 + m1 * 60 + s1 && secs <= h2 * 3600 + m2 * 60 + s2)
      return TRUE;
  }
  return FALSE;
}

/* Rights shared by the JSON user/card records: validity, doors, time sections, status. */
static int
check_rights (GhSimDevice *self,
              json_object *obj,
              guint        door)
{
  gint64 local = gh_sim_device_local_time (self);
  gint64 from, to;
  json_object *doors, *sections;

  if (obj == NULL)
    return ACCESS_OK;
  if (json_int (obj, "UserStatus", 0) != 0)
    return ACCESS_FROZEN;
  if (gh_sim_parse_time (json_str (obj, "ValidFrom", NULL), &from) && local < from)
    return ACCESS_OUT_OF_VALIDITY;
  if (gh_sim_parse_time (json_str (obj, "ValidTo", NULL), &to) && local > to)
    return ACCESS_OUT_OF_VALIDITY;
  if (json_object_object_get_ex (obj, "Doors", &doors) &&
      json_object_is_type (doors, json_type_array) && json_object_array_length (doors) > 0) {
    gboolean ok = FALSE;

    for (size_t i = 0; i < json_object_array_length (doors); i++)
      ok |= json_object_get_int (json_object_array_get_idx (doors, i)) == (int) door - 1;
    if (!ok)
      return ACCESS_NO_DOOR_RIGHT;
  }
  if (json_object_object_get_ex (obj, "TimeSections", &sections) &&
      json_object_is_type (sections, json_type_array) &&
      json_object_array_length (sections) > 0) {
    gboolean ok = FALSE;

    for (size_t i = 0; i < json_object_array_length (sections); i++)
      ok |= time_in_sections (self, json_object_get_int (json_object_array_get_idx (sections, i)),
                              local);
    if (!ok)
      return ACCESS_OUT_OF_TIME_SECTION;
  }
  return ACCESS_OK;
}

/* Legacy AccessControlCard rows carry the same rights as indexed fields. */
static int
check_legacy_card (GhSimDevice *self,
                   GTree       *row,
                   guint        door)
{
  gint64 local = gh_sim_device_local_time (self);
  gint64 from, to;
  gboolean any = FALSE, ok = FALSE;
  const char *status = gh_sim_row_get (row, "CardStatus");

  if (g_strcmp0 (status, "1") == 0)
    return ACCESS_CANCELLED;
  if (g_strcmp0 (status, "2") == 0)
    return ACCESS_FROZEN;
  if (gh_sim_parse_time (gh_sim_row_get (row, "ValidDateStart"), &from) && local < from)
    return ACCESS_OUT_OF_VALIDITY;
  if (gh_sim_parse_time (gh_sim_row_get (row, "ValidDateEnd"), &to) && local > to)
    return ACCESS_OUT_OF_VALIDITY;
  for (guint i = 0; i < 16; i++) {
    g_autofree char *key = g_strdup_printf ("Doors[%u]", i);
    const char *v = gh_sim_row_get (row, key);

    if (v == NULL)
      break;
    any = TRUE;
    ok |= atoi (v) == (int) door - 1;
  }
  if (any && !ok)
    return ACCESS_NO_DOOR_RIGHT;
  any = ok = FALSE;
  for (guint i = 0; i < 16; i++) {
    g_autofree char *key = g_strdup_printf ("TimeSections[%u]", i);
    const char *v = gh_sim_row_get (row, key);

    if (v == NULL)
      break;
    any = TRUE;
    ok |= time_in_sections (self, atoi (v), local);
  }
  if (any && !ok)
    return ACCESS_OUT_OF_TIME_SECTION;
  return ACCESS_OK;
}

/**
 * gh_sim_store_set:
 * @items: one store (id → record text)
 * @record: the record, kept as text
 */
void
gh_sim_store_set (json_object *items,
                  const char  *id,
                  json_object *record)
{
  size_t len = 0;
  const char *text = json_object_to_json_string_length (record, JSON_C_TO_STRING_PLAIN |
                                                        JSON_C_TO_STRING_NOSLASHESCAPE, &len);

  json_object_object_add (items, id, json_object_new_string_len (text, (int) len));
}

/**
 * gh_sim_store_parse:
 * @stored: a stored record (its text, from gh_sim_store_set())
 *
 * Returns: (transfer full) (nullable): the record
 */
json_object *
gh_sim_store_parse (json_object *stored)
{
  return stored != NULL ? json_tokener_parse (json_object_get_string (stored)) : NULL;
}

/**
 * gh_sim_store_get:
 *
 * Returns: (transfer full) (nullable): the record @id of @store
 */
json_object *
gh_sim_store_get (GhSimDevice *self,
                  const char  *store,
                  const char  *id)
{
  json_object *items, *item;

  if (id == NULL || !json_object_object_get_ex (self->stores, store, &items) ||
      !json_object_object_get_ex (items, id, &item))
    return NULL;
  return gh_sim_store_parse (item);
}

/**
 * gh_sim_store_may_hold:
 *
 * Returns: %FALSE if the stored record cannot have a field equal to @value (its text does not
 *   contain it), so that a search need not parse it
 */
gboolean
gh_sim_store_may_hold (json_object *stored,
                       const char  *value)
{
  for (const char *p = value; *p; p++)
    if (*p == '"' || *p == '\\' || (guchar) *p < 0x20)
      return TRUE;  /* written escaped */
  return strstr (json_object_get_string (stored), value) != NULL;
}

static gboolean
store_has (GhSimDevice *self,
           const char  *store,
           const char  *id)
{
  json_object *items;

  return id != NULL && json_object_object_get_ex (self->stores, store, &items) &&
         json_object_object_get_ex (items, id, NULL);
}

/* The stores with every record as a JSON object, for the state dump. */
static json_object *
stores_expanded (GhSimDevice *self)
{
  json_object *out = json_object_new_object ();

  json_object_object_foreach (self->stores, name, items) {
    json_object *copy = json_object_new_object ();

    json_object_object_foreach (items, id, stored)
      json_object_object_add (copy, id, gh_sim_store_parse (stored));
    json_object_object_add (out, name, copy);
  }
  return out;
}

static gboolean
door_close_cb (gpointer user_data);

typedef struct {
  GhSimDevice *device;
  guint        door;
} DoorTimer;

static void
open_door (GhSimDevice *self,
           guint        door)
{
  g_autofree char *key = g_strdup_printf ("AccessControl[%u].UnlockHoldInterval", door - 1);
  const char *hold_text = gh_sim_config_get (self->config, key);
  guint hold_ms = hold_text ? (guint) (atof (hold_text) * 1000) : self->hold_ms;
  DoorTimer *timer;
  json_object *data = json_object_new_object ();

  if (self->hold_ms < 1000)
    hold_ms = self->hold_ms; /* a community file may ask for sub-second holds for quick tests */
  emit_back_key_light (self, 8);
  g_clear_handle_id (&self->door_close_id[door - 1], g_source_remove);
  if (!self->door_open[door - 1]) {
    self->door_open[door - 1] = TRUE;
    json_object_object_add (data, "Status", json_object_new_string ("Open"));
    gh_sim_device_emit (self, "DoorStatus", "Pulse", door - 1, data);
  } else {
    json_object_put (data);
  }
  timer = g_new0 (DoorTimer, 1);
  timer->device = self;
  timer->door = door;
  self->door_close_id[door - 1] = g_timeout_add_full (G_PRIORITY_DEFAULT, MAX (hold_ms, 50),
                                                      door_close_cb, timer, g_free);
}

static void
close_door (GhSimDevice *self,
            guint        door)
{
  json_object *data;

  g_clear_handle_id (&self->door_close_id[door - 1], g_source_remove);
  if (!self->door_open[door - 1])
    return;
  self->door_open[door - 1] = FALSE;
  data = json_object_new_object ();
  json_object_object_add (data, "Status", json_object_new_string ("Close"));
  gh_sim_device_emit (self, "DoorStatus", "Pulse", door - 1, data);
}

static gboolean
door_close_cb (gpointer user_data)
{
  DoorTimer *timer = user_data;

  timer->device->door_close_id[timer->door - 1] = 0;
  close_door (timer->device, timer->door);
  return G_SOURCE_REMOVE;
}

/* Writes the AccessControlCardRec row and the AccessControl event for one attempt. */
static void
record_access (GhSimDevice *self,
               guint        door,
               int          method,
               int          error_code,
               const char  *card_no,
               const char  *card_name,
               const char  *user_id,
               int          card_type)
{
  GTree *row = gh_sim_row_new ();
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, gh_sim_now_utc ());
  g_autofree char *method_text = g_strdup_printf ("%d", method);
  g_autofree char *door_text = g_strdup_printf ("%u", door - 1);
  g_autofree char *err_text = g_strdup_printf ("%d", error_code);
  json_object *data = json_object_new_object ();
  guint recno;

  gh_sim_row_set (row, "CreateTime", now);
  gh_sim_row_set (row, "CardNo", card_no);
  gh_sim_row_set (row, "CardName", card_name);
  gh_sim_row_set (row, "UserID", user_id);
  gh_sim_row_set (row, "Type", "Entry");
  gh_sim_row_set (row, "Method", method_text);
  gh_sim_row_set (row, "Status", error_code == ACCESS_OK ? "1" : "0");
  gh_sim_row_set (row, "Door", door_text);
  gh_sim_row_set (row, "ReaderID", "1");
  gh_sim_row_set (row, "ErrorCode", err_text);
  gh_sim_row_set (row, "Password", "");
  recno = gh_sim_table_insert (gh_sim_device_get_table (self, "AccessControlCardRec"), row);
  gh_sim_device_changed (self);

  json_object_object_add (data, "CardNo", json_object_new_string (card_no ? card_no : ""));
  json_object_object_add (data, "CardType", json_object_new_int (card_type));
  json_object_object_add (data, "ErrorCode", json_object_new_int (error_code));
  json_object_object_add (data, "Method", json_object_new_int (method));
  json_object_object_add (data, "Name", json_object_new_string ("OpenDoor"));
  json_object_object_add (data, "Password", json_object_new_string (""));
  json_object_object_add (data, "ReaderID", json_object_new_string ("1"));
  json_object_object_add (data, "RecNo", json_object_new_int (recno));
  json_object_object_add (data, "SnapURL", json_object_new_string (""));
  json_object_object_add (data, "Status", json_object_new_int (error_code == ACCESS_OK));
  json_object_object_add (data, "Type", json_object_new_string ("Entry"));
  json_object_object_add (data, "UserID", json_object_new_string (user_id ? user_id : ""));
  gh_sim_device_emit (self, "AccessControl", "Pulse", door - 1, data);

  if (error_code == ACCESS_OK)
    open_door (self, door);
  else
    emit_back_key_light (self, 9);
}

static gboolean
check_door_station (GhSimDevice *self,
                    guint        door,
                    GError     **error)
{
  if (!is_door_station (self)) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "%s is a %s, not a door station", self->name,
                 gh_sim_device_kind_to_string (self->kind));
    return FALSE;
  }
  if (door < 1 || door > self->doors) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "%s has doors 1…%u; door %u does not exist", self->name, self->doors, door);
    return FALSE;
  }
  return TRUE;
}

static void
finish_user_attempt (GhSimDevice *self,
                     guint        door,
                     int          method,
                     const char  *user_id,
                     gboolean     known,
                     gboolean    *granted)
{
  g_autoptr(json_object) user = gh_sim_store_get (self, "AccessUser", user_id);
  int code = known ? check_rights (self, user, door) : ACCESS_UNKNOWN;

  record_access (self, door, method, code, "", user ? json_str (user, "UserName", "") : "",
                 user_id, 0);
  if (granted)
    *granted = code == ACCESS_OK;
}

/* Lifecycle and properties */

static void
free_json (gpointer data)
{
  json_object_put (data);
}

static void
gh_sim_device_dispose (GObject *object)
{
  GhSimDevice *self = GH_SIM_DEVICE (object);

  gh_sim_device_stop (self);
  G_OBJECT_CLASS (gh_sim_device_parent_class)->dispose (object);
}

static void
gh_sim_device_finalize (GObject *object)
{
  GhSimDevice *self = GH_SIM_DEVICE (object);

  g_free (self->name);
  g_free (self->number);
  g_free (self->model);
  g_free (self->serial);
  g_free (self->firmware);
  g_free (self->build_date);
  g_free (self->username);
  g_free (self->password);
  g_free (self->building);
  g_free (self->unit);
  g_free (self->boundary);
  g_free (self->mac);
  g_free (self->nonce_secret);
  g_clear_object (&self->tls_certificate);
  g_list_free_full (self->active_starts, g_free);
  g_clear_pointer (&self->streams, g_ptr_array_unref);
  g_clear_pointer (&self->config, gh_sim_config_free);
  g_clear_pointer (&self->tables, g_hash_table_unref);
  g_clear_pointer (&self->stores, json_object_put);
  g_clear_pointer (&self->finds, g_hash_table_unref);
  g_clear_pointer (&self->rpc_sessions, g_hash_table_unref);
  g_clear_pointer (&self->rpc_objects, g_hash_table_unref);
  g_clear_pointer (&self->rpc_cursors, g_hash_table_unref);
  g_clear_pointer (&self->rpc_finds, g_hash_table_unref);
  g_clear_pointer (&self->audio, g_byte_array_unref);
  g_free (self->door_open);
  g_free (self->door_close_id);
  g_free (self->alarm_active);
  G_OBJECT_CLASS (gh_sim_device_parent_class)->finalize (object);
}

static void
gh_sim_device_class_init (GhSimDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_sim_device_dispose;
  object_class->finalize = gh_sim_device_finalize;
}

static void
gh_sim_device_init (GhSimDevice *self)
{
  self->streams = g_ptr_array_new ();
  self->config = gh_sim_config_new ();
  self->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) gh_sim_table_free);
  self->stores = json_object_new_object ();
  for (guint i = 0; store_names[i]; i++)
    json_object_object_add (self->stores, store_names[i], json_object_new_object ());
  self->finds = g_hash_table_new_full (NULL, NULL, NULL, free_json);
  self->rpc_sessions = g_hash_table_new_full (NULL, NULL, NULL, NULL);
  self->rpc_objects = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->rpc_cursors = g_hash_table_new (NULL, NULL);
  self->rpc_finds = g_hash_table_new_full (NULL, NULL, NULL, free_json);
  self->audio = g_byte_array_new ();
  self->alarm_active = g_new0 (gboolean, ALARM_INPUTS + 1);
  self->nonce_secret = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
  self->next_call_id = 1;
  self->next_token = 1;
  self->next_object = 20737192;
}

static void
free_session (gpointer data)
{
  GhSimRpcSession *session = data;

  g_free (session->random);
  g_free (session);
}

GhSimDevice *
gh_sim_device_new_from_json (GhSimCommunity *community,
                             json_object    *desc,
                             json_object    *defaults,
                             GError        **error)
{
  g_autoptr(GhSimDevice) self = NULL;
  const char *name = json_str (desc, "name", NULL);
  const char *kind = json_str (desc, "kind", NULL);
  const char *auth = pick_str (desc, defaults, "auth", "digest");
  gint64 doors;
  GhSimDeviceKind k;

  if (!json_object_is_type (desc, json_type_object)) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "Each entry of \"devices\" must be a JSON object");
    return NULL;
  }
  if (name == NULL || *name == 0) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "A device has no \"name\"; give every device a unique name");
    return NULL;
  }
  if (kind == NULL || !gh_sim_device_kind_from_string (kind, &k)) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "Device %s: \"kind\" must be one of vto, vth, vts, fence", name);
    return NULL;
  }
  if (g_strcmp0 (auth, "digest") != 0 && g_strcmp0 (auth, "basic") != 0) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "Device %s: \"auth\" must be \"digest\" or \"basic\"", name);
    return NULL;
  }

  self = g_object_new (GH_TYPE_SIM_DEVICE, NULL);
  g_hash_table_unref (self->rpc_sessions);
  self->rpc_sessions = g_hash_table_new_full (NULL, NULL, NULL, free_session);
  self->community = community;
  self->name = g_strdup (name);
  self->kind = k;
  self->number = g_strdup (json_str (desc, "number", name));
  self->model = g_strdup (json_str (desc, "model",
                                    k == GH_SIM_DEVICE_VTH ? "VTH2421FW-P" :
                                    k == GH_SIM_DEVICE_VTS ? "VTS5420B" :
                                    k == GH_SIM_DEVICE_FENCE ? "VTO1210C-X" : "VTO2211G-WP"));
  self->serial = g_strdup (json_str (desc, "serial", NULL));
  if (self->serial == NULL)
    self->serial = g_strdup_printf ("SIM%08X", g_str_hash (name));
  self->firmware = g_strdup (pick_str (desc, defaults, "firmware", "4.510.10IM001.0.R"));
  self->build_date = g_strdup (pick_str (desc, defaults, "build_date", "2023-05-17"));
  self->username = g_strdup (pick_str (desc, defaults, "username", "admin"));
  self->password = g_strdup (pick_str (desc, defaults, "password", "admin123"));
  self->building = g_strdup (json_str (desc, "building", ""));
  self->unit = g_strdup (json_str (desc, "unit", ""));
  self->boundary = g_strdup (pick_str (desc, defaults, "boundary", "myboundary"));
  self->mac = g_strdup_printf ("3CEF8C%06X", g_str_hash (name) & 0xffffff);
  self->basic_auth = g_strcmp0 (auth, "basic") == 0;
  if (pick_int (desc, defaults, "https", FALSE)) {
    self->tls_certificate = gh_sim_tls_generate_certificate (name, error);
    if (self->tls_certificate == NULL)
      return NULL;
  }
  doors = pick_int (desc, defaults, "doors", (k == GH_SIM_DEVICE_VTO ||
                                              k == GH_SIM_DEVICE_FENCE) ? 2 : 0);
  if (doors < 0 || doors > 8) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "Device %s: \"doors\" must be between 0 and 8", name);
    return NULL;
  }
  self->doors = doors;
  self->requested_port = CLAMP (pick_int (desc, defaults, "port", 0), 0, 65535);
  self->ring_timeout_ms = CLAMP (pick_int (desc, defaults, "ring_timeout_ms", 30000), 10, 600000);
  self->hold_ms = CLAMP (pick_int (desc, defaults, "unlock_hold_ms", 2000), 10, 600000);
  self->lock_times = CLAMP (pick_int (desc, defaults, "lock_login_times", 5), 1, 1000);
  self->lock_seconds = CLAMP (pick_int (desc, defaults, "lock_seconds", 300), 0, 86400);
  self->session_timeout = CLAMP (pick_int (desc, defaults, "session_timeout", 60), 1, 86400);
  self->sip_report_seconds = CLAMP (pick_int (desc, defaults, "sip_report_seconds", 20), 0, 3600);
  self->stamp_events = pick_int (desc, defaults, "stamp_events", FALSE);
  self->store_us_per_record = CLAMP (pick_int (desc, defaults, "store_us_per_record", 0), 0,
                                     1000000);
  self->replay_on_attach = pick_int (desc, defaults, "replay_on_attach",
                                     k == GH_SIM_DEVICE_VTO || k == GH_SIM_DEVICE_FENCE) != 0;
  self->door_open = g_new0 (gboolean, MAX (self->doors, 1));
  self->door_close_id = g_new0 (guint, MAX (self->doors, 1));
  seed_config (self);
  return g_steal_pointer (&self);
}

#ifdef GH_SIM_HAVE_RTSP
static void
rtsp_accept_cb (GSocket  *client,
                gpointer  user_data)
{
  GhSimDevice *self = user_data;

  if (self->rtsp)
    gh_sim_rtsp_take_connection (self->rtsp, client);
}
#endif

gboolean
gh_sim_device_start (GhSimDevice *self,
                     GError     **error)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  if (!gh_sim_device_http_listen (self, error))
    return FALSE;
#ifdef GH_SIM_HAVE_RTSP
  if (is_door_station (self) && self->rtsp == NULL) {
    self->rtsp = gh_sim_rtsp_new (self->name, self->username, self->password, error);
    if (self->rtsp == NULL)
      return FALSE;
    /* the community's acceptor watches the RTSP port with the HTTP ones */
    self->rtsp_listener = gh_sim_rtsp_release_accept (self->rtsp);
    if (!gh_sim_acceptor_add (gh_sim_community_get_acceptor (self->community),
                              self->rtsp_listener, rtsp_accept_cb, self, error)) {
      self->rtsp_listener = NULL;
      g_clear_object (&self->rtsp);
      return FALSE;
    }
  }
#endif
  return TRUE;
}

void
gh_sim_device_stop (GhSimDevice *self)
{
  if (self->call) {
    GhSimCall *call = call_ref (self->call);

    end_call (call);
    call_unref (call);
  }
  g_clear_pointer (&self->call, call_unref);
  for (guint i = 0; self->door_close_id && i < self->doors; i++)
    g_clear_handle_id (&self->door_close_id[i], g_source_remove);
  g_clear_handle_id (&self->reboot_id, g_source_remove);
  gh_sim_device_http_disconnect (self);
#ifdef GH_SIM_HAVE_RTSP
  if (self->rtsp_listener && self->community)
    gh_sim_acceptor_close (gh_sim_community_get_acceptor (self->community), self->rtsp_listener);
  self->rtsp_listener = NULL;
  g_clear_object (&self->rtsp);
#endif
}

void
gh_sim_device_tick (GhSimDevice *self,
                    gint64       now)
{
  gint64 timeout = (gint64) self->session_timeout * G_USEC_PER_SEC;
  GHashTableIter iter;
  GhSimRpcSession *session;

  if (!self->fault_silent && !self->fault_offline) {
    /* Backwards: a failed write drops the stream from the array. */
    for (guint i = self->streams->len; i > 0; i--) {
      GhSimStream *stream = self->streams->pdata[i - 1];

      if (stream->heartbeat > 0 && now >= stream->next_beat) {
        stream->next_beat = now + (gint64) stream->heartbeat * G_USEC_PER_SEC;
        gh_sim_stream_write (stream, "Heartbeat");
      } else if (stream->heartbeat == 0 && now >= stream->next_beat) {
        /* without heartbeats nothing would notice a client that left; look every 5 s */
        stream->next_beat = now + 5 * G_USEC_PER_SEC;
        gh_sim_stream_check_peer (stream);
      }
    }
  }
  /* Door stations report their SIP registration about every 20 s; it only succeeds when there
   * is a monitor to register with (without one, a real VTO never rings anybody either). */
  if (is_door_station (self) && self->sip_report_seconds > 0 && now >= self->next_sip_report) {
    /* the first report comes at a random point of the period, to spread a large community */
    gint64 wait = self->next_sip_report ? (gint64) self->sip_report_seconds
                                        : g_random_int_range (1, self->sip_report_seconds + 1);

    if (self->next_sip_report != 0 && self->streams->len > 0) {
      json_object *data = json_object_new_object ();
      g_autofree char *date = gh_sim_format_time (gh_sim_device_local_time (self),
                                                  "%d-%m-%Y %H:%M:%S");
      gboolean success = self->community && gh_sim_community_has_monitors (self->community);

      json_object_object_add (data, "Date", json_object_new_string (date));
      json_object_object_add (data, "Success", json_object_new_boolean (success));
      gh_sim_device_emit (self, "SIPRegisterResult", "Pulse", 0, data);
    }
    self->next_sip_report = now + wait * G_USEC_PER_SEC;
  }
  if (g_hash_table_size (self->rpc_sessions) == 0)
    return;
  g_hash_table_iter_init (&iter, self->rpc_sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    if (now - session->last_used > timeout)
      g_hash_table_iter_remove (&iter);
}

/* Public API */

const char *
gh_sim_device_kind_to_string (GhSimDeviceKind kind)
{
  switch (kind) {
  case GH_SIM_DEVICE_VTO:
    return "vto";
  case GH_SIM_DEVICE_VTH:
    return "vth";
  case GH_SIM_DEVICE_VTS:
    return "vts";
  case GH_SIM_DEVICE_FENCE:
    return "fence";
  default:
    return "unknown";
  }
}

gboolean
gh_sim_device_kind_from_string (const char      *text,
                                GhSimDeviceKind *kind)
{
  static const char * const names[] = { "vto", "vth", "vts", "fence" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    if (g_ascii_strcasecmp (text, names[i]) == 0) {
      *kind = i;
      return TRUE;
    }
  }
  return FALSE;
}

const char *
gh_sim_device_get_name (GhSimDevice *self)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), NULL);
  return self->name;
}

GhSimDeviceKind
gh_sim_device_get_kind (GhSimDevice *self)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), 0);
  return self->kind;
}

const char *
gh_sim_device_get_number (GhSimDevice *self)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), NULL);
  return self->number;
}

const char *
gh_sim_device_get_model (GhSimDevice *self)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), NULL);
  return self->model;
}

const char *
gh_sim_device_get_serial (GhSimDevice *self)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), NULL);
  return self->serial;
}

const char *
gh_sim_device_get_firmware (GhSimDevice *self)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), NULL);
  return self->firmware;
}

const char *
gh_sim_device_get_username (GhSimDevice *self)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), NULL);
  return self->username;
}

const char *
gh_sim_device_get_password (GhSimDevice *self)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), NULL);
  return self->password;
}

guint
gh_sim_device_get_door_count (GhSimDevice *self)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), 0);
  return self->doors;
}

guint
gh_sim_device_get_http_port (GhSimDevice *self)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), 0);
  return self->port;
}

char *
gh_sim_device_dup_http_url (GhSimDevice *self)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), NULL);
  return g_strdup_printf ("%s://127.0.0.1:%u", self->tls_certificate ? "https" : "http",
                          self->port);
}

/**
 * gh_sim_device_set_https:
 *
 * Switches a device that is not started yet to HTTPS with a fresh self-signed certificate
 * (what `"https": true` does); a device already in HTTPS mode keeps its certificate.
 */
gboolean
gh_sim_device_set_https (GhSimDevice  *self,
                         GError      **error)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  if (self->listener != NULL) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_BUSY,
                 "%s is already serving; choose HTTPS before the simulator starts", self->name);
    return FALSE;
  }
  if (self->tls_certificate == NULL)
    self->tls_certificate = gh_sim_tls_generate_certificate (self->name, error);
  return self->tls_certificate != NULL;
}

char *
gh_sim_device_dup_rtsp_url (GhSimDevice *self)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), NULL);
#ifdef GH_SIM_HAVE_RTSP
  if (self->rtsp)
    return g_strdup_printf ("rtsp://127.0.0.1:%u/cam/realmonitor?channel=1&subtype=0",
                            gh_sim_rtsp_get_port (self->rtsp));
#endif
  return NULL;
}

char *
gh_sim_device_dup_endpoint_json (GhSimDevice *self)
{
  g_autoptr(json_object) obj = json_object_new_object ();
  g_autofree char *http = gh_sim_device_dup_http_url (self);
  g_autofree char *rtsp = gh_sim_device_dup_rtsp_url (self);

  json_object_object_add (obj, "name", json_object_new_string (self->name));
  json_object_object_add (obj, "kind", json_object_new_string (
                            gh_sim_device_kind_to_string (self->kind)));
  json_object_object_add (obj, "number", json_object_new_string (self->number));
  json_object_object_add (obj, "model", json_object_new_string (self->model));
  json_object_object_add (obj, "serial", json_object_new_string (self->serial));
  json_object_object_add (obj, "firmware", json_object_new_string (self->firmware));
  if (*self->building)
    json_object_object_add (obj, "building", json_object_new_string (self->building));
  if (*self->unit)
    json_object_object_add (obj, "unit", json_object_new_string (self->unit));
  json_object_object_add (obj, "doors", json_object_new_int (self->doors));
  json_object_object_add (obj, "http", json_object_new_string (http));
  if (rtsp)
    json_object_object_add (obj, "rtsp", json_object_new_string (rtsp));
  json_object_object_add (obj, "auth", json_object_new_string (self->basic_auth ? "basic"
                                                                                 : "digest"));
  json_object_object_add (obj, "username", json_object_new_string (self->username));
  json_object_object_add (obj, "password", json_object_new_string (self->password));
  return g_strdup (json_object_to_json_string_ext (obj, JSON_C_TO_STRING_PLAIN |
                                                   JSON_C_TO_STRING_NOSLASHESCAPE));
}

json_object *
gh_sim_device_to_state (GhSimDevice *self)
{
  json_object *state = json_object_new_object ();
  json_object *config = json_object_new_object ();
  json_object *records = json_object_new_object ();
  json_object *doors = json_object_new_array ();
  json_object *alarms = json_object_new_array ();

  json_object_object_add (state, "name", json_object_new_string (self->name));
  json_object_object_add (state, "kind", json_object_new_string (
                            gh_sim_device_kind_to_string (self->kind)));
  json_object_object_add (state, "number", json_object_new_string (self->number));
  for (guint i = 0; record_names[i]; i++) {
    GhSimTable *table = g_hash_table_lookup (self->tables, record_names[i]);

    if (table)
      json_object_object_add (records, record_names[i], gh_sim_table_to_json (table));
  }
  json_object_object_add (state, "records", records);
  json_object_object_add (state, "stores", stores_expanded (self));
  /* The whole configuration as flat keys, the way getConfig prints them. */
  {
    g_autoptr(GString) dump = g_string_new (NULL);
    g_auto(GStrv) lines = NULL;
    static const char * const names_cfg[] = {
      "General", "Sound", "VideoTalkPhoneGeneral", "VideoTalkPhoneBasic", "SIP", "Encode",
      "CommGlobal", "AccessControl", "Alarm", "AccessTimeSchedule", NULL,
    };

    for (guint i = 0; names_cfg[i]; i++)
      gh_sim_config_dump (self->config, names_cfg[i], "", dump);
    lines = g_strsplit (dump->str, "\r\n", -1);
    for (guint i = 0; lines[i]; i++) {
      char *eq = strchr (lines[i], '=');

      if (eq == NULL)
        continue;
      *eq = 0;
      json_object_object_add (config, lines[i], json_object_new_string (eq + 1));
    }
  }
  json_object_object_add (state, "config", config);
  for (guint i = 0; i < self->doors; i++)
    json_object_array_add (doors, json_object_new_string (self->door_open[i] ? "Open" : "Close"));
  json_object_object_add (state, "doors", doors);
  for (guint i = 0; i < ALARM_INPUTS; i++)
    json_object_array_add (alarms, json_object_new_boolean (self->alarm_active[i]));
  json_object_object_add (state, "alarms", alarms);
  json_object_object_add (state, "tamper", json_object_new_boolean (self->tamper));
  json_object_object_add (state, "call_state", json_object_new_string (
                            gh_sim_device_call_state (self)));
  if (self->call)
    json_object_object_add (state, "call_room", json_object_new_string (self->call->room));
  json_object_object_add (state, "posted_audio_bytes", json_object_new_int64 (self->audio->len));
  json_object_object_add (state, "event_streams", json_object_new_int (self->streams->len));
#ifdef GH_SIM_HAVE_RTSP
  if (self->rtsp) {
    g_autoptr(GBytes) back = gh_sim_rtsp_dup_backchannel_audio (self->rtsp);

    json_object_object_add (state, "backchannel_audio_bytes",
                            json_object_new_int64 (back ? g_bytes_get_size (back) : 0));
  }
#endif
  json_object_object_add (state, "clock_offset", json_object_new_int64 (self->clock_offset));
  return state;
}

void
gh_sim_device_load_state (GhSimDevice *self,
                          json_object *state)
{
  json_object *config, *records, *stores;

  if (json_object_object_get_ex (state, "config", &config) &&
      json_object_is_type (config, json_type_object)) {
    json_object_object_foreach (config, key, value)
      gh_sim_config_set (self->config, key, json_object_get_string (value));
  }
  if (json_object_object_get_ex (state, "records", &records) &&
      json_object_is_type (records, json_type_object)) {
    json_object_object_foreach (records, name, rows) {
      GhSimTable *table = gh_sim_device_get_table (self, name);

      if (table == NULL || !json_object_is_type (rows, json_type_array))
        continue;
      gh_sim_table_clear (table);
      for (size_t i = 0; i < json_object_array_length (rows); i++) {
        json_object *row_json = json_object_array_get_idx (rows, i);
        GTree *row = gh_sim_row_new ();

        json_object_object_foreach (row_json, field, v)
          if (g_strcmp0 (field, "RecNo") != 0)
            gh_sim_row_set (row, field, json_object_get_string (v));
        gh_sim_table_insert (table, row);
      }
    }
  }
  if (json_object_object_get_ex (state, "stores", &stores) &&
      json_object_is_type (stores, json_type_object)) {
    json_object_put (self->stores);
    self->stores = json_object_new_object ();
    json_object_object_foreach (stores, name, items) {
      json_object *compact = json_object_new_object ();

      /* a state file holds the records as objects (the state dump's form) */
      if (json_object_is_type (items, json_type_object)) {
        json_object_object_foreach (items, id, record)
          if (json_object_is_type (record, json_type_object))
            gh_sim_store_set (compact, id, record);
      }
      json_object_object_add (self->stores, name, compact);
    }
    for (guint i = 0; store_names[i]; i++)
      if (!json_object_object_get_ex (self->stores, store_names[i], NULL))
        json_object_object_add (self->stores, store_names[i], json_object_new_object ());
  }
  self->clock_offset = json_int (state, "clock_offset", 0);
}

char *
gh_sim_device_dup_state_json (GhSimDevice *self)
{
  g_autoptr(json_object) state = NULL;

  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), NULL);
  state = gh_sim_device_to_state (self);
  return g_strdup (json_object_to_json_string_ext (state, JSON_C_TO_STRING_PRETTY |
                                                   JSON_C_TO_STRING_NOSLASHESCAPE));
}

GBytes *
gh_sim_device_dup_posted_audio (GhSimDevice *self)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), NULL);
  return g_bytes_new (self->audio->data, self->audio->len);
}

/* One event of the load generator (see gh_sim_community_start_load()): a door or fence
 * station reports a refused card, a monitor or master station toggles alarm input 0. Only the
 * event is sent; no record is written, so a long run does not grow the tables. */
void
gh_sim_device_emit_load_event (GhSimDevice *self)
{
  json_object *data = json_object_new_object ();
  guint64 n = self->load_sequence++;

  if (self->fault_offline || self->reboot_id)
    return;
  if (is_door_station (self)) {
    g_autofree char *card = g_strdup_printf ("LD%06" G_GINT64_MODIFIER "X", n & 0xffffff);

    json_object_object_add (data, "CardNo", json_object_new_string (card));
    json_object_object_add (data, "CardType", json_object_new_int (0));
    json_object_object_add (data, "ErrorCode", json_object_new_int (ACCESS_UNKNOWN));
    json_object_object_add (data, "Method", json_object_new_int (1));
    json_object_object_add (data, "Name", json_object_new_string ("OpenDoor"));
    json_object_object_add (data, "ReaderID", json_object_new_string ("1"));
    json_object_object_add (data, "Status", json_object_new_int (0));
    json_object_object_add (data, "Type", json_object_new_string ("Entry"));
    json_object_object_add (data, "UserID", json_object_new_string (""));
    gh_sim_device_emit (self, "AccessControl", "Pulse", 0, data);
  } else {
    json_object_object_add (data, "SenseMethod", json_object_new_string ("Button"));
    gh_sim_device_emit (self, "AlarmLocal", n % 2 == 0 ? "Start" : "Stop", 0, data);
  }
}

gboolean
gh_sim_device_ring (GhSimDevice *self,
                    const char  *room,
                    GError     **error)
{
  g_autoptr(GPtrArray) vths = NULL;
  GhSimCall *call;

  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  if (!is_door_station (self)) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "%s is a %s; only door and fence stations ring rooms", self->name,
                 gh_sim_device_kind_to_string (self->kind));
    return FALSE;
  }
  if (room == NULL || *room == 0) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT, "Give the room to ring");
    return FALSE;
  }
  if (self->fault_offline || self->reboot_id) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_BUSY, "%s is offline", self->name);
    return FALSE;
  }
  if (self->call) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_BUSY, "%s is already in a call to %s",
                 self->name, self->call->room);
    return FALSE;
  }
  /* A door station only rings when the room has a monitor to call (its SIP target). */
  vths = self->community ? gh_sim_community_find_room (self->community, room) : NULL;
  if (vths == NULL || vths->len == 0) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_NOT_FOUND,
                 "No indoor monitor answers to room %s; add a vth with that number", room);
    return FALSE;
  }

  call = g_new0 (GhSimCall, 1);
  g_ref_count_init (&call->ref);
  call->id = self->next_call_id++;
  call->caller = g_object_ref (self);
  call->callees = g_ptr_array_new_with_free_func (g_object_unref);
  call->room = g_strdup (room);
  call->state = GH_SIM_CALL_RINGING;
  call->begin_utc = gh_sim_now_utc ();
  self->call = call;
  for (guint i = 0; i < vths->len; i++) {
    GhSimDevice *vth = vths->pdata[i];

    if (vth->call != NULL)
      continue;
    g_ptr_array_add (call->callees, g_object_ref (vth));
    vth->call = call_ref (call);
  }

  gh_sim_device_emit (self, "Invite", "Pulse", 0, call_data (call, self));
  gh_sim_device_emit (self, "CallNoAnswered", "Start", 0, call_data (call, self));
  emit_back_key_light (self, 1);
  for (guint i = 0; i < call->callees->len; i++)
    gh_sim_device_emit (call->callees->pdata[i], "Invite", "Pulse", 0, call_data (call, self));
  call->timeout_id = g_timeout_add (self->ring_timeout_ms, ring_timeout_cb, call);
  return TRUE;
}

gboolean
gh_sim_device_answer (GhSimDevice *self,
                      GError     **error)
{
  GhSimCall *call;

  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  call = self->call;
  if (call == NULL || call->state != GH_SIM_CALL_RINGING) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "%s has no ringing call to answer", self->name);
    return FALSE;
  }
  call->state = GH_SIM_CALL_TALKING;
  call->answer_utc = gh_sim_now_utc ();
  g_clear_handle_id (&call->timeout_id, g_source_remove);
  forget_start (call->caller, "CallNoAnswered", 0);
  gh_sim_device_emit (call->caller, "IgnoreInvite", "Pulse", 0, call_data (call, call->caller));
  emit_back_key_light (call->caller, 5);
  /* The other monitors of the room stop ringing. */
  for (guint i = 0; i < call->callees->len; i++) {
    GhSimDevice *vth = call->callees->pdata[i];

    gh_sim_device_emit (vth, "IgnoreInvite", "Pulse", 0, call_data (call, call->caller));
    if (vth != self && self->kind == GH_SIM_DEVICE_VTH && vth->call == call)
      g_clear_pointer (&vth->call, call_unref);
  }
  return TRUE;
}

gboolean
gh_sim_device_hang_up (GhSimDevice *self,
                       GError     **error)
{
  GhSimCall *call;

  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  if (self->call == NULL) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "%s has no call to hang up", self->name);
    return FALSE;
  }
  call = call_ref (self->call);
  end_call (call);
  call_unref (call);
  return TRUE;
}

gboolean
gh_sim_device_remote_open (GhSimDevice *self,
                           guint        door,
                           const char  *user_id,
                           GError     **error)
{
  if (!check_door_station (self, door, error))
    return FALSE;
  record_access (self, door, METHOD_REMOTE, ACCESS_OK, "", "", user_id ? user_id : "", 0);
  return TRUE;
}

gboolean
gh_sim_device_remote_close (GhSimDevice *self,
                            guint        door,
                            GError     **error)
{
  if (!check_door_station (self, door, error))
    return FALSE;
  close_door (self, door);
  return TRUE;
}

gboolean
gh_sim_device_swipe_card (GhSimDevice *self,
                          const char  *card_no,
                          guint        door,
                          gboolean    *granted,
                          GError     **error)
{
  g_autoptr(json_object) card = NULL;
  g_autoptr(json_object) user = NULL;
  GTree *legacy = NULL;
  int code = ACCESS_UNKNOWN, card_type = 0;
  const char *user_id = "", *card_name = "";

  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  if (!check_door_station (self, door, error))
    return FALSE;
  if (card_no == NULL || *card_no == 0) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT, "Give the card number");
    return FALSE;
  }
  card = gh_sim_store_get (self, "AccessCard", card_no);
  if (card) {
    int status = json_int (card, "CardStatus", 0);

    card_type = json_int (card, "CardType", 0);
    user_id = json_str (card, "UserID", "");
    card_name = json_str (card, "CardName", "");
    user = gh_sim_store_get (self, "AccessUser", user_id);
    code = status == 1 ? ACCESS_CANCELLED : status == 2 ? ACCESS_FROZEN : ACCESS_OK;
    if (code == ACCESS_OK)
      code = check_rights (self, card, door);
    if (code == ACCESS_OK)
      code = check_rights (self, user, door);
  } else {
    legacy = gh_sim_device_get_table (self, "AccessControlCard") ?
             gh_sim_table_find_field (gh_sim_device_get_table (self, "AccessControlCard"),
                                      "CardNo", card_no) : NULL;
    if (legacy) {
      const char *type = gh_sim_row_get (legacy, "CardType");

      card_type = type ? atoi (type) : 0;
      user_id = gh_sim_row_get (legacy, "UserID");
      card_name = gh_sim_row_get (legacy, "CardName");
      code = check_legacy_card (self, legacy, door);
    }
  }
  record_access (self, door, METHOD_CARD, code, card_no, card_name ? card_name : "",
                 user_id ? user_id : "", card_type);
  if (code == ACCESS_OK && card_type == 5) {
    json_object *data = json_object_new_object ();

    /* A duress card opens the door but silently raises an alarm. */
    json_object_object_add (data, "CardNo", json_object_new_string (card_no));
    json_object_object_add (data, "UserID", json_object_new_string (user_id ? user_id : ""));
    json_object_object_add (data, "Door", json_object_new_int (door - 1));
    gh_sim_device_emit (self, "Duress", "Pulse", door - 1, data);
    add_alarm_record (self, "Duress", door - 1, "Pulse");
  }
  if (granted)
    *granted = code == ACCESS_OK;
  return TRUE;
}

gboolean
gh_sim_device_enter_password (GhSimDevice *self,
                              const char  *user_id,
                              const char  *password,
                              guint        door,
                              gboolean    *granted,
                              GError     **error)
{
  json_object *users;
  const char *matched = NULL;

  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  if (!check_door_station (self, door, error))
    return FALSE;
  if (password == NULL || *password == 0) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT, "Give the password");
    return FALSE;
  }
  json_object_object_get_ex (self->stores, "AccessUser", &users);
  json_object_object_foreach (users, id, stored) {
    g_autoptr(json_object) user = NULL;

    if (user_id != NULL && g_strcmp0 (user_id, id) != 0)
      continue;
    /* only records that mention the password at all are worth parsing */
    if (!gh_sim_store_may_hold (stored, password))
      continue;
    user = gh_sim_store_parse (stored);
    if (g_strcmp0 (json_str (user, "Password", NULL), password) == 0) {
      matched = id;
      break;
    }
  }
  finish_user_attempt (self, door, METHOD_PASSWORD, matched ? matched : user_id ? user_id : "",
                       matched != NULL, granted);
  return TRUE;
}

gboolean
gh_sim_device_enter_unlock_code (GhSimDevice *self,
                                 const char  *code,
                                 guint        door,
                                 gboolean    *granted,
                                 GError     **error)
{
  GhSimTable *table;
  g_autofree char *room_part = NULL;
  const char *password;
  const char *room = "";
  int result = ACCESS_UNKNOWN;

  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  if (!check_door_station (self, door, error))
    return FALSE;
  /* Six digits of zero-padded room number, then the room's unlock password. */
  if (code == NULL || strlen (code) < 7 || strspn (code, "0123456789") != strlen (code)) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "An unlock code is the room number padded to 6 digits followed by the room's "
                 "unlock password, e.g. 000011888888");
    return FALSE;
  }
  room_part = g_strndup (code, 6);
  password = code + 6;
  table = gh_sim_device_get_table (self, "AccessControlPwd");
  for (guint i = 0; i < gh_sim_table_get_rows (table)->len; i++) {
    GTree *row = gh_sim_table_get_rows (table)->pdata[i];
    const char *row_room = gh_sim_row_get (row, "UserID");
    g_autofree char *padded = NULL;

    if (row_room == NULL || strlen (row_room) > 6 ||
        strspn (row_room, "0123456789") != strlen (row_room))
      continue;
    padded = g_strdup_printf ("%06d", atoi (row_room));
    if (g_strcmp0 (padded, room_part) != 0)
      continue;
    room = row_room;
    result = g_strcmp0 (gh_sim_row_get (row, "DoorOpenPwd"), password) == 0 ?
             ACCESS_OK : ACCESS_WRONG_PASSWORD;
    if (result == ACCESS_OK)
      break;
  }
  record_access (self, door, METHOD_PASSWORD, result, "", "", room, 0);
  if (granted)
    *granted = result == ACCESS_OK;
  return TRUE;
}

gboolean
gh_sim_device_present_face (GhSimDevice *self,
                            const char  *user_id,
                            guint        door,
                            gboolean    *granted,
                            GError     **error)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  if (!check_door_station (self, door, error))
    return FALSE;
  finish_user_attempt (self, door, METHOD_FACE, user_id ? user_id : "",
                       store_has (self, "AccessFace", user_id) &&
                       store_has (self, "AccessUser", user_id), granted);
  return TRUE;
}

gboolean
gh_sim_device_present_fingerprint (GhSimDevice *self,
                                   const char  *user_id,
                                   guint        door,
                                   gboolean    *granted,
                                   GError     **error)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  if (!check_door_station (self, door, error))
    return FALSE;
  finish_user_attempt (self, door, METHOD_FINGERPRINT, user_id ? user_id : "",
                       store_has (self, "AccessFingerprint", user_id) &&
                       store_has (self, "AccessUser", user_id), granted);
  return TRUE;
}

gboolean
gh_sim_device_set_alarm (GhSimDevice *self,
                         int          input,
                         gboolean     active,
                         GError     **error)
{
  json_object *data;

  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  if (input < 0 || input >= ALARM_INPUTS) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "Alarm inputs are numbered 0…%d", ALARM_INPUTS - 1);
    return FALSE;
  }
  if (self->alarm_active[input] == active)
    return TRUE;
  self->alarm_active[input] = active;
  data = json_object_new_object ();
  json_object_object_add (data, "SenseMethod", json_object_new_string ("Button"));
  gh_sim_device_emit (self, "AlarmLocal", active ? "Start" : "Stop", input, data);
  add_alarm_record (self, "AlarmLocal", input, active ? "Start" : "Stop");
  return TRUE;
}

gboolean
gh_sim_device_set_tamper (GhSimDevice *self,
                          gboolean     active,
                          GError     **error)
{
  json_object *data;

  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  if (self->tamper == active)
    return TRUE;
  self->tamper = active;
  data = json_object_new_object ();
  json_object_object_add (data, "SenseMethod", json_object_new_string ("Tamper"));
  gh_sim_device_emit (self, "AlarmLocal", active ? "Start" : "Stop", TAMPER_INDEX, data);
  add_alarm_record (self, "Tamper", TAMPER_INDEX, active ? "Start" : "Stop");
  return TRUE;
}

gboolean
gh_sim_device_force_door (GhSimDevice *self,
                          guint        door,
                          gboolean     open,
                          GError     **error)
{
  json_object *data;

  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  if (!check_door_station (self, door, error))
    return FALSE;
  if (!open) {
    close_door (self, door);
    return TRUE;
  }
  g_clear_handle_id (&self->door_close_id[door - 1], g_source_remove);
  if (!self->door_open[door - 1]) {
    self->door_open[door - 1] = TRUE;
    data = json_object_new_object ();
    json_object_object_add (data, "Status", json_object_new_string ("Open"));
    gh_sim_device_emit (self, "DoorStatus", "Pulse", door - 1, data);
  }
  data = json_object_new_object ();
  json_object_object_add (data, "Door", json_object_new_int (door - 1));
  gh_sim_device_emit (self, "BreakIn", "Pulse", door - 1, data);
  add_alarm_record (self, "BreakIn", door - 1, "Pulse");
  return TRUE;
}

static gboolean
reboot_done_cb (gpointer user_data)
{
  GhSimDevice *self = user_data;
  g_autoptr(GError) error = NULL;

  self->reboot_id = 0;
  if (!self->fault_offline && !gh_sim_device_http_listen (self, &error))
    g_warning ("%s could not come back after reboot: %s", self->name, error->message);
#ifdef GH_SIM_HAVE_RTSP
  if (self->rtsp && !self->fault_offline)
    gh_sim_rtsp_set_online (self->rtsp, TRUE);
#endif
  return G_SOURCE_REMOVE;
}

static void
go_offline (GhSimDevice *self)
{
  gh_sim_device_http_disconnect (self);
#ifdef GH_SIM_HAVE_RTSP
  if (self->rtsp)
    gh_sim_rtsp_set_online (self->rtsp, FALSE);
#endif
}

gboolean
gh_sim_device_set_fault (GhSimDevice *self,
                         const char  *fault,
                         int          value,
                         GError     **error)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  if (g_strcmp0 (fault, "offline") == 0) {
    if (self->fault_offline == (value != 0))
      return TRUE;
    self->fault_offline = value != 0;
    if (self->fault_offline) {
      go_offline (self);
    } else if (self->reboot_id == 0) {
      if (!gh_sim_device_http_listen (self, error))
        return FALSE;
#ifdef GH_SIM_HAVE_RTSP
      if (self->rtsp)
        gh_sim_rtsp_set_online (self->rtsp, TRUE);
#endif
    }
  } else if (g_strcmp0 (fault, "slow_ms") == 0) {
    self->fault_slow_ms = CLAMP (value, 0, 120000);
  } else if (g_strcmp0 (fault, "silent") == 0) {
    self->fault_silent = value != 0;
  } else if (g_strcmp0 (fault, "http_500") == 0) {
    self->fault_http_500 = value != 0;
  } else if (g_strcmp0 (fault, "malformed") == 0) {
    self->fault_malformed = value != 0;
  } else if (g_strcmp0 (fault, "auth_fail") == 0) {
    self->fault_auth = value != 0;
  } else {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "Unknown fault \"%s\"; use offline, slow_ms, silent, http_500, malformed or "
                 "auth_fail", fault);
    return FALSE;
  }
  return TRUE;
}

char *
gh_sim_device_dup_faults_json (GhSimDevice *self)
{
  g_autoptr(json_object) obj = json_object_new_object ();

  json_object_object_add (obj, "offline", json_object_new_boolean (self->fault_offline));
  json_object_object_add (obj, "slow_ms", json_object_new_int (self->fault_slow_ms));
  json_object_object_add (obj, "silent", json_object_new_boolean (self->fault_silent));
  json_object_object_add (obj, "http_500", json_object_new_boolean (self->fault_http_500));
  json_object_object_add (obj, "malformed", json_object_new_boolean (self->fault_malformed));
  json_object_object_add (obj, "auth_fail", json_object_new_boolean (self->fault_auth));
  json_object_object_add (obj, "rebooting", json_object_new_boolean (self->reboot_id != 0));
  return g_strdup (json_object_to_json_string_ext (obj, JSON_C_TO_STRING_PLAIN));
}

/* A reboot drops every connection, call and session, stays away for @seconds, and keeps what
 * clients pushed (records, users, config) as the flash of a real device would. */
gboolean
gh_sim_device_reboot (GhSimDevice *self,
                      guint        seconds,
                      GError     **error)
{
  g_return_val_if_fail (GH_IS_SIM_DEVICE (self), FALSE);

  if (self->reboot_id) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_BUSY, "%s is already rebooting", self->name);
    return FALSE;
  }
  if (self->call) {
    GhSimCall *call = call_ref (self->call);

    end_call (call);
    call_unref (call);
  }
  for (guint i = 0; i < self->doors; i++) {
    g_clear_handle_id (&self->door_close_id[i], g_source_remove);
    self->door_open[i] = FALSE;
  }
  g_list_free_full (g_steal_pointer (&self->active_starts), g_free);
  g_hash_table_remove_all (self->rpc_sessions);
  g_hash_table_remove_all (self->rpc_objects);
  g_hash_table_remove_all (self->finds);
  self->auth_failures = 0;
  self->locked_until = 0;
  go_offline (self);
  self->reboot_id = g_timeout_add (MAX (seconds, 1) * 1000, reboot_done_cb, self);
  return TRUE;
}
