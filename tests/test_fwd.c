/* Forwarding (SPEC §3.5): destination and delay rules, self and loop
 * checks, version checks and audit; transfer and exchange of extension
 * numbers (§6.1, §6.2): plans, refusals, atomicity. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"
#include "tap.h"

static const struct store_actor op = {"operator", "test"};

static int first_code(struct core_problems *pr)
{
    int code = pr->count ? pr->items[0].code : 0;
    core_problems_free(pr);
    core_problems_init(pr);
    return code;
}

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
    store_audit_page(st, site, 0, 10000, count_audit, &c);
    return c.n;
}

/* Registers ext and, when mobile is not NULL, provisions and assigns it. */
static int ext_with_mobile(struct store *st, int64_t site, const char *domain, const char *ext,
                           const char *mobile)
{
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_ext_input in = {.ext = ext};
    int rc = ops_ext_register(st, site, &in, &op, &pr);
    if (!rc && mobile) {
        char *m[] = {(char *)mobile};
        rc = ops_line_add(st, domain, m, 1, &op, &pr);
        if (!rc)
            rc = ops_assign(st, site, ext, mobile, &op, &pr);
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
    tap_is(ops_fwd_get(st, site, "201", &f, &p), CORE_OK, "get forwarding never set");
    tap_ok(!core_fwd_any(&f) && f.version == 0, "... all off, version 0");
    tap_is(ops_fwd_get(st, site, "299", &f, &p), E_EXT_NOT_FOUND, "unknown extension");
    tap_is(ops_fwd_set(st, site, "201", 0, CORE_FWD_UNCONDITIONAL, "202", NULL, &op, &pr, &f),
           CORE_OK, "201 unconditional to 202");
    tap_is(f.version, 1, "... version 1");
    tap_is(ops_fwd_set(st, site, "202", OPS_ANY_VERSION, CORE_FWD_UNCONDITIONAL, "201", NULL, &op,
                       &pr, NULL),
           E_FWD_LOOP, "202 unconditional to 201 is a loop");
    tap_ok(pr.count && pr.items[0].field == OPS_FWD_F_DEST &&
               pr.items[0].other_kind == CORE_OTHER_TEXT,
           "... at the destination, naming the circle (%s)", pr.count ? pr.items[0].other : "");
    first_code(&pr);
    tap_is(
        ops_fwd_set(st, site, "202", OPS_ANY_VERSION, CORE_FWD_BUSY, "201", NULL, &op, &pr, NULL),
        E_FWD_LOOP, "202 busy to 201 loops through 201's unconditional");
    first_code(&pr);
    tap_is(ops_fwd_set(st, site, "201", 1, CORE_FWD_BUSY, "201", NULL, &op, &pr, NULL), E_FWD_SELF,
           "self forwarding refused");
    first_code(&pr);
    tap_is(ops_fwd_set(st, site, "201", 1, CORE_FWD_BUSY, "12", NULL, &op, &pr, NULL),
           E_FWD_SPECIAL, "special number refused");
    first_code(&pr);
    tap_is(ops_fwd_set(st, site, "201", 1, CORE_FWD_NO_ANSWER, "0312345678", "99", &op, &pr, NULL),
           E_FWD_DELAY, "bad delay refused");
    tap_is(pr.items[0].field, OPS_FWD_F_DELAY, "... at the delay");
    first_code(&pr);
    tap_is(ops_fwd_set(st, site, "201", 0, CORE_FWD_NO_ANSWER, "0312345678", "20", &op, &pr, &f),
           E_CHANGED_MEANWHILE, "stale version refused");
    first_code(&pr);
    tap_is(f.version, 1, "... and the current settings returned");
    tap_is(ops_fwd_set(st, site, "201", 1, CORE_FWD_NO_ANSWER, "0312345678", "20", &op, &pr, &f),
           CORE_OK, "no-answer with 20 s");
    tap_ok(!strcmp(f.dest[CORE_FWD_NO_ANSWER], "0312345678") && f.delay == 20 && f.version == 2,
           "... stored with its delay");
    tap_is(ops_fwd_set(st, site, "201", 2, CORE_FWD_NO_ANSWER, NULL, NULL, &op, &pr, &f), CORE_OK,
           "no-answer off");
    tap_is(f.delay, 0, "... and its delay with it");
    tap_is(ops_fwd_voicemail(st, site, "201", 3, true, &op, &pr, &f), CORE_OK, "voicemail on");
    tap_ok(f.voicemail && !strcmp(f.dest[CORE_FWD_UNCONDITIONAL], "202"),
           "... other settings kept");
    char text[64];
    core_fwd_describe(&f, CORE_FWD_BUSY, text, sizeof text);
    tap_ok(!strcmp(text, "-"), "an unset kind reads -");
    tap_is(
        ops_fwd_set(st, site, "202", OPS_ANY_VERSION, CORE_FWD_NO_ANSWER, "203", "", &op, &pr, &f),
        CORE_OK, "202 no-answer to 203 with the default delay");
    core_fwd_describe(&f, CORE_FWD_NO_ANSWER, text, sizeof text);
    tap_ok(!strcmp(text, "203 (after 15 s)"), "... described with its delay (%s)", text);
    tap_is(audited(st, site, "fwd.set", "201"), 4, "every change audited");
    first_code(&pr);
}

int main(void)
{
    rules();
    char dir[] = "/tmp/kascon-fwd-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char path[256];
    snprintf(path, sizeof path, "%s/t.db", dir);
    struct store *st;
    tap_is(store_open(path, &st), CORE_OK, "open");
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_site_input site_in = {.domain = "f.example.jp", .capacity = "100"};
    int64_t site = 0;
    tap_is(ops_site_add(st, &site_in, &op, &pr, &site), CORE_OK, "site");
    tap_is(ext_with_mobile(st, site, "f.example.jp", "201", "09000000201"), CORE_OK, "201");
    tap_is(ext_with_mobile(st, site, "f.example.jp", "202", "09000000202"), CORE_OK, "202");
    tap_is(ext_with_mobile(st, site, "f.example.jp", "203", NULL), CORE_OK, "203");
    forwarding(st, site);
    store_close(st);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return tap_done();
}
