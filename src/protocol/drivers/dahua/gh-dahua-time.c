/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-dahua-time"

#include "config.h"

#include "gh-dahua-time.h"

#include <stdio.h>
#include <string.h>

/* Years outside this range are treated as garbage (GDateTime handles 1..9999). */
#define MIN_YEAR 1970
#define MAX_YEAR 2200

static gboolean
fields_to_utc (int        y,
               int        mo,
               int        d,
               int        h,
               int        mi,
               int        s,
               GTimeZone *tz,
               gint64    *out_utc)
{
  g_autoptr(GDateTime) dt = NULL;

  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
      mi < 0 || mi > 59 || s < 0 || s > 60)
    return FALSE;
  dt = g_date_time_new (tz, y, mo, d, h, mi, MIN (s, 59));
  if (dt == NULL)
    return FALSE;
  *out_utc = g_date_time_to_unix (dt);
  return TRUE;
}

/**
 * gh_dahua_time_to_utc:
 * @tz: (nullable): the device's time zone; %NULL for the local one
 *
 * Converts a device epoch value to true UTC seconds.
 */
gint64
gh_dahua_time_to_utc (gint64            device_epoch,
                      GhDahuaClockMode  mode,
                      GTimeZone        *tz)
{
  g_autoptr(GDateTime) wall = NULL;
  g_autoptr(GTimeZone) local = NULL;
  gint64 utc;

  if (mode == GH_DAHUA_CLOCK_UTC)
    return device_epoch;
  wall = g_date_time_new_from_unix_utc (device_epoch);
  if (wall == NULL)
    return device_epoch;
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  if (!fields_to_utc (g_date_time_get_year (wall), g_date_time_get_month (wall),
                      g_date_time_get_day_of_month (wall), g_date_time_get_hour (wall),
                      g_date_time_get_minute (wall), g_date_time_get_second (wall), tz, &utc))
    return device_epoch;
  return utc;
}

/**
 * gh_dahua_time_from_utc:
 *
 * The inverse of gh_dahua_time_to_utc(): the value the device would store for @utc (used for
 * StartTime/EndTime query parameters).
 */
gint64
gh_dahua_time_from_utc (gint64            utc,
                        GhDahuaClockMode  mode,
                        GTimeZone        *tz)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) local = NULL;

  if (mode == GH_DAHUA_CLOCK_UTC)
    return utc;
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  dt = g_date_time_new_from_unix_utc (utc);
  if (dt == NULL)
    return utc;
  {
    g_autoptr(GDateTime) there = g_date_time_to_timezone (dt, tz);

    return utc + g_date_time_get_utc_offset (there) / G_USEC_PER_SEC;
  }
}

/**
 * gh_dahua_time_parse:
 * @text: "YYYY-MM-DD HH:MM:SS" (LocaleTime, CreateTime on some firmware), "DD-MM-YYYY
 *   HH:MM:SS" (TimeChange), "YYYY-MM-DDTHH:MM:SS" or "YYYYMMDD HHMMSS"
 * @tz: (nullable): the zone the text is in; %NULL for the local one
 *
 * Returns: %TRUE and the UTC seconds when @text is one of the formats
 */
gboolean
gh_dahua_time_parse (const char *text,
                     GTimeZone  *tz,
                     gint64     *out_utc)
{
  g_autoptr(GTimeZone) local = NULL;
  int a, b, c, h, mi, s, n = 0;
  char sep;

  g_return_val_if_fail (out_utc != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  while (g_ascii_isspace (*text))
    text++;

  if (sscanf (text, "%4d-%2d-%2d%c%2d:%2d:%2d%n", &a, &b, &c, &sep, &h, &mi, &s, &n) == 7 &&
      (sep == ' ' || sep == 'T') && a >= 1000 && text[n] == '\0')
    return fields_to_utc (a, b, c, h, mi, s, tz, out_utc);
  if (sscanf (text, "%2d-%2d-%4d %2d:%2d:%2d%n", &a, &b, &c, &h, &mi, &s, &n) == 6 &&
      c >= 1000 && text[n] == '\0')
    return fields_to_utc (c, b, a, h, mi, s, tz, out_utc);
  if (strlen (text) == 15 && text[8] == ' ' &&
      sscanf (text, "%4d%2d%2d %2d%2d%2d%n", &a, &b, &c, &h, &mi, &s, &n) == 6 &&
      text[n] == '\0')
    return fields_to_utc (a, b, c, h, mi, s, tz, out_utc);
  return FALSE;
}

/**
 * gh_dahua_time_format:
 *
 * Returns: (transfer full): @utc as "YYYY-MM-DD HH:MM:SS" in @tz (for setCurrentTime)
 */
char *
gh_dahua_time_format (gint64     utc,
                      GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) there = NULL;
  g_autoptr(GTimeZone) local = NULL;

  if (dt == NULL)
    return NULL;
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  there = g_date_time_to_timezone (dt, tz);
  return g_date_time_format (there, "%Y-%m-%d %H:%M:%S");
}

/**
 * gh_dahua_time_guess_mode:
 * @utc_field: an event's "UTC" value
 * @locale_time: the same event's "LocaleTime"
 *
 * When the epoch equals the wall clock read as UTC while the zone has an offset at that
 * moment, the device writes wall-clock-as-epoch.
 */
GhDahuaClockMode
gh_dahua_time_guess_mode (gint64      utc_field,
                          const char *locale_time,
                          GTimeZone  *tz)
{
  g_autoptr(GTimeZone) utc_zone = g_time_zone_new_utc ();
  gint64 as_utc, as_local;

  if (!gh_dahua_time_parse (locale_time, utc_zone, &as_utc))
    return GH_DAHUA_CLOCK_UTC;
  if (!gh_dahua_time_parse (locale_time, tz, &as_local))
    return GH_DAHUA_CLOCK_UTC;
  if (as_utc == as_local)
    return GH_DAHUA_CLOCK_UTC;  /* zone is UTC: both readings agree */
  return ABS (utc_field - as_utc) <= 1 ? GH_DAHUA_CLOCK_WALL : GH_DAHUA_CLOCK_UTC;
}

/* Device times more than five minutes from ours are not trusted for live events. */
gboolean
gh_dahua_time_is_plausible (gint64 utc,
                            gint64 now_utc)
{
  return ABS (utc - now_utc) <= GH_DAHUA_TIME_MAX_SKEW_S;
}
