/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two hosts on one database, at the store level: two connections (and,
 * for the parallel attempts, ten processes with one each).  A lease taken
 * on one is seen from the other, a stale save is refused whichever
 * connection saved first, wrong passwords spread over both lock the
 * account, ten simultaneous wrong passwords count exactly three, and a
 * dead host's leases lapse.  Run on SQLite (two connections to one file)
 * and by tests/pg_suite.sh on PostgreSQL. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include "ops/ops.h"
#include "tap.h"

static const struct store_actor op = {"operator", "test"};

#define DOMAIN "hosts.example.jp"
#define PARALLEL 10

static int wrong_login(struct store *st)
{
    struct ops_session sess;
    return ops_login(TEST_CTX(st, 0),
                     &(struct ops_login_request){
                         .domain = DOMAIN, .user = "admin", .password = "wrong123", .source = "t"},
                     &sess);
}

static int right_login(struct store *st, struct ops_session *sess)
{
    return ops_login(TEST_CTX(st, 0),
                     &(struct ops_login_request){
                         .domain = DOMAIN, .user = "admin", .password = "secret12", .source = "t"},
                     sess);
}

static int failures(struct store *st, int64_t site)
{
    struct store_admin a;
    return store_admin_find(st, site, "admin", &a) ? -1 : a.failures;
}

struct counter {
    const char *action;
    int n, rows;
    int64_t last;
};

static int count_cb(const struct store_audit_entry *e, void *ctx)
{
    struct counter *c = ctx;
    if (!strcmp(e->action, c->action))
        c->n++;
    c->last = e->id;
    c->rows++;
    return 0;
}

/* Audit entries of one action in the site's log, page by page. */
static int audited(struct store *st, int64_t site, const char *action)
{
    struct counter c = {action, 0, 0, 0};
    do {
        c.rows = 0;
        if (store_audit_page(st, site, NULL, c.last, false, 50, count_cb, &c))
            return -1;
    } while (c.rows == 50);
    return c.n;
}

int main(void)
{
    char dir[] = "/tmp/kascon-hosts-XXXXXX", path[256];
    if (test_db_path(dir, path, sizeof path))
        return 1;
    struct store *a = NULL, *b = NULL;
    if (!tap_ok(store_open(path, &a) == CORE_OK && store_open(path, &b) == CORE_OK,
                "two connections (host A, host B)"))
        return 1;
    struct core_problems pr;
    core_problems_init(&pr);
    struct core_problem p;
    int64_t site = 0;
    tap_is(ops_site_add(TEST_CTX(a, 0),
                        &(struct ops_site_input){.domain = DOMAIN, .capacity = "10"}, &pr, &site),
           CORE_OK, "a site, added through A");
    tap_is(ops_admin_add(TEST_CTX(a, 0), &(struct ops_admin_ref){DOMAIN, "admin"}, "secret12", &p),
           CORE_OK, "its administrator");

    /* ---- a lease taken through A holds on B ---- */
    struct ops_ctx ca = {.st = a, .actor = {"alice", "ssh"}, .lock_session = "ssh:hosta:100:1"};
    struct ops_ctx cb = {.st = b, .actor = {"bob", "ssh"}, .lock_session = "ssh:hostb:200:1"};
    struct store_lock other;
    memset(&other, 0, sizeof other);
    tap_is(ops_lock_take(&ca, "site:1", 60, &other), CORE_OK, "A takes the lease on a row");
    tap_is(ops_lock_take(&cb, "site:1", 60, &other), E_LOCKED, "B is refused it");
    tap_ok(!strcmp(other.holder, "alice") && !strcmp(other.session, "ssh:hosta:100:1"),
           "... naming A's holder and session (%s, %s)", other.holder, other.session);
    tap_is(ops_lock_renew(&ca, "site:1", 60), CORE_OK, "A renews it");
    tap_is(ops_lock_renew(&cb, "site:1", 60), E_LOCK_LOST, "B cannot renew what it does not hold");

    /* ---- A's host dies: its lease lapses, B takes the row ---- */
    char later[32];
    snprintf(later, sizeof later, "%lld", (long long)store_now() + 61);
    setenv("KASCON_NOW", later, 1);
    tap_is(ops_lock_take(&cb, "site:1", 60, &other), CORE_OK,
           "after the lease, B takes the row of a host that stopped renewing");
    tap_is(ops_lock_renew(&ca, "site:1", 60), E_LOCK_LOST, "... and A has lost it");
    unsetenv("KASCON_NOW");
    int released = 0;
    tap_is(store_lock_release_session(b, "ssh:hostb:200:1", &released), CORE_OK,
           "B's session ends");
    tap_is(released, 1, "... releasing its one lease");

    /* ---- a stale save is refused whichever host saved first ---- */
    struct store_site sa, sb;
    store_site_get(a, site, &sa);
    store_site_get(b, site, &sb);
    sa.capacity = 20;
    store_begin(a);
    tap_is(store_site_update(a, &sa, &op), CORE_OK, "A saves the site");
    store_commit(a);
    sb.capacity = 30;
    store_begin(b);
    tap_is(store_site_update(b, &sb, &op), E_CHANGED_MEANWHILE, "B's stale save is refused");
    store_rollback(b);
    store_site_get(b, site, &sb);
    tap_is(sb.capacity, 20, "... B reads A's value");

    /* ---- three wrong passwords over two hosts lock the account ---- */
    tap_is(wrong_login(a), E_LOGIN_FAILED, "wrong password on A");
    tap_is(wrong_login(b), E_LOGIN_FAILED, "wrong password on B");
    tap_is(failures(a, site), 2, "... two failures counted, seen from A");
    tap_is(wrong_login(a), E_LOGIN_FAILED, "third wrong password on A");
    struct ops_session sess;
    tap_is(right_login(b, &sess), E_LOGIN_FAILED, "B refuses the right password");
    tap_is(sess.outcome, OPS_LOGIN_REFUSED_LOCKED, "... because the account is locked");
    tap_is(ops_admin_unlock(TEST_CTX(b, 0), &(struct ops_admin_ref){DOMAIN, "admin"}, &p), CORE_OK,
           "the operator unlocks it through B");
    tap_is(right_login(a, &sess), CORE_OK, "A logs in");

    /* ---- ten wrong passwords at once, one process and connection each ---- */
    int go[2];
    if (pipe(go))
        return 1;
    pid_t kids[PARALLEL];
    for (int i = 0; i < PARALLEL; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            close(go[1]);
            struct store *mine = NULL;
            if (store_open(path, &mine))
                _exit(2);
            char c;
            if (read(go[0], &c, 1) < 0) /* all start when the pipe closes */
                _exit(2);
            int rc = wrong_login(mine);
            store_close(mine);
            _exit(rc == E_LOGIN_FAILED ? 0 : 1);
        }
    }
    close(go[0]);
    close(go[1]);
    int clean = 0;
    for (int i = 0; i < PARALLEL; i++) {
        int status = 0;
        if (kids[i] > 0 && waitpid(kids[i], &status, 0) == kids[i] && WIFEXITED(status) &&
            WEXITSTATUS(status) == 0)
            clean++;
    }
    tap_is(clean, PARALLEL, "ten simultaneous wrong passwords are all refused");
    tap_is(failures(a, site), 3, "... and counted exactly three");
    tap_is(audited(a, site, "login.fail"), 4, "... audited: 2 failures (and the 2 before)");
    tap_is(audited(a, site, "login.lock"), 2, "... 1 lock (and the one before)");
    tap_is(audited(a, site, "login.refused_locked"), 8, "... 7 refused as locked (and 1 before)");

    store_close(a);
    store_close(b);
    core_problems_free(&pr);
    /* A target shown in a message or a log never shows its password. */
    static const char *const shown[][2] = {
        {"postgresql://kascon:s3cret@db1.internal/kascon",
         "postgresql://kascon:***@db1.internal/kascon"},
        {"postgresql://kascon@/k?host=/run/pg&password=s3cret&port=5433",
         "postgresql://kascon@/k?host=/run/pg&password=***&port=5433"},
        {"host=db1 user=kascon password = 's3 \\'cret' dbname=k",
         "host=db1 user=kascon password = *** dbname=k"},
        {"postgres://u:p%40ss@h:5432/d?sslpassword=x", "postgres://u:***@h:5432/d?sslpassword=x"},
        {"/var/lib/kascon/kascon.db", "/var/lib/kascon/kascon.db"},
        {"postgresql://kascon@db1/kascon", "postgresql://kascon@db1/kascon"},
    };
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
        char buf[256];
        const char *got = store_target_shown(shown[i][0], buf, sizeof buf);
        if (!tap_ok(!strcmp(got, shown[i][1]), "shown without its password: %s", shown[i][1]))
            printf("#   got %s\n", got);
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return tap_done() || tap_failed != 0;
}
