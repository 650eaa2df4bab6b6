/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Editing a form: typed characters and pastes (converted to half-width
 * where the field's rule takes that, or refused whole with a notice),
 * cursor keys, deletion, choices, moving between fields, and clicks on
 * where form_draw.c last put a field. */
#include <config.h>

#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"
#include "tui/form_internal.h"

#define CTRL(c) ((c)&0x1f)

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
