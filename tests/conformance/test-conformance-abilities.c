/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-conformance-abilities"

#include "config.h"

#include <string.h>

#include "gh-call-control.h"
#include "gh-conformance.h"
#include "gh-door-control.h"
#include "gh-error.h"
#include "gh-media-source.h"
#include "gh-notice-board.h"
#include "gh-dial-plan.h"
#include "gh-person-sync.h"
#include "gh-record-source.h"

/*
 * Every ability of every registered driver against gatehouse-sim, through the GhDriver seam
 * only: probe, the event subscription (calls, access, doors, alarms, tamper), door control,
 * persons with cards, passwords, faces and fingerprints, room unlock passwords, registration
 * numbers, notices, incremental record fetches past one device page, time sync, call control
 * and media URLs. What the device stored is read back through the simulator's control API.
 */

/* One event subscription per driver, shared by the /events/ tests in order. */
typedef struct {
  GhDriver     *driver;
  GhConfEvents *events;
} Subscription;

static GHashTable *subscriptions;  /* profile → Subscription */

/* ---------------------------------------------------------------------------------------- */
/* Helpers                                                                                    */

static gboolean
finish_bool (GhDriver                *driver,
             GhConfCall              *call,
             gboolean               (*finish) (GhDriver *, GAsyncResult *, GError **),
             GError                 **error,
             const char              *what)
{
  gboolean ok = finish (driver, gh_conf_call_wait (call, GH_CONF_OP_MS, what), error);

  gh_conf_call_clear (call);
  g_assert_true (ok == (error == NULL || *error == NULL));
  return ok;
}

#define CHECK_OK(driver, call, finish, what) \
  G_STMT_START { \
    g_autoptr(GError) _e = NULL; \
    if (!finish_bool ((driver), (call), (finish), &_e, (what))) \
      g_error ("%s failed: %s", (what), _e->message); \
  } G_STMT_END

static GhProbeInfo *
probe (GhDriver  *driver,
       GError   **error)
{
  GhConfCall call = { 0 };
  GhProbeInfo *info;

  gh_driver_probe_async (driver, NULL, gh_conf_call_cb, &call);
  info = gh_driver_probe_finish (driver, gh_conf_call_wait (&call, GH_CONF_OP_MS, "probe"),
                                 error);
  gh_conf_call_clear (&call);
  return info;
}

static GhCallState
call_state (GhDriver *driver)
{
  g_autoptr(GError) error = NULL;
  GhConfCall call = { 0 };
  GhCallState state;

  gh_call_control_get_call_state_async (driver, NULL, gh_conf_call_cb, &call);
  state = gh_call_control_get_call_state_finish (driver,
                                                 gh_conf_call_wait (&call, GH_CONF_OP_MS,
                                                                    "call state"), &error);
  gh_conf_call_clear (&call);
  g_assert_no_error (error);
  return state;
}

static const char *
sim_call_state (const GhConfProfile *p,
                const char          *device)
{
  static char text[32];
  g_autoptr(json_object) state = gh_conf_state (p, device);
  json_object *v;

  g_assert_true (json_object_object_get_ex (state, "call_state", &v));
  g_strlcpy (text, json_object_get_string (v), sizeof text);
  return text;
}

static GhDeviceRecordBatch *
fetch (GhDriver     *driver,
       GhRecordKind  kind,
       const char   *cursor)
{
  g_autoptr(GError) error = NULL;
  GhConfCall call = { 0 };
  GhDeviceRecordBatch *batch;

  gh_record_source_fetch_records_async (driver, kind, cursor, NULL, gh_conf_call_cb, &call);
  batch = gh_record_source_fetch_records_finish (driver,
                                                 gh_conf_call_wait (&call, 4 * GH_CONF_OP_MS,
                                                                    "record fetch"), &error);
  gh_conf_call_clear (&call);
  g_assert_no_error (error);
  g_assert_nonnull (batch);
  g_assert_nonnull (batch->records);
  g_assert_nonnull (batch->cursor);
  return batch;
}

static void
set_door (GhDriver     *driver,
          guint         door,
          GhDoorAction  action)
{
  GhConfCall call = { 0 };

  gh_door_control_set_door_async (driver, door, action, NULL, gh_conf_call_cb, &call);
  CHECK_OK (driver, &call, gh_door_control_set_door_finish, "door control");
}

static Subscription *
subscription (const GhConfProfile *p)
{
  Subscription *s;

  if (subscriptions == NULL)
    subscriptions = g_hash_table_new (NULL, NULL);
  s = g_hash_table_lookup (subscriptions, p);
  if (s == NULL) {
    g_autoptr(GError) error = NULL;

    s = g_new0 (Subscription, 1);
    s->driver = gh_conf_driver_new (p, p->door_station, NULL, 5000);
    s->events = gh_conf_events_new (s->driver);
    g_assert_true (gh_driver_start_events (s->driver, &error));
    g_assert_no_error (error);
    g_hash_table_insert (subscriptions, (gpointer) p, s);
  }
  return s;
}

static GBytes *
fake_jpeg (guint seed)
{
  guchar data[300];

  memset (data, seed, sizeof data);
  data[0] = 0xff, data[1] = 0xd8, data[2] = 0xff, data[3] = 0xe0;
  data[sizeof data - 2] = 0xff, data[sizeof data - 1] = 0xd9;
  return g_bytes_new (data, sizeof data);
}

static GhDevicePerson *
person (const char *id,
        const char *name,
        const char *card,
        const char *password)
{
  GhDevicePerson *p = gh_device_person_new (id, name);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  p->room = g_strdup ("1101");
  p->password = g_strdup (password);
  p->valid_from = now - 86400;
  p->valid_to = now + 30 * 86400;
  g_ptr_array_add (p->cards, gh_device_card_new (card, GH_CARD_KIND_ORDINARY));
  return p;
}

static void
push (GhDriver  *driver,
      GPtrArray *persons)
{
  GhConfCall call = { 0 };

  gh_person_sync_push_persons_async (driver, persons, NULL, gh_conf_call_cb, &call);
  CHECK_OK (driver, &call, gh_person_sync_push_persons_finish, "person push");
}

static void
remove_ids (GhDriver           *driver,
            const char * const *ids)
{
  GhConfCall call = { 0 };

  gh_person_sync_remove_persons_async (driver, ids, NULL, gh_conf_call_cb, &call);
  CHECK_OK (driver, &call, gh_person_sync_remove_persons_finish, "person removal");
}

static const char *
field (json_object *object,
       const char  *key)
{
  json_object *v;

  if (object == NULL || !json_object_object_get_ex (object, key, &v))
    return NULL;
  return json_object_get_string (v);
}

/* Rows of one simulator record table whose @key is @value. */
static guint
count_rows (const GhConfProfile *p,
            const char          *device,
            const char          *table,
            const char          *key,
            const char          *value,
            json_object        **out_last)
{
  g_autoptr(json_object) state = gh_conf_state (p, device);
  json_object *records, *rows;
  guint n = 0;

  if (!json_object_object_get_ex (state, "records", &records) ||
      !json_object_object_get_ex (records, table, &rows))
    return 0;
  for (size_t i = 0; i < json_object_array_length (rows); i++) {
    json_object *row = json_object_array_get_idx (rows, i);

    if (g_strcmp0 (field (row, key), value) == 0) {
      n++;
      if (out_last) {
        g_clear_pointer (out_last, json_object_put);
        *out_last = json_object_get (row);
      }
    }
  }
  return n;
}

static const char *
sim_config (json_object *state,
            const char  *key)
{
  json_object *config;
  g_autofree char *prefixed = g_strconcat ("table.", key, NULL);
  const char *v;

  g_assert_true (json_object_object_get_ex (state, "config", &config));
  v = field (config, key);
  return v ? v : field (config, prefixed);
}

static const char *
sim_door (json_object *state,
          guint        door)
{
  json_object *doors;

  g_assert_true (json_object_object_get_ex (state, "doors", &doors));
  g_assert_cmpuint (json_object_array_length (doors), >, door);
  return json_object_get_string (json_object_array_get_idx (doors, door));
}

/* ---------------------------------------------------------------------------------------- */
/* A driver with no optional ability, to check the seam's answer for missing abilities.     */

#define CONF_TYPE_BARE_DRIVER (conf_bare_driver_get_type ())
G_DECLARE_FINAL_TYPE (ConfBareDriver, conf_bare_driver, CONF, BARE_DRIVER, GObject)

struct _ConfBareDriver
{
  GObject         parent_instance;
  GhDeviceConfig *config;
};

enum { BARE_PROP_0, BARE_PROP_CONFIG };

static void bare_iface_init (GhDriverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ConfBareDriver, conf_bare_driver, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (GH_TYPE_DRIVER, bare_iface_init))

static gboolean
bare_start_events (GhDriver  *driver,
                   GError   **error)
{
  return TRUE;
}

static void
bare_stop_events (GhDriver *driver)
{
}

static void
bare_iface_init (GhDriverInterface *iface)
{
  iface->name = "conformance-bare";
  iface->start_events = bare_start_events;
  iface->stop_events = bare_stop_events;
}

static void
bare_get_property (GObject    *object,
                   guint       prop_id,
                   GValue     *value,
                   GParamSpec *pspec)
{
  g_value_set_boxed (value, CONF_BARE_DRIVER (object)->config);
}

static void
bare_set_property (GObject      *object,
                   guint         prop_id,
                   const GValue *value,
                   GParamSpec   *pspec)
{
  CONF_BARE_DRIVER (object)->config = g_value_dup_boxed (value);
}

static void
conf_bare_driver_finalize (GObject *object)
{
  g_clear_pointer (&CONF_BARE_DRIVER (object)->config, gh_device_config_free);
  G_OBJECT_CLASS (conf_bare_driver_parent_class)->finalize (object);
}

static void
conf_bare_driver_class_init (ConfBareDriverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bare_get_property;
  object_class->set_property = bare_set_property;
  object_class->finalize = conf_bare_driver_finalize;
  g_object_class_override_property (object_class, BARE_PROP_CONFIG, "config");
}

static void
conf_bare_driver_init (ConfBareDriver *self)
{
}

/* Calls every optional ability @driver lacks; each must fail with NOT_SUPPORTED and a
 * message, at once. Returns how many were checked. */
static guint
check_missing_abilities (GhDriver *driver)
{
  g_autoptr(GPtrArray) persons =
    g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_person_free);
  g_autoptr(GPtrArray) regs =
    g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_registration_free);
  g_autoptr(GhDeviceNotice) notice = gh_device_notice_new ("t", "b");
  const char *ids[] = { "x", NULL };
  guint checked = 0;

#define MISSING(type, start, finish_call, what) \
  if (!gh_driver_supports (driver, type)) { \
    g_autoptr(GError) error = NULL; \
    GhConfCall call = { 0 }; \
    start; \
    gh_conf_call_wait (&call, 1000, what); \
    finish_call; \
    gh_conf_assert_error (error, GH_ERROR_NOT_SUPPORTED, what); \
    gh_conf_call_clear (&call); \
    checked++; \
  }

  MISSING (GH_TYPE_DOOR_CONTROL,
           gh_door_control_set_door_async (driver, 0, GH_DOOR_ACTION_OPEN, NULL,
                                           gh_conf_call_cb, &call),
           gh_door_control_set_door_finish (driver, call.result, &error), "door control");
  MISSING (GH_TYPE_PERSON_SYNC,
           gh_person_sync_push_persons_async (driver, persons, NULL, gh_conf_call_cb, &call),
           gh_person_sync_push_persons_finish (driver, call.result, &error), "person push");
  MISSING (GH_TYPE_PERSON_SYNC,
           gh_person_sync_remove_persons_async (driver, ids, NULL, gh_conf_call_cb, &call),
           gh_person_sync_remove_persons_finish (driver, call.result, &error), "person removal");
  MISSING (GH_TYPE_DIAL_PLAN,
           gh_dial_plan_push_registrations_async (driver, regs, NULL, gh_conf_call_cb, &call),
           gh_dial_plan_push_registrations_finish (driver, call.result, &error),
           "registration numbers");
  MISSING (GH_TYPE_DIAL_PLAN,
           gh_dial_plan_set_room_password_async (driver, "1101", "123456", NULL,
                                                 gh_conf_call_cb, &call),
           gh_dial_plan_set_room_password_finish (driver, call.result, &error),
           "room password");
  MISSING (GH_TYPE_DIAL_PLAN,
           gh_dial_plan_remove_registrations_async (driver, ids, NULL, gh_conf_call_cb, &call),
           gh_dial_plan_remove_registrations_finish (driver, call.result, &error),
           "registration number removal");
  MISSING (GH_TYPE_NOTICE_BOARD,
           gh_notice_board_push_notice_async (driver, notice, NULL, gh_conf_call_cb, &call),
           gh_notice_board_push_notice_finish (driver, call.result, NULL, &error), "notice");
  MISSING (GH_TYPE_NOTICE_BOARD,
           gh_notice_board_withdraw_notice_async (driver, "1", NULL, gh_conf_call_cb, &call),
           gh_notice_board_withdraw_notice_finish (driver, call.result, &error),
           "notice withdrawal");
  MISSING (GH_TYPE_RECORD_SOURCE,
           gh_record_source_fetch_records_async (driver, GH_RECORD_KIND_ACCESS, NULL, NULL,
                                                 gh_conf_call_cb, &call),
           g_assert_null (gh_record_source_fetch_records_finish (driver, call.result, &error)),
           "record fetch");
  MISSING (GH_TYPE_CALL_CONTROL,
           gh_call_control_get_call_state_async (driver, NULL, gh_conf_call_cb, &call),
           gh_call_control_get_call_state_finish (driver, call.result, &error), "call state");
  MISSING (GH_TYPE_CALL_CONTROL,
           gh_call_control_answer_async (driver, NULL, gh_conf_call_cb, &call),
           gh_call_control_answer_finish (driver, call.result, &error), "answer");
  MISSING (GH_TYPE_CALL_CONTROL,
           gh_call_control_hang_up_async (driver, NULL, gh_conf_call_cb, &call),
           gh_call_control_hang_up_finish (driver, call.result, &error), "hang up");
#undef MISSING
  if (!gh_driver_supports (driver, GH_TYPE_MEDIA_SOURCE)) {
    g_autoptr(GError) error = NULL;

    g_assert_null (gh_media_source_get_live_url (driver, 0, &error));
    gh_conf_assert_error (error, GH_ERROR_NOT_SUPPORTED, "live video");
    g_assert_cmpint (gh_media_source_get_talk_back (driver), ==, GH_TALK_BACK_NONE);
    checked++;
  }
  return checked;
}

/* ---------------------------------------------------------------------------------------- */
/* Tests                                                                                      */

static void
test_registry (const GhConfProfile *p)
{
  GType type = gh_driver_registry_lookup (p->driver);
  g_autoptr(GhDeviceConfig) config = gh_device_config_new (p->driver, "", 0, "", "");
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDriver) driver = NULL;

  g_assert_true (g_type_is_a (type, GH_TYPE_DRIVER));
  /* a config that cannot work is refused with a message, not a half-made driver */
  driver = gh_driver_new (config, &error);
  g_assert_null (driver);
  g_assert_nonnull (error);
  g_assert_true (error->domain == GH_ERROR);
  g_test_message ("empty host: %s", error->message);
}

static void
test_probe (const GhConfProfile *p)
{
  static const struct {
    gsize        device_offset;
    GhDeviceKind kind;
    guint        doors;
  } cases[] = {
    { G_STRUCT_OFFSET (GhConfProfile, door_station), GH_DEVICE_KIND_DOOR_STATION, 2 },
    { G_STRUCT_OFFSET (GhConfProfile, monitor), GH_DEVICE_KIND_INDOOR_MONITOR, 0 },
    { G_STRUCT_OFFSET (GhConfProfile, master), GH_DEVICE_KIND_MASTER_STATION, 0 },
  };
  SimProc *sim = gh_conf_sim (p);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    const char *device = G_STRUCT_MEMBER (const char *, p, cases[i].device_offset);
    g_autoptr(GhDriver) driver = gh_conf_driver_new (p, device, NULL, 5000);
    g_autoptr(GError) error = NULL;
    g_autoptr(GhProbeInfo) info = probe (driver, &error);

    g_assert_no_error (error);
    g_assert_cmpint (info->kind, ==, cases[i].kind);
    g_assert_cmpuint (info->door_count, ==, cases[i].doors);
    g_assert_cmpstr (info->model, ==, sim_field (sim, device, "model"));
    g_assert_cmpstr (info->serial, ==, sim_field (sim, device, "serial"));
    g_assert_nonnull (info->firmware);
    /* the version as the device words it, whole or trimmed */
    g_assert_true (strstr (sim_field (sim, device, "firmware"), info->firmware) != NULL ||
                   strstr (info->firmware, sim_field (sim, device, "firmware")) != NULL);
    g_assert_cmpint (ABS (info->clock_offset_s), <=, 5);
  }
}

static void
test_cancel (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->door_station, NULL, 5000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GhConfCall call = { 0 };

  gh_driver_probe_async (driver, cancellable, gh_conf_call_cb, &call);
  g_cancellable_cancel (cancellable);
  g_assert_null (gh_driver_probe_finish (driver, gh_conf_call_wait (&call, GH_CONF_OP_MS,
                                                                     "cancelled probe"),
                                         &error));
  gh_conf_call_clear (&call);
  gh_conf_assert_error (error, GH_ERROR_CANCELLED, "cancelled probe");
}

static void
test_not_supported (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->door_station, NULL, 5000);
  g_autoptr(GhDeviceConfig) config = gh_device_config_new ("conformance-bare", "127.0.0.1", 1,
                                                           "a", "b");
  g_autoptr(GObject) bare = g_object_new (CONF_TYPE_BARE_DRIVER, "config", config, NULL);
  g_autoptr(GError) error = NULL;
  GhConfCall call = { 0 };
  guint checked = check_missing_abilities (driver);

  g_test_message ("%s lacks %u optional abilities", p->driver, checked);
  /* the seam answers for a driver with none, including the base vfuncs it leaves empty */
  g_assert_cmpuint (check_missing_abilities (GH_DRIVER (bare)), ==, 13);
  gh_driver_probe_async (GH_DRIVER (bare), NULL, gh_conf_call_cb, &call);
  g_assert_null (gh_driver_probe_finish (GH_DRIVER (bare),
                                         gh_conf_call_wait (&call, 1000, "bare probe"), &error));
  gh_conf_assert_error (error, GH_ERROR_NOT_SUPPORTED, "bare probe");
  gh_conf_call_clear (&call);
  g_clear_error (&error);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    gh_driver_sync_time_async (GH_DRIVER (bare), now, NULL, gh_conf_call_cb, &call);
    g_assert_false (gh_driver_sync_time_finish (GH_DRIVER (bare),
                                                gh_conf_call_wait (&call, 1000, "bare time sync"),
                                                &error));
    gh_conf_assert_error (error, GH_ERROR_NOT_SUPPORTED, "bare time sync");
    gh_conf_call_clear (&call);
  }
}

static void
test_events_online (const GhConfProfile *p)
{
  Subscription *s = subscription (p);
  GhEvent *online = gh_conf_events_wait (s->events, 0, GH_EVENT_DEVICE_ONLINE, GH_CONF_LINK_MS);

  g_assert_cmpstr (online->device_id, ==, p->door_station);
  /* past the attach-time replay window before live behaviour is checked */
  gh_conf_spin (1500);
}

static void
test_events_call_answered (const GhConfProfile *p)
{
  Subscription *s = subscription (p);
  guint mark = gh_conf_events_mark (s->events);
  g_autofree char *ring = g_strdup_printf ("{\"room\":\"%s\"}", p->room);
  GhEvent *ev;

  g_assert_cmpint (call_state (s->driver), ==, GH_CALL_STATE_IDLE);
  json_object_put (gh_conf_ctl (p, p->door_station, "ring", ring));
  ev = gh_conf_events_wait (s->events, mark, GH_EVENT_CALL_RINGING, GH_CONF_EVENT_MS);
  g_assert_cmpstr (ev->room, ==, p->room);
  g_assert_cmpint (call_state (s->driver), ==, GH_CALL_STATE_RINGING);
  json_object_put (gh_conf_ctl (p, p->monitor, "answer", "{}"));
  gh_conf_events_wait (s->events, mark, GH_EVENT_CALL_ANSWERED, GH_CONF_EVENT_MS);
  g_assert_cmpint (call_state (s->driver), ==, GH_CALL_STATE_TALKING);
  gh_conf_spin (1200);  /* talk long enough for the call log to count a second */
  json_object_put (gh_conf_ctl (p, p->monitor, "hangup", "{}"));
  gh_conf_events_wait (s->events, mark, GH_EVENT_CALL_ENDED, GH_CONF_EVENT_MS);
  gh_conf_spin (300);
  /* one of each: device codes that repeat a state must not double it */
  g_assert_cmpuint (gh_conf_events_count (s->events, mark, GH_EVENT_CALL_RINGING), ==, 1);
  g_assert_cmpuint (gh_conf_events_count (s->events, mark, GH_EVENT_CALL_ANSWERED), ==, 1);
  g_assert_cmpuint (gh_conf_events_count (s->events, mark, GH_EVENT_CALL_ENDED), ==, 1);
  g_assert_cmpuint (gh_conf_events_count (s->events, mark, GH_EVENT_CALL_MISSED), ==, 0);
  g_assert_cmpint (call_state (s->driver), ==, GH_CALL_STATE_IDLE);
}

static void
test_events_call_missed (const GhConfProfile *p)
{
  Subscription *s = subscription (p);
  guint mark = gh_conf_events_mark (s->events);
  g_autofree char *ring = g_strdup_printf ("{\"room\":\"%s\"}", p->room);

  json_object_put (gh_conf_ctl (p, p->door_station, "ring", ring));
  gh_conf_events_wait (s->events, mark, GH_EVENT_CALL_RINGING, GH_CONF_EVENT_MS);
  gh_conf_events_wait (s->events, mark, GH_EVENT_CALL_MISSED, GH_CONF_EVENT_MS);
  gh_conf_spin (300);
  g_assert_cmpuint (gh_conf_events_count (s->events, mark, GH_EVENT_CALL_MISSED), ==, 1);
  g_assert_cmpuint (gh_conf_events_count (s->events, mark, GH_EVENT_CALL_ENDED), ==, 0);
  g_assert_cmpint (call_state (s->driver), ==, GH_CALL_STATE_IDLE);
}

static void
test_events_access (const GhConfProfile *p)
{
  Subscription *s = subscription (p);
  g_autoptr(GPtrArray) persons =
    g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_person_free);
  guint mark;
  GhEvent *ev;

  g_ptr_array_add (persons, person ("EV1", "Event Person", "EC0001", "135790"));
  push (s->driver, persons);
  mark = gh_conf_events_mark (s->events);
  g_assert_true (gh_conf_ctl_granted (p, p->door_station, "card",
                                      "{\"card\":\"EC0001\",\"door\":2}"));
  ev = gh_conf_events_wait (s->events, mark, GH_EVENT_ACCESS_GRANTED, GH_CONF_EVENT_MS);
  g_assert_cmpint (ev->method, ==, GH_ACCESS_METHOD_CARD);
  g_assert_cmpstr (ev->credential, ==, "EC0001");
  g_assert_cmpstr (ev->person_id, ==, "EV1");
  g_assert_cmpint (ev->door, ==, 1);
  g_assert_cmpint (ABS (ev->time / G_USEC_PER_SEC - g_get_real_time () / G_USEC_PER_SEC), <=,
                   60);

  mark = gh_conf_events_mark (s->events);
  g_assert_false (gh_conf_ctl_granted (p, p->door_station, "card",
                                       "{\"card\":\"DEAD0001\",\"door\":1}"));
  ev = gh_conf_events_wait (s->events, mark, GH_EVENT_ACCESS_DENIED, GH_CONF_EVENT_MS);
  g_assert_cmpint (ev->method, ==, GH_ACCESS_METHOD_CARD);
  g_assert_cmpstr (ev->credential, ==, "DEAD0001");
  g_assert_cmpint (ev->door, ==, 0);
  g_assert_cmpuint (gh_conf_events_count (s->events, mark, GH_EVENT_ACCESS_GRANTED), ==, 0);
}

static void
wait_sim_door (const GhConfProfile *p,
               guint                door,
               const char          *want)
{
  gint64 deadline = g_get_monotonic_time () + GH_CONF_EVENT_MS * 1000;

  for (;;) {
    g_autoptr(json_object) state = gh_conf_state (p, p->door_station);

    if (g_strcmp0 (sim_door (state, door), want) == 0)
      return;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    gh_conf_spin (50);
  }
}

static void
test_events_door (const GhConfProfile *p)
{
  Subscription *s = subscription (p);
  guint mark;
  GhEvent *ev;

  /* a door opened by a granted credential closes again after its hold time */
  wait_sim_door (p, 1, "Close");
  mark = gh_conf_events_mark (s->events);
  g_assert_true (gh_conf_ctl_granted (p, p->door_station, "card",
                                      "{\"card\":\"EC0001\",\"door\":2}"));
  ev = gh_conf_events_wait (s->events, mark, GH_EVENT_DOOR_OPENED, GH_CONF_EVENT_MS);
  g_assert_cmpint (ev->door, ==, 1);
  ev = gh_conf_events_wait (s->events, mark, GH_EVENT_DOOR_CLOSED, GH_CONF_EVENT_MS);
  g_assert_cmpint (ev->door, ==, 1);

  /* a door forced open, then shut */
  wait_sim_door (p, 0, "Close");
  mark = gh_conf_events_mark (s->events);
  json_object_put (gh_conf_ctl (p, p->door_station, "door", "{\"door\":1,\"open\":true}"));
  ev = gh_conf_events_wait (s->events, mark, GH_EVENT_DOOR_OPENED, GH_CONF_EVENT_MS);
  g_assert_cmpint (ev->door, ==, 0);
  json_object_put (gh_conf_ctl (p, p->door_station, "door", "{\"door\":1,\"open\":false}"));
  ev = gh_conf_events_wait (s->events, mark, GH_EVENT_DOOR_CLOSED, GH_CONF_EVENT_MS);
  g_assert_cmpint (ev->door, ==, 0);
}

static void
test_events_alarm (const GhConfProfile *p)
{
  Subscription *s = subscription (p);
  guint mark = gh_conf_events_mark (s->events);
  GhEvent *ev;

  json_object_put (gh_conf_ctl (p, p->door_station, "alarm", "{\"input\":3,\"active\":true}"));
  ev = gh_conf_events_wait (s->events, mark, GH_EVENT_ALARM_START, GH_CONF_EVENT_MS);
  g_assert_cmpint (ev->door, ==, 3);
  json_object_put (gh_conf_ctl (p, p->door_station, "alarm", "{\"input\":3,\"active\":false}"));
  ev = gh_conf_events_wait (s->events, mark, GH_EVENT_ALARM_STOP, GH_CONF_EVENT_MS);
  g_assert_cmpint (ev->door, ==, 3);
}

static void
test_events_tamper (const GhConfProfile *p)
{
  Subscription *s = subscription (p);
  guint mark = gh_conf_events_mark (s->events);

  json_object_put (gh_conf_ctl (p, p->door_station, "tamper", "{\"active\":true}"));
  gh_conf_events_wait (s->events, mark, GH_EVENT_TAMPER, GH_CONF_EVENT_MS);
  json_object_put (gh_conf_ctl (p, p->door_station, "tamper", "{\"active\":false}"));
  gh_conf_spin (300);
  /* a tamper switch is not an alarm input */
  g_assert_cmpuint (gh_conf_events_count (s->events, mark, GH_EVENT_ALARM_START), ==, 0);
}

static void
test_events_stop (const GhConfProfile *p)
{
  Subscription *s = subscription (p);
  guint mark;

  gh_driver_stop_events (s->driver);
  gh_conf_spin (300);
  mark = gh_conf_events_mark (s->events);
  json_object_put (gh_conf_ctl (p, p->door_station, "door", "{\"door\":1,\"open\":true}"));
  gh_conf_spin (1000);
  json_object_put (gh_conf_ctl (p, p->door_station, "door", "{\"door\":1,\"open\":false}"));
  /* stopped means silent: no device events, no reconnect noise */
  g_assert_cmpuint (gh_conf_events_mark (s->events), ==, mark);
  gh_driver_stop_events (s->driver);  /* twice is harmless */
  g_hash_table_remove (subscriptions, p);
  gh_conf_events_free (s->events);
  g_object_unref (s->driver);
  g_free (s);
}

static void
test_doors (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->door_station, NULL, 5000);
  g_autoptr(GError) error = NULL;
  GhConfCall call = { 0 };

  for (guint door = 0; door < 2; door++) {
    g_autofree char *key = g_strdup_printf ("AccessControl[%u].State", door);

    set_door (driver, door, GH_DOOR_ACTION_OPEN);
    {
      g_autoptr(json_object) state = gh_conf_state (p, p->door_station);

      g_assert_cmpstr (sim_door (state, door), ==, "Open");
    }
    set_door (driver, door, GH_DOOR_ACTION_CLOSE);
    {
      g_autoptr(json_object) state = gh_conf_state (p, p->door_station);

      g_assert_cmpstr (sim_door (state, door), ==, "Close");
    }
    set_door (driver, door, GH_DOOR_ACTION_ALWAYS_OPEN);
    {
      g_autoptr(json_object) state = gh_conf_state (p, p->door_station);

      g_assert_cmpstr (sim_config (state, key), ==, "OpenAlways");
    }
    set_door (driver, door, GH_DOOR_ACTION_RESTORE);
    {
      g_autoptr(json_object) state = gh_conf_state (p, p->door_station);

      g_assert_cmpstr (sim_config (state, key), !=, "OpenAlways");
    }
  }

  /* a door the device does not have fails with a message, whatever the code */
  gh_door_control_set_door_async (driver, 7, GH_DOOR_ACTION_OPEN, NULL, gh_conf_call_cb, &call);
  g_assert_false (gh_door_control_set_door_finish (driver,
                                                   gh_conf_call_wait (&call, GH_CONF_OP_MS,
                                                                      "door 8"), &error));
  gh_conf_call_clear (&call);
  g_assert_nonnull (error);
  g_test_message ("door 8: %s", error->message);
}

static void
test_persons (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->door_station, NULL, 5000);
  g_autoptr(GPtrArray) persons =
    g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_person_free);
  g_autoptr(json_object) user = NULL;
  g_autoptr(json_object) card = NULL;
  g_autoptr(json_object) face = NULL;
  g_autoptr(json_object) fingerprint = NULL;
  const char *ids[] = { "PS1", "PS2", NULL };
  GhDevicePerson *a, *b;

  a = person ("PS1", "Zoë Ünïcode-Smith", "PC0001", "112233");
  g_ptr_array_add (a->cards, gh_device_card_new ("PD0001", GH_CARD_KIND_DURESS));
  g_ptr_array_add (a->faces, fake_jpeg (1));
  g_ptr_array_add (a->fingerprints, g_bytes_new_static ("fingerprint-template", 20));
  g_ptr_array_add (persons, a);
  b = person ("PS2", "Door Two Only", "PC0002", "445566");
  b->doors = 1u << 1;
  g_ptr_array_add (persons, b);
  push (driver, persons);

  user = gh_conf_stored (p, p->door_station, "AccessUser", "PS1");
  g_assert_nonnull (user);
  g_assert_cmpstr (field (user, "UserName"), ==, "Zoë Ünïcode-Smith");
  card = gh_conf_stored (p, p->door_station, "AccessCard", "PC0001");
  g_assert_nonnull (card);
  g_assert_cmpstr (field (card, "UserID"), ==, "PS1");
  face = gh_conf_stored (p, p->door_station, "AccessFace", "PS1");
  g_assert_nonnull (face);
  fingerprint = gh_conf_stored (p, p->door_station, "AccessFingerprint", "PS1");
  g_assert_nonnull (fingerprint);

  /* what the device does with it */
  g_assert_true (gh_conf_ctl_granted (p, p->door_station, "card",
                                      "{\"card\":\"PC0001\",\"door\":1}"));
  g_assert_true (gh_conf_ctl_granted (p, p->door_station, "card",
                                      "{\"card\":\"PD0001\",\"door\":1}"));
  g_assert_true (gh_conf_ctl_granted (p, p->door_station, "password",
                                      "{\"user\":\"PS1\",\"password\":\"112233\",\"door\":1}"));
  g_assert_false (gh_conf_ctl_granted (p, p->door_station, "password",
                                       "{\"user\":\"PS1\",\"password\":\"000000\",\"door\":1}"));
  g_assert_true (gh_conf_ctl_granted (p, p->door_station, "face", "{\"user\":\"PS1\"}"));
  g_assert_true (gh_conf_ctl_granted (p, p->door_station, "fingerprint", "{\"user\":\"PS1\"}"));
  g_assert_false (gh_conf_ctl_granted (p, p->door_station, "card",
                                       "{\"card\":\"PC0002\",\"door\":1}"));
  g_assert_true (gh_conf_ctl_granted (p, p->door_station, "card",
                                      "{\"card\":\"PC0002\",\"door\":2}"));

  /* pushing again updates in place */
  g_free (a->name);
  a->name = g_strdup ("Renamed Person");
  push (driver, persons);
  g_clear_pointer (&user, json_object_put);
  user = gh_conf_stored (p, p->door_station, "AccessUser", "PS1");
  g_assert_cmpstr (field (user, "UserName"), ==, "Renamed Person");
  g_assert_true (gh_conf_ctl_granted (p, p->door_station, "card",
                                      "{\"card\":\"PC0001\",\"door\":1}"));

  /* removing takes every credential with it */
  remove_ids (driver, ids);
  g_clear_pointer (&user, json_object_put);
  g_clear_pointer (&card, json_object_put);
  g_clear_pointer (&face, json_object_put);
  g_assert_null ((user = gh_conf_stored (p, p->door_station, "AccessUser", "PS1")));
  g_assert_null ((card = gh_conf_stored (p, p->door_station, "AccessCard", "PC0001")));
  g_assert_null ((face = gh_conf_stored (p, p->door_station, "AccessFace", "PS1")));
  g_assert_false (gh_conf_ctl_granted (p, p->door_station, "card",
                                       "{\"card\":\"PC0001\",\"door\":1}"));
  g_assert_false (gh_conf_ctl_granted (p, p->door_station, "card",
                                       "{\"card\":\"PD0001\",\"door\":1}"));
  g_assert_false (gh_conf_ctl_granted (p, p->door_station, "card",
                                       "{\"card\":\"PC0002\",\"door\":2}"));
  /* removing what is gone is not an error */
  remove_ids (driver, ids);
}

/* A value the device does not accept (here a name longer than its name field) fails the push
 * with GH_ERROR_INVALID_INPUT: what the sync engine needs to find the refused person in a
 * batch. Pushed alone, the refusal names the person. */
static void
test_persons_refused (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->door_station, NULL, 5000);
  g_autoptr(GPtrArray) batch =
    g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_person_free);
  g_autoptr(GPtrArray) alone =
    g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_person_free);
  g_autoptr(GPtrArray) good =
    g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_person_free);
  const char *long_name = "Maximiliane Theodora von Hohenzollern-Sigmaringen";
  const char *ids[] = { "PR1", "PR2", "PR3", NULL };
  GhConfCall call = { 0 };

  g_ptr_array_add (batch, person ("PR1", "Ann Good", "PE0001", "101010"));
  g_ptr_array_add (batch, person ("PR2", long_name, "PE0002", "202020"));
  g_ptr_array_add (batch, person ("PR3", "Bob Good", "PE0003", "303030"));
  for (guint round = 0; round < 2; round++) {
    g_autoptr(GError) error = NULL;
    GPtrArray *list = round == 0 ? batch : alone;

    if (round == 1)
      g_ptr_array_add (alone, person ("PR2", long_name, "PE0002", "202020"));
    gh_person_sync_push_persons_async (driver, list, NULL, gh_conf_call_cb, &call);
    g_assert_false (finish_bool (driver, &call, gh_person_sync_push_persons_finish, &error,
                                 "refused person push"));
    gh_conf_assert_error (error, GH_ERROR_INVALID_INPUT, "refused person push");
    g_test_message ("refused (%u persons): %s", list->len, error->message);
    if (round == 1)
      g_assert_nonnull (strstr (error->message, "PR2"));
  }
  g_assert_null (gh_conf_stored (p, p->door_station, "AccessUser", "PR2"));

  /* the others on their own are fine */
  g_ptr_array_add (good, person ("PR1", "Ann Good", "PE0001", "101010"));
  g_ptr_array_add (good, person ("PR3", "Bob Good", "PE0003", "303030"));
  push (driver, good);
  {
    g_autoptr(json_object) a = gh_conf_stored (p, p->door_station, "AccessUser", "PR1");
    g_autoptr(json_object) b = gh_conf_stored (p, p->door_station, "AccessUser", "PR3");

    g_assert_nonnull (a);
    g_assert_nonnull (b);
  }
  remove_ids (driver, ids);
}

static void
test_room_passwords (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->door_station, NULL, 5000);
  g_autoptr(json_object) row = NULL;
  GhConfCall call = { 0 };

  gh_dial_plan_set_room_password_async (driver, "1101", "888888", NULL, gh_conf_call_cb, &call);
  CHECK_OK (driver, &call, gh_dial_plan_set_room_password_finish, "room password");
  g_assert_true (gh_conf_ctl_granted (p, p->door_station, "unlock-code",
                                      "{\"code\":\"001101888888\",\"door\":1}"));
  g_assert_false (gh_conf_ctl_granted (p, p->door_station, "unlock-code",
                                       "{\"code\":\"001101888889\",\"door\":1}"));

  gh_dial_plan_set_room_password_async (driver, "1101", "777777", NULL, gh_conf_call_cb, &call);
  CHECK_OK (driver, &call, gh_dial_plan_set_room_password_finish, "room password change");
  g_assert_false (gh_conf_ctl_granted (p, p->door_station, "unlock-code",
                                       "{\"code\":\"001101888888\",\"door\":1}"));
  g_assert_true (gh_conf_ctl_granted (p, p->door_station, "unlock-code",
                                      "{\"code\":\"001101777777\",\"door\":1}"));
  /* a change replaces the room's password rather than adding a second one */
  g_assert_cmpuint (count_rows (p, p->door_station, "AccessControlPwd", "UserID", "1101", &row),
                    ==, 1);
  g_assert_cmpstr (field (row, "DoorOpenPwd"), ==, "777777");
}

static void
test_registrations (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->door_station, NULL, 5000);
  g_autoptr(GPtrArray) regs =
    g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_registration_free);
  GhDeviceRegistration *r;
  GhConfCall call = { 0 };

  r = gh_device_registration_new (GH_REGISTRATION_ROOM, "1101");
  r->name = g_strdup ("Room 1101");
  g_ptr_array_add (regs, r);
  g_ptr_array_add (regs, gh_device_registration_new (GH_REGISTRATION_ROOM, "1101#1"));
  g_ptr_array_add (regs, gh_device_registration_new (GH_REGISTRATION_MASTER_STATION, "101"));
  gh_dial_plan_push_registrations_async (driver, regs, NULL, gh_conf_call_cb, &call);
  CHECK_OK (driver, &call, gh_dial_plan_push_registrations_finish, "registration numbers");
  /* pushing the same list again must not duplicate it */
  gh_dial_plan_push_registrations_async (driver, regs, NULL, gh_conf_call_cb, &call);
  CHECK_OK (driver, &call, gh_dial_plan_push_registrations_finish, "registration numbers again");

  g_assert_cmpuint (count_rows (p, p->door_station, "VideoTalkContact", "VTShortNumber", "1101",
                                NULL), ==, 1);
  g_assert_cmpuint (count_rows (p, p->door_station, "VideoTalkContact", "VTShortNumber",
                                "1101#1", NULL), ==, 1);
  g_assert_cmpuint (count_rows (p, p->door_station, "VideoTalkContact", "VTShortNumber", "101",
                                NULL), ==, 1);

  /* removal: the named numbers go, the others stay; a number the device does not hold is
   * not an error, and removing twice is fine */
  {
    const char *gone[] = { "1101#1", "101", "4242", NULL };

    gh_dial_plan_remove_registrations_async (driver, gone, NULL, gh_conf_call_cb, &call);
    CHECK_OK (driver, &call, gh_dial_plan_remove_registrations_finish,
              "registration number removal");
    g_assert_cmpuint (count_rows (p, p->door_station, "VideoTalkContact", "VTShortNumber",
                                  "1101#1", NULL), ==, 0);
    g_assert_cmpuint (count_rows (p, p->door_station, "VideoTalkContact", "VTShortNumber",
                                  "101", NULL), ==, 0);
    g_assert_cmpuint (count_rows (p, p->door_station, "VideoTalkContact", "VTShortNumber",
                                  "1101", NULL), ==, 1);
    gh_dial_plan_remove_registrations_async (driver, gone, NULL, gh_conf_call_cb, &call);
    CHECK_OK (driver, &call, gh_dial_plan_remove_registrations_finish,
              "registration number removal again");
    g_assert_cmpuint (count_rows (p, p->door_station, "VideoTalkContact", "VTShortNumber",
                                  "1101", NULL), ==, 1);
  }
}

static char *
push_notice (GhDriver             *driver,
             const GhDeviceNotice *notice)
{
  g_autoptr(GError) error = NULL;
  GhConfCall call = { 0 };
  char *key = NULL;

  gh_notice_board_push_notice_async (driver, notice, NULL, gh_conf_call_cb, &call);
  if (!gh_notice_board_push_notice_finish (driver, gh_conf_call_wait (&call, GH_CONF_OP_MS,
                                                                      "notice"),
                                           &key, &error))
    g_error ("notice push failed: %s", error->message);
  gh_conf_call_clear (&call);
  return key;
}

static void
withdraw_notice (GhDriver   *driver,
                 const char *key)
{
  GhConfCall call = { 0 };

  gh_notice_board_withdraw_notice_async (driver, key, NULL, gh_conf_call_cb, &call);
  CHECK_OK (driver, &call, gh_notice_board_withdraw_notice_finish, "notice withdrawal");
}

static void
test_notices (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->monitor, NULL, 5000);
  g_autoptr(GhDeviceNotice) notice = gh_device_notice_new ("Water off",
                                                           "No water on Tuesday, 9–12 h.");
  g_autoptr(GhDeviceNotice) other = gh_device_notice_new ("Lift service", "Friday morning.");
  g_autoptr(json_object) row = NULL;
  g_autofree char *key = NULL;
  g_autofree char *again = NULL;
  g_autofree char *other_key = NULL;

  notice->target_room = g_strdup (p->room);
  notice->issue_time = g_get_real_time () / G_USEC_PER_SEC;
  notice->expire_time = notice->issue_time + 86400;
  key = push_notice (driver, notice);
  g_assert_nonnull (key);
  g_assert_cmpuint (count_rows (p, p->monitor, "Announcement", "AnnounceTitle", "Water off",
                                &row), ==, 1);
  g_assert_cmpstr (field (row, "AnnounceContent"), ==, "No water on Tuesday, 9–12 h.");
  other->issue_time = notice->issue_time;
  other_key = push_notice (driver, other);
  g_assert_cmpstr (other_key, !=, key);

  /* an edited notice pushed with its key replaces the one on the device */
  g_free (notice->title);
  notice->title = g_strdup ("Water off (changed)");
  notice->issue_time += 60;
  notice->device_key = g_strdup (key);
  again = push_notice (driver, notice);
  g_assert_nonnull (again);
  g_assert_cmpuint (count_rows (p, p->monitor, "Announcement", "AnnounceTitle", "Water off",
                                NULL), ==, 0);
  g_assert_cmpuint (count_rows (p, p->monitor, "Announcement", "AnnounceTitle",
                                "Water off (changed)", NULL), ==, 1);

  /* withdrawn: gone from the monitor, the other notice stays; withdrawing again, or with the
   * key of the first version, is not an error and removes nothing else */
  withdraw_notice (driver, again);
  g_assert_cmpuint (count_rows (p, p->monitor, "Announcement", "AnnounceTitle",
                                "Water off (changed)", NULL), ==, 0);
  withdraw_notice (driver, again);
  withdraw_notice (driver, key);
  g_assert_cmpuint (count_rows (p, p->monitor, "Announcement", "AnnounceTitle", "Lift service",
                                NULL), ==, 1);
  withdraw_notice (driver, other_key);
  g_assert_cmpuint (count_rows (p, p->monitor, "Announcement", "AnnounceTitle", "Lift service",
                                NULL), ==, 0);
}

static void
test_records_incremental (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->records_station, NULL, 5000);
  g_autoptr(GhDeviceRecordBatch) all = fetch (driver, GH_RECORD_KIND_ACCESS, NULL);
  g_autoptr(GhDeviceRecordBatch) none = NULL;
  g_autoptr(GhDeviceRecordBatch) fresh = NULL;
  g_autoptr(GhDeviceRecordBatch) again = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 last = 0;

  /* everything the device holds, past its page size, once, oldest first */
  g_assert_cmpuint (all->records->len, ==, p->n_seed_records);
  for (guint i = 0; i < all->records->len; i++) {
    GhDeviceRecord *r = g_ptr_array_index (all->records, i);
    g_autofree char *card = g_strdup_printf ("R%05u", i);

    g_assert_cmpint (r->kind, ==, GH_RECORD_KIND_ACCESS);
    g_assert_nonnull (r->key);
    g_assert_true (g_hash_table_add (keys, r->key));
    g_assert_cmpint (r->time, >=, last);
    last = r->time;
    g_assert_cmpstr (r->credential, ==, card);
    g_assert_true (r->granted == (i % 7 != 0));
    g_assert_cmpint (r->door, ==, 0);
  }

  none = fetch (driver, GH_RECORD_KIND_ACCESS, all->cursor);
  g_assert_cmpuint (none->records->len, ==, 0);

  g_assert_false (gh_conf_ctl_granted (p, p->records_station, "card",
                                       "{\"card\":\"NEW0001\",\"door\":1}"));
  g_assert_false (gh_conf_ctl_granted (p, p->records_station, "card",
                                       "{\"card\":\"NEW0002\",\"door\":2}"));
  fresh = fetch (driver, GH_RECORD_KIND_ACCESS, none->cursor);
  g_assert_cmpuint (fresh->records->len, ==, 2);
  g_assert_cmpstr (((GhDeviceRecord *) fresh->records->pdata[0])->credential, ==, "NEW0001");
  g_assert_cmpstr (((GhDeviceRecord *) fresh->records->pdata[1])->credential, ==, "NEW0002");
  g_assert_cmpint (((GhDeviceRecord *) fresh->records->pdata[1])->door, ==, 1);
  g_assert_false (((GhDeviceRecord *) fresh->records->pdata[0])->granted);
  for (guint i = 0; i < 2; i++) {
    GhDeviceRecord *r = g_ptr_array_index (fresh->records, i);

    g_assert_false (g_hash_table_contains (keys, r->key));
  }

  again = fetch (driver, GH_RECORD_KIND_ACCESS, fresh->cursor);
  g_assert_cmpuint (again->records->len, ==, 0);
}

static void
test_records_calls_alarms (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->door_station, NULL, 5000);
  g_autoptr(GhDeviceRecordBatch) calls = fetch (driver, GH_RECORD_KIND_CALL, NULL);
  g_autoptr(GhDeviceRecordBatch) alarms = fetch (driver, GH_RECORD_KIND_ALARM, NULL);
  g_autoptr(GhDeviceRecordBatch) calls2 = NULL;
  g_autoptr(GhDeviceRecordBatch) alarms2 = NULL;
  guint answered = 0, missed = 0;

  /* the /events/ tests left one answered and one missed call, an alarm and a tamper */
  for (guint i = 0; i < calls->records->len; i++) {
    GhDeviceRecord *r = g_ptr_array_index (calls->records, i);

    g_test_message ("call record: granted=%d room=%s outgoing=%d duration=%u raw=%s", r->granted,
                    r->room, r->outgoing, r->duration_s, r->raw);
    g_assert_cmpint (r->kind, ==, GH_RECORD_KIND_CALL);
    g_assert_cmpstr (r->room, ==, p->room);
    /* an answered call may be shorter than a second (see records/short-call) */
    if (r->granted)
      answered++;
    else
      missed++;
  }
  g_assert_cmpuint (answered, >=, 1);
  g_assert_cmpuint (missed, >=, 1);
  g_assert_cmpuint (alarms->records->len, >=, 1);
  for (guint i = 0; i < alarms->records->len; i++) {
    GhDeviceRecord *r = g_ptr_array_index (alarms->records, i);

    g_assert_cmpint (r->kind, ==, GH_RECORD_KIND_ALARM);
  }

  calls2 = fetch (driver, GH_RECORD_KIND_CALL, calls->cursor);
  g_assert_cmpuint (calls2->records->len, ==, 0);
  alarms2 = fetch (driver, GH_RECORD_KIND_ALARM, alarms->cursor);
  g_assert_cmpuint (alarms2->records->len, ==, 0);
}

/* A call answered and hung up within the second still counts as answered. */
static void
test_records_short_call (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->door_station, NULL, 5000);
  g_autoptr(GhDeviceRecordBatch) before = fetch (driver, GH_RECORD_KIND_CALL, NULL);
  g_autoptr(GhDeviceRecordBatch) after = NULL;
  g_autofree char *ring = g_strdup_printf ("{\"room\":\"%s\"}", p->room);
  GhDeviceRecord *r;

  json_object_put (gh_conf_ctl (p, p->door_station, "ring", ring));
  json_object_put (gh_conf_ctl (p, p->monitor, "answer", "{}"));
  json_object_put (gh_conf_ctl (p, p->monitor, "hangup", "{}"));
  after = fetch (driver, GH_RECORD_KIND_CALL, before->cursor);
  g_assert_cmpuint (after->records->len, ==, 1);
  r = g_ptr_array_index (after->records, 0);
  g_test_message ("short call: %s", r->raw);
  g_assert_cmpstr (r->room, ==, p->room);
  if (!r->granted && gh_conf_known_bug (p, "records/short-call") != NULL) {
    g_test_incomplete (gh_conf_known_bug (p, "records/short-call"));
    return;
  }
  g_assert_true (r->granted);
}

static void
sync_time (GhDriver  *driver,
           GDateTime *when)
{
  GhConfCall call = { 0 };

  gh_driver_sync_time_async (driver, when, NULL, gh_conf_call_cb, &call);
  CHECK_OK (driver, &call, gh_driver_sync_time_finish, "time sync");
}

static gint64
sim_clock_offset (const GhConfProfile *p,
                  const char          *device)
{
  g_autoptr(json_object) state = gh_conf_state (p, device);
  json_object *v;

  g_assert_true (json_object_object_get_ex (state, "clock_offset", &v));
  return json_object_get_int64 (v);
}

static void
test_time_sync (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->monitor, NULL, 5000);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) ahead = g_date_time_add_hours (now, 1);
  g_autoptr(GhProbeInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  sync_time (driver, ahead);
  g_assert_cmpint (ABS (sim_clock_offset (p, p->monitor) - 3600), <=, 5);
  info = probe (driver, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ABS (info->clock_offset_s - 3600), <=, 5);

  g_clear_pointer (&now, g_date_time_unref);
  now = g_date_time_new_now_utc ();
  sync_time (driver, now);
  g_assert_cmpint (ABS (sim_clock_offset (p, p->monitor)), <=, 5);
}

static void
test_call_control (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->door_station, NULL, 5000);
  g_autofree char *ring = g_strdup_printf ("{\"room\":\"%s\"}", p->room);
  GhConfCall call = { 0 };

  g_assert_cmpint (call_state (driver), ==, GH_CALL_STATE_IDLE);
  json_object_put (gh_conf_ctl (p, p->door_station, "ring", ring));
  g_assert_cmpint (call_state (driver), ==, GH_CALL_STATE_RINGING);
  gh_call_control_answer_async (driver, NULL, gh_conf_call_cb, &call);
  CHECK_OK (driver, &call, gh_call_control_answer_finish, "answer");
  g_assert_cmpstr (sim_call_state (p, p->door_station), ==, "Talking");
  g_assert_cmpint (call_state (driver), ==, GH_CALL_STATE_TALKING);
  gh_call_control_hang_up_async (driver, NULL, gh_conf_call_cb, &call);
  CHECK_OK (driver, &call, gh_call_control_hang_up_finish, "hang up");
  g_assert_cmpstr (sim_call_state (p, p->door_station), ==, "Idle");
  g_assert_cmpint (call_state (driver), ==, GH_CALL_STATE_IDLE);

  /* hanging up a ringing call cancels it */
  json_object_put (gh_conf_ctl (p, p->door_station, "ring", ring));
  g_assert_cmpint (call_state (driver), ==, GH_CALL_STATE_RINGING);
  gh_call_control_hang_up_async (driver, NULL, gh_conf_call_cb, &call);
  CHECK_OK (driver, &call, gh_call_control_hang_up_finish, "hang up while ringing");
  g_assert_cmpint (call_state (driver), ==, GH_CALL_STATE_IDLE);
}

/* Sends DESCRIBE and returns the status line; bounded by a socket timeout. */
static char *
rtsp_describe (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *request = NULL;
  char *line;

  g_assert_nonnull (uri);
  g_socket_client_set_timeout (client, 5);
  conn = g_socket_client_connect_to_host (client, g_uri_get_host (uri), g_uri_get_port (uri),
                                          NULL, &error);
  g_assert_no_error (error);
  plain = g_strdup_printf ("rtsp://%s:%d%s%s%s", g_uri_get_host (uri), g_uri_get_port (uri),
                           g_uri_get_path (uri), g_uri_get_query (uri) ? "?" : "",
                           g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
  request = g_strdup_printf ("DESCRIBE %s RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n"
                             "User-Agent: gatehouse-conformance\r\n\r\n", plain);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request,
                             strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  return line;
}

static void
test_media (const GhConfProfile *p)
{
  g_autoptr(GhDriver) driver = gh_conf_driver_new (p, p->door_station, NULL, 5000);
  g_autoptr(GUri) sim_uri = g_uri_parse (sim_field (gh_conf_sim (p), p->door_station, "rtsp"),
                                         G_URI_FLAGS_NONE, NULL);
  GhTalkBackMethod talk = gh_media_source_get_talk_back (driver);

  if (!gh_driver_supports (driver, GH_TYPE_MEDIA_SOURCE)) {
    g_test_skip ("the driver offers no live video");
    return;
  }
  g_assert_cmpint (talk, >=, GH_TALK_BACK_NONE);
  g_assert_cmpint (talk, <=, GH_TALK_BACK_HTTP_UPLOAD);
  for (guint stream = 0; stream < 2; stream++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *url = gh_media_source_get_live_url (driver, stream, &error);
    g_autoptr(GUri) uri = NULL;
    g_autofree char *status = NULL;

    g_assert_no_error (error);
    uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (g_uri_get_scheme (uri), ==, "rtsp");
    g_assert_cmpstr (g_uri_get_host (uri), ==, g_uri_get_host (sim_uri));
    g_assert_cmpint (g_uri_get_port (uri), ==, g_uri_get_port (sim_uri));
    status = rtsp_describe (url);
    g_test_message ("DESCRIBE stream %u: %s", stream, status);
    g_assert_true (g_str_has_prefix (status, "RTSP/1.0 200") ||
                   g_str_has_prefix (status, "RTSP/1.0 401"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *url = gh_media_source_get_live_url (driver, 9, &error);

    g_assert_null (url);
    g_assert_nonnull (error);
  }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  gh_conf_init (&argc, &argv);
  gh_conf_add ("registry", test_registry);
  gh_conf_add ("probe", test_probe);
  gh_conf_add ("cancel", test_cancel);
  gh_conf_add ("not-supported", test_not_supported);
  gh_conf_add ("events/online", test_events_online);
  gh_conf_add ("events/call-answered", test_events_call_answered);
  gh_conf_add ("events/call-missed", test_events_call_missed);
  gh_conf_add ("events/access", test_events_access);
  gh_conf_add ("events/door", test_events_door);
  gh_conf_add ("events/alarm", test_events_alarm);
  gh_conf_add ("events/tamper", test_events_tamper);
  gh_conf_add ("events/stop", test_events_stop);
  gh_conf_add ("doors", test_doors);
  gh_conf_add ("persons", test_persons);
  gh_conf_add ("persons/refused", test_persons_refused);
  gh_conf_add ("room-passwords", test_room_passwords);
  gh_conf_add ("registrations", test_registrations);
  gh_conf_add ("notices", test_notices);
  gh_conf_add ("records/incremental", test_records_incremental);
  gh_conf_add ("records/calls-alarms", test_records_calls_alarms);
  gh_conf_add ("records/short-call", test_records_short_call);
  gh_conf_add ("time-sync", test_time_sync);
  gh_conf_add ("call-control", test_call_control);
  gh_conf_add ("media", test_media);
  ret = gh_conf_run ();
  g_clear_pointer (&subscriptions, g_hash_table_unref);
  return ret;
}
