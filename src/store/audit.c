/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The audit log (tables audit, audit_rows): an entry written in the
 * caller's transaction, the pages and detail rows the console and kasconctl
 * show, the purge of old entries; and the key-value settings (settings),
 * which hold the retention among others. */
#include <config.h>

#include <string.h>

#include "store/internal.h"

int store_audit(struct store *st, int64_t site_id, const struct store_actor *who,
                const char *action, const char *object, const char *before, const char *after)
{
    int64_t id;
    return store_audit_id(st, site_id, who, action, object, before, after, &id);
}

int store_audit_id(struct store *st, int64_t site_id, const struct store_actor *who,
                   const char *action, const char *object, const char *before, const char *after,
                   int64_t *id)
{
    struct store_stmt *s = store_prepare(
        st, "INSERT INTO audit (at, site_id, actor, source, action, object, before, after)"
            " VALUES (?,?,?,?,?,?,?,?) RETURNING id");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, store_now());
    if (site_id > 0)
        stmt_bind_int64(s, 2, site_id);
    else
        stmt_bind_null(s, 2);
    store_bind_text(s, 3, who && who->name ? who->name : "?");
    store_bind_text(s, 4, who && who->source ? who->source : "?");
    store_bind_text(s, 5, action);
    store_bind_text(s, 6, object);
    store_bind_opt(s, 7, before);
    store_bind_opt(s, 8, after);
    return store_step_id(st, s, id);
}

struct audit_visit {
    store_audit_cb cb;
    void *ctx;
};

static int visit_audit(struct store_stmt *s, void *ctx)
{
    struct audit_visit *v = ctx;
    struct store_audit_entry e;
    memset(&e, 0, sizeof e);
    e.id = stmt_column_int64(s, 0);
    e.at = stmt_column_int64(s, 1);
    store_column_copy(s, 2, e.actor, sizeof e.actor);
    store_column_copy(s, 3, e.source, sizeof e.source);
    store_column_copy(s, 4, e.action, sizeof e.action);
    store_column_copy(s, 5, e.object, sizeof e.object);
    store_column_copy(s, 6, e.before, sizeof e.before);
    store_column_copy(s, 7, e.after, sizeof e.after);
    return v->cb(&e, v->ctx);
}

int store_audit_page(struct store *st, int64_t site_id, const struct store_audit_filter *f,
                     int64_t from_id, bool newer, int limit, store_audit_cb cb, void *ctx)
{
    /* Each direction its own statement, so that every page is one range
     * of the (site_id, id) index: "(?2 = 0 OR id < ?2)" would read the
     * site's whole log for every page.  The object filter also finds a
     * bulk operation by one of its rows. */
#define AUDIT_PAGE(cond, order)                                                                    \
    "SELECT id, at, actor, source, action, object, before, after FROM audit"                       \
    " WHERE site_id = ?1 AND " cond " AND (?3 = '' OR instr(lower(object), lower(?3)) > 0"         \
    " OR EXISTS (SELECT 1 FROM audit_rows r WHERE r.audit_id = audit.id"                           \
    " AND instr(lower(r.object), lower(?3)) > 0))"                                                 \
    " AND (?4 = '' OR actor = ?4) ORDER BY id " order " LIMIT ?5"
    const char *sql = newer          ? AUDIT_PAGE("id > ?2", "ASC")
                      : from_id == 0 ? AUDIT_PAGE("?2 = 0", "DESC")
                                     : AUDIT_PAGE("id < ?2", "DESC");
#undef AUDIT_PAGE
    struct store_stmt *s = store_prepare(st, sql);
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    stmt_bind_int64(s, 2, from_id);
    store_bind_text(s, 3, f && f->object ? f->object : "");
    store_bind_text(s, 4, f && f->actor ? f->actor : "");
    stmt_bind_int(s, 5, limit);
    struct audit_visit v = {cb, ctx};
    return store_each_row(st, s, visit_audit, &v);
}

struct rows_visit {
    store_audit_row_cb cb;
    void *ctx;
};

static int visit_row(struct store_stmt *s, void *ctx)
{
    struct rows_visit *v = ctx;
    struct store_audit_row r;
    memset(&r, 0, sizeof r);
    r.row = (long)stmt_column_int64(s, 0);
    store_column_copy(s, 1, r.action, sizeof r.action);
    store_column_copy(s, 2, r.object, sizeof r.object);
    store_column_copy(s, 3, r.detail, sizeof r.detail);
    return v->cb(&r, v->ctx);
}

int store_audit_rows(struct store *st, int64_t audit_id, const char *object, long after_row,
                     int limit, store_audit_row_cb cb, void *ctx)
{
    struct store_stmt *s = store_prepare(st, "SELECT row, action, object, detail FROM audit_rows"
                                             " WHERE audit_id = ?1 AND row > ?2"
                                             " AND (?3 = '' OR instr(lower(object), lower(?3)) > 0)"
                                             " ORDER BY row LIMIT ?4");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, audit_id);
    stmt_bind_int64(s, 2, after_row);
    store_bind_text(s, 3, object ? object : "");
    stmt_bind_int(s, 4, limit);
    struct rows_visit v = {cb, ctx};
    return store_each_row(st, s, visit_row, &v);
}

int store_audit_row_count(struct store *st, int64_t audit_id, long *count)
{
    *count = 0;
    struct store_stmt *s = store_prepare(st, "SELECT count(*) FROM audit_rows WHERE audit_id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, audit_id);
    int rc = stmt_step(s);
    if (rc == STMT_ROW)
        *count = (long)stmt_column_int64(s, 0);
    int out = rc == STMT_ROW ? CORE_OK : store_fail(st);
    stmt_finalize(s);
    return out;
}

int store_audit_purge(struct store *st, int64_t before, long *deleted)
{
    struct store_stmt *s = store_prepare(st, "DELETE FROM audit WHERE at < ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, before);
    int rc = store_step_done(st, s);
    *deleted = rc ? 0 : (long)store_changes(st);
    return rc;
}

int store_setting_get(struct store *st, const char *key, char *value, size_t n)
{
    struct store_stmt *s = store_prepare(st, "SELECT value FROM settings WHERE key = ?");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, key);
    int step = stmt_step(s);
    if (step == STMT_ROW)
        store_column_copy(s, 0, value, n);
    else if (n)
        value[0] = '\0';
    stmt_finalize(s);
    return step == STMT_ROW || step == STMT_DONE ? CORE_OK : store_fail(st);
}

int store_setting_set(struct store *st, const char *key, const char *value)
{
    struct store_stmt *s =
        value ? store_prepare(st, "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                                  " ON CONFLICT (key) DO UPDATE SET value = ?2")
              : store_prepare(st, "DELETE FROM settings WHERE key = ?1");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, key);
    if (value)
        store_bind_text(s, 2, value);
    return store_step_done(st, s);
}
