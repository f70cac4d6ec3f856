/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gh-json-text.h"

static char *
quoted (const char *text)
{
  GString *out = g_string_new ("x");

  gh_json_append_string (out, text);
  return g_string_free (out, FALSE);
}

static void
test_escapes (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "", "x\"\"" },
    { "Resident 3", "x\"Resident 3\"" },
    { "say \"hi\"", "x\"say \\\"hi\\\"\"" },
    { "C:\\doors", "x\"C:\\\\doors\"" },
    { "a\nb\tc\rd", "x\"a\\nb\\tc\\rd\"" },
    { "\x01\x1f", "x\"\\u0001\\u001f\"" },
    { "Zoë 李", "x\"Zoë 李\"" },
    { "/", "x\"/\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *got = quoted (cases[i].in);

    g_assert_cmpstr (got, ==, cases[i].out);
  }
}

static void
test_ints (void)
{
  static const gint64 values[] = { 0, 7, 10, 255, -1, -4096, G_MAXINT64, G_MININT64 };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++) {
    g_autoptr(GString) out = g_string_new ("[");
    g_autofree char *expected = g_strdup_printf ("[%" G_GINT64_FORMAT, values[i]);

    gh_json_append_int (out, values[i]);
    g_assert_cmpstr (out->str, ==, expected);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/json-text/escapes", test_escapes);
  g_test_add_func ("/core/json-text/ints", test_ints);
  return g_test_run ();
}
