/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-record-source"

#include "config.h"

#include "gh-record-source.h"

G_DEFINE_INTERFACE (GhRecordSource, gh_record_source, GH_TYPE_DRIVER)

static void
gh_record_source_default_init (GhRecordSourceInterface *iface)
{
}

/**
 * gh_record_source_fetch_records_async:
 * @driver: a #GhDriver
 *
 * Record fetching. Answers %GH_ERROR_NOT_SUPPORTED when @driver lacks the ability.
 */
void
gh_record_source_fetch_records_async (GhDriver *driver,
                                      GhRecordKind kind,
                                      const char *cursor,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  GhRecordSourceInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (driver));

  if (!GH_IS_RECORD_SOURCE (driver) ||
      (iface = GH_RECORD_SOURCE_GET_IFACE (driver))->fetch_records_async == NULL) {
    gh_driver_report_not_supported (driver, gh_record_source_fetch_records_async,
                                    "Record fetching", callback, user_data);
    return;
  }
  iface->fetch_records_async (GH_RECORD_SOURCE (driver), kind, cursor, cancellable,
                              callback, user_data);
}

GhDeviceRecordBatch *
gh_record_source_fetch_records_finish (GhDriver *driver,
                                      GAsyncResult *result,
                                      GError **error)
{
  return gh_driver_propagate_pointer (driver, result, error);
}
