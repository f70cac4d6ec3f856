/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-person-password"

#include "config.h"

#include "gh-error.h"
#include "gh-person-password.h"

#include "test-helpers.h"

static void
test_valid (void)
{
  static const char * const good[] = { "123456", "0000000", "98765432", "000000" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++) {
    g_autoptr(GError) error = NULL;

    g_assert_true (gh_person_password_validate (good[i], &error));
    g_assert_no_error (error);
  }
}

static void
test_invalid (void)
{
  static const struct {
    const char *password;
    const char *needle;
  } cases[] = {
    { NULL, "Enter a password of 6 to 8 digits" },
    { "", "Enter a password of 6 to 8 digits" },
    { "12345", "too short: it has 5 digits" },
    { "123456789", "too long: it has 9 digits" },
    { "12345a", "only digits" },
    { "123 456", "only digits" },
    { "-123456", "only digits" },
    { "１２３４５６", "only digits" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;

    g_assert_false (gh_person_password_validate (cases[i].password, &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
    assert_message_contains (error, cases[i].needle);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/person-password/valid", test_valid);
  g_test_add_func ("/core/person-password/invalid", test_invalid);

  return g_test_run ();
}
