/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One epoll set for the listening sockets of every simulated device: the GLib main loop polls a
 * single descriptor instead of one per device, which keeps a 1,000-device community cheap. */
typedef struct _GhSimAcceptor GhSimAcceptor;

typedef void (*GhSimAcceptFunc) (GSocket *client,
                                 gpointer user_data);

GhSimAcceptor *gh_sim_acceptor_new    (GError         **error);
void           gh_sim_acceptor_free   (GhSimAcceptor   *self);
gboolean       gh_sim_acceptor_add    (GhSimAcceptor   *self,
                                       GSocket         *listener,
                                       GhSimAcceptFunc  func,
                                       gpointer         user_data,
                                       GError         **error);
GSocket       *gh_sim_acceptor_listen (GhSimAcceptor   *self,
                                       guint            port,
                                       GhSimAcceptFunc  func,
                                       gpointer         user_data,
                                       GError         **error);
void           gh_sim_acceptor_close  (GhSimAcceptor   *self,
                                       GSocket         *listener);

G_END_DECLS
