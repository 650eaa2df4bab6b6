/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The codeset conversion of the console's bytes on their way between the
 * pty and the SSH channel, for a terminal that speaks another codeset
 * than the console (a Shift_JIS terminal in front of a console running in
 * ja_JP.EUC-JP).  Escape sequences are ASCII and pass unchanged. */
#ifndef KASCON_SSH_RELAY_H
#define KASCON_SSH_RELAY_H

#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>

struct relay_conv {
    iconv_t cd; /* (iconv_t)-1 when no conversion is needed */
    char carry[8];
    size_t ncarry; /* the start of a character cut at the end of the last chunk */
};

void relay_conv_none(struct relay_conv *c);
bool relay_conv_open(struct relay_conv *c, const char *to, const char *from);
static inline bool relay_conv_active(const struct relay_conv *c)
{
    return c->cd != (iconv_t)-1;
}
/* Converts the bytes carried from the last call and then in[0..n) into
 * out, which holds at least 2 * n + 16 bytes; a character cut at the end
 * waits for the next call, one that does not convert becomes '?'.
 * Returns the bytes written. */
size_t relay_conv_run(struct relay_conv *c, const char *in, size_t n, char *out, size_t outsize);

#endif
