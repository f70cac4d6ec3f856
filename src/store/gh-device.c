/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-device"

#include "config.h"

#include "gh-device.h"
#include "gh-device-private.h"

/**
 * GhDevice:
 *
 * A device of the community (door station, indoor monitor, master station, fence or villa
 * station), as a row object for list models and as the value passed to
 * gh_device_store_add() and gh_device_store_update(). The password is not a property: it is
 * stored encrypted and set with gh_device_store_set_secret().
 */
struct _GhDevice
{
  GObject   parent_instance;

  gint64   id;
  char   * kind;  /* (owned) */
  char   * name;  /* (owned) */
  char   * host;  /* (owned) */
  int      port;
  char   * username;  /* (owned) */
  char   * driver;  /* (owned) */
  char   * status;  /* (owned) */
  char   * model;  /* (owned) */
  char   * serial;  /* (owned) */
  char   * firmware;  /* (owned) */
  int      door_count;
  gint64   last_seen;
  gboolean https;
  char   * registration_number;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhDevice, gh_device, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_NAME,
  PROP_HOST,
  PROP_PORT,
  PROP_USERNAME,
  PROP_DRIVER,
  PROP_STATUS,
  PROP_MODEL,
  PROP_SERIAL,
  PROP_FIRMWARE,
  PROP_DOOR_COUNT,
  PROP_LAST_SEEN,
  PROP_REGISTRATION_NUMBER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gh_device_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  GhDevice *self = GH_DEVICE (object);

  switch (prop_id) {
  case PROP_ID:
    g_value_set_int64 (value, self->id);
    break;
  case PROP_KIND:
    g_value_set_string (value, self->kind);
    break;
  case PROP_NAME:
    g_value_set_string (value, self->name);
    break;
  case PROP_HOST:
    g_value_set_string (value, self->host);
    break;
  case PROP_PORT:
    g_value_set_int (value, self->port);
    break;
  case PROP_USERNAME:
    g_value_set_string (value, self->username);
    break;
  case PROP_DRIVER:
    g_value_set_string (value, self->driver);
    break;
  case PROP_STATUS:
    g_value_set_string (value, self->status);
    break;
  case PROP_MODEL:
    g_value_set_string (value, self->model);
    break;
  case PROP_SERIAL:
    g_value_set_string (value, self->serial);
    break;
  case PROP_FIRMWARE:
    g_value_set_string (value, self->firmware);
    break;
  case PROP_DOOR_COUNT:
    g_value_set_int (value, self->door_count);
    break;
  case PROP_LAST_SEEN:
    g_value_set_int64 (value, self->last_seen);
    break;
  case PROP_REGISTRATION_NUMBER:
    g_value_set_string (value, self->registration_number);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_device_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  GhDevice *self = GH_DEVICE (object);

  switch (prop_id) {
  case PROP_KIND:
    gh_device_set_kind (self, g_value_get_string (value));
    break;
  case PROP_NAME:
    gh_device_set_name (self, g_value_get_string (value));
    break;
  case PROP_HOST:
    gh_device_set_host (self, g_value_get_string (value));
    break;
  case PROP_PORT:
    gh_device_set_port (self, g_value_get_int (value));
    break;
  case PROP_USERNAME:
    gh_device_set_username (self, g_value_get_string (value));
    break;
  case PROP_DRIVER:
    gh_device_set_driver (self, g_value_get_string (value));
    break;
  case PROP_MODEL:
    gh_device_set_model (self, g_value_get_string (value));
    break;
  case PROP_SERIAL:
    gh_device_set_serial (self, g_value_get_string (value));
    break;
  case PROP_FIRMWARE:
    gh_device_set_firmware (self, g_value_get_string (value));
    break;
  case PROP_DOOR_COUNT:
    gh_device_set_door_count (self, g_value_get_int (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_device_finalize (GObject *object)
{
  GhDevice *self = (GhDevice *)object;

  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->driver, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->serial, g_free);
  g_clear_pointer (&self->firmware, g_free);
  g_clear_pointer (&self->registration_number, g_free);

  G_OBJECT_CLASS (gh_device_parent_class)->finalize (object);
}

static void
gh_device_class_init (GhDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_device_get_property;
  object_class->set_property = gh_device_set_property;
  object_class->finalize = gh_device_finalize;

  /* the row id; 0 until added */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* vto, vth, vts, fence or villa */
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PORT] =
    g_param_spec_int ("port", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* the name a protocol driver registered */
  properties[PROP_DRIVER] =
    g_param_spec_string ("driver", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* unknown, online, offline, auth-failed or error */
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SERIAL] =
    g_param_spec_string ("serial", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FIRMWARE] =
    g_param_spec_string ("firmware", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DOOR_COUNT] =
    g_param_spec_int ("door-count", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Unix seconds, 0 if never */
  properties[PROP_LAST_SEEN] =
    g_param_spec_int64 ("last-seen", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* the device's registration number, if it has one */
  properties[PROP_REGISTRATION_NUMBER] =
    g_param_spec_string ("registration-number", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_device_init (GhDevice *self)
{
  self->port = 80;
  self->door_count = 1;
  self->kind = g_strdup ("vto");
  self->status = g_strdup ("unknown");
  self->driver = g_strdup ("");
}

GhDevice *
gh_device_new_row (void)
{
  return g_object_new (GH_TYPE_DEVICE, NULL);
}

GhDevice *
gh_device_new (void)
{
  return g_object_new (GH_TYPE_DEVICE, NULL);
}

gint64
gh_device_get_id (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), 0);

  return self->id;
}

const char *
gh_device_get_kind (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), NULL);

  return self->kind;
}

const char *
gh_device_get_name (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), NULL);

  return self->name;
}

const char *
gh_device_get_host (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), NULL);

  return self->host;
}

int
gh_device_get_port (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), 0);

  return self->port;
}

const char *
gh_device_get_username (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), NULL);

  return self->username;
}

const char *
gh_device_get_driver (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), NULL);

  return self->driver;
}

const char *
gh_device_get_status (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), NULL);

  return self->status;
}

const char *
gh_device_get_model (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), NULL);

  return self->model;
}

const char *
gh_device_get_serial (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), NULL);

  return self->serial;
}

const char *
gh_device_get_firmware (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), NULL);

  return self->firmware;
}

int
gh_device_get_door_count (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), 0);

  return self->door_count;
}

gint64
gh_device_get_last_seen (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), 0);

  return self->last_seen;
}

/**
 * gh_device_get_https:
 *
 * Returns: whether the device is reached over HTTPS (its certificate pinned on first use);
 *   change it with gh_device_store_set_https()
 */
gboolean
gh_device_get_https (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), FALSE);

  return self->https;
}

const char *
gh_device_get_registration_number (GhDevice *self)
{
  g_return_val_if_fail (GH_IS_DEVICE (self), NULL);

  return self->registration_number;
}

void
gh_device_set_id (GhDevice *self,
                 gint64    id)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

void
gh_device_set_kind (GhDevice   *self,
                   const char *kind)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  if (g_strcmp0 (self->kind, kind) == 0)
    return;

  g_free (self->kind);
  self->kind = g_strdup (kind);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

void
gh_device_set_name (GhDevice   *self,
                   const char *name)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

void
gh_device_set_host (GhDevice   *self,
                   const char *host)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  if (g_strcmp0 (self->host, host) == 0)
    return;

  g_free (self->host);
  self->host = g_strdup (host);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
}

void
gh_device_set_port (GhDevice *self,
                   int       port)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  if (self->port == port)
    return;

  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

void
gh_device_set_username (GhDevice   *self,
                       const char *username)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  if (g_strcmp0 (self->username, username) == 0)
    return;

  g_free (self->username);
  self->username = g_strdup (username);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
}

void
gh_device_set_driver (GhDevice   *self,
                     const char *driver)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  if (g_strcmp0 (self->driver, driver) == 0)
    return;

  g_free (self->driver);
  self->driver = g_strdup (driver);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRIVER]);
}

void
gh_device_set_status (GhDevice   *self,
                     const char *status)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  if (g_strcmp0 (self->status, status) == 0)
    return;

  g_free (self->status);
  self->status = g_strdup (status);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

void
gh_device_set_model (GhDevice   *self,
                    const char *model)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  if (g_strcmp0 (self->model, model) == 0)
    return;

  g_free (self->model);
  self->model = g_strdup (model);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

void
gh_device_set_serial (GhDevice   *self,
                     const char *serial)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  if (g_strcmp0 (self->serial, serial) == 0)
    return;

  g_free (self->serial);
  self->serial = g_strdup (serial);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERIAL]);
}

void
gh_device_set_firmware (GhDevice   *self,
                       const char *firmware)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  if (g_strcmp0 (self->firmware, firmware) == 0)
    return;

  g_free (self->firmware);
  self->firmware = g_strdup (firmware);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRMWARE]);
}

void
gh_device_set_door_count (GhDevice *self,
                         int       door_count)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  if (self->door_count == door_count)
    return;

  self->door_count = door_count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOOR_COUNT]);
}

void
gh_device_set_last_seen (GhDevice *self,
                        gint64    last_seen)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  if (self->last_seen == last_seen)
    return;

  self->last_seen = last_seen;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SEEN]);
}

void
gh_device_set_https (GhDevice *self,
                     gboolean  https)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  self->https = !!https;
}

void
gh_device_set_registration_number (GhDevice   *self,
                                  const char *registration_number)
{
  g_return_if_fail (GH_IS_DEVICE (self));

  if (g_strcmp0 (self->registration_number, registration_number) == 0)
    return;

  g_free (self->registration_number);
  self->registration_number = g_strdup (registration_number);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTRATION_NUMBER]);
}
