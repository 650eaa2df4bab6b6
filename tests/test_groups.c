/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pickup and call hunting groups: rules, limits, version checks, where
 * used, and deleting member and representative extensions. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ops/ops.h"
#include "fixture.h"
#include "tap.h"

static const struct store_actor op = {"operator", "test"};

static char text[512];

/* The first problem in words, then the list emptied. */
static const char *first_text(struct core_problems *pr)
{
    text[0] = '\0';
    if (pr->count)
        core_problem_format(&pr->items[0], text, sizeof text);
    first_code(pr);
    return text;
}

/* Registers extensions first..first+n-1 (virtual) inside one transaction. */
static int bulk_ext(struct store *st, int64_t site, int first, int n)
{
    int rc = store_begin(st);
    for (int i = 0; !rc && i < n; i++) {
        struct store_ext e = {.site_id = site, .is_virtual = 1};
        snprintf(e.ext, sizeof e.ext, "%d", first + i);
        snprintf(e.sip_id, sizeof e.sip_id, "%d", first + i);
        snprintf(e.sip_password, sizeof e.sip_password, "%d", first + i);
        rc = store_ext_insert(st, &e, &op);
    }
    return rc ? rc : store_commit(st);
}

/* The process's CPU time: on a busy machine (CI, make -j) the wall clock
 * also counts the time other processes had the CPU. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int count_row(const struct store_group *g, void *ctx)
{
    (void)g;
    ++*(int *)ctx;
    return 0;
}

static int first_number(const struct store_group *g, void *ctx)
{
    if (!*(int *)ctx)
        *(int *)ctx = g->number;
    return 0;
}

int main(void)
{
    int n = 0;
    tap_is(core_check_group_number("1", &n), CORE_OK, "group number 1");
    tap_is(core_check_group_number("99999", &n), CORE_OK, "group number 99999");
    tap_is(n, 99999, "... parsed");
    tap_is(core_check_group_number("100000", &n), E_GROUP_NUMBER_FORMAT, "100000 refused");
    tap_is(core_check_group_number("0", &n), E_GROUP_NUMBER_FORMAT, "0 refused");
    tap_is(core_check_group_number("07", &n), E_GROUP_NUMBER_FORMAT, "leading zero refused");
    tap_is(core_check_group_number("1a", &n), E_GROUP_NUMBER_FORMAT, "letters refused");
    tap_is(core_check_group_number("１", &n), E_FULLWIDTH, "full-width refused");
    tap_is(core_check_group_number("", &n), E_EMPTY, "empty refused");
    tap_is(core_check_group_count(CORE_PICKUP, 4095), CORE_OK, "4096th pickup group fits");
    tap_is(core_check_group_count(CORE_PICKUP, 4096), E_PICKUP_GROUPS_FULL, "4097th does not");
    tap_is(core_check_group_count(CORE_HUNT, 9999), CORE_OK, "10000th hunting group fits");
    tap_is(core_check_group_count(CORE_HUNT, 10000), E_HUNT_GROUPS_FULL, "10001st does not");
    tap_is(core_check_member_count(60, 4), CORE_OK, "64 members fit");
    tap_is(core_check_member_count(60, 5), E_GROUP_MEMBERS_FULL, "65 do not");
    int type = -1;
    tap_is(core_parse_hunt_type("pilot", &type), CORE_OK, "pilot");
    tap_is(core_parse_hunt_type("round-robin", &type), CORE_OK, "round-robin");
    tap_is(core_parse_hunt_type("random", &type), E_HUNT_TYPE, "unknown type");
    char refs[64] = "", words[256];
    core_group_refs_add(refs, sizeof refs, CORE_REF_PICKUP, 1);
    core_group_refs_add(refs, sizeof refs, CORE_REF_HUNT, 3);
    core_group_refs_format(refs, words, sizeof words);
    tap_ok(!strcmp(words, "pickup group 1, hunting group 3"), "references in words (%s)", words);
    char small[20] = "";
    for (int i = 1; i <= 9; i++)
        core_group_refs_add(small, sizeof small, CORE_REF_PICKUP, 1000 + i);
    tap_ok(strstr(small, "+") != NULL, "references that do not fit are counted (%s)", small);

    char dir[] = "/tmp/kascon-groups-XXXXXX", path[256];
    if (test_db_path(dir, path, sizeof path))
        return 1;
    struct store *st;
    tap_is(store_open(path, &st), CORE_OK, "open");
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_site_input site_in = {.domain = "g.example.jp", .capacity = "100000"};
    int64_t site = 0;
    tap_is(ops_site_add(TEST_CTX(st, 0), &site_in, &pr, &site), CORE_OK, "site");
    tap_is(bulk_ext(st, site, 200, 80), CORE_OK, "extensions 200-279");

    /* ---- pickup groups ---- */
    struct store_group g;
    tap_is(ops_pickup_add(TEST_CTX(st, site), "1", &pr, &g), CORE_OK, "pickup group 1");
    tap_is(ops_pickup_add(TEST_CTX(st, site), "1", &pr, NULL), E_DUP_GROUP, "duplicate number");
    first_code(&pr);
    tap_is(ops_pickup_add(TEST_CTX(st, site), "0", &pr, NULL), E_GROUP_NUMBER_FORMAT, "bad number");
    tap_is(pr.items[0].field, OPS_G_NUMBER, "... at the number field");
    first_code(&pr);
    char exts[80][8];
    const char *list[80];
    for (int i = 0; i < 80; i++) {
        snprintf(exts[i], sizeof exts[i], "%d", 200 + i);
        list[i] = exts[i];
    }
    tap_is(ops_group_members_add(
               TEST_CTX(st, site),
               &(struct ops_members_request){CORE_PICKUP, "1", g.version, list, 64}, &pr, &g),
           CORE_OK, "64 members");
    tap_is(g.members, 64, "... counted");
    tap_is(ops_group_members_add(
               TEST_CTX(st, site),
               &(struct ops_members_request){CORE_PICKUP, "1", g.version, list + 64, 1}, &pr, NULL),
           E_GROUP_MEMBERS_FULL, "65th member refused");
    first_code(&pr);
    const char *bad[] = {"270", "999", "12", "270"};
    ops_group_members_add(TEST_CTX(st, site),
                          &(struct ops_members_request){CORE_PICKUP, "1", OPS_ANY_VERSION, bad, 4},
                          &pr, NULL);
    tap_is(pr.count, 4, "every bad member reported (%zu)", pr.count);
    tap_ok(pr.count == 4 && pr.items[0].code == E_EXT_NOT_FOUND && pr.items[0].row == 2,
           "unregistered extension at place 2");
    tap_ok(pr.count == 4 && pr.items[1].code == E_EXT_FIRST_DIGIT &&
               pr.items[2].code == E_ALREADY_MEMBER,
           "bad format, and a repeat");
    tap_ok(pr.count == 4 && pr.items[3].code == E_GROUP_MEMBERS_FULL, "and the 65th member");
    first_code(&pr);
    tap_is(ops_pickup_add(TEST_CTX(st, site), "2", &pr, NULL), CORE_OK, "pickup group 2");
    tap_is(ops_group_members_add(
               TEST_CTX(st, site),
               &(struct ops_members_request){CORE_PICKUP, "2", OPS_ANY_VERSION, list, 2}, &pr,
               NULL),
           CORE_OK, "an extension may be in several pickup groups");
    /* Version check: a stale copy cannot save. */
    struct store_group stale = g;
    tap_is(ops_group_members_remove(
               TEST_CTX(st, site),
               &(struct ops_members_request){CORE_PICKUP, "1", g.version, list, 1}, &pr, &g),
           CORE_OK, "remove member 200");
    tap_is(g.members, 63, "... 63 left");
    struct store_group now;
    tap_is(ops_group_members_remove(
               TEST_CTX(st, site),
               &(struct ops_members_request){CORE_PICKUP, "1", stale.version, list + 1, 1}, &pr,
               &now),
           E_CHANGED_MEANWHILE, "stale version refused");
    first_code(&pr);
    tap_is(now.version, g.version, "... and the current group handed back");
    tap_is(ops_group_members_remove(
               TEST_CTX(st, site),
               &(struct ops_members_request){CORE_PICKUP, "1", OPS_ANY_VERSION, list, 1}, &pr,
               NULL),
           E_NOT_MEMBER, "removing a non-member");
    first_code(&pr);
    /* The store's own check, for a change that slips past the first read. */
    store_begin(st);
    stale.version = 1;
    tap_is(store_group_touch(st, &stale), E_CHANGED_MEANWHILE,
           "UPDATE ... AND version=? changes no row");
    store_rollback(st);
    tap_is(ops_group_delete(TEST_CTX(st, site), CORE_PICKUP, "2", 1, &(struct core_problem){0}),
           E_CHANGED_MEANWHILE, "delete with a stale version refused");
    struct core_problem p;
    tap_is(ops_group_delete(TEST_CTX(st, site), CORE_PICKUP, "2", OPS_ANY_VERSION, &p), CORE_OK,
           "delete pickup 2");
    tap_is(ops_group_get(TEST_CTX(st, site), CORE_PICKUP, "2", &now, &p), E_GROUP_NOT_FOUND,
           "... gone");

    /* 4096 pickup groups per site. */
    store_begin(st);
    int rc = CORE_OK;
    for (int i = 2; !rc && i <= CORE_PICKUP_GROUPS_MAX; i++) {
        struct store_group ng = {.kind = CORE_PICKUP, .number = i};
        rc = store_group_insert(st, site, &ng, &op);
    }
    store_commit(st);
    int count = 0;
    store_group_count(st, CORE_PICKUP, site, &count);
    tap_is(count, 4096, "4096 pickup groups");
    tap_is(ops_pickup_add(TEST_CTX(st, site), "5000", &pr, NULL), E_PICKUP_GROUPS_FULL,
           "the 4097th refused");
    tap_ok(strstr(first_text(&pr), "4096") != NULL, "... saying 4096 (%s)", text);

    /* ---- hunting groups ---- */
    tap_is(ops_hunt_add(TEST_CTX(st, site), &(struct ops_hunt_input){"1", CORE_HUNT_PILOT, "279"},
                        &pr, &g),
           CORE_OK, "hunting group 1, pilot, representative 279");
    tap_is(ops_hunt_add(TEST_CTX(st, site),
                        &(struct ops_hunt_input){"2", CORE_HUNT_ROUND_ROBIN, "279"}, &pr, NULL),
           E_HUNT_REP_TAKEN, "one group per representative");
    tap_ok(strstr(first_text(&pr), "hunting group 1") != NULL, "... naming it (%s)", text);
    tap_is(ops_hunt_add(TEST_CTX(st, site),
                        &(struct ops_hunt_input){"2", CORE_HUNT_ROUND_ROBIN, "9999"}, &pr, NULL),
           E_EXT_NOT_FOUND, "representative must be registered");
    tap_is(pr.items[0].field, OPS_G_REP, "... at the representative field");
    first_code(&pr);
    tap_is(ops_hunt_add(TEST_CTX(st, site), &(struct ops_hunt_input){"2", 7, "278"}, &pr, NULL),
           E_HUNT_TYPE, "bad type");
    first_code(&pr);
    tap_is(ops_hunt_add(TEST_CTX(st, site),
                        &(struct ops_hunt_input){"2", CORE_HUNT_ROUND_ROBIN, "278"}, &pr, NULL),
           CORE_OK, "hunting group 2, round robin");
    const char *h1[] = {"201", "202", "203"};
    tap_is(ops_group_members_add(
               TEST_CTX(st, site),
               &(struct ops_members_request){CORE_HUNT, "1", OPS_ANY_VERSION, h1, 3}, &pr, &g),
           CORE_OK, "three members of hunting 1");
    tap_is(ops_group_members_add(
               TEST_CTX(st, site),
               &(struct ops_members_request){CORE_HUNT, "2", OPS_ANY_VERSION, h1 + 1, 1}, &pr,
               NULL),
           E_IN_OTHER_HUNT, "an extension in one hunting group only");
    tap_ok(strstr(first_text(&pr), "hunting group 1") != NULL, "... naming the holder (%s)", text);
    const char *rep[] = {"279"};
    tap_is(ops_group_members_add(
               TEST_CTX(st, site),
               &(struct ops_members_request){CORE_HUNT, "2", OPS_ANY_VERSION, rep, 1}, &pr, NULL),
           E_HUNT_REP_MEMBER, "a representative is not a member");
    first_code(&pr);
    tap_is(ops_hunt_update(TEST_CTX(st, site),
                           &(struct ops_hunt_input){"2", CORE_HUNT_ROUND_ROBIN, "201"},
                           OPS_ANY_VERSION, &pr, NULL),
           E_HUNT_REP_MEMBER, "a member is not a representative");
    first_code(&pr);
    const char *order[] = {"203", "201", "202"};
    tap_is(ops_hunt_order(TEST_CTX(st, site),
                          &(struct ops_members_request){CORE_HUNT, "1", g.version, order, 3}, &pr,
                          &g),
           CORE_OK, "new pilot order");
    tap_is(ops_hunt_move(TEST_CTX(st, site), &(struct ops_member_move){"1", g.version, "202", -1},
                         &pr, &g),
           CORE_OK, "move 202 up");
    tap_is(ops_hunt_order(TEST_CTX(st, site),
                          &(struct ops_members_request){CORE_HUNT, "1", OPS_ANY_VERSION, order, 2},
                          &pr, NULL),
           E_ORDER_MISMATCH, "an order must list every member");
    first_code(&pr);
    const char *stranger[] = {"250"};
    tap_is(
        ops_hunt_order(TEST_CTX(st, site),
                       &(struct ops_members_request){CORE_HUNT, "1", OPS_ANY_VERSION, stranger, 1},
                       &pr, NULL),
        E_NOT_MEMBER, "order of non-members refused");
    first_code(&pr);
    const char *h2[] = {"210"};
    ops_group_members_add(TEST_CTX(st, site),
                          &(struct ops_members_request){CORE_HUNT, "2", OPS_ANY_VERSION, h2, 1},
                          &pr, NULL);
    tap_is(ops_hunt_order(TEST_CTX(st, site),
                          &(struct ops_members_request){CORE_HUNT, "2", OPS_ANY_VERSION, h2, 1},
                          &pr, NULL),
           E_ORDER_NOT_PILOT, "order belongs to pilot groups");
    first_code(&pr);
    tap_is(ops_hunt_update(TEST_CTX(st, site),
                           &(struct ops_hunt_input){"2", CORE_HUNT_PILOT, "277"}, OPS_ANY_VERSION,
                           &pr, &g),
           CORE_OK, "change type and representative");
    tap_ok(g.pilot == 1 && !strcmp(g.rep, "277"), "... saved");

    /* Where used and deleting. */
    char where[64];
    tap_is(ops_ext_groups(TEST_CTX(st, site), "201", where, sizeof where, &p), CORE_OK,
           "where used");
    tap_ok(!strcmp(where, "p1 h1"), "201: pickup 1 (as 1 of 63), hunting 1 (%s)", where);
    tap_is(ops_ext_delete(TEST_CTX(st, site), "201", false, &p), E_DELETE_IN_GROUP,
           "delete refused");
    core_problem_format(&p, text, sizeof text);
    tap_ok(strstr(text, "pickup group 1") && strstr(text, "hunting group 1"),
           "... naming both (%s)", text);
    struct store_group h1g;
    ops_group_get(TEST_CTX(st, site), CORE_HUNT, "1", &h1g, &p);
    tap_is(ops_ext_delete(TEST_CTX(st, site), "201", true, &p), CORE_OK,
           "force delete removes it from both");
    struct store_group h1after;
    ops_group_get(TEST_CTX(st, site), CORE_HUNT, "1", &h1after, &p);
    tap_is(h1after.members, 2, "... hunting 1 has two members");
    tap_ok(h1after.version > h1g.version, "... and a new version: an open editor must reload");
    tap_is(ops_ext_delete(TEST_CTX(st, site), "279", true, &p), E_DELETE_REPRESENTATIVE,
           "force delete refuses a representative");
    core_problem_format(&p, text, sizeof text);
    tap_ok(strstr(text, "representative of hunting group 1") != NULL, "... naming the group (%s)",
           text);
    tap_is(ops_group_delete(TEST_CTX(st, site), CORE_HUNT, "1", OPS_ANY_VERSION, &p), CORE_OK,
           "delete hunting 1");
    tap_is(ops_ext_delete(TEST_CTX(st, site), "279", false, &p), CORE_OK,
           "then the representative goes");

    /* 10,000 hunting groups, each with its own representative, and a list
     * that pages without reading them all. */
    tap_is(bulk_ext(st, site, 30000, CORE_HUNT_GROUPS_MAX), CORE_OK, "10,000 more extensions");
    store_begin(st);
    rc = CORE_OK;
    int have = 0;
    store_group_count(st, CORE_HUNT, site, &have);
    for (int i = 0; !rc && have + i < CORE_HUNT_GROUPS_MAX; i++) {
        struct store_ext e;
        char ext[16];
        snprintf(ext, sizeof ext, "%d", 30000 + i);
        rc = store_ext_find(st, site, ext, &e);
        struct store_group ng = {.kind = CORE_HUNT, .number = 10 + i, .rep_id = e.id};
        snprintf(ng.rep, sizeof ng.rep, "%s", ext);
        if (!rc)
            rc = store_group_insert(st, site, &ng, &op);
    }
    store_commit(st);
    tap_is(rc, CORE_OK, "hunting groups inserted");
    store_group_count(st, CORE_HUNT, site, &count);
    tap_is(count, CORE_HUNT_GROUPS_MAX, "10,000 hunting groups");
    tap_is(ops_hunt_add(TEST_CTX(st, site),
                        &(struct ops_hunt_input){"99999", CORE_HUNT_ROUND_ROBIN, "39999"}, &pr,
                        NULL),
           E_HUNT_GROUPS_FULL, "the 10,001st refused");
    tap_ok(strstr(first_text(&pr), "10000") != NULL, "... saying 10000 (%s)", text);
    int rows = 0, last = 0;
    /* Statistics for 10,000 groups just inserted (PostgreSQL's autovacuum
     * would take them a little later), and the pages once before the clock
     * runs: the first run prepares the statements (on PostgreSQL a round
     * trip to the server each). */
    store_analyze(st);
    store_group_page(st, CORE_HUNT, site, NULL, 0, true, 20, first_number, &last);
    store_group_page(st, CORE_HUNT, site, NULL, 5000, false, 20, count_row, &rows);
    rows = last = 0;
    double t0 = now_ms();
    store_group_page(st, CORE_HUNT, site, NULL, 0, true, 20, first_number, &last);
    store_group_page(st, CORE_HUNT, site, NULL, 5000, false, 20, count_row, &rows);
    double ms = now_ms() - t0;
    tap_is(rows, 20, "a page in the middle");
    tap_is(last, 10 + CORE_HUNT_GROUPS_MAX - 2, "the last page starts from the end (%d)", last);
    tap_ok(ms < 50, "two pages of 10,000 groups in %.2f ms of CPU", ms);
    struct store_ext e30;
    store_ext_find(st, site, "35000", &e30);
    struct store_group_filter f = {.ext_id = e30.id};
    rows = 0;
    t0 = now_ms();
    store_group_page(st, CORE_HUNT, site, &f, 0, false, 20, count_row, &rows);
    tap_is(rows, 1, "filter by extension finds its group (%.2f ms)", now_ms() - t0);

    store_close(st);
    test_remove_dir(dir);
    return tap_done();
}
