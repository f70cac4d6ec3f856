/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-permissions-view"

#include "config.h"

#include "gh-permissions-view.h"

/*
 * GhPermissionsView: the Permissions view. Until its feature lands it shows a status page that says what the
 * view will do.
 */
struct _GhPermissionsView
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (GhPermissionsView, gh_permissions_view, ADW_TYPE_BIN)

static void
gh_permissions_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), GH_TYPE_PERMISSIONS_VIEW);

  G_OBJECT_CLASS (gh_permissions_view_parent_class)->dispose (object);
}

static void
gh_permissions_view_class_init (GhPermissionsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_permissions_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/gh-permissions-view.ui");
}

static void
gh_permissions_view_init (GhPermissionsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gh_permissions_view_new (void)
{
  return g_object_new (GH_TYPE_PERMISSIONS_VIEW, NULL);
}
