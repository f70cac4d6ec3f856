/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-registration"

#include "config.h"

#include "gh-registration.h"
#include "gh-registration-private.h"

/**
 * GhRegistration:
 *
 * A registration number of a device (`11#01#11#5` for an indoor monitor, `11#01#8055` for
 * a door station, `101` for a master station), as a read-only row object for list models.
 */
struct _GhRegistration
{
  GObject   parent_instance;

  gint64   id;
  gint64   device_id;
  char   * device_name;  /* (owned) */
  char   * kind;  /* (owned) */
  char   * number;  /* (owned) */
  gint64   room_id;
  gint64   org_node_id;
  int      extension;
};

G_DEFINE_FINAL_TYPE (GhRegistration, gh_registration, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DEVICE_ID,
  PROP_DEVICE_NAME,
  PROP_KIND,
  PROP_NUMBER,
  PROP_ROOM_ID,
  PROP_ORG_NODE_ID,
  PROP_EXTENSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gh_registration_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GhRegistration *self = GH_REGISTRATION (object);

  switch (prop_id) {
  case PROP_ID:
    g_value_set_int64 (value, self->id);
    break;
  case PROP_DEVICE_ID:
    g_value_set_int64 (value, self->device_id);
    break;
  case PROP_DEVICE_NAME:
    g_value_set_string (value, self->device_name);
    break;
  case PROP_KIND:
    g_value_set_string (value, self->kind);
    break;
  case PROP_NUMBER:
    g_value_set_string (value, self->number);
    break;
  case PROP_ROOM_ID:
    g_value_set_int64 (value, self->room_id);
    break;
  case PROP_ORG_NODE_ID:
    g_value_set_int64 (value, self->org_node_id);
    break;
  case PROP_EXTENSION:
    g_value_set_int (value, self->extension);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_registration_finalize (GObject *object)
{
  GhRegistration *self = (GhRegistration *)object;

  g_clear_pointer (&self->device_name, g_free);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->number, g_free);

  G_OBJECT_CLASS (gh_registration_parent_class)->finalize (object);
}

static void
gh_registration_class_init (GhRegistrationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_registration_get_property;
  object_class->finalize = gh_registration_finalize;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DEVICE_ID] =
    g_param_spec_int64 ("device-id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DEVICE_NAME] =
    g_param_spec_string ("device-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* vth, vto, vts, fence or villa */
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* the room of an indoor monitor, else 0 */
  properties[PROP_ROOM_ID] =
    g_param_spec_int64 ("room-id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* the unit or building of a VTH or VTO, else 0 */
  properties[PROP_ORG_NODE_ID] =
    g_param_spec_int64 ("org-node-id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* 0-9 for an indoor monitor with an extension, else -1 */
  properties[PROP_EXTENSION] =
    g_param_spec_int ("extension", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_registration_init (GhRegistration *self)
{
}

GhRegistration *
gh_registration_new_row (void)
{
  return g_object_new (GH_TYPE_REGISTRATION, NULL);
}

gint64
gh_registration_get_id (GhRegistration *self)
{
  g_return_val_if_fail (GH_IS_REGISTRATION (self), 0);

  return self->id;
}

gint64
gh_registration_get_device_id (GhRegistration *self)
{
  g_return_val_if_fail (GH_IS_REGISTRATION (self), 0);

  return self->device_id;
}

const char *
gh_registration_get_device_name (GhRegistration *self)
{
  g_return_val_if_fail (GH_IS_REGISTRATION (self), NULL);

  return self->device_name;
}

const char *
gh_registration_get_kind (GhRegistration *self)
{
  g_return_val_if_fail (GH_IS_REGISTRATION (self), NULL);

  return self->kind;
}

const char *
gh_registration_get_number (GhRegistration *self)
{
  g_return_val_if_fail (GH_IS_REGISTRATION (self), NULL);

  return self->number;
}

gint64
gh_registration_get_room_id (GhRegistration *self)
{
  g_return_val_if_fail (GH_IS_REGISTRATION (self), 0);

  return self->room_id;
}

gint64
gh_registration_get_org_node_id (GhRegistration *self)
{
  g_return_val_if_fail (GH_IS_REGISTRATION (self), 0);

  return self->org_node_id;
}

int
gh_registration_get_extension (GhRegistration *self)
{
  g_return_val_if_fail (GH_IS_REGISTRATION (self), 0);

  return self->extension;
}

void
gh_registration_set_id (GhRegistration *self,
                       gint64          id)
{
  g_return_if_fail (GH_IS_REGISTRATION (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

void
gh_registration_set_device_id (GhRegistration *self,
                              gint64          device_id)
{
  g_return_if_fail (GH_IS_REGISTRATION (self));

  if (self->device_id == device_id)
    return;

  self->device_id = device_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_ID]);
}

void
gh_registration_set_device_name (GhRegistration   *self,
                                const char *device_name)
{
  g_return_if_fail (GH_IS_REGISTRATION (self));

  if (g_strcmp0 (self->device_name, device_name) == 0)
    return;

  g_free (self->device_name);
  self->device_name = g_strdup (device_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_NAME]);
}

void
gh_registration_set_kind (GhRegistration   *self,
                         const char *kind)
{
  g_return_if_fail (GH_IS_REGISTRATION (self));

  if (g_strcmp0 (self->kind, kind) == 0)
    return;

  g_free (self->kind);
  self->kind = g_strdup (kind);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

void
gh_registration_set_number (GhRegistration   *self,
                           const char *number)
{
  g_return_if_fail (GH_IS_REGISTRATION (self));

  if (g_strcmp0 (self->number, number) == 0)
    return;

  g_free (self->number);
  self->number = g_strdup (number);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
}

void
gh_registration_set_room_id (GhRegistration *self,
                            gint64          room_id)
{
  g_return_if_fail (GH_IS_REGISTRATION (self));

  if (self->room_id == room_id)
    return;

  self->room_id = room_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROOM_ID]);
}

void
gh_registration_set_org_node_id (GhRegistration *self,
                                gint64          org_node_id)
{
  g_return_if_fail (GH_IS_REGISTRATION (self));

  if (self->org_node_id == org_node_id)
    return;

  self->org_node_id = org_node_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORG_NODE_ID]);
}

void
gh_registration_set_extension (GhRegistration *self,
                              int             extension)
{
  g_return_if_fail (GH_IS_REGISTRATION (self));

  if (self->extension == extension)
    return;

  self->extension = extension;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTENSION]);
}
