/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

#define GH_AUTH_DEFAULT_MAX_FAILURES     5
#define GH_AUTH_DEFAULT_LOCKOUT_SECONDS  300
#define GH_AUTH_DEFAULT_IDLE_LOCK        600
#define GH_AUTH_MIN_KDF_ITERATIONS       1000
#define GH_AUTH_MAX_PASSWORD_AGE_DAYS    3650

/**
 * GhAuthPolicy:
 * @max_failures: failed sign-ins in a row that lock an account (1–100; default 5)
 * @lockout_seconds: how long a locked account stays locked (10 s – 1 day; default 300)
 * @kdf_iterations: PBKDF2-SHA256 iterations for new password hashes (default 600,000; at
 *   least 1,000; lower than the default only makes sense for tests)
 * @idle_lock_seconds: the GUI locks a session idle this long; 0 = never (default 600)
 * @password_max_age_days: after this many days an operator must choose a new password at the
 *   next sign-in; 0 = never (default 0)
 *
 * The sign-in rules of a database, kept in its settings table so they survive restarts and
 * are the same for every surface.
 */
typedef struct {
  guint max_failures;
  guint lockout_seconds;
  guint kdf_iterations;
  guint idle_lock_seconds;
  guint password_max_age_days;
} GhAuthPolicy;

void       gh_auth_get_policy                  (GhDatabase          *database,
                                                GhAuthPolicy        *out_policy);
gboolean   gh_auth_set_policy                  (GhDatabase          *database,
                                                GhSession           *session,
                                                const GhAuthPolicy  *policy,
                                                GError             **error);

gboolean   gh_auth_has_operators               (GhDatabase          *database,
                                                GError             **error);
GhSession *gh_auth_create_first_administrator  (GhDatabase          *database,
                                                const char          *username,
                                                const char          *password,
                                                const char          *surface,
                                                GError             **error);
GhSession *gh_auth_login                       (GhDatabase          *database,
                                                const char          *username,
                                                const char          *password,
                                                const char          *surface,
                                                GError             **error);
GhSession *gh_auth_login_at                    (GhDatabase          *database,
                                                const char          *username,
                                                const char          *password,
                                                const char          *surface,
                                                gint64               now,
                                                GError             **error);
gboolean   gh_auth_logout                      (GhDatabase          *database,
                                                GhSession           *session,
                                                const char          *reason,
                                                GError             **error);
gboolean   gh_auth_change_password             (GhDatabase          *database,
                                                GhSession           *session,
                                                const char          *old_password,
                                                const char          *new_password,
                                                GError             **error);
gboolean   gh_auth_change_password_at          (GhDatabase          *database,
                                                GhSession           *session,
                                                const char          *old_password,
                                                const char          *new_password,
                                                gint64               now,
                                                GError             **error);
gboolean   gh_auth_must_change_password        (GhDatabase          *database,
                                                GhSession           *session);
gboolean   gh_auth_must_change_password_at     (GhDatabase          *database,
                                                GhSession           *session,
                                                gint64               now);

G_END_DECLS
