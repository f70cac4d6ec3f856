/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * GhRole:
 * @GH_ROLE_ADMINISTRATOR: may do everything, including managing operators
 * @GH_ROLE_INSTALLER: devices, community (buildings, rooms, numbering, call groups, notices)
 *   and personnel
 * @GH_ROLE_OPERATOR: personnel, permissions and records
 * @GH_ROLE_GUARD: doors and calls; records read-only
 */
typedef enum {
  GH_ROLE_ADMINISTRATOR,
  GH_ROLE_INSTALLER,
  GH_ROLE_OPERATOR,
  GH_ROLE_GUARD,
} GhRole;

/**
 * GhPermission:
 *
 * What an operation needs. Every store and protocol entry point that changes something, or
 * reads something a role may not see, checks one of these against the caller's #GhSession.
 */
typedef enum {
  GH_PERMISSION_PERSONNEL_READ,
  GH_PERMISSION_PERSONNEL_WRITE,     /* company, departments, persons, credentials */
  GH_PERMISSION_ACCESS_RULES_WRITE,  /* time templates, permission groups */
  GH_PERMISSION_DEVICES_READ,
  GH_PERMISSION_DEVICES_WRITE,
  GH_PERMISSION_COMMUNITY_WRITE,     /* organization, rooms, numbering, call groups, notices */
  GH_PERMISSION_RECORDS_READ,
  GH_PERMISSION_RECORDS_EXPORT,
  GH_PERMISSION_DOORS_CONTROL,
  GH_PERMISSION_CALLS_HANDLE,
  GH_PERMISSION_SYNC_RUN,
  GH_PERMISSION_SETTINGS_WRITE,
  GH_PERMISSION_OPERATORS_MANAGE,
  GH_PERMISSION_AUDIT_READ,
} GhPermission;

const char *gh_role_to_string        (GhRole        role);
const char *gh_role_get_display_name (GhRole        role);
gboolean    gh_role_from_string      (const char   *str,
                                      GhRole       *out_role);
gboolean    gh_role_allows           (GhRole        role,
                                      GhPermission  permission);

#define GH_TYPE_SESSION (gh_session_get_type ())
G_DECLARE_FINAL_TYPE (GhSession, gh_session, GH, SESSION, GObject)

GhSession  *gh_session_new              (gint64        operator_id,
                                         const char   *username,
                                         GhRole        role,
                                         const char   *surface);
GhSession  *gh_session_new_system       (const char   *surface);
gint64      gh_session_get_operator_id  (GhSession    *self);
const char *gh_session_get_username     (GhSession    *self);
GhRole      gh_session_get_role         (GhSession    *self);
const char *gh_session_get_surface      (GhSession    *self);
gboolean    gh_session_check            (GhSession    *self,
                                         GhPermission  permission,
                                         GError      **error);

G_END_DECLS
