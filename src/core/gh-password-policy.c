/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-password-policy"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gh-password-policy.h"

#include "gh-error.h"

#define MIN_ACCOUNT_LENGTH 3

/* What one evaluation found, with the offending pieces for the messages. */
typedef struct {
  GhPasswordProblems  problems;
  glong               length;
  char               *account;   /* (owned) as given, stripped */
  char               *reversed;  /* (owned) the account backwards */
  char               *sequence;  /* (owned) the first run like "abc" */
  char               *repeated;  /* (owned) the first run like "aaa" */
} Findings;

static void
findings_clear (Findings *f)
{
  g_clear_pointer (&f->account, g_free);
  g_clear_pointer (&f->reversed, g_free);
  g_clear_pointer (&f->sequence, g_free);
  g_clear_pointer (&f->repeated, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Findings, findings_clear)

static gboolean
is_run_step (gunichar a,
             gunichar b,
             int      step)
{
  return (gint64)b - (gint64)a == step;
}

static gboolean
same_class_ascii (gunichar a,
                  gunichar b,
                  gunichar c)
{
  if (a > 127 || b > 127 || c > 127)
    return FALSE;
  if (g_ascii_isdigit (a) && g_ascii_isdigit (b) && g_ascii_isdigit (c))
    return TRUE;
  return g_ascii_isalpha (a) && g_ascii_isalpha (b) && g_ascii_isalpha (c);
}

static char *
ucs4_slice_to_utf8 (const gunichar *chars,
                    glong           n)
{
  return g_ucs4_to_utf8 (chars, n, NULL, NULL, NULL);
}

static void
evaluate (const char *password,
          const char *account,
          Findings   *f)
{
  g_autofree gunichar *chars = NULL;
  g_autofree gunichar *lower = NULL;
  gboolean has_upper = FALSE, has_lower = FALSE, has_digit = FALSE, has_symbol = FALSE;
  guint kinds;

  memset (f, 0, sizeof *f);

  if (password == NULL)
    password = "";

  if (!g_utf8_validate (password, -1, NULL)) {
    f->problems = GH_PASSWORD_PROBLEM_NOT_UTF8;
    return;
  }

  chars = g_utf8_to_ucs4_fast (password, -1, &f->length);
  lower = g_new (gunichar, f->length + 1);

  for (glong i = 0; i < f->length; i++) {
    gunichar c = chars[i];

    lower[i] = g_unichar_tolower (c);
    if (g_unichar_isupper (c))
      has_upper = TRUE;
    else if (g_unichar_islower (c))
      has_lower = TRUE;
    else if (g_unichar_isdigit (c))
      has_digit = TRUE;
    else
      has_symbol = TRUE;
  }
  lower[f->length] = 0;

  if (f->length < GH_PASSWORD_POLICY_MIN_LENGTH)
    f->problems |= GH_PASSWORD_PROBLEM_TOO_SHORT;

  kinds = !!has_upper + !!has_lower + !!has_digit + !!has_symbol;
  if (kinds < GH_PASSWORD_POLICY_MIN_KINDS)
    f->problems |= GH_PASSWORD_PROBLEM_TOO_FEW_KINDS;

  if (account != NULL && g_utf8_validate (account, -1, NULL)) {
    g_autofree char *stripped = g_strstrip (g_strdup (account));

    if (g_utf8_strlen (stripped, -1) >= MIN_ACCOUNT_LENGTH) {
      g_autofree char *folded_password = g_utf8_casefold (password, -1);
      g_autofree char *folded_account = g_utf8_casefold (stripped, -1);
      g_autofree char *folded_reversed = g_utf8_strreverse (folded_account, -1);

      if (strstr (folded_password, folded_account) != NULL)
        f->problems |= GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT;
      /* A palindrome ("anna") is reported once, as the name itself. */
      if (strcmp (folded_account, folded_reversed) != 0 &&
          strstr (folded_password, folded_reversed) != NULL)
        f->problems |= GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT_REVERSED;

      f->reversed = g_utf8_strreverse (stripped, -1);
      f->account = g_steal_pointer (&stripped);
    }
  }

  for (glong i = 0; i + 2 < f->length; i++) {
    gunichar a = lower[i], b = lower[i + 1], c = lower[i + 2];

    if (f->sequence == NULL && same_class_ascii (a, b, c) &&
        ((is_run_step (a, b, 1) && is_run_step (b, c, 1)) ||
         (is_run_step (a, b, -1) && is_run_step (b, c, -1)))) {
      f->problems |= GH_PASSWORD_PROBLEM_SEQUENCE;
      f->sequence = ucs4_slice_to_utf8 (chars + i, 3);
    }

    if (f->repeated == NULL && a == b && b == c) {
      f->problems |= GH_PASSWORD_PROBLEM_REPEATED;
      f->repeated = ucs4_slice_to_utf8 (chars + i, 3);
    }
  }
}

static char *
describe (const Findings     *f,
          GhPasswordProblems  problem)
{
  switch (problem) {
  case GH_PASSWORD_PROBLEM_TOO_SHORT:
    return g_strdup_printf (_("Use at least %d characters; this password has %ld."),
                            GH_PASSWORD_POLICY_MIN_LENGTH, f->length);
  case GH_PASSWORD_PROBLEM_TOO_FEW_KINDS:
    return g_strdup (_("Mix at least two kinds of characters: upper-case letters, lower-case "
                       "letters, digits and symbols."));
  case GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT:
    return g_strdup_printf (_("Do not use the account name “%s” in the password."),
                            f->account);
  case GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT_REVERSED:
    return g_strdup_printf (_("Do not use the account name backwards (“%s”) in the password."),
                            f->reversed);
  case GH_PASSWORD_PROBLEM_SEQUENCE:
    return g_strdup_printf (_("Avoid consecutive characters such as “%s”."), f->sequence);
  case GH_PASSWORD_PROBLEM_REPEATED:
    return g_strdup_printf (_("Avoid the same character three times in a row, as in “%s”."),
                            f->repeated);
  case GH_PASSWORD_PROBLEM_NOT_UTF8:
    return g_strdup (_("The password contains bytes that are not valid text; type it again."));
  case GH_PASSWORD_PROBLEM_NONE:
  default:
    g_return_val_if_reached (NULL);
  }
}

static const GhPasswordProblems problem_order[] = {
  GH_PASSWORD_PROBLEM_NOT_UTF8,
  GH_PASSWORD_PROBLEM_TOO_SHORT,
  GH_PASSWORD_PROBLEM_TOO_FEW_KINDS,
  GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT,
  GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT_REVERSED,
  GH_PASSWORD_PROBLEM_SEQUENCE,
  GH_PASSWORD_PROBLEM_REPEATED,
};

/**
 * gh_password_policy_evaluate:
 * @password: (nullable): the candidate password (%NULL counts as empty)
 * @account: (nullable): the account name it is for, or %NULL to skip rules 3 and 4
 *
 * Returns: every rule @password breaks, or %GH_PASSWORD_PROBLEM_NONE
 */
GhPasswordProblems
gh_password_policy_evaluate (const char *password,
                             const char *account)
{
  g_auto(Findings) f = { 0 };

  evaluate (password, account, &f);
  return f.problems;
}

/**
 * gh_password_policy_get_failures:
 *
 * Returns: (transfer full): one translated message per broken rule, in the order of the
 *   rules, quoting the offending part where there is one; an empty vector if @password passes
 */
char **
gh_password_policy_get_failures (const char *password,
                                 const char *account)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(Findings) f = { 0 };

  evaluate (password, account, &f);

  for (guint i = 0; i < G_N_ELEMENTS (problem_order); i++) {
    if (f.problems & problem_order[i]) {
      g_autofree char *message = describe (&f, problem_order[i]);

      g_strv_builder_add (builder, message);
    }
  }

  return g_strv_builder_end (builder);
}

/**
 * gh_password_policy_check:
 *
 * Returns: %TRUE if @password follows every rule; otherwise %FALSE with
 *   %GH_ERROR_INVALID_INPUT carrying the message for the first broken rule.
 */
gboolean
gh_password_policy_check (const char  *password,
                          const char  *account,
                          GError     **error)
{
  g_auto(Findings) f = { 0 };

  evaluate (password, account, &f);

  for (guint i = 0; i < G_N_ELEMENTS (problem_order); i++) {
    if (f.problems & problem_order[i]) {
      g_autofree char *message = describe (&f, problem_order[i]);

      g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT, message);
      return FALSE;
    }
  }

  return TRUE;
}

/**
 * gh_password_problem_get_rule:
 * @problem: exactly one flag
 *
 * Returns: the rule that @problem breaks, worded as a checklist item for the password
 *   dialog (e.g. "At least 8 characters")
 */
const char *
gh_password_problem_get_rule (GhPasswordProblems problem)
{
  switch (problem) {
  case GH_PASSWORD_PROBLEM_TOO_SHORT:
    return _("At least 8 characters");
  case GH_PASSWORD_PROBLEM_TOO_FEW_KINDS:
    return _("Two or more of: upper-case letters, lower-case letters, digits, symbols");
  case GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT:
    return _("Does not contain the account name");
  case GH_PASSWORD_PROBLEM_CONTAINS_ACCOUNT_REVERSED:
    return _("Does not contain the account name backwards");
  case GH_PASSWORD_PROBLEM_SEQUENCE:
    return _("No runs like 123, abc or cba");
  case GH_PASSWORD_PROBLEM_REPEATED:
    return _("No character three times in a row, like 111 or aaa");
  case GH_PASSWORD_PROBLEM_NOT_UTF8:
    return _("Valid text");
  case GH_PASSWORD_PROBLEM_NONE:
  default:
    g_return_val_if_reached (NULL);
  }
}
