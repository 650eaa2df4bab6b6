/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Administrators of a site and their SSH public keys (tables admins,
 * admin_keys): lookups, insert, password and lockout state, unlock, keys;
 * and whether a name is taken by an extension's web user. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "store/internal.h"

int store_admin_find(struct store *st, int64_t site_id, const char *name, struct store_admin *out)
{
    struct store_stmt *s = store_prepare(
        st, "SELECT id, site_id, name, pw_hash, pw_changed_at, failures, locked_at, version"
            " FROM admins WHERE site_id = ? AND name = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    store_bind_text(s, 2, name);
    int rc = stmt_step(s), result = E_ADMIN_NOT_FOUND;
    if (rc == STMT_ROW) {
        memset(out, 0, sizeof *out);
        out->id = stmt_column_int64(s, 0);
        out->site_id = stmt_column_int64(s, 1);
        store_column_copy(s, 2, out->name, sizeof out->name);
        store_column_copy(s, 3, out->pw_hash, sizeof out->pw_hash);
        out->pw_changed_at = stmt_column_int64(s, 4);
        out->failures = stmt_column_int(s, 5);
        out->locked_at = stmt_column_int64(s, 6);
        out->version = stmt_column_int64(s, 7);
        result = CORE_OK;
    } else if (rc != STMT_DONE) {
        result = store_fail(st);
    }
    stmt_finalize(s);
    return result;
}

int store_admin_insert(struct store *st, struct store_admin *admin, const struct store_actor *who)
{
    struct store_admin existing;
    int rc = store_admin_find(st, admin->site_id, admin->name, &existing);
    if (rc == CORE_OK)
        return E_DUP_ADMIN;
    if (rc != E_ADMIN_NOT_FOUND)
        return rc;
    rc = store_web_user_exists(st, admin->site_id, admin->name);
    if (rc == CORE_OK)
        return E_ADMIN_WEB_USER;
    if (rc != E_EXT_NOT_FOUND)
        return rc;
    struct store_stmt *s = store_prepare(
        st, "INSERT INTO admins (site_id, name, pw_hash, pw_changed_at) VALUES (?,?,?,?)"
            " RETURNING id");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, admin->site_id);
    store_bind_text(s, 2, admin->name);
    store_bind_text(s, 3, admin->pw_hash);
    stmt_bind_int64(s, 4, admin->pw_changed_at);
    rc = store_step_id(st, s, &admin->id);
    if (rc)
        return rc;
    admin->version = 1;
    return store_audit(st, admin->site_id, who, "admin.add", admin->name, NULL, "password=set");
}

int store_admin_set_password(struct store *st, int64_t admin_id, const char *hash,
                             int64_t changed_at, const struct store_actor *who)
{
    struct store_stmt *s =
        store_prepare(st, "UPDATE admins SET pw_hash = ?, pw_changed_at = ?, version = version + 1"
                          " WHERE id = ? RETURNING site_id, name");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, hash);
    stmt_bind_int64(s, 2, changed_at);
    stmt_bind_int64(s, 3, admin_id);
    int step = stmt_step(s);
    if (step != STMT_ROW) {
        int rc = step == STMT_DONE ? E_ADMIN_NOT_FOUND : store_fail(st);
        stmt_finalize(s);
        return rc;
    }
    int64_t site_id = stmt_column_int64(s, 0);
    char name[CORE_ADMIN_NAME_MAX + 1];
    store_column_copy(s, 1, name, sizeof name);
    stmt_finalize(s);
    return store_audit(st, site_id, who, changed_at ? "admin.password" : "admin.reset", name,
                       "password=(hidden)",
                       changed_at ? "password=changed" : "password=reset, expired");
}

int store_admin_set_lock(struct store *st, int64_t admin_id, int failures, int64_t locked_at)
{
    struct store_stmt *s =
        store_prepare(st, "UPDATE admins SET failures = ?, locked_at = ? WHERE id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int(s, 1, failures);
    stmt_bind_int64(s, 2, locked_at);
    stmt_bind_int64(s, 3, admin_id);
    return store_step_done(st, s);
}

int store_admin_unlock(struct store *st, int64_t admin_id, const struct store_actor *who)
{
    struct store_stmt *s =
        store_prepare(st, "UPDATE admins SET failures = 0, locked_at = 0 WHERE id = ?"
                          " RETURNING site_id, name");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, admin_id);
    if (stmt_step(s) != STMT_ROW) {
        stmt_finalize(s);
        return E_ADMIN_NOT_FOUND;
    }
    int64_t site_id = stmt_column_int64(s, 0);
    char name[CORE_ADMIN_NAME_MAX + 1];
    store_column_copy(s, 1, name, sizeof name);
    stmt_finalize(s);
    return store_audit(st, site_id, who, "admin.unlock", name, "locked", "unlocked");
}

/* Whether `sql` (a SELECT taking an id and a text) finds a row: CORE_OK, or
 * `not_found`. */
static int row_exists(struct store *st, const char *sql, int64_t id, const char *text,
                      int not_found)
{
    struct store_stmt *s = store_prepare(st, sql);
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, id);
    store_bind_text(s, 2, text);
    int rc = stmt_step(s);
    int result = rc == STMT_ROW ? CORE_OK : rc == STMT_DONE ? not_found : store_fail(st);
    stmt_finalize(s);
    return result;
}

int store_admin_key_find(struct store *st, int64_t admin_id, const char *key)
{
    return row_exists(st, "SELECT 1 FROM admin_keys WHERE admin_id = ? AND key = ?", admin_id, key,
                      E_KEY_NOT_FOUND);
}

int store_admin_key_add(struct store *st, const struct store_admin *admin, const char *key,
                        const char *comment, const struct store_actor *who)
{
    int rc = store_admin_key_find(st, admin->id, key);
    if (rc == CORE_OK)
        return E_DUP_KEY;
    if (rc != E_KEY_NOT_FOUND)
        return rc;
    struct store_stmt *s =
        store_prepare(st, "INSERT INTO admin_keys (admin_id, key, comment) VALUES (?,?,?)");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, admin->id);
    store_bind_text(s, 2, key);
    store_bind_text(s, 3, comment);
    if ((rc = store_step_done(st, s)))
        return rc;
    char after[160];
    snprintf(after, sizeof after, "key=%.20s... %s", key, comment ? comment : "");
    return store_audit(st, admin->site_id, who, "admin.key.add", admin->name, NULL, after);
}

int store_admin_key_remove(struct store *st, const struct store_admin *admin, int64_t key_id,
                           const struct store_actor *who)
{
    struct store_stmt *s = store_prepare(
        st, "DELETE FROM admin_keys WHERE id = ? AND admin_id = ? RETURNING key, comment");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, key_id);
    stmt_bind_int64(s, 2, admin->id);
    int rc = stmt_step(s);
    if (rc != STMT_ROW) {
        rc = rc == STMT_DONE ? E_KEY_NOT_FOUND : store_fail(st);
        stmt_finalize(s);
        return rc;
    }
    char key[64], comment[CORE_PUBKEY_COMMENT_MAX], before[224];
    store_column_copy(s, 0, key, sizeof key);
    store_column_copy(s, 1, comment, sizeof comment);
    stmt_finalize(s);
    snprintf(before, sizeof before, "key=%.20s... %s", key, comment);
    return store_audit(st, admin->site_id, who, "admin.key.remove", admin->name, before, NULL);
}

int store_admin_key_each(struct store *st, int64_t admin_id, store_admin_key_cb cb, void *ctx)
{
    struct store_stmt *s =
        store_prepare(st, "SELECT id, key, comment FROM admin_keys WHERE admin_id = ? ORDER BY id");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, admin_id);
    int rc;
    struct store_admin_key k;
    while ((rc = stmt_step(s)) == STMT_ROW) {
        k.id = stmt_column_int64(s, 0);
        store_column_copy(s, 1, k.key, sizeof k.key);
        store_column_copy(s, 2, k.comment, sizeof k.comment);
        if (cb(&k, ctx))
            break;
    }
    int result = rc == STMT_ROW || rc == STMT_DONE ? CORE_OK : store_fail(st);
    stmt_finalize(s);
    return result;
}

struct name_visit {
    store_name_cb cb;
    void *ctx;
};

static int visit_name(struct store_stmt *s, void *ctx)
{
    struct name_visit *v = ctx;
    return v->cb(stmt_column_text(s, 0), v->ctx);
}

int store_admin_names(struct store *st, int64_t site_id, store_name_cb cb, void *ctx)
{
    struct store_stmt *s =
        store_prepare(st, "SELECT name FROM admins WHERE site_id = ? ORDER BY name");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    struct name_visit v = {cb, ctx};
    return store_each_row(st, s, visit_name, &v);
}

int store_web_user_exists(struct store *st, int64_t site_id, const char *name)
{
    return row_exists(st, "SELECT 1 FROM extensions WHERE site_id = ? AND web_user = ?", site_id,
                      name, E_EXT_NOT_FOUND);
}
