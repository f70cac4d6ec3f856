/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gh-database.h"

G_BEGIN_DECLS

/**
 * GhKeyBackend:
 * @GH_KEY_BACKEND_KEYRING: the master key lives in the user's keyring (Secret Service)
 * @GH_KEY_BACKEND_FILE: the master key lives in `<data-dir>/keys`, mode 0600
 *
 * Where the master key of a data folder is kept.
 */
typedef enum {
  GH_KEY_BACKEND_KEYRING,
  GH_KEY_BACKEND_FILE,
} GhKeyBackend;

/**
 * GhKeyStoreFlags:
 * @GH_KEY_STORE_FLAGS_NONE: try the keyring first, fall back to the key file
 * @GH_KEY_STORE_FLAGS_NO_KEYRING: never ask the keyring (a headless service account); the key
 *   file is used, and a folder whose key is in the keyring is refused
 */
typedef enum {
  GH_KEY_STORE_FLAGS_NONE       = 0,
  GH_KEY_STORE_FLAGS_NO_KEYRING = 1 << 0,
} GhKeyStoreFlags;

#define GH_KEY_STORE_SCHEMA          "io.github.gatehouse.Gatehouse.Key"
#define GH_KEY_STORE_FILE_NAME       "keys"
#define GH_KEY_STORE_MARKER_NAME     "keys.location"
#define GH_KEY_STORE_MASTER_LEN      32
#define GH_KEY_STORE_KEY_LEN         32
#define GH_KEY_STORE_DEFAULT_TIMEOUT 10000  /* ms to wait for the keyring */

#define GH_TYPE_KEY_STORE (gh_key_store_get_type ())
G_DECLARE_FINAL_TYPE (GhKeyStore, gh_key_store, GH, KEY_STORE, GObject)

GhKeyStore   *gh_key_store_open             (const char       *data_dir,
                                             GError          **error);
GhKeyStore   *gh_key_store_open_full        (const char       *data_dir,
                                             GhKeyStoreFlags   flags,
                                             guint             timeout_ms,
                                             GError          **error);
GhKeyBackend  gh_key_store_get_backend      (GhKeyStore       *self);
const char   *gh_key_store_get_backend_name (GhKeyStore       *self);
const char   *gh_key_store_get_data_dir     (GhKeyStore       *self);
const char   *gh_key_store_get_fingerprint  (GhKeyStore       *self);
const guint8 *gh_key_store_get_secret_key   (GhKeyStore       *self,
                                             gsize            *out_len);
const guint8 *gh_key_store_get_audit_key    (GhKeyStore       *self,
                                             gsize            *out_len);

GBytes       *gh_key_store_seal_secret      (GhKeyStore       *self,
                                             const char       *secret,
                                             GError          **error);
char         *gh_key_store_open_secret      (GhKeyStore       *self,
                                             GBytes           *sealed,
                                             GError          **error);

gboolean      gh_key_store_attach           (GhKeyStore       *self,
                                             GhDatabase       *database,
                                             GError          **error);
GhKeyStore   *gh_key_store_get_for_database (GhDatabase       *database);
GhDatabase   *gh_key_store_open_database    (GhKeyStore       *self,
                                             const char       *path,
                                             GError          **error);

G_END_DECLS
