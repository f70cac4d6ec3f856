/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-driver-types.h"
#include "gh-session.h"

G_BEGIN_DECLS

const char *gh_door_action_to_string   (GhDoorAction          action);

void        gh_door_service_run_async  (GhDatabase           *database,
                                        GhSession            *session,
                                        gint64                device_id,
                                        guint                 door,
                                        GhDoorAction          action,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean    gh_door_service_run_finish (GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
