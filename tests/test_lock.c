/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Row locks (doc/spec.md §5), SSH-side logins (keys, lockout, trusted networks)
 * and public-key parsing, on a temporary database; the clock is moved with
 * KASCON_NOW. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ops/ops.h"
#include "fixture.h"
#include "tap.h"

static const struct store_actor op = {"operator", "test"};

static void at(long long t)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", t);
    setenv("KASCON_NOW", buf, 1);
}

/* ssh-keygen -t ed25519 public keys (throwaway, made for this test). */
static const char key_a[] =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEYlEhGOfj4TJoCm7qv06pEnNuB4HF+1+ofFgAvZk3Hs "
    "alice@example\n";
static const char key_b[] =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINpaJ3tKnXasDhDnTKrXkigetjb0TAqupw2WxoZeNPoo";

static void pubkey_tests(void)
{
    char key[CORE_PUBKEY_MAX + 64], comment[CORE_PUBKEY_COMMENT_MAX];
    tap_is(core_pubkey_parse(key_a, key, sizeof key, comment, sizeof comment), CORE_OK,
           "ed25519 key parses");
    tap_ok(!strncmp(key, "ssh-ed25519 AAAAC3", 18) && !strchr(key, '\n'),
           "canonical form: type and base64");
    tap_ok(!strcmp(comment, "alice@example"), "comment kept (%s)", comment);
    tap_is(core_pubkey_parse(key_b, key, sizeof key, comment, sizeof comment), CORE_OK,
           "key without comment");
    tap_ok(comment[0] == '\0', "... has an empty comment");
    tap_is(core_pubkey_parse(
               "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAINpaJ3tKnXasDhDnTKrXkigetjb0TAqupw2WxoZeNPoo", key,
               sizeof key, comment, sizeof comment),
           E_KEY_FORMAT, "blob of another type refused");
    tap_is(core_pubkey_parse("ssh-ed25519 not*base64", key, sizeof key, comment, sizeof comment),
           E_KEY_FORMAT, "bad base64 refused");
    tap_is(core_pubkey_parse("-----BEGIN OPENSSH PRIVATE KEY-----", key, sizeof key, comment,
                             sizeof comment),
           E_KEY_FORMAT, "a private key refused");
    tap_is(core_pubkey_parse("", key, sizeof key, comment, sizeof comment), E_KEY_FORMAT,
           "empty refused");
}

static void lock_tests(struct store *st)
{
    struct store_lock held;
    at(1000);
    tap_is(store_lock_take(st, "ext:1", "s1", "alice", 60, &held), CORE_OK, "free object: taken");
    tap_is(store_lock_take(st, "ext:1", "s2", "bob", 60, &held), E_LOCKED, "held object: refused");
    tap_ok(!strcmp(held.holder, "alice") && held.taken_at == 1000,
           "refusal names the holder and since when");
    tap_is(store_lock_take(st, "ext:2", "s2", "bob", 60, &held), CORE_OK, "another object: taken");
    at(1030);
    tap_is(store_lock_take(st, "ext:1", "s1", "alice", 60, &held), CORE_OK, "ours again: extended");
    bool live = false;
    struct store_lock now;
    store_lock_get(st, "ext:1", &now, &live);
    tap_ok(live && now.taken_at == 1000 && now.expires_at == 1090,
           "extension keeps taken_at, moves expiry");
    at(1080);
    tap_is(store_lock_renew(st, "ext:1", "s1", 60), CORE_OK, "renew");
    at(1139);
    tap_is(store_lock_take(st, "ext:1", "s2", "bob", 60, &held), E_LOCKED,
           "renewed lease still holds");
    at(1140);
    tap_is(store_lock_take(st, "ext:1", "s2", "bob", 60, &held), CORE_OK,
           "expired lease: taken over");
    store_lock_get(st, "ext:1", &now, &live);
    tap_ok(live && !strcmp(now.holder, "bob") && now.taken_at == 1140,
           "new holder since the take-over");
    tap_is(store_lock_renew(st, "ext:1", "s1", 60), E_LOCK_LOST, "the old session's renew: lost");
    tap_is(store_lock_release(st, "ext:1", "s1"), CORE_OK, "release by a non-holder is harmless");
    store_lock_get(st, "ext:1", &now, &live);
    tap_ok(live && !strcmp(now.holder, "bob"), "... and releases nothing");
    tap_is(store_lock_release(st, "ext:1", "s2"), CORE_OK, "release");
    store_lock_get(st, "ext:1", &now, &live);
    tap_ok(!live, "released object is free");
    tap_is(store_lock_take(st, "ext:1", "s1", "alice", 60, &held), CORE_OK, "taken again");
    int n = -1;
    tap_is(store_lock_release_session(st, "s2", &n), CORE_OK, "release a session's leases");
    tap_is(n, 1, "... the one it held (ext:2)");
    store_lock_get(st, "ext:2", &now, &live);
    tap_ok(!live, "ext:2 is free");
    store_lock_get(st, "ext:1", &now, &live);
    tap_ok(live, "other sessions keep theirs");
    store_lock_take(st, "site:1", "s3", "carol", 60, &held);
    tap_is(store_lock_clear_all(st, &n), CORE_OK, "clear all (kascond start)");
    tap_is(n, 2, "... cleared 2 leases");
    at(2000);
    tap_is(store_lock_renew(st, "ext:9", "s1", 60), E_LOCK_LOST,
           "renew of a lease never taken: lost");
}

static void login_tests(struct store *st)
{
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_site_input site_in = {.domain = "tokyo.example.jp", .capacity = "3"};
    int64_t site_id = 0;
    at(100000);
    tap_is(ops_site_add(TEST_CTX(st, 0), &site_in, &pr, &site_id), CORE_OK, "site add");
    core_problems_free(&pr);
    struct core_problem p;
    tap_is(ops_admin_add(TEST_CTX(st, 0), &(struct ops_admin_ref){"tokyo.example.jp", "admin"},
                         "secret12", &p),
           CORE_OK, "admin add");
    tap_is(ops_admin_key_add(TEST_CTX(st, 0), &(struct ops_admin_ref){"tokyo.example.jp", "admin"},
                             key_a, &p),
           CORE_OK, "key add");
    tap_is(ops_admin_key_add(TEST_CTX(st, 0), &(struct ops_admin_ref){"tokyo.example.jp", "admin"},
                             key_a, &p),
           E_DUP_KEY, "same key again");
    tap_is(ops_admin_key_add(TEST_CTX(st, 0), &(struct ops_admin_ref){"tokyo.example.jp", "nobody"},
                             key_b, &p),
           E_ADMIN_NOT_FOUND, "key for an unknown admin");
    char key[CORE_PUBKEY_MAX + 64], comment[CORE_PUBKEY_COMMENT_MAX], other[CORE_PUBKEY_MAX + 64];
    core_pubkey_parse(key_a, key, sizeof key, comment, sizeof comment);
    core_pubkey_parse(key_b, other, sizeof other, comment, sizeof comment);
    tap_ok(ops_admin_has_key(TEST_CTX(st, 0), &(struct ops_admin_ref){"tokyo.example.jp", "admin"},
                             key),
           "probe: registered key");
    tap_ok(ops_admin_has_key(TEST_CTX(st, 0), &(struct ops_admin_ref){NULL, "admin"}, key),
           "probe: single site, domain left out");
    tap_ok(!ops_admin_has_key(TEST_CTX(st, 0), &(struct ops_admin_ref){"tokyo.example.jp", "admin"},
                              other),
           "probe: other key");
    struct ops_session s;
    tap_is(test_login_key(TEST_CTX(st, 0), "admin", key, "127.0.0.1", &s), CORE_OK, "key login");
    tap_is(test_login_key(TEST_CTX(st, 0), "admin", other, "127.0.0.1", &s), E_LOGIN_FAILED,
           "unregistered key refused");
    struct store_admin a;
    store_admin_find(st, site_id, "admin", &a);
    tap_is(a.failures, 0, "... and not counted as a wrong password");
    for (int i = 0; i < 3; i++)
        test_login(TEST_CTX(st, 0), "admin", "wrong123", "192.0.2.1", &s);
    tap_is(s.outcome, OPS_LOGIN_LOCKED_NOW, "third wrong password over SSH locks");
    tap_is(test_login_key(TEST_CTX(st, 0), "admin", key, "127.0.0.1", &s), E_LOGIN_FAILED,
           "locked: registered key refused");
    tap_is(s.outcome, OPS_LOGIN_REFUSED_LOCKED, "... as locked");
    tap_is(test_login(TEST_CTX(st, 0), "admin", "secret12", NULL, &s), E_LOGIN_FAILED,
           "locked over SSH: the console refuses too");
    at(100000 + CORE_LOCK_SECONDS + 60);
    tap_is(test_login_key(TEST_CTX(st, 0), "admin", key, "127.0.0.1", &s), CORE_OK,
           "after 60 minutes: automatic unlock");
    tap_ok(s.auto_unlocked, "... reported as such");

    char *set[] = {"restrict-admin=on", "trusted-networks=192.0.2.0/24"};
    tap_is(ops_site_set(TEST_CTX(st, 0), "tokyo.example.jp", set, 2, &pr), CORE_OK,
           "restrict admin logins");
    core_problems_free(&pr);
    tap_is(test_login(TEST_CTX(st, 0), "admin", "secret12", "127.0.0.1", &s), E_LOGIN_FAILED,
           "outside the trusted networks: refused");
    tap_is(s.outcome, OPS_LOGIN_REFUSED_NETWORK, "... for the network");
    store_admin_find(st, site_id, "admin", &a);
    tap_is(a.failures, 0, "... not counted");
    tap_is(test_login_key(TEST_CTX(st, 0), "admin", key, "127.0.0.1", &s), E_LOGIN_FAILED,
           "a key does not pass the restriction either");
    tap_is(test_login(TEST_CTX(st, 0), "admin", "secret12", "192.0.2.9", &s), CORE_OK,
           "inside the trusted networks: accepted");
    tap_is(test_login(TEST_CTX(st, 0), "admin", "secret12", NULL, &s), CORE_OK,
           "the local console is not restricted");

    tap_is(ops_admin_key_remove(TEST_CTX(st, 0),
                                &(struct ops_admin_ref){"tokyo.example.jp", "admin"}, 99, &p),
           E_KEY_NOT_FOUND, "remove an unknown key id");
    tap_is(ops_admin_key_remove(TEST_CTX(st, 0),
                                &(struct ops_admin_ref){"tokyo.example.jp", "admin"}, 1, &p),
           CORE_OK, "remove key 1");
    tap_ok(!ops_admin_has_key(TEST_CTX(st, 0), &(struct ops_admin_ref){NULL, "admin"}, key),
           "removed key no longer offered");
}

int main(void)
{
    char dir[] = "/tmp/kascon-test-XXXXXX", path[256];
    if (test_db_path(dir, path, sizeof path))
        return 1;
    struct store *st;
    pubkey_tests();
    if (!tap_ok(store_open(path, &st) == CORE_OK, "open"))
        return tap_done();
    lock_tests(st);
    login_tests(st);
    store_close(st);
    test_remove_dir(dir);
    return tap_done();
}
