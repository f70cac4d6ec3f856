/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-session.h"

G_BEGIN_DECLS

/**
 * GhCallAction:
 * @GH_CALL_ACTION_ANSWER: take a ringing call (audited as "answered")
 * @GH_CALL_ACTION_REJECT: refuse a ringing call (audited as "rejected")
 * @GH_CALL_ACTION_HANG_UP: end a call in progress (audited as "ended")
 */
typedef enum {
  GH_CALL_ACTION_ANSWER,
  GH_CALL_ACTION_REJECT,
  GH_CALL_ACTION_HANG_UP,
} GhCallAction;

const char *gh_call_action_to_string   (GhCallAction          action);

void        gh_call_service_run_async  (GhDatabase           *database,
                                        GhSession            *session,
                                        gint64                device_id,
                                        GhCallAction          action,
                                        const char           *call_id,
                                        const char           *peer,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean    gh_call_service_run_finish (GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
