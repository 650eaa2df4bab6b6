/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The administrator's feature codes (doc/spec.md §3.4) through ops_site_codes_set:
 * rules, the one prefix checker against every other number, all or
 * nothing, version checks and the audit entry. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ops/ops.h"
#include "fixture.h"
#include "tap.h"

static const struct store_actor op = {"admin", "test"};
static struct store *st;
static int64_t site;
static struct core_problem last; /* the first problem of the last call */
static struct core_problem warning;

static int set(struct ops_codes_input in, int64_t version)
{
    struct core_problems pr;
    core_problems_init(&pr);
    int rc = ops_site_codes_set(TEST_CTX(st, site), version, &in, &pr, &warning);
    core_problem_set(&last, CORE_OK, NULL);
    if (pr.count)
        last = pr.items[0];
    core_problems_free(&pr);
    return rc;
}

static int hold(const char *code)
{
    struct ops_codes_input in = OPS_CODES_UNCHANGED;
    in.hold_code = code;
    return set(in, OPS_ANY_VERSION);
}

static int dial(const char *code)
{
    struct ops_codes_input in = OPS_CODES_UNCHANGED;
    in.dial_confirm_code = code;
    return set(in, OPS_ANY_VERSION);
}

static int dtmf(const char *code)
{
    struct ops_codes_input in = OPS_CODES_UNCHANGED;
    in.dtmf_send_code = code;
    return set(in, OPS_ANY_VERSION);
}

static struct store_site now(void)
{
    struct store_site s;
    store_site_get(st, site, &s);
    return s;
}

/* The collision names the other value and its kind. */
static int names(const char *other, int kind)
{
    return last.code == E_PREFIX_COLLISION && !strcmp(last.other, other) && last.other_kind == kind;
}

struct audit_find {
    struct store_audit_entry e;
    int found;
};

static int newest(const struct store_audit_entry *e, void *ctx)
{
    struct audit_find *f = ctx;
    if (!f->found) {
        f->e = *e;
        f->found = 1;
    }
    return 0;
}

static int reg(const char *ext)
{
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_ext_input in = {.ext = ext};
    int rc = ops_ext_register(TEST_CTX(st, site), &in, &pr);
    core_problem_set(&last, CORE_OK, NULL);
    if (pr.count)
        last = pr.items[0];
    core_problems_free(&pr);
    return rc;
}

int main(void)
{
    char dir[] = "/tmp/kascon-test-XXXXXX", path[256];
    if (test_db_path(dir, path, sizeof path))
        return 1;
    if (store_open(path, &st))
        return 1;
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_site_input site_in = {"codes.example.jp", "50", "81", "82", "*71", "*72", "*73"};
    tap_is(ops_site_add(TEST_CTX(st, 0), &site_in, &pr, &site), CORE_OK,
           "site with site number 81, GW id 82");
    tap_is(reg("200"), CORE_OK, "extension 200");
    tap_is(reg("3001"), CORE_OK, "extension 3001");
    struct store_site s = now();
    tap_ok(!s.hold_code[0] && !s.dial_confirm_code[0] && !s.dtmf_send_code[0],
           "a new site has no administrator codes");
    tap_ok(s.hold_disconnect == 0 && s.dtmf_erase == 0, "非切断 and 消去しない by default");

    /* 保留特番: 1-4 of 0-9 * #, a warning for one character, empty deletes. */
    int64_t v0 = s.version;
    tap_is(hold("#7"), CORE_OK, "hold code #7");
    s = now();
    tap_ok(!strcmp(s.hold_code, "#7"), "#7 stored");
    tap_is(s.version, v0 + 1, "the save bumps the site's version");
    tap_is(warning.code, CORE_OK, "no warning for two characters");
    struct audit_find f = {.found = 0};
    store_audit_page(st, site, NULL, 0, false, 1, newest, &f);
    tap_ok(f.found && !strcmp(f.e.action, "codes.set") && !strcmp(f.e.actor, "admin"),
           "audited as codes.set by the administrator");
    tap_ok(strstr(f.e.before, "hold= ") && strstr(f.e.after, "hold=#7 "),
           "the audit entry has the old and the new value (%s -> %s)", f.e.before, f.e.after);
    tap_is(hold("*#09"), CORE_OK, "four characters with * and #");
    tap_is(hold("5"), CORE_OK, "a one-character hold code is saved");
    tap_is(warning.code, W_HOLD_CODE_ONE_CHAR, "... with the one-character warning");
    tap_ok(!strcmp(warning.value, "5"), "the warning names the code");
    tap_ok(!strcmp(now().hold_code, "5"), "5 stored");
    tap_is(hold(""), CORE_OK, "empty hold code");
    tap_ok(!now().hold_code[0], "... deletes it");
    tap_is(hold("#1234"), E_HOLD_CODE_FORMAT, "five characters refused");
    tap_ok(!strcmp(last.value, "#1234") && last.field == OPS_C_HOLD,
           "the refusal names the value and field");
    tap_is(hold("#a"), E_HOLD_CODE_FORMAT, "a letter refused");
    tap_is(hold("1+"), E_HOLD_CODE_FORMAT, "+ refused");
    tap_is(hold("＃７"), E_FULLWIDTH, "full-width characters refused as such");

    /* The prefix rule, both ways, naming the colliding value. */
    tap_is(hold("8"), E_PREFIX_COLLISION, "hold 8 is a prefix of site number 81");
    tap_ok(names("81", PLAN_SITE_NUMBER), "names site number 81");
    tap_is(hold("812"), E_PREFIX_COLLISION, "site number 81 is a prefix of hold 812");
    tap_ok(names("81", PLAN_SITE_NUMBER), "names site number 81 again");
    tap_is(hold("82"), E_PREFIX_COLLISION, "hold equal to the GW id");
    tap_ok(names("82", PLAN_GW_ID), "names GW id 82");
    tap_is(hold("*7"), E_PREFIX_COLLISION, "hold *7 prefixes the park code");
    tap_ok(names("*71", PLAN_PARK_CODE), "names park hold code *71");
    tap_is(hold("*720"), E_PREFIX_COLLISION, "pickup code *72 prefixes hold *720");
    tap_ok(names("*72", PLAN_PICKUP_CODE), "names pickup code *72");
    tap_is(hold("20"), E_PREFIX_COLLISION, "hold 20 prefixes extension 200");
    tap_ok(names("200", PLAN_EXTENSION), "names extension 200");
    tap_is(hold("3001"), E_PREFIX_COLLISION, "hold equal to extension 3001");
    tap_ok(names("3001", PLAN_EXTENSION), "names extension 3001");
    char text[512];
    core_problem_format(&last, text, sizeof text);
    tap_ok(strstr(text, "3001") && strstr(text, "extension"), "the message names it: %s", text);
    tap_ok(!now().hold_code[0], "refused codes leave the stored one as it was");

    /* ダイヤル確定特番: 1-3, first * or #, not emptied. */
    tap_is(hold("#7"), CORE_OK, "hold code #7 again");
    tap_is(dial("#71"), E_PREFIX_COLLISION, "guide's example: dial-confirm #71 with hold #7");
    tap_ok(names("#7", PLAN_HOLD_CODE), "names hold code #7");
    tap_is(dial("71"), E_DIAL_CONFIRM_FORMAT, "dial-confirm must start with * or #");
    tap_ok(last.field == OPS_C_DIAL_CONFIRM, "... at the dial-confirm field");
    tap_is(dial("#712"), E_DIAL_CONFIRM_FORMAT, "dial-confirm of four characters refused");
    tap_is(dial("#x"), E_DIAL_CONFIRM_FORMAT, "dial-confirm with a letter refused");
    tap_is(dial(""), E_EMPTY, "an empty dial-confirm code is refused");
    tap_is(dial("#9"), CORE_OK, "dial-confirm #9");
    tap_is(dial("#"), E_PREFIX_COLLISION, "dial-confirm # is a prefix of hold code #7");
    tap_ok(names("#7", PLAN_HOLD_CODE), "names hold code #7");
    tap_is(dial("#9"), CORE_OK, "dial-confirm back to #9");
    tap_is(hold("#9"), E_PREFIX_COLLISION, "hold equal to the dial-confirm code");
    tap_ok(names("#9", PLAN_DIAL_CONFIRM_CODE), "names dial-confirm code #9");

    /* プッシュ音送出特番: 1-3, first * or #, empty deletes. */
    tap_is(dtmf("*9"), CORE_OK, "DTMF-send *9");
    tap_ok(!strcmp(now().dtmf_send_code, "*9"), "*9 stored");
    tap_is(dtmf("9*"), E_DTMF_SEND_FORMAT, "DTMF-send must start with * or #");
    tap_is(dtmf("*999"), E_DTMF_SEND_FORMAT, "DTMF-send of four characters refused");
    tap_is(dtmf("#90"), E_PREFIX_COLLISION, "DTMF-send #90 after dial-confirm #9");
    tap_ok(names("#9", PLAN_DIAL_CONFIRM_CODE), "names dial-confirm code #9");
    tap_is(dtmf("*73"), E_PREFIX_COLLISION, "DTMF-send equal to the group pickup code");
    tap_ok(names("*73", PLAN_GROUP_PICKUP_CODE), "names group pickup code *73");
    tap_is(dial("*9"), E_PREFIX_COLLISION, "dial-confirm equal to the DTMF-send code");
    tap_ok(names("*9", PLAN_DTMF_SEND_CODE), "names DTMF-send code *9");
    tap_is(dtmf("*9"), CORE_OK, "a code may be set to its own value again");
    tap_is(dtmf(""), CORE_OK, "empty DTMF-send");
    tap_ok(!now().dtmf_send_code[0], "... deletes it");
    tap_is(dtmf("*9"), CORE_OK, "DTMF-send *9 again");

    /* A code replaces its old value: #9 may become #90. */
    tap_is(dial("#90"), CORE_OK, "dial-confirm #9 -> #90 does not collide with itself");

    /* Options. */
    struct ops_codes_input in = OPS_CODES_UNCHANGED;
    in.hold_disconnect = 1;
    tap_is(set(in, OPS_ANY_VERSION), CORE_OK, "切断");
    s = now();
    tap_ok(s.hold_disconnect == 1 && !strcmp(s.hold_code, "#7"), "切断 stored, hold code kept");
    in = (struct ops_codes_input)OPS_CODES_UNCHANGED;
    in.dtmf_erase = 1;
    tap_is(set(in, OPS_ANY_VERSION), CORE_OK, "消去する");
    tap_is(now().dtmf_erase, 1, "消去する stored");
    in.dtmf_erase = 2;
    tap_is(set(in, OPS_ANY_VERSION), E_SETTING_VALUE, "an option other than 0/1 refused");

    /* All or nothing: one bad code keeps every other value. */
    s = now();
    in = (struct ops_codes_input)OPS_CODES_UNCHANGED;
    in.hold_code = "#6";
    in.hold_disconnect = 0;
    in.dtmf_send_code = "*73";
    tap_is(set(in, OPS_ANY_VERSION), E_PREFIX_COLLISION, "a collision in one of two codes");
    struct store_site after = now();
    tap_ok(!strcmp(after.hold_code, "#7") && after.hold_disconnect == 1 &&
               after.version == s.version,
           "... changes nothing");
    in.dtmf_send_code = "#6";
    tap_is(set(in, OPS_ANY_VERSION), E_PREFIX_COLLISION,
           "two new codes are checked against each other");
    tap_ok(names("#6", PLAN_HOLD_CODE), "names the other new code");

    /* Version check: a save from a stale read is refused. */
    s = now();
    tap_is(hold("#5"), CORE_OK, "someone else saves #5");
    in = (struct ops_codes_input)OPS_CODES_UNCHANGED;
    in.hold_code = "#4";
    tap_is(set(in, s.version), E_CHANGED_MEANWHILE,
           "a save from the version read before is refused");
    tap_ok(!strcmp(now().hold_code, "#5"), "... and the other one's value stays");
    tap_is(set(in, now().version), CORE_OK, "a save from the current version passes");
    s = now();
    store_begin(st);
    s.hold_code[0] = '\0';
    struct store_site stale = s;
    tap_is(store_site_set_codes(st, &s, &op), CORE_OK, "store: first save");
    tap_is(store_site_set_codes(st, &stale, &op), E_CHANGED_MEANWHILE,
           "store: UPDATE ... WHERE version=? changes no row for a stale copy");
    store_rollback(st);

    /* The other writers pass the same checker against these codes. */
    tap_is(hold("99"), CORE_OK, "hold code 99");
    tap_is(reg("990"), E_PREFIX_COLLISION, "extension 990 refused under hold code 99");
    tap_ok(names("99", PLAN_HOLD_CODE), "names hold code 99");
    char *set_site[] = {"site-number=*9"};
    ops_site_set(TEST_CTX(st, 0), "codes.example.jp", set_site, 1, &pr);
    tap_ok(pr.count && pr.items[0].code == E_PREFIX_COLLISION && !strcmp(pr.items[0].other, "*9") &&
               pr.items[0].other_kind == PLAN_DTMF_SEND_CODE,
           "operator's site number *9 refused, naming DTMF-send code *9");
    core_problems_free(&pr);

    store_close(st);
    unlink(path);
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    rmdir(dir);
    return tap_done();
}
