/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Changing an extension profile's credentials, and the web users' lockout. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "store/internal.h"

int store_ext_update(struct store *st, struct store_ext *ext, const struct store_actor *who)
{
    struct store_ext before;
    int rc = store_ext_find(st, ext->site_id, ext->ext, &before);
    if (rc)
        return rc;
    struct store_stmt *s = store_prepare(
        st, "UPDATE extensions SET sip_id = ?, sip_password = ?, web_user = ?, web_pw_hash = ?,"
            " version = version + 1 WHERE id = ? AND version = ?");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, ext->sip_id);
    store_bind_text(s, 2, ext->sip_password);
    store_bind_opt(s, 3, ext->web_user);
    store_bind_opt(s, 4, ext->web_pw_hash);
    stmt_bind_int64(s, 5, ext->id);
    stmt_bind_int64(s, 6, ext->version);
    if ((rc = store_step_versioned(st, s)))
        return rc;
    ext->version++;
    /* Passwords appear only as "changed": the log never holds a secret. */
    char b[200], a[200];
    snprintf(b, sizeof b, "sip_id=%s web_user=%s", before.sip_id,
             before.web_user[0] ? before.web_user : "-");
    snprintf(a, sizeof a, "sip_id=%s web_user=%s%s%s", ext->sip_id,
             ext->web_user[0] ? ext->web_user : "-",
             strcmp(before.sip_password, ext->sip_password) ? " sip_password=changed" : "",
             strcmp(before.web_pw_hash, ext->web_pw_hash) ? " web_password=changed" : "");
    return store_audit(st, ext->site_id, who, "ext.update", ext->ext, b, a);
}

struct locked_visit {
    store_locked_cb cb;
    void *ctx;
};

static int visit_locked(struct store_stmt *s, void *ctx)
{
    struct locked_visit *v = ctx;
    struct store_locked l;
    memset(&l, 0, sizeof l);
    l.is_user = stmt_column_int(s, 0);
    store_column_copy(s, 1, l.name, sizeof l.name);
    store_column_copy(s, 2, l.ext, sizeof l.ext);
    l.failures = stmt_column_int(s, 3);
    l.locked_at = stmt_column_int64(s, 4);
    return v->cb(&l, v->ctx);
}

int store_locked_each(struct store *st, int64_t site_id, store_locked_cb cb, void *ctx)
{
    /* Administrators by name, then web users by name: each statement walks
     * an index in its order (for web users the partial index of the
     * locked ones), so nothing is sorted and no unlocked row is read. */
    static const char *const sql[] = {
        "SELECT 0, name, '', failures, locked_at FROM admins WHERE site_id = ?1 AND locked_at > 0"
        " ORDER BY name",
        "SELECT 1, web_user, ext, web_failures, web_locked_at FROM extensions"
        " WHERE site_id = ?1 AND web_locked_at > 0 ORDER BY web_user"};
    struct locked_visit v = {cb, ctx};
    int rc = CORE_OK;
    for (int i = 0; !rc && i < 2; i++) {
        struct store_stmt *s = store_prepare(st, sql[i]);
        if (!s)
            return E_STORAGE;
        stmt_bind_int64(s, 1, site_id);
        rc = store_each_row(st, s, visit_locked, &v);
    }
    return rc;
}

int store_web_user_unlock(struct store *st, int64_t site_id, const char *web_user,
                          const struct store_actor *who)
{
    struct store_stmt *s =
        store_prepare(st, "UPDATE extensions SET web_failures = 0, web_locked_at = 0"
                          " WHERE site_id = ? AND web_user = ? RETURNING ext");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    store_bind_text(s, 2, web_user);
    int step = stmt_step(s);
    if (step != STMT_ROW) {
        int rc = step == STMT_DONE ? E_EXT_NOT_FOUND : store_fail(st);
        stmt_finalize(s);
        return rc;
    }
    char ext[CORE_EXT_MAX + 1];
    store_column_copy(s, 0, ext, sizeof ext);
    stmt_finalize(s);
    return store_audit(st, site_id, who, "user.unlock", web_user, "locked", "unlocked");
}

int store_web_user_lock_get(struct store *st, int64_t ext_id, int *failures, int64_t *locked_at)
{
    struct store_stmt *s =
        store_prepare(st, "SELECT web_failures, web_locked_at FROM extensions WHERE id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, ext_id);
    int rc = stmt_step(s), result = E_EXT_NOT_FOUND;
    if (rc == STMT_ROW) {
        *failures = stmt_column_int(s, 0);
        *locked_at = stmt_column_int64(s, 1);
        result = CORE_OK;
    } else if (rc != STMT_DONE) {
        result = store_fail(st);
    }
    stmt_finalize(s);
    return result;
}

int store_web_user_set_lock(struct store *st, int64_t ext_id, int failures, int64_t locked_at)
{
    struct store_stmt *s =
        store_prepare(st, "UPDATE extensions SET web_failures = ?, web_locked_at = ? WHERE id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int(s, 1, failures);
    stmt_bind_int64(s, 2, locked_at);
    stmt_bind_int64(s, 3, ext_id);
    return store_step_done(st, s);
}

int store_web_user_set_password(struct store *st, const struct store_ext *e, const char *hash,
                                const struct store_actor *who)
{
    struct store_stmt *s = store_prepare(
        st, "UPDATE extensions SET web_pw_hash = ?, version = version + 1 WHERE id = ?");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, hash);
    stmt_bind_int64(s, 2, e->id);
    int rc = store_step_done(st, s);
    return rc ? rc : store_audit(st, e->site_id, who, "user.password", e->web_user, NULL, NULL);
}
