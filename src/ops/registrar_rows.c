/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Growing sets of registrar rows and of keys (SIP IDs, alias numbers)
 * that the outbox flush and the drift comparison collect. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ops/registrar_internal.h"

void reg_rows_add(struct rows *rs, const char *const *vals)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 64;
        struct row *r = realloc(rs->r, cap * sizeof *r);
        if (!r) {
            rs->reg_oom = true;
            return;
        }
        rs->r = r;
        rs->cap = cap;
    }
    struct row *row = &rs->r[rs->n];
    memset(row, 0, sizeof *row);
    for (int c = 0; c < rs->ncols; c++) {
        row->v[c] = strdup(vals[c] ? vals[c] : "");
        if (!row->v[c])
            rs->reg_oom = true;
    }
    rs->n++;
}

void reg_rows_free(struct rows *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        for (int c = 0; c < rs->ncols; c++)
            free(rs->r[i].v[c]);
    free(rs->r);
    rs->r = NULL;
    rs->n = rs->cap = 0;
}

void reg_keys_add(struct keys *ks, const char *key)
{
    if (ks->n == ks->cap) {
        size_t cap = ks->cap ? ks->cap * 2 : 16;
        char **k = realloc(ks->k, cap * sizeof *k);
        if (!k) {
            ks->reg_oom = true;
            return;
        }
        ks->k = k;
        ks->cap = cap;
    }
    if (!(ks->k[ks->n] = strdup(key)))
        ks->reg_oom = true;
    else
        ks->n++;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void reg_keys_unique(struct keys *ks)
{
    if (!ks->n)
        return;
    qsort(ks->k, ks->n, sizeof *ks->k, str_cmp);
    size_t out = 1;
    for (size_t i = 1; i < ks->n; i++) {
        if (strcmp(ks->k[i], ks->k[out - 1]) == 0)
            free(ks->k[i]);
        else
            ks->k[out++] = ks->k[i];
    }
    ks->n = out;
}

void reg_keys_free(struct keys *ks)
{
    for (size_t i = 0; i < ks->n; i++)
        free(ks->k[i]);
    free(ks->k);
    memset(ks, 0, sizeof *ks);
}
