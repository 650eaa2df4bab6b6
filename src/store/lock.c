/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Row locks of the edit forms (table locks): a lease on an object for a
 * session, taken, renewed and released; who holds one; every lock of a
 * session released at once (logout, a closed connection). */
#include <config.h>

#include <string.h>

#include "store/internal.h"

static void read_lock(struct store_stmt *s, struct store_lock *out)
{
    memset(out, 0, sizeof *out);
    store_column_copy(s, 0, out->object, sizeof out->object);
    store_column_copy(s, 1, out->session, sizeof out->session);
    store_column_copy(s, 2, out->holder, sizeof out->holder);
    out->taken_at = stmt_column_int64(s, 3);
    out->expires_at = stmt_column_int64(s, 4);
}

int store_lock_get(struct store *st, const char *object, struct store_lock *out, bool *held)
{
    *held = false;
    struct store_stmt *s =
        store_prepare(st, "SELECT object, session, holder, taken_at, expires_at FROM locks"
                          " WHERE object = ? AND expires_at > ?");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, object);
    stmt_bind_int64(s, 2, store_now());
    int rc = stmt_step(s), result = CORE_OK;
    if (rc == STMT_ROW) {
        read_lock(s, out);
        *held = true;
    } else if (rc != STMT_DONE) {
        result = store_fail(st);
    }
    stmt_finalize(s);
    return result;
}

int store_lock_take(struct store *st, const char *object, const char *session, const char *holder,
                    int lease_seconds, struct store_lock *held)
{
    int64_t now = store_now();
    int rc = store_begin(st);
    if (rc)
        return rc;
    /* One upsert decides: it writes only when the row is free, expired or
     * ours; a renewal by the same session keeps the original taken_at. */
    struct store_stmt *s = store_prepare(
        st, "INSERT INTO locks (object, session, holder, taken_at, expires_at)"
            " VALUES (?1, ?2, ?3, ?4, ?4 + ?5)"
            " ON CONFLICT (object) DO UPDATE SET"
            "  taken_at = CASE WHEN locks.session = excluded.session AND locks.expires_at > ?4"
            "                  THEN locks.taken_at ELSE excluded.taken_at END,"
            "  session = excluded.session, holder = excluded.holder,"
            "  expires_at = excluded.expires_at"
            " WHERE locks.session = excluded.session OR locks.expires_at <= ?4");
    if (!s) {
        store_rollback(st);
        return E_STORAGE;
    }
    store_bind_text(s, 1, object);
    store_bind_text(s, 2, session);
    store_bind_text(s, 3, holder);
    stmt_bind_int64(s, 4, now);
    stmt_bind_int(s, 5, lease_seconds);
    rc = store_step_done(st, s);
    if (!rc && store_changes(st) == 0) {
        struct store_lock current;
        bool live = false;
        rc = store_lock_get(st, object, &current, &live);
        if (!rc) {
            rc = E_LOCKED;
            if (held)
                *held = current;
        }
    }
    if (rc == CORE_OK)
        return store_commit(st);
    store_rollback(st);
    return rc;
}

int store_lock_renew(struct store *st, const char *object, const char *session, int lease_seconds)
{
    struct store_stmt *s =
        store_prepare(st, "UPDATE locks SET expires_at = ? + ? WHERE object = ? AND session = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, store_now());
    stmt_bind_int(s, 2, lease_seconds);
    store_bind_text(s, 3, object);
    store_bind_text(s, 4, session);
    int rc = store_step_done(st, s);
    if (!rc && store_changes(st) == 0)
        rc = E_LOCK_LOST;
    return rc;
}

int store_lock_release(struct store *st, const char *object, const char *session)
{
    struct store_stmt *s = store_prepare(st, "DELETE FROM locks WHERE object = ? AND session = ?");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, object);
    store_bind_text(s, 2, session);
    return store_step_done(st, s);
}

int store_lock_release_session(struct store *st, const char *session, int *count)
{
    struct store_stmt *s = store_prepare(st, "DELETE FROM locks WHERE session = ?");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, session);
    int rc = store_step_done(st, s);
    if (count)
        *count = rc ? 0 : store_changes(st);
    return rc;
}

int store_lock_sessions(struct store *st, int (*cb)(const char *session, void *ctx), void *ctx)
{
    struct store_stmt *s = store_prepare(st, "SELECT DISTINCT session FROM locks ORDER BY session");
    if (!s)
        return E_STORAGE;
    int rc, result = CORE_OK;
    while ((rc = stmt_step(s)) == STMT_ROW) {
        char session[128];
        store_column_copy(s, 0, session, sizeof session);
        if ((result = cb(session, ctx)) != 0)
            break;
    }
    if (!result && rc != STMT_DONE)
        result = store_fail(st);
    stmt_finalize(s);
    return result;
}

int store_lock_clear_all(struct store *st, int *count)
{
    struct store_stmt *s = store_prepare(st, "DELETE FROM locks");
    if (!s)
        return E_STORAGE;
    int rc = store_step_done(st, s);
    if (count)
        *count = rc ? 0 : store_changes(st);
    return rc;
}
