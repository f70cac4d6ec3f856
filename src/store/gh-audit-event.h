/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GH_TYPE_AUDIT_EVENT (gh_audit_event_get_type ())
G_DECLARE_FINAL_TYPE (GhAuditEvent, gh_audit_event, GH, AUDIT_EVENT, GObject)

gint64      gh_audit_event_get_id            (GhAuditEvent *self);
gint64      gh_audit_event_get_ts            (GhAuditEvent *self);
const char *gh_audit_event_get_operator_name (GhAuditEvent *self);
const char *gh_audit_event_get_surface       (GhAuditEvent *self);
const char *gh_audit_event_get_action        (GhAuditEvent *self);
const char *gh_audit_event_get_object_type   (GhAuditEvent *self);
const char *gh_audit_event_get_object_id     (GhAuditEvent *self);
const char *gh_audit_event_get_detail        (GhAuditEvent *self);

G_END_DECLS
