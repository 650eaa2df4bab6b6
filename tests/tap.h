/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A minimal TAP producer for the unit tests (Automake's tap-driver reads it). */
#ifndef KASCON_TAP_H
#define KASCON_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_count, tap_failed;

__attribute__((format(printf, 2, 3))) static int tap_ok(int cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s %d - ", cond ? "ok" : "not ok", ++tap_count);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
    if (!cond)
        tap_failed++;
    return cond;
}

#define tap_is(got, want, ...)                                                                     \
    do {                                                                                           \
        long tap_got_ = (long)(got), tap_want_ = (long)(want);                                     \
        if (!tap_ok(tap_got_ == tap_want_, __VA_ARGS__))                                           \
            printf("#   got %ld, want %ld\n", tap_got_, tap_want_);                                \
    } while (0)

static int tap_done(void)
{
    printf("1..%d\n", tap_count);
    return 0;
}

#endif
