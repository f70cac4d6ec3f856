/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-secret-box"

#include "config.h"

#include "gh-error.h"
#include "gh-secret-box.h"

#include "test-helpers.h"

static void
make_key (guint8 *key,
          guint8  seed)
{
  for (guint i = 0; i < GH_SECRET_BOX_KEY_LEN; i++)
    key[i] = (guint8)(seed + i * 7);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  g_autoptr(GBytes) plain = NULL;
  guint8 key[GH_SECRET_BOX_KEY_LEN];
  const char *secret = "admin:Vt0-p4ss";
  const guint8 *data;
  gsize len;

  make_key (key, 1);
  a = gh_secret_box_seal (key, sizeof key, (const guint8 *)secret, strlen (secret), &error);
  g_assert_no_error (error);

  /* version ‖ nonce ‖ ciphertext ‖ tag */
  data = g_bytes_get_data (a, &len);
  g_assert_cmpuint (len, ==, 1 + 12 + strlen (secret) + 16);
  g_assert_cmpuint (data[0], ==, GH_SECRET_BOX_VERSION_KEY);
  for (gsize i = 0; i + 8 <= len; i++)
    g_assert_true (memcmp (data + i, "Vt0-p4ss", 8) != 0);

  /* A fresh nonce each time. */
  b = gh_secret_box_seal (key, sizeof key, (const guint8 *)secret, strlen (secret), &error);
  g_assert_false (g_bytes_equal (a, b));
  g_assert_true (memcmp ((const guint8 *)g_bytes_get_data (a, NULL) + 1,
                         (const guint8 *)g_bytes_get_data (b, NULL) + 1,
                         GH_SECRET_BOX_NONCE_LEN) != 0);

  plain = gh_secret_box_open (key, sizeof key, data, len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain),
                   secret, strlen (secret));
}

static void
test_wrong_key_and_tampering (void)
{
  g_autoptr(GBytes) sealed = NULL;
  guint8 key[GH_SECRET_BOX_KEY_LEN], other[GH_SECRET_BOX_KEY_LEN];
  g_autofree guint8 *copy = NULL;
  gsize len;

  make_key (key, 1);
  make_key (other, 2);
  sealed = gh_secret_box_seal (key, sizeof key, (const guint8 *)"hunter2", 7, NULL);
  copy = g_bytes_unref_to_data (g_bytes_ref (sealed), &len);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) plain = gh_secret_box_open (other, sizeof other, copy, len, &error);

    g_assert_null (plain);
    g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
    assert_message_contains (error, "the key is wrong or the stored data was changed");
  }

  /* Flip each byte after the version in turn: nonce, ciphertext and tag are all covered. */
  for (gsize i = 1; i < len; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) plain = NULL;

    copy[i] ^= 0x01;
    plain = gh_secret_box_open (key, sizeof key, copy, len, &error);
    g_assert_null (plain);
    g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
    copy[i] ^= 0x01;
  }

  /* The untouched copy still opens. */
  {
    g_autoptr(GBytes) plain = gh_secret_box_open (key, sizeof key, copy, len, NULL);

    g_assert_nonnull (plain);
  }
}

static void
test_malformed (void)
{
  guint8 key[GH_SECRET_BOX_KEY_LEN];
  guint8 blob[64] = { 0 };
  g_autoptr(GError) error = NULL;
  GBytes *plain;

  make_key (key, 3);

  plain = gh_secret_box_open (key, sizeof key, blob, 0, &error);
  g_assert_null (plain);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "no encrypted data");
  g_clear_error (&error);

  blob[0] = 9;
  plain = gh_secret_box_open (key, sizeof key, blob, sizeof blob, &error);
  g_assert_null (plain);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "format version 9");
  g_clear_error (&error);

  blob[0] = GH_SECRET_BOX_VERSION_KEY;
  plain = gh_secret_box_open (key, sizeof key, blob, 28, &error);
  g_assert_null (plain);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "cut short (28 bytes)");
  g_clear_error (&error);

  /* Exactly the overhead: an empty secret would fit, but this tag is wrong. */
  plain = gh_secret_box_open (key, sizeof key, blob, 29, &error);
  g_assert_null (plain);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_clear_error (&error);

  plain = gh_secret_box_seal (key, 16, (const guint8 *)"x", 1, &error);
  g_assert_null (plain);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "has 16 bytes; it must have exactly 32");
}

static void
test_empty_secret (void)
{
  g_autoptr(GError) error = NULL;
  guint8 key[GH_SECRET_BOX_KEY_LEN];
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) plain = NULL;

  make_key (key, 4);
  sealed = gh_secret_box_seal (key, sizeof key, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (sealed), ==, 29);
  plain = gh_secret_box_open (key, sizeof key, g_bytes_get_data (sealed, NULL),
                              g_bytes_get_size (sealed), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (plain), ==, 0);
}

static void
test_strings (void)
{
  g_autoptr(GError) error = NULL;
  guint8 key[GH_SECRET_BOX_KEY_LEN], other[GH_SECRET_BOX_KEY_LEN];
  g_autofree char *sealed = NULL;
  g_autofree char *opened = NULL;

  g_assert_true (gh_secret_box_generate_key (key, &error));
  g_assert_true (gh_secret_box_generate_key (other, &error));
  g_assert_true (memcmp (key, other, sizeof key) != 0);

  sealed = gh_secret_box_seal_string (key, sizeof key, "pässwörd", &error);
  g_assert_no_error (error);
  opened = gh_secret_box_open_string (key, sizeof key, sealed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, "pässwörd");
  g_clear_pointer (&opened, g_free);

  opened = gh_secret_box_open_string (other, sizeof other, sealed, &error);
  g_assert_null (opened);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_clear_error (&error);

  opened = gh_secret_box_open_string (key, sizeof key, "not base64!", &error);
  g_assert_null (opened);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "not valid base64");
  g_clear_error (&error);

  opened = gh_secret_box_open_string (key, sizeof key, NULL, &error);
  g_assert_null (opened);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Binary content is refused by the string API. */
  {
    g_autoptr(GBytes) bin = gh_secret_box_seal (key, sizeof key, (const guint8 *)"a\0b", 3, NULL);
    g_autofree char *b64 = g_base64_encode (g_bytes_get_data (bin, NULL), g_bytes_get_size (bin));

    opened = gh_secret_box_open_string (key, sizeof key, b64, &error);
    g_assert_null (opened);
    g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
    assert_message_contains (error, "not text");
  }
}

static void
test_scrypt_known_answer (void)
{
  /* RFC 7914 section 12, third vector (N = 16384, r = 8, p = 1). */
  static const char *hex =
    "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
    "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887";
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *expected = NULL;
  guint8 out[64];
  gsize len;

  expected = test_unhex (hex, &len);
  g_assert_true (gh_secret_box_derive_key ("pleaseletmein", (const guint8 *)"SodiumChloride", 14,
                                           16384, 8, 1, out, sizeof out, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (out, sizeof out, expected, len);

  g_assert_false (gh_secret_box_derive_key ("", (const guint8 *)"SodiumChloride", 14,
                                            16384, 8, 1, out, sizeof out, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "Enter a passphrase");
  g_clear_error (&error);

  g_assert_false (gh_secret_box_derive_key ("x", (const guint8 *)"SodiumChloride", 14,
                                            1000, 8, 1, out, sizeof out, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "out of range");
}

static void
test_passphrase (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autofree guint8 *copy = NULL;
  const char *export = "name,card\nAnna,AB12CD34\n";
  gsize len;

  sealed = gh_secret_box_seal_with_passphrase ("correct horse", (const guint8 *)export,
                                               strlen (export), &error);
  g_assert_no_error (error);
  copy = g_bytes_unref_to_data (g_bytes_ref (sealed), &len);
  g_assert_cmpuint (len, ==, 20 + 12 + strlen (export) + 16);
  g_assert_cmpuint (copy[0], ==, GH_SECRET_BOX_VERSION_PASS);
  g_assert_cmpuint (copy[1], ==, GH_SECRET_BOX_SCRYPT_LOG2_N);

  plain = gh_secret_box_open_with_passphrase ("correct horse", copy, len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain),
                   export, strlen (export));
  g_clear_pointer (&plain, g_bytes_unref);

  plain = gh_secret_box_open_with_passphrase ("correct horsE", copy, len, &error);
  g_assert_null (plain);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  assert_message_contains (error, "passphrase is wrong or the file was changed");
  g_clear_error (&error);

  /* The salt is authenticated: changing it fails even though the key is re-derived. */
  copy[10] ^= 0x80;
  plain = gh_secret_box_open_with_passphrase ("correct horse", copy, len, &error);
  g_assert_null (plain);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_clear_error (&error);
  copy[10] ^= 0x80;

  /* Ciphertext. */
  copy[40] ^= 0x01;
  plain = gh_secret_box_open_with_passphrase ("correct horse", copy, len, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_clear_error (&error);
  copy[40] ^= 0x01;

  /* A hostile cost setting is refused before any work. */
  copy[1] = 30;
  plain = gh_secret_box_open_with_passphrase ("correct horse", copy, len, &error);
  g_assert_null (plain);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "out of range");
  g_clear_error (&error);

  /* A key box is not a passphrase box. */
  copy[0] = GH_SECRET_BOX_VERSION_KEY;
  plain = gh_secret_box_open_with_passphrase ("correct horse", copy, len, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "format version 1, but version 2");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/secret-box/round-trip", test_round_trip);
  g_test_add_func ("/core/secret-box/wrong-key-and-tampering", test_wrong_key_and_tampering);
  g_test_add_func ("/core/secret-box/malformed", test_malformed);
  g_test_add_func ("/core/secret-box/empty-secret", test_empty_secret);
  g_test_add_func ("/core/secret-box/strings", test_strings);
  g_test_add_func ("/core/secret-box/scrypt-known-answer", test_scrypt_known_answer);
  g_test_add_func ("/core/secret-box/passphrase", test_passphrase);

  return g_test_run ();
}
