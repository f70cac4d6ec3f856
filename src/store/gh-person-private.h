/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gh-person.h"

G_BEGIN_DECLS

void gh_person_set_row_id          (GhPerson   *self,
                                    gint64      id);
void gh_person_set_department_name (GhPerson   *self,
                                    const char *department);

G_END_DECLS
