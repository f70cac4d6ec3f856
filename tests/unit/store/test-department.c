/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gh-department-store.h"
#include "gh-error.h"
#include "gh-person-store.h"

#include "store-test-helpers.h"

static void
test_tree (StoreFixture  *fixture,
           gconstpointer  data)
{
  g_autoptr(GhDepartmentStore) store = gh_department_store_new (fixture->database);
  g_autoptr(GListModel) top = NULL;
  g_autoptr(GListModel) children = NULL;
  g_autoptr(GhDepartment) item = NULL;
  g_autoptr(GError) error = NULL;
  gint64 root;
  gint64 a;
  gint64 b;

  root = gh_department_store_add (store, fixture->admin, 0, "Company", &error);
  a = gh_department_store_add (store, fixture->admin, root, "A", &error);
  b = gh_department_store_add (store, fixture->admin, a, "B", &error);
  g_assert_no_error (error);
  g_assert_cmpint (b, >, 0);

  g_assert_cmpint (gh_department_store_add (store, fixture->admin, root, " A ", &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (gh_department_store_add (store, fixture->admin, root, "  ", &error), ==, 0);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  top = gh_department_store_list_children (store, 0);
  g_assert_cmpuint (g_list_model_get_n_items (top), ==, 1);
  item = g_list_model_get_item (top, 0);
  g_assert_cmpstr (gh_department_get_name (item), ==, "Company");
  children = gh_department_store_create_child_model (item, store);
  g_assert_nonnull (children);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 1);

  g_assert_true (gh_department_store_rename (store, fixture->admin, a, "Alpha", &error));
  g_assert_no_error (error);
  g_clear_object (&item);
  item = g_list_model_get_item (children, 0);
  g_assert_cmpstr (gh_department_get_name (item), ==, "Alpha");

  /* No cycles. */
  g_assert_false (gh_department_store_move (store, fixture->admin, a, b, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_true (gh_department_store_move (store, fixture->admin, b, root, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 2);

  g_assert_false (gh_department_store_add (store, fixture->guard, root, "G", &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED);
}

static void
test_remove_in_use (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(GhDepartmentStore) store = gh_department_store_new (fixture->database);
  g_autoptr(GhPersonStore) persons = gh_person_store_new (fixture->database);
  g_autoptr(GError) error = NULL;
  gint64 ids[3];
  gint64 dept;
  gint64 child;
  gint64 other;

  dept = gh_department_store_add (store, fixture->admin, 0, "Security", &error);
  other = gh_department_store_add (store, fixture->admin, 0, "Facilities", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++) {
    g_autofree char *pid = g_strdup_printf ("S%u", i);
    g_autoptr(GhPerson) person = gh_person_new (pid, "Guard");

    gh_person_set_department_id (person, dept);
    ids[i] = gh_person_store_add (persons, fixture->admin, person, &error);
    g_assert_no_error (error);
  }

  g_assert_false (gh_department_store_remove (store, fixture->admin, dept, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_IN_USE);
  g_assert_nonnull (strstr (error->message, "Security"));
  g_assert_nonnull (strstr (error->message, "3 persons"));
  g_assert_nonnull (strstr (error->message, "Move them"));
  g_clear_error (&error);
  g_assert_cmpint (store_test_count (fixture->database, "departments"), ==, 2);

  /* Batch-move the persons away; then a sub-department still blocks the removal. */
  g_assert_true (gh_person_store_set_department (persons, fixture->admin, ids, 3, other,
                                                 &error));
  g_assert_no_error (error);
  child = gh_department_store_add (store, fixture->admin, dept, "Night shift", &error);
  g_assert_false (gh_department_store_remove (store, fixture->admin, dept, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_IN_USE);
  g_assert_nonnull (strstr (error->message, "sub-department"));
  g_clear_error (&error);

  g_assert_true (gh_department_store_remove (store, fixture->admin, child, &error));
  g_assert_true (gh_department_store_remove (store, fixture->admin, dept, &error));
  g_assert_no_error (error);
  g_assert_false (gh_department_store_remove (store, fixture->admin, dept, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/department/tree", StoreFixture, NULL, store_fixture_setup, test_tree,
              store_fixture_teardown);
  g_test_add ("/store/department/remove-in-use", StoreFixture, NULL, store_fixture_setup,
              test_remove_in_use, store_fixture_teardown);

  return g_test_run ();
}
