/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gh-sim-device.h"
#include "gh-sim-util.h"

#include <libsoup/soup.h>
#include <json-c/json.h>

G_BEGIN_DECLS

typedef struct _GhSimCommunity GhSimCommunity;

typedef enum {
  GH_SIM_CALL_RINGING,
  GH_SIM_CALL_TALKING,
  GH_SIM_CALL_ENDED,
} GhSimCallState;

/* One call from a door station to the monitors of a room; shared by every party. */
typedef struct {
  grefcount       ref;
  guint           id;
  GhSimDevice    *caller;    /* (owned) */
  GPtrArray      *callees;   /* (owned) (element-type GhSimDevice) */
  char           *room;      /* (owned) */
  GhSimCallState  state;
  gint64          begin_utc;
  gint64          answer_utc;
  guint           timeout_id;
} GhSimCall;

/* One attached eventManager stream. The connection is taken over from libsoup once the request
 * is accepted, so parts go straight to the socket as the device writes them. */
typedef struct {
  GhSimDevice       *device;    /* (borrowed) */
  GIOStream         *io;        /* (owned) */
  GIOStream         *tls;       /* (owned) (nullable) HTTPS mode: the TLS layer under @io */
  GSocket           *socket;    /* (owned) */
  GByteArray        *pending;   /* (owned) bytes the socket would not take yet */
  GSource           *out;       /* (owned) (nullable) waits until the socket is writable */
  char             **codes;     /* (owned) (nullable): NULL = all */
  guint              heartbeat; /* seconds, 0 = none */
  gint64             next_beat; /* monotonic µs */
  guint              replay_id;
  gboolean           closed;
} GhSimStream;

typedef struct {
  guint32  id;
  char    *random;   /* (owned) */
  gboolean logged_in;
  gint64   last_used; /* monotonic µs */
} GhSimRpcSession;

struct _GhSimDevice {
  GObject          parent_instance;

  GhSimCommunity  *community;      /* (borrowed) */
  char            *name;           /* (owned) */
  GhSimDeviceKind  kind;
  char            *number;         /* (owned) */
  char            *model;          /* (owned) */
  char            *serial;         /* (owned) */
  char            *firmware;       /* (owned) */
  char            *build_date;     /* (owned) */
  char            *username;       /* (owned) */
  char            *password;       /* (owned) */
  char            *building;       /* (owned) */
  char            *unit;           /* (owned) */
  char            *boundary;       /* (owned) */
  char            *mac;            /* (owned) */
  gboolean         basic_auth;
  gboolean         replay_on_attach;
  gboolean         stamp_events;
  guint            store_us_per_record; /* time the device takes to store a pushed record */   /* add GhSimSentUs (CLOCK_MONOTONIC µs) to every event */
  guint64          load_sequence;  /* events emitted by the load generator */
  guint            doors;
  guint            requested_port;
  guint            port;
  guint            ring_timeout_ms;
  guint            hold_ms;
  guint            lock_times;
  guint            lock_seconds;
  guint            session_timeout;
  guint            sip_report_seconds; /* 0 = never */
  gint64           clock_offset;   /* seconds added to the host clock */

  SoupServer      *server;         /* (owned) */
  GSocket         *listener;       /* (borrowed) owned by the community's acceptor */
  GPtrArray       *streams;        /* (owned) (element-type GhSimStream) */
  GList           *active_starts;  /* (owned) (element-type char*): bodies of active Start events */
  guint            next_call_id;
  gint64           next_sip_report; /* monotonic µs of the next SIPRegisterResult */

  GhSimConfig     *config;         /* (owned) */
  GHashTable      *tables;         /* (owned) name → GhSimTable */
  json_object     *stores;         /* (owned) AccessUser/AccessCard/AccessFace/AccessFingerprint:
                                    * id → the record as JSON text (gh_sim_store_*) */
  GHashTable      *finds;          /* (owned) token → json_object array of matches */
  guint            next_token;
  GHashTable      *rpc_sessions;   /* (owned) id → GhSimRpcSession */
  GHashTable      *rpc_objects;    /* (owned) id → char* kind (or table name for finders) */
  GHashTable      *rpc_cursors;    /* (owned) id → offset into a finder's matches */
  GHashTable      *rpc_finds;      /* (owned) id → json_object array */
  guint32          next_object;
  GByteArray      *audio;          /* (owned) postAudio bytes */
  gboolean        *door_open;      /* (owned) */
  guint           *door_close_id;  /* (owned) */
  gboolean        *alarm_active;   /* (owned) 8 inputs */
  gboolean         tamper;

  GhSimCall       *call;           /* (owned) (nullable) */

  char            *nonce_secret;   /* (owned) */
  guint            auth_failures;
  gint64           locked_until;   /* monotonic µs */

  /* Faults injected over the control interface */
  gboolean         fault_offline;
  guint            fault_slow_ms;
  gboolean         fault_silent;
  gboolean         fault_http_500;
  gboolean         fault_malformed;
  gboolean         fault_auth;
  guint            reboot_id;

  gpointer         rtsp;           /* (owned) (nullable) GhSimRtsp */
  GSocket         *rtsp_listener;  /* (borrowed) (nullable) its port, in the community's acceptor */

  /* HTTPS mode ("https": true): NULL = plain HTTP */
  GTlsCertificate *tls_certificate; /* (owned) (nullable) */
  guint            tls_rotations;
  guint            credentialed_requests; /* Authorization headers since the last rotation */
};

GhSimDevice *gh_sim_device_new_from_json     (GhSimCommunity *community,
                                              json_object    *desc,
                                              json_object    *defaults,
                                              GError        **error);
gboolean     gh_sim_device_start             (GhSimDevice    *self,
                                              GError        **error);
void         gh_sim_device_stop              (GhSimDevice    *self);
void         gh_sim_device_tick              (GhSimDevice    *self,
                                              gint64          now);
void         gh_sim_device_emit              (GhSimDevice    *self,
                                              const char     *code,
                                              const char     *action,
                                              int             index,
                                              json_object    *data);
gint64       gh_sim_device_local_time        (GhSimDevice    *self);
GhSimTable  *gh_sim_device_get_table         (GhSimDevice    *self,
                                              const char     *name);
gboolean     gh_sim_device_is_record_name    (const char     *name);
gboolean     gh_sim_device_remote_open       (GhSimDevice    *self,
                                              guint           door,
                                              const char     *user_id,
                                              GError        **error);
gboolean     gh_sim_device_remote_close      (GhSimDevice    *self,
                                              guint           door,
                                              GError        **error);
const char  *gh_sim_device_call_state        (GhSimDevice    *self);
void         gh_sim_device_changed           (GhSimDevice    *self);
json_object *gh_sim_device_to_state          (GhSimDevice    *self);
void         gh_sim_device_load_state        (GhSimDevice    *self,
                                              json_object    *state);

/* gh-sim-device-http.c */
gboolean     gh_sim_device_http_listen       (GhSimDevice    *self,
                                              GError        **error);
void         gh_sim_device_http_disconnect   (GhSimDevice    *self);
void         gh_sim_device_streams_write     (GhSimDevice    *self,
                                              const char     *code,
                                              const char     *body);
void         gh_sim_device_streams_close     (GhSimDevice    *self);
void         gh_sim_stream_write             (GhSimStream    *stream,
                                              const char     *body);
void         gh_sim_stream_check_peer        (GhSimStream    *stream);
void         gh_sim_device_add_handlers      (GhSimDevice    *self);
gboolean     gh_sim_device_rotate_certificate (GhSimDevice   *self,
                                              GError        **error);
char        *gh_sim_device_dup_tls_json      (GhSimDevice    *self);
void         gh_sim_reply_text               (SoupServerMessage *msg,
                                              GhSimDevice    *self,
                                              guint           status,
                                              const char     *body);

/* gh-sim-device-rpc.c */
void         gh_sim_device_handle_rpc_login  (GhSimDevice       *self,
                                              SoupServerMessage *msg);
void         gh_sim_device_handle_rpc        (GhSimDevice       *self,
                                              SoupServerMessage *msg);

/* gh-sim-snapshot.c */
GBytes      *gh_sim_snapshot_render          (const char     *label,
                                              GError        **error);

/* gh-sim-community.c (private) */
GPtrArray   *gh_sim_community_find_room      (GhSimCommunity *community,
                                              const char     *room);
void         gh_sim_community_schedule_save  (GhSimCommunity *community);
struct _GhSimAcceptor *gh_sim_community_get_acceptor (GhSimCommunity *community);
void gh_sim_device_emit_load_event (GhSimDevice *self);

/* Stored access records (users, cards, faces, fingerprints) are kept as JSON text: a parsed
 * tree per record took ~1.5 KB, and 100 door stations hold two million records. */
void         gh_sim_store_set     (json_object *items,
                                   const char  *id,
                                   json_object *record);
json_object *gh_sim_store_parse   (json_object *stored);
json_object *gh_sim_store_get     (GhSimDevice *self,
                                   const char  *store,
                                   const char  *id);
gboolean     gh_sim_store_may_hold (json_object *stored,
                                    const char  *value);
gboolean     gh_sim_community_has_monitors   (GhSimCommunity *community);

G_END_DECLS
