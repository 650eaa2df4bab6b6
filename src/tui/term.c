/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the toolkit's widgets share about the terminal, below the screen
 * stack: the colours of each style, where the cursor goes after a draw,
 * the last mouse click, and what a key is (a typed character, Enter, its
 * name for the key bar).  It calls nothing of the toolkit. */
#include <config.h>

#include <stdlib.h>
#include <wctype.h>

#include "tui/internal.h"

#define ESC_KEY 27

static struct {
    attr_t attrs[TUI_STYLE_COUNT];
    bool clicked;
    int mouse_y, mouse_x;
    int cursor_y, cursor_x;
} term = {.cursor_y = -1};

/* Colour pairs by role; without colour (NO_COLOR, or a terminal without
 * it) only bold and reverse are used, which every terminal shows. */
void tui_term_colors(void)
{
    attr_t *a = term.attrs;
    a[TUI_NORMAL] = A_NORMAL;
    a[TUI_TITLE] = A_REVERSE | A_BOLD;
    a[TUI_SELECTED] = A_REVERSE;
    a[TUI_FIELD] = A_UNDERLINE;
    a[TUI_ERROR] = A_BOLD;
    a[TUI_OK] = A_BOLD;
    a[TUI_KEY] = A_BOLD;
    a[TUI_KEYLABEL] = A_REVERSE;
    a[TUI_HEADER] = A_BOLD;
    a[TUI_DIM] = A_NORMAL;
    const char *nc = getenv("NO_COLOR");
    if ((nc && *nc) || !has_colors() || start_color() == ERR)
        return;
    short bg = use_default_colors() == OK ? -1 : COLOR_BLACK;
    init_pair(1, COLOR_WHITE, COLOR_BLUE);
    init_pair(2, COLOR_BLACK, COLOR_CYAN);
    init_pair(3, COLOR_RED, bg);
    init_pair(4, COLOR_GREEN, bg);
    init_pair(5, COLOR_BLACK, COLOR_WHITE);
    init_pair(6, COLOR_YELLOW, bg);
    a[TUI_TITLE] = COLOR_PAIR(1) | A_BOLD;
    a[TUI_SELECTED] = COLOR_PAIR(2);
    a[TUI_FIELD] = COLOR_PAIR(5);
    a[TUI_ERROR] = COLOR_PAIR(3) | A_BOLD;
    a[TUI_OK] = COLOR_PAIR(4) | A_BOLD;
    a[TUI_KEYLABEL] = COLOR_PAIR(2);
    a[TUI_HEADER] = COLOR_PAIR(6) | A_BOLD;
}

attr_t tui_attr(enum tui_style style)
{
    return style < TUI_STYLE_COUNT ? term.attrs[style] : A_NORMAL;
}

void tui_show_cursor(int y, int x)
{
    term.cursor_y = y;
    term.cursor_x = x;
}

bool tui_mouse_click(int *y, int *x)
{
    if (!term.clicked)
        return false;
    *y = term.mouse_y;
    *x = term.mouse_x;
    return true;
}

bool tui_key_char(int key, wchar_t *wc)
{
    if (key & TUI_KEY_CHAR_BIT)
        key &= ~TUI_KEY_CHAR_BIT;
    else if (key >= KEY_MIN && key <= KEY_MAX)
        return false;
    if (key < 32 || key == 127 || !iswprint((wint_t)key))
        return false;
    *wc = (wchar_t)key;
    return true;
}

bool tui_key_is_enter(int key)
{
    return key == '\n' || key == '\r' || key == KEY_ENTER;
}

void tui_key_name(int key, char *buf, size_t size)
{
    static const struct {
        int key;
        const char *name;
    } names[] = {
        {ESC_KEY, "Esc"},    {'\n', "Enter"},     {KEY_ENTER, "Enter"}, {'\t', "Tab"},
        {KEY_BTAB, "S-Tab"}, {KEY_DC, "Del"},     {KEY_IC, "Ins"},      {KEY_HOME, "Home"},
        {KEY_END, "End"},    {KEY_NPAGE, "PgDn"}, {KEY_PPAGE, "PgUp"},  {' ', "Space"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].key == key) {
            snprintf(buf, size, "%s", names[i].name);
            return;
        }
    wchar_t wc;
    if (key >= KEY_F(1) && key <= KEY_F(63))
        snprintf(buf, size, "F%d", key - KEY_F0);
    else if (key > 0 && key < 32)
        snprintf(buf, size, "^%c", '@' + key);
    else if (tui_key_char(key, &wc) && size > 4)
        buf[tui_utf8_encode(wc, buf)] = '\0';
    else
        snprintf(buf, size, "?");
}

void tui_term_set_click(bool clicked, int y, int x)
{
    term.clicked = clicked;
    term.mouse_y = y;
    term.mouse_x = x;
}

bool tui_term_cursor(int *y, int *x)
{
    *y = term.cursor_y;
    *x = term.cursor_x;
    return term.cursor_y >= 0;
}
