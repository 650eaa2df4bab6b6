/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The prefix rule of doc/spec.md §3.4: the site number, GW id, every feature code
 * and every extension are pairwise prefix-free.  One checker for every write.
 *
 * A plan is a sorted array, so one check costs O(L log n): the values that
 * are prefixes of a candidate are found by looking up each of its (at most
 * CORE_PLAN_VALUE_MAX) prefixes, and a value that has the candidate as a
 * prefix, if any exists, sorts right after the candidate. */
#ifndef KASCON_CORE_NUMPLAN_H
#define KASCON_CORE_NUMPLAN_H

#include <stddef.h>

#include "core/problem.h"

#define CORE_PLAN_VALUE_MAX 16

struct core_plan_entry {
    int kind; /* enum core_plan_kind */
    char value[CORE_PLAN_VALUE_MAX + 1];
};

struct core_plan {
    struct core_plan_entry *entries;
    size_t count, capacity;
    int sorted;
};

void core_plan_init(struct core_plan *plan);
void core_plan_free(struct core_plan *plan);
/* Adds a value (empty values are ignored).  Returns 0, or -1 on no memory. */
int core_plan_add(struct core_plan *plan, int kind, const char *value);
/* Removes one entry of this kind and value (used when a value is replaced). */
void core_plan_remove(struct core_plan *plan, int kind, const char *value);
/* Checks a candidate against the plan.  On collision fills *problem with
 * E_PREFIX_COLLISION naming the colliding entry and returns that code. */
int core_plan_check(struct core_plan *plan, const char *candidate, struct core_problem *problem);
/* Checks that the plan itself is prefix-free; reports the first collision. */
int core_plan_check_all(struct core_plan *plan, struct core_problem *problem);

#endif
