/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

/* Plain data only: this header is included next to the driver types, so it declares no
 * GhPerson, GhCard or GhRegistration of its own. */

typedef enum {
  GH_SYNC_ACTION_NONE,    /* nothing to send: the device neither has nor should have it */
  GH_SYNC_ACTION_UPSERT,  /* send the current object */
  GH_SYNC_ACTION_DELETE,  /* remove @device_key from the device */
} GhSyncAction;

/**
 * GhSyncItem:
 *
 * One claimed task, resolved against what the device should hold and what it was last sent.
 */
typedef struct {
  gint64        task_id;
  gint64        device_id;
  char         *object_kind;  /* person, room-password, registration-number, notice */
  gint64        object_id;
  GhSyncAction  action;
  char         *device_key;   /* the object's name on the device (person ID, room number, …) */
  char         *hash;         /* (nullable) the content hash of an upsert */
  char         *content;      /* (nullable) persons: the hash of the person apart from the
                               * device (doors), the same on every device */
  char         *ledger_key;   /* (nullable) an upsert's key on the device when last sent */
  guint32       doors;        /* persons: bit n = door n of the device */
  int           attempts;     /* attempts before this one */
  gint64        data_version; /* the database's data_version when claimed */
  int           generation;   /* how many plans this process had computed when claimed */
  guint         claimed_by;   /* which GhSyncPlan instance claimed it */
} GhSyncItem;

void gh_sync_item_free (GhSyncItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhSyncItem, gh_sync_item_free)

typedef struct {
  char     *number;  /* canonical hexadecimal */
  char     *kind;    /* ordinary, main or duress */
  gboolean  frozen;
} GhSyncCardData;

typedef struct {
  gint64     object_id;
  char      *person_key;    /* persons.person_id, the ID on the device */
  char      *name;
  char      *room;          /* (nullable) */
  gint64     valid_from;    /* 0 for none */
  gint64     valid_to;      /* 0 for none */
  char      *password;      /* (nullable) */
  GPtrArray *cards;         /* (element-type GhSyncCardData) */
  GPtrArray *faces;         /* (element-type GBytes) */
  GPtrArray *fingerprints;  /* (element-type GBytes) */
} GhSyncPersonData;

void gh_sync_person_data_free (GhSyncPersonData *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhSyncPersonData, gh_sync_person_data_free)

typedef struct {
  gint64  object_id;
  char   *room;
  char   *password;
} GhSyncRoomPasswordData;

typedef struct {
  gint64  object_id;
  char   *kind;     /* vto, vth, vts, fence or villa */
  char   *number;
  char   *name;     /* the registered device's name */
  char   *address;  /* the registered device's host */
} GhSyncRegistrationData;

typedef struct {
  gint64  object_id;
  char   *title;
  char   *body;
  gint64  start_time;
} GhSyncNoticeData;

void gh_sync_room_password_data_free (GhSyncRoomPasswordData *data);
void gh_sync_registration_data_free  (GhSyncRegistrationData *data);
void gh_sync_notice_data_free        (GhSyncNoticeData       *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhSyncRoomPasswordData, gh_sync_room_password_data_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhSyncRegistrationData, gh_sync_registration_data_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhSyncNoticeData, gh_sync_notice_data_free)

/**
 * GhSyncProgress:
 *
 * One row of the authorization progress page: a device's push queue.
 */
typedef struct {
  gint64  device_id;
  char   *device_name;
  guint   pending;     /* waiting, including running */
  guint   done;
  guint   failed;
  char   *last_error;  /* (nullable) the newest failure reason */
} GhSyncProgress;

void gh_sync_progress_free (GhSyncProgress *progress);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhSyncProgress, gh_sync_progress_free)

#define GH_TYPE_SYNC_PLAN (gh_sync_plan_get_type ())
G_DECLARE_FINAL_TYPE (GhSyncPlan, gh_sync_plan, GH, SYNC_PLAN, GObject)

/* Called by gh_sync_plan_compute(), on its thread, after each device's plan is saved. */
typedef void (*GhSyncPlanDeviceFunc) (gint64   device_id,
                                      gpointer user_data);

GhSyncPlan *gh_sync_plan_new                 (GhDatabase   *database);
GhSyncPlan *gh_sync_plan_new_sharing         (GhDatabase   *database,
                                              GhSyncPlan   *other);
gint64      gh_sync_plan_get_planned_changes (GhSyncPlan   *self);
gboolean    gh_sync_plan_compute             (GhSyncPlan   *self,
                                              GhSession    *session,
                                              gint64        device_id,
                                              GhSyncPlanDeviceFunc
                                                            planned,
                                              gpointer      user_data,
                                              guint        *out_upserts,
                                              guint        *out_deletes,
                                              GError      **error);
GPtrArray  *gh_sync_plan_claim               (GhSyncPlan   *self,
                                              GhSession    *session,
                                              gint64        device_id,
                                              gint64        now,
                                              guint         limit,
                                              GError      **error);
void        gh_sync_plan_release             (GhSyncPlan   *self,
                                              gint64        device_id);
gboolean    gh_sync_plan_finish              (GhSyncPlan   *self,
                                              GhSession    *session,
                                              GPtrArray    *items,
                                              const char   *failure,
                                              gint64        retry_at,
                                              GError      **error);
guint       gh_sync_plan_defer_device        (GhSyncPlan   *self,
                                              GhSession    *session,
                                              gint64        device_id,
                                              gint64        now,
                                              const char   *reason,
                                              gint64        retry_at,
                                              GError      **error);
GArray     *gh_sync_plan_list_due_devices    (GhSyncPlan   *self,
                                              gint64        device_id,
                                              gint64        now,
                                              GError      **error);
gint64      gh_sync_plan_get_next_due        (GhSyncPlan   *self);
GPtrArray  *gh_sync_plan_list_progress       (GhSyncPlan   *self,
                                              gint64        device_id,
                                              GError      **error);
guint       gh_sync_plan_count_pushed        (GhSyncPlan   *self,
                                              gint64        device_id,
                                              const char   *object_kind);

GPtrArray  *gh_sync_plan_load_persons        (GhSyncPlan   *self,
                                              GPtrArray    *items,
                                              GError      **error);
GPtrArray  *gh_sync_plan_load_room_passwords (GhSyncPlan   *self,
                                              GPtrArray    *items,
                                              GError      **error);
GPtrArray  *gh_sync_plan_load_registrations  (GhSyncPlan   *self,
                                              GPtrArray    *items,
                                              GError      **error);
GPtrArray  *gh_sync_plan_load_notices        (GhSyncPlan   *self,
                                              GPtrArray    *items,
                                              GError      **error);

G_END_DECLS
