/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-record.h"
#include "gh-session.h"

G_BEGIN_DECLS

/**
 * GhRecordFilter:
 * @kind: "call", "access" or "alarm"
 * @device_id: records of this device, or 0 for all
 * @from: records at or after this Unix time, or 0
 * @to: records before this Unix time, or 0 for no limit
 * @status: (nullable): only this status (answered, missed, granted, denied, start, …)
 */
typedef struct {
  const char *kind;
  gint64      device_id;
  gint64      from;
  gint64      to;
  const char *status;
} GhRecordFilter;

#define GH_TYPE_RECORD_STORE (gh_record_store_get_type ())
G_DECLARE_FINAL_TYPE (GhRecordStore, gh_record_store, GH, RECORD_STORE, GObject)

GhRecordStore *gh_record_store_new    (GhDatabase            *database);
gboolean       gh_record_store_ingest (GhRecordStore         *self,
                                       GhSession             *session,
                                       gint64                 device_id,
                                       GPtrArray             *records,
                                       guint                 *out_added,
                                       GError               **error);
GListModel    *gh_record_store_list   (GhRecordStore         *self,
                                       GhSession             *session,
                                       const GhRecordFilter  *filter,
                                       GError               **error);
GhRecord      *gh_record_store_get    (GhRecordStore         *self,
                                       GhSession             *session,
                                       const char            *kind,
                                       gint64                 id,
                                       GError               **error);
gboolean       gh_record_store_purge  (GhRecordStore         *self,
                                       GhSession             *session,
                                       const char            *kind,
                                       gint64                 before,
                                       GError               **error);

G_END_DECLS
