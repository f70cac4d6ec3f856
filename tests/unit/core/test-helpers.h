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
