/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-unlock-code"

#include "config.h"

#include "gh-error.h"
#include "gh-unlock-code.h"

#include "test-helpers.h"

static void
test_build (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *padded = NULL;

  /* The manual's example. */
  code = gh_unlock_code_build ("11", "888888", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "000011888888");
  g_clear_pointer (&code, g_free);

  code = gh_unlock_code_build ("123456", "12345678", &error);
  g_assert_cmpstr (code, ==, "12345612345678");
  g_clear_pointer (&code, g_free);

  code = gh_unlock_code_build ("0302", "4711471", &error);
  g_assert_cmpstr (code, ==, "0003024711471");

  padded = gh_unlock_code_pad_room ("1", &error);
  g_assert_cmpstr (padded, ==, "000001");
}

static void
test_build_invalid (void)
{
  static const struct {
    const char *room;
    const char *password;
    const char *needle;
  } cases[] = {
    { NULL, "888888", "Enter the room number" },
    { "", "888888", "Enter the room number" },
    { "1234567", "888888", "“1234567” cannot be used" },
    { "11a", "888888", "“11a” cannot be used" },
    { "000", "888888", "“000” is zero" },
    { "11", NULL, "Enter an unlock password of 6 to 8 digits" },
    { "11", "88888", "has 5 digits; use 6 to 8" },
    { "11", "888888888", "has 9 digits; use 6 to 8" },
    { "11", "88888x", "only digits" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *code = NULL;

    code = gh_unlock_code_build (cases[i].room, cases[i].password, &error);
    g_assert_null (code);
    g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
    assert_message_contains (error, cases[i].needle);
  }
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *room = NULL;
  g_autofree char *password = NULL;

  g_assert_true (gh_unlock_code_parse ("000011888888", &room, &password, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (room, ==, "11");
  g_assert_cmpstr (password, ==, "888888");
  g_clear_pointer (&room, g_free);
  g_clear_pointer (&password, g_free);

  g_assert_true (gh_unlock_code_parse ("10000012345678", &room, &password, &error));
  g_assert_cmpstr (room, ==, "100000");
  g_assert_cmpstr (password, ==, "12345678");

  /* Optional outputs. */
  g_assert_true (gh_unlock_code_parse ("0000011234567", NULL, NULL, &error));
}

static void
test_parse_invalid (void)
{
  static const struct {
    const char *code;
    const char *needle;
  } cases[] = {
    { NULL, "Enter an unlock code" },
    { "", "Enter an unlock code" },
    { "00001188888", "has 11" },
    { "000011888888888", "has 15" },
    { "0000118888a8", "only digits" },
    { "000000888888", "“0” is zero" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *room = NULL;
    g_autofree char *password = NULL;

    g_assert_false (gh_unlock_code_parse (cases[i].code, &room, &password, &error));
    g_assert_null (room);
    g_assert_null (password);
    g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
    assert_message_contains (error, cases[i].needle);
  }
}

static void
test_round_trip (void)
{
  static const char * const rooms[] = { "1", "11", "302", "0302", "999999" };

  for (guint i = 0; i < G_N_ELEMENTS (rooms); i++) {
    g_autofree char *code = gh_unlock_code_build (rooms[i], "1357924", NULL);
    g_autofree char *room = NULL;
    g_autofree char *password = NULL;
    const char *expected = rooms[i] + strspn (rooms[i], "0");

    g_assert_nonnull (code);
    g_assert_cmpuint (strlen (code), ==, 13);
    g_assert_true (gh_unlock_code_parse (code, &room, &password, NULL));
    g_assert_cmpstr (room, ==, expected);
    g_assert_cmpstr (password, ==, "1357924");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/unlock-code/build", test_build);
  g_test_add_func ("/core/unlock-code/build-invalid", test_build_invalid);
  g_test_add_func ("/core/unlock-code/parse", test_parse);
  g_test_add_func ("/core/unlock-code/parse-invalid", test_parse_invalid);
  g_test_add_func ("/core/unlock-code/round-trip", test_round_trip);

  return g_test_run ();
}
