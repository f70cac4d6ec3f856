/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gh-driver.h"

G_BEGIN_DECLS

#define GH_TYPE_RECORD_SOURCE (gh_record_source_get_type ())

G_DECLARE_INTERFACE (GhRecordSource, gh_record_source, GH, RECORD_SOURCE, GhDriver)

/**
 * GhRecordSourceInterface:
 *
 * Optional driver ability.
 * Call, access and alarm logs, fetched incrementally with an opaque cursor.
 * A vfunc left %NULL answers %GH_ERROR_NOT_SUPPORTED.
 */
struct _GhRecordSourceInterface
{
  GTypeInterface parent_iface;

  void (*fetch_records_async) (GhRecordSource *self,
                               GhRecordKind kind,
                               const char *cursor,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data);
};

void gh_record_source_fetch_records_async (GhDriver *driver,
                                           GhRecordKind kind,
                                           const char *cursor,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
GhDeviceRecordBatch *gh_record_source_fetch_records_finish (GhDriver *driver,
                                                      GAsyncResult *result,
                                                      GError **error);

G_END_DECLS
