/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Logins and sessions: the administrator's and the extension user's login
 * on the console and over SSH (password or public key), the session
 * kascond has authenticated already, パスワード変更, the session's edit
 * locks, and the logout that ends a session and drops them. */
#include <config.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ops/internal.h"

static int copy_site(const struct store_site *site, void *ctx)
{
    *(struct store_site *)ctx = *site;
    return 0;
}

static int resolve_site(struct store *st, const char *domain, struct store_site *site)
{
    if (domain && *domain) {
        char normalized[CORE_DOMAIN_MAX + 1];
        snprintf(normalized, sizeof normalized, "%s", domain);
        core_normalize_domain(normalized);
        return store_site_find(st, normalized, site);
    }
    /* With a single site the domain may be left out (doc/spec.md §3.6). */
    int count = 0;
    int rc = store_site_count(st, &count);
    if (rc || count != 1)
        return rc ? rc : E_SITE_NOT_FOUND;
    return store_site_each(st, copy_site, site);
}

/* How one attempt is judged: by password (password != NULL), or by a
 * public key whose signature the SSH layer has verified (key != NULL). */
/* Who a login name is: an administrator of the site, or else the
 * extension user with that web console user name (ユーザーカスコン).  The
 * two share one name space per site (E_WEB_USER_ADMIN, E_ADMIN_WEB_USER),
 * so a name is never both.  A user's session carries its own extension
 * and, in admin.name, the user name (lock holder, audit actor). */
static int find_account(struct store *st, const char *domain, const char *user,
                        struct ops_session *session, struct core_lock_state *lock)
{
    session->is_user = false;
    if (resolve_site(st, domain, &session->site))
        return E_LOGIN_FAILED;
    struct store_admin *admin = &session->admin;
    if (store_admin_find(st, session->site.id, user, admin) == CORE_OK) {
        *lock = (struct core_lock_state){admin->failures, admin->locked_at};
        return CORE_OK;
    }
    struct store_ext *e = &session->ext;
    if (!*user || store_ext_find_web_user(st, session->site.id, user, e) || !e->web_pw_hash[0] ||
        store_web_user_lock_get(st, e->id, &lock->failures, &lock->locked_at))
        return E_LOGIN_FAILED;
    session->is_user = true;
    memset(admin, 0, sizeof *admin);
    admin->site_id = session->site.id;
    snprintf(admin->name, sizeof admin->name, "%s", e->web_user);
    return CORE_OK;
}

static const char *account_hash(const struct ops_session *session)
{
    return session->is_user ? session->ext.web_pw_hash : session->admin.pw_hash;
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

/* インターネットアクセス規制: whether the site lets this address log in. */
static bool network_allows(const struct ops_session *session, const char *address)
{
    bool restricted = session->is_user ? session->site.restrict_user : session->site.restrict_admin;
    return !address || !restricted ||
           core_cidr_list_contains(session->site.trusted_networks, address);
}

static int login_succeeded(struct ops_session *session, int64_t now)
{
    session->outcome = OPS_LOGIN_OK;
    session->must_change =
        !session->is_user && core_password_expired(session->admin.pw_changed_at,
                                                   session->site.password_max_age_days, now);
    session->actor.name = session->admin.name;
    session->actor.source = session->source;
    return CORE_OK;
}

/* A password login when in->password is not NULL, else a key login. */
static int login_common(struct store *st, const struct ops_login_request *in,
                        struct ops_session *session)
{
    memset(session, 0, sizeof *session);
    const char *source = in->address ? in->address : in->source;
    snprintf(session->source, sizeof session->source, "%s", source ? source : "console");
    session->outcome = OPS_LOGIN_UNKNOWN;
    int64_t now = store_now();
    /* The account is read in a snapshot and the password verified outside
     * any transaction (yescrypt takes milliseconds): holding the write
     * lock for it would make every login wait for every other one, and
     * for any import.  The outcome is then recorded in one short write
     * transaction that reads the lock state again, so two connections
     * cannot both count from the same failures. */
    int rc = store_begin_read(st);
    if (rc)
        return rc;
    struct store_admin *admin = &session->admin;
    struct core_lock_state lock;
    const char *user = in->user ? in->user : "";
    bool known = find_account(st, in->domain, user, session, &lock) == CORE_OK;
    /* Extension users have no keys: an offered key is simply not theirs. */
    bool key_ok = known && !in->password && !session->is_user &&
                  store_admin_key_find(st, admin->id, in->key ? in->key : "") == CORE_OK;
    store_rollback(st);
    if (!known) {
        /* Spend the time a real check costs: timing must not tell. */
        if (in->password)
            core_password_burn(in->password);
        return E_LOGIN_FAILED;
    }
    char hash[CORE_HASH_MAX];
    snprintf(hash, sizeof hash, "%s", account_hash(session));
    bool good = in->password ? core_password_verify(in->password, hash) : key_ok;
    /* A password with a control character is refused, not cut or
     * cleaned: it was verified all the same (same timing) and is counted
     * below as a wrong one. */
    bool clean = !in->password || !has_control(in->password);
    good = good && clean;
    if (in->defer_record && good && lock.failures == 0 && lock.locked_at == 0 &&
        network_allows(session, in->address)) {
        /* A success that changes nothing but the audit: judged on the
         * snapshot, where it takes its place among the attempts (a failure
         * committed before it would show in lock.failures; one committed
         * after it counts from zero either way).  Its audit row is written
         * by the caller (ops_login_record), not under the write lock a
         * long import may hold now.  doc/design.md, "Login". */
        session->record_pending = true;
        snprintf(session->record_action, sizeof session->record_action, "%s%s",
                 session->is_user ? "user." : "", in->password ? "login" : "login.publickey");
        return login_succeeded(session, now);
    }
    if ((rc = store_begin(st)))
        return rc;
    if (find_account(st, in->domain, user, session, &lock) != CORE_OK) {
        store_rollback(st); /* deleted meanwhile */
        return E_LOGIN_FAILED;
    }
    if (in->password && strcmp(hash, account_hash(session)))
        good = clean &&
               core_password_verify(in->password, account_hash(session)); /* changed meanwhile */
    bool was_locked = lock.locked_at != 0;
    bool allowed = core_lockout_allows(&lock, session->site.auto_unlock, now);
    session->auto_unlocked = was_locked && allowed;
    /* インターネットアクセス規制: outside the trusted networks nothing is judged
     * and nothing is counted; the reply is the same as for a wrong password. */
    bool network_ok = network_allows(session, in->address);
    struct store_actor actor = {admin->name, session->source};
    const char *event = NULL;
    if (!network_ok) {
        session->outcome = OPS_LOGIN_REFUSED_NETWORK;
        event = "login.refused_network";
    } else if (allowed && good) {
        core_lockout_succeed(&lock);
        session->outcome = OPS_LOGIN_OK;
        event = in->password ? "login" : "login.publickey";
    } else if (allowed && in->password) {
        bool locked_now = core_lockout_fail(&lock, now);
        session->outcome = locked_now ? OPS_LOGIN_LOCKED_NOW : OPS_LOGIN_FAIL;
        event = locked_now ? "login.lock" : "login.fail";
    } else if (allowed) {
        /* A key that is not registered is not a guessed password: the
         * failure count is left alone (clients offer every key they have). */
        session->outcome = OPS_LOGIN_FAIL;
        event = "login.key_refused";
    } else {
        session->outcome = OPS_LOGIN_REFUSED_LOCKED;
        event = "login.refused_locked";
    }
    /* Users' events read "user.login", "user.login.fail", ... */
    char action[40];
    snprintf(action, sizeof action, "%s%s", session->is_user ? "user." : "", event);
    if (session->auto_unlocked)
        rc = store_audit(st, session->site.id, &actor,
                         session->is_user ? "user.login.auto_unlock" : "login.auto_unlock",
                         admin->name, "locked", "unlocked");
    if (!rc && (network_ok || session->auto_unlocked))
        rc = session->is_user
                 ? store_web_user_set_lock(st, session->ext.id, lock.failures, lock.locked_at)
                 : store_admin_set_lock(st, admin->id, lock.failures, lock.locked_at);
    if (!rc)
        rc = store_audit(st, session->site.id, &actor, action, admin->name, NULL, session->source);
    if (!rc)
        rc = store_commit(st);
    else
        store_rollback(st);
    if (rc)
        return rc;
    if (session->outcome != OPS_LOGIN_OK)
        return E_LOGIN_FAILED;
    return login_succeeded(session, now);
}

int ops_login_record(const struct ops_ctx *ctx, struct ops_session *session)
{
    if (!session->record_pending)
        return CORE_OK;
    struct store *st = ctx->st;
    struct store_actor actor = {session->admin.name, session->source};
    int rc = store_begin(st);
    if (rc)
        return rc;
    rc = store_audit(st, session->site.id, &actor, session->record_action, session->admin.name,
                     NULL, session->source);
    if (!rc)
        rc = store_commit(st);
    else
        store_rollback(st);
    if (!rc)
        session->record_pending = false;
    return rc;
}

int ops_session_load(const struct ops_ctx *ctx, const char *domain, const char *user,
                     const char *source, struct ops_session *session)
{
    struct store *st = ctx->st;
    memset(session, 0, sizeof *session);
    snprintf(session->source, sizeof session->source, "%s", source ? source : "console");
    struct core_lock_state lock;
    if (find_account(st, domain, user ? user : "", session, &lock))
        return E_LOGIN_FAILED;
    session->must_change = !session->is_user &&
                           core_password_expired(session->admin.pw_changed_at,
                                                 session->site.password_max_age_days, store_now());
    session->actor.name = session->admin.name;
    session->actor.source = session->source;
    return CORE_OK;
}

int ops_login(const struct ops_ctx *ctx, const struct ops_login_request *req,
              struct ops_session *session)
{
    struct ops_login_request in = *req;
    in.password = req->password ? req->password : "";
    in.key = NULL;
    return login_common(ctx->st, &in, session);
}

int ops_login_key(const struct ops_ctx *ctx, const struct ops_login_request *req,
                  struct ops_session *session)
{
    struct ops_login_request in = *req;
    in.password = NULL;
    in.key = req->key ? req->key : "";
    return login_common(ctx->st, &in, session);
}

bool ops_admin_has_key(const struct ops_ctx *ctx, const struct ops_admin_ref *ref, const char *key)
{
    struct store *st = ctx->st;
    struct store_site site;
    struct store_admin admin;
    return resolve_site(st, ref->domain, &site) == CORE_OK &&
           store_admin_find(st, site.id, ref->name ? ref->name : "", &admin) == CORE_OK &&
           store_admin_key_find(st, admin.id, key ? key : "") == CORE_OK;
}

int ops_change_password(const struct ops_ctx *ctx, struct ops_session *session,
                        const struct ops_password_change *req, struct core_problem *problem)
{
    const char *current = req->current ? req->current : "", *next = req->next ? req->next : "",
               *again = req->again ? req->again : "";
    struct store *st = ctx->st;
    if (!core_password_verify(current, account_hash(session))) {
        core_problem_set(problem, E_PW_CURRENT_WRONG, NULL);
        problem->field = 0;
        return E_PW_CURRENT_WRONG;
    }
    /* A web console user's password follows the web rules (doc/spec.md §3.1). */
    int rc = session->is_user ? core_check_web_password(next, session->ext.web_user)
                              : core_check_admin_password(next);
    if (!rc && strcmp(next, again))
        rc = E_PW_MISMATCH;
    if (!rc && !strcmp(next, current))
        rc = E_ADMIN_PW_REUSED;
    if (rc) {
        core_problem_set(problem, rc, NULL);
        problem->field = rc == E_PW_MISMATCH ? 2 : 1;
        return rc;
    }
    char hash[CORE_HASH_MAX];
    if (session->is_user ? core_password_hash_web(next, hash, sizeof hash)
                         : core_password_hash(next, hash, sizeof hash)) {
        core_problem_set(problem, E_STORAGE, NULL);
        return E_STORAGE;
    }
    int64_t now = store_now();
    if ((rc = store_begin(st)))
        return single_write(st, rc, NULL, -1, problem);
    rc = session->is_user
             ? store_web_user_set_password(st, &session->ext, hash, &session->actor)
             : store_admin_set_password(st, session->admin.id, hash, now, &session->actor);
    rc = single_write(st, rc, NULL, -1, problem);
    if (!rc && session->is_user) {
        snprintf(session->ext.web_pw_hash, sizeof session->ext.web_pw_hash, "%s", hash);
    } else if (!rc) {
        snprintf(session->admin.pw_hash, sizeof session->admin.pw_hash, "%s", hash);
        session->admin.pw_changed_at = now;
        session->must_change = false;
    }
    return rc;
}

int ops_logout(const struct ops_ctx *ctx, int *released)
{
    int count = 0;
    int rc = store_begin(ctx->st);
    if (!rc && ctx->lock_session && *ctx->lock_session)
        rc = store_lock_release_session(ctx->st, ctx->lock_session, &count);
    if (!rc)
        rc = store_audit(ctx->st, ctx->site_id, &ctx->actor, "logout", ctx->actor.name, NULL,
                         ctx->actor.source);
    if (!rc)
        rc = store_commit(ctx->st);
    if (rc)
        store_rollback(ctx->st);
    if (released)
        *released = rc ? 0 : count;
    return rc;
}

int ops_lock_take(const struct ops_ctx *ctx, const char *object, int lease_seconds,
                  struct store_lock *other)
{
    return store_lock_take(ctx->st, object, ctx->lock_session, ctx->actor.name, lease_seconds,
                           other);
}

int ops_lock_renew(const struct ops_ctx *ctx, const char *object, int lease_seconds)
{
    return store_lock_renew(ctx->st, object, ctx->lock_session, lease_seconds);
}

int ops_lock_release(const struct ops_ctx *ctx, const char *object)
{
    return store_lock_release(ctx->st, object, ctx->lock_session);
}

struct gone {
    bool (*alive)(const char *session);
    char (*sessions)[128];
    size_t n, cap;
};

static int note_gone(const char *session, void *ctx)
{
    struct gone *g = ctx;
    if (g->alive(session))
        return 0;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        char(*more)[128] = realloc(g->sessions, cap * sizeof *more);
        if (!more)
            return E_NO_MEMORY;
        g->sessions = more;
        g->cap = cap;
    }
    snprintf(g->sessions[g->n++], sizeof g->sessions[0], "%s", session);
    return 0;
}

int ops_lock_release_gone(const struct ops_ctx *ctx, bool (*alive)(const char *session), int *count)
{
    struct gone g = {.alive = alive};
    *count = 0;
    int rc = store_begin(ctx->st);
    if (!rc)
        rc = store_lock_sessions(ctx->st, note_gone, &g);
    for (size_t i = 0; !rc && i < g.n; i++) {
        int n = 0;
        rc = store_lock_release_session(ctx->st, g.sessions[i], &n);
        *count += n;
    }
    if (!rc)
        rc = store_commit(ctx->st);
    if (rc) {
        store_rollback(ctx->st);
        *count = 0;
    }
    free(g.sessions);
    return rc;
}

int ops_lock_release_all(const struct ops_ctx *ctx)
{
    if (!ctx->st || !ctx->lock_session || !*ctx->lock_session)
        return CORE_OK;
    return store_lock_release_session(ctx->st, ctx->lock_session, NULL);
}
