/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-standalone"

#include "config.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/*
 * Runs a libFuzzer target without libFuzzer: every seed in the corpus directory, then N
 * pseudo-random mutations of them (bit flips, byte edits, insertions, deletions, splices,
 * truncation). Cheap enough for every test run; real coverage-guided runs use clang (see
 * docs/protocol.md).
 *
 *   fuzz-x-replay CORPUS_DIR [ITERATIONS [SEED]]
 */

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static GByteArray *
mutate (GRand      *rand,
        GPtrArray  *seeds)
{
  GBytes *seed = g_ptr_array_index (seeds, g_rand_int_range (rand, 0, seeds->len));
  GByteArray *out = g_byte_array_new ();
  guint rounds = g_rand_int_range (rand, 1, 9);
  static const char *tokens[] = {
    "\r\n", "\n", "--myboundary\r\n", "=", ";", "{", "}", "\"", "data={", "Code=", "records[",
    "].", "found=", "Heartbeat", "\\", "\"result\":", "\"error\":{\"code\":268632079}", "\0",
  };

  g_byte_array_append (out, g_bytes_get_data (seed, NULL), g_bytes_get_size (seed));
  for (guint r = 0; r < rounds; r++) {
    guint len = out->len;
    guint at = len ? g_rand_int_range (rand, 0, len) : 0;

    switch (g_rand_int_range (rand, 0, 7)) {
    case 0: /* flip a bit */
      if (len)
        out->data[at] ^= 1u << g_rand_int_range (rand, 0, 8);
      break;
    case 1: /* random byte */
      if (len)
        out->data[at] = g_rand_int_range (rand, 0, 256);
      break;
    case 2: { /* insert a token */
      const char *tok = tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))];
      gsize tlen = *tok ? strlen (tok) : 1;

      GByteArray *tmp = g_byte_array_sized_new (len + tlen);

      g_byte_array_append (tmp, out->data, at);
      g_byte_array_append (tmp, (const guint8 *) tok, tlen);
      g_byte_array_append (tmp, out->data + at, len - at);
      g_byte_array_unref (out);
      out = tmp;
      break;
    }
    case 3: /* delete a range */
      if (len) {
        guint n = g_rand_int_range (rand, 1, MIN (len - at, 64) + 1);

        g_byte_array_remove_range (out, at, n);
      }
      break;
    case 4: /* duplicate a range */
      if (len && len < 1 << 20) {
        guint n = g_rand_int_range (rand, 1, MIN (len - at, 256) + 1);
        g_autofree guint8 *copy = g_memdup2 (out->data + at, n);

        g_byte_array_append (out, copy, n);
      }
      break;
    case 5: /* truncate */
      g_byte_array_set_size (out, at);
      break;
    case 6: { /* splice with another seed */
      GBytes *other = g_ptr_array_index (seeds, g_rand_int_range (rand, 0, seeds->len));
      gsize olen = g_bytes_get_size (other);

      if (olen) {
        guint from = g_rand_int_range (rand, 0, olen);

        g_byte_array_set_size (out, at);
        g_byte_array_append (out, (const guint8 *) g_bytes_get_data (other, NULL) + from,
                             olen - from);
      }
      break;
    }
    default:
      break;
    }
  }
  return out;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = NULL;
  guint iterations = 2000;
  guint32 seed;
  const char *name;

  if (argc < 2) {
    g_printerr ("usage: %s CORPUS_DIR [ITERATIONS [SEED]]\n", argv[0]);
    return 2;
  }
  if (argc > 2)
    iterations = strtoul (argv[2], NULL, 10);
  seed = argc > 3 ? strtoul (argv[3], NULL, 10) : (guint32) g_get_real_time ();
  rand = g_rand_new_with_seed (seed);

  dir = g_dir_open (argv[1], 0, &error);
  if (dir == NULL) {
    g_printerr ("%s\n", error->message);
    return 1;
  }
  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *path = g_build_filename (argv[1], name, NULL);
    g_autofree char *contents = NULL;
    gsize len;

    if (!g_file_get_contents (path, &contents, &len, &error)) {
      g_printerr ("%s\n", error->message);
      return 1;
    }
    LLVMFuzzerTestOneInput ((const guint8 *) contents, len);
    g_ptr_array_add (seeds, g_bytes_new_take (g_steal_pointer (&contents), len));
  }
  if (seeds->len == 0) {
    g_printerr ("No seeds in %s\n", argv[1]);
    return 1;
  }
  g_print ("replayed %u seeds; running %u mutations with seed %u\n", seeds->len, iterations,
           seed);
  for (guint i = 0; i < iterations; i++) {
    GByteArray *input = mutate (rand, seeds);

    LLVMFuzzerTestOneInput (input->data, input->len);
    g_byte_array_unref (input);
  }
  g_print ("ok: %u inputs without a crash\n", seeds->len + iterations);
  return 0;
}
