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
static struct sigaction curses_winch;

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

/* Runs before curses' own handler, which then reads the clamped size. */
static void on_winch(int sig, siginfo_t *info, void *uc)
{
    int saved = errno;
    clamp(tty_fd);
    errno = saved;
    if (curses_winch.sa_flags & SA_SIGINFO) {
        if (curses_winch.sa_sigaction)
            curses_winch.sa_sigaction(sig, info, uc);
    } else if (curses_winch.sa_handler != SIG_DFL && curses_winch.sa_handler != SIG_IGN) {
        curses_winch.sa_handler(sig);
    }
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
    sa.sa_sigaction = on_winch;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGWINCH, &sa, &curses_winch);
}
