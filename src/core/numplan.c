/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/numplan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void core_plan_init(struct core_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    plan->sorted = 1;
}

void core_plan_free(struct core_plan *plan)
{
    free(plan->entries);
    core_plan_init(plan);
}

int core_plan_add(struct core_plan *plan, int kind, const char *value)
{
    if (!value || !*value)
        return 0;
    if (plan->count == plan->capacity) {
        size_t cap = plan->capacity ? plan->capacity * 2 : 64;
        struct core_plan_entry *e = realloc(plan->entries, cap * sizeof *e);
        if (!e)
            return -1;
        plan->entries = e;
        plan->capacity = cap;
    }
    struct core_plan_entry *e = &plan->entries[plan->count++];
    e->kind = kind;
    snprintf(e->value, sizeof e->value, "%s", value);
    plan->sorted = 0;
    return 0;
}

void core_plan_remove(struct core_plan *plan, int kind, const char *value)
{
    for (size_t i = 0; i < plan->count; i++) {
        if (plan->entries[i].kind == kind && !strcmp(plan->entries[i].value, value)) {
            plan->entries[i] = plan->entries[--plan->count];
            plan->sorted = 0;
            return;
        }
    }
}

static int by_value(const void *a, const void *b)
{
    const struct core_plan_entry *x = a, *y = b;
    return strcmp(x->value, y->value);
}

static void ensure_sorted(struct core_plan *plan)
{
    if (!plan->sorted) {
        if (plan->count)
            qsort(plan->entries, plan->count, sizeof *plan->entries, by_value);
        plan->sorted = 1;
    }
}

/* Index of the first entry not less than key. */
static size_t lower_bound(const struct core_plan *plan, const char *key, size_t keylen)
{
    size_t lo = 0, hi = plan->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *v = plan->entries[mid].value;
        int c = strncmp(v, key, keylen);
        if (c == 0 && v[keylen] != '\0')
            c = 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int collide(struct core_problem *problem, const char *candidate,
                   const struct core_plan_entry *hit)
{
    core_problem_set(problem, E_PREFIX_COLLISION, candidate);
    snprintf(problem->other, sizeof problem->other, "%s", hit->value);
    problem->other_kind = hit->kind;
    return E_PREFIX_COLLISION;
}

int core_plan_check(struct core_plan *plan, const char *candidate, struct core_problem *problem)
{
    if (!candidate || !*candidate || plan->count == 0)
        return CORE_OK;
    ensure_sorted(plan);
    size_t len = strlen(candidate);
    if (len > CORE_PLAN_VALUE_MAX)
        len = CORE_PLAN_VALUE_MAX;
    /* An entry equal to, or a prefix of, the candidate. */
    for (size_t k = 1; k <= len; k++) {
        size_t i = lower_bound(plan, candidate, k);
        if (i < plan->count && strlen(plan->entries[i].value) == k &&
            !strncmp(plan->entries[i].value, candidate, k))
            return collide(problem, candidate, &plan->entries[i]);
    }
    /* An entry that has the candidate as a prefix. */
    size_t i = lower_bound(plan, candidate, len);
    if (i < plan->count && !strncmp(plan->entries[i].value, candidate, len))
        return collide(problem, candidate, &plan->entries[i]);
    return CORE_OK;
}

int core_plan_check_all(struct core_plan *plan, struct core_problem *problem)
{
    ensure_sorted(plan);
    /* In sorted order a prefix sorts right before some value it prefixes,
     * so adjacent pairs are enough to find whether any collision exists. */
    for (size_t i = 1; i < plan->count; i++) {
        const struct core_plan_entry *a = &plan->entries[i - 1], *b = &plan->entries[i];
        if (!strncmp(b->value, a->value, strlen(a->value)))
            return collide(problem, b->value, a);
    }
    return CORE_OK;
}
