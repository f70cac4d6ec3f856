/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-person-password"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gh-person-password.h"

#include "gh-error.h"

/**
 * gh_person_password_validate:
 * @password: (nullable): the password as typed
 *
 * Returns: %TRUE if @password is 6–8 digits; otherwise %FALSE with %GH_ERROR_INVALID_INPUT
 *   saying what to change.
 */
gboolean
gh_person_password_validate (const char  *password,
                             GError     **error)
{
  gsize len;

  if (password == NULL || *password == '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Enter a password of %d to %d digits."),
                 GH_PERSON_PASSWORD_MIN_DIGITS, GH_PERSON_PASSWORD_MAX_DIGITS);
    return FALSE;
  }

  for (const char *p = password; *p != '\0'; p++) {
    if (!g_ascii_isdigit (*p)) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("The password may contain only digits (0–9), as it is typed on a door "
                     "keypad."));
      return FALSE;
    }
  }

  len = strlen (password);
  if (len < GH_PERSON_PASSWORD_MIN_DIGITS) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The password is too short: it has %u digits, use %d to %d."),
                 (guint)len, GH_PERSON_PASSWORD_MIN_DIGITS, GH_PERSON_PASSWORD_MAX_DIGITS);
    return FALSE;
  }
  if (len > GH_PERSON_PASSWORD_MAX_DIGITS) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The password is too long: it has %u digits, use %d to %d."),
                 (guint)len, GH_PERSON_PASSWORD_MIN_DIGITS, GH_PERSON_PASSWORD_MAX_DIGITS);
    return FALSE;
  }

  return TRUE;
}
