/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-event"

#include "config.h"

#include "gh-event.h"

G_DEFINE_BOXED_TYPE (GhEvent, gh_event, gh_event_ref, gh_event_unref)

G_DEFINE_ENUM_TYPE (GhEventKind, gh_event_kind,
  G_DEFINE_ENUM_VALUE (GH_EVENT_OTHER, "other"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_CALL_RINGING, "call-ringing"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_CALL_ANSWERED, "call-answered"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_CALL_ENDED, "call-ended"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_CALL_MISSED, "call-missed"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_ACCESS_GRANTED, "access-granted"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_ACCESS_DENIED, "access-denied"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_DOOR_OPENED, "door-opened"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_DOOR_CLOSED, "door-closed"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_DOOR_LEFT_OPEN, "door-left-open"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_ALARM_START, "alarm-start"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_ALARM_STOP, "alarm-stop"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_TAMPER, "tamper"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_DEVICE_ONLINE, "device-online"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_DEVICE_OFFLINE, "device-offline"),
  G_DEFINE_ENUM_VALUE (GH_EVENT_DEVICE_UNAUTHORIZED, "device-unauthorized"))

G_DEFINE_ENUM_TYPE (GhAccessMethod, gh_access_method,
  G_DEFINE_ENUM_VALUE (GH_ACCESS_METHOD_UNKNOWN, "unknown"),
  G_DEFINE_ENUM_VALUE (GH_ACCESS_METHOD_CARD, "card"),
  G_DEFINE_ENUM_VALUE (GH_ACCESS_METHOD_PASSWORD, "password"),
  G_DEFINE_ENUM_VALUE (GH_ACCESS_METHOD_REMOTE, "remote"),
  G_DEFINE_ENUM_VALUE (GH_ACCESS_METHOD_FINGERPRINT, "fingerprint"),
  G_DEFINE_ENUM_VALUE (GH_ACCESS_METHOD_FACE, "face"),
  G_DEFINE_ENUM_VALUE (GH_ACCESS_METHOD_BUTTON, "button"),
  G_DEFINE_ENUM_VALUE (GH_ACCESS_METHOD_DURESS, "duress"))

static void
event_clear (gpointer data)
{
  GhEvent *self = data;

  g_free (self->device_id);
  g_free (self->credential);
  g_free (self->person_id);
  g_free (self->room);
  g_free (self->call_id);
  g_free (self->raw_code);
  g_free (self->raw_action);
  g_free (self->raw_data);
}

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);

  /* Nicks are static strings owned by the type, which is never unloaded. */
  return ev != NULL ? ev->value_nick : NULL;
}

/**
 * gh_event_new:
 * @kind: what happened
 * @device_id: (nullable): the device that reported it
 *
 * Returns: (transfer full): a new event stamped with the current time and no door.
 */
GhEvent *
gh_event_new (GhEventKind  kind,
              const char  *device_id)
{
  GhEvent *self = g_rc_box_new0 (GhEvent);

  self->kind = kind;
  self->device_id = g_strdup (device_id);
  self->door = -1;
  self->time = g_get_real_time ();
  return self;
}

GhEvent *
gh_event_ref (GhEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_rc_box_acquire (self);
}

void
gh_event_unref (GhEvent *self)
{
  g_return_if_fail (self != NULL);

  g_rc_box_release_full (self, event_clear);
}

/**
 * gh_event_to_string:
 *
 * Returns: (transfer full): a one-line description for logs and the CLI.
 */
char *
gh_event_to_string (const GhEvent *self)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *when = NULL;
  GString *s;

  g_return_val_if_fail (self != NULL, NULL);

  dt = g_date_time_new_from_unix_utc (self->time / G_USEC_PER_SEC);
  when = dt != NULL ? g_date_time_format_iso8601 (dt) : g_strdup ("?");
  s = g_string_new (NULL);
  g_string_append_printf (s, "%s %s %s", when, self->device_id ? self->device_id : "-",
                          gh_event_kind_to_string (self->kind));
  if (self->door >= 0)
    g_string_append_printf (s, " door=%d", self->door);
  if (self->method != GH_ACCESS_METHOD_UNKNOWN)
    g_string_append_printf (s, " method=%s", gh_access_method_to_string (self->method));
  if (self->credential)
    g_string_append_printf (s, " credential=%s", self->credential);
  if (self->person_id)
    g_string_append_printf (s, " person=%s", self->person_id);
  if (self->room)
    g_string_append_printf (s, " room=%s", self->room);
  if (self->call_id)
    g_string_append_printf (s, " call=%s", self->call_id);
  if (self->raw_code)
    g_string_append_printf (s, " raw=%s/%s", self->raw_code,
                            self->raw_action ? self->raw_action : "-");
  if (self->synthetic)
    g_string_append (s, " synthetic");
  return g_string_free (s, FALSE);
}

const char *
gh_event_kind_to_string (GhEventKind kind)
{
  const char *nick = enum_nick (GH_TYPE_EVENT_KIND, kind);

  return nick != NULL ? nick : "invalid";
}

/**
 * gh_event_kind_from_string:
 * @name: a kind nick such as "call-ringing"
 * @out_kind: (out): the kind
 *
 * Returns: %TRUE if @name names a kind
 */
gboolean
gh_event_kind_from_string (const char  *name,
                           GhEventKind *out_kind)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *ev;

  g_return_val_if_fail (out_kind != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  klass = g_type_class_ref (GH_TYPE_EVENT_KIND);
  ev = g_enum_get_value_by_nick (klass, name);
  if (ev == NULL)
    return FALSE;
  *out_kind = ev->value;
  return TRUE;
}

const char *
gh_access_method_to_string (GhAccessMethod method)
{
  const char *nick = enum_nick (GH_TYPE_ACCESS_METHOD, method);

  return nick != NULL ? nick : "invalid";
}

gboolean
gh_event_kind_is_call (GhEventKind kind)
{
  return kind == GH_EVENT_CALL_RINGING || kind == GH_EVENT_CALL_ANSWERED ||
         kind == GH_EVENT_CALL_ENDED || kind == GH_EVENT_CALL_MISSED;
}
