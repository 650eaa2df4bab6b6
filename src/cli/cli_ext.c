/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl ext import | delete | export | list (doc/spec.md §4). */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "i18n.h"
#include "io/io.h"

/* "ROW:COL: CODE MESSAGE", the hint indented on the next line. */
static void print_row_problem(const struct core_problem *p)
{
    char msg[512], row[24] = "-", col[4] = "-";
    core_problem_format(p, msg, sizeof msg);
    if (p->row > 0)
        snprintf(row, sizeof row, "%ld", p->row);
    if (p->field >= 0 && p->field < 26)
        snprintf(col, sizeof col, "%c", 'A' + p->field);
    fprintf(stderr, "%s:%s: %03d %s\n", row, col, p->code, msg);
    const char *hint = core_code_hint(p->code);
    if (hint)
        fprintf(stderr, "    %s\n", _(hint));
}

/* Standard input as a file the reader can read twice (it sniffs the
 * encoding first): a regular file as it is, a pipe spooled into an
 * unlinked private temporary file, at most `limit` bytes.  Returns the
 * descriptor, -1 on a read error, -2 when the input is over the limit. */
static int stdin_file(long long limit)
{
    struct stat sb;
    if (fstat(STDIN_FILENO, &sb) == 0 && S_ISREG(sb.st_mode) &&
        lseek(STDIN_FILENO, 0, SEEK_CUR) == 0)
        return STDIN_FILENO;
    FILE *spool = tmpfile();
    if (!spool)
        return -1;
    int fd = dup(fileno(spool));
    fclose(spool);
    if (fd < 0)
        return -1;
    char buf[65536];
    long long total = 0;
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            close(fd);
            return -1;
        }
        if (n == 0)
            break;
        if ((total += n) > limit) {
            close(fd);
            return -2;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(fd, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                close(fd);
                return -1;
            }
            done += w;
        }
    }
    return fd;
}

/* ---- progress on a terminal ---- */

struct progress {
    int phase;
    double phase_start, shown;
    bool open; /* a line is on the screen without its newline */
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void format_duration(double seconds, char *buf, size_t n)
{
    long s = seconds < 0 ? 0 : (long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, n, "%ld:%02ld", s / 60, s % 60);
}

static const char *const phase_words[] = {N_("reading"), N_("rows checked"), N_("passwords hashed"),
                                          N_("rows applied")};

/* One line on standard error, rewritten in place at most five times a
 * second: what is done of how much, the rate and the time left.  Each
 * phase keeps its last line when the next one starts. */
static void show_progress(void *ctx, int phase, long done, long total)
{
    struct progress *pr = ctx;
    double t = now_seconds();
    if (phase != pr->phase) {
        if (pr->open)
            fputc('\n', stderr);
        pr->open = false;
        pr->phase = phase;
        pr->phase_start = t;
        pr->shown = 0;
    }
    if (phase < 0 || phase > OPS_BULK_APPLY || total <= 0 || (t - pr->shown < 0.2 && done < total))
        return;
    pr->shown = t;
    double elapsed = t - pr->phase_start;
    if (phase == OPS_BULK_READ) {
        fputc('\r', stderr);
        fprintf(stderr, _("%s: %ld%%"), _(phase_words[phase]), done * 100 / total);
    } else {
        double rate = (double)done / (elapsed > 0.001 ? elapsed : 0.001);
        char left[32] = "-";
        if (done >= total) {
            format_duration(elapsed, left, sizeof left);
            fputc('\r', stderr);
            fprintf(stderr, _("%s: %ld/%ld, %.0f/s, done in %s"), _(phase_words[phase]), done,
                    total, rate, left);
        } else {
            if (done > 0)
                format_duration((double)(total - done) / rate, left, sizeof left);
            fputc('\r', stderr);
            fprintf(stderr, _("%s: %ld/%ld, %.0f/s, %s left"), _(phase_words[phase]), done, total,
                    rate, left);
        }
    }
    fputs("\033[K", stderr); /* the rest of a longer line before */
    pr->open = true;
    fflush(stderr);
}

static int bulk(struct cli *cli, int argc, char **argv, enum ops_bulk_mode mode)
{
    const char *domain = NULL, *file = NULL;
    bool dry_run = false;
    for (int k = 0; k < argc; k++) {
        if (!strcmp(argv[k], "--dry-run"))
            dry_run = true;
        else if (argv[k][0] == '-' && argv[k][1])
            return CLI_USAGE;
        else if (!domain)
            domain = argv[k];
        else if (!file)
            file = argv[k];
        else
            return CLI_USAGE;
    }
    if (!domain || !file)
        return CLI_USAGE;
    struct store_site site;
    int rc = cli_site(cli, domain, &site);
    if (rc)
        return rc;
    long long limit = cli->max_input > 0 ? cli->max_input : OPS_BULK_MAX_INPUT;
    char stdin_path[32];
    int in = -1;
    if (!strcmp(file, "-")) {
        in = stdin_file(limit);
        if (in == -2) {
            fprintf(stderr,
                    _("%s: standard input is larger than %lld bytes; nothing was changed\n"),
                    cli->prog, limit);
            return CLI_REFUSED;
        }
        if (in < 0) {
            fprintf(stderr, _("%s: cannot read standard input\n"), cli->prog);
            return CLI_REFUSED;
        }
        snprintf(stdin_path, sizeof stdin_path, "/dev/fd/%d", in);
        file = stdin_path;
    }
    struct core_problems problems;
    core_problems_init(&problems);
    struct ops_bulk_result res;
    /* Progress only where a person watches: never into a file or a pipe. */
    struct progress pr = {.phase = -1};
    bool watch = !cli->quiet && isatty(STDERR_FILENO);
    struct ops_bulk_request req = {.mode = mode,
                                   .path = file,
                                   .dry_run = dry_run,
                                   .max_input = limit,
                                   .progress = watch ? show_progress : NULL,
                                   .progress_ctx = &pr};
    rc = ops_bulk(cli_ops(cli, site.id), &req, &problems, &res);
    if (pr.open)
        fputc('\n', stderr);
    if (in > STDIN_FILENO)
        close(in);
    if (res.encoding != IO_ENC_UNKNOWN)
        printf(_("encoding: %s\n"), io_encoding_name(res.encoding));
    for (size_t i = 0; i < problems.count; i++) {
        if (problems.items[i].code == E_STORAGE)
            fprintf(stderr, "-:-: %03d %s: %s\n", E_STORAGE, _(core_code_msgid(E_STORAGE)),
                    store_errmsg(cli->st));
        else
            print_row_problem(&problems.items[i]);
    }
    size_t count = problems.count + problems.more;
    if (problems.more)
        fprintf(stderr,
                ngettext("... and %zu more problem, not shown\n",
                         "... and %zu more problems, not shown\n", problems.more),
                problems.more);
    core_problems_free(&problems);
    if (rc || count) {
        fprintf(stderr,
                ngettext("%s: %zu problem; nothing was changed\n",
                         "%s: %zu problems; nothing was changed\n", count),
                cli->prog, count);
        return CLI_REFUSED;
    }
    if (mode == OPS_BULK_REGISTER)
        printf(dry_run ? _("%ld rows checked: %ld profiles would be created, %ld mobiles assigned"
                           " (dry run, nothing changed)\n")
                       : _("%ld rows imported: %ld profiles created, %ld mobiles assigned\n"),
               res.rows, res.created, res.assigned);
    else
        printf(dry_run ? _("%ld rows checked: %ld profiles would be deleted, %ld mobiles"
                           " unassigned (dry run, nothing changed)\n")
                       : _("%ld rows applied: %ld profiles deleted, %ld mobiles unassigned\n"),
               res.rows, res.deleted, res.unassigned);
    return CLI_OK;
}

int cli_ext_import(struct cli *cli, int argc, char **argv)
{
    return bulk(cli, argc, argv, OPS_BULK_REGISTER);
}

int cli_ext_delete(struct cli *cli, int argc, char **argv)
{
    return bulk(cli, argc, argv, OPS_BULK_DELETE);
}

int cli_ext_export(struct cli *cli, int argc, char **argv)
{
    const char *domain = NULL, *path = NULL;
    enum io_encoding encoding = IO_ENC_CP932;
    for (int k = 0; k < argc; k++) {
        const char *e;
        if ((e = cli_option_value(argc, argv, &k, "--encoding"))) {
            if (io_encoding_parse(e, &encoding))
                return cli_unknown_option(cli, e);
        } else if ((e = cli_option_value(argc, argv, &k, "-o")) ||
                   (e = cli_option_value(argc, argv, &k, "--output"))) {
            path = e;
        } else if (argv[k][0] == '-') {
            return cli_unknown_option(cli, argv[k]);
        } else if (!domain) {
            domain = argv[k];
        } else {
            return CLI_USAGE;
        }
    }
    if (!domain)
        return CLI_USAGE;
    struct store_site site;
    int rc = cli_site(cli, domain, &site);
    if (rc)
        return rc;
    FILE *out = stdout;
    if (path && strcmp(path, "-") && !(out = fopen(path, "wb"))) {
        fprintf(stderr, _("%s: cannot write %s: %s\n"), cli->prog, path, strerror(errno));
        return CLI_REFUSED;
    }
    if (out != stdout)
        fchmod(fileno(out), 0600); /* also an existing file: private */
    long rows = 0;
    struct core_problem p;
    rc = ops_bulk_export(cli_ops(cli, site.id), out, encoding, &rows, &p);
    if (out != stdout && fclose(out) != 0 && !rc)
        core_problem_set(&p, rc = E_FILE_WRITE, path);
    if (rc) {
        print_row_problem(&p);
        return CLI_REFUSED;
    }
    if (path && strcmp(path, "-"))
        printf(_("%ld profiles written to %s\n"), rows, path);
    return CLI_OK;
}

struct ext_print {
    struct cli_json *json;
    char last[CORE_EXT_MAX + 1];
};

static int print_ext(const struct store_ext *e, void *ctx)
{
    struct ext_print *x = ctx;
    char *last = x->last;
    if (x->json) {
        cli_json_open(x->json, NULL, '{');
        cli_json_str(x->json, "extension", e->ext);
        cli_json_bool(x->json, "virtual", e->is_virtual);
        if (e->mobile[0])
            cli_json_str(x->json, "mobile", e->mobile);
        else
            cli_json_null(x->json, "mobile");
        cli_json_str(x->json, "sip_id", e->sip_id);
        if (e->web_user[0])
            cli_json_str(x->json, "web_user", e->web_user);
        else
            cli_json_null(x->json, "web_user");
        cli_json_close(x->json, '}');
    } else
        printf("%s\t%s\t%s\t%s\t%s\n", e->ext, e->is_virtual ? "virtual" : "mobile",
               e->mobile[0] ? e->mobile : "-", e->sip_id, e->web_user[0] ? e->web_user : "-");
    snprintf(last, CORE_EXT_MAX + 1, "%s", e->ext);
    return 0;
}

int cli_ext_list(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    struct store_site site;
    int rc = cli_site(cli, argv[0], &site);
    if (rc)
        return rc;
    struct cli_json json = {.out = stdout};
    struct ext_print x = {.json = cli->json ? &json : NULL, .last = ""};
    char before[CORE_EXT_MAX + 1];
    if (x.json)
        cli_json_open(x.json, NULL, '[');
    do {
        snprintf(before, sizeof before, "%s", x.last);
        rc = store_ext_list_page(cli->st, site.id, -1, x.last[0] ? x.last : NULL, false, 1000,
                                 print_ext, &x);
    } while (!rc && strcmp(before, x.last));
    if (x.json)
        cli_json_close(x.json, ']');
    return rc ? CLI_REFUSED : CLI_OK;
}

/* ext set DOMAIN EXT sip-password (the new one from stdin) | sip-id ID:
 * the profile's other fields stay as they are. */
int cli_ext_set(struct cli *cli, int argc, char **argv)
{
    struct store_site site;
    if (cli_site(cli, argv[0], &site))
        return CLI_REFUSED;
    struct store_ext e;
    int rc = store_ext_find(cli->st, site.id, argv[1], &e);
    if (rc) {
        struct core_problem p;
        core_problem_set(&p, rc, argv[1]);
        cli_problem(cli, &p);
        return CLI_REFUSED;
    }
    char secret[128] = "";
    struct ops_ext_input in = {.ext = e.ext, .sip_id = e.sip_id, .web_user = e.web_user};
    if (!strcmp(argv[2], "sip-password") && argc == 3) {
        if (cli_read_secret(_("SIP password: "), secret, sizeof secret))
            return CLI_REFUSED;
        if (!secret[0]) {
            struct core_problem p;
            core_problem_set(&p, E_EMPTY, "");
            cli_problem(cli, &p);
            return CLI_REFUSED;
        }
        in.sip_password = secret;
    } else if (!strcmp(argv[2], "sip-id") && argc == 4) {
        in.sip_id = argv[3];
    } else {
        fprintf(stderr, _("Usage: %s ext set DOMAIN EXT sip-password | sip-id ID\n"), cli->prog);
        return CLI_USAGE;
    }
    struct core_problems problems;
    core_problems_init(&problems);
    ops_ext_update(cli_ops(cli, site.id), e.ext, e.version, &in, &problems);
    memset(secret, 0, sizeof secret);
    rc = cli_report(cli, &problems);
    if (!rc)
        printf(_("extension %s updated\n"), e.ext);
    return rc;
}
