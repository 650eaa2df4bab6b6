/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The commands an administrator may run as `ssh -p PORT USER@SITE@HOST
 * COMMAND` (kascond's exec requests): a few of kasconctl's verbs, run by
 * the same functions, always on the administrator's own site.  The
 * command line is split at blanks here, never given to a shell. */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "i18n.h"

#define MAX_WORDS 8

struct remote_verb {
    const char *noun, *verb;
    const char *args; /* usage after "noun verb" */
    const char *help; /* msgid */
    /* The flags it takes; "--encoding" takes a value. */
    const char *flags[2];
    bool reads_stdin; /* the CSV comes on standard input ("FILE -") */
    int (*run)(struct cli *cli, int argc, char **argv);
};

static const struct remote_verb remote_verbs[] = {
    {"ext",
     "export",
     "[--encoding cp932|utf-8]",
     N_("write every extension in the 10-column register format (CP932 by default)"),
     {"--encoding", NULL},
     false,
     cli_ext_export},
    {"ext",
     "import",
     "[--dry-run] < FILE.csv",
     N_("bulk register extensions from the CSV on standard input (all or nothing)"),
     {"--dry-run", NULL},
     true,
     cli_ext_import},
    {"ext",
     "delete",
     "[--dry-run] < FILE.csv",
     N_("bulk delete the extensions listed in the CSV on standard input (all or nothing)"),
     {"--dry-run", NULL},
     true,
     cli_ext_delete},
    {"ext", "list", "", N_("list the extension profiles"), {NULL, NULL}, false, cli_ext_list},
    {"line",
     "list",
     "[--unassigned]",
     N_("list the mobile numbers provisioned for the site"),
     {"--unassigned", NULL},
     false,
     cli_line_list},
};

#define REMOTE_COUNT (sizeof remote_verbs / sizeof remote_verbs[0])

/* Splits at blanks into at most MAX_WORDS words; -1 if there are more or
 * a control character. */
static int split(char *line, char **words)
{
    int n = 0;
    for (char *p = line; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\t')
            return -1;
    for (char *w = strtok(line, " \t"); w; w = strtok(NULL, " \t")) {
        if (n == MAX_WORDS)
            return -1;
        words[n++] = w;
    }
    return n;
}

static const struct remote_verb *find(int n, char **words)
{
    if (n < 2)
        return NULL;
    for (size_t i = 0; i < REMOTE_COUNT; i++)
        if (!strcmp(words[0], remote_verbs[i].noun) && !strcmp(words[1], remote_verbs[i].verb))
            return &remote_verbs[i];
    return NULL;
}

static void list_verbs(FILE *out)
{
    fputs(_("Commands (for your own site):\n"), out);
    for (size_t i = 0; i < REMOTE_COUNT; i++)
        fprintf(out, "  %s %s %s\n      %s\n", remote_verbs[i].noun, remote_verbs[i].verb,
                remote_verbs[i].args, _(remote_verbs[i].help));
    fputs(_("Exit status: 0 done, 1 input refused, 2 usage error.\n"), out);
}

bool cli_remote_reads_stdin(const char *command)
{
    char line[1024], *words[MAX_WORDS];
    snprintf(line, sizeof line, "%s", command ? command : "");
    int n = split(line, words);
    const struct remote_verb *v = n > 0 ? find(n, words) : NULL;
    return v && v->reads_stdin;
}

int cli_remote_run(struct cli *cli, const char *domain, const char *command)
{
    char line[1024], *words[MAX_WORDS];
    if (!command || strlen(command) >= sizeof line) {
        fprintf(stderr, _("%s: command too long\n"), cli->prog);
        return CLI_USAGE;
    }
    snprintf(line, sizeof line, "%s", command);
    int n = split(line, words);
    if (n == 1 && (!strcmp(words[0], "help") || !strcmp(words[0], "--help"))) {
        list_verbs(stdout);
        return CLI_OK;
    }
    const struct remote_verb *v = n > 0 ? find(n, words) : NULL;
    if (!v) {
        fprintf(stderr, _("%s: unknown command: %s\n"), cli->prog,
                n > 0 ? command : _("(none: the console needs a terminal, ssh -t)"));
        list_verbs(stderr);
        return CLI_USAGE;
    }
    /* The verb's own argument vector: the site first, then "-" for
     * standard input, then the flags allowed here and nothing else. */
    char *args[MAX_WORDS + 2];
    int argc = 0;
    args[argc++] = (char *)domain;
    if (v->reads_stdin)
        args[argc++] = (char *)"-";
    for (int k = 2; k < n; k++) {
        bool allowed = false;
        for (int f = 0; f < 2 && v->flags[f]; f++)
            if (!strcmp(words[k], v->flags[f]))
                allowed = true;
        if (!allowed || (!strcmp(words[k], "--encoding") && k + 1 >= n)) {
            fprintf(stderr, _("Usage: %s %s %s\n"), v->noun, v->verb, v->args);
            return CLI_USAGE;
        }
        args[argc++] = words[k];
        if (!strcmp(words[k], "--encoding"))
            args[argc++] = words[++k];
    }
    int rc = v->run(cli, argc, args);
    if (rc == CLI_USAGE)
        fprintf(stderr, _("Usage: %s %s %s\n"), v->noun, v->verb, v->args);
    return rc;
}
