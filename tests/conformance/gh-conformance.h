/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-c/json.h>

#include "gh-driver.h"
#include "sim-test-util.h"

G_BEGIN_DECLS

/*
 * The driver conformance harness: which registered drivers can be run against gatehouse-sim
 * (one profile per driver), the simulator as a child process, bounded waits for async
 * results and events, and the simulator's control API (behaviour, faults, stored state).
 * Nothing here names what a driver sends on the wire; the tests talk to drivers only through
 * the GhDriver seam and its ability interfaces.
 */

/**
 * GhConfProfile:
 * @driver: the registry name
 * @door_station: simulated door station for the ability tests (2 doors, rings @room)
 * @fault_station: door station that faults are injected on (nothing else uses it)
 * @records_station: door station seeded with @n_seed_records access rows
 * @monitor: indoor monitor of @room
 * @master: master station
 * @room: room that @monitor answers for
 * @n_seed_records: rows seeded on @records_station (more than one device page)
 * @tune: sets the driver's own knobs for short timers (heartbeats, reconnect delays, the
 *   media port) from the simulated device's endpoint line
 *
 * How one driver meets the simulator.
 */
typedef struct {
  const char *driver;
  const char *door_station;
  const char *fault_station;
  const char *records_station;
  const char *monitor;
  const char *master;
  const char *room;
  guint       n_seed_records;
  void      (*tune) (GhDriver    *driver,
                     json_object *endpoint);
} GhConfProfile;

typedef void (*GhConfTestFunc) (const GhConfProfile *profile);

/* Timeouts (ms). Every wait in the suite is bounded by one of these. */
#define GH_CONF_OP_MS      8000    /* one request, no fault */
#define GH_CONF_EVENT_MS   6000    /* a device event reaching the subscriber */
#define GH_CONF_LINK_MS    15000   /* a link state change (offline, back online) */
#define GH_CONF_REQUEST_MS 1500    /* the per-request time limit given to drivers */

void                 gh_conf_init              (int                 *argc,
                                                char              ***argv);
void                 gh_conf_add               (const char          *name,
                                                GhConfTestFunc       func);
int                  gh_conf_run               (void);

const char          *gh_conf_known_bug         (const GhConfProfile *profile,
                                                const char          *check);

SimProc             *gh_conf_sim               (const GhConfProfile *profile);
GhDriver            *gh_conf_driver_new        (const GhConfProfile *profile,
                                                const char          *device,
                                                const char          *password,
                                                guint                timeout_ms);

/* Async calls: every driver completes with a GTask; keep the result and finish later. */
typedef struct {
  GAsyncResult *result;  /* (owned) (nullable) */
} GhConfCall;

void                 gh_conf_call_cb           (GObject             *source,
                                                GAsyncResult        *result,
                                                gpointer             user_data);
GAsyncResult        *gh_conf_call_wait         (GhConfCall          *call,
                                                guint                timeout_ms,
                                                const char          *what);
void                 gh_conf_call_clear        (GhConfCall          *call);
void                 gh_conf_spin              (guint                ms);

void                 gh_conf_assert_error      (const GError        *error,
                                                int                  code,
                                                const char          *what);

/* Events delivered by one driver. */
typedef struct _GhConfEvents GhConfEvents;

GhConfEvents        *gh_conf_events_new        (GhDriver            *driver);
void                 gh_conf_events_free       (GhConfEvents        *self);
guint                gh_conf_events_mark       (GhConfEvents        *self);
GhEvent             *gh_conf_events_wait       (GhConfEvents        *self,
                                                guint                since,
                                                GhEventKind          kind,
                                                guint                timeout_ms);
const GhEvent       *gh_conf_events_get        (GhConfEvents        *self,
                                                guint                index);
guint                gh_conf_events_count      (GhConfEvents        *self,
                                                guint                since,
                                                GhEventKind          kind);
GhEventKind          gh_conf_events_link_state (GhConfEvents        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhConfEvents, gh_conf_events_free)

/* The simulator's control API. */
json_object         *gh_conf_ctl               (const GhConfProfile *profile,
                                                const char          *device,
                                                const char          *action,
                                                const char          *json);
gboolean             gh_conf_ctl_granted       (const GhConfProfile *profile,
                                                const char          *device,
                                                const char          *action,
                                                const char          *json);
json_object         *gh_conf_state             (const GhConfProfile *profile,
                                                const char          *device);
json_object         *gh_conf_stored            (const GhConfProfile *profile,
                                                const char          *device,
                                                const char          *store,
                                                const char          *key);
void                 gh_conf_fault             (const GhConfProfile *profile,
                                                const char          *device,
                                                const char          *json);
void                 gh_conf_fault_clear       (const GhConfProfile *profile,
                                                const char          *device);

G_END_DECLS
