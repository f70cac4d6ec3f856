/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-record"

#include "config.h"

#include "gh-record.h"
#include "gh-record-private.h"

/**
 * GhRecord:
 *
 * One call, access control or alarm record read from a device, as a row object for the records
 * views and as the value handed to gh_record_store_ingest(). Which fields apply depends on
 * #GhRecord:kind:
 *
 * - call: direction, status (answered, missed, rejected, failed), local-number, peer-number,
 *   peer-kind, talk-seconds, snapshot-path, recording-path
 * - access: direction (entry, exit), status (granted, denied), method, door, person-ref,
 *   person-name, card-number, error-code, snapshot-path
 * - alarm: alarm-type, channel, status (start, stop, pulse), detail
 *
 * #GhRecord:dedup-key identifies the record on its device (the device's record number or
 * creation time), so reading the same records again adds nothing.
 */
struct _GhRecord
{
  GObject   parent_instance;

  gint64   id;
  char   * kind;  /* (owned) */
  gint64   device_id;
  char   * device_name;  /* (owned) */
  gint64   time;
  char   * status;  /* (owned) */
  char   * direction;  /* (owned) */
  char   * method;  /* (owned) */
  char   * local_number;  /* (owned) */
  char   * peer_number;  /* (owned) */
  char   * peer_kind;  /* (owned) */
  int      talk_seconds;
  int      door;
  char   * person_ref;  /* (owned) */
  char   * person_name;  /* (owned) */
  char   * card_number;  /* (owned) */
  int      error_code;
  char   * alarm_type;  /* (owned) */
  int      channel;
  char   * detail;  /* (owned) */
  char   * snapshot_path;  /* (owned) */
  char   * recording_path;  /* (owned) */
  char   * dedup_key;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhRecord, gh_record, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_DEVICE_ID,
  PROP_DEVICE_NAME,
  PROP_TIME,
  PROP_STATUS,
  PROP_DIRECTION,
  PROP_METHOD,
  PROP_LOCAL_NUMBER,
  PROP_PEER_NUMBER,
  PROP_PEER_KIND,
  PROP_TALK_SECONDS,
  PROP_DOOR,
  PROP_PERSON_REF,
  PROP_PERSON_NAME,
  PROP_CARD_NUMBER,
  PROP_ERROR_CODE,
  PROP_ALARM_TYPE,
  PROP_CHANNEL,
  PROP_DETAIL,
  PROP_SNAPSHOT_PATH,
  PROP_RECORDING_PATH,
  PROP_DEDUP_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gh_record_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  GhRecord *self = GH_RECORD (object);

  switch (prop_id) {
  case PROP_ID:
    g_value_set_int64 (value, self->id);
    break;
  case PROP_KIND:
    g_value_set_string (value, self->kind);
    break;
  case PROP_DEVICE_ID:
    g_value_set_int64 (value, self->device_id);
    break;
  case PROP_DEVICE_NAME:
    g_value_set_string (value, self->device_name);
    break;
  case PROP_TIME:
    g_value_set_int64 (value, self->time);
    break;
  case PROP_STATUS:
    g_value_set_string (value, self->status);
    break;
  case PROP_DIRECTION:
    g_value_set_string (value, self->direction);
    break;
  case PROP_METHOD:
    g_value_set_string (value, self->method);
    break;
  case PROP_LOCAL_NUMBER:
    g_value_set_string (value, self->local_number);
    break;
  case PROP_PEER_NUMBER:
    g_value_set_string (value, self->peer_number);
    break;
  case PROP_PEER_KIND:
    g_value_set_string (value, self->peer_kind);
    break;
  case PROP_TALK_SECONDS:
    g_value_set_int (value, self->talk_seconds);
    break;
  case PROP_DOOR:
    g_value_set_int (value, self->door);
    break;
  case PROP_PERSON_REF:
    g_value_set_string (value, self->person_ref);
    break;
  case PROP_PERSON_NAME:
    g_value_set_string (value, self->person_name);
    break;
  case PROP_CARD_NUMBER:
    g_value_set_string (value, self->card_number);
    break;
  case PROP_ERROR_CODE:
    g_value_set_int (value, self->error_code);
    break;
  case PROP_ALARM_TYPE:
    g_value_set_string (value, self->alarm_type);
    break;
  case PROP_CHANNEL:
    g_value_set_int (value, self->channel);
    break;
  case PROP_DETAIL:
    g_value_set_string (value, self->detail);
    break;
  case PROP_SNAPSHOT_PATH:
    g_value_set_string (value, self->snapshot_path);
    break;
  case PROP_RECORDING_PATH:
    g_value_set_string (value, self->recording_path);
    break;
  case PROP_DEDUP_KEY:
    g_value_set_string (value, self->dedup_key);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_record_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  GhRecord *self = GH_RECORD (object);

  switch (prop_id) {
  case PROP_KIND:
    gh_record_set_kind (self, g_value_get_string (value));
    break;
  case PROP_TIME:
    gh_record_set_time (self, g_value_get_int64 (value));
    break;
  case PROP_STATUS:
    gh_record_set_status (self, g_value_get_string (value));
    break;
  case PROP_DIRECTION:
    gh_record_set_direction (self, g_value_get_string (value));
    break;
  case PROP_METHOD:
    gh_record_set_method (self, g_value_get_string (value));
    break;
  case PROP_LOCAL_NUMBER:
    gh_record_set_local_number (self, g_value_get_string (value));
    break;
  case PROP_PEER_NUMBER:
    gh_record_set_peer_number (self, g_value_get_string (value));
    break;
  case PROP_PEER_KIND:
    gh_record_set_peer_kind (self, g_value_get_string (value));
    break;
  case PROP_TALK_SECONDS:
    gh_record_set_talk_seconds (self, g_value_get_int (value));
    break;
  case PROP_DOOR:
    gh_record_set_door (self, g_value_get_int (value));
    break;
  case PROP_PERSON_REF:
    gh_record_set_person_ref (self, g_value_get_string (value));
    break;
  case PROP_PERSON_NAME:
    gh_record_set_person_name (self, g_value_get_string (value));
    break;
  case PROP_CARD_NUMBER:
    gh_record_set_card_number (self, g_value_get_string (value));
    break;
  case PROP_ERROR_CODE:
    gh_record_set_error_code (self, g_value_get_int (value));
    break;
  case PROP_ALARM_TYPE:
    gh_record_set_alarm_type (self, g_value_get_string (value));
    break;
  case PROP_CHANNEL:
    gh_record_set_channel (self, g_value_get_int (value));
    break;
  case PROP_DETAIL:
    gh_record_set_detail (self, g_value_get_string (value));
    break;
  case PROP_SNAPSHOT_PATH:
    gh_record_set_snapshot_path (self, g_value_get_string (value));
    break;
  case PROP_RECORDING_PATH:
    gh_record_set_recording_path (self, g_value_get_string (value));
    break;
  case PROP_DEDUP_KEY:
    gh_record_set_dedup_key (self, g_value_get_string (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_record_finalize (GObject *object)
{
  GhRecord *self = (GhRecord *)object;

  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->device_name, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->direction, g_free);
  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->local_number, g_free);
  g_clear_pointer (&self->peer_number, g_free);
  g_clear_pointer (&self->peer_kind, g_free);
  g_clear_pointer (&self->person_ref, g_free);
  g_clear_pointer (&self->person_name, g_free);
  g_clear_pointer (&self->card_number, g_free);
  g_clear_pointer (&self->alarm_type, g_free);
  g_clear_pointer (&self->detail, g_free);
  g_clear_pointer (&self->snapshot_path, g_free);
  g_clear_pointer (&self->recording_path, g_free);
  g_clear_pointer (&self->dedup_key, g_free);

  G_OBJECT_CLASS (gh_record_parent_class)->finalize (object);
}

static void
gh_record_class_init (GhRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_record_get_property;
  object_class->set_property = gh_record_set_property;
  object_class->finalize = gh_record_finalize;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* call, access or alarm */
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DEVICE_ID] =
    g_param_spec_int64 ("device-id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DEVICE_NAME] =
    g_param_spec_string ("device-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Unix seconds */
  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DIRECTION] =
    g_param_spec_string ("direction", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* unknown, card, password, remote, fingerprint, face, button, room-password */
  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOCAL_NUMBER] =
    g_param_spec_string ("local-number", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PEER_NUMBER] =
    g_param_spec_string ("peer-number", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PEER_KIND] =
    g_param_spec_string ("peer-kind", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TALK_SECONDS] =
    g_param_spec_int ("talk-seconds", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DOOR] =
    g_param_spec_int ("door", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PERSON_REF] =
    g_param_spec_string ("person-ref", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PERSON_NAME] =
    g_param_spec_string ("person-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CARD_NUMBER] =
    g_param_spec_string ("card-number", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR_CODE] =
    g_param_spec_int ("error-code", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ALARM_TYPE] =
    g_param_spec_string ("alarm-type", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CHANNEL] =
    g_param_spec_int ("channel", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SNAPSHOT_PATH] =
    g_param_spec_string ("snapshot-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RECORDING_PATH] =
    g_param_spec_string ("recording-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DEDUP_KEY] =
    g_param_spec_string ("dedup-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_record_init (GhRecord *self)
{
  self->kind = g_strdup ("access");
}

GhRecord *
gh_record_new_row (void)
{
  return g_object_new (GH_TYPE_RECORD, NULL);
}

GhRecord *
gh_record_new (void)
{
  return g_object_new (GH_TYPE_RECORD, NULL);
}

gint64
gh_record_get_id (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), 0);

  return self->id;
}

const char *
gh_record_get_kind (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->kind;
}

gint64
gh_record_get_device_id (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), 0);

  return self->device_id;
}

const char *
gh_record_get_device_name (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->device_name;
}

gint64
gh_record_get_time (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), 0);

  return self->time;
}

const char *
gh_record_get_status (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->status;
}

const char *
gh_record_get_direction (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->direction;
}

const char *
gh_record_get_method (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->method;
}

const char *
gh_record_get_local_number (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->local_number;
}

const char *
gh_record_get_peer_number (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->peer_number;
}

const char *
gh_record_get_peer_kind (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->peer_kind;
}

int
gh_record_get_talk_seconds (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), 0);

  return self->talk_seconds;
}

int
gh_record_get_door (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), 0);

  return self->door;
}

const char *
gh_record_get_person_ref (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->person_ref;
}

const char *
gh_record_get_person_name (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->person_name;
}

const char *
gh_record_get_card_number (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->card_number;
}

int
gh_record_get_error_code (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), 0);

  return self->error_code;
}

const char *
gh_record_get_alarm_type (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->alarm_type;
}

int
gh_record_get_channel (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), 0);

  return self->channel;
}

const char *
gh_record_get_detail (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->detail;
}

const char *
gh_record_get_snapshot_path (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->snapshot_path;
}

const char *
gh_record_get_recording_path (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->recording_path;
}

const char *
gh_record_get_dedup_key (GhRecord *self)
{
  g_return_val_if_fail (GH_IS_RECORD (self), NULL);

  return self->dedup_key;
}

void
gh_record_set_id (GhRecord *self,
                 gint64    id)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

void
gh_record_set_kind (GhRecord   *self,
                   const char *kind)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->kind, kind) == 0)
    return;

  g_free (self->kind);
  self->kind = g_strdup (kind);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

void
gh_record_set_device_id (GhRecord *self,
                        gint64    device_id)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (self->device_id == device_id)
    return;

  self->device_id = device_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_ID]);
}

void
gh_record_set_device_name (GhRecord   *self,
                          const char *device_name)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->device_name, device_name) == 0)
    return;

  g_free (self->device_name);
  self->device_name = g_strdup (device_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_NAME]);
}

void
gh_record_set_time (GhRecord *self,
                   gint64    time)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (self->time == time)
    return;

  self->time = time;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME]);
}

void
gh_record_set_status (GhRecord   *self,
                     const char *status)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->status, status) == 0)
    return;

  g_free (self->status);
  self->status = g_strdup (status);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

void
gh_record_set_direction (GhRecord   *self,
                        const char *direction)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->direction, direction) == 0)
    return;

  g_free (self->direction);
  self->direction = g_strdup (direction);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTION]);
}

void
gh_record_set_method (GhRecord   *self,
                     const char *method)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->method, method) == 0)
    return;

  g_free (self->method);
  self->method = g_strdup (method);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METHOD]);
}

void
gh_record_set_local_number (GhRecord   *self,
                           const char *local_number)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->local_number, local_number) == 0)
    return;

  g_free (self->local_number);
  self->local_number = g_strdup (local_number);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_NUMBER]);
}

void
gh_record_set_peer_number (GhRecord   *self,
                          const char *peer_number)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->peer_number, peer_number) == 0)
    return;

  g_free (self->peer_number);
  self->peer_number = g_strdup (peer_number);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_NUMBER]);
}

void
gh_record_set_peer_kind (GhRecord   *self,
                        const char *peer_kind)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->peer_kind, peer_kind) == 0)
    return;

  g_free (self->peer_kind);
  self->peer_kind = g_strdup (peer_kind);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_KIND]);
}

void
gh_record_set_talk_seconds (GhRecord *self,
                           int       talk_seconds)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (self->talk_seconds == talk_seconds)
    return;

  self->talk_seconds = talk_seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TALK_SECONDS]);
}

void
gh_record_set_door (GhRecord *self,
                   int       door)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (self->door == door)
    return;

  self->door = door;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOOR]);
}

void
gh_record_set_person_ref (GhRecord   *self,
                         const char *person_ref)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->person_ref, person_ref) == 0)
    return;

  g_free (self->person_ref);
  self->person_ref = g_strdup (person_ref);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSON_REF]);
}

void
gh_record_set_person_name (GhRecord   *self,
                          const char *person_name)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->person_name, person_name) == 0)
    return;

  g_free (self->person_name);
  self->person_name = g_strdup (person_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSON_NAME]);
}

void
gh_record_set_card_number (GhRecord   *self,
                          const char *card_number)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->card_number, card_number) == 0)
    return;

  g_free (self->card_number);
  self->card_number = g_strdup (card_number);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD_NUMBER]);
}

void
gh_record_set_error_code (GhRecord *self,
                         int       error_code)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (self->error_code == error_code)
    return;

  self->error_code = error_code;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_CODE]);
}

void
gh_record_set_alarm_type (GhRecord   *self,
                         const char *alarm_type)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->alarm_type, alarm_type) == 0)
    return;

  g_free (self->alarm_type);
  self->alarm_type = g_strdup (alarm_type);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALARM_TYPE]);
}

void
gh_record_set_channel (GhRecord *self,
                      int       channel)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (self->channel == channel)
    return;

  self->channel = channel;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);
}

void
gh_record_set_detail (GhRecord   *self,
                     const char *detail)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->detail, detail) == 0)
    return;

  g_free (self->detail);
  self->detail = g_strdup (detail);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
}

void
gh_record_set_snapshot_path (GhRecord   *self,
                            const char *snapshot_path)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->snapshot_path, snapshot_path) == 0)
    return;

  g_free (self->snapshot_path);
  self->snapshot_path = g_strdup (snapshot_path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAPSHOT_PATH]);
}

void
gh_record_set_recording_path (GhRecord   *self,
                             const char *recording_path)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->recording_path, recording_path) == 0)
    return;

  g_free (self->recording_path);
  self->recording_path = g_strdup (recording_path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING_PATH]);
}

void
gh_record_set_dedup_key (GhRecord   *self,
                        const char *dedup_key)
{
  g_return_if_fail (GH_IS_RECORD (self));

  if (g_strcmp0 (self->dedup_key, dedup_key) == 0)
    return;

  g_free (self->dedup_key);
  self->dedup_key = g_strdup (dedup_key);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEDUP_KEY]);
}
