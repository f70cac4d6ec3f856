/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Room unlock codes.
 *
 * A room may have an unlock password. A visitor or resident opens the door by typing, on the
 * door station keypad, the room number padded with leading zeros to six digits, followed
 * directly by the room's password: room 11 with password 888888 is `000011888888`.
 *
 * Rules:
 *  - room number: 1–6 ASCII digits, not all zeros. Leading zeros vanish in the padding, so
 *    rooms "302" and "0302" have the same code; callers must not give both a password.
 *  - room (unlock) password: 6–8 ASCII digits. The manual gives only the six-digit example
 *    888888 and no length; we use the rule the manual states for the other keypad password,
 *    the person password (6–8 digits), so one keypad rule covers both. Because the room part
 *    is always six digits, a variable password length is still unambiguous.
 *  - a whole code is therefore 12–14 digits.
 */

#define GH_UNLOCK_CODE_ROOM_DIGITS          6
#define GH_UNLOCK_PASSWORD_MIN_DIGITS       6
#define GH_UNLOCK_PASSWORD_MAX_DIGITS       8

gboolean  gh_unlock_code_validate_room     (const char  *room,
                                            GError     **error);
gboolean  gh_unlock_code_validate_password (const char  *password,
                                            GError     **error);
char     *gh_unlock_code_pad_room          (const char  *room,
                                            GError     **error);
char     *gh_unlock_code_build             (const char  *room,
                                            const char  *password,
                                            GError     **error);
gboolean  gh_unlock_code_parse             (const char  *code,
                                            char       **out_room,
                                            char       **out_password,
                                            GError     **error);

G_END_DECLS
