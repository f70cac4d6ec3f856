/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GH_TYPE_RECORD (gh_record_get_type ())
G_DECLARE_FINAL_TYPE (GhRecord, gh_record, GH, RECORD, GObject)

GhRecord   *gh_record_new                (void);
gint64      gh_record_get_id             (GhRecord *self);
const char *gh_record_get_kind           (GhRecord *self);
gint64      gh_record_get_device_id      (GhRecord *self);
const char *gh_record_get_device_name    (GhRecord *self);
gint64      gh_record_get_time           (GhRecord *self);
const char *gh_record_get_status         (GhRecord *self);
const char *gh_record_get_direction      (GhRecord *self);
const char *gh_record_get_method         (GhRecord *self);
const char *gh_record_get_local_number   (GhRecord *self);
const char *gh_record_get_peer_number    (GhRecord *self);
const char *gh_record_get_peer_kind      (GhRecord *self);
int         gh_record_get_talk_seconds   (GhRecord *self);
int         gh_record_get_door           (GhRecord *self);
const char *gh_record_get_person_ref     (GhRecord *self);
const char *gh_record_get_person_name    (GhRecord *self);
const char *gh_record_get_card_number    (GhRecord *self);
int         gh_record_get_error_code     (GhRecord *self);
const char *gh_record_get_alarm_type     (GhRecord *self);
int         gh_record_get_channel        (GhRecord *self);
const char *gh_record_get_detail         (GhRecord *self);
const char *gh_record_get_snapshot_path  (GhRecord *self);
const char *gh_record_get_recording_path (GhRecord *self);
const char *gh_record_get_dedup_key      (GhRecord *self);
void        gh_record_set_kind           (GhRecord   *self,
                                          const char *kind);
void        gh_record_set_time           (GhRecord *self,
                                          gint64    time);
void        gh_record_set_status         (GhRecord   *self,
                                          const char *status);
void        gh_record_set_direction      (GhRecord   *self,
                                          const char *direction);
void        gh_record_set_method         (GhRecord   *self,
                                          const char *method);
void        gh_record_set_local_number   (GhRecord   *self,
                                          const char *local_number);
void        gh_record_set_peer_number    (GhRecord   *self,
                                          const char *peer_number);
void        gh_record_set_peer_kind      (GhRecord   *self,
                                          const char *peer_kind);
void        gh_record_set_talk_seconds   (GhRecord *self,
                                          int       talk_seconds);
void        gh_record_set_door           (GhRecord *self,
                                          int       door);
void        gh_record_set_person_ref     (GhRecord   *self,
                                          const char *person_ref);
void        gh_record_set_person_name    (GhRecord   *self,
                                          const char *person_name);
void        gh_record_set_card_number    (GhRecord   *self,
                                          const char *card_number);
void        gh_record_set_error_code     (GhRecord *self,
                                          int       error_code);
void        gh_record_set_alarm_type     (GhRecord   *self,
                                          const char *alarm_type);
void        gh_record_set_channel        (GhRecord *self,
                                          int       channel);
void        gh_record_set_detail         (GhRecord   *self,
                                          const char *detail);
void        gh_record_set_snapshot_path  (GhRecord   *self,
                                          const char *snapshot_path);
void        gh_record_set_recording_path (GhRecord   *self,
                                          const char *recording_path);
void        gh_record_set_dedup_key      (GhRecord   *self,
                                          const char *dedup_key);

G_END_DECLS
