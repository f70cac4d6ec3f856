/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-password-policy"

#include "config.h"

#include "gh-error.h"
#include "gh-password-policy.h"

#include "test-helpers.h"

static void
test_good (void)
{
  static const char * const good[] = {
    "Tr0ub4dor&x",
    "correct horse battery staple",  /* lower-case letters and spaces (symbols) */
    "N7q!w2Lp",
    "Zy-Wv-Ts-0q",                   /* descending pairs, but never three in a row */
    "aAbBcC135",                     /* "aAb" is not a run: a, a, b */
    "Ölförråd9",                      /* non-ASCII letters count by character */
    "8901rose",                      /* no wrap-around: 9, 0, 1 is not a run */
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++) {
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) failures = NULL;

    g_test_message ("password %s", good[i]);
    g_assert_cmpint (gh_password_policy_evaluate (good[i], "admin"), ==,
                     GH_PASSWORD_PROBLEM_NONE);
    g_assert_true (gh_password_policy_check (good[i], "admin", &error));
    g_assert_no_error (error);
    failures = gh_password_policy_get_failures (good[i], "admin");
    g_assert_nonnull (failures);
    g_assert_cmpuint (g_strv_length (failures), ==, 0);
  }
}

static void
test_each_rule (void)
{
  static const struct {
    const char *password;
    const char *account;
    GhPasswordProblems problems;
    const char *needle;
  } cases[] = {
    { "Ab1!x", "guard", GH_PASSWORD_PROBLEM_TOO_SHORT, "this password has 5" },
    { "qwertzuiop", "guard", GH_PASSWORD_PROBLEM_TOO_FEW_KINDS, "two kinds" },
    { "QWERTZUIOP", "guard", GH_PASSWORD_PROBLEM_TOO_FEW_KINDS, "two kinds" },
    { "9472958164", "guard", GH_PASSWORD_PROBLEM_TOO_FEW_KINDS, "two kinds" },
    { "x9AdMiN7q", "admin", GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT, "account name “admin”" },
    { "x9nImDa7q", "admin", GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT_REVERSED, "backwards (“nimda”)" },
    { "Pw9x123q!", "guard", GH_PASSWORD_PROBLEM_SEQUENCE, "such as “123”" },
    { "Pw9xCBAq!", "guard", GH_PASSWORD_PROBLEM_SEQUENCE, "such as “CBA”" },
    { "Pw9x321q!", "guard", GH_PASSWORD_PROBLEM_SEQUENCE, "such as “321”" },
    { "Pw9xaBcq!", "guard", GH_PASSWORD_PROBLEM_SEQUENCE, "such as “aBc”" },
    { "Pw9x111q!", "guard", GH_PASSWORD_PROBLEM_REPEATED, "as in “111”" },
    { "Pw9xaAaq!", "guard", GH_PASSWORD_PROBLEM_REPEATED, "as in “aAa”" },
    { "Pw9x!!!q2", "guard", GH_PASSWORD_PROBLEM_REPEATED, "as in “!!!”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) failures = NULL;

    g_test_message ("password %s", cases[i].password);
    g_assert_cmpint (gh_password_policy_evaluate (cases[i].password, cases[i].account), ==,
                     cases[i].problems);
    g_assert_false (gh_password_policy_check (cases[i].password, cases[i].account, &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
    assert_message_contains (error, cases[i].needle);

    failures = gh_password_policy_get_failures (cases[i].password, cases[i].account);
    g_assert_cmpuint (g_strv_length (failures), ==, 1);
    g_assert_cmpstr (failures[0], ==, error->message);
  }
}

static void
test_all_failures (void)
{
  g_auto(GStrv) failures = NULL;
  g_autoptr(GError) error = NULL;
  GhPasswordProblems problems;

  /* Short, one kind, the name, a repeat. */
  problems = gh_password_policy_evaluate ("bobbb", "bob");
  g_assert_cmpint (problems, ==,
                   GH_PASSWORD_PROBLEM_TOO_SHORT | GH_PASSWORD_PROBLEM_TOO_FEW_KINDS |
                   GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT | GH_PASSWORD_PROBLEM_REPEATED);

  problems = gh_password_policy_evaluate ("abc", "cba");
  g_assert_cmpint (problems, ==,
                   GH_PASSWORD_PROBLEM_TOO_SHORT | GH_PASSWORD_PROBLEM_TOO_FEW_KINDS |
                   GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT_REVERSED | GH_PASSWORD_PROBLEM_SEQUENCE);

  failures = gh_password_policy_get_failures ("abc", "cba");
  g_assert_cmpuint (g_strv_length (failures), ==, 4);
  assert_message_contains (&(GError) { .message = failures[0] }, "at least 8");
  assert_message_contains (&(GError) { .message = failures[1] }, "two kinds");
  assert_message_contains (&(GError) { .message = failures[2] }, "backwards (“abc”)");
  assert_message_contains (&(GError) { .message = failures[3] }, "“abc”");

  /* The first rule in order is what check() reports. */
  g_assert_false (gh_password_policy_check ("abc", "cba", &error));
  g_assert_cmpstr (error->message, ==, failures[0]);
}

static void
test_account_rules (void)
{
  /* No account, or a short one, skips the name rules. */
  g_assert_cmpint (gh_password_policy_evaluate ("Xadmin9q!", NULL), ==, 0);
  g_assert_cmpint (gh_password_policy_evaluate ("Xjo9qjo!z", "jo"), ==, 0);
  g_assert_cmpint (gh_password_policy_evaluate ("Xjo9qjo!z", ""), ==, 0);
  /* Palindromes are reported once. */
  g_assert_cmpint (gh_password_policy_evaluate ("X9!annaq", "Anna"), ==,
                   GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT);
  /* Spaces around the account are not part of it. */
  g_assert_cmpint (gh_password_policy_evaluate ("x9AdMiN7q", " admin "), ==,
                   GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT);
}

static void
test_bad_text (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) failures = NULL;

  g_assert_cmpint (gh_password_policy_evaluate ("Abcdefg\xff" "1", "x"), ==,
                   GH_PASSWORD_PROBLEM_NOT_UTF8);
  g_assert_false (gh_password_policy_check ("Ab9!\xc3", "admin", &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "not valid text");
  g_clear_error (&error);

  failures = gh_password_policy_get_failures (NULL, NULL);
  g_assert_cmpuint (g_strv_length (failures), ==, 2);
  g_assert_false (gh_password_policy_check (NULL, NULL, &error));
  assert_message_contains (error, "has 0");
}

static void
test_rules_text (void)
{
  for (guint bit = 0; bit <= 6; bit++)
    g_assert_nonnull (gh_password_problem_get_rule (1u << bit));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/password-policy/good", test_good);
  g_test_add_func ("/core/password-policy/each-rule", test_each_rule);
  g_test_add_func ("/core/password-policy/all-failures", test_all_failures);
  g_test_add_func ("/core/password-policy/account-rules", test_account_rules);
  g_test_add_func ("/core/password-policy/bad-text", test_bad_text);
  g_test_add_func ("/core/password-policy/rules-text", test_rules_text);

  return g_test_run ();
}
