/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

/**
 * GhDemoDevice:
 * @name: the device's name ("VTO-1-1")
 * @kind: "vto", "vth", "vts", "fence" or "villa"
 * @number: the device's own number: a VTO's or station's number ("8001"), or a VTH's room
 *   with an optional `#extension` ("1101", "1101#1")
 * @building: (nullable): building number of a VTO or VTH
 * @unit: (nullable): unit number of a VTO or VTH
 * @driver: the registered protocol driver that talks to the device
 * @host: address of the device's web service
 * @port: its TCP port
 * @username: login name
 * @password: login password (sealed by the store)
 * @model: (nullable): model the device reports
 * @serial: (nullable): serial number
 * @firmware: (nullable): firmware version
 * @doors: number of door relays
 *
 * One device of the demo community, as the simulator announces it.
 */
typedef struct {
  char *name;
  char *kind;
  char *number;
  char *building;
  char *unit;
  char *driver;
  char *host;
  int   port;
  char *username;
  char *password;
  char *model;
  char *serial;
  char *firmware;
  int   doors;
} GhDemoDevice;

GhDemoDevice *gh_demo_device_new  (void);
void          gh_demo_device_free (GhDemoDevice *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDemoDevice, gh_demo_device_free)

/**
 * GhDemoSeedSummary:
 * @n_devices: devices added
 * @n_rooms: rooms added
 * @n_numbers: registration numbers added
 * @n_persons: persons added
 * @n_cards: cards added
 * @n_groups: permission groups added
 *
 * What gh_demo_seed_run() added.
 */
typedef struct {
  guint n_devices;
  guint n_rooms;
  guint n_numbers;
  guint n_persons;
  guint n_cards;
  guint n_groups;
} GhDemoSeedSummary;

#define GH_DEMO_SEED_N_PERSONS    40
#define GH_DEMO_OPERATOR          "demo"
#define GH_DEMO_OPERATOR_PASSWORD "Linden-Court-26"  /* public: the demo's data is made up */

gboolean   gh_demo_seed_run                  (GhDatabase         *database,
                                              GhSession          *session,
                                              GPtrArray          *devices,
                                              GhDemoSeedSummary  *out_summary,
                                              GError            **error);
GhSession *gh_demo_seed_sign_in              (GhDatabase         *database,
                                              GError            **error);

G_END_DECLS
