/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-conformance"

#include "config.h"

#include "gh-conformance.h"

#include <glib/gstdio.h>
#include <string.h>

#include "gh-error.h"

/* Short simulator timers so every behaviour shows within a second or two. The fault station
 * never locks its account: injected login failures must not outlive the fault. */
#define COMMUNITY \
  "{\"state_file\":\"%s\"," \
  "\"defaults\":{\"username\":\"admin\",\"password\":\"admin123\"," \
  "\"ring_timeout_ms\":1500,\"unlock_hold_ms\":300,\"session_timeout\":30," \
  "\"sip_report_seconds\":0}," \
  "\"devices\":[" \
  "{\"name\":\"VTO-A\",\"kind\":\"vto\",\"number\":\"8001\",\"doors\":2}," \
  "{\"name\":\"VTO-F\",\"kind\":\"vto\",\"number\":\"8002\",\"doors\":2," \
  "\"lock_login_times\":100000,\"ring_timeout_ms\":60000}," \
  "{\"name\":\"VTO-R\",\"kind\":\"vto\",\"number\":\"8003\",\"doors\":2}," \
  "{\"name\":\"VTH-1101\",\"kind\":\"vth\",\"number\":\"1101\"}," \
  "{\"name\":\"VTS-1\",\"kind\":\"vts\",\"number\":\"101\"}" \
  "]}"

typedef struct {
  const GhConfProfile *profile;
  GhConfTestFunc       func;
} Case;

struct _GhConfEvents {
  GhDriver  *driver;  /* (owned) */
  GPtrArray *events;  /* (owned) GhEvent */
  gulong     handler;
};

static void tune_event_stream_driver (GhDriver    *driver,
                                      json_object *endpoint);

/* Drivers that can talk to gatehouse-sim. A new driver that speaks the simulator's protocol
 * adds a line here; registered drivers without one are reported as skipped. */
static const GhConfProfile profiles[] = {
  { "dahua", "VTO-A", "VTO-F", "VTO-R", "VTH-1101", "VTS-1", "1101", 1100,
    tune_event_stream_driver },
};

/* Driver bugs the suite found that are not fixed yet. The check reports them as incomplete
 * (TODO in TAP) instead of failing, so the rest of the suite still runs. Remove a line once
 * the driver is fixed; the check then holds the driver to the rule again. */
static const struct {
  const char *driver;
  const char *check;
  const char *bug;
} known_bugs[] = {
  { NULL, NULL, NULL },  /* none known now; the last entry ends the list */
};

static GHashTable *sims;      /* profile → SimProc */
static GPtrArray *cases;      /* (owned) Case */
static GPtrArray *state_dirs; /* (owned) char* */

static void
tune_event_stream_driver (GhDriver    *driver,
                          json_object *endpoint)
{
  json_object *rtsp;

  g_object_set (driver, "heartbeat-interval", 1, "reconnect-delay", 100,
                "reconnect-max-delay", 800, NULL);
  if (json_object_object_get_ex (endpoint, "rtsp", &rtsp)) {
    g_autoptr(GUri) uri = g_uri_parse (json_object_get_string (rtsp), G_URI_FLAGS_NONE, NULL);

    if (uri != NULL && g_uri_get_port (uri) > 0)
      g_object_set (driver, "rtsp-port", (guint) g_uri_get_port (uri), NULL);
  }
}

static const GhConfProfile *
profile_lookup (const char *driver)
{
  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    if (g_strcmp0 (profiles[i].driver, driver) == 0)
      return &profiles[i];
  return NULL;
}

static void
no_profile_test (gconstpointer data)
{
  g_autofree char *msg = g_strdup_printf ("driver “%s” has no simulator profile; add one to "
                                          "tests/conformance/gh-conformance.c", (char *) data);

  g_test_skip (msg);
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;

  c->func (c->profile);
  /* leave nothing pending for the next test */
  gh_conf_spin (20);
}

/* The known bug of @profile's driver for @check, or %NULL. */
const char *
gh_conf_known_bug (const GhConfProfile *profile,
                   const char          *check)
{
  for (guint i = 0; known_bugs[i].driver != NULL; i++)
    if (g_strcmp0 (known_bugs[i].driver, profile->driver) == 0 &&
        g_strcmp0 (known_bugs[i].check, check) == 0)
      return known_bugs[i].bug;
  return NULL;
}

void
gh_conf_init (int    *argc,
              char ***argv)
{
  g_test_init (argc, argv, NULL);
  cases = g_ptr_array_new_with_free_func (g_free);
  state_dirs = g_ptr_array_new_with_free_func (g_free);
  sims = g_hash_table_new (NULL, NULL);
}

/* Adds @func once per registered driver, as /conformance/DRIVER/NAME. */
void
gh_conf_add (const char     *name,
             GhConfTestFunc  func)
{
  g_auto(GStrv) drivers = gh_driver_registry_list ();
  const char *only = g_getenv ("GH_CONFORMANCE_DRIVER");

  g_assert_true (drivers != NULL && drivers[0] != NULL);
  if (only != NULL && *only != '\0' && !g_strv_contains ((const char * const *) drivers, only))
    g_error ("GH_CONFORMANCE_DRIVER=%s is not a registered driver", only);
  for (guint i = 0; drivers[i]; i++) {
    const GhConfProfile *profile = profile_lookup (drivers[i]);
    g_autofree char *path = g_strdup_printf ("/conformance/%s/%s", drivers[i], name);

    if (only != NULL && *only != '\0' && g_strcmp0 (only, drivers[i]) != 0)
      continue;
    if (profile == NULL) {
      g_test_add_data_func_full (path, g_strdup (drivers[i]), no_profile_test, g_free);
    } else {
      Case *c = g_new0 (Case, 1);

      c->profile = profile;
      c->func = func;
      g_ptr_array_add (cases, c);
      g_test_add_data_func (path, c, run_case);
    }
  }
}

static void
remove_state_dir (const char *dir)
{
  g_autofree char *state = g_build_filename (dir, "state.json", NULL);

  g_unlink (state);
  g_rmdir (dir);
}

int
gh_conf_run (void)
{
  GHashTableIter iter;
  gpointer sim;
  int ret = g_test_run ();

  g_hash_table_iter_init (&iter, sims);
  while (g_hash_table_iter_next (&iter, NULL, &sim))
    sim_proc_stop (sim);
  g_hash_table_unref (sims);
  for (guint i = 0; i < state_dirs->len; i++)
    remove_state_dir (state_dirs->pdata[i]);
  g_ptr_array_unref (state_dirs);
  g_ptr_array_unref (cases);
  return ret;
}

/* The records station starts with more access rows than one device page holds. */
static char *
write_seed_state (const GhConfProfile *profile)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_object) root = json_object_new_object ();
  json_object *devices = json_object_new_object ();
  json_object *device = json_object_new_object ();
  json_object *records = json_object_new_object ();
  json_object *rows = json_object_new_array ();
  char *dir = g_dir_make_tmp ("gh-conformance-XXXXXX", &error);
  g_autofree char *path = NULL;
  gint64 start = g_get_real_time () / G_USEC_PER_SEC - 2 * 86400;

  g_assert_no_error (error);
  for (guint i = 0; i < profile->n_seed_records; i++) {
    json_object *row = json_object_new_object ();
    g_autofree char *time = g_strdup_printf ("%" G_GINT64_FORMAT, start + i * 60);
    g_autofree char *card = g_strdup_printf ("R%05u", i);

    json_object_object_add (row, "CreateTime", json_object_new_string (time));
    json_object_object_add (row, "CardNo", json_object_new_string (card));
    json_object_object_add (row, "UserID", json_object_new_string (""));
    json_object_object_add (row, "Type", json_object_new_string ("Entry"));
    json_object_object_add (row, "Method", json_object_new_string ("1"));
    json_object_object_add (row, "Status", json_object_new_string (i % 7 ? "1" : "0"));
    json_object_object_add (row, "Door", json_object_new_string ("0"));
    json_object_object_add (row, "ReaderID", json_object_new_string ("1"));
    json_object_object_add (row, "ErrorCode", json_object_new_string (i % 7 ? "0" : "16"));
    json_object_array_add (rows, row);
  }
  json_object_object_add (records, "AccessControlCardRec", rows);
  json_object_object_add (device, "records", records);
  json_object_object_add (devices, profile->records_station, device);
  json_object_object_add (root, "devices", devices);
  path = g_build_filename (dir, "state.json", NULL);
  g_file_set_contents (path, json_object_to_json_string_ext (root, JSON_C_TO_STRING_PLAIN), -1,
                       &error);
  g_assert_no_error (error);
  g_ptr_array_add (state_dirs, dir);
  return g_steal_pointer (&path);
}

/* The simulator for @profile, started on first use (a child process, parsed up to READY). */
SimProc *
gh_conf_sim (const GhConfProfile *profile)
{
  SimProc *sim = g_hash_table_lookup (sims, profile);

  if (sim == NULL) {
    g_autofree char *state = write_seed_state (profile);
    g_autofree char *community = g_strdup_printf (COMMUNITY, state);

    sim = sim_proc_start (community, NULL);
    g_hash_table_insert (sims, (gpointer) profile, sim);
  }
  return sim;
}

GhDriver *
gh_conf_driver_new (const GhConfProfile *profile,
                    const char          *device,
                    const char          *password,
                    guint                timeout_ms)
{
  SimProc *sim = gh_conf_sim (profile);
  g_autoptr(GUri) uri = g_uri_parse (sim_http (sim, device), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GhDeviceConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  GhDriver *driver;

  g_assert_nonnull (uri);
  config = gh_device_config_new (profile->driver, g_uri_get_host (uri), g_uri_get_port (uri),
                                 sim_field (sim, device, "username"),
                                 password ? password : sim_field (sim, device, "password"));
  g_free (config->id);
  config->id = g_strdup (device);
  config->timeout_ms = timeout_ms;
  driver = gh_driver_new (config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (driver);
  g_assert_cmpstr (gh_driver_get_name (driver), ==, profile->driver);
  if (profile->tune != NULL)
    profile->tune (driver, g_hash_table_lookup (sim->devices, device));
  return driver;
}

void
gh_conf_call_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GhConfCall *call = user_data;

  g_assert_null (call->result);  /* one completion per call */
  call->result = g_object_ref (result);
}

/* Runs the main loop until the call completes; a call that never completes fails the test at
 * the deadline instead of hanging the suite. */
GAsyncResult *
gh_conf_call_wait (GhConfCall *call,
                   guint       timeout_ms,
                   const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (call->result == NULL) {
    if (g_get_monotonic_time () > deadline)
      g_error ("%s did not complete within %u ms", what, timeout_ms);
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  }
  return call->result;
}

void
gh_conf_call_clear (GhConfCall *call)
{
  g_clear_object (&call->result);
}

void
gh_conf_spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until) {
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
  }
}

/* A failure must carry the right code and a message a person can act on. */
void
gh_conf_assert_error (const GError *error,
                      int           code,
                      const char   *what)
{
  if (error == NULL)
    g_error ("%s: succeeded, expected %s error %d", what, "GH_ERROR", code);
  g_test_message ("%s: %s (code %d)", what, error->message, error->code);
  if (error->domain != GH_ERROR || error->code != code)
    g_error ("%s: expected GH_ERROR code %d, got %s code %d: %s", what, code,
             g_quark_to_string (error->domain), error->code, error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), >, 10);
}

static void
event_cb (GhDriver *driver,
          GhEvent  *event,
          gpointer  user_data)
{
  GhConfEvents *self = user_data;
  g_autofree char *text = gh_event_to_string (event);

  g_test_message ("event: %s", text);
  g_assert_nonnull (event->device_id);
  g_ptr_array_add (self->events, gh_event_ref (event));
}

GhConfEvents *
gh_conf_events_new (GhDriver *driver)
{
  GhConfEvents *self = g_new0 (GhConfEvents, 1);

  self->driver = g_object_ref (driver);
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_event_unref);
  self->handler = g_signal_connect (driver, "event", G_CALLBACK (event_cb), self);
  return self;
}

void
gh_conf_events_free (GhConfEvents *self)
{
  g_signal_handler_disconnect (self->driver, self->handler);
  g_object_unref (self->driver);
  g_ptr_array_unref (self->events);
  g_free (self);
}

guint
gh_conf_events_mark (GhConfEvents *self)
{
  return self->events->len;
}

/* The first @kind event at or after index @since; fails the test at the deadline. */
GhEvent *
gh_conf_events_wait (GhConfEvents *self,
                     guint         since,
                     GhEventKind   kind,
                     guint         timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint i = since;

  for (;;) {
    for (; i < self->events->len; i++) {
      GhEvent *event = g_ptr_array_index (self->events, i);

      if (event->kind == kind)
        return event;
    }
    if (g_get_monotonic_time () > deadline)
      g_error ("no %s event from %s within %u ms", gh_event_kind_to_string (kind),
               gh_driver_get_config (self->driver)->id, timeout_ms);
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  }
}

const GhEvent *
gh_conf_events_get (GhConfEvents *self,
                    guint         index)
{
  g_assert_cmpuint (index, <, self->events->len);
  return g_ptr_array_index (self->events, index);
}

guint
gh_conf_events_count (GhConfEvents *self,
                      guint         since,
                      GhEventKind   kind)
{
  guint n = 0;

  for (guint i = since; i < self->events->len; i++)
    n += ((GhEvent *) g_ptr_array_index (self->events, i))->kind == kind;
  return n;
}

/* The last link state reported (online, offline, unauthorized), %GH_EVENT_OTHER if none. */
GhEventKind
gh_conf_events_link_state (GhConfEvents *self)
{
  for (guint i = self->events->len; i > 0; i--) {
    GhEvent *event = g_ptr_array_index (self->events, i - 1);

    if (event->kind == GH_EVENT_DEVICE_ONLINE || event->kind == GH_EVENT_DEVICE_OFFLINE ||
        event->kind == GH_EVENT_DEVICE_UNAUTHORIZED)
      return event->kind;
  }
  return GH_EVENT_OTHER;
}

json_object *
gh_conf_ctl (const GhConfProfile *profile,
             const char          *device,
             const char          *action,
             const char          *json)
{
  long status = 0;
  json_object *reply = sim_ctl (gh_conf_sim (profile), device, action, json, &status);

  if (status != 200)
    g_error ("simulator control %s %s %s answered %ld: %s", device, action, json ? json : "",
             status, reply ? json_object_to_json_string (reply) : "(no body)");
  return reply;
}

gboolean
gh_conf_ctl_granted (const GhConfProfile *profile,
                     const char          *device,
                     const char          *action,
                     const char          *json)
{
  g_autoptr(json_object) reply = gh_conf_ctl (profile, device, action, json);
  json_object *granted;

  g_assert_true (json_object_object_get_ex (reply, "granted", &granted));
  return json_object_get_boolean (granted);
}

json_object *
gh_conf_state (const GhConfProfile *profile,
               const char          *device)
{
  return sim_state (gh_conf_sim (profile), device);
}

/* One entry of a device store (AccessUser, AccessCard, AccessFace…), or %NULL. */
json_object *
gh_conf_stored (const GhConfProfile *profile,
                const char          *device,
                const char          *store,
                const char          *key)
{
  g_autoptr(json_object) state = gh_conf_state (profile, device);
  json_object *stores, *items, *item;

  g_assert_true (json_object_object_get_ex (state, "stores", &stores));
  if (!json_object_object_get_ex (stores, store, &items) ||
      !json_object_object_get_ex (items, key, &item))
    return NULL;
  return json_object_get (item);
}

void
gh_conf_fault (const GhConfProfile *profile,
               const char          *device,
               const char          *json)
{
  g_autoptr(json_object) reply = gh_conf_ctl (profile, device, "faults", json);
}

void
gh_conf_fault_clear (const GhConfProfile *profile,
                     const char          *device)
{
  gh_conf_fault (profile, device, "{\"offline\":false,\"slow_ms\":0,\"silent\":false,"
                 "\"http_500\":false,\"malformed\":false,\"auth_fail\":false}");
}
