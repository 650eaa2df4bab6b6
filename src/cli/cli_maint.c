/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl backup | audit purge | audit retention: the upkeep of the
 * database itself. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/terminal.h"
#include "i18n.h"

static int problem_at(struct cli *cli, int code, const char *value)
{
    struct core_problem p;
    core_problem_set(&p, code, value);
    cli_problem(cli, &p);
    return CLI_REFUSED;
}

int cli_backup(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    int rc = store_backup(cli->st, argv[0]);
    if (rc) {
        fprintf(stderr, _("%s: backup to %s failed: %s\n"), cli->prog, argv[0],
                store_errmsg(cli->st));
        return CLI_REFUSED;
    }
    printf(_("database copied to %s\n"), argv[0]);
    return CLI_OK;
}

/* Local midnight at the start of a "YYYY-MM-DD" day. */
static int day_start(const char *day, int64_t *out)
{
    long number;
    if (core_check_day(day) || core_day_number(day, &number))
        return E_CDR_DAY_FORMAT;
    char text[CORE_CDR_DAY_LEN + 1];
    core_day_text(number, text);
    struct tm tm = {0};
    tm.tm_year = (int)strtol(text, NULL, 10) - 1900;
    tm.tm_mon = (int)strtol(text + 5, NULL, 10) - 1;
    tm.tm_mday = (int)strtol(text + 8, NULL, 10);
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1)
        return E_CDR_DAY_FORMAT;
    *out = (int64_t)t;
    return CORE_OK;
}

int cli_audit_purge(struct cli *cli, int argc, char **argv)
{
    const char *day = NULL;
    for (int k = 0; k < argc; k++) {
        const char *v;
        if ((v = cli_option_value(argc, argv, &k, "--before")))
            day = v;
        else
            return cli_unknown_option(cli, argv[k]);
    }
    struct core_problem p;
    long deleted = 0;
    int rc;
    if (day) {
        int64_t before;
        if ((rc = day_start(day, &before)))
            return problem_at(cli, rc, day);
        rc = ops_audit_purge(cli_ops(cli, 0), before, &deleted, &p);
    } else {
        int days = 0;
        if ((rc = ops_audit_retention_get(cli_ops(cli, 0), &days)))
            return problem_at(cli, rc, NULL);
        if (days == 0) {
            fprintf(stderr,
                    _("%s: no audit retention is set: give --before DATE, or set one with"
                      " \"%s audit retention DAYS\"\n"),
                    cli->prog, cli->prog);
            return CLI_USAGE;
        }
        rc = ops_audit_purge_expired(cli_ops(cli, 0), &deleted, &p);
    }
    if (rc) {
        cli_problem(cli, &p);
        return CLI_REFUSED;
    }
    printf(ngettext("%ld audit entry deleted\n", "%ld audit entries deleted\n",
                    (unsigned long)deleted),
           deleted);
    return CLI_OK;
}

int cli_audit_retention(struct cli *cli, int argc, char **argv)
{
    struct core_problem p;
    if (argc == 1) {
        if (ops_audit_retention_set(cli_ops(cli, 0), argv[0], &p)) {
            cli_problem(cli, &p);
            return CLI_REFUSED;
        }
    }
    int days = 0;
    if (ops_audit_retention_get(cli_ops(cli, 0), &days))
        return problem_at(cli, E_STORAGE, NULL);
    if (days)
        printf(ngettext("audit entries are kept %d day\n", "audit entries are kept %d days\n",
                        (unsigned long)days),
               days);
    else
        printf(_("audit entries are kept until \"audit purge --before DATE\"\n"));
    return CLI_OK;
}

/* admin encoding | user encoding DOMAIN NAME [ENCODING]: shows, or sets,
 * the codeset kascond speaks with that person's terminal. */
int cli_terminal_encoding(struct cli *cli, int argc, char **argv)
{
    bool is_user = !strcmp(argv[-2], "user");
    struct store_site site;
    int rc = cli_site(cli, argv[0], &site);
    if (rc)
        return rc;
    struct core_problem p;
    if (argc == 3 &&
        ops_terminal_encoding_set(cli_ops(cli, site.id), is_user, argv[1], argv[2], &p)) {
        cli_problem(cli, &p);
        return CLI_REFUSED;
    }
    int enc = 0;
    if ((rc = ops_terminal_encoding_get(cli_ops(cli, site.id), is_user, argv[1], &enc)))
        return problem_at(cli, rc, argv[1]);
    printf("%s\n", core_term_encoding_name(enc));
    return CLI_OK;
}
