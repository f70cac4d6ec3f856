/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-driver"

#include "config.h"

#include "gh-driver.h"

#include "drivers/gh-builtin-drivers.h"
#include "gh-error.h"

G_DEFINE_INTERFACE (GhDriver, gh_driver, G_TYPE_OBJECT)

enum {
  EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GMutex registry_lock;
static GHashTable *registry;  /* (owned) name → GType */

static void
gh_driver_default_init (GhDriverInterface *iface)
{
  /**
   * GhDriver:config:
   *
   * How to reach the device. Set once at construction.
   */
  g_object_interface_install_property (iface,
    g_param_spec_boxed ("config", NULL, NULL, GH_TYPE_DEVICE_CONFIG,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * GhDriver::event:
   * @event: the normalized event
   *
   * Emitted on the driver's main context for every event the device reports, including
   * connection state changes (%GH_EVENT_DEVICE_ONLINE and friends).
   */
  signals[EVENT] = g_signal_new ("event", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                 GH_TYPE_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
registry_ensure (void)
{
  static gsize builtins_done = 0;

  /* Built-in drivers are registered once, whether or not someone registered first. */
  if (g_once_init_enter (&builtins_done)) {
    gh_builtin_drivers_register ();
    g_once_init_leave (&builtins_done, 1);
  }
}

/**
 * gh_driver_registry_register:
 * @name: a short lower-case name, stored with each device
 * @type: a #GObject type implementing #GhDriver with a "config" property
 *
 * Makes a driver available by name. Registering a name twice replaces the first type.
 */
void
gh_driver_registry_register (const char *name,
                             GType       type)
{
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (g_type_is_a (type, GH_TYPE_DRIVER));

  g_mutex_lock (&registry_lock);
  if (registry == NULL)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_replace (registry, g_strdup (name), GSIZE_TO_POINTER (type));
  g_mutex_unlock (&registry_lock);
}

/**
 * gh_driver_registry_lookup:
 *
 * Returns: the driver type registered as @name, or %G_TYPE_INVALID
 */
GType
gh_driver_registry_lookup (const char *name)
{
  GType type;

  g_return_val_if_fail (name != NULL, G_TYPE_INVALID);

  registry_ensure ();
  g_mutex_lock (&registry_lock);
  if (registry == NULL) {
    g_mutex_unlock (&registry_lock);
    return G_TYPE_INVALID;
  }
  type = GPOINTER_TO_SIZE (g_hash_table_lookup (registry, name));
  g_mutex_unlock (&registry_lock);
  return type;
}

static int
strp_cmp (const void *a,
          const void *b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/**
 * gh_driver_registry_list:
 *
 * Returns: (transfer full): the registered names, sorted
 */
char **
gh_driver_registry_list (void)
{
  g_autofree gpointer *keys = NULL;
  GStrvBuilder *builder;
  char **names;
  guint n;

  registry_ensure ();
  g_mutex_lock (&registry_lock);
  keys = g_hash_table_get_keys_as_array (registry, &n);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder, keys[i]);
  g_mutex_unlock (&registry_lock);
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  qsort (names, g_strv_length (names), sizeof (char *), strp_cmp);
  return names;
}

/**
 * gh_driver_new:
 * @config: the device to talk to; @config->driver picks the driver
 *
 * Returns: (transfer full): a driver instance for the device, or %NULL with
 *   %GH_ERROR_INVALID_INPUT or %GH_ERROR_NOT_SUPPORTED (unknown driver name)
 */
GhDriver *
gh_driver_new (const GhDeviceConfig  *config,
               GError               **error)
{
  GType type;

  g_return_val_if_fail (config != NULL, NULL);

  if (!gh_device_config_validate (config, error))
    return NULL;
  type = gh_driver_registry_lookup (config->driver);
  if (type == G_TYPE_INVALID) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED,
                 "No driver named “%s” is available; pick another device type", config->driver);
    return NULL;
  }
  return g_object_new (type, "config", config, NULL);
}

const char *
gh_driver_get_name (GhDriver *self)
{
  g_return_val_if_fail (GH_IS_DRIVER (self), NULL);

  return GH_DRIVER_GET_IFACE (self)->name ? GH_DRIVER_GET_IFACE (self)->name : "unnamed";
}

/**
 * gh_driver_get_config:
 *
 * Returns: (transfer none): the device config; stays valid while the driver lives
 */
const GhDeviceConfig *
gh_driver_get_config (GhDriver *self)
{
  GhDeviceConfig *config = NULL;
  const GhDeviceConfig *kept;

  g_return_val_if_fail (GH_IS_DRIVER (self), NULL);

  kept = g_object_get_data (G_OBJECT (self), "gh-driver-config");
  if (kept != NULL)
    return kept;
  g_object_get (self, "config", &config, NULL);
  g_object_set_data_full (G_OBJECT (self), "gh-driver-config", config,
                          (GDestroyNotify) gh_device_config_free);
  return config;
}

/**
 * gh_driver_supports:
 * @ability: an ability interface type such as %GH_TYPE_DOOR_CONTROL
 *
 * Returns: whether the driver implements @ability. A driver may still answer
 *   %GH_ERROR_NOT_SUPPORTED for a device model that lacks it.
 */
gboolean
gh_driver_supports (GhDriver *self,
                    GType     ability)
{
  g_return_val_if_fail (GH_IS_DRIVER (self), FALSE);

  return G_TYPE_CHECK_INSTANCE_TYPE (self, ability);
}

void
gh_driver_report_not_supported (gpointer             driver,
                                gpointer             source_tag,
                                const char          *ability,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_DRIVER (driver));

  task = g_task_new (driver, NULL, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_return_new_error (task, GH_ERROR, GH_ERROR_NOT_SUPPORTED,
                           "%s is not supported by the %s driver", ability,
                           gh_driver_get_name (driver));
}

gboolean
gh_driver_propagate_boolean (gpointer       driver,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, driver), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gpointer
gh_driver_propagate_pointer (gpointer       driver,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, driver), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gh_driver_emit_event:
 *
 * Emits #GhDriver::event. For implementations.
 */
void
gh_driver_emit_event (GhDriver *self,
                      GhEvent  *event)
{
  g_return_if_fail (GH_IS_DRIVER (self));
  g_return_if_fail (event != NULL);

  g_signal_emit (self, signals[EVENT], 0, event);
}

void
gh_driver_probe_async (GhDriver            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GhDriverInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (self));

  iface = GH_DRIVER_GET_IFACE (self);
  if (iface->probe_async == NULL)
    gh_driver_report_not_supported (self, gh_driver_probe_async, "Probing", callback, user_data);
  else
    iface->probe_async (self, cancellable, callback, user_data);
}

/**
 * gh_driver_probe_finish:
 *
 * Returns: (transfer full): what the device says about itself, or %NULL with an error
 */
GhProbeInfo *
gh_driver_probe_finish (GhDriver      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return gh_driver_propagate_pointer (self, result, error);
}

/**
 * gh_driver_start_events:
 *
 * Starts the event subscription. The driver keeps it alive (reconnecting with backoff) and
 * reports connection changes as events until gh_driver_stop_events().
 */
gboolean
gh_driver_start_events (GhDriver  *self,
                        GError   **error)
{
  GhDriverInterface *iface;

  g_return_val_if_fail (GH_IS_DRIVER (self), FALSE);

  iface = GH_DRIVER_GET_IFACE (self);
  if (iface->start_events == NULL) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED,
                 "Event subscription is not supported by the %s driver",
                 gh_driver_get_name (self));
    return FALSE;
  }
  return iface->start_events (self, error);
}

void
gh_driver_stop_events (GhDriver *self)
{
  GhDriverInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (self));

  iface = GH_DRIVER_GET_IFACE (self);
  if (iface->stop_events != NULL)
    iface->stop_events (self);
}

void
gh_driver_sync_time_async (GhDriver            *self,
                           GDateTime           *now,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GhDriverInterface *iface;

  g_return_if_fail (GH_IS_DRIVER (self));
  g_return_if_fail (now != NULL);

  iface = GH_DRIVER_GET_IFACE (self);
  if (iface->sync_time_async == NULL)
    gh_driver_report_not_supported (self, gh_driver_sync_time_async, "Time synchronisation",
                                    callback, user_data);
  else
    iface->sync_time_async (self, now, cancellable, callback, user_data);
}

gboolean
gh_driver_sync_time_finish (GhDriver      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return gh_driver_propagate_boolean (self, result, error);
}
