/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"
#include "gh-demo-seed.h"

G_BEGIN_DECLS

#define GH_DEMO_START_TIMEOUT_MS 20000  /* until the simulator says READY */
#define GH_DEMO_STOP_TIMEOUT_MS  5000   /* after SIGTERM, before SIGKILL */
#define GH_DEMO_DATABASE_NAME    "gatehouse.db"
#define GH_DEMO_MARKER_NAME      "demo-folder"

#define GH_TYPE_DEMO (gh_demo_get_type ())
G_DECLARE_FINAL_TYPE (GhDemo, gh_demo, GH, DEMO, GObject)

char         *gh_demo_find_simulator    (GError              **error);
gboolean      gh_demo_reset_data_dir    (const char           *data_dir,
                                         GError              **error);
GhDemoDevice *gh_demo_parse_device_line (const char           *line,
                                         const char           *driver,
                                         GError              **error);

GhDemo       *gh_demo_new               (const char           *simulator,
                                         const char           *driver);
void          gh_demo_start_async       (GhDemo               *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean      gh_demo_start_finish      (GhDemo               *self,
                                         GAsyncResult         *result,
                                         GError              **error);
gboolean      gh_demo_is_running        (GhDemo               *self);
const char   *gh_demo_get_identifier    (GhDemo               *self);
GPtrArray    *gh_demo_get_devices       (GhDemo               *self);
const char   *gh_demo_get_control_url   (GhDemo               *self);
gboolean      gh_demo_seed              (GhDemo               *self,
                                         GhDatabase           *database,
                                         GhDemoSeedSummary    *out_summary,
                                         GError              **error);
char         *gh_demo_dup_default_driver (GError             **error);
void          gh_demo_probe_async       (GhDemo               *self,
                                         GhDatabase           *database,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
guint         gh_demo_probe_finish      (GhDemo               *self,
                                         GAsyncResult         *result,
                                         GError              **error);
void          gh_demo_stop              (GhDemo               *self);

G_END_DECLS
