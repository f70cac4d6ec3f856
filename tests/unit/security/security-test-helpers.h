/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gh-database.h"
#include "gh-key-store.h"
#include "gh-session.h"

G_BEGIN_DECLS

/* Low iteration count for tests that are not about the KDF itself. */
#define SECURITY_TEST_KDF_ITERATIONS 1000

typedef struct {
  char        *dir;       /* data folder */
  char        *path;      /* gatehouse.db */
  GhKeyStore  *keys;
  GhDatabase  *database;
  GhSession   *system;
} SecurityFixture;

void     security_test_init          (int             *argc,
                                      char          ***argv);
char    *security_test_make_dir      (void);
void     security_test_remove_dir    (const char      *dir);
void     security_fixture_setup      (SecurityFixture *fixture,
                                      gconstpointer    data);
void     security_fixture_teardown   (SecurityFixture *fixture,
                                      gconstpointer    data);
void     security_fixture_reopen     (SecurityFixture *fixture);
gint64   security_test_count         (GhDatabase      *database,
                                      const char      *table);
guint8  *security_test_find          (gconstpointer    haystack,
                                      gsize            len,
                                      const char      *needle);
gboolean security_test_contains      (gconstpointer    haystack,
                                      gsize            len,
                                      const char      *needle);

G_END_DECLS
