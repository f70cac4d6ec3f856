/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-window.h"
#include "gh-application.h"
#include "gh-change-password-dialog.h"
#include "gh-lock-page.h"
#include "gh-operators-dialog.h"

#include "views/building-manager/gh-building-manager-view.h"
#include "views/call-groups/gh-call-groups-view.h"
#include "views/devices/gh-devices-view.h"
#include "views/dial-management/gh-dial-management-view.h"
#include "views/information-release/gh-information-release-view.h"
#include "views/intercom/gh-intercom-view.h"
#include "views/permissions/gh-permissions-view.h"
#include "views/personnel/gh-personnel-view.h"
#include "views/records/gh-records-view.h"

#include "gh-auth.h"
#include "gh-error.h"

/*
 * GhWindow: the main window. A sidebar lists the views (one row per page of the stack, built
 * from the stack's pages so the two cannot disagree); on narrow widths the AdwLeaflet folds and
 * the content gets a back button.
 *
 * The window belongs to a signed-in operator (GhWindow:session), whose session it hands to
 * every store call. After idle time (the shorter of the idle-lock-seconds setting and the
 * database's sign-in policy; 0 = never) a lock page covers the content until the same
 * operator types their password again.
 */
struct _GhWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings; /* (owned) (nullable) */
  GhSession *session; /* (owned) (nullable) */
  gboolean demo;
  gint64 last_activity; /* monotonic µs */
  guint idle_source;

  /* Template children */
  AdwLeaflet *leaflet;
  AdwWindowTitle *sidebar_title;
  AdwWindowTitle *content_title;
  GtkListBox *sidebar_list;
  GtkStack *stack;
  GtkButton *back_button;
  GtkMenuButton *primary_menu_button;
  GtkStack *lock_stack;
  AdwToastOverlay *toast_overlay;
  GhLockPage *lock_page;
};

G_DEFINE_FINAL_TYPE (GhWindow, gh_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DEMO,
  PROP_SESSION,
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
  g_autofree char *operator = NULL;

  if (child != NULL)
    view_title = gtk_stack_page_get_title (gtk_stack_get_page (self->stack, child));

  if (self->session != NULL && self->demo)
    /* Translators: the sidebar subtitle: user name, role; the app runs the demo community */
    operator = g_strdup_printf (_("%s (%s) · Demo"), gh_session_get_username (self->session),
                                gh_role_get_display_name (gh_session_get_role (self->session)));
  else if (self->session != NULL)
    /* Translators: the sidebar subtitle: user name and role of who is signed in */
    operator = g_strdup_printf (_("%s (%s)"), gh_session_get_username (self->session),
                                gh_role_get_display_name (gh_session_get_role (self->session)));

  adw_window_title_set_subtitle (self->sidebar_title,
                                 operator ? operator : subtitle ? subtitle : "");
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

static GhDatabase *
get_database (GhWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return GH_IS_APPLICATION (app) ? gh_application_get_database (GH_APPLICATION (app)) : NULL;
}

static guint
idle_limit_seconds (GhWindow *self)
{
  GhDatabase *database = get_database (self);
  guint local = 0;
  guint policy = 0;

  if (self->settings != NULL)
    local = g_settings_get_uint (self->settings, "idle-lock-seconds");

  if (database != NULL) {
    GhAuthPolicy auth_policy;

    gh_auth_get_policy (database, &auth_policy);
    policy = auth_policy.idle_lock_seconds;
  }

  /* The community's policy is the longest a desk may stay open; this desk may lock sooner. */
  if (local == 0 || policy == 0)
    return MAX (local, policy);
  return MIN (local, policy);
}

static void schedule_idle_lock (GhWindow *self);

static gboolean
idle_timeout_cb (gpointer user_data)
{
  GhWindow *self = GH_WINDOW (user_data);
  guint limit = idle_limit_seconds (self);
  gint64 idle = g_get_monotonic_time () - self->last_activity;

  self->idle_source = 0;

  if (limit == 0 || self->session == NULL || gh_window_get_locked (self))
    return G_SOURCE_REMOVE;

  if (idle >= (gint64) limit * G_USEC_PER_SEC) {
    g_debug ("Locking after %u s without input", limit);
    gh_window_lock (self);
  } else {
    schedule_idle_lock (self);
  }

  return G_SOURCE_REMOVE;
}

static void
schedule_idle_lock (GhWindow *self)
{
  guint limit = idle_limit_seconds (self);
  gint64 remaining;

  g_clear_handle_id (&self->idle_source, g_source_remove);

  if (limit == 0 || self->session == NULL || gh_window_get_locked (self))
    return;

  remaining = (gint64) limit * G_USEC_PER_SEC - (g_get_monotonic_time () - self->last_activity);
  remaining = CLAMP (remaining / 1000 + 1, 1, (gint64) limit * 1000);
  self->idle_source = g_timeout_add_full (G_PRIORITY_DEFAULT, remaining, idle_timeout_cb, self,
                                          NULL);
  g_source_set_name_by_id (self->idle_source, "[gatehouse] idle lock");
}

static void
activity_cb (GhWindow *self)
{
  /* Timestamps only: a moving pointer must not churn timer sources. */
  self->last_activity = g_get_monotonic_time ();
}

static gboolean
key_pressed_cb (GhWindow *self)
{
  activity_cb (self);
  return GDK_EVENT_PROPAGATE;
}

/* Any input anywhere in @widget keeps the window unlocked; capture sees it before the
 * widgets do. The window's own dialogs are watched too. */
static void
watch_activity (GhWindow  *self,
                GtkWidget *widget)
{
  GtkEventController *controller;

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "motion", G_CALLBACK (activity_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "pressed", G_CALLBACK (activity_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, controller);
}

static void
idle_setting_changed_cb (GhWindow *self)
{
  activity_cb (self);
  schedule_idle_lock (self);
}

static void
unlocked_cb (GhWindow *self)
{
  gtk_stack_set_visible_child_name (self->lock_stack, "unlocked");
  gh_lock_page_reset (self->lock_page, NULL, NULL);
  activity_cb (self);
  schedule_idle_lock (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.change-password", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.operators",
                                 self->session != NULL &&
                                 gh_session_check (self->session,
                                                   GH_PERMISSION_OPERATORS_MANAGE, NULL));
  gtk_widget_grab_focus (GTK_WIDGET (self->sidebar_list));
}

static void
password_changed_cb (GhWindow *self)
{
  gh_window_add_toast (self, adw_toast_new (_("Password changed")));
}

static void
locked_out_cb (GhWindow     *self,
               const GError *error)
{
  gh_window_lock (self);
}

static void
change_password_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  gh_window_change_password (GH_WINDOW (widget), FALSE);
}

static void
operators_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);
  GhDatabase *database = get_database (self);
  GhOperatorsDialog *dialog;

  if (database == NULL || self->session == NULL)
    return;

  dialog = gh_operators_dialog_new (GTK_WINDOW (self), database, self->session);
  watch_activity (self, GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  gh_window_lock (GH_WINDOW (widget));
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));

  if (GH_IS_APPLICATION (app))
    gh_application_sign_out (GH_APPLICATION (app));
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
  case PROP_SESSION:
    g_value_set_object (value, self->session);
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
  case PROP_SESSION:
    gh_window_set_session (self, g_value_get_object (value));
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

  g_clear_handle_id (&self->idle_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);

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

  /**
   * GhWindow:session:
   *
   * The signed-in operator, handed to every store call; %NULL before sign-in.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, GH_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GH_TYPE_LOCK_PAGE);

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
  gtk_widget_class_bind_template_child (widget_class, GhWindow, lock_stack);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, lock_page);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_visible_child_cb);
  gtk_widget_class_bind_template_callback (widget_class, stack_visible_child_cb);
  gtk_widget_class_bind_template_callback (widget_class, unlocked_cb);

  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);
  gtk_widget_class_install_action (widget_class, "win.change-password", NULL,
                                   change_password_action);
  gtk_widget_class_install_action (widget_class, "win.operators", NULL, operators_action);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SUPER_MASK,
                                       "win.lock", NULL);

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

  self->last_activity = g_get_monotonic_time ();
  watch_activity (self, GTK_WIDGET (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.change-password", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.operators", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", FALSE);

  gtk_list_box_bind_model (self->sidebar_list,
                           G_LIST_MODEL (gtk_stack_get_pages (self->stack)),
                           create_sidebar_row, self, NULL);

  /* Without the installed schema the window still works, it only forgets its size. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL) {
    self->settings = g_settings_new (APP_ID);
    if (g_settings_schema_has_key (schema, "idle-lock-seconds"))
      g_signal_connect_object (self->settings, "changed::idle-lock-seconds",
                               G_CALLBACK (idle_setting_changed_cb), self, G_CONNECT_SWAPPED);
  } else
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

/**
 * gh_window_get_session:
 * @self: a #GhWindow
 *
 * Returns: (transfer none) (nullable): the signed-in operator's session
 */
GhSession *
gh_window_get_session (GhWindow *self)
{
  g_return_val_if_fail (GH_IS_WINDOW (self), NULL);

  return self->session;
}

/**
 * gh_window_set_session:
 * @self: a #GhWindow
 * @session: (nullable): the signed-in operator's session
 *
 * Gives the window the session it passes to every store call, and starts the idle lock.
 */
void
gh_window_set_session (GhWindow  *self,
                       GhSession *session)
{
  g_return_if_fail (GH_IS_WINDOW (self));
  g_return_if_fail (session == NULL || GH_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  update_titles (self);
  if (!gh_window_get_locked (self))
    unlocked_cb (self);
  else
    gh_lock_page_reset (self->lock_page, get_database (self), session);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.change-password", session != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/**
 * gh_window_lock:
 * @self: a #GhWindow
 *
 * Covers the content with the lock page (and closes the window's dialogs) until the signed-in
 * operator types their password. Does nothing without a session.
 */
void
gh_window_lock (GhWindow *self)
{
  g_autoptr(GError) error = NULL;
  GListModel *toplevels;

  g_return_if_fail (GH_IS_WINDOW (self));

  if (self->session == NULL || gh_window_get_locked (self))
    return;

  g_clear_handle_id (&self->idle_source, g_source_remove);

  if (get_database (self) != NULL &&
      !gh_auth_logout (get_database (self), self->session, "locked", &error))
    g_warning ("Could not record the lock: %s", error->message);

  /* Nothing of the session may stay usable over the lock. */
  toplevels = gtk_window_get_toplevels ();
  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--) {
    g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

    if (gtk_window_get_transient_for (window) == GTK_WINDOW (self))
      gtk_window_destroy (window);
  }
  gtk_menu_button_popdown (self->primary_menu_button);

  gh_lock_page_reset (self->lock_page, get_database (self), self->session);
  gtk_stack_set_visible_child_name (self->lock_stack, "locked");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.change-password", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.operators", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->lock_page));
}

/**
 * gh_window_get_locked:
 * @self: a #GhWindow
 *
 * Returns: whether the lock page covers the content
 */
gboolean
gh_window_get_locked (GhWindow *self)
{
  g_return_val_if_fail (GH_IS_WINDOW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->lock_stack), "locked") == 0;
}

/**
 * gh_window_change_password:
 * @self: a #GhWindow
 * @required: whether an administrator reset the password, so it must be changed now
 *
 * Opens the Change Password dialog for the signed-in operator.
 */
void
gh_window_change_password (GhWindow *self,
                           gboolean  required)
{
  GhDatabase *database;
  GhChangePasswordDialog *dialog;

  g_return_if_fail (GH_IS_WINDOW (self));

  database = get_database (self);
  if (database == NULL || self->session == NULL || gh_window_get_locked (self))
    return;

  dialog = gh_change_password_dialog_new (GTK_WINDOW (self), database, self->session, required);
  g_signal_connect_object (dialog, "password-changed", G_CALLBACK (password_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "locked-out", G_CALLBACK (locked_out_cb), self,
                           G_CONNECT_SWAPPED);
  watch_activity (self, GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * gh_window_add_toast:
 * @self: a #GhWindow
 * @toast: (transfer full): a toast
 *
 * Shows @toast over the content.
 */
void
gh_window_add_toast (GhWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (GH_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * gh_window_report_error:
 * @self: a #GhWindow
 * @heading: what failed, in a few words
 * @error: the error from a store or device call
 *
 * Tells the operator that something failed. A refusal for want of a role
 * (%GH_ERROR_PERMISSION_DENIED, whose message names the role needed) is a toast: nothing is
 * broken, the operator just may not do it. Other errors get a dialog (gh_window_show_error()).
 */
void
gh_window_report_error (GhWindow     *self,
                        const char   *heading,
                        const GError *error)
{
  g_return_if_fail (GH_IS_WINDOW (self));
  g_return_if_fail (heading != NULL);
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, GH_ERROR, GH_ERROR_PERMISSION_DENIED)) {
    AdwToast *toast = adw_toast_new (error->message);

    adw_toast_set_timeout (toast, 8);
    adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    gh_window_add_toast (self, toast);
    return;
  }

  gh_window_show_error (self, heading, error);
}
