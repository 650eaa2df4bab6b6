/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl fwd show | set | clear | voicemail: the operator sets an
 * extension's forwarding (doc/spec.md §3.5) until extension users have their own
 * console; the same operations as that console will use. */
#include <config.h>

#include "cli/cli.h"
#include "i18n.h"

/* One line per setting, tab-separated, in the CLI's words: scripts read it. */
static void print_fwd(const struct core_fwd *f)
{
    for (int k = 0; k < CORE_FWD_KINDS; k++) {
        printf("%s\t%s", core_fwd_kind_name(k), f->dest[k][0] ? f->dest[k] : "-");
        if (k == CORE_FWD_NO_ANSWER && f->dest[k][0])
            printf("\t%d", f->delay);
        putchar('\n');
    }
    printf("voicemail\t%s\n", f->voicemail ? "on" : "off");
}

static int parse_kind(struct cli *cli, const char *text, int *kind)
{
    if (!core_fwd_parse_kind(text, kind))
        return CLI_OK;
    struct core_problem p;
    core_problem_set(&p, E_FWD_KIND, text);
    cli_problem(cli, &p);
    return CLI_USAGE;
}

/* The end of every changing verb: the problems, or the settings as saved. */
static int print_result(struct cli *cli, struct core_problems *problems, const struct core_fwd *f)
{
    int rc = cli_report(cli, problems);
    if (!rc)
        print_fwd(f);
    return rc;
}

/* set and clear: one forwarding kind of one extension (dest NULL clears it). */
static int set_one(struct cli *cli, const char *domain, const char *ext, int kind, const char *dest,
                   const char *delay)
{
    struct store_site site;
    if (cli_site(cli, domain, &site))
        return CLI_REFUSED;
    struct core_problems problems;
    core_problems_init(&problems);
    struct core_fwd f;
    struct ops_fwd_request req = {ext, OPS_ANY_VERSION, kind, dest, delay};
    ops_fwd_set(cli_ops(cli, site.id), &req, &problems, &f);
    return print_result(cli, &problems, &f);
}

int cli_fwd_show(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    struct store_site site;
    if (cli_site(cli, argv[0], &site))
        return CLI_REFUSED;
    struct core_fwd f;
    struct core_problem p;
    if (ops_fwd_get(cli_ops(cli, site.id), argv[1], &f, &p)) {
        cli_problem(cli, &p);
        return CLI_REFUSED;
    }
    if (!cli->json) {
        print_fwd(&f);
        return CLI_OK;
    }
    struct cli_json j = {.out = stdout};
    cli_json_open(&j, NULL, '{');
    cli_json_str(&j, "extension", argv[1]);
    for (int k = 0; k < CORE_FWD_KINDS; k++)
        if (f.dest[k][0])
            cli_json_str(&j, core_fwd_kind_name(k), f.dest[k]);
        else
            cli_json_null(&j, core_fwd_kind_name(k));
    if (f.dest[CORE_FWD_NO_ANSWER][0])
        cli_json_int(&j, "no-answer-delay", f.delay);
    else
        cli_json_null(&j, "no-answer-delay");
    cli_json_bool(&j, "voicemail", f.voicemail);
    cli_json_int(&j, "version", f.version);
    cli_json_close(&j, '}');
    return CLI_OK;
}

int cli_fwd_set(struct cli *cli, int argc, char **argv)
{
    const char *pos[4] = {NULL}, *delay = NULL;
    int npos = 0;
    for (int k = 0; k < argc; k++) {
        const char *v;
        if (argv[k][0] != '-' && npos < 4)
            pos[npos++] = argv[k];
        else if ((v = cli_option_value(argc, argv, &k, "--delay")))
            delay = v;
        else
            return cli_unknown_option(cli, argv[k]);
    }
    int kind = 0, rc;
    if (npos != 4)
        return CLI_USAGE;
    if ((rc = parse_kind(cli, pos[2], &kind)))
        return rc;
    if (delay && kind != CORE_FWD_NO_ANSWER) {
        fprintf(stderr, _("%s: --delay goes with no-answer forwarding only\n"), cli->prog);
        return CLI_USAGE;
    }
    return set_one(cli, pos[0], pos[1], kind, pos[3], delay);
}

int cli_fwd_clear(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    int kind = 0, rc;
    if ((rc = parse_kind(cli, argv[2], &kind)))
        return rc;
    return set_one(cli, argv[0], argv[1], kind, NULL, NULL);
}

int cli_fwd_voicemail(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    int on = cli_parse_on_off(argv[2]);
    if (on < 0) {
        fprintf(stderr, _("%s: voicemail is on or off\n"), cli->prog);
        return CLI_USAGE;
    }
    struct store_site site;
    if (cli_site(cli, argv[0], &site))
        return CLI_REFUSED;
    struct core_problems problems;
    core_problems_init(&problems);
    struct core_fwd f;
    struct ops_fwd_request req = {.ext = argv[1], .version = OPS_ANY_VERSION};
    ops_fwd_voicemail(cli_ops(cli, site.id), &req, on == 1, &problems, &f);
    return print_result(cli, &problems, &f);
}
