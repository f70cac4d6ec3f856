/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

#define GH_TYPE_LOCK_PAGE (gh_lock_page_get_type ())

G_DECLARE_FINAL_TYPE (GhLockPage, gh_lock_page, GH, LOCK_PAGE, GtkWidget)

GtkWidget *gh_lock_page_new   (void);
void       gh_lock_page_reset (GhLockPage *self,
                               GhDatabase *database,
                               GhSession  *session);

G_END_DECLS
