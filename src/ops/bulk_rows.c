/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rows of a bulk file as every step of 一括登録 / 一括削除 uses them: a
 * row's field, a problem at a row and column, and the progress report.
 * The bottom of src/ops/bulk*.c: it calls none of the other files, so
 * reading (bulk.c), checking (bulk_check.c) and hashing (bulk_hash.c)
 * each call down to it and never back into one another. */
#include <config.h>

#include "ops/bulk_internal.h"

const char *bulk_field(const struct row *r, int col)
{
    return col < r->ncols ? r->f[col] : "";
}

void bulk_problem(struct bulk *b, const struct row *r, int col, int code, const char *value)
{
    struct core_problem p;
    core_problem_set(&p, code, value);
    p.row = r ? r->no : 0;
    p.field = col;
    if (!core_problems_add(b->problems, &p))
        b->nomem = true;
}

void bulk_progress(struct bulk *b, int phase, long done, long total)
{
    if (b->progress)
        b->progress(b->progress_ctx, phase, done, total);
}
