/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl pickup / hunt / ext groups: the same operations as the
 * console's group screens, for scripts. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "i18n.h"

static int one_problem(struct cli *cli, const struct core_problem *p)
{
    cli_problem(cli, p);
    return CLI_REFUSED;
}

static const char *kind_word(int kind)
{
    return kind == CORE_HUNT ? _("hunting group") : _("pickup group");
}

static const char *type_word(int pilot)
{
    return pilot ? "pilot" : "round-robin";
}

static int kind_of(const struct cli *cli, const char *noun)
{
    (void)cli;
    return !strcmp(noun, "hunt") ? CORE_HUNT : CORE_PICKUP;
}

int cli_pickup_add(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    struct store_site site;
    if (cli_site(cli, argv[0], &site))
        return CLI_REFUSED;
    struct core_problems problems;
    core_problems_init(&problems);
    ops_pickup_add(cli_ops(cli, site.id), argv[1], &problems, NULL);
    int rc = cli_report(cli, &problems);
    if (!rc)
        printf(_("pickup group %s created\n"), argv[1]);
    return rc;
}

/* DOMAIN N [--type round-robin|pilot] [--rep EXT]: what hunt add and
 * hunt set are given.  Nonzero (reported) for an unknown option. */
struct hunt_args {
    const char *pos[2], *type_text, *rep;
    int npos;
};

static int hunt_args(struct cli *cli, int argc, char **argv, struct hunt_args *a)
{
    *a = (struct hunt_args){{NULL, NULL}, NULL, NULL, 0};
    for (int k = 0; k < argc; k++) {
        const char *v;
        if (argv[k][0] != '-' && a->npos < 2)
            a->pos[a->npos++] = argv[k];
        else if ((v = cli_option_value(argc, argv, &k, "--type")))
            a->type_text = v;
        else if ((v = cli_option_value(argc, argv, &k, "--rep")))
            a->rep = v;
        else
            return cli_unknown_option(cli, argv[k]);
    }
    return 0;
}

int cli_hunt_add(struct cli *cli, int argc, char **argv)
{
    struct hunt_args a;
    int rc = hunt_args(cli, argc, argv, &a);
    if (rc)
        return rc;
    int type = 0;
    if (a.npos != 2 || !a.type_text || !a.rep || core_parse_hunt_type(a.type_text, &type)) {
        fprintf(stderr, _("%s: hunt add needs DOMAIN N --type round-robin|pilot --rep EXT\n"),
                cli->prog);
        return CLI_USAGE;
    }
    struct store_site site;
    if (cli_site(cli, a.pos[0], &site))
        return CLI_REFUSED;
    struct core_problems problems;
    core_problems_init(&problems);
    struct ops_hunt_input in = {.number = a.pos[1], .type = type, .rep = a.rep};
    ops_hunt_add(cli_ops(cli, site.id), &in, &problems, NULL);
    rc = cli_report(cli, &problems);
    if (!rc)
        printf(_("hunting group %s created\n"), a.pos[1]);
    return rc;
}

int cli_hunt_set(struct cli *cli, int argc, char **argv)
{
    struct hunt_args a;
    int rc = hunt_args(cli, argc, argv, &a);
    if (rc)
        return rc;
    int type = 0;
    if (a.npos != 2 || (a.type_text && core_parse_hunt_type(a.type_text, &type)))
        return CLI_USAGE;
    struct store_site site;
    if (cli_site(cli, a.pos[0], &site))
        return CLI_REFUSED;
    struct store_group g;
    struct core_problem p;
    if (ops_group_get(cli_ops(cli, site.id), CORE_HUNT, a.pos[1], &g, &p))
        return one_problem(cli, &p);
    struct core_problems problems;
    core_problems_init(&problems);
    struct ops_hunt_input in = {
        .number = a.pos[1], .type = a.type_text ? type : g.pilot, .rep = a.rep ? a.rep : g.rep};
    ops_hunt_update(cli_ops(cli, site.id), &in, g.version, &problems, NULL);
    rc = cli_report(cli, &problems);
    if (!rc)
        printf(_("hunting group %s changed\n"), a.pos[1]);
    return rc;
}

int cli_group_delete(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    int kind = kind_of(cli, argv[-2]);
    struct store_site site;
    if (cli_site(cli, argv[0], &site))
        return CLI_REFUSED;
    struct core_problem p;
    if (ops_group_delete(cli_ops(cli, site.id), kind, argv[1], OPS_ANY_VERSION, &p))
        return one_problem(cli, &p);
    printf(_("%s %s deleted\n"), kind_word(kind), argv[1]);
    return CLI_OK;
}

static void json_group(struct cli_json *j, const struct store_group *g)
{
    cli_json_int(j, "number", g->number);
    if (g->kind == CORE_HUNT) {
        cli_json_str(j, "type", type_word(g->pilot));
        cli_json_str(j, "representative", g->rep);
    }
    cli_json_int(j, "members", g->members);
}

static int print_group(const struct store_group *g, void *ctx)
{
    struct cli_json *j = ctx;
    if (j) {
        cli_json_open(j, NULL, '{');
        json_group(j, g);
        cli_json_close(j, '}');
    } else if (g->kind == CORE_HUNT)
        printf("%d\t%s\t%s\t%d\n", g->number, type_word(g->pilot), g->rep, g->members);
    else
        printf("%d\t%d\n", g->number, g->members);
    return 0;
}

int cli_group_list(struct cli *cli, int argc, char **argv)
{
    int kind = kind_of(cli, argv[-2]);
    const char *domain = NULL;
    struct store_group_filter f = {0, 0};
    long after = 0, limit = 0;
    const char *ext = NULL;
    for (int k = 0; k < argc; k++) {
        const char *v;
        char *end;
        if (argv[k][0] != '-' && !domain)
            domain = argv[k];
        else if ((v = cli_option_value(argc, argv, &k, "--ext")))
            ext = v;
        else if ((v = cli_option_value(argc, argv, &k, "--number"))) {
            if (core_check_group_number(v, &f.number))
                return cli_unknown_option(cli, v);
        } else if ((v = cli_option_value(argc, argv, &k, "--after"))) {
            after = strtol(v, &end, 10);
            if (*end || after < 0)
                return cli_unknown_option(cli, v);
        } else if ((v = cli_option_value(argc, argv, &k, "--limit"))) {
            limit = strtol(v, &end, 10);
            if (*end || limit < 1)
                return cli_unknown_option(cli, v);
        } else
            return cli_unknown_option(cli, argv[k]);
    }
    if (!domain)
        return CLI_USAGE;
    struct store_site site;
    if (cli_site(cli, domain, &site))
        return CLI_REFUSED;
    if (ext) {
        struct store_ext e;
        struct core_problem p;
        int rc = core_check_extension(ext);
        if (!rc)
            rc = store_ext_find(cli->st, site.id, ext, &e);
        if (rc) {
            core_problem_set(&p, rc, ext);
            return one_problem(cli, &p);
        }
        f.ext_id = e.id;
    }
    /* One read snapshot: a long list is consistent even while others write. */
    store_begin_read(cli->st);
    struct cli_json j = {.out = stdout};
    if (cli->json)
        cli_json_open(&j, NULL, '[');
    int rc = store_group_page(cli->st, kind, site.id, &f, (int)after, false,
                              limit ? (int)limit : CORE_HUNT_GROUPS_MAX, print_group,
                              cli->json ? &j : NULL);
    if (cli->json)
        cli_json_close(&j, ']');
    store_rollback(cli->st);
    if (rc) {
        struct core_problem p;
        core_problem_set(&p, rc, NULL);
        return one_problem(cli, &p);
    }
    return CLI_OK;
}

static int print_member(const struct store_member *m, void *ctx)
{
    struct cli_json *j = ctx;
    if (j) {
        cli_json_open(j, NULL, '{');
        cli_json_int(j, "position", m->position);
        cli_json_str(j, "extension", m->ext);
        cli_json_close(j, '}');
        return 0;
    }
    printf("  %d\t%s\n", m->position, m->ext);
    return 0;
}

int cli_group_show(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    int kind = kind_of(cli, argv[-2]);
    struct store_site site;
    if (cli_site(cli, argv[0], &site))
        return CLI_REFUSED;
    struct store_group g;
    struct core_problem p;
    if (ops_group_get(cli_ops(cli, site.id), kind, argv[1], &g, &p))
        return one_problem(cli, &p);
    if (cli->json) {
        struct cli_json j = {.out = stdout};
        cli_json_open(&j, NULL, '{');
        json_group(&j, &g);
        cli_json_int(&j, "version", g.version);
        cli_json_open(&j, "member_list", '[');
        int rc = store_group_members(cli->st, &g, print_member, &j);
        cli_json_close(&j, ']');
        cli_json_close(&j, '}');
        return rc ? CLI_REFUSED : CLI_OK;
    }
    printf(_("%s %d, version %lld\n"), kind_word(kind), g.number, (long long)g.version);
    if (kind == CORE_HUNT) {
        printf(_("type: %s\n"), type_word(g.pilot));
        printf(_("representative extension: %s\n"), g.rep);
    }
    printf(_("members: %d\n"), g.members);
    store_group_members(cli->st, &g, print_member, NULL);
    return CLI_OK;
}

int cli_group_member(struct cli *cli, int argc, char **argv)
{
    int kind = kind_of(cli, argv[-2]);
    bool adding = !strcmp(argv[0], "add");
    if (argc < 4 || (!adding && strcmp(argv[0], "remove"))) {
        fprintf(stderr, _("Usage: %s %s member add|remove DOMAIN N EXT...\n"), cli->prog, argv[-2]);
        return CLI_USAGE;
    }
    struct store_site site;
    if (cli_site(cli, argv[1], &site))
        return CLI_REFUSED;
    const char *const *exts = (const char *const *)argv + 3;
    struct core_problems problems;
    core_problems_init(&problems);
    struct store_group g;
    struct ops_members_request req = {.kind = kind,
                                      .number = argv[2],
                                      .version = OPS_ANY_VERSION,
                                      .exts = exts,
                                      .count = argc - 3};
    if (adding)
        ops_group_members_add(cli_ops(cli, site.id), &req, &problems, &g);
    else
        ops_group_members_remove(cli_ops(cli, site.id), &req, &problems, &g);
    int rc = cli_report(cli, &problems);
    if (!rc)
        printf(_("%s %s: %d members\n"), kind_word(kind), argv[2], g.members);
    return rc;
}

int cli_hunt_order(struct cli *cli, int argc, char **argv)
{
    struct store_site site;
    if (cli_site(cli, argv[0], &site))
        return CLI_REFUSED;
    struct core_problems problems;
    core_problems_init(&problems);
    struct ops_members_request req = {.kind = CORE_HUNT,
                                      .number = argv[1],
                                      .version = OPS_ANY_VERSION,
                                      .exts = (const char *const *)argv + 2,
                                      .count = argc - 2};
    ops_hunt_order(cli_ops(cli, site.id), &req, &problems, NULL);
    int rc = cli_report(cli, &problems);
    if (!rc)
        printf(_("hunting group %s: order saved\n"), argv[1]);
    return rc;
}

static int print_ref(int role, int number, void *ctx)
{
    struct cli_json *j = ctx;
    if (j) {
        cli_json_open(j, NULL, '{');
        cli_json_str(j, "kind", role == CORE_REF_PICKUP ? "pickup" : "hunting");
        cli_json_int(j, "number", number);
        cli_json_bool(j, "representative", role != CORE_REF_PICKUP && role != CORE_REF_HUNT);
        cli_json_close(j, '}');
    } else if (role == CORE_REF_PICKUP)
        printf("pickup\t%d\n", number);
    else if (role == CORE_REF_HUNT)
        printf("hunting\t%d\n", number);
    else
        printf("hunting\t%d\trepresentative\n", number);
    return 0;
}

int cli_ext_groups(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    struct store_site site;
    if (cli_site(cli, argv[0], &site))
        return CLI_REFUSED;
    char refs[64];
    struct core_problem p;
    if (ops_ext_groups(cli_ops(cli, site.id), argv[1], refs, sizeof refs, &p))
        return one_problem(cli, &p);
    if (!refs[0] && !cli->json)
        fprintf(stderr, _("%s: extension %s is in no group\n"), cli->prog, argv[1]);
    /* One line per group, for scripts: KIND NUMBER [representative]. */
    struct store_ext e;
    store_ext_find(cli->st, site.id, argv[1], &e);
    struct cli_json j = {.out = stdout};
    if (cli->json)
        cli_json_open(&j, NULL, '[');
    int rc = store_ext_group_each(cli->st, e.id, print_ref, cli->json ? &j : NULL);
    if (cli->json)
        cli_json_close(&j, ']');
    return rc ? CLI_REFUSED : CLI_OK;
}
