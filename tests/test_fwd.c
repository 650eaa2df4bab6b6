/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forwarding (doc/spec.md §3.5): destination and delay rules, self and loop
 * checks, version checks and audit; transfer and exchange of extension
 * numbers (§6.1, §6.2): plans, refusals, atomicity. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"
#include "fixture.h"
#include "raw_sql.h"
#include "tap.h"

static const struct store_actor op = {"operator", "test"};

/* A loop lookup over a fixed table: "a>b" pairs. */
static int table_lookup(void *ctx, const char *ext, char *dest, size_t n)
{
    for (const char *const *p = ctx; *p; p++) {
        const char *gt = strchr(*p, '>');
        if ((size_t)(gt - *p) == strlen(ext) && !strncmp(*p, ext, strlen(ext))) {
            snprintf(dest, n, "%s", gt + 1);
            return 0;
        }
    }
    dest[0] = '\0';
    return 0;
}

struct audit_count {
    const char *action, *object;
    int n;
};

static int count_audit(const struct store_audit_entry *e, void *ctx)
{
    struct audit_count *c = ctx;
    if (!strcmp(e->action, c->action) && (!c->object || !strcmp(e->object, c->object)))
        c->n++;
    return 0;
}

/* Audit entries of the site with this action (and object, unless NULL). */
static int audited(struct store *st, int64_t site, const char *action, const char *object)
{
    struct audit_count c = {action, object, 0};
    store_audit_page(st, site, NULL, 0, false, 10000, count_audit, &c);
    return c.n;
}

/* Registers ext and, when mobile is not NULL, provisions and assigns it. */
static int ext_with_mobile(struct store *st, int64_t site, const char *domain, const char *ext,
                           const char *mobile)
{
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_ext_input in = {.ext = ext};
    int rc = ops_ext_register(TEST_CTX(st, site), &in, &pr);
    if (!rc && mobile) {
        char *m[] = {(char *)mobile};
        rc = ops_line_add(TEST_CTX(st, 0), domain, m, 1, &pr);
        if (!rc)
            rc = ops_assign(TEST_CTX(st, site), ext, mobile, &pr);
    }
    core_problems_free(&pr);
    return rc;
}

static void rules(void)
{
    tap_is(core_check_fwd_dest("2001"), CORE_OK, "internal destination");
    tap_is(core_check_fwd_dest("22"), CORE_OK, "2-digit internal destination");
    tap_is(core_check_fwd_dest("2"), E_FWD_DEST_FORMAT, "1 digit refused");
    tap_is(core_check_fwd_dest("234567890123456"), CORE_OK, "15-digit internal destination");
    tap_is(core_check_fwd_dest("2345678901234567"), E_FWD_DEST_FORMAT, "16-digit internal refused");
    tap_is(core_check_fwd_dest("09012345678"), CORE_OK, "mobile destination");
    tap_is(core_check_fwd_dest("0312345678"), CORE_OK, "fixed-line destination");
    tap_is(core_check_fwd_dest("01012025550123"), CORE_OK, "international destination");
    tap_is(core_check_fwd_dest("031234567"), E_FWD_DEST_FORMAT, "9-digit outside number refused");
    tap_is(core_check_fwd_dest("012345678901234567890"), E_FWD_DEST_FORMAT, "21 digits refused");
    tap_is(core_check_fwd_dest("119"), E_FWD_SPECIAL, "119 refused");
    tap_is(core_check_fwd_dest("110"), E_FWD_SPECIAL, "110 refused");
    tap_is(core_check_fwd_dest("20-01"), E_FWD_DEST_FORMAT, "hyphen refused");
    tap_is(core_check_fwd_dest("*2001"), E_FWD_DEST_FORMAT, "star refused");
    tap_is(core_check_fwd_dest("２００１"), E_FULLWIDTH, "full-width refused");
    tap_is(core_check_fwd_dest(""), E_EMPTY, "empty refused");
    int d = 0;
    tap_is(core_check_fwd_delay("", &d), CORE_OK, "empty delay");
    tap_is(d, CORE_FWD_DELAY_DEFAULT, "... is the default 15 s");
    tap_is(core_check_fwd_delay("5", &d), CORE_OK, "5 s");
    tap_is(core_check_fwd_delay("60", &d), CORE_OK, "60 s");
    tap_is(d, 60, "... parsed");
    tap_is(core_check_fwd_delay("4", &d), E_FWD_DELAY, "4 s refused");
    tap_is(core_check_fwd_delay("61", &d), E_FWD_DELAY, "61 s refused");
    tap_is(core_check_fwd_delay("1000000000000", &d), E_FWD_DELAY, "huge refused");
    tap_is(core_check_fwd_delay("1x", &d), E_FWD_DELAY, "letters refused");
    int kind = -1;
    tap_is(core_fwd_parse_kind("no-answer", &kind), CORE_OK, "kind no-answer");
    tap_is(kind, CORE_FWD_NO_ANSWER, "... parsed");
    tap_is(core_fwd_parse_kind("always", &kind), E_FWD_KIND, "unknown kind");

    const char *table[] = {"202>201", "203>204", "204>205", NULL};
    char chain[64];
    tap_is(core_fwd_check_target("201", "201", table_lookup, table, chain, sizeof chain),
           E_FWD_SELF, "self forwarding refused");
    tap_is(core_fwd_check_target("201", "202", table_lookup, table, chain, sizeof chain),
           E_FWD_LOOP, "201>202 with 202>201 is a loop");
    tap_ok(!strcmp(chain, "201 > 202 > 201"), "... the circle is named (%s)", chain);
    tap_is(core_fwd_check_target("205", "203", table_lookup, table, chain, sizeof chain),
           E_FWD_LOOP, "a longer circle 205>203>204>205");
    tap_is(core_fwd_check_target("201", "203", table_lookup, table, chain, sizeof chain), CORE_OK,
           "a chain that ends elsewhere is fine");
    tap_is(core_fwd_check_target("201", "09012345678", table_lookup, table, chain, sizeof chain),
           CORE_OK, "an outside number is fine");
    const char *circle[] = {"301>302", "302>301", NULL};
    tap_is(core_fwd_check_target("201", "301", table_lookup, circle, chain, sizeof chain), CORE_OK,
           "a damaged circle elsewhere ends (bounded)");
}

static void forwarding(struct store *st, int64_t site)
{
    struct core_problems pr;
    core_problems_init(&pr);
    struct core_fwd f;
    struct core_problem p;
    tap_is(ops_fwd_get(TEST_CTX(st, site), "201", &f, &p), CORE_OK, "get forwarding never set");
    tap_ok(!core_fwd_any(&f) && f.version == 0, "... all off, version 0");
    tap_is(ops_fwd_get(TEST_CTX(st, site), "299", &f, &p), E_EXT_NOT_FOUND, "unknown extension");
    tap_is(ops_fwd_set(TEST_CTX(st, site),
                       &(struct ops_fwd_request){"201", 0, CORE_FWD_UNCONDITIONAL, "202", NULL},
                       &pr, &f),
           CORE_OK, "201 unconditional to 202");
    tap_is(f.version, 1, "... version 1");
    tap_is(ops_fwd_set(TEST_CTX(st, site),
                       &(struct ops_fwd_request){"202", OPS_ANY_VERSION, CORE_FWD_UNCONDITIONAL,
                                                 "201", NULL},
                       &pr, NULL),
           E_FWD_LOOP, "202 unconditional to 201 is a loop");
    tap_ok(pr.count && pr.items[0].field == OPS_FWD_F_DEST &&
               pr.items[0].other_kind == CORE_OTHER_TEXT,
           "... at the destination, naming the circle (%s)", pr.count ? pr.items[0].other : "");
    first_code(&pr);
    tap_is(
        ops_fwd_set(TEST_CTX(st, site),
                    &(struct ops_fwd_request){"202", OPS_ANY_VERSION, CORE_FWD_BUSY, "201", NULL},
                    &pr, NULL),
        E_FWD_LOOP, "202 busy to 201 loops through 201's unconditional");
    first_code(&pr);
    tap_is(ops_fwd_set(TEST_CTX(st, site),
                       &(struct ops_fwd_request){"201", 1, CORE_FWD_BUSY, "201", NULL}, &pr, NULL),
           E_FWD_SELF, "self forwarding refused");
    first_code(&pr);
    tap_is(ops_fwd_set(TEST_CTX(st, site),
                       &(struct ops_fwd_request){"201", 1, CORE_FWD_BUSY, "12", NULL}, &pr, NULL),
           E_FWD_SPECIAL, "special number refused");
    first_code(&pr);
    tap_is(ops_fwd_set(TEST_CTX(st, site),
                       &(struct ops_fwd_request){"201", 1, CORE_FWD_NO_ANSWER, "0312345678", "99"},
                       &pr, NULL),
           E_FWD_DELAY, "bad delay refused");
    tap_is(pr.items[0].field, OPS_FWD_F_DELAY, "... at the delay");
    first_code(&pr);
    tap_is(ops_fwd_set(TEST_CTX(st, site),
                       &(struct ops_fwd_request){"201", 0, CORE_FWD_NO_ANSWER, "0312345678", "20"},
                       &pr, &f),
           E_CHANGED_MEANWHILE, "stale version refused");
    first_code(&pr);
    tap_is(f.version, 1, "... and the current settings returned");
    tap_is(ops_fwd_set(TEST_CTX(st, site),
                       &(struct ops_fwd_request){"201", 1, CORE_FWD_NO_ANSWER, "0312345678", "20"},
                       &pr, &f),
           CORE_OK, "no-answer with 20 s");
    tap_ok(!strcmp(f.dest[CORE_FWD_NO_ANSWER], "0312345678") && f.delay == 20 && f.version == 2,
           "... stored with its delay");
    tap_is(ops_fwd_set(TEST_CTX(st, site),
                       &(struct ops_fwd_request){"201", 2, CORE_FWD_NO_ANSWER, NULL, NULL}, &pr,
                       &f),
           CORE_OK, "no-answer off");
    tap_is(f.delay, 0, "... and its delay with it");
    tap_is(ops_fwd_voicemail(TEST_CTX(st, site),
                             &(struct ops_fwd_request){.ext = "201", .version = 3}, true, &pr, &f),
           CORE_OK, "voicemail on");
    tap_ok(f.voicemail && !strcmp(f.dest[CORE_FWD_UNCONDITIONAL], "202"),
           "... other settings kept");
    char text[64];
    core_fwd_describe(&f, CORE_FWD_BUSY, text, sizeof text);
    tap_ok(!strcmp(text, "-"), "an unset kind reads -");
    tap_is(ops_fwd_set(
               TEST_CTX(st, site),
               &(struct ops_fwd_request){"202", OPS_ANY_VERSION, CORE_FWD_NO_ANSWER, "203", ""},
               &pr, &f),
           CORE_OK, "202 no-answer to 203 with the default delay");
    core_fwd_describe(&f, CORE_FWD_NO_ANSWER, text, sizeof text);
    tap_ok(!strcmp(text, "203 (after 15 s)"), "... described with its delay (%s)", text);
    tap_is(audited(st, site, "fwd.set", "201"), 4, "every change audited");
    first_code(&pr);
}

/* Where a mobile is: the extension it is assigned to, or "". */
static const char *holder(struct store *st, const char *mobile)
{
    static struct store_line line;
    if (store_line_find(st, mobile, &line))
        return "?";
    return line.extension;
}

static bool registered(struct store *st, int64_t site, const char *ext)
{
    struct store_ext e;
    return store_ext_find(st, site, ext, &e) == CORE_OK;
}

static int lines_seen;
static void count_line(void *ctx, const char *text)
{
    (void)ctx;
    (void)text;
    lines_seen++;
}

static void moves(struct store *st, int64_t site, const char *path)
{
    struct core_problems pr;
    core_problems_init(&pr);
    const char *D = "f.example.jp";
    /* 301 (A) and 302 (B) as in the guide's example; 302 in pickup group 7. */
    tap_is(ext_with_mobile(st, site, D, "301", "09000000301"), CORE_OK, "301 with a mobile");
    tap_is(ext_with_mobile(st, site, D, "302", "09000000302"), CORE_OK, "302 with a mobile");
    tap_is(ext_with_mobile(st, site, D, "303", NULL), CORE_OK, "303 without");
    char *spare[] = {"09000000309"};
    tap_is(ops_line_add(TEST_CTX(st, 0), D, spare, 1, &pr), CORE_OK, "an unassigned mobile");
    struct store_group g;
    const char *m302[] = {"302"}, *m301[] = {"301"};
    ops_pickup_add(TEST_CTX(st, site), "7", &pr, &g);
    tap_is(ops_group_members_add(
               TEST_CTX(st, site),
               &(struct ops_members_request){CORE_PICKUP, "7", OPS_ANY_VERSION, m302, 1}, &pr, &g),
           CORE_OK, "302 in pickup group 7");
    ops_pickup_add(TEST_CTX(st, site), "8", &pr, &g);
    ops_group_members_add(TEST_CTX(st, site),
                          &(struct ops_members_request){CORE_PICKUP, "8", OPS_ANY_VERSION, m301, 1},
                          &pr, &g);
    ops_fwd_set(
        TEST_CTX(st, site),
        &(struct ops_fwd_request){"301", OPS_ANY_VERSION, CORE_FWD_BUSY, "09011112222", NULL}, &pr,
        NULL);
    ops_fwd_set(
        TEST_CTX(st, site),
        &(struct ops_fwd_request){"302", OPS_ANY_VERSION, CORE_FWD_UNCONDITIONAL, "303", NULL}, &pr,
        NULL);
    ops_fwd_set(TEST_CTX(st, site),
                &(struct ops_fwd_request){"201", OPS_ANY_VERSION, CORE_FWD_BUSY, "302", NULL}, &pr,
                NULL);
    tap_is(first_code(&pr), CORE_OK, "groups and forwarding set up");

    /* ---- refusals ---- */
    struct ops_move_plan plan, done;
    tap_is(ops_transfer_plan(TEST_CTX(st, site), "301", "09000000301", &plan, &pr), E_TRANSFER_SAME,
           "transfer to its own mobile");
    tap_is(pr.items[0].field, OPS_M_OTHER, "... at the recipient");
    first_code(&pr);
    tap_is(ops_transfer_plan(TEST_CTX(st, site), "301", "301", &plan, &pr), E_TRANSFER_SAME,
           "transfer to itself");
    first_code(&pr);
    tap_is(ops_transfer_plan(TEST_CTX(st, site), "301", "303", &plan, &pr), E_EXT_NO_MOBILE,
           "recipient extension without a mobile");
    first_code(&pr);
    tap_is(ops_transfer_plan(TEST_CTX(st, site), "301", "09000000999", &plan, &pr),
           E_MOBILE_NOT_PROVISIONED, "recipient mobile not provisioned");
    first_code(&pr);
    tap_is(ops_transfer_plan(TEST_CTX(st, site), "301", "9000000309", &plan, &pr),
           E_MOBILE_LEADING_ZERO, "a recipient mobile without its leading 0 is explained");
    first_code(&pr);
    tap_is(ops_transfer_plan(TEST_CTX(st, site), "399", "09000000309", &plan, &pr), E_EXT_NOT_FOUND,
           "unknown extension");
    tap_is(pr.items[0].field, OPS_M_EXT, "... at the extension");
    first_code(&pr);
    tap_is(ops_exchange_plan(TEST_CTX(st, site), "301", "301", &plan, &pr), E_EXCHANGE_SAME,
           "exchange with itself");
    first_code(&pr);
    tap_is(ops_exchange_plan(TEST_CTX(st, site), "301", "303", &plan, &pr), E_EXT_NO_MOBILE,
           "exchange with an extension without a mobile");
    tap_is(pr.items[0].field, OPS_M_OTHER, "... at the second extension");
    first_code(&pr);
    tap_is(ext_with_mobile(st, site, D, "304", "09000000304"), CORE_OK, "304");
    tap_is(ops_hunt_add(TEST_CTX(st, site), &(struct ops_hunt_input){"9", CORE_HUNT_PILOT, "304"},
                        &pr, &g),
           CORE_OK, "304 represents hunting group 9");
    tap_is(ops_transfer_plan(TEST_CTX(st, site), "301", "304", &plan, &pr), E_DELETE_REPRESENTATIVE,
           "a representative's profile cannot be deleted by a transfer");
    tap_ok(pr.count && pr.items[0].other_kind == CORE_OTHER_GROUPS, "... naming the group");
    first_code(&pr);

    /* ---- transfer 301 to B's mobile (guide §6.1) ---- */
    tap_is(ops_transfer_plan(TEST_CTX(st, site), "301", "302", &plan, &pr), CORE_OK,
           "transfer plan");
    tap_is(plan.count, 2, "... two extensions");
    tap_ok(!strcmp(plan.sides[0].mobile_before, "09000000301") &&
               !strcmp(plan.sides[0].mobile_after, "09000000302"),
           "... 301 moves to B's mobile");
    tap_ok(plan.sides[1].deleted && !strcmp(plan.sides[1].groups, "p7"),
           "... 302 is deleted, leaving pickup group 7");
    tap_ok(!strcmp(plan.sides[0].fwd.dest[CORE_FWD_BUSY], "09011112222"),
           "... 301's forwarding is in the plan");
    tap_ok(!strcmp(plan.sides[1].forwarded_by, "201"),
           "... and that 201 still forwards to 302 (%s)", plan.sides[1].forwarded_by);
    lines_seen = 0;
    ops_move_describe(&plan, false, count_line, NULL);
    tap_ok(lines_seen >= 5, "the plan is described (%d lines)", lines_seen);
    struct ops_move_plan seen;
    tap_is(ops_transfer_plan(TEST_CTX(st, site), "301", "09000000302", &seen, &pr), CORE_OK,
           "the recipient named by the mobile");
    tap_ok(seen.count == 2 && seen.sides[1].ext_id == plan.sides[1].ext_id, "... the same plan");

    /* A change between preview and confirmation is caught. */
    ops_fwd_set(TEST_CTX(st, site),
                &(struct ops_fwd_request){"301", OPS_ANY_VERSION, CORE_FWD_OUT_OF_COVERAGE,
                                          "0312345678", NULL},
                &pr, NULL);
    tap_is(ops_move(TEST_CTX(st, site),
                    &(struct ops_move_request){OPS_TRANSFER, "301", "302", true, &plan}, &pr,
                    &done),
           E_CHANGED_MEANWHILE, "a plan gone stale is refused");
    first_code(&pr);
    tap_ok(!strcmp(holder(st, "09000000302"), "302") && registered(st, site, "302"),
           "... and nothing changed");
    tap_ok(done.sides[0].fwd.version == plan.sides[0].fwd.version + 1, "... the new plan returned");

    /* A failure at the last step leaves nothing half done. */
    tap_is(raw_exec(path,
                    "CREATE TRIGGER fail_move BEFORE INSERT ON audit"
                    " WHEN NEW.action IN ('ext.transfer', 'ext.exchange')"
                    " BEGIN SELECT RAISE(ABORT, 'injected'); END",
                    "CREATE FUNCTION fail_move() RETURNS trigger LANGUAGE plpgsql AS"
                    " $$ BEGIN RAISE EXCEPTION 'injected'; END $$;"
                    "CREATE TRIGGER fail_move BEFORE INSERT ON audit FOR EACH ROW"
                    " WHEN (NEW.action IN ('ext.transfer', 'ext.exchange'))"
                    " EXECUTE FUNCTION fail_move()"),
           0, "inject a failure into the final audit entry");
    tap_is(ops_move(TEST_CTX(st, site),
                    &(struct ops_move_request){OPS_TRANSFER, "301", "302", true, &done}, &pr, NULL),
           E_STORAGE, "transfer fails at its last step");
    first_code(&pr);
    tap_ok(!strcmp(holder(st, "09000000301"), "301") && !strcmp(holder(st, "09000000302"), "302") &&
               registered(st, site, "302"),
           "... mobiles and profiles as before");
    struct core_fwd f;
    struct core_problem p;
    ops_fwd_get(TEST_CTX(st, site), "301", &f, &p);
    tap_ok(!strcmp(f.dest[CORE_FWD_BUSY], "09011112222"), "... forwarding as before");
    tap_is(ops_move(TEST_CTX(st, site),
                    &(struct ops_move_request){OPS_EXCHANGE, "301", "302", false, NULL}, &pr, NULL),
           E_STORAGE, "exchange fails at its last step");
    first_code(&pr);
    tap_ok(!strcmp(holder(st, "09000000301"), "301") && !strcmp(holder(st, "09000000302"), "302"),
           "... mobiles as before");
    raw_exec(path, "DROP TRIGGER fail_move", "DROP TRIGGER fail_move ON audit");

    int before = 0, after = 0;
    store_ext_count(st, site, &before);
    tap_is(ops_move(TEST_CTX(st, site),
                    &(struct ops_move_request){OPS_TRANSFER, "301", "302", false, &done}, &pr,
                    &plan),
           CORE_OK, "transfer 301 to B, forwarding kept");
    store_ext_count(st, site, &after);
    tap_ok(!strcmp(holder(st, "09000000302"), "301"), "... B's mobile is on 301");
    tap_ok(!strcmp(holder(st, "09000000301"), ""), "... A's mobile is unassigned");
    tap_ok(!registered(st, site, "302") && after == before - 1, "... 302 deleted (one more left)");
    ops_fwd_get(TEST_CTX(st, site), "301", &f, &p);
    tap_ok(!strcmp(f.dest[CORE_FWD_BUSY], "09011112222"), "... 301's forwarding kept");
    char refs[64];
    ops_ext_groups(TEST_CTX(st, site), "301", refs, sizeof refs, &p);
    tap_ok(!strcmp(refs, "p8"), "... 301 stays in its group (%s)", refs);
    tap_is(audited(st, site, "ext.transfer", "301"), 1, "... audited");

    /* A recipient with no extension yet: the spare mobile. */
    tap_is(ops_move(TEST_CTX(st, site),
                    &(struct ops_move_request){OPS_TRANSFER, "301", "09000000309", true, NULL}, &pr,
                    &plan),
           CORE_OK, "transfer 301 to an unassigned mobile, forwarding cleared");
    tap_is(plan.count, 1, "... nothing deleted");
    ops_fwd_get(TEST_CTX(st, site), "301", &f, &p);
    tap_ok(!core_fwd_any(&f), "... forwarding cleared");
    tap_ok(!strcmp(holder(st, "09000000309"), "301") && !strcmp(holder(st, "09000000302"), ""),
           "... the spare mobile is on 301, B's is free");

    /* ---- exchange (guide §6.2) ---- */
    ops_fwd_set(TEST_CTX(st, site),
                &(struct ops_fwd_request){"304", OPS_ANY_VERSION, CORE_FWD_BUSY, "301", NULL}, &pr,
                NULL);
    tap_is(ops_exchange_plan(TEST_CTX(st, site), "301", "304", &plan, &pr), CORE_OK,
           "exchange plan");
    tap_is(ops_move(TEST_CTX(st, site),
                    &(struct ops_move_request){OPS_EXCHANGE, "301", "304", false, &plan}, &pr,
                    &done),
           CORE_OK, "exchange 301 and 304");
    tap_ok(!strcmp(holder(st, "09000000309"), "304") && !strcmp(holder(st, "09000000304"), "301"),
           "... mobiles swapped");
    ops_fwd_get(TEST_CTX(st, site), "304", &f, &p);
    tap_ok(!strcmp(f.dest[CORE_FWD_BUSY], "301"), "... forwarding kept with the number");
    tap_is(ops_move(TEST_CTX(st, site),
                    &(struct ops_move_request){OPS_EXCHANGE, "301", "304", false, &plan}, &pr,
                    &done),
           E_CHANGED_MEANWHILE, "the same plan again is stale");
    first_code(&pr);
    tap_is(ops_move(TEST_CTX(st, site),
                    &(struct ops_move_request){OPS_EXCHANGE, "304", "301", true, NULL}, &pr, &done),
           CORE_OK, "exchange back, forwarding cleared");
    ops_fwd_get(TEST_CTX(st, site), "304", &f, &p);
    tap_ok(!core_fwd_any(&f) && !strcmp(holder(st, "09000000304"), "304"),
           "... swapped back, forwarding cleared");
    tap_is(audited(st, site, "ext.exchange", NULL), 2, "exchanges audited");
    core_problems_free(&pr);
}

int main(void)
{
    rules();
    char dir[] = "/tmp/kascon-fwd-XXXXXX", path[256];
    if (test_db_path(dir, path, sizeof path))
        return 1;
    struct store *st;
    tap_is(store_open(path, &st), CORE_OK, "open");
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_site_input site_in = {.domain = "f.example.jp", .capacity = "100"};
    int64_t site = 0;
    tap_is(ops_site_add(TEST_CTX(st, 0), &site_in, &pr, &site), CORE_OK, "site");
    tap_is(ext_with_mobile(st, site, "f.example.jp", "201", "09000000201"), CORE_OK, "201");
    tap_is(ext_with_mobile(st, site, "f.example.jp", "202", "09000000202"), CORE_OK, "202");
    tap_is(ext_with_mobile(st, site, "f.example.jp", "203", NULL), CORE_OK, "203");
    forwarding(st, site);
    moves(st, site, path);
    store_close(st);
    test_remove_dir(dir);
    return tap_done();
}
