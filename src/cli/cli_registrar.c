/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl registrar status | sync: the SIP registrar (Kamailio) kascon
 * keeps in step, what waits for it and why, and a full comparison that
 * repairs rows changed behind kascon's back. */
#include <config.h>

#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "i18n.h"
#include "ops/registrar.h"

static void print_time(const char *label, int64_t at)
{
    char when[32] = "-";
    if (at > 0) {
        time_t t = (time_t)at;
        struct tm tm;
        if (localtime_r(&t, &tm))
            strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    }
    printf("%s\t%s\n", label, when);
}

int cli_registrar_status(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct store_registrar_state s;
    if (store_registrar_state_get(cli->st, &s)) {
        fprintf(stderr, "%s: %s\n", cli->prog, store_errmsg(cli->st));
        return CLI_REFUSED;
    }
    const struct registrar_config *cfg = &cli->registrar;
    char err[512] = "";
    bool reachable = cfg->url[0] && ops_registrar_probe(cfg, err, sizeof err) == 0;
    char shown[sizeof cfg->url];
    printf("registrar\t%s\n",
           cfg->url[0] ? store_target_shown(cfg->url, shown, sizeof shown) : "-");
    printf("reachable\t%s\n", !cfg->url[0] ? "-" : reachable ? "yes" : "no");
    if (cfg->url[0] && !reachable)
        printf("reason\t%s\n", err);
    printf("pending\t%ld\n", s.pending);
    printf("last-error\t%s\n", s.last_error[0] ? s.last_error : "-");
    print_time("failed-at", s.failed_at);
    print_time("applied-at", s.applied_at);
    if (!cfg->url[0]) {
        fprintf(stderr,
                _("%s: no registrar is configured (--registrar, KASCON_REGISTRAR or registrar ="
                  " in kascond.conf)\n"),
                cli->prog);
        return CLI_REFUSED;
    }
    return reachable && s.pending == 0 ? CLI_OK : CLI_REFUSED;
}

static void print_change(const struct registrar_change *c, void *ctx)
{
    (void)ctx;
    if (strcmp(c->table, "domain") == 0)
        printf("%c %s %s\n", c->op, c->table, c->domain);
    else
        printf("%c %s %s@%s\n", c->op, c->table, c->key, c->domain);
}

int cli_registrar_sync(struct cli *cli, int argc, char **argv)
{
    const char *domain = NULL;
    bool dry_run = false;
    for (int k = 0; k < argc; k++) {
        if (!strcmp(argv[k], "--dry-run"))
            dry_run = true;
        else if (argv[k][0] == '-')
            return cli_unknown_option(cli, argv[k]);
        else
            domain = argv[k];
    }
    struct store_site site;
    if (domain && cli_site(cli, domain, &site))
        return CLI_REFUSED;
    const struct registrar_config *cfg = &cli->registrar;
    if (!cfg->url[0]) {
        fprintf(stderr,
                _("%s: no registrar is configured (--registrar, KASCON_REGISTRAR or registrar ="
                  " in kascond.conf)\n"),
                cli->prog);
        return CLI_USAGE;
    }
    struct registrar_stats stats;
    char err[512];
    struct registrar_sync_request req = {.cfg = cfg,
                                         .domain = domain ? site.domain : NULL,
                                         .dry_run = dry_run,
                                         .report = print_change};
    if (ops_registrar_sync(cli_ops(cli, domain ? site.id : 0), &req, &stats, err, sizeof err)) {
        fprintf(stderr, _("%s: registrar: %s\n"), cli->prog, err);
        return CLI_REFUSED;
    }
    printf(dry_run ? _("registrar: %ld changes would be made (%ld pending entries)\n")
                   : _("registrar: %ld changes made (%ld pending entries applied)\n"),
           stats.changes, stats.entries);
    return CLI_OK;
}
