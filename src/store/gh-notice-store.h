/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  char   *title;
  char   *body;
  gint64  start_time;  /* Unix seconds */
  gint64  created;
  GArray *device_ids;  /* (element-type gint64) the devices to show it */
} GhNotice;

GhNotice *gh_notice_new  (const char *title,
                          const char *body,
                          gint64      start_time);
void      gh_notice_free (GhNotice   *notice);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhNotice, gh_notice_free)

typedef struct {
  gint64  device_id;
  char   *device_name;
  char   *status;  /* pending, sent or failed */
  char   *error;   /* (nullable) */
  gint64  updated;
} GhNoticeDeviceStatus;

void gh_notice_device_status_free (GhNoticeDeviceStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhNoticeDeviceStatus, gh_notice_device_status_free)

#define GH_TYPE_NOTICE_STORE (gh_notice_store_get_type ())
G_DECLARE_FINAL_TYPE (GhNoticeStore, gh_notice_store, GH, NOTICE_STORE, GObject)

GhNoticeStore *gh_notice_store_new               (GhDatabase      *database);
gint64         gh_notice_store_add               (GhNoticeStore   *self,
                                                  GhSession       *session,
                                                  const GhNotice  *notice,
                                                  GError         **error);
gboolean       gh_notice_store_update            (GhNoticeStore   *self,
                                                  GhSession       *session,
                                                  const GhNotice  *notice,
                                                  GError         **error);
gboolean       gh_notice_store_remove            (GhNoticeStore   *self,
                                                  GhSession       *session,
                                                  gint64           id,
                                                  GError         **error);
gboolean       gh_notice_store_send              (GhNoticeStore   *self,
                                                  GhSession       *session,
                                                  gint64           id,
                                                  GError         **error);
gboolean       gh_notice_store_set_device_status (GhNoticeStore   *self,
                                                  GhSession       *session,
                                                  gint64           id,
                                                  gint64           device_id,
                                                  const char      *status,
                                                  const char      *error_text,
                                                  GError         **error);
GhNotice      *gh_notice_store_get               (GhNoticeStore   *self,
                                                  gint64           id,
                                                  GError         **error);
GPtrArray     *gh_notice_store_list              (GhNoticeStore   *self,
                                                  GError         **error);
GPtrArray     *gh_notice_store_list_device_status (GhNoticeStore  *self,
                                                   gint64          id,
                                                   GError        **error);

G_END_DECLS
