/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * GhSimDeviceKind:
 * @GH_SIM_DEVICE_VTO: a unit door station
 * @GH_SIM_DEVICE_VTH: an indoor monitor in a room
 * @GH_SIM_DEVICE_VTS: a master (management) station
 * @GH_SIM_DEVICE_FENCE: a fence (community gate) station; a door station that calls any room
 */
typedef enum {
  GH_SIM_DEVICE_VTO,
  GH_SIM_DEVICE_VTH,
  GH_SIM_DEVICE_VTS,
  GH_SIM_DEVICE_FENCE,
} GhSimDeviceKind;

#define GH_TYPE_SIM_DEVICE (gh_sim_device_get_type ())

G_DECLARE_FINAL_TYPE (GhSimDevice, gh_sim_device, GH, SIM_DEVICE, GObject)

const char      *gh_sim_device_kind_to_string   (GhSimDeviceKind kind);
gboolean         gh_sim_device_kind_from_string (const char      *text,
                                                 GhSimDeviceKind *kind);

const char      *gh_sim_device_get_name         (GhSimDevice *self);
GhSimDeviceKind  gh_sim_device_get_kind         (GhSimDevice *self);
const char      *gh_sim_device_get_number       (GhSimDevice *self);
const char      *gh_sim_device_get_model        (GhSimDevice *self);
const char      *gh_sim_device_get_serial       (GhSimDevice *self);
const char      *gh_sim_device_get_firmware     (GhSimDevice *self);
const char      *gh_sim_device_get_username     (GhSimDevice *self);
const char      *gh_sim_device_get_password     (GhSimDevice *self);
guint            gh_sim_device_get_door_count   (GhSimDevice *self);
guint            gh_sim_device_get_http_port    (GhSimDevice *self);
char            *gh_sim_device_dup_http_url     (GhSimDevice *self);
gboolean         gh_sim_device_set_https        (GhSimDevice *self,
                                                 GError     **error);
char            *gh_sim_device_dup_rtsp_url     (GhSimDevice *self);
char            *gh_sim_device_dup_endpoint_json (GhSimDevice *self);
char            *gh_sim_device_dup_state_json   (GhSimDevice *self);
GBytes          *gh_sim_device_dup_posted_audio (GhSimDevice *self);

gboolean         gh_sim_device_ring             (GhSimDevice *self,
                                                 const char  *room,
                                                 GError     **error);
gboolean         gh_sim_device_answer           (GhSimDevice *self,
                                                 GError     **error);
gboolean         gh_sim_device_hang_up          (GhSimDevice *self,
                                                 GError     **error);
gboolean         gh_sim_device_swipe_card       (GhSimDevice *self,
                                                 const char  *card_no,
                                                 guint        door,
                                                 gboolean    *granted,
                                                 GError     **error);
gboolean         gh_sim_device_enter_password   (GhSimDevice *self,
                                                 const char  *user_id,
                                                 const char  *password,
                                                 guint        door,
                                                 gboolean    *granted,
                                                 GError     **error);
gboolean         gh_sim_device_enter_unlock_code (GhSimDevice *self,
                                                  const char  *code,
                                                  guint        door,
                                                  gboolean    *granted,
                                                  GError     **error);
gboolean         gh_sim_device_present_face     (GhSimDevice *self,
                                                 const char  *user_id,
                                                 guint        door,
                                                 gboolean    *granted,
                                                 GError     **error);
gboolean         gh_sim_device_present_fingerprint (GhSimDevice *self,
                                                    const char  *user_id,
                                                    guint        door,
                                                    gboolean    *granted,
                                                    GError     **error);
gboolean         gh_sim_device_set_alarm        (GhSimDevice *self,
                                                 int          input,
                                                 gboolean     active,
                                                 GError     **error);
gboolean         gh_sim_device_set_tamper       (GhSimDevice *self,
                                                 gboolean     active,
                                                 GError     **error);
gboolean         gh_sim_device_force_door       (GhSimDevice *self,
                                                 guint        door,
                                                 gboolean     open,
                                                 GError     **error);
gboolean         gh_sim_device_set_fault        (GhSimDevice *self,
                                                 const char  *fault,
                                                 int          value,
                                                 GError     **error);
char            *gh_sim_device_dup_faults_json  (GhSimDevice *self);
gboolean         gh_sim_device_reboot           (GhSimDevice *self,
                                                 guint        seconds,
                                                 GError     **error);

G_END_DECLS
