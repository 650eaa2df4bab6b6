/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between the toolkit's own files only; screens use tui.h. */
#ifndef KASCON_TUI_INTERNAL_H
#define KASCON_TUI_INTERNAL_H

#include "tui/tui.h"

/* The toolkit's files call one way: app.c (the loop) over dialog.c, over
 * paint.c (drawing the stack) and stack.c (the screens on it), over the
 * widgets (form*.c, list.c, menu.c), over input.c (keys), text.c, term.c,
 * winsize.c and utf8.c.  A file never calls one above it; what a lower
 * file must know of a higher one is told to it (tui_forms_set_depth). */

#define TUI_KEY_ESC 27
/* The most characters one paste brings (tui_paste_text may count more:
 * the paste was longer, and is refused whole). */
#define TUI_PASTE_MAX 1024

/* stack.c: a screen on the stack. */
struct tui_frame {
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
/* Frame i (0 the bottom), the top one; NULL when there is none. */
struct tui_frame *tui_frame_at(int i);
struct tui_frame *tui_top_frame(void);
/* The title shown for a frame: tui_set_title's, else the screen's (msgid). */
const char *tui_frame_title(const struct tui_frame *f);
/* tui_set_status's text, "" when none. */
const char *tui_status(void);
/* Whether an action applies now (no enabled function, or it says so). */
bool tui_action_enabled(const struct tui_action *a, void *state);

/* paint.c: repaints the whole stack (title, body, result area, key bar)
 * into stdscr without refreshing, so that a modal dialog can draw itself
 * on top; tui_refresh sends it to the terminal, the cursor where the
 * focused field wants it.  tui_keybar_key_at: the key of the key-bar item
 * at a click, or 0. */
void tui_paint_stack(void);
void tui_refresh(void);
int tui_keybar_key_at(int y, int x);

/* input.c: reads one key as the toolkit encodes it; runs the idle
 * function when the wait for a key times out.  tui_input_init sets the
 * terminal's keys up after newterm (bracketed paste, Home and End, Esc
 * delay, mouse) and catches SIGHUP and SIGTERM; tui_input_end undoes what
 * the terminal keeps.  tui_idle_tick_if_due runs the idle function when
 * its time has come although keys keep coming. */
int tui_read_key(void);
/* tui_read_one_key: as tui_read_key, but characters that arrived together
 * are not one paste: the first is the key and the others wait for the next
 * read (a dialog's y typed ahead of what the next screen is to get). */
int tui_read_one_key(void);
void tui_input_init(void);
void tui_input_end(void);
void tui_idle_tick_if_due(void);

/* form.c: the depth of the stack, told by stack.c on every change: a form
 * made now belongs to the top frame, and only the forms of frames still
 * open count as unsaved edits (tui_top_dirty, tui_any_dirty). */
void tui_forms_set_depth(int depth);
/* The console's text is UTF-8 whatever the locale (the database and the
 * catalogue are UTF-8); only the terminal speaks the locale's codeset,
 * which curses converts to from wide characters.  So that it also runs
 * in ja_JP.EUC-JP, with that locale's column widths, text is decoded and
 * encoded here, never with mbrtowc/wcrtomb.
 * tui_utf8_decode: one character of s into *wc; returns its length in
 * bytes, 0 at the end of s, (size_t)-1 for bytes that are not UTF-8.
 * tui_utf8_encode: wc into out (4 bytes at most); returns the length, 0
 * for a value that is not a character. */
size_t tui_utf8_decode(const char *s, wchar_t *wc);
size_t tui_utf8_encode(wchar_t wc, char *out);
/* list.c: every list fetches its page again at its next repaint (a
 * screen was popped: what it did may show below). */
void tui_list_stale_all(void);
/* Scales a count to a bar of cols cells without overflow. */
int tui_scale(long done, long total, int cols);

/* The largest terminal size drawn on (winsize.c); larger is clamped. */
#define TUI_MAX_COLS 512
#define TUI_MAX_ROWS 256
/* Clamps the size of terminal `fd` now; before curses starts. */
void tui_winsize_clamp(int fd);
/* Takes SIGWINCH from curses (call before newterm): each one clamps the
 * terminal again and marks the size for tui_winsize_apply. */
void tui_winsize_guard(void);
/* After a SIGWINCH, resizes curses to the terminal's clamped size; true
 * when the size changed (the caller repaints, as on KEY_RESIZE). */
bool tui_winsize_apply(void);

/* term.c: sets the colours of the styles (after newterm); records the
 * last click (tui_mouse_click reads it); where the cursor goes (false:
 * hidden). */
void tui_term_colors(void);
void tui_term_set_click(bool clicked, int y, int x);
bool tui_term_cursor(int *y, int *x);

/* help.c: the F1 page of a screen, pushed with a struct tui_help_of (the
 * screen and its title as shown); copied, so it may be a local. */
struct tui_help_of {
    const struct tui_screen *screen;
    const char *title; /* msgid, or NULL */
    const char *help;  /* msgid overriding the screen's (tui_set_help), or NULL */
    void *state;       /* the screen's state, for the actions' enabled() */
};
extern const struct tui_screen tui_help_screen;

#endif
