/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a child process of the session does before it runs the console
 * (channel.c) or a command (exec.c): every descriptor of the SSH session
 * closed, and the client's locale taken.  Calls nothing of the session's
 * other files. */
#include <config.h>

#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/terminal.h"
#include "i18n.h"
#include "ssh/session.h"

const char *const session_locale_vars[3] = {"LANG", "LC_ALL", "LC_MESSAGES"};

/* One system call where the kernel has it (Linux 5.9): the loop below is
 * as many calls as the descriptor limit allows, at every session start. */
void session_close_other_fds(void)
{
#ifdef HAVE_CLOSE_RANGE
    if (close_range(3, ~0U, 0) == 0)
        return;
#endif
    long max = sysconf(_SC_OPEN_MAX);
    for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 1024); fd++)
        close(fd);
}

/* In the console's process: the client's locale, and UTF-8 whatever it
 * asked for, since the console draws Japanese. */
void session_apply_locale(const struct session *s)
{
    if (s->term_enc == CORE_TERM_CP932 || s->term_enc == CORE_TERM_EUCJP) {
        /* A Japanese terminal of another codeset: the console in the
         * EUC-JP locale (or Japanese in UTF-8), converted by the relay. */
        for (int i = 0; i < 3; i++)
            unsetenv(session_locale_vars[i]);
        setenv("LANG", s->console_locale[0] ? s->console_locale : "ja_JP.UTF-8", 1);
        kascon_i18n_init();
        const char *codeset = nl_langinfo(CODESET);
        if (!s->console_locale[0] && (!codeset || strcmp(codeset, "UTF-8")))
            setlocale(LC_CTYPE, "C.UTF-8");
        return;
    }
    /* A client that names its locale gets exactly that: the server's own
     * LC_ALL must not override the client's LANG. */
    if (s->lang[0][0] || s->lang[1][0] || s->lang[2][0]) {
        for (int i = 0; i < 3; i++) {
            if (s->lang[i][0])
                setenv(session_locale_vars[i], s->lang[i], 1);
            else
                unsetenv(session_locale_vars[i]);
        }
    }
    kascon_i18n_init();
    const char *codeset = nl_langinfo(CODESET);
    if (!codeset || strcmp(codeset, "UTF-8"))
        setlocale(LC_CTYPE, "C.UTF-8");
}
