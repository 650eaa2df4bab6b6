/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "ops/registrar.h"
#include "screens/screens.h"

static struct scr_console console;
/* The registrar this console's changes reach ($KASCON_REGISTRAR, which
 * kascond sets from its own settings). */
static struct registrar_config registrar;

struct scr_console *scr_console(void)
{
    return &console;
}

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

bool scr_remote(void)
{
    return console.opts && console.opts->files_root;
}

const struct io_area *scr_area(void)
{
    if (!console.opts || !console.opts->files_root || !console.logged_in)
        return NULL;
    if (!console.area_open) {
        int err = io_area_open(console.opts->files_root, console.session.site.id,
                               console.session.admin.name, &console.area);
        if (err) {
            char text[600];
            snprintf(text, sizeof text, _("Cannot open your file area: %s"), strerror(err));
            tui_result_error(text);
            return NULL;
        }
        console.area_open = true;
    }
    return &console.area;
}

void scr_scp_command(enum io_area_box box, const char *name, char *buf, size_t n)
{
    const struct console_opts *o = console.opts;
    if (name)
        snprintf(buf, n, "scp -P %d %s@%s@%s:%s/%s .", o->public_port, console.session.admin.name,
                 console.session.site.domain, o->public_host, io_area_box_name(box), name);
    else
        snprintf(buf, n, "scp -P %d %s %s@%s@%s:%s/", o->public_port, _("FILE.csv"),
                 console.session.admin.name, console.session.site.domain, o->public_host,
                 io_area_box_name(box));
}

void scr_draw_fetch(const struct tui_rect *body, int row, const char *fetch)
{
    if (!console.opts->files_root || row + 2 > body->h)
        return;
    if (!fetch[0]) {
        tui_draw_text(body->y + row, body->x, body->w, TUI_DIM,
                      _("The file is written to outbox/ of your file area; scp copies it to"
                        " your PC."));
        return;
    }
    tui_draw_text(body->y + row, body->x, body->w, TUI_DIM, _("To copy it to your PC, run there:"));
    tui_draw_text(body->y + row + 1, body->x + 2, body->w - 2, TUI_NORMAL, fetch);
}

/* A name the scp command can carry as it is: no quoting, no globbing. */
static bool plain_file_name(const char *name)
{
    if (!io_area_name_ok(name))
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return false;
    return true;
}

static FILE *open_in_outbox(struct tui_form *form, size_t field, const char *title,
                            struct scr_output *out)
{
    const struct io_area *area = scr_area();
    if (!area)
        return NULL;
    const char *name = tui_form_value(form, field);
    if (!strncmp(name, "outbox/", 7))
        name += 7;
    if (!plain_file_name(name)) {
        tui_form_set_error(form, field,
                           _("Type a file name for outbox/: letters, digits, '.', '_' and '-'."));
        return NULL;
    }
    out->in_area = true;
    snprintf(out->name, sizeof out->name, "%s", name);
    snprintf(out->shown, sizeof out->shown, "outbox/%s", name);
    struct stat sb;
    if (fstatat(area->box[IO_AREA_OUTBOX], name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
        char q[1200];
        snprintf(q, sizeof q, _("%s exists. Overwrite it?"), out->shown);
        if (!tui_confirm(title, q))
            return NULL;
    }
    int fd = io_area_create_temp(area, IO_AREA_OUTBOX, name, out->temp, sizeof out->temp);
    if (fd >= 0 && !(out->f = fdopen(fd, "wb"))) {
        close(fd);
        io_area_discard(area, IO_AREA_OUTBOX, out->temp);
    }
    if (!out->f) {
        char text[1200];
        snprintf(text, sizeof text, _("Cannot write %s: %s"), out->shown, strerror(errno));
        tui_form_set_error(form, field, text);
    }
    return out->f;
}

FILE *scr_open_output(struct tui_form *form, size_t field, const char *title,
                      struct scr_output *out)
{
    memset(out, 0, sizeof *out);
    const char *path = tui_form_value(form, field);
    tui_form_clear_errors(form);
    if (!*path) {
        tui_form_set_error(form, field, _("Type the path of the file to write."));
        return NULL;
    }
    if (scr_remote())
        return open_in_outbox(form, field, title, out);
    snprintf(out->shown, sizeof out->shown, "%s", path);
    struct stat sb;
    if (stat(path, &sb) == 0) {
        char q[1200];
        snprintf(q, sizeof q, _("%s exists. Overwrite it?"), path);
        if (!tui_confirm(title, q))
            return NULL;
    }
    out->f = fopen(path, "wb");
    if (!out->f) {
        char text[1200];
        snprintf(text, sizeof text, _("Cannot write %s: %s"), path, strerror(errno));
        tui_form_set_error(form, field, text);
    }
    return out->f;
}

int scr_close_output(struct scr_output *out, bool ok)
{
    int err = 0;
    if (fflush(out->f) != 0 || (out->in_area && fsync(fileno(out->f)) != 0))
        err = errno;
    if (fclose(out->f) != 0 && !err)
        err = errno;
    out->f = NULL;
    if (!out->in_area)
        return err;
    if (!ok || err)
        io_area_discard(&console.area, IO_AREA_OUTBOX, out->temp);
    else
        err = io_area_publish(&console.area, IO_AREA_OUTBOX, out->temp, out->name);
    return err;
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

int scr_fetch_result(int rc)
{
    if (!rc || rc == 1)
        return 0;
    struct core_problem p;
    core_problem_set(&p, rc, NULL);
    scr_show_problem(NULL, NULL, 0, &p);
    return rc;
}

const struct ops_ctx *scr_ops(void)
{
    bool remote = console.opts && console.opts->preauth_user;
    console.ops = (struct ops_ctx){
        .st = console.st,
        .site_id = console.logged_in ? console.session.site.id : 0,
        .actor = console.session.actor,
        .source = remote ? OPS_SOURCE_SSH : OPS_SOURCE_CONSOLE,
        .lock_session = console.lock_session,
    };
    return &console.ops;
}

void scr_enter_session(void)
{
    console.logged_in = true;
    if (console.session.must_change)
        tui_reset_to(&scr_password_screen, NULL);
    else
        tui_reset_to(&scr_menu_screen,
                     (void *)(console.session.is_user ? &scr_user_main_menu : &scr_main_menu));
}

/* The end of a login: its locks go and, on a local terminal, the logout
 * is audited (over SSH the server audits the end of the connection). */
static void end_session(void)
{
    scr_lock_release_all();
    if (console.logged_in && !console.opts->preauth_user)
        ops_logout(scr_ops(), NULL);
    console.logged_in = false;
}

void scr_logout(void)
{
    end_session();
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
    /* Every few seconds: does anything wait for the registrar, and why. */
    static int ticks;
    if (registrar.url[0] && ticks++ % 5 == 0) {
        char line[512];
        ops_registrar_status_line(console.st, line, sizeof line);
        tui_set_status(line);
    }
    int limit = console.opts->idle_timeout;
    if (limit <= 0)
        return;
    double idle = tui_idle_seconds();
    if (idle >= limit) {
        tui_quit();
    } else if (idle >= limit - 60 && !console.idle_warned) {
        console.idle_warned = true;
        tui_result_error(
            _("No key for a while: the session ends in one minute unless you press a key."));
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
    ops_registrar_config_from_env(&registrar);
    ops_registrar_attach(console.st, &registrar);
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
        if (ops_session_load(scr_ops(), opts->preauth_domain, opts->preauth_user, opts->source,
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
    end_session();
    if (console.area_open)
        io_area_close(&console.area);
    store_close(console.st);
    return rc;
}
