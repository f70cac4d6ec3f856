/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to src/store: the repositories fill rows they read. */

#include "gh-audit-event.h"

G_BEGIN_DECLS

GhAuditEvent *gh_audit_event_new_row           (void);
void          gh_audit_event_set_id            (GhAuditEvent *self,
                                                gint64        id);
void          gh_audit_event_set_ts            (GhAuditEvent *self,
                                                gint64        ts);
void          gh_audit_event_set_operator_name (GhAuditEvent *self,
                                                const char   *operator_name);
void          gh_audit_event_set_surface       (GhAuditEvent *self,
                                                const char   *surface);
void          gh_audit_event_set_action        (GhAuditEvent *self,
                                                const char   *action);
void          gh_audit_event_set_object_type   (GhAuditEvent *self,
                                                const char   *object_type);
void          gh_audit_event_set_object_id     (GhAuditEvent *self,
                                                const char   *object_id);
void          gh_audit_event_set_detail        (GhAuditEvent *self,
                                                const char   *detail);

G_END_DECLS
