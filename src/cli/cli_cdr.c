/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl cdr ...: call records (通信履歴) for the operator. */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "i18n.h"

static int bad_option(const struct cli *cli, const char *opt)
{
    fprintf(stderr, _("%s: unknown option or missing value: %s\n"), cli->prog, opt);
    return CLI_USAGE;
}

static bool parse_long(const char *v, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (!*v || *end || errno || n < min || n > max)
        return false;
    *out = n;
    return true;
}

static int storage_problem(const struct cli *cli, int rc)
{
    struct core_problem p;
    core_problem_set(&p, rc, NULL);
    cli_problem(cli, &p);
    return CLI_REFUSED;
}

/* "ROW:COL: CODE MESSAGE" for a record's problem; whole-file problems as
 * every other kasconctl problem. */
static int report_rows(const struct cli *cli, const struct core_problems *list, long not_shown)
{
    for (size_t i = 0; i < list->count; i++) {
        const struct core_problem *p = &list->items[i];
        if (p->row <= 0) {
            cli_problem(cli, p);
            continue;
        }
        char msg[512];
        core_problem_format(p, msg, sizeof msg);
        fprintf(stderr, "%ld:%c: %03d %s\n", p->row, core_cdr_column_letter(p->field), p->code,
                msg);
        const char *hint = core_code_hint(p->code);
        if (hint)
            fprintf(stderr, "%ld:%c:     %s\n", p->row, core_cdr_column_letter(p->field), _(hint));
    }
    if (not_shown)
        fprintf(stderr, _("%s: %ld more problems not shown\n"), cli->prog, not_shown);
    return list->count ? CLI_REFUSED : CLI_OK;
}

static volatile sig_atomic_t load_interrupted;

static void on_interrupt(int sig)
{
    (void)sig;
    load_interrupted = 1;
}

/* A load commits a chunk at a time: Ctrl-C, a hang-up or a TERM must let
 * it take those out again rather than end the process with half a file
 * stored.  The default actions come back when it is done. */
static void catch_interrupts(bool on)
{
    static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    static struct sigaction saved[3];
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (on) {
            struct sigaction sa = {.sa_handler = on_interrupt, .sa_flags = SA_RESTART};
            sigemptyset(&sa.sa_mask);
            sigaction(signals[i], &sa, &saved[i]);
        } else {
            sigaction(signals[i], &saved[i], NULL);
        }
    }
}

int cli_cdr_load(struct cli *cli, int argc, char **argv)
{
    const char *pos[2] = {NULL, NULL};
    int npos = 0;
    enum ops_cdr_format format = OPS_CDR_NATIVE;
    for (int k = 0; k < argc; k++) {
        const char *v;
        if (argv[k][0] != '-' && npos < 2)
            pos[npos++] = argv[k];
        else if ((v = cli_option_value(argc, argv, &k, "--format")) && !strcmp(v, "native"))
            format = OPS_CDR_NATIVE;
        else if (v && !strcmp(v, "asterisk"))
            format = OPS_CDR_ASTERISK;
        else
            return bad_option(cli, argv[k]);
    }
    if (npos != 2)
        return CLI_USAGE;
    struct core_problems problems;
    core_problems_init(&problems);
    struct ops_cdr_result r;
    struct ops_cdr_load_request req = {
        .domain = pos[0], .path = pos[1], .format = format, .interrupted = &load_interrupted};
    catch_interrupts(true);
    ops_cdr_load(cli_ops(cli, 0), &req, &problems, &r);
    catch_interrupts(false);
    if (r.rows || problems.count == 0)
        fprintf(stderr, _("%s: detected encoding: %s\n"), cli->prog, io_encoding_name(r.encoding));
    int rc = report_rows(cli, &problems, r.not_shown);
    core_problems_free(&problems);
    if (rc) {
        fprintf(stderr, _("%s: nothing loaded: %ld records read\n"), cli->prog, r.rows);
        return rc;
    }
    printf(_("%ld records loaded into %d files of %s (%ld older than 92 days skipped, %d old files"
             " deleted)\n"),
           r.loaded, r.files, pos[0], r.too_old, r.purged_files);
    return CLI_OK;
}

int cli_cdr_demo(struct cli *cli, int argc, char **argv)
{
    const char *domain = NULL;
    long days = CORE_CDR_KEEP_DAYS, per_day = 500, seed = 1;
    for (int k = 0; k < argc; k++) {
        const char *v;
        if (argv[k][0] != '-' && !domain)
            domain = argv[k];
        else if ((v = cli_option_value(argc, argv, &k, "--days"))) {
            if (!parse_long(v, 1, CORE_CDR_KEEP_DAYS, &days)) {
                fprintf(stderr,
                        _("%s: --days %s: give 1 to %d days; call history is kept for %d"
                          " days\n"),
                        cli->prog, v, CORE_CDR_KEEP_DAYS, CORE_CDR_KEEP_DAYS);
                return CLI_USAGE;
            }
        } else if ((v = cli_option_value(argc, argv, &k, "--per-day"))) {
            if (!parse_long(v, 1, 10 * CORE_CDR_FILE_MAX, &per_day))
                return bad_option(cli, v);
        } else if ((v = cli_option_value(argc, argv, &k, "--seed"))) {
            if (!parse_long(v, 0, 1L << 30, &seed))
                return bad_option(cli, v);
        } else
            return bad_option(cli, argv[k]);
    }
    if (!domain)
        return CLI_USAGE;
    struct core_problems problems;
    core_problems_init(&problems);
    struct ops_cdr_result r;
    struct ops_cdr_demo_request req = {domain, (int)days, per_day, (uint64_t)seed};
    ops_cdr_demo(cli_ops(cli, 0), &req, &problems, &r);
    int rc = cli_problems(cli, &problems);
    core_problems_free(&problems);
    if (rc == CLI_OK)
        printf(_("%ld demo call records for %ld days written into %d files of %s\n"), r.loaded,
               days, r.files, domain);
    return rc;
}

static int print_file(const struct store_cdr_file *f, void *ctx)
{
    struct cli_json *j = ctx;
    if (j) {
        cli_json_open(j, NULL, '{');
        cli_json_str(j, "day", f->day);
        cli_json_int(j, "part", f->part);
        cli_json_int(j, "records", f->records);
        cli_json_close(j, '}');
        return 0;
    }
    printf("%s\t%d\t%ld\n", f->day, f->part, f->records);
    return 0;
}

int cli_cdr_list(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    struct store_site site;
    int rc = cli_site(cli, argv[0], &site);
    if (rc)
        return rc;
    struct cli_json j = {.out = stdout};
    if (cli->json)
        cli_json_open(&j, NULL, '[');
    rc = store_cdr_files(cli->st, site.id, print_file, cli->json ? &j : NULL);
    if (cli->json)
        cli_json_close(&j, ']');
    return rc ? storage_problem(cli, rc) : CLI_OK;
}

int cli_cdr_export(struct cli *cli, int argc, char **argv)
{
    const char *pos[2] = {NULL, NULL}, *path = NULL;
    int npos = 0;
    long part = 0;
    enum io_encoding encoding = IO_ENC_CP932;
    for (int k = 0; k < argc; k++) {
        const char *v;
        if (argv[k][0] != '-' && npos < 2)
            pos[npos++] = argv[k];
        else if ((v = cli_option_value(argc, argv, &k, "--part"))) {
            if (!parse_long(v, 1, 100000, &part))
                return bad_option(cli, v);
        } else if ((v = cli_option_value(argc, argv, &k, "--encoding"))) {
            if (io_encoding_parse(v, &encoding))
                return bad_option(cli, v);
        } else if ((v = cli_option_value(argc, argv, &k, "-o")) ||
                   (v = cli_option_value(argc, argv, &k, "--output")))
            path = v;
        else
            return bad_option(cli, argv[k]);
    }
    if (npos != 2) {
        fprintf(
            stderr,
            _("Usage: %s cdr export DOMAIN DAY [--part N] [--encoding cp932|utf-8] [-o FILE]\n"),
            cli->prog);
        return CLI_USAGE;
    }
    struct store_site site;
    int rc = cli_site(cli, pos[0], &site);
    if (rc)
        return rc;
    FILE *out = stdout;
    if (path && strcmp(path, "-") && !(out = fopen(path, "wb"))) {
        struct core_problem p;
        core_problem_set(&p, E_FILE_WRITE, path);
        cli_problem(cli, &p);
        return CLI_REFUSED;
    }
    if (out != stdout)
        fchmod(fileno(out), 0600); /* also an existing file: private */
    long written = 0;
    struct core_problem p;
    struct ops_cdr_export_request req = {pos[1], (int)part, encoding};
    rc = ops_cdr_export(cli_ops(cli, site.id), &req, out, &written, &p);
    if (out != stdout && fclose(out) != 0 && !rc) {
        rc = E_FILE_WRITE;
        core_problem_set(&p, rc, path);
    }
    if (rc) {
        if (p.row > 0)
            fprintf(stderr, _("%s: record %ld:\n"), cli->prog, p.row);
        cli_problem(cli, &p);
        if (path && out != stdout)
            remove(path); /* no half-written file that looks complete */
        return CLI_REFUSED;
    }
    if (path)
        fprintf(stderr, _("%s: %ld records written to %s\n"), cli->prog, written, path);
    return CLI_OK;
}

/* A page of the viewer, for scripts and for checking the paging. */
int cli_cdr_show(struct cli *cli, int argc, char **argv)
{
    const char *pos[2] = {NULL, NULL};
    int npos = 0;
    long part = 1, limit = 20, after = 0, before = 0, cause = -1, completed = -1;
    struct store_cdr_filter filter = {NULL, NULL, NULL, -1, -1};
    for (int k = 0; k < argc; k++) {
        const char *v;
        if (argv[k][0] != '-' && npos < 2)
            pos[npos++] = argv[k];
        else if ((v = cli_option_value(argc, argv, &k, "--part"))) {
            if (!parse_long(v, 1, 100000, &part))
                return bad_option(cli, v);
        } else if ((v = cli_option_value(argc, argv, &k, "--limit"))) {
            if (!parse_long(v, 1, 1000, &limit))
                return bad_option(cli, v);
        } else if ((v = cli_option_value(argc, argv, &k, "--after"))) {
            if (!parse_long(v, 0, 1L << 40, &after))
                return bad_option(cli, v);
        } else if ((v = cli_option_value(argc, argv, &k, "--before"))) {
            if (!parse_long(v, 1, 1L << 40, &before))
                return bad_option(cli, v);
        } else if ((v = cli_option_value(argc, argv, &k, "--cause"))) {
            if (!parse_long(v, 0, 127, &cause))
                return bad_option(cli, v);
        } else if ((v = cli_option_value(argc, argv, &k, "--completed"))) {
            if (!parse_long(v, 0, 1, &completed))
                return bad_option(cli, v);
        } else if ((v = cli_option_value(argc, argv, &k, "--from")))
            filter.from = v;
        else if ((v = cli_option_value(argc, argv, &k, "--to")))
            filter.to = v;
        else if ((v = cli_option_value(argc, argv, &k, "--number")))
            filter.number = v;
        else
            return bad_option(cli, argv[k]);
    }
    if (npos != 2)
        return CLI_USAGE;
    filter.cause = (int)cause;
    filter.completed = (int)completed;
    struct store_site site;
    int rc = cli_site(cli, pos[0], &site);
    if (rc)
        return rc;
    struct store_cdr_file f;
    if ((rc = core_check_day(pos[1])) ||
        (rc = store_cdr_file_find(cli->st, site.id, pos[1], (int)part, &f))) {
        struct core_problem p;
        core_problem_set(&p, rc, pos[1]);
        cli_problem(cli, &p);
        return CLI_REFUSED;
    }
    struct core_cdr *page = calloc((size_t)limit, sizeof *page);
    if (!page)
        return storage_problem(cli, E_STORAGE);
    int count = 0;
    enum store_page_dir dir = before ? STORE_PAGE_PREV : after ? STORE_PAGE_NEXT : STORE_PAGE_FIRST;
    rc = store_cdr_page(cli->st, f.id, &filter, dir, before ? before : after, page, (int)limit,
                        &count);
    struct cli_json j = {.out = stdout};
    if (cli->json && !rc)
        cli_json_open(&j, NULL, '[');
    for (int i = 0; !rc && cli->json && i < count; i++) {
        const struct core_cdr *r = &page[i];
        const char *meaning = core_cdr_cause_msgid(r->cause);
        cli_json_open(&j, NULL, '{');
        cli_json_int(&j, "seq", r->seq);
        cli_json_str(&j, "call_time", r->call_time);
        cli_json_str(&j, "answer_time", r->answer_time);
        cli_json_str(&j, "end_time", r->end_time);
        cli_json_bool(&j, "completed", r->completed);
        cli_json_str(&j, "service", r->service);
        cli_json_str(&j, "received", r->received);
        cli_json_str(&j, "caller", r->caller);
        cli_json_str(&j, "callee", r->callee);
        cli_json_str(&j, "transferrer", r->transferrer);
        cli_json_str(&j, "disconnect_type", r->disconnect_type);
        cli_json_str(&j, "disconnector", r->disconnector);
        if (r->cause == CORE_CDR_CAUSE_NONE) {
            cli_json_null(&j, "cause");
            cli_json_null(&j, "cause_text");
        } else {
            cli_json_int(&j, "cause", r->cause);
            if (meaning)
                cli_json_str(&j, "cause_text", _(meaning));
            else
                cli_json_null(&j, "cause_text");
        }
        cli_json_close(&j, '}');
    }
    if (cli->json && !rc)
        cli_json_close(&j, ']');
    for (int i = 0; !rc && !cli->json && i < count; i++) {
        const struct core_cdr *r = &page[i];
        const char *meaning = core_cdr_cause_msgid(r->cause);
        printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t", (long long)r->seq,
               r->call_time, r->answer_time, r->end_time,
               r->completed ? _("completed") : _("not completed"), r->service, r->received,
               r->caller, r->callee, r->transferrer, r->disconnect_type, r->disconnector);
        if (r->cause == CORE_CDR_CAUSE_NONE)
            printf("-\n");
        else if (meaning)
            printf("%03d %s\n", r->cause, _(meaning));
        else
            printf("%03d\n", r->cause);
    }
    free(page);
    return rc ? storage_problem(cli, rc) : CLI_OK;
}

int cli_cdr_purge(struct cli *cli, int argc, char **argv)
{
    int64_t site_id = 0;
    if (argc > 0) {
        struct store_site site;
        int rc = cli_site(cli, argv[0], &site);
        if (rc)
            return rc;
        site_id = site.id;
    }
    int files = 0;
    long records = 0;
    int rc = ops_cdr_purge(cli_ops(cli, site_id), &files, &records);
    if (rc)
        return storage_problem(cli, rc);
    printf(_("%d call history files older than 92 days deleted (%ld records)\n"), files, records);
    return CLI_OK;
}
