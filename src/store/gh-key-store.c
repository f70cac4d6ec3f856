/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-key-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gh-key-store.h"
#include "gh-database-private.h"

#include "gh-error.h"
#include "gh-secret-box.h"

/**
 * GhKeyStore:
 *
 * The keys of one data folder. A single 32-byte master key is made once, from the OpenSSL
 * random generator, and kept outside the database:
 *
 * - in the user's keyring through libsecret (schema `io.github.gatehouse.Gatehouse.Key`,
 *   attribute `data-dir` = the folder's absolute path), or
 * - when no Secret Service answers within a bounded wait (a server, a CI runner), in
 *   `<data-dir>/keys`, created with mode 0600 and refused when anyone else may read it.
 *
 * A small marker file `<data-dir>/keys.location` remembers that the key went to the keyring,
 * so a later start whose keyring does not answer fails with a clear error instead of making a
 * second key (which would make every sealed device password unreadable).
 *
 * Two working keys are derived from the master with HKDF-SHA256, one per purpose, so the
 * audit MAC key never encrypts anything and the secret key never signs anything:
 * "gatehouse secret-box v1" seals device passwords (AES-256-GCM), "gatehouse audit-chain v1"
 * keys the audit log's HMAC chain.
 *
 * gh_key_store_attach() binds the keys to an open #GhDatabase (checking that the database
 * was not sealed under another key), after which the store's audit rows are keyed and device
 * secrets can be sealed.
 */
struct _GhKeyStore
{
  GObject       parent_instance;

  char         *data_dir;                          /* (owned) */
  GhKeyBackend  backend;
  guint8        secret_key[GH_KEY_STORE_KEY_LEN];
  guint8        audit_key[GH_KEY_STORE_KEY_LEN];
  char          fingerprint[17];
};

G_DEFINE_FINAL_TYPE (GhKeyStore, gh_key_store, G_TYPE_OBJECT)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_KDF, EVP_KDF_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_KDF_CTX, EVP_KDF_CTX_free)

#define FILE_MAGIC        "gatehouse-key-v1"
#define SALT              "io.github.gatehouse.Gatehouse"
#define INFO_SECRET       "gatehouse secret-box v1"
#define INFO_AUDIT        "gatehouse audit-chain v1"
#define INFO_FINGERPRINT  "gatehouse key fingerprint v1"
#define SETTING_FPR       "key-fingerprint"

static GQuark
key_store_quark (void)
{
  return g_quark_from_static_string ("gh-key-store");
}

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    GH_KEY_STORE_SCHEMA, SECRET_SCHEMA_NONE,
    {
      { "data-dir", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static gboolean
hkdf (const guint8  *master,
      const char    *info,
      guint8        *out,
      gsize          out_len,
      GError       **error)
{
  g_autoptr(EVP_KDF) kdf = EVP_KDF_fetch (NULL, "HKDF", NULL);
  g_autoptr(EVP_KDF_CTX) ctx = NULL;
  OSSL_PARAM params[5];

  if (kdf != NULL)
    ctx = EVP_KDF_CTX_new (kdf);

  params[0] = OSSL_PARAM_construct_utf8_string (OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
  params[1] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_KEY, (void *)master,
                                                 GH_KEY_STORE_MASTER_LEN);
  params[2] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_SALT, (void *)SALT,
                                                 strlen (SALT));
  params[3] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_INFO, (void *)info,
                                                 strlen (info));
  params[4] = OSSL_PARAM_construct_end ();

  if (ctx == NULL || EVP_KDF_derive (ctx, out, out_len, params) <= 0) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_FAILED,
                         _("The cryptography library could not derive the working keys (HKDF); "
                           "check the OpenSSL installation."));
    return FALSE;
  }

  return TRUE;
}

static gboolean
derive_keys (GhKeyStore    *self,
             const guint8  *master,
             GError       **error)
{
  guint8 fpr[8];

  if (!hkdf (master, INFO_SECRET, self->secret_key, sizeof self->secret_key, error) ||
      !hkdf (master, INFO_AUDIT, self->audit_key, sizeof self->audit_key, error) ||
      !hkdf (master, INFO_FINGERPRINT, fpr, sizeof fpr, error))
    return FALSE;

  for (guint i = 0; i < sizeof fpr; i++)
    g_snprintf (self->fingerprint + 2 * i, 3, "%02x", fpr[i]);

  return TRUE;
}

static char *
encode_master (const guint8 *master)
{
  return g_base64_encode (master, GH_KEY_STORE_MASTER_LEN);
}

static gboolean
decode_master (const char  *text,
               guint8      *master,
               const char  *where,
               GError     **error)
{
  g_autofree guint8 *raw = NULL;
  gsize len = 0;

  if (text != NULL) {
    g_autofree char *copy = g_strstrip (g_strdup (text));

    if (*copy != '\0')
      raw = g_base64_decode (copy, &len);
  }

  if (raw == NULL || len != GH_KEY_STORE_MASTER_LEN) {
    if (raw != NULL)
      OPENSSL_cleanse (raw, len);
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("The Gatehouse key in %s is damaged (it is not %d bytes of base64). Restore "
                   "it from a backup; without it the device passwords cannot be read."),
                 where, GH_KEY_STORE_MASTER_LEN);
    return FALSE;
  }

  memcpy (master, raw, len);
  OPENSSL_cleanse (raw, len);

  return TRUE;
}

/* Keyring access with a bounded wait. */

typedef struct {
  gboolean   done;
  char      *password;  /* (owned) (nullable) */
  gboolean   stored;
  GError    *error;     /* (owned) (nullable) */
} KeyringCall;

static void
keyring_call_free (KeyringCall *call)
{
  if (call->password != NULL)
    secret_password_free (call->password);
  g_clear_error (&call->error);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  KeyringCall *call = user_data;

  call->password = secret_password_lookup_finish (result, &call->error);
  call->done = TRUE;
  g_atomic_rc_box_release_full (call, (GDestroyNotify)keyring_call_free);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  KeyringCall *call = user_data;

  call->stored = secret_password_store_finish (result, &call->error);
  call->done = TRUE;
  g_atomic_rc_box_release_full (call, (GDestroyNotify)keyring_call_free);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Whether a session bus can be reached without autolaunching one (which would start a
 * dbus-daemon on a headless machine, or pop up X11 helpers). */
static gboolean
session_bus_configured (void)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *runtime = g_get_user_runtime_dir ();
  g_autofree char *bus = NULL;

  if (address != NULL && *address != '\0')
    return !g_str_equal (address, "disabled:");

  bus = g_build_filename (runtime, "bus", NULL);

  return g_file_test (bus, G_FILE_TEST_EXISTS);
}

/*
 * Runs a keyring lookup (@store_value == NULL) or store on a private main context, waiting at
 * most @timeout_ms. On time-out the call is cancelled and abandoned: its callback owns its
 * own reference to the call data, so a late answer frees it without touching our stack.
 *
 * Returns: TRUE when the keyring answered (*out_password may be NULL: no key stored there)
 */
static gboolean
keyring_call (const char  *data_dir,
              const char  *store_value,
              guint        timeout_ms,
              char       **out_password,
              GError     **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GSource) timeout = NULL;
  g_autofree char *label = NULL;
  KeyringCall *call;
  gboolean expired = FALSE;
  gboolean answered = FALSE;

  if (!session_bus_configured ()) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_UNREACHABLE,
                         _("No session bus, so no keyring"));
    return FALSE;
  }

  context = g_main_context_new ();
  cancellable = g_cancellable_new ();
  call = g_atomic_rc_box_new0 (KeyringCall);

  g_main_context_push_thread_default (context);

  timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timeout, timeout_cb, &expired, NULL);
  g_source_attach (timeout, context);

  /* One reference for the callback, one for us. */
  g_atomic_rc_box_acquire (call);

  if (store_value != NULL) {
    label = g_strdup_printf (_("Gatehouse key for %s"), data_dir);
    secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, store_value,
                           cancellable, store_cb, call, "data-dir", data_dir, NULL);
  } else {
    secret_password_lookup (get_schema (), cancellable, lookup_cb, call,
                            "data-dir", data_dir, NULL);
  }

  while (!call->done && !expired)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);

  /* libsecret's shared service object was made on this private context, so D-Bus signals for
   * it would queue up here forever once nobody iterates it: let it go (the next libsecret
   * user makes a new one), and run what is already pending. */
  if (call->done) {
    secret_service_disconnect ();
    while (g_main_context_iteration (context, FALSE))
      ;
  }

  g_main_context_pop_thread_default (context);

  if (!call->done) {
    g_cancellable_cancel (cancellable);
    g_set_error (error, GH_ERROR, GH_ERROR_TIMED_OUT,
                 _("The keyring did not answer within %u seconds"), (timeout_ms + 999) / 1000);
  } else if (call->error != NULL) {
    g_propagate_error (error, g_steal_pointer (&call->error));
  } else {
    answered = TRUE;
    if (out_password != NULL && call->password != NULL)
      *out_password = g_strdup (call->password);
  }

  g_atomic_rc_box_release_full (call, (GDestroyNotify)keyring_call_free);

  return answered;
}

/* The key file. */

static gboolean
check_file_mode (const char  *path,
                 int          fd,
                 GError     **error)
{
  struct stat st;

  if (fstat (fd, &st) != 0) {
    int saved = errno;

    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE, _("Cannot read the key file “%s”: %s"),
                 path, g_strerror (saved));
    return FALSE;
  }

  if (!S_ISREG (st.st_mode)) {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("The key file “%s” is not a regular file. Move it away and try again."),
                 path);
    return FALSE;
  }

  if (st.st_uid != getuid ()) {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("The key file “%s” belongs to another user (uid %u). Only its owner may use "
                   "it: run Gatehouse as that user, or chown the file."),
                 path, (guint)st.st_uid);
    return FALSE;
  }

  if ((st.st_mode & 077) != 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("The key file “%s” can be read or changed by other users (mode %04o), so the "
                   "key may have leaked. Run “chmod 600 %s”, and consider changing the device "
                   "passwords."),
                 path, (guint)(st.st_mode & 07777), path);
    return FALSE;
  }

  return TRUE;
}

static gboolean
read_key_file (const char  *path,
               guint8      *master,
               GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  char buf[256];
  gssize n;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
  if (fd < 0) {
    int saved = errno;

    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE, _("Cannot open the key file “%s”: %s"),
                 path, g_strerror (saved));
    return FALSE;
  }

  if (!check_file_mode (path, fd, error)) {
    close (fd);
    return FALSE;
  }

  n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n < 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE, _("Cannot read the key file “%s”"), path);
    return FALSE;
  }
  buf[n] = '\0';

  lines = g_strsplit (buf, "\n", 3);
  OPENSSL_cleanse (buf, sizeof buf);

  if (g_strv_length (lines) < 2 || !g_str_equal (lines[0], FILE_MAGIC)) {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("“%s” is not a Gatehouse key file. Restore it from a backup."), path);
    return FALSE;
  }

  if (!decode_master (lines[1], master, path, error)) {
    OPENSSL_cleanse (lines[1], strlen (lines[1]));
    return FALSE;
  }

  OPENSSL_cleanse (lines[1], strlen (lines[1]));
  return TRUE;
}

/* Writes @contents to @path with mode 0600, never replacing an existing file (then
 * *@out_exists is set). */
static gboolean
write_private_file (const char  *path,
                    const char  *contents,
                    gboolean    *out_exists,
                    GError     **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.XXXXXX", path);
  gsize len = strlen (contents);
  gboolean ok = FALSE;
  int fd;

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) {
    int saved = errno;

    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("Cannot create the key file “%s”: %s. Check that the data folder is "
                   "writable."), path, g_strerror (saved));
    return FALSE;
  }

  if (fchmod (fd, 0600) == 0 && write (fd, contents, len) == (gssize)len && fsync (fd) == 0)
    ok = TRUE;
  close (fd);

  if (ok && link (tmp, path) != 0) {
    int saved = errno;

    if (out_exists != NULL)
      *out_exists = saved == EEXIST;

    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE, _("Cannot create the key file “%s”: %s"),
                 path, g_strerror (saved));
    g_unlink (tmp);
    return FALSE;
  }

  g_unlink (tmp);

  if (!ok)
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("Cannot write the key file “%s”. Check the free disk space."), path);

  return ok;
}

static void
gh_key_store_finalize (GObject *object)
{
  GhKeyStore *self = (GhKeyStore *)object;

  OPENSSL_cleanse (self->secret_key, sizeof self->secret_key);
  OPENSSL_cleanse (self->audit_key, sizeof self->audit_key);
  g_clear_pointer (&self->data_dir, g_free);

  G_OBJECT_CLASS (gh_key_store_parent_class)->finalize (object);
}

static void
gh_key_store_class_init (GhKeyStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_key_store_finalize;
}

static void
gh_key_store_init (GhKeyStore *self)
{
}

/**
 * gh_key_store_open:
 * @data_dir: the data folder (it must exist)
 *
 * gh_key_store_open_full() with no flags and the default keyring wait.
 */
GhKeyStore *
gh_key_store_open (const char  *data_dir,
                   GError     **error)
{
  return gh_key_store_open_full (data_dir, GH_KEY_STORE_FLAGS_NONE,
                                 GH_KEY_STORE_DEFAULT_TIMEOUT, error);
}

/**
 * gh_key_store_open_full:
 * @data_dir: the data folder (it must exist)
 * @flags: #GhKeyStoreFlags
 * @timeout_ms: how long to wait for the keyring, per request
 * @error: return location for a #GH_ERROR_STORAGE (key file unsafe or damaged) or
 *   #GH_ERROR_UNREACHABLE (the key is in a keyring that does not answer) error
 *
 * Finds the master key of @data_dir, or makes one: an existing `keys` file wins; otherwise the
 * keyring is asked; when it does not answer in time, a new key goes to a 0600 `keys` file.
 *
 * Returns: (transfer full): the key store, or %NULL with @error set
 */
GhKeyStore *
gh_key_store_open_full (const char       *data_dir,
                        GhKeyStoreFlags   flags,
                        guint             timeout_ms,
                        GError          **error)
{
  g_autoptr(GhKeyStore) self = NULL;
  g_autoptr(GError) keyring_error = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *marker_path = NULL;
  g_autofree char *from_keyring = NULL;
  g_autofree char *encoded = NULL;
  guint8 master[GH_KEY_STORE_MASTER_LEN];
  gboolean keyring_answered = FALSE;
  gboolean ok;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_test (data_dir, G_FILE_TEST_IS_DIR)) {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("The data folder “%s” does not exist. Create it first."), data_dir);
    return NULL;
  }

  self = g_object_new (GH_TYPE_KEY_STORE, NULL);
  self->data_dir = g_canonicalize_filename (data_dir, NULL);
  key_path = g_build_filename (self->data_dir, GH_KEY_STORE_FILE_NAME, NULL);
  marker_path = g_build_filename (self->data_dir, GH_KEY_STORE_MARKER_NAME, NULL);

  /* 1. A key file, once made, is where the key is. */
  if (g_file_test (key_path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK)) {
    if (!read_key_file (key_path, master, error))
      return NULL;
    self->backend = GH_KEY_BACKEND_FILE;
    goto derive;
  }

  /* 2. The keyring, with a bounded wait. */
  if (!(flags & GH_KEY_STORE_FLAGS_NO_KEYRING)) {
    keyring_answered = keyring_call (self->data_dir, NULL, timeout_ms, &from_keyring,
                                     &keyring_error);
    if (!keyring_answered)
      g_debug ("Keyring unavailable for %s: %s", self->data_dir, keyring_error->message);
  }

  if (from_keyring != NULL) {
    ok = decode_master (from_keyring, master, _("the keyring"), error);
    OPENSSL_cleanse (from_keyring, strlen (from_keyring));
    if (!ok)
      return NULL;
    self->backend = GH_KEY_BACKEND_KEYRING;
    goto derive;
  }

  if (g_file_test (marker_path, G_FILE_TEST_EXISTS)) {
    if (keyring_answered) {
      g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                   _("The Gatehouse key of “%s” is missing from your keyring. Restore the keyring "
                     "from a backup; without the key the device passwords cannot be read."),
                   self->data_dir);
    } else {
      g_set_error (error, GH_ERROR, GH_ERROR_UNREACHABLE,
                   _("The Gatehouse key of “%s” is in your keyring, which cannot be reached (%s). "
                     "Sign in to a desktop session with the keyring unlocked and try again."),
                   self->data_dir,
                   keyring_error != NULL ? keyring_error->message : _("keyring disabled"));
    }
    return NULL;
  }

  /* 3. A new key. */
  if (RAND_priv_bytes (master, sizeof master) != 1) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_FAILED,
                         _("The random generator failed; check the OpenSSL installation."));
    return NULL;
  }

  encoded = encode_master (master);

  if (keyring_answered) {
    g_autoptr(GError) store_error = NULL;

    if (keyring_call (self->data_dir, encoded, timeout_ms, NULL, &store_error)) {
      if (!write_private_file (marker_path, "keyring\n", NULL, error))
        return NULL;
      self->backend = GH_KEY_BACKEND_KEYRING;
      g_message ("Made a new key for %s and stored it in the keyring", self->data_dir);
      goto derive;
    }

    g_debug ("Keyring refused the key for %s: %s", self->data_dir, store_error->message);
  }

  {
    g_autofree char *contents = g_strdup_printf (FILE_MAGIC "\n%s\n", encoded);
    g_autoptr(GError) write_error = NULL;
    gboolean exists = FALSE;

    ok = write_private_file (key_path, contents, &exists, &write_error);
    OPENSSL_cleanse (contents, strlen (contents));
    OPENSSL_cleanse (encoded, strlen (encoded));
    g_clear_pointer (&encoded, g_free);

    if (!ok && exists) {
      /* Another Gatehouse on the same folder made its key first: use that one. */
      OPENSSL_cleanse (master, sizeof master);
      if (!read_key_file (key_path, master, error))
        return NULL;
      self->backend = GH_KEY_BACKEND_FILE;
      goto derive;
    }

    if (!ok) {
      g_propagate_error (error, g_steal_pointer (&write_error));
      OPENSSL_cleanse (master, sizeof master);
      return NULL;
    }
  }

  self->backend = GH_KEY_BACKEND_FILE;
  g_message ("No keyring answered; made a new key in %s (mode 0600)", key_path);

derive:
  if (encoded != NULL)
    OPENSSL_cleanse (encoded, strlen (encoded));
  ok = derive_keys (self, master, error);
  OPENSSL_cleanse (master, sizeof master);
  if (!ok)
    return NULL;

  return g_steal_pointer (&self);
}

GhKeyBackend
gh_key_store_get_backend (GhKeyStore *self)
{
  g_return_val_if_fail (GH_IS_KEY_STORE (self), GH_KEY_BACKEND_FILE);

  return self->backend;
}

/**
 * gh_key_store_get_backend_name:
 *
 * Returns: "keyring" or "file", for status displays and `gatehousectl`
 */
const char *
gh_key_store_get_backend_name (GhKeyStore *self)
{
  g_return_val_if_fail (GH_IS_KEY_STORE (self), NULL);

  return self->backend == GH_KEY_BACKEND_KEYRING ? "keyring" : "file";
}

const char *
gh_key_store_get_data_dir (GhKeyStore *self)
{
  g_return_val_if_fail (GH_IS_KEY_STORE (self), NULL);

  return self->data_dir;
}

/**
 * gh_key_store_get_fingerprint:
 *
 * Returns: 16 hex digits that name the key without revealing it (also derived by HKDF)
 */
const char *
gh_key_store_get_fingerprint (GhKeyStore *self)
{
  g_return_val_if_fail (GH_IS_KEY_STORE (self), NULL);

  return self->fingerprint;
}

const guint8 *
gh_key_store_get_secret_key (GhKeyStore *self,
                             gsize      *out_len)
{
  g_return_val_if_fail (GH_IS_KEY_STORE (self), NULL);

  if (out_len != NULL)
    *out_len = sizeof self->secret_key;

  return self->secret_key;
}

const guint8 *
gh_key_store_get_audit_key (GhKeyStore *self,
                            gsize      *out_len)
{
  g_return_val_if_fail (GH_IS_KEY_STORE (self), NULL);

  if (out_len != NULL)
    *out_len = sizeof self->audit_key;

  return self->audit_key;
}

/**
 * gh_key_store_seal_secret:
 * @secret: a device password (UTF-8)
 *
 * Returns: (transfer full): the sealed box (version 1) for a BLOB column
 */
GBytes *
gh_key_store_seal_secret (GhKeyStore  *self,
                          const char  *secret,
                          GError     **error)
{
  g_return_val_if_fail (GH_IS_KEY_STORE (self), NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  return gh_secret_box_seal (self->secret_key, sizeof self->secret_key,
                             (const guint8 *)secret, strlen (secret), error);
}

/**
 * gh_key_store_open_secret:
 *
 * Returns: (transfer full): the secret; wipe it after use
 */
char *
gh_key_store_open_secret (GhKeyStore  *self,
                          GBytes      *sealed,
                          GError     **error)
{
  g_autoptr(GBytes) plain = NULL;
  const guint8 *data;
  gsize len;
  char *secret;

  g_return_val_if_fail (GH_IS_KEY_STORE (self), NULL);
  g_return_val_if_fail (sealed != NULL, NULL);

  data = g_bytes_get_data (sealed, &len);
  plain = gh_secret_box_open (self->secret_key, sizeof self->secret_key, data, len, error);
  if (plain == NULL)
    return NULL;

  data = g_bytes_get_data (plain, &len);
  if (memchr (data, '\0', len) != NULL || !g_utf8_validate ((const char *)data, len, NULL)) {
    OPENSSL_cleanse ((guint8 *)data, len);
    g_set_error_literal (error, GH_ERROR, GH_ERROR_STORAGE,
                         _("A stored device password is not text; set it again."));
    return NULL;
  }

  secret = g_strndup ((const char *)data, len);
  OPENSSL_cleanse ((guint8 *)data, len);

  return secret;
}

/**
 * gh_key_store_attach:
 * @database: an open database of the same data folder
 *
 * Binds the keys to @database: its audit rows are then keyed with the audit key and device
 * secrets sealed with the secret key. The first attach records the key's fingerprint in the
 * database; later attaches refuse a different key, with %GH_ERROR_STORAGE (the database
 * belongs to another key: its audit chain and sealed passwords would not check).
 */
gboolean
gh_key_store_attach (GhKeyStore  *self,
                     GhDatabase  *database,
                     GError     **error)
{
  g_autofree char *stored = NULL;

  g_return_val_if_fail (GH_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);

  stored = gh_database_get_setting (database, SETTING_FPR);

  if (stored != NULL && !g_str_equal (stored, self->fingerprint)) {
    g_set_error (error, GH_ERROR, GH_ERROR_STORAGE,
                 _("The database “%s” was sealed with another key (fingerprint %s; this data "
                   "folder’s key is %s). Open it with its own data folder, or restore that "
                   "folder’s key file or keyring entry."),
                 gh_database_get_path (database), stored, self->fingerprint);
    return FALSE;
  }

  g_object_set_qdata_full (G_OBJECT (database), key_store_quark (), g_object_ref (self),
                           g_object_unref);

  if (stored == NULL) {
    g_autoptr(GhSession) system = gh_session_new_system ("system");

    if (!gh_database_begin (database, error))
      goto fail;
    if (!gh_database_set_setting (database, SETTING_FPR, self->fingerprint, error) ||
        !gh_database_auditf (database, system, error, "security.key-bound", "database", 0,
                             "fingerprint %s, %s", self->fingerprint,
                             gh_key_store_get_backend_name (self))) {
      gh_database_rollback (database);
      goto fail;
    }
    if (!gh_database_commit (database, error))
      goto fail;
  }

  return TRUE;

fail:
  g_object_set_qdata (G_OBJECT (database), key_store_quark (), NULL);
  return FALSE;
}

/**
 * gh_key_store_get_for_database:
 *
 * Returns: (transfer none) (nullable): the key store attached to @database
 */
GhKeyStore *
gh_key_store_get_for_database (GhDatabase *database)
{
  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  return g_object_get_qdata (G_OBJECT (database), key_store_quark ());
}

/**
 * gh_key_store_open_database:
 * @path: the database file, normally `<data-dir>/gatehouse.db`
 *
 * Opens the database and attaches these keys to it: what the application and gatehousectl
 * do at start-up, after gh_key_store_open() on the same data folder.
 *
 * Returns: (transfer full): the database, or %NULL with @error set
 */
GhDatabase *
gh_key_store_open_database (GhKeyStore  *self,
                            const char  *path,
                            GError     **error)
{
  g_autoptr(GhDatabase) database = NULL;

  g_return_val_if_fail (GH_IS_KEY_STORE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  database = gh_database_open (path, error);
  if (database == NULL)
    return NULL;

  if (!gh_key_store_attach (self, database, error))
    return NULL;

  return g_steal_pointer (&database);
}
