/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-audit-store.h"
#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

/**
 * GhAuditExportFormat:
 * @GH_AUDIT_EXPORT_CSV: comma-separated values with a header row, for spreadsheets; cells
 *   that a spreadsheet would run as a formula are prefixed with `'`
 * @GH_AUDIT_EXPORT_JSON_LINES: one JSON object per line, every field exactly as stored, so
 *   the chain can be checked again from the file
 */
typedef enum {
  GH_AUDIT_EXPORT_CSV,
  GH_AUDIT_EXPORT_JSON_LINES,
} GhAuditExportFormat;

char     *gh_audit_log_compute_mac_with_key (const guint8         *key,
                                             gsize                 key_len,
                                             const GhAuditEntry   *entry,
                                             GError              **error);
char     *gh_audit_log_compute_mac          (GhDatabase           *database,
                                             const GhAuditEntry   *entry,
                                             GError              **error);
gboolean  gh_audit_log_is_keyed             (GhDatabase           *database);
gboolean  gh_audit_log_verify               (GhDatabase           *database,
                                             GhSession            *session,
                                             guint64              *out_n_entries,
                                             gint64               *out_first_broken_id,
                                             GError              **error);
gboolean  gh_audit_log_export               (GhDatabase           *database,
                                             GhSession            *session,
                                             GhAuditExportFormat   format,
                                             GOutputStream        *stream,
                                             GCancellable         *cancellable,
                                             GError              **error);
gboolean  gh_audit_log_door_opened          (GhDatabase           *database,
                                             GhSession            *session,
                                             gint64                device_id,
                                             guint                 door,
                                             gboolean              succeeded,
                                             const char           *detail,
                                             GError              **error);
gboolean  gh_audit_log_call_handled         (GhDatabase           *database,
                                             GhSession            *session,
                                             const char           *call_id,
                                             const char           *outcome,
                                             const char           *peer,
                                             GError              **error);

G_END_DECLS
