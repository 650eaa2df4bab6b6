/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl backup | migrate | audit purge | audit retention: the upkeep
 * of the database itself. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
    if (cli->target && store_is_postgresql(cli->target)) {
        fprintf(stderr,
                _("%s: backup copies SQLite databases; for PostgreSQL use pg_dump"
                  " (pg_dump -Fc -f kascon.dump DATABASE) or a physical backup with WAL"
                  " archiving (doc/scale-out.md)\n"),
                cli->prog);
        return CLI_REFUSED;
    }
    int rc = store_backup(cli->st, argv[0]);
    if (rc) {
        fprintf(stderr, _("%s: backup to %s failed: %s\n"), cli->prog, argv[0],
                store_errmsg(cli->st));
        return CLI_REFUSED;
    }
    printf(_("database copied to %s\n"), argv[0]);
    return CLI_OK;
}

int cli_migrate(struct cli *cli, int argc, char **argv)
{
    const char *from = NULL, *to = NULL;
    bool replace = false;
    for (int k = 0; k < argc; k++) {
        const char *v;
        if ((v = cli_option_value(argc, argv, &k, "--from")))
            from = v;
        else if ((v = cli_option_value(argc, argv, &k, "--to")))
            to = v;
        else if (!strcmp(argv[k], "--replace"))
            replace = true;
    }
    if (!from || !to || !*from || !*to) {
        fprintf(stderr, _("%s: migrate needs --from DATABASE and --to DATABASE\n"), cli->prog);
        return CLI_USAGE;
    }
    char from_name[512], to_name[512];
    /* For messages and the audit: without a password. */
    store_target_shown(from, from_name, sizeof from_name);
    store_target_shown(to, to_name, sizeof to_name);
    if (!strcmp(from, to)) {
        fprintf(stderr, _("%s: --from and --to name the same database\n"), cli->prog);
        return CLI_USAGE;
    }
    struct stat sb;
    if (!store_is_postgresql(from) && stat(from, &sb) != 0) {
        fprintf(stderr, _("%s: no database %s: %s\n"), cli->prog, from, strerror(errno));
        return CLI_REFUSED;
    }
    /* A new SQLite destination that the copy does not fill is removed:
     * nothing partial is left behind. */
    bool created = !store_is_postgresql(to) && stat(to, &sb) != 0;
    struct store *src = NULL, *dst = NULL;
    int rc = CLI_REFUSED;
    if (store_open(from, &src)) {
        fprintf(stderr, _("%s: cannot open database %s: %s\n"), cli->prog, from_name,
                src ? store_errmsg(src) : "out of memory");
        goto out;
    }
    if (store_open(to, &dst)) {
        fprintf(stderr, _("%s: cannot open database %s: %s\n"), cli->prog, to_name,
                dst ? store_errmsg(dst) : "out of memory");
        goto out;
    }
    static struct store_copy_report rep;
    struct ops_migrate_request req = {src, dst, from_name, replace};
    if (ops_db_migrate(&req, &cli->actor, &rep)) {
        fprintf(stderr, _("%s: migrate from %s to %s failed, nothing was changed there: %s\n"),
                cli->prog, from_name, to_name, store_errmsg(dst));
        goto out;
    }
    long long rows = 0;
    for (int i = 0; i < rep.count; i++) {
        rows += rep.tables[i].rows;
        if (!cli->quiet)
            printf("%-24s %12lld  %.16s\n", rep.tables[i].name, (long long)rep.tables[i].rows,
                   rep.tables[i].checksum);
    }
    printf(_("%d tables, %lld rows copied from %s to %s; each table verified by row count and"
             " checksum\n"),
           rep.count, rows, from_name, to_name);
    rc = CLI_OK;
out:
    store_close(src);
    store_close(dst);
    if (rc != CLI_OK && created) {
        char side[4200];
        unlink(to);
        snprintf(side, sizeof side, "%s-wal", to);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", to);
        unlink(side);
    }
    return rc;
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
