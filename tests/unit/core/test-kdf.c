/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-kdf"

#include "config.h"

#include "gh-error.h"
#include "gh-kdf.h"

#include "test-helpers.h"

/* Small enough to keep the suite fast; the default count is tested once. */
#define TEST_ITERATIONS 1000

static void
test_pbkdf2_known_answers (void)
{
  /* PBKDF2-HMAC-SHA256 vectors: RFC 7914 section 11 (first) and the widely used
   * "password"/"salt" set, cross-checked against Python's hashlib. */
  static const struct {
    const char *password;
    const char *salt;
    guint iterations;
    const char *hex;
  } vectors[] = {
    { "passwd", "salt", 1,
      "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
      "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783" },
    { "password", "salt", 1,
      "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b" },
    { "password", "salt", 4096,
      "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree guint8 *expected = NULL;
    g_autofree guint8 *out = NULL;
    gsize len;

    expected = test_unhex (vectors[i].hex, &len);
    out = g_malloc (len);
    g_assert_true (gh_kdf_pbkdf2_sha256 (vectors[i].password, strlen (vectors[i].password),
                                         (const guint8 *)vectors[i].salt,
                                         strlen (vectors[i].salt), vectors[i].iterations,
                                         out, len, &error));
    g_assert_no_error (error);
    g_assert_cmpmem (out, len, expected, len);
  }
}

static void
test_pbkdf2_bad_iterations (void)
{
  g_autoptr(GError) error = NULL;
  guint8 out[32];

  g_assert_false (gh_kdf_pbkdf2_sha256 ("pw", 2, (const guint8 *)"salt", 4, 0, out, sizeof out,
                                        &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "iteration count 0");
}

static void
test_hash_and_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree guint8 *salt = NULL;
  g_autofree guint8 *hash = NULL;
  guint8 recomputed[GH_KDF_HASH_LEN];
  gsize salt_len, hash_len;

  a = gh_kdf_hash_password_with_iterations ("Tr0ub4dor&x", TEST_ITERATIONS, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (a, "pbkdf2-sha256$1000$"));

  /* The encoding holds a 16-byte salt and the 32-byte PBKDF2 output for it. */
  parts = g_strsplit (a, "$", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 4);
  salt = g_base64_decode (parts[2], &salt_len);
  hash = g_base64_decode (parts[3], &hash_len);
  g_assert_cmpuint (salt_len, ==, GH_KDF_SALT_LEN);
  g_assert_cmpuint (hash_len, ==, GH_KDF_HASH_LEN);
  g_assert_true (gh_kdf_pbkdf2_sha256 ("Tr0ub4dor&x", 11, salt, salt_len, TEST_ITERATIONS,
                                       recomputed, sizeof recomputed, NULL));
  g_assert_cmpmem (recomputed, sizeof recomputed, hash, hash_len);

  /* Fresh salt each time. */
  b = gh_kdf_hash_password_with_iterations ("Tr0ub4dor&x", TEST_ITERATIONS, &error);
  g_assert_cmpstr (a, !=, b);

  g_assert_true (gh_kdf_verify_password ("Tr0ub4dor&x", a, &error));
  g_assert_no_error (error);
  g_assert_true (gh_kdf_verify_password ("Tr0ub4dor&x", b, &error));

  g_assert_false (gh_kdf_verify_password ("tr0ub4dor&x", a, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  assert_message_contains (error, "not correct");
  g_clear_error (&error);

  g_assert_false (gh_kdf_verify_password ("", a, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
}

static void
test_default_iterations (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *encoded = gh_kdf_hash_password ("N7q!w2Lp", &error);
  g_autofree char *prefix = g_strdup_printf ("pbkdf2-sha256$%d$", GH_KDF_ITERATIONS);

  g_assert_no_error (error);
  g_assert_cmpint (GH_KDF_ITERATIONS, >=, 600000);
  g_assert_true (g_str_has_prefix (encoded, prefix));
  g_assert_false (gh_kdf_needs_rehash (encoded));
  g_assert_true (gh_kdf_verify_password ("N7q!w2Lp", encoded, &error));
}

static void
test_needs_rehash (void)
{
  g_autofree char *weak = gh_kdf_hash_password_with_iterations ("pw", TEST_ITERATIONS, NULL);
  g_autofree char *strong = NULL;

  g_assert_true (gh_kdf_needs_rehash (weak));
  g_assert_true (gh_kdf_needs_rehash (NULL));
  g_assert_true (gh_kdf_needs_rehash ("md5$abc"));

  /* A stored hash with more iterations than today's setting is fine. */
  strong = g_strdup_printf ("pbkdf2-sha256$%d$AAAAAAAAAAAAAAAAAAAAAA==$"
                            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                            GH_KDF_ITERATIONS + 1);
  g_assert_false (gh_kdf_needs_rehash (strong));
}

static void
test_tampered_encoding (void)
{
  g_autofree char *good = gh_kdf_hash_password_with_iterations ("secret", TEST_ITERATIONS, NULL);
  g_auto(GStrv) parts = g_strsplit (good, "$", -1);
  g_autofree char *fewer_iter = g_strdup_printf ("%s$999$%s$%s", parts[0], parts[2], parts[3]);
  g_autofree char *flipped = g_strdup (good);
  char *last = flipped + strlen (flipped) - 5;  /* inside the hash, all 6 bits used */
  const char *bad[] = {
    "",
    "pbkdf2-sha256",
    "pbkdf2-sha1$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "pbkdf2-sha256$-5$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "pbkdf2-sha256$999999999$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "pbkdf2-sha256$1000$A!AAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAA",
    "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=$x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr(GError) error = NULL;

    g_assert_false (gh_kdf_verify_password ("secret", bad[i], &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
    assert_message_contains (error, "damaged or of an unknown kind");
    g_assert_true (gh_kdf_needs_rehash (bad[i]));
  }

  /* A valid-looking hash whose iteration count or hash bytes were edited no longer matches. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (gh_kdf_verify_password ("secret", fewer_iter, &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
    g_clear_error (&error);

    *last = *last == 'A' ? 'B' : 'A';
    g_assert_false (gh_kdf_verify_password ("secret", flipped, &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/kdf/pbkdf2-known-answers", test_pbkdf2_known_answers);
  g_test_add_func ("/core/kdf/pbkdf2-bad-iterations", test_pbkdf2_bad_iterations);
  g_test_add_func ("/core/kdf/hash-and-verify", test_hash_and_verify);
  g_test_add_func ("/core/kdf/default-iterations", test_default_iterations);
  g_test_add_func ("/core/kdf/needs-rehash", test_needs_rehash);
  g_test_add_func ("/core/kdf/tampered-encoding", test_tampered_encoding);

  return g_test_run ();
}
