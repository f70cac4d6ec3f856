/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-auth-worker"

#include "config.h"

#include "gh-auth-worker.h"

#include "gh-auth.h"
#include "gh-operator-store.h"

#include <string.h>

/*
 * The sign-in operations of the GUI, run in a worker thread with its own database connection:
 * checking or hashing a password takes hundreds of milliseconds by design, and the window
 * must keep drawing meanwhile. Views that list operators reload them when a call finishes.
 */

typedef enum {
  OP_LOGIN,
  OP_CREATE_ADMINISTRATOR,
  OP_CHANGE_PASSWORD,
  OP_ADD_OPERATOR,
  OP_RESET_PASSWORD,
} Op;

typedef struct {
  Op         op;
  char      *path;         /* (owned) */
  GhSession *session;      /* (owned) (nullable) */
  char      *username;     /* (owned) (nullable) */
  char      *password;     /* (owned) (nullable) */
  char      *new_password; /* (owned) (nullable) */
  GhRole     role;
  gint64     operator_id;
} Work;

static void
clear_secret (char **secret)
{
  if (*secret == NULL)
    return;
  /* Volatile so the compiler keeps the wipe of memory about to be freed. */
  for (volatile char *p = *secret; *p != '\0'; p++)
    *p = '\0';
  g_clear_pointer (secret, g_free);
}

static void
work_free (gpointer data)
{
  Work *work = data;

  g_free (work->path);
  g_clear_object (&work->session);
  g_free (work->username);
  clear_secret (&work->password);
  clear_secret (&work->new_password);
  g_free (work);
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Work *work = task_data;
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhOperatorStore) operators = NULL;
  g_autoptr(GError) error = NULL;
  GhSession *session = NULL;
  gboolean done = FALSE;

  database = gh_database_open (work->path, &error);
  if (database == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  switch (work->op) {
  case OP_LOGIN:
    session = gh_auth_login (database, work->username, work->password, "gui", &error);
    break;
  case OP_CREATE_ADMINISTRATOR:
    session = gh_auth_create_first_administrator (database, work->username, work->password,
                                                  "gui", &error);
    break;
  case OP_CHANGE_PASSWORD:
    done = gh_auth_change_password (database, work->session, work->password,
                                    work->new_password, &error);
    break;
  case OP_ADD_OPERATOR:
    operators = gh_operator_store_new (database);
    done = gh_operator_store_add (operators, work->session, work->username, work->password,
                                  work->role, &error) > 0;
    break;
  case OP_RESET_PASSWORD:
    operators = gh_operator_store_new (database);
    done = gh_operator_store_reset_password (operators, work->session, work->operator_id,
                                             work->new_password, &error);
    break;
  default:
    g_assert_not_reached ();
  }

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (work->op == OP_LOGIN || work->op == OP_CREATE_ADMINISTRATOR)
    g_task_return_pointer (task, session, g_object_unref);
  else
    g_task_return_boolean (task, done);
}

static void
start (GhDatabase          *database,
       Work                *work,
       gpointer             source_tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  /* The database object only lends its path; the worker must not touch its connection. */
  work->path = g_strdup (gh_database_get_path (database));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, work, work_free);
  g_task_run_in_thread (task, run_in_thread);
}

/**
 * gh_auth_worker_login_async:
 * @database: the application's database (only its file is used)
 * @username: (not nullable): the user name as typed
 * @password: (not nullable): the password as typed
 *
 * Signs in with gh_auth_login() from a worker thread.
 */
void
gh_auth_worker_login_async (GhDatabase          *database,
                            const char          *username,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Work *work;

  g_return_if_fail (GH_IS_DATABASE (database));
  g_return_if_fail (username != NULL && password != NULL);

  work = g_new0 (Work, 1);
  work->op = OP_LOGIN;
  work->username = g_strdup (username);
  work->password = g_strdup (password);
  start (database, work, gh_auth_worker_login_async, cancellable, callback, user_data);
}

/**
 * gh_auth_worker_login_finish:
 *
 * Returns: (transfer full): the new session, or %NULL with @error set (see gh_auth_login())
 */
GhSession *
gh_auth_worker_login_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gh_auth_worker_create_administrator_async:
 *
 * Creates the first account with gh_auth_create_first_administrator() from a worker thread.
 */
void
gh_auth_worker_create_administrator_async (GhDatabase          *database,
                                           const char          *username,
                                           const char          *password,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  Work *work;

  g_return_if_fail (GH_IS_DATABASE (database));
  g_return_if_fail (username != NULL && password != NULL);

  work = g_new0 (Work, 1);
  work->op = OP_CREATE_ADMINISTRATOR;
  work->username = g_strdup (username);
  work->password = g_strdup (password);
  start (database, work, gh_auth_worker_create_administrator_async, cancellable, callback,
         user_data);
}

/**
 * gh_auth_worker_create_administrator_finish:
 *
 * Returns: (transfer full): the administrator's session, or %NULL with @error set
 */
GhSession *
gh_auth_worker_create_administrator_finish (GAsyncResult  *result,
                                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gh_auth_worker_change_password_async:
 *
 * Changes the session's own password with gh_auth_change_password(); finish with
 * gh_auth_worker_finish().
 */
void
gh_auth_worker_change_password_async (GhDatabase          *database,
                                      GhSession           *session,
                                      const char          *old_password,
                                      const char          *new_password,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Work *work;

  g_return_if_fail (GH_IS_DATABASE (database));
  g_return_if_fail (GH_IS_SESSION (session));
  g_return_if_fail (old_password != NULL && new_password != NULL);

  work = g_new0 (Work, 1);
  work->op = OP_CHANGE_PASSWORD;
  work->session = g_object_ref (session);
  work->password = g_strdup (old_password);
  work->new_password = g_strdup (new_password);
  start (database, work, gh_auth_worker_change_password_async, cancellable, callback,
         user_data);
}

/**
 * gh_auth_worker_add_operator_async:
 *
 * Adds an account with gh_operator_store_add(); finish with gh_auth_worker_finish().
 */
void
gh_auth_worker_add_operator_async (GhDatabase          *database,
                                   GhSession           *session,
                                   const char          *username,
                                   const char          *password,
                                   GhRole               role,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Work *work;

  g_return_if_fail (GH_IS_DATABASE (database));
  g_return_if_fail (GH_IS_SESSION (session));
  g_return_if_fail (username != NULL && password != NULL);

  work = g_new0 (Work, 1);
  work->op = OP_ADD_OPERATOR;
  work->session = g_object_ref (session);
  work->username = g_strdup (username);
  work->password = g_strdup (password);
  work->role = role;
  start (database, work, gh_auth_worker_add_operator_async, cancellable, callback, user_data);
}

/**
 * gh_auth_worker_reset_password_async:
 *
 * Sets another operator's password with gh_operator_store_reset_password() (they must change
 * it at their next sign-in); finish with gh_auth_worker_finish().
 */
void
gh_auth_worker_reset_password_async (GhDatabase          *database,
                                     GhSession           *session,
                                     gint64               operator_id,
                                     const char          *new_password,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  Work *work;

  g_return_if_fail (GH_IS_DATABASE (database));
  g_return_if_fail (GH_IS_SESSION (session));
  g_return_if_fail (new_password != NULL);

  work = g_new0 (Work, 1);
  work->op = OP_RESET_PASSWORD;
  work->session = g_object_ref (session);
  work->operator_id = operator_id;
  work->new_password = g_strdup (new_password);
  start (database, work, gh_auth_worker_reset_password_async, cancellable, callback,
         user_data);
}

/**
 * gh_auth_worker_finish:
 *
 * Finishes a change, add or reset started here.
 *
 * Returns: %TRUE on success, or %FALSE with @error set
 */
gboolean
gh_auth_worker_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
