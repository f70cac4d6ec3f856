/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-time-template"

#include "config.h"

#include "gh-error.h"
#include "gh-time-template.h"

#include "test-helpers.h"

#define HM(h, m) ((h) * 60 + (m))

static GDateTime *
at (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  return g_date_time_new (utc, y, mo, d, h, mi, 0);
}

static GhTimeTemplate *
office_hours (void)
{
  GhTimeTemplate *t = gh_time_template_new ();
  const GhTimeSection weekday[] = { { HM (13, 0), HM (18, 0) }, { HM (8, 0), HM (12, 0) } };
  const GhTimeSection saturday[] = { { HM (9, 0), HM (12, 0) } };

  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
    g_assert_true (gh_time_template_set_day (t, d, weekday, G_N_ELEMENTS (weekday), NULL));
  g_assert_true (gh_time_template_set_day (t, G_DATE_SATURDAY, saturday, 1, NULL));
  return t;
}

static void
test_sections (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GhTimeSection s;

  g_assert_true (gh_time_section_parse ("08:00-12:30", &s, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.start, ==, 480);
  g_assert_cmpuint (s.end, ==, 750);
  text = gh_time_section_to_string (&s);
  g_assert_cmpstr (text, ==, "08:00-12:30");

  g_assert_true (gh_time_section_parse ("00:00-24:00", &s, &error));
  g_assert_cmpuint (s.end, ==, GH_TIME_MINUTES_PER_DAY);

  {
    static const struct {
      const char *text;
      const char *needle;
    } bad[] = {
      { "8:00-12:00", "HH:MM-HH:MM" },
      { "08:00", "HH:MM-HH:MM" },
      { "08:00-24:01", "HH:MM-HH:MM" },
      { "24:00-24:00", "24:00-24:00 lies outside the day" },
      { "08:60-09:00", "HH:MM-HH:MM" },
      { "12:00-08:00", "12:00-08:00 does not end after it starts" },
      { "", "“” is not a time section" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
      g_clear_error (&error);
      g_assert_false (gh_time_section_parse (bad[i].text, &s, &error));
      g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
      assert_message_contains (error, bad[i].needle);
    }
  }
}

static void
test_validate (void)
{
  g_autoptr(GError) error = NULL;
  const GhTimeSection touching[] = { { HM (12, 0), HM (13, 0) }, { HM (8, 0), HM (12, 0) } };
  const GhTimeSection overlapping[] = { { HM (8, 0), HM (12, 0) }, { HM (11, 59), HM (13, 0) } };
  const GhTimeSection five[] = { { 0, 10 }, { 10, 20 }, { 20, 30 }, { 30, 40 }, { 40, 50 } };
  const GhTimeSection out_of_range[] = { { HM (23, 0), 1441 } };
  const GhTimeSection empty[] = { { HM (9, 0), HM (9, 0) } };

  g_assert_true (gh_time_sections_validate (touching, 2, &error));
  g_assert_true (gh_time_sections_validate (five, 4, &error));
  g_assert_true (gh_time_sections_validate (NULL, 0, &error));
  g_assert_no_error (error);

  g_assert_false (gh_time_sections_validate (overlapping, 2, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "08:00-12:00 and 11:59-13:00 overlap");
  g_clear_error (&error);

  g_assert_false (gh_time_sections_validate (five, 5, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "at most 4 time sections; remove 1 of the 5");
  g_clear_error (&error);

  g_assert_false (gh_time_sections_validate (out_of_range, 1, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "outside the day");
  g_clear_error (&error);

  g_assert_false (gh_time_sections_validate (empty, 1, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "09:00-09:00 does not end after it starts");
}

static void
test_set_day (void)
{
  g_autoptr(GhTimeTemplate) t = office_hours ();
  g_autoptr(GError) error = NULL;
  GhTimeSection out[GH_TIME_TEMPLATE_MAX_SECTIONS];
  const GhTimeSection bad[] = { { HM (8, 0), HM (12, 0) }, { HM (10, 0), HM (11, 0) } };

  /* Sorted on the way in. */
  g_assert_cmpuint (gh_time_template_get_day (t, G_DATE_TUESDAY, out), ==, 2);
  g_assert_cmpuint (out[0].start, ==, HM (8, 0));
  g_assert_cmpuint (out[1].start, ==, HM (13, 0));
  g_assert_cmpuint (gh_time_template_get_day (t, G_DATE_SUNDAY, out), ==, 0);

  /* A rejected day leaves the template as it was, and the message names the day. */
  g_assert_false (gh_time_template_set_day (t, G_DATE_TUESDAY, bad, 2, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "Tuesday: ");
  assert_message_contains (error, "overlap");
  g_assert_cmpuint (gh_time_template_get_day (t, G_DATE_TUESDAY, out), ==, 2);
}

static void
test_allows (void)
{
  g_autoptr(GhTimeTemplate) t = office_hours ();
  g_autoptr(GDateTime) from = at (2026, 1, 1, 0, 0);
  g_autoptr(GDateTime) to = at (2026, 12, 31, 0, 0);
  static const struct {
    int y, mo, d, h, mi;
    gboolean allowed;
  } cases[] = {
    { 2026, 11, 25, 8, 0, TRUE },    /* Wednesday, first minute of a section */
    { 2026, 11, 25, 7, 59, FALSE },
    { 2026, 11, 25, 11, 59, TRUE },
    { 2026, 11, 25, 12, 0, FALSE },  /* end is exclusive */
    { 2026, 11, 25, 12, 30, FALSE },
    { 2026, 11, 25, 17, 59, TRUE },
    { 2026, 11, 28, 10, 0, TRUE },   /* Saturday */
    { 2026, 11, 28, 13, 0, FALSE },
    { 2026, 11, 29, 10, 0, FALSE },  /* Sunday: no sections */
    { 2025, 12, 31, 10, 0, FALSE },  /* Wednesday, before the validity */
    { 2026, 12, 31, 10, 0, FALSE },  /* Thursday, at the expiry instant and after */
    { 2026, 12, 30, 10, 0, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GDateTime) when = at (cases[i].y, cases[i].mo, cases[i].d, cases[i].h,
                                    cases[i].mi);

    g_test_message ("case %u", i);
    g_assert_cmpint (gh_time_template_allows (t, from, to, when), ==, cases[i].allowed);
  }

  /* Without validity limits. */
  {
    g_autoptr(GDateTime) when = at (2030, 1, 7, 9, 0);  /* a Monday */

    g_assert_true (gh_time_template_allows (t, NULL, NULL, when));
  }
}

static void
test_time_zone (void)
{
  g_autoptr(GhTimeTemplate) t = office_hours ();
  g_autoptr(GTimeZone) plus2 = g_time_zone_new_offset (2 * 3600);
  g_autoptr(GDateTime) utc = at (2026, 11, 25, 6, 30);   /* 06:30 UTC */
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, plus2);  /* 08:30 local */

  g_assert_false (gh_time_template_allows (t, NULL, NULL, utc));
  g_assert_true (gh_time_template_allows (t, NULL, NULL, local));
}

static void
test_holidays (void)
{
  g_autoptr(GhTimeTemplate) t = office_hours ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) dates = NULL;
  GDate christmas, newyear, other;
  const GhTimeSection short_day[] = { { HM (9, 0), HM (11, 0) } };
  const GhTimeSection bad[] = { { HM (11, 0), HM (9, 0) } };
  GhTimeSection out[GH_TIME_TEMPLATE_MAX_SECTIONS];
  guint n = 99;

  g_date_clear (&christmas, 1);
  g_date_set_dmy (&christmas, 25, G_DATE_DECEMBER, 2026);   /* a Friday */
  g_date_clear (&newyear, 1);
  g_date_set_dmy (&newyear, 1, G_DATE_JANUARY, 2027);       /* a Friday */
  g_date_clear (&other, 1);
  g_date_set_dmy (&other, 2, G_DATE_JANUARY, 2027);

  g_assert_true (gh_time_template_set_holiday (t, &newyear, short_day, 1, &error));
  g_assert_true (gh_time_template_set_holiday (t, &christmas, NULL, 0, &error));
  g_assert_no_error (error);

  g_assert_true (gh_time_template_get_holiday (t, &newyear, out, &n));
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (out[0].end, ==, HM (11, 0));
  g_assert_false (gh_time_template_get_holiday (t, &other, out, &n));

  dates = gh_time_template_get_holidays (t);
  g_assert_cmpuint (dates->len, ==, 2);
  g_assert_cmpint (g_date_compare (&g_array_index (dates, GDate, 0), &christmas), ==, 0);
  g_assert_cmpint (g_date_compare (&g_array_index (dates, GDate, 1), &newyear), ==, 0);

  {
    g_autoptr(GDateTime) xmas_10 = at (2026, 12, 25, 10, 0);
    g_autoptr(GDateTime) ny_10 = at (2027, 1, 1, 10, 0);
    g_autoptr(GDateTime) ny_14 = at (2027, 1, 1, 14, 0);
    g_autoptr(GDateTime) fri_14 = at (2026, 12, 18, 14, 0);

    g_assert_false (gh_time_template_allows (t, NULL, NULL, xmas_10));  /* closed */
    g_assert_true (gh_time_template_allows (t, NULL, NULL, ny_10));
    g_assert_false (gh_time_template_allows (t, NULL, NULL, ny_14));    /* overrides Friday */
    g_assert_true (gh_time_template_allows (t, NULL, NULL, fri_14));

    g_assert_true (gh_time_template_remove_holiday (t, &christmas));
    g_assert_false (gh_time_template_remove_holiday (t, &christmas));
    g_assert_true (gh_time_template_allows (t, NULL, NULL, xmas_10));
  }

  g_assert_false (gh_time_template_set_holiday (t, &newyear, bad, 1, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
  assert_message_contains (error, "2027-01-01: ");
  /* Unchanged. */
  g_assert_true (gh_time_template_get_holiday (t, &newyear, out, &n));
  g_assert_cmpuint (n, ==, 1);
}

static void
test_serialise (void)
{
  g_autoptr(GhTimeTemplate) t = office_hours ();
  g_autoptr(GhTimeTemplate) back = NULL;
  g_autoptr(GhTimeTemplate) always = gh_time_template_new_always ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *always_text = NULL;
  GDate date;
  const GhTimeSection short_day[] = { { HM (9, 0), HM (11, 0) }, { HM (14, 0), HM (24, 0) } };

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_JANUARY, 2027);
  gh_time_template_set_holiday (t, &date, short_day, 2, NULL);
  g_date_set_dmy (&date, 25, G_DATE_DECEMBER, 2026);
  gh_time_template_set_holiday (t, &date, NULL, 0, NULL);

  text = gh_time_template_to_string (t);
  g_assert_cmpstr (text, ==,
                   "v1;mon=08:00-12:00,13:00-18:00;tue=08:00-12:00,13:00-18:00;"
                   "wed=08:00-12:00,13:00-18:00;thu=08:00-12:00,13:00-18:00;"
                   "fri=08:00-12:00,13:00-18:00;sat=09:00-12:00;sun=;"
                   "2026-12-25=;2027-01-01=09:00-11:00,14:00-24:00");

  back = gh_time_template_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (gh_time_template_equal (t, back));
  g_assert_false (gh_time_template_equal (t, always));

  always_text = gh_time_template_to_string (always);
  g_assert_cmpstr (always_text, ==,
                   "v1;mon=00:00-24:00;tue=00:00-24:00;wed=00:00-24:00;thu=00:00-24:00;"
                   "fri=00:00-24:00;sat=00:00-24:00;sun=00:00-24:00");

  /* Keys in any order, missing weekdays empty. */
  g_clear_pointer (&back, gh_time_template_free);
  back = gh_time_template_from_string ("v1;2027-01-01=;sat=10:00-11:00,08:00-09:00", &error);
  g_assert_no_error (error);
  {
    GhTimeSection out[GH_TIME_TEMPLATE_MAX_SECTIONS];

    g_assert_cmpuint (gh_time_template_get_day (back, G_DATE_SATURDAY, out), ==, 2);
    g_assert_cmpuint (out[0].start, ==, HM (8, 0));
    g_assert_cmpuint (gh_time_template_get_day (back, G_DATE_MONDAY, out), ==, 0);
  }

  /* A copy is equal and independent. */
  {
    g_autoptr(GhTimeTemplate) copy = gh_time_template_copy (t);

    g_assert_true (gh_time_template_equal (t, copy));
    gh_time_template_set_day (copy, G_DATE_SUNDAY, short_day, 1, NULL);
    g_assert_false (gh_time_template_equal (t, copy));
  }
}

static void
test_parse_bad (void)
{
  static const struct {
    const char *text;
    const char *needle;
  } cases[] = {
    { NULL, "empty" },
    { "", "empty" },
    { "v2;mon=", "only version “v1”" },
    { "mon=08:00-09:00", "starts with “mon=08:00-09:00”" },
    { "v1;mon", "has no “=”" },
    { "v1;monday=", "neither a weekday" },
    { "v1;2026-02-30=", "“2026-02-30” is neither" },
    { "v1;mon=;mon=", "gives “mon” twice" },
    { "v1;2026-12-25=;2026-12-25=", "gives “2026-12-25” twice" },
    { "v1;mon=08:00-12:00,11:00-13:00", "mon: The time sections 08:00-12:00 and 11:00-13:00" },
    { "v1;tue=00:00-01:00,01:00-02:00,02:00-03:00,03:00-04:00,04:00-05:00", "at most 4" },
    { "v1;tue=00:00-01:00,01:00-02:00,02:00-03:00,03:00-04:00,04:00-05:00,05:00-06:00",
      "at most 4" },
    { "v1;wed=08:00-12:00,", "“” is not a time section" },
    { "v1;thu=8-12", "“8-12” is not a time section" },
    { "v1;2026-12-25=12:00-11:00", "2026-12-25: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GhTimeTemplate) t = NULL;

    g_test_message ("case %s", cases[i].text);
    t = gh_time_template_from_string (cases[i].text, &error);
    g_assert_null (t);
    g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
    assert_message_contains (error, cases[i].needle);
  }
}

static void
test_boxed (void)
{
  g_autoptr(GhTimeTemplate) t = office_hours ();
  GhTimeTemplate *copy = g_boxed_copy (GH_TYPE_TIME_TEMPLATE, t);

  g_assert_true (gh_time_template_equal (t, copy));
  g_boxed_free (GH_TYPE_TIME_TEMPLATE, copy);
}

/* Random text must give an answer, never a crash, and whatever parses must round-trip. */
static void
test_random_input (void)
{
  static const char alphabet[] = "v1;=montuesu0123456789:-,";

  for (guint round = 0; round < 5000; round++) {
    g_autoptr(GhTimeTemplate) t = NULL;
    g_autoptr(GError) error = NULL;
    char text[40];
    guint len = g_test_rand_int_range (0, sizeof text);

    for (guint i = 0; i < len; i++)
      text[i] = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
    text[len] = '\0';
    if (round % 2 == 0 && len >= 3)
      memcpy (text, "v1;", 3);

    t = gh_time_template_from_string (text, &error);
    if (t != NULL) {
      g_autofree char *again = gh_time_template_to_string (t);
      g_autoptr(GhTimeTemplate) back = gh_time_template_from_string (again, NULL);

      g_assert_no_error (error);
      g_assert_nonnull (back);
      g_assert_true (gh_time_template_equal (t, back));
    } else {
      g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT);
    }
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/time-template/sections", test_sections);
  g_test_add_func ("/core/time-template/validate", test_validate);
  g_test_add_func ("/core/time-template/set-day", test_set_day);
  g_test_add_func ("/core/time-template/allows", test_allows);
  g_test_add_func ("/core/time-template/time-zone", test_time_zone);
  g_test_add_func ("/core/time-template/holidays", test_holidays);
  g_test_add_func ("/core/time-template/serialise", test_serialise);
  g_test_add_func ("/core/time-template/parse-bad", test_parse_bad);
  g_test_add_func ("/core/time-template/boxed", test_boxed);
  g_test_add_func ("/core/time-template/random-input", test_random_input);

  return g_test_run ();
}
