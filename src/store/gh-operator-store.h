/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

#define GH_OPERATOR_USERNAME_MAX 64

/**
 * GhOperator:
 * @id: operators.id
 * @username: the sign-in name (unique without regard to case)
 * @role: what the account may do
 * @disabled: the account may not sign in
 * @must_change_password: an administrator set the password; the owner must choose a new one
 *   right after signing in
 * @failed_attempts: failed sign-ins since the last success or lock
 * @locked_until: Unix seconds until which sign-in is refused, or 0
 * @created: Unix seconds
 * @last_login: Unix seconds of the last successful sign-in, or 0
 * @password_changed: Unix seconds when the password was last set
 *
 * An operator account. It never carries the password hash.
 */
typedef struct {
  gint64    id;
  char     *username;
  GhRole    role;
  gboolean  disabled;
  gboolean  must_change_password;
  guint     failed_attempts;
  gint64    locked_until;
  gint64    created;
  gint64    last_login;
  gint64    password_changed;
} GhOperator;

void gh_operator_free (GhOperator *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhOperator, gh_operator_free)

#define GH_TYPE_OPERATOR_STORE (gh_operator_store_get_type ())
G_DECLARE_FINAL_TYPE (GhOperatorStore, gh_operator_store, GH, OPERATOR_STORE, GObject)

GhOperatorStore *gh_operator_store_new            (GhDatabase       *database);
gboolean         gh_operator_store_check_username (const char       *username,
                                                   GError          **error);
gint64           gh_operator_store_add            (GhOperatorStore  *self,
                                                   GhSession        *session,
                                                   const char       *username,
                                                   const char       *password,
                                                   GhRole            role,
                                                   GError          **error);
GPtrArray       *gh_operator_store_list           (GhOperatorStore  *self,
                                                   GhSession        *session,
                                                   GError          **error);
GhOperator      *gh_operator_store_get            (GhOperatorStore  *self,
                                                   GhSession        *session,
                                                   gint64            id,
                                                   GError          **error);
GhOperator      *gh_operator_store_find           (GhOperatorStore  *self,
                                                   GhSession        *session,
                                                   const char       *username,
                                                   GError          **error);
gboolean         gh_operator_store_set_role       (GhOperatorStore  *self,
                                                   GhSession        *session,
                                                   gint64            id,
                                                   GhRole            role,
                                                   GError          **error);
gboolean         gh_operator_store_set_disabled   (GhOperatorStore  *self,
                                                   GhSession        *session,
                                                   gint64            id,
                                                   gboolean          disabled,
                                                   GError          **error);
gboolean         gh_operator_store_reset_password (GhOperatorStore  *self,
                                                   GhSession        *session,
                                                   gint64            id,
                                                   const char       *new_password,
                                                   GError          **error);
gboolean         gh_operator_store_unlock         (GhOperatorStore  *self,
                                                   GhSession        *session,
                                                   gint64            id,
                                                   GError          **error);

G_END_DECLS
