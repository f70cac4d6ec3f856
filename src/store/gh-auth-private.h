/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to src/store: hashing with the database's configured iteration count. */

#include "gh-auth.h"

G_BEGIN_DECLS

char *gh_auth_hash_password (GhDatabase  *database,
                             const char  *password,
                             GError     **error);

G_END_DECLS
