/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-migrations"

#include "config.h"

#include "gh-database-private.h"

/*
 * The schema, as an ordered list of migration steps. Each step runs once, inside the
 * transaction that gh_database_open() holds, and then sets `PRAGMA user_version` to its
 * version. Never edit a step that has shipped: append a new one. docs/data-model.md
 * describes every table.
 *
 * Conventions: times are Unix seconds (UTC) in INTEGER columns, except audit_log.ts which is
 * Unix microseconds; enumerations are lower-case TEXT with a CHECK; booleans are INTEGER 0/1.
 * On the tables written in bulk (persons, cards) the CHECKs spell enumerations as OR chains:
 * SQLite builds a temporary index for every `IN (…)` list of three or more constants, per row.
 */

static const char schema_v1[] =
  /* Settings and company. */
  "CREATE TABLE settings ("
  "  key   TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT NOT NULL"
  ");"
  "INSERT INTO settings (key, value) VALUES ('card-number-display', 'hex'),"
  "                                         ('org-levels', 'building-unit');"
  "CREATE TABLE company ("
  "  id          INTEGER PRIMARY KEY CHECK (id = 1),"
  "  name        TEXT NOT NULL DEFAULT '',"
  "  fax         TEXT NOT NULL DEFAULT '',"
  "  email       TEXT NOT NULL DEFAULT '',"
  "  phone       TEXT NOT NULL DEFAULT '',"
  "  website     TEXT NOT NULL DEFAULT '',"
  "  postal_code TEXT NOT NULL DEFAULT '',"
  "  address     TEXT NOT NULL DEFAULT '',"
  "  logo        BLOB,"
  "  logo_type   TEXT"
  ");"

  /* Departments: a tree; the root has parent_id NULL. */
  "CREATE TABLE departments ("
  "  id        INTEGER PRIMARY KEY,"
  "  parent_id INTEGER REFERENCES departments (id) ON DELETE RESTRICT,"
  "  name      TEXT NOT NULL CHECK (length (trim (name)) > 0),"
  "  position  INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE UNIQUE INDEX departments_sibling_name ON departments (ifnull (parent_id, 0), name);"

  /* Organization: community → building → unit, and rooms under the lowest level. */
  "CREATE TABLE org_nodes ("
  "  id        INTEGER PRIMARY KEY,"
  "  parent_id INTEGER REFERENCES org_nodes (id) ON DELETE RESTRICT,"
  "  kind      TEXT NOT NULL CHECK (kind IN ('community', 'building', 'unit')),"
  "  number    TEXT NOT NULL DEFAULT '',"
  "  name      TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE UNIQUE INDEX org_nodes_sibling_number ON org_nodes (ifnull (parent_id, 0), number)"
  "  WHERE kind <> 'community';"
  "CREATE TABLE rooms ("
  "  id              INTEGER PRIMARY KEY,"
  "  org_node_id     INTEGER NOT NULL REFERENCES org_nodes (id) ON DELETE RESTRICT,"
  "  number          TEXT NOT NULL CHECK (length (number) > 0),"
  "  name            TEXT NOT NULL DEFAULT '',"
  "  unlock_password TEXT,"
  "  UNIQUE (org_node_id, number)"
  ");"

  /* Devices. secret_enc holds the device password, encrypted by the caller. */
  "CREATE TABLE devices ("
  "  id         INTEGER PRIMARY KEY,"
  "  kind       TEXT NOT NULL CHECK (kind IN ('vto', 'vth', 'vts', 'fence', 'villa')),"
  "  name       TEXT NOT NULL CHECK (length (trim (name)) > 0),"
  "  host       TEXT NOT NULL CHECK (length (host) > 0),"
  "  port       INTEGER NOT NULL DEFAULT 80 CHECK (port BETWEEN 1 AND 65535),"
  "  username   TEXT NOT NULL DEFAULT '',"
  "  secret_enc BLOB,"
  "  driver     TEXT NOT NULL,"
  "  status     TEXT NOT NULL DEFAULT 'unknown'"
  "             CHECK (status IN ('unknown', 'online', 'offline', 'auth-failed', 'error')),"
  "  model      TEXT NOT NULL DEFAULT '',"
  "  serial     TEXT NOT NULL DEFAULT '',"
  "  firmware   TEXT NOT NULL DEFAULT '',"
  "  door_count INTEGER NOT NULL DEFAULT 1 CHECK (door_count BETWEEN 0 AND 16),"
  "  last_seen  INTEGER,"
  "  created    INTEGER NOT NULL DEFAULT (unixepoch ()),"
  "  UNIQUE (host, port)"
  ");"
  "CREATE INDEX devices_kind ON devices (kind, name);"
  "CREATE TABLE room_device_status ("
  "  room_id   INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,"
  "  device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,"
  "  status    TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),"
  "  error     TEXT,"
  "  updated   INTEGER NOT NULL DEFAULT (unixepoch ()),"
  "  PRIMARY KEY (room_id, device_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX room_device_status_device ON room_device_status (device_id);"

  /* Persons and their credentials. */
  "CREATE TABLE persons ("
  "  id            INTEGER PRIMARY KEY,"
  "  person_id     TEXT NOT NULL UNIQUE CHECK (length (person_id) BETWEEN 1 AND 32),"
  "  name          TEXT NOT NULL DEFAULT '',"
  "  department_id INTEGER REFERENCES departments (id) ON DELETE RESTRICT,"
  "  room_id       INTEGER REFERENCES rooms (id) ON DELETE SET NULL,"
  "  type          TEXT NOT NULL DEFAULT 'general'"
  "                CHECK (type = 'general' OR type = 'vip' OR type = 'guest' OR"
  "                       type = 'patrol' OR type = 'blocklist' OR type = 'other'),"
  "  gender        TEXT NOT NULL DEFAULT 'unknown'"
  "                CHECK (gender = 'unknown' OR gender = 'male' OR gender = 'female'),"
  "  phone         TEXT NOT NULL DEFAULT '',"
  "  email         TEXT NOT NULL DEFAULT '',"
  "  id_number     TEXT NOT NULL DEFAULT '',"
  "  valid_from    INTEGER,"
  "  valid_to      INTEGER,"
  "  remark        TEXT NOT NULL DEFAULT '',"
  "  extended      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (extended)),"
  "  created       INTEGER NOT NULL DEFAULT (unixepoch ()),"
  "  updated       INTEGER NOT NULL DEFAULT (unixepoch ()),"
  "  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)"
  ");"
  "CREATE INDEX persons_department ON persons (department_id);"
  "CREATE INDEX persons_room ON persons (room_id);"
  "CREATE VIRTUAL TABLE person_fts USING fts5 ("
  "  name, content = 'persons', content_rowid = 'id', prefix = '2 3',"
  "  tokenize = 'unicode61 remove_diacritics 2'"
  ");"
  /* New persons are indexed by GhPersonStore in one statement at the end of each adding
   * transaction: an FTS5 table flushes its pending terms at every statement savepoint, so a
   * per-row insert trigger would write one index segment per person in a batch. */
  "CREATE TRIGGER persons_fts_delete AFTER DELETE ON persons BEGIN"
  "  INSERT INTO person_fts (person_fts, rowid, name) VALUES ('delete', old.id, old.name);"
  "END;"
  "CREATE TRIGGER persons_fts_update AFTER UPDATE OF name ON persons BEGIN"
  "  INSERT INTO person_fts (person_fts, rowid, name) VALUES ('delete', old.id, old.name);"
  "  INSERT INTO person_fts (rowid, name) VALUES (new.id, new.name);"
  "END;"
  /* number is the canonical hexadecimal text (leading zeros kept, as issued); value is the
   * same number as an integer (two's complement for numbers above 2^63), which decides
   * whether two cards are the same card: 00AB12CD and AB12CD are. */
  "CREATE TABLE cards ("
  "  id        INTEGER PRIMARY KEY,"
  "  number    TEXT NOT NULL CHECK (length (number) BETWEEN 1 AND 16),"
  "  value     INTEGER NOT NULL UNIQUE,"
  "  person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,"
  "  kind      TEXT NOT NULL DEFAULT 'ordinary'"
  "            CHECK (kind = 'ordinary' OR kind = 'main' OR kind = 'duress'),"
  "  frozen    INTEGER NOT NULL DEFAULT 0 CHECK (frozen IN (0, 1)),"
  "  created   INTEGER NOT NULL DEFAULT (unixepoch ())"
  ");"
  "CREATE INDEX cards_person ON cards (person_id);"
  "CREATE INDEX cards_number ON cards (number);"
  "CREATE TABLE person_passwords ("
  "  person_id INTEGER PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,"
  "  password  TEXT NOT NULL,"
  "  updated   INTEGER NOT NULL DEFAULT (unixepoch ())"
  ");"
  "CREATE TABLE person_faces ("
  "  person_id  INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,"
  "  slot       INTEGER NOT NULL CHECK (slot BETWEEN 1 AND 2),"
  "  image      BLOB NOT NULL,"
  "  image_type TEXT NOT NULL DEFAULT 'image/jpeg',"
  "  updated    INTEGER NOT NULL DEFAULT (unixepoch ()),"
  "  PRIMARY KEY (person_id, slot)"
  ") WITHOUT ROWID;"
  "CREATE TABLE person_fingerprints ("
  "  person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,"
  "  slot      INTEGER NOT NULL CHECK (slot BETWEEN 1 AND 3),"
  "  template  BLOB NOT NULL,"
  "  duress    INTEGER NOT NULL DEFAULT 0 CHECK (duress IN (0, 1)),"
  "  updated   INTEGER NOT NULL DEFAULT (unixepoch ()),"
  "  PRIMARY KEY (person_id, slot)"
  ") WITHOUT ROWID;"

  /* Access rules. */
  "CREATE TABLE time_templates ("
  "  id       INTEGER PRIMARY KEY,"
  "  name     TEXT NOT NULL UNIQUE CHECK (length (trim (name)) > 0),"
  "  sections TEXT NOT NULL DEFAULT '',"
  "  remark   TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE TABLE permission_groups ("
  "  id               INTEGER PRIMARY KEY,"
  "  name             TEXT NOT NULL UNIQUE CHECK (length (trim (name)) > 0),"
  "  remark           TEXT NOT NULL DEFAULT '',"
  "  time_template_id INTEGER REFERENCES time_templates (id) ON DELETE RESTRICT,"
  "  verify_method    TEXT NOT NULL DEFAULT 'any'"
  "                   CHECK (verify_method IN ('any', 'card', 'password', 'face', 'fingerprint',"
  "                                            'card+password', 'face+card', 'face+password',"
  "                                            'fingerprint+password', 'fingerprint+card'))"
  ");"
  "CREATE TABLE group_doors ("
  "  group_id   INTEGER NOT NULL REFERENCES permission_groups (id) ON DELETE CASCADE,"
  "  device_id  INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,"
  "  door_index INTEGER NOT NULL CHECK (door_index >= 0),"
  "  PRIMARY KEY (group_id, device_id, door_index)"
  ") WITHOUT ROWID;"
  "CREATE INDEX group_doors_device ON group_doors (device_id);"
  "CREATE TABLE group_persons ("
  "  group_id  INTEGER NOT NULL REFERENCES permission_groups (id) ON DELETE CASCADE,"
  "  person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,"
  "  PRIMARY KEY (group_id, person_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX group_persons_person ON group_persons (person_id);"
  "CREATE TABLE group_departments ("
  "  group_id      INTEGER NOT NULL REFERENCES permission_groups (id) ON DELETE CASCADE,"
  "  department_id INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,"
  "  PRIMARY KEY (group_id, department_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX group_departments_department ON group_departments (department_id);"

  /* Numbering: one registration number per device (and room for a VTH). */
  "CREATE TABLE registration_numbers ("
  "  id          INTEGER PRIMARY KEY,"
  "  device_id   INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,"
  "  kind        TEXT NOT NULL CHECK (kind IN ('vto', 'vth', 'vts', 'fence', 'villa')),"
  "  number      TEXT NOT NULL UNIQUE CHECK (length (number) > 0),"
  "  org_node_id INTEGER REFERENCES org_nodes (id) ON DELETE CASCADE,"
  "  room_id     INTEGER REFERENCES rooms (id) ON DELETE CASCADE,"
  "  extension   INTEGER CHECK (extension IS NULL OR extension BETWEEN 0 AND 9)"
  ");"
  "CREATE INDEX registration_numbers_device ON registration_numbers (device_id);"
  "CREATE INDEX registration_numbers_room ON registration_numbers (room_id);"
  "CREATE INDEX registration_numbers_org ON registration_numbers (org_node_id);"

  /* Call groups: ordered members answer calls from the assigned building. */
  "CREATE TABLE call_groups ("
  "  id          INTEGER PRIMARY KEY,"
  "  name        TEXT NOT NULL UNIQUE CHECK (length (trim (name)) > 0),"
  "  building_id INTEGER REFERENCES org_nodes (id) ON DELETE SET NULL"
  ");"
  "CREATE INDEX call_groups_building ON call_groups (building_id);"
  "CREATE TABLE call_group_members ("
  "  group_id  INTEGER NOT NULL REFERENCES call_groups (id) ON DELETE CASCADE,"
  "  position  INTEGER NOT NULL CHECK (position >= 0),"
  "  kind      TEXT NOT NULL CHECK (kind IN ('device', 'client')),"
  "  device_id INTEGER REFERENCES devices (id) ON DELETE CASCADE,"
  "  CHECK ((kind = 'device') = (device_id IS NOT NULL)),"
  "  PRIMARY KEY (group_id, position)"
  ") WITHOUT ROWID;"

  /* Information release. */
  "CREATE TABLE notices ("
  "  id         INTEGER PRIMARY KEY,"
  "  title      TEXT NOT NULL CHECK (length (trim (title)) > 0),"
  "  body       TEXT NOT NULL DEFAULT '',"
  "  start_time INTEGER NOT NULL,"
  "  created    INTEGER NOT NULL DEFAULT (unixepoch ())"
  ");"
  "CREATE TABLE notice_devices ("
  "  notice_id INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,"
  "  device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,"
  "  status    TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),"
  "  error     TEXT,"
  "  updated   INTEGER NOT NULL DEFAULT (unixepoch ()),"
  "  PRIMARY KEY (notice_id, device_id)"
  ") WITHOUT ROWID;"

  /* Records read from devices. dedup_key is unique per device so re-reading is harmless. */
  "CREATE TABLE call_records ("
  "  id             INTEGER PRIMARY KEY,"
  "  device_id      INTEGER REFERENCES devices (id) ON DELETE SET NULL,"
  "  time           INTEGER NOT NULL,"
  "  direction      TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),"
  "  state          TEXT NOT NULL CHECK (state IN ('answered', 'missed', 'rejected', 'failed')),"
  "  local_number   TEXT NOT NULL DEFAULT '',"
  "  peer_number    TEXT NOT NULL DEFAULT '',"
  "  peer_kind      TEXT NOT NULL DEFAULT '',"
  "  talk_seconds   INTEGER NOT NULL DEFAULT 0,"
  "  snapshot_path  TEXT,"
  "  recording_path TEXT,"
  "  dedup_key      TEXT NOT NULL,"
  "  UNIQUE (device_id, dedup_key)"
  ");"
  "CREATE INDEX call_records_time ON call_records (time);"
  "CREATE INDEX call_records_device_time ON call_records (device_id, time);"
  "CREATE TABLE access_records ("
  "  id            INTEGER PRIMARY KEY,"
  "  device_id     INTEGER REFERENCES devices (id) ON DELETE SET NULL,"
  "  time          INTEGER NOT NULL,"
  "  door          INTEGER NOT NULL DEFAULT 0,"
  "  direction     TEXT NOT NULL DEFAULT 'entry' CHECK (direction IN ('entry', 'exit')),"
  "  method        TEXT NOT NULL DEFAULT 'unknown'"
  "                CHECK (method IN ('unknown', 'card', 'password', 'remote', 'fingerprint',"
  "                                  'face', 'button', 'room-password')),"
  "  granted       INTEGER NOT NULL CHECK (granted IN (0, 1)),"
  "  person_ref    TEXT NOT NULL DEFAULT '',"
  "  person_name   TEXT NOT NULL DEFAULT '',"
  "  card_number   TEXT NOT NULL DEFAULT '',"
  "  error_code    INTEGER NOT NULL DEFAULT 0,"
  "  snapshot_path TEXT,"
  "  dedup_key     TEXT NOT NULL,"
  "  UNIQUE (device_id, dedup_key)"
  ");"
  "CREATE INDEX access_records_time ON access_records (time);"
  "CREATE INDEX access_records_device_time ON access_records (device_id, time);"
  "CREATE TABLE alarm_records ("
  "  id        INTEGER PRIMARY KEY,"
  "  device_id INTEGER REFERENCES devices (id) ON DELETE SET NULL,"
  "  time      INTEGER NOT NULL,"
  "  type      TEXT NOT NULL CHECK (length (type) > 0),"
  "  channel   INTEGER NOT NULL DEFAULT 0,"
  "  state     TEXT NOT NULL DEFAULT 'start' CHECK (state IN ('start', 'stop', 'pulse')),"
  "  detail    TEXT NOT NULL DEFAULT '',"
  "  dedup_key TEXT NOT NULL,"
  "  UNIQUE (device_id, dedup_key)"
  ");"
  "CREATE INDEX alarm_records_time ON alarm_records (time);"
  "CREATE INDEX alarm_records_device_time ON alarm_records (device_id, time);"

  /* The push queue to devices. */
  "CREATE TABLE sync_tasks ("
  "  id           INTEGER PRIMARY KEY,"
  "  device_id    INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,"
  "  object_kind  TEXT NOT NULL CHECK (object_kind IN ('person', 'card', 'face', 'fingerprint',"
  "                  'password', 'room-password', 'registration-number', 'notice',"
  "                  'permission-group', 'time-template', 'call-group')),"
  "  object_id    INTEGER NOT NULL,"
  "  operation    TEXT NOT NULL CHECK (operation IN ('upsert', 'delete')),"
  "  status       TEXT NOT NULL DEFAULT 'pending'"
  "               CHECK (status IN ('pending', 'running', 'done', 'failed')),"
  "  attempts     INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt INTEGER NOT NULL DEFAULT (unixepoch ()),"
  "  last_error   TEXT,"
  "  created      INTEGER NOT NULL DEFAULT (unixepoch ()),"
  "  updated      INTEGER NOT NULL DEFAULT (unixepoch ())"
  ");"
  "CREATE INDEX sync_tasks_due ON sync_tasks (status, next_attempt);"
  "CREATE INDEX sync_tasks_device ON sync_tasks (device_id, status);"
  /* At most one waiting task per device and object: a newer change replaces the older one. */
  "CREATE UNIQUE INDEX sync_tasks_pending_object"
  "  ON sync_tasks (device_id, object_kind, object_id) WHERE status IN ('pending', 'failed');"

  /* Operators and the append-only, hash-chained audit log. */
  "CREATE TABLE operators ("
  "  id              INTEGER PRIMARY KEY,"
  "  username        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length (username) > 0),"
  "  password_hash   TEXT NOT NULL,"
  "  role            TEXT NOT NULL"
  "                  CHECK (role IN ('administrator', 'installer', 'operator', 'guard')),"
  "  disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
  "  failed_attempts INTEGER NOT NULL DEFAULT 0,"
  "  locked_until    INTEGER,"
  "  created         INTEGER NOT NULL DEFAULT (unixepoch ())"
  ");"
  "CREATE TABLE audit_log ("
  "  id          INTEGER PRIMARY KEY,"
  "  ts          INTEGER NOT NULL,"
  "  operator    TEXT NOT NULL,"
  "  surface     TEXT NOT NULL,"
  "  action      TEXT NOT NULL,"
  "  object_type TEXT NOT NULL,"
  "  object_id   TEXT NOT NULL DEFAULT '',"
  "  detail      TEXT NOT NULL DEFAULT '',"
  "  prev_mac    TEXT NOT NULL DEFAULT '',"
  "  mac         TEXT NOT NULL"
  ");"
  "CREATE INDEX audit_log_ts ON audit_log (ts);"
  "CREATE INDEX audit_log_object ON audit_log (object_type, object_id);"
  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN"
  "  SELECT RAISE (ABORT, 'audit_log is append-only');"
  "END;"
  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN"
  "  SELECT RAISE (ABORT, 'audit_log is append-only');"
  "END;";

/* Sign-in security (issue 5): forced password change after an administrator's reset, the last
 * sign-in, failure counts for user names that do not exist (so they lock like real ones), and
 * the certificate pinned for each device on first HTTPS contact. */
static const char schema_v2[] =
  "ALTER TABLE operators ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0"
  "  CHECK (must_change IN (0, 1));"
  "ALTER TABLE operators ADD COLUMN last_login INTEGER;"
  "CREATE TABLE login_throttle ("
  "  username        TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,"
  "  failed_attempts INTEGER NOT NULL DEFAULT 0,"
  "  locked_until    INTEGER,"
  "  updated         INTEGER NOT NULL"
  ");"
  "CREATE TABLE device_certificates ("
  "  device_id   INTEGER PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,"
  "  spki_sha256 TEXT NOT NULL CHECK (length (spki_sha256) = 64),"
  "  subject     TEXT NOT NULL DEFAULT '',"
  "  first_seen  INTEGER NOT NULL DEFAULT (unixepoch ()),"
  "  updated     INTEGER NOT NULL DEFAULT (unixepoch ())"
  ");";

/* Sync engine (issue 4): what each device should hold (sync_desired, recomputed by the plan)
 * and what it was last sent successfully (sync_ledger); their difference is the push queue.
 * device_key is the object's name on the device (person ID, room number, …), kept so a
 * deletion can still be sent after the object is gone here. */
static const char schema_v3[] =
  "CREATE TABLE sync_desired ("
  "  device_id   INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,"
  "  object_kind TEXT NOT NULL,"
  "  object_id   INTEGER NOT NULL,"
  "  device_key  TEXT NOT NULL,"
  "  hash        TEXT NOT NULL,"
  "  doors       INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (device_id, object_kind, object_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE sync_ledger ("
  "  device_id   INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,"
  "  object_kind TEXT NOT NULL,"
  "  object_id   INTEGER NOT NULL,"
  "  device_key  TEXT NOT NULL,"
  "  hash        TEXT NOT NULL,"
  "  updated     INTEGER NOT NULL DEFAULT (unixepoch ()),"
  "  PRIMARY KEY (device_id, object_kind, object_id)"
  ") WITHOUT ROWID;"
  /* The engine claims a device's due tasks in order; done tasks stay only as history. */
  "CREATE INDEX sync_tasks_device_due ON sync_tasks (device_id, next_attempt, id)"
  "  WHERE status <> 'done';";

/* Password age (Appendix 1: change passwords regularly): when each operator's password was
 * last set, for the optional maximum age of the sign-in policy. */
static const char schema_v4[] =
  "ALTER TABLE operators ADD COLUMN password_changed INTEGER;"
  "UPDATE operators SET password_changed = created;";

/* Devices reached over HTTPS: their certificate is pinned on first use (docs/security.md). */
static const char schema_v5[] =
  "ALTER TABLE devices ADD COLUMN https INTEGER NOT NULL DEFAULT 0 CHECK (https IN (0, 1));";

/* The sync engine's claim is a lease on a device, not a write to every claimed task
 * (docs/sync.md). The (status, next_attempt) index goes: every finished task moved an entry
 * in it, and the next due time is read per device from sync_tasks_device_due. */
static const char schema_v6[] =
  "CREATE TABLE sync_leases ("
  "  device_id INTEGER PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,"
  "  holder    TEXT NOT NULL,"
  "  until     INTEGER NOT NULL"
  ");"
  "DROP INDEX sync_tasks_due;";

/* A person's content hash apart from the device (its doors): the sync engine reuses a person
 * it loaded for one device for the others while that hash is the same. */
static const char schema_v7[] =
  "ALTER TABLE sync_desired ADD COLUMN content TEXT;";

/* A counter every write transaction moves unless it only touched the sync engine's own
 * bookkeeping (queue, ledger, audit, fetched records): how the engine notices that another
 * connection, in this process or another, changed what devices should hold
 * (gh_database_get_change_count()). SQLite's data_version cannot tell those writes apart. */
static const char schema_v8[] =
  "CREATE TABLE change_count ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  n  INTEGER NOT NULL"
  ");"
  "INSERT INTO change_count (id, n) VALUES (1, 0);";

static const GhMigration migrations[] = {
  { 1, "initial schema", schema_v1 },
  { 2, "sign-in security and certificate pins", schema_v2 },
  { 3, "sync engine desired state and ledger", schema_v3 },
  { 4, "operator password age", schema_v4 },
  { 5, "device HTTPS flag", schema_v5 },
  { 6, "sync leases per device", schema_v6 },
  { 7, "sync content hash apart from the device", schema_v7 },
  { 8, "change counter", schema_v8 },
};

const GhMigration *
gh_migrations_get (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);

  return migrations;
}
