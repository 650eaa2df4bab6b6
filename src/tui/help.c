/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The F1 page, generated for the screen below it from its declaration:
 * its title and help text, then every action's key, label and help, then
 * the keys every screen has.  It scrolls when longer than the body. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "tui/internal.h"

#define ESC_KEY 27

struct help_state {
    struct tui_help_of of;
    int top, lines, height;
};

struct help_out {
    const struct tui_rect *r;
    int top, line;
};

/* Emits one wrapped paragraph with a hanging indent, skipping lines that
 * are scrolled off; counting every line gives the scroll limit. */
static void help_emit(struct help_out *o, int indent, enum tui_style st, const char *s)
{
    int w = o->r->w - indent;
    do {
        size_t next;
        size_t n = tui_text_wrap(s, w, &next);
        int row = o->line - o->top;
        if (row >= 0 && row < o->r->h) {
            char buf[1024];
            snprintf(buf, sizeof buf, "%.*s", (int)n, s);
            tui_draw_text(o->r->y + row, o->r->x + indent, w, st, buf);
        }
        o->line++;
        s += next;
    } while (*s);
}

static void help_key(struct help_out *o, int key, const char *label, const char *help)
{
    char name[32], line[1024];
    tui_key_name(key, name, sizeof name);
    tui_text_pad(line, sizeof line, name, 8);
    size_t len = strlen(line);
    snprintf(line + len, sizeof line - len, "%s: %s", _(label), help ? _(help) : "");
    help_emit(o, 2, TUI_NORMAL, line);
}

static int help_init(void *state, void *arg)
{
    struct help_state *h = state;
    h->of = *(const struct tui_help_of *)arg;
    return 0;
}

static int help_page(struct help_state *h, const struct tui_rect *r, int top)
{
    const struct tui_screen *s = h->of.screen;
    struct help_out o = {r, top, 0};
    const char *title = h->of.title;
    help_emit(&o, 0, TUI_HEADER, title ? _(title) : "");
    const char *help = h->of.help ? h->of.help : s->help;
    if (help)
        help_emit(&o, 0, TUI_NORMAL, _(help));
    help_emit(&o, 0, TUI_NORMAL, "");
    help_emit(&o, 0, TUI_HEADER, _("Keys"));
    /* The keys that work there now, as the key bar shows them. */
    for (const struct tui_action *a = s->actions; a && a->key; a++)
        if (!a->enabled || a->enabled(h->of.state))
            help_key(&o, a->key, a->label, a->help);
    help_key(&o, KEY_F(1), N_("Help"), N_("Show this help."));
    help_key(&o, ESC_KEY, N_("Back"), N_("Go back one level; on the first screen, quit."));
    help_emit(&o, 0, TUI_NORMAL, "");
    help_emit(&o, 0, TUI_NORMAL,
              _("Tab, Shift-Tab and the arrow keys move between items; "
                "Enter chooses or moves to the next field; a digit chooses "
                "a numbered menu item; PgUp and PgDn page through lists."));
    return o.line;
}

/* A page longer than the body gives its last line to a note saying how
 * much follows (or that this is the end), as pagers do. */
static void help_draw(void *state, const struct tui_rect *body)
{
    struct help_state *h = state;
    struct tui_rect none = {body->y, body->x, 0, body->w};
    int lines = help_page(h, &none, 0);
    struct tui_rect shown = *body;
    if (lines > body->h && body->h > 1)
        shown.h = body->h - 1;
    h->lines = lines;
    h->height = shown.h;
    int max = lines > shown.h ? lines - shown.h : 0;
    if (h->top > max)
        h->top = max;
    help_page(h, &shown, h->top);
    if (shown.h < body->h) {
        char note[256];
        int below = lines - h->top - shown.h;
        if (below > 0)
            snprintf(note, sizeof note, _("-- %d more lines below: PgDn or Down --"), below);
        else
            snprintf(note, sizeof note, "%s", _("-- End of help: PgUp or Up goes back --"));
        tui_draw_text(body->y + shown.h, body->x, body->w, TUI_KEYLABEL, note);
    }
}

static int help_keyfn(void *state, int key)
{
    struct help_state *h = state;
    int max = h->lines > h->height ? h->lines - h->height : 0;
    switch (key) {
    case KEY_UP:
        h->top--;
        break;
    case KEY_DOWN:
        h->top++;
        break;
    case KEY_PPAGE:
        h->top -= h->height;
        break;
    case KEY_NPAGE:
    case ' ':
        h->top += h->height;
        break;
    case KEY_HOME:
        h->top = 0;
        break;
    case KEY_END:
        h->top = max;
        break;
    default:
        return TUI_UNHANDLED;
    }
    if (h->top > max)
        h->top = max;
    if (h->top < 0)
        h->top = 0;
    return TUI_HANDLED;
}

const struct tui_screen tui_help_screen = {
    .title = N_("Help"),
    .state_size = sizeof(struct help_state),
    .init = help_init,
    .draw = help_draw,
    .key = help_keyfn,
};
