/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-company-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-company-store.h"
#include "gh-database-private.h"

#include "gh-error.h"

/**
 * GhCompanyStore:
 *
 * The company card (name, contact details, logo) and the card number display mode ("hex" by
 * default, or "decimal"). Card numbers are always stored in hexadecimal; the mode decides how
 * they are typed and shown. Changes need %GH_PERMISSION_PERSONNEL_WRITE.
 */
struct _GhCompanyStore
{
  GObject     parent_instance;

  GhDatabase *database;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhCompanyStore, gh_company_store, G_TYPE_OBJECT)

GhCompany *
gh_company_new (void)
{
  GhCompany *company = g_new0 (GhCompany, 1);

  company->name = g_strdup ("");
  company->fax = g_strdup ("");
  company->email = g_strdup ("");
  company->phone = g_strdup ("");
  company->website = g_strdup ("");
  company->postal_code = g_strdup ("");
  company->address = g_strdup ("");

  return company;
}

void
gh_company_free (GhCompany *company)
{
  if (company == NULL)
    return;

  g_free (company->name);
  g_free (company->fax);
  g_free (company->email);
  g_free (company->phone);
  g_free (company->website);
  g_free (company->postal_code);
  g_free (company->address);
  g_clear_pointer (&company->logo, g_bytes_unref);
  g_free (company->logo_type);
  g_free (company);
}

static void
gh_company_store_dispose (GObject *object)
{
  GhCompanyStore *self = (GhCompanyStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_company_store_parent_class)->dispose (object);
}

static void
gh_company_store_class_init (GhCompanyStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_company_store_dispose;
}

static void
gh_company_store_init (GhCompanyStore *self)
{
}

GhCompanyStore *
gh_company_store_new (GhDatabase *database)
{
  GhCompanyStore *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  self = g_object_new (GH_TYPE_COMPANY_STORE, NULL);
  self->database = g_object_ref (database);

  return self;
}

/**
 * gh_company_store_get:
 *
 * Returns: (transfer full): the company; all fields empty if it was never saved
 */
GhCompany *
gh_company_store_get (GhCompanyStore  *self,
                      GError         **error)
{
  g_autoptr(GhCompany) company = gh_company_new ();
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_COMPANY_STORE (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT name, fax, email, phone, website, postal_code, address, "
                              "logo, logo_type FROM company WHERE id = 1", error);
  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW) {
    char **fields[] = {
      &company->name, &company->fax, &company->email, &company->phone, &company->website,
      &company->postal_code, &company->address,
    };

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++) {
      g_free (*fields[i]);
      *fields[i] = gh_stmt_dup_text (stmt, (int)i);
    }
    company->logo = gh_stmt_dup_bytes (stmt, 7);
    company->logo_type = gh_stmt_dup_text (stmt, 8);
  } else if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading the company");
    return NULL;
  }

  return g_steal_pointer (&company);
}

static gboolean
validate_company (const GhCompany  *company,
                  GError          **error)
{
  const char *email = company->email;
  g_autofree char *name = g_strstrip (g_strdup (company->name ? company->name : ""));

  if (*name == '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT, _("Enter the company name."));
    return FALSE;
  }

  if (email != NULL && *email != '\0' &&
      (strchr (email, '@') == NULL || strchr (email, ' ') != NULL)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("“%s” is not an email address; enter it as name@example.org."), email);
    return FALSE;
  }

  if (company->logo != NULL && g_bytes_get_size (company->logo) > 2 * 1024 * 1024) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The logo is larger than 2 MB; choose a smaller image."));
    return FALSE;
  }

  return TRUE;
}

gboolean
gh_company_store_set (GhCompanyStore   *self,
                      GhSession        *session,
                      const GhCompany  *company,
                      GError          **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_COMPANY_STORE (self), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);
  g_return_val_if_fail (company != NULL, FALSE);

  if (!gh_session_check (session, GH_PERMISSION_PERSONNEL_WRITE, error) ||
      !validate_company (company, error) ||
      !gh_database_begin (self->database, error))
    return FALSE;

  stmt = gh_database_prepare (self->database,
                              "INSERT OR REPLACE INTO company (id, name, fax, email, phone, "
                              "website, postal_code, address, logo, logo_type) "
                              "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_text (stmt, 1, company->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, company->fax ?: "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, company->email ?: "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, company->phone ?: "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, company->website ?: "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, company->postal_code ?: "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, company->address ?: "", -1, SQLITE_STATIC);
  if (company->logo != NULL) {
    gsize size;
    gconstpointer data = g_bytes_get_data (company->logo, &size);

    sqlite3_bind_blob64 (stmt, 8, data, size, SQLITE_STATIC);
  }
  gh_stmt_bind_text (stmt, 9, company->logo_type);

  ok = gh_database_step_done (self->database, stmt, error) &&
       gh_database_audit (self->database, session, "company.set", "company", "1",
                          company->name, error);

out:
  if (!ok) {
    gh_database_rollback (self->database);
    return FALSE;
  }

  gh_database_touch (self->database, "company");

  return gh_database_commit (self->database, error);
}

/**
 * gh_company_store_get_card_number_display:
 *
 * Returns: (transfer full): "hex" or "decimal"
 */
char *
gh_company_store_get_card_number_display (GhCompanyStore *self)
{
  char *mode;

  g_return_val_if_fail (GH_IS_COMPANY_STORE (self), NULL);

  mode = gh_database_get_setting (self->database, "card-number-display");

  return mode ? mode : g_strdup ("hex");
}

gboolean
gh_company_store_set_card_number_display (GhCompanyStore  *self,
                                          GhSession       *session,
                                          const char      *mode,
                                          GError         **error)
{
  g_return_val_if_fail (GH_IS_COMPANY_STORE (self), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);

  if (!gh_session_check (session, GH_PERMISSION_PERSONNEL_WRITE, error))
    return FALSE;

  if (g_strcmp0 (mode, "hex") != 0 && g_strcmp0 (mode, "decimal") != 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Unknown card number display “%s”: use hex or decimal."), mode);
    return FALSE;
  }

  if (!gh_database_begin (self->database, error))
    return FALSE;

  if (!gh_database_set_setting (self->database, "card-number-display", mode, error) ||
      !gh_database_audit (self->database, session, "settings.card-number-display", "settings",
                          "card-number-display", mode, error)) {
    gh_database_rollback (self->database);
    return FALSE;
  }

  gh_database_touch (self->database, "settings");
  gh_database_touch (self->database, "persons");

  return gh_database_commit (self->database, error);
}
