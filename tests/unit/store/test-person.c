/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gh-audit-store.h"
#include "gh-company-store.h"
#include "gh-department-store.h"
#include "gh-error.h"
#include "gh-person-store.h"

#include "store-test-helpers.h"

static gint64
add_person (GhPersonStore *store,
            GhSession     *session,
            const char    *person_id,
            const char    *name,
            const char    *card)
{
  g_autoptr(GhPerson) person = gh_person_new (person_id, name);
  g_autoptr(GError) error = NULL;
  gint64 id;

  gh_person_set_card_number (person, card);
  id = gh_person_store_add (store, session, person, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static void
test_add_get_update_remove (StoreFixture  *fixture,
                            gconstpointer  data)
{
  g_autoptr(GhPersonStore) store = gh_person_store_new (fixture->database);
  g_autoptr(GhPerson) person = NULL;
  g_autoptr(GhPerson) again = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = add_person (store, fixture->admin, "1001", "Zhang San", "a1b2c3d4");
  person = gh_person_store_get (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gh_person_get_person_id (person), ==, "1001");
  g_assert_cmpstr (gh_person_get_name (person), ==, "Zhang San");
  g_assert_cmpstr (gh_person_get_card_number (person), ==, "A1B2C3D4");
  g_assert_cmpstr (gh_person_get_person_type (person), ==, "general");

  gh_person_set_phone (person, "+86 10 1234");
  gh_person_set_extended (person, "{\"car\": \"B-1234\"}");
  g_assert_true (gh_person_store_update (store, fixture->admin, person, &error));
  g_assert_no_error (error);

  again = gh_person_store_find (store, "1001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gh_person_get_phone (again), ==, "+86 10 1234");

  /* Extended fields that are not JSON are refused with a message, not stored. */
  gh_person_set_extended (person, "{not json");
  g_assert_false (gh_person_store_update (store, fixture->admin, person, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (gh_person_store_remove (store, fixture->admin, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_test_count (fixture->database, "cards"), ==, 0);

  g_assert_null (gh_person_store_get (store, id, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
}

static void
test_duplicate_card (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GhPersonStore) store = gh_person_store_new (fixture->database);
  g_autoptr(GhPerson) second = gh_person_new ("1002", "Li Si");
  g_autoptr(GError) error = NULL;
  gint64 first;
  gint64 audit_before;

  first = add_person (store, fixture->admin, "1001", "Zhang San", "00C0FFEE");
  audit_before = store_test_count (fixture->database, "audit_log");

  /* The same card, typed in lower case, is the same card. */
  gh_person_set_card_number (second, "00c0ffee");
  g_assert_cmpint (gh_person_store_add (store, fixture->admin, second, &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "00C0FFEE"));
  g_assert_nonnull (strstr (error->message, "Zhang San"));
  g_assert_nonnull (strstr (error->message, "1001"));
  g_clear_error (&error);

  /* The failed add was rolled back: no person, no audit row. */
  g_assert_cmpint (store_test_count (fixture->database, "persons"), ==, 1);
  g_assert_cmpint (store_test_count (fixture->database, "audit_log"), ==, audit_before);

  /* Adding the card to someone directly is refused the same way. */
  gh_person_set_card_number (second, NULL);
  g_assert_cmpint (gh_person_store_add (store, fixture->admin, second, &error), >, 0);
  g_assert_cmpint (gh_person_store_add_card (store, fixture->admin, gh_person_get_id (second),
                                             "C0FFEE0", NULL, &error), >, 0);
  g_assert_cmpint (gh_person_store_add_card (store, fixture->admin, gh_person_get_id (second),
                                             "00C0FFEE", "duress", &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "Zhang San"));
  g_clear_error (&error);

  /* Leading zeros do not make another card. */
  g_assert_cmpint (gh_person_store_add_card (store, fixture->admin, gh_person_get_id (second),
                                             "C0FFEE", NULL, &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "Zhang San"));
  g_clear_error (&error);

  /* Bad card numbers give a message. */
  g_assert_cmpint (gh_person_store_add_card (store, fixture->admin, first, "12G4", NULL,
                                             &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "12G4"));
  g_clear_error (&error);
  g_assert_cmpint (gh_person_store_add_card (store, fixture->admin, first, "0000", NULL,
                                             &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
}

static void
test_card_kind_and_freeze (StoreFixture  *fixture,
                           gconstpointer  data)
{
  g_autoptr(GhPersonStore) store = gh_person_store_new (fixture->database);
  g_autoptr(GhCompanyStore) company = gh_company_store_new (fixture->database);
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GError) error = NULL;
  GhCard *card;
  gint64 person;
  gint64 second;

  person = add_person (store, fixture->admin, "7", "Wang Wu", "AB");
  second = gh_person_store_add_card (store, fixture->admin, person, "CD", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gh_person_store_set_card_kind (store, fixture->admin, second, "main", &error));
  g_assert_true (gh_person_store_set_card_frozen (store, fixture->admin, second, TRUE, &error));
  g_assert_no_error (error);

  cards = gh_person_store_list_cards (store, person, &error);
  g_assert_cmpuint (cards->len, ==, 2);
  card = g_ptr_array_index (cards, 0);
  g_assert_cmpstr (card->number, ==, "CD");
  g_assert_cmpstr (card->kind, ==, "main");
  g_assert_true (card->frozen);
  card = g_ptr_array_index (cards, 1);
  g_assert_cmpstr (card->kind, ==, "ordinary");

  /* In decimal display mode, numbers are typed in decimal and stored in hexadecimal. */
  g_assert_true (gh_company_store_set_card_number_display (company, fixture->admin, "decimal",
                                                           &error));
  g_assert_cmpint (gh_person_store_add_card (store, fixture->admin, person, "255", NULL,
                                             &error), >, 0);
  g_assert_no_error (error);
  g_clear_pointer (&cards, g_ptr_array_unref);
  cards = gh_person_store_list_cards (store, person, &error);
  g_assert_cmpuint (cards->len, ==, 3);
  card = g_ptr_array_index (cards, 2);
  g_assert_cmpstr (card->number, ==, "000000FF");

  g_assert_true (gh_person_store_remove_card (store, fixture->admin, card->id, &error));
  g_assert_no_error (error);
  g_assert_false (gh_person_store_remove_card (store, fixture->admin, card->id, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
}

static void
test_duplicate_person_id (StoreFixture  *fixture,
                          gconstpointer  data)
{
  g_autoptr(GhPersonStore) store = gh_person_store_new (fixture->database);
  g_autoptr(GhPerson) twin = gh_person_new ("1001", "Other");
  g_autoptr(GhPerson) blank = gh_person_new ("", "Nobody");
  g_autoptr(GError) error = NULL;

  add_person (store, fixture->admin, "1001", "Zhang San", NULL);

  g_assert_cmpint (gh_person_store_add (store, fixture->admin, twin, &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "1001"));
  g_assert_nonnull (strstr (error->message, "Zhang San"));
  g_clear_error (&error);

  g_assert_cmpint (gh_person_store_add (store, fixture->admin, blank, &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Renaming a person to a taken ID is refused too. */
  gh_person_set_person_id (twin, "1002");
  g_assert_cmpint (gh_person_store_add (store, fixture->admin, twin, &error), >, 0);
  gh_person_set_person_id (twin, "1001");
  g_assert_false (gh_person_store_update (store, fixture->admin, twin, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
}

static void
test_faces_and_fingerprints (StoreFixture  *fixture,
                             gconstpointer  data)
{
  g_autoptr(GhPersonStore) store = gh_person_store_new (fixture->database);
  g_autoptr(GBytes) image = g_bytes_new_static ("\xff\xd8\xff\xe0jpeg", 8);
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GError) error = NULL;
  gint64 person;

  person = add_person (store, fixture->admin, "42", "Zhao Liu", NULL);

  g_assert_cmpint (gh_person_store_set_face (store, fixture->admin, person, 0, image, NULL,
                                             &error), ==, 1);
  g_assert_cmpint (gh_person_store_set_face (store, fixture->admin, person, 0, image, NULL,
                                             &error), ==, 2);
  g_assert_no_error (error);

  g_assert_cmpint (gh_person_store_set_face (store, fixture->admin, person, 0, image, NULL,
                                             &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Zhao Liu"));
  g_assert_nonnull (strstr (error->message, "2"));
  g_clear_error (&error);

  g_assert_cmpint (gh_person_store_set_face (store, fixture->admin, person, 3, image, NULL,
                                             &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (store_test_count (fixture->database, "person_faces"), ==, 2);

  /* Replacing slot 2 explicitly is allowed. */
  g_assert_cmpint (gh_person_store_set_face (store, fixture->admin, person, 2, image, "image/png",
                                             &error), ==, 2);
  read = gh_person_store_get_face (store, person, 2, &error);
  g_assert_true (g_bytes_equal (read, image));

  for (int i = 1; i <= 3; i++)
    g_assert_cmpint (gh_person_store_set_fingerprint (store, fixture->admin, person, 0, image,
                                                      FALSE, &error), ==, i);
  g_assert_no_error (error);
  g_assert_cmpint (gh_person_store_set_fingerprint (store, fixture->admin, person, 0, image,
                                                    FALSE, &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "3 fingerprints"));
  g_clear_error (&error);
  g_assert_cmpint (gh_person_store_set_fingerprint (store, fixture->admin, person, 4, image,
                                                    FALSE, &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (store_test_count (fixture->database, "person_fingerprints"), ==, 3);

  /* After removing one, a new one takes the free slot. */
  g_assert_true (gh_person_store_remove_fingerprint (store, fixture->admin, person, 2, &error));
  g_assert_cmpint (gh_person_store_set_fingerprint (store, fixture->admin, person, 0, image,
                                                    TRUE, &error), ==, 2);
  g_assert_no_error (error);
}

static void
test_password (StoreFixture  *fixture,
               gconstpointer  data)
{
  g_autoptr(GhPersonStore) store = gh_person_store_new (fixture->database);
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  gint64 person;

  person = add_person (store, fixture->admin, "5", "Sun Qi", NULL);

  g_assert_false (gh_person_store_set_password (store, fixture->admin, person, "12345", &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (gh_person_store_set_password (store, fixture->admin, person, "12345a",
                                                &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (gh_person_store_set_password (store, fixture->admin, person, "888888", &error));
  g_assert_true (gh_person_store_set_password (store, fixture->admin, person, "12345678",
                                               &error));
  g_assert_no_error (error);
  password = gh_person_store_get_password (store, person, &error);
  g_assert_cmpstr (password, ==, "12345678");
  g_assert_true (gh_person_store_set_password (store, fixture->admin, person, NULL, &error));
  g_assert_cmpint (store_test_count (fixture->database, "person_passwords"), ==, 0);
}

static void
test_guard_denied (StoreFixture  *fixture,
                   gconstpointer  data)
{
  g_autoptr(GhPersonStore) store = gh_person_store_new (fixture->database);
  g_autoptr(GhPerson) person = gh_person_new ("1", "Guarded");
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert_cmpint (gh_person_store_add (store, fixture->guard, person, &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (store_test_count (fixture->database, "persons"), ==, 0);
  g_assert_cmpint (store_test_count (fixture->database, "audit_log"), ==, 0);

  id = add_person (store, fixture->admin, "1", "Guarded", NULL);
  g_assert_false (gh_person_store_remove (store, fixture->guard, id, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (gh_person_store_add_card (store, fixture->guard, id, "AA", NULL, &error), ==,
                   0);
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
  g_assert_cmpint (store_test_count (fixture->database, "persons"), ==, 1);
}

static void
test_audit_in_transaction (StoreFixture  *fixture,
                           gconstpointer  data)
{
  g_autoptr(GhPersonStore) store = gh_person_store_new (fixture->database);
  g_autoptr(GhAuditStore) audit = gh_audit_store_new (fixture->database);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  GhAuditEntry *entry;
  gint64 id;

  id = add_person (store, fixture->admin, "900", "Audited", NULL);
  entries = gh_audit_store_list (audit, fixture->admin, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->action, ==, "person.add");
  g_assert_cmpstr (entry->object_type, ==, "person");
  g_assert_cmpint (g_ascii_strtoll (entry->object_id, NULL, 10), ==, id);
  g_assert_cmpstr (entry->operator_name, ==, "alice");
  g_assert_cmpstr (entry->surface, ==, "test");

  /* A batch leaves one audit row; a batch whose last person fails leaves neither persons nor
   * audit rows. */
  g_ptr_array_add (batch, gh_person_new ("901", "One"));
  g_ptr_array_add (batch, gh_person_new ("902", "Two"));
  g_ptr_array_add (batch, gh_person_new ("900", "Clash"));
  g_assert_false (gh_person_store_add_many (store, fixture->admin, batch, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (store_test_count (fixture->database, "persons"), ==, 1);
  g_assert_cmpint (store_test_count (fixture->database, "audit_log"), ==, 1);

  g_ptr_array_set_size (batch, 2);
  g_assert_true (gh_person_store_add_many (store, fixture->admin, batch, &error));
  g_assert_no_error (error);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = gh_audit_store_list (audit, fixture->admin, 0, 10, &error);
  g_assert_cmpuint (entries->len, ==, 2);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->action, ==, "person.add-many");
  g_assert_nonnull (strstr (entry->detail, "2 persons"));
  g_assert_nonnull (strstr (entry->detail, "901"));
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *counter)
{
  (*counter)++;
}

static void
test_list_and_search (StoreFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(GhPersonStore) store = gh_person_store_new (fixture->database);
  g_autoptr(GhDepartmentStore) departments = gh_department_store_new (fixture->database);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autoptr(GListModel) in_dept = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhPerson) item = NULL;
  g_autoptr(GhPerson) last = NULL;
  guint changes = 0;
  gint64 sales;
  gint64 east;

  sales = gh_department_store_add (departments, fixture->admin, 0, "Sales", &error);
  east = gh_department_store_add (departments, fixture->admin, sales, "East", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 450; i++) {
    g_autofree char *pid = g_strdup_printf ("P%04u", i);
    g_autofree char *name = g_strdup_printf ("%s Person%u", i % 2 ? "Zhang" : "Müller", i);
    g_autofree char *card = g_strdup_printf ("%08X", 0xA0000000u + i);
    GhPerson *person = gh_person_new (pid, name);

    gh_person_set_card_number (person, card);
    gh_person_set_department_id (person, i < 10 ? east : 0);
    g_ptr_array_add (batch, person);
  }
  g_assert_true (gh_person_store_add_many (store, fixture->admin, batch, &error));
  g_assert_no_error (error);

  all = gh_person_store_list (store, 0, NULL);
  g_assert_true (g_list_model_get_item_type (all) == GH_TYPE_PERSON);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 450);
  item = g_list_model_get_item (all, 0);
  g_assert_cmpstr (gh_person_get_person_id (item), ==, "P0000");
  last = g_list_model_get_item (all, 449);
  g_assert_cmpstr (gh_person_get_person_id (last), ==, "P0449");
  g_assert_cmpstr (gh_person_get_card_number (last), ==, "A00001C1");
  g_assert_null (g_list_model_get_item (all, 450));

  /* Sub-departments count for their parent. */
  in_dept = gh_person_store_list (store, sales, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (in_dept), ==, 10);
  g_clear_object (&item);
  item = g_list_model_get_item (in_dept, 0);
  g_assert_cmpstr (gh_person_get_department (item), ==, "East");

  /* By ID prefix, by card prefix (any case), by a word of the name (diacritics folded). */
  found = gh_person_store_list (store, 0, "P012");
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 10);
  g_clear_object (&found);
  found = gh_person_store_list (store, 0, "a000001");
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 16);
  g_clear_object (&found);
  found = gh_person_store_list (store, 0, "zhan");
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 225);
  g_clear_object (&found);
  found = gh_person_store_list (store, 0, "muller");
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 225);
  g_clear_object (&found);
  found = gh_person_store_list (store, east, "person3");
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);

  /* A person matching by ID, card and name at once is listed once. */
  add_person (store, fixture->admin, "AB1", "Abby Abbot", "AB01");
  g_assert_cmpint (gh_person_store_add_card (store, fixture->admin,
                                             gh_person_get_id (item), "AB02", NULL, &error), >, 0);
  g_clear_object (&found);
  found = gh_person_store_list (store, 0, "AB");
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 2);
  g_clear_object (&found);
  found = gh_person_store_list (store, 0, "ab0");
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 2);

  results = gh_person_store_search (store, "person44", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 5);
  g_clear_pointer (&results, g_ptr_array_unref);

  /* Odd input is harmless. */
  results = gh_person_store_search (store, "\"%*'", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 0);
  g_clear_pointer (&results, g_ptr_array_unref);

  /* The model follows changes after commit. */
  g_signal_connect (all, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  add_person (store, fixture->admin, "P9999", "Late Comer", NULL);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 452);
  g_assert_cmpuint (gh_person_store_count (store), ==, 452);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/store/person/" path, StoreFixture, NULL, store_fixture_setup, func, \
              store_fixture_teardown)
  ADD ("add-get-update-remove", test_add_get_update_remove);
  ADD ("duplicate-card", test_duplicate_card);
  ADD ("card-kind-and-freeze", test_card_kind_and_freeze);
  ADD ("duplicate-person-id", test_duplicate_person_id);
  ADD ("faces-and-fingerprints", test_faces_and_fingerprints);
  ADD ("password", test_password);
  ADD ("guard-denied", test_guard_denied);
  ADD ("audit-in-transaction", test_audit_in_transaction);
  ADD ("list-and-search", test_list_and_search);
#undef ADD

  return g_test_run ();
}
