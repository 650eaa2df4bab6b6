/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: the lists the console pages through, at a site's largest
 * legal size against the same list at 1,000 rows, in the same run.  For
 * each list: the first page, a page in the middle and the last page at
 * 100,000 extensions (1,000,000 audit entries), each divided by the first
 * page at 1,000; target 1.2x.  Times are the best of 25 reads of 50 rows
 * through the store's own page functions, as the console calls them. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "ops/ops.h"
#include "tests/discard.h"

#define PAGE 50
#define TRIES 25 /* a page is a tenth of a millisecond: a busy machine shows in 7 */

static const struct store_actor bench_actor = {"bench", "bench"};

/* A site of `rows` extensions: `rows` / 100 virtual ones (3000000 on; a
 * full page at least), registered one by one, and the others each with a
 * mobile, imported in bulk; plus `rows` / 100 mobiles left unassigned. */
static int site(struct store *st, const char *dir, const char *domain, long rows, int64_t *id)
{
    char capacity[16], csv[512];
    snprintf(capacity, sizeof capacity, "%ld", rows);
    struct ops_site_input in = {.domain = domain, .capacity = capacity};
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_ctx op = {.st = st, .actor = bench_actor};
    int rc = ops_site_add(&op, &in, &pr, id);
    enum { BATCH = 5000 };
    static char mobiles[BATCH][24];
    char *args[BATCH];
    long lines = rows + rows / 100;
    for (long i = 0; !rc && i < lines; i += BATCH) {
        int n = 0;
        for (long k = i; k < lines && n < BATCH; k++, n++) {
            snprintf(mobiles[n], sizeof mobiles[n], "0%c0%08ld", domain[0] == 'b' ? '9' : '8', k);
            args[n] = mobiles[n];
        }
        rc = ops_line_add(&op, domain, args, n, &pr);
    }
    op.site_id = *id;
    long virtuals = rows / 100 > PAGE ? rows / 100 : PAGE;
    for (long i = 0; !rc && i < virtuals; i++) {
        char ext[16];
        snprintf(ext, sizeof ext, "3%06ld", i);
        struct ops_ext_input v = {.ext = ext, .is_virtual = true};
        rc = ops_ext_register(&op, &v, &pr);
    }
    snprintf(csv, sizeof csv, "%s/%s.csv", dir, domain);
    FILE *f = fopen(csv, "wb");
    if (!f)
        return 1;
    for (long i = 0; i < rows - virtuals; i++)
        fprintf(f, "2%06ld,0%c0%08ld\r\n", i, domain[0] == 'b' ? '9' : '8', i);
    fclose(f);
    struct ops_bulk_result res;
    struct ops_bulk_request req = {.mode = OPS_BULK_REGISTER, .path = csv};
    if (!rc)
        rc = ops_bulk(&op, &req, &pr, &res);
    core_problems_free(&pr);
    return rc != 0;
}

enum list { L_EXT, L_VIRTUAL, L_LINES, L_UNASSIGNED, L_AUDIT, L_COUNT };
static const char *const list_name[L_COUNT] = {"extension list", "virtual extension list",
                                               "mobile list", "unassigned mobiles", "audit log"};

/* Milliseconds for one page of `list` starting at `key` (NULL: first page,
 * "" with before: the last page). */
static double page_ms(struct store *st, int64_t site_id, enum list list, const char *key,
                      bool before)
{
    double best = 1e9;
    for (int t = 0; t < TRIES; t++) {
        double t0 = bench_now();
        switch (list) {
        case L_EXT:
        case L_VIRTUAL:
            store_ext_list_page(st, site_id, list == L_VIRTUAL, key, before, PAGE, none_ext, NULL);
            break;
        case L_LINES:
        case L_UNASSIGNED:
            store_line_page(st, site_id, list == L_UNASSIGNED, key ? key : "", before, PAGE,
                            none_line, NULL);
            break;
        case L_AUDIT:
            store_audit_page(st, site_id, NULL, key ? strtoll(key, NULL, 10) : 0, before, PAGE,
                             none_audit, NULL);
            break;
        default:
            break;
        }
        double ms = (bench_now() - t0) * 1e3;
        best = ms < best ? ms : best;
    }
    return best;
}

int main(void)
{
    bench_limit(900);
    char dir[] = "/tmp/kascon-bench-lists-XXXXXX", db[512], cmd[2048];
    if (!mkdtemp(dir))
        return 1;
    snprintf(db, sizeof db, "%s/lists.db", dir);
    struct store *st;
    int64_t small = 0, big = 0;
    if (store_open(db, &st) || site(st, dir, "a.example.jp", 1000, &small) ||
        site(st, dir, "b.example.jp", 100000, &big)) {
        fprintf(stderr, "bench/lists: set-up failed\n");
        return 1;
    }
    store_close(st);
    /* Audit entries: 1,000 for the small site, 1,000,000 for the big one
     * (set-up through the sqlite3 shell, not timed). */
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s' 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
             " WHERE i < 1000000) INSERT INTO audit (at, site_id, actor, source, action, object)"
             " SELECT i, CASE WHEN i %% 1000 = 0 THEN %lld ELSE %lld END, \"bench\", \"bench\","
             " \"ext.set\", i FROM n'",
             db, (long long)small, (long long)big);
    if (system(cmd) != 0 || store_open(db, &st))
        return 1;
    for (int l = 0; l < L_COUNT; l++) {
        /* Keys of the big site's middle: extension 2050000, virtual
         * 3000500, mobile 09000050000, audit id 500000. */
        static const char *const middle[L_COUNT] = {"2050000", "3000500", "09000050000",
                                                    "09000050000", "500000"};
        double base = page_ms(st, small, l, NULL, false);
        double first = page_ms(st, big, l, NULL, false);
        double mid = page_ms(st, big, l, middle[l], l == L_AUDIT);
        double last =
            l == L_AUDIT ? page_ms(st, big, l, "0", true) : page_ms(st, big, l, NULL, true);
        char what[160];
        const char *size = l == L_AUDIT ? "1M" : "100k";
        snprintf(what, sizeof what, "%s at %s: first page / first page at 1k", list_name[l], size);
        bench_row(what, first, base, "ms", "<= 1.2x");
        snprintf(what, sizeof what, "%s at %s: middle page / first page at 1k", list_name[l], size);
        bench_row(what, mid, base, "ms", "<= 1.2x");
        snprintf(what, sizeof what, "%s at %s: last page / first page at 1k", list_name[l], size);
        bench_row(what, last, base, "ms", "<= 1.2x");
    }
    double c0 = bench_now();
    int count = 0;
    store_ext_count(st, small, &count);
    double csmall = (bench_now() - c0) * 1e3;
    c0 = bench_now();
    store_ext_count(st, big, &count);
    bench_row("extension total at 100k / at 1k", (bench_now() - c0) * 1e3, csmall, "ms", "<= 1.2x");
    for (int unassigned = 0; unassigned < 2; unassigned++) {
        c0 = bench_now();
        store_line_count(st, small, unassigned, &count);
        csmall = (bench_now() - c0) * 1e3;
        c0 = bench_now();
        store_line_count(st, big, unassigned, &count);
        bench_row(unassigned ? "unassigned mobile total at 100k / at 1k"
                             : "mobile total at 100k / at 1k",
                  (bench_now() - c0) * 1e3, csmall, "ms", "<= 1.2x");
    }
    store_close(st);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) != 0;
}
