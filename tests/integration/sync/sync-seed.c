/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sync-seed"

#include "config.h"

#include <stdlib.h>

#include "gh-access-store.h"
#include "gh-database.h"
#include "gh-device-secrets.h"
#include "gh-device-store.h"
#include "gh-dial-store.h"
#include "gh-error.h"
#include "gh-key-store.h"
#include "gh-notice-store.h"
#include "gh-org-store.h"
#include "gh-person-store.h"
#include "gh-registration.h"

/*
 * Fills a Gatehouse database through the store's public API, for the sync tests and
 * benchmarks. It is a separate program because the store and the driver types both define
 * gh_person_new() and friends, so one executable cannot link the person store and the
 * drivers (see the sync report). Usage: sync-seed DATABASE COMMAND ARGS…; ids are printed on
 * standard output.
 *
 *   device NAME KIND HOST PORT USER PASSWORD   → device id
 *   persons PREFIX FIRST COUNT FACES           → persons PREFIX%05u, card 5A<P>0000+n, a face
 *                                                for the first FACES of them
 *   group NAME DOOR DEVICE_ID…                 → a permission group with door DOOR of each
 *                                                device and every person as a member
 *   rename PERSON_ID NAME
 *   card PERSON_ID NUMBER
 *   remove PERSON_ID
 *   room VTO_ID VTH_ID ROOM PASSWORD           → room id: building 1, unit 1, the room, the
 *                                                door station and monitor registered there
 *   room-password ROOM_ID PASSWORD
 *   notice TITLE BODY DEVICE_ID…               → notice id
 *   notice-title NOTICE_ID TITLE               → the notice gets a new title
 *   notice-remove NOTICE_ID
 *   unregister NUMBER                          → the registration number is removed
 */

static GhKeyStore *keys;
static GhDatabase *database;
static GhSession *session;

static void
check (gboolean     ok,
       GError     **error,
       const char  *what)
{
  /* @error is read only after @ok was computed (argument order is unspecified in C) */
  if (!ok) {
    g_printerr ("sync-seed: %s: %s\n", what, *error ? (*error)->message : "failed");
    exit (1);
  }
}

static GBytes *
fake_jpeg (guint n)
{
  GByteArray *a = g_byte_array_new ();
  static const guint8 head[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0 };
  static const guint8 tail[] = { 0xFF, 0xD9 };

  g_byte_array_append (a, head, sizeof head);
  for (guint i = 0; i < 2048; i++) {
    guint8 b = (guint8) ((i * 31 + n * 7) & 0x7F);

    g_byte_array_append (a, &b, 1);
  }
  g_byte_array_append (a, tail, sizeof tail);
  return g_byte_array_free_to_bytes (a);
}

static gint64
person_id_of (GhPersonStore *persons,
              const char    *person_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhPerson) p = gh_person_store_find (persons, person_id, &error);

  check (p != NULL, &error, "finding the person");
  return gh_person_get_id (p);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *cmd;

  if (argc < 3) {
    g_printerr ("usage: sync-seed DATABASE COMMAND ARGS…\n");
    return 2;
  }
  {
    g_autofree char *data_dir = g_path_get_dirname (argv[1]);

    keys = gh_key_store_open_full (data_dir, GH_KEY_STORE_FLAGS_NO_KEYRING, 0, &error);
    check (keys != NULL, &error, "opening the key store");
  }
  database = gh_key_store_open_database (keys, argv[1], &error);
  check (database != NULL, &error, "opening the database");
  session = gh_session_new_system ("sync-seed");
  cmd = argv[2];

  if (g_str_equal (cmd, "device") && argc == 9) {
    g_autoptr(GhDeviceStore) store = gh_device_store_new (database);
    g_autoptr(GhDevice) device = gh_device_new ();
    gint64 id;

    gh_device_set_name (device, argv[3]);
    gh_device_set_kind (device, argv[4]);
    gh_device_set_host (device, argv[5]);
    gh_device_set_port (device, atoi (argv[6]));
    gh_device_set_username (device, argv[7]);
    gh_device_set_driver (device, "dahua");
    gh_device_set_door_count (device, 2);
    id = gh_device_store_add (store, session, device, &error);
    check (id > 0, &error, "adding the device");
    check (gh_device_secrets_set (database, session, id, argv[8], &error), &error,
           "storing the device password");
    g_print ("%" G_GINT64_FORMAT "\n", id);
  } else if (g_str_equal (cmd, "device-password") && argc == 5) {
    check (gh_device_secrets_set (database, session, g_ascii_strtoll (argv[3], NULL, 10),
                                  argv[4], &error), &error, "storing the device password");
  } else if (g_str_equal (cmd, "persons") && argc == 7) {
    g_autoptr(GhPersonStore) store = gh_person_store_new (database);
    g_autoptr(GPtrArray) persons = g_ptr_array_new_with_free_func (g_object_unref);
    guint first = atoi (argv[4]);
    guint count = atoi (argv[5]);
    guint faces = atoi (argv[6]);

    for (guint i = first; i < first + count; i++) {
      g_autofree char *pid = g_strdup_printf ("%s%05u", argv[3], i);
      g_autofree char *name = g_strdup_printf ("Resident %u", i);
      g_autofree char *card = g_strdup_printf ("%08X", 0x5A000000u +
                                               ((guint) (guchar) argv[3][0] << 16) + i);
      GhPerson *p = gh_person_new (pid, name);

      gh_person_set_card_number (p, card);
      g_ptr_array_add (persons, p);
    }
    check (gh_person_store_add_many (store, session, persons, &error), &error, "adding persons");
    for (guint i = 0; i < MIN (faces, count); i++) {
      g_autofree char *pid = g_strdup_printf ("%s%05u", argv[3], first + i);
      g_autoptr(GBytes) jpeg = fake_jpeg (first + i);

      check (gh_person_store_set_face (store, session, person_id_of (store, pid), 1, jpeg,
                                       "image/jpeg", &error) >= 0, &error, "adding a face");
    }
  } else if (g_str_equal (cmd, "group") && argc >= 6) {
    g_autoptr(GhAccessStore) access = gh_access_store_new (database);
    g_autoptr(GhPersonStore) persons = gh_person_store_new (database);
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_autoptr(GListModel) all = NULL;
    GhPermissionGroup group = { 0 };
    gint64 id;

    group.name = argv[3];
    group.remark = (char *) "";
    group.verify_method = (char *) "any";
    group.doors = g_array_new (FALSE, FALSE, sizeof (GhGroupDoor));
    for (int i = 5; i < argc; i++) {
      GhGroupDoor door = { g_ascii_strtoll (argv[i], NULL, 10), atoi (argv[4]) };

      g_array_append_val (group.doors, door);
    }
    id = gh_access_store_add_group (access, session, &group, &error);
    g_array_unref (group.doors);
    check (id > 0, &error, "adding the permission group");
    all = gh_person_store_list (persons, 0, NULL);
    for (guint i = 0; i < g_list_model_get_n_items (all); i++) {
      g_autoptr(GhPerson) p = g_list_model_get_item (all, i);
      gint64 pid = gh_person_get_id (p);

      g_array_append_val (ids, pid);
    }
    check (gh_access_store_add_persons (access, session, id, (gint64 *) (gpointer) ids->data,
                                        ids->len, &error), &error, "adding the members");
    g_print ("%" G_GINT64_FORMAT "\n", id);
  } else if (g_str_equal (cmd, "rename") && argc == 5) {
    g_autoptr(GhPersonStore) store = gh_person_store_new (database);
    g_autoptr(GhPerson) p = gh_person_store_find (store, argv[3], &error);

    check (p != NULL, &error, "finding the person");
    gh_person_set_name (p, argv[4]);
    check (gh_person_store_update (store, session, p, &error), &error, "renaming");
  } else if (g_str_equal (cmd, "card") && argc == 5) {
    g_autoptr(GhPersonStore) store = gh_person_store_new (database);

    check (gh_person_store_add_card (store, session, person_id_of (store, argv[3]), argv[4],
                                     "ordinary", &error) > 0, &error, "adding a card");
  } else if (g_str_equal (cmd, "remove") && argc == 4) {
    g_autoptr(GhPersonStore) store = gh_person_store_new (database);

    check (gh_person_store_remove (store, session, person_id_of (store, argv[3]), &error), &error,
           "removing the person");
  } else if (g_str_equal (cmd, "room") && argc == 7) {
    g_autoptr(GhOrgStore) org = gh_org_store_new (database);
    g_autoptr(GhDialStore) dial = gh_dial_store_new (database);
    gint64 community = gh_org_store_get_community (org, &error);
    gint64 building, unit, room;

    if (community == 0 && error == NULL)
      community = gh_org_store_add_node (org, session, 0, "", "Community", &error);
    check (community > 0, &error, "finding the community");
    building = gh_org_store_add_node (org, session, community, "1", "Building 1", &error);
    check (building > 0, &error, "adding a building");
    unit = gh_org_store_add_node (org, session, building, "1", "Unit 1", &error);
    check (unit > 0, &error, "adding a unit");
    room = gh_org_store_add_room (org, session, unit, argv[5], "", &error);
    check (room > 0, &error, "adding a room");
    check (gh_dial_store_add_vto (dial, session, g_ascii_strtoll (argv[3], NULL, 10), unit,
                                  "8001", "01", &error) > 0, &error, "registering the VTO");
    check (gh_dial_store_add_vth (dial, session, g_ascii_strtoll (argv[4], NULL, 10), room, 0,
                                  &error) > 0, &error, "registering the VTH");
    check (gh_org_store_set_unlock_password (org, session, room, argv[6], &error), &error,
           "setting the unlock password");
    g_print ("%" G_GINT64_FORMAT "\n", room);
  } else if (g_str_equal (cmd, "room-password") && argc == 5) {
    g_autoptr(GhOrgStore) org = gh_org_store_new (database);

    check (gh_org_store_set_unlock_password (org, session, g_ascii_strtoll (argv[3], NULL, 10),
                                             argv[4], &error), &error, "setting the password");
  } else if (g_str_equal (cmd, "notice") && argc >= 6) {
    g_autoptr(GhNoticeStore) store = gh_notice_store_new (database);
    g_autoptr(GhNotice) notice = gh_notice_new (argv[3], argv[4],
                                                g_get_real_time () / G_USEC_PER_SEC);
    gint64 id;

    for (int i = 5; i < argc; i++) {
      gint64 device = g_ascii_strtoll (argv[i], NULL, 10);

      g_array_append_val (notice->device_ids, device);
    }
    id = gh_notice_store_add (store, session, notice, &error);
    check (id > 0, &error, "adding the notice");
    g_print ("%" G_GINT64_FORMAT "\n", id);
  } else if (g_str_equal (cmd, "notice-title") && argc == 5) {
    g_autoptr(GhNoticeStore) store = gh_notice_store_new (database);
    g_autoptr(GhNotice) notice = gh_notice_store_get (store, g_ascii_strtoll (argv[3], NULL, 10),
                                                      &error);

    check (notice != NULL, &error, "finding the notice");
    g_free (notice->title);
    notice->title = g_strdup (argv[4]);
    check (gh_notice_store_update (store, session, notice, &error), &error,
           "changing the notice");
  } else if (g_str_equal (cmd, "notice-remove") && argc == 4) {
    g_autoptr(GhNoticeStore) store = gh_notice_store_new (database);

    check (gh_notice_store_remove (store, session, g_ascii_strtoll (argv[3], NULL, 10), &error),
           &error, "removing the notice");
  } else if (g_str_equal (cmd, "unregister") && argc == 4) {
    g_autoptr(GhDialStore) dial = gh_dial_store_new (database);
    g_autoptr(GhRegistration) reg = gh_dial_store_find (dial, argv[3], &error);

    check (reg != NULL, &error, "finding the registration number");
    check (gh_dial_store_remove (dial, session, gh_registration_get_id (reg), &error), &error,
           "removing the registration number");
  } else {
    g_printerr ("sync-seed: unknown command or wrong arguments: %s\n", cmd);
    return 2;
  }

  g_clear_object (&session);
  g_clear_object (&database);
  g_clear_object (&keys);
  return 0;
}
