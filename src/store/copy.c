/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A whole database copied from one store into another, whatever the two
 * engines (kasconctl migrate): every table, read in one snapshot of the
 * source, written in one transaction of the destination, and verified
 * before that transaction commits by the row count and a checksum of
 * every table read back from the destination.
 *
 * The tables and their columns come from the engines' catalogues, so a
 * table a later migration adds is copied without a change here.  Table
 * and column names are identifiers and cannot be bound: they are taken
 * from the catalogue only, and only if they are plain lower-case words.
 *
 * The checksum of a table does not depend on the order of its rows (the
 * engines may sort text differently): copy_digest.c. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

#define NAME_MAX_LEN 64
#define COPY_MAX_COLUMNS 40
#define COPY_CHUNK 5000

struct column {
    char name[NAME_MAX_LEN];
    bool integer; /* bound as an integer in keyset reads */
    bool boolean; /* PostgreSQL boolean: read as 0/1 */
};

struct table {
    char name[NAME_MAX_LEN];
    struct column cols[COPY_MAX_COLUMNS];
    int ncols;
    int pk[COPY_MAX_COLUMNS]; /* indexes into cols, in key order */
    int npk;
};

static bool is_sqlite(const struct store *st)
{
    return st->engine == &store_sqlite_engine;
}

static bool plain_name(const char *s)
{
    if (!*s || strlen(s) >= NAME_MAX_LEN)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

/* fmt has two %.64s: a table and a column name (or ""). */
static int copy_problem(struct store *st, const char *fmt, const char *a, const char *b)
{
    snprintf(st->errmsg, sizeof st->errmsg, fmt, a ? a : "", b ? b : "");
    return E_STORAGE;
}

/* ---- the catalogues ---- */

/* The tables of st in creation order (SQLite) or of creation (PostgreSQL:
 * by oid), partitions left out: they are read through their parent. */
static int list_tables(struct store *st, char (*names)[NAME_MAX_LEN], int max, int *count)
{
    struct store_stmt *s = store_prepare(
        st, is_sqlite(st)
                ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                  " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid"
                : "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                  " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
                  " AND NOT c.relispartition ORDER BY c.oid");
    if (!s)
        return E_STORAGE;
    int rc, n = 0;
    while ((rc = stmt_step(s)) == STMT_ROW) {
        const char *name = stmt_column_text(s, 0);
        /* The engine's own bookkeeping (PostgreSQL's schema_version;
         * SQLite keeps it in the file header) is not the data. */
        if (name && !is_sqlite(st) && !strcmp(name, "schema_version"))
            continue;
        if (!name || !plain_name(name) || n >= max) {
            stmt_finalize(s);
            return copy_problem(st, "table %.64s cannot be copied (name or number of tables)%.64s",
                                name ? name : "?", NULL);
        }
        snprintf(names[n++], NAME_MAX_LEN, "%s", name);
    }
    stmt_finalize(s);
    if (rc != STMT_DONE)
        return store_fail(st);
    *count = n;
    return CORE_OK;
}

static int find_column(const struct table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (!strcmp(t->cols[i].name, name))
            return i;
    return -1;
}

/* The columns of a table in st, with their primary key. */
static int read_columns(struct store *st, const char *table, struct table *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", table);
    struct store_stmt *s = store_prepare(
        st, is_sqlite(st) ? "SELECT name, lower(type), pk FROM pragma_table_info(?1) ORDER BY cid"
                          : "SELECT a.attname, format_type(a.atttypid, NULL),"
                            " coalesce(array_position(i.indkey::int2[], a.attnum), 0)"
                            " FROM pg_attribute a"
                            " LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary"
                            " WHERE a.attrelid = to_regclass(?1) AND a.attnum > 0"
                            " AND NOT a.attisdropped ORDER BY a.attnum");
    if (!s)
        return E_STORAGE;
    stmt_bind_text(s, 1, table);
    int rc, keypos[COPY_MAX_COLUMNS] = {0};
    while ((rc = stmt_step(s)) == STMT_ROW) {
        const char *name = stmt_column_text(s, 0);
        const char *type = stmt_column_text(s, 1);
        if (!name || !plain_name(name) || t->ncols >= COPY_MAX_COLUMNS) {
            stmt_finalize(s);
            return copy_problem(st, "column %.64s.%.64s cannot be copied", table,
                                name ? name : "?");
        }
        struct column *c = &t->cols[t->ncols];
        snprintf(c->name, sizeof c->name, "%s", name);
        type = type ? type : "";
        c->integer = strstr(type, "int") != NULL;
        c->boolean = !strcmp(type, "boolean");
        keypos[t->ncols] = (int)stmt_column_int64(s, 2);
        t->ncols++;
    }
    stmt_finalize(s);
    if (rc != STMT_DONE)
        return store_fail(st);
    if (!t->ncols)
        return copy_problem(st, "table %.64s has no columns%.64s", table, NULL);
    for (int pos = 1; pos <= t->ncols; pos++)
        for (int i = 0; i < t->ncols; i++)
            if (keypos[i] == pos)
                t->pk[t->npk++] = i;
    return CORE_OK;
}

/* ---- reading a table, canonically ---- */

struct sql {
    char text[8192];
    size_t len;
    bool overflow;
};

static void put(struct sql *q, const char *s)
{
    size_t n = strlen(s);
    if (q->len + n >= sizeof q->text) {
        q->overflow = true;
        return;
    }
    memcpy(q->text + q->len, s, n + 1);
    q->len += n;
}

/* The select list: the columns in order, booleans as 0/1. */
static void put_columns(struct sql *q, const struct table *t, bool sqlite)
{
    for (int i = 0; i < t->ncols; i++) {
        if (i)
            put(q, ", ");
        if (t->cols[i].boolean && !sqlite) {
            put(q, "CAST(");
            put(q, t->cols[i].name);
            put(q, " AS integer)");
        } else {
            put(q, t->cols[i].name);
        }
    }
}

/* The keyset read of one chunk: ... WHERE (k1, k2) > (?1, ?2) ORDER BY
 * k1, k2 LIMIT n; the first chunk has no WHERE. */
static struct store_stmt *prepare_chunk(struct store *st, const struct table *t, bool first)
{
    struct sql q = {.len = 0};
    put(&q, "SELECT ");
    put_columns(&q, t, is_sqlite(st));
    put(&q, " FROM ");
    put(&q, t->name);
    if (t->npk && !first) {
        put(&q, " WHERE (");
        for (int k = 0; k < t->npk; k++) {
            put(&q, k ? ", " : "");
            put(&q, t->cols[t->pk[k]].name);
        }
        put(&q, ") > (");
        for (int k = 0; k < t->npk; k++) {
            char p[16];
            snprintf(p, sizeof p, "%s?%d", k ? ", " : "", k + 1);
            put(&q, p);
        }
        put(&q, ")");
    }
    if (t->npk) {
        put(&q, " ORDER BY ");
        for (int k = 0; k < t->npk; k++) {
            put(&q, k ? ", " : "");
            put(&q, t->cols[t->pk[k]].name);
        }
        char lim[32];
        snprintf(lim, sizeof lim, " LIMIT %d", COPY_CHUNK);
        put(&q, lim);
    }
    if (q.overflow) {
        copy_problem(st, "table %.64s: statement too long%.64s", t->name, NULL);
        return NULL;
    }
    return store_prepare(st, q.text);
}

/* Called for every row read; a non-zero return stops the read. */
typedef int (*row_fn)(struct store_stmt *s, void *ctx);

/* Reads every row of t in st (chunk by chunk along the primary key),
 * digesting each and handing it to each (may be NULL). */
static int read_rows(struct store *st, const struct table *t, struct store_digest *d, row_fn each,
                     void *ctx)
{
    char last[COPY_MAX_COLUMNS][256];
    bool first = true;
    for (;;) {
        struct store_stmt *s = prepare_chunk(st, t, first);
        if (!s)
            return E_STORAGE;
        for (int k = 0; !first && k < t->npk; k++) {
            if (t->cols[t->pk[k]].integer)
                stmt_bind_int64(s, k + 1, strtoll(last[k], NULL, 10));
            else
                stmt_bind_text(s, k + 1, last[k]);
        }
        int rc, n = 0;
        while ((rc = stmt_step(s)) == STMT_ROW) {
            if (!store_digest_row(d, s, t->ncols)) {
                stmt_finalize(s);
                return copy_problem(st, "out of memory reading %.64s%.64s", t->name, NULL);
            }
            for (int k = 0; k < t->npk; k++) {
                const char *v = stmt_column_text(s, t->pk[k]);
                if ((size_t)snprintf(last[k], sizeof last[k], "%s", v ? v : "") >= sizeof last[k]) {
                    stmt_finalize(s);
                    return copy_problem(st, "table %.64s: a key longer than 255 bytes%.64s",
                                        t->name, NULL);
                }
            }
            int stop = each ? each(s, ctx) : 0;
            if (stop) {
                stmt_finalize(s);
                return stop;
            }
            n++;
        }
        stmt_finalize(s);
        if (rc != STMT_DONE)
            return store_fail(st);
        if (!t->npk || n < COPY_CHUNK)
            return CORE_OK;
        first = false;
    }
}

static int read_table(struct store *st, const struct table *t, struct store_digest *d, row_fn each,
                      void *ctx)
{
    memset(d, 0, sizeof *d);
    int rc = read_rows(st, t, d, each, ctx);
    free(d->buf);
    d->buf = NULL;
    return rc;
}

/* ---- writing ---- */

struct writer {
    struct store *to;
    struct store_stmt *insert;
    int ncols;
};

static int write_row(struct store_stmt *s, void *ctx)
{
    struct writer *w = ctx;
    for (int i = 0; i < w->ncols; i++) {
        if (stmt_column_null(s, i))
            stmt_bind_null(w->insert, i + 1);
        else
            stmt_bind_text(w->insert, i + 1, stmt_column_text(s, i));
    }
    int rc = stmt_step(w->insert);
    stmt_reset(w->insert);
    return rc == STMT_DONE ? CORE_OK : store_fail(w->to);
}

static struct store_stmt *prepare_insert(struct store *to, const struct table *t)
{
    struct sql q = {.len = 0};
    put(&q, "INSERT INTO ");
    put(&q, t->name);
    put(&q, " (");
    for (int i = 0; i < t->ncols; i++) {
        put(&q, i ? ", " : "");
        put(&q, t->cols[i].name);
    }
    /* Ids are copied as they are, identity columns included. */
    put(&q, is_sqlite(to) ? ") VALUES (" : ") OVERRIDING SYSTEM VALUE VALUES (");
    for (int i = 0; i < t->ncols; i++) {
        char p[16];
        snprintf(p, sizeof p, "%s?%d", i ? ", " : "", i + 1);
        put(&q, p);
    }
    put(&q, ")");
    if (q.overflow) {
        copy_problem(to, "table %.64s: statement too long%.64s", t->name, NULL);
        return NULL;
    }
    return store_prepare(to, q.text);
}

static int exec_on(struct store *st, const char *verb, const char *table, const char *tail)
{
    struct sql q = {.len = 0};
    put(&q, verb);
    put(&q, table);
    put(&q, tail);
    return q.overflow ? E_STORAGE : store_exec_constant(st, q.text);
}

/* After explicit ids, each PostgreSQL sequence continues past the largest. */
static int reset_sequences(struct store *to, const struct table *t)
{
    if (is_sqlite(to))
        return CORE_OK;
    struct store_stmt *s =
        store_prepare(to, "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = to_regclass(?1)"
                          " AND a.attnum > 0 AND NOT a.attisdropped"
                          " AND pg_get_serial_sequence(?1, a.attname) IS NOT NULL");
    if (!s)
        return E_STORAGE;
    stmt_bind_text(s, 1, t->name);
    char cols[COPY_MAX_COLUMNS][NAME_MAX_LEN];
    int rc, n = 0;
    while ((rc = stmt_step(s)) == STMT_ROW && n < COPY_MAX_COLUMNS) {
        const char *c = stmt_column_text(s, 0);
        if (c && plain_name(c))
            snprintf(cols[n++], NAME_MAX_LEN, "%s", c);
    }
    stmt_finalize(s);
    if (rc != STMT_DONE && rc != STMT_ROW)
        return store_fail(to);
    for (int i = 0; i < n; i++) {
        struct sql q = {.len = 0};
        put(&q, "SELECT setval(pg_get_serial_sequence(?1, ?2), coalesce(max(");
        put(&q, cols[i]);
        put(&q, "), 0) + 1, false) FROM ");
        put(&q, t->name);
        struct store_stmt *set = q.overflow ? NULL : store_prepare(to, q.text);
        if (!set)
            return E_STORAGE;
        stmt_bind_text(set, 1, t->name);
        stmt_bind_text(set, 2, cols[i]);
        rc = stmt_step(set);
        stmt_finalize(set);
        if (rc != STMT_ROW)
            return store_fail(to);
    }
    return CORE_OK;
}

/* ---- the copy ---- */

/* A database with no site and no audit entry holds nothing of anyone's. */
static int holds_data(struct store *st, bool *out)
{
    struct store_stmt *s =
        store_prepare(st, "SELECT (SELECT count(*) FROM sites) + (SELECT count(*) FROM audit)");
    if (!s)
        return E_STORAGE;
    int rc = stmt_step(s);
    *out = rc == STMT_ROW && stmt_column_int64(s, 0) > 0;
    stmt_finalize(s);
    return rc == STMT_ROW ? CORE_OK : store_fail(st);
}

static int copy_tables(struct store *from, struct store *to, struct table *tables, int n,
                       struct store_copy_report *rep)
{
    /* Emptied in reverse order of creation (children first); the rows the
     * schema itself made (registrar_state) go too and come back from the
     * source.  With registrar_state empty its triggers queue nothing. */
    for (int i = n - 1; i >= 0; i--)
        if (exec_on(to, "DELETE FROM ", tables[i].name, ""))
            return E_STORAGE;
    for (int i = 0; i < n; i++) {
        struct table *t = &tables[i];
        struct writer w = {.to = to, .insert = prepare_insert(to, t), .ncols = t->ncols};
        if (!w.insert)
            return E_STORAGE;
        struct store_digest d;
        int rc = read_table(from, t, &d, write_row, &w);
        stmt_finalize(w.insert);
        if (rc)
            return rc;
        if (reset_sequences(to, t))
            return E_STORAGE;
        struct store_copy_table *r = &rep->tables[rep->count++];
        snprintf(r->name, sizeof r->name, "%s", t->name);
        r->rows = d.rows;
        store_digest_hex(&d, r->checksum);
    }
    /* Read back: what a trigger added or changed in an earlier table
     * meanwhile shows here and fails the copy. */
    for (int i = 0; i < n; i++) {
        struct store_digest d;
        if (read_table(to, &tables[i], &d, NULL, NULL))
            return E_STORAGE;
        char hex[65];
        store_digest_hex(&d, hex);
        struct store_copy_table *r = &rep->tables[i];
        if (d.rows != r->rows || strcmp(hex, r->checksum)) {
            snprintf(to->errmsg, sizeof to->errmsg,
                     "table %s differs after the copy: %lld rows, checksum %.12s; the source has"
                     " %lld rows, checksum %.12s",
                     r->name, (long long)d.rows, hex, (long long)r->rows, r->checksum);
            return E_STORAGE;
        }
    }
    return CORE_OK;
}

static int copy(struct store *from, struct store *to, bool replace, const struct store_actor *who,
                const char *from_name, struct store_copy_report *rep);

int store_copy(struct store *from, struct store *to, bool replace, const struct store_actor *who,
               const char *from_name, struct store_copy_report *rep)
{
    memset(rep, 0, sizeof *rep);
    from->errmsg[0] = to->errmsg[0] = '\0';
    int rc = copy(from, to, replace, who, from_name, rep);
    /* A problem met reading the source is told through the destination. */
    if (rc && !to->errmsg[0])
        snprintf(to->errmsg, sizeof to->errmsg, "%s", from->errmsg[0] ? from->errmsg : "?");
    return rc;
}

static int copy(struct store *from, struct store *to, bool replace, const struct store_actor *who,
                const char *from_name, struct store_copy_report *rep)
{
    int rc, vf = store_schema_version(from), vt = store_schema_version(to);
    if (vf < 0 || vt < 0)
        return E_STORAGE;
    if (vf != vt) {
        snprintf(to->errmsg, sizeof to->errmsg,
                 "the schema versions differ: %d at the source, %d at the destination", vf, vt);
        return E_STORAGE;
    }
    static char names[STORE_COPY_MAX_TABLES][NAME_MAX_LEN],
        others[STORE_COPY_MAX_TABLES][NAME_MAX_LEN];
    int n = 0, m = 0;
    if (list_tables(from, names, STORE_COPY_MAX_TABLES, &n) ||
        list_tables(to, others, STORE_COPY_MAX_TABLES, &m))
        return E_STORAGE;
    /* The order that creates parents before children: SQLite's creation
     * order when SQLite is at either end. */
    bool order_from_to = is_sqlite(to) && !is_sqlite(from);
    static struct table tables[STORE_COPY_MAX_TABLES];
    int count = 0;
    char(*order)[NAME_MAX_LEN] = order_from_to ? others : names;
    int norder = order_from_to ? m : n;
    for (int i = 0; i < norder; i++) {
        bool in_from = false, in_to = false;
        for (int k = 0; k < n; k++)
            in_from |= !strcmp(names[k], order[i]);
        for (int k = 0; k < m; k++)
            in_to |= !strcmp(others[k], order[i]);
        if (!in_from || !in_to)
            return copy_problem(to, "table %.64s exists at one end only%.64s", order[i], NULL);
        struct table *t = &tables[count++], other;
        if (read_columns(from, order[i], t) || read_columns(to, order[i], &other))
            return E_STORAGE;
        for (int c = 0; c < other.ncols; c++)
            if (find_column(t, other.cols[c].name) < 0)
                return copy_problem(to, "column %.64s.%.64s is missing at the source", t->name,
                                    other.cols[c].name);
        for (int c = 0; c < t->ncols; c++)
            if (find_column(&other, t->cols[c].name) < 0)
                return copy_problem(to, "column %.64s.%.64s is missing at the destination", t->name,
                                    t->cols[c].name);
        /* A key both engines order the same way: the destination's own
         * key if the source reports none. */
        if (!t->npk)
            for (int k = 0; k < other.npk; k++)
                t->pk[t->npk++] = find_column(t, other.cols[other.pk[k]].name);
    }
    for (int i = 0; i < m; i++) {
        bool in_from = false;
        for (int k = 0; k < n; k++)
            in_from |= !strcmp(names[k], others[i]);
        if (!in_from)
            return copy_problem(to, "table %.64s exists at one end only%.64s", others[i], "");
    }
    if (count != n || count != m)
        return copy_problem(to, "the two databases have different tables%.64s%.64s", "", "");

    if (store_begin_read(from))
        return store_fail(from);
    rc = store_begin(to);
    if (rc) {
        store_rollback(from);
        return rc;
    }
    bool full = false;
    rc = holds_data(to, &full);
    if (!rc && full && !replace) {
        snprintf(to->errmsg, sizeof to->errmsg, "%s",
                 "the destination is not empty (it holds sites or audit entries)");
        rc = E_STORAGE;
    }
    if (!rc && is_sqlite(to))
        rc = store_exec_constant(to, "PRAGMA defer_foreign_keys = ON");
    if (!rc)
        rc = copy_tables(from, to, tables, count, rep);
    if (!rc) {
        char after[512];
        long long rows = 0;
        for (int i = 0; i < rep->count; i++)
            rows += rep->tables[i].rows;
        snprintf(after, sizeof after, "%d tables, %lld rows, verified%s", rep->count, rows,
                 replace && full ? "; replaced what the destination held" : "");
        rc = store_audit(to, 0, who, "migrate", from_name, NULL, after);
    }
    store_rollback(from);
    if (rc) {
        store_rollback(to);
        return rc;
    }
    return store_commit(to);
}
