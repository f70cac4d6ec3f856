/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  gint64  ts;           /* Unix microseconds */
  char   *operator_name;
  char   *surface;
  char   *action;
  char   *object_type;
  char   *object_id;
  char   *detail;
  char   *prev_mac;
  char   *mac;
} GhAuditEntry;

void gh_audit_entry_free (GhAuditEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhAuditEntry, gh_audit_entry_free)

#define GH_TYPE_AUDIT_STORE (gh_audit_store_get_type ())
G_DECLARE_FINAL_TYPE (GhAuditStore, gh_audit_store, GH, AUDIT_STORE, GObject)

GhAuditStore *gh_audit_store_new     (GhDatabase    *database);
gboolean      gh_audit_store_append  (GhAuditStore  *self,
                                      GhSession     *session,
                                      const char    *action,
                                      const char    *object_type,
                                      const char    *object_id,
                                      const char    *detail,
                                      GError       **error);
GPtrArray    *gh_audit_store_list    (GhAuditStore  *self,
                                      GhSession     *session,
                                      gint64         before_id,
                                      guint          limit,
                                      GError       **error);
GListModel   *gh_audit_store_list_model (GhAuditStore *self,
                                         GhSession    *session,
                                         const char   *object_type,
                                         const char   *object_id,
                                         GError      **error);

G_END_DECLS
