/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-person-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-person-store.h"
#include "gh-database-private.h"
#include "gh-person-private.h"
#include "gh-sql-list-model.h"

#include "gh-card-number.h"
#include "gh-error.h"
#include "gh-person-password.h"

/**
 * GhPersonStore:
 *
 * Persons and their credentials: cards, the door password, up to two face images and up to
 * three fingerprint templates. Changes need %GH_PERMISSION_PERSONNEL_WRITE and leave an audit
 * row in the same transaction.
 *
 * Search matches a prefix of the person ID, of a card number, or of a word of the name
 * (SQLite FTS5 with prefix indexes, kept in sync by triggers).
 */
struct _GhPersonStore
{
  GObject     parent_instance;

  GhDatabase *database;  /* (owned) */
  gboolean    decimal_cards;  /* the card number display mode, read when a write begins */
};

G_DEFINE_FINAL_TYPE (GhPersonStore, gh_person_store, G_TYPE_OBJECT)

#define PERSON_COLUMNS \
  "p.id, p.person_id, p.name, p.department_id, d.name, p.room_id, p.type, p.gender, p.phone, " \
  "p.email, p.id_number, p.valid_from, p.valid_to, p.remark, p.extended, " \
  "(SELECT c.number FROM cards c WHERE c.person_id = p.id ORDER BY c.kind <> 'main', c.id " \
  "LIMIT 1) "
#define PERSON_FROM " FROM persons p LEFT JOIN departments d ON d.id = p.department_id "
/* Sorting and paging happen on ids alone; the columns (with the card subquery) are then read
 * for the rows of the page only. */
#define PERSON_PAGE(where) \
  "SELECT " PERSON_COLUMNS "FROM (SELECT id FROM persons " where " ORDER BY person_id " \
  "LIMIT ? OFFSET ?) AS page JOIN persons p ON p.id = page.id " \
  "LEFT JOIN departments d ON d.id = p.department_id ORDER BY p.person_id"
/*
 * Search: persons whose ID starts with ?1, then those holding a card whose number starts with
 * ?3, then those with a word of the name starting with the FTS5 prefix query ?5 (?2 and ?4 are
 * the exclusive upper bounds of the two ranges). Each branch streams in index order (person
 * ID, card number, row id) and skips persons an earlier branch already gave, so the first page
 * costs the same whether 10 or 50,000 persons match. The f1..f3 arguments add a condition on
 * the person of each branch (the department filter).
 */
#define NOT_BY_ID(pid) \
  " AND NOT EXISTS (SELECT 1 FROM persons x WHERE x.id = " pid " AND x.person_id >= ?1 " \
  "AND x.person_id < ?2)"
#define SEARCH_UNION(f1, f2, f3) \
  "SELECT id FROM persons WHERE person_id >= ?1 AND person_id < ?2" f1 \
  " UNION ALL SELECT c.person_id FROM cards c WHERE c.number >= ?3 AND c.number < ?4" \
  NOT_BY_ID ("c.person_id") \
  " AND NOT EXISTS (SELECT 1 FROM cards y WHERE y.person_id = c.person_id " \
  "AND y.number >= ?3 AND y.number < c.number)" f2 \
  " UNION ALL SELECT f.rowid FROM person_fts f WHERE person_fts MATCH ?5" NOT_BY_ID ("f.rowid") \
  " AND NOT EXISTS (SELECT 1 FROM cards y WHERE y.person_id = f.rowid AND y.number >= ?3 " \
  "AND y.number < ?4)" f3
#define SEARCH_ALL SEARCH_UNION ("", "", "")
#define SEARCH_IN_SUB \
  SEARCH_UNION (" AND department_id IN sub", \
                " AND (SELECT department_id FROM persons z WHERE z.id = c.person_id) IN sub", \
                " AND (SELECT department_id FROM persons z WHERE z.id = f.rowid) IN sub")
#define SEARCH_PAGE(ids) \
  "SELECT " PERSON_COLUMNS "FROM (" ids " LIMIT ? OFFSET ?) AS page " \
  "JOIN persons p ON p.id = page.id LEFT JOIN departments d ON d.id = p.department_id"
#define SUB_DEPARTMENTS(n) \
  "WITH RECURSIVE sub (id) AS (SELECT ?" n " UNION ALL " \
  "SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id) "

/* The highest code point: appended to a prefix it bounds every string that starts with it. */
#define PREFIX_END "\xf4\x8f\xbf\xbf"

static const char * const person_types[] = {
  "general", "vip", "guest", "patrol", "blocklist", "other", NULL
};
static const char * const genders[] = { "unknown", "male", "female", NULL };
static const char * const card_kinds[] = { "ordinary", "main", "duress", NULL };

void
gh_card_free (GhCard *card)
{
  if (card == NULL)
    return;

  g_free (card->number);
  g_free (card->kind);
  g_free (card);
}

static gpointer
person_from_row (GhStmt *stmt)
{
  GhPerson *person = g_object_new (GH_TYPE_PERSON, NULL);

  gh_person_set_row_id (person, sqlite3_column_int64 (stmt, 0));
  gh_person_set_person_id (person, (const char *)sqlite3_column_text (stmt, 1));
  gh_person_set_name (person, (const char *)sqlite3_column_text (stmt, 2));
  gh_person_set_department_id (person, sqlite3_column_int64 (stmt, 3));
  gh_person_set_department_name (person, (const char *)sqlite3_column_text (stmt, 4));
  gh_person_set_room_id (person, sqlite3_column_int64 (stmt, 5));
  gh_person_set_person_type (person, (const char *)sqlite3_column_text (stmt, 6));
  gh_person_set_gender (person, (const char *)sqlite3_column_text (stmt, 7));
  gh_person_set_phone (person, (const char *)sqlite3_column_text (stmt, 8));
  gh_person_set_email (person, (const char *)sqlite3_column_text (stmt, 9));
  gh_person_set_id_number (person, (const char *)sqlite3_column_text (stmt, 10));
  gh_person_set_valid_from (person, sqlite3_column_int64 (stmt, 11));
  gh_person_set_valid_to (person, sqlite3_column_int64 (stmt, 12));
  gh_person_set_remark (person, (const char *)sqlite3_column_text (stmt, 13));
  gh_person_set_extended (person, (const char *)sqlite3_column_text (stmt, 14));
  gh_person_set_card_number (person, (const char *)sqlite3_column_text (stmt, 15));

  return person;
}

static gboolean
in_list (const char * const *list,
         const char          *value)
{
  return value != NULL && g_strv_contains (list, value);
}

static gboolean
validate_person (GhPerson  *person,
                 GError   **error)
{
  const char *pid = gh_person_get_person_id (person);
  const char *name = gh_person_get_name (person);

  if (pid == NULL || *pid == '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Enter a person ID: every person needs one."));
    return FALSE;
  }

  if (!g_utf8_validate (pid, -1, NULL) || strlen (pid) > 32) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The person ID “%s” is too long: use at most 32 characters."), pid);
    return FALSE;
  }

  for (const char *p = pid; *p; p++) {
    if (g_ascii_iscntrl (*p) || *p == ' ') {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("The person ID “%s” contains a space or control character; use letters, "
                     "digits and punctuation only."), pid);
      return FALSE;
    }
  }

  if (name != NULL && (!g_utf8_validate (name, -1, NULL) || g_utf8_strlen (name, -1) > 64)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The name of person %s is too long: use at most 64 characters."), pid);
    return FALSE;
  }

  if (!in_list (person_types, gh_person_get_person_type (person))) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Unknown person type “%s”."), gh_person_get_person_type (person));
    return FALSE;
  }

  if (!in_list (genders, gh_person_get_gender (person))) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Unknown gender “%s”."), gh_person_get_gender (person));
    return FALSE;
  }

  if (gh_person_get_valid_from (person) > 0 && gh_person_get_valid_to (person) > 0 &&
      gh_person_get_valid_to (person) < gh_person_get_valid_from (person)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The validity of person %s ends before it starts; check the dates."), pid);
    return FALSE;
  }

  return TRUE;
}

/* Card numbers are stored as canonical hexadecimal text and as an integer value (see the
 * schema). In decimal display mode the number is typed in decimal and converted. */
static char *
normalize_card (GhPersonStore  *self,
                const char     *number,
                guint64        *out_value,
                GError        **error)
{
  GhCardNumberMode mode = self->decimal_cards ? GH_CARD_NUMBER_MODE_DECIMAL
                                              : GH_CARD_NUMBER_MODE_HEX;

  if (!gh_card_number_to_value (number, mode, out_value, error))
    return NULL;

  return gh_card_number_convert (number, mode, GH_CARD_NUMBER_MODE_HEX, error);
}

/* Reads "Name (ID)" of a person row, for messages. */
static char *
describe_person (GhPersonStore *self,
                 gint64         id)
{
  g_autoptr(GhStmt) stmt = NULL;

  stmt = gh_database_prepare (self->database,
                              "SELECT person_id, name FROM persons WHERE id = ?", NULL);
  if (stmt == NULL)
    return g_strdup_printf ("#%" G_GINT64_FORMAT, id);

  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return g_strdup_printf ("#%" G_GINT64_FORMAT, id);

  if (sqlite3_column_bytes (stmt, 1) == 0)
    return g_strdup ((const char *)sqlite3_column_text (stmt, 0));

  return g_strdup_printf ("%s (ID %s)", sqlite3_column_text (stmt, 1),
                          sqlite3_column_text (stmt, 0));
}

static gboolean
require_person (GhPersonStore  *self,
                gint64          id,
                GError        **error)
{
  gint64 n = gh_database_query_int (self->database,
                                    "SELECT count(*) FROM persons WHERE id = ?", id, error);

  if (n < 0)
    return FALSE;

  if (n == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The person no longer exists; refresh the list."));
    return FALSE;
  }

  return TRUE;
}

static gboolean
check_department (GhPersonStore  *self,
                  gint64          department_id,
                  GError        **error)
{
  gint64 n;

  if (department_id <= 0)
    return TRUE;

  n = gh_database_query_int (self->database, "SELECT count(*) FROM departments WHERE id = ?",
                             department_id, error);
  if (n < 0)
    return FALSE;

  if (n == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The department chosen no longer exists; choose another one."));
    return FALSE;
  }

  return TRUE;
}

static gboolean
check_person_id_free (GhPersonStore  *self,
                      const char     *person_id,
                      gint64          except_id,
                      GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;

  stmt = gh_database_prepare (self->database,
                              "SELECT id, name FROM persons WHERE person_id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, person_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) != except_id) {
    g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                 _("The person ID %s is already used by %s. Choose another ID."), person_id,
                 sqlite3_column_bytes (stmt, 1) > 0 ? (const char *)sqlite3_column_text (stmt, 1)
                                                    : _("another person"));
    return FALSE;
  }

  return TRUE;
}

static gboolean
check_card_free (GhPersonStore  *self,
                 const char     *number,
                 guint64         value,
                 GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;

  stmt = gh_database_prepare (self->database,
                              "SELECT p.person_id, p.name, c.number FROM cards c "
                              "JOIN persons p ON p.id = c.person_id WHERE c.value = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, (gint64)value);
  if (sqlite3_step (stmt) == SQLITE_ROW) {
    g_set_error (error, GH_ERROR, GH_ERROR_EXISTS,
                 _("Card %s is already issued to %s (person ID %s) as card %s. Take it back "
                   "from that person first, or use another card."),
                 number, sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 0),
                 sqlite3_column_text (stmt, 2));
    return FALSE;
  }

  return TRUE;
}

static gint64
insert_card (GhPersonStore  *self,
             GhSession      *session,
             gint64          person,
             const char     *number,
             const char     *kind,
             char          **out_canonical,
             GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *canonical = NULL;
  guint64 value = 0;
  gint64 id;

  if (kind == NULL)
    kind = "ordinary";

  if (!in_list (card_kinds, kind)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Unknown card kind “%s”: use ordinary, main or duress."), kind);
    return 0;
  }

  canonical = normalize_card (self, number, &value, error);
  if (canonical == NULL)
    return 0;

  stmt = gh_database_prepare (self->database,
                              "INSERT INTO cards (number, value, person_id, kind) "
                              "VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, canonical, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, (gint64)value);
  sqlite3_bind_int64 (stmt, 3, person);
  sqlite3_bind_text (stmt, 4, kind, -1, SQLITE_STATIC);

  /* The UNIQUE index finds a taken card; only then look up who holds it. */
  if (sqlite3_step (stmt) != SQLITE_DONE) {
    if (!gh_database_is_constraint (self->database) ||
        check_card_free (self, canonical, value, error))
      gh_database_fail (self->database, error, "adding a card");
    return 0;
  }

  id = gh_database_last_insert_id (self->database);

  /* When the card comes with a new person, the person's audit row names it. */
  if (out_canonical != NULL) {
    *out_canonical = g_steal_pointer (&canonical);
    return id;
  }

  if (!gh_database_auditf (self->database, session, error, "card.add", "person", person,
                           "card %s (%s)", canonical, kind))
    return 0;

  return id;
}

/* After a constraint failure on persons: find which rule broke and say so. */
static void
explain_person_failure (GhPersonStore  *self,
                        GhPerson       *person,
                        gint64          except_id,
                        GError        **error)
{
  g_autofree char *message = NULL;

  if (!gh_database_is_constraint (self->database)) {
    gh_database_fail (self->database, error, "saving a person");
    return;
  }

  message = g_strdup (sqlite3_errmsg (gh_database_get_handle (self->database)));

  if (!check_person_id_free (self, gh_person_get_person_id (person), except_id, error) ||
      !check_department (self, gh_person_get_department_id (person), error))
    return;

  g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
               _("Person %s was refused (%s). The extended fields must be a JSON object and "
                 "the room must exist."), gh_person_get_person_id (person), message);
}

/* @audit: whether to write the person's own audit row (a batch writes one for all). */
static gint64
insert_person (GhPersonStore  *self,
               GhSession      *session,
               GhPerson       *person,
               gboolean        audit,
               GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *canonical = NULL;
  const char *card;
  gint64 id;

  if (!validate_person (person, error))
    return 0;

  stmt = gh_database_prepare (self->database,
                              "INSERT INTO persons (person_id, name, department_id, room_id, "
                              "type, gender, phone, email, id_number, valid_from, valid_to, "
                              "remark, extended) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, gh_person_get_person_id (person), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, gh_person_get_name (person) ? gh_person_get_name (person) : "",
                     -1, SQLITE_STATIC);
  gh_stmt_bind_id (stmt, 3, gh_person_get_department_id (person));
  gh_stmt_bind_id (stmt, 4, gh_person_get_room_id (person));
  sqlite3_bind_text (stmt, 5, gh_person_get_person_type (person), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, gh_person_get_gender (person), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, gh_person_get_phone (person) ?: "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, gh_person_get_email (person) ?: "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, gh_person_get_id_number (person) ?: "", -1, SQLITE_STATIC);
  gh_stmt_bind_id (stmt, 10, gh_person_get_valid_from (person));
  gh_stmt_bind_id (stmt, 11, gh_person_get_valid_to (person));
  sqlite3_bind_text (stmt, 12, gh_person_get_remark (person) ?: "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, gh_person_get_extended (person) ?: "{}", -1, SQLITE_STATIC);

  if (sqlite3_step (stmt) != SQLITE_DONE) {
    explain_person_failure (self, person, 0, error);
    return 0;
  }

  id = gh_database_last_insert_id (self->database);

  card = gh_person_get_card_number (person);
  if (card != NULL && *card != '\0' &&
      insert_card (self, session, id, card, "main", &canonical, error) == 0)
    return 0;

  if (audit &&
      !gh_database_auditf (self->database, session, error, "person.add", "person", id,
                           "%s %s%s%s", gh_person_get_person_id (person),
                           gh_person_get_name (person) ?: "",
                           canonical ? ", main card " : "", canonical ? canonical : ""))
    return 0;

  gh_person_set_row_id (person, id);

  return id;
}

/* Adds the persons with row ids from @first_id on to the name index (see the schema). */
static gboolean
index_new_persons (GhPersonStore  *self,
                   gint64          first_id,
                   GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;

  stmt = gh_database_prepare (self->database,
                              "INSERT INTO person_fts (rowid, name) "
                              "SELECT id, name FROM persons WHERE id >= ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, first_id);

  return gh_database_step_done (self->database, stmt, error);
}

/* Begins a write: checks the permission and opens a transaction. */
static gboolean
begin_write (GhPersonStore  *self,
             GhSession      *session,
             GError        **error)
{
  g_return_val_if_fail (GH_IS_PERSON_STORE (self), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  g_autofree char *mode = NULL;

  if (!gh_session_check (session, GH_PERMISSION_PERSONNEL_WRITE, error) ||
      !gh_database_begin (self->database, error))
    return FALSE;

  mode = gh_database_get_setting (self->database, "card-number-display");
  self->decimal_cards = g_strcmp0 (mode, "decimal") == 0;

  return TRUE;
}

static gboolean
end_write (GhPersonStore  *self,
           gboolean        ok,
           GError        **error)
{
  if (!ok) {
    gh_database_rollback (self->database);
    return FALSE;
  }

  gh_database_touch (self->database, "persons");

  return gh_database_commit (self->database, error);
}

static void
gh_person_store_dispose (GObject *object)
{
  GhPersonStore *self = (GhPersonStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_person_store_parent_class)->dispose (object);
}

static void
gh_person_store_class_init (GhPersonStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_person_store_dispose;
}

static void
gh_person_store_init (GhPersonStore *self)
{
}

GhPersonStore *
gh_person_store_new (GhDatabase *database)
{
  GhPersonStore *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  self = g_object_new (GH_TYPE_PERSON_STORE, NULL);
  self->database = g_object_ref (database);

  return self;
}

/**
 * gh_person_store_add:
 * @person: the new person; if #GhPerson:card-number is set, that card is issued as main card
 *
 * Returns: the row id of the new person (also set on @person), or 0 with @error set
 */
gint64
gh_person_store_add (GhPersonStore  *self,
                     GhSession      *session,
                     GhPerson       *person,
                     GError        **error)
{
  gint64 id;

  g_return_val_if_fail (GH_IS_PERSON (person), 0);

  if (!begin_write (self, session, error))
    return 0;

  id = insert_person (self, session, person, TRUE, error);

  if (!end_write (self, id > 0 && index_new_persons (self, id, error), error))
    return 0;

  return id;
}

/**
 * gh_person_store_add_many:
 * @persons: (element-type GhPerson): the persons to add
 *
 * Adds all persons in one transaction: either all are added or none. The batch is one
 * operator action and leaves one audit row ("person.add-many") naming how many persons were
 * added and their range of row ids and person IDs.
 */
gboolean
gh_person_store_add_many (GhPersonStore  *self,
                          GhSession      *session,
                          GPtrArray      *persons,
                          GError        **error)
{
  gboolean ok = TRUE;
  gint64 first_id = 0;

  g_return_val_if_fail (persons != NULL, FALSE);

  if (!begin_write (self, session, error))
    return FALSE;

  for (guint i = 0; ok && i < persons->len; i++) {
    gint64 id = insert_person (self, session, g_ptr_array_index (persons, i), FALSE, error);

    ok = id > 0;
    if (first_id == 0)
      first_id = id;
  }

  if (ok && first_id > 0) {
    GhPerson *first = g_ptr_array_index (persons, 0);
    GhPerson *last = g_ptr_array_index (persons, persons->len - 1);

    ok = index_new_persons (self, first_id, error) &&
         gh_database_auditf (self->database, session, error, "person.add-many", "person",
                             first_id, "%u persons, rows %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT
                             ", person IDs %s … %s", persons->len, first_id,
                             gh_person_get_id (last), gh_person_get_person_id (first),
                             gh_person_get_person_id (last));
  }

  return end_write (self, ok, error);
}

/**
 * gh_person_store_update:
 *
 * Saves the fields of @person (found by its row id). Cards, password, faces and fingerprints
 * are changed with their own functions; #GhPerson:card-number is ignored here.
 */
gboolean
gh_person_store_update (GhPersonStore  *self,
                        GhSession      *session,
                        GhPerson       *person,
                        GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gint64 id;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_PERSON (person), FALSE);

  if (!begin_write (self, session, error))
    return FALSE;

  id = gh_person_get_id (person);

  if (!require_person (self, id, error) || !validate_person (person, error))
    goto out;

  stmt = gh_database_prepare (self->database,
                              "UPDATE persons SET person_id = ?, name = ?, department_id = ?, "
                              "room_id = ?, type = ?, gender = ?, phone = ?, email = ?, "
                              "id_number = ?, valid_from = ?, valid_to = ?, remark = ?, "
                              "extended = ?, updated = unixepoch () WHERE id = ?", error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_text (stmt, 1, gh_person_get_person_id (person), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, gh_person_get_name (person) ?: "", -1, SQLITE_STATIC);
  gh_stmt_bind_id (stmt, 3, gh_person_get_department_id (person));
  gh_stmt_bind_id (stmt, 4, gh_person_get_room_id (person));
  sqlite3_bind_text (stmt, 5, gh_person_get_person_type (person), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, gh_person_get_gender (person), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, gh_person_get_phone (person) ?: "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, gh_person_get_email (person) ?: "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, gh_person_get_id_number (person) ?: "", -1, SQLITE_STATIC);
  gh_stmt_bind_id (stmt, 10, gh_person_get_valid_from (person));
  gh_stmt_bind_id (stmt, 11, gh_person_get_valid_to (person));
  sqlite3_bind_text (stmt, 12, gh_person_get_remark (person) ?: "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, gh_person_get_extended (person) ?: "{}", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 14, id);

  if (sqlite3_step (stmt) != SQLITE_DONE) {
    explain_person_failure (self, person, id, error);
    goto out;
  }

  ok = gh_database_auditf (self->database, session, error, "person.update", "person", id,
                           "%s %s", gh_person_get_person_id (person),
                           gh_person_get_name (person) ?: "");

out:
  return end_write (self, ok, error);
}

gboolean
gh_person_store_remove (GhPersonStore  *self,
                        GhSession      *session,
                        gint64          id,
                        GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autofree char *who = NULL;
  gboolean ok = FALSE;

  if (!begin_write (self, session, error))
    return FALSE;

  if (!require_person (self, id, error))
    goto out;

  who = describe_person (self, id);

  stmt = gh_database_prepare (self->database, "DELETE FROM persons WHERE id = ?", error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_int64 (stmt, 1, id);
  ok = gh_database_step_done (self->database, stmt, error) &&
       gh_database_auditf (self->database, session, error, "person.remove", "person", id,
                           "%s", who);

out:
  return end_write (self, ok, error);
}

/**
 * gh_person_store_set_department:
 * @department_id: the new department, or 0 for none
 *
 * Moves several persons to one department (batch edit).
 */
gboolean
gh_person_store_set_department (GhPersonStore  *self,
                                GhSession      *session,
                                const gint64   *ids,
                                guint           n_ids,
                                gint64          department_id,
                                GError        **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (!begin_write (self, session, error))
    return FALSE;

  ok = check_department (self, department_id, error);

  for (guint i = 0; ok && i < n_ids; i++) {
    g_autoptr(GhStmt) stmt = NULL;

    ok = require_person (self, ids[i], error);
    if (!ok)
      break;

    stmt = gh_database_prepare (self->database,
                                "UPDATE persons SET department_id = ?, updated = unixepoch () "
                                "WHERE id = ?", error);
    ok = stmt != NULL;
    if (!ok)
      break;

    gh_stmt_bind_id (stmt, 1, department_id);
    sqlite3_bind_int64 (stmt, 2, ids[i]);
    ok = gh_database_step_done (self->database, stmt, error) &&
         gh_database_auditf (self->database, session, error, "person.move", "person", ids[i],
                             "department %" G_GINT64_FORMAT, department_id);
  }

  return end_write (self, ok, error);
}

GhPerson *
gh_person_store_get (GhPersonStore  *self,
                     gint64          id,
                     GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_PERSON_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT " PERSON_COLUMNS PERSON_FROM "WHERE p.id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return person_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The person no longer exists; refresh the list."));
  else
    gh_database_fail (self->database, error, "reading a person");

  return NULL;
}

/**
 * gh_person_store_find:
 * @person_id: the person ID (not the row id)
 */
GhPerson *
gh_person_store_find (GhPersonStore  *self,
                      const char     *person_id,
                      GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_PERSON_STORE (self), NULL);
  g_return_val_if_fail (person_id != NULL, NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT " PERSON_COLUMNS PERSON_FROM "WHERE p.person_id = ?",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, person_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return person_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("No person has the ID %s."), person_id);
  else
    gh_database_fail (self->database, error, "reading a person");

  return NULL;
}

guint
gh_person_store_count (GhPersonStore *self)
{
  g_return_val_if_fail (GH_IS_PERSON_STORE (self), 0);

  return (guint)MAX (0, gh_database_query_int (self->database, "SELECT count(*) FROM persons",
                                               0, NULL));
}

/* Parameters ?1..?5 of SEARCH_UNION for @text. */
static void
add_search_params (GVariantBuilder *builder,
                   const char      *text)
{
  g_autofree char *upper = g_ascii_strup (text, -1);
  g_autoptr(GString) fts = g_string_new ("\"");

  for (const char *p = text; *p; p++) {
    if (*p == '"')
      g_string_append_c (fts, '"');
    g_string_append_c (fts, *p);
  }
  g_string_append (fts, "\"*");

  g_variant_builder_add (builder, "s", text);
  g_variant_builder_add_value (builder, g_variant_new_take_string (g_strconcat (text, PREFIX_END,
                                                                                NULL)));
  g_variant_builder_add (builder, "s", upper);
  g_variant_builder_add_value (builder, g_variant_new_take_string (g_strconcat (upper,
                                                                                PREFIX_END,
                                                                                NULL)));
  g_variant_builder_add (builder, "s", fts->str);
}

/**
 * gh_person_store_list:
 * @department_id: only persons of this department and its sub-departments, or 0 for all
 * @search: (nullable): only persons whose ID, card number or a word of the name starts with it
 *
 * Without @search the persons are ordered by person ID; with it, ID matches come first (by ID),
 * then card matches (by card number), then name matches (in the order they were added). A
 * one-letter search over a large community matches many persons: counting them takes tens of
 * milliseconds, so views should wait for a pause in typing.
 *
 * Returns: (transfer full): a #GListModel of #GhPerson that reads its rows from the database in
 *   pages and follows changes
 */
GListModel *
gh_person_store_list (GhPersonStore *self,
                      gint64         department_id,
                      const char    *search)
{
  GVariantBuilder builder;
  const char *count_sql;
  const char *page_sql;
  g_autofree char *text = NULL;

  g_return_val_if_fail (GH_IS_PERSON_STORE (self), NULL);

  text = g_strstrip (g_strdup (search ? search : ""));
  g_variant_builder_init (&builder, G_VARIANT_TYPE_TUPLE);

  if (*text == '\0' && department_id <= 0) {
    count_sql = "SELECT count(*) FROM persons";
    page_sql = PERSON_PAGE ("");
  } else if (*text == '\0') {
    g_variant_builder_add (&builder, "x", department_id);
    count_sql = SUB_DEPARTMENTS ("1") "SELECT count(*) FROM persons WHERE department_id IN sub";
    page_sql = SUB_DEPARTMENTS ("1") PERSON_PAGE ("WHERE department_id IN sub");
  } else if (department_id <= 0) {
    add_search_params (&builder, text);
    count_sql = "SELECT count(*) FROM (" SEARCH_ALL ")";
    page_sql = SEARCH_PAGE (SEARCH_ALL);
  } else {
    add_search_params (&builder, text);
    g_variant_builder_add (&builder, "x", department_id);
    count_sql = SUB_DEPARTMENTS ("6") "SELECT count(*) FROM (" SEARCH_IN_SUB ")";
    page_sql = SUB_DEPARTMENTS ("6") SEARCH_PAGE (SEARCH_IN_SUB);
  }

  return G_LIST_MODEL (gh_sql_list_model_new (self->database, GH_TYPE_PERSON, "persons",
                                              count_sql, page_sql,
                                              g_variant_builder_end (&builder),
                                              person_from_row));
}

/**
 * gh_person_store_search:
 * @text: a prefix of a person ID, a card number or a word of the name
 * @limit: at most this many results
 *
 * Returns: (transfer full) (element-type GhPerson): the first matches, in the order of
 *   gh_person_store_list()
 */
GPtrArray *
gh_person_store_search (GhPersonStore  *self,
                        const char     *text,
                        guint           limit,
                        GError        **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GhStmt) stmt = NULL;
  g_autoptr(GVariant) params = NULL;
  g_autofree char *query = NULL;
  GVariantBuilder builder;
  int rc;

  g_return_val_if_fail (GH_IS_PERSON_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  query = g_strstrip (g_strdup (text));
  if (*query == '\0')
    return g_steal_pointer (&result);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_TUPLE);
  add_search_params (&builder, query);
  params = g_variant_ref_sink (g_variant_builder_end (&builder));

  stmt = gh_database_prepare (self->database, SEARCH_PAGE (SEARCH_ALL), error);
  if (stmt == NULL)
    return NULL;

  gh_stmt_bind_variant (stmt, params);
  sqlite3_bind_int (stmt, 6, limit);
  sqlite3_bind_int (stmt, 7, 0);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, person_from_row (stmt));

  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "searching persons");
    return NULL;
  }

  return g_steal_pointer (&result);
}

/**
 * gh_person_store_add_card:
 * @number: the card number as typed, in the current display mode (hex or decimal)
 * @kind: (nullable): "ordinary" (the default), "main" or "duress"
 *
 * Returns: the row id of the card, or 0 with @error set (%GH_ERROR_EXISTS when another person
 *   holds the card; the message names that person)
 */
gint64
gh_person_store_add_card (GhPersonStore  *self,
                          GhSession      *session,
                          gint64          person,
                          const char     *number,
                          const char     *kind,
                          GError        **error)
{
  gint64 id = 0;

  if (!begin_write (self, session, error))
    return 0;

  if (require_person (self, person, error))
    id = insert_card (self, session, person, number, kind, NULL, error);

  if (!end_write (self, id > 0, error))
    return 0;

  return id;
}

static gint64
card_owner (GhPersonStore  *self,
            gint64          card,
            GError        **error)
{
  gint64 owner = gh_database_query_int (self->database,
                                        "SELECT person_id FROM cards WHERE id = ?", card, error);

  if (owner == 0)
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("The card no longer exists; refresh the list."));

  return owner;
}

gboolean
gh_person_store_remove_card (GhPersonStore  *self,
                             GhSession      *session,
                             gint64          card,
                             GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;
  gint64 owner;

  if (!begin_write (self, session, error))
    return FALSE;

  owner = card_owner (self, card, error);
  if (owner <= 0)
    goto out;

  stmt = gh_database_prepare (self->database, "DELETE FROM cards WHERE id = ?", error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_int64 (stmt, 1, card);
  ok = gh_database_step_done (self->database, stmt, error) &&
       gh_database_auditf (self->database, session, error, "card.remove", "person", owner,
                           "card #%" G_GINT64_FORMAT, card);

out:
  return end_write (self, ok, error);
}

gboolean
gh_person_store_set_card_frozen (GhPersonStore  *self,
                                 GhSession      *session,
                                 gint64          card,
                                 gboolean        frozen,
                                 GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;
  gint64 owner;

  if (!begin_write (self, session, error))
    return FALSE;

  owner = card_owner (self, card, error);
  if (owner <= 0)
    goto out;

  stmt = gh_database_prepare (self->database, "UPDATE cards SET frozen = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_int (stmt, 1, frozen ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, card);
  ok = gh_database_step_done (self->database, stmt, error) &&
       gh_database_auditf (self->database, session, error,
                           frozen ? "card.freeze" : "card.unfreeze", "person", owner,
                           "card #%" G_GINT64_FORMAT, card);

out:
  return end_write (self, ok, error);
}

/**
 * gh_person_store_set_card_kind:
 * @kind: "ordinary", "main" or "duress"; making a card main makes the person's other main
 *   card ordinary
 */
gboolean
gh_person_store_set_card_kind (GhPersonStore  *self,
                               GhSession      *session,
                               gint64          card,
                               const char     *kind,
                               GError        **error)
{
  g_autoptr(GhStmt) demote = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;
  gint64 owner;

  if (!begin_write (self, session, error))
    return FALSE;

  if (!in_list (card_kinds, kind)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Unknown card kind “%s”: use ordinary, main or duress."), kind);
    goto out;
  }

  owner = card_owner (self, card, error);
  if (owner <= 0)
    goto out;

  if (g_str_equal (kind, "main")) {
    demote = gh_database_prepare (self->database,
                                  "UPDATE cards SET kind = 'ordinary' "
                                  "WHERE person_id = ? AND kind = 'main'", error);
    if (demote == NULL)
      goto out;
    sqlite3_bind_int64 (demote, 1, owner);
    if (!gh_database_step_done (self->database, demote, error))
      goto out;
  }

  stmt = gh_database_prepare (self->database, "UPDATE cards SET kind = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, card);
  ok = gh_database_step_done (self->database, stmt, error) &&
       gh_database_auditf (self->database, session, error, "card.kind", "person", owner,
                           "card #%" G_GINT64_FORMAT " %s", card, kind);

out:
  return end_write (self, ok, error);
}

/**
 * gh_person_store_list_cards:
 *
 * Returns: (transfer full) (element-type GhCard): the person's cards, main card first
 */
GPtrArray *
gh_person_store_list_cards (GhPersonStore  *self,
                            gint64          person,
                            GError        **error)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func ((GDestroyNotify)gh_card_free);
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_PERSON_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT id, number, person_id, kind, frozen FROM cards "
                              "WHERE person_id = ? ORDER BY kind <> 'main', id", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, person);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    GhCard *card = g_new0 (GhCard, 1);

    card->id = sqlite3_column_int64 (stmt, 0);
    card->number = gh_stmt_dup_text (stmt, 1);
    card->person_id = sqlite3_column_int64 (stmt, 2);
    card->kind = gh_stmt_dup_text (stmt, 3);
    card->frozen = sqlite3_column_int (stmt, 4) != 0;
    g_ptr_array_add (cards, card);
  }

  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading cards");
    return NULL;
  }

  return g_steal_pointer (&cards);
}

/**
 * gh_person_store_set_password:
 * @password: (nullable): 6 to 8 digits, or %NULL to remove the password
 */
gboolean
gh_person_store_set_password (GhPersonStore  *self,
                              GhSession      *session,
                              gint64          person,
                              const char     *password,
                              GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  if (!begin_write (self, session, error))
    return FALSE;

  if (!require_person (self, person, error))
    goto out;

  if (password != NULL) {
    if (!gh_person_password_validate (password, error))
      goto out;

    stmt = gh_database_prepare (self->database,
                                "INSERT INTO person_passwords (person_id, password) "
                                "VALUES (?1, ?2) ON CONFLICT (person_id) DO UPDATE SET "
                                "password = ?2, updated = unixepoch ()", error);
    if (stmt == NULL)
      goto out;
    sqlite3_bind_text (stmt, 2, password, -1, SQLITE_STATIC);
  } else {
    stmt = gh_database_prepare (self->database,
                                "DELETE FROM person_passwords WHERE person_id = ?1", error);
    if (stmt == NULL)
      goto out;
  }

  sqlite3_bind_int64 (stmt, 1, person);
  ok = gh_database_step_done (self->database, stmt, error) &&
       gh_database_auditf (self->database, session, error,
                           password ? "password.set" : "password.remove", "person", person,
                           "%s", "");

out:
  return end_write (self, ok, error);
}

/**
 * gh_person_store_get_password:
 *
 * Returns: (transfer full) (nullable): the door password, or %NULL if none is set
 */
char *
gh_person_store_get_password (GhPersonStore  *self,
                              gint64          person,
                              GError        **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_PERSON_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT password FROM person_passwords WHERE person_id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, person);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return gh_stmt_dup_text (stmt, 0);
  if (rc != SQLITE_DONE)
    gh_database_fail (self->database, error, "reading a password");

  return NULL;
}

/* Shared by faces (2 slots) and fingerprints (3 slots). */
typedef struct {
  const char *what;          /* for messages */
  int         max_slots;
  const char *free_slot_sql;
  const char *upsert_sql;
  const char *delete_sql;
  const char *get_sql;
  const char *audit_set;
  const char *audit_remove;
} BiometricKind;

static const BiometricKind faces = {
  N_("face images"), GH_PERSON_MAX_FACES,
  "SELECT s.slot FROM (SELECT 1 AS slot UNION ALL SELECT 2) s WHERE NOT EXISTS "
  "(SELECT 1 FROM person_faces f WHERE f.person_id = ? AND f.slot = s.slot) ORDER BY s.slot",
  "INSERT INTO person_faces (person_id, slot, image, image_type) VALUES (?1, ?2, ?3, ?4) "
  "ON CONFLICT (person_id, slot) DO UPDATE SET image = ?3, image_type = ?4, "
  "updated = unixepoch ()",
  "DELETE FROM person_faces WHERE person_id = ? AND slot = ?",
  "SELECT image FROM person_faces WHERE person_id = ? AND slot = ?",
  "face.set", "face.remove",
};

static const BiometricKind fingerprints = {
  N_("fingerprints"), GH_PERSON_MAX_FINGERPRINTS,
  "SELECT s.slot FROM (SELECT 1 AS slot UNION ALL SELECT 2 UNION ALL SELECT 3) s "
  "WHERE NOT EXISTS (SELECT 1 FROM person_fingerprints f WHERE f.person_id = ? "
  "AND f.slot = s.slot) ORDER BY s.slot",
  "INSERT INTO person_fingerprints (person_id, slot, template, duress) "
  "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (person_id, slot) DO UPDATE SET template = ?3, "
  "duress = ?4, updated = unixepoch ()",
  "DELETE FROM person_fingerprints WHERE person_id = ? AND slot = ?",
  "SELECT template FROM person_fingerprints WHERE person_id = ? AND slot = ?",
  "fingerprint.set", "fingerprint.remove",
};

static int
set_biometric (GhPersonStore        *self,
               GhSession            *session,
               const BiometricKind  *kind,
               gint64                person,
               int                   slot,
               GBytes               *data,
               const char           *image_type,
               gboolean              duress,
               GError              **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;
  gsize size = 0;
  gconstpointer bytes;

  g_return_val_if_fail (data != NULL, 0);

  if (!begin_write (self, session, error))
    return 0;

  if (!require_person (self, person, error))
    goto out;

  bytes = g_bytes_get_data (data, &size);
  if (size == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The data for the %s is empty; capture it again."), _(kind->what));
    goto out;
  }

  if (slot < 0 || slot > kind->max_slots) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("A person has at most %d %s; slot %d does not exist."), kind->max_slots,
                 _(kind->what), slot);
    goto out;
  }

  if (slot == 0) {
    slot = (int)gh_database_query_int (self->database, kind->free_slot_sql, person, error);
    if (slot < 0)
      goto out;

    if (slot == 0) {
      g_autofree char *who = describe_person (self, person);

      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("%s already has %d %s, the most a person can have. Remove one before "
                     "adding another."), who, kind->max_slots, _(kind->what));
      goto out;
    }
  }

  stmt = gh_database_prepare (self->database, kind->upsert_sql, error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_int64 (stmt, 1, person);
  sqlite3_bind_int (stmt, 2, slot);
  sqlite3_bind_blob64 (stmt, 3, bytes, size, SQLITE_STATIC);
  if (kind == &faces)
    sqlite3_bind_text (stmt, 4, image_type ? image_type : "image/jpeg", -1, SQLITE_STATIC);
  else
    sqlite3_bind_int (stmt, 4, duress ? 1 : 0);

  ok = gh_database_step_done (self->database, stmt, error) &&
       gh_database_auditf (self->database, session, error, kind->audit_set, "person", person,
                           "slot %d, %" G_GSIZE_FORMAT " bytes", slot, size);

out:
  if (!end_write (self, ok, error))
    return 0;

  return slot;
}

static gboolean
remove_biometric (GhPersonStore        *self,
                  GhSession            *session,
                  const BiometricKind  *kind,
                  gint64                person,
                  int                   slot,
                  GError              **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  if (!begin_write (self, session, error))
    return FALSE;

  stmt = gh_database_prepare (self->database, kind->delete_sql, error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_int64 (stmt, 1, person);
  sqlite3_bind_int (stmt, 2, slot);
  if (!gh_database_step_done (self->database, stmt, error))
    goto out;

  if (gh_database_changes (self->database) == 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_FOUND,
                 _("There is nothing in slot %d of the %s to remove."), slot, _(kind->what));
    goto out;
  }

  ok = gh_database_auditf (self->database, session, error, kind->audit_remove, "person", person,
                           "slot %d", slot);

out:
  return end_write (self, ok, error);
}

static GBytes *
get_biometric (GhPersonStore        *self,
               const BiometricKind  *kind,
               gint64                person,
               int                   slot,
               GError              **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_PERSON_STORE (self), NULL);

  stmt = gh_database_prepare (self->database, kind->get_sql, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, person);
  sqlite3_bind_int (stmt, 2, slot);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return gh_stmt_dup_bytes (stmt, 0);
  if (rc != SQLITE_DONE)
    gh_database_fail (self->database, error, "reading biometric data");

  return NULL;
}

/**
 * gh_person_store_set_face:
 * @slot: 1 or 2 to replace that image, or 0 for the first free slot
 * @image_type: (nullable): the MIME type, "image/jpeg" by default
 *
 * Returns: the slot used, or 0 with @error set (a third face image is refused)
 */
int
gh_person_store_set_face (GhPersonStore  *self,
                          GhSession      *session,
                          gint64          person,
                          int             slot,
                          GBytes         *image,
                          const char     *image_type,
                          GError        **error)
{
  return set_biometric (self, session, &faces, person, slot, image, image_type, FALSE, error);
}

gboolean
gh_person_store_remove_face (GhPersonStore  *self,
                             GhSession      *session,
                             gint64          person,
                             int             slot,
                             GError        **error)
{
  return remove_biometric (self, session, &faces, person, slot, error);
}

/**
 * gh_person_store_get_face:
 *
 * Returns: (transfer full) (nullable): the image in @slot, or %NULL if empty
 */
GBytes *
gh_person_store_get_face (GhPersonStore  *self,
                          gint64          person,
                          int             slot,
                          GError        **error)
{
  return get_biometric (self, &faces, person, slot, error);
}

/**
 * gh_person_store_set_fingerprint:
 * @slot: 1 to 3 to replace that template, or 0 for the first free slot
 * @duress: whether this finger raises a duress alarm
 *
 * Returns: the slot used, or 0 with @error set (a fourth fingerprint is refused)
 */
int
gh_person_store_set_fingerprint (GhPersonStore  *self,
                                 GhSession      *session,
                                 gint64          person,
                                 int             slot,
                                 GBytes         *template_data,
                                 gboolean        duress,
                                 GError        **error)
{
  return set_biometric (self, session, &fingerprints, person, slot, template_data, NULL, duress,
                        error);
}

gboolean
gh_person_store_remove_fingerprint (GhPersonStore  *self,
                                    GhSession      *session,
                                    gint64          person,
                                    int             slot,
                                    GError        **error)
{
  return remove_biometric (self, session, &fingerprints, person, slot, error);
}

GBytes *
gh_person_store_get_fingerprint (GhPersonStore  *self,
                                 gint64          person,
                                 int             slot,
                                 GError        **error)
{
  return get_biometric (self, &fingerprints, person, slot, error);
}
