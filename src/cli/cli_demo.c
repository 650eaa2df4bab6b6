/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl demo: a demonstration site (demo.example.jp unless --domain)
 * with extensions, provisioned mobiles, feature codes and groups, every
 * row written through ops like any other write; it prints the
 * administrator's generated password once. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cli/cli.h"
#include "i18n.h"

/* The demo site: 300 provisioned mobiles, 200 profiles (20 virtual), 150
 * assignments, pickup and hunting groups, feature codes that satisfy the
 * prefix rule, and one administrator with a random password. */
#define DEMO_FIRST_EXT 2001
#define DEMO_PROFILES 200
#define DEMO_VIRTUAL 20
#define DEMO_ASSIGNED 150
#define DEMO_WEB_USERS 20
#define DEMO_LINES 300

static int random_password(char *out, size_t n)
{
    static const char letters[] = "abcdefghjkmnpqrstuvwxyz";
    static const char digits[] = "23456789";
    unsigned char bytes[12];
    if (n < sizeof bytes + 1 || getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes)
        return -1;
    for (size_t i = 0; i < sizeof bytes; i++)
        out[i] = i % 3 == 2 ? digits[bytes[i] % (sizeof digits - 1)]
                            : letters[bytes[i] % (sizeof letters - 1)];
    out[sizeof bytes] = '\0';
    return 0;
}

static int report(struct cli *cli, struct core_problems *problems)
{
    int rc = cli_problems(cli, problems);
    core_problems_free(problems);
    core_problems_init(problems);
    return rc;
}

static int demo_codes(struct cli *cli, int64_t site_id)
{
    /* Administrator-set codes, checked by the same rules and plan. */
    struct ops_codes_input in = OPS_CODES_UNCHANGED;
    in.hold_code = "#1";
    in.dial_confirm_code = "#2";
    in.dtmf_send_code = "*3";
    struct core_problems problems;
    core_problems_init(&problems);
    ops_site_codes_set(cli_ops(cli, site_id), OPS_ANY_VERSION, &in, &problems, NULL);
    return report(cli, &problems);
}

/* Groups through the same operations as the console and the verbs. */
static int demo_groups(struct cli *cli, int64_t site_id)
{
    struct core_problems problems;
    core_problems_init(&problems);
    char number[8], ext[8][16];
    const char *members[8];
    for (int g = 1; g <= 4 && !problems.count; g++) {
        snprintf(number, sizeof number, "%d", g);
        for (int m = 0; m < 8; m++) {
            snprintf(ext[m], sizeof ext[m], "%d", DEMO_FIRST_EXT + (g - 1) * 10 + m);
            members[m] = ext[m];
        }
        if (!ops_pickup_add(cli_ops(cli, site_id), number, &problems, NULL))
            ops_group_members_add(
                cli_ops(cli, site_id),
                &(struct ops_members_request){CORE_PICKUP, number, OPS_ANY_VERSION, members, 8},
                &problems, NULL);
    }
    for (int g = 1; g <= 3 && !problems.count; g++) {
        char rep[16];
        snprintf(number, sizeof number, "%d", g);
        snprintf(rep, sizeof rep, "%d", DEMO_FIRST_EXT + DEMO_PROFILES - DEMO_VIRTUAL + g - 1);
        for (int m = 0; m < 5; m++) {
            snprintf(ext[m], sizeof ext[m], "%d", DEMO_FIRST_EXT + 100 + (g - 1) * 5 + m);
            members[m] = ext[m];
        }
        struct ops_hunt_input hunt = {number, g == 2 ? CORE_HUNT_PILOT : CORE_HUNT_ROUND_ROBIN,
                                      rep};
        if (!ops_hunt_add(cli_ops(cli, site_id), &hunt, &problems, NULL))
            ops_group_members_add(
                cli_ops(cli, site_id),
                &(struct ops_members_request){CORE_HUNT, number, OPS_ANY_VERSION, members, 5},
                &problems, NULL);
    }
    return report(cli, &problems);
}

int cli_demo(struct cli *cli, int argc, char **argv)
{
    const char *domain = "demo.example.jp";
    for (int k = 0; k < argc; k++) {
        if (!strcmp(argv[k], "--domain") && k + 1 < argc)
            domain = argv[++k];
        else if (!strncmp(argv[k], "--domain=", 9))
            domain = argv[k] + 9;
        else
            return CLI_USAGE;
    }
    struct store_site existing;
    if (store_site_find(cli->st, domain, &existing) == CORE_OK) {
        fprintf(stderr, _("%s: site %s exists already; nothing changed\n"), cli->prog, domain);
        return CLI_REFUSED;
    }
    struct core_problems problems;
    core_problems_init(&problems);
    struct ops_site_input site = {domain, "500", "81", "82", "*71", "*72", "*73"};
    int64_t site_id = 0;
    ops_site_add(cli_ops(cli, 0), &site, &problems, &site_id);
    if (report(cli, &problems))
        return CLI_REFUSED;
    if (demo_codes(cli, site_id))
        return CLI_REFUSED;

    static char mobiles[DEMO_LINES][CORE_MOBILE_LEN + 1];
    char *mobile_args[DEMO_LINES];
    for (int i = 0; i < DEMO_LINES; i++) {
        snprintf(mobiles[i], sizeof mobiles[i], "0%d0%08d", 7 + i % 3, 12340000 + i);
        mobile_args[i] = mobiles[i];
    }
    ops_line_add(cli_ops(cli, 0), domain, mobile_args, DEMO_LINES, &problems);
    if (report(cli, &problems))
        return CLI_REFUSED;

    for (int i = 0; i < DEMO_PROFILES; i++) {
        char ext[16], user[16], pw[16];
        snprintf(ext, sizeof ext, "%d", DEMO_FIRST_EXT + i);
        snprintf(user, sizeof user, "user%d", DEMO_FIRST_EXT + i);
        snprintf(pw, sizeof pw, "pw%06d", DEMO_FIRST_EXT + i);
        struct ops_ext_input in = {
            .ext = ext,
            .web_user = i < DEMO_WEB_USERS ? user : NULL,
            .web_password = i < DEMO_WEB_USERS ? pw : NULL,
            .is_virtual = i >= DEMO_PROFILES - DEMO_VIRTUAL,
        };
        ops_ext_register(cli_ops(cli, site_id), &in, &problems);
        if (i < DEMO_ASSIGNED && problems.count == 0)
            ops_assign(cli_ops(cli, site_id), ext, mobiles[i], &problems);
        if (report(cli, &problems))
            return CLI_REFUSED;
    }
    if (demo_groups(cli, site_id))
        return CLI_REFUSED;

    char password[16];
    struct core_problem p;
    if (random_password(password, sizeof password) ||
        ops_admin_add(cli_ops(cli, 0), &(struct ops_admin_ref){domain, "admin"}, password, &p)) {
        cli_problem(cli, &p);
        return CLI_REFUSED;
    }
    printf(_("demo site %s: %d mobile numbers, %d extension profiles (%d virtual), %d assigned,"
             " 4 pickup groups, 3 hunting groups\n"),
           domain, DEMO_LINES, DEMO_PROFILES, DEMO_VIRTUAL, DEMO_ASSIGNED);
    printf(_("administrator: admin  password: %s\n"), password);
    printf(_("web console users: user%d..user%d, passwords pw00%d..\n"), DEMO_FIRST_EXT,
           DEMO_FIRST_EXT + DEMO_WEB_USERS - 1, DEMO_FIRST_EXT);
    return CLI_OK;
}
