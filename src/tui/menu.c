/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Numbered menu. Hand-written rather than ncurses' menu library: that
 * library wants its own subwindow posted at a fixed size (so every resize
 * means unpost, rebuild, repost) and has no numbered choice or click
 * mapping; the whole widget here is a selection index and a scroll
 * offset, repainted from scratch. */
#include <config.h>

#include <stdlib.h>

#include "i18n.h"
#include "tui/internal.h"

struct tui_menu {
    const struct tui_menu_item *items;
    size_t n;
    tui_menu_choose_fn choose;
    void *ctx;
    size_t sel, top;
    size_t typed; /* number typed so far, for menus of ten or more */
    struct tui_rect r;
};

struct tui_menu *tui_menu_new(const struct tui_menu_item *items, size_t n,
                              tui_menu_choose_fn choose, void *ctx)
{
    struct tui_menu *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->items = items;
    m->n = n;
    m->choose = choose;
    m->ctx = ctx;
    return m;
}

void tui_menu_free(struct tui_menu *menu)
{
    free(menu);
}

size_t tui_menu_selected(const struct tui_menu *menu)
{
    return menu->sel;
}

static void keep_visible(struct tui_menu *m)
{
    size_t h = m->r.h > 0 ? (size_t)m->r.h : 1;
    if (m->sel < m->top)
        m->top = m->sel;
    if (m->sel >= m->top + h)
        m->top = m->sel - h + 1;
    if (m->n > h && m->top > m->n - h)
        m->top = m->n - h;
}

void tui_menu_draw(struct tui_menu *menu, const struct tui_rect *r)
{
    struct tui_menu *m = menu;
    m->r = *r;
    keep_visible(m);
    int numw = m->n >= 10 ? 2 : 1;
    int w = 0;
    for (size_t i = 0; i < m->n; i++) {
        int lw = tui_text_width(_(m->items[i].label));
        if (lw > w)
            w = lw;
    }
    w += numw + 4;
    if (w > r->w - 2)
        w = r->w - 2;
    for (int row = 0; row < r->h && m->top + (size_t)row < m->n; row++) {
        size_t i = m->top + (size_t)row;
        char line[512];
        snprintf(line, sizeof line, " %*zu. %s", numw, i + 1, _(m->items[i].label));
        tui_draw_text(r->y + row, r->x, w, i == m->sel ? TUI_SELECTED : TUI_NORMAL, line);
    }
    /* ASCII marks: arrows are ambiguous-width in CJK terminals. */
    if (m->top > 0)
        tui_draw_text(r->y, r->x + w + 1, 1, TUI_DIM, "^");
    if (m->top + (size_t)r->h < m->n)
        tui_draw_text(r->y + r->h - 1, r->x + w + 1, 1, TUI_DIM, "v");
}

static int choose(struct tui_menu *m)
{
    if (m->n > 0 && m->choose)
        m->choose(m->ctx, m->sel, m->items[m->sel].data);
    return TUI_HANDLED;
}

static int digit(struct tui_menu *m, int d)
{
    size_t cand = m->typed * 10 + (size_t)d;
    if (cand < 1 || cand > m->n) {
        cand = (size_t)d;
        if (cand < 1 || cand > m->n) {
            m->typed = 0;
            return TUI_HANDLED;
        }
    }
    m->sel = cand - 1;
    /* Choose at once unless a longer number could still follow. */
    if (cand * 10 > m->n) {
        m->typed = 0;
        return choose(m);
    }
    m->typed = cand;
    return TUI_HANDLED;
}

int tui_menu_key(struct tui_menu *menu, int key)
{
    struct tui_menu *m = menu;
    size_t page = m->r.h > 1 ? (size_t)m->r.h - 1 : 1;
    int y, x;
    if (m->n == 0)
        return TUI_UNHANDLED;
    if (key >= '0' && key <= '9')
        return digit(m, key - '0');
    m->typed = 0;
    switch (key) {
    case KEY_UP:
        if (m->sel > 0)
            m->sel--;
        break;
    case KEY_DOWN:
        if (m->sel + 1 < m->n)
            m->sel++;
        break;
    case KEY_PPAGE:
        m->sel = m->sel > page ? m->sel - page : 0;
        break;
    case KEY_NPAGE:
        m->sel = m->sel + page < m->n ? m->sel + page : m->n - 1;
        break;
    case KEY_HOME:
        m->sel = 0;
        break;
    case KEY_END:
        m->sel = m->n - 1;
        break;
    case KEY_MOUSE:
        if (!tui_mouse_click(&y, &x) || y < m->r.y || y >= m->r.y + m->r.h || x < m->r.x ||
            x >= m->r.x + m->r.w || m->top + (size_t)(y - m->r.y) >= m->n)
            return TUI_UNHANDLED;
        m->sel = m->top + (size_t)(y - m->r.y);
        return choose(m);
    default:
        if (tui_key_is_enter(key))
            return choose(m);
        return TUI_UNHANDLED;
    }
    keep_visible(m);
    return TUI_HANDLED;
}
