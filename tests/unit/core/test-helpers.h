/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <string.h>

/* Fails the test unless @error is set and its message contains @needle. */
#define assert_message_contains(error, needle) \
  G_STMT_START { \
    const GError *_e = (error); \
    g_assert_nonnull (_e); \
    if (strstr (_e->message, (needle)) == NULL) \
      g_error ("%s:%d: message “%s” does not contain “%s”", __FILE__, __LINE__, \
               _e->message, (needle)); \
  } G_STMT_END

/* Decodes lower-case hex into a newly allocated buffer. */
static inline guint8 *
test_unhex (const char *hex,
            gsize      *out_len)
{
  gsize len = strlen (hex) / 2;
  guint8 *buf = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    buf[i] = (guint8)(g_ascii_xdigit_value (hex[2 * i]) << 4 |
                      g_ascii_xdigit_value (hex[2 * i + 1]));
  *out_len = len;
  return buf;
}
