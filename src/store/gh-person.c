/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-person"

#include "config.h"

#include "gh-person.h"
#include "gh-person-private.h"

/**
 * GhPerson:
 *
 * One person of the personnel list, as a row object for list models and as the value passed
 * to gh_person_store_add() and gh_person_store_update(). #GhPerson:card-number is the main
 * card shown in lists; when adding, a non-empty card number issues that card as the main card.
 * Times are Unix seconds, 0 meaning "not set". #GhPerson:extended holds extra fields as a JSON
 * object.
 */
struct _GhPerson
{
  GObject  parent_instance;
  gint64   id;
  gint64   department_id;
  gint64   room_id;
  gint64   valid_from;
  gint64   valid_to;
  char    *person_id;  /* (owned) */
  char    *name;  /* (owned) */
  char    *department;  /* (owned) */
  char    *person_type;  /* (owned) */
  char    *gender;  /* (owned) */
  char    *phone;  /* (owned) */
  char    *email;  /* (owned) */
  char    *id_number;  /* (owned) */
  char    *remark;  /* (owned) */
  char    *extended;  /* (owned) */
  char    *card_number;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhPerson, gh_person, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DEPARTMENT_ID,
  PROP_ROOM_ID,
  PROP_VALID_FROM,
  PROP_VALID_TO,
  PROP_PERSON_ID,
  PROP_NAME,
  PROP_DEPARTMENT,
  PROP_PERSON_TYPE,
  PROP_GENDER,
  PROP_PHONE,
  PROP_EMAIL,
  PROP_ID_NUMBER,
  PROP_REMARK,
  PROP_EXTENDED,
  PROP_CARD_NUMBER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (GhPerson   *self,
            char      **field,
            const char *value,
            int         prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int (GhPerson *self,
         gint64   *field,
         gint64    value,
         int       prop)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
gh_person_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  GhPerson *self = GH_PERSON (object);

  switch (prop_id) {
  case PROP_ID:
    g_value_set_int64 (value, self->id);
    break;
  case PROP_DEPARTMENT_ID:
    g_value_set_int64 (value, self->department_id);
    break;
  case PROP_ROOM_ID:
    g_value_set_int64 (value, self->room_id);
    break;
  case PROP_VALID_FROM:
    g_value_set_int64 (value, self->valid_from);
    break;
  case PROP_VALID_TO:
    g_value_set_int64 (value, self->valid_to);
    break;
  case PROP_PERSON_ID:
    g_value_set_string (value, self->person_id);
    break;
  case PROP_NAME:
    g_value_set_string (value, self->name);
    break;
  case PROP_DEPARTMENT:
    g_value_set_string (value, self->department);
    break;
  case PROP_PERSON_TYPE:
    g_value_set_string (value, self->person_type);
    break;
  case PROP_GENDER:
    g_value_set_string (value, self->gender);
    break;
  case PROP_PHONE:
    g_value_set_string (value, self->phone);
    break;
  case PROP_EMAIL:
    g_value_set_string (value, self->email);
    break;
  case PROP_ID_NUMBER:
    g_value_set_string (value, self->id_number);
    break;
  case PROP_REMARK:
    g_value_set_string (value, self->remark);
    break;
  case PROP_EXTENDED:
    g_value_set_string (value, self->extended);
    break;
  case PROP_CARD_NUMBER:
    g_value_set_string (value, self->card_number);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_person_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GhPerson *self = GH_PERSON (object);

  switch (prop_id) {
  case PROP_DEPARTMENT_ID:
    set_int (self, &self->department_id, g_value_get_int64 (value), PROP_DEPARTMENT_ID);
    break;
  case PROP_ROOM_ID:
    set_int (self, &self->room_id, g_value_get_int64 (value), PROP_ROOM_ID);
    break;
  case PROP_VALID_FROM:
    set_int (self, &self->valid_from, g_value_get_int64 (value), PROP_VALID_FROM);
    break;
  case PROP_VALID_TO:
    set_int (self, &self->valid_to, g_value_get_int64 (value), PROP_VALID_TO);
    break;
  case PROP_PERSON_ID:
    set_string (self, &self->person_id, g_value_get_string (value), PROP_PERSON_ID);
    break;
  case PROP_NAME:
    set_string (self, &self->name, g_value_get_string (value), PROP_NAME);
    break;
  case PROP_PERSON_TYPE:
    set_string (self, &self->person_type, g_value_get_string (value), PROP_PERSON_TYPE);
    break;
  case PROP_GENDER:
    set_string (self, &self->gender, g_value_get_string (value), PROP_GENDER);
    break;
  case PROP_PHONE:
    set_string (self, &self->phone, g_value_get_string (value), PROP_PHONE);
    break;
  case PROP_EMAIL:
    set_string (self, &self->email, g_value_get_string (value), PROP_EMAIL);
    break;
  case PROP_ID_NUMBER:
    set_string (self, &self->id_number, g_value_get_string (value), PROP_ID_NUMBER);
    break;
  case PROP_REMARK:
    set_string (self, &self->remark, g_value_get_string (value), PROP_REMARK);
    break;
  case PROP_EXTENDED:
    set_string (self, &self->extended, g_value_get_string (value), PROP_EXTENDED);
    break;
  case PROP_CARD_NUMBER:
    set_string (self, &self->card_number, g_value_get_string (value), PROP_CARD_NUMBER);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_person_finalize (GObject *object)
{
  GhPerson *self = (GhPerson *)object;

  g_clear_pointer (&self->person_id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->department, g_free);
  g_clear_pointer (&self->person_type, g_free);
  g_clear_pointer (&self->gender, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->id_number, g_free);
  g_clear_pointer (&self->remark, g_free);
  g_clear_pointer (&self->extended, g_free);
  g_clear_pointer (&self->card_number, g_free);

  G_OBJECT_CLASS (gh_person_parent_class)->finalize (object);
}

static void
gh_person_class_init (GhPersonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_person_get_property;
  object_class->set_property = gh_person_set_property;
  object_class->finalize = gh_person_finalize;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DEPARTMENT_ID] =
    g_param_spec_int64 ("department-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ROOM_ID] =
    g_param_spec_int64 ("room-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VALID_FROM] =
    g_param_spec_int64 ("valid-from", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VALID_TO] =
    g_param_spec_int64 ("valid-to", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PERSON_ID] =
    g_param_spec_string ("person-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DEPARTMENT] =
    g_param_spec_string ("department", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PERSON_TYPE] =
    g_param_spec_string ("person-type", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_GENDER] =
    g_param_spec_string ("gender", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PHONE] =
    g_param_spec_string ("phone", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ID_NUMBER] =
    g_param_spec_string ("id-number", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REMARK] =
    g_param_spec_string ("remark", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EXTENDED] =
    g_param_spec_string ("extended", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CARD_NUMBER] =
    g_param_spec_string ("card-number", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_person_init (GhPerson *self)
{
  self->person_type = g_strdup ("general");
  self->gender = g_strdup ("unknown");
  self->extended = g_strdup ("{}");
}

GhPerson *
gh_person_new (const char *person_id,
               const char *name)
{
  return g_object_new (GH_TYPE_PERSON, "person-id", person_id, "name", name, NULL);
}

/* Private: used by the store when it reads rows; takes ownership of nothing. */
void
gh_person_set_row_id (GhPerson *self,
                      gint64    id)
{
  set_int (self, &self->id, id, PROP_ID);
}

void
gh_person_set_department_name (GhPerson   *self,
                               const char *department)
{
  set_string (self, &self->department, department, PROP_DEPARTMENT);
}

gint64
gh_person_get_id (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), 0);

  return self->id;
}

gint64
gh_person_get_department_id (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), 0);

  return self->department_id;
}

void
gh_person_set_department_id (GhPerson *self,
                              gint64    department_id)
{
  g_return_if_fail (GH_IS_PERSON (self));

  set_int (self, &self->department_id, department_id, PROP_DEPARTMENT_ID);
}

gint64
gh_person_get_room_id (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), 0);

  return self->room_id;
}

void
gh_person_set_room_id (GhPerson *self,
                        gint64    room_id)
{
  g_return_if_fail (GH_IS_PERSON (self));

  set_int (self, &self->room_id, room_id, PROP_ROOM_ID);
}

gint64
gh_person_get_valid_from (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), 0);

  return self->valid_from;
}

void
gh_person_set_valid_from (GhPerson *self,
                           gint64    valid_from)
{
  g_return_if_fail (GH_IS_PERSON (self));

  set_int (self, &self->valid_from, valid_from, PROP_VALID_FROM);
}

gint64
gh_person_get_valid_to (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), 0);

  return self->valid_to;
}

void
gh_person_set_valid_to (GhPerson *self,
                         gint64    valid_to)
{
  g_return_if_fail (GH_IS_PERSON (self));

  set_int (self, &self->valid_to, valid_to, PROP_VALID_TO);
}

const char *
gh_person_get_person_id (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), NULL);

  return self->person_id;
}

void
gh_person_set_person_id (GhPerson   *self,
                          const char *person_id)
{
  g_return_if_fail (GH_IS_PERSON (self));

  set_string (self, &self->person_id, person_id, PROP_PERSON_ID);
}

const char *
gh_person_get_name (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), NULL);

  return self->name;
}

void
gh_person_set_name (GhPerson   *self,
                     const char *name)
{
  g_return_if_fail (GH_IS_PERSON (self));

  set_string (self, &self->name, name, PROP_NAME);
}

const char *
gh_person_get_department (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), NULL);

  return self->department;
}

const char *
gh_person_get_person_type (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), NULL);

  return self->person_type;
}

void
gh_person_set_person_type (GhPerson   *self,
                            const char *person_type)
{
  g_return_if_fail (GH_IS_PERSON (self));

  set_string (self, &self->person_type, person_type, PROP_PERSON_TYPE);
}

const char *
gh_person_get_gender (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), NULL);

  return self->gender;
}

void
gh_person_set_gender (GhPerson   *self,
                       const char *gender)
{
  g_return_if_fail (GH_IS_PERSON (self));

  set_string (self, &self->gender, gender, PROP_GENDER);
}

const char *
gh_person_get_phone (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), NULL);

  return self->phone;
}

void
gh_person_set_phone (GhPerson   *self,
                      const char *phone)
{
  g_return_if_fail (GH_IS_PERSON (self));

  set_string (self, &self->phone, phone, PROP_PHONE);
}

const char *
gh_person_get_email (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), NULL);

  return self->email;
}

void
gh_person_set_email (GhPerson   *self,
                      const char *email)
{
  g_return_if_fail (GH_IS_PERSON (self));

  set_string (self, &self->email, email, PROP_EMAIL);
}

const char *
gh_person_get_id_number (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), NULL);

  return self->id_number;
}

void
gh_person_set_id_number (GhPerson   *self,
                          const char *id_number)
{
  g_return_if_fail (GH_IS_PERSON (self));

  set_string (self, &self->id_number, id_number, PROP_ID_NUMBER);
}

const char *
gh_person_get_remark (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), NULL);

  return self->remark;
}

void
gh_person_set_remark (GhPerson   *self,
                       const char *remark)
{
  g_return_if_fail (GH_IS_PERSON (self));

  set_string (self, &self->remark, remark, PROP_REMARK);
}

const char *
gh_person_get_extended (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), NULL);

  return self->extended;
}

void
gh_person_set_extended (GhPerson   *self,
                         const char *extended)
{
  g_return_if_fail (GH_IS_PERSON (self));

  set_string (self, &self->extended, extended, PROP_EXTENDED);
}

const char *
gh_person_get_card_number (GhPerson *self)
{
  g_return_val_if_fail (GH_IS_PERSON (self), NULL);

  return self->card_number;
}

void
gh_person_set_card_number (GhPerson   *self,
                            const char *card_number)
{
  g_return_if_fail (GH_IS_PERSON (self));

  set_string (self, &self->card_number, card_number, PROP_CARD_NUMBER);
}
