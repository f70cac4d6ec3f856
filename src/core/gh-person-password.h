/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Person (door) passwords.
 *
 * A person may open doors by typing a password on a door station's keypad. The password must
 * consist of 6 to 8 ASCII digits (0–9) and nothing else: no spaces, signs or letters. It is a
 * keypad code, not an operator password, so the strength rules of gh-password-policy.h do not
 * apply.
 */

#define GH_PERSON_PASSWORD_MIN_DIGITS 6
#define GH_PERSON_PASSWORD_MAX_DIGITS 8

gboolean gh_person_password_validate (const char  *password,
                                      GError     **error);

G_END_DECLS
