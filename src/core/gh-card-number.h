/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Card numbers.
 *
 * A card number is the identifier a reader gets from a card. It is shown and entered in one of
 * two modes, chosen once for the whole system (Card Issuing Type); hexadecimal is the default.
 * Changing the mode changes how every stored number is displayed, not the card itself, so the
 * store keeps one mode and converts for display.
 *
 * Rules:
 *  - hexadecimal mode: 1–16 hex digits (0–9, A–F, either case; the canonical form is upper
 *    case). Leading zeros are kept, because they make the printed length: `0012AB34` is an
 *    eight-digit number. No `0x` prefix.
 *  - decimal mode: 1–20 digits, value at most 18446744073709551615 (2^64 − 1). The canonical
 *    form has no leading zeros.
 *  - the value 0 is not a card.
 *  - spaces around the number are ignored; spaces inside are not allowed.
 *  - converting decimal to hexadecimal gives at least eight digits (32-bit cards, the usual
 *    kind, always read as eight digits), and an even number of digits (whole bytes) beyond
 *    that: 4779 → `000012AB`, 2^32 → `0100000000`.
 *  - only an eight-digit hexadecimal card number can be shown as a QR code.
 *
 * Two card numbers are the same card when their values are equal; compare with
 * gh_card_number_equal(), not strcmp().
 */

#define GH_CARD_NUMBER_HEX_MAX_DIGITS     16
#define GH_CARD_NUMBER_DECIMAL_MAX_DIGITS 20
#define GH_CARD_NUMBER_QR_HEX_DIGITS      8

/**
 * GhCardNumberMode:
 * @GH_CARD_NUMBER_MODE_HEX: hexadecimal, the default
 * @GH_CARD_NUMBER_MODE_DECIMAL: decimal
 */
typedef enum {
  GH_CARD_NUMBER_MODE_HEX,
  GH_CARD_NUMBER_MODE_DECIMAL,
} GhCardNumberMode;

#define GH_CARD_NUMBER_MODE_DEFAULT GH_CARD_NUMBER_MODE_HEX

/**
 * GhCardKind:
 * @GH_CARD_KIND_ORDINARY: a plain card
 * @GH_CARD_KIND_MAIN: the main card of a person (of a room, on a door station)
 * @GH_CARD_KIND_DURESS: opens the door but also raises a duress alarm
 */
typedef enum {
  GH_CARD_KIND_ORDINARY,
  GH_CARD_KIND_MAIN,
  GH_CARD_KIND_DURESS,
} GhCardKind;

const char *gh_card_kind_to_string          (GhCardKind         kind);
gboolean    gh_card_kind_from_string        (const char        *str,
                                             GhCardKind        *out_kind);
const char *gh_card_kind_get_display_name   (GhCardKind         kind);

const char *gh_card_number_mode_to_string   (GhCardNumberMode   mode);
gboolean    gh_card_number_mode_from_string (const char        *str,
                                             GhCardNumberMode  *out_mode);

gboolean    gh_card_number_validate         (const char        *text,
                                             GhCardNumberMode   mode,
                                             GError           **error);
char       *gh_card_number_normalize        (const char        *text,
                                             GhCardNumberMode   mode,
                                             GError           **error);
gboolean    gh_card_number_to_value         (const char        *text,
                                             GhCardNumberMode   mode,
                                             guint64           *out_value,
                                             GError           **error);
char       *gh_card_number_from_value       (guint64            value,
                                             GhCardNumberMode   mode);
char       *gh_card_number_convert          (const char        *text,
                                             GhCardNumberMode   from_mode,
                                             GhCardNumberMode   to_mode,
                                             GError           **error);
gboolean    gh_card_number_equal            (const char        *a,
                                             const char        *b,
                                             GhCardNumberMode   mode);
gboolean    gh_card_number_can_show_qr      (const char        *text,
                                             GhCardNumberMode   mode);

G_END_DECLS
