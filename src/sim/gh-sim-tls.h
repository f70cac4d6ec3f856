/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GTlsCertificate *gh_sim_tls_generate_certificate (const char  *common_name,
                                                  GError     **error);
char            *gh_sim_tls_dup_pin              (GTlsCertificate *certificate,
                                                  GError         **error);

G_END_DECLS
