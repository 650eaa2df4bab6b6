#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "screens/screens.h"

static struct scr_console console;

struct scr_console *scr_console(void) { return &console; }

void scr_format_problem(const struct core_problem *p, char *buf, size_t n)
{
    char msg[512];
    core_problem_format(p, msg, sizeof msg);
    const char *hint = core_code_hint(p->code);
    if (hint)
        snprintf(buf, n, "%03d %s — %s", p->code, msg, _(hint));
    else
        snprintf(buf, n, "%03d %s", p->code, msg);
}

FILE *scr_open_output(struct tui_form *form, size_t field, const char *title)
{
    const char *path = tui_form_value(form, field);
    tui_form_clear_errors(form);
    if (!*path) {
        tui_form_set_error(form, field, _("Type the path of the file to write."));
        return NULL;
    }
    struct stat sb;
    if (stat(path, &sb) == 0) {
        char q[1200];
        snprintf(q, sizeof q, _("%s exists. Overwrite it?"), path);
        if (!tui_confirm(title, q))
            return NULL;
    }
    FILE *out = fopen(path, "wb");
    if (!out) {
        char text[1200];
        snprintf(text, sizeof text, _("Cannot write %s: %s"), path, strerror(errno));
        tui_form_set_error(form, field, text);
    }
    return out;
}

void scr_show_problem(struct tui_form *form, const int *field_map, int nmap,
                      const struct core_problem *problem)
{
    char text[768];
    scr_format_problem(problem, text, sizeof text);
    tui_result_error(text);
    if (form && problem->field >= 0 && problem->field < nmap && field_map[problem->field] >= 0) {
        char msg[512];
        core_problem_format(problem, msg, sizeof msg);
        tui_form_set_error(form, (size_t)field_map[problem->field], msg);
        tui_form_set_focus(form, (size_t)field_map[problem->field]);
    }
}

void scr_show_problems(struct tui_form *form, const int *field_map, int nmap,
                       const struct core_problems *problems)
{
    /* Every problem goes to its field; the result area names the first. */
    for (size_t i = problems->count; i-- > 0;)
        scr_show_problem(form, field_map, nmap, &problems->items[i]);
}

void scr_enter_session(void)
{
    console.logged_in = true;
    if (console.session.must_change)
        tui_reset_to(&scr_password_screen, NULL);
    else
        tui_reset_to(&scr_menu_screen, (void *)&scr_main_menu);
}

void scr_logout(void)
{
    scr_lock_release_all();
    console.logged_in = false;
    memset(&console.session, 0, sizeof console.session);
    if (console.opts->preauth_user) {
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
    (void)ctx;
    scr_lock_renew_all();
    int limit = console.opts->idle_timeout;
    if (limit <= 0)
        return;
    double idle = tui_idle_seconds();
    if (idle >= limit) {
        tui_quit();
    } else if (idle >= limit - 60 && !console.idle_warned) {
        console.idle_warned = true;
        tui_result_error(_("No key for a while: the session ends in one minute unless you press a key."));
    } else if (idle < limit - 60) {
        console.idle_warned = false;
    }
}

int console_run(const struct console_opts *opts)
{
    memset(&console, 0, sizeof console);
    console.opts = opts;
    if (store_open(opts->db_path, &console.st)) {
        fprintf(stderr, _("kascon: cannot open database %s: %s\n"), opts->db_path,
                console.st ? store_errmsg(console.st) : "");
        store_close(console.st);
        return 1;
    }
    if (tui_init()) {
        fprintf(stderr, "%s", _("kascon: this terminal cannot run the console\n"));
        store_close(console.st);
        return 1;
    }
    int rc = 0;
    /* kascond names the session so that it can drop the locks of a session
     * that died; a local console makes its own id. */
    if (opts->lock_session && *opts->lock_session)
        snprintf(console.lock_session, sizeof console.lock_session, "%s", opts->lock_session);
    else
        snprintf(console.lock_session, sizeof console.lock_session, "console-%ld-%lld",
                 (long)getpid(), (long long)store_now());
    tui_set_idle(1000, idle_tick, NULL);
    if (opts->preauth_user) {
        if (ops_session_load(console.st, opts->preauth_domain, opts->preauth_user, opts->source,
                             &console.session) == CORE_OK) {
            if (opts->must_change)
                console.session.must_change = true;
            scr_enter_session();
        } else {
            rc = 1;
        }
    } else {
        tui_push(&scr_login_screen, NULL);
    }
    if (!rc)
        tui_run();
    tui_shutdown();
    scr_lock_release_all();
    store_close(console.st);
    return rc;
}
