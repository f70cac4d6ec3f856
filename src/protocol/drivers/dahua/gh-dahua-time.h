/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GhDahuaClockMode:
 * @GH_DAHUA_CLOCK_UTC: epoch values are true UTC
 * @GH_DAHUA_CLOCK_WALL: epoch values are the device's wall clock read as if it were UTC
 *
 * How a device encodes epoch numbers in logs (firmware differs).
 */
typedef enum {
  GH_DAHUA_CLOCK_UTC,
  GH_DAHUA_CLOCK_WALL,
} GhDahuaClockMode;

#define GH_DAHUA_TIME_MAX_SKEW_S (5 * 60)

gint64            gh_dahua_time_to_utc       (gint64            device_epoch,
                                              GhDahuaClockMode  mode,
                                              GTimeZone        *tz);
gint64            gh_dahua_time_from_utc     (gint64            utc,
                                              GhDahuaClockMode  mode,
                                              GTimeZone        *tz);
gboolean          gh_dahua_time_parse        (const char       *text,
                                              GTimeZone        *tz,
                                              gint64           *out_utc);
char             *gh_dahua_time_format       (gint64            utc,
                                              GTimeZone        *tz);
GhDahuaClockMode  gh_dahua_time_guess_mode   (gint64            utc_field,
                                              const char       *locale_time,
                                              GTimeZone        *tz);
gboolean          gh_dahua_time_is_plausible (gint64            utc,
                                              gint64            now_utc);

G_END_DECLS
