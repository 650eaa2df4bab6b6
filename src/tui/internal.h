/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between the toolkit's own files only; screens use tui.h. */
#ifndef KASCON_TUI_INTERNAL_H
#define KASCON_TUI_INTERNAL_H

#include "tui/tui.h"

/* Repaints the whole stack (title, body, result area, key bar) into stdscr
 * without refreshing, so that a modal dialog can draw itself on top. */
void tui_paint_stack(void);
/* Reads one key as the toolkit encodes it; handles the idle timer. */
int tui_read_key(void);
/* The index of the screen frame a form made now belongs to: the top one
 * (a screen is on top while its init runs). */
int tui_new_form_owner(void);
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
