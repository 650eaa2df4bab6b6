/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drawing a form: one row per field, label, box (scrolled so the cursor
 * shows) or choices, and an error to the right of the box or wrapped
 * under it; the form scrolls to keep the focused field in view.  Where
 * each field landed is kept for form_keys.c's clicks. */
#include <config.h>

#include <stdlib.h>
#include <wchar.h>

#include "i18n.h"
#include "tui/form_internal.h"

static int span_width(const struct tui_field *f, const struct fstate *s, int from, int to)
{
    int w = 0;
    for (int i = from; i < to; i++)
        w += cell_width(f, s->buf[i]);
    return w;
}

/* Scrolls the box horizontally so the cursor cell is inside it, and uses
 * the whole box again when text before the cursor was deleted. */
static void scroll_box(const struct tui_field *f, struct fstate *s, int boxw)
{
    if (s->cur < s->first)
        s->first = s->cur;
    while (s->first < s->cur && span_width(f, s, s->first, s->cur) + 1 > boxw)
        s->first++;
    while (s->first > 0 && span_width(f, s, s->first - 1, s->cur) + 1 <= boxw)
        s->first--;
}

static void draw_text_box(const struct tui_field *f, struct fstate *s, bool focused, bool readonly)
{
    if (s->w <= 0)
        return;
    scroll_box(f, s, s->w);
    attr_t a = tui_attr(readonly ? TUI_NORMAL : TUI_FIELD);
    attron(a);
    mvhline(s->y, s->x, ' ', s->w);
    move(s->y, s->x);
    int used = 0;
    for (int i = s->first; i < s->len; i++) {
        int cw = cell_width(f, s->buf[i]);
        if (used + cw > s->w)
            break; /* a wide character that does not fit is not cut */
        wchar_t c[2] = {f->kind == TUI_FIELD_PASSWORD ? L'*' : s->buf[i], 0};
        if (wcwidth(c[0]) < 0)
            c[0] = L'?';
        addnwstr(c, 1);
        used += cw;
    }
    attroff(a);
    if (focused && !readonly)
        tui_show_cursor(s->y, s->x + span_width(f, s, s->first, s->cur));
}

static int choices_inline_width(const struct tui_field *f)
{
    int w = 0;
    for (int i = 0; f->choices && f->choices[i]; i++)
        w += 4 + tui_text_width(_(f->choices[i])) + 2;
    return w;
}

static void draw_choice(const struct tui_field *f, struct fstate *s, bool focused, bool readonly,
                        int avail)
{
    char buf[512];
    s->inline_choices = choices_inline_width(f) <= avail;
    enum tui_style st = focused && !readonly ? TUI_SELECTED : TUI_NORMAL;
    if (!s->inline_choices) {
        const char *c = nchoices(f) ? _(f->choices[s->choice]) : "";
        snprintf(buf, sizeof buf, "< %s >", c);
        s->w = tui_text_width(buf);
        tui_draw_text(s->y, s->x, s->w, st, buf);
        return;
    }
    int x = s->x;
    for (int i = 0; f->choices && f->choices[i]; i++) {
        /* ASCII radio marks: bullets are ambiguous-width in CJK fonts. */
        snprintf(buf, sizeof buf, "(%c) %s", i == s->choice ? '*' : ' ', _(f->choices[i]));
        int w = tui_text_width(buf);
        tui_draw_text(s->y, x, w, i == s->choice ? st : TUI_NORMAL, buf);
        x += w + 2;
    }
    s->w = x - s->x;
}

static int wrapped_rows(const char *s, int width)
{
    int n = 0;
    while (*s) {
        size_t next;
        tui_text_wrap(s, width, &next);
        s += next;
        n++;
    }
    return n;
}

/* The layout: one row per field, plus rows under it for an error that
 * does not fit to the right of the box. Returns the rows needed. */
static int layout(struct tui_form *form, const struct tui_rect *r, int labelw, int *rows)
{
    int row = 0;
    int boxx = r->x + labelw + 2;
    for (size_t i = 0; i < form->n; i++) {
        const struct tui_field *f = &form->fields[i];
        struct fstate *s = &form->st[i];
        rows[i] = row;
        int w = f->width > 0 ? f->width : max_of(f) + 1;
        if (!is_text(f))
            w = choices_inline_width(f);
        int room = r->x + r->w - boxx;
        if (w > room)
            w = room > 0 ? room : 0;
        s->x = boxx;
        s->w = w;
        row++;
        s->err_rows = 0;
        if (s->err[0] && boxx + w + 2 + tui_text_width(s->err) > r->x + r->w)
            s->err_rows = wrapped_rows(s->err, r->x + r->w - boxx);
        row += s->err_rows;
    }
    return row;
}

void tui_form_draw(struct tui_form *form, const struct tui_rect *r)
{
    int labelw = 0;
    for (size_t i = 0; i < form->n; i++) {
        int w = tui_text_width(_(label_of(form, i)));
        if (w > labelw)
            labelw = w;
    }
    if (labelw > r->w / 2)
        labelw = r->w / 2;
    int *rows = malloc((form->n ? form->n : 1) * sizeof *rows);
    if (!rows)
        return;
    int total = layout(form, r, labelw, rows);
    /* Keep the focused field, and an error under it, on screen. */
    int fr = form->n ? rows[form->focus] : 0;
    int fend = form->focus + 1 < form->n ? rows[form->focus + 1] : total;
    if (fr < form->top)
        form->top = fr;
    if (fend > form->top + r->h)
        form->top = fend - r->h;
    if (form->top > 0 && total - form->top < r->h)
        form->top = total > r->h ? total - r->h : 0;
    for (size_t i = 0; i < form->n; i++) {
        const struct tui_field *f = &form->fields[i];
        struct fstate *s = &form->st[i];
        int y = rows[i] - form->top;
        bool focused = i == form->focus;
        if (y < 0 || y >= r->h) {
            s->y = -1;
            continue;
        }
        s->y = r->y + y;
        tui_draw_text(s->y, r->x, labelw, focused ? TUI_HEADER : TUI_NORMAL, _(label_of(form, i)));
        if (is_text(f))
            draw_text_box(f, s, focused, form->readonly);
        else
            draw_choice(f, s, focused, form->readonly, r->x + r->w - s->x);
        if (!s->err[0])
            continue;
        struct tui_rect er = {s->y, s->x + s->w + 2, 1, 0};
        if (s->err_rows) {
            er = (struct tui_rect){s->y + 1, s->x, s->err_rows, 0};
            if (er.y + er.h > r->y + r->h)
                er.h = r->y + r->h - er.y;
        }
        er.w = r->x + r->w - er.x;
        tui_draw_wrapped(&er, TUI_ERROR, s->err);
    }
    free(rows);
}
