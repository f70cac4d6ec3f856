/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

void       gh_auth_worker_login_async                (GhDatabase           *database,
                                                      const char           *username,
                                                      const char           *password,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GhSession *gh_auth_worker_login_finish               (GAsyncResult         *result,
                                                      GError              **error);
void       gh_auth_worker_create_administrator_async (GhDatabase           *database,
                                                      const char           *username,
                                                      const char           *password,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GhSession *gh_auth_worker_create_administrator_finish (GAsyncResult        *result,
                                                       GError             **error);
void       gh_auth_worker_change_password_async      (GhDatabase           *database,
                                                      GhSession            *session,
                                                      const char           *old_password,
                                                      const char           *new_password,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void       gh_auth_worker_add_operator_async         (GhDatabase           *database,
                                                      GhSession            *session,
                                                      const char           *username,
                                                      const char           *password,
                                                      GhRole                role,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void       gh_auth_worker_reset_password_async       (GhDatabase           *database,
                                                      GhSession            *session,
                                                      gint64                operator_id,
                                                      const char           *new_password,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean   gh_auth_worker_finish                     (GAsyncResult         *result,
                                                      GError              **error);

G_END_DECLS
