/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sync-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-sync-engine.h"

#include "gh-device-secrets.h"
#include "gh-device-store.h"
#include "gh-driver-types.h"
#include "gh-error.h"
#include "gh-key-store.h"
#include "gh-notice-board.h"
#include "gh-dial-plan.h"
#include "gh-person-sync.h"

/**
 * GhSyncEngine:
 *
 * Pushes to devices what they should hold (see #GhSyncPlan): personnel with cards, password,
 * faces and fingerprints; rooms' unlock passwords; registration numbers; notices.
 *
 * Everything runs on the thread-default main context: every device with due tasks gets a
 * worker (at most #GhSyncEngine:max-devices at once) that claims up to
 * #GhSyncEngine:batch-size tasks, sends them through the device's driver in as few requests
 * as the driver allows, and records the outcome before claiming the next batch. So devices
 * progress concurrently and each device sees one batch at a time.
 *
 * A failed batch waits for an exponential backoff with jitter; if the device itself is the
 * problem (unreachable, too slow, login refused) its other due tasks wait as well, with the
 * same reason, instead of failing one request at a time. The queue and the ledger live in the
 * database, so a new engine on a reopened database continues where the last one stopped.
 *
 * gh_sync_engine_run_async() works until nothing is due (the queue is empty or every
 * remaining task waits for its backoff). gh_sync_engine_start() keeps working: it re-plans
 * when the database changes and wakes up when the next backoff ends.
 */
struct _GhSyncEngine
{
  GObject        parent_instance;

  GhDatabase    *database;     /* (owned) */
  GhSession     *session;      /* (owned) */
  GhSyncPlan    *plan;         /* (owned) */
  GhDeviceStore *devices;      /* (owned) */
  GHashTable    *drivers;      /* (owned) gint64* → GhDriver (owned) */
  GHashTable    *pinned;       /* (owned) gint64* set: drivers given with set_driver() */
  GHashTable    *workers;      /* (owned) gint64* → Worker (owned) */
  GHashTable    *given_up;     /* (owned) gint64* set: devices deferred during this drain */
  GQueue         queue;        /* (owned) gint64* waiting for a worker */
  GPtrArray     *waiters;      /* (owned) GTask of gh_sync_engine_run_async() */
  GPtrArray     *links;        /* (owned) CancelLink: callers' cancellables */
  GCancellable  *cancellable;  /* (owned) cancels driver calls */

  guint          batch_size;
  guint          max_devices;
  guint          backoff_base;
  guint          backoff_max;
  guint          request_timeout_ms;
  guint          plan_interval;
  gint64         last_plan;    /* monotonic µs */
  gint64         plan_started; /* monotonic µs */
  gint64         plan_time;    /* µs the last plan took */

  gboolean       planning;     /* a plan runs on its thread */
  GHashTable    *planned;      /* (owned) gint64* set: devices that plan has saved so far */
  gboolean       dirty;        /* the database changed since the last plan */
  gint64         seen_changes; /* the change count the last plan read */
  struct _Writer *writer;      /* (owned) (nullable) records outcomes and claims */
  gboolean       writer_off;   /* its connection failed: the main connection writes instead */
  gboolean       draining;
  gboolean       started;
  guint          wake_id;
  gulong         changed_id;
  GError        *drain_error;  /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (GhSyncEngine, gh_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BATCH_SIZE,
  PROP_MAX_DEVICES,
  PROP_BACKOFF_BASE,
  PROP_BACKOFF_MAX,
  PROP_REQUEST_TIMEOUT_MS,
  PROP_PLAN_INTERVAL,
  N_PROPS
};

enum {
  PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef enum {
  OP_NONE,
  OP_PUSH_PERSONS,
  OP_REMOVE_PERSONS,
  OP_ROOM_PASSWORD,
  OP_REGISTRATIONS,
  OP_NOTICE,
} Op;

typedef struct {
  GPtrArray *items;    /* (owned) GhSyncItem */
  GPtrArray *persons;  /* (owned) GhDevicePerson, in the order of @items */
} Part;

typedef struct {
  GhSyncEngine *engine;     /* (owned) keeps the engine alive while a call is out */
  gint64        device_id;
  GhDriver     *driver;     /* (owned) */
  GPtrArray    *claimed;    /* (owned) GhSyncItem not yet sent */
  GPtrArray    *group;      /* (owned) GhSyncItem being sent */
  GPtrArray    *persons;    /* (owned) (nullable) the GhDevicePerson of @group being pushed */
  GQueue        parts;      /* (owned) Part: halves of a refused person batch still to send */
  Op            op;
} Worker;

typedef struct {
  GCancellable *cancellable;  /* (owned) */
  gulong        handler;
} CancelLink;

/* Claims and outcomes of the workers' batches go through one thread with its own
 * connection, when the database is a file: recording outcomes was the largest part of the
 * main loop's work in a push to many devices, and every device's next request waited for
 * the main loop. Jobs run in the order they come; a worker waits for its job's result. */
typedef struct _Writer {
  GAsyncQueue  *jobs;     /* (owned) WriteJob, or writer_stop */
  GThread      *thread;   /* (owned) */
  char         *path;     /* (owned) */
  GhKeyStore   *keys;     /* (owned) (nullable) */
  GhSession    *session;  /* (owned) */
  GhSyncPlan   *shared;   /* (owned) the engine's plan, whose leases the writer's plan shares */
  GMainContext *context;  /* (owned) where results are handed back */
} Writer;

typedef struct {
  Worker    *worker;    /* on the engine's context only */
  gint64     device_id;
  GPtrArray *finish;    /* (owned) (nullable) GhSyncItem whose outcome to record */
  char      *failure;   /* (owned) (nullable) */
  gint64     retry_at;
  guint      claim;     /* then claim up to this many tasks; 0 for none */
  gint64     now;
  gboolean   finished;  /* the outcome was recorded */
  gboolean   on_writer; /* ran on the writer's thread */
  GPtrArray *claimed;   /* (owned) (nullable) */
  GError    *error;     /* (owned) (nullable) */
} WriteJob;

/* Tells the writer's thread to end. */
static WriteJob writer_stop;

static void drain_next     (GhSyncEngine *self);
static void worker_next    (Worker       *w);

static void
cancel_link_free (CancelLink *link)
{
  g_cancellable_disconnect (link->cancellable, link->handler);
  g_object_unref (link->cancellable);
  g_free (link);
}

static gboolean
is_file (const char *path)
{
  return path != NULL && *path != '\0' && g_strcmp0 (path, ":memory:") != 0 &&
         !g_str_has_prefix (path, "file:");
}

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gint64 *
id_dup (gint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

static int
id_compare (const gint64 *a,
            const gint64 *b)
{
  return *a < *b ? -1 : *a > *b;
}

static void
part_free (Part *part)
{
  g_ptr_array_unref (part->items);
  g_ptr_array_unref (part->persons);
  g_free (part);
}

static void
worker_free (Worker *w)
{
  g_clear_object (&w->engine);
  g_clear_object (&w->driver);
  g_clear_pointer (&w->claimed, g_ptr_array_unref);
  g_clear_pointer (&w->group, g_ptr_array_unref);
  g_clear_pointer (&w->persons, g_ptr_array_unref);
  g_queue_clear_full (&w->parts, (GDestroyNotify) part_free);
  g_free (w);
}

static gint64
retry_at (GhSyncEngine *self,
          int           attempts)
{
  double delay = self->backoff_base;

  for (int i = 0; i < attempts && delay < self->backoff_max; i++)
    delay *= 2;
  delay = MIN (delay, (double) self->backoff_max);
  /* ±25 % jitter, so devices that failed together do not come back together */
  delay *= g_random_double_range (0.75, 1.25);
  return now_s () + MAX (1, (gint64) (delay + 0.5));
}

static gboolean
is_device_error (const GError *error)
{
  return g_error_matches (error, GH_ERROR, GH_ERROR_UNREACHABLE) ||
         g_error_matches (error, GH_ERROR, GH_ERROR_TIMED_OUT) ||
         g_error_matches (error, GH_ERROR, GH_ERROR_AUTH_FAILED) ||
         g_error_matches (error, GH_ERROR, GH_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The device refused what was sent (a value it does not accept), not the request as such:
 * the other objects of the batch may be fine. */
static gboolean
is_refusal (const GError *error)
{
  return g_error_matches (error, GH_ERROR, GH_ERROR_INVALID_INPUT) ||
         g_error_matches (error, GH_ERROR, GH_ERROR_EXISTS);
}

static void
card_free (GhDeviceCard *card)
{
  /* Not gh_device_card_free(): the store has a function of that name too. */
  g_free (card->number);
  g_free (card);
}

static GhDevicePerson *
person_from_data (const GhSyncPersonData *data,
                  guint32                 doors)
{
  GhDevicePerson *p = g_new0 (GhDevicePerson, 1);

  p->id = g_strdup (data->person_key);
  p->name = g_strdup (data->name);
  p->room = g_strdup (data->room);
  p->valid_from = data->valid_from;
  p->valid_to = data->valid_to;
  p->password = g_strdup (data->password);
  p->doors = doors;
  p->cards = g_ptr_array_new_with_free_func ((GDestroyNotify) card_free);
  for (guint i = 0; i < data->cards->len; i++) {
    const GhSyncCardData *c = g_ptr_array_index (data->cards, i);
    GhDeviceCard *card = g_new0 (GhDeviceCard, 1);

    card->number = g_strdup (c->number);
    card->kind = g_strcmp0 (c->kind, "duress") == 0 ? GH_CARD_KIND_DURESS :
                 g_strcmp0 (c->kind, "main") == 0 ? GH_CARD_KIND_MAIN : GH_CARD_KIND_ORDINARY;
    card->lost = c->frozen;
    g_ptr_array_add (p->cards, card);
  }
  p->faces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < data->faces->len; i++)
    g_ptr_array_add (p->faces, g_bytes_ref (g_ptr_array_index (data->faces, i)));
  p->fingerprints = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < data->fingerprints->len; i++)
    g_ptr_array_add (p->fingerprints, g_bytes_ref (g_ptr_array_index (data->fingerprints, i)));
  return p;
}

static GhDriver *
dup_driver (GhSyncEngine  *self,
            gint64         device_id,
            GError       **error)
{
  g_autoptr(GhDevice) device = NULL;
  g_autoptr(GhDeviceConfig) config = NULL;
  GhDriver *driver = g_hash_table_lookup (self->drivers, &device_id);

  if (driver != NULL)
    return g_object_ref (driver);

  device = gh_device_store_get (self->devices, device_id, error);
  if (device == NULL)
    return NULL;
  config = gh_device_config_new_for_device (self->database, self->session, device, error);
  if (config == NULL)
    return NULL;
  config->timeout_ms = self->request_timeout_ms;
  driver = gh_driver_new (config, error);
  if (driver == NULL) {
    g_prefix_error (error, _("Device “%s”: "), gh_device_get_name (device));
    return NULL;
  }
  g_hash_table_insert (self->drivers, id_dup (device_id), g_object_ref (driver));
  return driver;
}

/* Builds the drivers of @device_id (0: of every device) again from the stored settings when
 * next needed, except those given with gh_sync_engine_set_driver(). A worker keeps its own
 * reference to the driver it uses. */
static void
forget_drivers (GhSyncEngine *self,
                gint64        device_id)
{
  GHashTableIter iter;
  gint64 *key;

  g_hash_table_iter_init (&iter, self->drivers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if ((device_id == 0 || *key == device_id) && !g_hash_table_contains (self->pinned, key))
      g_hash_table_iter_remove (&iter);
}

/* @items were recorded as sent, or as failed with @failure. */
static void
emit_progress (GhSyncEngine *self,
               gint64        device_id,
               GPtrArray    *items,
               const char   *failure)
{
  g_signal_emit (self, signals[PROGRESS], 0, device_id, failure ? 0u : items->len,
                 failure ? items->len : 0u);
}

/* Records the outcome of @items; a storage failure ends the drain with that error. */
static gboolean
finish_items (GhSyncEngine *self,
              gint64        device_id,
              GPtrArray    *items,
              const char   *failure,
              gint64        when)
{
  g_autoptr(GError) error = NULL;

  if (items == NULL || items->len == 0)
    return TRUE;
  if (!gh_sync_plan_finish (self->plan, self->session, items, failure, when, &error)) {
    g_warning ("Could not record the outcome of %u pushes: %s", items->len, error->message);
    if (self->drain_error == NULL)
      self->drain_error = g_steal_pointer (&error);
    return FALSE;
  }
  emit_progress (self, device_id, items, failure);
  return TRUE;
}

static GhDatabase *
open_connection (const char  *path,
                 GhKeyStore  *keys,
                 GError     **error)
{
  return keys ? gh_key_store_open_database (keys, path, error) : gh_database_open (path, error);
}

static void
write_job_free (WriteJob *job)
{
  g_clear_pointer (&job->finish, g_ptr_array_unref);
  g_clear_pointer (&job->claimed, g_ptr_array_unref);
  g_clear_error (&job->error);
  g_free (job->failure);
  g_free (job);
}

static gboolean write_job_done_cb (gpointer user_data);

/* On the writer's thread. */
static void
write_job_run (WriteJob   *job,
               GhSyncPlan *plan,
               GhSession  *session)
{
  if (job->finish != NULL && !job->finished) {
    job->finished = gh_sync_plan_finish (plan, session, job->finish, job->failure,
                                         job->retry_at, &job->error);
    if (!job->finished)
      return;
  }
  if (job->claim > 0)
    job->claimed = gh_sync_plan_claim (plan, session, job->device_id, job->now, job->claim,
                                       &job->error);
}

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncPlan) plan = NULL;
  g_autoptr(GError) open_error = NULL;
  WriteJob *job;

  database = open_connection (writer->path, writer->keys, &open_error);
  if (database != NULL)
    plan = gh_sync_plan_new_sharing (database, writer->shared);
  while ((job = g_async_queue_pop (writer->jobs)) != &writer_stop) {
    if (plan != NULL)
      write_job_run (job, plan, writer->session);
    else
      job->error = g_error_copy (open_error);
    g_main_context_invoke_full (writer->context, G_PRIORITY_DEFAULT, write_job_done_cb, job,
                                NULL);
  }
  return NULL;
}

static Writer *
writer_new (GhSyncEngine *self)
{
  Writer *writer = g_new0 (Writer, 1);
  GhKeyStore *keys = gh_key_store_get_for_database (self->database);

  writer->jobs = g_async_queue_new ();
  writer->path = g_strdup (gh_database_get_path (self->database));
  writer->keys = keys ? g_object_ref (keys) : NULL;
  writer->session = g_object_ref (self->session);
  writer->shared = g_object_ref (self->plan);
  writer->context = g_main_context_ref_thread_default ();
  writer->thread = g_thread_new ("gh-sync-writer", writer_thread, writer);
  return writer;
}

/* Only when no job is out: every job holds a worker, and every worker the engine. */
static void
writer_free (Writer *writer)
{
  g_async_queue_push (writer->jobs, &writer_stop);
  g_thread_join (writer->thread);
  g_async_queue_unref (writer->jobs);
  g_main_context_unref (writer->context);
  g_clear_object (&writer->shared);
  g_clear_object (&writer->session);
  g_clear_object (&writer->keys);
  g_free (writer->path);
  g_free (writer);
}

/* Records the outcome of @finish (nullable, taken) and claims the device's next batch if
 * @claim, on the writer's thread when there is one; write_job_done_cb() goes on. */
static void
worker_write (Worker     *w,
              GPtrArray  *finish,
              const char *failure,
              gint64      retry_at,
              gboolean    claim)
{
  GhSyncEngine *self = w->engine;
  WriteJob *job = g_new0 (WriteJob, 1);

  job->worker = w;
  job->device_id = w->device_id;
  job->finish = finish;
  job->failure = g_strdup (failure);
  job->retry_at = retry_at;
  job->claim = claim ? self->batch_size : 0;
  job->now = now_s ();
  if (self->writer != NULL && !self->writer_off) {
    job->on_writer = TRUE;
    g_async_queue_push (self->writer->jobs, job);
    return;
  }
  /* the same contract without a thread: the result comes from the main loop, so a long run
   * of batches that need no request does not nest calls */
  write_job_run (job, self->plan, self->session);
  {
    g_autoptr(GSource) source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_callback (source, write_job_done_cb, job, NULL);
    g_source_attach (source, g_main_context_get_thread_default ());
  }
}

static int
max_attempts (GPtrArray *items)
{
  int n = 0;

  for (guint i = 0; items != NULL && i < items->len; i++)
    n = MAX (n, ((GhSyncItem *) g_ptr_array_index (items, i))->attempts);
  return n;
}

static void
worker_end (Worker *w)
{
  g_autoptr(GhSyncEngine) self = g_object_ref (w->engine);

  gh_sync_plan_release (self->plan, w->device_id);
  /* frees @w */
  g_hash_table_remove (self->workers, &w->device_id);
  drain_next (self);
}

/* The device failed as a whole: the batch, the rest of the claim and its other due tasks
 * wait for the backoff with @reason. */
static void
worker_give_up (Worker     *w,
                const char *reason)
{
  GhSyncEngine *self = w->engine;
  int attempts = MAX (max_attempts (w->group), max_attempts (w->claimed));
  gboolean cancelled = g_cancellable_is_cancelled (self->cancellable);
  /* interrupted, not failed: due again at once */
  gint64 when = cancelled ? now_s () : retry_at (self, attempts);
  g_autoptr(GError) error = NULL;

  finish_items (self, w->device_id, w->group, reason, when);
  finish_items (self, w->device_id, w->claimed, reason, when);
  g_clear_pointer (&w->group, g_ptr_array_unref);
  g_clear_pointer (&w->claimed, g_ptr_array_unref);
  if (!cancelled &&
      gh_sync_plan_defer_device (self->plan, self->session, w->device_id, now_s (), reason, when,
                                 &error) == 0 && error != NULL)
    g_warning ("Could not defer the pushes of device %" G_GINT64_FORMAT ": %s", w->device_id,
               error->message);
  g_hash_table_add (self->given_up, id_dup (w->device_id));
  /* its address or password may have been changed where this process did not see it (another
   * program): the next attempt reads them again */
  forget_drivers (self, w->device_id);
  worker_end (w);
}

/* The halves still waiting go back into w->group, so that giving up covers them too. */
static void
merge_parts (Worker *w)
{
  Part *part;

  while ((part = g_queue_pop_head (&w->parts)) != NULL) {
    for (guint i = 0; i < part->items->len; i++)
      g_ptr_array_add (w->group, g_steal_pointer (&part->items->pdata[i]));
    g_ptr_array_set_free_func (part->items, NULL);
    part_free (part);
  }
}

/* Splits the refused w->group in two halves queued before the other waiting parts. */
static void
split_group (Worker *w)
{
  guint half = w->group->len / 2;

  for (int h = 1; h >= 0; h--) {
    Part *part = g_new0 (Part, 1);
    guint from = h == 0 ? 0 : half;
    guint to = h == 0 ? half : w->group->len;

    part->items = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_sync_item_free);
    part->persons = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_person_free);
    for (guint i = from; i < to; i++) {
      g_ptr_array_add (part->items, g_steal_pointer (&w->group->pdata[i]));
      g_ptr_array_add (part->persons, g_steal_pointer (&w->persons->pdata[i]));
    }
    g_queue_push_head (&w->parts, part);
  }
  g_clear_pointer (&w->group, g_ptr_array_unref);
  g_clear_pointer (&w->persons, g_ptr_array_unref);
}

static void op_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data);

static void
send_persons (Worker *w)
{
  gh_person_sync_push_persons_async (w->driver, w->persons, w->engine->cancellable,
                                     op_done_cb, w);
}

/* Sends the next half of a refused person batch. */
static void
send_part (Worker *w)
{
  Part *part = g_queue_pop_head (&w->parts);

  g_assert (w->group == NULL);
  w->group = g_steal_pointer (&part->items);
  w->persons = g_steal_pointer (&part->persons);
  g_free (part);
  if (g_cancellable_is_cancelled (w->engine->cancellable)) {
    merge_parts (w);
    worker_give_up (w, _("Stopped before the push was sent"));
    return;
  }
  send_persons (w);
}

/* Persons whose ID changed since they were last sent: the old user goes once the new one is
 * there (best effort; the ledger now holds the new ID). */
static void
remove_renamed (Worker *w)
{
  g_autoptr(GStrvBuilder) old = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  gboolean any = FALSE;

  for (guint i = 0; i < w->group->len; i++) {
    GhSyncItem *item = g_ptr_array_index (w->group, i);

    if (item->ledger_key != NULL && g_strcmp0 (item->ledger_key, item->device_key) != 0) {
      g_strv_builder_add (old, item->ledger_key);
      any = TRUE;
    }
  }
  strv = g_strv_builder_end (old);
  if (any)
    gh_person_sync_remove_persons_async (w->driver, (const char * const *) strv, NULL, NULL,
                                         NULL);
}

static void
op_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Worker *w = user_data;
  GhSyncEngine *self = w->engine;
  GhDriver *driver = GH_DRIVER (source);
  GhSyncItem *first = g_ptr_array_index (w->group, 0);
  gboolean removing = first->action == GH_SYNC_ACTION_DELETE;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  gint64 when = 0;
  gboolean ok;

  switch (w->op) {
  case OP_PUSH_PERSONS:
    ok = gh_person_sync_push_persons_finish (driver, result, &error);
    break;
  case OP_REMOVE_PERSONS:
    ok = gh_person_sync_remove_persons_finish (driver, result, &error);
    break;
  case OP_ROOM_PASSWORD:
    ok = gh_dial_plan_set_room_password_finish (driver, result, &error);
    break;
  case OP_REGISTRATIONS:
    ok = removing ? gh_dial_plan_remove_registrations_finish (driver, result, &error)
                  : gh_dial_plan_push_registrations_finish (driver, result, &error);
    break;
  case OP_NOTICE:
    ok = removing ? gh_notice_board_withdraw_notice_finish (driver, result, &error)
                  : gh_notice_board_push_notice_finish (driver, result, &key, &error);
    break;
  case OP_NONE:
  default:
    g_assert_not_reached ();
  }

  if (ok && w->op == OP_PUSH_PERSONS)
    remove_renamed (w);
  if (ok && key != NULL) {
    /* the device's own name for the notice goes into the ledger, for a later replace or
     * withdrawal */
    g_free (first->device_key);
    first->device_key = g_steal_pointer (&key);
  }

  if (!ok && is_device_error (error)) {
    merge_parts (w);
    worker_give_up (w, error->message);
    return;
  }
  if (!ok && w->op == OP_PUSH_PERSONS && is_refusal (error) && w->group->len > 1) {
    /* Find the persons the device refuses: send each half again, down to single persons,
     * so the others arrive (at most log2 (batch) extra rounds per refused person). */
    g_debug ("Device %" G_GINT64_FORMAT " refused %u persons (%s); splitting the batch",
             w->device_id, w->group->len, error->message);
    split_group (w);
    send_part (w);
    return;
  }
  if (!ok) {
    /* an ability the driver lacks will not appear by itself: try again only rarely */
    when = g_error_matches (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED)
             ? now_s () + self->backoff_max : retry_at (self, max_attempts (w->group));
  }
  g_clear_pointer (&w->persons, g_ptr_array_unref);
  /* the next batch is claimed with this one's outcome, unless there is more to send */
  worker_write (w, g_steal_pointer (&w->group), ok ? NULL : error->message, when,
                g_queue_is_empty (&w->parts) && (w->claimed == NULL || w->claimed->len == 0));
}

/* On the engine's context: a worker's write is done. */
static gboolean
write_job_done_cb (gpointer user_data)
{
  WriteJob *job = user_data;
  Worker *w = job->worker;
  GhSyncEngine *self = w->engine;
  gboolean nothing_due = FALSE;

  if (job->error != NULL && job->on_writer) {
    /* Each transaction failed as a whole (rolled back), so the job can run again. A second
     * connection is an optimisation: this and later jobs use the main one. */
    if (!self->writer_off)
      g_message ("The sync engine's writer connection failed (%s); recording on the main "
                 "connection from now on", job->error->message);
    self->writer_off = TRUE;
    job->on_writer = FALSE;
    g_clear_error (&job->error);
    write_job_run (job, self->plan, self->session);
  }
  if (job->error != NULL) {
    g_warning ("Could not %s pushes for device %" G_GINT64_FORMAT ": %s",
               job->finish != NULL && !job->finished ? "record the outcome of" : "claim",
               w->device_id, job->error->message);
    if (self->drain_error == NULL)
      self->drain_error = g_steal_pointer (&job->error);
    write_job_free (job);
    worker_end (w);
    return G_SOURCE_REMOVE;
  }
  if (job->finish != NULL)
    emit_progress (self, w->device_id, job->finish, job->failure);
  /* a claim is asked for only when no halves of a refused batch wait in w->parts */
  if (job->claim > 0) {
    g_clear_pointer (&w->claimed, g_ptr_array_unref);
    w->claimed = g_steal_pointer (&job->claimed);
    nothing_due = w->claimed->len == 0;
  }
  write_job_free (job);
  if (nothing_due)
    worker_end (w);
  else if (!g_queue_is_empty (&w->parts))
    send_part (w);
  else
    worker_next (w);
  return G_SOURCE_REMOVE;
}

/* Moves the claimed items of the first item's kind and action (all of them if the driver
 * takes a list, else just that one) into w->group and says which call sends them. */
static Op
take_group (Worker *w)
{
  GhSyncItem *first = g_ptr_array_index (w->claimed, 0);
  g_autofree char *kind = g_strdup (first->object_kind);
  GhSyncAction action = first->action;
  gboolean list;
  Op op;

  if (action == GH_SYNC_ACTION_NONE)
    op = OP_NONE;
  else if (g_str_equal (kind, "person"))
    op = action == GH_SYNC_ACTION_UPSERT ? OP_PUSH_PERSONS : OP_REMOVE_PERSONS;
  else if (g_str_equal (kind, "room-password"))
    op = OP_ROOM_PASSWORD;
  else if (g_str_equal (kind, "registration-number"))
    op = OP_REGISTRATIONS;
  else if (g_str_equal (kind, "notice"))
    op = OP_NOTICE;
  else
    op = OP_NONE;
  list = op == OP_NONE || op == OP_PUSH_PERSONS || op == OP_REMOVE_PERSONS ||
         op == OP_REGISTRATIONS;

  w->group = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_sync_item_free);
  for (guint i = 0; i < w->claimed->len;) {
    GhSyncItem *item = g_ptr_array_index (w->claimed, i);

    if (g_str_equal (item->object_kind, kind) && item->action == action &&
        (list || w->group->len == 0)) {
      g_ptr_array_add (w->group, g_ptr_array_steal_index (w->claimed, i));
    } else {
      i++;
    }
  }
  return op;
}

/* Fails the items of w->group that @loaded (objects with an object_id as first field) lacks:
 * they vanished after the plan; the next plan turns them into deletes. */
static gboolean
drop_vanished (Worker    *w,
               GPtrArray *loaded)
{
  g_autoptr(GHashTable) present = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_sync_item_free);

  for (guint i = 0; i < loaded->len; i++)
    g_hash_table_add (present, g_ptr_array_index (loaded, i));  /* object_id leads each struct */
  for (guint i = 0; i < w->group->len;) {
    GhSyncItem *item = g_ptr_array_index (w->group, i);

    if (!g_hash_table_contains (present, &item->object_id))
      g_ptr_array_add (gone, g_ptr_array_steal_index (w->group, i));
    else
      i++;
  }
  return finish_items (w->engine, w->device_id, gone,
                       _("The object was removed before it could be sent"), now_s () + 1);
}

static void
worker_next (Worker *w)
{
  GhSyncEngine *self = w->engine;
  g_autoptr(GError) error = NULL;

  for (;;) {
    g_autoptr(GPtrArray) loaded = NULL;
    GhSyncItem *first;

    if (g_cancellable_is_cancelled (self->cancellable)) {
      worker_give_up (w, _("Stopped before the push was sent"));
      return;
    }
    if (w->claimed == NULL || w->claimed->len == 0) {
      worker_write (w, NULL, NULL, 0, TRUE);
      return;
    }

    w->op = take_group (w);
    first = g_ptr_array_index (w->group, 0);
    switch (w->op) {
    case OP_NONE:
      /* Nothing to send (already absent, or a kind this engine does not push). */
      if (!finish_items (self, w->device_id, w->group, NULL, 0)) {
        worker_end (w);
        return;
      }
      g_clear_pointer (&w->group, g_ptr_array_unref);
      continue;

    case OP_PUSH_PERSONS: {
      g_autoptr(GPtrArray) persons = NULL;

      loaded = gh_sync_plan_load_persons (self->plan, w->group, &error);
      if (loaded == NULL || !drop_vanished (w, loaded))
        break;
      persons = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_person_free);
      for (guint i = 0; i < loaded->len; i++) {
        GhSyncPersonData *data = g_ptr_array_index (loaded, i);
        GhSyncItem *item = g_ptr_array_index (w->group, i);

        g_ptr_array_add (persons, person_from_data (data, item->doors));
        if (g_strcmp0 (item->device_key, data->person_key) != 0) {
          /* renamed since the plan: send the current ID, remember it for the ledger */
          g_free (item->device_key);
          item->device_key = g_strdup (data->person_key);
        }
      }
      if (persons->len == 0) {
        g_clear_pointer (&w->group, g_ptr_array_unref);
        continue;
      }
      w->persons = g_steal_pointer (&persons);
      send_persons (w);
      return;
    }

    case OP_REMOVE_PERSONS: {
      g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;

      for (guint i = 0; i < w->group->len; i++)
        g_strv_builder_add (ids, ((GhSyncItem *) g_ptr_array_index (w->group, i))->device_key);
      strv = g_strv_builder_end (ids);
      gh_person_sync_remove_persons_async (w->driver, (const char * const *) strv,
                                           self->cancellable, op_done_cb, w);
      return;
    }

    case OP_ROOM_PASSWORD: {
      const char *password = "";

      if (first->action == GH_SYNC_ACTION_UPSERT) {
        loaded = gh_sync_plan_load_room_passwords (self->plan, w->group, &error);
        if (loaded == NULL || !drop_vanished (w, loaded))
          break;
        if (loaded->len == 0) {
          g_clear_pointer (&w->group, g_ptr_array_unref);
          continue;
        }
        password = ((GhSyncRoomPasswordData *) g_ptr_array_index (loaded, 0))->password;
      }
      /* Removing a room's password sends an empty one. */
      gh_dial_plan_set_room_password_async (w->driver, first->device_key, password,
                                            self->cancellable, op_done_cb, w);
      return;
    }

    case OP_REGISTRATIONS: {
      g_autoptr(GPtrArray) regs = NULL;

      if (first->action == GH_SYNC_ACTION_DELETE) {
        g_autoptr(GStrvBuilder) numbers = g_strv_builder_new ();
        g_auto(GStrv) strv = NULL;

        for (guint i = 0; i < w->group->len; i++)
          g_strv_builder_add (numbers,
                              ((GhSyncItem *) g_ptr_array_index (w->group, i))->device_key);
        strv = g_strv_builder_end (numbers);
        gh_dial_plan_remove_registrations_async (w->driver, (const char * const *) strv,
                                                 self->cancellable, op_done_cb, w);
        return;
      }
      loaded = gh_sync_plan_load_registrations (self->plan, w->group, &error);
      if (loaded == NULL || !drop_vanished (w, loaded))
        break;
      if (loaded->len == 0) {
        g_clear_pointer (&w->group, g_ptr_array_unref);
        continue;
      }
      regs = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_device_registration_free);
      for (guint i = 0; i < loaded->len; i++) {
        GhSyncRegistrationData *data = g_ptr_array_index (loaded, i);
        GhRegistrationKind kind = g_str_equal (data->kind, "vth") ? GH_REGISTRATION_ROOM :
                                  g_str_equal (data->kind, "vts") ? GH_REGISTRATION_MASTER_STATION :
                                  GH_REGISTRATION_DOOR_STATION;
        GhDeviceRegistration *r = gh_device_registration_new (kind, data->number);

        r->name = g_strdup (data->name);
        r->address = g_strdup (data->address);
        g_ptr_array_add (regs, r);
      }
      gh_dial_plan_push_registrations_async (w->driver, regs, self->cancellable, op_done_cb, w);
      return;
    }

    case OP_NOTICE: {
      GhSyncNoticeData *data;
      GhDeviceNotice notice = { 0 };

      if (first->action == GH_SYNC_ACTION_DELETE) {
        gh_notice_board_withdraw_notice_async (w->driver, first->device_key, self->cancellable,
                                               op_done_cb, w);
        return;
      }
      loaded = gh_sync_plan_load_notices (self->plan, w->group, &error);
      if (loaded == NULL || !drop_vanished (w, loaded))
        break;
      if (loaded->len == 0) {
        g_clear_pointer (&w->group, g_ptr_array_unref);
        continue;
      }
      data = g_ptr_array_index (loaded, 0);
      /* A stack notice: gh_device_notice_new() has a namesake in the store. */
      notice.title = data->title;
      notice.body = data->body;
      notice.issue_time = data->start_time;
      /* replace what the last push left on the device instead of adding a second notice */
      notice.device_key = first->ledger_key;
      gh_notice_board_push_notice_async (w->driver, &notice, self->cancellable, op_done_cb, w);
      return;
    }

    default:
      g_assert_not_reached ();
    }

    /* Reading the objects failed. */
    if (error != NULL) {
      g_warning ("Could not read the objects to push to device %" G_GINT64_FORMAT ": %s",
                 w->device_id, error->message);
      if (self->drain_error == NULL)
        self->drain_error = g_steal_pointer (&error);
    }
    worker_end (w);
    return;
  }
}

static void
worker_start (GhSyncEngine *self,
              gint64        device_id)
{
  g_autoptr(GError) error = NULL;
  Worker *w;
  GhDriver *driver = dup_driver (self, device_id, &error);

  if (driver == NULL) {
    gint64 when = now_s () + self->backoff_max;

    g_hash_table_add (self->given_up, id_dup (device_id));
    if (gh_sync_plan_defer_device (self->plan, self->session, device_id, now_s (),
                                   error->message, when, NULL) == 0)
      g_debug ("Nothing to defer for device %" G_GINT64_FORMAT, device_id);
    return;
  }
  w = g_new0 (Worker, 1);
  w->engine = g_object_ref (self);
  w->device_id = device_id;
  w->driver = driver;
  g_hash_table_insert (self->workers, id_dup (device_id), w);
  worker_next (w);
}

static void
drain_done (GhSyncEngine *self);

static void
drain_fill (GhSyncEngine *self)
{
  while (g_hash_table_size (self->workers) < MAX (1u, self->max_devices) &&
         !g_queue_is_empty (&self->queue)) {
    g_autofree gint64 *id = g_queue_pop_head (&self->queue);

    if (!g_hash_table_contains (self->workers, id))
      worker_start (self, *id);
  }
}

/* Queues the devices (or @device_id alone, if not 0) with due tasks that are neither working
 * nor given up in this drain. */
static guint
drain_queue_due (GhSyncEngine *self,
                 gint64        device_id)
{
  g_autoptr(GArray) due = NULL;
  g_autoptr(GError) error = NULL;
  guint added = 0;

  due = gh_sync_plan_list_due_devices (self->plan, device_id, now_s (), &error);
  if (due == NULL) {
    if (self->drain_error == NULL)
      self->drain_error = g_steal_pointer (&error);
    return 0;
  }
  for (guint i = 0; i < due->len; i++) {
    gint64 id = g_array_index (due, gint64, i);

    if (g_hash_table_contains (self->workers, &id) || g_hash_table_contains (self->given_up, &id))
      continue;
    /* while a plan runs, only the devices it has saved are resolved against it */
    if (self->planning && !g_hash_table_contains (self->planned, &id))
      continue;
    if (g_queue_find_custom (&self->queue, &id, (GCompareFunc) id_compare) != NULL)
      continue;
    g_queue_push_tail (&self->queue, id_dup (id));
    added++;
  }
  return added;
}

static void
drain_next (GhSyncEngine *self)
{
  if (!self->draining)
    return;
  drain_fill (self);
  /* a worker that ended at once may have finished the drain from within drain_fill() */
  if (!self->draining)
    return;
  /* the plan's end queues the devices it saved last */
  if (self->planning)
    return;
  if (g_hash_table_size (self->workers) > 0 || !g_queue_is_empty (&self->queue))
    return;
  /* Everything claimed is done: new work may have come due meanwhile. */
  if (self->drain_error == NULL && drain_queue_due (self, 0) > 0) {
    drain_fill (self);
    if (g_hash_table_size (self->workers) > 0)
      return;
  }
  drain_done (self);
}

static gboolean
wake_cb (gpointer user_data)
{
  GhSyncEngine *self = user_data;

  self->wake_id = 0;
  /* other programs (gatehousectl) change the database without this connection's signal */
  if (g_get_monotonic_time () - self->last_plan >= (gint64) self->plan_interval * G_USEC_PER_SEC)
    self->dirty = TRUE;
  if (!self->draining)
    gh_sync_engine_run_async (self, NULL, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_wake (GhSyncEngine *self,
               guint         ms)
{
  g_clear_handle_id (&self->wake_id, g_source_remove);
  self->wake_id = g_timeout_add (ms, wake_cb, self);
}

static void
drain_done (GhSyncEngine *self)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);
  g_autoptr(GError) error = g_steal_pointer (&self->drain_error);

  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_set_size (self->links, 0);
  self->draining = FALSE;
  g_hash_table_remove_all (self->given_up);
  if (g_cancellable_is_cancelled (self->cancellable))
    g_set_object (&self->cancellable, g_cancellable_new ());

  if (self->started) {
    gint64 next = gh_sync_plan_get_next_due (self->plan);

    if (self->dirty)
      schedule_wake (self, 200);
    else
      schedule_wake (self, (guint) CLAMP (next > 0 ? next - now_s () : G_MAXINT32, 1,
                                          MAX (1u, self->plan_interval)) * 1000);
  }

  for (guint i = 0; i < waiters->len; i++) {
    GTask *task = g_ptr_array_index (waiters, i);

    if (error != NULL)
      g_task_return_error (task, g_error_copy (error));
    else
      g_task_return_boolean (task, TRUE);
  }
}

static void
database_changed_cb (GhDatabase   *database,
                     const char   *topic,
                     GhSyncEngine *self)
{
  /* The engine's own writes (queue, ledger, audit) and fetched records do not change what
   * devices should hold. */
  if (gh_database_is_bookkeeping (topic))
    return;
  /* an address or password may have changed */
  if (g_strcmp0 (topic, "devices") == 0)
    forget_drivers (self, 0);
  self->dirty = TRUE;
  if (self->started && !self->draining)
    schedule_wake (self, 200);
}

typedef struct {
  char         *path;     /* (owned) */
  GhKeyStore   *keys;     /* (owned) (nullable) */
  GhSession    *session;  /* (owned) */
  GhSyncEngine *engine;   /* (owned) */
  GMainContext *context;  /* (owned) the engine's */
  gint64        planned_changes; /* the change count the plan read */
} PlanJob;

typedef struct {
  GhSyncEngine *engine;   /* (owned) */
  gint64        device_id;
} DevicePlanned;

static void
device_planned_free (DevicePlanned *planned)
{
  g_object_unref (planned->engine);
  g_free (planned);
}

/* On the engine's context: a device's plan is saved, so pushing to it may start while the
 * plan goes on with the others. */
static gboolean
device_planned_cb (gpointer user_data)
{
  DevicePlanned *planned = user_data;
  GhSyncEngine *self = planned->engine;

  if (!self->planning)
    return G_SOURCE_REMOVE;
  g_hash_table_add (self->planned, id_dup (planned->device_id));
  if (self->draining && self->drain_error == NULL &&
      drain_queue_due (self, planned->device_id) > 0)
    drain_fill (self);
  return G_SOURCE_REMOVE;
}

/* On the plan's thread. */
static void
plan_device_saved (gint64   device_id,
                   gpointer user_data)
{
  PlanJob *job = user_data;
  DevicePlanned *planned = g_new0 (DevicePlanned, 1);

  planned->engine = g_object_ref (job->engine);
  planned->device_id = device_id;
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, device_planned_cb, planned,
                              (GDestroyNotify) device_planned_free);
}

static void
plan_job_free (PlanJob *job)
{
  g_clear_object (&job->engine);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job->path);
  g_clear_object (&job->keys);
  g_clear_object (&job->session);
  g_free (job);
}

/* Plans on a worker thread with its own connection: for a large community the plan writes a
 * million rows, which must not stall the main loop. */
static void
plan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PlanJob *job = task_data;
  g_autoptr(GhDatabase) database = NULL;
  g_autoptr(GhSyncPlan) plan = NULL;
  GError *error = NULL;

  database = open_connection (job->path, job->keys, &error);
  if (database == NULL) {
    g_task_return_error (task, error);
    return;
  }
  plan = gh_sync_plan_new (database);
  if (!gh_sync_plan_compute (plan, job->session, 0, plan_device_saved, job, NULL, NULL, &error)) {
    g_task_return_error (task, error);
    return;
  }
  job->planned_changes = gh_sync_plan_get_planned_changes (plan);
  g_task_return_boolean (task, TRUE);
}

static void
planned_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GhSyncEngine *self = GH_SYNC_ENGINE (source);
  GError *error = NULL;

  self->planning = FALSE;
  self->plan_time = g_get_monotonic_time () - self->plan_started;
  g_hash_table_remove_all (self->planned);
  if (!g_task_propagate_boolean (G_TASK (result), &error)) {
    self->drain_error = error;
    self->dirty = TRUE;
  } else {
    PlanJob *job = g_task_get_task_data (G_TASK (result));

    self->last_plan = g_get_monotonic_time ();
    /* changes after the plan's snapshot make the next run plan again */
    self->seen_changes = job->planned_changes;
    drain_queue_due (self, 0);
  }
  drain_next (self);
}

static void
cancelled_cb (GCancellable *cancellable,
              GhSyncEngine *self)
{
  g_cancellable_cancel (self->cancellable);
}

static void
gh_sync_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GhSyncEngine *self = GH_SYNC_ENGINE (object);

  switch (prop_id) {
  case PROP_BATCH_SIZE:
    g_value_set_uint (value, self->batch_size);
    break;
  case PROP_MAX_DEVICES:
    g_value_set_uint (value, self->max_devices);
    break;
  case PROP_BACKOFF_BASE:
    g_value_set_uint (value, self->backoff_base);
    break;
  case PROP_BACKOFF_MAX:
    g_value_set_uint (value, self->backoff_max);
    break;
  case PROP_REQUEST_TIMEOUT_MS:
    g_value_set_uint (value, self->request_timeout_ms);
    break;
  case PROP_PLAN_INTERVAL:
    g_value_set_uint (value, self->plan_interval);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
set_uint (GhSyncEngine *self,
          guint        *field,
          guint         value,
          int           prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
gh_sync_engine_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GhSyncEngine *self = GH_SYNC_ENGINE (object);

  switch (prop_id) {
  case PROP_BATCH_SIZE:
    set_uint (self, &self->batch_size, g_value_get_uint (value), prop_id);
    break;
  case PROP_MAX_DEVICES:
    set_uint (self, &self->max_devices, g_value_get_uint (value), prop_id);
    break;
  case PROP_BACKOFF_BASE:
    set_uint (self, &self->backoff_base, g_value_get_uint (value), prop_id);
    break;
  case PROP_BACKOFF_MAX:
    set_uint (self, &self->backoff_max, g_value_get_uint (value), prop_id);
    break;
  case PROP_REQUEST_TIMEOUT_MS:
    set_uint (self, &self->request_timeout_ms, g_value_get_uint (value), prop_id);
    break;
  case PROP_PLAN_INTERVAL:
    set_uint (self, &self->plan_interval, g_value_get_uint (value), prop_id);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gh_sync_engine_dispose (GObject *object)
{
  GhSyncEngine *self = (GhSyncEngine *)object;

  gh_sync_engine_stop (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_signal_handler (&self->changed_id, self->database);
  g_clear_pointer (&self->workers, g_hash_table_unref);
  g_clear_pointer (&self->drivers, g_hash_table_unref);
  g_clear_pointer (&self->pinned, g_hash_table_unref);
  g_clear_pointer (&self->given_up, g_hash_table_unref);
  g_clear_pointer (&self->planned, g_hash_table_unref);
  g_queue_clear_full (&self->queue, g_free);
  g_clear_object (&self->plan);
  g_clear_object (&self->devices);
  g_clear_object (&self->session);
  g_clear_object (&self->database);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (gh_sync_engine_parent_class)->dispose (object);
}

static void
gh_sync_engine_finalize (GObject *object)
{
  GhSyncEngine *self = (GhSyncEngine *)object;

  g_clear_pointer (&self->writer, writer_free);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_clear_error (&self->drain_error);

  G_OBJECT_CLASS (gh_sync_engine_parent_class)->finalize (object);
}

static void
gh_sync_engine_class_init (GhSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gh_sync_engine_get_property;
  object_class->set_property = gh_sync_engine_set_property;
  object_class->dispose = gh_sync_engine_dispose;
  object_class->finalize = gh_sync_engine_finalize;

  /**
   * GhSyncEngine:batch-size:
   *
   * How many tasks of one device are claimed, loaded and recorded together (one transaction
   * each); the driver sends them in as many requests as its device takes.
   */
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", NULL, NULL, 1, 10000, 500,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GhSyncEngine:max-devices:
   *
   * How many devices are pushed to at the same time.
   */
  properties[PROP_MAX_DEVICES] =
    g_param_spec_uint ("max-devices", NULL, NULL, 1, 100000, 128,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GhSyncEngine:backoff-base:
   *
   * Seconds before the first retry; each further failure doubles it.
   */
  properties[PROP_BACKOFF_BASE] =
    g_param_spec_uint ("backoff-base", NULL, NULL, 1, 3600, 5,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GhSyncEngine:backoff-max:
   *
   * The longest wait between retries, in seconds.
   */
  properties[PROP_BACKOFF_MAX] =
    g_param_spec_uint ("backoff-max", NULL, NULL, 1, 86400, 600,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GhSyncEngine:request-timeout-ms:
   *
   * The time limit of one device request, 0 for the driver's default.
   */
  properties[PROP_REQUEST_TIMEOUT_MS] =
    g_param_spec_uint ("request-timeout-ms", NULL, NULL, 0, 600000, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GhSyncEngine:plan-interval:
   *
   * While started, plan again at least this often (seconds), for changes other programs made.
   */
  properties[PROP_PLAN_INTERVAL] =
    g_param_spec_uint ("plan-interval", NULL, NULL, 1, 86400, 60,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GhSyncEngine::progress:
   * @device_id: the device
   * @n_done: tasks the device took in this batch
   * @n_failed: tasks that failed (or wait for the device) in this batch
   *
   * A batch finished; gh_sync_engine_list_progress() has the totals.
   */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                    G_TYPE_INT64, G_TYPE_UINT, G_TYPE_UINT);
}

static void
gh_sync_engine_init (GhSyncEngine *self)
{
  self->drivers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->workers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         (GDestroyNotify) worker_free);
  self->given_up = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->planned = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->pinned = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_queue_init (&self->queue);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->links = g_ptr_array_new_with_free_func ((GDestroyNotify) cancel_link_free);
  self->cancellable = g_cancellable_new ();
  self->batch_size = 500;
  self->max_devices = 128;
  self->backoff_base = 5;
  self->backoff_max = 600;
  self->plan_interval = 60;
  self->dirty = TRUE;
  self->seen_changes = -1;
}

/**
 * gh_sync_engine_new:
 * @session: who pushes (needs %GH_PERMISSION_SYNC_RUN, and %GH_PERMISSION_DEVICES_WRITE to
 *   read device passwords); usually gh_session_new_system ("sync")
 */
GhSyncEngine *
gh_sync_engine_new (GhDatabase *database,
                    GhSession  *session)
{
  GhSyncEngine *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);
  g_return_val_if_fail (GH_IS_SESSION (session), NULL);

  self = g_object_new (GH_TYPE_SYNC_ENGINE, NULL);
  self->database = g_object_ref (database);
  self->session = g_object_ref (session);
  self->plan = gh_sync_plan_new (database);
  self->devices = gh_device_store_new (database);
  self->changed_id = g_signal_connect (database, "changed",
                                       G_CALLBACK (database_changed_cb), self);
  return self;
}

/**
 * gh_sync_engine_get_plan:
 *
 * Returns: (transfer none): the queue and ledger behind the engine
 */
GhSyncPlan *
gh_sync_engine_get_plan (GhSyncEngine *self)
{
  g_return_val_if_fail (GH_IS_SYNC_ENGINE (self), NULL);

  return self->plan;
}

/**
 * gh_sync_engine_set_driver:
 * @driver: (nullable): the driver to use for the device, or %NULL to build one from the
 *   device's stored settings when needed
 */
void
gh_sync_engine_set_driver (GhSyncEngine *self,
                           gint64        device_id,
                           GhDriver     *driver)
{
  g_return_if_fail (GH_IS_SYNC_ENGINE (self));
  g_return_if_fail (driver == NULL || GH_IS_DRIVER (driver));

  if (driver == NULL) {
    g_hash_table_remove (self->drivers, &device_id);
    g_hash_table_remove (self->pinned, &device_id);
  } else {
    g_hash_table_insert (self->drivers, id_dup (device_id), g_object_ref (driver));
    g_hash_table_add (self->pinned, id_dup (device_id));
  }
}

/**
 * gh_sync_engine_plan:
 * @device_id: a device, or 0 for all
 * @out_queued: (out) (optional): how many tasks were queued or changed
 *
 * Compares what the device(s) should hold with what they were sent and queues the
 * differences (see #GhSyncPlan).
 */
gboolean
gh_sync_engine_plan (GhSyncEngine  *self,
                     gint64         device_id,
                     guint         *out_queued,
                     GError       **error)
{
  guint upserts = 0;
  guint deletes = 0;
  gint64 started = g_get_monotonic_time ();

  g_return_val_if_fail (GH_IS_SYNC_ENGINE (self), FALSE);

  if (!gh_sync_plan_compute (self->plan, self->session, device_id, NULL, NULL, &upserts, &deletes,
                             error))
    return FALSE;
  self->plan_time = g_get_monotonic_time () - started;
  if (device_id == 0) {
    self->dirty = FALSE;
    self->last_plan = g_get_monotonic_time ();
    self->seen_changes = gh_sync_plan_get_planned_changes (self->plan);
  }
  if (out_queued != NULL)
    *out_queued = upserts + deletes;
  return TRUE;
}

/**
 * gh_sync_engine_get_plan_time:
 *
 * Returns: how long the last plan took, in microseconds (0 before the first)
 */
gint64
gh_sync_engine_get_plan_time (GhSyncEngine *self)
{
  g_return_val_if_fail (GH_IS_SYNC_ENGINE (self), 0);

  return self->plan_time;
}

/**
 * gh_sync_engine_run_async:
 *
 * Plans (if the database changed since the last plan) and pushes until nothing is due: the
 * queue is empty or every remaining task waits for its backoff. Joins a run in progress.
 * Cancelling @cancellable stops the driver calls; the interrupted tasks are due again at once.
 */
void
gh_sync_engine_run_async (GhSyncEngine        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  gboolean in_file;

  g_return_if_fail (GH_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_sync_engine_run_async);
  if (cancellable != NULL) {
    CancelLink *link = g_new0 (CancelLink, 1);

    link->cancellable = g_object_ref (cancellable);
    link->handler = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);
    g_ptr_array_add (self->links, link);
  }
  g_ptr_array_add (self->waiters, g_steal_pointer (&task));
  if (self->draining)
    return;

  g_clear_handle_id (&self->wake_id, g_source_remove);
  self->draining = TRUE;
  /* Another process (gatehousectl, a second window) may have changed persons or queued work
   * since the last plan; this connection gets no signal for that, so ask the database. */
  if (!self->dirty && gh_database_get_change_count (self->database) != self->seen_changes) {
    self->dirty = TRUE;
    /* perhaps a device's address or password too */
    forget_drivers (self, 0);
  }
  in_file = is_file (gh_database_get_path (self->database));
  if (self->writer == NULL && in_file)
    self->writer = writer_new (self);
  if (self->dirty && in_file) {
    g_autoptr(GTask) plan_task = g_task_new (self, NULL, planned_cb, NULL);
    PlanJob *job = g_new0 (PlanJob, 1);
    GhKeyStore *keys = gh_key_store_get_for_database (self->database);

    job->path = g_strdup (gh_database_get_path (self->database));
    job->keys = keys ? g_object_ref (keys) : NULL;
    job->session = g_object_ref (self->session);
    job->engine = g_object_ref (self);
    job->context = g_main_context_ref_thread_default ();
    g_task_set_task_data (plan_task, job, (GDestroyNotify) plan_job_free);
    /* changes after this point make the next run plan again */
    self->dirty = FALSE;
    self->planning = TRUE;
    self->plan_started = g_get_monotonic_time ();
    g_task_run_in_thread (plan_task, plan_thread);
    return;
  }
  if (self->dirty && !gh_sync_engine_plan (self, 0, NULL, &error))
    self->drain_error = g_steal_pointer (&error);
  else
    drain_queue_due (self, 0);
  drain_next (self);
}

gboolean
gh_sync_engine_run_finish (GhSyncEngine  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (GH_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gh_sync_engine_start:
 *
 * Keeps the devices in sync: runs now, again whenever the database changes, and when the
 * next backoff ends.
 */
void
gh_sync_engine_start (GhSyncEngine *self)
{
  g_return_if_fail (GH_IS_SYNC_ENGINE (self));

  if (self->started)
    return;
  self->started = TRUE;
  if (!self->draining)
    gh_sync_engine_run_async (self, NULL, NULL, NULL);
}

/**
 * gh_sync_engine_stop:
 *
 * Stops starting new runs; a run in progress finishes its batches.
 */
void
gh_sync_engine_stop (GhSyncEngine *self)
{
  g_return_if_fail (GH_IS_SYNC_ENGINE (self));

  self->started = FALSE;
  g_clear_handle_id (&self->wake_id, g_source_remove);
}

gboolean
gh_sync_engine_is_running (GhSyncEngine *self)
{
  g_return_val_if_fail (GH_IS_SYNC_ENGINE (self), FALSE);

  return self->draining;
}

/**
 * gh_sync_engine_list_progress:
 * @device_id: a device, or 0 for all
 *
 * The authorization progress page: per device, how many pushes wait, were taken or failed,
 * and the newest failure reason. gh_sync_store_list() has the per-item rows.
 *
 * Returns: (transfer full) (element-type GhSyncProgress): the rows
 */
GPtrArray *
gh_sync_engine_list_progress (GhSyncEngine  *self,
                              gint64         device_id,
                              GError       **error)
{
  g_return_val_if_fail (GH_IS_SYNC_ENGINE (self), NULL);

  return gh_sync_plan_list_progress (self->plan, device_id, error);
}
