/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-media-source"

#include "config.h"

#include "gh-media-source.h"

#include "gh-error.h"

G_DEFINE_INTERFACE (GhMediaSource, gh_media_source, GH_TYPE_DRIVER)

static void
gh_media_source_default_init (GhMediaSourceInterface *iface)
{
}

/**
 * gh_media_source_get_live_url:
 * @stream: 0 for the main stream, 1 for the sub stream
 *
 * Returns: (transfer full): the stream URL, or %NULL with %GH_ERROR_NOT_SUPPORTED
 */
char *
gh_media_source_get_live_url (GhDriver  *driver,
                              guint      stream,
                              GError   **error)
{
  g_return_val_if_fail (GH_IS_DRIVER (driver), NULL);

  if (!GH_IS_MEDIA_SOURCE (driver) || GH_MEDIA_SOURCE_GET_IFACE (driver)->get_live_url == NULL) {
    g_set_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED,
                 "Live video is not supported by the %s driver", gh_driver_get_name (driver));
    return NULL;
  }
  return GH_MEDIA_SOURCE_GET_IFACE (driver)->get_live_url (GH_MEDIA_SOURCE (driver), stream,
                                                           error);
}

/**
 * gh_media_source_get_talk_back:
 *
 * Returns: how the device takes audio from us, %GH_TALK_BACK_NONE when it cannot
 */
GhTalkBackMethod
gh_media_source_get_talk_back (GhDriver *driver)
{
  g_return_val_if_fail (GH_IS_DRIVER (driver), GH_TALK_BACK_NONE);

  if (!GH_IS_MEDIA_SOURCE (driver) || GH_MEDIA_SOURCE_GET_IFACE (driver)->get_talk_back == NULL)
    return GH_TALK_BACK_NONE;
  return GH_MEDIA_SOURCE_GET_IFACE (driver)->get_talk_back (GH_MEDIA_SOURCE (driver));
}
