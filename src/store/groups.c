/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pickup and call hunting groups.  The two kinds share one set of
 * functions: their tables differ only in name and in the hunting group's
 * type and representative columns.  Table names come from the constant
 * table below, never from input; every value is a bound parameter. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "store/internal.h"

struct kind_sql {
    const char *groups, *members, *object;
};

static const struct kind_sql kinds[] = {
    [CORE_PICKUP] = {"pickup_groups", "pickup_members", "pickup"},
    [CORE_HUNT] = {"hunt_groups", "hunt_members", "hunting"},
};

static const struct kind_sql *sql_of(int kind)
{
    return &kinds[kind == CORE_HUNT ? CORE_HUNT : CORE_PICKUP];
}

/* The same statement for either kind, as two literals: "hunt" or "pickup"
 * pasted between the pieces (table names are never formatted in). */
#define K1(kind, a, b) ((kind) == CORE_HUNT ? a "hunt" b : a "pickup" b)

static void object_name(const struct store_group *g, char *buf, size_t n)
{
    snprintf(buf, n, "%s %d", sql_of(g->kind)->object, g->number);
}

#define GROUP_COLUMNS                                                                              \
    "SELECT g.id, g.number, %s, %s, (SELECT count(*) FROM %s m WHERE m.group_id = g.id),"          \
    " g.version"

/* The select list and FROM of a kind; hunting groups add type and
 * representative. */
static void group_select(int kind, char *buf, size_t n)
{
    if (kind == CORE_HUNT)
        snprintf(buf, n,
                 GROUP_COLUMNS ", x.ext FROM hunt_groups g"
                               " JOIN extensions x ON x.id = g.rep_extension_id",
                 "g.pilot", "g.rep_extension_id", "hunt_members");
    else
        snprintf(buf, n, GROUP_COLUMNS ", '' FROM pickup_groups g", "0", "0", "pickup_members");
}

static void read_group(struct store_stmt *s, int kind, struct store_group *g)
{
    memset(g, 0, sizeof *g);
    g->kind = kind;
    g->id = stmt_column_int64(s, 0);
    g->number = stmt_column_int(s, 1);
    g->pilot = stmt_column_int(s, 2);
    g->rep_id = stmt_column_int64(s, 3);
    g->members = stmt_column_int(s, 4);
    g->version = stmt_column_int64(s, 5);
    store_column_copy(s, 6, g->rep, sizeof g->rep);
}

int store_group_find(struct store *st, int kind, int64_t site_id, int number,
                     struct store_group *out)
{
    char sel[512], sql[640];
    group_select(kind, sel, sizeof sel);
    snprintf(sql, sizeof sql, "%s WHERE g.site_id = ? AND g.number = ?", sel);
    struct store_stmt *s = store_prepare(st, sql);
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    stmt_bind_int(s, 2, number);
    int rc = stmt_step(s), out_rc = E_GROUP_NOT_FOUND;
    if (rc == STMT_ROW) {
        read_group(s, kind, out);
        out_rc = CORE_OK;
    } else if (rc != STMT_DONE) {
        out_rc = store_fail(st);
    }
    stmt_finalize(s);
    return out_rc;
}

int store_group_count(struct store *st, int kind, int64_t site_id, int *count)
{
    struct store_stmt *s =
        store_prepare(st, K1(kind, "SELECT count(*) FROM ", "_groups WHERE site_id = ?"));
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    int rc = CORE_OK;
    if (stmt_step(s) == STMT_ROW)
        *count = stmt_column_int(s, 0);
    else
        rc = store_fail(st);
    stmt_finalize(s);
    return rc;
}

int store_group_insert(struct store *st, int64_t site_id, struct store_group *g,
                       const struct store_actor *who)
{
    struct store_group existing;
    int rc = store_group_find(st, g->kind, site_id, g->number, &existing);
    if (rc == CORE_OK)
        return E_DUP_GROUP;
    if (rc != E_GROUP_NOT_FOUND)
        return rc;
    struct store_stmt *s =
        g->kind == CORE_HUNT
            ? store_prepare(st, "INSERT INTO hunt_groups (site_id, number, pilot, rep_extension_id)"
                                " VALUES (?, ?, ?, ?) RETURNING id")
            : store_prepare(st, "INSERT INTO pickup_groups (site_id, number) VALUES (?, ?)"
                                " RETURNING id");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    stmt_bind_int(s, 2, g->number);
    if (g->kind == CORE_HUNT) {
        stmt_bind_int(s, 3, g->pilot);
        stmt_bind_int64(s, 4, g->rep_id);
    }
    if ((rc = store_step_id(st, s, &g->id)))
        return rc;
    g->version = 1;
    g->members = 0;
    char obj[32], after[64] = "created";
    object_name(g, obj, sizeof obj);
    if (g->kind == CORE_HUNT)
        snprintf(after, sizeof after, "type=%s representative=%s",
                 g->pilot ? "pilot" : "round-robin", g->rep);
    return store_audit(st, site_id, who, g->kind == CORE_HUNT ? "hunt.add" : "pickup.add", obj,
                       NULL, after);
}

struct member_text {
    char buf[1200];
    size_t used;
};

static int append_member(const struct store_member *m, void *ctx)
{
    struct member_text *t = ctx;
    int w = snprintf(t->buf + t->used, sizeof t->buf - t->used, "%s%s", t->used ? "," : "", m->ext);
    if (w > 0 && (size_t)w < sizeof t->buf - t->used)
        t->used += (size_t)w;
    return 0;
}

int store_group_delete(struct store *st, int64_t site_id, const struct store_group *g,
                       const struct store_actor *who)
{
    struct member_text before = {.used = 0};
    before.buf[0] = '\0';
    int rc = store_group_members(st, g, append_member, &before);
    if (rc)
        return rc;
    struct store_stmt *s =
        store_prepare(st, K1(g->kind, "DELETE FROM ", "_groups WHERE id = ? AND version = ?"));
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, g->id);
    stmt_bind_int64(s, 2, g->version);
    if ((rc = store_step_versioned(st, s)))
        return rc;
    char obj[32], text[1300];
    object_name(g, obj, sizeof obj);
    if (g->kind == CORE_HUNT)
        snprintf(text, sizeof text, "type=%s representative=%s members=%s",
                 g->pilot ? "pilot" : "round-robin", g->rep, before.buf[0] ? before.buf : "-");
    else
        snprintf(text, sizeof text, "members=%s", before.buf[0] ? before.buf : "-");
    return store_audit(st, site_id, who, g->kind == CORE_HUNT ? "hunt.delete" : "pickup.delete",
                       obj, text, NULL);
}

int store_group_touch(struct store *st, struct store_group *g)
{
    struct store_stmt *s =
        g->kind == CORE_HUNT
            ? store_prepare(st, "UPDATE hunt_groups SET version = version + 1, pilot = ?3,"
                                " rep_extension_id = ?4 WHERE id = ?1 AND version = ?2")
            : store_prepare(st, "UPDATE pickup_groups SET version = version + 1"
                                " WHERE id = ?1 AND version = ?2");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, g->id);
    stmt_bind_int64(s, 2, g->version);
    if (g->kind == CORE_HUNT) {
        stmt_bind_int(s, 3, g->pilot);
        stmt_bind_int64(s, 4, g->rep_id);
    }
    int rc = store_step_versioned(st, s);
    if (rc)
        return rc;
    g->version++;
    return CORE_OK;
}

struct member_visit {
    store_member_cb cb;
    void *ctx;
};

static int visit_member(struct store_stmt *s, void *ctx)
{
    struct member_visit *v = ctx;
    struct store_member m;
    memset(&m, 0, sizeof m);
    m.ext_id = stmt_column_int64(s, 0);
    store_column_copy(s, 1, m.ext, sizeof m.ext);
    m.is_virtual = stmt_column_int(s, 2);
    m.position = stmt_column_int(s, 3);
    return v->cb(&m, v->ctx);
}

int store_group_members(struct store *st, const struct store_group *g, store_member_cb cb,
                        void *ctx)
{
    struct store_stmt *s = store_prepare(
        st, K1(g->kind, "SELECT m.extension_id, e.ext, e.is_virtual, m.position FROM ",
               "_members m JOIN extensions e ON e.id = m.extension_id WHERE m.group_id = ?"
               " ORDER BY m.position"));
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, g->id);
    struct member_visit v = {cb, ctx};
    return store_each_row(st, s, visit_member, &v);
}

int store_group_member_insert(struct store *st, const struct store_group *g, int64_t ext_id,
                              int position)
{
    struct store_stmt *s =
        store_prepare(st, K1(g->kind, "INSERT INTO ",
                             "_members (group_id, extension_id, position) VALUES (?, ?, ?)"));
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, g->id);
    stmt_bind_int64(s, 2, ext_id);
    stmt_bind_int(s, 3, position);
    return store_step_done(st, s);
}

int store_group_member_delete(struct store *st, const struct store_group *g, int64_t ext_id)
{
    struct store_stmt *s = store_prepare(
        st, K1(g->kind, "DELETE FROM ", "_members WHERE group_id = ? AND extension_id = ?"));
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, g->id);
    stmt_bind_int64(s, 2, ext_id);
    int rc = store_step_done(st, s);
    if (!rc && store_changes(st) == 0)
        return E_NOT_MEMBER;
    return rc;
}

int store_group_member_order(struct store *st, const struct store_group *g, const int64_t *ext_ids,
                             int count)
{
    struct store_stmt *s =
        store_prepare(st, K1(g->kind, "UPDATE ",
                             "_members SET position = ? WHERE group_id = ? AND extension_id = ?"));
    if (!s)
        return E_STORAGE;
    for (int i = 0; i < count; i++) {
        stmt_reset(s);
        stmt_bind_int(s, 1, i + 1);
        stmt_bind_int64(s, 2, g->id);
        stmt_bind_int64(s, 3, ext_ids[i]);
        if (stmt_step(s) != STMT_DONE) {
            int rc = store_fail(st);
            stmt_finalize(s);
            return rc;
        }
    }
    stmt_finalize(s);
    return CORE_OK;
}

static int number_query(struct store *st, const char *sql, int64_t id, int *number)
{
    struct store_stmt *s = store_prepare(st, sql);
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, id);
    *number = 0;
    int rc = stmt_step(s), out = CORE_OK;
    if (rc == STMT_ROW)
        *number = stmt_column_int(s, 0);
    else if (rc != STMT_DONE)
        out = store_fail(st);
    stmt_finalize(s);
    return out;
}

int store_hunt_of_member(struct store *st, int64_t ext_id, int *number)
{
    return number_query(st,
                        "SELECT g.number FROM hunt_members m JOIN hunt_groups g"
                        " ON g.id = m.group_id WHERE m.extension_id = ?",
                        ext_id, number);
}

int store_hunt_of_rep(struct store *st, int64_t ext_id, int *number)
{
    return number_query(st, "SELECT number FROM hunt_groups WHERE rep_extension_id = ?", ext_id,
                        number);
}

struct group_visit {
    int kind;
    store_group_cb cb;
    void *ctx;
};

static int visit_group(struct store_stmt *s, void *ctx)
{
    struct group_visit *v = ctx;
    struct store_group g;
    read_group(s, v->kind, &g);
    return v->cb(&g, v->ctx);
}

int store_group_page(struct store *st, int kind, int64_t site_id,
                     const struct store_group_filter *f, int key, bool before, int limit,
                     store_group_cb cb, void *ctx)
{
    /* One statement per direction so that each walks the (site_id, number)
     * index its own way; the filters are bound, and an extension filter
     * reads the membership keys of each visited group. */
    const char *members = sql_of(kind)->members;
    char sel[512], sql[1400];
    group_select(kind, sel, sizeof sel);
    snprintf(sql, sizeof sql,
             "%s WHERE g.site_id = ?1 AND %s AND (?3 = 0 OR g.number = ?3)"
             " AND (?4 = 0 OR EXISTS (SELECT 1 FROM %s m WHERE m.group_id = g.id"
             " AND m.extension_id = ?4)%s)"
             " ORDER BY g.number %s LIMIT ?5",
             sel, before ? "g.number < ?2" : "g.number > ?2", members,
             kind == CORE_HUNT ? " OR g.rep_extension_id = ?4" : "", before ? "DESC" : "");
    struct store_stmt *s = store_prepare(st, sql);
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    stmt_bind_int(s, 2, key > 0 ? key : (before ? CORE_GROUP_NUMBER_MAX + 1 : 0));
    stmt_bind_int(s, 3, f ? f->number : 0);
    stmt_bind_int64(s, 4, f ? f->ext_id : 0);
    stmt_bind_int(s, 5, limit);
    struct group_visit v = {kind, cb, ctx};
    return store_each_row(st, s, visit_group, &v);
}

struct ext_group_visit {
    store_ext_group_cb cb;
    void *ctx;
};

static int visit_ext_group(struct store_stmt *s, void *ctx)
{
    struct ext_group_visit *v = ctx;
    const char *role = stmt_column_text(s, 0);
    return v->cb(role ? role[0] : 'p', stmt_column_int(s, 1), v->ctx);
}

int store_ext_group_each(struct store *st, int64_t ext_id, store_ext_group_cb cb, void *ctx)
{
    struct store_stmt *s = store_prepare(
        st, "SELECT 'p', g.number, 1 FROM pickup_members m JOIN pickup_groups g"
            " ON g.id = m.group_id WHERE m.extension_id = ?1"
            " UNION ALL SELECT 'h', g.number, 2 FROM hunt_members m JOIN hunt_groups g"
            " ON g.id = m.group_id WHERE m.extension_id = ?1"
            " UNION ALL SELECT 'r', number, 3 FROM hunt_groups WHERE rep_extension_id = ?1"
            " ORDER BY 3, 2");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, ext_id);
    struct ext_group_visit v = {cb, ctx};
    return store_each_row(st, s, visit_ext_group, &v);
}

struct refs_ctx {
    char *refs;
    size_t n;
};

static int add_ref(int role, int number, void *ctx)
{
    struct refs_ctx *r = ctx;
    core_group_refs_add(r->refs, r->n, role, number);
    return 0;
}

int store_ext_groups(struct store *st, int64_t ext_id, char *refs, size_t n)
{
    refs[0] = '\0';
    struct refs_ctx r = {refs, n};
    return store_ext_group_each(st, ext_id, add_ref, &r);
}
