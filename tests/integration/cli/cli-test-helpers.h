/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-c/json.h>

G_BEGIN_DECLS

#define CLI_TEST_USER     "chief"
#define CLI_TEST_PASSWORD "Gatehouse-Test-Pw9"

/* Runs the real gatehousectl (path in $GATEHOUSECTL) as a child process. */
typedef struct {
  int   status;  /* exit status */
  char *out;     /* (owned) standard output */
  char *err;     /* (owned) standard error */
} CliResult;

void       cli_result_free    (CliResult   *result);
CliResult *cli_run            (const char  *data_dir,
                               const char  *input,
                               ...) G_GNUC_NULL_TERMINATED;
CliResult *cli_runv           (const char  *data_dir,
                               const char  *input,
                               const char * const *args);
CliResult *cli_runv_as         (const char  *user,
                               const char  *password,
                               const char  *data_dir,
                               const char  *input,
                               const char * const *args);
json_object *cli_run_json     (const char  *data_dir,
                               ...) G_GNUC_NULL_TERMINATED;
char      *cli_make_dir       (void);
char      *cli_make_data_dir  (void);
void       cli_remove_dir     (const char  *dir);
char      *cli_write_file     (const char  *dir,
                               const char  *name,
                               const char  *contents,
                               gssize       length);

/* Fails the test, showing both outputs, unless the command exited with @expected. */
#define cli_assert_status(result, expected) \
  G_STMT_START { \
    const CliResult *_r = (result); \
    if (_r->status != (expected)) \
      g_error ("%s:%d: exit status %d, expected %d\nstdout:\n%s\nstderr:\n%s", __FILE__, \
               __LINE__, _r->status, (expected), _r->out, _r->err); \
  } G_STMT_END

#define cli_assert_contains(text, needle) \
  G_STMT_START { \
    const char *_t = (text); \
    if (strstr (_t, (needle)) == NULL) \
      g_error ("%s:%d: “%s” not found in:\n%s", __FILE__, __LINE__, (needle), _t); \
  } G_STMT_END

/* A running gatehouse-sim (path in $GATEHOUSE_SIM) with the devices it announced. */
typedef struct {
  GSubprocess *process;   /* (owned) */
  char        *dir;       /* (owned) */
  char        *control;   /* (owned) control address */
  GHashTable  *devices;   /* (owned) name → json_object */
} CliSim;

CliSim     *cli_sim_start     (const char  *community_json);
void        cli_sim_stop      (CliSim      *sim);
const char *cli_sim_field     (CliSim      *sim,
                               const char  *device,
                               const char  *field);
CliResult  *cli_sim_ctl       (CliSim      *sim,
                               ...) G_GNUC_NULL_TERMINATED;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliResult, cli_result_free)

G_END_DECLS
