/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl code: the administrator's feature codes (保留特番, ダイヤル確定特番,
 * プッシュ音) for scripts, through the operation the console's screens use. */
#include <config.h>

#include <string.h>

#include "cli/cli.h"
#include "i18n.h"

static const char *on_off(int v)
{
    return v ? "on" : "off";
}

int cli_code_show(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    struct store_site site;
    if (cli_site(cli, argv[0], &site))
        return CLI_REFUSED;
    if (cli->json) {
        struct cli_json j = {.out = stdout};
        cli_json_open(&j, NULL, '{');
        cli_json_str(&j, "hold", site.hold_code);
        cli_json_bool(&j, "hold-disconnect", site.hold_disconnect);
        cli_json_str(&j, "dial-confirm", site.dial_confirm_code);
        cli_json_bool(&j, "dtmf-erase", site.dtmf_erase);
        cli_json_str(&j, "dtmf-send", site.dtmf_send_code);
        cli_json_close(&j, '}');
        return CLI_OK;
    }
    printf("hold=%s\nhold-disconnect=%s\ndial-confirm=%s\ndtmf-erase=%s\ndtmf-send=%s\n",
           site.hold_code, on_off(site.hold_disconnect), site.dial_confirm_code,
           on_off(site.dtmf_erase), site.dtmf_send_code);
    return CLI_OK;
}

int cli_code_set(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    const char *name = argv[1], *value = argv[2];
    struct ops_codes_input in = OPS_CODES_UNCHANGED;
    int *option = NULL;
    if (!strcmp(name, "hold"))
        in.hold_code = value;
    else if (!strcmp(name, "dial-confirm"))
        in.dial_confirm_code = value;
    else if (!strcmp(name, "dtmf-send"))
        in.dtmf_send_code = value;
    else if (!strcmp(name, "hold-disconnect"))
        option = &in.hold_disconnect;
    else if (!strcmp(name, "dtmf-erase"))
        option = &in.dtmf_erase;
    else {
        fprintf(stderr,
                _("%s: unknown code %s (hold, hold-disconnect, dial-confirm, dtmf-erase,"
                  " dtmf-send)\n"),
                cli->prog, name);
        return CLI_USAGE;
    }
    if (option && (*option = cli_parse_on_off(value)) < 0) {
        fprintf(stderr, _("%s: %s takes on or off\n"), cli->prog, name);
        return CLI_USAGE;
    }
    struct store_site site;
    if (cli_site(cli, argv[0], &site))
        return CLI_REFUSED;
    struct core_problems problems;
    core_problems_init(&problems);
    struct core_problem warning;
    ops_site_codes_set(cli_ops(cli, site.id), OPS_ANY_VERSION, &in, &problems, &warning);
    int rc = cli_report(cli, &problems);
    if (rc)
        return rc;
    if (warning.code) {
        char msg[512];
        core_problem_format(&warning, msg, sizeof msg);
        fprintf(stderr, _("%s: warning: %03d %s\n"), cli->prog, warning.code, msg);
    }
    if (!option && !*value)
        printf(_("%s of %s deleted\n"), name, site.domain);
    else
        printf(_("%s of %s set to %s\n"), name, site.domain, value);
    return CLI_OK;
}
