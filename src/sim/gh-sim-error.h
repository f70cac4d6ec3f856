/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GH_SIM_ERROR (gh_sim_error_quark ())

/**
 * GhSimError:
 * @GH_SIM_ERROR_FAILED: anything without a more precise code
 * @GH_SIM_ERROR_INVALID_INPUT: a community file or control request breaks a rule
 * @GH_SIM_ERROR_NOT_FOUND: the device, room or record asked for does not exist
 * @GH_SIM_ERROR_BUSY: the device is already in a call or otherwise busy
 * @GH_SIM_ERROR_IO: a file or socket could not be used
 *
 * The simulator keeps its own error domain: it shares no code with the client layers.
 */
typedef enum {
  GH_SIM_ERROR_FAILED,
  GH_SIM_ERROR_INVALID_INPUT,
  GH_SIM_ERROR_NOT_FOUND,
  GH_SIM_ERROR_BUSY,
  GH_SIM_ERROR_IO,
} GhSimError;

GQuark gh_sim_error_quark (void);

G_END_DECLS
