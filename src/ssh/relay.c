/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <config.h>

#include "ssh/relay.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void relay_conv_none(struct relay_conv *c)
{
    c->cd = (iconv_t)-1;
    c->ncarry = 0;
}

bool relay_conv_open(struct relay_conv *c, const char *to, const char *from)
{
    c->ncarry = 0;
    c->cd = iconv_open(to, from);
    return c->cd != (iconv_t)-1;
}

size_t relay_conv_run(struct relay_conv *c, const char *in, size_t n, char *out, size_t outsize)
{
    char *buf = malloc(c->ncarry + n + 1);
    if (!buf)
        return 0;
    memcpy(buf, c->carry, c->ncarry);
    memcpy(buf + c->ncarry, in, n);
    char *ip = buf, *op = out;
    size_t ileft = c->ncarry + n, oleft = outsize;
    c->ncarry = 0;
    while (ileft > 0 && oleft > 0) {
        if (iconv(c->cd, &ip, &ileft, &op, &oleft) != (size_t)-1)
            break;
        if (errno == EINVAL && ileft < sizeof c->carry) {
            memcpy(c->carry, ip, ileft); /* the rest comes with the next chunk */
            c->ncarry = ileft;
            break;
        }
        if (errno == E2BIG)
            break;
        /* A byte sequence with no counterpart: one '?' for it. */
        *op++ = '?';
        oleft--;
        ip++;
        ileft--;
    }
    free(buf);
    return (size_t)(op - out);
}
