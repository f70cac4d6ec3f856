/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-window.h"

#include "views/building-manager/gh-building-manager-view.h"
#include "views/call-groups/gh-call-groups-view.h"
#include "views/devices/gh-devices-view.h"
#include "views/dial-management/gh-dial-management-view.h"
#include "views/information-release/gh-information-release-view.h"
#include "views/intercom/gh-intercom-view.h"
#include "views/permissions/gh-permissions-view.h"
#include "views/personnel/gh-personnel-view.h"
#include "views/records/gh-records-view.h"

/*
 * GhWindow: the main window. A sidebar lists the views (one row per page of the stack, built
 * from the stack's pages so the two cannot disagree); on narrow widths the AdwLeaflet folds and
 * the content gets a back button.
 */
struct _GhWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings; /* (owned) */
  gboolean demo;

  /* Template children */
  AdwLeaflet *leaflet;
  AdwWindowTitle *sidebar_title;
  AdwWindowTitle *content_title;
  GtkListBox *sidebar_list;
  GtkStack *stack;
  GtkButton *back_button;
  GtkMenuButton *primary_menu_button;
};

G_DEFINE_FINAL_TYPE (GhWindow, gh_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The order of the sidebar and of the Ctrl+1 … Ctrl+9 shortcuts. */
static const char * const view_names[] = {
  "personnel",
  "permissions",
  "devices",
  "building-manager",
  "dial-management",
  "call-groups",
  "information-release",
  "intercom",
  "records",
};

static GtkWidget *
create_sidebar_row (gpointer item,
                    gpointer user_data)
{
  GtkStackPage *page = GTK_STACK_PAGE (item);
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *icon;
  GtkWidget *label;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  icon = gtk_image_new ();
  g_object_bind_property (page, "icon-name", icon, "icon-name", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (box), icon);

  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  g_object_bind_property (page, "title", label, "label", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (box), label);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_stack_page_get_title (page),
                                  -1);
  g_object_set_data_full (G_OBJECT (row), "gh-view-name",
                          g_strdup (gtk_stack_page_get_name (page)), g_free);

  return row;
}

static GtkListBoxRow *
find_row (GhWindow   *self,
          const char *name)
{
  for (int i = 0;; i++) {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->sidebar_list, i);

    if (row == NULL)
      return NULL;
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "gh-view-name"), name) == 0)
      return row;
  }
}

static void
update_titles (GhWindow *self)
{
  const char *subtitle = self->demo ? _("Demo") : NULL;
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);
  const char *view_title = NULL;

  if (child != NULL)
    view_title = gtk_stack_page_get_title (gtk_stack_get_page (self->stack, child));

  adw_window_title_set_subtitle (self->sidebar_title, subtitle ? subtitle : "");
  adw_window_title_set_title (self->content_title, view_title ? view_title : "");
  adw_window_title_set_subtitle (self->content_title, subtitle ? subtitle : "");

  if (self->demo)
    gtk_window_set_title (GTK_WINDOW (self), _("Gatehouse (Demo)"));
  else
    gtk_window_set_title (GTK_WINDOW (self), _("Gatehouse"));
}

static void
stack_visible_child_cb (GhWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);
  GtkListBoxRow *row;

  if (name == NULL)
    return;

  row = find_row (self, name);
  if (row != NULL && gtk_list_box_get_selected_row (self->sidebar_list) != row)
    gtk_list_box_select_row (self->sidebar_list, row);

  update_titles (self);

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-view", name);
}

static void
sidebar_row_selected_cb (GhWindow      *self,
                         GtkListBoxRow *row)
{
  const char *name;

  if (row == NULL)
    return;

  name = g_object_get_data (G_OBJECT (row), "gh-view-name");
  if (name != NULL)
    gtk_stack_set_visible_child_name (self->stack, name);
}

static void
sidebar_row_activated_cb (GhWindow      *self,
                          GtkListBoxRow *row)
{
  sidebar_row_selected_cb (self, row);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
back_clicked_cb (GhWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
leaflet_visible_child_cb (GhWindow *self)
{
  GtkListBoxRow *row;

  /* Coming back to the folded sidebar, keep the keyboard on the view just left. */
  if (!adw_leaflet_get_folded (self->leaflet) ||
      g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "sidebar") != 0)
    return;

  row = gtk_list_box_get_selected_row (self->sidebar_list);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (!gh_window_show_view (self, name))
    g_warning ("No view called “%s”", name);
}

static void
save_window_state (GhWindow *self)
{
  int width;
  int height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0) {
    g_settings_set_int (self->settings, "window-width", width);
    g_settings_set_int (self->settings, "window-height", height);
  }
  g_settings_apply (self->settings);
}

static gboolean
gh_window_close_request (GtkWindow *window)
{
  save_window_state (GH_WINDOW (window));

  return GTK_WINDOW_CLASS (gh_window_parent_class)->close_request (window);
}

static void
gh_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  GhWindow *self = GH_WINDOW (object);

  switch (prop_id) {
  case PROP_DEMO:
    g_value_set_boolean (value, self->demo);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GhWindow *self = GH_WINDOW (object);

  switch (prop_id) {
  case PROP_DEMO:
    self->demo = g_value_get_boolean (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_window_constructed (GObject *object)
{
  GhWindow *self = GH_WINDOW (object);
  g_autofree char *last_view = NULL;

  G_OBJECT_CLASS (gh_window_parent_class)->constructed (object);

  if (self->demo)
    gtk_widget_add_css_class (GTK_WIDGET (self), "demo");

  if (self->settings != NULL) {
    gtk_window_set_default_size (GTK_WINDOW (self),
                                 g_settings_get_int (self->settings, "window-width"),
                                 g_settings_get_int (self->settings, "window-height"));
    if (g_settings_get_boolean (self->settings, "window-maximized"))
      gtk_window_maximize (GTK_WINDOW (self));
    last_view = g_settings_get_string (self->settings, "last-view");
  }

  /* Start on the sidebar when folded, but with the last view chosen behind it. */
  if (last_view == NULL || gtk_stack_get_child_by_name (self->stack, last_view) == NULL)
    gtk_stack_set_visible_child_name (self->stack, view_names[0]);
  else
    gtk_stack_set_visible_child_name (self->stack, last_view);

  update_titles (self);
}

static void
gh_window_dispose (GObject *object)
{
  GhWindow *self = GH_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gh_window_parent_class)->dispose (object);
}

static void
gh_window_class_init (GhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = gh_window_get_property;
  object_class->set_property = gh_window_set_property;
  object_class->constructed = gh_window_constructed;
  object_class->dispose = gh_window_dispose;

  window_class->close_request = gh_window_close_request;

  /**
   * GhWindow:demo:
   *
   * Whether the window shows the demo community (marked “Demo” in the title).
   */
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The views are named in the template, so their types must exist before it is parsed. */
  g_type_ensure (GH_TYPE_PERSONNEL_VIEW);
  g_type_ensure (GH_TYPE_PERMISSIONS_VIEW);
  g_type_ensure (GH_TYPE_DEVICES_VIEW);
  g_type_ensure (GH_TYPE_BUILDING_MANAGER_VIEW);
  g_type_ensure (GH_TYPE_DIAL_MANAGEMENT_VIEW);
  g_type_ensure (GH_TYPE_CALL_GROUPS_VIEW);
  g_type_ensure (GH_TYPE_INFORMATION_RELEASE_VIEW);
  g_type_ensure (GH_TYPE_INTERCOM_VIEW);
  g_type_ensure (GH_TYPE_RECORDS_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/gh-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GhWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, primary_menu_button);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_visible_child_cb);
  gtk_widget_class_bind_template_callback (widget_class, stack_visible_child_cb);

  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);

  for (guint i = 0; i < G_N_ELEMENTS (view_names); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_CONTROL_MASK,
                                         "win.show-view", "s", view_names[i]);
}

static void
gh_window_init (GhWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_bind_model (self->sidebar_list,
                           G_LIST_MODEL (gtk_stack_get_pages (self->stack)),
                           create_sidebar_row, self, NULL);

  /* Without the installed schema the window still works, it only forgets its size. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (APP_ID);
  else
    g_message ("Settings schema %s is not installed; window state will not be kept", APP_ID);
}

/**
 * gh_window_new:
 * @application: the application the window belongs to
 * @demo: whether the window shows the demo community
 *
 * Returns: (transfer full): a new main window
 */
GhWindow *
gh_window_new (GtkApplication *application,
               gboolean        demo)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (GH_TYPE_WINDOW,
                       "application", application,
                       "demo", demo,
                       NULL);
}

/**
 * gh_window_show_view:
 * @self: a #GhWindow
 * @name: a view name such as `"personnel"` or `"call-groups"`
 *
 * Shows the view called @name, as if its sidebar row had been chosen.
 *
 * Returns: %TRUE if there is a view called @name
 */
gboolean
gh_window_show_view (GhWindow   *self,
                     const char *name)
{
  g_return_val_if_fail (GH_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (gtk_stack_get_child_by_name (self->stack, name) == NULL)
    return FALSE;

  gtk_stack_set_visible_child_name (self->stack, name);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);

  return TRUE;
}

/**
 * gh_window_get_visible_view_name:
 * @self: a #GhWindow
 *
 * Returns: (nullable): the name of the view on show
 */
const char *
gh_window_get_visible_view_name (GhWindow *self)
{
  g_return_val_if_fail (GH_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * gh_window_get_view:
 * @self: a #GhWindow
 * @name: a view name
 *
 * Returns: (transfer none) (nullable): the view widget called @name
 */
GtkWidget *
gh_window_get_view (GhWindow   *self,
                    const char *name)
{
  g_return_val_if_fail (GH_IS_WINDOW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return gtk_stack_get_child_by_name (self->stack, name);
}

/**
 * gh_window_show_error:
 * @self: a #GhWindow
 * @heading: what failed, in a few words
 * @error: the error, whose message says what to do
 *
 * Shows @error in a modal message dialog over the window.
 */
void
gh_window_show_error (GhWindow     *self,
                      const char   *heading,
                      const GError *error)
{
  GtkWidget *dialog;

  g_return_if_fail (GH_IS_WINDOW (self));
  g_return_if_fail (heading != NULL);
  g_return_if_fail (error != NULL);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}
