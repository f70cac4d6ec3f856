/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-device-config.h"
#include "gh-driver-types.h"
#include "gh-event.h"

G_BEGIN_DECLS

#define GH_TYPE_DRIVER (gh_driver_get_type ())

G_DECLARE_INTERFACE (GhDriver, gh_driver, GH, DRIVER, GObject)

/**
 * GhDriverInterface:
 * @name: the name the driver registers under ("dahua"); set in the interface init
 * @probe_async: read type, model, serial, firmware and door count
 * @start_events: begin delivering #GhDriver::event; reconnects on its own until stopped
 * @stop_events: stop delivering events and drop the connection
 * @sync_time_async: set the device clock to the given time
 *
 * One driver instance talks to one device (its #GhDeviceConfig). This interface holds only
 * what every device can do; optional abilities are separate small interfaces
 * (#GhDoorControl, #GhPersonSync, #GhDialPlan, #GhNoticeBoard, #GhRecordSource,
 * #GhCallControl, #GhMediaSource). Callers use the gh_*_async() wrappers, which answer
 * %GH_ERROR_NOT_SUPPORTED for abilities a driver lacks.
 *
 * Implementations complete every `_async` vfunc with a #GTask whose source object is the
 * driver; the matching `_finish` wrappers propagate the task's value.
 */
struct _GhDriverInterface
{
  GTypeInterface parent_iface;

  const char *name;

  void     (*probe_async)      (GhDriver            *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
  gboolean (*start_events)     (GhDriver            *self,
                                GError             **error);
  void     (*stop_events)      (GhDriver            *self);
  void     (*sync_time_async)  (GhDriver            *self,
                                GDateTime           *now,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
};

GhDriver             *gh_driver_new                    (const GhDeviceConfig  *config,
                                                        GError               **error);
const char           *gh_driver_get_name               (GhDriver              *self);
const GhDeviceConfig *gh_driver_get_config             (GhDriver              *self);
gboolean              gh_driver_supports               (GhDriver              *self,
                                                        GType                  ability);

void                  gh_driver_probe_async            (GhDriver              *self,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
GhProbeInfo          *gh_driver_probe_finish           (GhDriver              *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);
gboolean              gh_driver_start_events           (GhDriver              *self,
                                                        GError               **error);
void                  gh_driver_stop_events            (GhDriver              *self);
void                  gh_driver_sync_time_async        (GhDriver              *self,
                                                        GDateTime             *now,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
gboolean              gh_driver_sync_time_finish       (GhDriver              *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);

/* For implementations. */
void                  gh_driver_emit_event             (GhDriver              *self,
                                                        GhEvent               *event);
void                  gh_driver_report_not_supported   (gpointer               driver,
                                                        gpointer               source_tag,
                                                        const char            *ability,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
gboolean              gh_driver_propagate_boolean      (gpointer               driver,
                                                        GAsyncResult          *result,
                                                        GError               **error);
gpointer              gh_driver_propagate_pointer      (gpointer               driver,
                                                        GAsyncResult          *result,
                                                        GError               **error);

/* Registry: drivers register by name; the rest of the app picks one by the stored name. */
void                  gh_driver_registry_register      (const char            *name,
                                                        GType                  type);
GType                 gh_driver_registry_lookup        (const char            *name);
char                **gh_driver_registry_list          (void);

G_END_DECLS
