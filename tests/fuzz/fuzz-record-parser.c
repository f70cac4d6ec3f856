/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-record-parser"

#include "config.h"

#include "gh-dahua-record-parser.h"
#include "gh-dahua-time.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* key=value replies, record sets, OK/Error bodies, and the time formats found in them. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GhDahuaRecordSet) set = NULL;
  g_autoptr(GHashTable) kv = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  set = gh_dahua_record_set_parse ((const char *) data, size, NULL);
  kv = gh_dahua_kv_parse ((const char *) data, size, NULL);
  gh_dahua_reply_expect_ok ((const char *) data, size, NULL);
  if (set != NULL) {
    for (guint i = 0; i < set->records->len; i++) {
      GHashTable *row = g_ptr_array_index (set->records, i);
      const char *t = g_hash_table_lookup (row, "CreateTime");
      gint64 value;

      if (t != NULL && !gh_dahua_time_parse (t, utc, &value) &&
          g_ascii_string_to_signed (t, 10, 0, G_MAXINT64 / 2, &value, NULL))
        gh_dahua_time_to_utc (value, GH_DAHUA_CLOCK_WALL, utc);
    }
  }
  return 0;
}
