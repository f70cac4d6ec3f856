/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-driver-types"

#include "config.h"

#include "gh-driver-types.h"

#include <string.h>

const char *
gh_device_kind_to_string (GhDeviceKind kind)
{
  switch (kind) {
  case GH_DEVICE_KIND_DOOR_STATION: return "door-station";
  case GH_DEVICE_KIND_INDOOR_MONITOR: return "indoor-monitor";
  case GH_DEVICE_KIND_MASTER_STATION: return "master-station";
  case GH_DEVICE_KIND_ACCESS_CONTROLLER: return "access-controller";
  case GH_DEVICE_KIND_UNKNOWN:
  default: return "unknown";
  }
}

const char *
gh_record_kind_to_string (GhRecordKind kind)
{
  switch (kind) {
  case GH_RECORD_KIND_CALL: return "call";
  case GH_RECORD_KIND_ACCESS: return "access";
  case GH_RECORD_KIND_ALARM: return "alarm";
  default: return "invalid";
  }
}

const char *
gh_call_state_to_string (GhCallState state)
{
  switch (state) {
  case GH_CALL_STATE_IDLE: return "idle";
  case GH_CALL_STATE_RINGING: return "ringing";
  case GH_CALL_STATE_TALKING: return "talking";
  case GH_CALL_STATE_UNKNOWN:
  default: return "unknown";
  }
}

GhProbeInfo *
gh_probe_info_new (void)
{
  return g_new0 (GhProbeInfo, 1);
}

void
gh_probe_info_free (GhProbeInfo *self)
{
  if (self == NULL)
    return;
  g_free (self->model);
  g_free (self->serial);
  g_free (self->firmware);
  g_free (self);
}

GhDeviceCard *
gh_device_card_new (const char *number,
             GhCardKind  kind)
{
  GhDeviceCard *self = g_new0 (GhDeviceCard, 1);

  self->number = g_strdup (number);
  self->kind = kind;
  return self;
}

void
gh_device_card_free (GhDeviceCard *self)
{
  if (self == NULL)
    return;
  g_free (self->number);
  g_free (self);
}

GhDevicePerson *
gh_device_person_new (const char *id,
               const char *name)
{
  GhDevicePerson *self = g_new0 (GhDevicePerson, 1);

  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->cards = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_card_free);
  self->faces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->fingerprints = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  return self;
}

void
gh_device_person_free (GhDevicePerson *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->name);
  g_free (self->room);
  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  g_free (self->password);
  g_clear_pointer (&self->cards, g_ptr_array_unref);
  g_clear_pointer (&self->faces, g_ptr_array_unref);
  g_clear_pointer (&self->fingerprints, g_ptr_array_unref);
  g_free (self);
}

GhDeviceRegistration *
gh_device_registration_new (GhRegistrationKind  kind,
                     const char         *number)
{
  GhDeviceRegistration *self = g_new0 (GhDeviceRegistration, 1);

  self->kind = kind;
  self->number = g_strdup (number);
  return self;
}

void
gh_device_registration_free (GhDeviceRegistration *self)
{
  if (self == NULL)
    return;
  g_free (self->number);
  g_free (self->name);
  g_free (self->address);
  g_free (self);
}

GhDeviceNotice *
gh_device_notice_new (const char *title,
               const char *body)
{
  GhDeviceNotice *self = g_new0 (GhDeviceNotice, 1);

  self->title = g_strdup (title);
  self->body = g_strdup (body);
  return self;
}

void
gh_device_notice_free (GhDeviceNotice *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_free (self->body);
  g_free (self->target_room);
  g_free (self->device_key);
  g_free (self);
}

GhDeviceRecord *
gh_device_record_new (GhRecordKind kind)
{
  GhDeviceRecord *self = g_new0 (GhDeviceRecord, 1);

  self->kind = kind;
  self->door = -1;
  return self;
}

void
gh_device_record_free (GhDeviceRecord *self)
{
  if (self == NULL)
    return;
  g_free (self->key);
  g_free (self->credential);
  g_free (self->person_id);
  g_free (self->person_name);
  g_free (self->room);
  g_free (self->local_number);
  g_free (self->raw);
  g_free (self);
}

GhDeviceRecordBatch *
gh_device_record_batch_new (void)
{
  GhDeviceRecordBatch *self = g_new0 (GhDeviceRecordBatch, 1);

  self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_record_free);
  return self;
}

void
gh_device_record_batch_free (GhDeviceRecordBatch *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_free (self->cursor);
  g_free (self);
}
