/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gh-cli.h"

G_BEGIN_DECLS

/*
 * A record read from a device, in plain fields. The protocol layer's record and the store's
 * record share a type name, so no file can see both: gh-cli-device.c fills these from the
 * driver's records and gh-cli-records.c stores them.
 */
typedef struct {
  char   *kind;          /* call, access or alarm */
  char   *key;           /* the device's identity of the row */
  gint64  time;          /* Unix seconds */
  int     door;          /* from 1, 0 for none */
  char   *method;        /* access: card, password, remote, … */
  char   *status;        /* answered, missed, granted, denied, start */
  char   *direction;     /* call: incoming or outgoing */
  char   *card;
  char   *person_id;
  char   *person_name;
  char   *local_number;
  char   *peer_number;
  int     talk_seconds;
  char   *detail;
} GhCliRecordRow;

void     gh_cli_record_row_free (GhCliRecordRow *row);
gboolean gh_cli_records_ingest  (GhCli          *cli,
                                 gint64          device_id,
                                 GPtrArray      *rows,
                                 guint          *out_added,
                                 GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhCliRecordRow, gh_cli_record_row_free)

G_END_DECLS
