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

void   store_fixture_setup    (StoreFixture  *fixture,
                               gconstpointer  data);
void   store_fixture_teardown (StoreFixture  *fixture,
                               gconstpointer  data);
char  *store_test_make_dir    (void);
void   store_test_remove_dir  (const char    *dir);
gint64 store_test_count       (GhDatabase    *database,
                               const char    *table);

G_END_DECLS
