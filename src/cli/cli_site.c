/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl's site, admin, line and secret verbs: sites and their
 * settings, administrators (add, password reset, unlock, SSH keys), the
 * mobile numbers provisioned for a site, and the reset of the call-history
 * secret.  Arguments are read here; every write goes through ops. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/pubkey.h"
#include "i18n.h"

const char *cli_option_value(int argc, char **argv, int *k, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*k], name, n))
        return NULL;
    if (argv[*k][n] == '=' && name[1] == '-') /* "=" for long options only */
        return argv[*k] + n + 1;
    if (argv[*k][n] == '\0' && *k + 1 < argc)
        return argv[++*k];
    return NULL;
}

int cli_site_add(struct cli *cli, int argc, char **argv)
{
    struct ops_site_input in = {0};
    for (int k = 0; k < argc; k++) {
        const char *v;
        if (argv[k][0] != '-')
            in.domain = argv[k];
        else if ((v = cli_option_value(argc, argv, &k, "--capacity")))
            in.capacity = v;
        else if ((v = cli_option_value(argc, argv, &k, "--site-number")))
            in.site_number = v;
        else if ((v = cli_option_value(argc, argv, &k, "--gw-id")))
            in.gw_id = v;
        else if ((v = cli_option_value(argc, argv, &k, "--park-code")))
            in.park_code = v;
        else if ((v = cli_option_value(argc, argv, &k, "--pickup-code")))
            in.pickup_code = v;
        else if ((v = cli_option_value(argc, argv, &k, "--group-pickup-code")))
            in.group_pickup_code = v;
        else
            return cli_unknown_option(cli, argv[k]);
    }
    if (!in.capacity) {
        fprintf(stderr, _("%s: site add needs --capacity N\n"), cli->prog);
        return CLI_USAGE;
    }
    struct core_problems problems;
    core_problems_init(&problems);
    int64_t id = 0;
    ops_site_add(cli_ops(cli, 0), &in, &problems, &id);
    int rc = cli_report(cli, &problems);
    if (rc == CLI_OK)
        printf(_("site %s created\n"), in.domain);
    return rc;
}

int cli_site_set(struct cli *cli, int argc, char **argv)
{
    struct store_site site;
    int rc = cli_site(cli, argv[0], &site);
    if (rc)
        return rc;
    struct core_problems problems;
    core_problems_init(&problems);
    ops_site_set(cli_ops(cli, 0), site.domain, argv + 1, argc - 1, &problems);
    for (size_t i = 0; i < problems.count; i++) {
        struct core_problem *p = &problems.items[i];
        if (p->field >= 0 && p->code != E_PREFIX_COLLISION && !p->other[0])
            snprintf(p->value, sizeof p->value, "%s", argv[1 + p->field]);
    }
    rc = cli_report(cli, &problems);
    if (rc == CLI_OK)
        printf(_("site %s updated\n"), site.domain);
    return rc;
}

struct site_print {
    struct store *st;
    struct cli_json *json;
};

static void json_site(struct cli_json *j, const struct store_site *s, int exts, int lines)
{
    cli_json_open(j, NULL, '{');
    cli_json_str(j, "domain", s->domain);
    cli_json_int(j, "capacity", s->capacity);
    cli_json_int(j, "extensions", exts);
    cli_json_int(j, "lines", lines);
    cli_json_str(j, "site-number", s->site_number);
    cli_json_str(j, "gw-id", s->gw_id);
    cli_json_str(j, "park-code", s->park_code);
    cli_json_str(j, "pickup-code", s->pickup_code);
    cli_json_str(j, "group-pickup-code", s->group_pickup_code);
    cli_json_bool(j, "restrict-admin", s->restrict_admin);
    cli_json_bool(j, "restrict-user", s->restrict_user);
    cli_json_str(j, "trusted-networks", s->trusted_networks);
    cli_json_bool(j, "auto-unlock", s->auto_unlock);
    cli_json_int(j, "password-max-age", s->password_max_age_days);
    cli_json_close(j, '}');
}

static int print_site(const struct store_site *s, void *ctx)
{
    struct site_print *sp = ctx;
    struct store *st = sp->st;
    int exts = 0, lines = 0;
    store_ext_count(st, s->id, &exts);
    store_line_count(st, s->id, false, &lines);
    if (sp->json) {
        json_site(sp->json, s, exts, lines);
        return 0;
    }
    printf("%s\tcapacity=%ld\textensions=%d\tlines=%d\tsite-number=%s\tgw-id=%s\tpark-code=%s"
           "\tpickup-code=%s\tgroup-pickup-code=%s\trestrict-admin=%s\trestrict-user=%s"
           "\ttrusted-networks=%s\tauto-unlock=%s\n",
           s->domain, s->capacity, exts, lines, s->site_number, s->gw_id, s->park_code,
           s->pickup_code, s->group_pickup_code, s->restrict_admin ? "on" : "off",
           s->restrict_user ? "on" : "off", s->trusted_networks, s->auto_unlock ? "on" : "off");
    return 0;
}

int cli_site_list(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct cli_json j = {.out = stdout};
    struct site_print sp = {cli->st, cli->json ? &j : NULL};
    if (sp.json)
        cli_json_open(sp.json, NULL, '[');
    int rc = store_site_each(cli->st, print_site, &sp);
    if (sp.json)
        cli_json_close(sp.json, ']');
    if (rc) {
        struct core_problem p;
        core_problem_set(&p, rc, NULL);
        cli_problem(cli, &p);
        return CLI_REFUSED;
    }
    return CLI_OK;
}

typedef int (*admin_password_op)(const struct ops_ctx *, const struct ops_admin_ref *, const char *,
                                 struct core_problem *);

static int admin_with_password(struct cli *cli, char **argv, admin_password_op op)
{
    char password[256];
    if (cli_read_secret(_("Password: "), password, sizeof password)) {
        fprintf(stderr, _("%s: no password on standard input\n"), cli->prog);
        return CLI_USAGE;
    }
    struct core_problem p;
    int rc = op(cli_ops(cli, 0), &(struct ops_admin_ref){argv[0], argv[1]}, password, &p);
    memset(password, 0, sizeof password);
    if (rc) {
        cli_problem(cli, &p);
        return CLI_REFUSED;
    }
    return CLI_OK;
}

int cli_admin_add(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    int rc = admin_with_password(cli, argv, ops_admin_add);
    if (rc == CLI_OK)
        printf(_("administrator %s of %s created\n"), argv[1], argv[0]);
    return rc;
}

int cli_admin_reset(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    int rc = admin_with_password(cli, argv, ops_admin_reset);
    if (rc == CLI_OK)
        printf(_("administrator %s of %s: password reset; it must be changed at next login\n"),
               argv[1], argv[0]);
    return rc;
}

int cli_admin_unlock(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    struct core_problem p;
    if (ops_admin_unlock(cli_ops(cli, 0), &(struct ops_admin_ref){argv[0], argv[1]}, &p)) {
        cli_problem(cli, &p);
        return CLI_REFUSED;
    }
    printf(_("administrator %s of %s unlocked\n"), argv[1], argv[0]);
    return CLI_OK;
}

int cli_line_add(struct cli *cli, int argc, char **argv)
{
    struct store_site site;
    int rc = cli_site(cli, argv[0], &site);
    if (rc)
        return rc;
    struct core_problems problems;
    core_problems_init(&problems);
    ops_line_add(cli_ops(cli, 0), site.domain, argv + 1, argc - 1, &problems);
    rc = cli_report(cli, &problems);
    if (rc == CLI_OK)
        printf(ngettext("%d mobile number provisioned for %s\n",
                        "%d mobile numbers provisioned for %s\n", (unsigned long)(argc - 1)),
               argc - 1, site.domain);
    return rc;
}

struct line_print {
    char last[CORE_MOBILE_LEN + 1];
    int rows;
    struct cli_json *json;
};

static int print_line(const struct store_line *line, void *ctx)
{
    struct line_print *lp = ctx;
    if (lp->json) {
        cli_json_open(lp->json, NULL, '{');
        cli_json_str(lp->json, "mobile", line->mobile);
        if (line->extension[0])
            cli_json_str(lp->json, "extension", line->extension);
        else
            cli_json_null(lp->json, "extension");
        cli_json_close(lp->json, '}');
    } else
        printf("%s\t%s\n", line->mobile, line->extension[0] ? line->extension : "-");
    snprintf(lp->last, sizeof lp->last, "%s", line->mobile);
    lp->rows++;
    return 0;
}

int cli_line_list(struct cli *cli, int argc, char **argv)
{
    const char *domain = NULL;
    bool unassigned = false;
    for (int k = 0; k < argc; k++) {
        if (!strcmp(argv[k], "--unassigned"))
            unassigned = true;
        else if (argv[k][0] == '-')
            return cli_unknown_option(cli, argv[k]);
        else
            domain = argv[k];
    }
    struct store_site site;
    int rc = cli_site(cli, domain, &site);
    if (rc)
        return rc;
    /* Page through with the keyset so that memory stays flat. */
    struct cli_json j = {.out = stdout};
    struct line_print lp = {"", 0, cli->json ? &j : NULL};
    if (lp.json)
        cli_json_open(lp.json, NULL, '[');
    do {
        lp.rows = 0;
        rc = store_line_page(cli->st, site.id, unassigned, lp.last, false, 1000, print_line, &lp);
    } while (!rc && lp.rows == 1000);
    if (lp.json)
        cli_json_close(lp.json, ']');
    if (rc) {
        struct core_problem p;
        core_problem_set(&p, rc, NULL);
        cli_problem(cli, &p);
        return CLI_REFUSED;
    }
    return CLI_OK;
}

int cli_secret_reset(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    struct store_site site;
    int rc = cli_site(cli, argv[0], &site);
    if (rc)
        return rc;
    struct core_problem p;
    if (ops_secret_reset(cli_ops(cli, site.id), &p)) {
        cli_problem(cli, &p);
        return CLI_REFUSED;
    }
    printf(_("secret question of %s cleared\n"), site.domain);
    return CLI_OK;
}

static int print_key(const struct store_admin_key *key, void *ctx)
{
    struct cli_json *j = ctx;
    int bits = 0;
    char fp[CORE_PUBKEY_FP_MAX] = "?";
    const char *label = "?";
    core_pubkey_fingerprint(key->key, &bits, fp, sizeof fp, &label);
    if (j) {
        cli_json_open(j, NULL, '{');
        cli_json_int(j, "id", key->id);
        cli_json_int(j, "bits", bits);
        cli_json_str(j, "fingerprint", fp);
        cli_json_str(j, "type", label);
        cli_json_str(j, "comment", key->comment);
        cli_json_close(j, '}');
        return 0;
    }
    /* As `ssh-keygen -l` shows it, after the ID that "admin key remove" takes. */
    printf("%lld\t%d %s %s (%s)\n", (long long)key->id, bits, fp,
           key->comment[0] ? key->comment : "no comment", label);
    return 0;
}

int cli_admin_key(struct cli *cli, int argc, char **argv)
{
    struct core_problem p;
    const char *action = argv[0], *domain = argv[1], *name = argv[2];
    const struct ops_admin_ref admin = {domain, name};
    int rc;
    if (!strcmp(action, "add") && argc == 3) {
        char line[CORE_PUBKEY_MAX + 256];
        if (!fgets(line, sizeof line, stdin)) {
            fprintf(stderr, _("%s: no public key on standard input\n"), cli->prog);
            return CLI_USAGE;
        }
        if ((rc = ops_admin_key_add(cli_ops(cli, 0), &admin, line, &p)) == CORE_OK)
            printf(_("key added for administrator %s of %s\n"), name, domain);
    } else if (!strcmp(action, "list") && argc == 3) {
        struct cli_json j = {.out = stdout};
        if (cli->json)
            cli_json_open(&j, NULL, '[');
        rc = ops_admin_key_each(cli_ops(cli, 0), &admin, print_key, cli->json ? &j : NULL, &p);
        if (cli->json && !rc)
            cli_json_close(&j, ']');
    } else if (!strcmp(action, "remove") && argc == 4) {
        char *end = NULL;
        long long id = strtoll(argv[3], &end, 10);
        if (!*argv[3] || *end || id <= 0) {
            fprintf(stderr, _("%s: key ID must be a number shown by \"admin key list\"\n"),
                    cli->prog);
            return CLI_USAGE;
        }
        if ((rc = ops_admin_key_remove(cli_ops(cli, 0), &admin, id, &p)) == CORE_OK)
            printf(_("key %lld removed from administrator %s of %s\n"), id, name, domain);
    } else {
        fprintf(stderr,
                _("Usage: %s admin key add DOMAIN USER < KEY.pub | list DOMAIN USER |"
                  " remove DOMAIN USER ID\n"),
                cli->prog);
        return CLI_USAGE;
    }
    if (rc) {
        cli_problem(cli, &p);
        return CLI_REFUSED;
    }
    return CLI_OK;
}
