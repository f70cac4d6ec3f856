/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-c/json.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_object, json_object_put)

char      *gh_sim_md5_hex         (const char *text,
                                   gboolean    upper);
char      *gh_sim_json_pretty     (json_object *obj);
char      *gh_sim_format_time     (gint64      epoch,
                                   const char *format);
gboolean   gh_sim_parse_time      (const char *text,
                                   gint64     *epoch);
gint64     gh_sim_now_utc         (void);

/* Flat configuration tree: keys like `AccessControl[0].Name`, sorted. */
typedef struct _GhSimConfig GhSimConfig;

GhSimConfig *gh_sim_config_new        (void);
void         gh_sim_config_free       (GhSimConfig *config);
void         gh_sim_config_set        (GhSimConfig *config,
                                       const char  *key,
                                       const char  *value);
const char  *gh_sim_config_get        (GhSimConfig *config,
                                       const char  *key);
gboolean     gh_sim_config_has_name   (GhSimConfig *config,
                                       const char  *name);
void         gh_sim_config_dump       (GhSimConfig *config,
                                       const char  *name,
                                       const char  *prefix,
                                       GString     *out);
json_object *gh_sim_config_to_json    (GhSimConfig *config,
                                       const char  *name);
void         gh_sim_config_set_json   (GhSimConfig *config,
                                       const char  *name,
                                       json_object *table);
char        *gh_sim_config_key_name   (const char  *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhSimConfig, gh_sim_config_free)

/* A record table (recordFinder / recordUpdater): rows are sorted field → value maps. */
typedef struct _GhSimTable GhSimTable;

GhSimTable  *gh_sim_table_new         (const char  *name);
void         gh_sim_table_free        (GhSimTable  *table);
const char  *gh_sim_table_get_name    (GhSimTable  *table);
guint        gh_sim_table_insert      (GhSimTable  *table,
                                       GTree       *row);
GTree       *gh_sim_table_lookup      (GhSimTable  *table,
                                       guint        recno);
GTree       *gh_sim_table_find_field  (GhSimTable  *table,
                                       const char  *field,
                                       const char  *value);
gboolean     gh_sim_table_remove      (GhSimTable  *table,
                                       guint        recno);
void         gh_sim_table_clear       (GhSimTable  *table);
GPtrArray   *gh_sim_table_get_rows    (GhSimTable  *table);
GTree       *gh_sim_row_new           (void);
void         gh_sim_row_set           (GTree       *row,
                                       const char  *field,
                                       const char  *value);
const char  *gh_sim_row_get           (GTree       *row,
                                       const char  *field);
void         gh_sim_row_dump          (GTree       *row,
                                       const char  *prefix,
                                       GString     *out);
json_object *gh_sim_row_to_json       (GTree       *row);
json_object *gh_sim_table_to_json     (GhSimTable  *table);

G_END_DECLS
