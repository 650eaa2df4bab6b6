/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Modal dialogs and the progress box. Each one repaints the screen stack
 * under itself on every pass, so a resize while a dialog is open lays out
 * both again instead of leaving a box at the old size. */
#include <config.h>

#include <string.h>

#include "i18n.h"
#include "tui/internal.h"

struct button {
    int x0, x1;
};

/* Centres a box for text wrapped to fit, with extra_rows besides. */
static void place(struct tui_rect *box, const char *title, const char *text, int extra_rows,
                  int min_w)
{
    int w = tui_text_width(text) + 4;
    int tw = tui_text_width(title) + 6;
    if (w < tw)
        w = tw;
    if (w < min_w)
        w = min_w;
    if (w > COLS - 4)
        w = COLS - 4;
    if (w < 8)
        w = 8;
    int lines = 0;
    for (const char *s = text; *s;) {
        size_t next;
        tui_text_wrap(s, w - 4, &next);
        s += next;
        lines++;
    }
    int h = lines + extra_rows + 2;
    if (h > LINES - 2)
        h = LINES - 2;
    *box = (struct tui_rect){(LINES - h) / 2, (COLS - w) / 2, h, w};
}

static void frame(const struct tui_rect *box, const char *title)
{
    tui_draw_box(box, TUI_NORMAL);
    char buf[512];
    snprintf(buf, sizeof buf, " %s ", title);
    int tw = tui_text_width(buf);
    if (tw > box->w - 4)
        tw = box->w - 4;
    tui_draw_text(box->y, box->x + 2, tw, TUI_HEADER, buf);
}

/* Shows text with a row of buttons; returns the chosen index, or -1 for
 * Esc. With two buttons, y and n answer the first and the second. */
static int run_dialog(const char *title, const char *text, const char *const *labels, int nb,
                      int focus)
{
    struct button btn[2];
    for (;;) {
        tui_paint_stack();
        struct tui_rect box;
        /* Border, blank, text, blank, buttons, border. */
        place(&box, title, text, 3, 30);
        frame(&box, title);
        struct tui_rect body = {box.y + 2, box.x + 2, box.h - 5, box.w - 4};
        tui_draw_wrapped(&body, TUI_NORMAL, text);
        int total = 0;
        char cap[2][128];
        for (int i = 0; i < nb; i++) {
            snprintf(cap[i], sizeof cap[i], "[ %s ]", labels[i]);
            total += tui_text_width(cap[i]) + (i ? 2 : 0);
        }
        int x = box.x + (box.w - total) / 2, y = box.y + box.h - 2;
        for (int i = 0; i < nb; i++) {
            int w = tui_text_width(cap[i]);
            tui_draw_text(y, x, w, i == focus ? TUI_SELECTED : TUI_NORMAL, cap[i]);
            btn[i] = (struct button){x, x + w};
            x += w + 2;
        }
        curs_set(0);
        refresh();
        /* One key: a y typed together with what follows answers, and the
         * rest is left for the screen below (a paste would be ignored here). */
        int key = tui_read_one_key(), my, mx;
        if (key == TUI_KEY_ESC || key == TUI_KEY_INTERRUPT || key == TUI_KEY_HANGUP)
            return -1;
        if (tui_key_is_enter(key) || key == ' ')
            return focus;
        if (nb == 2 && (key == 'y' || key == 'Y'))
            return 0;
        if (nb == 2 && (key == 'n' || key == 'N'))
            return 1;
        if (key == KEY_LEFT || key == KEY_BTAB)
            focus = (focus + nb - 1) % nb;
        else if (key == KEY_RIGHT || key == '\t')
            focus = (focus + 1) % nb;
        else if (key == KEY_MOUSE && tui_mouse_click(&my, &mx) && my == y)
            for (int i = 0; i < nb; i++)
                if (mx >= btn[i].x0 && mx < btn[i].x1)
                    return i;
    }
}

/* A dialog's border may have cut double-width characters in half: the
 * next refresh sends the whole screen, as Ctrl-L does, rather than letting
 * curses patch the line (its shortcuts shift text around half-erased
 * characters and leave blank or doubled cells). */
static int closed(int choice)
{
    clearok(curscr, TRUE);
    return choice;
}

bool tui_confirm(const char *title, const char *text)
{
    const char *labels[2] = {_("Yes"), _("No")};
    /* No is the default: these questions guard deletions. */
    return closed(run_dialog(title, text, labels, 2, 1)) == 0;
}

void tui_message(const char *title, const char *text)
{
    const char *labels[1] = {_("OK")};
    closed(run_dialog(title, text, labels, 1, 0));
}

void tui_progress(const char *title, long done, long total)
{
    static int last_pct = -1, last_lines, last_cols;
    int pct = tui_scale(done, total, 100);
    /* Repaint only when the figure moves: a bulk job may call this for
     * every one of 100,000 rows. */
    if (pct == last_pct && LINES == last_lines && COLS == last_cols && done > 0 && done < total)
        return;
    last_pct = pct;
    last_lines = LINES;
    last_cols = COLS;
    tui_paint_stack();
    struct tui_rect box;
    place(&box, title, "", 2, COLS - 8 < 60 ? COLS - 8 : 60);
    frame(&box, title);
    int barw = box.w - 4;
    char num[64];
    snprintf(num, sizeof num, "%ld / %ld  (%d%%)", done, total, pct);
    int filled = tui_scale(done, total, barw);
    tui_draw_text(box.y + 1, box.x + 2, filled, TUI_SELECTED, "");
    tui_draw_text(box.y + 1, box.x + 2 + filled, barw - filled, TUI_FIELD, "");
    tui_draw_text(box.y + 2, box.x + 2, barw, TUI_NORMAL, num);
    curs_set(0);
    refresh();
}
