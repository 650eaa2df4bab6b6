/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The console's loop: curses started and ended, then paint, read a key,
 * give it to the top screen (its form, its actions, F1, Esc), until the
 * stack is empty, the user quits or the terminal goes.  The stack is
 * stack.c, painting paint.c, reading keys input.c. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"
#include "tui/internal.h"

static struct {
    SCREEN *term;
    bool quit;
    const struct tui_screen *pending;
    void *pending_arg;
    void (*after_paint)(void *ctx);
    void *after_paint_ctx;
} app;

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
    tui_input_init();
    tui_term_colors();
    return 0;
}

void tui_shutdown(void)
{
    while (tui_depth() > 0)
        tui_pop();
    if (app.term) {
        tui_input_end();
        endwin();
        delscreen(app.term);
        app.term = NULL;
    }
}

void tui_after_paint(void (*fn)(void *ctx), void *ctx)
{
    app.after_paint = fn;
    app.after_paint_ctx = ctx;
}

void tui_quit(void)
{
    app.quit = true;
}

bool tui_leave_ok(void)
{
    return !tui_top_dirty() || tui_confirm(_("Back"), _("Discard the changes?"));
}

static void dispatch(int key);

/* A paste no widget took is typed key by key (a menu digit, say). */
static void replay_paste(void)
{
    size_t n;
    const wchar_t *paste = tui_paste_text(&n);
    if (n > TUI_PASTE_MAX)
        n = TUI_PASTE_MAX;
    wchar_t text[TUI_PASTE_MAX];
    wmemcpy(text, paste, n);
    for (size_t i = 0; i < n && !app.quit && !app.pending; i++) {
        int key = (int)text[i];
        if (key >= KEY_MIN && key <= KEY_MAX)
            key |= TUI_KEY_CHAR_BIT;
        dispatch(text[i] == L'\n' ? '\n' : key);
    }
}

static void dispatch(int key)
{
    struct tui_frame *f = tui_top_frame();
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
        int k = tui_keybar_key_at(y, x);
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
        if (a->key == key && tui_action_enabled(a, f->state)) {
            if (a->run)
                a->run(f->state);
            return;
        }
    if (key == KEY_F(1) && f->screen != &tui_help_screen) {
        struct tui_help_of of = {f->screen, tui_frame_title(f), f->help, f->state};
        tui_push(&tui_help_screen, &of);
    } else if (key == TUI_KEY_ESC) {
        if (tui_depth() > 1) {
            if (tui_leave_ok())
                tui_pop();
        } else if (tui_confirm(_("Quit"), _("Do you want to quit?")))
            tui_pop();
    }
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
    while (tui_depth() > 0)
        tui_pop();
    tui_push(screen, app.pending_arg);
}

void tui_run(void)
{
    app.quit = false;
    apply_reset();
    while (tui_depth() > 0 && !app.quit && !tui_hangup()) {
        tui_idle_tick_if_due();
        if (app.quit || tui_hangup())
            break;
        tui_paint_stack();
        tui_refresh();
        if (app.after_paint) {
            /* Once, on the screen just drawn, before any key is read. */
            void (*fn)(void *ctx) = app.after_paint;
            app.after_paint = NULL;
            fn(app.after_paint_ctx);
            apply_reset();
            continue;
        }
        dispatch(tui_read_key());
        apply_reset();
    }
}
