/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kascon: the console on a local terminal. */
#include <config.h>

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "console/console.h"
#include "i18n.h"

static void usage(FILE *out)
{
    kascon_fprintf(out, "%s",
                   _("Usage: kascon [--db PATH] [--site DOMAIN] [--user NAME]\n"
                     "The administration console of kascon (mobile-extension PBX).\n\n"));
    char path[4096];
    if (getenv("KASCON_DB") && *getenv("KASCON_DB"))
        kascon_fprintf(out, _("  --db PATH        database file (default: %s, from $KASCON_DB)\n"),
                       getenv("KASCON_DB"));
    else if (store_default_path(path, sizeof path) == 0)
        kascon_fprintf(out, _("  --db PATH        database file (default: %s, or $KASCON_DB)\n"),
                       path);
    else
        kascon_fprintf(
            out, "%s",
            _("  --db PATH        database file (no default: set $KASCON_DB or $HOME)\n"));
    kascon_fprintf(out, "%s",
                   _("  --site DOMAIN    site domain name filled in on the login screen\n"
                     "  --user NAME      user name filled in on the login screen\n"
                     "  --registrar PATH|postgresql://...\n"
                     "                   the Kamailio database kept in step (default:\n"
                     "                   $KASCON_REGISTRAR)\n"
                     "  --help           show this help\n"
                     "  --version        show the version\n"));
    kascon_fprintf(out, "%s",
                   _("  --keep-language  Japanese also on the Linux text console, which has no"
                     " Japanese font\n                   (for fbterm or kmscon); English there"
                     " otherwise\n"));
}

int main(int argc, char **argv)
{
    umask(077); /* its exports hold SIP passwords: private whatever the umask */
    kascon_i18n_init();
    const char *db = NULL, *site = NULL, *user = NULL;
    bool keep_language = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            printf("kascon (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
            return 0;
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db = argv[++i];
        } else if (!strncmp(argv[i], "--db=", 5)) {
            db = argv[i] + 5;
        } else if (!strcmp(argv[i], "--site") && i + 1 < argc) {
            site = argv[++i];
        } else if (!strncmp(argv[i], "--site=", 7)) {
            site = argv[i] + 7;
        } else if (!strcmp(argv[i], "--keep-language")) {
            keep_language = true;
        } else if (!strcmp(argv[i], "--user") && i + 1 < argc) {
            user = argv[++i];
        } else if (!strncmp(argv[i], "--user=", 7)) {
            user = argv[i] + 7;
        } else if (!strcmp(argv[i], "--registrar") && i + 1 < argc) {
            /* The console reads it from the environment, as under kascond. */
            setenv("KASCON_REGISTRAR", argv[++i], 1);
        } else if (!strncmp(argv[i], "--registrar=", 12)) {
            setenv("KASCON_REGISTRAR", argv[i] + 12, 1);
        } else {
            usage(stderr);
            return 2;
        }
    }
    char path[4096];
    if (db)
        snprintf(path, sizeof path, "%s", db);
    else if (store_default_path(path, sizeof path)) {
        kascon_fprintf(stderr, "%s",
                       _("kascon: no database path: use --db PATH or set KASCON_DB\n"));
        return 2;
    }
    struct stat sb;
    if (!store_is_postgresql(path) && stat(path, &sb) != 0) {
        /* The console never creates a database: that is the operator's
         * `kasconctl init`, with sites and administrators to log in with. */
        kascon_fprintf(stderr, _("kascon: no database at %s (create one with kasconctl)\n"), path);
        return 1;
    }
    /* The Linux text console has no Japanese font: its Japanese would be
     * a screen of blocks.  English there, saying why; fbterm and kmscon
     * users, who have the fonts, keep their language with the option. */
    const char *notice = NULL;
    const char *term = getenv("TERM"), *messages = setlocale(LC_MESSAGES, NULL);
    const char *language = getenv("LANGUAGE");
    bool japanese =
        (messages && !strncmp(messages, "ja", 2)) || (language && !strncmp(language, "ja", 2));
    if (!keep_language && term && !strcmp(term, "linux") && japanese) {
        unsetenv("LANGUAGE");
        setlocale(LC_MESSAGES, "C");
        notice = _("The Linux console has no Japanese font: English is shown"
                   " (kascon --keep-language keeps Japanese).");
        kascon_fprintf(stderr, "kascon: %s\n", notice);
    }
    struct console_opts opts = {.db_path = path,
                                .notice = notice,
                                .source = "console",
                                .in = stdin,
                                .out = stdout,
                                .login_domain = site,
                                .login_user = user};
    return console_run(&opts);
}
