/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading keys: one key as the toolkit encodes it.  Pastes (bracketed,
 * or a burst of characters that arrived together) come as one
 * TUI_KEY_PASTE, except to tui_read_one_key; the mouse wheel as arrows; Ctrl-L redraws; Ctrl-C,
 * SIGHUP, SIGTERM and the end of the input are keys of their own.  While
 * it waits it applies a new terminal size and runs the idle function.
 * Calls nothing of the stack or the widgets. */
#include <config.h>

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <wctype.h>

#include "tui/internal.h"

#define CTRL_C 3
/* ncurses codes for the bracketed-paste brackets (define_key keeps codes
 * in 16 bits); tui_read_key turns them into TUI_KEY_PASTE. */
#define PASTE_BEGIN 0x7e00
#define PASTE_END 0x7e01
#define PASTE_MAX TUI_PASTE_MAX

static struct {
    bool eof;        /* the terminal's input has ended */
    int empty_reads; /* reads that found the input readable but empty */
    int idle_ms;
    void (*idle_fn)(void *ctx);
    void *idle_ctx;
    struct timespec last_key;  /* when the user last typed or clicked */
    struct timespec last_tick; /* when the idle function last ran */
    bool bracketed;            /* bracketed paste mode was switched on */
    wchar_t paste[PASTE_MAX + 1];
    size_t paste_len; /* may pass PASTE_MAX: the paste was longer */
    bool one;         /* the caller takes one key: no burst is read */
    bool stashed;     /* a key read after a burst, for the next read */
    int stash_r;
    wint_t stash_wc;
} in;

/* SIGHUP and SIGTERM: the terminal, the SSH connection or the system is
 * going away.  The loop ends at once and the console releases its locks. */
static volatile sig_atomic_t hangup;

static void on_hangup(int sig)
{
    (void)sig;
    hangup = 1;
}

bool tui_hangup(void)
{
    return hangup != 0;
}

void tui_input_init(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_hangup; /* no SA_RESTART: the key read returns */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* Pasted text arrives bracketed, so that a paste that does not fit a
     * field is refused whole; terminals without the mode ignore the
     * request, and a burst of characters counts as a paste there. */
    const char *tn = termname();
    if (tn && strcmp(tn, "dumb") && strcmp(tn, "linux") && strncmp(tn, "vt", 2)) {
        define_key("\033[200~", PASTE_BEGIN);
        define_key("\033[201~", PASTE_END);
        putp("\033[?2004h");
        fflush(stdout);
        in.bracketed = true;
    }
    /* Home and End as VT220-style terminals send them (PuTTY, Tera Term,
     * tmux and screen whatever TERM says), where the terminfo entry in use
     * names other sequences. */
    static const struct {
        const char *seq;
        int key;
    } extra_keys[] = {
        {"\033[1~", KEY_HOME}, {"\033[4~", KEY_END}, {"\033[7~", KEY_HOME}, {"\033[8~", KEY_END}};
    for (size_t i = 0; i < sizeof extra_keys / sizeof extra_keys[0]; i++)
        if (key_defined(extra_keys[i].seq) == 0)
            define_key(extra_keys[i].seq, extra_keys[i].key);
    /* Esc is "back"; the default one-second wait for an escape sequence
     * would make every Esc feel broken. */
    set_escdelay(25);
    mmask_t mask = BUTTON1_PRESSED | BUTTON1_CLICKED;
#ifdef BUTTON5_PRESSED
    mask |= BUTTON4_PRESSED | BUTTON5_PRESSED;
#endif
    if (mousemask(mask, NULL) != 0)
        mouseinterval(0); /* act on the press; no wait for a double click */
    in.idle_ms = 0;
    clock_gettime(CLOCK_MONOTONIC, &in.last_key);
}

void tui_input_end(void)
{
    if (in.bracketed && !hangup) {
        putp("\033[?2004l");
        fflush(stdout);
    }
    in.bracketed = false;
}

void tui_set_idle(int ms, void (*fn)(void *ctx), void *ctx)
{
    in.idle_ms = ms > 0 && fn ? ms : 0;
    in.idle_fn = fn;
    in.idle_ctx = ctx;
}

const wchar_t *tui_paste_text(size_t *n)
{
    *n = in.paste_len;
    return in.paste;
}

static void paste_add(wint_t wc)
{
    if (in.paste_len < PASTE_MAX)
        in.paste[in.paste_len] = (wchar_t)(wc == '\r' ? '\n' : wc);
    in.paste_len++;
}

/* The characters up to the closing bracket; a terminal that never sends
 * it leaves after a second of silence. */
static int read_bracketed(void)
{
    in.paste_len = 0;
    timeout(1000);
    for (;;) {
        wint_t wc;
        int r = get_wch(&wc);
        if (r == ERR || (r == KEY_CODE_YES && wc == PASTE_END) || hangup)
            break;
        if (r == OK)
            paste_add(wc);
    }
    /* A copied line often brings its newline along. */
    while (in.paste_len > 0 && in.paste_len <= PASTE_MAX && in.paste[in.paste_len - 1] == L'\n')
        in.paste_len--;
    return hangup ? TUI_KEY_HANGUP : TUI_KEY_PASTE;
}

static bool printable(int r, wint_t wc)
{
    return r == OK && wc >= 32 && wc != 127 && iswprint(wc);
}

static int char_key(wint_t wc)
{
    return wc >= KEY_MIN && wc <= KEY_MAX ? (int)wc | TUI_KEY_CHAR_BIT : (int)wc;
}

/* Characters that arrived together with the first one (a paste into a
 * terminal without bracketed paste, or tmux send-keys) are one paste;
 * the key that ends the burst is kept for the next read. */
static int read_burst(wint_t first)
{
    in.paste_len = 0;
    paste_add(first);
    timeout(0);
    for (;;) {
        wint_t wc;
        int r = get_wch(&wc);
        if (r == ERR)
            break;
        if (!printable(r, wc)) {
            in.stashed = true;
            in.stash_r = r;
            in.stash_wc = wc;
            break;
        }
        paste_add(wc);
    }
    if (in.paste_len > 1)
        return TUI_KEY_PASTE;
    return char_key(first);
}

/* Whether the terminal's input has ended (a closed pipe, /dev/null, a
 * hung-up terminal): get_wch then fails at once, and poll says the input
 * is readable or gone although nothing was read. */
static bool input_ended(const struct timespec *asked, int wait_ms)
{
    if (in.eof)
        return true;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - asked->tv_sec) * 1000 + (now.tv_nsec - asked->tv_nsec) / 1000000;
    if (wait_ms >= 0 && ms >= wait_ms / 2)
        return false; /* the idle timeout, not the end */
    struct pollfd p = {.fd = fileno(stdin), .events = POLLIN};
    if (poll(&p, 1, 0) != 1 || !(p.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
        return false;
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
        return in.eof = true;
    /* Readable, yet curses read nothing: it saw the end (read returned 0)
     * unless bytes arrived meanwhile (then they wait to be read).  Look
     * once more before believing it. */
    int waiting = 0;
    if (ioctl(p.fd, FIONREAD, &waiting) == 0 && waiting > 0) {
        in.empty_reads = 0;
        return false;
    }
    return in.eof = ++in.empty_reads >= 2;
}

int tui_read_key(void)
{
    for (;;) {
        tui_term_set_click(false, 0, 0);
        if (hangup)
            return TUI_KEY_HANGUP;
        wint_t wc;
        int r;
        int wait_ms = in.idle_ms > 0 ? in.idle_ms : -1;
        struct timespec asked;
        clock_gettime(CLOCK_MONOTONIC, &asked);
        if (in.stashed) {
            in.stashed = false;
            r = in.stash_r;
            wc = in.stash_wc;
        } else {
            timeout(wait_ms);
            if (tui_winsize_apply())
                return KEY_RESIZE;
            r = get_wch(&wc);
        }
        if (r != ERR)
            in.empty_reads = 0;
        if (r == ERR) {
            if (hangup)
                return TUI_KEY_HANGUP;
            /* A read cut short by SIGWINCH: the new size first. */
            if (tui_winsize_apply())
                return KEY_RESIZE;
            /* Nothing more will be typed: end as a hang-up does, instead
             * of asking again and again without pause. */
            if (input_ended(&asked, wait_ms)) {
                hangup = 1;
                return TUI_KEY_HANGUP;
            }
            /* The idle tick may change what is shown (a lock lost); 0 asks
             * the caller to repaint and read again. */
            if (in.idle_fn) {
                clock_gettime(CLOCK_MONOTONIC, &in.last_tick);
                in.idle_fn(in.idle_ctx);
            }
            return 0;
        }
        if (!(r == KEY_CODE_YES && wc == KEY_RESIZE))
            clock_gettime(CLOCK_MONOTONIC, &in.last_key);
        /* Ctrl-L, as in every curses program: the next refresh sends the
         * whole screen again, for one spoiled by a wall message or noise. */
        if (r == OK && wc == 'L' - '@') {
            clearok(curscr, TRUE);
            return 0;
        }
        if (r == OK && wc == CTRL_C)
            return TUI_KEY_INTERRUPT;
        if (printable(r, wc))
            return in.one ? char_key(wc) : read_burst(wc);
        if (r == OK)
            return wc >= KEY_MIN && wc <= KEY_MAX ? (int)wc | TUI_KEY_CHAR_BIT : (int)wc;
        if (wc == PASTE_BEGIN)
            return read_bracketed();
        if (wc == PASTE_END)
            continue;
        if (wc != KEY_MOUSE)
            return (int)wc;
        MEVENT ev;
        if (getmouse(&ev) != OK)
            continue;
#ifdef BUTTON5_PRESSED
        /* The wheel moves like the arrows, so every widget scrolls. */
        if (ev.bstate & BUTTON4_PRESSED)
            return KEY_UP;
        if (ev.bstate & BUTTON5_PRESSED)
            return KEY_DOWN;
#endif
        if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
            tui_term_set_click(true, ev.y, ev.x);
            return KEY_MOUSE;
        }
    }
}

double tui_idle_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - in.last_key.tv_sec) +
           (double)(now.tv_nsec - in.last_key.tv_nsec) / 1e9;
}

/* The idle tick runs on time even while keys keep coming: lock leases
 * must be renewed for an administrator who types without pause. */
void tui_idle_tick_if_due(void)
{
    if (in.idle_ms <= 0 || !in.idle_fn)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (long)(now.tv_sec - in.last_tick.tv_sec) * 1000 +
              (now.tv_nsec - in.last_tick.tv_nsec) / 1000000;
    if (ms >= in.idle_ms) {
        in.last_tick = now;
        in.idle_fn(in.idle_ctx);
    }
}

int tui_read_one_key(void)
{
    in.one = true;
    int key = tui_read_key();
    in.one = false;
    return key;
}
