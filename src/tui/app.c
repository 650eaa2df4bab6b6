/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The screen stack, key dispatch, title bar, result area, key bar and the
 * generated F1 help.
 *
 * Everything is painted into stdscr from the widgets' own state on every
 * pass of the loop, with no long-lived subwindows. That is what makes
 * KEY_RESIZE cheap and safe: nothing sized to the old terminal survives to
 * be moved, so a resize is just another repaint and no widget loses its
 * values, selection or page. A terminal runs one console, so the stack is
 * one static instance, as curses itself is. */
#include <config.h>

#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wctype.h>

#include "i18n.h"
#include "tui/internal.h"

#define MAX_DEPTH 16
#define MAX_HITS 32
#define ESC_KEY 27
#define CTRL_C 3
/* ncurses codes for the bracketed-paste brackets (define_key keeps codes
 * in 16 bits); tui_read_key turns them into TUI_KEY_PASTE. */
#define PASTE_BEGIN 0x7e00
#define PASTE_END 0x7e01
#define PASTE_MAX 1024

struct frame {
    const struct tui_screen *screen;
    void *state;
    bool owned;            /* state allocated here (state_size) */
    struct tui_form *form; /* a form screen's form */
    const char *title;     /* msgid overriding the screen's, or NULL */
    const char *help;      /* msgid overriding the screen's F1 text, or NULL */
    char subtitle[256];
    char result[512];
    bool result_error;
};

struct hit {
    int x0, x1, key;
};

static struct {
    SCREEN *term;
    struct frame frames[MAX_DEPTH];
    int depth;
    bool quit;
    bool eof;        /* the terminal's input has ended */
    int empty_reads; /* reads that found the input readable but empty */
    int idle_ms;
    void (*idle_fn)(void *ctx);
    void *idle_ctx;
    struct hit hits[MAX_HITS];
    int nhits;
    const struct tui_screen *pending;
    void *pending_arg;
    struct timespec last_key;  /* when the user last typed or clicked */
    struct timespec last_tick; /* when the idle function last ran */
    char status[256];          /* tui_set_status: on the result heading */
    bool bracketed;            /* bracketed paste mode was switched on */
    wchar_t paste[PASTE_MAX + 1];
    size_t paste_len; /* may pass PASTE_MAX: the paste was longer */
    bool stashed;     /* a key read after a burst, for the next read */
    int stash_r;
    wint_t stash_wc;
} app;

/* SIGHUP and SIGTERM: the terminal, the SSH connection or the system is
 * going away.  The loop ends at once and the console releases its locks. */
static volatile sig_atomic_t hangup;

static void on_hangup(int sig)
{
    (void)sig;
    hangup = 1;
}

bool tui_hangup(void)
{
    return hangup != 0;
}

static struct frame *top(void)
{
    return app.depth > 0 ? &app.frames[app.depth - 1] : NULL;
}

int tui_init(void)
{
    /* newterm rather than initscr: initscr exits the process when the
     * terminal is unusable, and errors here must be values. */
    tui_winsize_clamp(fileno(stdout));
    tui_winsize_guard();
    app.term = newterm(NULL, stdout, stdin);
    if (!app.term)
        return -1;
    /* raw: Ctrl-C is a key that asks before quitting (unsaved edits), not
     * a signal that drops the session and its locks mid-edit. */
    raw();
    noecho();
    keypad(stdscr, TRUE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_hangup; /* no SA_RESTART: the key read returns */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* Pasted text arrives bracketed, so that a paste that does not fit a
     * field is refused whole; terminals without the mode ignore the
     * request, and a burst of characters counts as a paste there. */
    const char *tn = termname();
    if (tn && strcmp(tn, "dumb") && strcmp(tn, "linux") && strncmp(tn, "vt", 2)) {
        define_key("\033[200~", PASTE_BEGIN);
        define_key("\033[201~", PASTE_END);
        putp("\033[?2004h");
        fflush(stdout);
        app.bracketed = true;
    }
    /* Home and End as VT220-style terminals send them (PuTTY, Tera Term,
     * tmux and screen whatever TERM says), where the terminfo entry in use
     * names other sequences. */
    static const struct {
        const char *seq;
        int key;
    } extra_keys[] = {
        {"\033[1~", KEY_HOME}, {"\033[4~", KEY_END}, {"\033[7~", KEY_HOME}, {"\033[8~", KEY_END}};
    for (size_t i = 0; i < sizeof extra_keys / sizeof extra_keys[0]; i++)
        if (key_defined(extra_keys[i].seq) == 0)
            define_key(extra_keys[i].seq, extra_keys[i].key);
    /* Esc is "back"; the default one-second wait for an escape sequence
     * would make every Esc feel broken. */
    set_escdelay(25);
    mmask_t mask = BUTTON1_PRESSED | BUTTON1_CLICKED;
#ifdef BUTTON5_PRESSED
    mask |= BUTTON4_PRESSED | BUTTON5_PRESSED;
#endif
    if (mousemask(mask, NULL) != 0)
        mouseinterval(0); /* act on the press; no wait for a double click */
    tui_term_colors();
    app.idle_ms = 0;
    clock_gettime(CLOCK_MONOTONIC, &app.last_key);
    return 0;
}

void tui_shutdown(void)
{
    while (app.depth > 0)
        tui_pop();
    if (app.term) {
        if (app.bracketed && !hangup) {
            putp("\033[?2004l");
            fflush(stdout);
        }
        endwin();
        delscreen(app.term);
        app.term = NULL;
    }
}

void tui_quit(void)
{
    app.quit = true;
}

int tui_depth(void)
{
    return app.depth;
}

/* Gives back what a frame holds: the screen's own resources, its form,
 * then the state the toolkit allocated. */
static void frame_release(struct frame *f)
{
    if (f->screen->free)
        f->screen->free(f->state);
    tui_form_free(f->form);
    if (f->owned)
        free(f->state);
    f->form = NULL;
    f->state = NULL;
}

int tui_push(const struct tui_screen *screen, void *arg)
{
    if (app.depth >= MAX_DEPTH)
        return -1;
    struct frame *f = &app.frames[app.depth];
    memset(f, 0, sizeof *f);
    f->screen = screen;
    f->state = arg;
    if (screen->state_size) {
        if (!(f->state = calloc(1, screen->state_size)))
            return -1;
        f->owned = true;
    }
    /* The new screen is the top one while init runs (tui_screen_form). */
    app.depth++;
    int rc = 0;
    if (screen->form && !(f->form = tui_form_new(screen->form->fields, screen->form->count,
                                                 screen->form->submit, f->state)))
        rc = -1;
    if (!rc && screen->init)
        rc = screen->init(f->state, arg);
    if (rc) {
        app.depth--;
        frame_release(f);
    }
    return rc;
}

int tui_new_form_owner(void)
{
    return app.depth - 1; /* init runs with its screen on top */
}

void tui_pop(void)
{
    struct frame *f = top();
    if (!f)
        return;
    app.depth--;
    bool help = f->screen == &tui_help_screen;
    frame_release(f);
    if (!help)
        tui_list_stale_all();
    /* Back on a screen, its old result is no longer news (a screen that
     * pops itself after saving sets the result after the pop). */
    if (!help && app.depth > 0)
        tui_result_clear();
}

struct tui_form *tui_screen_form(void)
{
    struct frame *f = top();
    return f ? f->form : NULL;
}

void tui_submit(void *state)
{
    (void)state;
    struct tui_form *form = tui_screen_form();
    if (form)
        tui_form_submit(form);
}

void tui_set_title(const char *msgid)
{
    struct frame *f = top();
    if (f)
        f->title = msgid;
}

void tui_set_help(const char *msgid)
{
    struct frame *f = top();
    if (f)
        f->help = msgid;
}

static const char *frame_title(const struct frame *f)
{
    return f->title ? f->title : f->screen->title;
}

void tui_set_subtitle(const char *text)
{
    struct frame *f = top();
    if (f)
        snprintf(f->subtitle, sizeof f->subtitle, "%s", text ? text : "");
}

static void set_result(const char *text, bool error)
{
    struct frame *f = top();
    if (!f)
        return;
    snprintf(f->result, sizeof f->result, "%s", text ? text : "");
    f->result_error = error;
}

void tui_result_ok(const char *text)
{
    set_result(text, false);
}

void tui_result_error(const char *text)
{
    set_result(text, true);
}

void tui_set_status(const char *text)
{
    snprintf(app.status, sizeof app.status, "%s", text ? text : "");
}

void tui_result_clear(void)
{
    set_result("", false);
}

void tui_set_idle(int ms, void (*fn)(void *ctx), void *ctx)
{
    app.idle_ms = ms > 0 && fn ? ms : 0;
    app.idle_fn = fn;
    app.idle_ctx = ctx;
}

const wchar_t *tui_paste_text(size_t *n)
{
    *n = app.paste_len;
    return app.paste;
}

static void paste_add(wint_t wc)
{
    if (app.paste_len < PASTE_MAX)
        app.paste[app.paste_len] = (wchar_t)(wc == '\r' ? '\n' : wc);
    app.paste_len++;
}

/* The characters up to the closing bracket; a terminal that never sends
 * it leaves after a second of silence. */
static int read_bracketed(void)
{
    app.paste_len = 0;
    timeout(1000);
    for (;;) {
        wint_t wc;
        int r = get_wch(&wc);
        if (r == ERR || (r == KEY_CODE_YES && wc == PASTE_END) || hangup)
            break;
        if (r == OK)
            paste_add(wc);
    }
    /* A copied line often brings its newline along. */
    while (app.paste_len > 0 && app.paste_len <= PASTE_MAX && app.paste[app.paste_len - 1] == L'\n')
        app.paste_len--;
    return hangup ? TUI_KEY_HANGUP : TUI_KEY_PASTE;
}

static bool printable(int r, wint_t wc)
{
    return r == OK && wc >= 32 && wc != 127 && iswprint(wc);
}

/* Characters that arrived together with the first one (a paste into a
 * terminal without bracketed paste, or tmux send-keys) are one paste;
 * the key that ends the burst is kept for the next read. */
static int read_burst(wint_t first)
{
    app.paste_len = 0;
    paste_add(first);
    timeout(0);
    for (;;) {
        wint_t wc;
        int r = get_wch(&wc);
        if (r == ERR)
            break;
        if (!printable(r, wc)) {
            app.stashed = true;
            app.stash_r = r;
            app.stash_wc = wc;
            break;
        }
        paste_add(wc);
    }
    if (app.paste_len > 1)
        return TUI_KEY_PASTE;
    return first >= KEY_MIN && first <= KEY_MAX ? (int)first | TUI_KEY_CHAR_BIT : (int)first;
}

/* Whether the terminal's input has ended (a closed pipe, /dev/null, a
 * hung-up terminal): get_wch then fails at once, and poll says the input
 * is readable or gone although nothing was read. */
static bool input_ended(const struct timespec *asked, int wait_ms)
{
    if (app.eof)
        return true;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - asked->tv_sec) * 1000 + (now.tv_nsec - asked->tv_nsec) / 1000000;
    if (wait_ms >= 0 && ms >= wait_ms / 2)
        return false; /* the idle timeout, not the end */
    struct pollfd p = {.fd = fileno(stdin), .events = POLLIN};
    if (poll(&p, 1, 0) != 1 || !(p.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
        return false;
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
        return app.eof = true;
    /* Readable, yet curses read nothing: it saw the end (read returned 0)
     * unless bytes arrived meanwhile (then they wait to be read).  Look
     * once more before believing it. */
    int waiting = 0;
    if (ioctl(p.fd, FIONREAD, &waiting) == 0 && waiting > 0) {
        app.empty_reads = 0;
        return false;
    }
    return app.eof = ++app.empty_reads >= 2;
}

int tui_read_key(void)
{
    for (;;) {
        tui_term_set_click(false, 0, 0);
        if (hangup)
            return TUI_KEY_HANGUP;
        wint_t wc;
        int r;
        int wait_ms = app.idle_ms > 0 ? app.idle_ms : -1;
        struct timespec asked;
        clock_gettime(CLOCK_MONOTONIC, &asked);
        if (app.stashed) {
            app.stashed = false;
            r = app.stash_r;
            wc = app.stash_wc;
        } else {
            timeout(wait_ms);
            if (tui_winsize_apply())
                return KEY_RESIZE;
            r = get_wch(&wc);
        }
        if (r != ERR)
            app.empty_reads = 0;
        if (r == ERR) {
            if (hangup)
                return TUI_KEY_HANGUP;
            /* A read cut short by SIGWINCH: the new size first. */
            if (tui_winsize_apply())
                return KEY_RESIZE;
            /* Nothing more will be typed: end as a hang-up does, instead
             * of asking again and again without pause. */
            if (input_ended(&asked, wait_ms)) {
                hangup = 1;
                return TUI_KEY_HANGUP;
            }
            /* The idle tick may change what is shown (a lock lost); 0 asks
             * the caller to repaint and read again. */
            if (app.idle_fn) {
                clock_gettime(CLOCK_MONOTONIC, &app.last_tick);
                app.idle_fn(app.idle_ctx);
            }
            return 0;
        }
        if (!(r == KEY_CODE_YES && wc == KEY_RESIZE))
            clock_gettime(CLOCK_MONOTONIC, &app.last_key);
        /* Ctrl-L, as in every curses program: the next refresh sends the
         * whole screen again, for one spoiled by a wall message or noise. */
        if (r == OK && wc == 'L' - '@') {
            clearok(curscr, TRUE);
            return 0;
        }
        if (r == OK && wc == CTRL_C)
            return TUI_KEY_INTERRUPT;
        if (printable(r, wc))
            return read_burst(wc);
        if (r == OK)
            return wc >= KEY_MIN && wc <= KEY_MAX ? (int)wc | TUI_KEY_CHAR_BIT : (int)wc;
        if (wc == PASTE_BEGIN)
            return read_bracketed();
        if (wc == PASTE_END)
            continue;
        if (wc != KEY_MOUSE)
            return (int)wc;
        MEVENT ev;
        if (getmouse(&ev) != OK)
            continue;
#ifdef BUTTON5_PRESSED
        /* The wheel moves like the arrows, so every widget scrolls. */
        if (ev.bstate & BUTTON4_PRESSED)
            return KEY_UP;
        if (ev.bstate & BUTTON5_PRESSED)
            return KEY_DOWN;
#endif
        if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
            tui_term_set_click(true, ev.y, ev.x);
            return KEY_MOUSE;
        }
    }
}

static bool action_enabled(const struct tui_action *a, void *state)
{
    return !a->enabled || a->enabled(state);
}

/* The path through the menu tree, so an administrator always knows
 * where they are, from crumb `from` on ("…" standing for those before). */
static void title_line(const struct frame *f, int from, char *line, size_t size)
{
    size_t len = 0;
    line[0] = '\0';
    const char *prev = NULL;
    for (int i = from; i < app.depth; i++) {
        const char *t = frame_title(&app.frames[i]);
        /* A screen opened from the menu item of its own name is one crumb. */
        if (!t || (prev && !strcmp(_(t), _(prev))))
            continue;
        prev = t;
        const char *sep = len ? " > " : from > 0 ? " \xe2\x80\xa6 > " : " ";
        int n = snprintf(line + len, size - len, "%s%s", sep, _(t));
        if (n < 0 || (size_t)n >= size - len)
            break;
        len += (size_t)n;
    }
    if (f->subtitle[0])
        snprintf(line + len, size - len, ": %s", f->subtitle);
}

static void paint_title(const struct frame *f)
{
    char line[1024];
    /* Too wide: the first crumbs give way, never the current screen. */
    int from = 0;
    title_line(f, from, line, sizeof line);
    while (tui_text_width(line) > COLS - 1 && from + 1 < app.depth)
        title_line(f, ++from, line, sizeof line);
    tui_draw_text(0, 0, COLS, TUI_TITLE, line);
}

/* The result area (the guide's ■実行結果) has a fixed height: a message of
 * two or three lines never moves what is above it.  Three lines hold a
 * problem naming several groups in Japanese at 80 columns; a longer one
 * ends in an ellipsis.  Short terminals give up lines for the body. */
static int result_height(void)
{
    return LINES >= 20 ? 3 : LINES >= 12 ? 2 : 1;
}

static void paint_result(const struct frame *f, int y, int lines)
{
    char head[256];
    /* TRANSLATORS: the guide's heading is ■実行結果; the ■ is added here. */
    snprintf(head, sizeof head, "\xe2\x96\xa0%s", _("Result"));
    int w = tui_text_width(head);
    tui_draw_text(y, 0, w, TUI_HEADER, head);
    if (COLS > w + 1)
        mvhline(y, w + 1, ACS_HLINE, COLS - w - 1);
    /* The status, right-aligned on the heading's rule, cut to what fits. */
    if (app.status[0] && COLS > w + 4) {
        char cut[sizeof app.status];
        int sw = tui_text_truncate(cut, sizeof cut, app.status, COLS - w - 4);
        tui_draw_text(y, COLS - sw - 1, sw, TUI_ERROR, cut);
    }
    enum tui_style st = f->result_error ? TUI_ERROR : TUI_OK;
    int width = COLS - 1 > 1 ? COLS - 1 : 1;
    const char *s = f->result;
    /* Whole lines, edge to edge: nothing a body or an earlier message left
     * there survives a shorter message. */
    for (int i = 0; i < lines; i++) {
        move(y + 1 + i, 0);
        clrtoeol();
    }
    for (int i = 0; i < lines && *s; i++) {
        char buf[1024];
        size_t next;
        size_t n = tui_text_wrap(s, width, &next);
        if (i == lines - 1 && s[next])
            tui_text_truncate(buf, sizeof buf, s, width);
        else
            snprintf(buf, sizeof buf, "%.*s", (int)n, s);
        tui_draw_text(y + 1 + i, 1, width, st, buf);
        s += next;
    }
}

static int keybar_item(int x, int key, const char *label)
{
    char name[32];
    tui_key_name(key, name, sizeof name);
    int kw = tui_text_width(name);
    char l[128];
    snprintf(l, sizeof l, " %s ", _(label));
    int lw = tui_text_width(l);
    if (x + kw + lw > COLS || app.nhits >= MAX_HITS)
        return x; /* no room; F1 still lists it */
    tui_draw_text(LINES - 1, x, kw, TUI_KEY, name);
    tui_draw_text(LINES - 1, x + kw, lw, TUI_KEYLABEL, l);
    app.hits[app.nhits++] = (struct hit){x, x + kw + lw, key};
    return x + kw + lw + 1;
}

static void paint_keybar(const struct frame *f)
{
    int x = 0;
    app.nhits = 0;
    move(LINES - 1, 0);
    clrtoeol();
    if (f->screen != &tui_help_screen)
        x = keybar_item(x, KEY_F(1), N_("Help"));
    for (const struct tui_action *a = f->screen->actions; a && a->key; a++)
        if (action_enabled(a, f->state))
            x = keybar_item(x, a->key, a->label);
    keybar_item(x, ESC_KEY, app.depth > 1 ? N_("Back") : N_("Quit"));
}

void tui_paint_stack(void)
{
    struct frame *f = top();
    erase();
    tui_show_cursor(-1, -1);
    if (!f)
        return;
    /* Title, one spare line, body, the result heading and its lines, the
     * key bar. The body goes first: its draw may set the title or subtitle. */
    int lines = result_height();
    struct tui_rect body = {2, 1, LINES - 5 - lines, COLS - 2};
    if (body.h > 0 && body.w > 0 && f->screen->draw)
        f->screen->draw(f->state, &body);
    else if (body.h > 0 && body.w > 0 && f->form)
        tui_form_draw(f->form, &body);
    paint_title(f);
    if (LINES >= 6)
        paint_result(f, LINES - 2 - lines, lines);
    paint_keybar(f);
}

static void refresh_with_cursor(void)
{
    int y, x;
    if (tui_term_cursor(&y, &x)) {
        move(y, x);
        curs_set(1);
    } else {
        curs_set(0);
    }
    refresh();
}

static int keybar_key_at(int y, int x)
{
    if (y != LINES - 1)
        return 0;
    for (int i = 0; i < app.nhits; i++)
        if (x >= app.hits[i].x0 && x < app.hits[i].x1)
            return app.hits[i].key;
    return 0;
}

bool tui_leave_ok(void)
{
    return !tui_top_dirty() || tui_confirm(_("Back"), _("Discard the changes?"));
}

static void dispatch(int key);

/* A paste no widget took is typed key by key (a menu digit, say). */
static void replay_paste(void)
{
    size_t n = app.paste_len < PASTE_MAX ? app.paste_len : PASTE_MAX;
    wchar_t text[PASTE_MAX];
    wmemcpy(text, app.paste, n);
    for (size_t i = 0; i < n && !app.quit && !app.pending; i++) {
        int key = (int)text[i];
        if (key >= KEY_MIN && key <= KEY_MAX)
            key |= TUI_KEY_CHAR_BIT;
        dispatch(text[i] == L'\n' ? '\n' : key);
    }
}

static void dispatch(int key)
{
    struct frame *f = top();
    if (key == TUI_KEY_HANGUP) {
        app.quit = true;
        return;
    }
    if (key == TUI_KEY_INTERRUPT) {
        /* Ctrl-C asks to quit; only unsaved edits make it ask. */
        if (!tui_any_dirty() || tui_confirm(_("Quit"), _("Discard the changes and quit?")))
            app.quit = true;
        return;
    }
    if (!f || key == 0 || key == KEY_RESIZE)
        return; /* the loop repaints at the new size */
    int y, x;
    if (key == KEY_MOUSE && tui_mouse_click(&y, &x)) {
        int k = keybar_key_at(y, x);
        if (k)
            key = k;
    }
    /* A screen with a key function passes its form the keys itself. */
    if (f->screen->key ? f->screen->key(f->state, key) == TUI_HANDLED
                       : f->form && tui_form_key(f->form, key) == TUI_HANDLED)
        return;
    if (key == TUI_KEY_PASTE) {
        replay_paste();
        return;
    }
    for (const struct tui_action *a = f->screen->actions; a && a->key; a++)
        if (a->key == key && action_enabled(a, f->state)) {
            if (a->run)
                a->run(f->state);
            return;
        }
    if (key == KEY_F(1) && f->screen != &tui_help_screen) {
        struct tui_help_of of = {f->screen, frame_title(f), f->help, f->state};
        tui_push(&tui_help_screen, &of);
    } else if (key == ESC_KEY) {
        if (app.depth > 1) {
            if (tui_leave_ok())
                tui_pop();
        } else if (tui_confirm(_("Quit"), _("Do you want to quit?")))
            tui_pop();
    }
}

double tui_idle_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - app.last_key.tv_sec) +
           (double)(now.tv_nsec - app.last_key.tv_nsec) / 1e9;
}

void tui_reset_to(const struct tui_screen *screen, void *arg)
{
    app.pending = screen;
    app.pending_arg = arg;
}

/* A reset waits until the key that asked for it is handled: the screens
 * it pops may still be on the call stack. */
static void apply_reset(void)
{
    const struct tui_screen *screen = app.pending;
    if (!screen)
        return;
    app.pending = NULL;
    while (app.depth > 0)
        tui_pop();
    tui_push(screen, app.pending_arg);
}

/* The idle tick runs on time even while keys keep coming: lock leases
 * must be renewed for an administrator who types without pause. */
static void tick_if_due(void)
{
    if (app.idle_ms <= 0 || !app.idle_fn)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (long)(now.tv_sec - app.last_tick.tv_sec) * 1000 +
              (now.tv_nsec - app.last_tick.tv_nsec) / 1000000;
    if (ms >= app.idle_ms) {
        app.last_tick = now;
        app.idle_fn(app.idle_ctx);
    }
}

void tui_run(void)
{
    app.quit = false;
    apply_reset();
    while (app.depth > 0 && !app.quit && !hangup) {
        tick_if_due();
        if (app.quit || hangup)
            break;
        tui_paint_stack();
        refresh_with_cursor();
        dispatch(tui_read_key());
        apply_reset();
    }
}
