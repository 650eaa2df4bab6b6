/* SPDX-License-Identifier: GPL-3.0-or-later */
/* UTF-8 to wide characters and back, by hand rather than with
 * mbrtowc/wcrtomb: the console's text is UTF-8 whatever the locale's
 * codeset (see tui/internal.h).  The bottom of the toolkit: text.c and
 * term.c both call it, and it calls nothing. */
#include <config.h>

#include <stdint.h>

#include "tui/internal.h"

size_t tui_utf8_decode(const char *s, wchar_t *wc)
{
    const unsigned char *u = (const unsigned char *)s;
    if (!u[0])
        return 0;
    if (u[0] < 0x80) {
        *wc = u[0];
        return 1;
    }
    size_t n;
    uint32_t cp, min;
    if ((u[0] & 0xe0) == 0xc0)
        n = 2, cp = u[0] & 0x1f, min = 0x80;
    else if ((u[0] & 0xf0) == 0xe0)
        n = 3, cp = u[0] & 0x0f, min = 0x800;
    else if ((u[0] & 0xf8) == 0xf0)
        n = 4, cp = u[0] & 0x07, min = 0x10000;
    else
        return (size_t)-1;
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return (size_t)-1;
        cp = cp << 6 | (u[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return (size_t)-1;
    *wc = (wchar_t)cp;
    return n;
}

size_t tui_utf8_encode(wchar_t wc, char *out)
{
    uint32_t cp = (uint32_t)wc;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp >= 0xd800 && cp <= 0xdfff)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    if (cp > 0x10ffff)
        return 0;
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}
