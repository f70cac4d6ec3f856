/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-audit-event"

#include "config.h"

#include "gh-audit-event.h"
#include "gh-audit-event-private.h"

/**
 * GhAuditEvent:
 *
 * One row of the audit log, as a read-only row object for the audit view.
 */
struct _GhAuditEvent
{
  GObject   parent_instance;

  gint64   id;
  gint64   ts;
  char   * operator_name;  /* (owned) */
  char   * surface;  /* (owned) */
  char   * action;  /* (owned) */
  char   * object_type;  /* (owned) */
  char   * object_id;  /* (owned) */
  char   * detail;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhAuditEvent, gh_audit_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TS,
  PROP_OPERATOR_NAME,
  PROP_SURFACE,
  PROP_ACTION,
  PROP_OBJECT_TYPE,
  PROP_OBJECT_ID,
  PROP_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gh_audit_event_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GhAuditEvent *self = GH_AUDIT_EVENT (object);

  switch (prop_id) {
  case PROP_ID:
    g_value_set_int64 (value, self->id);
    break;
  case PROP_TS:
    g_value_set_int64 (value, self->ts);
    break;
  case PROP_OPERATOR_NAME:
    g_value_set_string (value, self->operator_name);
    break;
  case PROP_SURFACE:
    g_value_set_string (value, self->surface);
    break;
  case PROP_ACTION:
    g_value_set_string (value, self->action);
    break;
  case PROP_OBJECT_TYPE:
    g_value_set_string (value, self->object_type);
    break;
  case PROP_OBJECT_ID:
    g_value_set_string (value, self->object_id);
    break;
  case PROP_DETAIL:
    g_value_set_string (value, self->detail);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_audit_event_finalize (GObject *object)
{
  GhAuditEvent *self = (GhAuditEvent *)object;

  g_clear_pointer (&self->operator_name, g_free);
  g_clear_pointer (&self->surface, g_free);
  g_clear_pointer (&self->action, g_free);
  g_clear_pointer (&self->object_type, g_free);
  g_clear_pointer (&self->object_id, g_free);
  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (gh_audit_event_parent_class)->finalize (object);
}

static void
gh_audit_event_class_init (GhAuditEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_audit_event_get_property;
  object_class->finalize = gh_audit_event_finalize;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Unix microseconds */
  properties[PROP_TS] =
    g_param_spec_int64 ("ts", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OPERATOR_NAME] =
    g_param_spec_string ("operator-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* gui, cli, system, … */
  properties[PROP_SURFACE] =
    g_param_spec_string ("surface", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACTION] =
    g_param_spec_string ("action", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OBJECT_TYPE] =
    g_param_spec_string ("object-type", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OBJECT_ID] =
    g_param_spec_string ("object-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_audit_event_init (GhAuditEvent *self)
{
}

GhAuditEvent *
gh_audit_event_new_row (void)
{
  return g_object_new (GH_TYPE_AUDIT_EVENT, NULL);
}

gint64
gh_audit_event_get_id (GhAuditEvent *self)
{
  g_return_val_if_fail (GH_IS_AUDIT_EVENT (self), 0);

  return self->id;
}

gint64
gh_audit_event_get_ts (GhAuditEvent *self)
{
  g_return_val_if_fail (GH_IS_AUDIT_EVENT (self), 0);

  return self->ts;
}

const char *
gh_audit_event_get_operator_name (GhAuditEvent *self)
{
  g_return_val_if_fail (GH_IS_AUDIT_EVENT (self), NULL);

  return self->operator_name;
}

const char *
gh_audit_event_get_surface (GhAuditEvent *self)
{
  g_return_val_if_fail (GH_IS_AUDIT_EVENT (self), NULL);

  return self->surface;
}

const char *
gh_audit_event_get_action (GhAuditEvent *self)
{
  g_return_val_if_fail (GH_IS_AUDIT_EVENT (self), NULL);

  return self->action;
}

const char *
gh_audit_event_get_object_type (GhAuditEvent *self)
{
  g_return_val_if_fail (GH_IS_AUDIT_EVENT (self), NULL);

  return self->object_type;
}

const char *
gh_audit_event_get_object_id (GhAuditEvent *self)
{
  g_return_val_if_fail (GH_IS_AUDIT_EVENT (self), NULL);

  return self->object_id;
}

const char *
gh_audit_event_get_detail (GhAuditEvent *self)
{
  g_return_val_if_fail (GH_IS_AUDIT_EVENT (self), NULL);

  return self->detail;
}

void
gh_audit_event_set_id (GhAuditEvent *self,
                      gint64        id)
{
  g_return_if_fail (GH_IS_AUDIT_EVENT (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

void
gh_audit_event_set_ts (GhAuditEvent *self,
                      gint64        ts)
{
  g_return_if_fail (GH_IS_AUDIT_EVENT (self));

  if (self->ts == ts)
    return;

  self->ts = ts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TS]);
}

void
gh_audit_event_set_operator_name (GhAuditEvent   *self,
                                 const char *operator_name)
{
  g_return_if_fail (GH_IS_AUDIT_EVENT (self));

  if (g_strcmp0 (self->operator_name, operator_name) == 0)
    return;

  g_free (self->operator_name);
  self->operator_name = g_strdup (operator_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPERATOR_NAME]);
}

void
gh_audit_event_set_surface (GhAuditEvent   *self,
                           const char *surface)
{
  g_return_if_fail (GH_IS_AUDIT_EVENT (self));

  if (g_strcmp0 (self->surface, surface) == 0)
    return;

  g_free (self->surface);
  self->surface = g_strdup (surface);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SURFACE]);
}

void
gh_audit_event_set_action (GhAuditEvent   *self,
                          const char *action)
{
  g_return_if_fail (GH_IS_AUDIT_EVENT (self));

  if (g_strcmp0 (self->action, action) == 0)
    return;

  g_free (self->action);
  self->action = g_strdup (action);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTION]);
}

void
gh_audit_event_set_object_type (GhAuditEvent   *self,
                               const char *object_type)
{
  g_return_if_fail (GH_IS_AUDIT_EVENT (self));

  if (g_strcmp0 (self->object_type, object_type) == 0)
    return;

  g_free (self->object_type);
  self->object_type = g_strdup (object_type);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OBJECT_TYPE]);
}

void
gh_audit_event_set_object_id (GhAuditEvent   *self,
                             const char *object_id)
{
  g_return_if_fail (GH_IS_AUDIT_EVENT (self));

  if (g_strcmp0 (self->object_id, object_id) == 0)
    return;

  g_free (self->object_id);
  self->object_id = g_strdup (object_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OBJECT_ID]);
}

void
gh_audit_event_set_detail (GhAuditEvent   *self,
                          const char *detail)
{
  g_return_if_fail (GH_IS_AUDIT_EVENT (self));

  if (g_strcmp0 (self->detail, detail) == 0)
    return;

  g_free (self->detail);
  self->detail = g_strdup (detail);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
}
