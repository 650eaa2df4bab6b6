/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 内線番号管理 > 一括登録 (§3.3) and 一括削除 (§4.3): a CSV file is checked
 * whole, every problem listed with its row and column, and applied only
 * when valid.  The two screens differ only in the operation. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "io/io.h"
#include "screens/screens.h"

enum { F_FILE, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_FILE] = {N_("CSV file"), TUI_FIELD_TEXT, 1024, 56, NULL, NULL},
};

enum { C_ROW, C_COL, C_CODE, C_MESSAGE, C_COUNT };

static const struct tui_list_column columns[C_COUNT] = {
    [C_ROW] = {N_("Row"), 6, true},
    [C_COL] = {N_("Column"), 6, false},
    [C_CODE] = {N_("Code"), 5, false},
    [C_MESSAGE] = {N_("Message"), 0, false},
};

struct bulk_state {
    enum ops_bulk_mode mode;
    struct tui_form *form;
    struct tui_list *list;
    struct core_problems problems;
    bool on_list;
};

/* ---- Tab completion of the path, as a shell does it ---- */

/* Over SSH the field names a file in inbox/: completion offers those. */
static void complete_inbox(struct bulk_state *s, const struct io_area *area)
{
    const char *typed = tui_form_value(s->form, F_FILE);
    if (!strncmp(typed, "inbox/", 6))
        typed += 6;
    struct io_area_file *files;
    size_t count;
    if (io_area_list(area, IO_AREA_INBOX, &files, &count) != 0 || count == 0) {
        free(files);
        tui_result_error(_("inbox/ is empty: upload a CSV file with scp or sftp first."));
        return;
    }
    char common[IO_AREA_NAME_MAX + 1] = "", shown[512] = "";
    int matches = 0;
    size_t plen = strlen(typed);
    for (size_t i = 0; i < count; i++) {
        const char *name = files[i].name;
        if (strncmp(name, typed, plen))
            continue;
        if (matches++ == 0) {
            snprintf(common, sizeof common, "%s", name);
        } else {
            size_t k = 0;
            while (common[k] && common[k] == name[k])
                k++;
            common[k] = '\0';
        }
        size_t used = strlen(shown);
        if (used < sizeof shown - 64)
            snprintf(shown + used, sizeof shown - used, "%s%s", used ? "  " : "", name);
    }
    free(files);
    if (matches == 0) {
        tui_result_error(_("No file name starts like that."));
        return;
    }
    tui_form_set_value(s->form, F_FILE, common);
    if (matches > 1)
        tui_result_ok(shown);
    else
        tui_result_clear();
}

static void complete_path(struct bulk_state *s)
{
    if (scr_remote()) {
        /* Over SSH never the server's directories, even without an area. */
        const struct io_area *area = scr_area();
        if (area)
            complete_inbox(s, area);
        return;
    }
    char typed[1024];
    snprintf(typed, sizeof typed, "%s", tui_form_value(s->form, F_FILE));
    char *slash = strrchr(typed, '/');
    char dir[1024], prefix[1024];
    if (slash) {
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - typed + 1), typed);
        snprintf(prefix, sizeof prefix, "%s", slash + 1);
    } else {
        snprintf(dir, sizeof dir, "%s", "");
        snprintf(prefix, sizeof prefix, "%s", typed);
    }
    DIR *d = opendir(dir[0] ? dir : ".");
    if (!d) {
        tui_result_error(_("No such directory."));
        return;
    }
    char common[1024] = "", shown[512] = "";
    int matches = 0;
    bool only_is_dir = false;
    size_t plen = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, plen) || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (e->d_name[0] == '.' && prefix[0] != '.')
            continue;
        if (matches++ == 0) {
            snprintf(common, sizeof common, "%s", e->d_name);
            only_is_dir = e->d_type == DT_DIR;
        } else {
            size_t k = 0;
            while (common[k] && common[k] == e->d_name[k])
                k++;
            common[k] = '\0';
        }
        size_t used = strlen(shown);
        if (used < sizeof shown - 64)
            snprintf(shown + used, sizeof shown - used, "%s%s", used ? "  " : "", e->d_name);
    }
    closedir(d);
    if (matches == 0) {
        tui_result_error(_("No file name starts like that."));
        return;
    }
    char completed[2100];
    snprintf(completed, sizeof completed, "%s%s%s", dir, common,
             matches == 1 && only_is_dir ? "/" : "");
    tui_form_set_value(s->form, F_FILE, completed);
    if (matches > 1)
        tui_result_ok(shown);
    else
        tui_result_clear();
}

/* ---- the problem list: one page of the in-memory problems ---- */

static int fetch(void *ctx, const char *key, enum tui_list_dir dir, int max_rows,
                 struct tui_list_sink *sink)
{
    struct bulk_state *s = ctx;
    long n = (long)s->problems.count;
    long at = key ? strtol(key, NULL, 10) : (dir == TUI_LIST_AFTER ? -1 : n);
    for (int k = 0; k < max_rows; k++) {
        long i = dir == TUI_LIST_AFTER ? at + 1 + k : at - 1 - k;
        if (i < 0 || i >= n)
            break;
        const struct core_problem *p = &s->problems.items[i];
        char row[24] = "-", col[4] = "-", code[8], msg[768], idx[24];
        if (p->row > 0)
            snprintf(row, sizeof row, "%ld", p->row);
        if (p->field >= 0 && p->field < 26)
            snprintf(col, sizeof col, "%c", 'A' + p->field);
        snprintf(code, sizeof code, "%03d", p->code);
        core_problem_format(p, msg, sizeof msg);
        const char *hint = core_code_hint(p->code);
        if (hint) {
            size_t used = strlen(msg);
            snprintf(msg + used, sizeof msg - used, " — %s", _(hint));
        }
        snprintf(idx, sizeof idx, "%010ld", i);
        const char *cols[C_COUNT] = {row, col, code, msg};
        if (tui_list_sink_row(sink, cols, idx) < 0)
            break;
    }
    return 0;
}

static void activate(void *ctx, const char *key)
{
    struct bulk_state *s = ctx;
    long i = strtol(key, NULL, 10);
    if (i < 0 || (size_t)i >= s->problems.count)
        return;
    char text[1024];
    scr_format_problem(&s->problems.items[i], text, sizeof text);
    tui_message(_("Problem"), text);
}

/* ---- running ---- */

/* F1 of each page tells what its F2 does. */
static const char register_help[] =
    N_("Type the path of a CSV file saved from Excel (CSV, Shift_JIS, or CSV UTF-8); Tab completes"
       " file names. F2 (Bulk register) checks every row first: if any row has a problem, every"
       " problem is listed with its row, column and code, and nothing is changed; otherwise the"
       " whole file is registered at once. F3 (Check only) lists the problems without changing"
       " anything. Shift-Tab moves to the list of problems; Enter shows one in full. Full-width"
       " characters in the file are refused with their row and column, never converted: the file"
       " is your data, to correct in Excel.");
static const char delete_help[] =
    N_("Type the path of a CSV file saved from Excel (CSV, Shift_JIS, or CSV UTF-8), or one"
       " written by Bulk export; Tab completes file names. F2 (Bulk delete) checks every row"
       " first: if any row has a problem, every problem is listed with its row, column and code,"
       " and nothing is changed; otherwise it tells how many extension profiles the file deletes"
       " and, once you agree, deletes them at once. F3 (Check only) lists the problems without"
       " changing anything. Shift-Tab moves to the list of problems; Enter shows one in full."
       " Full-width characters in the file are refused with their row and column, never"
       " converted: the file is your data, to correct in Excel.");

static const char *const phase_titles[] = {N_("Reading the file"), N_("Checking every row"),
                                           N_("Hashing passwords"), N_("Applying")};

static void on_progress(void *ctx, int phase, long done, long total)
{
    (void)ctx;
    if (phase >= 0 && phase < 4 && total > 0)
        tui_progress(_(phase_titles[phase]), done, total);
}

/* Opens a file of inbox/ for the reader, which reads it through
 * /dev/fd (never whole into memory); -1 with the reason at the field. */
static int open_inbox(struct bulk_state *s, const struct io_area *area, const char *name)
{
    if (!strncmp(name, "inbox/", 6))
        name += 6;
    char text[700];
    int fd = io_area_name_ok(name) ? io_area_open_read(area, IO_AREA_INBOX, name) : -1;
    if (fd < 0 && !io_area_name_ok(name))
        errno = ENOENT;
    if (fd < 0) {
        snprintf(text, sizeof text, _("Cannot read inbox/%s: %s"), name, strerror(errno));
        tui_form_set_error(s->form, F_FILE, text);
    }
    return fd;
}

/* The file's character code as the result line names it, translated. */
static const char *encoding_label(enum io_encoding encoding)
{
    switch (encoding) {
    case IO_ENC_ASCII:
        return _("half-width characters only");
    case IO_ENC_UTF8:
        return _("UTF-8");
    case IO_ENC_UTF8_BOM:
        return _("UTF-8 with BOM");
    case IO_ENC_CP932:
        return _("Shift_JIS");
    default:
        return io_encoding_name(encoding);
    }
}

static void run(struct bulk_state *s, bool dry_run)
{
    const char *path = tui_form_value(s->form, F_FILE);
    const struct io_area *area = scr_area();
    if (scr_remote() && !area)
        return; /* scr_area said why; a server path is never read */
    tui_form_clear_errors(s->form);
    if (!*path) {
        tui_form_set_error(s->form, F_FILE,
                           area ? _("Type the name of a file in inbox/ (Tab completes).")
                                : _("Type the path of the CSV file (Tab completes)."));
        return;
    }
    int fd = -1;
    char fd_path[32];
    if (area) {
        if ((fd = open_inbox(s, area, path)) < 0)
            return;
        snprintf(fd_path, sizeof fd_path, "/dev/fd/%d", fd);
        path = fd_path;
    }
    core_problems_free(&s->problems);
    core_problems_init(&s->problems);
    struct ops_bulk_result res;
    struct ops_bulk_request req = {.mode = s->mode,
                                   .path = path,
                                   .dry_run = dry_run,
                                   .progress = on_progress,
                                   .progress_ctx = s};
    /* 一括削除 checks the whole file first, then says how many profiles
     * it deletes and asks. */
    bool ask = s->mode == OPS_BULK_DELETE && !dry_run;
    req.dry_run = dry_run || ask;
    int rc = ops_bulk(scr_ops(), &req, &s->problems, &res);
    if (!rc && !s->problems.count && ask) {
        char q[512];
        snprintf(q, sizeof q,
                 ngettext("The file deletes %ld extension profile (%ld mobiles unassigned)."
                          " Delete it?",
                          "The file deletes %ld extension profiles (%ld mobiles unassigned)."
                          " Delete them?",
                          (unsigned long)res.deleted),
                 res.deleted, res.unassigned);
        if (!tui_confirm(_("Bulk delete"), q)) {
            if (fd >= 0)
                close(fd);
            tui_result_ok(_("Nothing was deleted."));
            return;
        }
        req.dry_run = false;
        rc = ops_bulk(scr_ops(), &req, &s->problems, &res);
    }
    if (fd >= 0)
        close(fd);
    tui_list_seek(s->list, NULL);
    char text[512];
    if (rc || s->problems.count) {
        if (s->problems.count == 1 && !s->problems.more) {
            scr_format_problem(&s->problems.items[0], text, sizeof text);
        } else if (s->problems.more) {
            snprintf(text, sizeof text,
                     _("%zu problems in the file (the first %zu listed above); nothing was"
                       " changed."),
                     s->problems.count + s->problems.more, s->problems.count);
        } else {
            snprintf(text, sizeof text,
                     _("%zu problems in the file (listed above); nothing was changed."),
                     s->problems.count);
        }
        tui_result_error(text);
        s->on_list = s->problems.count > 1;
        return;
    }
    const char *enc = encoding_label(res.encoding);
    if (s->mode == OPS_BULK_REGISTER)
        snprintf(text, sizeof text,
                 dry_run ? _("Checked %ld rows (%s): no problem. %ld profiles would be registered,"
                             " %ld mobiles assigned.")
                         : _("Registered from %ld rows (%s): %ld profiles, %ld mobiles assigned."),
                 res.rows, enc, res.created, res.assigned);
    else
        snprintf(text, sizeof text,
                 dry_run ? _("Checked %ld rows (%s): no problem. %ld profiles would be deleted,"
                             " %ld mobiles unassigned.")
                         : _("Deleted from %ld rows (%s): %ld profiles, %ld mobiles unassigned."),
                 res.rows, enc, res.deleted, res.unassigned);
    tui_result_ok(text);
}

static void submit(void *ctx, struct tui_form *form)
{
    (void)form;
    run(ctx, false);
}

static int bulk_init(void *state, void *arg)
{
    struct bulk_state *s = state;
    s->mode = *(const enum ops_bulk_mode *)arg;
    core_problems_init(&s->problems);
    s->form = tui_screen_form();
    tui_form_set_request(s->form);
    s->list = tui_list_new(columns, C_COUNT, fetch, activate, s);
    if (!s->list)
        return -1;
    /* Over SSH the newest upload is the likely one. */
    const struct io_area *area = scr_area();
    struct io_area_file *files = NULL;
    size_t count = 0;
    if (area && io_area_list(area, IO_AREA_INBOX, &files, &count) == 0 && count)
        tui_form_set_value(s->form, F_FILE, files[0].name);
    free(files);
    return 0;
}

static void bulk_free(void *state)
{
    struct bulk_state *s = state;
    tui_list_free(s->list);
    core_problems_free(&s->problems);
}

static void bulk_draw(void *state, const struct tui_rect *body)
{
    struct bulk_state *s = state;
    /* The guide's names of the two pages (§3.3, §4.3). */
    tui_set_title(s->mode == OPS_BULK_REGISTER ? N_("Bulk register of extension assignments")
                                               : N_("Bulk delete of extension assignments"));
    tui_set_help(s->mode == OPS_BULK_REGISTER ? register_help : delete_help);
    struct tui_rect form_area = {body->y, body->x, 2, body->w};
    tui_form_draw(s->form, &form_area);
    /* The format whole, wrapped (two lines at 80 columns): the columns a
     * cut would hide are the ones a user gets wrong. */
    const char *format =
        s->mode == OPS_BULK_REGISTER
            ? _("Format: extension, mobile, 0000000000, SIP ID, SIP password, 0, 0, web"
                " user, web password, 0 — or extension, mobile")
            : _("Format: extension, mobile, 0000000000 (an export file also works)");
    struct tui_rect format_area = {body->y + 2, body->x, 2, body->w};
    int y = body->y + 2 + (tui_draw_wrapped(&format_area, TUI_DIM, format) > 1 ? 2 : 1);
    int list_top = y - body->y + 1;
    const struct io_area *area = scr_area();
    if (area) {
        /* What is in inbox/, and how to put a file there. */
        struct io_area_file *files = NULL;
        size_t count = 0;
        char line[1024], cmd[600];
        io_area_list(area, IO_AREA_INBOX, &files, &count);
        int used = snprintf(line, sizeof line, "%s", _("Files in inbox/:"));
        for (size_t i = 0; i < count && used > 0 && (size_t)used < sizeof line - 1; i++)
            used += snprintf(line + used, sizeof line - (size_t)used, "  %s", files[i].name);
        if (!count)
            snprintf(line + used, sizeof line - (size_t)used, "  %s", _("(none)"));
        free(files);
        tui_draw_text(y, body->x, body->w, TUI_NORMAL, line);
        scr_scp_command(IO_AREA_INBOX, NULL, cmd, sizeof cmd);
        snprintf(line, sizeof line, _("Upload from your PC: %s"), cmd);
        tui_draw_text(y + 1, body->x, body->w, TUI_DIM, line);
        list_top = y - body->y + 3;
    }
    if (s->problems.count && body->h > list_top) {
        struct tui_rect rows = {body->y + list_top, body->x, body->h - list_top, body->w};
        tui_list_draw(s->list, &rows);
    }
    if (s->on_list)
        tui_show_cursor(-1, -1);
}

static int bulk_key(void *state, int key)
{
    struct bulk_state *s = state;
    if (key == '\t' || key == KEY_BTAB) {
        if (s->on_list || key == KEY_BTAB)
            s->on_list = !s->on_list && s->problems.count;
        else
            complete_path(s);
        return TUI_HANDLED;
    }
    if (s->on_list) {
        /* Typing goes back to the path: the next try is usually a fixed file. */
        wchar_t wc;
        if (!tui_key_char(key, &wc) && key != 21 && key != KEY_BACKSPACE && key != 127)
            return tui_list_key(s->list, key);
        s->on_list = false;
    }
    return tui_form_key(s->form, key);
}

static void do_run(void *state)
{
    run(state, false);
}
static void do_check(void *state)
{
    run(state, true);
}

static bool registering(void *state)
{
    return ((struct bulk_state *)state)->mode == OPS_BULK_REGISTER;
}

static bool deleting(void *state)
{
    return !registering(state);
}

/* The guide's button is [一括登録] or [一括削除]: one key, named per page. */
static const struct tui_action bulk_actions[] = {
    {KEY_F(2), N_("Bulk register"),
     N_("Check the whole file and, if every row is valid, register it all at once."), do_run,
     registering},
    {KEY_F(2), N_("Bulk delete"),
     N_("Check the whole file and, if every row is valid, delete what it names at once."), do_run,
     deleting},
    {KEY_F(3), N_("Check only"), N_("Check the whole file and list every problem; change nothing."),
     do_check, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_bulk_screen = {
    .title = N_("Bulk register"),
    .help = register_help,
    .actions = bulk_actions,
    .state_size = sizeof(struct bulk_state),
    .form = &(const struct tui_form_spec){fields, F_COUNT, submit},
    .init = bulk_init,
    .free = bulk_free,
    .draw = bulk_draw,
    .key = bulk_key,
};
