/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-time-template"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "gh-time-template.h"

#include "gh-error.h"

#define FORMAT_VERSION "v1"

typedef struct {
  guint         n_sections;
  GhTimeSection sections[GH_TIME_TEMPLATE_MAX_SECTIONS];
} DayPlan;

typedef struct {
  guint32 julian;
  DayPlan plan;
} Holiday;

/**
 * GhTimeTemplate:
 *
 * A weekly plan of time sections plus holiday plans; see gh-time-template.h for the rules.
 */
struct _GhTimeTemplate
{
  DayPlan  days[7];   /* index 0 = Monday … 6 = Sunday */
  GArray  *holidays;  /* (owned) of Holiday, sorted by julian day, unique */
};

G_DEFINE_BOXED_TYPE (GhTimeTemplate, gh_time_template, gh_time_template_copy,
                     gh_time_template_free)

static const char * const day_keys[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static const char * const day_names[] = {
  N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
  N_("Sunday"),
};

static int
compare_sections (gconstpointer a,
                  gconstpointer b)
{
  const GhTimeSection *sa = a, *sb = b;

  if (sa->start != sb->start)
    return sa->start < sb->start ? -1 : 1;
  return (int)sa->end - (int)sb->end;
}

static void
format_minute (GString *s,
               guint    minute)
{
  g_string_append_printf (s, "%02u:%02u", minute / 60, minute % 60);
}

static void
append_section (GString             *s,
                const GhTimeSection *section)
{
  format_minute (s, section->start);
  g_string_append_c (s, '-');
  format_minute (s, section->end);
}

static char *
section_text (const GhTimeSection *section)
{
  GString *s = g_string_new (NULL);

  /* Out-of-range values are shown as numbers so the message stays truthful. */
  if (section->start > GH_TIME_MINUTES_PER_DAY || section->end > GH_TIME_MINUTES_PER_DAY) {
    g_string_printf (s, _("minutes %u–%u"), section->start, section->end);
    return g_string_free (s, FALSE);
  }
  append_section (s, section);
  return g_string_free (s, FALSE);
}

static gboolean
plan_set (DayPlan              *plan,
          const GhTimeSection  *sections,
          guint                 n_sections,
          GError              **error)
{
  if (!gh_time_sections_validate (sections, n_sections, error))
    return FALSE;

  plan->n_sections = n_sections;
  if (n_sections > 0)
    memcpy (plan->sections, sections, n_sections * sizeof (GhTimeSection));
  qsort (plan->sections, n_sections, sizeof (GhTimeSection), compare_sections);
  return TRUE;
}

static gboolean
plan_equal (const DayPlan *a,
            const DayPlan *b)
{
  return a->n_sections == b->n_sections &&
         memcmp (a->sections, b->sections, a->n_sections * sizeof (GhTimeSection)) == 0;
}

static gboolean
plan_allows (const DayPlan *plan,
             guint          minute)
{
  for (guint i = 0; i < plan->n_sections; i++) {
    if (plan->sections[i].start <= minute && minute < plan->sections[i].end)
      return TRUE;
  }
  return FALSE;
}

static void
append_plan (GString       *s,
             const DayPlan *plan)
{
  for (guint i = 0; i < plan->n_sections; i++) {
    if (i > 0)
      g_string_append_c (s, ',');
    append_section (s, &plan->sections[i]);
  }
}

static Holiday *
find_holiday (const GhTimeTemplate *self,
              guint32               julian,
              guint                *out_index)
{
  for (guint i = 0; i < self->holidays->len; i++) {
    Holiday *h = &g_array_index (self->holidays, Holiday, i);

    if (h->julian == julian) {
      if (out_index != NULL)
        *out_index = i;
      return h;
    }
    if (h->julian > julian) {
      if (out_index != NULL)
        *out_index = i;
      return NULL;
    }
  }
  if (out_index != NULL)
    *out_index = self->holidays->len;
  return NULL;
}

/* "HH:MM" with HH 00–24, MM 00–59, 24 only as 24:00. */
static gboolean
parse_minute (const char *text,
              gsize       len,
              guint      *out_minute)
{
  guint h, m;

  if (len != 5 || !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) || text[2] != ':' ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;

  h = (text[0] - '0') * 10 + (text[1] - '0');
  m = (text[3] - '0') * 10 + (text[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0))
    return FALSE;

  *out_minute = h * 60 + m;
  return TRUE;
}

static gboolean
parse_plan (const char  *value,
            DayPlan     *plan,
            GError     **error)
{
  g_auto(GStrv) items = NULL;
  GhTimeSection sections[GH_TIME_TEMPLATE_MAX_SECTIONS + 1];
  guint n = 0;

  if (*value == '\0') {
    plan->n_sections = 0;
    return TRUE;
  }

  items = g_strsplit (value, ",", -1);
  for (guint i = 0; items[i] != NULL; i++) {
    if (n == G_N_ELEMENTS (sections)) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("A day can have at most %d time sections; “%s” has %u."),
                   GH_TIME_TEMPLATE_MAX_SECTIONS, value, g_strv_length (items));
      return FALSE;
    }
    if (!gh_time_section_parse (items[i], &sections[n], error))
      return FALSE;
    n++;
  }

  return plan_set (plan, sections, n, error);
}

/**
 * gh_time_section_to_string:
 *
 * Returns: (transfer full): e.g. "08:00-12:00"
 */
char *
gh_time_section_to_string (const GhTimeSection *section)
{
  GString *s;

  g_return_val_if_fail (section != NULL, NULL);

  s = g_string_new (NULL);
  append_section (s, section);
  return g_string_free (s, FALSE);
}

/**
 * gh_time_section_parse:
 * @text: "HH:MM-HH:MM", e.g. "08:00-12:00" or "18:00-24:00"
 *
 * Parses and validates one section (start before end, within the day).
 */
gboolean
gh_time_section_parse (const char     *text,
                       GhTimeSection  *out_section,
                       GError        **error)
{
  const char *dash;
  guint start, end;
  GhTimeSection section;

  g_return_val_if_fail (out_section != NULL, FALSE);

  if (text == NULL)
    text = "";

  dash = strchr (text, '-');
  if (dash == NULL ||
      !parse_minute (text, dash - text, &start) ||
      !parse_minute (dash + 1, strlen (dash + 1), &end)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("“%s” is not a time section: write it as HH:MM-HH:MM with times from 00:00 "
                   "to 24:00, for example 08:00-12:00."), text);
    return FALSE;
  }

  section.start = start;
  section.end = end;
  if (!gh_time_sections_validate (&section, 1, error))
    return FALSE;

  *out_section = section;
  return TRUE;
}

/**
 * gh_time_sections_validate:
 * @sections: (array length=n_sections): the sections of one day, in any order
 *
 * Checks the rules for one day: at most four sections, each with 0 ≤ start < end ≤ 1440,
 * and no two overlapping (touching is fine).
 */
gboolean
gh_time_sections_validate (const GhTimeSection  *sections,
                           guint                 n_sections,
                           GError              **error)
{
  GhTimeSection sorted[GH_TIME_TEMPLATE_MAX_SECTIONS];

  g_return_val_if_fail (sections != NULL || n_sections == 0, FALSE);

  if (n_sections > GH_TIME_TEMPLATE_MAX_SECTIONS) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("A day can have at most %d time sections; remove %u of the %u."),
                 GH_TIME_TEMPLATE_MAX_SECTIONS, n_sections - GH_TIME_TEMPLATE_MAX_SECTIONS,
                 n_sections);
    return FALSE;
  }

  for (guint i = 0; i < n_sections; i++) {
    const GhTimeSection *s = &sections[i];

    if (s->start >= GH_TIME_MINUTES_PER_DAY || s->end > GH_TIME_MINUTES_PER_DAY) {
      g_autofree char *text = section_text (s);

      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("The time section %s lies outside the day: use times from 00:00 to "
                     "24:00."), text);
      return FALSE;
    }
    if (s->start >= s->end) {
      g_autofree char *text = section_text (s);

      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("The time section %s does not end after it starts; set an end time "
                     "later than the start (up to 24:00)."), text);
      return FALSE;
    }
    sorted[i] = *s;
  }

  qsort (sorted, n_sections, sizeof (GhTimeSection), compare_sections);
  for (guint i = 1; i < n_sections; i++) {
    if (sorted[i].start < sorted[i - 1].end) {
      g_autofree char *a = section_text (&sorted[i - 1]);
      g_autofree char *b = section_text (&sorted[i]);

      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("The time sections %s and %s overlap; let one end before the other "
                     "starts, or merge them."), a, b);
      return FALSE;
    }
  }

  return TRUE;
}

/**
 * gh_time_template_new:
 *
 * Returns: (transfer full): a template that allows nothing
 */
GhTimeTemplate *
gh_time_template_new (void)
{
  GhTimeTemplate *self = g_new0 (GhTimeTemplate, 1);

  self->holidays = g_array_new (FALSE, FALSE, sizeof (Holiday));
  return self;
}

/**
 * gh_time_template_new_always:
 *
 * Returns: (transfer full): a template that allows every day, 00:00–24:00
 */
GhTimeTemplate *
gh_time_template_new_always (void)
{
  GhTimeTemplate *self = gh_time_template_new ();

  for (guint i = 0; i < G_N_ELEMENTS (self->days); i++) {
    self->days[i].n_sections = 1;
    self->days[i].sections[0].start = 0;
    self->days[i].sections[0].end = GH_TIME_MINUTES_PER_DAY;
  }
  return self;
}

GhTimeTemplate *
gh_time_template_copy (const GhTimeTemplate *self)
{
  GhTimeTemplate *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = gh_time_template_new ();
  memcpy (copy->days, self->days, sizeof copy->days);
  g_array_append_vals (copy->holidays, self->holidays->data, self->holidays->len);
  return copy;
}

void
gh_time_template_free (GhTimeTemplate *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->holidays, g_array_unref);
  g_free (self);
}

gboolean
gh_time_template_equal (const GhTimeTemplate *a,
                        const GhTimeTemplate *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (a->days); i++) {
    if (!plan_equal (&a->days[i], &b->days[i]))
      return FALSE;
  }

  if (a->holidays->len != b->holidays->len)
    return FALSE;

  for (guint i = 0; i < a->holidays->len; i++) {
    const Holiday *ha = &g_array_index (a->holidays, Holiday, i);
    const Holiday *hb = &g_array_index (b->holidays, Holiday, i);

    if (ha->julian != hb->julian || !plan_equal (&ha->plan, &hb->plan))
      return FALSE;
  }
  return TRUE;
}

/**
 * gh_time_template_set_day:
 * @weekday: %G_DATE_MONDAY … %G_DATE_SUNDAY
 * @sections: (array length=n_sections) (nullable): the day's sections, in any order
 *
 * Replaces the sections of @weekday. On error the template is unchanged and the message
 * starts with the day's name.
 */
gboolean
gh_time_template_set_day (GhTimeTemplate       *self,
                          GDateWeekday          weekday,
                          const GhTimeSection  *sections,
                          guint                 n_sections,
                          GError              **error)
{
  DayPlan plan = { 0 };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (g_date_valid_weekday (weekday), FALSE);

  if (!plan_set (&plan, sections, n_sections, error)) {
    g_prefix_error (error, "%s: ", _(day_names[weekday - 1]));
    return FALSE;
  }

  self->days[weekday - 1] = plan;
  return TRUE;
}

/**
 * gh_time_template_get_day:
 * @out_sections: (out caller-allocates) (array fixed-size=4): receives the sections, sorted
 *
 * Returns: how many sections @weekday has (0–4)
 */
guint
gh_time_template_get_day (const GhTimeTemplate *self,
                          GDateWeekday          weekday,
                          GhTimeSection        *out_sections)
{
  const DayPlan *plan;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (g_date_valid_weekday (weekday), 0);
  g_return_val_if_fail (out_sections != NULL, 0);

  plan = &self->days[weekday - 1];
  memcpy (out_sections, plan->sections, plan->n_sections * sizeof (GhTimeSection));
  return plan->n_sections;
}

/**
 * gh_time_template_set_holiday:
 * @date: a valid date
 * @sections: (array length=n_sections) (nullable): the sections on that date; none closes
 *   the whole day
 *
 * Adds @date as a holiday, or replaces its sections. On error the template is unchanged and
 * the message starts with the date.
 */
gboolean
gh_time_template_set_holiday (GhTimeTemplate       *self,
                              const GDate          *date,
                              const GhTimeSection  *sections,
                              guint                 n_sections,
                              GError              **error)
{
  Holiday holiday = { 0 };
  Holiday *existing;
  guint index;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  if (!plan_set (&holiday.plan, sections, n_sections, error)) {
    char iso[16];

    g_date_strftime (iso, sizeof iso, "%Y-%m-%d", date);
    g_prefix_error (error, "%s: ", iso);
    return FALSE;
  }

  holiday.julian = g_date_get_julian (date);
  existing = find_holiday (self, holiday.julian, &index);
  if (existing != NULL)
    *existing = holiday;
  else
    g_array_insert_val (self->holidays, index, holiday);
  return TRUE;
}

/**
 * gh_time_template_remove_holiday:
 *
 * Returns: %TRUE if @date was a holiday
 */
gboolean
gh_time_template_remove_holiday (GhTimeTemplate *self,
                                 const GDate    *date)
{
  guint index;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  if (find_holiday (self, g_date_get_julian (date), &index) == NULL)
    return FALSE;

  g_array_remove_index (self->holidays, index);
  return TRUE;
}

/**
 * gh_time_template_get_holiday:
 * @out_sections: (out caller-allocates) (array fixed-size=4) (optional): the sections
 * @out_n_sections: (out) (optional): how many
 *
 * Returns: %TRUE if @date is a holiday of this template
 */
gboolean
gh_time_template_get_holiday (const GhTimeTemplate *self,
                              const GDate          *date,
                              GhTimeSection        *out_sections,
                              guint                *out_n_sections)
{
  const Holiday *h;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  h = find_holiday (self, g_date_get_julian (date), NULL);
  if (h == NULL)
    return FALSE;

  if (out_sections != NULL)
    memcpy (out_sections, h->plan.sections, h->plan.n_sections * sizeof (GhTimeSection));
  if (out_n_sections != NULL)
    *out_n_sections = h->plan.n_sections;
  return TRUE;
}

/**
 * gh_time_template_get_holidays:
 *
 * Returns: (transfer full) (element-type GDate): the holiday dates, in order
 */
GArray *
gh_time_template_get_holidays (const GhTimeTemplate *self)
{
  GArray *dates;

  g_return_val_if_fail (self != NULL, NULL);

  dates = g_array_sized_new (FALSE, FALSE, sizeof (GDate), self->holidays->len);
  for (guint i = 0; i < self->holidays->len; i++) {
    GDate date;

    g_date_clear (&date, 1);
    g_date_set_julian (&date, g_array_index (self->holidays, Holiday, i).julian);
    g_array_append_val (dates, date);
  }
  return dates;
}

/**
 * gh_time_template_allows:
 * @valid_from: (nullable): the person's validity start (inclusive), or %NULL for none
 * @valid_to: (nullable): the person's expiry (exclusive), or %NULL for none
 * @when: the instant to check, in the community's time zone
 *
 * Returns: %TRUE if a person with this template and validity may pass at @when
 */
gboolean
gh_time_template_allows (const GhTimeTemplate *self,
                         GDateTime            *valid_from,
                         GDateTime            *valid_to,
                         GDateTime            *when)
{
  const Holiday *holiday;
  const DayPlan *plan;
  GDate date;
  int year, month, day;
  guint minute;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (when != NULL, FALSE);

  if (valid_from != NULL && g_date_time_compare (when, valid_from) < 0)
    return FALSE;
  if (valid_to != NULL && g_date_time_compare (when, valid_to) >= 0)
    return FALSE;

  g_date_time_get_ymd (when, &year, &month, &day);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);

  holiday = find_holiday (self, g_date_get_julian (&date), NULL);
  if (holiday != NULL)
    plan = &holiday->plan;
  else
    plan = &self->days[g_date_time_get_day_of_week (when) - 1];

  minute = g_date_time_get_hour (when) * 60 + g_date_time_get_minute (when);
  return plan_allows (plan, minute);
}

/**
 * gh_time_template_to_string:
 *
 * Returns: (transfer full): the one-line text form described in gh-time-template.h
 */
char *
gh_time_template_to_string (const GhTimeTemplate *self)
{
  GString *s;

  g_return_val_if_fail (self != NULL, NULL);

  s = g_string_new (FORMAT_VERSION);
  for (guint i = 0; i < G_N_ELEMENTS (self->days); i++) {
    g_string_append_printf (s, ";%s=", day_keys[i]);
    append_plan (s, &self->days[i]);
  }

  for (guint i = 0; i < self->holidays->len; i++) {
    const Holiday *h = &g_array_index (self->holidays, Holiday, i);
    GDate date;

    g_date_clear (&date, 1);
    g_date_set_julian (&date, h->julian);
    g_string_append_printf (s, ";%04u-%02u-%02u=", g_date_get_year (&date),
                            g_date_get_month (&date), g_date_get_day (&date));
    append_plan (s, &h->plan);
  }

  return g_string_free (s, FALSE);
}

static gboolean
parse_date_key (const char *key,
                GDate      *out_date)
{
  guint y, m, d;

  if (strlen (key) != 10 || key[4] != '-' || key[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++) {
    if (i != 4 && i != 7 && !g_ascii_isdigit (key[i]))
      return FALSE;
  }

  y = atoi (key);
  m = atoi (key + 5);
  d = atoi (key + 8);
  if (y < 1 || !g_date_valid_dmy (d, m, y))
    return FALSE;

  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, d, m, y);
  return TRUE;
}

/**
 * gh_time_template_from_string:
 * @text: the text form written by gh_time_template_to_string()
 *
 * Returns: (transfer full) (nullable): the template, or %NULL with %GH_ERROR_INVALID_INPUT
 *   naming the field that is wrong
 */
GhTimeTemplate *
gh_time_template_from_string (const char  *text,
                              GError     **error)
{
  g_autoptr(GhTimeTemplate) self = NULL;
  g_auto(GStrv) fields = NULL;
  gboolean seen_day[7] = { FALSE };

  if (text == NULL || *text == '\0') {
    g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                         _("The time template text is empty."));
    return NULL;
  }

  fields = g_strsplit (text, ";", -1);
  if (g_strcmp0 (fields[0], FORMAT_VERSION) != 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The time template text starts with “%s”; only version “%s” is known."),
                 fields[0], FORMAT_VERSION);
    return NULL;
  }

  self = gh_time_template_new ();

  for (guint i = 1; fields[i] != NULL; i++) {
    const char *field = fields[i];
    const char *eq = strchr (field, '=');
    g_autofree char *key = NULL;
    g_autoptr(GError) local_error = NULL;
    DayPlan plan = { 0 };
    GDate date;
    int day = -1;

    if (eq == NULL) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("The time template field “%s” has no “=”; write key=sections."), field);
      return NULL;
    }
    key = g_strndup (field, eq - field);

    for (guint d = 0; d < G_N_ELEMENTS (day_keys); d++) {
      if (strcmp (key, day_keys[d]) == 0)
        day = d;
    }

    if (day < 0 && !parse_date_key (key, &date)) {
      g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                   _("The time template key “%s” is neither a weekday (mon … sun) nor a "
                     "date (YYYY-MM-DD)."), key);
      return NULL;
    }

    if (!parse_plan (eq + 1, &plan, &local_error)) {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", key);
      return NULL;
    }

    if (day >= 0) {
      if (seen_day[day]) {
        g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                     _("The time template gives “%s” twice; keep one."), key);
        return NULL;
      }
      seen_day[day] = TRUE;
      self->days[day] = plan;
    } else {
      if (gh_time_template_get_holiday (self, &date, NULL, NULL)) {
        g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                     _("The time template gives “%s” twice; keep one."), key);
        return NULL;
      }
      if (!gh_time_template_set_holiday (self, &date, plan.sections, plan.n_sections, error))
        return NULL;
    }
  }

  return g_steal_pointer (&self);
}
