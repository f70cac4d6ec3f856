/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sim-community"

#include "config.h"

#include "gh-sim-community.h"
#include "gh-sim-acceptor.h"
#include "gh-sim-community-private.h"
#include "gh-sim-device-private.h"
#include "gh-sim-error.h"

#include <gst/gst.h>
#include <string.h>

struct _GhSimCommunity {
  GObject      parent_instance;

  GPtrArray   *devices;      /* (owned) (element-type GhSimDevice) */
  GHashTable  *by_name;      /* (owned) name → GhSimDevice (borrowed) */
  json_object *initial_state; /* (owned) (nullable) */
  char        *state_file;   /* (owned) (nullable) */
  guint        control_port;
  SoupServer  *control;      /* (owned) (nullable) */
  GhSimAcceptor *acceptor;   /* (owned) (nullable) listening sockets of every device */
  guint        tick_id;
  guint        save_id;
  gboolean     running;

  /* the load generator */
  guint        load_id;
  double       load_rate;     /* events per second per device */
  gint64       load_start;    /* monotonic µs */
  gint64       load_end;
  guint64      load_sent;
  guint        load_next;     /* round-robin position */
};

G_DEFINE_FINAL_TYPE (GhSimCommunity, gh_sim_community, G_TYPE_OBJECT)

static gboolean
tick_cb (gpointer user_data)
{
  GhSimCommunity *self = user_data;
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < self->devices->len; i++)
    gh_sim_device_tick (self->devices->pdata[i], now);
  return G_SOURCE_CONTINUE;
}

/* Every 10 ms: emit what the rate asks for by now, spread round-robin over the devices, so the
 * load is even instead of arriving in one burst per second. */
static gboolean
load_cb (gpointer user_data)
{
  GhSimCommunity *self = user_data;
  gint64 now = MIN (g_get_monotonic_time (), self->load_end);
  guint64 due = (guint64) ((now - self->load_start) / 1e6 * self->load_rate * self->devices->len);

  for (; self->load_sent < due; self->load_sent++) {
    gh_sim_device_emit_load_event (self->devices->pdata[self->load_next]);
    self->load_next = (self->load_next + 1) % self->devices->len;
  }
  if (now >= self->load_end) {
    self->load_id = 0;
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
save_cb (gpointer user_data)
{
  GhSimCommunity *self = user_data;
  g_autoptr(GError) error = NULL;

  self->save_id = 0;
  if (!gh_sim_community_save_state (self, &error))
    g_warning ("%s", error->message);
  return G_SOURCE_REMOVE;
}

static gboolean
add_device (GhSimCommunity *self,
            json_object    *desc,
            json_object    *defaults,
            GError        **error)
{
  GhSimDevice *device = gh_sim_device_new_from_json (self, desc, defaults, error);

  if (device == NULL)
    return FALSE;
  if (g_hash_table_contains (self->by_name, gh_sim_device_get_name (device))) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "Two devices are named \"%s\"; names must be unique",
                 gh_sim_device_get_name (device));
    g_object_unref (device);
    return FALSE;
  }
  g_hash_table_insert (self->by_name, (gpointer) gh_sim_device_get_name (device), device);
  g_ptr_array_add (self->devices, device);
  return TRUE;
}

static gboolean
load_json (GhSimCommunity *self,
           json_object    *root,
           GError        **error)
{
  json_object *devices, *defaults = NULL, *v;

  if (!json_object_is_type (root, json_type_object) ||
      !json_object_object_get_ex (root, "devices", &devices) ||
      !json_object_is_type (devices, json_type_array)) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "A community file is a JSON object with a \"devices\" array");
    return FALSE;
  }
  json_object_object_get_ex (root, "defaults", &defaults);
  if (defaults && !json_object_is_type (defaults, json_type_object)) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "\"defaults\" must be a JSON object");
    return FALSE;
  }
  if (json_object_object_get_ex (root, "control_port", &v))
    self->control_port = CLAMP (json_object_get_int (v), 0, 65535);
  if (json_object_object_get_ex (root, "state_file", &v) &&
      json_object_is_type (v, json_type_string))
    gh_sim_community_set_state_file (self, json_object_get_string (v));
  for (size_t i = 0; i < json_object_array_length (devices); i++)
    if (!add_device (self, json_object_array_get_idx (devices, i), defaults, error))
      return FALSE;
  if (self->devices->len == 0) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "The community has no devices; add at least one to \"devices\"");
    return FALSE;
  }
  return TRUE;
}

static void
gh_sim_community_dispose (GObject *object)
{
  GhSimCommunity *self = GH_SIM_COMMUNITY (object);

  gh_sim_community_stop (self);
  G_OBJECT_CLASS (gh_sim_community_parent_class)->dispose (object);
}

static void
gh_sim_community_finalize (GObject *object)
{
  GhSimCommunity *self = GH_SIM_COMMUNITY (object);

  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->initial_state, json_object_put);
  g_free (self->state_file);
  G_OBJECT_CLASS (gh_sim_community_parent_class)->finalize (object);
}

static void
gh_sim_community_class_init (GhSimCommunityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_sim_community_dispose;
  object_class->finalize = gh_sim_community_finalize;
}

static void
gh_sim_community_init (GhSimCommunity *self)
{
  self->devices = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Private API */

GPtrArray *
gh_sim_community_find_room (GhSimCommunity *self,
                            const char     *room)
{
  GPtrArray *found = g_ptr_array_new ();
  g_autofree char *extension_prefix = g_strconcat (room, "#", NULL);

  for (guint i = 0; i < self->devices->len; i++) {
    GhSimDevice *device = self->devices->pdata[i];
    const char *number = gh_sim_device_get_number (device);

    if (gh_sim_device_get_kind (device) != GH_SIM_DEVICE_VTH)
      continue;
    if (g_strcmp0 (number, room) == 0 || g_str_has_prefix (number, extension_prefix))
      g_ptr_array_add (found, device);
  }
  return found;
}

GhSimAcceptor *
gh_sim_community_get_acceptor (GhSimCommunity *self)
{
  return self->acceptor;
}

gboolean
gh_sim_community_has_monitors (GhSimCommunity *self)
{
  for (guint i = 0; i < self->devices->len; i++)
    if (gh_sim_device_get_kind (self->devices->pdata[i]) == GH_SIM_DEVICE_VTH)
      return TRUE;
  return FALSE;
}

void
gh_sim_community_schedule_save (GhSimCommunity *self)
{
  if (self->state_file == NULL || self->save_id || !self->running)
    return;
  self->save_id = g_timeout_add (200, save_cb, self);
}

/* Public API */

GhSimCommunity *
gh_sim_community_new_from_data (const char *json,
                                GError    **error)
{
  g_autoptr(GhSimCommunity) self = g_object_new (GH_TYPE_SIM_COMMUNITY, NULL);
  g_autoptr(json_object) root = NULL;
  enum json_tokener_error jerr = json_tokener_success;

  g_return_val_if_fail (json != NULL, NULL);

  root = json_tokener_parse_verbose (json, &jerr);
  if (root == NULL) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "The community description is not valid JSON: %s",
                 json_tokener_error_desc (jerr));
    return NULL;
  }
  if (!load_json (self, root, error))
    return NULL;
  return g_steal_pointer (&self);
}

GhSimCommunity *
gh_sim_community_new_from_file (const char *path,
                                GError    **error)
{
  g_autofree char *contents = NULL;
  GhSimCommunity *self;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, NULL, error)) {
    g_prefix_error (error, "Could not read the community file: ");
    return NULL;
  }
  self = gh_sim_community_new_from_data (contents, error);
  if (self == NULL)
    g_prefix_error (error, "%s: ", path);
  return self;
}

/* The built-in demo: 2 buildings × 2 units, a door station per unit, two rooms per unit (room
 * 1101 has a second monitor, extension 1101#1), a fence station and a master station. */
GhSimCommunity *
gh_sim_community_new_demo (void)
{
  g_autoptr(json_object) root = json_object_new_object ();
  json_object *devices = json_object_new_array ();
  g_autoptr(GError) error = NULL;
  GhSimCommunity *self;
  guint vto = 1;

  json_object_object_add (root, "devices", devices);
  for (guint b = 1; b <= 2; b++) {
    for (guint u = 1; u <= 2; u++) {
      json_object *d = json_object_new_object ();
      g_autofree char *name = g_strdup_printf ("VTO-%u-%u", b, u);
      g_autofree char *number = g_strdup_printf ("800%u", vto++);
      g_autofree char *serial = g_strdup_printf ("8H0A1B%u%uPAJ%05u", b, u, 36130 + b * 10 + u);
      g_autofree char *bs = g_strdup_printf ("%u", b);
      g_autofree char *us = g_strdup_printf ("%u", u);

      json_object_object_add (d, "name", json_object_new_string (name));
      json_object_object_add (d, "kind", json_object_new_string ("vto"));
      json_object_object_add (d, "model", json_object_new_string ("VTO2211G-WP"));
      json_object_object_add (d, "serial", json_object_new_string (serial));
      json_object_object_add (d, "number", json_object_new_string (number));
      json_object_object_add (d, "building", json_object_new_string (bs));
      json_object_object_add (d, "unit", json_object_new_string (us));
      json_object_object_add (d, "doors", json_object_new_int (2));
      json_object_array_add (devices, d);

      for (guint r = 1; r <= 2; r++) {
        json_object *vth = json_object_new_object ();
        g_autofree char *room = g_strdup_printf ("%u%u0%u", b, u, r);
        g_autofree char *vth_name = g_strdup_printf ("VTH-%s", room);
        g_autofree char *vth_serial = g_strdup_printf ("7K0C2D%sPAJ%05u", room, 20000 + r);

        json_object_object_add (vth, "name", json_object_new_string (vth_name));
        json_object_object_add (vth, "kind", json_object_new_string ("vth"));
        json_object_object_add (vth, "model", json_object_new_string ("VTH2421FW-P"));
        json_object_object_add (vth, "serial", json_object_new_string (vth_serial));
        json_object_object_add (vth, "number", json_object_new_string (room));
        json_object_object_add (vth, "building", json_object_new_string (bs));
        json_object_object_add (vth, "unit", json_object_new_string (us));
        json_object_object_add (vth, "firmware", json_object_new_string ("4.410.0000000.0.R"));
        json_object_array_add (devices, vth);
      }
    }
  }
  {
    json_object *ext = json_object_new_object ();
    json_object *fence = json_object_new_object ();
    json_object *vts = json_object_new_object ();

    json_object_object_add (ext, "name", json_object_new_string ("VTH-1101-EXT"));
    json_object_object_add (ext, "kind", json_object_new_string ("vth"));
    json_object_object_add (ext, "number", json_object_new_string ("1101#1"));
    json_object_object_add (ext, "serial", json_object_new_string ("7K0C2D1101PAJ29999"));
    json_object_object_add (ext, "building", json_object_new_string ("1"));
    json_object_object_add (ext, "unit", json_object_new_string ("1"));
    json_object_array_add (devices, ext);

    json_object_object_add (fence, "name", json_object_new_string ("FENCE-1"));
    json_object_object_add (fence, "kind", json_object_new_string ("fence"));
    json_object_object_add (fence, "model", json_object_new_string ("VTO1210C-X"));
    json_object_object_add (fence, "serial", json_object_new_string ("6F0E3A01PAJ10001"));
    json_object_object_add (fence, "number", json_object_new_string ("9001"));
    json_object_object_add (fence, "doors", json_object_new_int (1));
    json_object_array_add (devices, fence);

    json_object_object_add (vts, "name", json_object_new_string ("VTS-1"));
    json_object_object_add (vts, "kind", json_object_new_string ("vts"));
    json_object_object_add (vts, "model", json_object_new_string ("VTS5420B"));
    json_object_object_add (vts, "serial", json_object_new_string ("5D0B4C01PAJ00101"));
    json_object_object_add (vts, "number", json_object_new_string ("101"));
    json_object_array_add (devices, vts);
  }
  self = gh_sim_community_new_from_data (json_object_to_json_string (root), &error);
  g_assert_no_error (error); /* the built-in description is valid by construction */
  return self;
}

void
gh_sim_community_set_state_file (GhSimCommunity *self,
                                 const char     *path)
{
  g_return_if_fail (GH_IS_SIM_COMMUNITY (self));

  g_free (self->state_file);
  self->state_file = g_strdup (path);
}

void
gh_sim_community_set_control_port (GhSimCommunity *self,
                                   guint           port)
{
  g_return_if_fail (GH_IS_SIM_COMMUNITY (self));
  self->control_port = port;
}

gboolean
gh_sim_community_save_state (GhSimCommunity *self,
                             GError        **error)
{
  g_autoptr(json_object) root = json_object_new_object ();
  json_object *devices = json_object_new_object ();
  const char *text;

  g_return_val_if_fail (GH_IS_SIM_COMMUNITY (self), FALSE);

  if (self->state_file == NULL)
    return TRUE;
  json_object_object_add (root, "devices", devices);
  for (guint i = 0; i < self->devices->len; i++) {
    GhSimDevice *device = self->devices->pdata[i];

    json_object_object_add (devices, gh_sim_device_get_name (device),
                            gh_sim_device_to_state (device));
  }
  text = json_object_to_json_string_ext (root, JSON_C_TO_STRING_PRETTY |
                                         JSON_C_TO_STRING_NOSLASHESCAPE);
  if (!g_file_set_contents (self->state_file, text, -1, error)) {
    g_prefix_error (error, "Could not write the simulator state file: ");
    return FALSE;
  }
  return TRUE;
}

static gboolean
load_state_file (GhSimCommunity *self,
                 GError        **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(json_object) root = NULL;
  g_autoptr(GError) local_error = NULL;
  json_object *devices;

  if (self->state_file == NULL)
    return TRUE;
  if (!g_file_get_contents (self->state_file, &contents, NULL, &local_error)) {
    if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      return TRUE;
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                "Could not read the simulator state file: ");
    return FALSE;
  }
  root = json_tokener_parse (contents);
  if (root == NULL || !json_object_object_get_ex (root, "devices", &devices) ||
      !json_object_is_type (devices, json_type_object)) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                 "%s is not a simulator state file; delete it or point elsewhere",
                 self->state_file);
    return FALSE;
  }
  json_object_object_foreach (devices, name, state) {
    GhSimDevice *device = g_hash_table_lookup (self->by_name, name);

    if (device)
      gh_sim_device_load_state (device, state);
  }
  return TRUE;
}

gboolean
gh_sim_community_start (GhSimCommunity *self,
                        GError        **error)
{
  g_return_val_if_fail (GH_IS_SIM_COMMUNITY (self), FALSE);

  if (self->running)
    return TRUE;
  if (!gst_init_check (NULL, NULL, error))
    return FALSE;
  if (!load_state_file (self, error))
    return FALSE;
  if (self->acceptor == NULL && (self->acceptor = gh_sim_acceptor_new (error)) == NULL)
    return FALSE;
  for (guint i = 0; i < self->devices->len; i++) {
    if (!gh_sim_device_start (self->devices->pdata[i], error)) {
      for (guint j = 0; j < i; j++)
        gh_sim_device_stop (self->devices->pdata[j]);
      return FALSE;
    }
  }
  self->control = gh_sim_control_new (self, self->control_port, error);
  if (self->control == NULL) {
    for (guint j = 0; j < self->devices->len; j++)
      gh_sim_device_stop (self->devices->pdata[j]);
    return FALSE;
  }
  /* short ticks keep each heartbeat sweep small: a thousand streams attached together
   * would otherwise get their heartbeats in one burst that delays everything else */
  self->tick_id = g_timeout_add (50, tick_cb, self);
  self->running = TRUE;
  return TRUE;
}

void
gh_sim_community_stop (GhSimCommunity *self)
{
  g_return_if_fail (GH_IS_SIM_COMMUNITY (self));

  if (!self->running)
    return;
  self->running = FALSE;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->load_id, g_source_remove);
  if (self->save_id) {
    g_clear_handle_id (&self->save_id, g_source_remove);
    save_cb (self);
  }
  if (self->control) {
    soup_server_disconnect (self->control);
    g_clear_object (&self->control);
  }
  for (guint i = 0; i < self->devices->len; i++)
    gh_sim_device_stop (self->devices->pdata[i]);
  g_clear_pointer (&self->acceptor, gh_sim_acceptor_free);
}

/**
 * gh_sim_community_start_load:
 * @self: a running community
 * @rate: events per second that every device emits (0 stops a running load)
 * @seconds: for how long
 *
 * A load generator for measuring clients: every device emits @rate events per second on its
 * event streams for @seconds — door and fence stations a refused card, monitors and master
 * stations alarm input 0 going on and off. Events only; no records are written. A new call
 * replaces a running load.
 */
gboolean
gh_sim_community_start_load (GhSimCommunity *self,
                             double          rate,
                             double          seconds,
                             GError        **error)
{
  g_return_val_if_fail (GH_IS_SIM_COMMUNITY (self), FALSE);

  if (!self->running || self->devices->len == 0) {
    g_set_error_literal (error, GH_SIM_ERROR, GH_SIM_ERROR_BUSY,
                         "The community is not running");
    return FALSE;
  }
  if (!(rate >= 0 && rate <= 1000) || !(seconds > 0 && seconds <= 3600)) {
    g_set_error_literal (error, GH_SIM_ERROR, GH_SIM_ERROR_INVALID_INPUT,
                         "Give a rate of 0…1000 events per second per device and 0…3600 seconds");
    return FALSE;
  }
  g_clear_handle_id (&self->load_id, g_source_remove);
  self->load_rate = rate;
  self->load_start = g_get_monotonic_time ();
  self->load_end = self->load_start + (gint64) (seconds * G_USEC_PER_SEC);
  self->load_sent = 0;
  if (rate > 0)
    self->load_id = g_timeout_add (10, load_cb, self);
  return TRUE;
}

/* Returns: (transfer full): `{"running":…,"rate":…,"sent":…}` */
char *
gh_sim_community_dup_load_json (GhSimCommunity *self)
{
  g_return_val_if_fail (GH_IS_SIM_COMMUNITY (self), NULL);

  return g_strdup_printf ("{\"running\":%s,\"rate\":%g,\"sent\":%" G_GUINT64_FORMAT "}",
                          self->load_id ? "true" : "false", self->load_rate, self->load_sent);
}

gboolean
gh_sim_community_is_running (GhSimCommunity *self)
{
  g_return_val_if_fail (GH_IS_SIM_COMMUNITY (self), FALSE);
  return self->running;
}

guint
gh_sim_community_get_n_devices (GhSimCommunity *self)
{
  g_return_val_if_fail (GH_IS_SIM_COMMUNITY (self), 0);
  return self->devices->len;
}

GhSimDevice *
gh_sim_community_get_device (GhSimCommunity *self,
                             guint           position)
{
  g_return_val_if_fail (GH_IS_SIM_COMMUNITY (self), NULL);
  g_return_val_if_fail (position < self->devices->len, NULL);
  return self->devices->pdata[position];
}

GhSimDevice *
gh_sim_community_lookup (GhSimCommunity *self,
                         const char     *name)
{
  g_return_val_if_fail (GH_IS_SIM_COMMUNITY (self), NULL);
  return name ? g_hash_table_lookup (self->by_name, name) : NULL;
}

char *
gh_sim_community_dup_control_url (GhSimCommunity *self)
{
  GSList *uris;
  char *url = NULL;

  g_return_val_if_fail (GH_IS_SIM_COMMUNITY (self), NULL);

  if (self->control == NULL)
    return NULL;
  uris = soup_server_get_uris (self->control);
  if (uris)
    url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}
