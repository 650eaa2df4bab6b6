/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The console's life: console_run opens the store and the terminal, starts
 * at the login screen (or, over SSH, in the session kascond authenticated),
 * renews the edit locks and watches the idle time once a second, and ends
 * the session on logout or exit. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "i18n.h"
#include "ops/registrar.h"
#include "screens/screens.h"

/* The registrar this console's changes reach ($KASCON_REGISTRAR, which
 * kascond sets from its own settings). */
static struct registrar_config registrar;

void scr_enter_session(void)
{
    struct scr_console *c = scr_console();
    c->logged_in = true;
    if (c->session.must_change)
        tui_reset_to(&scr_password_screen, NULL);
    else
        tui_reset_to(&scr_menu_screen,
                     (void *)(c->session.is_user ? &scr_user_main_menu : &scr_main_menu));
}

/* The audit row of a login judged on a read (ops_login_record), written
 * once its first screen is drawn and before any key is taken: the write
 * may wait for an import's apply phase, the screen does not.  If the row
 * cannot be written the login has not taken effect: the console says so
 * and returns to the login screen. */
static void record_login(void *ctx)
{
    (void)ctx;
    struct scr_console *c = scr_console();
    int rc = ops_login_record(scr_ops(), &c->session);
    if (!rc)
        return;
    syslog(LOG_AUTH | LOG_ERR, "Login of %s from console not recorded in the audit log: %s",
           c->session.admin.name, store_errmsg(c->st));
    struct core_problem p;
    core_problem_set(&p, rc, NULL);
    char problem[512], text[768];
    scr_format_problem(&p, problem, sizeof problem);
    snprintf(text, sizeof text,
             _("The login could not be written to the audit log, so it has not taken effect (%s)."
               " Log in again."),
             problem);
    tui_message(_("Log in"), text);
    scr_lock_release_all();
    c->logged_in = false;
    memset(&c->session, 0, sizeof c->session);
    tui_reset_to(&scr_login_screen, NULL);
}

void scr_login_recorded_later(void)
{
    tui_after_paint(record_login, NULL);
}

/* The end of a login: its locks go and, on a local terminal, the logout
 * is audited (over SSH the server audits the end of the connection).  A
 * login that ends before its first screen was drawn is recorded first. */
static void end_session(void)
{
    struct scr_console *c = scr_console();
    scr_lock_release_all();
    bool recorded = true;
    if (c->session.record_pending && ops_login_record(scr_ops(), &c->session)) {
        recorded = false;
        syslog(LOG_AUTH | LOG_ERR, "Login of %s from console not recorded in the audit log: %s",
               c->session.admin.name, store_errmsg(c->st));
    }
    if (c->logged_in && recorded && !c->opts->preauth_user)
        ops_logout(scr_ops(), NULL);
    c->logged_in = false;
}

void scr_logout(void)
{
    struct scr_console *c = scr_console();
    end_session();
    memset(&c->session, 0, sizeof c->session);
    if (c->opts->preauth_user) {
        /* Over SSH the server authenticated the session: logging out ends it. */
        tui_quit();
        return;
    }
    tui_reset_to(&scr_login_screen, NULL);
}

/* Once a second while no key comes: the idle timeout of the SSH server
 * (with a warning a minute before, so a working administrator is never
 * cut off mid-form without notice). */
static void idle_tick(void *ctx)
{
    struct scr_console *c = scr_console();
    (void)ctx;
    scr_lock_renew_all();
    /* Every few seconds: does anything wait for the registrar, and why. */
    static int ticks;
    if (registrar.url[0] && ticks++ % 5 == 0) {
        char line[512];
        ops_registrar_status_line(&(struct ops_ctx){.st = c->st}, line, sizeof line);
        tui_set_status(line);
    }
    int limit = c->opts->idle_timeout;
    if (limit <= 0)
        return;
    double idle = tui_idle_seconds();
    if (idle >= limit) {
        tui_quit();
    } else if (idle >= limit - 60 && !c->idle_warned) {
        c->idle_warned = true;
        tui_result_error(
            _("No key for a while: the session ends in one minute unless you press a key."));
    } else if (idle < limit - 60) {
        c->idle_warned = false;
    }
}

int console_run(const struct console_opts *opts)
{
    struct scr_console *c = scr_console();
    memset(c, 0, sizeof *c);
    c->opts = opts;
    if (store_open(opts->db_path, &c->st)) {
        kascon_fprintf(stderr, _("kascon: cannot open database %s: %s\n"), opts->db_path,
                       c->st ? store_errmsg(c->st) : "");
        store_close(c->st);
        return 1;
    }
    ops_registrar_config_from_env(&registrar);
    ops_registrar_attach(&(struct ops_ctx){.st = c->st}, &registrar);
    const char *term = getenv("TERM");
    switch (tui_terminal_check(fileno(stdout))) {
    case TUI_TERM_UNKNOWN:
        kascon_fprintf(stderr,
                       _("kascon: unknown terminal type \"%s\": set TERM to your terminal's"
                         " type, for example TERM=xterm-256color\n"),
                       term ? term : "");
        store_close(c->st);
        return 1;
    case TUI_TERM_DUMB:
        kascon_fprintf(stderr,
                       _("kascon: the terminal \"%s\" cannot move its cursor, which the"
                         " console's screens need: use a terminal emulator (xterm, PuTTY,"
                         " Tera Term) or kasconctl\n"),
                       term ? term : "");
        store_close(c->st);
        return 1;
    default:
        break;
    }
    if (tui_init()) {
        kascon_fprintf(stderr, "%s", _("kascon: this terminal cannot run the console\n"));
        store_close(c->st);
        return 1;
    }
    int rc = 0;
    /* kascond names the session so that it can drop the locks of a session
     * that died; a local console makes its own id. */
    if (opts->lock_session && *opts->lock_session)
        snprintf(c->lock_session, sizeof c->lock_session, "%s", opts->lock_session);
    else
        snprintf(c->lock_session, sizeof c->lock_session, "console-%ld-%lld", (long)getpid(),
                 (long long)store_now());
    tui_set_idle(1000, idle_tick, NULL);
    if (opts->preauth_user) {
        if (ops_session_load(scr_ops(), opts->preauth_domain, opts->preauth_user, opts->source,
                             &c->session) == CORE_OK) {
            if (opts->must_change)
                c->session.must_change = true;
            scr_enter_session();
        } else {
            rc = 1;
        }
    } else {
        tui_push(&scr_login_screen, NULL);
    }
    if (opts->notice)
        tui_result_error(opts->notice);
    if (!rc)
        tui_run();
    tui_shutdown();
    end_session();
    if (c->area_open)
        io_area_close(&c->area);
    store_close(c->st);
    return rc;
}
