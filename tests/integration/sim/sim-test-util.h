/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gio/gio.h>
#include <json-c/json.h>

G_BEGIN_DECLS

/* A small community with short timers so behaviour tests run in seconds. */
#define SIM_TEST_COMMUNITY \
  "{\"defaults\":{\"username\":\"admin\",\"password\":\"admin123\"," \
  "\"ring_timeout_ms\":1200,\"unlock_hold_ms\":300,\"lock_login_times\":3," \
  "\"lock_seconds\":2,\"session_timeout\":2}," \
  "\"devices\":[" \
  "{\"name\":\"VTO-A\",\"kind\":\"vto\",\"number\":\"8001\",\"serial\":\"SIMVTOA0001\"," \
  "\"model\":\"VTO2211G-WP\",\"firmware\":\"4.511.0000000.0.R\",\"doors\":2}," \
  "{\"name\":\"VTO-LOCK\",\"kind\":\"vto\",\"number\":\"8003\",\"serial\":\"SIMVTOL0003\"," \
  "\"sip_report_seconds\":1}," \
  "{\"name\":\"VTO-BASIC\",\"kind\":\"vto\",\"number\":\"8002\",\"auth\":\"basic\"," \
  "\"password\":\"basic99\"}," \
  "{\"name\":\"VTH-1101\",\"kind\":\"vth\",\"number\":\"1101\",\"serial\":\"SIMVTH1101\"}," \
  "{\"name\":\"VTH-1101-2\",\"kind\":\"vth\",\"number\":\"1101#1\"}," \
  "{\"name\":\"FENCE-1\",\"kind\":\"fence\",\"number\":\"9001\",\"doors\":1}," \
  "{\"name\":\"VTS-1\",\"kind\":\"vts\",\"number\":\"101\"}" \
  "]}"

typedef struct {
  GSubprocess *process;
  GHashTable  *devices;  /* name → json_object (endpoint line) */
  char        *control;
  char        *dir;
} SimProc;

typedef struct {
  long     status;
  GString *body;
  GString *headers;
} SimReply;

typedef enum {
  SIM_AUTH_NONE,
  SIM_AUTH_DIGEST,
  SIM_AUTH_BASIC,
} SimAuth;

SimProc    *sim_proc_start       (const char *community_json,
                                  const char *const *extra_args);
void        sim_proc_stop        (SimProc    *sim);
const char *sim_http             (SimProc    *sim,
                                  const char *device);
const char *sim_field            (SimProc    *sim,
                                  const char *device,
                                  const char *field);

SimReply   *sim_get              (const char *url,
                                  SimAuth     auth,
                                  const char *user,
                                  const char *password);
SimReply   *sim_post             (const char *url,
                                  SimAuth     auth,
                                  const char *user,
                                  const char *password,
                                  const char *content_type,
                                  const char *body,
                                  gsize       length);
SimReply   *sim_cgi              (SimProc    *sim,
                                  const char *device,
                                  const char *path_and_query);
SimReply   *sim_cgi_post         (SimProc    *sim,
                                  const char *device,
                                  const char *path_and_query,
                                  const char *json);
json_object *sim_ctl             (SimProc    *sim,
                                  const char *device,
                                  const char *action,
                                  const char *json,
                                  long       *status);
json_object *sim_state           (SimProc    *sim,
                                  const char *device);
gint64      sim_cpu_ticks        (GPid        pid);
void        sim_reply_free       (SimReply   *reply);
char       *sim_kv               (const char *body,
                                  const char *key);

/* An attached event stream read on a thread. */
typedef struct _SimStream SimStream;

SimStream  *sim_stream_open      (SimProc    *sim,
                                  const char *device,
                                  const char *query);
gboolean    sim_stream_wait      (SimStream  *stream,
                                  const char *needle,
                                  guint       timeout_ms);
gboolean    sim_stream_is_done   (SimStream  *stream);
guint       sim_stream_count     (SimStream  *stream,
                                  const char *needle);
char       *sim_stream_dup_text  (SimStream  *stream);
char       *sim_stream_dup_headers (SimStream *stream);
void        sim_stream_clear     (SimStream  *stream);
void        sim_stream_close     (SimStream  *stream);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimReply, sim_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_object, json_object_put)

G_END_DECLS
