/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl transfer | exchange: 内線番号の譲渡 / 交換 (§6.1, §6.2) for
 * scripts, printing the plan the console previews. */
#include <config.h>

#include <string.h>

#include "cli/cli.h"
#include "i18n.h"

static void print_line(void *ctx, const char *text)
{
    (void)ctx;
    printf("%s\n", text);
}

static int run(struct cli *cli, int argc, char **argv, int kind)
{
    const char *pos[3] = {NULL}, *fwd = "keep";
    bool dry_run = false;
    int npos = 0;
    for (int k = 0; k < argc; k++) {
        const char *v;
        if (argv[k][0] != '-' && npos < 3)
            pos[npos++] = argv[k];
        else if (!strcmp(argv[k], "--dry-run"))
            dry_run = true;
        else if ((v = cli_option_value(argc, argv, &k, "--forwarding")))
            fwd = v;
        else
            return cli_unknown_option(cli, argv[k]);
    }
    if (npos != 3)
        return CLI_USAGE;
    if (strcmp(fwd, "keep") && strcmp(fwd, "clear")) {
        fprintf(stderr, _("%s: --forwarding is keep or clear\n"), cli->prog);
        return CLI_USAGE;
    }
    bool clear = !strcmp(fwd, "clear");
    struct store_site site;
    if (cli_site(cli, pos[0], &site))
        return CLI_REFUSED;
    struct core_problems problems;
    core_problems_init(&problems);
    struct ops_move_plan plan;
    if (dry_run)
        (kind == OPS_TRANSFER ? ops_transfer_plan : ops_exchange_plan)(
            cli_ops(cli, site.id), pos[1], pos[2], &plan, &problems);
    else
        ops_move(cli_ops(cli, site.id),
                 &(struct ops_move_request){kind, pos[1], pos[2], clear, NULL}, &problems, &plan);
    int rc = cli_report(cli, &problems);
    if (rc) {
        fprintf(stderr, _("%s: nothing was changed\n"), cli->prog);
        return rc;
    }
    ops_move_describe(&plan, clear, print_line, NULL);
    if (dry_run)
        puts(_("(dry run, nothing changed)"));
    else if (kind == OPS_TRANSFER)
        printf(_("extension %s transferred to mobile %s\n"), plan.sides[0].ext,
               plan.sides[0].mobile_after);
    else
        printf(_("extensions %s and %s exchanged\n"), plan.sides[0].ext, plan.sides[1].ext);
    return CLI_OK;
}

int cli_transfer(struct cli *cli, int argc, char **argv)
{
    return run(cli, argc, argv, OPS_TRANSFER);
}

int cli_exchange(struct cli *cli, int argc, char **argv)
{
    return run(cli, argc, argv, OPS_EXCHANGE);
}
