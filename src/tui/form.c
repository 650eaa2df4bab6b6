/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forms of typed fields with inline errors: a form's values, its errors
 * and whether it holds unsaved edits.  Drawing is form_draw.c, editing by
 * key and mouse form_keys.c.
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
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/form_internal.h"

/* Every form alive, so that Esc and Ctrl-C can ask about unsaved edits
 * without each screen answering for its own; the stack's depth, as
 * stack.c tells it. */
static struct tui_form *live;
static int stack_depth;

void tui_forms_set_depth(int depth)
{
    stack_depth = depth;
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

void tui_form_set_focus(struct tui_form *form, size_t field)
{
    if (field < form->n)
        form->focus = field;
}

size_t tui_form_focus(const struct tui_form *form)
{
    return form->focus;
}

void tui_form_submit(struct tui_form *form)
{
    if (!form->readonly && form->submit)
        form->submit(form->ctx, form);
}
