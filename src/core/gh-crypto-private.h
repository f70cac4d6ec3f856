/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Helpers shared by gh-kdf.c, gh-secret-box.c and gh-audit-chain.c. */

gboolean  gh_crypto_random_bytes  (guint8      *buf,
                                   gsize        len,
                                   GError     **error);
guint8   *gh_crypto_base64_decode (const char  *text,
                                   gsize       *out_len);

G_END_DECLS
