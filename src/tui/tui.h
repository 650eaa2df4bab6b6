/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The console's widget toolkit on ncursesw: screen stack, key bar and F1
 * help generated from one action table, menu, form, keyset-paged list,
 * dialogs, result area, progress bar and display-width text helpers.
 * It knows nothing of extensions or groups; screens/ supplies the words.
 *
 * All labels given to the toolkit in tables (titles, help, action labels,
 * field labels, choices, column titles) are msgids: the toolkit translates
 * them when drawing, so const tables stay translatable. Messages passed to
 * tui_result_*, tui_form_set_error and the dialogs are already translated
 * (they are usually formatted), and the toolkit copies them. */
#ifndef KASCON_TUI_H
#define KASCON_TUI_H

/* The wide-character half of ncursesw is only declared with this set; this
 * header is the one place the rest of the program includes curses from. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/field.h"

/* Key handlers return this when they used the key. */
#define TUI_HANDLED 1
#define TUI_UNHANDLED 0

/* Typed characters whose code point falls in ncurses' KEY_* range are moved
 * out of it with this bit, so that e.g. U+0148 never reads as KEY_DC. */
#define TUI_KEY_CHAR_BIT 0x40000000
/* Keys the toolkit makes up, outside both ncurses' codes and Unicode:
 * pasted text (bracketed paste, or a burst of characters that arrived
 * together; read it with tui_paste_text), Ctrl-C, and the end of the
 * session (SIGHUP, SIGTERM: the terminal or connection is gone). */
#define TUI_KEY_PASTE 0x20000001
#define TUI_KEY_INTERRUPT 0x20000002
#define TUI_KEY_HANGUP 0x20000003

struct tui_rect {
    int y, x, h, w;
};

enum tui_style {
    TUI_NORMAL,
    TUI_TITLE,
    TUI_SELECTED,
    TUI_FIELD,
    TUI_ERROR,
    TUI_OK,
    TUI_KEY,
    TUI_KEYLABEL,
    TUI_HEADER,
    TUI_DIM,
    TUI_STYLE_COUNT
};

/* ---- screens and actions ---------------------------------------------- */

struct tui_action {
    int key;           /* KEY_F(2), KEY_DC, 'd', ...; 0 ends a table */
    const char *label; /* msgid, one or two words for the key bar */
    const char *help;  /* msgid, one sentence for the F1 screen */
    void (*run)(void *state);
    /* NULL means always; false hides it from the bar and ignores the key
     * (e.g. Save while another administrator holds the lock). */
    bool (*enabled)(void *state);
};

struct tui_form_spec;

/* A screen is one const declaration (as tig's view_ops): its words, its
 * actions, the size of its state and the callbacks on that state.  The
 * toolkit allocates the state (zeroed, state_size bytes) when the screen
 * is pushed and frees it when it is popped; with state_size 0 the state
 * is the argument of tui_push.  A form screen names its form (fields and
 * submit function): the toolkit builds it before init, draws it, gives
 * it the keys the screen leaves and frees it. */
struct tui_screen {
    const char *title;                /* msgid */
    const char *help;                 /* msgid, shown by F1 */
    const struct tui_action *actions; /* may be NULL */
    size_t state_size;
    const struct tui_form_spec *form; /* may be NULL */
    /* Fills the state from the argument of tui_push; nonzero refuses the
     * push (free is called all the same).  While it runs, the screen is
     * the top one (tui_screen_form).  May be NULL. */
    int (*init)(void *state, void *arg);
    /* Releases what init (or later work) took; not the state itself.  Safe
     * on a state init left half-filled.  May be NULL. */
    void (*free)(void *state);
    /* May be NULL for a form screen: the form is drawn in the body. */
    void (*draw)(void *state, const struct tui_rect *body);
    /* TUI_HANDLED or TUI_UNHANDLED.  May be NULL for a form screen: the
     * form gets the keys (a screen with its own key function passes them
     * to its form itself). */
    int (*key)(void *state, int key);
};

/* Asks terminfo about $TERM before tui_init: 0 when the console can draw
 * on it, TUI_TERM_UNKNOWN when terminfo does not know the name (or TERM is
 * unset), TUI_TERM_DUMB when it cannot address the cursor (TERM=dumb). */
enum { TUI_TERM_UNKNOWN = 1, TUI_TERM_DUMB = 2 };
int tui_terminal_check(int fd);
/* Call after setlocale(). Returns 0, or -1 when the terminal is unusable. */
int tui_init(void);
void tui_shutdown(void);
/* Runs until the stack is empty or tui_quit() is called. */
void tui_run(void);
void tui_quit(void);
int tui_push(const struct tui_screen *screen, void *arg);
void tui_pop(void);
/* Replaces the whole stack with this screen once the current key has been
 * handled (login -> main menu, logout -> login). */
void tui_reset_to(const struct tui_screen *screen, void *arg);
int tui_depth(void);
/* The form of the top screen (a form screen's), or NULL. */
struct tui_form *tui_screen_form(void);
/* An action's run function that submits the top screen's form, as Enter
 * on its last field does (the form screen's F2 保存 / 登録). */
void tui_submit(void *state);
/* Replaces the top screen's title msgid (one screen serving many menus);
 * may be called from its draw callback. */
void tui_set_title(const char *msgid);
/* Replaces the top screen's F1 text (a screen serving two kinds). */
void tui_set_help(const char *msgid);
/* A translated line shown after the title, e.g. the item being edited. */
void tui_set_subtitle(const char *text);
/* Calls fn every ms milliseconds while waiting for keys (lock leases);
 * ms <= 0 switches it off. */
void tui_set_idle(int ms, void (*fn)(void *ctx), void *ctx);
/* Calls fn once, after the next paint reaches the terminal and before the
 * next key is read (work that must not delay the first screen). */
void tui_after_paint(void (*fn)(void *ctx), void *ctx);
/* Seconds since the user last typed or clicked (for idle timeouts). */
double tui_idle_seconds(void);
/* Where the terminal cursor goes after this draw (editable fields). */
void tui_show_cursor(int y, int x);
/* The position of the last mouse click, when key == KEY_MOUSE. */
bool tui_mouse_click(int *y, int *x);
/* True when the top screen has no unsaved edits, or the user agreed to
 * discard them (「変更を破棄しますか」); for Esc and back actions. */
bool tui_leave_ok(void);
/* The text of the last TUI_KEY_PASTE, *n characters, without a final
 * newline. */
const wchar_t *tui_paste_text(size_t *n);
/* True once SIGHUP or SIGTERM came: screens stop asking and return. */
bool tui_hangup(void);
/* True, with the character, when key is a printable typed character. */
bool tui_key_char(int key, wchar_t *wc);
bool tui_key_is_enter(int key);
/* A readable key name for bars and help: "F2", "Enter", "d". */
void tui_key_name(int key, char *buf, size_t size);

/* ---- result area ("■Result") ------------------------------------------- */

void tui_result_ok(const char *text);
void tui_result_error(const char *text);
void tui_result_clear(void);
/* A lasting status (a registrar that waits), shown at the right of the
 * result heading on every screen until changed; "" clears it. */
void tui_set_status(const char *text);

/* ---- drawing and text helpers ------------------------------------------ */

attr_t tui_attr(enum tui_style style);
/* Draws s in exactly width columns (cut at a character, padded). */
void tui_draw_text(int y, int x, int width, enum tui_style style, const char *s);
/* Wraps s into the rectangle; returns the number of lines it needs. */
int tui_draw_wrapped(const struct tui_rect *r, enum tui_style style, const char *s);
void tui_draw_box(const struct tui_rect *r, enum tui_style style);
int tui_text_width(const char *s);
/* Bytes of the longest prefix of s within width columns; *cols gets its
 * width (may be NULL). Never ends inside a character. */
size_t tui_text_fit(const char *s, int width, int *cols);
/* Copies s cut to width columns, ending in an ellipsis when cut. Returns
 * the columns used. */
int tui_text_truncate(char *dst, size_t size, const char *s, int width);
/* As tui_text_truncate, then pads with spaces to exactly width columns. */
int tui_text_pad(char *dst, size_t size, const char *s, int width);
/* Bytes of the first line of s when wrapped at width; *next is where the
 * following line starts (spaces at the break are skipped). */
size_t tui_text_wrap(const char *s, int width, size_t *next);

/* ---- menu ---------------------------------------------------------------- */

struct tui_menu_item {
    const char *label; /* msgid */
    const void *data;  /* the caller's, e.g. the screen to open */
};

struct tui_menu;
typedef void (*tui_menu_choose_fn)(void *ctx, size_t index, const void *data);

struct tui_menu *tui_menu_new(const struct tui_menu_item *items, size_t n,
                              tui_menu_choose_fn choose, void *ctx);
void tui_menu_free(struct tui_menu *menu);
void tui_menu_draw(struct tui_menu *menu, const struct tui_rect *r);
int tui_menu_key(struct tui_menu *menu, int key);
size_t tui_menu_selected(const struct tui_menu *menu);

/* ---- form ---------------------------------------------------------------- */

enum tui_field_kind {
    TUI_FIELD_TEXT,
    TUI_FIELD_DIGITS,   /* 0-9 only */
    TUI_FIELD_DIAL,     /* 0-9 * # (feature codes) */
    TUI_FIELD_PASSWORD, /* shown as '*', never echoed */
    TUI_FIELD_CHOICE    /* one of choices[], Left/Right/Space */
};

/* A key or paste that would pass a text field's limit or leave its
 * characters inserts nothing, rings the bell and says why next to the
 * field; full-width digits and letters become half-width where the field
 * takes only those. */
struct tui_field {
    const char *label; /* msgid */
    enum tui_field_kind kind;
    int max_chars;              /* characters, not bytes; unused with rule */
    int width;                  /* columns of the box; 0: from max_chars */
    const char *const *choices; /* msgids, NULL-terminated (CHOICE) */
    /* The core's rule for the value (limit and characters); NULL: max_chars
     * and the kind's characters (DIGITS, DIAL; any for TEXT). */
    const struct core_field_rule *rule;
};

struct tui_form;
typedef void (*tui_form_submit_fn)(void *ctx, struct tui_form *form);

/* A form screen's form: the fields, and the function Enter on the last
 * field and tui_submit call, with the screen's state as ctx. */
struct tui_form_spec {
    const struct tui_field *fields;
    size_t count;
    tui_form_submit_fn submit;
};

struct tui_form *tui_form_new(const struct tui_field *fields, size_t n, tui_form_submit_fn submit,
                              void *ctx);
void tui_form_free(struct tui_form *form);
void tui_form_draw(struct tui_form *form, const struct tui_rect *r);
int tui_form_key(struct tui_form *form, int key);
/* What Enter on the last field does: calls submit unless read-only. */
void tui_form_submit(struct tui_form *form);
/* UTF-8 value of a text-like field; for a choice, the choice's msgid.
 * Valid until the field changes. */
const char *tui_form_value(struct tui_form *form, size_t field);
/* Returns 0, or -1 when the value is not valid UTF-8 or too long. */
int tui_form_set_value(struct tui_form *form, size_t field, const char *s);
int tui_form_choice(const struct tui_form *form, size_t field);
void tui_form_set_choice(struct tui_form *form, size_t field, int choice);
void tui_form_set_error(struct tui_form *form, size_t field, const char *text);
void tui_form_clear_errors(struct tui_form *form);
bool tui_form_has_errors(const struct tui_form *form);
void tui_form_set_readonly(struct tui_form *form, bool readonly);
bool tui_form_readonly(const struct tui_form *form);
/* Replaces a field's label msgid (e.g. "New secret question" once one is set). */
void tui_form_set_label(struct tui_form *form, size_t field, const char *msgid);
void tui_form_set_focus(struct tui_form *form, size_t field);
size_t tui_form_focus(const struct tui_form *form);
/* Whether the user changed a value since it was last set by the program
 * (tui_form_set_value/set_choice, which a screen calls when it shows what
 * is stored, or tui_form_mark_clean after a save that keeps the values).
 * Esc, back and Ctrl-C ask before such edits are thrown away. */
bool tui_form_dirty(const struct tui_form *form);
void tui_form_mark_clean(struct tui_form *form);
/* A form that asks for something (a search, a file name) rather than
 * editing stored values: leaving it never asks. */
void tui_form_set_request(struct tui_form *form);
/* Whether a form of the top screen (or of any screen) holds unsaved edits. */
bool tui_top_dirty(void);
bool tui_any_dirty(void);

/* ---- list with keyset paging -------------------------------------------- */

enum tui_list_dir {
    TUI_LIST_AFTER, /* rows whose key sorts after key, ascending */
    TUI_LIST_BEFORE /* rows before key, nearest first (descending) */
};

#define TUI_LIST_MAX_COLS 16

/* Widths are what the data needs; the list widens a column to its title,
 * and where the terminal is too narrow for every title on one line it
 * gives up data width first, then wraps titles onto two lines.  At 132
 * columns and wider every column widens in proportion. */
struct tui_list_column {
    const char *title; /* msgid */
    int width;         /* columns; 0 takes what is left */
    bool right;        /* right-aligned (numbers) */
};

struct tui_list_sink;
/* Adds one row (ncols strings, copied) during a fetch. Returns -1 once the
 * page is full; the fetch should stop then. */
int tui_list_sink_row(struct tui_list_sink *sink, const char *const *cols, const char *key);
/* Delivers at most max_rows rows next to key (NULL: from the start for
 * AFTER, from the end for BEFORE) into the sink. Returns 0, or nonzero after
 * telling the user (e.g. tui_result_error); the list keeps its rows then. */
typedef int (*tui_list_fetch_fn)(void *ctx, const char *key, enum tui_list_dir dir, int max_rows,
                                 struct tui_list_sink *sink);
typedef void (*tui_list_activate_fn)(void *ctx, const char *key);

struct tui_list;
struct tui_list *tui_list_new(const struct tui_list_column *cols, int ncols,
                              tui_list_fetch_fn fetch, tui_list_activate_fn activate, void *ctx);
void tui_list_free(struct tui_list *list);
void tui_list_draw(struct tui_list *list, const struct tui_rect *r);
int tui_list_key(struct tui_list *list, int key);
/* Key of the selected row, or NULL when the list is empty. */
const char *tui_list_selected(const struct tui_list *list);
/* Shows the page starting at the first row at or after key (NULL: top). */
void tui_list_seek(struct tui_list *list, const char *key);
/* Fetches the visible page again, keeping the selection where possible. */
void tui_list_reload(struct tui_list *list);
/* Lists never show old rows: a page is fetched again when the screen comes
 * back from one above it, and when it has been shown for two seconds (what
 * another session changed).  tui_list_draw does it; a screen whose
 * counters (登録数, 残数) go with the list calls this first and reads them
 * again when it returns true. */
bool tui_list_freshen(struct tui_list *list);

/* ---- dialogs and progress ------------------------------------------------ */

/* Modal yes/no question; true for yes. Esc and n answer no. */
bool tui_confirm(const char *title, const char *text);
void tui_message(const char *title, const char *text);
/* Draws a centred progress box at once; call as the work advances. */
void tui_progress(const char *title, long done, long total);

#endif
