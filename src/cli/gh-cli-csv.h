/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/*
 * CSV as in RFC 4180: fields separated by commas, records by CRLF or LF, a field that holds a
 * comma, a quote, CR or LF is quoted with `"` and a quote inside it is doubled. A UTF-8 byte
 * order mark before the first record is skipped, and so are records that are entirely empty
 * (blank lines). Every field must be UTF-8.
 */

typedef struct _GhCliCsvReader GhCliCsvReader;

GhCliCsvReader *gh_cli_csv_reader_new        (FILE            *file,
                                              const char      *name);
void            gh_cli_csv_reader_free       (GhCliCsvReader  *self);
gboolean        gh_cli_csv_reader_next       (GhCliCsvReader  *self,
                                              GPtrArray      **out_fields,
                                              guint           *out_line,
                                              GError         **error);
gint64          gh_cli_csv_reader_get_offset (GhCliCsvReader  *self);

void            gh_cli_csv_append_field      (GString         *out,
                                              const char      *field);
void            gh_cli_csv_append_row        (GString         *out,
                                              const char * const *fields,
                                              guint            n_fields);

/*
 * A header row maps column names to positions. Names are compared without case and with
 * surrounding spaces removed; `-` and `_` are the same.
 */
typedef struct _GhCliCsvHeader GhCliCsvHeader;

GhCliCsvHeader *gh_cli_csv_header_new        (GPtrArray           *fields,
                                              const char * const  *known,
                                              const char * const  *required,
                                              GError             **error);
void            gh_cli_csv_header_free       (GhCliCsvHeader      *self);
const char     *gh_cli_csv_header_get        (GhCliCsvHeader      *self,
                                              GPtrArray           *row,
                                              const char          *column);
gboolean        gh_cli_csv_header_has        (GhCliCsvHeader      *self,
                                              const char          *column);
gboolean        gh_cli_csv_header_check_row  (GhCliCsvHeader      *self,
                                              GPtrArray           *row,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhCliCsvReader, gh_cli_csv_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhCliCsvHeader, gh_cli_csv_header_free)

G_END_DECLS
