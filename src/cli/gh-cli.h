/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-c/json.h>

#include "gh-database.h"
#include "gh-device-store.h"
#include "gh-session.h"

G_BEGIN_DECLS

/**
 * GhCliExit:
 * @GH_CLI_EXIT_OK: everything asked for was done
 * @GH_CLI_EXIT_FAILURE: the command failed (device unreachable, refused by a rule, storage)
 * @GH_CLI_EXIT_USAGE: the command line is wrong; nothing was written
 * @GH_CLI_EXIT_PARTIAL: part of the work was done (rows skipped, some devices failed)
 *
 * The documented exit codes of gatehousectl (docs/gatehousectl.1).
 */
typedef enum {
  GH_CLI_EXIT_OK      = 0,
  GH_CLI_EXIT_FAILURE = 1,
  GH_CLI_EXIT_USAGE   = 2,
  GH_CLI_EXIT_PARTIAL = 3,
} GhCliExit;

/**
 * GhCli:
 *
 * What every subcommand shares: the global options, the open database and the operator's
 * session. Plain data owned by main().
 */
typedef struct {
  char       *data_dir;  /* (owned) (nullable) --data-dir as given */
  char       *user;      /* (owned) (nullable) --user */
  gboolean    json;      /* --json: listings as JSON */
  gboolean    quiet;     /* --quiet: no progress or summaries */
  GhDatabase *database;  /* (owned) (nullable) opened by gh_cli_open() */
  GhSession  *session;   /* (owned) (nullable) */
  const char *command;   /* (borrowed) "person import", for messages */
  gboolean    allow_password_change;  /* log in even when the password must be changed */
} GhCli;

typedef int (*GhCliCommandFunc) (GhCli  *cli,
                                 int     argc,
                                 char  **argv);

typedef struct {
  const char       *group;
  const char       *action;
  GhCliCommandFunc  func;
  const char       *summary;
} GhCliCommand;

void        gh_cli_clear            (GhCli          *cli);
char       *gh_cli_get_data_dir     (GhCli          *cli);
gboolean    gh_cli_parse            (GhCli          *cli,
                                     GOptionEntry   *entries,
                                     const char     *parameter_string,
                                     const char     *description,
                                     int            *argc,
                                     char         ***argv,
                                     GError        **error);
gboolean    gh_cli_open             (GhCli          *cli,
                                     GError        **error);
gboolean    gh_cli_open_database    (GhCli          *cli,
                                     GError        **error);
const char *gh_cli_get_user         (GhCli          *cli);
char       *gh_cli_read_password    (const char     *env,
                                     const char     *prompt,
                                     GError        **error);
int         gh_cli_usage_error      (GhCli          *cli,
                                     const char     *format,
                                     ...) G_GNUC_PRINTF (2, 3);
int         gh_cli_fail             (GhCli          *cli,
                                     const GError   *error);
int         gh_cli_exit_for_error   (const GError   *error);

GhDevice   *gh_cli_find_device      (GhCli          *cli,
                                     GhDeviceStore  *store,
                                     const char     *name,
                                     GError        **error);

void        gh_cli_print_json       (json_object    *object);
void        gh_cli_print_table      (GPtrArray      *rows,
                                     guint           n_columns);

gboolean    gh_cli_parse_time       (const char     *text,
                                     gboolean        end_of_day,
                                     gint64         *out_seconds,
                                     GError        **error);
char       *gh_cli_format_time      (gint64          seconds);

/* Progress on a terminal only: a single line rewritten in place on stderr. */
typedef struct _GhCliProgress GhCliProgress;

GhCliProgress *gh_cli_progress_new    (GhCli          *cli,
                                       const char     *what,
                                       gint64          total);
void           gh_cli_progress_update (GhCliProgress  *self,
                                       gint64          done);
void           gh_cli_progress_interrupt (GhCliProgress *self);
void           gh_cli_progress_free   (GhCliProgress  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhCliProgress, gh_cli_progress_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_object, json_object_put)

extern const GhCliCommand gh_cli_person_commands[];
extern const GhCliCommand gh_cli_org_commands[];
extern const GhCliCommand gh_cli_dial_commands[];
extern const GhCliCommand gh_cli_check_commands[];
extern const GhCliCommand gh_cli_device_commands[];
extern const GhCliCommand gh_cli_door_commands[];
extern const GhCliCommand gh_cli_events_commands[];
extern const GhCliCommand gh_cli_records_commands[];
extern const GhCliCommand gh_cli_records_store_commands[];
extern const GhCliCommand gh_cli_sync_commands[];
extern const GhCliCommand gh_cli_group_commands[];
extern const GhCliCommand gh_cli_notice_commands[];
extern const GhCliCommand gh_cli_operator_commands[];
extern const GhCliCommand gh_cli_audit_commands[];

G_END_DECLS
