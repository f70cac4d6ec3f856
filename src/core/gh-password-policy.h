/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Operator password policy (strong passwords for the people who sign in to Gatehouse).
 *
 * A password passes when all of these hold:
 *
 *  1. it has at least 8 characters (Unicode characters, not bytes);
 *  2. it mixes at least two of four kinds of characters: upper-case letters, lower-case
 *     letters, digits, and symbols (everything else, including spaces and letters that have
 *     no case);
 *  3. it does not contain the account name, compared without regard to case;
 *  4. it does not contain the account name written backwards, again without regard to case.
 *     Rules 3 and 4 apply to account names of 3 or more characters; a shorter name would
 *     forbid ordinary pairs of letters;
 *  5. it has no run of three consecutive characters going up or down, such as `123`, `abc`,
 *     `cba` or `321`. Runs are looked for among ASCII digits and among ASCII letters
 *     (without regard to case, so `aBc` counts); there is no wrap-around (`890` is fine);
 *  6. it has no character three times in a row, such as `111`, `aaa` or `!!!` (`aAa` counts);
 *
 * and it is valid UTF-8.
 *
 * gh_password_policy_get_failures() lists every broken rule at once (for live feedback while
 * typing); gh_password_policy_check() reports the first one as a #GError.
 */

#define GH_PASSWORD_POLICY_MIN_LENGTH   8
#define GH_PASSWORD_POLICY_MIN_KINDS    2
#define GH_PASSWORD_POLICY_RUN_LENGTH   3

/**
 * GhPasswordProblems:
 * @GH_PASSWORD_PROBLEM_NONE: the password follows every rule
 * @GH_PASSWORD_PROBLEM_TOO_SHORT: fewer than 8 characters
 * @GH_PASSWORD_PROBLEM_TOO_FEW_KINDS: fewer than two kinds of characters
 * @GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT: contains the account name
 * @GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT_REVERSED: contains the account name backwards
 * @GH_PASSWORD_PROBLEM_SEQUENCE: contains a run such as 123, abc, cba
 * @GH_PASSWORD_PROBLEM_REPEATED: contains a character three times in a row
 * @GH_PASSWORD_PROBLEM_NOT_UTF8: is not valid UTF-8 text (no other rule is checked then)
 *
 * Flags: a password can break several rules at once.
 */
typedef enum {
  GH_PASSWORD_PROBLEM_NONE                      = 0,
  GH_PASSWORD_PROBLEM_TOO_SHORT                 = 1 << 0,
  GH_PASSWORD_PROBLEM_TOO_FEW_KINDS             = 1 << 1,
  GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT          = 1 << 2,
  GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT_REVERSED = 1 << 3,
  GH_PASSWORD_PROBLEM_SEQUENCE                  = 1 << 4,
  GH_PASSWORD_PROBLEM_REPEATED                  = 1 << 5,
  GH_PASSWORD_PROBLEM_NOT_UTF8                  = 1 << 6,
} GhPasswordProblems;

GhPasswordProblems   gh_password_policy_evaluate     (const char          *password,
                                                      const char          *account);
char               **gh_password_policy_get_failures (const char          *password,
                                                      const char          *account);
gboolean             gh_password_policy_check        (const char          *password,
                                                      const char          *account,
                                                      GError             **error);
const char          *gh_password_problem_get_rule    (GhPasswordProblems   problem);

G_END_DECLS
