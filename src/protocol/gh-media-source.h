/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gh-driver.h"

G_BEGIN_DECLS

#define GH_TYPE_MEDIA_SOURCE (gh_media_source_get_type ())

G_DECLARE_INTERFACE (GhMediaSource, gh_media_source, GH, MEDIA_SOURCE, GhDriver)

/**
 * GhMediaSourceInterface:
 * @get_live_url: the URL of live stream @stream (0 main, 1 sub), credentials included
 * @get_talk_back: how to send audio to the device
 *
 * Optional driver ability: where the device's media is. No I/O: the media layer opens the URL.
 */
struct _GhMediaSourceInterface
{
  GTypeInterface parent_iface;

  char             *(*get_live_url)  (GhMediaSource  *self,
                                      guint           stream,
                                      GError        **error);
  GhTalkBackMethod  (*get_talk_back) (GhMediaSource  *self);
};

char             *gh_media_source_get_live_url  (GhDriver  *driver,
                                                 guint      stream,
                                                 GError   **error);
GhTalkBackMethod  gh_media_source_get_talk_back (GhDriver  *driver);

G_END_DECLS
