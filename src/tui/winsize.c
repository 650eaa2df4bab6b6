/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The largest terminal the console draws on.  curses allocates every
 * window cell by cell, so a terminal that claims 10000x10000 would cost
 * gigabytes: before curses reads a size, a larger one is clamped on the
 * terminal itself, and the session goes on at the clamped size. */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tui/internal.h"

static int tty_fd = -1;

static void clamp(int fd)
{
    struct winsize ws;
    if (fd < 0 || ioctl(fd, TIOCGWINSZ, &ws) != 0)
        return;
    if (ws.ws_col <= TUI_MAX_COLS && ws.ws_row <= TUI_MAX_ROWS)
        return;
    if (ws.ws_col > TUI_MAX_COLS)
        ws.ws_col = TUI_MAX_COLS;
    if (ws.ws_row > TUI_MAX_ROWS)
        ws.ws_row = TUI_MAX_ROWS;
    ws.ws_xpixel = ws.ws_ypixel = 0;
    ioctl(fd, TIOCSWINSZ, &ws);
}

/* curses reads the terminal's size itself when its own SIGWINCH handler
 * has run, so a client that resizes faster than we clamp could still make
 * it allocate for 10000x10000.  Instead the console owns SIGWINCH (curses
 * installs its handler only over the default one) and resizes curses
 * itself, with sizes that never pass the limit. */
static volatile sig_atomic_t winch_pending;

static void on_winch(int sig)
{
    (void)sig;
    int saved = errno;
    clamp(tty_fd);
    winch_pending = 1;
    errno = saved;
}

void tui_winsize_clamp(int fd)
{
    tty_fd = fd;
    clamp(fd);
}

void tui_winsize_guard(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_winch;
    /* No SA_RESTART: a read waiting for a key returns, so the new size is
     * drawn at once rather than at the next key. */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGWINCH, &sa, NULL);
}

static int bounded(int value, int max)
{
    return value < 1 ? 1 : value > max ? max : value;
}

bool tui_winsize_apply(void)
{
    if (!winch_pending)
        return false;
    winch_pending = 0;
    struct winsize ws;
    if (tty_fd < 0 || ioctl(tty_fd, TIOCGWINSZ, &ws) != 0)
        return false;
    int rows = bounded(ws.ws_row, TUI_MAX_ROWS), cols = bounded(ws.ws_col, TUI_MAX_COLS);
    if (rows == LINES && cols == COLS)
        return false;
    return resizeterm(rows, cols) == OK;
}
