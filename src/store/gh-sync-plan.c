/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sync-plan"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-sync-plan.h"
#include "gh-database-private.h"

#include "gh-error.h"
#include "gh-json-text.h"

/**
 * GhSyncPlan:
 *
 * The SQL side of the sync engine: reconciliation between what each device should hold and
 * what it was last sent.
 *
 * gh_sync_plan_compute() rebuilds `sync_desired` from the personnel, permission groups
 * (persons directly or through their department and its sub-departments; the group's doors
 * on a device give the person's door mask there), rooms' unlock passwords (to the room's
 * indoor monitors and the door stations of its unit or building), registration numbers (to
 * the device itself and, for an indoor monitor, to the door stations of its node) and notices
 * (to the devices they are addressed to), each with a content hash. Comparing it with
 * `sync_ledger` (what was sent successfully) queues an upsert for every new or changed object
 * and a delete for every object the device holds but should not. Planning twice queues
 * nothing new, and planning after a restart finds the same differences.
 *
 * The engine claims due tasks per device (gh_sync_plan_claim(), a lease on the device),
 * resolving each against the current desired state: an object still wanted is sent as it is
 * now, whatever the queued operation said. gh_sync_plan_finish() records a batch's outcome
 * in one transaction, updating the ledger, the task rows and the per-object status tables
 * the community pages show (room_device_status, notice_devices). Each of the two is a few
 * set-based statements per batch, not per task: a push of 10,000 persons to 100 devices
 * goes through a million tasks.
 */
struct _GhSyncPlan
{
  GObject     parent_instance;

  GhDatabase *database;      /* (owned) */
  char       *holder;        /* this instance's name in sync_leases */
  guint       serial;        /* tells this instance's claimed items from others' */
  gint64      planned_changes; /* the change count the last plan read */
  GHashTable *persons;       /* (owned) object id → CachedPerson: persons loaded for one
                              * device, reused for the others */
  gsize       persons_bytes; /* roughly what @persons holds */
};

/* A loaded person, valid while the plan gives the same content hash. */
typedef struct {
  char             *content;
  GhSyncPersonData *data;
} CachedPerson;

/* Beyond this the cache starts again (faces make persons large). */
#define PERSON_CACHE_BYTES (64 * 1024 * 1024)

G_DEFINE_FINAL_TYPE (GhSyncPlan, gh_sync_plan, G_TYPE_OBJECT)

#define LEASE_SECONDS 300

/* Plans computed in this process (any connection): with the database's data_version (plans
 * of other processes or threads), tells gh_sync_plan_finish() whether the desired state may
 * have changed while a batch was out. */
static int plan_generation;

/* The plan works device by device (one short write transaction each, so the engine can push
 * to the devices already planned while the rest are planned, and the main loop's writes get
 * their turn in between). What is the same for every device is computed once, into this
 * connection's temporary tables, before any write: memberships (a department in a group
 * brings its sub-departments too; one row per group and person) and every reached person's
 * content hash. ?1 is a device id or 0 for all. */
#define PLAN_TEMP_TABLES \
  "CREATE TEMP TABLE IF NOT EXISTS gh_plan_members (" \
  "  group_id INTEGER NOT NULL, person_id INTEGER NOT NULL," \
  "  PRIMARY KEY (group_id, person_id)) WITHOUT ROWID;" \
  "CREATE TEMP TABLE IF NOT EXISTS gh_plan_base (" \
  "  id INTEGER PRIMARY KEY, person_key TEXT NOT NULL, h TEXT NOT NULL);" \
  "CREATE TEMP TABLE IF NOT EXISTS gh_plan_device (" \
  "  object_kind TEXT NOT NULL, object_id INTEGER NOT NULL, device_key TEXT NOT NULL," \
  "  hash TEXT NOT NULL, doors INTEGER NOT NULL DEFAULT 0, content TEXT," \
  "  PRIMARY KEY (object_kind, object_id)) WITHOUT ROWID;"

/* Emptied before a plan and after it (they hold a copy of every reached person's hash). */
#define PLAN_TEMP_CLEAR \
  "DELETE FROM temp.gh_plan_members; DELETE FROM temp.gh_plan_base;" \
  "DELETE FROM temp.gh_plan_device;"

#define PLAN_MEMBERS \
  "WITH RECURSIVE dep (group_id, department_id) AS (" \
  "  SELECT group_id, department_id FROM group_departments" \
  "  UNION SELECT dep.group_id, d.id FROM departments d" \
  "   JOIN dep ON d.parent_id = dep.department_id)" \
  "INSERT OR IGNORE INTO temp.gh_plan_members (group_id, person_id)" \
  " SELECT group_id, person_id FROM group_persons" \
  "  WHERE group_id IN (SELECT group_id FROM group_doors WHERE ?1 = 0 OR device_id = ?1)" \
  " UNION SELECT dep.group_id, p.id FROM dep JOIN persons p ON p.department_id = dep.department_id" \
  "  WHERE dep.group_id IN (SELECT group_id FROM group_doors WHERE ?1 = 0 OR device_id = ?1)"

#define PLAN_BASE \
  "INSERT INTO temp.gh_plan_base (id, person_key, h)" \
  " SELECT p.id, p.person_id, gh_sync_hash (p.person_id, p.name, r.number, p.valid_from," \
  "    p.valid_to, pw.password," \
  "    (SELECT group_concat (c.number || ':' || c.kind || ':' || c.frozen, ',')" \
  "     FROM (SELECT number, kind, frozen FROM cards WHERE person_id = p.id ORDER BY id) c)," \
  "    (SELECT gh_sync_hash (f.image) FROM person_faces f" \
  "     WHERE f.person_id = p.id AND f.slot = 1)," \
  "    (SELECT gh_sync_hash (f.image) FROM person_faces f" \
  "     WHERE f.person_id = p.id AND f.slot = 2)," \
  "    (SELECT group_concat (gh_sync_hash (t.template), ',') FROM (SELECT template" \
  "     FROM person_fingerprints WHERE person_id = p.id ORDER BY slot) t))" \
  "  FROM persons p LEFT JOIN rooms r ON r.id = p.room_id" \
  "   LEFT JOIN person_passwords pw ON pw.person_id = p.id" \
  "  WHERE p.id IN (SELECT person_id FROM temp.gh_plan_members)"

/* What device ?1 should hold, into temp.gh_plan_device (read outside the write). Persons
 * with their door mask there: the groups' masks on the device are OR-ed (gh_bit_or) per
 * person, not de-duplicated. */
#define PLAN_PERSONS \
  "INSERT OR IGNORE INTO temp.gh_plan_device" \
  " (object_kind, object_id, device_key, hash, doors, content)" \
  " SELECT 'person', pd.person_id, b.person_key, gh_sync_hash (b.h, pd.doors), pd.doors, b.h" \
  " FROM (SELECT m.person_id, gh_bit_or (g.doors) AS doors" \
  "       FROM (SELECT group_id, gh_bit_or (1 << (door_index & 31)) AS doors FROM group_doors" \
  "             WHERE device_id = ?1 GROUP BY group_id) g" \
  "       JOIN temp.gh_plan_members m ON m.group_id = g.group_id GROUP BY m.person_id) pd" \
  " JOIN temp.gh_plan_base b ON b.id = pd.person_id"

/* The same device choice as GhOrgStore's room devices. */
#define PLAN_ROOM_PASSWORDS \
  "INSERT OR IGNORE INTO temp.gh_plan_device (object_kind, object_id, device_key, hash)" \
  " SELECT 'room-password', r.id, r.number," \
  "  gh_sync_hash ('room-password', r.number, r.unlock_password)" \
  " FROM rooms r JOIN registration_numbers g ON g.room_id = r.id OR (g.kind = 'vto' AND" \
  "  g.org_node_id IN (r.org_node_id, (SELECT n.parent_id FROM org_nodes n" \
  "                                    WHERE n.id = r.org_node_id)))" \
  " WHERE r.unlock_password IS NOT NULL AND r.unlock_password <> ''" \
  "  AND g.device_id = ?1"

/* The same targets as GhDialStore: the device itself, and an indoor monitor's number to the
 * door stations registered on its node. */
#define PLAN_REGISTRATIONS \
  "INSERT OR IGNORE INTO temp.gh_plan_device (object_kind, object_id, device_key, hash)" \
  " SELECT 'registration-number', g.id, g.number," \
  "  gh_sync_hash ('registration-number', g.kind, g.number, d.name, d.host)" \
  " FROM (SELECT id AS reg_id, device_id FROM registration_numbers" \
  "       UNION SELECT vth.id, vto.device_id FROM registration_numbers vth" \
  "       JOIN registration_numbers vto ON vto.kind = 'vto' AND vto.org_node_id = vth.org_node_id" \
  "       WHERE vth.kind = 'vth') t" \
  " JOIN registration_numbers g ON g.id = t.reg_id JOIN devices d ON d.id = g.device_id" \
  " WHERE t.device_id = ?1"

#define PLAN_NOTICES \
  "INSERT OR IGNORE INTO temp.gh_plan_device (object_kind, object_id, device_key, hash)" \
  " SELECT 'notice', n.id, CAST (n.id AS TEXT)," \
  "  gh_sync_hash ('notice', n.title, n.body, n.start_time)" \
  " FROM notice_devices nd JOIN notices n ON n.id = nd.notice_id" \
  " WHERE nd.device_id = ?1"

/* In the device's write: sync_desired becomes temp.gh_plan_device, touching only the rows
 * that differ (a re-plan after a small change writes little). */
#define DESIRED_DROP \
  "DELETE FROM sync_desired WHERE device_id = ?1 AND NOT EXISTS (SELECT 1" \
  " FROM temp.gh_plan_device t WHERE t.object_kind = sync_desired.object_kind" \
  "  AND t.object_id = sync_desired.object_id)"

#define DESIRED_SET \
  "INSERT INTO sync_desired (device_id, object_kind, object_id, device_key, hash, doors, content)" \
  " SELECT ?1, object_kind, object_id, device_key, hash, doors, content" \
  " FROM temp.gh_plan_device WHERE true" \
  " ON CONFLICT (device_id, object_kind, object_id) DO UPDATE SET" \
  "  device_key = excluded.device_key, hash = excluded.hash, doors = excluded.doors," \
  "  content = excluded.content" \
  " WHERE device_key IS NOT excluded.device_key OR hash IS NOT excluded.hash" \
  "  OR doors IS NOT excluded.doors OR content IS NOT excluded.content"

/* A re-plan leaves a waiting task's attempts and backoff alone. */
#define ENQUEUE_CONFLICT \
  " ON CONFLICT (device_id, object_kind, object_id) WHERE status IN ('pending', 'failed')" \
  " DO UPDATE SET operation = excluded.operation, updated = unixepoch ()" \
  " WHERE operation <> excluded.operation"

#define ENQUEUE_UPSERTS \
  "INSERT INTO sync_tasks (device_id, object_kind, object_id, operation)" \
  " SELECT d.device_id, d.object_kind, d.object_id, 'upsert' FROM sync_desired d" \
  " LEFT JOIN sync_ledger l ON l.device_id = d.device_id AND l.object_kind = d.object_kind" \
  "  AND l.object_id = d.object_id" \
  " WHERE d.device_id = ?1 AND (l.hash IS NULL OR l.hash <> d.hash)" \
  /* most differences were queued by the stores already: skip them before the insert */ \
  "  AND NOT EXISTS (SELECT 1 FROM sync_tasks t WHERE t.device_id = d.device_id" \
  "   AND t.object_kind = d.object_kind AND t.object_id = d.object_id" \
  "   AND t.status IN ('pending', 'failed') AND t.operation = 'upsert')" \
  ENQUEUE_CONFLICT

#define ENQUEUE_DELETES \
  "INSERT INTO sync_tasks (device_id, object_kind, object_id, operation)" \
  " SELECT l.device_id, l.object_kind, l.object_id, 'delete' FROM sync_ledger l" \
  " WHERE l.device_id = ?1 AND NOT EXISTS (SELECT 1 FROM sync_desired d" \
  "  WHERE d.device_id = l.device_id AND d.object_kind = l.object_kind" \
  "  AND d.object_id = l.object_id)" \
  ENQUEUE_CONFLICT

void
gh_sync_item_free (GhSyncItem *item)
{
  if (item == NULL)
    return;

  g_free (item->object_kind);
  g_free (item->device_key);
  g_free (item->hash);
  g_free (item->ledger_key);
  g_free (item->content);
  g_free (item);
}

static void
card_data_free (GhSyncCardData *card)
{
  g_free (card->number);
  g_free (card->kind);
  g_free (card);
}

void
gh_sync_person_data_free (GhSyncPersonData *data)
{
  if (data == NULL)
    return;

  g_free (data->person_key);
  g_free (data->name);
  g_free (data->room);
  g_free (data->password);
  g_clear_pointer (&data->cards, g_ptr_array_unref);
  g_clear_pointer (&data->faces, g_ptr_array_unref);
  g_clear_pointer (&data->fingerprints, g_ptr_array_unref);
  g_free (data);
}

void
gh_sync_room_password_data_free (GhSyncRoomPasswordData *data)
{
  if (data == NULL)
    return;

  g_free (data->room);
  g_free (data->password);
  g_free (data);
}

void
gh_sync_registration_data_free (GhSyncRegistrationData *data)
{
  if (data == NULL)
    return;

  g_free (data->kind);
  g_free (data->number);
  g_free (data->name);
  g_free (data->address);
  g_free (data);
}

void
gh_sync_notice_data_free (GhSyncNoticeData *data)
{
  if (data == NULL)
    return;

  g_free (data->title);
  g_free (data->body);
  g_free (data);
}

void
gh_sync_progress_free (GhSyncProgress *progress)
{
  if (progress == NULL)
    return;

  g_free (progress->device_name);
  g_free (progress->last_error);
  g_free (progress);
}

/* gh_sync_hash (…): SHA-256 over the type, length and bytes of every argument, as hex. */
static void
sync_hash_func (sqlite3_context  *context,
                int               argc,
                sqlite3_value   **argv)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (int i = 0; i < argc; i++) {
    guint8 type = (guint8) sqlite3_value_type (argv[i]);
    gint64 len = 0;

    g_checksum_update (sum, &type, 1);
    switch (type) {
    case SQLITE_INTEGER: {
      gint64 v = sqlite3_value_int64 (argv[i]);

      g_checksum_update (sum, (const guchar *) &v, sizeof v);
      break;
    }
    case SQLITE_FLOAT: {
      double v = sqlite3_value_double (argv[i]);

      g_checksum_update (sum, (const guchar *) &v, sizeof v);
      break;
    }
    case SQLITE_TEXT:
    case SQLITE_BLOB: {
      const void *data = type == SQLITE_TEXT ? (const void *) sqlite3_value_text (argv[i])
                                             : sqlite3_value_blob (argv[i]);

      len = sqlite3_value_bytes (argv[i]);
      g_checksum_update (sum, (const guchar *) &len, sizeof len);
      if (len > 0)
        g_checksum_update (sum, data, len);
      break;
    }
    default:
      break;
    }
  }
  sqlite3_result_text (context, g_checksum_get_string (sum), 40, SQLITE_TRANSIENT);
}

/* gh_bit_or (x): the bitwise OR of a group's integers (0 for none). */
static void
bit_or_step (sqlite3_context  *context,
             int               argc,
             sqlite3_value   **argv)
{
  gint64 *acc = sqlite3_aggregate_context (context, sizeof (gint64));

  if (acc != NULL)
    *acc |= sqlite3_value_int64 (argv[0]);
}

static void
bit_or_final (sqlite3_context *context)
{
  gint64 *acc = sqlite3_aggregate_context (context, 0);

  sqlite3_result_int64 (context, acc != NULL ? *acc : 0);
}

static void
cached_person_free (CachedPerson *cached)
{
  g_free (cached->content);
  gh_sync_person_data_free (cached->data);
  g_free (cached);
}

static void
gh_sync_plan_dispose (GObject *object)
{
  GhSyncPlan *self = (GhSyncPlan *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (gh_sync_plan_parent_class)->dispose (object);
}

static void
gh_sync_plan_finalize (GObject *object)
{
  GhSyncPlan *self = (GhSyncPlan *)object;

  g_free (self->holder);
  g_hash_table_unref (self->persons);

  G_OBJECT_CLASS (gh_sync_plan_parent_class)->finalize (object);
}

static void
gh_sync_plan_class_init (GhSyncPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_sync_plan_dispose;
  object_class->finalize = gh_sync_plan_finalize;
}

static void
gh_sync_plan_init (GhSyncPlan *self)
{
  static guint serials;

  self->holder = g_uuid_string_random ();
  self->serial = (guint) g_atomic_int_add (&serials, 1) + 1;
  self->planned_changes = -1;
  self->persons = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                         (GDestroyNotify) cached_person_free);
}

GhSyncPlan *
gh_sync_plan_new (GhDatabase *database)
{
  GhSyncPlan *self;

  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  self = g_object_new (GH_TYPE_SYNC_PLAN, NULL);
  self->database = g_object_ref (database);
  /* Registering again on the same connection replaces the function: harmless. */
  sqlite3_create_function_v2 (gh_database_get_handle (database), "gh_sync_hash", -1,
                              SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sync_hash_func, NULL,
                              NULL, NULL);
  sqlite3_create_function_v2 (gh_database_get_handle (database), "gh_bit_or", 1,
                              SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, NULL, bit_or_step,
                              bit_or_final, NULL);
  return self;
}

/**
 * gh_sync_plan_new_sharing:
 * @database: another connection to @other's database file
 * @other: the instance to act as
 *
 * An instance on @database that takes and releases leases as @other does, so that @other
 * sees the devices this one claims as its own (a writer thread's connection, say).
 */
GhSyncPlan *
gh_sync_plan_new_sharing (GhDatabase *database,
                          GhSyncPlan *other)
{
  GhSyncPlan *self;

  g_return_val_if_fail (GH_IS_SYNC_PLAN (other), NULL);

  self = gh_sync_plan_new (database);
  g_free (self->holder);
  self->holder = g_strdup (other->holder);
  return self;
}

/**
 * gh_sync_plan_get_planned_changes:
 *
 * Returns: the database's change count (gh_database_get_change_count()) that the last
 *   gh_sync_plan_compute() of this instance planned from, or -1 before one
 */
gint64
gh_sync_plan_get_planned_changes (GhSyncPlan *self)
{
  g_return_val_if_fail (GH_IS_SYNC_PLAN (self), -1);

  return self->planned_changes;
}

static gboolean
exec_device (GhSyncPlan  *self,
             const char  *sql,
             gint64       device_id,
             guint       *out_changes,
             GError     **error)
{
  g_autoptr(GhStmt) stmt = gh_database_prepare (self->database, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, device_id);
  if (!gh_database_step_done (self->database, stmt, error))
    return FALSE;
  if (out_changes != NULL)
    *out_changes = (guint) gh_database_changes (self->database);
  return TRUE;
}

/* Plans one device: reads what it should hold into temp.gh_plan_device, then in one short
 * write makes sync_desired match and queues the differences with the ledger. */
static gboolean
plan_device (GhSyncPlan  *self,
             GhSession   *session,
             gint64       device_id,
             guint       *upserts,
             guint       *deletes,
             GError     **error)
{
  guint n_upserts = 0;
  guint n_deletes = 0;
  gboolean ok;

  if (!exec_device (self, "DELETE FROM temp.gh_plan_device", device_id, NULL, error) ||
      !exec_device (self, PLAN_PERSONS, device_id, NULL, error) ||
      !exec_device (self, PLAN_ROOM_PASSWORDS, device_id, NULL, error) ||
      !exec_device (self, PLAN_REGISTRATIONS, device_id, NULL, error) ||
      !exec_device (self, PLAN_NOTICES, device_id, NULL, error))
    return FALSE;

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SYNC_RUN, error))
    return FALSE;
  ok = exec_device (self, DESIRED_DROP, device_id, NULL, error) &&
       exec_device (self, DESIRED_SET, device_id, NULL, error) &&
       exec_device (self, ENQUEUE_UPSERTS, device_id, &n_upserts, error) &&
       exec_device (self, ENQUEUE_DELETES, device_id, &n_deletes, error);
  if (!gh_database_end_write (self->database, ok, NULL, error))
    return FALSE;
  g_atomic_int_inc (&plan_generation);
  *upserts += n_upserts;
  *deletes += n_deletes;
  return TRUE;
}

/**
 * gh_sync_plan_compute:
 * @device_id: a device, or 0 for every device
 * @planned: (scope call) (nullable): called after each device's plan is saved
 * @user_data: for @planned
 * @out_upserts: (out) (optional): how many upserts were queued or changed
 * @out_deletes: (out) (optional): how many deletes were queued or changed
 *
 * Recomputes what the device(s) should hold and queues the differences with what they were
 * sent, device by device: each device's part is saved in its own transaction, and @planned
 * may start pushing to it while the others are planned. Needs %GH_PERMISSION_SYNC_RUN.
 */
gboolean
gh_sync_plan_compute (GhSyncPlan           *self,
                      GhSession            *session,
                      gint64                device_id,
                      GhSyncPlanDeviceFunc  planned,
                      gpointer              user_data,
                      guint                *out_upserts,
                      guint                *out_deletes,
                      GError              **error)
{
  g_autoptr(GArray) devices = NULL;
  guint upserts = 0;
  guint deletes = 0;
  gboolean ok = TRUE;
  gboolean outer;

  g_return_val_if_fail (GH_IS_SYNC_PLAN (self), FALSE);

  if (!gh_session_check (session, GH_PERMISSION_SYNC_RUN, error))
    return FALSE;

  /* what every device shares, read in one snapshot (writing only to temporary tables) */
  outer = !gh_database_in_transaction (self->database);
  if (outer && !gh_database_exec (self->database, "BEGIN DEFERRED", error))
    return FALSE;
  /* the first read: the snapshot the plan works from has exactly these changes */
  self->planned_changes = gh_database_get_change_count (self->database);
  if (gh_database_exec (self->database, PLAN_TEMP_TABLES PLAN_TEMP_CLEAR, error) &&
      exec_device (self, PLAN_MEMBERS, device_id, NULL, error) &&
      exec_device (self, PLAN_BASE, device_id, NULL, error))
    devices = gh_database_query_ids (self->database,
                                     "SELECT id FROM devices WHERE ?1 = 0 OR id = ?1 ORDER BY id",
                                     device_id, "listing the devices to plan", error);
  ok = devices != NULL;
  if (outer)
    gh_database_exec (self->database, ok ? "COMMIT" : "ROLLBACK", NULL);
  if (!ok)
    return FALSE;

  for (guint i = 0; ok && i < devices->len; i++) {
    gint64 id = g_array_index (devices, gint64, i);

    ok = plan_device (self, session, id, &upserts, &deletes, error);
    if (ok && planned != NULL)
      planned (id, user_data);
  }
  gh_database_exec (self->database, PLAN_TEMP_CLEAR, NULL);
  if (!ok)
    return FALSE;

  if (upserts + deletes > 0) {
    if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SYNC_RUN, error))
      return FALSE;
    ok = gh_database_auditf (self->database, session, error, "sync.plan", "device", device_id,
                             "%u to send, %u to remove", upserts, deletes);
    if (!gh_database_end_write (self->database, ok, "sync", error))
      return FALSE;
  }

  if (out_upserts != NULL)
    *out_upserts = upserts;
  if (out_deletes != NULL)
    *out_deletes = deletes;
  return TRUE;
}

/* The columns of a claimed task: the task, what the device should hold (if anything) and
 * what it was last sent (if anything). */
#define CLAIM_COLUMNS \
  "t.id, t.object_kind, t.object_id, t.attempts, d.object_id IS NOT NULL, d.device_key, " \
  "d.hash, d.doors, l.object_id IS NOT NULL, l.device_key, d.content"
#define CLAIM_JOINS \
  " LEFT JOIN sync_desired d ON d.device_id = t.device_id AND d.object_kind = t.object_kind" \
  "  AND d.object_id = t.object_id" \
  " LEFT JOIN sync_ledger l ON l.device_id = t.device_id AND l.object_kind = t.object_kind" \
  "  AND l.object_id = t.object_id"

/* Resolves one row of CLAIM_COLUMNS: an object still wanted is sent as it is now, whatever
 * the queued operation said; one no longer wanted is removed if the device was sent it. */
static GhSyncItem *
item_from_row (sqlite3_stmt *stmt,
               gint64        device_id)
{
  GhSyncItem *item = g_new0 (GhSyncItem, 1);

  item->task_id = sqlite3_column_int64 (stmt, 0);
  item->device_id = device_id;
  item->object_kind = gh_stmt_dup_text (stmt, 1);
  item->object_id = sqlite3_column_int64 (stmt, 2);
  item->attempts = sqlite3_column_int (stmt, 3);
  if (sqlite3_column_int (stmt, 4)) {
    item->action = GH_SYNC_ACTION_UPSERT;
    item->device_key = gh_stmt_dup_text (stmt, 5);
    item->hash = gh_stmt_dup_text (stmt, 6);
    item->doors = (guint32) sqlite3_column_int64 (stmt, 7);
    item->content = gh_stmt_dup_text (stmt, 10);
    if (sqlite3_column_int (stmt, 8))
      item->ledger_key = gh_stmt_dup_text (stmt, 9);
  } else if (sqlite3_column_int (stmt, 8)) {
    item->action = GH_SYNC_ACTION_DELETE;
    item->device_key = gh_stmt_dup_text (stmt, 9);
  } else {
    item->action = GH_SYNC_ACTION_NONE;
  }
  return item;
}

/* Takes or renews the device's lease for @holder; FALSE (without an error) if another
 * holder's lease has not run out. */
static gboolean
take_lease (GhSyncPlan  *self,
            gint64       device_id,
            gint64       now,
            gboolean    *out_taken,
            GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;

  stmt = gh_database_prepare (self->database,
                              "INSERT INTO sync_leases (device_id, holder, until) "
                              "VALUES (?1, ?2, ?3 + ?4) ON CONFLICT (device_id) DO UPDATE SET "
                              "holder = excluded.holder, until = excluded.until "
                              "WHERE holder = excluded.holder OR until <= ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, device_id);
  sqlite3_bind_text (stmt, 2, self->holder, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int (stmt, 4, LEASE_SECONDS);
  if (!gh_database_step_done (self->database, stmt, error))
    return FALSE;
  *out_taken = gh_database_changes (self->database) > 0;
  return TRUE;
}

/**
 * gh_sync_plan_claim:
 * @device_id: the device
 * @now: Unix seconds
 * @limit: at most this many tasks
 *
 * Claims the device's due tasks, oldest first, and resolves each against the desired state.
 * The claim is a lease on the device (#GhSyncPlan's other instances, in this process or
 * another, claim nothing of it until this one releases it or the lease runs out, so a
 * crashed run blocks the device for a few minutes at most); the tasks themselves stay
 * waiting until gh_sync_plan_finish() records their outcome.
 *
 * Returns: (transfer full) (element-type GhSyncItem): the claimed items (none if another
 *   instance holds the device), or %NULL on error
 */
GPtrArray *
gh_sync_plan_claim (GhSyncPlan  *self,
                    GhSession   *session,
                    gint64       device_id,
                    gint64       now,
                    guint        limit,
                    GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_sync_item_free);
  g_autoptr(GhStmt) stmt = NULL;
  gboolean ok = FALSE;
  gboolean taken = FALSE;
  gint64 version;
  int generation;
  int rc;

  g_return_val_if_fail (GH_IS_SYNC_PLAN (self), NULL);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SYNC_RUN, error))
    return NULL;
  if (!take_lease (self, device_id, now, &taken, error))
    goto out;
  if (!taken) {
    ok = TRUE;
    goto out;
  }

  stmt = gh_database_prepare (self->database,
                              "SELECT " CLAIM_COLUMNS " FROM sync_tasks t" CLAIM_JOINS
                              " WHERE t.device_id = ?1 AND t.status <> 'done'"
                              " AND t.next_attempt <= ?2 ORDER BY t.next_attempt, t.id LIMIT ?3",
                              error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, device_id);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int (stmt, 3, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, item_from_row (stmt, device_id));
  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "claiming pushes");
    goto out;
  }
  version = gh_database_get_data_version (self->database);
  generation = g_atomic_int_get (&plan_generation);
  for (guint i = 0; i < items->len; i++) {
    GhSyncItem *item = g_ptr_array_index (items, i);

    item->data_version = version;
    item->generation = generation;
    item->claimed_by = self->serial;
  }
  ok = TRUE;

out:
  if (!gh_database_end_write (self->database, ok, NULL, error))
    return NULL;
  return g_steal_pointer (&items);
}

/**
 * gh_sync_plan_release:
 * @device_id: a device this instance claimed tasks of
 *
 * Gives up the lease gh_sync_plan_claim() took, so others may push to the device.
 */
void
gh_sync_plan_release (GhSyncPlan *self,
                      gint64      device_id)
{
  g_autoptr(GhStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GH_IS_SYNC_PLAN (self));

  stmt = gh_database_prepare (self->database,
                              "DELETE FROM sync_leases WHERE device_id = ?1 AND holder = ?2",
                              &error);
  if (stmt != NULL) {
    sqlite3_bind_int64 (stmt, 1, device_id);
    sqlite3_bind_text (stmt, 2, self->holder, -1, SQLITE_STATIC);
    gh_database_step_done (self->database, stmt, &error);
  }
  if (error != NULL)
    g_warning ("Could not release the push lease of device %" G_GINT64_FORMAT ": %s", device_id,
               error->message);
}

/* Binds ?1 task, ?2 device, ?3 kind, ?4 object, ?5 @text, ?6 @number, ?7 device key and
 * ?8 @reason; a statement uses the ones it names (binding an absent one is a no-op). */
static gboolean
step_item (GhSyncPlan  *self,
           const char  *sql,
           GhSyncItem  *item,
           const char  *text,
           gint64       number,
           const char  *reason,
           GError     **error)
{
  g_autoptr(GhStmt) stmt = gh_database_prepare (self->database, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item->task_id);
  sqlite3_bind_int64 (stmt, 2, item->device_id);
  sqlite3_bind_text (stmt, 3, item->object_kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, item->object_id);
  gh_stmt_bind_text (stmt, 5, text);
  sqlite3_bind_int64 (stmt, 6, number);
  gh_stmt_bind_text (stmt, 7, item->device_key);
  gh_stmt_bind_text (stmt, 8, reason);
  return gh_database_step_done (self->database, stmt, error);
}

G_STATIC_ASSERT (GH_SYNC_ACTION_UPSERT == 1);

/* The items as a JSON array of [task, kind, object, device key, hash, action], for the
 * set-based statements of gh_sync_plan_finish(). */
static char *
items_json (GPtrArray *items)
{
  GString *json = g_string_sized_new (128 * items->len + 2);

  g_string_append_c (json, '[');
  for (guint i = 0; i < items->len; i++) {
    GhSyncItem *item = g_ptr_array_index (items, i);

    g_string_append (json, i ? ",[" : "[");
    gh_json_append_int (json, item->task_id);
    g_string_append_c (json, ',');
    gh_json_append_string (json, item->object_kind);
    g_string_append_c (json, ',');
    gh_json_append_int (json, item->object_id);
    g_string_append_c (json, ',');
    if (item->device_key != NULL)
      gh_json_append_string (json, item->device_key);
    else
      g_string_append (json, "null");
    g_string_append_c (json, ',');
    if (item->hash != NULL)
      gh_json_append_string (json, item->hash);
    else
      g_string_append (json, "null");
    g_string_append_c (json, ',');
    gh_json_append_int (json, item->action);
    g_string_append_c (json, ']');
  }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

/* Runs @sql with ?1 the items' JSON, ?2 the device, ?3 @text and ?4 @number. */
static gboolean
exec_items (GhSyncPlan  *self,
            const char  *sql,
            const char  *json,
            gint64       device_id,
            const char  *text,
            gint64       number,
            GError     **error)
{
  g_autoptr(GhStmt) stmt = gh_database_prepare (self->database, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, device_id);
  gh_stmt_bind_text (stmt, 3, text);
  sqlite3_bind_int64 (stmt, 4, number);
  return gh_database_step_done (self->database, stmt, error);
}

#define FINISH_DONE_OF \
  "UPDATE sync_tasks SET status = 'done', attempts = attempts + 1, last_error = NULL," \
  " updated = unixepoch () WHERE status <> 'done' AND id IN (SELECT j.value ->> 0" \
  " FROM json_each (?1) j"

#define FINISH_DONE FINISH_DONE_OF ")"

/* A task is done only if the device now holds what it should: after a plan the desired
 * state may no longer be the one the item was resolved against (then the task stays
 * waiting and sends the new state). */
#define FINISH_DONE_UNCHANGED FINISH_DONE_OF \
  " LEFT JOIN sync_desired d ON d.device_id = ?2" \
  "  AND d.object_kind = j.value ->> 1 AND d.object_id = j.value ->> 2" \
  " WHERE d.hash IS j.value ->> 4)"

#define FINISH_LEDGER_UPSERTS \
  "INSERT INTO sync_ledger (device_id, object_kind, object_id, device_key, hash)" \
  " SELECT ?2, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4 FROM json_each (?1) j" \
  " WHERE j.value ->> 5 = 1" /* GH_SYNC_ACTION_UPSERT */ \
  " ON CONFLICT (device_id, object_kind, object_id) DO UPDATE SET" \
  " device_key = excluded.device_key, hash = excluded.hash, updated = unixepoch ()"

/* OR REPLACE: a task queued for the same object while this one was out (it cannot be: a
 * waiting task holds the object's place in the queue; kept for rows claimed by older
 * versions, which marked them running) gives way to this one. */
#define FINISH_FAILED \
  "UPDATE OR REPLACE sync_tasks SET status = 'failed', attempts = attempts + 1," \
  " last_error = ?3, next_attempt = ?4, updated = unixepoch ()" \
  " WHERE status <> 'done' AND id IN (SELECT j.value ->> 0 FROM json_each (?1) j)"

static gboolean
has_action (GPtrArray    *items,
            GhSyncAction  action)
{
  for (guint i = 0; i < items->len; i++)
    if (((GhSyncItem *) g_ptr_array_index (items, i))->action == action)
      return TRUE;
  return FALSE;
}

/* Whether a plan ran (here or elsewhere) since @items were claimed. */
static gboolean
replanned_since (GhSyncPlan *self,
                 GPtrArray  *items)
{
  gint64 version = gh_database_get_data_version (self->database);
  int generation = g_atomic_int_get (&plan_generation);

  for (guint i = 0; i < items->len; i++) {
    GhSyncItem *item = g_ptr_array_index (items, i);

    /* another connection's data_version says nothing about this one's */
    if (version < 0 || item->claimed_by != self->serial || item->data_version != version ||
        item->generation != generation)
      return TRUE;
  }
  return FALSE;
}

/**
 * gh_sync_plan_finish:
 * @items: (element-type GhSyncItem): claimed items of one device
 * @failure: (nullable): %NULL if the device took them, else the reason shown to the operator
 * @retry_at: with @failure: Unix seconds when they are due again
 *
 * Records the outcome of one batch in one transaction: task status, the ledger, and the
 * per-object status of room passwords and notices.
 */
gboolean
gh_sync_plan_finish (GhSyncPlan  *self,
                     GhSession   *session,
                     GPtrArray   *items,
                     const char  *failure,
                     gint64       retry_at,
                     GError     **error)
{
  g_autofree char *json = NULL;
  GhSyncItem *first;
  gboolean ok;

  g_return_val_if_fail (GH_IS_SYNC_PLAN (self), FALSE);
  g_return_val_if_fail (items != NULL, FALSE);

  if (items->len == 0)
    return TRUE;
  first = g_ptr_array_index (items, 0);
  json = items_json (items);
  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SYNC_RUN, error))
    return FALSE;

  if (failure != NULL)
    ok = exec_items (self, FINISH_FAILED, json, first->device_id, failure, retry_at, error);
  else
    ok = exec_items (self, replanned_since (self, items) ? FINISH_DONE_UNCHANGED : FINISH_DONE,
                     json, first->device_id, NULL, 0, error) &&
         (!has_action (items, GH_SYNC_ACTION_UPSERT) ||
          exec_items (self, FINISH_LEDGER_UPSERTS, json, first->device_id, NULL, 0, error));

  for (guint i = 0; ok && i < items->len; i++) {
    GhSyncItem *item = g_ptr_array_index (items, i);
    const char *object_status = failure ? "failed" : "sent";

    /* removals are few: one statement each keeps to the ledger's primary key */
    if (failure == NULL && item->action == GH_SYNC_ACTION_DELETE)
      ok = step_item (self, "DELETE FROM sync_ledger WHERE device_id = ?2 "
                      "AND object_kind = ?3 AND object_id = ?4", item, NULL, 0, NULL, error);
    if (!ok)
      break;
    if (g_str_equal (item->object_kind, "notice"))
      ok = step_item (self, "UPDATE notice_devices SET status = ?5, error = ?8, "
                      "updated = unixepoch () WHERE notice_id = ?4 AND device_id = ?2",
                      item, object_status, 0, failure, error);
    else if (g_str_equal (item->object_kind, "room-password"))
      ok = step_item (self, "UPDATE room_device_status SET status = ?5, error = ?8, "
                      "updated = unixepoch () WHERE room_id = ?4 AND device_id = ?2",
                      item, object_status, 0, failure, error);
  }
  if (ok)
    ok = gh_database_auditf (self->database, session, error,
                             failure ? "sync.fail" : "sync.done", "device", first->device_id,
                             "%u %s%s%s", items->len, first->object_kind,
                             failure ? ": " : "", failure ? failure : "");
  return gh_database_end_write (self->database, ok, "sync", error);
}

/**
 * gh_sync_plan_defer_device:
 * @reason: why, shown on every deferred task
 * @retry_at: Unix seconds when they are due again
 *
 * Fails the device's other due tasks without trying them (the device is unreachable), so
 * they wait for the same backoff.
 *
 * Returns: how many tasks were deferred (0 on error, with @error set)
 */
guint
gh_sync_plan_defer_device (GhSyncPlan  *self,
                           GhSession   *session,
                           gint64       device_id,
                           gint64       now,
                           const char  *reason,
                           gint64       retry_at,
                           GError     **error)
{
  g_autoptr(GhStmt) stmt = NULL;
  guint changed = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (GH_IS_SYNC_PLAN (self), 0);
  g_return_val_if_fail (reason != NULL, 0);

  if (!gh_database_begin_write (self->database, session, GH_PERMISSION_SYNC_RUN, error))
    return 0;
  /* A task is never both pending and failed for one object (the unique index), so this
   * update cannot collide. */
  stmt = gh_database_prepare (self->database,
                              "UPDATE sync_tasks SET status = 'failed', attempts = attempts + 1, "
                              "last_error = ?2, next_attempt = ?3, updated = unixepoch () "
                              "WHERE device_id = ?1 AND status IN ('pending', 'failed') "
                              "AND next_attempt <= ?4", error);
  if (stmt != NULL) {
    sqlite3_bind_int64 (stmt, 1, device_id);
    sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 3, retry_at);
    sqlite3_bind_int64 (stmt, 4, now);
    ok = gh_database_step_done (self->database, stmt, error);
    changed = ok ? (guint) gh_database_changes (self->database) : 0;
  }
  if (!gh_database_end_write (self->database, ok, changed > 0 ? "sync" : NULL, error))
    return 0;
  return changed;
}

/**
 * gh_sync_plan_list_due_devices:
 * @device_id: a device, or 0 for all
 *
 * Returns: (transfer full) (element-type gint64): the devices with tasks due at @now
 */
GArray *
gh_sync_plan_list_due_devices (GhSyncPlan  *self,
                               gint64       device_id,
                               gint64       now,
                               GError     **error)
{
  g_autoptr(GArray) devices = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_SYNC_PLAN (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT d.id FROM devices d WHERE (?3 = 0 OR d.id = ?3) "
                              "AND EXISTS (SELECT 1 FROM sync_tasks t "
                              "WHERE t.device_id = d.id AND t.status <> 'done' "
                              "AND t.next_attempt <= ?1) AND NOT EXISTS (SELECT 1 FROM sync_leases l "
                              "WHERE l.device_id = d.id AND l.holder <> ?2 AND l.until > ?1) "
                              "ORDER BY d.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, self->holder, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, device_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gint64 id = sqlite3_column_int64 (stmt, 0);

    g_array_append_val (devices, id);
  }
  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "finding devices with pushes due");
    return NULL;
  }
  return g_steal_pointer (&devices);
}

/**
 * gh_sync_plan_get_next_due:
 *
 * Returns: the Unix time the next waiting task is due, or 0 if none waits
 */
gint64
gh_sync_plan_get_next_due (GhSyncPlan *self)
{
  g_autoptr(GhStmt) stmt = NULL;
  gint64 next = 0;

  g_return_val_if_fail (GH_IS_SYNC_PLAN (self), 0);

  /* per device through its queue index; a device another engine holds is due when its
   * lease runs out at the earliest */
  stmt = gh_database_prepare (self->database,
                              "SELECT min (CASE WHEN l.holder <> ?1 AND l.until > x.due "
                              "THEN l.until ELSE x.due END) FROM (SELECT d.id AS device_id, "
                              "(SELECT min (t.next_attempt) FROM sync_tasks t "
                              "WHERE t.device_id = d.id AND t.status <> 'done') AS due "
                              "FROM devices d) x LEFT JOIN sync_leases l ON l.device_id = x.device_id "
                              "WHERE x.due IS NOT NULL", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, self->holder, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    next = sqlite3_column_int64 (stmt, 0);
  return next;
}

/**
 * gh_sync_plan_list_progress:
 * @device_id: a device, or 0 for all
 *
 * Returns: (transfer full) (element-type GhSyncProgress): one row per device, by name
 */
GPtrArray *
gh_sync_plan_list_progress (GhSyncPlan  *self,
                            gint64       device_id,
                            GError     **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GH_IS_SYNC_PLAN (self), NULL);

  stmt = gh_database_prepare (self->database,
                              "SELECT d.id, d.name, "
                              "(SELECT count (*) FROM sync_tasks t WHERE t.device_id = d.id "
                              " AND t.status IN ('pending', 'running')), "
                              "(SELECT count (*) FROM sync_tasks t WHERE t.device_id = d.id "
                              " AND t.status = 'done'), "
                              "(SELECT count (*) FROM sync_tasks t WHERE t.device_id = d.id "
                              " AND t.status = 'failed'), "
                              "(SELECT t.last_error FROM sync_tasks t WHERE t.device_id = d.id "
                              " AND t.status = 'failed' ORDER BY t.updated DESC, t.id DESC "
                              " LIMIT 1) "
                              "FROM devices d WHERE ?1 = 0 OR d.id = ?1 ORDER BY d.name, d.id",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, device_id);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_sync_progress_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    GhSyncProgress *p = g_new0 (GhSyncProgress, 1);

    p->device_id = sqlite3_column_int64 (stmt, 0);
    p->device_name = gh_stmt_dup_text (stmt, 1);
    p->pending = (guint) sqlite3_column_int64 (stmt, 2);
    p->done = (guint) sqlite3_column_int64 (stmt, 3);
    p->failed = (guint) sqlite3_column_int64 (stmt, 4);
    p->last_error = gh_stmt_dup_text (stmt, 5);
    g_ptr_array_add (rows, p);
  }
  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading the push progress");
    return NULL;
  }
  return g_steal_pointer (&rows);
}

/**
 * gh_sync_plan_count_pushed:
 * @object_kind: (nullable): a kind, or %NULL for all
 *
 * Returns: how many objects the device holds according to the ledger
 */
guint
gh_sync_plan_count_pushed (GhSyncPlan *self,
                           gint64      device_id,
                           const char *object_kind)
{
  g_autoptr(GhStmt) stmt = NULL;
  guint n = 0;

  g_return_val_if_fail (GH_IS_SYNC_PLAN (self), 0);

  stmt = gh_database_prepare (self->database,
                              "SELECT count (*) FROM sync_ledger WHERE device_id = ?1 "
                              "AND (?2 IS NULL OR object_kind = ?2)", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, device_id);
  gh_stmt_bind_text (stmt, 2, object_kind);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint) sqlite3_column_int64 (stmt, 0);
  return n;
}

/* The object ids of @items as a JSON array, for `json_each (?)`. */
static char *
object_ids_json (GPtrArray *items)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < items->len; i++) {
    if (i > 0)
      g_string_append_c (s, ',');
    gh_json_append_int (s, ((GhSyncItem *) g_ptr_array_index (items, i))->object_id);
  }
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* Adds the blobs of `SELECT person_id, blob … ORDER BY person_id, slot` over @ids to the
 * persons of @by_id, into the array at @offset of each. */
static gboolean
load_blobs (GhSyncPlan  *self,
            const char  *sql,
            const char  *ids,
            GHashTable  *by_id,
            gsize        offset,
            GError     **error)
{
  g_autoptr(GhStmt) stmt = gh_database_prepare (self->database, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ids, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gint64 person = sqlite3_column_int64 (stmt, 0);
    GhSyncPersonData *data = g_hash_table_lookup (by_id, &person);

    if (data != NULL)
      g_ptr_array_add (G_STRUCT_MEMBER (GPtrArray *, data, offset), gh_stmt_dup_bytes (stmt, 1));
  }
  if (rc != SQLITE_DONE)
    return gh_database_fail (self->database, error, "reading biometric data");
  return TRUE;
}

/* Reads the persons of @items with one query per table: object id → GhSyncPersonData. */
static GHashTable *
load_persons_from_db (GhSyncPlan  *self,
                      GPtrArray   *items,
                      GError     **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                       (GDestroyNotify) gh_sync_person_data_free);
  g_autofree char *ids = NULL;
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  ids = object_ids_json (items);

  stmt = gh_database_prepare (self->database,
                              "SELECT p.id, p.person_id, p.name, r.number, ifnull (p.valid_from, 0), "
                              "ifnull (p.valid_to, 0), pw.password FROM persons p "
                              "LEFT JOIN rooms r ON r.id = p.room_id "
                              "LEFT JOIN person_passwords pw ON pw.person_id = p.id "
                              "WHERE p.id IN (SELECT value FROM json_each (?1))", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, ids, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    GhSyncPersonData *data = g_new0 (GhSyncPersonData, 1);

    data->object_id = sqlite3_column_int64 (stmt, 0);
    data->person_key = gh_stmt_dup_text (stmt, 1);
    data->name = gh_stmt_dup_text (stmt, 2);
    data->room = gh_stmt_dup_text (stmt, 3);
    data->valid_from = sqlite3_column_int64 (stmt, 4);
    data->valid_to = sqlite3_column_int64 (stmt, 5);
    data->password = gh_stmt_dup_text (stmt, 6);
    data->cards = g_ptr_array_new_with_free_func ((GDestroyNotify) card_data_free);
    data->faces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
    data->fingerprints = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
    g_hash_table_insert (by_id, &data->object_id, data);
  }
  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading the persons to push");
    return NULL;
  }
  gh_stmt_release (g_steal_pointer (&stmt));

  stmt = gh_database_prepare (self->database,
                              "SELECT person_id, number, kind, frozen FROM cards "
                              "WHERE person_id IN (SELECT value FROM json_each (?1)) "
                              "ORDER BY person_id, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, ids, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gint64 person = sqlite3_column_int64 (stmt, 0);
    GhSyncPersonData *data = g_hash_table_lookup (by_id, &person);
    GhSyncCardData *card;

    if (data == NULL)
      continue;
    card = g_new0 (GhSyncCardData, 1);
    card->number = gh_stmt_dup_text (stmt, 1);
    card->kind = gh_stmt_dup_text (stmt, 2);
    card->frozen = sqlite3_column_int (stmt, 3) != 0;
    g_ptr_array_add (data->cards, card);
  }
  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading the cards to push");
    return NULL;
  }
  gh_stmt_release (g_steal_pointer (&stmt));

  if (!load_blobs (self, "SELECT person_id, image FROM person_faces "
                   "WHERE person_id IN (SELECT value FROM json_each (?1)) "
                   "ORDER BY person_id, slot", ids, by_id,
                   G_STRUCT_OFFSET (GhSyncPersonData, faces), error) ||
      !load_blobs (self, "SELECT person_id, template FROM person_fingerprints "
                   "WHERE person_id IN (SELECT value FROM json_each (?1)) "
                   "ORDER BY person_id, slot", ids, by_id,
                   G_STRUCT_OFFSET (GhSyncPersonData, fingerprints), error))
    return NULL;

  return g_steal_pointer (&by_id);
}


static GPtrArray *
blobs_ref (GPtrArray *blobs)
{
  return g_ptr_array_copy (blobs, (GCopyFunc) (void (*) (void)) g_bytes_ref, NULL);
}

/* Roughly the memory @data holds, for the cache's limit. */
static gsize
person_data_size (const GhSyncPersonData *data)
{
  gsize size = 256 + 64 * data->cards->len;

  for (guint i = 0; i < data->faces->len; i++)
    size += g_bytes_get_size (g_ptr_array_index (data->faces, i));
  for (guint i = 0; i < data->fingerprints->len; i++)
    size += g_bytes_get_size (g_ptr_array_index (data->fingerprints, i));
  return size;
}

static GhSyncPersonData *
person_data_dup (const GhSyncPersonData *data)
{
  GhSyncPersonData *copy = g_new0 (GhSyncPersonData, 1);

  copy->object_id = data->object_id;
  copy->person_key = g_strdup (data->person_key);
  copy->name = g_strdup (data->name);
  copy->room = g_strdup (data->room);
  copy->valid_from = data->valid_from;
  copy->valid_to = data->valid_to;
  copy->password = g_strdup (data->password);
  copy->cards = g_ptr_array_new_full (data->cards->len, (GDestroyNotify) card_data_free);
  for (guint i = 0; i < data->cards->len; i++) {
    const GhSyncCardData *card = g_ptr_array_index (data->cards, i);
    GhSyncCardData *c = g_new0 (GhSyncCardData, 1);

    c->number = g_strdup (card->number);
    c->kind = g_strdup (card->kind);
    c->frozen = card->frozen;
    g_ptr_array_add (copy->cards, c);
  }
  copy->faces = blobs_ref (data->faces);
  copy->fingerprints = blobs_ref (data->fingerprints);
  return copy;
}

/* Which of @items' persons still exist: object id → itself. */
static GHashTable *
existing_persons (GhSyncPlan  *self,
                  GPtrArray   *items,
                  GError     **error)
{
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         NULL);
  g_autofree char *ids = object_ids_json (items);
  g_autoptr(GhStmt) stmt = NULL;
  int rc;

  stmt = gh_database_prepare (self->database, "SELECT id FROM persons "
                              "WHERE id IN (SELECT value FROM json_each (?1))", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, ids, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gint64 id = sqlite3_column_int64 (stmt, 0);

    g_hash_table_add (present, g_memdup2 (&id, sizeof id));
  }
  if (rc != SQLITE_DONE) {
    gh_database_fail (self->database, error, "reading the persons to push");
    return NULL;
  }
  return g_steal_pointer (&present);
}

/**
 * gh_sync_plan_load_persons:
 * @items: (element-type GhSyncItem): upserts of persons
 *
 * Reads the persons of a batch with one query per table. A person already read for another
 * device is reused while the plan gives it the same content hash (#GhSyncItem.content): a
 * push of 10,000 persons to 100 door stations reads them once, not 100 times. (A person who
 * changed since the plan may be sent as read before; the next plan sees the change and sends
 * it again, as it does for a change during a push.)
 *
 * Returns: (transfer full) (element-type GhSyncPersonData): the persons still present, in
 *   the order of @items
 */
GPtrArray *
gh_sync_plan_load_persons (GhSyncPlan  *self,
                           GPtrArray   *items,
                           GError     **error)
{
  g_autoptr(GPtrArray) out = NULL;
  g_autoptr(GPtrArray) misses = g_ptr_array_new ();
  g_autoptr(GPtrArray) hits = g_ptr_array_new ();
  g_autoptr(GHashTable) loaded = NULL;
  g_autoptr(GHashTable) present = NULL;

  g_return_val_if_fail (GH_IS_SYNC_PLAN (self), NULL);

  for (guint i = 0; i < items->len; i++) {
    GhSyncItem *item = g_ptr_array_index (items, i);
    CachedPerson *cached = g_hash_table_lookup (self->persons, &item->object_id);

    g_ptr_array_add (cached != NULL && g_strcmp0 (cached->content, item->content) == 0 ? hits
                                                                                      : misses,
                     item);
  }
  loaded = misses->len > 0 ? load_persons_from_db (self, misses, error)
                           : g_hash_table_new (g_int64_hash, g_int64_equal);
  if (loaded == NULL)
    return NULL;
  present = hits->len > 0 ? existing_persons (self, hits, error)
                          : g_hash_table_new (g_int64_hash, g_int64_equal);
  if (present == NULL)
    return NULL;

  for (guint i = 0; i < misses->len; i++) {
    GhSyncItem *item = g_ptr_array_index (misses, i);
    GhSyncPersonData *data = g_hash_table_lookup (loaded, &item->object_id);
    CachedPerson *cached, *old;

    if (data == NULL || item->content == NULL)
      continue;
    old = g_hash_table_lookup (self->persons, &item->object_id);
    if (old != NULL)
      self->persons_bytes -= MIN (self->persons_bytes, person_data_size (old->data));
    cached = g_new0 (CachedPerson, 1);
    cached->content = g_strdup (item->content);
    cached->data = person_data_dup (data);
    self->persons_bytes += person_data_size (data);
    g_hash_table_replace (self->persons, &cached->data->object_id, cached);
  }

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_sync_person_data_free);
  for (guint i = 0; i < items->len; i++) {
    GhSyncItem *item = g_ptr_array_index (items, i);
    GhSyncPersonData *data = g_hash_table_lookup (loaded, &item->object_id);

    if (data != NULL) {
      g_hash_table_steal (loaded, &item->object_id);
      g_ptr_array_add (out, data);
    } else if (g_hash_table_contains (present, &item->object_id)) {
      CachedPerson *cached = g_hash_table_lookup (self->persons, &item->object_id);

      g_ptr_array_add (out, person_data_dup (cached->data));
    }
  }
  /* only now: the hits above needed their entries */
  if (self->persons_bytes > PERSON_CACHE_BYTES) {
    g_hash_table_remove_all (self->persons);
    self->persons_bytes = 0;
  }
  return g_steal_pointer (&out);
}

/**
 * gh_sync_plan_load_room_passwords:
 *
 * Returns: (transfer full) (element-type GhSyncRoomPasswordData): the rooms still present
 */
GPtrArray *
gh_sync_plan_load_room_passwords (GhSyncPlan  *self,
                                  GPtrArray   *items,
                                  GError     **error)
{
  g_autoptr(GPtrArray) out = NULL;

  g_return_val_if_fail (GH_IS_SYNC_PLAN (self), NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_sync_room_password_data_free);
  for (guint i = 0; i < items->len; i++) {
    GhSyncItem *item = g_ptr_array_index (items, i);
    g_autoptr(GhStmt) stmt = NULL;
    GhSyncRoomPasswordData *data;
    int rc;

    stmt = gh_database_prepare (self->database,
                                "SELECT number, ifnull (unlock_password, '') FROM rooms "
                                "WHERE id = ?1", error);
    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, item->object_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      continue;
    if (rc != SQLITE_ROW) {
      gh_database_fail (self->database, error, "reading a room to push");
      return NULL;
    }
    data = g_new0 (GhSyncRoomPasswordData, 1);
    data->object_id = item->object_id;
    data->room = gh_stmt_dup_text (stmt, 0);
    data->password = gh_stmt_dup_text (stmt, 1);
    g_ptr_array_add (out, data);
  }
  return g_steal_pointer (&out);
}

/**
 * gh_sync_plan_load_registrations:
 *
 * Returns: (transfer full) (element-type GhSyncRegistrationData): the numbers still present
 */
GPtrArray *
gh_sync_plan_load_registrations (GhSyncPlan  *self,
                                 GPtrArray   *items,
                                 GError     **error)
{
  g_autoptr(GPtrArray) out = NULL;

  g_return_val_if_fail (GH_IS_SYNC_PLAN (self), NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_sync_registration_data_free);
  for (guint i = 0; i < items->len; i++) {
    GhSyncItem *item = g_ptr_array_index (items, i);
    g_autoptr(GhStmt) stmt = NULL;
    GhSyncRegistrationData *data;
    int rc;

    stmt = gh_database_prepare (self->database,
                                "SELECT g.kind, g.number, d.name, d.host "
                                "FROM registration_numbers g "
                                "JOIN devices d ON d.id = g.device_id WHERE g.id = ?1", error);
    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, item->object_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      continue;
    if (rc != SQLITE_ROW) {
      gh_database_fail (self->database, error, "reading a registration number to push");
      return NULL;
    }
    data = g_new0 (GhSyncRegistrationData, 1);
    data->object_id = item->object_id;
    data->kind = gh_stmt_dup_text (stmt, 0);
    data->number = gh_stmt_dup_text (stmt, 1);
    data->name = gh_stmt_dup_text (stmt, 2);
    data->address = gh_stmt_dup_text (stmt, 3);
    g_ptr_array_add (out, data);
  }
  return g_steal_pointer (&out);
}

/**
 * gh_sync_plan_load_notices:
 *
 * Returns: (transfer full) (element-type GhSyncNoticeData): the notices still present
 */
GPtrArray *
gh_sync_plan_load_notices (GhSyncPlan  *self,
                           GPtrArray   *items,
                           GError     **error)
{
  g_autoptr(GPtrArray) out = NULL;

  g_return_val_if_fail (GH_IS_SYNC_PLAN (self), NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_sync_notice_data_free);
  for (guint i = 0; i < items->len; i++) {
    GhSyncItem *item = g_ptr_array_index (items, i);
    g_autoptr(GhStmt) stmt = NULL;
    GhSyncNoticeData *data;
    int rc;

    stmt = gh_database_prepare (self->database,
                                "SELECT title, body, start_time FROM notices WHERE id = ?1", error);
    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, item->object_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      continue;
    if (rc != SQLITE_ROW) {
      gh_database_fail (self->database, error, "reading a notice to push");
      return NULL;
    }
    data = g_new0 (GhSyncNoticeData, 1);
    data->object_id = item->object_id;
    data->title = gh_stmt_dup_text (stmt, 0);
    data->body = gh_stmt_dup_text (stmt, 1);
    data->start_time = sqlite3_column_int64 (stmt, 2);
    g_ptr_array_add (out, data);
  }
  return g_steal_pointer (&out);
}
