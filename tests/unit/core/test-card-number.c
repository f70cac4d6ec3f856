/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-card-number"

#include "config.h"

#include "gh-card-number.h"
#include "gh-error.h"

#include "test-helpers.h"

static void
test_normalize (void)
{
  static const struct {
    const char *text;
    GhCardNumberMode mode;
    const char *expected;
  } cases[] = {
    { "ab12cd34", GH_CARD_NUMBER_MODE_HEX, "AB12CD34" },
    { " 00ab12 ", GH_CARD_NUMBER_MODE_HEX, "00AB12" },
    { "FFFFFFFFFFFFFFFF", GH_CARD_NUMBER_MODE_HEX, "FFFFFFFFFFFFFFFF" },
    { "1", GH_CARD_NUMBER_MODE_HEX, "1" },
    { "0012001", GH_CARD_NUMBER_MODE_DECIMAL, "12001" },
    { "18446744073709551615", GH_CARD_NUMBER_MODE_DECIMAL, "18446744073709551615" },
    { "000000000000000000000012", GH_CARD_NUMBER_MODE_DECIMAL, "12" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *out = gh_card_number_normalize (cases[i].text, cases[i].mode, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (out, ==, cases[i].expected);
    g_assert_true (gh_card_number_validate (cases[i].text, cases[i].mode, NULL));
  }
}

static void
test_invalid (void)
{
  static const struct {
    const char *text;
    GhCardNumberMode mode;
    const char *needle;
  } cases[] = {
    { NULL, GH_CARD_NUMBER_MODE_HEX, "Enter a card number" },
    { "   ", GH_CARD_NUMBER_MODE_HEX, "Enter a card number" },
    { "0xAB12", GH_CARD_NUMBER_MODE_HEX, "not hexadecimal" },
    { "AB 12", GH_CARD_NUMBER_MODE_HEX, "not hexadecimal" },
    { "G1", GH_CARD_NUMBER_MODE_HEX, "A–F" },
    { "1FFFFFFFFFFFFFFFF", GH_CARD_NUMBER_MODE_HEX, "at most 16 digits" },
    { "00000000", GH_CARD_NUMBER_MODE_HEX, "is zero" },
    { "AB12", GH_CARD_NUMBER_MODE_DECIMAL, "not a decimal number" },
    { "-12", GH_CARD_NUMBER_MODE_DECIMAL, "not a decimal number" },
    { "18446744073709551616", GH_CARD_NUMBER_MODE_DECIMAL, "too large" },
    { "123456789012345678901", GH_CARD_NUMBER_MODE_DECIMAL, "too large" },
    { "0", GH_CARD_NUMBER_MODE_DECIMAL, "is zero" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    guint64 value = 42;

    g_test_message ("case %s", cases[i].text);
    g_assert_false (gh_card_number_validate (cases[i].text, cases[i].mode, &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
    assert_message_contains (error, cases[i].needle);
    g_clear_error (&error);

    out = gh_card_number_convert (cases[i].text, cases[i].mode, GH_CARD_NUMBER_MODE_DECIMAL,
                                  &error);
    g_assert_null (out);
    g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
    g_clear_error (&error);

    g_assert_false (gh_card_number_to_value (cases[i].text, cases[i].mode, &value, &error));
    g_assert_cmpuint (value, ==, 42);
    g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  }
}

static void
test_convert (void)
{
  static const struct {
    const char *hex;
    const char *dec;
    const char *hex_back;
  } cases[] = {
    { "12AB", "4779", "000012AB" },
    { "AB12CD34", "2870136116", "AB12CD34" },
    { "FFFFFFFF", "4294967295", "FFFFFFFF" },
    { "100000000", "4294967296", "0100000000" },
    { "FFFFFFFFFFFFFFFF", "18446744073709551615", "FFFFFFFFFFFFFFFF" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *dec = NULL;
    g_autofree char *hex = NULL;
    guint64 value;

    dec = gh_card_number_convert (cases[i].hex, GH_CARD_NUMBER_MODE_HEX,
                                  GH_CARD_NUMBER_MODE_DECIMAL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (dec, ==, cases[i].dec);

    hex = gh_card_number_convert (dec, GH_CARD_NUMBER_MODE_DECIMAL, GH_CARD_NUMBER_MODE_HEX,
                                  &error);
    g_assert_no_error (error);
    g_assert_cmpstr (hex, ==, cases[i].hex_back);

    g_assert_true (gh_card_number_to_value (cases[i].hex, GH_CARD_NUMBER_MODE_HEX, &value, NULL));
    g_assert_cmpuint (value, ==, g_ascii_strtoull (cases[i].dec, NULL, 10));
    g_assert_true (gh_card_number_equal (cases[i].hex, hex, GH_CARD_NUMBER_MODE_HEX));
  }

  {
    g_autofree char *same = gh_card_number_convert ("ab12", GH_CARD_NUMBER_MODE_HEX,
                                                    GH_CARD_NUMBER_MODE_HEX, NULL);
    g_autofree char *from = gh_card_number_from_value (255, GH_CARD_NUMBER_MODE_HEX);

    g_assert_cmpstr (same, ==, "AB12");
    g_assert_cmpstr (from, ==, "000000FF");
  }
}

static void
test_equal (void)
{
  g_assert_true (gh_card_number_equal ("00ab12cd", "AB12CD", GH_CARD_NUMBER_MODE_HEX));
  g_assert_false (gh_card_number_equal ("AB12CD", "AB12CE", GH_CARD_NUMBER_MODE_HEX));
  g_assert_true (gh_card_number_equal ("0012", "12", GH_CARD_NUMBER_MODE_DECIMAL));
  g_assert_false (gh_card_number_equal ("xyz", "xyz", GH_CARD_NUMBER_MODE_HEX));
  g_assert_false (gh_card_number_equal (NULL, "12", GH_CARD_NUMBER_MODE_DECIMAL));
}

static void
test_qr (void)
{
  g_assert_true (gh_card_number_can_show_qr ("AB12CD34", GH_CARD_NUMBER_MODE_HEX));
  g_assert_true (gh_card_number_can_show_qr ("0012ab34", GH_CARD_NUMBER_MODE_HEX));
  g_assert_true (gh_card_number_can_show_qr (" AB12CD34 ", GH_CARD_NUMBER_MODE_HEX));
  g_assert_false (gh_card_number_can_show_qr ("AB12CD3", GH_CARD_NUMBER_MODE_HEX));
  g_assert_false (gh_card_number_can_show_qr ("AB12CD345", GH_CARD_NUMBER_MODE_HEX));
  g_assert_false (gh_card_number_can_show_qr ("AB12CD3G", GH_CARD_NUMBER_MODE_HEX));
  g_assert_false (gh_card_number_can_show_qr ("00000000", GH_CARD_NUMBER_MODE_HEX));
  /* Decimal mode never shows a QR code, even with eight digits. */
  g_assert_false (gh_card_number_can_show_qr ("12345678", GH_CARD_NUMBER_MODE_DECIMAL));
  g_assert_false (gh_card_number_can_show_qr (NULL, GH_CARD_NUMBER_MODE_HEX));
}

static void
test_enums (void)
{
  GhCardKind kind;
  GhCardNumberMode mode;

  g_assert_cmpint (GH_CARD_NUMBER_MODE_DEFAULT, ==, GH_CARD_NUMBER_MODE_HEX);
  for (GhCardKind k = GH_CARD_KIND_ORDINARY; k <= GH_CARD_KIND_DURESS; k++) {
    g_assert_true (gh_card_kind_from_string (gh_card_kind_to_string (k), &kind));
    g_assert_cmpint (kind, ==, k);
    g_assert_nonnull (gh_card_kind_get_display_name (k));
  }
  g_assert_cmpstr (gh_card_kind_to_string (GH_CARD_KIND_DURESS), ==, "duress");
  g_assert_false (gh_card_kind_from_string ("vip", &kind));
  g_assert_false (gh_card_kind_from_string (NULL, &kind));

  g_assert_true (gh_card_number_mode_from_string ("decimal", &mode));
  g_assert_cmpint (mode, ==, GH_CARD_NUMBER_MODE_DECIMAL);
  g_assert_cmpstr (gh_card_number_mode_to_string (GH_CARD_NUMBER_MODE_HEX), ==, "hex");
  g_assert_false (gh_card_number_mode_from_string ("octal", &mode));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/card-number/normalize", test_normalize);
  g_test_add_func ("/core/card-number/invalid", test_invalid);
  g_test_add_func ("/core/card-number/convert", test_convert);
  g_test_add_func ("/core/card-number/equal", test_equal);
  g_test_add_func ("/core/card-number/qr", test_qr);
  g_test_add_func ("/core/card-number/enums", test_enums);

  return g_test_run ();
}
