/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-operator-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <string.h>

#include "gh-operator-store.h"
#include "gh-auth-private.h"
#include "gh-database-private.h"

#include "gh-error.h"
#include "gh-password-policy.h"

/**
 * GhOperatorStore:
 *
 * The accounts of the people who sign in to Gatehouse. Passwords pass the operator password
 * policy and are stored only as PBKDF2-SHA256 hashes (see gh-kdf.h). Every change needs
 * %GH_PERMISSION_OPERATORS_MANAGE and is written to the audit log in its own transaction.
 * Signing in, and changing one's own password, are in gh-auth.h.
 *
 * The store never leaves a database without an enabled administrator: the last one cannot be
 * disabled or given another role.
 */
struct _GhOperatorStore
{
  GObject     parent_instance;

  GhDatabase *database;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhOperatorStore, gh_operator_store, G_TYPE_OBJECT)

#define SELECT_OPERATOR \
  "SELECT id, username, role, disabled, must_change, failed_attempts, locked_until, created, " \
  "last_login, coalesce (password_changed, created) FROM operators "

void
gh_operator_free (GhOperator *op)
{
  if (op == NULL)
    return;

  g_free (op->username);
  g_free (op);
}

static GhOperator *
operator_from_row (GhStmt *stmt)
{
  GhOperator *op = g_new0 (GhOperator, 1);
  const char *role = (const char *)sqlite3_column_text (stmt, 2);

  op->id = sqlite3_column_int64 (stmt, 0);
  op->username = gh_stmt_dup_text (stmt, 1);
  if (role == NULL || !gh_role_from_string (role, &op->role))
    op->role = GH_ROLE_GUARD;  /* the CHECK forbids this; the least powerful role if it happens */
  op->disabled = sqlite3_column_int (stmt, 3) != 0;
  op->must_change_password = sqlite3_column_int (stmt, 4) != 0;
  op->failed_attempts = sqlite3_column_int (stmt, 5);
  op->locked_until = sqlite3_column_int64 (stmt, 6);
  op->created = sqlite3_column_int64 (stmt, 7);
  op->last_login = sqlite3_column_int64 (stmt, 8);
  op->password_changed = sqlite3_column_int64 (stmt, 9);

  return op;
}

static GhOperator *
load (GhOperatorStore  *self,
      gint64            id,
      GError          **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  stmt = gh_database_prepare (self->database, SELECT_OPERATOR "WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return operator_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("There is no operator account with the number %" G_GINT64_FORMAT "."), id);
  else
    gh_database_fail (self->database, error, "reading an operator account");

  return NULL;
}

/* Enabled administrators other than @except_id. */
static gint64
count_other_admins (GhOperatorStore  *self,
                    gint64            except_id,
                    GError          **error)
{
  return gh_database_query_int (self->database,
                                "SELECT count(*) FROM operators WHERE role = 'administrator' "
                                "AND disabled = 0 AND id != ?", except_id, error);
}

static gboolean
check_not_last_admin (GhOperatorStore  *self,
                      GhOperator       *op,
                      GError          **error)
{
  gint64 others;

  if (op->role != GH_ROLE_ADMINISTRATOR || op->disabled)
    return TRUE;

  others = count_other_admins (self, op->id, error);
  if (others < 0)
    return FALSE;

  if (others == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_IN_USE,
                 _("“%s” is the last enabled administrator. Make another account an "
                   "administrator first, so that someone can still manage Gatehouse."),
                 op->username);
    return FALSE;
  }

  return TRUE;
}

static void
gh_operator_store_dispose (GObject *object)
{
  GhOperatorStore *self = (GhOperatorStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_operator_store_parent_class)->dispose (object);
}

static void
gh_operator_store_class_init (GhOperatorStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_operator_store_dispose;
}

static void
gh_operator_store_init (GhOperatorStore *self)
{
}

GhOperatorStore *
gh_operator_store_new (GhDatabase *database)
{
  GhOperatorStore *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  self = g_object_new (GH_TYPE_OPERATOR_STORE, NULL);
  self->database = g_object_ref (database);

  return self;
}

/**
 * gh_operator_store_check_username:
 *
 * A user name has 1 to 64 characters of valid UTF-8, no control characters and no spaces at
 * either end.
 */
gboolean
gh_operator_store_check_username (const char  *username,
                                  GError     **error)
{
  glong len;

  if (username == NULL || !g_utf8_validate (username, -1, NULL)) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("The user name is not valid text."));
    return FALSE;
  }

  len = g_utf8_strlen (username, -1);
  if (len == 0 || len > GH_OPERATOR_USERNAME_MAX) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("A user name has 1 to %d characters."), GH_OPERATOR_USERNAME_MAX);
    return FALSE;
  }

  for (const char *p = username; *p != '\0'; p = g_utf8_next_char (p)) {
    if (g_unichar_iscntrl (g_utf8_get_char (p))) {
      g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                           _("A user name may not contain control characters."));
      return FALSE;
    }
  }

  /* Audit rows of the application's own work are signed "system". */
  if (g_ascii_strcasecmp (username, "system") == 0) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("The user name “system” is reserved for Gatehouse itself. Choose "
                           "another one."));
    return FALSE;
  }

  if (g_unichar_isspace (g_utf8_get_char (username)) ||
      g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (username + strlen (username))))) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("A user name may not begin or end with a space."));
    return FALSE;
  }

  return TRUE;
}

/**
 * gh_operator_store_add:
 * @session: needs %GH_PERMISSION_OPERATORS_MANAGE
 * @username: see gh_operator_store_check_username()
 * @password: must follow the operator password policy (gh-password-policy.h)
 *
 * Returns: the new account's id, or 0 with @error set (%GH_ERROR_EXISTS for a taken name)
 */
gint64
gh_operator_store_add (GhOperatorStore  *self,
                       GhSession        *session,
                       const char       *username,
                       const char       *password,
                       GhRole            role,
                       GError          **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *hash = NULL;
  gint64 id;

  g_return_val_if_fail (GH_IS_OPERATOR_STORE (self), 0);
  g_return_val_if_fail (GH_IS_SESSION (session), 0);

  if (!gh_session_check (session, GH_PERMISSION_OPERATORS_MANAGE, error))
    return 0;

  if (!gh_operator_store_check_username (username, error))
    return 0;

  if ((guint)role > GH_ROLE_GUARD) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Unknown role %d."), (int)role);
    return 0;
  }

  if (password == NULL || !gh_password_policy_check (password, username, error)) {
    if (password == NULL)
      g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Enter a password."));
    return 0;
  }

  hash = gh_auth_hash_password (self->database, password, error);
  if (hash == NULL)
    return 0;

  if (!gh_database_begin (self->database, error))
    return 0;

  stmt = gh_database_prepare (self->database,
                              "INSERT INTO operators (username, password_hash, role, "
                              "password_changed) VALUES (?, ?, ?, unixepoch ())", error);
  if (stmt == NULL)
    goto fail;

  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, gh_role_to_string (role), -1, SQLITE_STATIC);

  if (sqlite3_step (stmt) != SQLITE_DONE) {
    if (gh_database_is_constraint (self->database))
      g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                   _("There is already an operator called “%s”. Choose another user name."),
                   username);
    else
      gh_database_fail (self->database, error, "adding an operator");
    goto fail;
  }

  id = gh_database_last_insert_id (self->database);

  if (!gh_database_auditf (self->database, session, error, "operator.created", "operator", id,
                           "%s, role %s", username, gh_role_to_string (role)))
    goto fail;

  gh_database_touch (self->database, "operators");

  if (!gh_database_commit (self->database, error))
    return 0;

  OPENSSL_cleanse (hash, strlen (hash));

  return id;

fail:
  gh_database_rollback (self->database);
  return 0;
}

/**
 * gh_operator_store_list:
 * @session: needs %GH_PERMISSION_OPERATORS_MANAGE
 *
 * Returns: (transfer full) (element-type GhOperator): every account, by user name
 */
GPtrArray *
gh_operator_store_list (GhOperatorStore  *self,
                        GhSession        *session,
                        GError          **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_OPERATOR_STORE (self), NULL);
  g_return_val_if_fail (GH_IS_SESSION (session), NULL);

  if (!gh_session_check (session, GH_PERMISSION_OPERATORS_MANAGE, error))
    return NULL;

  stmt = gh_database_prepare (self->database, SELECT_OPERATOR "ORDER BY username", error);
  if (stmt == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify)gh_operator_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, operator_from_row (stmt));

  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "listing operators");
    return NULL;
  }

  return g_steal_pointer (&list);
}

/**
 * gh_operator_store_get:
 * @session: needs %GH_PERMISSION_OPERATORS_MANAGE, except for one's own account
 *
 * Returns: (transfer full): the account, or %NULL with @error set
 */
GhOperator *
gh_operator_store_get (GhOperatorStore  *self,
                       GhSession        *session,
                       gint64            id,
                       GError          **error)
{
  g_return_val_if_fail (GH_IS_OPERATOR_STORE (self), NULL);
  g_return_val_if_fail (GH_IS_SESSION (session), NULL);

  if (gh_session_get_operator_id (session) != id &&
      !gh_session_check (session, GH_PERMISSION_OPERATORS_MANAGE, error))
    return NULL;

  return load (self, id, error);
}

/**
 * gh_operator_store_find:
 * @session: needs %GH_PERMISSION_OPERATORS_MANAGE
 *
 * Returns: (transfer full): the account named @username (without regard to case)
 */
GhOperator *
gh_operator_store_find (GhOperatorStore  *self,
                        GhSession        *session,
                        const char       *username,
                        GError          **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_OPERATOR_STORE (self), NULL);
  g_return_val_if_fail (GH_IS_SESSION (session), NULL);
  g_return_val_if_fail (username != NULL, NULL);

  if (!gh_session_check (session, GH_PERMISSION_OPERATORS_MANAGE, error))
    return NULL;

  stmt = gh_database_prepare (self->database, SELECT_OPERATOR "WHERE username = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return operator_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("There is no operator called “%s”."), username);
  else
    gh_database_fail (self->database, error, "reading an operator account");

  return NULL;
}

/* Runs @sql (one integer parameter, then the id) for an account, with an audit row. */
static gboolean
update_account (GhOperatorStore  *self,
                GhSession        *session,
                GhOperator       *op,
                const char       *sql,
                const char       *text_value,
                gint64            int_value,
                const char       *action,
                const char       *detail,
                GError          **error)
{
  g_autoptr(GhStmt) stmt = NULL;

  stmt = gh_database_prepare (self->database, sql, error);
  if (stmt == NULL)
    return FALSE;

  if (text_value != NULL)
    sqlite3_bind_text (stmt, 1, text_value, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, int_value);
  sqlite3_bind_int64 (stmt, 2, op->id);

  if (!gh_database_step_done (self->database, stmt, error))
    return FALSE;

  if (!gh_database_auditf (self->database, session, error, action, "operator", op->id,
                           "%s%s%s", op->username, detail != NULL ? ", " : "",
                           detail != NULL ? detail : ""))
    return FALSE;

  gh_database_touch (self->database, "operators");

  return TRUE;
}

/**
 * gh_operator_store_set_role:
 * @session: needs %GH_PERMISSION_OPERATORS_MANAGE
 *
 * Fails with %GH_ERROR_IN_USE when this would leave no enabled administrator.
 */
gboolean
gh_operator_store_set_role (GhOperatorStore  *self,
                            GhSession        *session,
                            gint64            id,
                            GhRole            role,
                            GError          **error)
{
  g_autoptr(GhOperator) op = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (GH_IS_OPERATOR_STORE (self), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (!gh_session_check (session, GH_PERMISSION_OPERATORS_MANAGE, error))
    return FALSE;

  if ((guint)role > GH_ROLE_GUARD) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Unknown role %d."), (int)role);
    return FALSE;
  }

  if (!gh_database_begin (self->database, error))
    return FALSE;

  op = load (self, id, error);
  if (op == NULL)
    goto fail;

  if (op->role == role) {
    gh_database_rollback (self->database);
    return TRUE;
  }

  if (role != GH_ROLE_ADMINISTRATOR && !check_not_last_admin (self, op, error))
    goto fail;

  detail = g_strdup_printf ("role %s → %s", gh_role_to_string (op->role),
                            gh_role_to_string (role));
  if (!update_account (self, session, op, "UPDATE operators SET role = ? WHERE id = ?",
                       gh_role_to_string (role), 0, "operator.role-changed", detail, error))
    goto fail;

  return gh_database_commit (self->database, error);

fail:
  gh_database_rollback (self->database);
  return FALSE;
}

/**
 * gh_operator_store_set_disabled:
 * @session: needs %GH_PERMISSION_OPERATORS_MANAGE
 *
 * A disabled account cannot sign in. One cannot disable oneself, nor the last enabled
 * administrator.
 */
gboolean
gh_operator_store_set_disabled (GhOperatorStore  *self,
                                GhSession        *session,
                                gint64            id,
                                gboolean          disabled,
                                GError          **error)
{
  g_autoptr(GhOperator) op = NULL;

  g_return_val_if_fail (GH_IS_OPERATOR_STORE (self), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (!gh_session_check (session, GH_PERMISSION_OPERATORS_MANAGE, error))
    return FALSE;

  if (disabled && gh_session_get_operator_id (session) == id) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("You cannot disable your own account. Ask another administrator."));
    return FALSE;
  }

  if (!gh_database_begin (self->database, error))
    return FALSE;

  op = load (self, id, error);
  if (op == NULL)
    goto fail;

  if (op->disabled == !!disabled) {
    gh_database_rollback (self->database);
    return TRUE;
  }

  if (disabled && !check_not_last_admin (self, op, error))
    goto fail;

  if (!update_account (self, session, op, "UPDATE operators SET disabled = ? WHERE id = ?",
                       NULL, disabled ? 1 : 0,
                       disabled ? "operator.disabled" : "operator.enabled", NULL, error))
    goto fail;

  return gh_database_commit (self->database, error);

fail:
  gh_database_rollback (self->database);
  return FALSE;
}

/**
 * gh_operator_store_reset_password:
 * @session: needs %GH_PERMISSION_OPERATORS_MANAGE
 * @new_password: must follow the operator password policy
 *
 * Sets a new password for a person who forgot theirs. The account is unlocked and its owner
 * must choose another password right after the next sign-in (gh_auth_must_change_password()).
 */
gboolean
gh_operator_store_reset_password (GhOperatorStore  *self,
                                  GhSession        *session,
                                  gint64            id,
                                  const char       *new_password,
                                  GError          **error)
{
  g_autoptr(GhOperator) op = NULL;
  g_autofree char *hash = NULL;
  gboolean ok;

  g_return_val_if_fail (GH_IS_OPERATOR_STORE (self), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (!gh_session_check (session, GH_PERMISSION_OPERATORS_MANAGE, error))
    return FALSE;

  op = load (self, id, error);
  if (op == NULL)
    return FALSE;

  if (new_password == NULL) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Enter a password."));
    return FALSE;
  }

  if (!gh_password_policy_check (new_password, op->username, error))
    return FALSE;

  hash = gh_auth_hash_password (self->database, new_password, error);
  if (hash == NULL)
    return FALSE;

  if (!gh_database_begin (self->database, error))
    return FALSE;

  ok = update_account (self, session, op,
                       "UPDATE operators SET password_hash = ?, must_change = 1, "
                       "failed_attempts = 0, locked_until = NULL, "
                       "password_changed = unixepoch () WHERE id = ?",
                       hash, 0, "operator.password-reset", NULL, error);
  OPENSSL_cleanse (hash, strlen (hash));

  if (!ok) {
    gh_database_rollback (self->database);
    return FALSE;
  }

  return gh_database_commit (self->database, error);
}

/**
 * gh_operator_store_unlock:
 * @session: needs %GH_PERMISSION_OPERATORS_MANAGE
 *
 * Ends a lock-out after too many failed sign-ins, before its time runs out.
 */
gboolean
gh_operator_store_unlock (GhOperatorStore  *self,
                          GhSession        *session,
                          gint64            id,
                          GError          **error)
{
  g_autoptr(GhOperator) op = NULL;

  g_return_val_if_fail (GH_IS_OPERATOR_STORE (self), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (!gh_session_check (session, GH_PERMISSION_OPERATORS_MANAGE, error))
    return FALSE;

  if (!gh_database_begin (self->database, error))
    return FALSE;

  op = load (self, id, error);
  if (op == NULL)
    goto fail;

  if (!update_account (self, session, op,
                       "UPDATE operators SET failed_attempts = ?, locked_until = NULL "
                       "WHERE id = ?", NULL, 0, "operator.unlocked", NULL, error))
    goto fail;

  return gh_database_commit (self->database, error);

fail:
  gh_database_rollback (self->database);
  return FALSE;
}
