/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ロック中ユーザー一覧, 自動ロック解除 and インターネットアクセス規制設定 (§1.2). */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "ops/internal.h"

struct locked_filter {
    bool auto_unlock;
    int64_t now;
    store_locked_cb cb;
    void *ctx;
};

/* A lock that has lifted by itself (60 minutes, auto unlock on) is not
 * listed, though its row is only cleared at the next login attempt. */
static int still_locked(const struct store_locked *l, void *ctx)
{
    struct locked_filter *f = ctx;
    struct core_lock_state state = {l->failures, l->locked_at};
    if (!core_lockout_is_locked(&state, f->auto_unlock, f->now))
        return 0;
    return f->cb(l, f->ctx);
}

int ops_locked_each(const struct ops_ctx *ctx, store_locked_cb cb, void *cb_ctx)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    struct store_site site;
    int rc = store_site_get(st, site_id, &site);
    if (rc)
        return rc;
    struct locked_filter f = {site.auto_unlock != 0, store_now(), cb, cb_ctx};
    return store_locked_each(st, site_id, still_locked, &f);
}

int ops_unlock(const struct ops_ctx *ctx, bool is_user, const char *name,
               struct core_problem *problem)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    int rc = store_begin(st);
    if (!rc) {
        if (is_user) {
            rc = store_web_user_unlock(st, site_id, name, who);
        } else {
            struct store_admin admin;
            rc = store_admin_find(st, site_id, name, &admin);
            if (!rc)
                rc = store_admin_unlock(st, admin.id, who);
        }
    }
    if (!rc)
        rc = store_commit(st);
    if (rc) {
        store_rollback(st);
        core_problem_set(problem, rc, name);
    } else {
        /* Fixed English wording, like ops_admin_unlock's, for log filters. */
        syslog(LOG_AUTH | LOG_NOTICE, "Unlocked %s %s by %s from %s",
               is_user ? "user" : "administrator", name, who && who->name ? who->name : "?",
               who && who->source ? who->source : "?");
    }
    return rc;
}

int ops_site_access_set(const struct ops_ctx *ctx, int64_t version,
                        const struct ops_access_input *in, struct core_problem *problem)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    int rc = store_begin(st);
    struct store_site site;
    if (!rc)
        rc = store_site_get(st, site_id, &site);
    if (!rc && site.version != version)
        rc = E_CHANGED_MEANWHILE;
    if (!rc) {
        if (in->auto_unlock >= 0)
            site.auto_unlock = in->auto_unlock;
        if (in->restrict_admin >= 0)
            site.restrict_admin = in->restrict_admin;
        if (in->restrict_user >= 0)
            site.restrict_user = in->restrict_user;
        rc = store_site_update(st, &site, who);
    }
    return single_write(st, rc, NULL, -1, problem);
}
