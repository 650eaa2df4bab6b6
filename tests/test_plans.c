/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every list the front ends page through is index-backed: each statement
 * a list, count or lookup prepares is planned with EXPLAIN QUERY PLAN, and
 * the test fails on a full SCAN of a large table or a sort of one (a temp
 * B-tree for ORDER BY), naming the statement. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "discard.h"
#include "fixture.h"
#include "ops/ops.h"
#include "tap.h"

static const struct store_actor op = {"operator", "test"};

static int bad_plans;

static void on_plan(const char *detail, const char *sql, void *ctx)
{
    const char *what = ctx;
    bad_plans++;
    printf("# %s: %s\n#   in: %s\n", what, detail, sql);
}

/* Runs one list's statements with the plan check on; passes when none
 * scanned or sorted a large table. */
#define LIST(what, call)                                                                           \
    do {                                                                                           \
        bad_plans = 0;                                                                             \
        store_check_plans(st, on_plan, (void *)(what));                                            \
        call;                                                                                      \
        store_check_plans(st, NULL, NULL);                                                         \
        tap_ok(bad_plans == 0, "index-backed: %s", what);                                          \
    } while (0)

int main(void)
{
    char dir[] = "/tmp/kascon-plans-XXXXXX", path[256];
    if (test_db_path(dir, path, sizeof path))
        return 1;
    struct store *st;
    if (store_open(path, &st))
        return 1;
    struct core_problems pr;
    core_problems_init(&pr);
    int64_t site = 0;
    struct ops_site_input in = {.domain = "plans.example.jp", .capacity = "100"};
    tap_ok(ops_site_add(TEST_CTX(st, 0), &in, &pr, &site) == CORE_OK, "a site");
    char *mobiles[] = {"09011112222"};
    ops_line_add(TEST_CTX(st, 0), "plans.example.jp", mobiles, 1, &pr);
    struct ops_ext_input ext = {.ext = "2001"};
    ops_ext_register(TEST_CTX(st, site), &ext, &pr);
    core_problems_free(&pr);

    char text[256];
    int count = 0;
    struct core_cdr page[10];
    for (int v = -1; v <= 1; v++) {
        static const char *const names[] = {"extension list (all)", "extension list (ordinary)",
                                            "extension list (virtual)"};
        LIST(names[v + 1], {
            store_ext_page(st, site, v, NULL, false, 50, none_ext, NULL);
            store_ext_page(st, site, v, "2001", false, 50, none_ext, NULL);
            store_ext_page(st, site, v, "2001", true, 50, none_ext, NULL);
        });
    }
    LIST("mobile list", {
        store_line_page(st, site, false, "", false, 50, none_line, NULL);
        store_line_page(st, site, false, "09011112222", true, 50, none_line, NULL);
    });
    LIST("unassigned mobiles", {
        store_line_page(st, site, true, "", false, 50, none_line, NULL);
        store_line_page(st, site, true, "09011112222", true, 50, none_line, NULL);
    });
    LIST("locked users", store_locked_each(st, site, none_locked, NULL));
    LIST("forwarding pointing to a number",
         store_fwd_pointing_to(st, site, "2001", text, sizeof text));
    struct store_audit_filter by_object = {"2001", ""}, by_actor = {"", "operator"};
    LIST("audit log", {
        store_audit_page(st, site, NULL, 0, false, 50, none_audit, NULL);
        store_audit_page(st, site, NULL, 100, false, 50, none_audit, NULL);
        store_audit_page(st, site, NULL, 100, true, 50, none_audit, NULL);
        store_audit_page(st, site, &by_object, 100, false, 50, none_audit, NULL);
        store_audit_page(st, site, &by_actor, 100, false, 50, none_audit, NULL);
        store_audit_rows(st, 1, "", 0, 10, none_row, NULL);
    });
    for (int kind = CORE_PICKUP; kind <= CORE_HUNT; kind++) {
        struct store_group_filter all = {0, 0}, by_ext = {0, 1};
        LIST(kind == CORE_PICKUP ? "pickup groups" : "hunting groups", {
            store_group_page(st, kind, site, &all, 0, false, 50, none_group, NULL);
            store_group_page(st, kind, site, &by_ext, 0, false, 50, none_group, NULL);
            store_group_page(st, kind, site, &all, 10, true, 50, none_group, NULL);
            store_group_count(st, kind, site, &count);
        });
    }
    struct store_cdr_filter filter = {NULL, NULL, "2001", 1, 16};
    LIST("call history", {
        store_cdr_files(st, site, none_file, NULL);
        store_cdr_page(st, 1, NULL, STORE_PAGE_FIRST, 0, page, 10, &count);
        store_cdr_page(st, 1, &filter, STORE_PAGE_NEXT, 5, page, 10, &count);
        store_cdr_page(st, 1, &filter, STORE_PAGE_PREV, 5, page, 10, &count);
        store_cdr_page(st, 1, NULL, STORE_PAGE_LAST, 0, page, 10, &count);
    });
    /* The check itself: a purge of every site's old call records reads
     * the files' table whole, and is reported. */
    bad_plans = 0;
    store_check_plans(st, on_plan, "purge of every site (a scan, expected)");
    int files = 0;
    long records = 0;
    store_cdr_purge(st, 0, "2000-01-01", &op, &files, &records);
    store_check_plans(st, NULL, NULL);
    tap_ok(bad_plans > 0, "the plan check sees a full scan (%d reported)", bad_plans);
    store_close(st);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return tap_done() || tap_failed != 0;
}
