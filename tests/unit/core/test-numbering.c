/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-numbering"

#include "config.h"

#include "gh-error.h"
#include "gh-numbering.h"

#include "test-helpers.h"

static void
test_vth_parse_with_unit (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GhRegNumber n;

  g_assert_true (gh_reg_number_parse (GH_REG_KIND_VTH, GH_ORG_LEVELS_BUILDING_UNIT,
                                      "11#01#11#5", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n.kind, ==, GH_REG_KIND_VTH);
  g_assert_cmpstr (n.building, ==, "11");
  g_assert_cmpstr (n.unit, ==, "01");
  g_assert_cmpstr (n.room, ==, "11");
  g_assert_cmpint (n.extension, ==, 5);
  g_assert_cmpstr (n.device_number, ==, "");

  text = gh_reg_number_format (&n);
  g_assert_cmpstr (text, ==, "11#01#11#5");

  g_assert_true (gh_reg_number_parse (GH_REG_KIND_VTH, GH_ORG_LEVELS_BUILDING_UNIT,
                                      " 02#01#302 ", &n, &error));
  g_assert_cmpint (n.extension, ==, GH_NUMBERING_NO_EXTENSION);
  g_clear_pointer (&text, g_free);
  text = gh_reg_number_format (&n);
  g_assert_cmpstr (text, ==, "02#01#302");
}

static void
test_vth_parse_without_unit (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GhRegNumber n;

  /* The same text means building#room#extension without a unit level. */
  g_assert_true (gh_reg_number_parse (GH_REG_KIND_VTH, GH_ORG_LEVELS_BUILDING,
                                      "11#01#1", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (n.building, ==, "11");
  g_assert_cmpstr (n.unit, ==, "");
  g_assert_cmpstr (n.room, ==, "01");
  g_assert_cmpint (n.extension, ==, 1);
  text = gh_reg_number_format (&n);
  g_assert_cmpstr (text, ==, "11#01#1");

  g_assert_true (gh_reg_number_parse (GH_REG_KIND_VTH, GH_ORG_LEVELS_BUILDING,
                                      "3#1502", &n, &error));
  g_assert_cmpstr (n.room, ==, "1502");
  g_assert_cmpint (n.extension, ==, GH_NUMBERING_NO_EXTENSION);

  /* Four levels is one too many without units. */
  g_assert_false (gh_reg_number_parse (GH_REG_KIND_VTH, GH_ORG_LEVELS_BUILDING,
                                       "11#01#11#5", &n, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "building#room");
}

static void
test_vth_bad_input (void)
{
  static const struct {
    const char *text;
    const char *needle;
  } cases[] = {
    { "", "“” is not a valid VTH registration number" },
    { "11", "building#unit#room" },
    { "11#01#11#5#6", "building#unit#room#extension" },
    { "1a#01#11", "building number “1a”" },
    { "1234#01#11", "building number “1234”" },
    { "000#01#11", "building number “000” is zero" },
    { "11#123#11", "unit number “123”" },
    { "11#00#11", "unit number “00” is zero" },
    { "11##11", "Enter a unit number" },
    { "11#01#", "Enter a room number" },
    { "11#01#1234567", "room number “1234567”" },
    { "11#01#0", "room number “0” is zero" },
    { "11#01#11#12", "extension “12”" },
    { "11#01#11#x", "extension “x”" },
    { "11#01#11#", "extension “”" },
    { "11 #01#11", "building number “11 ”" },
    { "-1#01#11", "building number “-1”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    GhRegNumber n;

    g_test_message ("case %s", cases[i].text);
    g_assert_false (gh_reg_number_parse (GH_REG_KIND_VTH, GH_ORG_LEVELS_BUILDING_UNIT,
                                         cases[i].text, &n, &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
    assert_message_contains (error, cases[i].needle);
  }

  {
    g_autoptr(GError) error = NULL;
    GhRegNumber n;

    g_assert_false (gh_reg_number_parse (GH_REG_KIND_VTH, GH_ORG_LEVELS_BUILDING_UNIT,
                                         NULL, &n, &error));
    g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  }
}

static void
test_vth_build (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GhRegNumber n;
  GhOrgPath path;

  g_assert_true (gh_reg_number_build_vth (GH_ORG_LEVELS_BUILDING_UNIT, "11", "01", "11", 5,
                                          &n, &error));
  g_assert_no_error (error);
  text = gh_reg_number_format (&n);
  g_assert_cmpstr (text, ==, "11#01#11#5");

  g_assert_true (gh_reg_number_get_org_path (&n, &path));
  g_assert_cmpstr (path.building, ==, "11");
  g_assert_cmpstr (path.unit, ==, "01");
  g_assert_cmpstr (path.room, ==, "11");

  g_assert_false (gh_reg_number_build_vth (GH_ORG_LEVELS_BUILDING_UNIT, "11", "01", "11", 10,
                                           &n, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "extension 10");
  g_clear_error (&error);

  g_assert_false (gh_reg_number_build_vth (GH_ORG_LEVELS_BUILDING_UNIT, "11", NULL, "11", 1,
                                           &n, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "Enter a unit number");
  g_clear_error (&error);

  g_assert_false (gh_reg_number_build_vth (GH_ORG_LEVELS_BUILDING, "11", "01", "11", 1,
                                           &n, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "no unit level");
  g_clear_error (&error);

  g_assert_true (gh_reg_number_build_vth (GH_ORG_LEVELS_BUILDING, "7", "", "702",
                                          GH_NUMBERING_NO_EXTENSION, &n, &error));
  g_clear_pointer (&text, g_free);
  text = gh_reg_number_format (&n);
  g_assert_cmpstr (text, ==, "7#702");

  g_assert_true (gh_org_path_parse (GH_ORG_LEVELS_BUILDING_UNIT, "02#01#302", &path, &error));
  g_assert_true (gh_reg_number_build_vth_for_path (&path, 0, &n, &error));
  g_clear_pointer (&text, g_free);
  text = gh_reg_number_format (&n);
  g_assert_cmpstr (text, ==, "02#01#302#0");
}

static void
test_vto (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GhRegNumber n, parsed;

  g_assert_true (gh_reg_number_build_vto (GH_ORG_LEVELS_BUILDING_UNIT, "11", "01", "8055", "55",
                                          &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n.kind, ==, GH_REG_KIND_VTO);
  g_assert_cmpstr (n.device_number, ==, "8055");
  text = gh_reg_number_format (&n);
  g_assert_cmpstr (text, ==, "11#01#8055");

  g_assert_true (gh_reg_number_parse (GH_REG_KIND_VTO, GH_ORG_LEVELS_BUILDING_UNIT, text,
                                      &parsed, &error));
  g_assert_true (gh_reg_number_equal (&n, &parsed));
  g_assert_false (gh_reg_number_get_org_path (&n, &(GhOrgPath) { { 0 } }));

  /* The wrong two digits name both numbers. */
  g_assert_false (gh_reg_number_build_vto (GH_ORG_LEVELS_BUILDING_UNIT, "11", "01", "8055", "56",
                                           &n, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "“56”");
  assert_message_contains (error, "8055");
  assert_message_contains (error, "“55”");
  g_clear_error (&error);

  g_assert_false (gh_reg_number_build_vto (GH_ORG_LEVELS_BUILDING_UNIT, "11", "01", "8055", "5",
                                           &n, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "exactly two digits");
  g_clear_error (&error);

  g_assert_false (gh_reg_number_build_vto (GH_ORG_LEVELS_BUILDING_UNIT, "11", "01", "8055", NULL,
                                           &n, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_false (gh_reg_number_build_vto (GH_ORG_LEVELS_BUILDING_UNIT, "11", "01", "8", "08",
                                           &n, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "device number “8”");
  g_clear_error (&error);

  g_assert_false (gh_reg_number_build_vto (GH_ORG_LEVELS_BUILDING_UNIT, "11", "01", "80a5", "a5",
                                           &n, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Without unit level. */
  g_assert_true (gh_reg_number_build_vto (GH_ORG_LEVELS_BUILDING, "11", NULL, "8001", "01",
                                          &n, &error));
  g_clear_pointer (&text, g_free);
  text = gh_reg_number_format (&n);
  g_assert_cmpstr (text, ==, "11#8001");

  g_assert_false (gh_reg_number_parse (GH_REG_KIND_VTO, GH_ORG_LEVELS_BUILDING_UNIT,
                                       "11#01#8055#1", &n, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "building#unit#VTO number");
}

static void
test_vts (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GhRegNumber n, parsed;

  g_assert_true (gh_reg_number_build_station (GH_REG_KIND_VTS, "101", "01", &n, &error));
  g_assert_no_error (error);
  text = gh_reg_number_format (&n);
  g_assert_cmpstr (text, ==, "101");
  g_assert_true (gh_reg_number_parse (GH_REG_KIND_VTS, GH_ORG_LEVELS_BUILDING_UNIT, "101",
                                      &parsed, &error));
  g_assert_true (gh_reg_number_equal (&n, &parsed));

  g_assert_false (gh_reg_number_build_station (GH_REG_KIND_VTS, "101", "10", &n, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "“10”");
  assert_message_contains (error, "101");
  assert_message_contains (error, "“01”");
  g_clear_error (&error);

  g_assert_false (gh_reg_number_parse (GH_REG_KIND_VTS, GH_ORG_LEVELS_BUILDING_UNIT, "1#101",
                                       &n, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "station’s own number");
  g_clear_error (&error);

  g_assert_true (gh_reg_number_build_station (GH_REG_KIND_FENCE, "9901", "01", &n, &error));
  g_assert_cmpint (n.kind, ==, GH_REG_KIND_FENCE);
}

static void
test_org_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GhOrgPath path, other;

  g_assert_true (gh_org_path_parse (GH_ORG_LEVELS_BUILDING_UNIT, "02#01#302", &path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (path.building, ==, "02");
  g_assert_cmpstr (path.unit, ==, "01");
  g_assert_cmpstr (path.room, ==, "302");
  text = gh_org_path_format (&path);
  g_assert_cmpstr (text, ==, "02#01#302");

  g_assert_true (gh_org_path_build (GH_ORG_LEVELS_BUILDING_UNIT, "02", "01", "302", &other,
                                    &error));
  g_assert_true (gh_org_path_equal (&path, &other));
  g_assert_true (gh_org_path_build (GH_ORG_LEVELS_BUILDING_UNIT, "2", "01", "302", &other,
                                    &error));
  g_assert_false (gh_org_path_equal (&path, &other));

  g_assert_true (gh_org_path_parse (GH_ORG_LEVELS_BUILDING, "02#302", &path, &error));
  g_clear_pointer (&text, g_free);
  text = gh_org_path_format (&path);
  g_assert_cmpstr (text, ==, "02#302");

  g_assert_false (gh_org_path_parse (GH_ORG_LEVELS_BUILDING, "02#01#302", &path, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "building#room");
  g_clear_error (&error);

  g_assert_false (gh_org_path_parse (GH_ORG_LEVELS_BUILDING_UNIT, "02#01#30a", &path, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "room number “30a”");
}

static void
test_conflicts (void)
{
  GhRegNumber a, b;

  gh_reg_number_parse (GH_REG_KIND_VTH, GH_ORG_LEVELS_BUILDING_UNIT, "11#01#11", &a, NULL);
  gh_reg_number_parse (GH_REG_KIND_VTH, GH_ORG_LEVELS_BUILDING_UNIT, "11#01#11#0", &b, NULL);
  g_assert_false (gh_reg_number_equal (&a, &b));
  g_assert_true (gh_reg_number_conflicts (&a, &b));
  g_assert_true (gh_reg_number_conflicts (&a, &a));

  gh_reg_number_parse (GH_REG_KIND_VTH, GH_ORG_LEVELS_BUILDING_UNIT, "11#01#11#1", &b, NULL);
  g_assert_false (gh_reg_number_conflicts (&a, &b));
  gh_reg_number_parse (GH_REG_KIND_VTH, GH_ORG_LEVELS_BUILDING_UNIT, "11#02#11", &b, NULL);
  g_assert_false (gh_reg_number_conflicts (&a, &b));
  gh_reg_number_parse (GH_REG_KIND_VTH, GH_ORG_LEVELS_BUILDING_UNIT, "011#01#11", &b, NULL);
  g_assert_false (gh_reg_number_conflicts (&a, &b));

  /* Two VTOs in one unit whose numbers end alike. */
  gh_reg_number_parse (GH_REG_KIND_VTO, GH_ORG_LEVELS_BUILDING_UNIT, "11#01#8055", &a, NULL);
  gh_reg_number_parse (GH_REG_KIND_VTO, GH_ORG_LEVELS_BUILDING_UNIT, "11#01#8155", &b, NULL);
  g_assert_true (gh_reg_number_conflicts (&a, &b));
  gh_reg_number_parse (GH_REG_KIND_VTO, GH_ORG_LEVELS_BUILDING_UNIT, "11#02#8055", &b, NULL);
  g_assert_false (gh_reg_number_conflicts (&a, &b));
  gh_reg_number_parse (GH_REG_KIND_VTO, GH_ORG_LEVELS_BUILDING_UNIT, "11#01#8056", &b, NULL);
  g_assert_false (gh_reg_number_conflicts (&a, &b));

  /* Community stations share one number space. */
  gh_reg_number_parse (GH_REG_KIND_VTS, GH_ORG_LEVELS_BUILDING_UNIT, "101", &a, NULL);
  gh_reg_number_parse (GH_REG_KIND_FENCE, GH_ORG_LEVELS_BUILDING_UNIT, "101", &b, NULL);
  g_assert_true (gh_reg_number_conflicts (&a, &b));
  gh_reg_number_parse (GH_REG_KIND_VILLA, GH_ORG_LEVELS_BUILDING_UNIT, "102", &b, NULL);
  g_assert_false (gh_reg_number_conflicts (&a, &b));

  /* Different families never conflict. */
  gh_reg_number_parse (GH_REG_KIND_VTH, GH_ORG_LEVELS_BUILDING_UNIT, "11#01#8055", &a, NULL);
  gh_reg_number_parse (GH_REG_KIND_VTO, GH_ORG_LEVELS_BUILDING_UNIT, "11#01#8055", &b, NULL);
  g_assert_false (gh_reg_number_conflicts (&a, &b));
}

static void
test_kind_strings (void)
{
  GhRegKind kind;

  for (GhRegKind k = GH_REG_KIND_VTH; k <= GH_REG_KIND_VILLA; k++) {
    g_assert_true (gh_reg_kind_from_string (gh_reg_kind_to_string (k), &kind));
    g_assert_cmpint (kind, ==, k);
  }
  g_assert_true (gh_reg_kind_from_string ("VTO", &kind));
  g_assert_cmpint (kind, ==, GH_REG_KIND_VTO);
  g_assert_cmpstr (gh_reg_kind_get_display_name (GH_REG_KIND_VTS), ==, "VTS");
  g_assert_false (gh_reg_kind_from_string ("nvr", &kind));
  g_assert_false (gh_reg_kind_from_string (NULL, &kind));
}

/* Random text must give an answer, never a crash, and whatever parses must format back. */
static void
test_random_input (void)
{
  static const char alphabet[] = "0123456789##  a-";

  for (guint round = 0; round < 5000; round++) {
    char text[16];
    guint len = g_test_rand_int_range (0, sizeof text);

    for (guint i = 0; i < len; i++)
      text[i] = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
    text[len] = '\0';

    for (GhRegKind kind = GH_REG_KIND_VTH; kind <= GH_REG_KIND_VILLA; kind++) {
      for (GhOrgLevels levels = GH_ORG_LEVELS_BUILDING_UNIT; levels <= GH_ORG_LEVELS_BUILDING;
           levels++) {
        g_autoptr(GError) error = NULL;
        GhRegNumber n, again;

        if (gh_reg_number_parse (kind, levels, text, &n, &error)) {
          g_autofree char *formatted = gh_reg_number_format (&n);

          g_assert_no_error (error);
          g_assert_true (gh_reg_number_parse (kind, levels, formatted, &again, NULL));
          g_assert_true (gh_reg_number_equal (&n, &again));
        } else {
          g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
          g_assert_cmpstr (error->message, !=, "");
        }
      }
    }
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/numbering/vth/parse-with-unit", test_vth_parse_with_unit);
  g_test_add_func ("/core/numbering/vth/parse-without-unit", test_vth_parse_without_unit);
  g_test_add_func ("/core/numbering/vth/bad-input", test_vth_bad_input);
  g_test_add_func ("/core/numbering/vth/build", test_vth_build);
  g_test_add_func ("/core/numbering/vto", test_vto);
  g_test_add_func ("/core/numbering/vts", test_vts);
  g_test_add_func ("/core/numbering/org-path", test_org_path);
  g_test_add_func ("/core/numbering/conflicts", test_conflicts);
  g_test_add_func ("/core/numbering/kind-strings", test_kind_strings);
  g_test_add_func ("/core/numbering/random-input", test_random_input);

  return g_test_run ();
}
