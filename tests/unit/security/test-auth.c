/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "gh-auth.h"
#include "gh-database-private.h"
#include "gh-error.h"
#include "gh-kdf.h"
#include "gh-operator-store.h"
#include "security-test-helpers.h"

#define ADMIN_PASSWORD  "Gate-Keeper-92"
#define GUARD_PASSWORD  "Night-Watch-47"
#define T0              1800000000  /* a fixed "now", Unix seconds */

static void
set_fast_policy (SecurityFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GhAuthPolicy policy;

  gh_auth_get_policy (fixture->database, &policy);
  policy.kdf_iterations = SECURITY_TEST_KDF_ITERATIONS;
  g_assert_true (gh_auth_set_policy (fixture->database, fixture->system, &policy, &error));
  g_assert_no_error (error);
}

static GhSession *
make_admin (SecurityFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GhSession *admin;

  set_fast_policy (fixture);
  admin = gh_auth_create_first_administrator (fixture->database, "alice", ADMIN_PASSWORD, "gui",
                                              &error);
  g_assert_no_error (error);
  g_assert_nonnull (admin);

  return admin;
}

static gint64
add_guard (SecurityFixture *fixture,
           GhSession       *admin)
{
  g_autoptr(GhOperatorStore) operators = gh_operator_store_new (fixture->database);
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = gh_operator_store_add (operators, admin, "gary", GUARD_PASSWORD, GH_ROLE_GUARD, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static char *
query_text (GhDatabase *database,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (gh_database_get_handle (database), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return text;
}

static void
test_default_policy (SecurityFixture *fixture,
                     gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = NULL;
  g_autofree char *hash = NULL;
  GhAuthPolicy policy;

  gh_auth_get_policy (fixture->database, &policy);
  g_assert_cmpuint (policy.max_failures, ==, 5);
  g_assert_cmpuint (policy.lockout_seconds, ==, 300);
  g_assert_cmpuint (policy.kdf_iterations, ==, 600000);
  g_assert_cmpuint (policy.idle_lock_seconds, ==, 600);

  /* The product path hashes with 600,000 iterations (this one test pays for it). */
  admin = gh_auth_create_first_administrator (fixture->database, "alice", ADMIN_PASSWORD, "gui",
                                              &error);
  g_assert_no_error (error);
  hash = query_text (fixture->database, "SELECT password_hash FROM operators");
  g_assert_true (g_str_has_prefix (hash, "pbkdf2-sha256$600000$"));
  g_assert_null (strstr (hash, ADMIN_PASSWORD));
}

static void
test_policy_settings (SecurityFixture *fixture,
                      gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) installer = gh_session_new (9, "ian", GH_ROLE_INSTALLER, "test");
  GhAuthPolicy policy, bad, read;

  gh_auth_get_policy (fixture->database, &policy);
  policy.max_failures = 3;
  policy.lockout_seconds = 900;

  g_assert_false (gh_auth_set_policy (fixture->database, installer, &policy, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  bad = policy;
  bad.max_failures = 0;
  g_assert_false (gh_auth_set_policy (fixture->database, fixture->system, &bad, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  bad = policy;
  bad.lockout_seconds = 1;
  g_assert_false (gh_auth_set_policy (fixture->database, fixture->system, &bad, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  bad = policy;
  bad.kdf_iterations = 10;
  g_assert_false (gh_auth_set_policy (fixture->database, fixture->system, &bad, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  bad = policy;
  bad.idle_lock_seconds = 5;
  g_assert_false (gh_auth_set_policy (fixture->database, fixture->system, &bad, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (gh_auth_set_policy (fixture->database, fixture->system, &policy, &error));
  g_assert_no_error (error);

  /* Survives a restart. */
  security_fixture_reopen (fixture);
  gh_auth_get_policy (fixture->database, &read);
  g_assert_cmpuint (read.max_failures, ==, 3);
  g_assert_cmpuint (read.lockout_seconds, ==, 900);
}

static void
test_first_run (SecurityFixture *fixture,
                gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = NULL;
  g_autoptr(GhSession) second = NULL;

  set_fast_policy (fixture);
  g_assert_false (gh_auth_has_operators (fixture->database, &error));
  g_assert_no_error (error);

  /* The policy applies to the first administrator too. */
  admin = gh_auth_create_first_administrator (fixture->database, "alice", "short", "gui",
                                              &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  admin = gh_auth_create_first_administrator (fixture->database, "alice", "Alice-2024!", "gui",
                                              &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  admin = gh_auth_create_first_administrator (fixture->database, " alice", ADMIN_PASSWORD, "gui",
                                              &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  admin = gh_auth_create_first_administrator (fixture->database, "System", ADMIN_PASSWORD, "gui",
                                              &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (gh_auth_has_operators (fixture->database, NULL));

  admin = gh_auth_create_first_administrator (fixture->database, "alice", ADMIN_PASSWORD, "gui",
                                              &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_session_get_role (admin), ==, GH_ROLE_ADMINISTRATOR);
  g_assert_cmpstr (gh_session_get_surface (admin), ==, "gui");
  g_assert_true (gh_auth_has_operators (fixture->database, NULL));

  /* Only once. */
  second = gh_auth_create_first_administrator (fixture->database, "mallory", ADMIN_PASSWORD,
                                               "cli", &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_assert_null (second);
  g_assert_cmpint (security_test_count (fixture->database, "operators"), ==, 1);
}

static void
test_login (SecurityFixture *fixture,
            gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = make_admin (fixture);
  g_autoptr(GhSession) session = NULL;
  g_autofree char *wrong_message = NULL;
  gint64 guard_id = add_guard (fixture, admin);

  session = gh_auth_login_at (fixture->database, "GARY", GUARD_PASSWORD, "cli", T0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gh_session_get_operator_id (session), ==, guard_id);
  g_assert_cmpstr (gh_session_get_username (session), ==, "gary");
  g_assert_cmpint (gh_session_get_role (session), ==, GH_ROLE_GUARD);
  g_assert_cmpstr (gh_session_get_surface (session), ==, "cli");
  g_clear_object (&session);

  session = gh_auth_login_at (fixture->database, "gary", "Night-Watch-48", "cli", T0, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_assert_null (session);
  wrong_message = g_strdup (error->message);
  g_assert_cmpstr (wrong_message, ==, "Wrong user name or password.");
  g_clear_error (&error);

  /* An unknown name: same code, same words. */
  session = gh_auth_login_at (fixture->database, "nobody", GUARD_PASSWORD, "cli", T0, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_assert_cmpstr (error->message, ==, wrong_message);
  g_clear_error (&error);

  session = gh_auth_login_at (fixture->database, "", "", "cli", T0, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Audit: one success, two failures, and no password anywhere in the log. */
  g_assert_cmpint (security_test_count (fixture->database,
                                        "audit_log WHERE action = 'auth.login'"), ==, 1);
  g_assert_cmpint (security_test_count (fixture->database,
                                        "audit_log WHERE action = 'auth.login-failed'"), ==, 2);
  g_assert_cmpint (security_test_count (fixture->database,
                                        "audit_log WHERE detail LIKE '%Night-Watch%' OR "
                                        "object_id LIKE '%Night-Watch%' OR "
                                        "detail LIKE '%Gate-Keeper%'"), ==, 0);
}

/* An attacker tries a list of guesses; the right one comes sixth, too late. */
static void
brute_force (SecurityFixture *fixture,
             const char      *username,
             const char      *right_password)
{
  const char *guesses[] = {
    "Password-01", "Welcome-2024", "Letmein-777", "Qwerty-Pass9", "Dragon-Fire8",
    NULL, "Monkey-Bars4", "Shadow-Run62",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) session = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (guesses); i++) {
    const char *guess = guesses[i] != NULL ? guesses[i] : right_password;

    session = gh_auth_login_at (fixture->database, username, guess, "cli", T0 + i, &error);
    g_assert_null (session);

    if (i < 4) {
      g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
    } else {
      /* The fifth failure locks; from then on even the right password is refused. */
      g_assert_error (error, GH_ERROR, GH_ERROR_LOCKED_OUT);
      g_assert_nonnull (strstr (error->message, "locked until"));
      g_assert_nonnull (strstr (error->message, "minute"));
    }
    g_clear_error (&error);
  }
}

static void
test_brute_force_lockout (SecurityFixture *fixture,
                          gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = make_admin (fixture);
  g_autoptr(GhSession) session = NULL;

  add_guard (fixture, admin);
  brute_force (fixture, "gary", GUARD_PASSWORD);

  /* The lock survives a restart. */
  security_fixture_reopen (fixture);

  session = gh_auth_login_at (fixture->database, "gary", GUARD_PASSWORD, "cli", T0 + 299, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_LOCKED_OUT);
  g_assert_nonnull (strstr (error->message, "in 1 minute"));
  g_clear_error (&error);

  /* Other accounts are not affected. */
  session = gh_auth_login_at (fixture->database, "alice", ADMIN_PASSWORD, "gui", T0 + 10, &error);
  g_assert_no_error (error);
  g_clear_object (&session);

  /* After five minutes the right password works again, and the count starts over. */
  session = gh_auth_login_at (fixture->database, "gary", GUARD_PASSWORD, "cli", T0 + 305, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_clear_object (&session);

  for (guint i = 0; i < 4; i++) {
    session = gh_auth_login_at (fixture->database, "gary", "Wrong-Guess-5", "cli", T0 + 400,
                                &error);
    g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
    g_clear_error (&error);
  }
  /* A success in between resets the count. */
  session = gh_auth_login_at (fixture->database, "gary", GUARD_PASSWORD, "cli", T0 + 400, &error);
  g_assert_no_error (error);
  g_clear_object (&session);
  session = gh_auth_login_at (fixture->database, "gary", "Wrong-Guess-5", "cli", T0 + 400, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_clear_error (&error);

  g_assert_cmpint (security_test_count (fixture->database,
                                        "audit_log WHERE action = 'auth.login-refused'"), >=, 4);
}

static void
test_lockout_configured (SecurityFixture *fixture,
                         gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = make_admin (fixture);
  g_autoptr(GhSession) session = NULL;
  GhAuthPolicy policy;

  add_guard (fixture, admin);
  gh_auth_get_policy (fixture->database, &policy);
  policy.max_failures = 2;
  policy.lockout_seconds = 60;
  g_assert_true (gh_auth_set_policy (fixture->database, admin, &policy, &error));
  g_assert_no_error (error);

  session = gh_auth_login_at (fixture->database, "gary", "Wrong-Guess-5", "cli", T0, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_clear_error (&error);
  session = gh_auth_login_at (fixture->database, "gary", "Wrong-Guess-5", "cli", T0, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_LOCKED_OUT);
  g_clear_error (&error);
  session = gh_auth_login_at (fixture->database, "gary", GUARD_PASSWORD, "cli", T0 + 59, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_LOCKED_OUT);
  g_clear_error (&error);
  session = gh_auth_login_at (fixture->database, "gary", GUARD_PASSWORD, "cli", T0 + 60, &error);
  g_assert_no_error (error);
}

/* Unknown names lock exactly like real ones, so the lock does not reveal who exists. */
static void
test_unknown_user_lockout (SecurityFixture *fixture,
                           gconstpointer    data)
{
  g_autoptr(GhSession) admin = make_admin (fixture);

  brute_force (fixture, "nobody", "Whatever-93");
  g_assert_cmpint (security_test_count (fixture->database, "login_throttle"), ==, 1);
}

/* Failure counts of unknown names are forgotten after a quiet day, unless locked. */
static void
test_throttle_pruned (SecurityFixture *fixture,
                      gconstpointer    data)
{
  g_autoptr(GhSession) admin = make_admin (fixture);
  g_autoptr(GhSession) session = NULL;

  session = gh_auth_login_at (fixture->database, "nobody", "Wrong-Guess-5", "cli", T0, NULL);
  g_assert_null (session);
  brute_force (fixture, "ghost", "Whatever-93");
  g_assert_cmpint (security_test_count (fixture->database, "login_throttle"), ==, 2);

  session = gh_auth_login_at (fixture->database, "someone", "Wrong-Guess-5", "cli", T0 + 100,
                              NULL);
  g_assert_cmpint (security_test_count (fixture->database, "login_throttle"), ==, 3);

  session = gh_auth_login_at (fixture->database, "another", "Wrong-Guess-5", "cli",
                              T0 + 2 * 86400, NULL);
  g_assert_null (session);
  g_assert_cmpint (security_test_count (fixture->database, "login_throttle"), ==, 1);
}

static gint64
time_login (SecurityFixture *fixture,
            const char      *username)
{
  gint64 best = G_MAXINT64;

  for (guint i = 0; i < 3; i++) {
    g_autoptr(GhSession) session = NULL;
    gint64 start = g_get_monotonic_time ();

    session = gh_auth_login_at (fixture->database, username, "Wrong-Guess-5", "cli", T0, NULL);
    g_assert_null (session);
    best = MIN (best, g_get_monotonic_time () - start);
  }

  return best;
}

static void
test_unknown_user_timing (SecurityFixture *fixture,
                          gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = make_admin (fixture);
  GhAuthPolicy policy;
  gint64 known, unknown;

  gh_auth_get_policy (fixture->database, &policy);
  policy.kdf_iterations = 100000;
  policy.max_failures = 100;
  g_assert_true (gh_auth_set_policy (fixture->database, admin, &policy, &error));
  g_assert_no_error (error);

  /* gary's hash uses the new, slower count. */
  add_guard (fixture, admin);

  known = time_login (fixture, "gary");
  unknown = time_login (fixture, "nobody");
  g_test_message ("wrong password %" G_GINT64_FORMAT " µs, unknown name %" G_GINT64_FORMAT " µs",
                  known, unknown);
  /* Both run a full PBKDF2; without the dummy run the unknown name would take ~0. */
  g_assert_cmpint (unknown * 3, >, known);
  g_assert_cmpint (known * 3, >, unknown);
}

static void
test_change_password (SecurityFixture *fixture,
                      gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = make_admin (fixture);
  g_autoptr(GhSession) session = NULL;
  g_autoptr(GhSession) system = gh_session_new_system ("test");

  g_assert_false (gh_auth_change_password_at (fixture->database, admin, "Wrong-Old-123",
                                              "New-Secret-58", T0, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_clear_error (&error);

  g_assert_false (gh_auth_change_password_at (fixture->database, admin, ADMIN_PASSWORD,
                                              "weakpass", T0, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_false (gh_auth_change_password_at (fixture->database, admin, ADMIN_PASSWORD,
                                              ADMIN_PASSWORD, T0, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* The system session is nobody's account. */
  g_assert_false (gh_auth_change_password_at (fixture->database, system, ADMIN_PASSWORD,
                                              "New-Secret-58", T0, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (gh_auth_change_password_at (fixture->database, admin, ADMIN_PASSWORD,
                                             "New-Secret-58", T0, &error));
  g_assert_no_error (error);

  session = gh_auth_login_at (fixture->database, "alice", ADMIN_PASSWORD, "gui", T0, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_clear_error (&error);
  session = gh_auth_login_at (fixture->database, "alice", "New-Secret-58", "gui", T0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);

  g_assert_cmpint (security_test_count (fixture->database,
                                        "audit_log WHERE action = 'operator.password-changed'"),
                   ==, 1);
}

static void
test_admin_reset (SecurityFixture *fixture,
                  gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = make_admin (fixture);
  g_autoptr(GhSession) guard = NULL;
  g_autoptr(GhOperatorStore) operators = gh_operator_store_new (fixture->database);
  g_autoptr(GhOperator) op = NULL;
  gint64 guard_id = add_guard (fixture, admin);

  brute_force (fixture, "gary", GUARD_PASSWORD);

  guard = gh_session_new (guard_id, "gary", GH_ROLE_GUARD, "gui");
  g_assert_false (gh_operator_store_reset_password (operators, guard, guard_id, "Fresh-Start-71",
                                                    &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "Administrator"));
  g_clear_error (&error);
  g_clear_object (&guard);

  g_assert_false (gh_operator_store_reset_password (operators, admin, guard_id, "gary-Pass-94",
                                                    &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (gh_operator_store_reset_password (operators, admin, guard_id, "Fresh-Start-71",
                                                   &error));
  g_assert_no_error (error);

  op = gh_operator_store_get (operators, admin, guard_id, &error);
  g_assert_no_error (error);
  g_assert_true (op->must_change_password);
  g_assert_cmpint (op->locked_until, ==, 0);

  /* The reset also lifted the lock. */
  guard = gh_auth_login_at (fixture->database, "gary", "Fresh-Start-71", "gui", T0 + 10, &error);
  g_assert_no_error (error);
  g_assert_true (gh_auth_must_change_password (fixture->database, guard));
  g_assert_true (gh_auth_change_password_at (fixture->database, guard, "Fresh-Start-71",
                                             "My-Own-Pass-39", T0 + 10, &error));
  g_assert_no_error (error);
  g_assert_false (gh_auth_must_change_password (fixture->database, guard));
}

static void
test_unlock_and_disable (SecurityFixture *fixture,
                         gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = make_admin (fixture);
  g_autoptr(GhSession) session = NULL;
  g_autoptr(GhOperatorStore) operators = gh_operator_store_new (fixture->database);
  gint64 guard_id = add_guard (fixture, admin);

  brute_force (fixture, "gary", GUARD_PASSWORD);
  g_assert_true (gh_operator_store_unlock (operators, admin, guard_id, &error));
  g_assert_no_error (error);
  session = gh_auth_login_at (fixture->database, "gary", GUARD_PASSWORD, "cli", T0 + 10, &error);
  g_assert_no_error (error);
  g_clear_object (&session);

  g_assert_true (gh_operator_store_set_disabled (operators, admin, guard_id, TRUE, &error));
  g_assert_no_error (error);

  /* The right password on a disabled account says so; a wrong one says nothing more. */
  session = gh_auth_login_at (fixture->database, "gary", GUARD_PASSWORD, "cli", T0 + 20, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "disabled"));
  g_clear_error (&error);
  session = gh_auth_login_at (fixture->database, "gary", "Wrong-Guess-5", "cli", T0 + 20, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_assert_cmpstr (error->message, ==, "Wrong user name or password.");
  g_clear_error (&error);

  g_assert_true (gh_operator_store_set_disabled (operators, admin, guard_id, FALSE, &error));
  g_assert_no_error (error);
  session = gh_auth_login_at (fixture->database, "gary", GUARD_PASSWORD, "cli", T0 + 20, &error);
  g_assert_no_error (error);
}

static void
test_last_administrator (SecurityFixture *fixture,
                         gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = make_admin (fixture);
  g_autoptr(GhOperatorStore) operators = gh_operator_store_new (fixture->database);
  g_autoptr(GPtrArray) list = NULL;
  gint64 admin_id = gh_session_get_operator_id (admin);
  gint64 guard_id = add_guard (fixture, admin);

  g_assert_false (gh_operator_store_set_role (operators, admin, admin_id, GH_ROLE_GUARD, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_IN_USE);
  g_clear_error (&error);
  g_assert_false (gh_operator_store_set_disabled (operators, admin, admin_id, TRUE, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_cmpint (gh_operator_store_add (operators, admin, "GARY", "Other-Pass-61",
                                          GH_ROLE_OPERATOR, &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (gh_operator_store_set_role (operators, admin, guard_id, GH_ROLE_ADMINISTRATOR,
                                             &error));
  g_assert_no_error (error);
  g_assert_true (gh_operator_store_set_role (operators, admin, admin_id, GH_ROLE_OPERATOR,
                                             &error));
  g_assert_no_error (error);

  list = gh_operator_store_list (operators, fixture->system, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((GhOperator *)list->pdata[0])->username, ==, "alice");
  g_assert_cmpint (((GhOperator *)list->pdata[0])->role, ==, GH_ROLE_OPERATOR);
  g_assert_cmpint (((GhOperator *)list->pdata[1])->role, ==, GH_ROLE_ADMINISTRATOR);

  g_assert_cmpint (security_test_count (fixture->database,
                                        "audit_log WHERE action = 'operator.role-changed'"), ==, 2);
}

/* Appendix 1: change passwords regularly. */
static void
test_password_age (SecurityFixture *fixture,
                   gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = make_admin (fixture);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GhAuthPolicy policy;

  /* Off by default. */
  g_assert_false (gh_auth_must_change_password_at (fixture->database, admin, now + 3000 * 86400));

  gh_auth_get_policy (fixture->database, &policy);
  policy.password_max_age_days = 4000;
  g_assert_false (gh_auth_set_policy (fixture->database, admin, &policy, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  policy.password_max_age_days = 90;
  g_assert_true (gh_auth_set_policy (fixture->database, admin, &policy, &error));
  g_assert_no_error (error);

  g_assert_false (gh_auth_must_change_password_at (fixture->database, admin, now + 89 * 86400));
  g_assert_true (gh_auth_must_change_password_at (fixture->database, admin, now + 91 * 86400));

  g_assert_true (gh_auth_change_password_at (fixture->database, admin, ADMIN_PASSWORD,
                                             "Fresh-Quarter-83", now + 91 * 86400, &error));
  g_assert_no_error (error);
  g_assert_false (gh_auth_must_change_password_at (fixture->database, admin, now + 92 * 86400));
  g_assert_true (gh_auth_must_change_password_at (fixture->database, admin, now + 182 * 86400));
}

static void
test_rehash (SecurityFixture *fixture,
             gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSession) admin = make_admin (fixture);
  g_autoptr(GhSession) session = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GhAuthPolicy policy;

  before = query_text (fixture->database, "SELECT password_hash FROM operators");
  g_assert_true (g_str_has_prefix (before, "pbkdf2-sha256$1000$"));

  gh_auth_get_policy (fixture->database, &policy);
  policy.kdf_iterations = 2000;
  g_assert_true (gh_auth_set_policy (fixture->database, admin, &policy, &error));
  g_assert_no_error (error);

  session = gh_auth_login_at (fixture->database, "alice", ADMIN_PASSWORD, "gui", T0, &error);
  g_assert_no_error (error);
  after = query_text (fixture->database, "SELECT password_hash FROM operators");
  g_assert_true (g_str_has_prefix (after, "pbkdf2-sha256$2000$"));
  g_assert_true (gh_kdf_verify_password (ADMIN_PASSWORD, after, NULL));
  g_clear_object (&session);

  session = gh_auth_login_at (fixture->database, "alice", ADMIN_PASSWORD, "gui", T0, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  security_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/security/auth/" path, SecurityFixture, NULL, security_fixture_setup, func, \
              security_fixture_teardown)

  ADD ("default-policy", test_default_policy);
  ADD ("policy-settings", test_policy_settings);
  ADD ("first-run", test_first_run);
  ADD ("login", test_login);
  ADD ("brute-force-lockout", test_brute_force_lockout);
  ADD ("lockout-configured", test_lockout_configured);
  ADD ("unknown-user-lockout", test_unknown_user_lockout);
  ADD ("unknown-user-timing", test_unknown_user_timing);
  ADD ("throttle-pruned", test_throttle_pruned);
  ADD ("change-password", test_change_password);
  ADD ("admin-reset", test_admin_reset);
  ADD ("unlock-and-disable", test_unlock_and_disable);
  ADD ("last-administrator", test_last_administrator);
  ADD ("password-age", test_password_age);
  ADD ("rehash", test_rehash);

  return g_test_run ();
}
