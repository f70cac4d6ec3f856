/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-driver"

#include "config.h"

#include "gh-call-control.h"
#include "gh-door-control.h"
#include "gh-driver.h"
#include "gh-error.h"
#include "gh-media-source.h"
#include "gh-notice-board.h"
#include "gh-dial-plan.h"
#include "gh-person-sync.h"
#include "gh-record-source.h"

/* A driver with no optional ability: every ability call must answer NOT_SUPPORTED. */
#define TEST_TYPE_BARE_DRIVER (test_bare_driver_get_type ())
G_DECLARE_DERIVABLE_TYPE (TestBareDriver, test_bare_driver, TEST, BARE_DRIVER, GObject)

struct _TestBareDriverClass
{
  GObjectClass parent_class;
};

typedef struct {
  GhDeviceConfig *config;
} TestBareDriverPrivate;

static void bare_iface_init (GhDriverInterface *iface);

G_DEFINE_TYPE_WITH_CODE (TestBareDriver, test_bare_driver, G_TYPE_OBJECT,
                         G_ADD_PRIVATE (TestBareDriver)
                         G_IMPLEMENT_INTERFACE (GH_TYPE_DRIVER, bare_iface_init))

static void
bare_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  TestBareDriverPrivate *priv = test_bare_driver_get_instance_private (TEST_BARE_DRIVER (object));

  g_value_set_boxed (value, priv->config);
}

static void
bare_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TestBareDriverPrivate *priv = test_bare_driver_get_instance_private (TEST_BARE_DRIVER (object));

  priv->config = g_value_dup_boxed (value);
}

static void
bare_finalize (GObject *object)
{
  TestBareDriverPrivate *priv = test_bare_driver_get_instance_private (TEST_BARE_DRIVER (object));

  gh_device_config_free (priv->config);
  G_OBJECT_CLASS (test_bare_driver_parent_class)->finalize (object);
}

static void
test_bare_driver_class_init (TestBareDriverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bare_get_property;
  object_class->set_property = bare_set_property;
  object_class->finalize = bare_finalize;
  g_object_class_override_property (object_class, 1, "config");
}

static void
test_bare_driver_init (TestBareDriver *self)
{
}

static void
bare_iface_init (GhDriverInterface *iface)
{
  iface->name = "bare";
}

/* A driver with older ability tables: it pushes registration numbers and notices but leaves
 * the removal vfuncs NULL, which the wrappers must answer for it. */
#define TEST_TYPE_PARTIAL_DRIVER (test_partial_driver_get_type ())
G_DECLARE_FINAL_TYPE (TestPartialDriver, test_partial_driver, TEST, PARTIAL_DRIVER,
                      TestBareDriver)

struct _TestPartialDriver
{
  TestBareDriver parent_instance;
};

static void partial_iface_init      (GhDriverInterface      *iface);
static void partial_dial_iface_init (GhDialPlanInterface    *iface);
static void partial_board_iface_init (GhNoticeBoardInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestPartialDriver, test_partial_driver, TEST_TYPE_BARE_DRIVER,
                               G_IMPLEMENT_INTERFACE (GH_TYPE_DRIVER, partial_iface_init)
                               G_IMPLEMENT_INTERFACE (GH_TYPE_DIAL_PLAN, partial_dial_iface_init)
                               G_IMPLEMENT_INTERFACE (GH_TYPE_NOTICE_BOARD,
                                                      partial_board_iface_init))

static void
test_partial_driver_class_init (TestPartialDriverClass *klass)
{
}

static void
test_partial_driver_init (TestPartialDriver *self)
{
}

static void
partial_iface_init (GhDriverInterface *iface)
{
  iface->name = "partial";
}

static void
partial_push_registrations_async (GhDialPlan          *self,
                                  GPtrArray           *registrations,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_return_boolean (task, TRUE);
}

static void
partial_push_notice_async (GhNoticeBoard        *self,
                           const GhDeviceNotice *notice,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_return_pointer (task, g_strdup_printf ("key-of-%s", notice->title), g_free);
}

static void
partial_dial_iface_init (GhDialPlanInterface *iface)
{
  iface->push_registrations_async = partial_push_registrations_async;
}

static void
partial_board_iface_init (GhNoticeBoardInterface *iface)
{
  iface->push_notice_async = partial_push_notice_async;
}

typedef struct {
  GError   *error;
  gboolean  done;
} Wait;

static void
bool_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  g_assert_false (g_task_propagate_boolean (G_TASK (result), &w->error));
  w->done = TRUE;
}

static void
assert_not_supported_by (Wait       *w,
                         const char *ability,
                         const char *driver)
{
  g_autofree char *expected = g_strdup_printf ("%s is not supported by the %s driver", ability,
                                               driver);

  while (!w->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (w->error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (w->error->message, ==, expected);
  g_clear_error (&w->error);
  w->done = FALSE;
}

static void
assert_not_supported (Wait       *w,
                      const char *ability)
{
  assert_not_supported_by (w, ability, "bare");
}

static void
test_not_supported (void)
{
  g_autoptr(GhDeviceConfig) config = gh_device_config_new ("bare", "10.0.0.9", 80, "a", "b");
  g_autoptr(GhDriver) driver = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *ids[] = { "1", NULL };
  Wait w = { 0 };

  gh_driver_registry_register ("bare", TEST_TYPE_BARE_DRIVER);
  driver = gh_driver_new (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gh_driver_get_name (driver), ==, "bare");
  g_assert_cmpstr (gh_driver_get_config (driver)->host, ==, "10.0.0.9");
  g_assert_false (gh_driver_supports (driver, GH_TYPE_DOOR_CONTROL));

  gh_door_control_set_door_async (driver, 0, GH_DOOR_ACTION_OPEN, NULL, bool_cb, &w);
  assert_not_supported (&w, "Door control");
  gh_person_sync_remove_persons_async (driver, ids, NULL, bool_cb, &w);
  assert_not_supported (&w, "Removing persons");
  gh_dial_plan_set_room_password_async (driver, "101", "1234", NULL, bool_cb, &w);
  assert_not_supported (&w, "Room unlock passwords");
  gh_dial_plan_remove_registrations_async (driver, ids, NULL, bool_cb, &w);
  assert_not_supported (&w, "Removing registration numbers");
  gh_notice_board_withdraw_notice_async (driver, "1", NULL, bool_cb, &w);
  assert_not_supported (&w, "Withdrawing notices");
  gh_call_control_answer_async (driver, NULL, bool_cb, &w);
  assert_not_supported (&w, "Answering calls");
  gh_driver_sync_time_async (driver, now, NULL, bool_cb, &w);
  assert_not_supported (&w, "Time synchronisation");

  g_assert_false (gh_driver_start_events (driver, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (gh_media_source_get_live_url (driver, 0, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_assert_cmpint (gh_media_source_get_talk_back (driver), ==, GH_TALK_BACK_NONE);
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_partial_abilities (void)
{
  g_autoptr(GhDeviceConfig) config = gh_device_config_new ("partial", "10.0.0.8", 80, "a", "b");
  g_autoptr(GhDeviceNotice) notice = gh_device_notice_new ("Lift", "Out of order");
  g_autoptr(GhDriver) driver = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *key = NULL;
  const char *numbers[] = { "101", NULL };
  Wait w = { 0 };

  gh_driver_registry_register ("partial", TEST_TYPE_PARTIAL_DRIVER);
  driver = gh_driver_new (config, &error);
  g_assert_no_error (error);
  g_assert_true (gh_driver_supports (driver, GH_TYPE_DIAL_PLAN));
  g_assert_true (gh_driver_supports (driver, GH_TYPE_NOTICE_BOARD));

  /* the pushes work, and the push gives the driver's key for the notice */
  gh_notice_board_push_notice_async (driver, notice, NULL, result_cb, &result);
  g_assert_true (gh_notice_board_push_notice_finish (driver, wait_result (&result), &key,
                                                     &error));
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "key-of-Lift");
  g_clear_object (&result);
  gh_notice_board_push_notice_async (driver, notice, NULL, result_cb, &result);
  g_assert_true (gh_notice_board_push_notice_finish (driver, wait_result (&result), NULL,
                                                     &error));
  g_clear_object (&result);

  /* the removals it leaves NULL answer for it, with a message */
  gh_dial_plan_remove_registrations_async (driver, numbers, NULL, bool_cb, &w);
  assert_not_supported_by (&w, "Removing registration numbers", "partial");
  gh_notice_board_withdraw_notice_async (driver, key, NULL, bool_cb, &w);
  assert_not_supported_by (&w, "Withdrawing notices", "partial");
}

static void
test_registry (void)
{
  g_auto(GStrv) names = gh_driver_registry_list ();
  g_autoptr(GhDeviceConfig) unknown = gh_device_config_new ("nosuch", "h", 0, "", "");
  g_autoptr(GhDeviceConfig) nohost = gh_device_config_new ("dahua", "", 0, "", "");
  g_autoptr(GhDeviceConfig) dahua = gh_device_config_new ("dahua", "192.0.2.1", 0, "a", "b");
  g_autoptr(GhDriver) driver = NULL;
  g_autoptr(GError) error = NULL;
  GType abilities[] = {
    GH_TYPE_DOOR_CONTROL, GH_TYPE_PERSON_SYNC, GH_TYPE_DIAL_PLAN, GH_TYPE_NOTICE_BOARD,
    GH_TYPE_RECORD_SOURCE, GH_TYPE_CALL_CONTROL, GH_TYPE_MEDIA_SOURCE,
  };

  g_assert_true (g_strv_contains ((const char * const *) names, "dahua"));
  g_assert_null (gh_driver_new (unknown, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (gh_driver_new (nohost, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  driver = gh_driver_new (dahua, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (abilities); i++)
    g_assert_true (gh_driver_supports (driver, abilities[i]));
  {
    g_autofree char *url = gh_media_source_get_live_url (driver, 1, NULL);

    g_assert_cmpstr (url, ==, "rtsp://a:b@192.0.2.1:554/cam/realmonitor?channel=1&subtype=1");
  }
  g_assert_finalize_object (g_steal_pointer (&driver));
}

static void
test_config (void)
{
  g_autoptr(GhDeviceConfig) v4 = gh_device_config_new ("dahua", "10.1.2.3", 8080, "u", "p");
  g_autoptr(GhDeviceConfig) v6 = gh_device_config_new ("dahua", "fe80::1", 0, "u", "p");
  g_autoptr(GhDeviceConfig) bad = gh_device_config_new ("dahua", "a b/c", 0, "u", "p");
  g_autoptr(GhDeviceConfig) copy = NULL;
  g_autofree char *u4 = NULL;
  g_autofree char *u6 = NULL;
  g_autoptr(GError) error = NULL;

  v6->use_https = TRUE;
  u4 = gh_device_config_base_url (v4);
  u6 = gh_device_config_base_url (v6);
  g_assert_cmpstr (u4, ==, "http://10.1.2.3:8080");
  g_assert_cmpstr (u6, ==, "https://[fe80::1]");
  g_assert_false (gh_device_config_validate (bad, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  copy = gh_device_config_copy (v4);
  g_assert_cmpstr (copy->password, ==, "p");
  g_assert_cmpstr (copy->id, ==, "10.1.2.3:8080");
}

static void
test_event_names (void)
{
  g_autoptr(GhEvent) event = gh_event_new (GH_EVENT_ACCESS_DENIED, "dev");
  g_autofree char *text = NULL;
  GhEventKind kind;

  g_assert_cmpstr (gh_event_kind_to_string (GH_EVENT_CALL_RINGING), ==, "call-ringing");
  g_assert_true (gh_event_kind_from_string ("device-unauthorized", &kind));
  g_assert_cmpint (kind, ==, GH_EVENT_DEVICE_UNAUTHORIZED);
  g_assert_false (gh_event_kind_from_string ("nope", &kind));
  event->method = GH_ACCESS_METHOD_CARD;
  event->credential = g_strdup ("123");
  event->door = 1;
  text = gh_event_to_string (event);
  g_assert_nonnull (strstr (text, "dev access-denied door=1 method=card credential=123"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/driver/not-supported", test_not_supported);
  g_test_add_func ("/driver/partial-abilities", test_partial_abilities);
  g_test_add_func ("/driver/registry", test_registry);
  g_test_add_func ("/driver/config", test_config);
  g_test_add_func ("/driver/event-names", test_event_names);

  return g_test_run ();
}
