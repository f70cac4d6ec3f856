/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GhDahuaRecordSet:
 * @found: the "found=" count (rows in this reply)
 * @total: the "totalCount=" value, -1 when absent
 * @records: (element-type GHashTable): one field → value table per row, in index order
 */
typedef struct {
  guint      found;
  gint64     total;
  GPtrArray *records;  /* (owned) */
} GhDahuaRecordSet;

gboolean          gh_dahua_reply_check       (const char        *text,
                                              gssize             len,
                                              GError           **error);
gboolean          gh_dahua_reply_expect_ok   (const char        *text,
                                              gssize             len,
                                              GError           **error);
GHashTable       *gh_dahua_kv_parse          (const char        *text,
                                              gssize             len,
                                              GError           **error);
GhDahuaRecordSet *gh_dahua_record_set_parse  (const char        *text,
                                              gssize             len,
                                              GError           **error);
void              gh_dahua_record_set_free   (GhDahuaRecordSet  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDahuaRecordSet, gh_dahua_record_set_free)

G_END_DECLS
