/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GH_ERROR (gh_error_quark ())

/**
 * GhError:
 * @GH_ERROR_FAILED: anything without a more precise code
 * @GH_ERROR_INVALID_INPUT: the caller gave a value that breaks a rule; the message names the field
 * @GH_ERROR_NOT_FOUND: the row or object asked for does not exist
 * @GH_ERROR_EXISTS: a unique value (card number, person ID, registration number) is taken
 * @GH_ERROR_IN_USE: the object is still referenced (a department that holds persons)
 * @GH_ERROR_STORAGE: the database could not be read or written
 * @GH_ERROR_UNREACHABLE: a device did not answer
 * @GH_ERROR_TIMED_OUT: a device answered too late
 * @GH_ERROR_AUTH_FAILED: a device or operator login was refused
 * @GH_ERROR_PROTOCOL: a device answered something that does not parse
 * @GH_ERROR_NOT_SUPPORTED: the device or driver lacks the ability asked for
 * @GH_ERROR_PERMISSION_DENIED: the operator's role does not allow the action
 * @GH_ERROR_LOCKED_OUT: too many failed logins; try again later
 * @GH_ERROR_CANCELLED: the operation was cancelled
 *
 * The codes of the single Gatehouse error domain.
 */
typedef enum {
  GH_ERROR_FAILED,
  GH_ERROR_INVALID_INPUT,
  GH_ERROR_NOT_FOUND,
  GH_ERROR_EXISTS,
  GH_ERROR_IN_USE,
  GH_ERROR_STORAGE,
  GH_ERROR_UNREACHABLE,
  GH_ERROR_TIMED_OUT,
  GH_ERROR_AUTH_FAILED,
  GH_ERROR_PROTOCOL,
  GH_ERROR_NOT_SUPPORTED,
  GH_ERROR_PERMISSION_DENIED,
  GH_ERROR_LOCKED_OUT,
  GH_ERROR_CANCELLED,
} GhError;

GQuark gh_error_quark (void);

G_END_DECLS
