/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-auth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "gh-auth.h"
#include "gh-auth-private.h"
#include "gh-database-private.h"
#include "gh-operator-store.h"

#include "gh-error.h"
#include "gh-kdf.h"
#include "gh-password-policy.h"

/*
 * Signing in.
 *
 * Every surface (the GUI's first-run page and login window, gatehousectl) signs in here and
 * gets a #GhSession, which every store and protocol call then checks.
 *
 * Failed attempts are counted per user name, in the database, so a restart does not reset
 * them: after GhAuthPolicy.max_failures failures in a row the name is locked for
 * GhAuthPolicy.lockout_seconds, during which even the right password is refused. User names
 * that do not exist are counted (in login_throttle) and locked exactly the same way, and a
 * wrong password and an unknown name give the same message after the same amount of work (a
 * full PBKDF2 run against a dummy hash), so neither the answer nor its timing tells whether
 * an account exists.
 *
 * Every success, failure, refusal and password change is written to the audit log.
 *
 * The *_at() variants take the current time (Unix seconds) so the lockout can be tested
 * without waiting; the plain ones use the wall clock.
 */

#define SETTING_MAX_FAILURES  "auth-max-failures"
#define SETTING_LOCKOUT       "auth-lockout-seconds"
#define SETTING_ITERATIONS    "auth-kdf-iterations"
#define SETTING_IDLE_LOCK     "auth-idle-lock-seconds"
#define SETTING_MAX_AGE       "auth-password-max-age-days"

#define MAX_MAX_FAILURES      100
#define MIN_LOCKOUT           10
#define MAX_LOCKOUT           86400
#define MIN_IDLE_LOCK         60
#define MAX_IDLE_LOCK         86400
#define THROTTLE_KEEP         86400  /* forget unknown names' failures after a quiet day */

typedef struct {
  gint64  id;             /* 0: no such account */
  char   *username;
  char   *password_hash;
  GhRole  role;
  gboolean disabled;
  gint64  locked_until;
} Account;

static void
account_clear (Account *account)
{
  if (account->password_hash != NULL)
    OPENSSL_cleanse (account->password_hash, strlen (account->password_hash));
  g_clear_pointer (&account->password_hash, g_free);
  g_clear_pointer (&account->username, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Account, account_clear)

static guint
get_uint_setting (GhDatabase *database,
                  const char *key,
                  guint       fallback,
                  guint       min,
                  guint       max)
{
  g_autofree char *text = gh_database_get_setting (database, key);
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    return fallback;

  return (guint)value;
}

/**
 * gh_auth_get_policy:
 *
 * Reads the sign-in rules; missing or unreadable settings give the defaults.
 */
void
gh_auth_get_policy (GhDatabase   *database,
                    GhAuthPolicy *out_policy)
{
  g_return_if_fail (GH_IS_DATABASE (database));
  g_return_if_fail (out_policy != NULL);

  out_policy->max_failures = get_uint_setting (database, SETTING_MAX_FAILURES,
                                               GH_AUTH_DEFAULT_MAX_FAILURES, 1,
                                               MAX_MAX_FAILURES);
  out_policy->lockout_seconds = get_uint_setting (database, SETTING_LOCKOUT,
                                                  GH_AUTH_DEFAULT_LOCKOUT_SECONDS, MIN_LOCKOUT,
                                                  MAX_LOCKOUT);
  out_policy->kdf_iterations = get_uint_setting (database, SETTING_ITERATIONS,
                                                 GH_KDF_ITERATIONS, GH_AUTH_MIN_KDF_ITERATIONS,
                                                 GH_KDF_MAX_ITERATIONS);
  out_policy->idle_lock_seconds = get_uint_setting (database, SETTING_IDLE_LOCK,
                                                    GH_AUTH_DEFAULT_IDLE_LOCK, 0, MAX_IDLE_LOCK);
  out_policy->password_max_age_days = get_uint_setting (database, SETTING_MAX_AGE, 0, 0,
                                                        GH_AUTH_MAX_PASSWORD_AGE_DAYS);
}

/**
 * gh_auth_set_policy:
 * @session: needs %GH_PERMISSION_SETTINGS_WRITE
 *
 * Stores the sign-in rules, with an audit row. Values out of range are refused with
 * %GH_ERROR_INVALID_INPUT naming the field.
 */
gboolean
gh_auth_set_policy (GhDatabase          *database,
                    GhSession           *session,
                    const GhAuthPolicy  *policy,
                    GError             **error)
{
  struct { const char *key; guint value; } values[5];

  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);

  if (!gh_session_check (session, GH_PERMISSION_SETTINGS_WRITE, error))
    return FALSE;

  if (policy->max_failures < 1 || policy->max_failures > MAX_MAX_FAILURES) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The number of failed sign-ins before a lock must be between 1 and %d."),
                 MAX_MAX_FAILURES);
    return FALSE;
  }
  if (policy->lockout_seconds < MIN_LOCKOUT || policy->lockout_seconds > MAX_LOCKOUT) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The lock time must be between %d seconds and one day."), MIN_LOCKOUT);
    return FALSE;
  }
  if (policy->kdf_iterations < GH_AUTH_MIN_KDF_ITERATIONS ||
      policy->kdf_iterations > GH_KDF_MAX_ITERATIONS) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The password hashing iteration count must be between %d and %d."),
                 GH_AUTH_MIN_KDF_ITERATIONS, GH_KDF_MAX_ITERATIONS);
    return FALSE;
  }
  if (policy->idle_lock_seconds != 0 &&
      (policy->idle_lock_seconds < MIN_IDLE_LOCK || policy->idle_lock_seconds > MAX_IDLE_LOCK)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The idle lock time must be 0 (never) or between one minute and one day."));
    return FALSE;
  }
  if (policy->password_max_age_days > GH_AUTH_MAX_PASSWORD_AGE_DAYS) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The maximum password age must be 0 (never) or at most %d days."),
                 GH_AUTH_MAX_PASSWORD_AGE_DAYS);
    return FALSE;
  }

  values[0].key = SETTING_MAX_FAILURES;
  values[0].value = policy->max_failures;
  values[1].key = SETTING_LOCKOUT;
  values[1].value = policy->lockout_seconds;
  values[2].key = SETTING_ITERATIONS;
  values[2].value = policy->kdf_iterations;
  values[3].key = SETTING_IDLE_LOCK;
  values[3].value = policy->idle_lock_seconds;
  values[4].key = SETTING_MAX_AGE;
  values[4].value = policy->password_max_age_days;

  if (!gh_database_begin (database, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++) {
    char text[16];

    g_snprintf (text, sizeof text, "%u", values[i].value);
    if (!gh_database_set_setting (database, values[i].key, text, error))
      goto fail;
  }

  if (!gh_database_auditf (database, session, error, "settings.changed", "settings", 0,
                           "sign-in: %u failures lock for %u s; %u KDF iterations; "
                           "idle lock %u s; password age %u days", policy->max_failures,
                           policy->lockout_seconds, policy->kdf_iterations,
                           policy->idle_lock_seconds, policy->password_max_age_days))
    goto fail;

  gh_database_touch (database, "settings");

  return gh_database_commit (database, error);

fail:
  gh_database_rollback (database);
  return FALSE;
}

char *
gh_auth_hash_password (GhDatabase  *database,
                       const char  *password,
                       GError     **error)
{
  GhAuthPolicy policy;

  gh_auth_get_policy (database, &policy);

  return gh_kdf_hash_password_with_iterations (password, policy.kdf_iterations, error);
}

/* Iterations recorded in an encoded hash, or 0 if it cannot be read. */
static guint
hash_iterations (const char *encoded)
{
  const char *p;
  guint64 value;

  if (encoded == NULL || !g_str_has_prefix (encoded, GH_KDF_SCHEME "$"))
    return 0;

  p = encoded + strlen (GH_KDF_SCHEME "$");
  value = g_ascii_strtoull (p, NULL, 10);

  return value > G_MAXUINT ? 0 : (guint)value;
}

/* A syntactically valid hash nobody's password matches, at @iterations. */
static void
dummy_verify (const char *password,
              guint       iterations)
{
  g_autofree char *dummy = NULL;

  dummy = g_strdup_printf (GH_KDF_SCHEME "$%u$%s$%s", iterations,
                           "Z2F0ZWhvdXNlLWR1bW15IQ==",
                           "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  gh_kdf_verify_password (password, dummy, NULL);
}

gboolean
gh_auth_has_operators (GhDatabase  *database,
                       GError     **error)
{
  gint64 n;

  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);

  n = gh_database_query_int (database, "SELECT count(*) FROM operators", 0, error);

  return n > 0;
}

static gboolean
load_account (GhDatabase  *database,
              const char  *username,
              Account     *account,
              GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  stmt = gh_database_prepare (database,
                              "SELECT id, username, password_hash, role, disabled, "
                              "coalesce (locked_until, 0) FROM operators WHERE username = ?",
                              error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW) {
    const char *role = (const char *)sqlite3_column_text (stmt, 3);

    account->id = sqlite3_column_int64 (stmt, 0);
    account->username = gh_stmt_dup_text (stmt, 1);
    account->password_hash = gh_stmt_dup_text (stmt, 2);
    if (role == NULL || !gh_role_from_string (role, &account->role))
      account->role = GH_ROLE_GUARD;
    account->disabled = sqlite3_column_int (stmt, 4) != 0;
    account->locked_until = sqlite3_column_int64 (stmt, 5);
    return TRUE;
  }

  if (rc != SQLITE_DONE)
    return gh_database_fail (database, error, "reading the operator accounts");

  /* Unknown name: its throttle row, if any. */
  g_clear_pointer (&stmt, gh_stmt_release);
  stmt = gh_database_prepare (database,
                              "SELECT coalesce (locked_until, 0) FROM login_throttle "
                              "WHERE username = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    account->locked_until = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    return gh_database_fail (database, error, "reading the sign-in throttle");

  account->id = 0;
  account->username = g_strdup (username);

  return TRUE;
}

/* User names as typed go into the audit log; keep them short and printable. */
static char *
sanitize_name (const char *username)
{
  g_autofree char *valid = g_utf8_make_valid (username, -1);
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0' && n < GH_OPERATOR_USERNAME_MAX;
       p = g_utf8_next_char (p), n++) {
    gunichar c = g_utf8_get_char (p);

    if (g_unichar_iscntrl (c))
      g_string_append_c (out, '?');
    else
      g_string_append_unichar (out, c);
  }

  return g_string_free (out, FALSE);
}

static void
set_locked_error (GError     **error,
                  const char  *prefix,
                  gint64       locked_until,
                  gint64       now)
{
  g_autoptr(GDateTime) until = g_date_time_new_from_unix_local (locked_until);
  g_autofree char *clock = until != NULL ? g_date_time_format (until, "%H:%M:%S") : NULL;
  gint64 minutes = MAX (1, (locked_until - now + 59) / 60);

  g_set_error (error, GH_ERROR, GH_ERROR_LOCKED_OUT,
               /* Translators: the first %s is empty or "Wrong user name or password. " */
               g_dngettext (GETTEXT_PACKAGE,
                            "%sToo many failed sign-ins: signing in with this name is locked "
                            "until %s (in %" G_GINT64_FORMAT " minute). Try again then, or ask "
                            "an administrator to unlock it.",
                            "%sToo many failed sign-ins: signing in with this name is locked "
                            "until %s (in %" G_GINT64_FORMAT " minutes). Try again then, or ask "
                            "an administrator to unlock it.", minutes),
               prefix, clock != NULL ? clock : "?", minutes);
}

static void
set_wrong_error (GError **error)
{
  g_set_error_literal (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                       _("Wrong user name or password."));
}

/*
 * Counts a failure for @account (known or not) in an open transaction and audits it.
 * Returns the new locked_until (0 when not locked).
 */
static gboolean
record_failure (GhDatabase          *database,
                const Account       *account,
                const GhAuthPolicy  *policy,
                const char          *surface,
                const char          *reason,
                gint64               now,
                gint64              *out_locked_until,
                GError             **error)
{
  g_autoptr(GhSession) system = gh_session_new_system (surface);
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *name = sanitize_name (account->username);
  g_autofree char *detail = NULL;
  gint64 failures;
  gint64 locked_until = 0;

  if (account->id > 0) {
    stmt = gh_database_prepare (database,
                                "UPDATE operators SET failed_attempts = failed_attempts + 1 "
                                "WHERE id = ? RETURNING failed_attempts", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, account->id);
  } else {
    stmt = gh_database_prepare (database,
                                "INSERT INTO login_throttle (username, failed_attempts, updated) "
                                "VALUES (?, 1, ?) ON CONFLICT (username) DO UPDATE SET "
                                "failed_attempts = failed_attempts + 1, updated = excluded.updated "
                                "RETURNING failed_attempts", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, account->username, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, now);
  }

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return gh_database_fail (database, error, "counting a failed sign-in");
  failures = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, gh_stmt_release);

  if (failures >= policy->max_failures) {
    locked_until = now + policy->lockout_seconds;
    stmt = gh_database_prepare (database,
                                account->id > 0
                                ? "UPDATE operators SET failed_attempts = 0, locked_until = ? "
                                  "WHERE id = ?"
                                : "UPDATE login_throttle SET failed_attempts = 0, "
                                  "locked_until = ? WHERE username = ?", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, locked_until);
    if (account->id > 0)
      sqlite3_bind_int64 (stmt, 2, account->id);
    else
      sqlite3_bind_text (stmt, 2, account->username, -1, SQLITE_STATIC);
    if (!gh_database_step_done (database, stmt, error))
      return FALSE;
    g_clear_pointer (&stmt, gh_stmt_release);
  }

  /* Forget unknown names nobody has tried for a day. */
  stmt = gh_database_prepare (database,
                              "DELETE FROM login_throttle WHERE updated < ?1 - "
                              G_STRINGIFY (THROTTLE_KEEP) " AND coalesce (locked_until, 0) < ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  if (!gh_database_step_done (database, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, gh_stmt_release);

  if (locked_until > 0)
    detail = g_strdup_printf ("%s; attempt %" G_GINT64_FORMAT " of %u, locked for %u s", reason,
                              failures, policy->max_failures, policy->lockout_seconds);
  else
    detail = g_strdup_printf ("%s; attempt %" G_GINT64_FORMAT " of %u", reason, failures,
                              policy->max_failures);

  if (!gh_database_audit (database, system, "auth.login-failed", "operator", name, detail,
                          error))
    return FALSE;

  *out_locked_until = locked_until;

  return TRUE;
}

static gboolean
audit_refusal (GhDatabase  *database,
               const char  *surface,
               const char  *username,
               const char  *detail,
               GError     **error)
{
  g_autoptr(GhSession) system = gh_session_new_system (surface);
  g_autofree char *name = sanitize_name (username);

  if (!gh_database_begin (database, error))
    return FALSE;

  if (!gh_database_audit (database, system, "auth.login-refused", "operator", name, detail,
                          error)) {
    gh_database_rollback (database);
    return FALSE;
  }

  return gh_database_commit (database, error);
}

/**
 * gh_auth_login:
 *
 * gh_auth_login_at() at the current time.
 */
GhSession *
gh_auth_login (GhDatabase  *database,
               const char  *username,
               const char  *password,
               const char  *surface,
               GError     **error)
{
  return gh_auth_login_at (database, username, password, surface,
                           g_get_real_time () / G_USEC_PER_SEC, error);
}

/**
 * gh_auth_login_at:
 * @username: the user name as typed (compared without regard to case)
 * @password: the password as typed
 * @surface: where the sign-in comes from: "gui", "cli", …; it is carried by the session into
 *   every audit row
 * @now: the current time, Unix seconds
 * @error: %GH_ERROR_AUTH_FAILED ("Wrong user name or password.", the same for unknown names),
 *   %GH_ERROR_LOCKED_OUT (the message says until when), or %GH_ERROR_STORAGE
 *
 * Checks the password. On success, clears the failure count, upgrades the stored hash when
 * it uses fewer iterations than the policy, and returns the session for this operator.
 *
 * Returns: (transfer full): the session, or %NULL with @error set
 */
GhSession *
gh_auth_login_at (GhDatabase  *database,
                  const char  *username,
                  const char  *password,
                  const char  *surface,
                  gint64       now,
                  GError     **error)
{
  g_auto(Account) account = { 0 };
  g_autoptr(GhSession) session = NULL;
  g_autoptr(GError) verify_error = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *new_hash = NULL;
  GhAuthPolicy policy;
  gint64 locked_until = 0;
  gboolean verified;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);
  g_return_val_if_fail (surface != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (username == NULL || *username == '\0' || password == NULL || *password == '\0') {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("Enter a user name and a password."));
    return NULL;
  }

  gh_auth_get_policy (database, &policy);

  if (!load_account (database, username, &account, error))
    return NULL;

  if (account.locked_until > now) {
    g_autofree char *detail = g_strdup_printf ("locked until %" G_GINT64_FORMAT,
                                               account.locked_until);

    if (!audit_refusal (database, surface, username, detail, error))
      return NULL;
    set_locked_error (error, "", account.locked_until, now);
    return NULL;
  }

  /* The slow part, outside the write lock; an unknown name costs the same. */
  if (account.id > 0) {
    verified = gh_kdf_verify_password (password, account.password_hash, &verify_error);
  } else {
    dummy_verify (password, policy.kdf_iterations);
    verified = FALSE;
  }

  if (!gh_database_begin (database, error))
    return NULL;

  if (!verified) {
    const char *reason;

    if (account.id == 0)
      reason = "unknown user name";
    else if (g_error_matches (verify_error, GH_ERROR, GH_ERROR_AUTH_FAILED))
      reason = "wrong password";
    else
      reason = "stored password hash unreadable";

    if (!record_failure (database, &account, &policy, surface, reason, now, &locked_until,
                         error) ||
        !gh_database_commit (database, error)) {
      if (gh_database_in_transaction (database))
        gh_database_rollback (database);
      return NULL;
    }

    g_debug ("Sign-in failed from %s: %s", surface, reason);

    if (locked_until > 0)
      set_locked_error (error, _("Wrong user name or password. "), locked_until, now);
    else
      set_wrong_error (error);
    return NULL;
  }

  if (account.disabled) {
    gh_database_rollback (database);
    if (!audit_refusal (database, surface, account.username, "account disabled", error))
      return NULL;
    g_set_error_literal (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                         _("This account is disabled. Ask an administrator to enable it."));
    return NULL;
  }

  if (hash_iterations (account.password_hash) < policy.kdf_iterations) {
    new_hash = gh_kdf_hash_password_with_iterations (password, policy.kdf_iterations, NULL);
    if (new_hash == NULL)
      g_debug ("Could not upgrade the password hash of operator %" G_GINT64_FORMAT, account.id);
  }

  stmt = gh_database_prepare (database,
                              "UPDATE operators SET failed_attempts = 0, locked_until = NULL, "
                              "last_login = ?, password_hash = coalesce (?, password_hash) "
                              "WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now);
  gh_stmt_bind_text (stmt, 2, new_hash);
  sqlite3_bind_int64 (stmt, 3, account.id);
  if (!gh_database_step_done (database, stmt, error))
    goto fail;

  session = gh_session_new (account.id, account.username, account.role, surface);

  if (!gh_database_auditf (database, session, error, "auth.login", "operator", account.id,
                           "role %s%s", gh_role_to_string (account.role),
                           new_hash != NULL ? "; password hash upgraded" : ""))
    goto fail;

  gh_database_touch (database, "operators");

  if (new_hash != NULL)
    OPENSSL_cleanse (new_hash, strlen (new_hash));

  if (!gh_database_commit (database, error))
    return NULL;

  return g_steal_pointer (&session);

fail:
  gh_database_rollback (database);
  return NULL;
}

/**
 * gh_auth_logout:
 * @reason: (nullable): "signed out", "idle lock", …
 *
 * Records the end (or idle lock) of a session in the audit log.
 */
gboolean
gh_auth_logout (GhDatabase  *database,
                GhSession   *session,
                const char  *reason,
                GError     **error)
{
  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (!gh_database_begin (database, error))
    return FALSE;

  if (!gh_database_auditf (database, session, error, "auth.logout", "operator",
                           gh_session_get_operator_id (session), "%s",
                           reason != NULL ? reason : "signed out")) {
    gh_database_rollback (database);
    return FALSE;
  }

  return gh_database_commit (database, error);
}

/**
 * gh_auth_create_first_administrator:
 * @surface: "gui" for the first-run page, "cli" for `gatehousectl operator init`
 *
 * Creates the first account, an administrator, and signs it in. Refused with
 * %GH_ERROR_EXISTS once any operator exists: later accounts are added by an administrator
 * (gh_operator_store_add()).
 *
 * Returns: (transfer full): the administrator's session, or %NULL with @error set
 */
GhSession *
gh_auth_create_first_administrator (GhDatabase  *database,
                                    const char  *username,
                                    const char  *password,
                                    const char  *surface,
                                    GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autoptr(GhSession) session = NULL;
  g_autofree char *hash = NULL;
  gint64 count;
  gint64 id;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);
  g_return_val_if_fail (surface != NULL, NULL);

  if (!gh_operator_store_check_username (username, error))
    return NULL;

  if (password == NULL) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Enter a password."));
    return NULL;
  }

  if (!gh_password_policy_check (password, username, error))
    return NULL;

  hash = gh_auth_hash_password (database, password, error);
  if (hash == NULL)
    return NULL;

  /* BEGIN IMMEDIATE: two first-run pages racing cannot both win. */
  if (!gh_database_begin (database, error))
    return NULL;

  count = gh_database_query_int (database, "SELECT count(*) FROM operators", 0, error);
  if (count < 0)
    goto fail;
  if (count > 0) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_EXISTS,
                         _("Gatehouse already has operator accounts. Sign in as an administrator "
                           "to add more."));
    goto fail;
  }

  stmt = gh_database_prepare (database,
                              "INSERT INTO operators (username, password_hash, role, "
                              "password_changed) VALUES (?, ?, 'administrator', unixepoch ())",
                              error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  if (!gh_database_step_done (database, stmt, error))
    goto fail;

  id = gh_database_last_insert_id (database);
  session = gh_session_new (id, username, GH_ROLE_ADMINISTRATOR, surface);

  if (!gh_database_auditf (database, session, error, "operator.created", "operator", id,
                           "%s, role administrator, first administrator", username))
    goto fail;

  gh_database_touch (database, "operators");

  OPENSSL_cleanse (hash, strlen (hash));

  if (!gh_database_commit (database, error))
    return NULL;

  return g_steal_pointer (&session);

fail:
  gh_database_rollback (database);
  return NULL;
}

gboolean
gh_auth_change_password (GhDatabase  *database,
                         GhSession   *session,
                         const char  *old_password,
                         const char  *new_password,
                         GError     **error)
{
  return gh_auth_change_password_at (database, session, old_password, new_password,
                                     g_get_real_time () / G_USEC_PER_SEC, error);
}

/**
 * gh_auth_change_password_at:
 * @session: the operator changing their own password
 * @old_password: the current password (a wrong one counts as a failed sign-in)
 * @new_password: must follow the operator password policy and differ from the old one
 *
 * Changes one's own password and clears the must-change flag.
 */
gboolean
gh_auth_change_password_at (GhDatabase  *database,
                            GhSession   *session,
                            const char  *old_password,
                            const char  *new_password,
                            gint64       now,
                            GError     **error)
{
  g_auto(Account) account = { 0 };
  g_autoptr(GError) verify_error = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *hash = NULL;
  GhAuthPolicy policy;
  gint64 locked_until = 0;

  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (gh_session_get_operator_id (session) <= 0) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("Only a signed-in operator can change their password."));
    return FALSE;
  }

  if (old_password == NULL || new_password == NULL) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("Enter the current and the new password."));
    return FALSE;
  }

  gh_auth_get_policy (database, &policy);

  if (!load_account (database, gh_session_get_username (session), &account, error))
    return FALSE;

  if (account.id != gh_session_get_operator_id (session)) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                         _("Your operator account no longer exists."));
    return FALSE;
  }

  if (account.locked_until > now) {
    set_locked_error (error, "", account.locked_until, now);
    return FALSE;
  }

  if (!gh_kdf_verify_password (old_password, account.password_hash, &verify_error)) {
    if (!gh_database_begin (database, error))
      return FALSE;
    if (!record_failure (database, &account, &policy, gh_session_get_surface (session),
                         "wrong current password when changing it", now, &locked_until,
                         error) ||
        !gh_database_commit (database, error)) {
      if (gh_database_in_transaction (database))
        gh_database_rollback (database);
      return FALSE;
    }
    if (locked_until > 0)
      set_locked_error (error, _("The current password is not correct. "), locked_until, now);
    else
      g_set_error_literal (error, GH_ERROR, GH_ERROR_AUTH_FAILED,
                           _("The current password is not correct."));
    return FALSE;
  }

  if (g_str_equal (old_password, new_password)) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("The new password must differ from the current one."));
    return FALSE;
  }

  if (!gh_password_policy_check (new_password, account.username, error))
    return FALSE;

  hash = gh_kdf_hash_password_with_iterations (new_password, policy.kdf_iterations, error);
  if (hash == NULL)
    return FALSE;

  if (!gh_database_begin (database, error))
    return FALSE;

  stmt = gh_database_prepare (database,
                              "UPDATE operators SET password_hash = ?, must_change = 0, "
                              "failed_attempts = 0, password_changed = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, account.id);
  if (!gh_database_step_done (database, stmt, error))
    goto fail;

  OPENSSL_cleanse (hash, strlen (hash));

  if (!gh_database_auditf (database, session, error, "operator.password-changed", "operator",
                           account.id, "%s, by the account's owner", account.username))
    goto fail;

  gh_database_touch (database, "operators");

  return gh_database_commit (database, error);

fail:
  gh_database_rollback (database);
  return FALSE;
}

/**
 * gh_auth_must_change_password:
 *
 * gh_auth_must_change_password_at() at the current time.
 */
gboolean
gh_auth_must_change_password (GhDatabase *database,
                              GhSession  *session)
{
  return gh_auth_must_change_password_at (database, session,
                                          g_get_real_time () / G_USEC_PER_SEC);
}

/**
 * gh_auth_must_change_password_at:
 * @now: the current time, Unix seconds
 *
 * Returns: %TRUE when an administrator set this session's password, or the password is older
 *   than the policy's maximum age; the GUI or gatehousectl must then make its owner choose a
 *   new one (gh_auth_change_password()) before anything else
 */
gboolean
gh_auth_must_change_password_at (GhDatabase *database,
                                 GhSession  *session,
                                 gint64      now)
{
  g_autoptr(GhStmt) stmt = NULL;
  GhAuthPolicy policy;
  gboolean must = FALSE;

  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (gh_session_get_operator_id (session) <= 0)
    return FALSE;

  gh_auth_get_policy (database, &policy);

  stmt = gh_database_prepare (database,
                              "SELECT must_change, coalesce (password_changed, created) "
                              "FROM operators WHERE id = ?", NULL);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, gh_session_get_operator_id (session));
  if (sqlite3_step (stmt) == SQLITE_ROW) {
    gint64 changed = sqlite3_column_int64 (stmt, 1);

    must = sqlite3_column_int (stmt, 0) != 0 ||
           (policy.password_max_age_days > 0 &&
            now >= changed + (gint64)policy.password_max_age_days * 86400);
  }

  return must;
}
