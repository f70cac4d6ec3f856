/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

typedef struct {
  char       *dir;       /* (owned) temporary folder, removed on teardown */
  char       *path;      /* (owned) database file inside dir */
  GhDatabase *database;  /* (owned) */
  GhSession  *admin;     /* (owned) */
  GhSession  *guard;     /* (owned) */
} StoreFixture;

/* A community with building 11, unit 01, room 11, a VTO (11#01#8055), a VTH in the room
 * (11#01#11#5) and a VTS. */
typedef struct {
  StoreFixture  base;
  gint64        building;
  gint64        unit;
  gint64        room;
  gint64        vto;
  gint64        vth;
  gint64        vts;
} CommunityFixture;

void   community_fixture_setup    (CommunityFixture *fixture,
                                   gconstpointer     data);
void   community_fixture_teardown (CommunityFixture *fixture,
                                   gconstpointer     data);
gint64 store_test_add_device      (GhDatabase       *database,
                                   GhSession        *session,
                                   const char       *kind,
                                   const char       *host);

void   store_fixture_setup    (StoreFixture  *fixture,
                               gconstpointer  data);
void   store_fixture_teardown (StoreFixture  *fixture,
                               gconstpointer  data);
char  *store_test_make_dir    (void);
void   store_test_remove_dir  (const char    *dir);
gint64 store_test_count       (GhDatabase    *database,
                               const char    *table);

G_END_DECLS
