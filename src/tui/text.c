/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Display-width text helpers and the primitive drawing calls. Layout is in
 * terminal columns, never bytes: a Japanese character is 3 bytes of UTF-8
 * and 2 columns, so strlen would misplace everything after it. */
#include <config.h>

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "tui/internal.h"

/* Decodes one character of s (UTF-8); its width is the locale's, so that
 * in ja_JP.EUC-JP "…" and "─" take the two columns those terminals draw.
 * Bytes that do not decode and control characters come back as '?' of
 * width 1, so one stray byte in the data cannot break the layout. */
static size_t next_char(const char *s, wchar_t *wc, int *cols)
{
    size_t n = tui_utf8_decode(s, wc);
    if (n == (size_t)-1 || n == 0) {
        *wc = L'?';
        *cols = 1;
        return 1;
    }
    int w = wcwidth(*wc);
    if (w < 0) {
        *wc = L'?';
        w = 1;
    }
    *cols = w;
    return n;
}

static const char *ellipsis(int *cols)
{
    /* U+2026 only where the locale can show it; ">" elsewhere. */
    static const char utf8_ell[] = "\xe2\x80\xa6";
    if (wcwidth(0x2026) == 1) {
        *cols = 1;
        return utf8_ell;
    }
    *cols = 1;
    return ">";
}

int tui_text_width(const char *s)
{
    int total = 0;
    while (*s) {
        wchar_t wc;
        int w;
        s += next_char(s, &wc, &w);
        total += w;
    }
    return total;
}

size_t tui_text_fit(const char *s, int width, int *cols)
{
    size_t off = 0;
    int used = 0;
    while (s[off]) {
        wchar_t wc;
        int w;
        size_t n = next_char(s + off, &wc, &w);
        if (used + w > width)
            break;
        used += w;
        off += n;
    }
    if (cols)
        *cols = used;
    return off;
}

/* Copies at most n bytes of s into dst without splitting a character;
 * returns the bytes copied. */
static size_t copy_bytes(char *dst, size_t size, const char *s, size_t n)
{
    if (size == 0)
        return 0;
    if (n >= size) {
        int unused;
        /* Shrink to a character boundary that fits the buffer. */
        size_t fit = 0;
        while (s[fit]) {
            wchar_t wc;
            size_t k = next_char(s + fit, &wc, &unused);
            if (fit + k >= size)
                break;
            fit += k;
        }
        n = fit;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
    return n;
}

int tui_text_truncate(char *dst, size_t size, const char *s, int width)
{
    int cols;
    if (width <= 0) {
        copy_bytes(dst, size, "", 0);
        return 0;
    }
    size_t n = tui_text_fit(s, width, &cols);
    if (s[n] == '\0') {
        copy_bytes(dst, size, s, n);
        return cols;
    }
    int ecols;
    const char *ell = ellipsis(&ecols);
    n = tui_text_fit(s, width - ecols, &cols);
    size_t done = copy_bytes(dst, size, s, n);
    size_t elen = strlen(ell);
    if (done + elen < size) {
        memcpy(dst + done, ell, elen + 1);
        cols += ecols;
    }
    return cols;
}

int tui_text_pad(char *dst, size_t size, const char *s, int width)
{
    int cols = tui_text_truncate(dst, size, s, width);
    size_t len = strlen(dst);
    while (cols < width && len + 1 < size) {
        dst[len++] = ' ';
        cols++;
    }
    if (size > 0)
        dst[len] = '\0';
    return cols;
}

/* Kinsoku (JIS X 4051): characters a line must not start with (closing
 * brackets, punctuation, the long vowel mark, small kana, iteration
 * marks), and those it must not end with (opening brackets). */
static bool no_line_start(wchar_t c)
{
    static const wchar_t set[] = L"\u3001\u3002\uff0c\uff0e\u30fb\uff1a\uff1b\uff1f\uff01"
                                 L"\u30fc\u2015\u2010\u301c\uff5e\u2026\u2025"
                                 L"\uff09\u300d\u300f\u3011\u3015\uff3d\uff5d\u3009\u300b"
                                 L"\u3099\u309a\u309b\u309c\u309d\u309e\u30fd\u30fe\u3005"
                                 L"\u3041\u3043\u3045\u3047\u3049\u3063\u3083\u3085\u3087"
                                 L"\u308e\u3095\u3096\u30a1\u30a3\u30a5\u30a7\u30a9\u30c3"
                                 L"\u30e3\u30e5\u30e7\u30ee\u30f5\u30f6"
                                 L",.:;?!)]}%";
    return c && wcschr(set, c) != NULL;
}

static bool no_line_end(wchar_t c)
{
    static const wchar_t set[] = L"\uff08\u300c\u300e\u3010\u3014\uff3b\uff5b\u3008\u300a([{";
    return c && wcschr(set, c) != NULL;
}

static bool narrow_alnum(wchar_t c, int w)
{
    return w == 1 && c < 0x80 && iswalnum((wint_t)c);
}

/* Moves a forced break (not at a space) so that the next line does not
 * start, nor this one end, with a character kinsoku forbids there, and a
 * number or Latin word amid Japanese text is not cut: the characters
 * before the break go down with it.  starts[] holds the offsets of the
 * line's characters; a line is never left empty, and a break that cannot
 * be placed within a few characters stays where it was. */
static size_t kinsoku(const char *s, const size_t *starts, int nchars, size_t end)
{
    size_t orig = end;
    for (int i = nchars, moves = 0; i > 1 && moves < 24; moves++) {
        wchar_t before, after = 0;
        int wb, wa = 0;
        next_char(s + starts[i - 1], &before, &wb);
        if (s[end] && s[end] != '\n')
            next_char(s + end, &after, &wa);
        bool in_word = narrow_alnum(before, wb) && narrow_alnum(after, wa);
        if (!no_line_start(after) && !no_line_end(before) && !in_word)
            return end;
        i--;
        end = starts[i];
    }
    return orig;
}

#define WRAP_TRACK 512

size_t tui_text_wrap(const char *s, int width, size_t *next)
{
    size_t off = 0, brk = 0;
    size_t starts[WRAP_TRACK];
    int used = 0, lastw = 0, nextw = 0, nchars = 0;
    if (width < 1)
        width = 1;
    while (s[off] && s[off] != '\n') {
        wchar_t wc;
        size_t n = next_char(s + off, &wc, &nextw);
        if (used + nextw > width)
            break;
        if (wc == L' ')
            brk = off;
        if (nchars < WRAP_TRACK)
            starts[nchars] = off;
        nchars++;
        used += nextw;
        lastw = nextw;
        off += n;
    }
    size_t end = off;
    /* Inside a run of Latin words, break at the last space. Japanese is
     * cut between any two characters, its custom, kinsoku aside. */
    if (s[off] && s[off] != '\n' && brk > 0 && lastw < 2 && nextw < 2)
        end = brk;
    else if (s[off] && s[off] != '\n' && nchars <= WRAP_TRACK)
        end = kinsoku(s, starts, nchars, end);
    if (end == 0 && s[0] && s[0] != '\n') {
        wchar_t wc;
        int w;
        end = next_char(s, &wc, &w); /* a character wider than the line */
    }
    size_t nx = end;
    if (s[nx] == '\n')
        nx++;
    else
        while (s[nx] == ' ')
            nx++;
    *next = nx;
    return end;
}

void tui_draw_text(int y, int x, int width, enum tui_style style, const char *s)
{
    if (width <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
        return;
    if (x + width > COLS)
        width = COLS - x;
    char buf[4096];
    int cols = tui_text_pad(buf, sizeof buf, s, width);
    attr_t a = tui_attr(style);
    attron(a);
    /* Redecode so that replaced characters ('?') are what gets drawn. */
    move(y, x);
    const char *p = buf;
    while (*p) {
        wchar_t wc[2] = {0, 0};
        int w;
        p += next_char(p, &wc[0], &w);
        addnwstr(wc, 1);
    }
    for (; cols < width; cols++)
        addch(' ');
    attroff(a);
}

int tui_draw_wrapped(const struct tui_rect *r, enum tui_style style, const char *s)
{
    int line = 0;
    while (*s) {
        size_t next;
        size_t n = tui_text_wrap(s, r->w, &next);
        if (line < r->h) {
            char buf[4096];
            copy_bytes(buf, sizeof buf, s, n);
            tui_draw_text(r->y + line, r->x, r->w, style, buf);
        }
        line++;
        s += next;
    }
    return line;
}

void tui_draw_box(const struct tui_rect *r, enum tui_style style)
{
    if (r->h < 2 || r->w < 2)
        return;
    attr_t a = tui_attr(style);
    attron(a);
    for (int i = 1; i < r->h - 1; i++) {
        mvhline(r->y + i, r->x + 1, ' ', r->w - 2);
        mvaddch(r->y + i, r->x, ACS_VLINE);
        mvaddch(r->y + i, r->x + r->w - 1, ACS_VLINE);
    }
    mvaddch(r->y, r->x, ACS_ULCORNER);
    mvhline(r->y, r->x + 1, ACS_HLINE, r->w - 2);
    mvaddch(r->y, r->x + r->w - 1, ACS_URCORNER);
    mvaddch(r->y + r->h - 1, r->x, ACS_LLCORNER);
    mvhline(r->y + r->h - 1, r->x + 1, ACS_HLINE, r->w - 2);
    mvaddch(r->y + r->h - 1, r->x + r->w - 1, ACS_LRCORNER);
    attroff(a);
}

int tui_scale(long done, long total, int cols)
{
    if (total <= 0 || done <= 0 || cols <= 0)
        return 0;
    if (done >= total)
        return cols;
    /* long double keeps done * cols from overflowing for huge totals. */
    return (int)((long double)done * cols / total);
}
