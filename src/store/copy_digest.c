/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The checksum kasconctl migrate compares a copied table by (copy.c): it
 * does not depend on the order of the rows (the engines may sort text
 * differently), being the sum, modulo 2^256, of the SHA-256 of every row's
 * canonical form (per column: NULL, or the value's text with its length). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "store/internal.h"

static bool digest_put(struct store_digest *d, size_t *len, const void *p, size_t n)
{
    if (*len + n > d->cap) {
        size_t cap = d->cap ? d->cap : 1024;
        while (cap < *len + n)
            cap *= 2;
        unsigned char *b = realloc(d->buf, cap);
        if (!b)
            return false;
        d->buf = b;
        d->cap = cap;
    }
    memcpy(d->buf + *len, p, n);
    *len += n;
    return true;
}

bool store_digest_row(struct store_digest *d, struct store_stmt *s, int ncols)
{
    size_t len = 0;
    for (int i = 0; i < ncols; i++) {
        const char *v = stmt_column_null(s, i) ? NULL : stmt_column_text(s, i);
        unsigned char head[9] = {v ? 1 : 0};
        uint64_t n = v ? strlen(v) : 0;
        for (int k = 0; k < 8; k++)
            head[1 + k] = (unsigned char)(n >> (8 * k));
        if (!digest_put(d, &len, head, v ? sizeof head : 1) || (v && !digest_put(d, &len, v, n)))
            return false;
    }
    unsigned char out[32];
    core_sha256(d->buf, len, out);
    unsigned carry = 0;
    for (int w = 0; w < 4; w++) {
        uint64_t x = 0;
        for (int k = 0; k < 8; k++)
            x |= (uint64_t)out[w * 8 + k] << (8 * k);
        uint64_t before = d->sum[w];
        uint64_t sum = before + x;
        unsigned c1 = sum < before;
        d->sum[w] = sum + carry;
        carry = c1 | (d->sum[w] < sum);
    }
    d->rows++;
    return true;
}

void store_digest_hex(const struct store_digest *d, char out[65])
{
    for (int w = 3, o = 0; w >= 0; w--, o += 16)
        snprintf(out + o, 17, "%016llx", (unsigned long long)d->sum[w]);
}
