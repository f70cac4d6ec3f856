/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GH_TYPE_PERSON (gh_person_get_type ())
G_DECLARE_FINAL_TYPE (GhPerson, gh_person, GH, PERSON, GObject)

GhPerson   *gh_person_new               (const char *person_id,
                                         const char *name);
gint64      gh_person_get_id            (GhPerson   *self);
const char *gh_person_get_person_id     (GhPerson   *self);
const char *gh_person_get_name          (GhPerson   *self);
gint64      gh_person_get_department_id (GhPerson   *self);
const char *gh_person_get_department    (GhPerson   *self);
gint64      gh_person_get_room_id       (GhPerson   *self);
const char *gh_person_get_person_type   (GhPerson   *self);
const char *gh_person_get_gender        (GhPerson   *self);
const char *gh_person_get_phone         (GhPerson   *self);
const char *gh_person_get_email         (GhPerson   *self);
const char *gh_person_get_id_number     (GhPerson   *self);
gint64      gh_person_get_valid_from    (GhPerson   *self);
gint64      gh_person_get_valid_to      (GhPerson   *self);
const char *gh_person_get_remark        (GhPerson   *self);
const char *gh_person_get_extended      (GhPerson   *self);
const char *gh_person_get_card_number   (GhPerson   *self);
void        gh_person_set_person_id     (GhPerson   *self,
                                         const char *person_id);
void        gh_person_set_name          (GhPerson   *self,
                                         const char *name);
void        gh_person_set_department_id (GhPerson   *self,
                                         gint64      department_id);
void        gh_person_set_room_id       (GhPerson   *self,
                                         gint64      room_id);
void        gh_person_set_person_type   (GhPerson   *self,
                                         const char *person_type);
void        gh_person_set_gender        (GhPerson   *self,
                                         const char *gender);
void        gh_person_set_phone         (GhPerson   *self,
                                         const char *phone);
void        gh_person_set_email         (GhPerson   *self,
                                         const char *email);
void        gh_person_set_id_number     (GhPerson   *self,
                                         const char *id_number);
void        gh_person_set_valid_from    (GhPerson   *self,
                                         gint64      valid_from);
void        gh_person_set_valid_to      (GhPerson   *self,
                                         gint64      valid_to);
void        gh_person_set_remark        (GhPerson   *self,
                                         const char *remark);
void        gh_person_set_extended      (GhPerson   *self,
                                         const char *extended_json);
void        gh_person_set_card_number   (GhPerson   *self,
                                         const char *card_number);

G_END_DECLS
