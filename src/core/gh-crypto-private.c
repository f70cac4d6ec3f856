/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-crypto-private"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/rand.h>
#include <string.h>

#include "gh-crypto-private.h"

#include "gh-error.h"

/* Fills @buf from the OpenSSL CSPRNG. */
gboolean
gh_crypto_random_bytes (guint8  *buf,
                        gsize    len,
                        GError **error)
{
  g_return_val_if_fail (len <= G_MAXINT, FALSE);

  if (RAND_bytes (buf, (int)len) != 1) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_FAILED,
                         _("The system could not provide random numbers; check that the "
                           "operating system’s random source is available."));
    return FALSE;
  }
  return TRUE;
}

/* Strict base64: only the standard alphabet, correct padding, length a multiple of four.
 * (g_base64_decode() skips stray characters, which would let damaged text through.) */
guint8 *
gh_crypto_base64_decode (const char *text,
                         gsize      *out_len)
{
  gsize len, pad = 0;

  if (text == NULL)
    return NULL;

  len = strlen (text);
  if (len == 0 || len % 4 != 0)
    return NULL;

  for (gsize i = 0; i < len; i++) {
    char c = text[i];

    if (c == '=') {
      if (i < len - 2)
        return NULL;
      pad++;
    } else if (pad > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/')) {
      return NULL;
    }
  }

  return g_base64_decode (text, out_len);
}
