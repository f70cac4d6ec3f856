/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-unlock-code"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gh-unlock-code.h"

#include "gh-error.h"

static gboolean
only_digits (const char *s)
{
  for (; *s != '\0'; s++) {
    if (!g_ascii_isdigit (*s))
      return FALSE;
  }
  return TRUE;
}

/**
 * gh_unlock_code_validate_room:
 * @room: (nullable): a room number, 1–6 digits, not all zeros
 */
gboolean
gh_unlock_code_validate_room (const char  *room,
                              GError     **error)
{
  if (room == NULL || *room == '\0') {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("Enter the room number."));
    return FALSE;
  }

  if (!only_digits (room) || strlen (room) > GH_UNLOCK_CODE_ROOM_DIGITS) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The room number “%s” cannot be used in an unlock code: use 1 to %d "
                   "digits (0–9)."), room, GH_UNLOCK_CODE_ROOM_DIGITS);
    return FALSE;
  }

  if (strspn (room, "0") == strlen (room)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The room number “%s” is zero; rooms are numbered from 1."), room);
    return FALSE;
  }

  return TRUE;
}

/**
 * gh_unlock_code_validate_password:
 * @password: (nullable): a room unlock password, 6–8 digits
 */
gboolean
gh_unlock_code_validate_password (const char  *password,
                                  GError     **error)
{
  gsize len;

  if (password == NULL || *password == '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Enter an unlock password of %d to %d digits."),
                 GH_UNLOCK_PASSWORD_MIN_DIGITS, GH_UNLOCK_PASSWORD_MAX_DIGITS);
    return FALSE;
  }

  if (!only_digits (password)) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("The unlock password may contain only digits (0–9), as it is "
                           "typed on the door station keypad."));
    return FALSE;
  }

  len = strlen (password);
  if (len < GH_UNLOCK_PASSWORD_MIN_DIGITS || len > GH_UNLOCK_PASSWORD_MAX_DIGITS) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The unlock password has %u digits; use %d to %d digits."),
                 (guint)len, GH_UNLOCK_PASSWORD_MIN_DIGITS, GH_UNLOCK_PASSWORD_MAX_DIGITS);
    return FALSE;
  }

  return TRUE;
}

/**
 * gh_unlock_code_pad_room:
 *
 * Returns: (transfer full) (nullable): @room padded with zeros to six digits ("11" →
 *   "000011"), or %NULL with an error if @room is not a valid room number
 */
char *
gh_unlock_code_pad_room (const char  *room,
                         GError     **error)
{
  char *padded;
  gsize len;

  if (!gh_unlock_code_validate_room (room, error))
    return NULL;

  padded = g_malloc (GH_UNLOCK_CODE_ROOM_DIGITS + 1);
  len = strlen (room);
  memset (padded, '0', GH_UNLOCK_CODE_ROOM_DIGITS - len);
  memcpy (padded + GH_UNLOCK_CODE_ROOM_DIGITS - len, room, len + 1);
  return padded;
}

/**
 * gh_unlock_code_build:
 * @room: the room number, e.g. "11"
 * @password: the room's unlock password, e.g. "888888"
 *
 * Returns: (transfer full) (nullable): the code to type on the door station, e.g.
 *   "000011888888", or %NULL with %GH_ERROR_INVALID_INPUT
 */
char *
gh_unlock_code_build (const char  *room,
                      const char  *password,
                      GError     **error)
{
  g_autofree char *padded = NULL;

  padded = gh_unlock_code_pad_room (room, error);
  if (padded == NULL)
    return NULL;

  if (!gh_unlock_code_validate_password (password, error))
    return NULL;

  return g_strconcat (padded, password, NULL);
}

/**
 * gh_unlock_code_parse:
 * @code: a code as typed, e.g. "000011888888"
 * @out_room: (out) (optional): the room number without padding zeros, e.g. "11"
 * @out_password: (out) (optional): the password, e.g. "888888"
 *
 * Splits a typed code into room and password: the first six digits are the room, the rest
 * the password.
 */
gboolean
gh_unlock_code_parse (const char  *code,
                      char       **out_room,
                      char       **out_password,
                      GError     **error)
{
  const char *room_start;
  g_autofree char *room = NULL;
  gsize len;

  if (code == NULL || *code == '\0') {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Enter an unlock code."));
    return FALSE;
  }

  if (!only_digits (code)) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("An unlock code contains only digits: the room number as six digits, "
                           "then the password."));
    return FALSE;
  }

  len = strlen (code);
  if (len < GH_UNLOCK_CODE_ROOM_DIGITS + GH_UNLOCK_PASSWORD_MIN_DIGITS ||
      len > GH_UNLOCK_CODE_ROOM_DIGITS + GH_UNLOCK_PASSWORD_MAX_DIGITS) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("An unlock code has %d to %d digits (six for the room, then the password); "
                   "this one has %u."),
                 GH_UNLOCK_CODE_ROOM_DIGITS + GH_UNLOCK_PASSWORD_MIN_DIGITS,
                 GH_UNLOCK_CODE_ROOM_DIGITS + GH_UNLOCK_PASSWORD_MAX_DIGITS, (guint)len);
    return FALSE;
  }

  room_start = code;
  while (room_start < code + GH_UNLOCK_CODE_ROOM_DIGITS - 1 && *room_start == '0')
    room_start++;
  room = g_strndup (room_start, code + GH_UNLOCK_CODE_ROOM_DIGITS - room_start);

  if (!gh_unlock_code_validate_room (room, error))
    return FALSE;
  if (!gh_unlock_code_validate_password (code + GH_UNLOCK_CODE_ROOM_DIGITS, error))
    return FALSE;

  if (out_room != NULL)
    *out_room = g_steal_pointer (&room);
  if (out_password != NULL)
    *out_password = g_strdup (code + GH_UNLOCK_CODE_ROOM_DIGITS);
  return TRUE;
}
