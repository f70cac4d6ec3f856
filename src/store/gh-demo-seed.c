/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-demo-seed"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gh-demo-seed.h"
#include "gh-access-store.h"
#include "gh-auth.h"
#include "gh-company-store.h"
#include "gh-department-store.h"
#include "gh-device-secrets.h"
#include "gh-device-store.h"
#include "gh-dial-store.h"
#include "gh-org-store.h"
#include "gh-person-store.h"

#include "gh-error.h"
#include "gh-numbering.h"
#include "gh-time-template.h"

#include <string.h>

/*
 * The demo community's data: the simulator's devices (with sealed passwords), the
 * organization they imply (buildings, units, the rooms of the indoor monitors), their
 * registration numbers, and around them a small community that looks lived in: a managing
 * company, a department tree, residents and staff with cards and keypad passwords, a working
 * hours template and permission groups on the door stations.
 *
 * Everything goes through the repositories, so the demo exercises the same validation, audit
 * and push queue as real work, in one transaction: a failure leaves the database empty.
 * Names, cards and passwords come from a fixed seed, so every demo looks the same.
 */

#define DEMO_RANDOM_SEED 20261125

typedef struct {
  GhDatabase        *database;  /* (borrowed) */
  GhSession         *session;   /* (borrowed) */
  GhOrgStore        *org;       /* (owned) */
  GhDeviceStore     *devices;   /* (owned) */
  GhDialStore       *dial;      /* (owned) */
  GhPersonStore     *persons;   /* (owned) */
  GhDepartmentStore *departments;  /* (owned) */
  GHashTable        *nodes;     /* (owned): "b" or "b#u" → org node id */
  GHashTable        *rooms;     /* (owned): "b#u#room" → room id */
  GArray            *room_ids;  /* (owned): rooms in the order they were added */
  GArray            *door_devices;  /* (owned): (device id, door count) of door stations */
  GRand             *rand;      /* (owned) */
  GhDemoSeedSummary  summary;
} Seed;

static const char * const first_names[] = {
  "Amelia", "Noah", "Sofia", "Liam", "Hannah", "Mateo", "Chloe", "Ethan", "Maya", "Lucas",
  "Grace", "Oliver", "Leila", "Samuel", "Nora", "Daniel", "Aisha", "Jonas", "Elena", "Victor",
  "Priya", "Tomás", "Ingrid", "Kenji", "Zoe", "Felix", "Mariam", "Hugo", "Clara", "Isaac",
  "Yara", "Anton", "Lucía", "Rafael", "Eva", "Malik", "Freya", "Adrian", "Selin", "Oscar",
};

static const char * const last_names[] = {
  "Whitfield", "Moreau", "Okafor", "Lindqvist", "Castillo", "Novak", "Harrington", "Sato",
  "Bennett", "Kowalski", "Haddad", "Fischer", "Delgado", "Brennan", "Iversen", "Marchetti",
  "Osei", "Petrov", "Nakamura", "Duarte",
};

/* Staff: name index pairs are picked after the residents; these are their departments. */
static const char * const staff_departments[] = {
  N_("Management"), N_("Management"), N_("Security"), N_("Security"), N_("Security"),
  N_("Maintenance"), N_("Maintenance"), N_("Cleaning"),
};

void
gh_demo_device_free (GhDemoDevice *device)
{
  if (device == NULL)
    return;

  g_free (device->name);
  g_free (device->kind);
  g_free (device->number);
  g_free (device->building);
  g_free (device->unit);
  g_free (device->driver);
  g_free (device->host);
  g_free (device->username);
  g_free (device->password);
  g_free (device->model);
  g_free (device->serial);
  g_free (device->firmware);
  g_free (device);
}

/**
 * gh_demo_device_new:
 *
 * Returns: (transfer full): an empty device description; fill its fields with g_strdup()
 */
GhDemoDevice *
gh_demo_device_new (void)
{
  return g_new0 (GhDemoDevice, 1);
}

static void
seed_clear (Seed *seed)
{
  g_clear_object (&seed->org);
  g_clear_object (&seed->devices);
  g_clear_object (&seed->dial);
  g_clear_object (&seed->persons);
  g_clear_object (&seed->departments);
  g_clear_pointer (&seed->nodes, g_hash_table_unref);
  g_clear_pointer (&seed->rooms, g_hash_table_unref);
  g_clear_pointer (&seed->room_ids, g_array_unref);
  g_clear_pointer (&seed->door_devices, g_array_unref);
  g_clear_pointer (&seed->rand, g_rand_free);
}

static gboolean
is_blank (const char *text)
{
  return text == NULL || *text == '\0';
}

/* Splits a VTH number "1101#1" into the room "1101" and extension 1. */
static gboolean
split_vth_number (const GhDemoDevice  *device,
                  char               **out_room,
                  int                 *out_extension,
                  GError             **error)
{
  const char *hash = strchr (device->number, '#');

  *out_extension = GH_NUMBERING_NO_EXTENSION;
  if (hash == NULL) {
    *out_room = g_strdup (device->number);
    return TRUE;
  }

  if (hash[1] < '0' || hash[1] > '9' || hash[2] != '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The indoor monitor “%s” has the number “%s”; an extension is one digit "
                   "after “#”."), device->name, device->number);
    return FALSE;
  }

  *out_room = g_strndup (device->number, hash - device->number);
  *out_extension = hash[1] - '0';

  return TRUE;
}

static gboolean
check_device (const GhDemoDevice  *device,
              GError             **error)
{
  gboolean in_unit;

  if (is_blank (device->name) || is_blank (device->kind) || is_blank (device->number) ||
      is_blank (device->host) || is_blank (device->driver) || device->port <= 0 ||
      device->port > 65535) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The demo device “%s” lacks a name, type, number, driver, address or port."),
                 device->name ? device->name : "");
    return FALSE;
  }

  in_unit = g_str_equal (device->kind, "vto") || g_str_equal (device->kind, "vth");
  if (in_unit && (is_blank (device->building) || is_blank (device->unit))) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The demo device “%s” is a %s but names no building and unit."),
                 device->name, device->kind);
    return FALSE;
  }

  return TRUE;
}

/* The org node of building @b (and unit @u), added on first use. */
static gint64
ensure_node (Seed        *seed,
             const char  *b,
             const char  *u,
             GError     **error)
{
  g_autofree char *key = u ? g_strdup_printf ("%s#%s", b, u) : g_strdup (b);
  g_autofree char *name = NULL;
  gint64 parent;
  gint64 id;

  id = GPOINTER_TO_SIZE (g_hash_table_lookup (seed->nodes, key));
  if (id > 0)
    return id;

  if (u == NULL) {
    parent = gh_org_store_get_community (seed->org, error);
    if (parent == 0)
      return 0;
    name = g_strdup_printf (_("Building %s"), b);
  } else {
    parent = ensure_node (seed, b, NULL, error);
    if (parent == 0)
      return 0;
    name = g_strdup_printf (_("Entrance %s"), u);
  }

  id = gh_org_store_add_node (seed->org, seed->session, parent, u ? u : b, name, error);
  if (id > 0)
    g_hash_table_insert (seed->nodes, g_steal_pointer (&key), GSIZE_TO_POINTER (id));

  return id;
}

static gint64
ensure_room (Seed        *seed,
             const char  *b,
             const char  *u,
             const char  *room,
             GError     **error)
{
  g_autofree char *key = g_strdup_printf ("%s#%s#%s", b, u, room);
  g_autofree char *name = NULL;
  gint64 node;
  gint64 id;

  id = GPOINTER_TO_SIZE (g_hash_table_lookup (seed->rooms, key));
  if (id > 0)
    return id;

  node = ensure_node (seed, b, u, error);
  if (node == 0)
    return 0;

  name = g_strdup_printf (_("Apartment %s"), room);
  id = gh_org_store_add_room (seed->org, seed->session, node, room, name, error);
  if (id == 0)
    return 0;

  g_hash_table_insert (seed->rooms, g_steal_pointer (&key), GSIZE_TO_POINTER (id));
  g_array_append_val (seed->room_ids, id);
  seed->summary.n_rooms++;

  return id;
}

static gint64
add_device (Seed                *seed,
            const GhDemoDevice  *spec,
            GError             **error)
{
  g_autoptr(GhDevice) device = gh_device_new ();
  gint64 id;

  gh_device_set_kind (device, spec->kind);
  gh_device_set_name (device, spec->name);
  gh_device_set_host (device, spec->host);
  gh_device_set_port (device, spec->port);
  gh_device_set_username (device, spec->username ? spec->username : "");
  gh_device_set_driver (device, spec->driver);
  gh_device_set_model (device, spec->model);
  gh_device_set_serial (device, spec->serial);
  gh_device_set_firmware (device, spec->firmware);
  gh_device_set_door_count (device, MAX (spec->doors, 0));

  id = gh_device_store_add (seed->devices, seed->session, device, error);
  if (id == 0)
    return 0;

  if (spec->password != NULL &&
      !gh_device_secrets_set (seed->database, seed->session, id, spec->password, error))
    return 0;

  seed->summary.n_devices++;

  return id;
}

/* Adds the devices and the organization around them, then the registration numbers: door
 * stations first, so the indoor monitors' numbers are queued for them too. */
static gboolean
seed_devices (Seed       *seed,
              GPtrArray  *specs,
              GError    **error)
{
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, TRUE, sizeof (gint64), specs->len);
  static const char * const order[] = { "vto", "vth", "vts", "fence", "villa" };

  for (guint i = 0; i < specs->len; i++) {
    const GhDemoDevice *spec = g_ptr_array_index (specs, i);
    gint64 id;

    if (!check_device (spec, error))
      return FALSE;

    id = add_device (seed, spec, error);
    if (id == 0)
      return FALSE;
    g_array_append_val (ids, id);

    if (spec->doors > 0 && g_strv_contains ((const char * const[]) { "vto", "fence", "villa",
                                                                     NULL }, spec->kind)) {
      gint64 pair[2] = { id, spec->doors };

      g_array_append_vals (seed->door_devices, pair, 2);
    }
  }

  for (guint k = 0; k < G_N_ELEMENTS (order); k++) {
    for (guint i = 0; i < specs->len; i++) {
      const GhDemoDevice *spec = g_ptr_array_index (specs, i);
      gint64 id = g_array_index (ids, gint64, i);
      gint64 reg = 0;

      if (!g_str_equal (spec->kind, order[k]))
        continue;

      if (g_str_equal (spec->kind, "vto")) {
        gint64 node = ensure_node (seed, spec->building, spec->unit, error);
        gsize len = strlen (spec->number);

        if (node == 0)
          return FALSE;
        reg = gh_dial_store_add_vto (seed->dial, seed->session, id, node, spec->number,
                                     len >= 2 ? spec->number + len - 2 : spec->number, error);
      } else if (g_str_equal (spec->kind, "vth")) {
        g_autofree char *room = NULL;
        int extension;
        gint64 room_id;

        if (!split_vth_number (spec, &room, &extension, error))
          return FALSE;
        room_id = ensure_room (seed, spec->building, spec->unit, room, error);
        if (room_id == 0)
          return FALSE;
        reg = gh_dial_store_add_vth (seed->dial, seed->session, id, room_id, extension, error);
      } else {
        gsize len = strlen (spec->number);

        reg = gh_dial_store_add_station (seed->dial, seed->session, id, spec->number,
                                         len >= 2 ? spec->number + len - 2 : spec->number,
                                         error);
      }

      if (reg == 0) {
        g_prefix_error (error, _("Registering “%s”: "), spec->name);
        return FALSE;
      }
      seed->summary.n_numbers++;
    }
  }

  return TRUE;
}

static void
set_field (char       **field,
           const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static gboolean
seed_company (Seed    *seed,
              GError **error)
{
  g_autoptr(GhCompanyStore) store = gh_company_store_new (seed->database);
  g_autoptr(GhCompany) company = gh_company_new ();

  set_field (&company->name, _("Linden Court Residences"));
  set_field (&company->phone, "+1 555 0142");
  set_field (&company->fax, "+1 555 0143");
  set_field (&company->email, "office@lindencourt.example");
  set_field (&company->website, "https://lindencourt.example");
  set_field (&company->postal_code, "12345");
  set_field (&company->address, _("1 Linden Court, Springfield"));

  return gh_company_store_set (store, seed->session, company, error);
}

/* Unlock passwords for every other room: the six digits people pick, never a sequence. */
static gboolean
seed_unlock_passwords (Seed    *seed,
                       GError **error)
{
  for (guint i = 0; i < seed->room_ids->len; i += 2) {
    g_autofree char *password = g_strdup_printf ("%06u",
                                                 g_rand_int_range (seed->rand, 100000, 999999));

    if (!gh_org_store_set_unlock_password (seed->org, seed->session,
                                           g_array_index (seed->room_ids, gint64, i), password,
                                           error))
      return FALSE;
  }

  return TRUE;
}

static char *
random_card (Seed *seed)
{
  /* 32-bit cards read as eight hex digits; the top bit set keeps them from looking padded. */
  return g_strdup_printf ("%08X", g_rand_int (seed->rand) | 0x10000000u);
}

static gint64
add_person (Seed        *seed,
            const char  *person_id,
            const char  *name,
            const char  *gender,
            const char  *type,
            gint64       department,
            gint64       room,
            gboolean     with_password,
            GArray      *out_ids,
            GError     **error)
{
  g_autoptr(GhPerson) person = gh_person_new (person_id, name);
  g_autofree char *card = NULL;
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *lower = g_utf8_strdown (name, -1);
  gint64 id;

  g_strdelimit (lower, " ", '.');
  email = g_strdup_printf ("%s@mail.example", lower);
  phone = g_strdup_printf ("+1 555 %04u", g_rand_int_range (seed->rand, 1000, 9999));
  card = random_card (seed);

  gh_person_set_gender (person, gender);
  gh_person_set_person_type (person, type);
  gh_person_set_department_id (person, department);
  gh_person_set_room_id (person, room);
  gh_person_set_email (person, email);
  gh_person_set_phone (person, phone);
  gh_person_set_card_number (person, card);

  id = gh_person_store_add (seed->persons, seed->session, person, error);
  if (id == 0)
    return 0;
  seed->summary.n_persons++;
  seed->summary.n_cards++;

  /* Some people carry a second card (a key fob). */
  if (g_rand_int_range (seed->rand, 0, 5) == 0) {
    g_autofree char *fob = random_card (seed);

    if (gh_person_store_add_card (seed->persons, seed->session, id, fob, "ordinary",
                                  error) == 0)
      return 0;
    seed->summary.n_cards++;
  }

  if (with_password) {
    g_autofree char *password = g_strdup_printf ("%06u",
                                                 g_rand_int_range (seed->rand, 100000, 999999));

    if (!gh_person_store_set_password (seed->persons, seed->session, id, password, error))
      return 0;
  }

  g_array_append_val (out_ids, id);

  return id;
}

typedef struct {
  gint64 residents;
  gint64 staff;
  GArray *staff_ids;  /* (owned) */
  GArray *resident_ids;  /* (owned) */
} People;

static gboolean
seed_people (Seed    *seed,
             People  *people,
             GError **error)
{
  g_autoptr(GHashTable) buildings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) staff_depts = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_staff = G_N_ELEMENTS (staff_departments);
  guint n_residents = GH_DEMO_SEED_N_PERSONS - n_staff;
  guint name_index = 0;

  people->residents = gh_department_store_add (seed->departments, seed->session, 0,
                                               _("Residents"), error);
  if (people->residents == 0)
    return FALSE;
  people->staff = gh_department_store_add (seed->departments, seed->session, 0, _("Staff"),
                                           error);
  if (people->staff == 0)
    return FALSE;

  for (guint i = 0; i < n_staff; i++) {
    const char *dept = staff_departments[i];

    if (!g_hash_table_contains (staff_depts, dept)) {
      gint64 id = gh_department_store_add (seed->departments, seed->session, people->staff,
                                           _(dept), error);

      if (id == 0)
        return FALSE;
      g_hash_table_insert (staff_depts, (gpointer)dept, GSIZE_TO_POINTER (id));
    }
  }

  /* Residents: spread over the rooms, a household shares its family name. */
  for (guint i = 0; i < n_residents; i++) {
    guint n_rooms = MAX (seed->room_ids->len, 1);
    guint r = i % n_rooms;
    gint64 room_id = seed->room_ids->len > 0 ? g_array_index (seed->room_ids, gint64, r) : 0;
    g_autoptr(GhRoom) room = room_id ? gh_org_store_get_room (seed->org, room_id, NULL) : NULL;
    g_autoptr(GhOrgNode) unit = NULL;
    g_autoptr(GhOrgNode) building = NULL;
    g_autofree char *name = NULL;
    g_autofree char *person_id = NULL;
    const char *first = first_names[name_index % G_N_ELEMENTS (first_names)];
    const char *last = last_names[r % G_N_ELEMENTS (last_names)];
    const char *gender = name_index % 2 ? "male" : "female";  /* the list alternates */
    gint64 department = people->residents;

    name_index++;
    name = g_strdup_printf ("%s %s", first, last);
    person_id = g_strdup_printf ("R%03u", i + 1);

    /* One sub-department per building. */
    if (room != NULL &&
        (unit = gh_org_store_get_node (seed->org, gh_room_get_org_node_id (room), NULL)) &&
        (building = gh_org_store_get_node (seed->org, gh_org_node_get_parent_id (unit), NULL))) {
      const char *number = gh_org_node_get_number (building);

      department = GPOINTER_TO_SIZE (g_hash_table_lookup (buildings, number));
      if (department == 0) {
        g_autofree char *dept_name = g_strdup_printf (_("Building %s"), number);

        department = gh_department_store_add (seed->departments, seed->session,
                                              people->residents, dept_name, error);
        if (department == 0)
          return FALSE;
        g_hash_table_insert (buildings, g_strdup (number), GSIZE_TO_POINTER (department));
      }
    }

    if (add_person (seed, person_id, name, gender,
                    i % 11 == 5 ? "vip" : "general", department, room_id, i % 3 == 0,
                    people->resident_ids, error) == 0)
      return FALSE;
  }

  for (guint i = 0; i < n_staff; i++) {
    g_autofree char *name = NULL;
    g_autofree char *person_id = g_strdup_printf ("S%03u", i + 1);
    const char *dept = staff_departments[i];
    const char *first = first_names[name_index % G_N_ELEMENTS (first_names)];
    const char *last = last_names[(i * 7 + 3) % G_N_ELEMENTS (last_names)];
    const char *gender = name_index % 2 ? "male" : "female";
    gboolean guard = g_str_equal (dept, staff_departments[2]);

    name_index++;
    name = g_strdup_printf ("%s %s", first, last);
    if (add_person (seed, person_id, name, gender,
                    guard ? "patrol" : "general",
                    GPOINTER_TO_SIZE (g_hash_table_lookup (staff_depts, dept)), 0, TRUE,
                    people->staff_ids, error) == 0)
      return FALSE;
  }

  return TRUE;
}

/* Working hours for staff, and groups that open the door stations: residents at any time,
 * staff during working hours. */
static gboolean
seed_access (Seed    *seed,
             People  *people,
             GError **error)
{
  g_autoptr(GhAccessStore) access = gh_access_store_new (seed->database);
  g_autoptr(GhTimeTemplate) hours = gh_time_template_new ();
  GhTimeSection weekday = { 7 * 60, 19 * 60 };
  GhTimeSection saturday = { 8 * 60, 13 * 60 };
  GhPermissionGroup residents = { 0 };
  GhPermissionGroup staff = { 0 };
  g_autoptr(GArray) doors = g_array_new (FALSE, FALSE, sizeof (GhGroupDoor));
  gint64 template_id;
  gint64 group;

  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
    if (!gh_time_template_set_day (hours, d, &weekday, 1, error))
      return FALSE;
  if (!gh_time_template_set_day (hours, G_DATE_SATURDAY, &saturday, 1, error))
    return FALSE;

  template_id = gh_access_store_add_time_template (access, seed->session, _("Working hours"),
                                                   hours, _("Monday to Friday 07:00–19:00, "
                                                            "Saturday 08:00–13:00"), error);
  if (template_id == 0)
    return FALSE;

  for (guint i = 0; i + 1 < seed->door_devices->len; i += 2) {
    gint64 device = g_array_index (seed->door_devices, gint64, i);
    gint64 n_doors = g_array_index (seed->door_devices, gint64, i + 1);

    for (int d = 0; d < n_doors; d++) {
      GhGroupDoor door = { device, d };

      g_array_append_val (doors, door);
    }
  }

  residents.name = _("Residents – all doors");
  residents.remark = _("Every entrance and the gate, at any time");
  residents.verify_method = (char *)"any";
  residents.doors = doors;
  group = gh_access_store_add_group (access, seed->session, &residents, error);
  if (group == 0 ||
      !gh_access_store_add_departments (access, seed->session, group, &people->residents, 1,
                                        error))
    return FALSE;
  seed->summary.n_groups++;

  staff.name = _("Staff – working hours");
  staff.remark = _("Every entrance and the gate during working hours");
  staff.time_template_id = template_id;
  staff.verify_method = (char *)"any";
  staff.doors = doors;
  group = gh_access_store_add_group (access, seed->session, &staff, error);
  if (group == 0 ||
      !gh_access_store_add_persons (access, seed->session, group,
                                    (const gint64 *)(gpointer)people->staff_ids->data,
                                    people->staff_ids->len, error))
    return FALSE;
  seed->summary.n_groups++;

  return TRUE;
}

static gboolean
seed_all (Seed       *seed,
          GPtrArray  *devices,
          GError    **error)
{
  People people = {
    .staff_ids = g_array_new (FALSE, FALSE, sizeof (gint64)),
    .resident_ids = g_array_new (FALSE, FALSE, sizeof (gint64)),
  };
  gboolean ok;

  ok = gh_org_store_add_node (seed->org, seed->session, 0, NULL, _("Linden Court"), error) > 0 &&
       seed_company (seed, error) &&
       seed_devices (seed, devices, error) &&
       seed_unlock_passwords (seed, error) &&
       seed_people (seed, &people, error) &&
       seed_access (seed, &people, error);

  g_array_unref (people.staff_ids);
  g_array_unref (people.resident_ids);

  return ok;
}

/**
 * gh_demo_seed_run:
 * @database: an empty database with its key store attached (device passwords are sealed)
 * @session: who seeds; needs every community, device, personnel and access permission
 * @devices: (element-type GhDemoDevice): the devices of the demo community
 * @out_summary: (out) (optional): what was added
 *
 * Fills @database with the demo community in one transaction: the devices, the buildings,
 * units and rooms of their numbers, the registration numbers (by the core numbering rules),
 * unlock passwords for half of the rooms, a company, a department tree, forty residents and
 * staff with cards (some with passwords) and permission groups on the door stations.
 *
 * Returns: %TRUE on success; on failure nothing was written
 */
gboolean
gh_demo_seed_run (GhDatabase         *database,
                  GhSession          *session,
                  GPtrArray          *devices,
                  GhDemoSeedSummary  *out_summary,
                  GError            **error)
{
  Seed seed = { 0 };
  gboolean ok;

  g_return_val_if_fail (GH_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (GH_IS_SESSION (session), FALSE);
  g_return_val_if_fail (devices != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (devices->len == 0) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("The demo community has no devices."));
    return FALSE;
  }

  seed.database = database;
  seed.session = session;
  seed.org = gh_org_store_new (database);
  seed.devices = gh_device_store_new (database);
  seed.dial = gh_dial_store_new (database);
  seed.persons = gh_person_store_new (database);
  seed.departments = gh_department_store_new (database);
  seed.nodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  seed.rooms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  seed.room_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  seed.door_devices = g_array_new (FALSE, FALSE, sizeof (gint64));
  seed.rand = g_rand_new_with_seed (DEMO_RANDOM_SEED);

  if (gh_org_store_get_community (seed.org, NULL) != 0 ||
      gh_person_store_count (seed.persons) > 0) {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_EXISTS,
                         _("The demo database already holds a community; the demo seeds only "
                           "a fresh database."));
    seed_clear (&seed);
    return FALSE;
  }

  ok = gh_database_begin (database, error);
  if (ok) {
    ok = seed_all (&seed, devices, error);
    if (ok)
      ok = gh_database_commit (database, error);
    else
      gh_database_rollback (database);
  }

  if (ok && out_summary != NULL)
    *out_summary = seed.summary;

  seed_clear (&seed);

  return ok;
}

/**
 * gh_demo_seed_sign_in:
 * @database: a fresh demo database (no operators yet)
 *
 * Creates the demo administrator (%GH_DEMO_OPERATOR, password %GH_DEMO_OPERATOR_PASSWORD, as
 * the user guide says, for signing in again after signing out or at the idle lock) and signs
 * it in: the demo never asks for a password at start.
 *
 * Returns: (transfer full): the administrator's session, or %NULL with @error set
 */
GhSession *
gh_demo_seed_sign_in (GhDatabase  *database,
                      GError     **error)
{
  g_return_val_if_fail (GH_IS_DATABASE (database), NULL);

  return gh_auth_create_first_administrator (database, GH_DEMO_OPERATOR,
                                             GH_DEMO_OPERATOR_PASSWORD, "gui", error);
}
