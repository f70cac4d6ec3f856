/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GH_TYPE_DATABASE (gh_database_get_type ())
G_DECLARE_FINAL_TYPE (GhDatabase, gh_database, GH, DATABASE, GObject)

GhDatabase *gh_database_open               (const char  *path,
                                            GError     **error);
const char *gh_database_get_path           (GhDatabase  *self);
int         gh_database_get_schema_version (GhDatabase  *self);
gint64      gh_database_get_data_version   (GhDatabase  *self);
gint64      gh_database_get_change_count   (GhDatabase  *self);
gboolean    gh_database_is_bookkeeping     (const char  *topic);
int         gh_database_get_latest_version (void);
gboolean    gh_database_begin              (GhDatabase  *self,
                                            GError     **error);
gboolean    gh_database_commit             (GhDatabase  *self,
                                            GError     **error);
void        gh_database_rollback           (GhDatabase  *self);
gboolean    gh_database_in_transaction     (GhDatabase  *self);

G_END_DECLS
