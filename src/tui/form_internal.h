/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A form's state, shared by the three files of forms only: form.c (the
 * values, errors and unsaved edits), form_draw.c (the layout and drawing)
 * and form_keys.c (editing by key, paste and click). */
#ifndef KASCON_TUI_FORM_INTERNAL_H
#define KASCON_TUI_FORM_INTERNAL_H

#include <wchar.h>

#include "tui/internal.h"

struct fstate {
    wchar_t *buf; /* max_chars + 1 */
    int len, cur, first;
    int choice;
    char *utf8;     /* tui_form_value's buffer */
    wchar_t *saved; /* the value as the program last set it */
    int saved_len, saved_choice;
    const char *label; /* msgid overriding the field's, or NULL */
    char err[256];
    bool notice; /* err is a refused key's message, gone at the next edit */
    /* Where the last repaint put the field, for mouse clicks. */
    int y, x, w;
    int err_rows; /* rows under the field; 0: error to the right */
    bool inline_choices;
};

struct tui_form {
    const struct tui_field *fields;
    size_t n;
    tui_form_submit_fn submit;
    void *ctx;
    size_t focus;
    int top; /* first layout row shown */
    bool readonly;
    bool request; /* a search or file name, not an edit: never dirty */
    int owner;    /* index of the screen frame the form belongs to */
    struct tui_form *next_live;
    struct fstate *st;
};

static inline int max_of(const struct tui_field *f)
{
    return f->rule ? f->rule->max_chars : f->max_chars;
}

static inline enum core_chars chars_of(const struct tui_field *f)
{
    if (f->rule)
        return f->rule->chars;
    if (f->kind == TUI_FIELD_DIGITS)
        return CORE_CHARS_DIGITS;
    if (f->kind == TUI_FIELD_DIAL)
        return CORE_CHARS_DIAL;
    return CORE_CHARS_ANY;
}

static inline bool is_text(const struct tui_field *f)
{
    return f->kind != TUI_FIELD_CHOICE;
}

static inline int nchoices(const struct tui_field *f)
{
    int n = 0;
    while (f->choices && f->choices[n])
        n++;
    return n;
}

static inline const char *label_of(const struct tui_form *form, size_t i)
{
    return form->st[i].label ? form->st[i].label : form->fields[i].label;
}

/* Columns one character takes in the box: a password shows one '*' per
 * character, whatever the character. */
static inline int cell_width(const struct tui_field *f, wchar_t c)
{
    if (f->kind == TUI_FIELD_PASSWORD)
        return 1;
    int w = wcwidth(c);
    return w < 0 ? 1 : w;
}

#endif
