/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Storage and operations on a temporary database. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ops/ops.h"
#include "fixture.h"
#include "tap.h"

static const struct store_actor op = {"operator", "test"};

static int reg(struct store *st, int64_t site, const char *ext, const char *sip, const char *user,
               const char *pw)
{
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_ext_input in = {.ext = ext, .sip_id = sip, .web_user = user, .web_password = pw};
    ops_ext_register(TEST_CTX(st, site), &in, &pr);
    return first_code(&pr);
}

static int count_audit(const struct store_audit_entry *e, void *ctx)
{
    (void)e;
    ++*(int *)ctx;
    return 0;
}

static int join_line(const struct store_line *l, void *ctx)
{
    char *out = ctx;
    size_t used = strlen(out);
    snprintf(out + used, 256 - used, "%s%s", used ? " " : "", l->mobile);
    return 0;
}

/* The unassigned mobiles as the list shows them (forward, and the last
 * page backward), and the site's totals. */
static void check_totals(struct store *st, int64_t site, int exts, int lines, const char *free,
                         const char *what)
{
    int e = -1, l = -1, u = -1;
    store_ext_count(st, site, &e);
    store_line_count(st, site, false, &l);
    store_line_count(st, site, true, &u);
    char list[256] = "", back[256] = "";
    store_line_page(st, site, true, NULL, false, 50, join_line, list);
    store_line_page(st, site, true, "", true, 1, join_line, back);
    int n = 0;
    for (const char *p = free; *p; p++)
        n += *p == ' ';
    n += *free != 0;
    const char *last = strrchr(free, ' ');
    tap_ok(e == exts && l == lines && u == n && !strcmp(list, free) &&
               !strcmp(back, last ? last + 1 : free),
           "%s: %d extensions, %d lines, unassigned \"%s\" (have %d, %d, %d \"%s\", last \"%s\")",
           what, exts, lines, free, e, l, u, list, back);
}

static int bulk_buf(struct store *st, int64_t site, enum ops_bulk_mode mode, const char *csv)
{
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_bulk_result res;
    struct ops_bulk_request req = {.mode = mode, .buf = csv, .len = strlen(csv)};
    int rc = ops_bulk(TEST_CTX(st, site), &req, &pr, &res);
    rc = rc ? rc : first_code(&pr);
    core_problems_free(&pr);
    return rc;
}

/* The totals (site_counts) and the unassigned list (lines.assigned) follow
 * every kind of change: one by one, in bulk, and refused changes. */
static void totals(struct store *st)
{
    struct core_problems pr;
    core_problems_init(&pr);
    struct core_problem p;
    int64_t site = 0;
    struct ops_site_input in = {.domain = "osaka.example.jp", .capacity = "10", .site_number = "7"};
    tap_is(ops_site_add(TEST_CTX(st, 0), &in, &pr, &site), CORE_OK, "totals: a new site");
    check_totals(st, site, 0, 0, "", "a new site");
    char *mobiles[] = {"09022220001", "09022220002", "09022220003", "09022220004"};
    ops_line_add(TEST_CTX(st, 0), "osaka.example.jp", mobiles, 4, &pr);
    check_totals(st, site, 0, 4, "09022220001 09022220002 09022220003 09022220004",
                 "four lines provisioned");
    tap_is(bulk_buf(st, site, OPS_BULK_REGISTER, "300,09022220002\r\n301,09022220004\r\n"), CORE_OK,
           "totals: bulk register of two with their mobiles");
    tap_is(reg(st, site, "302", NULL, NULL, NULL), CORE_OK, "totals: register one without");
    check_totals(st, site, 3, 4, "09022220001 09022220003", "after the bulk register");
    tap_is(bulk_buf(st, site, OPS_BULK_REGISTER, "303,09022220002\r\n"), E_MOBILE_ASSIGNED,
           "totals: a refused bulk register");
    check_totals(st, site, 3, 4, "09022220001 09022220003", "... changes nothing");
    tap_is(ops_unassign(TEST_CTX(st, site), "300", "09022220002", &p), CORE_OK,
           "totals: unassign one");
    check_totals(st, site, 3, 4, "09022220001 09022220002 09022220003", "after the unassign");
    tap_is(ops_assign(TEST_CTX(st, site), "302", "09022220001", &pr), CORE_OK,
           "totals: assign one");
    check_totals(st, site, 3, 4, "09022220002 09022220003", "after the assign");
    tap_is(reg(st, site, "304", NULL, NULL, NULL), CORE_OK, "totals: register one");
    check_totals(st, site, 4, 4, "09022220002 09022220003", "after the register");
    tap_is(bulk_buf(st, site, OPS_BULK_DELETE,
                    "301,09022220004,0000000000\r\n302,09022220001,0000000000\r\n"),
           CORE_OK, "totals: bulk delete of two with their mobiles");
    check_totals(st, site, 2, 4, "09022220001 09022220002 09022220003 09022220004",
                 "after the bulk delete");
    tap_is(ops_ext_delete(TEST_CTX(st, site), "304", false, &p), CORE_OK, "totals: delete one");
    check_totals(st, site, 1, 4, "09022220001 09022220002 09022220003 09022220004",
                 "after the delete");
    core_problems_free(&pr);
}

int main(void)
{
    char dir[] = "/tmp/kascon-test-XXXXXX", path[256];
    if (test_db_path(dir, path, sizeof path))
        return 1;
    struct store *st;
    tap_is(store_open(path, &st), CORE_OK, "open creates the database");
    struct stat sb = {.st_mode = 0600};
    if (!test_on_postgresql())
        stat(path, &sb);
    tap_is(sb.st_mode & 0777, 0600, "database file is 0600%s",
           test_on_postgresql() ? " (no file: PostgreSQL)" : "");
    tap_is(store_schema_version(st), store_schema_latest(),
           "schema migrated to the latest version");
    store_close(st);
    tap_is(store_open(path, &st), CORE_OK, "reopen keeps the schema");

    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_site_input site_in = {"Tokyo.Example.JP", "3", "81", "82", "*71", "*72", "*73"};
    int64_t site = 0;
    tap_is(ops_site_add(TEST_CTX(st, 0), &site_in, &pr, &site), CORE_OK, "site add");
    first_code(&pr);
    struct store_site s;
    tap_is(store_site_find(st, "tokyo.example.jp", &s), CORE_OK, "domain stored lower-case");
    tap_is(s.auto_unlock, 1, "auto unlock defaults on");
    struct ops_site_input dup = {.domain = "tokyo.example.jp", .capacity = "3"};
    ops_site_add(TEST_CTX(st, 0), &dup, &pr, NULL);
    tap_is(first_code(&pr), E_DUP_SITE, "duplicate site refused");
    struct ops_site_input bad_codes = {
        .domain = "osaka.example.jp", .capacity = "3", .site_number = "8", .gw_id = "81"};
    ops_site_add(TEST_CTX(st, 0), &bad_codes, &pr, NULL);
    tap_is(pr.count ? pr.items[0].code : 0, E_PREFIX_COLLISION,
           "operator codes must be prefix-free");
    tap_ok(pr.count && !strcmp(pr.items[0].other, "8"), "collision names site number 8");
    first_code(&pr);

    tap_is(reg(st, site, "200", NULL, "user200", "abcd1234"), CORE_OK,
           "register 200 with web login");
    struct store_ext e;
    tap_is(store_ext_find(st, site, "200", &e), CORE_OK, "find 200");
    tap_ok(!strcmp(e.sip_id, "200") && !strcmp(e.sip_password, "200"),
           "SIP values default to the extension");
    tap_ok(!strncmp(e.web_pw_hash, "$y$", 3), "web password stored as a hash");
    tap_is(reg(st, site, "200", "x1", NULL, NULL), E_DUP_EXTENSION, "233 duplicate extension");
    tap_is(reg(st, site, "201", "200", NULL, NULL), E_DUP_SIP_ID, "duplicate SIP ID");
    tap_is(reg(st, site, "202", NULL, "user200", "abcd1234"), E_DUP_WEB_USER, "duplicate web user");
    tap_is(reg(st, site, "2000", NULL, NULL, NULL), E_PREFIX_COLLISION, "200 is a prefix of 2000");
    tap_is(reg(st, site, "8", NULL, NULL, NULL), E_EXT_FORMAT, "one digit refused");
    tap_is(reg(st, site, "810", NULL, NULL, NULL), E_PREFIX_COLLISION,
           "site number 81 prefixes 810");
    tap_is(reg(st, site, "203", NULL, "user203", NULL), E_WEB_PAIR, "web user without password");
    tap_is(reg(st, site, "201", NULL, NULL, NULL), CORE_OK, "register 201");
    tap_is(reg(st, site, "202", NULL, NULL, NULL), CORE_OK, "register 202");
    tap_is(reg(st, site, "203", NULL, NULL, NULL), E_CAPACITY, "capacity 3 reached");

    char *mobiles[] = {"09011112222", "08011112222"};
    tap_is(ops_line_add(TEST_CTX(st, 0), "tokyo.example.jp", mobiles, 2, &pr), CORE_OK,
           "provision lines");
    char *again[] = {"07011112222", "09011112222"};
    ops_line_add(TEST_CTX(st, 0), "tokyo.example.jp", again, 2, &pr);
    tap_is(first_code(&pr), E_DUP_LINE, "duplicate line refused");
    struct store_line line;
    tap_is(store_line_find(st, "07011112222", &line), E_MOBILE_NOT_PROVISIONED,
           "refused batch added nothing");

    tap_is(ops_assign(TEST_CTX(st, site), "200", "09011112222", &pr), CORE_OK, "assign mobile");
    tap_is(ops_assign(TEST_CTX(st, site), "201", "09011112222", &pr), E_MOBILE_ASSIGNED,
           "mobile already assigned");
    first_code(&pr);
    tap_is(ops_assign(TEST_CTX(st, site), "201", "09099999999", &pr), E_MOBILE_NOT_PROVISIONED,
           "not provisioned");
    first_code(&pr);
    int unassigned = 0;
    store_line_count(st, site, true, &unassigned);
    tap_is(unassigned, 1, "one unassigned line left");

    struct core_problem p;
    tap_is(ops_ext_delete(TEST_CTX(st, site), "200", false, &p), E_DELETE_ASSIGNED,
           "delete refused while assigned");
    tap_is(ops_unassign(TEST_CTX(st, site), "200", "08011112222", &p), E_MOBILE_NOT_ASSIGNED,
           "unassign wrong pair");
    tap_is(ops_unassign(TEST_CTX(st, site), "200", "09011112222", &p), CORE_OK, "unassign");

    const char *member[] = {"200"};
    ops_pickup_add(TEST_CTX(st, site), "1", &pr, NULL);
    ops_group_members_add(
        TEST_CTX(st, site),
        &(struct ops_members_request){CORE_PICKUP, "1", OPS_ANY_VERSION, member, 1}, &pr, NULL);
    tap_is(first_code(&pr), CORE_OK, "pickup group 1 with member 200");
    tap_is(ops_ext_delete(TEST_CTX(st, site), "200", false, &p), E_DELETE_IN_GROUP,
           "delete refused in a group");
    char text[512];
    core_problem_format(&p, text, sizeof text);
    tap_ok(strstr(text, "pickup group 1") != NULL, "the refusal names pickup group 1 (%s)", text);
    tap_is(ops_ext_delete(TEST_CTX(st, site), "200", true, &p), CORE_OK, "force delete");
    tap_is(store_ext_find(st, site, "200", &e), E_EXT_NOT_FOUND, "200 is gone");

    /* Optimistic version check: a stale copy cannot overwrite. */
    struct store_site a, b;
    store_site_get(st, site, &a);
    b = a;
    a.capacity = 10;
    store_begin(st);
    tap_is(store_site_update(st, &a, &op), CORE_OK, "first save");
    store_commit(st);
    b.capacity = 20;
    store_begin(st);
    tap_is(store_site_update(st, &b, &op), E_CHANGED_MEANWHILE, "stale save refused");
    store_rollback(st);

    /* Login and lockout through the operations. */
    tap_is(ops_admin_add(TEST_CTX(st, 0), &(struct ops_admin_ref){"tokyo.example.jp", "admin"},
                         "secret12", &p),
           CORE_OK, "admin add");
    struct ops_session sess;
    tap_is(test_login(TEST_CTX(st, 0), "admin", "secret12", NULL, &sess), CORE_OK, "login");
    tap_ok(!sess.must_change, "fresh password not expired");
    tap_is(ops_login(TEST_CTX(st, 0),
                     &(struct ops_login_request){
                         .domain = "", .user = "admin", .password = "secret12", .source = "test"},
                     &sess),
           CORE_OK, "single site: domain optional");
    tap_is(test_login(TEST_CTX(st, 0), "nobody", "secret12", NULL, &sess), E_LOGIN_FAILED,
           "unknown user: same failure");
    for (int i = 0; i < 3; i++)
        test_login(TEST_CTX(st, 0), "admin", "wrong123", NULL, &sess);
    tap_is(test_login(TEST_CTX(st, 0), "admin", "secret12", NULL, &sess), E_LOGIN_FAILED,
           "locked: right password refused");
    tap_is(
        ops_admin_unlock(TEST_CTX(st, 0), &(struct ops_admin_ref){"tokyo.example.jp", "admin"}, &p),
        CORE_OK, "unlock");
    tap_is(test_login(TEST_CTX(st, 0), "admin", "secret12", NULL, &sess), CORE_OK,
           "login after unlock");
    tap_is(ops_change_password(TEST_CTX(st, 0), &sess,
                               &(struct ops_password_change){"secret12", "newpass34", "newpass35"},
                               &p),
           E_PW_MISMATCH, "confirmation mismatch");
    tap_is(ops_change_password(TEST_CTX(st, 0), &sess,
                               &(struct ops_password_change){"wrongpw1", "newpass34", "newpass34"},
                               &p),
           E_PW_CURRENT_WRONG, "wrong current password");
    tap_is(ops_change_password(TEST_CTX(st, 0), &sess,
                               &(struct ops_password_change){"secret12", "newpass34", "newpass34"},
                               &p),
           CORE_OK, "change password");
    tap_is(ops_admin_reset(TEST_CTX(st, 0), &(struct ops_admin_ref){"tokyo.example.jp", "admin"},
                           "reset123", &p),
           CORE_OK, "operator reset");
    tap_is(test_login(TEST_CTX(st, 0), "admin", "reset123", NULL, &sess), CORE_OK,
           "login after reset");
    tap_ok(sess.must_change, "reset password must be changed");

    /* Extension users (ユーザーカスコン): their web console user name, the
     * same lockout, 自動ロック解除 and インターネットアクセス規制 (restrict-user). */
    tap_is(reg(st, site, "204", NULL, "hanako", "hana1234"), CORE_OK,
           "register 204 (web user hanako)");
    tap_is(reg(st, site, "205", NULL, "admin", "abcd1234"), E_WEB_USER_ADMIN,
           "a web user named like an administrator is refused (240)");
    tap_is(ops_admin_add(TEST_CTX(st, 0), &(struct ops_admin_ref){"tokyo.example.jp", "hanako"},
                         "secret12", &p),
           E_ADMIN_WEB_USER, "an administrator named like a web user is refused (249)");
    tap_is(test_login(TEST_CTX(st, 0), "hanako", "hana1234", NULL, &sess), CORE_OK,
           "a web user logs in");
    tap_ok(sess.is_user && !strcmp(sess.ext.ext, "204") && !sess.must_change &&
               !strcmp(sess.actor.name, "hanako"),
           "... as the extension user of 204");
    tap_is(test_login_key(TEST_CTX(st, 0), "hanako", "ssh-ed25519 AAAAC3Nz", "192.0.2.9", &sess),
           E_LOGIN_FAILED, "users have no public keys");
    for (int i = 0; i < 3; i++)
        test_login(TEST_CTX(st, 0), "hanako", "wrong123", NULL, &sess);
    tap_is(test_login(TEST_CTX(st, 0), "hanako", "hana1234", NULL, &sess), E_LOGIN_FAILED,
           "three wrong passwords lock the user");
    int failures = 0;
    int64_t locked_at = 0;
    store_ext_find(st, site, "204", &e);
    store_web_user_lock_get(st, e.id, &failures, &locked_at);
    tap_ok(locked_at > 0 && failures == 3, "... stored as locked (%d failures)", failures);
    char later[32];
    snprintf(later, sizeof later, "%lld", (long long)(store_now() + 61 * 60));
    setenv("KASCON_NOW", later, 1);
    tap_is(test_login(TEST_CTX(st, 0), "hanako", "hana1234", NULL, &sess), CORE_OK,
           "自動ロック解除 lifts a user's lock after 60 minutes");
    unsetenv("KASCON_NOW");
    char *restrict_users[] = {"restrict-user=on", "trusted-networks=192.0.2.0/24"};
    tap_is(ops_site_set(TEST_CTX(st, 0), "tokyo.example.jp", restrict_users, 2, &pr), CORE_OK,
           "restrict users to 192.0.2.0/24");
    tap_is(test_login(TEST_CTX(st, 0), "hanako", "hana1234", "198.51.100.7", &sess), E_LOGIN_FAILED,
           "a user outside the trusted networks is refused");
    tap_is(sess.outcome, OPS_LOGIN_REFUSED_NETWORK, "... for the network");
    tap_is(test_login(TEST_CTX(st, 0), "admin", "reset123", "198.51.100.7", &sess), CORE_OK,
           "administrators are not restricted by restrict-user");
    tap_is(test_login(TEST_CTX(st, 0), "hanako", "hana1234", "192.0.2.7", &sess), CORE_OK,
           "a user inside the trusted networks logs in");
    tap_is(ops_change_password(TEST_CTX(st, 0), &sess,
                               &(struct ops_password_change){"hana1234", "abcdefgh", "abcdefgh"},
                               &p),
           E_WEB_PW_MIX, "a user's new password follows the web rules");
    tap_is(ops_change_password(TEST_CTX(st, 0), &sess,
                               &(struct ops_password_change){"hana1234", "hana5678", "hana5678"},
                               &p),
           CORE_OK, "a user changes the password");
    tap_is(test_login(TEST_CTX(st, 0), "hanako", "hana5678", NULL, &sess), CORE_OK,
           "... and logs in with the new one");

    int entries = 0;
    store_audit_page(st, site, NULL, 0, false, 1000, count_audit, &entries);
    tap_ok(entries > 10, "changes are audited (%d entries)", entries);
    int filtered = 0;
    struct store_audit_filter by_actor = {"", "operator"}, by_object = {"ADMIN", ""},
                              nobody = {"", "nobody"};
    store_audit_page(st, site, &by_actor, 0, false, 1000, count_audit, &filtered);
    tap_ok(filtered > 0 && filtered < entries, "filter by administrator (%d of %d)", filtered,
           entries);
    filtered = 0;
    store_audit_page(st, site, &by_object, 0, false, 1000, count_audit, &filtered);
    tap_ok(filtered > 0 && filtered < entries, "filter by part of the object, any case (%d)",
           filtered);
    filtered = 0;
    store_audit_page(st, site, &nobody, 0, false, 1000, count_audit, &filtered);
    tap_is(filtered, 0, "a filter matching nothing");

    totals(st);
    store_close(st);
    test_remove_dir(dir);
    return tap_done();
}
