/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-person.h"
#include "gh-session.h"

G_BEGIN_DECLS

#define GH_PERSON_MAX_FACES        2
#define GH_PERSON_MAX_FINGERPRINTS 3

typedef struct {
  gint64    id;
  char     *number;     /* canonical: upper-case hexadecimal */
  gint64    person_id;  /* persons.id */
  char     *kind;       /* "ordinary", "main" or "duress" */
  gboolean  frozen;
} GhCard;

void gh_card_free (GhCard *card);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhCard, gh_card_free)

#define GH_TYPE_PERSON_STORE (gh_person_store_get_type ())
G_DECLARE_FINAL_TYPE (GhPersonStore, gh_person_store, GH, PERSON_STORE, GObject)

GhPersonStore *gh_person_store_new              (GhDatabase     *database);
gint64         gh_person_store_add              (GhPersonStore  *self,
                                                 GhSession      *session,
                                                 GhPerson       *person,
                                                 GError        **error);
gboolean       gh_person_store_add_many         (GhPersonStore  *self,
                                                 GhSession      *session,
                                                 GPtrArray      *persons,
                                                 GError        **error);
gboolean       gh_person_store_update           (GhPersonStore  *self,
                                                 GhSession      *session,
                                                 GhPerson       *person,
                                                 GError        **error);
gboolean       gh_person_store_remove           (GhPersonStore  *self,
                                                 GhSession      *session,
                                                 gint64          id,
                                                 GError        **error);
gboolean       gh_person_store_set_department   (GhPersonStore  *self,
                                                 GhSession      *session,
                                                 const gint64   *ids,
                                                 guint           n_ids,
                                                 gint64          department_id,
                                                 GError        **error);
GhPerson      *gh_person_store_get              (GhPersonStore  *self,
                                                 gint64          id,
                                                 GError        **error);
GhPerson      *gh_person_store_find             (GhPersonStore  *self,
                                                 const char     *person_id,
                                                 GError        **error);
guint          gh_person_store_count            (GhPersonStore  *self);
GListModel    *gh_person_store_list             (GhPersonStore  *self,
                                                 gint64          department_id,
                                                 const char     *search);
GPtrArray     *gh_person_store_search           (GhPersonStore  *self,
                                                 const char     *text,
                                                 guint           limit,
                                                 GError        **error);

gint64         gh_person_store_add_card         (GhPersonStore  *self,
                                                 GhSession      *session,
                                                 gint64          person,
                                                 const char     *number,
                                                 const char     *kind,
                                                 GError        **error);
gboolean       gh_person_store_remove_card      (GhPersonStore  *self,
                                                 GhSession      *session,
                                                 gint64          card,
                                                 GError        **error);
gboolean       gh_person_store_set_card_frozen  (GhPersonStore  *self,
                                                 GhSession      *session,
                                                 gint64          card,
                                                 gboolean        frozen,
                                                 GError        **error);
gboolean       gh_person_store_set_card_kind    (GhPersonStore  *self,
                                                 GhSession      *session,
                                                 gint64          card,
                                                 const char     *kind,
                                                 GError        **error);
GPtrArray     *gh_person_store_list_cards       (GhPersonStore  *self,
                                                 gint64          person,
                                                 GError        **error);

gboolean       gh_person_store_set_password     (GhPersonStore  *self,
                                                 GhSession      *session,
                                                 gint64          person,
                                                 const char     *password,
                                                 GError        **error);
char          *gh_person_store_get_password     (GhPersonStore  *self,
                                                 gint64          person,
                                                 GError        **error);

int            gh_person_store_set_face         (GhPersonStore  *self,
                                                 GhSession      *session,
                                                 gint64          person,
                                                 int             slot,
                                                 GBytes         *image,
                                                 const char     *image_type,
                                                 GError        **error);
gboolean       gh_person_store_remove_face      (GhPersonStore  *self,
                                                 GhSession      *session,
                                                 gint64          person,
                                                 int             slot,
                                                 GError        **error);
GBytes        *gh_person_store_get_face         (GhPersonStore  *self,
                                                 gint64          person,
                                                 int             slot,
                                                 GError        **error);
int            gh_person_store_set_fingerprint  (GhPersonStore  *self,
                                                 GhSession      *session,
                                                 gint64          person,
                                                 int             slot,
                                                 GBytes         *template_data,
                                                 gboolean        duress,
                                                 GError        **error);
gboolean       gh_person_store_remove_fingerprint (GhPersonStore *self,
                                                   GhSession     *session,
                                                   gint64         person,
                                                   int            slot,
                                                   GError       **error);
GBytes        *gh_person_store_get_fingerprint  (GhPersonStore  *self,
                                                 gint64          person,
                                                 int             slot,
                                                 GError        **error);

G_END_DECLS
