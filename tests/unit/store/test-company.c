/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gh-company-store.h"
#include "gh-error.h"

#include "store-test-helpers.h"

static void
test_company (StoreFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr(GhCompanyStore) store = gh_company_store_new (fixture->database);
  g_autoptr(GhCompany) company = NULL;
  g_autoptr(GhCompany) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mode = NULL;

  company = gh_company_store_get (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (company->name, ==, "");

  g_free (company->name);
  company->name = g_strdup ("Green Gardens");
  g_free (company->email);
  company->email = g_strdup ("not an address");
  g_assert_false (gh_company_store_set (store, fixture->admin, company, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_free (company->email);
  company->email = g_strdup ("desk@example.org");
  company->logo = g_bytes_new_static ("PNG", 3);
  company->logo_type = g_strdup ("image/png");
  g_assert_true (gh_company_store_set (store, fixture->admin, company, &error));
  g_assert_no_error (error);

  read = gh_company_store_get (store, &error);
  g_assert_cmpstr (read->name, ==, "Green Gardens");
  g_assert_cmpstr (read->email, ==, "desk@example.org");
  g_assert_true (g_bytes_equal (read->logo, company->logo));

  mode = gh_company_store_get_card_number_display (store);
  g_assert_cmpstr (mode, ==, "hex");
  g_assert_false (gh_company_store_set_card_number_display (store, fixture->admin, "octal",
                                                            &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (gh_company_store_set_card_number_display (store, fixture->guard, "decimal",
                                                            &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
}


int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/company/card-and-display-mode", StoreFixture, NULL, store_fixture_setup,
              test_company, store_fixture_teardown);

  return g_test_run ();
}
