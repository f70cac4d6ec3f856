/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-audit-chain"

#include "config.h"

#include "gh-audit-chain.h"
#include "gh-error.h"

#include "test-helpers.h"

static const guint8 audit_key[] = "0123456789abcdef0123456789abcdef";

static void
test_hmac_rfc4231 (void)
{
  /* RFC 4231 test cases 1, 2, 3 and 6 (HMAC-SHA-256). */
  guint8 key1[20], key3[20], key6[131];
  guint8 data3[50];
  g_autofree char *mac1 = NULL;
  g_autofree char *mac2 = NULL;
  g_autofree char *mac3 = NULL;
  g_autofree char *mac6 = NULL;
  const char *data6 = "Test Using Larger Than Block-Size Key - Hash Key First";

  memset (key1, 0x0b, sizeof key1);
  memset (key3, 0xaa, sizeof key3);
  memset (data3, 0xdd, sizeof data3);
  memset (key6, 0xaa, sizeof key6);

  mac1 = gh_audit_chain_hmac_sha256_hex (key1, sizeof key1, (const guint8 *)"Hi There", 8);
  g_assert_cmpstr (mac1, ==, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");

  mac2 = gh_audit_chain_hmac_sha256_hex ((const guint8 *)"Jefe", 4,
                                         (const guint8 *)"what do ya want for nothing?", 28);
  g_assert_cmpstr (mac2, ==, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

  mac3 = gh_audit_chain_hmac_sha256_hex (key3, sizeof key3, data3, sizeof data3);
  g_assert_cmpstr (mac3, ==, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");

  mac6 = gh_audit_chain_hmac_sha256_hex (key6, sizeof key6, (const guint8 *)data6,
                                         strlen (data6));
  g_assert_cmpstr (mac6, ==, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void
test_canonical (void)
{
  g_autofree char *entry = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *n1 = NULL;
  g_autofree char *n2 = NULL;

  entry = gh_audit_chain_canonical_entry (42, 1764079200000000, "admin", "gui", "person.update",
                                          "person:7", "name: Anna → Anne");
  g_assert_cmpstr (entry, ==,
                   "gh-audit-v1;2:42;16:1764079200000000;5:admin;3:gui;13:person.update;"
                   "8:person:7;19:name: Anna → Anne");

  /* Moving a separator between fields changes the text. */
  a = gh_audit_chain_canonical_entry (1, 0, "a;3:b", "c", NULL, NULL, NULL);
  b = gh_audit_chain_canonical_entry (1, 0, "a", "b;1:c", NULL, NULL, NULL);
  g_assert_cmpstr (a, !=, b);

  /* NULL and "" differ. */
  n1 = gh_audit_chain_canonical_entry (1, 0, NULL, "", NULL, NULL, NULL);
  n2 = gh_audit_chain_canonical_entry (1, 0, "", NULL, NULL, NULL, NULL);
  g_assert_cmpstr (n1, ==, "gh-audit-v1;1:1;1:0;-;0:;-;-;-");
  g_assert_cmpstr (n1, !=, n2);
}

static void
test_compute (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *entry = gh_audit_chain_canonical_entry (1, 10, "admin", "cli", "door.open",
                                                           "door:1", NULL);
  g_autofree char *first = NULL;
  g_autofree char *genesis = NULL;
  g_autofree char *manual = NULL;
  g_autofree char *message = NULL;
  g_autofree char *upper = NULL;
  g_autofree char *again = NULL;

  first = gh_audit_chain_compute (audit_key, 32, NULL, entry, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (first), ==, GH_AUDIT_CHAIN_MAC_HEX_LEN);

  /* The definition in the header, spelled out. */
  message = g_strconcat ("gh-audit-chain-v1\n", GH_AUDIT_CHAIN_GENESIS, "\n", entry, NULL);
  manual = gh_audit_chain_hmac_sha256_hex (audit_key, 32, (const guint8 *)message,
                                           strlen (message));
  g_assert_cmpstr (first, ==, manual);

  genesis = gh_audit_chain_compute (audit_key, 32, GH_AUDIT_CHAIN_GENESIS, entry, &error);
  g_assert_cmpstr (first, ==, genesis);

  /* Upper-case previous MACs are read the same. */
  upper = g_ascii_strup (first, -1);
  again = gh_audit_chain_compute (audit_key, 32, upper, entry, &error);
  g_clear_pointer (&manual, g_free);
  manual = gh_audit_chain_compute (audit_key, 32, first, entry, &error);
  g_assert_cmpstr (again, ==, manual);
  g_assert_cmpstr (again, !=, first);
}

static void
test_chain_tampering (void)
{
  const char *details[] = { "first", "second", "third", "fourth" };
  char *entries[G_N_ELEMENTS (details)];
  char *macs[G_N_ELEMENTS (details)];
  const char *prev = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (details); i++) {
    entries[i] = gh_audit_chain_canonical_entry (i + 1, 1000 * i, "admin", "gui", "edit",
                                                 "room:11", details[i]);
    macs[i] = gh_audit_chain_compute (audit_key, 32, prev, entries[i], NULL);
    prev = macs[i];
  }

  /* Untouched chain verifies. */
  prev = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (details); i++) {
    g_autoptr(GError) error = NULL;

    g_assert_true (gh_audit_chain_verify (audit_key, 32, prev, entries[i], macs[i], &error));
    g_assert_no_error (error);
    prev = macs[i];
  }

  /* An edited entry fails. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *edited = gh_audit_chain_canonical_entry (2, 1000, "admin", "gui", "edit",
                                                              "room:11", "SECOND");

    g_assert_false (gh_audit_chain_verify (audit_key, 32, macs[0], edited, macs[1], &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
    assert_message_contains (error, "does not match its MAC");
  }

  /* Removing entry 2: entry 3 no longer chains onto entry 1. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (gh_audit_chain_verify (audit_key, 32, macs[0], entries[2], macs[2], &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  }

  /* Swapping entries 2 and 3. */
  g_assert_false (gh_audit_chain_verify (audit_key, 32, macs[0], entries[2], macs[1], NULL));

  /* A wrong key. */
  {
    g_autoptr(GError) error = NULL;
    const guint8 other_key[] = "fedcba9876543210fedcba9876543210";

    g_assert_false (gh_audit_chain_verify (other_key, 32, NULL, entries[0], macs[0], &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  }

  /* A forged, malformed MAC. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (gh_audit_chain_verify (audit_key, 32, NULL, entries[0], "abc", &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
    assert_message_contains (error, "missing or malformed");
    g_clear_error (&error);

    g_assert_false (gh_audit_chain_verify (audit_key, 32, NULL, entries[0], NULL, &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  }

  for (guint i = 0; i < G_N_ELEMENTS (details); i++) {
    g_free (entries[i]);
    g_free (macs[i]);
  }
}

static void
test_bad_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mac = NULL;

  mac = gh_audit_chain_compute (audit_key, 8, NULL, "x", &error);
  g_assert_null (mac);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "too short (8 bytes)");
  g_clear_error (&error);

  mac = gh_audit_chain_compute (audit_key, 32, "not-a-mac", "x", &error);
  g_assert_null (mac);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "“not-a-mac” is not 64 hexadecimal digits");
  g_clear_error (&error);

  mac = gh_audit_chain_compute (audit_key, 32,
                                "g000000000000000000000000000000000000000000000000000000000000000",
                                "x", &error);
  g_assert_null (mac);
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_false (gh_audit_chain_verify (audit_key, 4, NULL, "x", GH_AUDIT_CHAIN_GENESIS,
                                         &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/audit-chain/hmac-rfc4231", test_hmac_rfc4231);
  g_test_add_func ("/core/audit-chain/canonical", test_canonical);
  g_test_add_func ("/core/audit-chain/compute", test_compute);
  g_test_add_func ("/core/audit-chain/chain-tampering", test_chain_tampering);
  g_test_add_func ("/core/audit-chain/bad-input", test_bad_input);

  return g_test_run ();
}
