/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the operation files share: recording a field's problem and ending
 * a write transaction (commit when no problem was found, else roll back). */
#ifndef KASCON_OPS_INTERNAL_H
#define KASCON_OPS_INTERNAL_H

#include "ops/ops.h"

/* Runs a single-problem check and records its result under `field`. */
static inline void check_field(struct core_problems *problems, int code, const char *value,
                               int field)
{
    if (code)
        core_problems_add_code(problems, code, value, field);
}

static inline int first_code(const struct core_problems *problems, size_t from)
{
    return problems->count > from ? problems->items[from].code : CORE_OK;
}

/* Finishes a write: commit if no problem was recorded since `from`. */
static inline int finish(struct store *st, const struct core_problems *problems, size_t from,
                         int rc)
{
    if (rc == CORE_OK)
        rc = first_code(problems, from);
    if (rc == CORE_OK)
        rc = store_commit(st);
    if (rc != CORE_OK)
        store_rollback(st);
    return rc;
}

/* Wraps one store write in a transaction, turning its result into *problem. */
static inline int single_write(struct store *st, int rc, const char *value, int field,
                               struct core_problem *problem)
{
    if (rc == CORE_OK)
        rc = store_commit(st);
    if (rc != CORE_OK) {
        store_rollback(st);
        core_problem_set(problem, rc, value);
        problem->field = field;
    }
    return rc;
}

#endif
