/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `gatehousectl device export`: device passwords leave only on request, sealed with a
 * passphrase. */

#include "config.h"

#include <string.h>

#include "cli-test-helpers.h"
#include "gh-device-secrets.h"
#include "gh-error.h"

#define DEVICE_PASSWORD "Fence-Secret-41"
#define PASSPHRASE "correct horse battery"

static void
test_sealed_export (void)
{
  g_autofree char *dir = cli_make_data_dir ();
  g_autofree char *csv = cli_write_file (dir, "devices.csv",
                                         "name,kind,host,port,username,password\n"
                                         "Gate 1,fence,10.0.0.21,80,admin," DEVICE_PASSWORD "\n",
                                         -1);
  g_autoptr(CliResult) r = NULL;
  g_autoptr(CliResult) plain = NULL;
  g_autoptr(CliResult) sealed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GBytes) wrong = NULL;
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  gsize raw_len = 0;

  r = cli_run (dir, NULL, "device", "import", csv, NULL);
  cli_assert_status (r, 0);

  /* The ordinary export has no passwords. */
  plain = cli_run (dir, NULL, "device", "export", NULL);
  cli_assert_status (plain, 0);
  cli_assert_contains (plain->out, "Gate 1");
  g_assert_null (strstr (plain->out, DEVICE_PASSWORD));

  /* A short passphrase is refused before anything is written. */
  g_setenv ("GATEHOUSE_EXPORT_PASSPHRASE", "short", TRUE);
  g_clear_pointer (&r, cli_result_free);
  r = cli_run (dir, NULL, "device", "export", "--with-passwords", NULL);
  cli_assert_status (r, 2);
  g_assert_cmpstr (r->out, ==, "");
  cli_assert_contains (r->err, "at least 12 characters");

  /* On request: sealed, and only the passphrase opens it. */
  g_setenv ("GATEHOUSE_EXPORT_PASSPHRASE", PASSPHRASE, TRUE);
  sealed = cli_run (dir, NULL, "device", "export", "--with-passwords", NULL);
  g_unsetenv ("GATEHOUSE_EXPORT_PASSPHRASE");
  cli_assert_status (sealed, 0);
  g_assert_null (strstr (sealed->out, DEVICE_PASSWORD));
  g_assert_null (strstr (sealed->out, "Gate 1"));

  raw = g_base64_decode (g_strstrip (sealed->out), &raw_len);
  g_assert_cmpuint (raw_len, >, 32);
  blob = g_bytes_new (raw, raw_len);

  wrong = gh_device_secrets_open_export ("not the passphrase", blob, &error);
  g_assert_null (wrong);
  g_assert_error (error, GH_ERROR, GH_ERROR_AUTH_FAILED);
  g_clear_error (&error);

  opened = gh_device_secrets_open_export (PASSPHRASE, blob, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (opened, NULL), g_bytes_get_size (opened));
  cli_assert_contains (text, "Gate 1");
  cli_assert_contains (text, DEVICE_PASSWORD);

  cli_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/device/export-sealed", test_sealed_export);

  return g_test_run ();
}
