/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Demo call traffic (kasconctl cdr demo): a small deterministic generator
 * of a day's calls between the site's extensions and outside numbers,
 * busier in office hours, with the causes the guide explains. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cdr.h"
#include "core/cdr_internal.h"

void core_rng_seed(struct core_rng *rng, uint64_t seed)
{
    rng->state = seed * 2 + 1;
}

/* PCG-XSH-RR 32: small, fast and good enough for traffic patterns. */
uint32_t core_rng_next(struct core_rng *rng)
{
    uint64_t old = rng->state;
    rng->state = old * 6364136223846793005ULL + 1442695040888963407ULL;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
}

static uint32_t below(struct core_rng *rng, uint32_t n)
{
    return n ? core_rng_next(rng) % n : 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

void core_cdr_demo_times(struct core_rng *rng, int *seconds, size_t n)
{
    /* Relative call volume per hour of an office: a morning peak, a lunch
     * dip, an afternoon peak, quiet nights. */
    static const int weight[24] = {1, 1,  1,  1,  1,  1,  2, 4, 9, 16, 18, 17,
                                   8, 15, 17, 17, 16, 12, 6, 3, 2, 1,  1,  1};
    int total = 0;
    for (int h = 0; h < 24; h++)
        total += weight[h];
    for (size_t i = 0; i < n; i++) {
        int r = (int)below(rng, (uint32_t)total), h = 0;
        while (r >= weight[h])
            r -= weight[h++];
        seconds[i] = h * 3600 + (int)below(rng, 3600);
    }
    qsort(seconds, n, sizeof *seconds, cmp_int);
}

static void time_at(const char *day, long second, char out[CORE_CDR_TIME_LEN + 1])
{
    long dn = 0;
    core_day_number(day, &dn);
    dn += second / 86400;
    second %= 86400;
    long y, m, d;
    core_cdr_civil_from_days(dn, &y, &m, &d);
    core_cdr_format_time(out, y % 10000, m, d, second / 3600, second / 60 % 60, second % 60);
}

static void outside_number(struct core_rng *rng, char *out)
{
    /* Prefix and total length: fixed lines are 10 digits, mobiles 11. */
    static const struct {
        const char *prefix;
        int length;
    } kinds[] = {{"03", 10},  {"06", 10},  {"045", 10}, {"052", 10},
                 {"090", 11}, {"080", 11}, {"070", 11}, {"0120", 10}};
    size_t k = below(rng, sizeof kinds / sizeof kinds[0]);
    int len = snprintf(out, CORE_CDR_NUMBER_MAX + 1, "%s", kinds[k].prefix);
    while (len < kinds[k].length)
        out[len++] = (char)('0' + below(rng, 10));
    out[len] = '\0';
}

static const char *pick_ext(struct core_rng *rng, const struct core_cdr_demo_numbers *nums)
{
    if (!nums->extension_count)
        return "2001";
    return nums->extensions[below(rng, (uint32_t)nums->extension_count)];
}

void core_cdr_demo_record(struct core_rng *rng, const char *day, int second,
                          const struct core_cdr_demo_numbers *nums, struct core_cdr *out)
{
    memset(out, 0, sizeof *out);
    time_at(day, second, out->call_time);
    uint32_t kind = below(rng, 100);
    if (kind < 40) { /* internal */
        core_cdr_copy(out->caller, sizeof out->caller, pick_ext(rng, nums));
        core_cdr_copy(out->callee, sizeof out->callee, pick_ext(rng, nums));
        core_cdr_copy(out->received, sizeof out->received, out->callee);
    } else if (kind < 75) { /* incoming from outside */
        outside_number(rng, out->caller);
        core_cdr_copy(out->callee, sizeof out->callee, pick_ext(rng, nums));
        core_cdr_copy(out->received, sizeof out->received,
                      nums->site_number ? nums->site_number : "");
    } else { /* outgoing */
        core_cdr_copy(out->caller, sizeof out->caller, pick_ext(rng, nums));
        outside_number(rng, out->callee);
        core_cdr_copy(out->received, sizeof out->received, out->callee);
    }
    uint32_t outcome = below(rng, 100);
    static const struct {
        int upto, cause;
    } mix[] = {{67, 16}, {79, 18}, {87, 17}, {90, 1},  {93, 47},  {95, 63},
               {96, 21}, {97, 41}, {98, 42}, {99, 34}, {100, -16}};
    int cause = 16;
    for (size_t i = 0; i < sizeof mix / sizeof mix[0]; i++) {
        if ((int)outcome < mix[i].upto) {
            cause = mix[i].cause;
            break;
        }
    }
    long ring = 3 + below(rng, 20);
    if (cause == 16) {
        long talk = 10 + below(rng, 240) + (below(rng, 4) == 0 ? below(rng, 1500) : 0);
        out->completed = 1;
        time_at(day, second + ring, out->answer_time);
        time_at(day, second + ring + talk, out->end_time);
        uint32_t extra = below(rng, 100);
        if (extra < 5 && kind >= 40 && kind < 75) {
            core_cdr_copy(out->service, sizeof out->service, CORE_CDR_SERVICE_TRANSFER);
            core_cdr_copy(out->transferrer, sizeof out->transferrer, out->callee);
            core_cdr_copy(out->callee, sizeof out->callee, pick_ext(rng, nums));
        } else if (extra < 8 && kind < 75) {
            core_cdr_copy(out->service, sizeof out->service, CORE_CDR_SERVICE_PICKUP);
            core_cdr_copy(out->callee, sizeof out->callee, pick_ext(rng, nums));
        }
        core_cdr_copy(out->disconnector, sizeof out->disconnector,
                      below(rng, 2) ? out->caller : out->callee);
    } else {
        /* Not completed: a busy line fails at once, the rest after ringing
         * or an announcement; -16 is a caller who gave up (016). */
        long lasts = cause == 17 || cause == 1 ? 1 + below(rng, 3)
                     : cause == 18             ? 30 + below(rng, 30)
                                               : ring;
        time_at(day, second + lasts, out->end_time);
        if (cause == 1)
            snprintf(out->callee, sizeof out->callee, "%u", 9000 + below(rng, 999));
        core_cdr_copy(out->disconnector, sizeof out->disconnector,
                      cause == -16 || cause == 47 ? out->caller : "");
        cause = cause < 0 ? -cause : cause;
    }
    out->cause = cause;
}
