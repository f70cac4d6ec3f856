/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-session.h"
#include "gh-time-template.h"

G_BEGIN_DECLS

typedef struct {
  gint64          id;
  char           *name;
  char           *remark;
  GhTimeTemplate *schedule;  /* (owned) */
} GhAccessTimeTemplate;

void gh_access_time_template_free (GhAccessTimeTemplate *tmpl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhAccessTimeTemplate, gh_access_time_template_free)

typedef struct {
  gint64 device_id;
  int    door_index;  /* 0 for the first door */
} GhGroupDoor;

typedef struct {
  gint64  id;
  char   *name;
  char   *remark;
  gint64  time_template_id;  /* 0 for none: always */
  char   *verify_method;     /* any, card, password, face, fingerprint, card+password, … */
  GArray *doors;             /* (element-type GhGroupDoor) */
  guint   n_persons;
  guint   n_departments;
} GhPermissionGroup;

void gh_permission_group_free (GhPermissionGroup *group);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhPermissionGroup, gh_permission_group_free)

#define GH_TYPE_ACCESS_STORE (gh_access_store_get_type ())
G_DECLARE_FINAL_TYPE (GhAccessStore, gh_access_store, GH, ACCESS_STORE, GObject)

GhAccessStore        *gh_access_store_new                  (GhDatabase            *database);
gint64                gh_access_store_add_time_template    (GhAccessStore         *self,
                                                            GhSession             *session,
                                                            const char            *name,
                                                            const GhTimeTemplate  *schedule,
                                                            const char            *remark,
                                                            GError               **error);
gboolean              gh_access_store_update_time_template (GhAccessStore         *self,
                                                            GhSession             *session,
                                                            gint64                 id,
                                                            const char            *name,
                                                            const GhTimeTemplate  *schedule,
                                                            const char            *remark,
                                                            GError               **error);
gboolean              gh_access_store_remove_time_template (GhAccessStore         *self,
                                                            GhSession             *session,
                                                            gint64                 id,
                                                            GError               **error);
GhAccessTimeTemplate *gh_access_store_get_time_template    (GhAccessStore         *self,
                                                            gint64                 id,
                                                            GError               **error);
GPtrArray            *gh_access_store_list_time_templates  (GhAccessStore         *self,
                                                            GError               **error);

gint64                gh_access_store_add_group            (GhAccessStore         *self,
                                                            GhSession             *session,
                                                            const GhPermissionGroup *group,
                                                            GError               **error);
gboolean              gh_access_store_update_group         (GhAccessStore         *self,
                                                            GhSession             *session,
                                                            const GhPermissionGroup *group,
                                                            GError               **error);
gboolean              gh_access_store_remove_group         (GhAccessStore         *self,
                                                            GhSession             *session,
                                                            gint64                 id,
                                                            GError               **error);
GhPermissionGroup    *gh_access_store_get_group            (GhAccessStore         *self,
                                                            gint64                 id,
                                                            GError               **error);
GPtrArray            *gh_access_store_list_groups          (GhAccessStore         *self,
                                                            GError               **error);
gboolean              gh_access_store_add_persons          (GhAccessStore         *self,
                                                            GhSession             *session,
                                                            gint64                 group_id,
                                                            const gint64          *person_ids,
                                                            guint                  n_persons,
                                                            GError               **error);
gboolean              gh_access_store_remove_persons       (GhAccessStore         *self,
                                                            GhSession             *session,
                                                            gint64                 group_id,
                                                            const gint64          *person_ids,
                                                            guint                  n_persons,
                                                            GError               **error);
gboolean              gh_access_store_add_departments      (GhAccessStore         *self,
                                                            GhSession             *session,
                                                            gint64                 group_id,
                                                            const gint64          *department_ids,
                                                            guint                  n_departments,
                                                            GError               **error);
gboolean              gh_access_store_remove_departments   (GhAccessStore         *self,
                                                            GhSession             *session,
                                                            gint64                 group_id,
                                                            const gint64          *department_ids,
                                                            guint                  n_departments,
                                                            GError               **error);
GArray               *gh_access_store_list_person_doors    (GhAccessStore         *self,
                                                            gint64                 person_id,
                                                            GError               **error);

G_END_DECLS
