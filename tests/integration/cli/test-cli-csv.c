/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "gh-cli-csv.h"
#include "gh-error.h"

#include <string.h>

/* Parses @text completely; returns the records as "a|b|c" strings with their lines. */
static GPtrArray *
parse_all (const char  *text,
           gssize       len,
           GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  gsize size = len < 0 ? strlen (text) : (gsize)len;
  /* fmemopen refuses a zero-sized buffer: an empty input is a one-byte buffer read past. */
  FILE *file = fmemopen ((void *)(size > 0 ? text : " "), MAX (size, 1), "rb");
  g_autoptr(GhCliCsvReader) reader = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  guint line = 0;

  if (size == 0)
    fgetc (file);

  g_assert_nonnull (file);
  reader = gh_cli_csv_reader_new (file, "test.csv");

  while (gh_cli_csv_reader_next (reader, &fields, &line, error)) {
    g_autoptr(GString) rec = g_string_new (NULL);

    g_string_append_printf (rec, "%u:", line);
    for (guint i = 0; i < fields->len; i++) {
      if (i > 0)
        g_string_append_c (rec, '|');
      g_string_append (rec, g_ptr_array_index (fields, i));
    }
    g_ptr_array_add (out, g_string_free (g_steal_pointer (&rec), FALSE));
    g_clear_pointer (&fields, g_ptr_array_unref);
  }

  fclose (file);

  if (error != NULL && *error != NULL)
    return NULL;

  return g_steal_pointer (&out);
}

static void
assert_records (const char         *text,
                const char * const *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = parse_all (text, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, g_strv_length ((char **)expected));
  for (guint i = 0; i < records->len; i++)
    g_assert_cmpstr (g_ptr_array_index (records, i), ==, expected[i]);
}

static void
assert_fails (const char *text,
              const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = parse_all (text, -1, &error);

  g_assert_null (records);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” not in “%s”", needle, error->message);
}

static void
test_plain (void)
{
  assert_records ("a,b,c\n1,2,3\n", (const char *[]) { "1:a|b|c", "2:1|2|3", NULL });
  assert_records ("a,b\r\n1,2\r\n", (const char *[]) { "1:a|b", "2:1|2", NULL });
  /* no final line break */
  assert_records ("a,b\n1,2", (const char *[]) { "1:a|b", "2:1|2", NULL });
  /* empty fields, trailing comma */
  assert_records (",x,\n", (const char *[]) { "1:|x|", NULL });
  assert_records ("a,\n", (const char *[]) { "1:a|", NULL });
  /* blank lines are skipped but counted */
  assert_records ("a\n\n\r\nb\n", (const char *[]) { "1:a", "4:b", NULL });
  /* spaces are kept */
  assert_records (" a , b \n", (const char *[]) { "1: a | b ", NULL });
  assert_records ("", (const char *[]) { NULL });
}

static void
test_quoted (void)
{
  assert_records ("\"a,b\",c\n", (const char *[]) { "1:a,b|c", NULL });
  assert_records ("\"say \"\"hi\"\"\",x\n", (const char *[]) { "1:say \"hi\"|x", NULL });
  assert_records ("\"\",\"\"\n", (const char *[]) { "1:|", NULL });
  /* embedded line breaks: the next record's line number counts them */
  assert_records ("\"one\ntwo\",x\r\n\"3\r\n4\"\nlast\n",
                  (const char *[]) { "1:one\ntwo|x", "3:3\r\n4", "5:last", NULL });
  /* UTF-8 and a byte order mark */
  assert_records ("\xef\xbb\xbfname\nZoë\n", (const char *[]) { "1:name", "2:Zoë", NULL });
}

static void
test_malformed (void)
{
  assert_fails ("a\n\"open,b\nc\n", "line 2: a quoted field is never closed");
  assert_fails ("a\n\"x\"y,b\n", "line 2, field 1: text after a closing quote");
  assert_fails ("a,b\"c\n", "line 1, field 2: a quote inside an unquoted field");
  assert_fails ("a\rb\n", "carriage return");
  assert_fails ("ok\n\xff\xfe\n", "line 2, field 1 is not UTF-8");
}

static void
test_nul (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = parse_all ("a\nb\0c\n", 6, &error);

  g_assert_null (records);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "line 2 holds a NUL byte"));
}

static void
test_write_round_trip (void)
{
  const char *fields[] = { "plain", "with,comma", "with \"quote\"", "two\r\nlines", "",
                           " padded ", "Zoë" };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;

  gh_cli_csv_append_row (out, fields, G_N_ELEMENTS (fields));
  g_assert_cmpstr (out->str, ==,
                   "plain,\"with,comma\",\"with \"\"quote\"\"\",\"two\r\nlines\",,\" padded \","
                   "Zoë\r\n");

  records = parse_all (out->str, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (records, 0), ==,
                   "1:plain|with,comma|with \"quote\"|two\r\nlines|| padded |Zoë");
}

static GPtrArray *
strings (const char * const *list)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; list[i] != NULL; i++)
    g_ptr_array_add (array, g_strdup (list[i]));

  return array;
}

static void
test_header (void)
{
  const char *known[] = { "person_id", "name", "valid_from", NULL };
  const char *required[] = { "person_id", NULL };
  g_autoptr(GPtrArray) head = strings ((const char *[]) { " Person-ID", "VALID FROM", NULL });
  g_autoptr(GPtrArray) row = strings ((const char *[]) { "P1", NULL });
  g_autoptr(GPtrArray) unknown = strings ((const char *[]) { "person_id", "colour", NULL });
  g_autoptr(GPtrArray) twice = strings ((const char *[]) { "person_id", "name", "Name", NULL });
  g_autoptr(GPtrArray) missing = strings ((const char *[]) { "name", NULL });
  g_autoptr(GhCliCsvHeader) header = NULL;
  g_autoptr(GError) error = NULL;
  GhCliCsvHeader *bad;

  header = gh_cli_csv_header_new (head, known, required, &error);
  g_assert_no_error (error);
  g_assert_true (gh_cli_csv_header_has (header, "valid_from"));
  g_assert_false (gh_cli_csv_header_has (header, "name"));
  g_assert_cmpstr (gh_cli_csv_header_get (header, row, "person_id"), ==, "P1");
  /* a short row has no value for the later column */
  g_assert_null (gh_cli_csv_header_get (header, row, "valid_from"));
  g_assert_null (gh_cli_csv_header_get (header, row, "name"));
  g_assert_false (gh_cli_csv_header_check_row (header, row, &error));
  g_assert_nonnull (strstr (error->message, "the row has 1 field but the header names 2 "
                                            "columns"));
  g_clear_error (&error);
  g_ptr_array_add (row, g_strdup ("2026-01-01"));
  g_assert_true (gh_cli_csv_header_check_row (header, row, &error));
  g_assert_no_error (error);

  bad = gh_cli_csv_header_new (unknown, known, required, &error);
  g_assert_null (bad);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "unknown column “colour”"));
  g_clear_error (&error);

  bad = gh_cli_csv_header_new (twice, known, required, &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "“name” appears twice"));
  g_clear_error (&error);

  bad = gh_cli_csv_header_new (missing, known, required, &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "“person_id” is missing"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/csv/plain", test_plain);
  g_test_add_func ("/cli/csv/quoted", test_quoted);
  g_test_add_func ("/cli/csv/malformed", test_malformed);
  g_test_add_func ("/cli/csv/nul", test_nul);
  g_test_add_func ("/cli/csv/write-round-trip", test_write_round_trip);
  g_test_add_func ("/cli/csv/header", test_header);

  return g_test_run ();
}
