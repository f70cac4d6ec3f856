/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gatehouse"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-application.h"

#include <locale.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GhApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Gatehouse"));

  app = gh_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
