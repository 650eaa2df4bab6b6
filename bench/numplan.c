/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: the prefix checker on a site of 100,000 extensions, against
 * the obvious linear scan measured in the same run. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench/bench.h"
#include "core/numplan.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int linear_collides(const struct core_plan *plan, const char *candidate)
{
    size_t n = strlen(candidate);
    for (size_t i = 0; i < plan->count; i++) {
        size_t m = strlen(plan->entries[i].value);
        if (!strncmp(plan->entries[i].value, candidate, m < n ? m : n))
            return 1;
    }
    return 0;
}

int main(void)
{
    bench_limit(300);
    enum { SITE = 100000, PROBES = 20000 };
    struct core_plan plan;
    core_plan_init(&plan);
    char v[24];
    for (int i = 0; i < SITE; i++) {
        snprintf(v, sizeof v, "%d", 2000000 + i);
        core_plan_add(&plan, PLAN_EXTENSION, v);
    }
    core_plan_add(&plan, PLAN_HOLD_CODE, "#7");
    struct core_problem p;
    core_plan_check(&plan, "9", &p); /* sort once, outside the timing */
    int hits = 0;
    double t0 = now();
    for (int i = 0; i < PROBES; i++) {
        snprintf(v, sizeof v, "%d", 3000000 + i * 7);
        hits += core_plan_check(&plan, v, &p) != 0;
    }
    double sorted = now() - t0;
    int hits_linear = 0;
    t0 = now();
    for (int i = 0; i < PROBES / 20; i++) {
        snprintf(v, sizeof v, "%d", 3000000 + i * 7);
        hits_linear += linear_collides(&plan, v);
    }
    double linear = (now() - t0) * 20;
    printf("numplan: %d checks against %d values: %.1f ms (%.2f us/check), %d collisions\n", PROBES,
           SITE + 1, sorted * 1e3, sorted / PROBES * 1e6, hits);
    printf("numplan: reference linear scan: %.1f ms (extrapolated from %d checks)\n", linear * 1e3,
           PROBES / 20);
    printf("numplan: ratio sorted/linear = %.4f (lower is better)\n", sorted / linear);
    bench_row("numbering plan checks: sorted array / linear scan", sorted * 1e3, linear * 1e3, "ms",
              "-");
    core_plan_free(&plan);
    return hits == 0 && hits_linear == 0 ? 0 : 1;
}
