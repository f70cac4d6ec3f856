/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-records-view"

#include "config.h"

#include "gh-records-view.h"

/*
 * GhRecordsView: the Records view. Until its feature lands it shows a status page that says what the
 * view will do.
 */
struct _GhRecordsView
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (GhRecordsView, gh_records_view, ADW_TYPE_BIN)

static void
gh_records_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), GH_TYPE_RECORDS_VIEW);

  G_OBJECT_CLASS (gh_records_view_parent_class)->dispose (object);
}

static void
gh_records_view_class_init (GhRecordsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_records_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/gh-records-view.ui");
}

static void
gh_records_view_init (GhRecordsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gh_records_view_new (void)
{
  return g_object_new (GH_TYPE_RECORDS_VIEW, NULL);
}
