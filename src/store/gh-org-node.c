/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-org-node"

#include "config.h"

#include "gh-org-node.h"
#include "gh-org-node-private.h"

/**
 * GhOrgNode:
 *
 * One node of the community organization (the community, a building or a unit), as a
 * read-only row object for tree models.
 */
struct _GhOrgNode
{
  GObject   parent_instance;

  gint64   id;
  gint64   parent_id;
  char   * kind;  /* (owned) */
  char   * number;  /* (owned) */
  char   * name;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (GhOrgNode, gh_org_node, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PARENT_ID,
  PROP_KIND,
  PROP_NUMBER,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gh_org_node_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GhOrgNode *self = GH_ORG_NODE (object);

  switch (prop_id) {
  case PROP_ID:
    g_value_set_int64 (value, self->id);
    break;
  case PROP_PARENT_ID:
    g_value_set_int64 (value, self->parent_id);
    break;
  case PROP_KIND:
    g_value_set_string (value, self->kind);
    break;
  case PROP_NUMBER:
    g_value_set_string (value, self->number);
    break;
  case PROP_NAME:
    g_value_set_string (value, self->name);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_org_node_finalize (GObject *object)
{
  GhOrgNode *self = (GhOrgNode *)object;

  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (gh_org_node_parent_class)->finalize (object);
}

static void
gh_org_node_class_init (GhOrgNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_org_node_get_property;
  object_class->finalize = gh_org_node_finalize;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* 0 for the community */
  properties[PROP_PARENT_ID] =
    g_param_spec_int64 ("parent-id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* community, building or unit */
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_org_node_init (GhOrgNode *self)
{
}

GhOrgNode *
gh_org_node_new_row (void)
{
  return g_object_new (GH_TYPE_ORG_NODE, NULL);
}

gint64
gh_org_node_get_id (GhOrgNode *self)
{
  g_return_val_if_fail (GH_IS_ORG_NODE (self), 0);

  return self->id;
}

gint64
gh_org_node_get_parent_id (GhOrgNode *self)
{
  g_return_val_if_fail (GH_IS_ORG_NODE (self), 0);

  return self->parent_id;
}

const char *
gh_org_node_get_kind (GhOrgNode *self)
{
  g_return_val_if_fail (GH_IS_ORG_NODE (self), NULL);

  return self->kind;
}

const char *
gh_org_node_get_number (GhOrgNode *self)
{
  g_return_val_if_fail (GH_IS_ORG_NODE (self), NULL);

  return self->number;
}

const char *
gh_org_node_get_name (GhOrgNode *self)
{
  g_return_val_if_fail (GH_IS_ORG_NODE (self), NULL);

  return self->name;
}

void
gh_org_node_set_id (GhOrgNode *self,
                   gint64     id)
{
  g_return_if_fail (GH_IS_ORG_NODE (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

void
gh_org_node_set_parent_id (GhOrgNode *self,
                          gint64     parent_id)
{
  g_return_if_fail (GH_IS_ORG_NODE (self));

  if (self->parent_id == parent_id)
    return;

  self->parent_id = parent_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARENT_ID]);
}

void
gh_org_node_set_kind (GhOrgNode   *self,
                     const char *kind)
{
  g_return_if_fail (GH_IS_ORG_NODE (self));

  if (g_strcmp0 (self->kind, kind) == 0)
    return;

  g_free (self->kind);
  self->kind = g_strdup (kind);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

void
gh_org_node_set_number (GhOrgNode   *self,
                       const char *number)
{
  g_return_if_fail (GH_IS_ORG_NODE (self));

  if (g_strcmp0 (self->number, number) == 0)
    return;

  g_free (self->number);
  self->number = g_strdup (number);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
}

void
gh_org_node_set_name (GhOrgNode   *self,
                     const char *name)
{
  g_return_if_fail (GH_IS_ORG_NODE (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}
