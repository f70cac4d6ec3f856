/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Store benchmarks on a community of 100,000 persons, each with a card:
 *
 *   store.generate_100k_persons   adding them through GhPersonStore (one batch, audited)
 *   store.search_*                person search by ID, card-number or name prefix
 *   store.search_fts5_baseline_*  the same name queries on a bare FTS5 table of the names
 *   store.open_first_page         opening the database and reading the first list page
 *
 * Each result is printed as `BENCH <name> <value> <unit>`. Set GH_BENCH_PERSONS to change
 * the community size.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <time.h>

#include "gh-database.h"
#include "gh-department-store.h"
#include "gh-person-store.h"

#define N_QUERIES 1000

static const char * const surnames[] = {
  "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
  "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang",
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
  "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
  "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
  "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
  "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
  "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Müller", "Schmidt", "Schneider",
  "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter",
  "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Braun", "Hofmann", "Zimmermann",
  "Dubois", "Moreau", "Laurent", "Lefebvre", "Rossi",
};

static const char * const given_names[] = {
  "Wei", "Fang", "Na", "Min", "Jing", "Lei", "Jun", "Yan", "Tao", "Ming", "Hui", "Xin",
  "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
  "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
  "Sarah", "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty",
  "Mark", "Margaret", "Paul", "Sandra", "Steven", "Ashley", "Andrew", "Emily", "Joshua",
  "Donna", "Kevin", "Michelle", "Brian", "Carol", "George", "Amanda", "Timothy", "Melissa",
  "Lukas", "Hannah", "Leon", "Lena", "Finn", "Emma", "Jonas", "Lea", "Noah", "Marie", "Elias",
  "Sophie", "Paul", "Mia", "Louis", "Chloé", "Hugo", "Inès", "Léo", "Camille", "Arthur",
  "Manon", "Jules", "Sarah", "Luca", "Giulia", "Marco", "Chiara", "Ahmed", "Fatima", "Omar",
  "Aisha", "Yusuf", "Mariam", "Hiro", "Yuki", "Sota", "Aoi", "Minjun", "Seoyeon", "Arjun",
  "Priya",
};

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

/* CPU time of this process: on a shared, loaded machine the wall time also counts waiting. */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);

  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *samples,
            double  p)
{
  guint index;

  g_array_sort (samples, compare_doubles);
  index = (guint)(p * (samples->len - 1) + 0.5);

  return g_array_index (samples, double, index);
}

static void
report (const char *name,
        double      value,
        const char *unit)
{
  g_print ("BENCH %s %.3f %s\n", name, value, unit);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_unlink (path);
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GhSession) session = gh_session_new_system ("bench");
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);
  g_autoptr(GPtrArray) persons = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) all_samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) baseline = g_array_new (FALSE, FALSE, sizeof (double));
  const char *kinds[] = { "id", "card", "name" };
  GhDatabase *database;
  GhPersonStore *store;
  GhDepartmentStore *departments;
  gint64 department_ids[20];
  guint n_persons = 100000;
  guint total_results = 0;
  gint64 start;
  double seconds;
  double cpu;

  if (g_getenv ("GH_BENCH_PERSONS") != NULL)
    n_persons = (guint)g_ascii_strtoull (g_getenv ("GH_BENCH_PERSONS"), NULL, 10);

  dir = g_dir_make_tmp ("gh-bench-store-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "gatehouse.db", NULL);

  database = gh_database_open (path, &error);
  g_assert_no_error (error);
  store = gh_person_store_new (database);
  departments = gh_department_store_new (database);

  for (guint i = 0; i < G_N_ELEMENTS (department_ids); i++) {
    g_autofree char *name = g_strdup_printf ("Building %02u", i + 1);

    department_ids[i] = gh_department_store_add (departments, session, 0, name, &error);
    g_assert_no_error (error);
  }

  /* 1. Generate the community through the repository API, in one audited batch. */
  start = now_us ();
  cpu = cpu_seconds ();
  persons = g_ptr_array_new_full (n_persons, g_object_unref);
  for (guint i = 0; i < n_persons; i++) {
    g_autofree char *pid = g_strdup_printf ("%u", 100000 + i);
    g_autofree char *name = g_strdup_printf ("%s %s",
                                             surnames[g_rand_int_range (rand, 0,
                                                                        G_N_ELEMENTS (surnames))],
                                             given_names[g_rand_int_range (rand, 0,
                                                                           G_N_ELEMENTS (given_names))]);
    /* Distinct card numbers: a bijective scramble of i. */
    g_autofree char *card = g_strdup_printf ("%08X", (guint32)((i + 1) * 2654435761u));
    GhPerson *person = gh_person_new (pid, name);

    gh_person_set_card_number (person, card);
    gh_person_set_department_id (person, department_ids[i % G_N_ELEMENTS (department_ids)]);
    g_ptr_array_add (persons, person);
  }
  if (!gh_person_store_add_many (store, session, persons, &error))
    g_error ("Generating persons failed: %s", error->message);
  seconds = (now_us () - start) / 1e6;
  report ("store.generate_100k_persons", seconds, "s");
  report ("store.generate_100k_persons_cpu", cpu_seconds () - cpu, "s");

  for (guint i = 0; i < n_persons; i++) {
    GhPerson *person = g_ptr_array_index (persons, i);

    g_ptr_array_add (ids, g_strdup (gh_person_get_person_id (person)));
    g_ptr_array_add (cards, g_strdup (gh_person_get_card_number (person)));
    g_ptr_array_add (names, g_strdup (gh_person_get_name (person)));
  }
  g_clear_pointer (&persons, g_ptr_array_unref);

  /* 2. Search: N_QUERIES random prefixes of each kind, first 50 results ordered by ID. */
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
    g_autofree char *p50_name = g_strdup_printf ("store.search_%s_p50", kinds[k]);
    g_autofree char *p95_name = g_strdup_printf ("store.search_%s_p95", kinds[k]);

    for (guint q = 0; q < N_QUERIES; q++) {
      guint i = g_rand_int_range (rand, 0, n_persons);
      g_autofree char *query = NULL;
      g_autoptr(GPtrArray) found = NULL;
      double ms;

      if (k == 0) {
        query = g_strndup (g_ptr_array_index (ids, i), g_rand_int_range (rand, 3, 7));
      } else if (k == 1) {
        query = g_ascii_strdown (g_ptr_array_index (cards, i), g_rand_int_range (rand, 4, 9));
      } else {
        const char *name = g_ptr_array_index (names, i);
        const char *word = g_rand_boolean (rand) ? strchr (name, ' ') + 1 : name;

        query = g_utf8_substring (word, 0, g_rand_int_range (rand, 3, 6));
      }

      start = now_us ();
      found = gh_person_store_search (store, query, 50, &error);
      ms = (now_us () - start) / 1e3;
      g_assert_no_error (error);
      if (found->len == 0)
        g_error ("Search for “%s” found nothing", query);
      total_results += found->len;
      g_array_append_val (samples, ms);
      g_array_append_val (all_samples, ms);
    }

    report (p50_name, percentile (samples, 0.50), "ms");
    report (p95_name, percentile (samples, 0.95), "ms");
  }
  report ("store.search_p50", percentile (all_samples, 0.50), "ms");
  report ("store.search_p95", percentile (all_samples, 0.95), "ms");

  /* The list model of a search: counting all matches, then the first page of 200. */
  {
    g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint q = 0; q < N_QUERIES / 10; q++) {
      guint i = g_rand_int_range (rand, 0, n_persons);
      g_autofree char *query = g_utf8_substring (g_ptr_array_index (names, i), 0, 3);
      g_autoptr(GListModel) model = NULL;
      guint n;
      double ms;

      start = now_us ();
      model = gh_person_store_list (store, 0, query);
      n = MIN (200, g_list_model_get_n_items (model));
      for (guint j = 0; j < n; j++)
        g_object_unref (g_list_model_get_item (model, j));
      ms = (now_us () - start) / 1e3;
      g_array_append_val (samples, ms);
    }
    report ("store.search_model_3_letters_p95", percentile (samples, 0.95), "ms");
  }

  /* The baseline: a plain FTS5 prefix query on a bare table of the same names. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *insert = NULL;
    sqlite3_stmt *query = NULL;

    g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "CREATE VIRTUAL TABLE bare USING fts5 (name, "
                                   "prefix = '2 3', tokenize = 'unicode61 remove_diacritics 2');"
                                   "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_prepare_v2 (db, "INSERT INTO bare (name) VALUES (?)", -1, &insert, NULL);
    for (guint i = 0; i < n_persons; i++) {
      sqlite3_bind_text (insert, 1, g_ptr_array_index (names, i), -1, SQLITE_STATIC);
      sqlite3_step (insert);
      sqlite3_reset (insert);
    }
    sqlite3_finalize (insert);
    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);

    sqlite3_prepare_v2 (db, "SELECT rowid, name FROM bare WHERE bare MATCH ? LIMIT 50", -1,
                        &query, NULL);
    for (guint q = 0; q < N_QUERIES; q++) {
      const char *name = g_ptr_array_index (names, g_rand_int_range (rand, 0, n_persons));
      const char *word = g_rand_boolean (rand) ? strchr (name, ' ') + 1 : name;
      g_autofree char *prefix = g_utf8_substring (word, 0, g_rand_int_range (rand, 3, 6));
      g_autofree char *match = g_strdup_printf ("\"%s\"*", prefix);
      double ms;

      start = now_us ();
      sqlite3_bind_text (query, 1, match, -1, SQLITE_STATIC);
      while (sqlite3_step (query) == SQLITE_ROW)
        total_results++;
      sqlite3_reset (query);
      ms = (now_us () - start) / 1e3;
      g_array_append_val (baseline, ms);
    }
    sqlite3_finalize (query);
    sqlite3_close (db);

    report ("store.search_fts5_baseline_p50", percentile (baseline, 0.50), "ms");
    report ("store.search_fts5_baseline_p95", percentile (baseline, 0.95), "ms");
  }

  g_object_unref (departments);
  g_object_unref (store);
  g_object_unref (database);

  /* 3. Open the database and read the first page of the person list. */
  {
    g_autoptr(GListModel) model = NULL;
    guint n;

    start = now_us ();
    database = gh_database_open (path, &error);
    g_assert_no_error (error);
    store = gh_person_store_new (database);
    model = gh_person_store_list (store, 0, NULL);
    n = MIN (g_list_model_get_n_items (model), 200);
    for (guint i = 0; i < n; i++) {
      g_autoptr(GhPerson) person = g_list_model_get_item (model, i);
      g_assert_nonnull (person);
    }
    report ("store.open_first_page", (now_us () - start) / 1e3, "ms");
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_persons);

    /* Also the last page, which OFFSET paging reaches last. */
    start = now_us ();
    for (guint i = n_persons - MIN (n_persons, 200); i < n_persons; i++) {
      g_autoptr(GhPerson) person = g_list_model_get_item (model, i);
      g_assert_nonnull (person);
    }
    report ("store.last_page", (now_us () - start) / 1e3, "ms");

    g_clear_object (&model);
    g_object_unref (store);
    g_object_unref (database);
  }

  g_debug ("%u results in total", total_results);
  remove_dir (dir);

  return 0;
}
