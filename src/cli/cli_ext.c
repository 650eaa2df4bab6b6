/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl ext import | delete | export | list (doc/spec.md §4). */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

/* Reads standard input whole: a pipe cannot be read twice. */
static char *slurp_stdin(size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, stdin);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            char *more = realloc(buf, cap *= 2);
            if (!more) {
                free(buf);
                return NULL;
            }
            buf = more;
        }
    }
    *len = n;
    return buf;
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
    char *buf = NULL;
    size_t len = 0;
    if (!strcmp(file, "-") && !(buf = slurp_stdin(&len))) {
        fprintf(stderr, _("%s: cannot read standard input\n"), cli->prog);
        return CLI_REFUSED;
    }
    struct core_problems problems;
    core_problems_init(&problems);
    struct ops_bulk_result res;
    struct ops_bulk_request req = {
        .mode = mode, .path = buf ? NULL : file, .buf = buf, .len = len, .dry_run = dry_run};
    rc = ops_bulk(cli_ops(cli, site.id), &req, &problems, &res);
    free(buf);
    if (res.encoding != IO_ENC_UNKNOWN)
        printf(_("encoding: %s\n"), io_encoding_name(res.encoding));
    for (size_t i = 0; i < problems.count; i++) {
        if (problems.items[i].code == E_STORAGE)
            fprintf(stderr, "-:-: %03d %s: %s\n", E_STORAGE, _(core_code_msgid(E_STORAGE)),
                    store_errmsg(cli->st));
        else
            print_row_problem(&problems.items[i]);
    }
    size_t count = problems.count;
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
    bool utf8 = false;
    for (int k = 0; k < argc; k++) {
        if (!strcmp(argv[k], "--encoding") && k + 1 < argc) {
            const char *e = argv[++k];
            if (!strcmp(e, "utf-8") || !strcmp(e, "utf8") || !strcmp(e, "UTF-8"))
                utf8 = true;
            else if (strcmp(e, "cp932") && strcmp(e, "CP932") && strcmp(e, "sjis"))
                return CLI_USAGE;
        } else if (!strcmp(argv[k], "-o") && k + 1 < argc) {
            path = argv[++k];
        } else if (argv[k][0] == '-') {
            return CLI_USAGE;
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
    long rows = 0;
    struct core_problem p;
    rc = ops_bulk_export(cli_ops(cli, site.id), out, utf8 ? IO_ENC_UTF8 : IO_ENC_CP932, &rows, &p);
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

static int print_ext(const struct store_ext *e, void *ctx)
{
    char *last = ctx;
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
    char last[CORE_EXT_MAX + 1] = "", before[CORE_EXT_MAX + 1];
    do {
        snprintf(before, sizeof before, "%s", last);
        rc = store_ext_page(cli->st, site.id, -1, last[0] ? last : NULL, false, 1000, print_ext,
                            last);
    } while (!rc && strcmp(before, last));
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
