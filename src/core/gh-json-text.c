/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gh-json-text.h"

/**
 * gh_json_append_string:
 * @out: the text being written
 * @text: UTF-8 text
 *
 * Appends @text as a JSON string: quotes, backslashes and control characters escaped, the
 * rest (UTF-8 included) as it is.
 */
void
gh_json_append_string (GString    *out,
                       const char *text)
{
  const char *p = text;

  g_return_if_fail (out != NULL);
  g_return_if_fail (text != NULL);

  g_string_append_c (out, '"');
  for (;;) {
    const char *run = p;

    while (*p != '\0' && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
      p++;
    g_string_append_len (out, run, p - run);
    if (*p == '\0')
      break;
    switch (*p) {
    case '"':
      g_string_append (out, "\\\"");
      break;
    case '\\':
      g_string_append (out, "\\\\");
      break;
    case '\n':
      g_string_append (out, "\\n");
      break;
    case '\t':
      g_string_append (out, "\\t");
      break;
    case '\r':
      g_string_append (out, "\\r");
      break;
    default:
      g_string_append_printf (out, "\\u%04x", (guchar) *p);
      break;
    }
    p++;
  }
  g_string_append_c (out, '"');
}

/**
 * gh_json_append_int:
 *
 * Appends @value in decimal (without printf, which costs more than the rest of an entry).
 */
void
gh_json_append_int (GString *out,
                    gint64   value)
{
  char digits[24];
  char *p = digits + sizeof digits;
  guint64 v = value < 0 ? -(guint64) value : (guint64) value;

  g_return_if_fail (out != NULL);

  do {
    *--p = (char) ('0' + v % 10);
    v /= 10;
  } while (v > 0);
  if (value < 0)
    *--p = '-';
  g_string_append_len (out, p, digits + sizeof digits - p);
}
