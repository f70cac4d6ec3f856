/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-building-manager-view"

#include "config.h"

#include "gh-building-manager-view.h"

/*
 * GhBuildingManagerView: the Building Manager view. Until its feature lands it shows a status page that says what the
 * view will do.
 */
struct _GhBuildingManagerView
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (GhBuildingManagerView, gh_building_manager_view, ADW_TYPE_BIN)

static void
gh_building_manager_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), GH_TYPE_BUILDING_MANAGER_VIEW);

  G_OBJECT_CLASS (gh_building_manager_view_parent_class)->dispose (object);
}

static void
gh_building_manager_view_class_init (GhBuildingManagerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_building_manager_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/gh-building-manager-view.ui");
}

static void
gh_building_manager_view_init (GhBuildingManagerView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gh_building_manager_view_new (void)
{
  return g_object_new (GH_TYPE_BUILDING_MANAGER_VIEW, NULL);
}
