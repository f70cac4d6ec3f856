/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-room"

#include "config.h"

#include "gh-room.h"
#include "gh-room-private.h"

/**
 * GhRoom:
 *
 * A room of the community, as a read-only row object for list models. #GhRoom:path is the
 * organization path (`02#01#302`); #GhRoom:sending-status summarizes the sending of the unlock
 * password to the devices: "" when nothing was sent, else "failed" if any device failed,
 * "pending" if any is still waiting, or "sent".
 */
struct _GhRoom
{
  GObject   parent_instance;

  gint64   id;
  gint64   org_node_id;
  char   * number;  /* (owned) */
  char   * name;  /* (owned) */
  char   * path;  /* (owned) */
  gboolean has_unlock_password;
  char   * sending_status;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhRoom, gh_room, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ORG_NODE_ID,
  PROP_NUMBER,
  PROP_NAME,
  PROP_PATH,
  PROP_HAS_UNLOCK_PASSWORD,
  PROP_SENDING_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gh_room_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  GhRoom *self = GH_ROOM (object);

  switch (prop_id) {
  case PROP_ID:
    g_value_set_int64 (value, self->id);
    break;
  case PROP_ORG_NODE_ID:
    g_value_set_int64 (value, self->org_node_id);
    break;
  case PROP_NUMBER:
    g_value_set_string (value, self->number);
    break;
  case PROP_NAME:
    g_value_set_string (value, self->name);
    break;
  case PROP_PATH:
    g_value_set_string (value, self->path);
    break;
  case PROP_HAS_UNLOCK_PASSWORD:
    g_value_set_boolean (value, self->has_unlock_password);
    break;
  case PROP_SENDING_STATUS:
    g_value_set_string (value, self->sending_status);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_room_finalize (GObject *object)
{
  GhRoom *self = (GhRoom *)object;

  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->sending_status, g_free);

  G_OBJECT_CLASS (gh_room_parent_class)->finalize (object);
}

static void
gh_room_class_init (GhRoomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_room_get_property;
  object_class->finalize = gh_room_finalize;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* the unit (or building) holding the room */
  properties[PROP_ORG_NODE_ID] =
    g_param_spec_int64 ("org-node-id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HAS_UNLOCK_PASSWORD] =
    g_param_spec_boolean ("has-unlock-password", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SENDING_STATUS] =
    g_param_spec_string ("sending-status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_room_init (GhRoom *self)
{
}

GhRoom *
gh_room_new_row (void)
{
  return g_object_new (GH_TYPE_ROOM, NULL);
}

gint64
gh_room_get_id (GhRoom *self)
{
  g_return_val_if_fail (GH_IS_ROOM (self), 0);

  return self->id;
}

gint64
gh_room_get_org_node_id (GhRoom *self)
{
  g_return_val_if_fail (GH_IS_ROOM (self), 0);

  return self->org_node_id;
}

const char *
gh_room_get_number (GhRoom *self)
{
  g_return_val_if_fail (GH_IS_ROOM (self), NULL);

  return self->number;
}

const char *
gh_room_get_name (GhRoom *self)
{
  g_return_val_if_fail (GH_IS_ROOM (self), NULL);

  return self->name;
}

const char *
gh_room_get_path (GhRoom *self)
{
  g_return_val_if_fail (GH_IS_ROOM (self), NULL);

  return self->path;
}

gboolean
gh_room_get_has_unlock_password (GhRoom *self)
{
  g_return_val_if_fail (GH_IS_ROOM (self), FALSE);

  return self->has_unlock_password;
}

const char *
gh_room_get_sending_status (GhRoom *self)
{
  g_return_val_if_fail (GH_IS_ROOM (self), NULL);

  return self->sending_status;
}

void
gh_room_set_id (GhRoom *self,
               gint64  id)
{
  g_return_if_fail (GH_IS_ROOM (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

void
gh_room_set_org_node_id (GhRoom *self,
                        gint64  org_node_id)
{
  g_return_if_fail (GH_IS_ROOM (self));

  if (self->org_node_id == org_node_id)
    return;

  self->org_node_id = org_node_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORG_NODE_ID]);
}

void
gh_room_set_number (GhRoom   *self,
                   const char *number)
{
  g_return_if_fail (GH_IS_ROOM (self));

  if (g_strcmp0 (self->number, number) == 0)
    return;

  g_free (self->number);
  self->number = g_strdup (number);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
}

void
gh_room_set_name (GhRoom   *self,
                 const char *name)
{
  g_return_if_fail (GH_IS_ROOM (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

void
gh_room_set_path (GhRoom   *self,
                 const char *path)
{
  g_return_if_fail (GH_IS_ROOM (self));

  if (g_strcmp0 (self->path, path) == 0)
    return;

  g_free (self->path);
  self->path = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
}

void
gh_room_set_has_unlock_password (GhRoom   *self,
                                 gboolean  has_unlock_password)
{
  g_return_if_fail (GH_IS_ROOM (self));

  if (self->has_unlock_password == has_unlock_password)
    return;

  self->has_unlock_password = has_unlock_password;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_UNLOCK_PASSWORD]);
}

void
gh_room_set_sending_status (GhRoom   *self,
                           const char *sending_status)
{
  g_return_if_fail (GH_IS_ROOM (self));

  if (g_strcmp0 (self->sending_status, sending_status) == 0)
    return;

  g_free (self->sending_status);
  self->sending_status = g_strdup (sending_status);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENDING_STATUS]);
}
