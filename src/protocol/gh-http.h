/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GH_TYPE_HTTP (gh_http_get_type ())

G_DECLARE_FINAL_TYPE (GhHttp, gh_http, GH, HTTP, GObject)

/**
 * GhHttpCertificateFunc:
 * @object: the request's @check_object
 * @certificate: the DER bytes of the device's leaf certificate
 * @error: set when the certificate is refused
 *
 * Called during the TLS handshake of every new HTTPS connection, before anything is sent on
 * it. Returning %FALSE aborts the connection and the request fails with @error.
 */
typedef gboolean (*GhHttpCertificateFunc) (GObject  *object,
                                           GBytes   *certificate,
                                           GError  **error);

/**
 * GhHttpRequest:
 * @method: "GET" (default when %NULL) or "POST"
 * @url: the full URL; escape query values with gh_http_escape()
 * @username: (nullable): user for Digest or Basic, whichever the server offers
 * @password: (nullable): password
 * @body: (nullable): request body for POST
 * @content_type: (nullable): body type
 * @timeout_ms: limit for the whole request, 0 for none (streams)
 * @connect_timeout_ms: limit for connecting, 0 for the default (5 s)
 * @idle_timeout_ms: read-idle watchdog: fail with %GH_ERROR_TIMED_OUT when nothing arrives
 *   for this long, 0 for none
 * @verify_tls: check the server certificate chain and name
 * @tls_pin: (nullable): the expected public key in libcurl's "sha256//BASE64" form; a
 *   connection that presents another key is refused before the request is sent
 * @check_certificate: (nullable): sees the leaf certificate of each new HTTPS connection
 *   during the handshake (pin on first use); see #GhHttpCertificateFunc
 * @check_object: (nullable): passed to @check_certificate; kept alive by the request
 *
 * One request. Plain data; the HTTP layer copies what it needs.
 */
typedef struct {
  const char *method;
  const char *url;
  const char *username;
  const char *password;
  GBytes     *body;
  const char *content_type;
  guint       timeout_ms;
  guint       connect_timeout_ms;
  guint       idle_timeout_ms;
  gboolean    verify_tls;
  const char *tls_pin;
  GhHttpCertificateFunc check_certificate;
  GObject    *check_object;
} GhHttpRequest;

/**
 * GhHttpResponse:
 * @status: the HTTP status of the final response
 * @content_type: (nullable): its Content-Type
 * @body: the body; a NUL byte follows it in memory (not counted in its size)
 */
typedef struct {
  guint   status;
  char   *content_type;  /* (owned) (nullable) */
  GBytes *body;          /* (owned) */
} GhHttpResponse;

typedef struct _GhHttpStream GhHttpStream;

/**
 * GhHttpStreamFuncs:
 * @headers: the final response headers arrived (not called for auth round trips)
 * @data: a chunk of the body, split anywhere
 * @closed: the stream ended; @error is %NULL for a clean end of body. The stream handle is
 *   invalid after this returns.
 */
typedef struct {
  void (*headers) (guint         status,
                   const char   *content_type,
                   gpointer      user_data);
  void (*data)    (const char   *data,
                   gsize         len,
                   gpointer      user_data);
  void (*closed)  (const GError *error,
                   gpointer      user_data);
} GhHttpStreamFuncs;

GhHttp         *gh_http_get_default        (void);
guint           gh_http_get_n_active       (GhHttp                  *self);
guint           gh_http_get_n_direct_streams (GhHttp              *self);

void            gh_http_send_async         (GhHttp                  *self,
                                            const GhHttpRequest     *request,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data);
GhHttpResponse *gh_http_send_finish        (GhHttp                  *self,
                                            GAsyncResult            *result,
                                            GError                 **error);

GhHttpStream   *gh_http_stream_start       (GhHttp                  *self,
                                            const GhHttpRequest     *request,
                                            const GhHttpStreamFuncs *funcs,
                                            gpointer                 user_data);
void            gh_http_stream_cancel      (GhHttpStream            *stream);

void            gh_http_response_free      (GhHttpResponse          *response);
char           *gh_http_escape             (const char              *value);
int             gh_http_epoll_to_curl      (guint32                  events);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhHttpResponse, gh_http_response_free)

G_END_DECLS
