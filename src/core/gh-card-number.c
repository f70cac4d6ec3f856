/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-card-number"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gh-card-number.h"

#include "gh-error.h"

static const struct {
  const char *id;
  const char *name;
} card_kinds[] = {
  [GH_CARD_KIND_ORDINARY] = { "ordinary", N_("Ordinary card") },
  [GH_CARD_KIND_MAIN] = { "main", N_("Main card") },
  [GH_CARD_KIND_DURESS] = { "duress", N_("Duress card") },
};

static const char * const mode_ids[] = {
  [GH_CARD_NUMBER_MODE_HEX] = "hex",
  [GH_CARD_NUMBER_MODE_DECIMAL] = "decimal",
};

/* Checks @text and returns the canonical form, or NULL with an error. */
static char *
canonicalize (const char        *text,
              GhCardNumberMode   mode,
              guint64           *out_value,
              GError           **error)
{
  g_autofree char *s = NULL;
  guint64 value = 0;
  gsize len;

  g_return_val_if_fail (mode <= GH_CARD_NUMBER_MODE_DECIMAL, NULL);

  s = g_strstrip (g_strdup (text != NULL ? text : ""));
  len = strlen (s);

  if (len == 0) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Enter a card number."));
    return NULL;
  }

  if (mode == GH_CARD_NUMBER_MODE_HEX) {
    for (gsize i = 0; i < len; i++) {
      if (!g_ascii_isxdigit (s[i])) {
        g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                     _("The card number “%s” is not hexadecimal: use only the digits 0–9 and "
                       "the letters A–F, without a “0x” prefix."), s);
        return NULL;
      }
    }
    if (len > GH_CARD_NUMBER_HEX_MAX_DIGITS) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("The card number “%s” is too long: a hexadecimal card number has at most "
                     "%d digits."), s, GH_CARD_NUMBER_HEX_MAX_DIGITS);
      return NULL;
    }
    for (gsize i = 0; i < len; i++) {
      s[i] = g_ascii_toupper (s[i]);
      value = (value << 4) | (guint64)g_ascii_xdigit_value (s[i]);
    }
  } else {
    gsize skip;

    for (gsize i = 0; i < len; i++) {
      if (!g_ascii_isdigit (s[i])) {
        g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                     _("The card number “%s” is not a decimal number: use only the digits 0–9, "
                       "or switch the card number mode to hexadecimal."), s);
        return NULL;
      }
    }
    skip = strspn (s, "0");
    if (skip == len)
      skip = len - 1;
    if (len - skip > GH_CARD_NUMBER_DECIMAL_MAX_DIGITS ||
        !g_ascii_string_to_unsigned (s + skip, 10, 0, G_MAXUINT64, &value, NULL)) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("The card number “%s” is too large: the highest decimal card number is "
                     "%" G_GUINT64_FORMAT "."), s, G_MAXUINT64);
      return NULL;
    }
    memmove (s, s + skip, len - skip + 1);
  }

  if (value == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The card number “%s” is zero, which no card has; check the number."), s);
    return NULL;
  }

  if (out_value != NULL)
    *out_value = value;
  return g_steal_pointer (&s);
}

const char *
gh_card_kind_to_string (GhCardKind kind)
{
  g_return_val_if_fail (kind <= GH_CARD_KIND_DURESS, NULL);

  return card_kinds[kind].id;
}

gboolean
gh_card_kind_from_string (const char *str,
                          GhCardKind *out_kind)
{
  g_return_val_if_fail (out_kind != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (card_kinds); i++) {
    if (g_ascii_strcasecmp (str, card_kinds[i].id) == 0) {
      *out_kind = (GhCardKind)i;
      return TRUE;
    }
  }
  return FALSE;
}

const char *
gh_card_kind_get_display_name (GhCardKind kind)
{
  g_return_val_if_fail (kind <= GH_CARD_KIND_DURESS, NULL);

  return _(card_kinds[kind].name);
}

const char *
gh_card_number_mode_to_string (GhCardNumberMode mode)
{
  g_return_val_if_fail (mode <= GH_CARD_NUMBER_MODE_DECIMAL, NULL);

  return mode_ids[mode];
}

gboolean
gh_card_number_mode_from_string (const char       *str,
                                 GhCardNumberMode *out_mode)
{
  g_return_val_if_fail (out_mode != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (mode_ids); i++) {
    if (g_ascii_strcasecmp (str, mode_ids[i]) == 0) {
      *out_mode = (GhCardNumberMode)i;
      return TRUE;
    }
  }
  return FALSE;
}

/**
 * gh_card_number_validate:
 * @text: (nullable): a card number as typed
 * @mode: the mode it was typed in
 *
 * Returns: %TRUE if @text is a valid card number in @mode; otherwise %FALSE with
 *   %GH_ERROR_INVALID_INPUT saying what to fix.
 */
gboolean
gh_card_number_validate (const char        *text,
                         GhCardNumberMode   mode,
                         GError           **error)
{
  g_autofree char *canonical = canonicalize (text, mode, NULL, error);

  return canonical != NULL;
}

/**
 * gh_card_number_normalize:
 *
 * Returns: (transfer full) (nullable): the canonical form: hexadecimal in upper case with
 *   its leading zeros, decimal without leading zeros; %NULL with an error if invalid
 */
char *
gh_card_number_normalize (const char        *text,
                          GhCardNumberMode   mode,
                          GError           **error)
{
  return canonicalize (text, mode, NULL, error);
}

/**
 * gh_card_number_to_value:
 * @out_value: (out): the card number as an integer
 */
gboolean
gh_card_number_to_value (const char        *text,
                         GhCardNumberMode   mode,
                         guint64           *out_value,
                         GError           **error)
{
  g_autofree char *canonical = NULL;
  guint64 value;

  g_return_val_if_fail (out_value != NULL, FALSE);

  canonical = canonicalize (text, mode, &value, error);
  if (canonical == NULL)
    return FALSE;

  *out_value = value;
  return TRUE;
}

/**
 * gh_card_number_from_value:
 * @value: a card number, not 0
 *
 * Returns: (transfer full): @value in @mode; hexadecimal has at least eight digits and an
 *   even number of digits
 */
char *
gh_card_number_from_value (guint64          value,
                           GhCardNumberMode mode)
{
  g_autofree char *hex = NULL;
  gsize len;
  int width;

  g_return_val_if_fail (value != 0, NULL);
  g_return_val_if_fail (mode <= GH_CARD_NUMBER_MODE_DECIMAL, NULL);

  if (mode == GH_CARD_NUMBER_MODE_DECIMAL)
    return g_strdup_printf ("%" G_GUINT64_FORMAT, value);

  hex = g_strdup_printf ("%" G_GINT64_MODIFIER "X", value);
  len = strlen (hex);
  width = MAX (GH_CARD_NUMBER_QR_HEX_DIGITS, (int)(len + (len % 2)));
  return g_strdup_printf ("%0*" G_GINT64_MODIFIER "X", width, value);
}

/**
 * gh_card_number_convert:
 * @text: a card number in @from_mode
 *
 * Returns: (transfer full) (nullable): the same card number in @to_mode (canonical form);
 *   %NULL with an error if @text is not valid in @from_mode
 */
char *
gh_card_number_convert (const char        *text,
                        GhCardNumberMode   from_mode,
                        GhCardNumberMode   to_mode,
                        GError           **error)
{
  g_autofree char *canonical = NULL;
  guint64 value;

  g_return_val_if_fail (to_mode <= GH_CARD_NUMBER_MODE_DECIMAL, NULL);

  canonical = canonicalize (text, from_mode, &value, error);
  if (canonical == NULL)
    return NULL;

  if (from_mode == to_mode)
    return g_steal_pointer (&canonical);

  return gh_card_number_from_value (value, to_mode);
}

/**
 * gh_card_number_equal:
 *
 * Returns: %TRUE if @a and @b are valid in @mode and name the same card ("00ab12cd" and
 *   "AB12CD" do); %FALSE otherwise
 */
gboolean
gh_card_number_equal (const char        *a,
                      const char        *b,
                      GhCardNumberMode   mode)
{
  g_autofree char *ca = NULL;
  g_autofree char *cb = NULL;
  guint64 va, vb;

  ca = canonicalize (a, mode, &va, NULL);
  cb = canonicalize (b, mode, &vb, NULL);

  return ca != NULL && cb != NULL && va == vb;
}

/**
 * gh_card_number_can_show_qr:
 *
 * Returns: %TRUE if @text is a valid card number that can be shown as a QR code: only an
 *   eight-digit hexadecimal card number can
 */
gboolean
gh_card_number_can_show_qr (const char       *text,
                            GhCardNumberMode  mode)
{
  g_autofree char *canonical = NULL;

  if (mode != GH_CARD_NUMBER_MODE_HEX)
    return FALSE;

  canonical = canonicalize (text, mode, NULL, NULL);
  return canonical != NULL && strlen (canonical) == GH_CARD_NUMBER_QR_HEX_DIGITS;
}
