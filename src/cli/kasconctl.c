/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl's entry point: the table of verbs (noun, verb, arguments,
 * options, help), the global options, usage and per-verb help, the
 * argument checks, opening the database, and the call of the cli_*.c
 * function that carries out the verb. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/owner.h"
#include "i18n.h"

static const struct cli_verb verbs[] = {
    {"init", NULL, "", N_("create the database (or migrate it) and exit"), 0, 0, cli_init},
    {"site", "add",
     "DOMAIN --capacity N [--site-number N] [--gw-id N] [--park-code C] [--pickup-code C]"
     " [--group-pickup-code C]",
     N_("create a site"), 1, 1, cli_site_add},
    {"site", "set", "DOMAIN KEY=VALUE...",
     N_("change site settings: capacity, site-number, gw-id, park-code, pickup-code,"
        " group-pickup-code, restrict-admin, restrict-user, trusted-networks, auto-unlock,"
        " password-max-age"),
     2, -1, cli_site_set},
    {"site", "list", "[--json]", N_("list the sites"), 0, 0, cli_site_list},
    {"admin", "add", "DOMAIN USER", N_("create an administrator (password from stdin)"), 2, 2,
     cli_admin_add},
    {"admin", "reset", "DOMAIN USER",
     N_("set a new password (from stdin) that must be changed at next login, and unlock"), 2, 2,
     cli_admin_reset},
    {"admin", "unlock", "DOMAIN USER", N_("unlock an administrator"), 2, 2, cli_admin_unlock},
    {"admin", "key",
     "add DOMAIN USER < KEY.pub | list DOMAIN USER [--json] | remove DOMAIN USER ID",
     N_("manage an administrator's SSH public keys (a key never bypasses a lock)"), 3, 4,
     cli_admin_key},
    {"admin", "encoding", "DOMAIN USER [auto|utf-8|euc-jp|cp932]",
     N_("show or set the encoding of the administrator's terminal for kascond (cp932: Shift_JIS"
        " terminals such as Tera Term's and PuTTY's SJIS; auto: the client's LANG, else UTF-8)"),
     2, 3, cli_terminal_encoding},
    {"user", "encoding", "DOMAIN WEB-USER [auto|utf-8|euc-jp|cp932]",
     N_("show or set the encoding of an extension user's terminal for kascond, as admin"
        " encoding does"),
     2, 3, cli_terminal_encoding},
    {"line", "add", "DOMAIN MOBILE...", N_("provision mobile numbers for a site"), 2, -1,
     cli_line_add},
    {"line", "list", "DOMAIN [--unassigned] [--json]", N_("list provisioned mobile numbers"), 1, 1,
     cli_line_list},
    {"secret", "reset", "DOMAIN", N_("clear the site's call-history secret question"), 1, 1,
     cli_secret_reset},
    {"cdr", "load", "DOMAIN FILE [--format native|asterisk]",
     N_("load call records (all or nothing) from the native 12-column CSV or Asterisk's "
        "Master.csv"),
     2, 2, cli_cdr_load},
    {"cdr", "demo", "DOMAIN [--days N] [--per-day N] [--seed N]",
     N_("generate demo call records for the last N days (92 by default)"), 1, 1, cli_cdr_demo},
    {"cdr", "list", "DOMAIN [--json]", N_("list the call history files: day, part, records"), 1, 1,
     cli_cdr_list},
    {"cdr", "export", "DOMAIN DAY [--part N] [--encoding cp932|utf-8] [-o|--output FILE]",
     N_("write a day's call records as the native CSV (CP932 unless told otherwise)"), 2, -1,
     cli_cdr_export},
    {"cdr", "show",
     "DOMAIN DAY [--part N] [--limit N] [--after SEQ|--before SEQ] [--from TIME]"
     " [--to TIME] [--number N] [--completed 0|1] [--cause N] [--json]",
     N_("show one page of a call history file, with filters"), 2, 2, cli_cdr_show},
    {"cdr", "purge", "[DOMAIN]", N_("delete call history files older than 92 days"), 0, 1,
     cli_cdr_purge},
    {"pickup", "add", "DOMAIN N", N_("create a pickup group (number 1 to 99999)"), 2, 2,
     cli_pickup_add},
    {"pickup", "delete", "DOMAIN N", N_("delete a pickup group"), 2, 2, cli_group_delete},
    {"pickup", "list", "DOMAIN [--number N] [--ext EXT] [--after N] [--limit N] [--json]",
     N_("list pickup groups: number, member count"), 1, 1, cli_group_list},
    {"pickup", "show", "DOMAIN N [--json]", N_("show a pickup group and its members"), 2, 2,
     cli_group_show},
    {"pickup", "member", "add|remove DOMAIN N EXT...",
     N_("add or remove member extensions of a pickup group (all or nothing)"), 4, -1,
     cli_group_member},
    {"hunt", "add", "DOMAIN N --type round-robin|pilot --rep EXT",
     N_("create a call hunting group with its representative extension"), 2, 2, cli_hunt_add},
    {"hunt", "set", "DOMAIN N [--type round-robin|pilot] [--rep EXT]",
     N_("change a call hunting group's type or representative extension"), 2, 2, cli_hunt_set},
    {"hunt", "delete", "DOMAIN N", N_("delete a call hunting group"), 2, 2, cli_group_delete},
    {"hunt", "list", "DOMAIN [--number N] [--ext EXT] [--after N] [--limit N] [--json]",
     N_("list call hunting groups: number, type, representative, member count"), 1, 1,
     cli_group_list},
    {"hunt", "show", "DOMAIN N [--json]", N_("show a call hunting group and its members in order"),
     2, 2, cli_group_show},
    {"hunt", "member", "add|remove DOMAIN N EXT...",
     N_("add or remove member extensions of a call hunting group (all or nothing)"), 4, -1,
     cli_group_member},
    {"hunt", "order", "DOMAIN N EXT...",
     N_("set the order of a pilot group's members (every member once)"), 3, -1, cli_hunt_order},
    {"ext", "groups", "DOMAIN EXT [--json]",
     N_("where an extension is used: its pickup groups and call hunting group"), 2, 2,
     cli_ext_groups},
    {"ext", "import", "DOMAIN FILE [--dry-run] [--quiet]",
     N_("bulk register extensions from a CSV file (10 or 2 columns; FILE - for stdin)"), 2, 2,
     cli_ext_import},
    {"ext", "delete", "DOMAIN FILE [--dry-run] [--quiet]",
     N_("bulk delete extensions listed in a CSV file (3 columns, or an export)"), 2, 2,
     cli_ext_delete},
    {"ext", "export", "DOMAIN [--encoding cp932|utf-8] [-o|--output FILE]",
     N_("write every extension in the 10-column register format (CP932 by default)"), 1, -1,
     cli_ext_export},
    {"ext", "list", "DOMAIN [--json]", N_("list the extension profiles"), 1, 1, cli_ext_list},
    {"ext", "set", "DOMAIN EXT sip-password | sip-id ID",
     N_("change an extension's SIP password (read from stdin) or SIP ID"), 3, 4, cli_ext_set},
    {"code", "show", "DOMAIN [--json]",
     N_("show the administrator's feature codes: hold code, dial-confirm code, DTMF settings"), 1,
     1, cli_code_show},
    {"code", "set", "DOMAIN hold|dial-confirm|dtmf-send CODE | hold-disconnect|dtmf-erase on|off",
     N_("set a feature code (an empty CODE deletes the hold or DTMF-send code) or an option,"
        " checked against the numbering plan"),
     3, 3, cli_code_set},
    {"fwd", "show", "DOMAIN EXT [--json]",
     N_("show an extension's forwarding: unconditional, busy, no-answer (with its delay),"
        " out-of-coverage, voicemail"),
     2, 2, cli_fwd_show},
    {"fwd", "set", "DOMAIN EXT unconditional|busy|no-answer|out-of-coverage NUMBER [--delay N]",
     N_("forward an extension's calls to NUMBER (no-answer after N seconds, 5 to 60, default 15)"),
     4, 4, cli_fwd_set},
    {"fwd", "clear", "DOMAIN EXT unconditional|busy|no-answer|out-of-coverage",
     N_("turn one kind of forwarding off"), 3, 3, cli_fwd_clear},
    {"fwd", "voicemail", "DOMAIN EXT on|off", N_("turn an extension's voicemail on or off"), 3, 3,
     cli_fwd_voicemail},
    {"transfer", NULL, "DOMAIN EXT MOBILE|EXT2 [--forwarding keep|clear] [--dry-run]",
     N_("hand extension EXT to the person using MOBILE (or extension EXT2, whose profile is then"
        " deleted), in one step; prints what changes"),
     3, 3, cli_transfer},
    {"exchange", NULL, "DOMAIN EXT1 EXT2 [--forwarding keep|clear] [--dry-run]",
     N_("swap the mobiles of two extensions in one step; prints what changes"), 3, 3, cli_exchange},
    {"registrar", "status", "",
     N_("the SIP registrar (Kamailio): whether it is reachable, how many changes wait for it"
        " and why; exit status 1 when any wait"),
     0, 0, cli_registrar_status},
    {"registrar", "sync", "[DOMAIN] [--dry-run]",
     N_("apply the waiting changes to the SIP registrar and compare every row of the site"
        " (or of every site), repairing rows changed behind kascon's back; prints each change"),
     0, 1, cli_registrar_sync},
    {"backup", NULL, "FILE",
     N_("copy the database into a new FILE, consistent while kascond and consoles write"), 1, 1,
     cli_backup},
    {"migrate", NULL, "--from DATABASE --to DATABASE [--replace]",
     N_("copy every table of one database into another (an SQLite file or a postgresql:// URI),"
        " all or nothing, verified by row counts and a checksum per table; a destination holding"
        " data is refused unless --replace"),
     0, 0, cli_migrate},
    {"audit", "purge", "[--before DATE]",
     N_("delete audit entries older than DATE (YYYY-MM-DD), or than the retention; audited"), 0, 0,
     cli_audit_purge},
    {"audit", "retention", "[DAYS|off]",
     N_("show or set how many days audit entries are kept (off: until purged by hand)"), 0, 1,
     cli_audit_retention},
    {"demo", NULL, "[--domain DOMAIN]",
     N_("create a demo site and print its administrator password"), 0, 0, cli_demo},
};

#define VERB_COUNT (sizeof verbs / sizeof verbs[0])

static void usage(FILE *out, const char *prog)
{
    fprintf(out, _("Usage: %s [--db PATH] COMMAND [ARGS]\n"), prog);
    fputs(_("The operator's command line of kascon.\n\nCommands:\n"), out);
    for (size_t i = 0; i < VERB_COUNT; i++) {
        char head[64];
        snprintf(head, sizeof head, "%s%s%s", verbs[i].noun, verbs[i].verb ? " " : "",
                 verbs[i].verb ? verbs[i].verb : "");
        fprintf(out, "  %s %s\n      %s\n", head, verbs[i].args, _(verbs[i].help));
    }
    fputs(_("\nOptions:\n"), out);
    char path[4096];
    if (getenv("KASCON_DB") && *getenv("KASCON_DB"))
        fprintf(out, _("  --db PATH   database file (default: %s, from $KASCON_DB)\n"),
                store_target_shown(getenv("KASCON_DB"), path, sizeof path));
    else if (store_default_path(path, sizeof path) == 0)
        fprintf(out, _("  --db PATH   database file (default: %s, or $KASCON_DB)\n"), path);
    else
        fputs(_("  --db PATH   database file (no default: set $KASCON_DB or $HOME)\n"), out);
    fputs(_("  --registrar PATH|postgresql://...\n"
            "              the Kamailio database kept in step (default: $KASCON_REGISTRAR)\n"
            "  --registrar-plaintext\n"
            "              also write subscriber.password (Kamailio's calculate_ha1)\n"),
          out);
    fputs(_("  --help      show this help\n  --version   show the version\n\n"
            "Exit status: 0 done, 1 input refused, 2 usage error.\n"),
          out);
}

int cli_init(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf(_("database ready (schema version %d)\n"), store_schema_version(cli->st));
    return CLI_OK;
}

/* Creates the directory that will hold the default database. */
static void make_parent(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return;
        *p = '/';
    }
}

static void verb_name(const struct cli_verb *v, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s", v->noun, v->verb ? " " : "", v->verb ? v->verb : "");
}

static void verb_help(FILE *out, const char *prog, const struct cli_verb *v)
{
    char name[64];
    verb_name(v, name, sizeof name);
    fprintf(out, _("Usage: %s %s %s\n"), prog, name, v->args);
    fprintf(out, "  %s\n", _(v->help));
}

/* Every verb of a noun ("kasconctl site --help"); false if there is none. */
static bool noun_help(FILE *out, const char *prog, const char *noun)
{
    bool any = false;
    for (size_t i = 0; i < VERB_COUNT; i++)
        if (!strcmp(verbs[i].noun, noun)) {
            verb_help(out, prog, &verbs[i]);
            any = true;
        }
    return any;
}

/* Looks the option opt (its name ends at '=' or at the end) up in the
 * verb's usage text, which is the one list of the options a verb takes:
 * "[--dry-run]" is a flag, "--capacity N" and "[-o|--output FILE]" take a
 * value.  Returns false if the verb has no such option. */
static bool verb_option(const struct cli_verb *v, const char *opt, bool *takes_value)
{
    size_t n = strcspn(opt, "=");
    const char *u = v->args;
    for (size_t i = 0; u[i]; i++) {
        if (u[i] != '-' || (i > 0 && !strchr(" [|", u[i - 1])))
            continue;
        size_t len = strspn(u + i, "-abcdefghijklmnopqrstuvwxyz0123456789");
        if (len == n && !strncmp(u + i, opt, n)) {
            const char *q = u + i + len;
            while (q[0] == '|' && q[1] == '-')
                q += 1 + strspn(q + 1, "-abcdefghijklmnopqrstuvwxyz0123456789");
            *takes_value = q[0] == ' ' && q[1] && !strchr("[|<-", q[1]);
            return true;
        }
        i += len ? len - 1 : 0;
    }
    return false;
}

static const struct cli_verb *find_verb(int argc, char **argv, int *consumed)
{
    for (size_t i = 0; i < VERB_COUNT; i++) {
        if (strcmp(argv[0], verbs[i].noun))
            continue;
        if (!verbs[i].verb) {
            *consumed = 1;
            return &verbs[i];
        }
        if (argc > 1 && !strcmp(argv[1], verbs[i].verb)) {
            *consumed = 2;
            return &verbs[i];
        }
    }
    return NULL;
}

/* Checks the verb's arguments against its usage before anything runs:
 * every option is one the verb takes (by name, else a usage error naming
 * it), values are present, --json and --quiet are taken out into *cli.
 * Returns -1 to go on, or the exit status. */
static int check_args(struct cli *cli, const struct cli_verb *v, int *nargs, char **args)
{
    char name[64];
    verb_name(v, name, sizeof name);
    int positional = 0, kept = 0;
    for (int k = 0; k < *nargs; k++) {
        const char *a = args[k];
        if (a[0] != '-' || !a[1]) {
            positional++;
            args[kept++] = args[k];
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            verb_help(stdout, cli->prog, v);
            return CLI_OK;
        }
        bool value = false;
        if (!verb_option(v, a, &value)) {
            fprintf(stderr, _("%s: unknown option %s for \"%s\"\n"), cli->prog, a, name);
            fprintf(stderr, _("Usage: %s %s %s\n"), cli->prog, name, v->args);
            return CLI_USAGE;
        }
        bool has_eq = strchr(a, '=') != NULL;
        if (!value && has_eq) {
            fprintf(stderr, _("%s: option %.*s takes no value\n"), cli->prog, (int)strcspn(a, "="),
                    a);
            return CLI_USAGE;
        }
        if (value && !has_eq && k + 1 >= *nargs) {
            fprintf(stderr, _("%s: option %s needs a value\n"), cli->prog, a);
            return CLI_USAGE;
        }
        if (!strcmp(a, "--json")) {
            cli->json = true;
            continue;
        }
        if (!strcmp(a, "--quiet")) {
            cli->quiet = true;
            continue;
        }
        args[kept++] = args[k];
        if (value && !has_eq)
            args[kept++] = args[++k];
    }
    if (kept < *nargs)
        args[kept] = NULL;
    *nargs = kept;
    if (positional < v->min_args || (v->max_args >= 0 && positional > v->max_args)) {
        fprintf(stderr, _("Usage: %s %s %s\n"), cli->prog, name, v->args);
        return CLI_USAGE;
    }
    return -1;
}

/* Only these verbs create a database; the others want an existing one,
 * so that a mistyped --db is an error, not a new empty database. */
static bool creates_database(const struct cli_verb *v)
{
    return !strcmp(v->noun, "init") || !strcmp(v->noun, "demo");
}

int main(int argc, char **argv)
{
    /* Exports, call-history files and the database hold SIP passwords and
     * personal data: private whatever the caller's umask. */
    umask(077);
    kascon_i18n_init();
    struct cli cli = {.prog = "kasconctl", .actor = {"operator", "cli"}};
    const char *db = NULL;
    ops_registrar_config_from_env(&cli.registrar);
    const char *registrar = NULL;
    bool plaintext = cli.registrar.plaintext;
    bool json = false, quiet = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout, cli.prog);
            return CLI_OK;
        } else if (!strcmp(argv[i], "--version")) {
            printf("kasconctl (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
            return CLI_OK;
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db = argv[++i];
        } else if (!strncmp(argv[i], "--db=", 5)) {
            db = argv[i] + 5;
        } else if (!strcmp(argv[i], "--registrar") && i + 1 < argc) {
            registrar = argv[++i];
        } else if (!strncmp(argv[i], "--registrar=", 12)) {
            registrar = argv[i] + 12;
        } else if (!strcmp(argv[i], "--registrar-plaintext")) {
            plaintext = true;
        } else if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
            quiet = true;
        } else {
            fprintf(stderr, _("%s: unknown option %s\n"), cli.prog, argv[i]);
            usage(stderr, cli.prog);
            return CLI_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr, cli.prog);
        return CLI_USAGE;
    }
    bool asked_help = false;
    if (!strcmp(argv[i], "help")) {
        if (i + 1 >= argc) {
            usage(stdout, cli.prog);
            return CLI_OK;
        }
        asked_help = true;
        i++;
    }
    int consumed = 0;
    const struct cli_verb *v = find_verb(argc - i, argv + i, &consumed);
    if (!v) {
        /* "kasconctl site --help", "kasconctl help site": the noun's verbs. */
        bool help = asked_help || (i + 1 < argc &&
                                   (!strcmp(argv[i + 1], "--help") || !strcmp(argv[i + 1], "-h")));
        if (help && noun_help(stdout, cli.prog, argv[i]))
            return CLI_OK;
        if (i + 1 < argc && noun_help(stderr, cli.prog, argv[i])) {
            fprintf(stderr, _("%s: unknown command: %s %s\n"), cli.prog, argv[i], argv[i + 1]);
            return CLI_USAGE;
        }
        if (noun_help(stderr, cli.prog, argv[i])) {
            fprintf(stderr, _("%s: %s needs a command\n"), cli.prog, argv[i]);
            return CLI_USAGE;
        }
        fprintf(stderr, _("%s: unknown command: %s\n"), cli.prog, argv[i]);
        usage(stderr, cli.prog);
        return CLI_USAGE;
    }
    if (asked_help) {
        verb_help(stdout, cli.prog, v);
        return CLI_OK;
    }
    char **args = argv + i + consumed;
    int nargs = argc - i - consumed;
    bool unused;
    const char *global = json && !verb_option(v, "--json", &unused)     ? "--json"
                         : quiet && !verb_option(v, "--quiet", &unused) ? "--quiet"
                                                                        : NULL;
    if (global) {
        char name[64];
        verb_name(v, name, sizeof name);
        fprintf(stderr, _("%s: unknown option %s for \"%s\"\n"), cli.prog, global, name);
        return CLI_USAGE;
    }
    cli.json = json;
    cli.quiet = quiet;
    int rc = check_args(&cli, v, &nargs, args);
    if (rc >= 0)
        return rc;
    if (!strcmp(v->noun, "migrate"))
        return v->run(&cli, nargs, args);
    char path[4096];
    if (db)
        snprintf(path, sizeof path, "%s", db);
    else if (store_default_path(path, sizeof path)) {
        fprintf(stderr, _("%s: no database path: use --db PATH or set KASCON_DB\n"), cli.prog);
        return CLI_USAGE;
    } else if (creates_database(v) && !store_is_postgresql(path))
        make_parent(path);
    struct stat sb;
    if (!creates_database(v) && !store_is_postgresql(path) && stat(path, &sb) != 0) {
        fprintf(stderr, _("%s: no database %s: %s (\"%s init\" creates one)\n"), cli.prog, path,
                strerror(errno), cli.prog);
        return CLI_REFUSED;
    }
    if (cli_act_as_db_owner(cli.prog, path))
        return CLI_REFUSED;
    if (store_open(path, &cli.st)) {
        char shown[sizeof path];
        fprintf(stderr, _("%s: cannot open database %s: %s\n"), cli.prog,
                store_target_shown(path, shown, sizeof shown),
                cli.st ? store_errmsg(cli.st) : "out of memory");
        store_close(cli.st);
        return CLI_REFUSED;
    }
    if (registrar || plaintext != cli.registrar.plaintext)
        ops_registrar_config_set(&cli.registrar, registrar ? registrar : cli.registrar.url,
                                 plaintext);
    /* Every change this command commits is applied to the registrar
     * after its commit; the registrar verbs do it themselves. */
    bool registrar_verb = !strcmp(v->noun, "registrar");
    if (!registrar_verb)
        ops_registrar_attach(&(struct ops_ctx){.st = cli.st}, &cli.registrar);
    cli.target = path;
    rc = v->run(&cli, nargs, args);
    if (!registrar_verb && cli.registrar.url[0]) {
        char line[512];
        ops_registrar_status_line(&(struct ops_ctx){.st = cli.st}, line, sizeof line);
        if (line[0])
            fprintf(stderr, "%s: %s\n", cli.prog, line);
    }
    store_close(cli.st);
    return rc;
}
