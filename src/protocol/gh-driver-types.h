/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "gh-card-number.h"
#include "gh-event.h"

G_BEGIN_DECLS

/* Plain data that crosses the driver seam. None of it names a vendor. */

typedef enum {
  GH_DEVICE_KIND_UNKNOWN,
  GH_DEVICE_KIND_DOOR_STATION,    /* outdoor station (VTO class) */
  GH_DEVICE_KIND_INDOOR_MONITOR,  /* room monitor (VTH class) */
  GH_DEVICE_KIND_MASTER_STATION,  /* guard/master station (VTS class) */
  GH_DEVICE_KIND_ACCESS_CONTROLLER,
} GhDeviceKind;

typedef enum {
  GH_DOOR_ACTION_OPEN,
  GH_DOOR_ACTION_CLOSE,
  GH_DOOR_ACTION_ALWAYS_OPEN,
  GH_DOOR_ACTION_RESTORE,
} GhDoorAction;

typedef enum {
  GH_RECORD_KIND_CALL,
  GH_RECORD_KIND_ACCESS,
  GH_RECORD_KIND_ALARM,
} GhRecordKind;

typedef enum {
  GH_CALL_STATE_UNKNOWN,
  GH_CALL_STATE_IDLE,
  GH_CALL_STATE_RINGING,
  GH_CALL_STATE_TALKING,
} GhCallState;

typedef enum {
  GH_TALK_BACK_NONE,
  GH_TALK_BACK_RTSP_BACKCHANNEL,
  GH_TALK_BACK_HTTP_UPLOAD,
} GhTalkBackMethod;

typedef enum {
  GH_REGISTRATION_ROOM,            /* an indoor monitor's room number */
  GH_REGISTRATION_DOOR_STATION,    /* a door station's number */
  GH_REGISTRATION_MASTER_STATION,  /* a master station's number */
} GhRegistrationKind;

/**
 * GhProbeInfo:
 *
 * What a device says about itself.
 */
typedef struct {
  GhDeviceKind  kind;
  char         *model;     /* (owned) */
  char         *serial;    /* (owned) */
  char         *firmware;  /* (owned) */
  guint         door_count;
  gint64        clock_offset_s;  /* device wall clock minus local wall clock, in seconds */
} GhProbeInfo;

typedef struct {
  char        *number;  /* (owned) */
  GhCardKind   kind;
  gboolean     lost;
} GhDeviceCard;

/**
 * GhDevicePerson:
 *
 * A person as pushed to devices: identity, validity and credentials. Face and fingerprint
 * templates are opaque #GBytes (JPEG for faces).
 */
typedef struct {
  char       *id;            /* (owned) */
  char       *name;          /* (owned) */
  char       *room;          /* (owned) (nullable) */
  gint64      valid_from;    /* unix seconds, 0 = no limit */
  gint64      valid_to;      /* unix seconds, 0 = no limit */
  char       *password;      /* (owned) (nullable) */
  guint32     doors;         /* bit n = door n; 0 = all doors */
  GPtrArray  *cards;         /* (owned) (element-type GhDeviceCard) */
  GPtrArray  *faces;         /* (owned) (element-type GBytes) */
  GPtrArray  *fingerprints;  /* (owned) (element-type GBytes) */
} GhDevicePerson;

typedef struct {
  GhRegistrationKind  kind;
  char               *number;   /* (owned) room "101#0", station "8001" */
  char               *name;     /* (owned) (nullable) */
  char               *address;  /* (owned) (nullable) IP address of the registered device */
} GhDeviceRegistration;

typedef struct {
  char   *title;        /* (owned) */
  char   *body;         /* (owned) */
  char   *target_room;  /* (owned) (nullable) NULL = every room */
  gint64  issue_time;   /* unix seconds */
  gint64  expire_time;  /* unix seconds, 0 = never */
  char   *device_key;   /* (owned) (nullable) the key an earlier push of this notice returned:
                         * the driver replaces that notice instead of adding another */
} GhDeviceNotice;

/**
 * GhDeviceRecord:
 *
 * One row of a device log (calls, access, alarms), normalized. @key identifies the row on that
 * device across fetches so repeated fetches can be de-duplicated.
 */
typedef struct {
  GhRecordKind    kind;
  char           *key;          /* (owned) */
  gint64          time;         /* unix seconds, UTC */
  int             door;         /* 0-based, -1 none */
  GhAccessMethod  method;
  gboolean        granted;      /* access: opened; call: answered */
  char           *credential;   /* (owned) (nullable) */
  char           *person_id;    /* (owned) (nullable) */
  char           *person_name;  /* (owned) (nullable) */
  char           *room;         /* (owned) (nullable) peer room of a call, room of a person */
  char           *local_number; /* (owned) (nullable) the device's own number in a call */
  gboolean        outgoing;     /* call placed by the device */
  guint           duration_s;   /* talk time */
  char           *raw;          /* (owned) device fields as JSON, for diagnosis */
} GhDeviceRecord;

/**
 * GhDeviceRecordBatch:
 * @records: (element-type GhDeviceRecord): new records, oldest first
 * @cursor: opaque text to pass to the next fetch so only newer records come back
 */
typedef struct {
  GPtrArray *records;  /* (owned) */
  char      *cursor;   /* (owned) */
} GhDeviceRecordBatch;

const char     *gh_device_kind_to_string   (GhDeviceKind        kind);
const char     *gh_record_kind_to_string   (GhRecordKind        kind);
const char     *gh_call_state_to_string    (GhCallState         state);

GhProbeInfo    *gh_probe_info_new          (void);
void            gh_probe_info_free         (GhProbeInfo        *self);
GhDeviceCard         *gh_device_card_new                (const char         *number,
                                            GhCardKind          kind);
void            gh_device_card_free               (GhDeviceCard             *self);
GhDevicePerson       *gh_device_person_new              (const char         *id,
                                            const char         *name);
void            gh_device_person_free             (GhDevicePerson           *self);
GhDeviceRegistration *gh_device_registration_new        (GhRegistrationKind  kind,
                                            const char         *number);
void            gh_device_registration_free       (GhDeviceRegistration     *self);
GhDeviceNotice       *gh_device_notice_new              (const char         *title,
                                            const char         *body);
void            gh_device_notice_free             (GhDeviceNotice           *self);
GhDeviceRecord       *gh_device_record_new              (GhRecordKind        kind);
void            gh_device_record_free             (GhDeviceRecord           *self);
GhDeviceRecordBatch  *gh_device_record_batch_new        (void);
void            gh_device_record_batch_free       (GhDeviceRecordBatch      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhProbeInfo, gh_probe_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDeviceCard, gh_device_card_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDevicePerson, gh_device_person_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDeviceRegistration, gh_device_registration_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDeviceNotice, gh_device_notice_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDeviceRecord, gh_device_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDeviceRecordBatch, gh_device_record_batch_free)

G_END_DECLS
