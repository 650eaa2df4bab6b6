/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl: the operator's command line.  Each verb is one entry of the
 * table in kasconctl.c; verbs share these helpers for output and status. */
#ifndef KASCON_CLI_H
#define KASCON_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "ops/ops.h"
#include "ops/registrar.h"

enum cli_status { CLI_OK = 0, CLI_REFUSED = 1, CLI_USAGE = 2 };

struct cli {
    struct store *st;
    struct store_actor actor;
    const char *prog;
    bool remote;         /* an exec verb of kascond: the actor's source is an address */
    long long max_input; /* bytes of an import's input; 0: OPS_BULK_MAX_INPUT */
    struct ops_ctx ops;  /* filled by cli_ops() */
    struct registrar_config registrar; /* url "" when none */
    bool json;                         /* --json: list and show verbs print JSON (json.c) */
    bool quiet;                        /* --quiet: no progress on standard error */
    const char *target;                /* the database: a path or a postgresql:// URI */
};

/* The context of an operation of this verb: the operator acting on
 * site_id (0 when the operation names the site by its domain). */
const struct ops_ctx *cli_ops(struct cli *cli, int64_t site_id);

/* A JSON writer on one stream: open/close nest objects ('{' '}') and
 * arrays ('[' ']'); name is the member's key inside an object, NULL
 * inside an array or at the top. */
#define CLI_JSON_DEPTH 16
struct cli_json {
    FILE *out;
    int depth;
    int count[CLI_JSON_DEPTH];
};
void cli_json_open(struct cli_json *j, const char *name, char bracket);
void cli_json_close(struct cli_json *j, char bracket);
void cli_json_str(struct cli_json *j, const char *name, const char *value);
void cli_json_int(struct cli_json *j, const char *name, long long value);
void cli_json_bool(struct cli_json *j, const char *name, bool value);
void cli_json_null(struct cli_json *j, const char *name);

struct cli_verb {
    const char *noun;
    const char *verb;
    const char *args;       /* usage after "noun verb" */
    const char *help;       /* msgid */
    int min_args, max_args; /* positional arguments after the verb; -1: any */
    int (*run)(struct cli *cli, int argc, char **argv);
};

/* Prints one problem as "kasconctl: CODE MESSAGE" on stderr (with its hint). */
void cli_problem(const struct cli *cli, const struct core_problem *p);
/* Prints every problem; returns CLI_REFUSED if there was any, else CLI_OK. */
int cli_problems(const struct cli *cli, const struct core_problems *list);
/* cli_problems, then frees the list: the end of most verbs. */
int cli_report(const struct cli *cli, struct core_problems *list);
/* Says "unknown option OPT" on stderr; returns CLI_USAGE. */
int cli_unknown_option(const struct cli *cli, const char *opt);
int cli_site(struct cli *cli, const char *domain, struct store_site *site);
/* Takes "--name VALUE", "--name=VALUE" or a short "-o VALUE" at argv[*k];
 * returns the value, or NULL when argv[*k] is not that option. */
const char *cli_option_value(int argc, char **argv, int *k, const char *name);
/* "on" 1, "off" 0, anything else -1. */
int cli_parse_on_off(const char *text);
/* Reads one line (a password) from stdin, without echo on a terminal. */
int cli_read_secret(const char *prompt, char *buf, size_t n);

/* kascond's exec requests (cli_remote.c): runs one command line on the
 * administrator's site `domain`; returns the exit status. */
int cli_remote_run(struct cli *cli, const char *domain, const char *command);
/* Whether that command reads a CSV from standard input. */
bool cli_remote_reads_stdin(const char *command);

int cli_init(struct cli *cli, int argc, char **argv);
int cli_site_add(struct cli *cli, int argc, char **argv);
int cli_site_set(struct cli *cli, int argc, char **argv);
int cli_site_list(struct cli *cli, int argc, char **argv);
int cli_admin_add(struct cli *cli, int argc, char **argv);
int cli_admin_reset(struct cli *cli, int argc, char **argv);
int cli_admin_unlock(struct cli *cli, int argc, char **argv);
int cli_admin_key(struct cli *cli, int argc, char **argv);
int cli_line_add(struct cli *cli, int argc, char **argv);
int cli_line_list(struct cli *cli, int argc, char **argv);
int cli_secret_reset(struct cli *cli, int argc, char **argv);
int cli_demo(struct cli *cli, int argc, char **argv);
int cli_ext_import(struct cli *cli, int argc, char **argv);
int cli_ext_delete(struct cli *cli, int argc, char **argv);
int cli_ext_export(struct cli *cli, int argc, char **argv);
int cli_ext_list(struct cli *cli, int argc, char **argv);
int cli_ext_set(struct cli *cli, int argc, char **argv);
int cli_cdr_load(struct cli *cli, int argc, char **argv);
int cli_cdr_demo(struct cli *cli, int argc, char **argv);
int cli_cdr_list(struct cli *cli, int argc, char **argv);
int cli_cdr_export(struct cli *cli, int argc, char **argv);
int cli_cdr_show(struct cli *cli, int argc, char **argv);
int cli_cdr_purge(struct cli *cli, int argc, char **argv);
/* Group verbs; those shared by pickup and hunt read the noun at argv[-2]. */
int cli_pickup_add(struct cli *cli, int argc, char **argv);
int cli_hunt_add(struct cli *cli, int argc, char **argv);
int cli_hunt_set(struct cli *cli, int argc, char **argv);
int cli_hunt_order(struct cli *cli, int argc, char **argv);
int cli_group_delete(struct cli *cli, int argc, char **argv);
int cli_group_list(struct cli *cli, int argc, char **argv);
int cli_group_show(struct cli *cli, int argc, char **argv);
int cli_group_member(struct cli *cli, int argc, char **argv);
int cli_ext_groups(struct cli *cli, int argc, char **argv);
int cli_code_show(struct cli *cli, int argc, char **argv);
int cli_code_set(struct cli *cli, int argc, char **argv);
int cli_fwd_show(struct cli *cli, int argc, char **argv);
int cli_fwd_set(struct cli *cli, int argc, char **argv);
int cli_fwd_clear(struct cli *cli, int argc, char **argv);
int cli_fwd_voicemail(struct cli *cli, int argc, char **argv);
int cli_transfer(struct cli *cli, int argc, char **argv);
int cli_exchange(struct cli *cli, int argc, char **argv);
int cli_registrar_status(struct cli *cli, int argc, char **argv);
int cli_registrar_sync(struct cli *cli, int argc, char **argv);
int cli_backup(struct cli *cli, int argc, char **argv);
/* Opens its two databases itself: cli->st is NULL. */
int cli_migrate(struct cli *cli, int argc, char **argv);
int cli_audit_purge(struct cli *cli, int argc, char **argv);
int cli_audit_retention(struct cli *cli, int argc, char **argv);
/* admin encoding / user encoding: reads the noun at argv[-2]. */
int cli_terminal_encoding(struct cli *cli, int argc, char **argv);

#endif
