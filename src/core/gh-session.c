/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-session.h"

#include "gh-error.h"

/**
 * GhSession:
 *
 * Who is acting, in which role and from which surface ("gui", "cli", "system"). A session is
 * carried into every store and protocol operation so that the GUI and gatehousectl meet the
 * same role checks and leave the same audit trail.
 */
struct _GhSession
{
  GObject  parent_instance;

  gint64   operator_id;
  char    *username;  /* (owned) */
  GhRole   role;
  char    *surface;   /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhSession, gh_session, G_TYPE_OBJECT)

static const struct {
  const char *id;
  const char *name;
} roles[] = {
  [GH_ROLE_ADMINISTRATOR] = { "administrator", N_("Administrator") },
  [GH_ROLE_INSTALLER] = { "installer", N_("Installer") },
  [GH_ROLE_OPERATOR] = { "operator", N_("Operator") },
  [GH_ROLE_GUARD] = { "guard", N_("Guard") },
};

/* Which roles hold each permission, as a bit mask of 1 << GhRole. */
#define R(role) (1u << (role))
#define ALL (R (GH_ROLE_ADMINISTRATOR) | R (GH_ROLE_INSTALLER) | R (GH_ROLE_OPERATOR) | \
             R (GH_ROLE_GUARD))
static const guint grants[] = {
  [GH_PERMISSION_PERSONNEL_READ] = R (GH_ROLE_ADMINISTRATOR) | R (GH_ROLE_INSTALLER) |
                                   R (GH_ROLE_OPERATOR) | R (GH_ROLE_GUARD),
  [GH_PERMISSION_PERSONNEL_WRITE] = R (GH_ROLE_ADMINISTRATOR) | R (GH_ROLE_INSTALLER) |
                                    R (GH_ROLE_OPERATOR),
  [GH_PERMISSION_ACCESS_RULES_WRITE] = R (GH_ROLE_ADMINISTRATOR) | R (GH_ROLE_INSTALLER) |
                                       R (GH_ROLE_OPERATOR),
  [GH_PERMISSION_DEVICES_READ] = ALL,
  [GH_PERMISSION_DEVICES_WRITE] = R (GH_ROLE_ADMINISTRATOR) | R (GH_ROLE_INSTALLER),
  [GH_PERMISSION_COMMUNITY_WRITE] = R (GH_ROLE_ADMINISTRATOR) | R (GH_ROLE_INSTALLER),
  [GH_PERMISSION_RECORDS_READ] = ALL,
  [GH_PERMISSION_RECORDS_EXPORT] = R (GH_ROLE_ADMINISTRATOR) | R (GH_ROLE_OPERATOR),
  [GH_PERMISSION_DOORS_CONTROL] = R (GH_ROLE_ADMINISTRATOR) | R (GH_ROLE_GUARD),
  [GH_PERMISSION_CALLS_HANDLE] = R (GH_ROLE_ADMINISTRATOR) | R (GH_ROLE_GUARD),
  [GH_PERMISSION_SYNC_RUN] = R (GH_ROLE_ADMINISTRATOR) | R (GH_ROLE_INSTALLER) |
                             R (GH_ROLE_OPERATOR),
  [GH_PERMISSION_SETTINGS_WRITE] = R (GH_ROLE_ADMINISTRATOR),
  [GH_PERMISSION_OPERATORS_MANAGE] = R (GH_ROLE_ADMINISTRATOR),
  [GH_PERMISSION_AUDIT_READ] = R (GH_ROLE_ADMINISTRATOR),
};
#undef ALL
#undef R

static const char *
describe_permission (GhPermission permission)
{
  switch (permission) {
  case GH_PERMISSION_PERSONNEL_READ: return _("Viewing personnel");
  case GH_PERMISSION_PERSONNEL_WRITE: return _("Changing personnel");
  case GH_PERMISSION_ACCESS_RULES_WRITE: return _("Changing time templates and permission groups");
  case GH_PERMISSION_DEVICES_READ: return _("Viewing devices");
  case GH_PERMISSION_DEVICES_WRITE: return _("Changing devices");
  case GH_PERMISSION_COMMUNITY_WRITE: return _("Changing the community, numbering and notices");
  case GH_PERMISSION_RECORDS_READ: return _("Viewing records");
  case GH_PERMISSION_RECORDS_EXPORT: return _("Exporting records");
  case GH_PERMISSION_DOORS_CONTROL: return _("Opening and closing doors");
  case GH_PERMISSION_CALLS_HANDLE: return _("Answering and placing calls");
  case GH_PERMISSION_SYNC_RUN: return _("Pushing data to devices");
  case GH_PERMISSION_SETTINGS_WRITE: return _("Changing settings");
  case GH_PERMISSION_OPERATORS_MANAGE: return _("Managing operator accounts");
  case GH_PERMISSION_AUDIT_READ: return _("Reading the audit log");
  default: g_return_val_if_reached (NULL);
  }
}

static void
gh_session_finalize (GObject *object)
{
  GhSession *self = (GhSession *)object;

  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->surface, g_free);

  G_OBJECT_CLASS (gh_session_parent_class)->finalize (object);
}

static void
gh_session_class_init (GhSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_session_finalize;
}

static void
gh_session_init (GhSession *self)
{
}

const char *
gh_role_to_string (GhRole role)
{
  g_return_val_if_fail (role <= GH_ROLE_GUARD, NULL);

  return roles[role].id;
}

const char *
gh_role_get_display_name (GhRole role)
{
  g_return_val_if_fail (role <= GH_ROLE_GUARD, NULL);

  return _(roles[role].name);
}

gboolean
gh_role_from_string (const char *str,
                     GhRole     *out_role)
{
  g_return_val_if_fail (out_role != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++) {
    if (g_ascii_strcasecmp (str, roles[i].id) == 0) {
      *out_role = (GhRole)i;
      return TRUE;
    }
  }

  return FALSE;
}

gboolean
gh_role_allows (GhRole       role,
                GhPermission permission)
{
  g_return_val_if_fail (role <= GH_ROLE_GUARD, FALSE);
  g_return_val_if_fail (permission < G_N_ELEMENTS (grants), FALSE);

  return (grants[permission] & (1u << role)) != 0;
}

/**
 * gh_session_new:
 * @operator_id: the row id of the operator, or 0 for none
 * @username: the operator's account name
 * @role: the operator's role
 * @surface: where the actions come from: "gui", "cli" or "system"
 */
GhSession *
gh_session_new (gint64      operator_id,
                const char *username,
                GhRole      role,
                const char *surface)
{
  GhSession *self;

  g_return_val_if_fail (username != NULL, NULL);
  g_return_val_if_fail (role <= GH_ROLE_GUARD, NULL);
  g_return_val_if_fail (surface != NULL, NULL);

  self = g_object_new (GH_TYPE_SESSION, NULL);
  self->operator_id = operator_id;
  self->username = g_strdup (username);
  self->role = role;
  self->surface = g_strdup (surface);

  return self;
}

/**
 * gh_session_new_system:
 * @surface: what acts, e.g. "sync", "demo", "migration"
 *
 * A session for work the application does on its own behalf, such as seeding the demo
 * database or ingesting device records. It holds every permission and is audited as
 * `system`.
 */
GhSession *
gh_session_new_system (const char *surface)
{
  return gh_session_new (0, "system", GH_ROLE_ADMINISTRATOR, surface);
}

gint64
gh_session_get_operator_id (GhSession *self)
{
  g_return_val_if_fail (GH_IS_SESSION (self), 0);

  return self->operator_id;
}

const char *
gh_session_get_username (GhSession *self)
{
  g_return_val_if_fail (GH_IS_SESSION (self), NULL);

  return self->username;
}

GhRole
gh_session_get_role (GhSession *self)
{
  g_return_val_if_fail (GH_IS_SESSION (self), GH_ROLE_GUARD);

  return self->role;
}

const char *
gh_session_get_surface (GhSession *self)
{
  g_return_val_if_fail (GH_IS_SESSION (self), NULL);

  return self->surface;
}

/**
 * gh_session_check:
 *
 * Returns: %TRUE if the session's role holds @permission; otherwise %FALSE with a
 *   %GH_ERROR_PERMISSION_DENIED error that names the roles that do.
 */
gboolean
gh_session_check (GhSession     *self,
                  GhPermission   permission,
                  GError       **error)
{
  g_autoptr(GString) needed = NULL;

  g_return_val_if_fail (GH_IS_SESSION (self), FALSE);
  g_return_val_if_fail (permission < G_N_ELEMENTS (grants), FALSE);

  if (gh_role_allows (self->role, permission))
    return TRUE;

  needed = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++) {
    if (!gh_role_allows ((GhRole)i, permission))
      continue;
    if (needed->len > 0)
      g_string_append (needed, _(" or "));
    g_string_append (needed, gh_role_get_display_name ((GhRole)i));
  }

  g_set_error (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED,
               /* Translators: e.g. "Opening and closing doors needs the Administrator or Guard
                * role; you are signed in as Operator." */
               _("%s needs the %s role; you are signed in as %s."),
               describe_permission (permission), needed->str,
               gh_role_get_display_name (self->role));
  return FALSE;
}
