/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bulk changes of extension profiles (一括登録, 一括削除), set-wise.  The
 * checked rows are staged in a TEMP table before the write transaction
 * (temp tables take no lock on the database); the apply then writes
 * extensions, assignments and the audit with a few INSERT ... SELECT and
 * DELETE ... IN statements, so the write lock is held for the B-tree work
 * alone: no per-row statement, no hashing, no checking. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

struct store_bulk {
    struct store *st;
    int64_t site_id;
    struct store_stmt *stage;
    long staged, created; /* rows staged; new profiles among them */
};

static int exec_constant(struct store *st, const char *sql)
{
    struct store_stmt *s = store_prepare(st, sql);
    return s ? store_step_done(st, s) : E_STORAGE;
}

void store_bulk_close(struct store_bulk *b)
{
    if (!b)
        return;
    stmt_finalize(b->stage);
    exec_constant(b->st, "DROP TABLE IF EXISTS bulk_rows");
    /* Thousands of rows more or less: the lists' plans are made for the
     * new size at once, not when autovacuum comes round. */
    if (b->staged >= 1000)
        store_analyze(b->st);
    free(b);
}

int store_bulk_open(struct store *st, int64_t site_id, struct store_bulk **out)
{
    *out = NULL;
    struct store_bulk *b = calloc(1, sizeof *b);
    if (!b)
        return E_NO_MEMORY;
    b->st = st;
    b->site_id = site_id;
    int rc = exec_constant(st, "DROP TABLE IF EXISTS bulk_rows");
    if (!rc)
        rc = exec_constant(st, "CREATE TEMP TABLE bulk_rows ("
                               " no INTEGER PRIMARY KEY, ext TEXT NOT NULL, ext_num INTEGER,"
                               " sip_id TEXT, sip_password TEXT, web_user TEXT, web_pw_hash TEXT,"
                               " mobile TEXT, ext_id INTEGER, line_id INTEGER, new_seq INTEGER)");
    if (!rc && !(b->stage = store_prepare(st, "INSERT INTO bulk_rows VALUES"
                                              " (?,?,?,?,?,?,?,?,?,?,?)")))
        rc = E_STORAGE;
    /* One transaction for the staging: it writes the temp table only, so
     * it takes no lock on the database file. */
    if (!rc)
        rc = exec_constant(st, "BEGIN");
    if (rc) {
        store_bulk_close(b);
        return rc;
    }
    *out = b;
    return CORE_OK;
}

static void bind_id(struct store_stmt *s, int i, int64_t id)
{
    if (id)
        stmt_bind_int64(s, i, id);
    else
        stmt_bind_null(s, i);
}

/* The strings stay put until the step: bound without a copy. */
static void bind_str(struct store_stmt *s, int i, const char *v)
{
    if (v && *v)
        stmt_bind_text_ref(s, i, v);
    else
        stmt_bind_null(s, i);
}

int store_bulk_stage(struct store_bulk *b, const struct store_bulk_row *r)
{
    struct store_stmt *s = b->stage;
    stmt_bind_int64(s, 1, r->no);
    stmt_bind_text_ref(s, 2, r->ext);
    stmt_bind_int64(s, 3, strtoll(r->ext, NULL, 10));
    bind_str(s, 4, r->sip_id);
    bind_str(s, 5, r->sip_password);
    bind_str(s, 6, r->web_user);
    bind_str(s, 7, r->web_pw_hash);
    bind_str(s, 8, r->mobile);
    bind_id(s, 9, r->ext_id);
    bind_id(s, 10, r->line_id);
    /* A new profile's place among the new ones: its id is the highest
     * id at apply time plus this (see store_bulk_apply_register). */
    if (r->new_profile)
        stmt_bind_int64(s, 11, ++b->created);
    else
        stmt_bind_null(s, 11);
    int rc = stmt_step(s);
    stmt_reset(s);
    if (rc != STMT_DONE)
        return store_fail(b->st);
    b->staged++;
    return CORE_OK;
}

int store_bulk_staged(struct store_bulk *b)
{
    stmt_finalize(b->stage);
    b->stage = NULL;
    return exec_constant(b->st, "COMMIT");
}

/* A constraint that fails now passed the checks against the snapshot:
 * another session changed the site in between. */
static int run(struct store_bulk *b, struct store_stmt *s)
{
    if (!s)
        return E_STORAGE;
    int rc = stmt_step(s);
    int out = CORE_OK;
    if (rc == STMT_CONSTRAINT) {
        store_fail(b->st);
        out = E_CHANGED_MEANWHILE;
    } else if (rc != STMT_DONE && rc != STMT_ROW) {
        out = store_fail(b->st);
    }
    stmt_finalize(s);
    return out;
}

static struct store_stmt *with_site(struct store_bulk *b, const char *sql)
{
    struct store_stmt *s = store_prepare(b->st, sql);
    if (s)
        stmt_bind_int64(s, 1, b->site_id);
    return s;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The site's group members and hunting group representatives, one id per
 * membership, sorted: a site has a few hundred, read from the groups'
 * own keys rather than looked up for each of its 100,000 profiles. */
static int grouped_ids(struct store *st, int64_t site_id, int64_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *s = store_prepare(
        st, "SELECT m.extension_id FROM pickup_groups g JOIN pickup_members m ON m.group_id = g.id"
            " WHERE g.site_id = ?1"
            " UNION ALL SELECT m.extension_id FROM hunt_groups g"
            " JOIN hunt_members m ON m.group_id = g.id WHERE g.site_id = ?1"
            " UNION ALL SELECT rep_extension_id FROM hunt_groups WHERE site_id = ?1");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    size_t cap = 0;
    int rc;
    while ((rc = stmt_step(s)) == STMT_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            int64_t *more = realloc(*out, cap * sizeof *more);
            if (!more) {
                stmt_finalize(s);
                return E_NO_MEMORY;
            }
            *out = more;
        }
        (*out)[(*n)++] = stmt_column_int64(s, 0);
    }
    int result = rc == STMT_DONE ? CORE_OK : store_fail(st);
    stmt_finalize(s);
    if (!result && *n)
        qsort(*out, *n, sizeof **out, cmp_id);
    return result;
}

/* How many times id is in the sorted ids. */
static int occurrences(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    int count = 0;
    while (lo < n && ids[lo++] == id)
        count++;
    return count;
}

int store_bulk_site_exts(struct store *st, int64_t site_id, bool with_groups, store_bulk_ext_cb cb,
                         void *ctx)
{
    /* Group memberships (and a hunting group's representative) matter to
     * a delete only. */
    int64_t *grouped = NULL;
    size_t ngrouped = 0;
    int rc = with_groups ? grouped_ids(st, site_id, &grouped, &ngrouped) : CORE_OK;
    struct store_stmt *s =
        rc ? NULL
           : store_prepare(st, "SELECT e.id, e.ext, e.sip_id, e.web_user, e.is_virtual, l.mobile"
                               " FROM extensions e LEFT JOIN assignments a ON a.extension_id = e.id"
                               " LEFT JOIN lines l ON l.id = a.line_id WHERE e.site_id = ?");
    if (!s) {
        free(grouped);
        return rc ? rc : E_STORAGE;
    }
    stmt_bind_int64(s, 1, site_id);
    while ((rc = stmt_step(s)) == STMT_ROW) {
        const char *v;
        int64_t id = stmt_column_int64(s, 0);
        struct store_bulk_ext e = {.id = id,
                                   .ext = (v = stmt_column_text(s, 1)) ? v : "",
                                   .sip_id = (v = stmt_column_text(s, 2)) ? v : "",
                                   .web_user = (v = stmt_column_text(s, 3)) ? v : "",
                                   .is_virtual = stmt_column_int(s, 4),
                                   .mobile = (v = stmt_column_text(s, 5)) ? v : "",
                                   .groups = ngrouped ? occurrences(grouped, ngrouped, id) : 0};
        int stop = cb(&e, ctx);
        if (stop) {
            stmt_finalize(s);
            free(grouped);
            return stop;
        }
    }
    int out = rc == STMT_DONE ? CORE_OK : store_fail(st);
    stmt_finalize(s);
    free(grouped);
    return out;
}

int store_bulk_site_lines(struct store *st, int64_t site_id, store_bulk_line_cb cb, void *ctx)
{
    struct store_stmt *s = store_prepare(st, "SELECT l.id, l.mobile, e.ext FROM lines l"
                                             " LEFT JOIN assignments a ON a.line_id = l.id"
                                             " LEFT JOIN extensions e ON e.id = a.extension_id"
                                             " WHERE l.site_id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    int rc;
    while ((rc = stmt_step(s)) == STMT_ROW) {
        const char *v;
        struct store_bulk_line l = {.id = stmt_column_int64(s, 0),
                                    .mobile = (v = stmt_column_text(s, 1)) ? v : "",
                                    .ext = (v = stmt_column_text(s, 2)) ? v : ""};
        int stop = cb(&l, ctx);
        if (stop) {
            stmt_finalize(s);
            return stop;
        }
    }
    int out = rc == STMT_DONE ? CORE_OK : store_fail(st);
    stmt_finalize(s);
    return out;
}

int store_bulk_site_state(struct store *st, int64_t site_id, struct store_bulk_guard *out)
{
    struct store_stmt *s = store_prepare(
        st, "SELECT count(*), coalesce(max(id), 0) FROM extensions WHERE site_id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    int rc = stmt_step(s);
    if (rc == STMT_ROW) {
        out->count = stmt_column_int64(s, 0);
        out->max_id = stmt_column_int64(s, 1);
    }
    int result = rc == STMT_ROW ? CORE_OK : store_fail(st);
    stmt_finalize(s);
    return result;
}

/* The one audit entry of the operation, then its rows in compact form. */
static int audit(struct store_bulk *b, const struct store_bulk_summary *sum,
                 const struct store_actor *who, const char *detail_sql)
{
    char after[256];
    snprintf(after, sizeof after, "rows=%ld created=%ld assigned=%ld deleted=%ld sha256=%s",
             sum->rows, sum->created, sum->assigned, sum->deleted, sum->sha256);
    int64_t audit_id = 0;
    int rc = store_audit_id(b->st, b->site_id, who, sum->action, sum->file, NULL, after, &audit_id);
    if (rc)
        return rc;
    struct store_stmt *s = store_prepare(b->st, detail_sql);
    if (s)
        stmt_bind_int64(s, 1, audit_id);
    return run(b, s);
}

/* The highest extension id of any site: new profiles get the ids after
 * it, in file order, so that their assignments need no lookup by number
 * and the inserts append to the table's B-tree. */
static int max_ext_id(struct store_bulk *b, int64_t *out)
{
    struct store_stmt *s = store_prepare(b->st, "SELECT coalesce(max(id), 0) FROM extensions");
    if (!s)
        return E_STORAGE;
    int rc = stmt_step(s);
    if (rc == STMT_ROW)
        *out = stmt_column_int64(s, 0);
    int result = rc == STMT_ROW ? CORE_OK : store_fail(b->st);
    stmt_finalize(s);
    return result;
}

int store_bulk_apply_register(struct store_bulk *b, const struct store_bulk_guard *guard,
                              const struct store_bulk_summary *sum, const struct store_actor *who)
{
    struct store_bulk_guard now;
    int64_t base = 0;
    int rc = store_bulk_site_state(b->st, b->site_id, &now);
    if (!rc && (now.count != guard->count || now.max_id != guard->max_id))
        rc = E_CHANGED_MEANWHILE;
    if (!rc)
        rc = max_ext_id(b, &base);
    struct store_stmt *s = NULL;
    if (!rc && (s = with_site(b, "INSERT INTO extensions (id, site_id, ext, ext_num, is_virtual,"
                                 " sip_id, sip_password, web_user, web_pw_hash)"
                                 " SELECT ?2 + new_seq, ?1, ext, ext_num, 0, sip_id, sip_password,"
                                 " web_user, web_pw_hash FROM bulk_rows"
                                 " WHERE new_seq IS NOT NULL ORDER BY no")))
        stmt_bind_int64(s, 2, base);
    if (!rc)
        rc = run(b, s);
    int64_t created = rc ? 0 : store_changes(b->st), assigned = 0;
    s = NULL;
    if (!rc && (s = store_prepare(b->st, "INSERT INTO assignments (extension_id, line_id)"
                                         " SELECT coalesce(ext_id, ?1 + new_seq), line_id"
                                         " FROM bulk_rows WHERE line_id IS NOT NULL"
                                         " ORDER BY no")))
        stmt_bind_int64(s, 1, base);
    if (!rc)
        rc = run(b, s);
    if (!rc)
        assigned = store_changes(b->st);
    /* The totals and the lines' flag, in the same transaction. */
    if (!rc && assigned)
        rc = run(b, store_prepare(b->st,
                                  "UPDATE lines SET assigned = 1 WHERE id IN"
                                  " (SELECT line_id FROM bulk_rows WHERE line_id IS NOT NULL)"));
    if (!rc)
        rc = store_counts_add(b->st, b->site_id, created, 0, assigned);
    if (!rc)
        rc = audit(b, sum, who,
                   "INSERT INTO audit_rows (audit_id, row, action, object, detail)"
                   " SELECT ?1, no, CASE WHEN new_seq IS NOT NULL THEN 'ext.add' ELSE 'ext.assign'"
                   " END, ext, coalesce(mobile, '-') FROM bulk_rows");
    return rc;
}

int store_bulk_apply_delete(struct store_bulk *b, const struct store_bulk_summary *sum,
                            const struct store_actor *who)
{
    /* Every profile is still there with the mobile the file names. */
    struct store_stmt *s =
        with_site(b, "SELECT count(*) FROM bulk_rows r JOIN extensions e ON e.id = r.ext_id"
                     " AND e.site_id = ?1 LEFT JOIN assignments a ON a.extension_id = e.id"
                     " LEFT JOIN lines l ON l.id = a.line_id WHERE coalesce(l.mobile, '') = "
                     "coalesce(r.mobile, '')");
    if (!s)
        return E_STORAGE;
    int rc = stmt_step(s) == STMT_ROW ? CORE_OK : store_fail(b->st);
    if (!rc && stmt_column_int64(s, 0) != b->staged)
        rc = E_CHANGED_MEANWHILE;
    stmt_finalize(s);
    /* The lines first, while their assignments say which they are; the
     * totals by what each delete removed. */
    static const char *const deletes[] = {
        "UPDATE lines SET assigned = 0 WHERE id IN (SELECT a.line_id FROM assignments a"
        " WHERE a.extension_id IN (SELECT ext_id FROM bulk_rows))",
        "DELETE FROM assignments WHERE extension_id IN (SELECT ext_id FROM bulk_rows)",
        "DELETE FROM forwarding WHERE extension_id IN (SELECT ext_id FROM bulk_rows)",
        "DELETE FROM extensions WHERE id IN (SELECT ext_id FROM bulk_rows)",
    };
    int64_t removed[4] = {0};
    for (size_t i = 0; !rc && i < sizeof deletes / sizeof deletes[0]; i++) {
        rc = run(b, store_prepare(b->st, deletes[i]));
        removed[i] = rc ? 0 : store_changes(b->st);
    }
    if (!rc)
        rc = store_counts_add(b->st, b->site_id, -removed[3], 0, -removed[1]);
    if (!rc)
        rc = audit(b, sum, who,
                   "INSERT INTO audit_rows (audit_id, row, action, object, detail)"
                   " SELECT ?1, no, 'ext.delete', ext, coalesce(mobile, '-') FROM bulk_rows");
    return rc;
}
