/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-sim-acceptor"

#include "config.h"

#include "gh-sim-acceptor.h"
#include "gh-sim-error.h"

#include <errno.h>
#include <glib-unix.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

typedef struct {
  GSocket         *listener; /* (owned) */
  GhSimAcceptFunc  func;
  gpointer         user_data;
} Entry;

struct _GhSimAcceptor {
  int         epoll_fd;
  guint       watch_id;
  GHashTable *entries; /* (owned) GSocket → Entry */
};

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_socket_close (entry->listener, NULL);
  g_object_unref (entry->listener);
  g_free (entry);
}

static gboolean
ready_cb (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  GhSimAcceptor *self = user_data;
  struct epoll_event events[64];
  int n = epoll_wait (self->epoll_fd, events, G_N_ELEMENTS (events), 0);

  for (int i = 0; i < n; i++) {
    GSocket *listener = events[i].data.ptr;

    /* Accept everything queued; a callback may close this listener (offline fault). */
    for (guint k = 0; k < 64; k++) {
      Entry *entry = g_hash_table_lookup (self->entries, listener);
      g_autoptr(GSocket) client = NULL;
      g_autoptr(GError) error = NULL;

      if (entry == NULL)
        break;
      client = g_socket_accept (entry->listener, NULL, &error);
      if (client == NULL)
        break;
      entry->func (client, entry->user_data);
    }
  }
  return G_SOURCE_CONTINUE;
}

GhSimAcceptor *
gh_sim_acceptor_new (GError **error)
{
  GhSimAcceptor *self;
  int fd = epoll_create1 (EPOLL_CLOEXEC);

  if (fd < 0) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_IO, "Could not create an epoll set: %s",
                 g_strerror (errno));
    return NULL;
  }
  self = g_new0 (GhSimAcceptor, 1);
  self->epoll_fd = fd;
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, entry_free);
  self->watch_id = g_unix_fd_add (fd, G_IO_IN, ready_cb, self);
  return self;
}

void
gh_sim_acceptor_free (GhSimAcceptor *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_hash_table_unref (self->entries);
  close (self->epoll_fd);
  g_free (self);
}

/* Watches @listener, a bound and listening socket, from now on: each connection is accepted
 * and handed to @func. The acceptor takes a reference and closes the socket when it lets go. */
gboolean
gh_sim_acceptor_add (GhSimAcceptor   *self,
                     GSocket         *listener,
                     GhSimAcceptFunc  func,
                     gpointer         user_data,
                     GError         **error)
{
  struct epoll_event event = { 0 };
  Entry *entry;

  g_socket_set_blocking (listener, FALSE);
  event.events = EPOLLIN;
  event.data.ptr = listener;
  if (epoll_ctl (self->epoll_fd, EPOLL_CTL_ADD, g_socket_get_fd (listener), &event) < 0) {
    g_set_error (error, GH_SIM_ERROR, GH_SIM_ERROR_IO, "Could not watch a listening socket: %s",
                 g_strerror (errno));
    return FALSE;
  }
  entry = g_new0 (Entry, 1);
  entry->listener = g_object_ref (listener);
  entry->func = func;
  entry->user_data = user_data;
  g_hash_table_insert (self->entries, listener, entry);
  return TRUE;
}

GSocket *
gh_sim_acceptor_listen (GhSimAcceptor   *self,
                        guint            port,
                        GhSimAcceptFunc  func,
                        gpointer         user_data,
                        GError         **error)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           error);
  if (listener == NULL)
    return NULL;
  address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  g_socket_set_listen_backlog (listener, 128);
  if (!g_socket_bind (listener, address, TRUE, error) || !g_socket_listen (listener, error) ||
      !gh_sim_acceptor_add (self, listener, func, user_data, error))
    return NULL;
  return listener; /* (transfer none): the acceptor owns it until gh_sim_acceptor_close() */
}

void
gh_sim_acceptor_close (GhSimAcceptor *self,
                       GSocket       *listener)
{
  if (listener == NULL || !g_hash_table_contains (self->entries, listener))
    return;
  epoll_ctl (self->epoll_fd, EPOLL_CTL_DEL, g_socket_get_fd (listener), NULL);
  g_hash_table_remove (self->entries, listener);
}
