/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forms of typed fields with inline errors.
 *
 * Field editing is hand-written instead of using ncurses' form library:
 * that library stores field text as cells of a fixed-size window buffer,
 * so a double-width character can be split by its own line and column
 * arithmetic, max length counts cells rather than characters, reading a
 * value back means trimming padding out of the buffer, and every resize
 * needs the form unposted and rebuilt. Here a value is a wchar_t array
 * with a cursor index: one character is one element whatever its width,
 * and the box is only a view computed at each repaint. */
#include <config.h>

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"
#include "tui/internal.h"

#define CTRL(c) ((c)&0x1f)

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

/* Every form alive, so that Esc and Ctrl-C can ask about unsaved edits
 * without each screen answering for its own; the stack's depth, as
 * stack.c tells it. */
static struct tui_form *live;
static int stack_depth;

void tui_forms_set_depth(int depth)
{
    stack_depth = depth;
}

static int max_of(const struct tui_field *f)
{
    return f->rule ? f->rule->max_chars : f->max_chars;
}

static enum core_chars chars_of(const struct tui_field *f)
{
    if (f->rule)
        return f->rule->chars;
    if (f->kind == TUI_FIELD_DIGITS)
        return CORE_CHARS_DIGITS;
    if (f->kind == TUI_FIELD_DIAL)
        return CORE_CHARS_DIAL;
    return CORE_CHARS_ANY;
}

static bool is_text(const struct tui_field *f)
{
    return f->kind != TUI_FIELD_CHOICE;
}

static int nchoices(const struct tui_field *f)
{
    int n = 0;
    while (f->choices && f->choices[n])
        n++;
    return n;
}

void tui_form_free(struct tui_form *form)
{
    if (!form)
        return;
    for (struct tui_form **p = &live; *p; p = &(*p)->next_live)
        if (*p == form) {
            *p = form->next_live;
            break;
        }
    for (size_t i = 0; i < form->n && form->st; i++) {
        free(form->st[i].buf);
        free(form->st[i].utf8);
        free(form->st[i].saved);
    }
    free(form->st);
    free(form);
}

struct tui_form *tui_form_new(const struct tui_field *fields, size_t n, tui_form_submit_fn submit,
                              void *ctx)
{
    struct tui_form *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->fields = fields;
    f->n = n;
    f->submit = submit;
    f->ctx = ctx;
    f->st = calloc(n ? n : 1, sizeof *f->st);
    if (!f->st) {
        tui_form_free(f);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        size_t max = max_of(&fields[i]) > 0 ? (size_t)max_of(&fields[i]) : 0;
        f->st[i].buf = calloc(max + 1, sizeof(wchar_t));
        f->st[i].saved = calloc(max + 1, sizeof(wchar_t));
        f->st[i].utf8 = malloc(max * MB_LEN_MAX + 1);
        if (!f->st[i].buf || !f->st[i].utf8 || !f->st[i].saved) {
            tui_form_free(f);
            return NULL;
        }
    }
    f->owner = stack_depth - 1; /* init runs with its screen on top */
    f->next_live = live;
    live = f;
    return f;
}

const char *tui_form_value(struct tui_form *form, size_t field)
{
    if (field >= form->n)
        return "";
    const struct tui_field *fd = &form->fields[field];
    struct fstate *s = &form->st[field];
    if (!is_text(fd))
        return nchoices(fd) ? fd->choices[s->choice] : "";
    size_t off = 0;
    for (int i = 0; i < s->len; i++)
        off += tui_utf8_encode(s->buf[i], s->utf8 + off);
    s->utf8[off] = '\0';
    return s->utf8;
}

int tui_form_set_value(struct tui_form *form, size_t field, const char *v)
{
    if (field >= form->n || !is_text(&form->fields[field]))
        return -1;
    struct fstate *s = &form->st[field];
    int max = max_of(&form->fields[field]);
    wchar_t tmp;
    int len = 0;
    const char *p = v;
    /* Check the whole value first so that a failure leaves it unchanged. */
    while (*p) {
        size_t k = tui_utf8_decode(p, &tmp);
        if (k == (size_t)-1 || k == 0 || len >= max)
            return -1;
        p += k;
        len++;
    }
    p = v;
    for (int i = 0; i < len; i++)
        p += tui_utf8_decode(p, &s->buf[i]);
    s->len = s->cur = len;
    s->first = 0;
    memcpy(s->saved, s->buf, (size_t)len * sizeof(wchar_t));
    s->saved_len = len;
    if (s->notice) {
        s->err[0] = '\0';
        s->notice = false;
    }
    return 0;
}

int tui_form_choice(const struct tui_form *form, size_t field)
{
    return field < form->n ? form->st[field].choice : 0;
}

void tui_form_set_choice(struct tui_form *form, size_t field, int choice)
{
    if (field < form->n && choice >= 0 && choice < nchoices(&form->fields[field]))
        form->st[field].choice = form->st[field].saved_choice = choice;
}

static bool field_dirty(const struct tui_field *f, const struct fstate *s)
{
    if (!is_text(f))
        return s->choice != s->saved_choice;
    return s->len != s->saved_len || wmemcmp(s->buf, s->saved, (size_t)s->len) != 0;
}

bool tui_form_dirty(const struct tui_form *form)
{
    if (form->request || form->readonly)
        return false;
    for (size_t i = 0; i < form->n; i++)
        if (field_dirty(&form->fields[i], &form->st[i]))
            return true;
    return false;
}

void tui_form_mark_clean(struct tui_form *form)
{
    for (size_t i = 0; i < form->n; i++) {
        struct fstate *s = &form->st[i];
        memcpy(s->saved, s->buf, (size_t)s->len * sizeof(wchar_t));
        s->saved_len = s->len;
        s->saved_choice = s->choice;
    }
}

void tui_form_set_request(struct tui_form *form)
{
    form->request = true;
}

static bool dirty_from(int first)
{
    for (const struct tui_form *f = live; f; f = f->next_live)
        if (f->owner >= first && f->owner < stack_depth && tui_form_dirty(f))
            return true;
    return false;
}

bool tui_top_dirty(void)
{
    return dirty_from(stack_depth - 1);
}

bool tui_any_dirty(void)
{
    return dirty_from(0);
}

void tui_form_set_error(struct tui_form *form, size_t field, const char *text)
{
    if (field < form->n) {
        snprintf(form->st[field].err, sizeof form->st[field].err, "%s", text ? text : "");
        form->st[field].notice = false;
    }
}

void tui_form_clear_errors(struct tui_form *form)
{
    for (size_t i = 0; i < form->n; i++) {
        form->st[i].err[0] = '\0';
        form->st[i].notice = false;
    }
}

bool tui_form_has_errors(const struct tui_form *form)
{
    for (size_t i = 0; i < form->n; i++)
        if (form->st[i].err[0])
            return true;
    return false;
}

void tui_form_set_readonly(struct tui_form *form, bool readonly)
{
    form->readonly = readonly;
}

bool tui_form_readonly(const struct tui_form *form)
{
    return form->readonly;
}

void tui_form_set_label(struct tui_form *form, size_t field, const char *msgid)
{
    if (field < form->n)
        form->st[field].label = msgid;
}

static const char *label_of(const struct tui_form *form, size_t i)
{
    return form->st[i].label ? form->st[i].label : form->fields[i].label;
}

void tui_form_set_focus(struct tui_form *form, size_t field)
{
    if (field < form->n)
        form->focus = field;
}

size_t tui_form_focus(const struct tui_form *form)
{
    return form->focus;
}

/* Columns one character takes in the box: a password shows one '*' per
 * character, whatever the character. */
static int cell_width(const struct tui_field *f, wchar_t c)
{
    if (f->kind == TUI_FIELD_PASSWORD)
        return 1;
    int w = wcwidth(c);
    return w < 0 ? 1 : w;
}

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

/* Refuses a key or paste aloud: the bell, and the reason next to the
 * field until the next edit. */
static void refuse(struct fstate *s, const char *text)
{
    beep();
    snprintf(s->err, sizeof s->err, "%s", text);
    s->notice = true;
}

static void refuse_limit(const struct tui_field *f, struct fstate *s)
{
    char text[256];
    int max = max_of(f);
    snprintf(text, sizeof text, ngettext("Up to %d character.", "Up to %d characters.", max), max);
    refuse(s, text);
}

static void refuse_chars(const struct tui_field *f, struct fstate *s)
{
    const char *msgid = core_chars_msgid(chars_of(f));
    refuse(s, msgid ? _(msgid) : _("This character cannot be typed here."));
}

static void edited(struct fstate *s)
{
    if (s->notice) {
        s->err[0] = '\0';
        s->notice = false;
    }
}

/* Inserts text at the cursor: all of it, converted to half-width where the
 * field takes that, or (when one character does not belong or the whole
 * would pass the limit) nothing. */
static void insert_text(const struct tui_field *f, struct fstate *s, const wchar_t *text, size_t n)
{
    enum core_chars chars = chars_of(f);
    wchar_t conv[1024];
    if (n > sizeof conv / sizeof conv[0]) {
        refuse_limit(f, s);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        conv[i] = (wchar_t)core_chars_halfwidth(chars, (uint32_t)text[i]);
        if (!core_chars_accept(chars, (uint32_t)conv[i])) {
            refuse_chars(f, s);
            return;
        }
    }
    if ((size_t)s->len + n > (size_t)max_of(f)) {
        refuse_limit(f, s);
        return;
    }
    memmove(&s->buf[s->cur + (int)n], &s->buf[s->cur], (size_t)(s->len - s->cur) * sizeof(wchar_t));
    memcpy(&s->buf[s->cur], conv, n * sizeof(wchar_t));
    s->cur += (int)n;
    s->len += (int)n;
    edited(s);
}

static void delete_at(struct fstate *s, int at)
{
    if (at < 0 || at >= s->len)
        return;
    memmove(&s->buf[at], &s->buf[at + 1], (size_t)(s->len - at - 1) * sizeof(wchar_t));
    s->len--;
    if (s->cur > at)
        s->cur--;
}

static int edit_text(const struct tui_field *f, struct fstate *s, int key)
{
    wchar_t c;
    switch (key) {
    case KEY_LEFT:
        if (s->cur > 0)
            s->cur--;
        break;
    case KEY_RIGHT:
        if (s->cur < s->len)
            s->cur++;
        break;
    case KEY_HOME:
    case CTRL('a'):
        s->cur = 0;
        break;
    case KEY_END:
    case CTRL('e'):
        s->cur = s->len;
        break;
    case KEY_BACKSPACE:
    case 127:
    case CTRL('h'):
        delete_at(s, s->cur - 1);
        edited(s);
        break;
    case KEY_DC:
    case CTRL('d'):
        delete_at(s, s->cur);
        edited(s);
        break;
    case CTRL('u'):
        s->len = s->cur = s->first = 0;
        edited(s);
        break;
    case TUI_KEY_PASTE: {
        size_t n;
        const wchar_t *text = tui_paste_text(&n);
        insert_text(f, s, text, n);
        break;
    }
    default:
        if (!tui_key_char(key, &c))
            return TUI_UNHANDLED;
        insert_text(f, s, &c, 1);
    }
    return TUI_HANDLED;
}

static int edit_choice(const struct tui_field *f, struct fstate *s, int key)
{
    int n = nchoices(f);
    if (n == 0)
        return TUI_UNHANDLED;
    if (key == KEY_LEFT)
        s->choice = (s->choice + n - 1) % n;
    else if (key == KEY_RIGHT || key == ' ')
        s->choice = (s->choice + 1) % n;
    else
        return TUI_UNHANDLED;
    return TUI_HANDLED;
}

static int click(struct tui_form *form, int y, int x)
{
    for (size_t i = 0; i < form->n; i++) {
        const struct tui_field *f = &form->fields[i];
        struct fstate *s = &form->st[i];
        if (s->y != y || x < 0)
            continue;
        form->focus = i;
        if (form->readonly || x < s->x)
            return TUI_HANDLED;
        if (is_text(f)) {
            /* Put the cursor on the clicked character. */
            int col = s->x;
            s->cur = s->first;
            while (s->cur < s->len && col + cell_width(f, s->buf[s->cur]) <= x) {
                col += cell_width(f, s->buf[s->cur]);
                s->cur++;
            }
        } else if (s->inline_choices) {
            int cx = s->x;
            for (int c = 0; f->choices[c]; c++) {
                int w = 4 + tui_text_width(_(f->choices[c]));
                if (x >= cx && x < cx + w)
                    s->choice = c;
                cx += w + 2;
            }
        } else {
            edit_choice(f, s, KEY_RIGHT);
        }
        return TUI_HANDLED;
    }
    return TUI_UNHANDLED;
}

void tui_form_submit(struct tui_form *form)
{
    if (!form->readonly && form->submit)
        form->submit(form->ctx, form);
}

int tui_form_key(struct tui_form *form, int key)
{
    if (form->n == 0)
        return TUI_UNHANDLED;
    const struct tui_field *f = &form->fields[form->focus];
    struct fstate *s = &form->st[form->focus];
    int y, x;
    if (key == '\t' || key == KEY_DOWN) {
        form->focus = (form->focus + 1) % form->n;
        return TUI_HANDLED;
    }
    if (key == KEY_BTAB || key == KEY_UP) {
        form->focus = (form->focus + form->n - 1) % form->n;
        return TUI_HANDLED;
    }
    if (tui_key_is_enter(key)) {
        if (form->focus + 1 < form->n)
            form->focus++;
        else
            tui_form_submit(form);
        return TUI_HANDLED;
    }
    if (key == KEY_MOUSE)
        return tui_mouse_click(&y, &x) ? click(form, y, x) : TUI_UNHANDLED;
    if (form->readonly)
        return TUI_UNHANDLED;
    return is_text(f) ? edit_text(f, s, key) : edit_choice(f, s, key);
}
