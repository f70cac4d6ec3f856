/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

typedef struct {
  char   *name;
  char   *fax;
  char   *email;
  char   *phone;
  char   *website;
  char   *postal_code;
  char   *address;
  GBytes *logo;       /* (nullable) */
  char   *logo_type;  /* (nullable) MIME type of the logo */
} GhCompany;

GhCompany *gh_company_new  (void);
void       gh_company_free (GhCompany *company);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhCompany, gh_company_free)

#define GH_TYPE_COMPANY_STORE (gh_company_store_get_type ())
G_DECLARE_FINAL_TYPE (GhCompanyStore, gh_company_store, GH, COMPANY_STORE, GObject)

GhCompanyStore *gh_company_store_new                     (GhDatabase      *database);
GhCompany      *gh_company_store_get                     (GhCompanyStore  *self,
                                                          GError         **error);
gboolean        gh_company_store_set                     (GhCompanyStore  *self,
                                                          GhSession       *session,
                                                          const GhCompany *company,
                                                          GError         **error);
char           *gh_company_store_get_card_number_display (GhCompanyStore  *self);
gboolean        gh_company_store_set_card_number_display (GhCompanyStore  *self,
                                                          GhSession       *session,
                                                          const char      *mode,
                                                          GError         **error);

G_END_DECLS
