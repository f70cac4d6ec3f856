/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Writing JSON text directly, for the hot paths that build thousands of small objects (a
 * push of 10,000 persons to a device, the sync engine's batches) where a json-c tree would
 * be built, serialized and freed per item.
 */

void gh_json_append_string (GString    *out,
                            const char *text);
void gh_json_append_int    (GString    *out,
                            gint64      value);

G_END_DECLS
