/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * Time templates: when a permission group lets a person through.
 *
 * A template has, for each weekday, up to four time sections. A section is a half-open range
 * of minutes of the day, [start, end): 0 ≤ start < end ≤ 1440, so 08:00–12:00 allows 08:00
 * up to 11:59 and 00:00–24:00 is the whole day. Sections of one day must not overlap; they
 * may touch (08:00–12:00 and 12:00–13:00). A day with no sections allows nothing.
 *
 * Holiday plans name calendar dates with their own up to four sections. On such a date the
 * holiday sections replace the weekday's; a holiday with no sections closes the whole day.
 *
 * gh_time_template_allows() answers "may this person pass at instant T": T must lie within the
 * person's validity (from inclusive, to exclusive, each optional) and within a section of the
 * day T falls on. The template is read in the wall-clock time of T's own time zone, so pass T
 * in the community's zone.
 *
 * Text form (gh_time_template_to_string(), gh_time_template_from_string()), one line, for
 * keeping a template in a single database column:
 *
 *   v1;mon=08:00-12:00,13:00-18:00;tue=;wed=…;thu=…;fri=…;sat=;sun=;2026-12-25=;
 *   2027-01-01=09:00-12:00
 *
 * (one line in reality; wrapped here).
 *
 * Fields are separated by `;`. The first is the version `v1`. Then `key=value`, where key is a
 * weekday (`mon` … `sun`) or a holiday date `YYYY-MM-DD`, and value is a comma-separated list
 * of sections `HH:MM-HH:MM` (24:00 allowed as an end only), or empty. Writing puts all seven
 * weekdays in order, then holidays by date, sections sorted by start. Reading accepts keys in
 * any order, a missing weekday as empty, and rejects unknown or repeated keys and every
 * section the rules above reject.
 */

#define GH_TIME_TEMPLATE_MAX_SECTIONS 4
#define GH_TIME_MINUTES_PER_DAY       1440

/**
 * GhTimeSection:
 * @start: first minute of the day included, 0–1439
 * @end: first minute no longer included, 1–1440
 */
typedef struct {
  guint16 start;
  guint16 end;
} GhTimeSection;

typedef struct _GhTimeTemplate GhTimeTemplate;

#define GH_TYPE_TIME_TEMPLATE (gh_time_template_get_type ())

GType           gh_time_template_get_type       (void) G_GNUC_CONST;

char           *gh_time_section_to_string       (const GhTimeSection   *section);
gboolean        gh_time_section_parse           (const char            *text,
                                                 GhTimeSection         *out_section,
                                                 GError               **error);
gboolean        gh_time_sections_validate       (const GhTimeSection   *sections,
                                                 guint                  n_sections,
                                                 GError               **error);

GhTimeTemplate *gh_time_template_new            (void);
GhTimeTemplate *gh_time_template_new_always     (void);
GhTimeTemplate *gh_time_template_copy           (const GhTimeTemplate  *self);
void            gh_time_template_free           (GhTimeTemplate        *self);
gboolean        gh_time_template_equal          (const GhTimeTemplate  *a,
                                                 const GhTimeTemplate  *b);

gboolean        gh_time_template_set_day        (GhTimeTemplate        *self,
                                                 GDateWeekday           weekday,
                                                 const GhTimeSection   *sections,
                                                 guint                  n_sections,
                                                 GError               **error);
guint           gh_time_template_get_day        (const GhTimeTemplate  *self,
                                                 GDateWeekday           weekday,
                                                 GhTimeSection         *out_sections);

gboolean        gh_time_template_set_holiday    (GhTimeTemplate        *self,
                                                 const GDate           *date,
                                                 const GhTimeSection   *sections,
                                                 guint                  n_sections,
                                                 GError               **error);
gboolean        gh_time_template_remove_holiday (GhTimeTemplate        *self,
                                                 const GDate           *date);
gboolean        gh_time_template_get_holiday    (const GhTimeTemplate  *self,
                                                 const GDate           *date,
                                                 GhTimeSection         *out_sections,
                                                 guint                 *out_n_sections);
GArray         *gh_time_template_get_holidays   (const GhTimeTemplate  *self);

gboolean        gh_time_template_allows         (const GhTimeTemplate  *self,
                                                 GDateTime             *valid_from,
                                                 GDateTime             *valid_to,
                                                 GDateTime             *when);

char           *gh_time_template_to_string      (const GhTimeTemplate  *self);
GhTimeTemplate *gh_time_template_from_string    (const char            *text,
                                                 GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhTimeTemplate, gh_time_template_free)

G_END_DECLS
