/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PostgreSQL engine (libpq), for several kascond hosts on one
 * database.  Statements are prepared once per connection (PQprepare, then
 * PQexecPrepared with text parameters) on their first step, when the
 * bound values tell which parameters are integers; the rest are left for
 * the server to infer from the SQL.
 *
 * Transactions: READ COMMITTED, and a write transaction first takes one
 * transaction-scoped advisory lock of the database.  That is SQLite's
 * BEGIN IMMEDIATE: one writer at a time, whichever host it runs on, and
 * what the transaction reads after the lock is everything committed
 * before it, so the read-check-write steps of the ops layer (lockout
 * counters, versions, capacity) hold across hosts without retries.
 * A read transaction is REPEATABLE READ: one snapshot, no lock
 * (doc/design.md, "PostgreSQL"). */
#include <config.h>

#ifdef HAVE_LIBPQ

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_internal.h"

#define INT8OID 20

struct pg_stmt {
    struct store_stmt base;
    char *sql; /* with $N */
    int nparams;
    const char **values;
    char **owned;     /* copies of texts, or the text of an integer */
    char *kinds;      /* per parameter: 'i' integer, 'u' left to the server */
    const char *name; /* prepared for these kinds, on this generation */
    unsigned generation;
    char *name_kinds;
    PGresult *res;
    int row, nrows;
    bool executed;
};

#define PS(x) ((struct pg_stmt *)(x))

static struct store_stmt *pg_prepare(struct store *st, const char *sql)
{
    struct pg_stmt *s = calloc(1, sizeof *s);
    if (s)
        s->sql = pg_translate(sql, &s->nparams);
    if (s && s->sql && s->nparams) {
        s->values = calloc((size_t)s->nparams, sizeof *s->values);
        s->owned = calloc((size_t)s->nparams, sizeof *s->owned);
        s->kinds = calloc((size_t)s->nparams + 1, 1);
        s->name_kinds = calloc((size_t)s->nparams + 1, 1);
    }
    if (!s || !s->sql || (s->nparams && (!s->values || !s->owned || !s->kinds || !s->name_kinds))) {
        if (s) {
            free(s->sql);
            free(s->values);
            free(s->owned);
            free(s->kinds);
            free(s->name_kinds);
            free(s);
        }
        pg_message(st, "out of memory");
        return NULL;
    }
    for (int i = 0; i < s->nparams; i++)
        s->kinds[i] = 'u';
    s->base.ops = &store_pg_engine;
    s->base.st = st;
    s->row = -1;
    return &s->base;
}

static void clear_result(struct pg_stmt *s)
{
    PQclear(s->res);
    s->res = NULL;
    s->executed = false;
    s->row = -1;
    s->nrows = 0;
}

/* Binding between steps starts the statement again, as in SQLite after a
 * reset. */
static bool param(struct store_stmt *x, int i)
{
    struct pg_stmt *s = PS(x);
    if (i < 1 || i > s->nparams)
        return false;
    if (s->executed)
        clear_result(s);
    free(s->owned[i - 1]);
    s->owned[i - 1] = NULL;
    s->values[i - 1] = NULL;
    return true;
}

static void pg_bind_int64(struct store_stmt *x, int i, int64_t v)
{
    struct pg_stmt *s = PS(x);
    if (!param(x, i))
        return;
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    s->owned[i - 1] = strdup(buf);
    s->values[i - 1] = s->owned[i - 1];
    s->kinds[i - 1] = 'i';
}

static void pg_bind_text(struct store_stmt *x, int i, const char *v, bool copy)
{
    struct pg_stmt *s = PS(x);
    if (!param(x, i))
        return;
    if (copy)
        s->values[i - 1] = s->owned[i - 1] = strdup(v ? v : "");
    else
        s->values[i - 1] = v ? v : "";
    s->kinds[i - 1] = 'u';
}

static void pg_bind_null(struct store_stmt *x, int i)
{
    struct pg_stmt *s = PS(x);
    if (param(x, i))
        s->kinds[i - 1] = 'u';
}

static unsigned hash(const char *key, size_t n)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    return h;
}

/* The name of the statement prepared on this connection for this SQL and
 * these kinds of parameters, preparing it the first time. */
static const char *prepared_name(struct store *st, struct pg_stmt *s)
{
    struct pg_conn *pc = PC(st);
    if (s->name && s->generation == pc->generation &&
        (!s->nparams || !memcmp(s->name_kinds, s->kinds, (size_t)s->nparams)))
        return s->name;
    size_t sql_len = strlen(s->sql), key_len = sql_len + 1 + (size_t)s->nparams;
    char *key = malloc(key_len);
    if (!key) {
        pg_message(st, "out of memory");
        return NULL;
    }
    memcpy(key, s->sql, sql_len + 1);
    if (s->nparams)
        memcpy(key + sql_len + 1, s->kinds, (size_t)s->nparams);
    unsigned b = hash(key, key_len) % BUCKETS;
    struct prepared *p = pc->buckets[b];
    while (p && (p->key_len != key_len || memcmp(p->key, key, key_len)))
        p = p->next;
    if (!p) {
        Oid *types = calloc((size_t)s->nparams + 1, sizeof *types);
        for (int i = 0; types && i < s->nparams; i++)
            types[i] = s->kinds[i] == 'i' ? INT8OID : 0;
        p = types ? calloc(1, sizeof *p) : NULL;
        if (!p) {
            free(types);
            free(key);
            pg_message(st, "out of memory");
            return NULL;
        }
        snprintf(p->name, sizeof p->name, "k%u", ++pc->named);
        PGresult *r = PQprepare(pc->c, p->name, s->sql, s->nparams, types);
        free(types);
        if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
            pg_message(st, r ? PQresultErrorMessage(r) : PQerrorMessage(pc->c));
            PQclear(r);
            free(p);
            free(key);
            return NULL;
        }
        PQclear(r);
        p->key = key;
        p->key_len = key_len;
        p->next = pc->buckets[b];
        pc->buckets[b] = p;
    } else {
        free(key);
    }
    s->name = p->name;
    s->generation = pc->generation;
    if (s->nparams)
        memcpy(s->name_kinds, s->kinds, (size_t)s->nparams);
    return s->name;
}

/* Integrity violations (SQLSTATE class 23) are SQLite's SQLITE_CONSTRAINT. */
static int result_error(struct store *st, PGresult *r)
{
    pg_message(st, r ? PQresultErrorMessage(r) : PQerrorMessage(PC(st)->c));
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    return state && !strncmp(state, "23", 2) ? STMT_CONSTRAINT : STMT_ERROR;
}

static void count_changes(struct store *st, PGresult *r)
{
    const char *cmd = PQcmdStatus(r);
    if (!strncmp(cmd, "INSERT", 6) || !strncmp(cmd, "UPDATE", 6) || !strncmp(cmd, "DELETE", 6))
        PC(st)->changes = strtoll(PQcmdTuples(r), NULL, 10);
}

static int pg_step(struct store_stmt *x)
{
    struct pg_stmt *s = PS(x);
    struct store *st = x->st;
    if (s->executed && s->row >= s->nrows)
        clear_result(s); /* stepped past the end: run again, as SQLite does */
    if (!s->executed) {
        if (!pg_connected(st)) {
            pg_conn_fail(st);
            return STMT_ERROR;
        }
        const char *name = prepared_name(st, s);
        if (!name)
            return STMT_ERROR;
        s->res = PQexecPrepared(PC(st)->c, name, s->nparams, s->values, NULL, NULL, 0);
        ExecStatusType status = s->res ? PQresultStatus(s->res) : PGRES_FATAL_ERROR;
        /* The server went away since the last statement: once more, on a
         * new connection, when no transaction was open on the old one. */
        if (status == PGRES_FATAL_ERROR && PQstatus(PC(st)->c) == CONNECTION_BAD &&
            !PC(st)->in_tx && pg_connected(st) && (name = prepared_name(st, s))) {
            PQclear(s->res);
            s->res = PQexecPrepared(PC(st)->c, name, s->nparams, s->values, NULL, NULL, 0);
            status = s->res ? PQresultStatus(s->res) : PGRES_FATAL_ERROR;
        }
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            int rc = result_error(st, s->res);
            clear_result(s);
            return rc;
        }
        count_changes(st, s->res);
        s->executed = true;
        s->nrows = status == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
        s->row = -1;
    }
    if (s->row < s->nrows)
        s->row++;
    return s->row < s->nrows ? STMT_ROW : STMT_DONE;
}

static bool has_value(struct pg_stmt *s, int col)
{
    return s->res && s->row >= 0 && s->row < s->nrows && col >= 0 && col < PQnfields(s->res) &&
           !PQgetisnull(s->res, s->row, col);
}

static int64_t pg_column_int64(struct store_stmt *x, int col)
{
    struct pg_stmt *s = PS(x);
    if (!has_value(s, col))
        return 0;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (v[0] == 't' && !v[1])
        return 1; /* a boolean */
    return strtoll(v, NULL, 10);
}

static const char *pg_column_text(struct store_stmt *x, int col)
{
    struct pg_stmt *s = PS(x);
    return has_value(s, col) ? PQgetvalue(s->res, s->row, col) : NULL;
}

static bool pg_column_null(struct store_stmt *x, int col)
{
    return !has_value(PS(x), col);
}

static void pg_reset(struct store_stmt *x)
{
    clear_result(PS(x));
}

static void pg_finalize(struct store_stmt *x)
{
    struct pg_stmt *s = PS(x);
    clear_result(s);
    for (int i = 0; i < s->nparams; i++)
        free(s->owned[i]);
    free(s->owned);
    free(s->values);
    free(s->kinds);
    free(s->name_kinds);
    free(s->sql);
    free(s);
}

static int64_t pg_changes(struct store *st)
{
    return PC(st)->changes;
}

const struct store_engine store_pg_engine = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_int64 = pg_bind_int64,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .column_int64 = pg_column_int64,
    .column_text = pg_column_text,
    .column_null = pg_column_null,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .changes = pg_changes,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .schema_version = pg_schema_version,
    .migrate_one = pg_migrate_one,
    .check_plan = pg_check_plan,
    .backup = pg_backup,
    .analyze = pg_analyze,
    .copy_begin = pg_copy_begin,
    .copy_row = pg_copy_row,
    .copy_end = pg_copy_end,
};

#endif /* HAVE_LIBPQ */
