/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The console: what `kascon` runs on a local terminal and what `kascond`
 * runs in each SSH session's child process, on the session's pty. */
#ifndef KASCON_CONSOLE_H
#define KASCON_CONSOLE_H

#include <stdbool.h>
#include <stdio.h>

#include "ops/ops.h"

struct console_opts {
    const char *db_path;
    /* "console" on a local terminal, the peer address over SSH: audit source. */
    const char *source;
    /* Already authenticated by the SSH server (domain and user), or NULL:
     * the console then shows its own login screen (§2.5). */
    const char *preauth_domain;
    const char *preauth_user;
    /* Filled in on the login screen, or NULL (kascon --site, --user): the
     * password is then the only thing to type. */
    const char *login_domain;
    const char *login_user;
    /* Seconds without a key before the session ends (0: never); a warning is
     * shown a minute before. */
    int idle_timeout;
    /* The terminal: stdin/stdout for kascon, the pty for kascond. */
    FILE *in, *out;
    const char *term; /* $TERM of the session, or NULL for the environment's */
    /* Set by kascond when the password has expired (doc/spec.md §3.6): the console
     * opens パスワード変更 before anything else. */
    bool must_change;
    /* The row-lock session id (store_lock_take) for this console, or NULL
     * for the console to make its own.  kascond passes one so that it can
     * release the session's leases when the connection ends. */
    const char *lock_session;
    /* Set by kascond: the root of the administrators' file areas
     * (io/area.h).  The console then reads CSV files from the
     * administrator's inbox/ and writes exports to outbox/, and shows the
     * scp command (public_host, public_port) that fetches them.  NULL on
     * a local terminal, where any path may be typed. */
    const char *files_root;
    const char *public_host;
    int public_port;
    /* A one-line note shown when the console opens (why it is in English
     * on the Linux text console), or NULL. */
    const char *notice;
};

/* Runs until the user quits (or the idle timeout).  Opens the database
 * itself: call it after fork, never with a connection inherited across it.
 * Returns 0, or 1 when the database cannot be opened. */
int console_run(const struct console_opts *opts);

#endif
