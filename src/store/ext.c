/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Extension profiles and provisioned mobiles (tables extensions, lines):
 * lookups by number, SIP user or web user, pages and counts for the lists,
 * insert and delete, assigning a mobile to an extension and back, the
 * site's counters, and the numbering plan loaded for the prefix rule. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* ---- totals ---- */

int store_counts_add(struct store *st, int64_t site_id, int64_t extensions, int64_t lines,
                     int64_t assigned)
{
    if (!extensions && !lines && !assigned)
        return CORE_OK;
    struct store_stmt *s = store_prepare(
        st, "INSERT INTO site_counts (site_id, extensions, lines, assigned) VALUES (?1, ?2, ?3, ?4)"
            " ON CONFLICT (site_id) DO UPDATE SET"
            " extensions = site_counts.extensions + excluded.extensions,"
            " lines = site_counts.lines + excluded.lines,"
            " assigned = site_counts.assigned + excluded.assigned");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    stmt_bind_int64(s, 2, extensions);
    stmt_bind_int64(s, 3, lines);
    stmt_bind_int64(s, 4, assigned);
    return store_step_done(st, s);
}

/* column: 0 extensions, 1 lines, 2 lines - assigned (unassigned) */
static int counts_get(struct store *st, int64_t site_id, int column, int *count)
{
    struct store_stmt *s = store_prepare(
        st, "SELECT extensions, lines, lines - assigned FROM site_counts WHERE site_id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    int rc = stmt_step(s), out = CORE_OK;
    if (rc == STMT_ROW)
        *count = stmt_column_int(s, column);
    else if (rc == STMT_DONE)
        *count = 0; /* a site with nothing counted yet */
    else
        out = store_fail(st);
    stmt_finalize(s);
    return out;
}

/* ---- lines ---- */

int store_line_add(struct store *st, int64_t site_id, const char *mobile,
                   const struct store_actor *who)
{
    struct store_line existing;
    int rc = store_line_find(st, mobile, &existing);
    if (rc == CORE_OK)
        return existing.site_id == site_id ? E_DUP_LINE : E_LINE_OTHER_SITE;
    if (rc != E_MOBILE_NOT_PROVISIONED)
        return rc;
    struct store_stmt *s = store_prepare(st, "INSERT INTO lines (site_id, mobile) VALUES (?, ?)");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    store_bind_text(s, 2, mobile);
    rc = store_step_done(st, s);
    if (!rc)
        rc = store_counts_add(st, site_id, 0, 1, 0);
    if (rc)
        return rc;
    return store_audit(st, site_id, who, "line.add", mobile, NULL, "provisioned");
}

#define LINE_SELECT                                                                                \
    "SELECT l.id, l.site_id, l.mobile, e.ext FROM lines l"                                         \
    " LEFT JOIN assignments a ON a.line_id = l.id"                                                 \
    " LEFT JOIN extensions e ON e.id = a.extension_id"

static void read_line(struct store_stmt *s, struct store_line *o)
{
    memset(o, 0, sizeof *o);
    o->id = stmt_column_int64(s, 0);
    o->site_id = stmt_column_int64(s, 1);
    store_column_copy(s, 2, o->mobile, sizeof o->mobile);
    store_column_copy(s, 3, o->extension, sizeof o->extension);
}

int store_line_find(struct store *st, const char *mobile, struct store_line *out)
{
    struct store_stmt *s = store_prepare(st, LINE_SELECT " WHERE l.mobile = ?");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, mobile);
    int rc = stmt_step(s), result = E_MOBILE_NOT_PROVISIONED;
    if (rc == STMT_ROW) {
        read_line(s, out);
        result = CORE_OK;
    } else if (rc != STMT_DONE) {
        result = store_fail(st);
    }
    stmt_finalize(s);
    return result;
}

struct line_visit {
    store_line_cb cb;
    void *ctx;
};

static int visit_line(struct store_stmt *s, void *ctx)
{
    struct line_visit *v = ctx;
    struct store_line line;
    read_line(s, &line);
    return v->cb(&line, v->ctx);
}

int store_line_page(struct store *st, int64_t site_id, bool unassigned_only, const char *key,
                    bool before, int limit, store_line_cb cb, void *ctx)
{
    /* One statement per direction rather than a computed order, each
     * walking (site_id, mobile) its own way; the unassigned mobiles walk
     * the partial index of their own (a literal assigned = 0 lets the
     * planner take it), never passing over the assigned ones. */
#define LINE_PAGE(filter)                                                                          \
    LINE_SELECT " WHERE l.site_id = ?1 AND l.mobile > ?2" filter " ORDER BY l.mobile LIMIT ?3",    \
        LINE_SELECT " WHERE l.site_id = ?1 AND (?2 = '' OR l.mobile < ?2)" filter                  \
                    " ORDER BY l.mobile DESC LIMIT ?3"
    static const char *const sql[2][2] = {{LINE_PAGE("")}, {LINE_PAGE(" AND l.assigned = 0")}};
#undef LINE_PAGE
    struct store_stmt *s = store_prepare(st, sql[unassigned_only][before]);
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    store_bind_text(s, 2, key ? key : "");
    stmt_bind_int(s, 3, limit);
    struct line_visit v = {cb, ctx};
    return store_each_row(st, s, visit_line, &v);
}

int store_line_count(struct store *st, int64_t site_id, bool unassigned_only, int *count)
{
    return counts_get(st, site_id, unassigned_only ? 2 : 1, count);
}

/* ---- extensions ---- */

#define EXT_SELECT                                                                                 \
    "SELECT e.id, e.site_id, e.ext, e.is_virtual, e.sip_id, e.sip_password, e.web_user,"           \
    " e.web_pw_hash, l.mobile, e.version,"                                                         \
    " (SELECT count(*) FROM pickup_members p WHERE p.extension_id = e.id)"                         \
    " + (SELECT count(*) FROM hunt_members h WHERE h.extension_id = e.id),"                        \
    " (SELECT r.number FROM hunt_groups r WHERE r.rep_extension_id = e.id)"                        \
    " FROM extensions e LEFT JOIN assignments a ON a.extension_id = e.id"                          \
    " LEFT JOIN lines l ON l.id = a.line_id"

/* What the lists show, in EXT_SELECT's columns: no credentials, no
 * version, and no lookup of a represented hunting group per row. */
#define EXT_LIST_SELECT                                                                            \
    "SELECT e.id, e.site_id, e.ext, e.is_virtual, e.sip_id, NULL, e.web_user, NULL, l.mobile, 0,"  \
    " (SELECT count(*) FROM pickup_members p WHERE p.extension_id = e.id)"                         \
    " + (SELECT count(*) FROM hunt_members h WHERE h.extension_id = e.id), 0"                      \
    " FROM extensions e LEFT JOIN assignments a ON a.extension_id = e.id"                          \
    " LEFT JOIN lines l ON l.id = a.line_id"

static void read_ext(struct store_stmt *s, struct store_ext *o)
{
    memset(o, 0, sizeof *o);
    o->id = stmt_column_int64(s, 0);
    o->site_id = stmt_column_int64(s, 1);
    store_column_copy(s, 2, o->ext, sizeof o->ext);
    o->is_virtual = stmt_column_int(s, 3);
    store_column_copy(s, 4, o->sip_id, sizeof o->sip_id);
    store_column_copy(s, 5, o->sip_password, sizeof o->sip_password);
    store_column_copy(s, 6, o->web_user, sizeof o->web_user);
    store_column_copy(s, 7, o->web_pw_hash, sizeof o->web_pw_hash);
    store_column_copy(s, 8, o->mobile, sizeof o->mobile);
    o->version = stmt_column_int64(s, 9);
    o->group_count = stmt_column_int(s, 10);
    o->rep_of = stmt_column_int(s, 11);
}

static int find_ext_by(struct store *st, const char *where, int64_t site_id, const char *key,
                       struct store_ext *out)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "%s WHERE e.site_id = ? AND %s = ?", EXT_SELECT, where);
    struct store_stmt *s = store_prepare(st, sql);
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    store_bind_text(s, 2, key);
    int rc = stmt_step(s), result = E_EXT_NOT_FOUND;
    if (rc == STMT_ROW) {
        read_ext(s, out);
        result = CORE_OK;
    } else if (rc != STMT_DONE) {
        result = store_fail(st);
    }
    stmt_finalize(s);
    return result;
}

int store_ext_find(struct store *st, int64_t site_id, const char *ext, struct store_ext *out)
{
    return find_ext_by(st, "e.ext", site_id, ext, out);
}

int store_ext_find_sip_id(struct store *st, int64_t site_id, const char *sip_id,
                          struct store_ext *out)
{
    return find_ext_by(st, "e.sip_id", site_id, sip_id, out);
}

int store_ext_find_web_user(struct store *st, int64_t site_id, const char *web_user,
                            struct store_ext *out)
{
    return find_ext_by(st, "e.web_user", site_id, web_user, out);
}

int store_ext_insert(struct store *st, struct store_ext *ext, const struct store_actor *who)
{
    struct store_ext other;
    int rc = store_ext_find(st, ext->site_id, ext->ext, &other);
    if (rc == CORE_OK)
        return E_DUP_EXTENSION;
    if (rc != E_EXT_NOT_FOUND)
        return rc;
    if (store_ext_find_sip_id(st, ext->site_id, ext->sip_id, &other) == CORE_OK)
        return E_DUP_SIP_ID;
    if (ext->web_user[0] &&
        store_ext_find_web_user(st, ext->site_id, ext->web_user, &other) == CORE_OK)
        return E_DUP_WEB_USER;
    struct store_admin admin;
    if (ext->web_user[0] && store_admin_find(st, ext->site_id, ext->web_user, &admin) == CORE_OK)
        return E_WEB_USER_ADMIN;
    struct store_stmt *s = store_prepare(
        st, "INSERT INTO extensions (site_id, ext, ext_num, is_virtual, sip_id, sip_password,"
            " web_user, web_pw_hash) VALUES (?,?,?,?,?,?,?,?) RETURNING id");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, ext->site_id);
    store_bind_text(s, 2, ext->ext);
    stmt_bind_int64(s, 3, strtoll(ext->ext, NULL, 10));
    stmt_bind_int(s, 4, ext->is_virtual);
    store_bind_text(s, 5, ext->sip_id);
    store_bind_text(s, 6, ext->sip_password);
    store_bind_opt(s, 7, ext->web_user);
    store_bind_opt(s, 8, ext->web_pw_hash);
    rc = store_step_id(st, s, &ext->id);
    if (!rc)
        rc = store_counts_add(st, ext->site_id, 1, 0, 0);
    if (rc)
        return rc;
    ext->version = 1;
    char after[160];
    snprintf(after, sizeof after, "virtual=%d sip_id=%s web_user=%s", ext->is_virtual, ext->sip_id,
             ext->web_user[0] ? ext->web_user : "-");
    return store_audit(st, ext->site_id, who, "ext.add", ext->ext, NULL, after);
}

static int exec_with_id(struct store *st, const char *sql, int64_t id)
{
    struct store_stmt *s = store_prepare(st, sql);
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, id);
    return store_step_done(st, s);
}

int store_ext_delete(struct store *st, int64_t site_id, const char *ext, bool force,
                     const struct store_actor *who)
{
    struct store_ext e;
    int rc = store_ext_find(st, site_id, ext, &e);
    if (rc)
        return rc;
    if (e.mobile[0])
        return E_DELETE_ASSIGNED;
    if (e.rep_of)
        return E_DELETE_REPRESENTATIVE;
    char groups[256] = "";
    if (e.group_count > 0) {
        if (!force)
            return E_DELETE_IN_GROUP;
        if ((rc = store_ext_groups(st, e.id, groups, sizeof groups)))
            return rc;
        /* The groups changed: an administrator editing one must reload. */
        if ((rc = exec_with_id(st,
                               "UPDATE pickup_groups SET version = version + 1 WHERE id IN"
                               " (SELECT group_id FROM pickup_members WHERE extension_id = ?)",
                               e.id)) ||
            (rc = exec_with_id(st,
                               "UPDATE hunt_groups SET version = version + 1 WHERE id IN"
                               " (SELECT group_id FROM hunt_members WHERE extension_id = ?)",
                               e.id)) ||
            (rc = exec_with_id(st, "DELETE FROM pickup_members WHERE extension_id = ?", e.id)) ||
            (rc = exec_with_id(st, "DELETE FROM hunt_members WHERE extension_id = ?", e.id)))
            return rc;
    }
    if ((rc = exec_with_id(st, "DELETE FROM forwarding WHERE extension_id = ?", e.id)) ||
        (rc = exec_with_id(st, "DELETE FROM extensions WHERE id = ?", e.id)) ||
        (rc = store_counts_add(st, site_id, -1, 0, 0)))
        return rc;
    char before[400];
    snprintf(before, sizeof before, "virtual=%d sip_id=%s web_user=%s groups=%s", e.is_virtual,
             e.sip_id, e.web_user[0] ? e.web_user : "-", groups[0] ? groups : "-");
    return store_audit(st, site_id, who, force && groups[0] ? "ext.force_delete" : "ext.delete",
                       e.ext, before, NULL);
}

int store_ext_count(struct store *st, int64_t site_id, int *count)
{
    return counts_get(st, site_id, 0, count);
}

struct ext_visit {
    store_ext_cb cb;
    void *ctx;
};

static int visit_ext(struct store_stmt *s, void *ctx)
{
    struct ext_visit *v = ctx;
    struct store_ext e;
    read_ext(s, &e);
    return v->cb(&e, v->ctx);
}

static int ext_page(struct store *st, bool full, int64_t site_id, int virtual_filter,
                    const char *key, bool before, int limit, store_ext_cb cb, void *ctx)
{
    /* The virtual and the ordinary profiles have a partial index each (a
     * site has a few virtual ones among 100,000 ordinary ones, often in a
     * number range of their own); the filter is a literal in the
     * statement so that the planner uses it.  The list of all walks
     * (site_id, ext_num). */
#define EXT_PAGE(select, filter)                                                                   \
    select " WHERE e.site_id = ?1 AND e.ext_num > ?2" filter " ORDER BY e.ext_num LIMIT ?4",       \
        select " WHERE e.site_id = ?1 AND e.ext_num < ?2" filter                                   \
               " ORDER BY e.ext_num DESC LIMIT ?4"
#define EXT_PAGES(select)                                                                          \
    {                                                                                              \
        {EXT_PAGE(select, " AND ?3 < 0")}, {EXT_PAGE(select, " AND e.is_virtual = 0 AND ?3 = 0")}, \
        {                                                                                          \
            EXT_PAGE(select, " AND e.is_virtual = 1 AND ?3 = 1")                                   \
        }                                                                                          \
    }
    static const char *const sql[2][3][2] = {EXT_PAGES(EXT_LIST_SELECT), EXT_PAGES(EXT_SELECT)};
#undef EXT_PAGES
#undef EXT_PAGE
    int which = virtual_filter < 0 ? 0 : virtual_filter ? 2 : 1;
    struct store_stmt *s = store_prepare(st, sql[full][which][before]);
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    long long bound = key && *key ? strtoll(key, NULL, 10) : (before ? INT64_MAX : -1);
    stmt_bind_int64(s, 2, bound);
    stmt_bind_int(s, 3, virtual_filter < 0 ? -1 : virtual_filter ? 1 : 0);
    stmt_bind_int(s, 4, limit);
    struct ext_visit v = {cb, ctx};
    return store_each_row(st, s, visit_ext, &v);
}

int store_ext_page(struct store *st, int64_t site_id, int virtual_filter, const char *key,
                   bool before, int limit, store_ext_cb cb, void *ctx)
{
    return ext_page(st, true, site_id, virtual_filter, key, before, limit, cb, ctx);
}

int store_ext_list_page(struct store *st, int64_t site_id, int virtual_filter, const char *key,
                        bool before, int limit, store_ext_cb cb, void *ctx)
{
    return ext_page(st, false, site_id, virtual_filter, key, before, limit, cb, ctx);
}

int store_assign(struct store *st, int64_t site_id, const char *ext, const char *mobile,
                 const struct store_actor *who)
{
    struct store_ext e;
    int rc = store_ext_find(st, site_id, ext, &e);
    if (rc)
        return rc;
    if (e.is_virtual)
        return E_VIRTUAL_ASSIGN;
    if (e.mobile[0])
        return E_EXT_HAS_MOBILE;
    struct store_line line;
    rc = store_line_find(st, mobile, &line);
    if (rc)
        return rc;
    if (line.site_id != site_id)
        return E_MOBILE_NOT_PROVISIONED;
    if (line.extension[0])
        return E_MOBILE_ASSIGNED;
    struct store_stmt *s =
        store_prepare(st, "INSERT INTO assignments (extension_id, line_id) VALUES (?, ?)");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, e.id);
    stmt_bind_int64(s, 2, line.id);
    if ((rc = store_step_done(st, s)) ||
        (rc = exec_with_id(st, "UPDATE lines SET assigned = 1 WHERE id = ?", line.id)) ||
        (rc = store_counts_add(st, site_id, 0, 0, 1)))
        return rc;
    if ((rc = exec_with_id(st, "UPDATE extensions SET version = version + 1 WHERE id = ?", e.id)))
        return rc;
    return store_audit(st, site_id, who, "ext.assign", ext, "mobile=-", mobile);
}

int store_unassign(struct store *st, int64_t site_id, const char *ext, const char *mobile,
                   const struct store_actor *who)
{
    struct store_ext e;
    int rc = store_ext_find(st, site_id, ext, &e);
    if (rc)
        return rc;
    if (!e.mobile[0] || (mobile && *mobile && strcmp(mobile, e.mobile)))
        return E_MOBILE_NOT_ASSIGNED;
    if ((rc = exec_with_id(st,
                           "UPDATE lines SET assigned = 0 WHERE id ="
                           " (SELECT line_id FROM assignments WHERE extension_id = ?)",
                           e.id)) ||
        (rc = exec_with_id(st, "DELETE FROM assignments WHERE extension_id = ?", e.id)) ||
        (rc = store_counts_add(st, site_id, 0, 0, -1)) ||
        (rc = exec_with_id(st, "UPDATE extensions SET version = version + 1 WHERE id = ?", e.id)))
        return rc;
    return store_audit(st, site_id, who, "ext.unassign", ext, e.mobile, "mobile=-");
}

/* ---- numbering plan ---- */

static int plan_add_checked(struct core_plan *plan, int kind, const char *value)
{
    return core_plan_add(plan, kind, value) ? E_STORAGE : CORE_OK;
}

int store_plan_load(struct store *st, int64_t site_id, struct core_plan *plan)
{
    struct store_site site;
    int rc = store_site_get(st, site_id, &site);
    if (rc)
        return rc;
    if (plan_add_checked(plan, PLAN_SITE_NUMBER, site.site_number) ||
        plan_add_checked(plan, PLAN_GW_ID, site.gw_id) ||
        plan_add_checked(plan, PLAN_PARK_CODE, site.park_code) ||
        plan_add_checked(plan, PLAN_PICKUP_CODE, site.pickup_code) ||
        plan_add_checked(plan, PLAN_GROUP_PICKUP_CODE, site.group_pickup_code) ||
        plan_add_checked(plan, PLAN_HOLD_CODE, site.hold_code) ||
        plan_add_checked(plan, PLAN_DIAL_CONFIRM_CODE, site.dial_confirm_code) ||
        plan_add_checked(plan, PLAN_DTMF_SEND_CODE, site.dtmf_send_code))
        return E_STORAGE;
    struct store_stmt *s = store_prepare(st, "SELECT ext FROM extensions WHERE site_id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    while ((rc = stmt_step(s)) == STMT_ROW) {
        if (core_plan_add(plan, PLAN_EXTENSION, stmt_column_text(s, 0))) {
            stmt_finalize(s);
            return E_STORAGE;
        }
    }
    int out = rc == STMT_DONE ? CORE_OK : store_fail(st);
    stmt_finalize(s);
    return out;
}
