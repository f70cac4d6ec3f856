/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-call-groups-view"

#include "config.h"

#include "gh-call-groups-view.h"

/*
 * GhCallGroupsView: the Call Groups view. Until its feature lands it shows a status page that says what the
 * view will do.
 */
struct _GhCallGroupsView
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (GhCallGroupsView, gh_call_groups_view, ADW_TYPE_BIN)

static void
gh_call_groups_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), GH_TYPE_CALL_GROUPS_VIEW);

  G_OBJECT_CLASS (gh_call_groups_view_parent_class)->dispose (object);
}

static void
gh_call_groups_view_class_init (GhCallGroupsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_call_groups_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/gh-call-groups-view.ui");
}

static void
gh_call_groups_view_init (GhCallGroupsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gh_call_groups_view_new (void)
{
  return g_object_new (GH_TYPE_CALL_GROUPS_VIEW, NULL);
}
