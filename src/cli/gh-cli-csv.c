/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-cli-csv"

#include "config.h"

#include "gh-cli-csv.h"

#include "gh-error.h"

#include <string.h>

struct _GhCliCsvReader
{
  FILE    *file;     /* (borrowed) */
  char    *name;     /* (owned) shown in messages */
  guint    line;     /* physical line the reader is on, 1-based */
  gint64   offset;   /* bytes read */
  gboolean started;  /* past the byte order mark */
  GString *field;    /* (owned) scratch */
};

struct _GhCliCsvHeader
{
  GHashTable *columns;    /* (owned) normalized name → GUINT_TO_POINTER (index + 1) */
  guint       n_columns;
};

GhCliCsvReader *
gh_cli_csv_reader_new (FILE       *file,
                       const char *name)
{
  GhCliCsvReader *self = g_new0 (GhCliCsvReader, 1);

  g_return_val_if_fail (file != NULL, NULL);

  self->file = file;
  self->name = g_strdup (name ? name : "input");
  self->line = 1;
  self->field = g_string_sized_new (64);

  return self;
}

void
gh_cli_csv_reader_free (GhCliCsvReader *self)
{
  if (self == NULL)
    return;

  g_string_free (self->field, TRUE);
  g_free (self->name);
  g_free (self);
}

gint64
gh_cli_csv_reader_get_offset (GhCliCsvReader *self)
{
  return self->offset;
}

static int
read_char (GhCliCsvReader *self)
{
  int c = getc_unlocked (self->file);

  if (c != EOF)
    self->offset++;

  return c;
}

static gboolean
finish_field (GhCliCsvReader  *self,
              GPtrArray       *fields,
              guint            record_line,
              GError         **error)
{
  if (!g_utf8_validate_len (self->field->str, self->field->len, NULL)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 "%s: line %u, field %u is not UTF-8 text; save the file as UTF-8",
                 self->name, record_line, fields->len + 1);
    return FALSE;
  }

  g_ptr_array_add (fields, g_strndup (self->field->str, self->field->len));
  g_string_truncate (self->field, 0);

  return TRUE;
}

/**
 * gh_cli_csv_reader_next:
 * @out_fields: (out) (element-type utf8): the fields of the next record
 * @out_line: (out) (optional): the line the record starts on
 *
 * Returns: %TRUE with a record, %FALSE at the end (@error unset) or on a malformed record
 *   (@error set, naming the line)
 */
gboolean
gh_cli_csv_reader_next (GhCliCsvReader  *self,
                        GPtrArray      **out_fields,
                        guint           *out_line,
                        GError         **error)
{
  g_autoptr(GPtrArray) fields = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out_fields != NULL, FALSE);

  *out_fields = NULL;

  if (!self->started) {
    int c1 = read_char (self);

    self->started = TRUE;
    if (c1 == 0xEF) {
      int c2 = read_char (self);
      int c3 = read_char (self);

      if (c2 != 0xBB || c3 != 0xBF) {
        g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                     "%s: line 1 starts with bytes that are not UTF-8 text", self->name);
        return FALSE;
      }
    } else if (c1 != EOF) {
      ungetc (c1, self->file);
      self->offset--;
    }
  }

  for (;;) {
    guint record_line = self->line;
    gboolean quoted = FALSE;
    gboolean after_quote = FALSE;
    gboolean field_started = FALSE;
    int c;

    fields = g_ptr_array_new_with_free_func (g_free);
    g_string_truncate (self->field, 0);

    for (;;) {
      c = read_char (self);

      if (quoted) {
        if (c == EOF) {
          g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                       "%s: line %u: a quoted field is never closed; add the closing quote (\")",
                       self->name, record_line);
          return FALSE;
        }
        if (c == '"') {
          int next = read_char (self);

          if (next == '"') {
            g_string_append_c (self->field, '"');
            continue;
          }
          if (next != EOF) {
            ungetc (next, self->file);
            self->offset--;
          }
          quoted = FALSE;
          after_quote = TRUE;
          continue;
        }
        if (c == '\n')
          self->line++;
        g_string_append_c (self->field, (char)c);
        continue;
      }

      if (c == EOF || c == '\n' || c == '\r' || c == ',') {
        if (c == '\r') {
          int next = read_char (self);

          if (next != '\n') {
            g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         "%s: line %u: a carriage return outside quotes must end the line",
                         self->name, self->line);
            return FALSE;
          }
          c = '\n';
        }

        if (c == EOF && fields->len == 0 && !field_started)
          return FALSE;  /* end of input */

        if (c == '\n' && fields->len == 0 && !field_started) {
          self->line++;  /* blank line */
          record_line = self->line;
          continue;
        }

        if (!finish_field (self, fields, record_line, error))
          return FALSE;

        after_quote = FALSE;
        field_started = FALSE;

        if (c == ',') {
          field_started = TRUE;  /* a field follows, even an empty one */
          continue;
        }

        if (c == '\n')
          self->line++;

        *out_fields = g_steal_pointer (&fields);
        if (out_line != NULL)
          *out_line = record_line;
        return TRUE;
      }

      if (after_quote) {
        g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                     "%s: line %u, field %u: text after a closing quote; quote the whole field "
                     "and double every quote inside it", self->name, self->line, fields->len + 1);
        return FALSE;
      }

      if (c == '"') {
        if (self->field->len > 0) {
          g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                       "%s: line %u, field %u: a quote inside an unquoted field; quote the whole "
                       "field and double every quote inside it",
                       self->name, self->line, fields->len + 1);
          return FALSE;
        }
        quoted = TRUE;
        field_started = TRUE;
        continue;
      }

      if (c == '\0') {
        g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                     "%s: line %u holds a NUL byte; this is not a text file", self->name,
                     self->line);
        return FALSE;
      }

      field_started = TRUE;
      g_string_append_c (self->field, (char)c);
    }
  }
}

static gboolean
needs_quotes (const char *field)
{
  if (*field == '\0')
    return FALSE;

  if (g_ascii_isspace (field[0]) || g_ascii_isspace (field[strlen (field) - 1]))
    return TRUE;

  return strpbrk (field, ",\"\r\n") != NULL;
}

void
gh_cli_csv_append_field (GString    *out,
                         const char *field)
{
  if (field == NULL)
    field = "";

  if (!needs_quotes (field)) {
    g_string_append (out, field);
    return;
  }

  g_string_append_c (out, '"');
  for (const char *p = field; *p; p++) {
    if (*p == '"')
      g_string_append_c (out, '"');
    g_string_append_c (out, *p);
  }
  g_string_append_c (out, '"');
}

/* Appends one record ending in CRLF, as RFC 4180 writes it. */
void
gh_cli_csv_append_row (GString            *out,
                       const char * const *fields,
                       guint               n_fields)
{
  for (guint i = 0; i < n_fields; i++) {
    if (i > 0)
      g_string_append_c (out, ',');
    gh_cli_csv_append_field (out, fields[i]);
  }
  g_string_append (out, "\r\n");
}

static char *
normalize_column (const char *name)
{
  g_autofree char *text = g_strstrip (g_ascii_strdown (name, -1));

  g_strdelimit (text, "-", '_');
  g_strdelimit (text, " ", '_');

  return g_steal_pointer (&text);
}

/**
 * gh_cli_csv_header_new:
 * @fields: the header row
 * @known: the column names the caller understands
 * @required: the columns that must be present
 *
 * Returns: the header, or %NULL with @error naming the unknown, repeated or missing column
 */
GhCliCsvHeader *
gh_cli_csv_header_new (GPtrArray           *fields,
                       const char * const  *known,
                       const char * const  *required,
                       GError             **error)
{
  g_autoptr(GHashTable) columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GhCliCsvHeader *self;

  for (guint i = 0; i < fields->len; i++) {
    g_autofree char *name = normalize_column (g_ptr_array_index (fields, i));

    if (*name == '\0') {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   "line 1: column %u has no name; the first row must name every column", i + 1);
      return NULL;
    }
    if (!g_strv_contains (known, name)) {
      g_autofree char *list = g_strjoinv (", ", (char **)known);

      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   "line 1: unknown column “%s”; the columns are: %s", name, list);
      return NULL;
    }
    if (g_hash_table_contains (columns, name)) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   "line 1: column “%s” appears twice", name);
      return NULL;
    }
    g_hash_table_insert (columns, g_steal_pointer (&name), GUINT_TO_POINTER (i + 1));
  }

  for (guint i = 0; required != NULL && required[i] != NULL; i++) {
    if (!g_hash_table_contains (columns, required[i])) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   "line 1: the column “%s” is missing; it is required", required[i]);
      return NULL;
    }
  }

  self = g_new0 (GhCliCsvHeader, 1);
  self->columns = g_steal_pointer (&columns);
  self->n_columns = fields->len;

  return self;
}

void
gh_cli_csv_header_free (GhCliCsvHeader *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->columns);
  g_free (self);
}

gboolean
gh_cli_csv_header_has (GhCliCsvHeader *self,
                       const char     *column)
{
  return g_hash_table_contains (self->columns, column);
}

/**
 * gh_cli_csv_header_check_row:
 *
 * Every record has as many fields as the header (RFC 4180); a record with more or fewer is
 * almost always a quoting mistake, so it is refused with both counts.
 */
gboolean
gh_cli_csv_header_check_row (GhCliCsvHeader  *self,
                             GPtrArray       *row,
                             GError         **error)
{
  if (row->len == self->n_columns)
    return TRUE;

  g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
               "the row has %u field%s but the header names %u column%s; quote fields that "
               "contain commas", row->len, row->len == 1 ? "" : "s", self->n_columns,
               self->n_columns == 1 ? "" : "s");
  return FALSE;
}

/* Returns the field of @column in @row, stripped of nothing, or %NULL when the column is
 * absent or the row is shorter. */
const char *
gh_cli_csv_header_get (GhCliCsvHeader *self,
                       GPtrArray      *row,
                       const char     *column)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->columns, column));

  if (index == 0 || index > row->len)
    return NULL;

  return g_ptr_array_index (row, index - 1);
}
