/* THROWAWAY stand-in for console_run, so that kascond can be built and
 * tested before the real console is merged.  Delete this file at the merge;
 * nothing but the console_run symbol may depend on it. */
#include <config.h>

#include <curses.h>

#include "console/console.h"

int console_run(const struct console_opts *opts)
{
    SCREEN *scr = newterm(opts->term, opts->out, opts->in);
    if (!scr)
        return 1;
    set_term(scr);
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    if (opts->idle_timeout > 0)
        timeout(opts->idle_timeout * 1000);
    mvprintw(0, 0, "kascon placeholder: %s@%s", opts->preauth_user ? opts->preauth_user : "?",
             opts->preauth_domain ? opts->preauth_domain : "?");
    mvprintw(1, 0, "%s", opts->must_change ? "Change password" : "Main menu");
    refresh();
    int ch;
    while ((ch = getch()) != 'q' && ch != ERR) {
        if (ch == KEY_RESIZE) {
            mvprintw(2, 0, "size %dx%d", COLS, LINES);
            clrtoeol();
            refresh();
        }
    }
    endwin();
    delscreen(scr);
    return 0;
}
