/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whether $TERM names a terminal the console can draw on, asked of
 * terminfo before curses starts: an unknown name or a terminal that cannot
 * move its cursor (dumb, a printing terminal) gets a clear refusal instead
 * of a screen of garbage.  (term.h's macros stay in this file.) */
#include <config.h>

#include <curses.h>
#include <stdlib.h>
#include <term.h>

#include "tui/tui.h"

int tui_terminal_check(int fd)
{
    const char *name = getenv("TERM");
    int err = 0;
    if (!name || !*name)
        return TUI_TERM_UNKNOWN;
    TERMINAL *saved = cur_term;
    if (setupterm(name, fd, &err) != OK)
        return TUI_TERM_UNKNOWN;
    const char *cup = tigetstr("cup");
    bool usable = cup && cup != (const char *)-1 && tigetflag("hc") <= 0 && tigetflag("gn") <= 0;
    del_curterm(cur_term);
    set_curterm(saved);
    return usable ? 0 : TUI_TERM_DUMB;
}
