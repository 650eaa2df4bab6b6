/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers every verb shares, for kasconctl and kascond's exec alike:
 * problems on stderr, the site named by a domain, a secret from stdin. */
#include <config.h>

#include <stdbool.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "i18n.h"

void cli_problem(const struct cli *cli, const struct core_problem *p)
{
    char msg[512];
    core_problem_format(p, msg, sizeof msg);
    if (p->code == E_STORAGE)
        fprintf(stderr, "%s: %03d %s: %s\n", cli->prog, p->code, msg, store_errmsg(cli->st));
    else
        fprintf(stderr, "%s: %03d %s\n", cli->prog, p->code, msg);
    const char *hint = core_code_hint(p->code);
    if (hint)
        fprintf(stderr, "%s:     %s\n", cli->prog, _(hint));
}

int cli_problems(const struct cli *cli, const struct core_problems *list)
{
    for (size_t i = 0; i < list->count; i++)
        cli_problem(cli, &list->items[i]);
    return list->count ? CLI_REFUSED : CLI_OK;
}

int cli_report(const struct cli *cli, struct core_problems *list)
{
    int rc = cli_problems(cli, list);
    core_problems_free(list);
    return rc;
}

int cli_unknown_option(const struct cli *cli, const char *opt)
{
    fprintf(stderr, _("%s: unknown option %s\n"), cli->prog, opt);
    return CLI_USAGE;
}

int cli_parse_on_off(const char *text)
{
    if (!strcmp(text, "on"))
        return 1;
    if (!strcmp(text, "off"))
        return 0;
    return -1;
}

const struct ops_ctx *cli_ops(struct cli *cli, int64_t site_id)
{
    cli->ops = (struct ops_ctx){
        .st = cli->st,
        .site_id = site_id,
        .actor = cli->actor,
        .source = cli->remote ? OPS_SOURCE_SSH : OPS_SOURCE_CLI,
    };
    return &cli->ops;
}

int cli_site(struct cli *cli, const char *domain, struct store_site *site)
{
    char normalized[CORE_DOMAIN_MAX + 1];
    snprintf(normalized, sizeof normalized, "%s", domain);
    core_normalize_domain(normalized);
    int rc = store_site_find(cli->st, normalized, site);
    if (rc) {
        struct core_problem p;
        core_problem_set(&p, rc, domain);
        cli_problem(cli, &p);
        return CLI_REFUSED;
    }
    return CLI_OK;
}

int cli_read_secret(const char *prompt, char *buf, size_t n)
{
    struct termios saved, quiet;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (tty) {
        fputs(prompt, stderr);
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *line = fgets(buf, (int)n, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        fputc('\n', stderr);
    }
    if (!line)
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}
