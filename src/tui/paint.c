/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Painting the stack: the title bar (the path through the menus), the top
 * screen's body, the result area and the key bar, whose items are kept
 * for the mouse.  Everything is painted into stdscr from the widgets' own
 * state on every pass of the loop, with no long-lived subwindows.  That is
 * what makes KEY_RESIZE cheap and safe: nothing sized to the old terminal
 * survives to be moved, so a resize is just another repaint and no widget
 * loses its values, selection or page. */
#include <config.h>

#include <string.h>

#include "i18n.h"
#include "tui/internal.h"

#define MAX_HITS 32

struct hit {
    int x0, x1, key;
};

/* Where the last paint put each item of the key bar. */
static struct {
    struct hit hits[MAX_HITS];
    int nhits;
} bar;

/* The path through the menu tree, so an administrator always knows
 * where they are, from crumb `from` on ("…" standing for those before). */
static void title_line(const struct tui_frame *f, int from, char *line, size_t size)
{
    size_t len = 0;
    line[0] = '\0';
    const char *prev = NULL;
    for (int i = from; i < tui_depth(); i++) {
        const char *t = tui_frame_title(tui_frame_at(i));
        /* A screen opened from the menu item of its own name is one crumb. */
        if (!t || (prev && !strcmp(_(t), _(prev))))
            continue;
        prev = t;
        const char *sep = len ? " > " : from > 0 ? " \xe2\x80\xa6 > " : " ";
        int n = snprintf(line + len, size - len, "%s%s", sep, _(t));
        if (n < 0 || (size_t)n >= size - len)
            break;
        len += (size_t)n;
    }
    if (f->subtitle[0])
        snprintf(line + len, size - len, ": %s", f->subtitle);
}

static void paint_title(const struct tui_frame *f)
{
    char line[1024];
    /* Too wide: the first crumbs give way, never the current screen. */
    int from = 0;
    title_line(f, from, line, sizeof line);
    while (tui_text_width(line) > COLS - 1 && from + 1 < tui_depth())
        title_line(f, ++from, line, sizeof line);
    tui_draw_text(0, 0, COLS, TUI_TITLE, line);
}

/* The result area (the guide's ■実行結果) has a fixed height: a message of
 * two or three lines never moves what is above it.  Three lines hold a
 * problem naming several groups in Japanese at 80 columns; a longer one
 * ends in an ellipsis.  Short terminals give up lines for the body. */
static int result_height(void)
{
    return LINES >= 20 ? 3 : LINES >= 12 ? 2 : 1;
}

static void paint_result(const struct tui_frame *f, int y, int lines)
{
    char head[256];
    /* TRANSLATORS: the guide's heading is ■実行結果; the ■ is added here. */
    snprintf(head, sizeof head, "\xe2\x96\xa0%s", _("Result"));
    int w = tui_text_width(head);
    tui_draw_text(y, 0, w, TUI_HEADER, head);
    if (COLS > w + 1)
        mvhline(y, w + 1, ACS_HLINE, COLS - w - 1);
    /* The status, right-aligned on the heading's rule, cut to what fits. */
    if (tui_status()[0] && COLS > w + 4) {
        char cut[256];
        int sw = tui_text_truncate(cut, sizeof cut, tui_status(), COLS - w - 4);
        tui_draw_text(y, COLS - sw - 1, sw, TUI_ERROR, cut);
    }
    enum tui_style st = f->result_error ? TUI_ERROR : TUI_OK;
    int width = COLS - 1 > 1 ? COLS - 1 : 1;
    const char *s = f->result;
    /* Whole lines, edge to edge: nothing a body or an earlier message left
     * there survives a shorter message. */
    for (int i = 0; i < lines; i++) {
        move(y + 1 + i, 0);
        clrtoeol();
    }
    for (int i = 0; i < lines && *s; i++) {
        char buf[1024];
        size_t next;
        size_t n = tui_text_wrap(s, width, &next);
        if (i == lines - 1 && s[next])
            tui_text_truncate(buf, sizeof buf, s, width);
        else
            snprintf(buf, sizeof buf, "%.*s", (int)n, s);
        tui_draw_text(y + 1 + i, 1, width, st, buf);
        s += next;
    }
}

static int keybar_item(int x, int key, const char *label)
{
    char name[32];
    tui_key_name(key, name, sizeof name);
    int kw = tui_text_width(name);
    char l[128];
    snprintf(l, sizeof l, " %s ", _(label));
    int lw = tui_text_width(l);
    if (x + kw + lw > COLS || bar.nhits >= MAX_HITS)
        return x; /* no room; F1 still lists it */
    tui_draw_text(LINES - 1, x, kw, TUI_KEY, name);
    tui_draw_text(LINES - 1, x + kw, lw, TUI_KEYLABEL, l);
    bar.hits[bar.nhits++] = (struct hit){x, x + kw + lw, key};
    return x + kw + lw + 1;
}

static void paint_keybar(const struct tui_frame *f)
{
    int x = 0;
    bar.nhits = 0;
    move(LINES - 1, 0);
    clrtoeol();
    if (f->screen != &tui_help_screen)
        x = keybar_item(x, KEY_F(1), N_("Help"));
    for (const struct tui_action *a = f->screen->actions; a && a->key; a++)
        if (tui_action_enabled(a, f->state))
            x = keybar_item(x, a->key, a->label);
    keybar_item(x, TUI_KEY_ESC, tui_depth() > 1 ? N_("Back") : N_("Quit"));
}

void tui_paint_stack(void)
{
    struct tui_frame *f = tui_top_frame();
    erase();
    tui_show_cursor(-1, -1);
    if (!f)
        return;
    /* Title, one spare line, body, the result heading and its lines, the
     * key bar. The body goes first: its draw may set the title or subtitle. */
    int lines = result_height();
    struct tui_rect body = {2, 1, LINES - 5 - lines, COLS - 2};
    if (body.h > 0 && body.w > 0 && f->screen->draw)
        f->screen->draw(f->state, &body);
    else if (body.h > 0 && body.w > 0 && f->form)
        tui_form_draw(f->form, &body);
    paint_title(f);
    if (LINES >= 6)
        paint_result(f, LINES - 2 - lines, lines);
    paint_keybar(f);
}

void tui_refresh(void)
{
    int y, x;
    if (tui_term_cursor(&y, &x)) {
        move(y, x);
        curs_set(1);
    } else {
        curs_set(0);
    }
    refresh();
}

int tui_keybar_key_at(int y, int x)
{
    if (y != LINES - 1)
        return 0;
    for (int i = 0; i < bar.nhits; i++)
        if (x >= bar.hits[i].x0 && x < bar.hits[i].x1)
            return bar.hits[i].key;
    return 0;
}
