/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-dahua-record-parser"

#include "config.h"

#include "gh-dahua-record-parser.h"

#include "gh-error.h"

#include <string.h>

/* Row indices above this are treated as garbage rather than allocated. */
#define MAX_RECORDS 100000

static char *
first_line (const char *text,
            gsize       len)
{
  const char *nl = memchr (text, '\n', len);
  g_autofree char *line = g_strndup (text, nl ? (gsize) (nl - text) : len);

  return g_utf8_make_valid (g_strstrip (line), -1);
}

/**
 * gh_dahua_reply_check:
 * @text: a CGI reply body
 *
 * Recognises the device's refusals: a body starting with "Error" (sometimes sent with HTTP
 * 200), "Bad Request!" and "Not Implemented!".
 *
 * Returns: %FALSE with %GH_ERROR_NOT_SUPPORTED or %GH_ERROR_PROTOCOL when the body is a refusal
 */
gboolean
gh_dahua_reply_check (const char  *text,
                      gssize       len,
                      GError     **error)
{
  g_autofree char *copy = NULL;
  char *s;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  if (len < 0)
    len = strlen (text);
  copy = g_utf8_make_valid (text, len);
  s = g_strstrip (copy);

  if (g_str_has_prefix (s, "Error") || g_str_has_prefix (s, "Bad Request") ||
      g_str_has_prefix (s, "Not Implemented")) {
    g_autofree char *detail = NULL;
    char **lines = g_strsplit_set (s, "\r\n", -1);
    GString *joined = g_string_new (NULL);

    for (guint i = 0; lines[i]; i++) {
      char *l = g_strstrip (lines[i]);

      if (*l == '\0' || g_strcmp0 (l, "Error") == 0)
        continue;
      if (joined->len > 0)
        g_string_append (joined, " ");
      g_string_append (joined, l);
    }
    g_strfreev (lines);
    detail = g_string_free (joined, FALSE);
    if (*detail == '\0') {
      g_free (detail);
      detail = g_strdup ("Error");
    }
    if (strstr (s, "Not Implemented") != NULL)
      g_set_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED,
                   "The device does not implement this request (%s)", detail);
    else
      g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL, "The device refused the request: %s",
                   detail);
    return FALSE;
  }
  return TRUE;
}

/**
 * gh_dahua_reply_expect_ok:
 *
 * For set/act requests: the reply must be "OK" (an empty body is tolerated).
 */
gboolean
gh_dahua_reply_expect_ok (const char  *text,
                          gssize       len,
                          GError     **error)
{
  g_autofree char *line = NULL;

  if (len < 0)
    len = text ? strlen (text) : 0;
  if (!gh_dahua_reply_check (text, len, error))
    return FALSE;
  line = first_line (text ? text : "", len);
  if (*line == '\0' || g_ascii_strcasecmp (line, "OK") == 0)
    return TRUE;
  g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL, "The device answered “%.60s” instead of OK",
               line);
  return FALSE;
}

typedef void (*PairFunc) (const char *key,
                          const char *value,
                          gpointer    user_data);

static gboolean
for_each_pair (const char  *text,
               gssize       len,
               PairFunc     func,
               gpointer     user_data,
               GError     **error)
{
  const char *p, *end;

  if (len < 0)
    len = strlen (text);
  if (!gh_dahua_reply_check (text, len, error))
    return FALSE;
  p = text;
  end = text + len;
  while (p < end) {
    const char *nl = memchr (p, '\n', end - p);
    const char *line_end = nl ? nl : end;
    const char *eq = memchr (p, '=', line_end - p);

    if (eq != NULL && eq > p) {
      g_autofree char *key_raw = g_strndup (p, eq - p);
      g_autofree char *value_raw = g_strndup (eq + 1, line_end - eq - 1);
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;
      gsize vlen;

      key = g_utf8_make_valid (g_strstrip (key_raw), -1);
      /* Values keep inner spaces; only the CR of CRLF and the line's outer blanks go. */
      vlen = strlen (value_raw);
      while (vlen > 0 && (value_raw[vlen - 1] == '\r' || value_raw[vlen - 1] == ' '))
        value_raw[--vlen] = '\0';
      value = g_utf8_make_valid (value_raw, -1);
      if (*key != '\0')
        func (key, value, user_data);
    }
    p = nl ? nl + 1 : end;
  }
  return TRUE;
}

static void
kv_insert (const char *key,
           const char *value,
           gpointer    user_data)
{
  GHashTable *table = user_data;

  /* getConfig keys come back as "table.Name..."; setConfig takes them without. */
  if (g_str_has_prefix (key, "table."))
    key += strlen ("table.");
  g_hash_table_replace (table, g_strdup (key), g_strdup (value));
}

/**
 * gh_dahua_kv_parse:
 *
 * Parses a "key=value" per line reply (CRLF or LF). Only the first "=" splits, so values may
 * contain "="; a "table." prefix is dropped from keys.
 *
 * Returns: (transfer full): key → value, or %NULL when the body is a refusal
 */
GHashTable *
gh_dahua_kv_parse (const char  *text,
                   gssize       len,
                   GError     **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (!for_each_pair (text ? text : "", len, kv_insert, table, error))
    return NULL;
  return g_steal_pointer (&table);
}

typedef struct {
  GhDahuaRecordSet *set;
  gboolean          saw_found;
  char             *bad_key;  /* (owned) */
} RecordParse;

static void
record_insert (const char *key,
               const char *value,
               gpointer    user_data)
{
  RecordParse *rp = user_data;
  GhDahuaRecordSet *set = rp->set;
  const char *p;
  char *endp = NULL;
  guint64 index;
  GHashTable *row;

  if (g_strcmp0 (key, "found") == 0) {
    guint64 n;

    if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &n, NULL)) {
      set->found = n;
      rp->saw_found = TRUE;
    }
    return;
  }
  if (g_strcmp0 (key, "totalCount") == 0) {
    gint64 n;

    if (g_ascii_string_to_signed (value, 10, 0, G_MAXINT64, &n, NULL))
      set->total = n;
    return;
  }
  if (!g_str_has_prefix (key, "records["))
    return;
  p = key + strlen ("records[");
  if (!g_ascii_isdigit (*p))
    goto bad;
  index = g_ascii_strtoull (p, &endp, 10);
  if (endp == NULL || endp[0] != ']' || endp[1] != '.' || endp[2] == '\0')
    goto bad;
  if (index >= MAX_RECORDS)
    goto bad;
  while (set->records->len <= index)
    g_ptr_array_add (set->records,
                     g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free));
  row = g_ptr_array_index (set->records, index);
  g_hash_table_replace (row, g_strdup (endp + 2), g_strdup (value));
  return;

bad:
  if (rp->bad_key == NULL)
    rp->bad_key = g_strdup (key);
}

/**
 * gh_dahua_record_set_parse:
 *
 * Parses a recordFinder reply: "found=N", optional "totalCount=", then
 * "records[i].Field=value" lines in any order.
 *
 * Returns: (transfer full): the rows, or %NULL with %GH_ERROR_PROTOCOL
 */
GhDahuaRecordSet *
gh_dahua_record_set_parse (const char  *text,
                           gssize       len,
                           GError     **error)
{
  g_autoptr(GhDahuaRecordSet) set = g_new0 (GhDahuaRecordSet, 1);
  RecordParse rp = { set, FALSE, NULL };

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  set->total = -1;
  set->records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  if (!for_each_pair (text ? text : "", len, record_insert, &rp, error))
    return NULL;
  if (rp.bad_key != NULL) {
    g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL,
                 "The record reply has a malformed field “%.60s”", rp.bad_key);
    g_free (rp.bad_key);
    return NULL;
  }
  if (!rp.saw_found && set->records->len == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL,
                 "The record reply has neither a found= count nor any records");
    return NULL;
  }
  if (!rp.saw_found)
    set->found = set->records->len;
  return g_steal_pointer (&set);
}

void
gh_dahua_record_set_free (GhDahuaRecordSet *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_free (self);
}
