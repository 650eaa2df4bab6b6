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

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* The key of the database's write lock (pg_advisory_xact_lock): "kascon". */
#define WRITE_LOCK_KEY "7020396006551022"
#define INT8OID 20
#define BUCKETS 256

struct prepared {
    char *key; /* the SQL, then a NUL and the parameters' kinds */
    size_t key_len;
    char name[16];
    struct prepared *next;
};

struct pg_conn {
    PGconn *c;
    struct prepared *buckets[BUCKETS];
    unsigned named;
    unsigned generation; /* of the connection: a reset forgets what was prepared */
    bool in_tx;          /* between our BEGIN and COMMIT/ROLLBACK */
    int64_t changes;
};

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

#define PC(st) ((struct pg_conn *)(st)->conn)
#define PS(x) ((struct pg_stmt *)(x))

static void pg_message(struct store *st, const char *msg)
{
    snprintf(st->errmsg, sizeof st->errmsg, "%s", msg && *msg ? msg : "PostgreSQL error");
    size_t n = strlen(st->errmsg);
    while (n && (st->errmsg[n - 1] == '\n' || st->errmsg[n - 1] == ' '))
        st->errmsg[--n] = '\0';
}

static int pg_conn_fail(struct store *st)
{
    pg_message(st, PQerrorMessage(PC(st)->c));
    return E_STORAGE;
}

/* Runs constant text (several statements at once: schema, transaction
 * control); the last result decides. */
static void forget_prepared(struct pg_conn *pc)
{
    for (int b = 0; b < BUCKETS; b++) {
        for (struct prepared *p = pc->buckets[b], *next; p; p = next) {
            next = p->next;
            free(p->key);
            free(p);
        }
        pc->buckets[b] = NULL;
    }
    pc->generation++;
}

/* A connection lost between transactions (a server restart, a failover
 * to the replica) is opened again; one lost inside a transaction is not:
 * the transaction failed, and its caller rolls back. */
static bool connected(struct store *st)
{
    struct pg_conn *pc = PC(st);
    if (PQstatus(pc->c) == CONNECTION_OK)
        return true;
    if (pc->in_tx)
        return false;
    PQreset(pc->c);
    if (PQstatus(pc->c) != CONNECTION_OK)
        return false;
    forget_prepared(pc);
    PGresult *r = PQexec(pc->c, "SET client_encoding = 'UTF8'; SET lock_timeout = '10s'");
    PQclear(r);
    return true;
}

static int pg_exec(struct store *st, const char *sql)
{
    if (!connected(st))
        return pg_conn_fail(st);
    PGresult *r = PQexec(PC(st)->c, sql);
    ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_FATAL_ERROR && PQstatus(PC(st)->c) == CONNECTION_BAD && !PC(st)->in_tx &&
        connected(st)) {
        PQclear(r); /* as in pg_step: once more on a new connection */
        r = PQexec(PC(st)->c, sql);
        status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    }
    int rc = CORE_OK;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        pg_message(st, r ? PQresultErrorMessage(r) : PQerrorMessage(PC(st)->c));
        rc = E_STORAGE;
    } else if (!strcmp(sql, "COMMIT") && !strcmp(PQcmdStatus(r), "ROLLBACK")) {
        /* A transaction that failed part-way ends as a rollback. */
        pg_message(st, "the transaction failed and was rolled back");
        rc = E_STORAGE;
    }
    PQclear(r);
    return rc;
}

/* ?N becomes $N; a bare ? the next number after the highest so far, as
 * SQLite numbers them.  Quoted text and names are left alone. */
static char *translate(const char *sql, int *nparams)
{
    size_t len = strlen(sql);
    size_t cap = len * 4 + 1; /* a bare ? becomes at most $999 */
    char *out = malloc(cap);
    if (!out)
        return NULL;
    char *o = out, quote = 0;
    int max = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            *o++ = *p;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
            *o++ = *p;
        } else if (*p == '?') {
            int n = 0;
            while (p[1] >= '0' && p[1] <= '9')
                n = n * 10 + (*++p - '0');
            if (!n)
                n = max + 1;
            if (n > max)
                max = n;
            o += snprintf(o, cap - (size_t)(o - out), "$%d", n);
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    *nparams = max;
    return out;
}

static struct store_stmt *pg_prepare(struct store *st, const char *sql)
{
    struct pg_stmt *s = calloc(1, sizeof *s);
    if (s)
        s->sql = translate(sql, &s->nparams);
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
        if (!connected(st)) {
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
            !PC(st)->in_tx && connected(st) && (name = prepared_name(st, s))) {
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

static void pg_rollback(struct store *st)
{
    struct pg_conn *pc = PC(st);
    PGTransactionStatusType t = PQtransactionStatus(pc->c);
    if (t != PQTRANS_IDLE && t != PQTRANS_UNKNOWN)
        PQclear(PQexec(pc->c, "ROLLBACK"));
    pc->in_tx = false;
}

static int pg_begin(struct store *st, bool write)
{
    int rc = pg_exec(st, write ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                               : "BEGIN ISOLATION LEVEL REPEATABLE READ");
    PC(st)->in_tx = !rc;
    if (!rc && write && (rc = pg_exec(st, "SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")")))
        pg_rollback(st);
    return rc;
}

static int pg_commit(struct store *st)
{
    int rc = pg_exec(st, "COMMIT");
    PC(st)->in_tx = false;
    return rc;
}

static int pg_query_int(struct store *st, const char *sql, int *out)
{
    PGresult *r = PQexec(PC(st)->c, sql);
    int rc = CORE_OK;
    if (r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        *out = PQgetisnull(r, 0, 0) ? 0 : atoi(PQgetvalue(r, 0, 0));
    else {
        pg_message(st, r ? PQresultErrorMessage(r) : PQerrorMessage(PC(st)->c));
        rc = E_STORAGE;
    }
    PQclear(r);
    return rc;
}

/* 0 before the first migration (no schema_version table yet). */
static int pg_schema_version(struct store *st)
{
    int exists = 0, v = 0;
    if (pg_query_int(st, "SELECT (to_regclass('schema_version') IS NOT NULL)::int", &exists))
        return -1;
    if (exists && pg_query_int(st, "SELECT max(version) FROM schema_version", &v))
        return -1;
    return v;
}

static int pg_migrate_one(struct store *st, int v)
{
    char record[128];
    snprintf(record, sizeof record,
             "DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (%d)", v + 1);
    int rc = pg_exec(st, store_pg_migrations[v]);
    return rc ? rc : pg_exec(st, record);
}

/* The generic plan (the one whatever the parameters), with sequential
 * scans and sorts priced out: what is left of either has no index to
 * use.  Inside a savepoint (or a transaction of its own) so that a
 * statement the planner refuses spoils nothing. */
static void pg_check_plan(struct store *st, const char *sql)
{
    int n = 0;
    char *text = translate(sql, &n);
    size_t len = text ? strlen(text) + 64 : 0;
    char *prepare = text ? malloc(len) : NULL;
    char *execute = malloc((size_t)n * 6 + 64);
    if (!prepare || !execute) {
        free(text);
        free(prepare);
        free(execute);
        return;
    }
    snprintf(prepare, len, "PREPARE kascon_plan AS %s", text);
    size_t at = (size_t)snprintf(execute, (size_t)n * 6 + 64, "EXPLAIN EXECUTE kascon_plan");
    for (int i = 0; i < n; i++)
        at += (size_t)snprintf(execute + at, (size_t)n * 6 + 64 - at, "%sNULL", i ? ", " : "(");
    if (n)
        snprintf(execute + at, (size_t)n * 6 + 64 - at, ")");
    PGconn *c = PC(st)->c;
    bool in_tx = PQtransactionStatus(c) != PQTRANS_IDLE;
    PQclear(PQexec(c, in_tx ? "SAVEPOINT kascon_plan" : "BEGIN"));
    PQclear(PQexec(c, "SET LOCAL plan_cache_mode = force_generic_plan;"
                      " SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off"));
    PGresult *p = PQexec(c, prepare);
    bool prepared = p && PQresultStatus(p) == PGRES_COMMAND_OK;
    PGresult *r = prepared ? PQexec(c, execute) : NULL;
    /* A statement that cannot be planned is reported too: a check that
     * saw nothing must not pass. */
    if (!prepared || !r || PQresultStatus(r) != PGRES_TUPLES_OK)
        st->plan_cb(PQresultErrorMessage(prepared ? r : p), sql, st->plan_ctx);
    PQclear(p);
    for (int i = 0; r && PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
        const char *line = PQgetvalue(r, i, 0);
        const char *seq = strstr(line, "Seq Scan on ");
        const char *name = seq ? seq + 12 : NULL;
        bool sort = strstr(line, "Sort  (") != NULL || strstr(line, "-> Sort ") != NULL;
        if (name && !store_large_table(name, strcspn(name, " ")))
            name = NULL;
        if (name || sort)
            st->plan_cb(line, sql, st->plan_ctx);
    }
    PQclear(r);
    if (prepared)
        PQclear(PQexec(c, "DEALLOCATE kascon_plan"));
    PQclear(PQexec(c, in_tx ? "ROLLBACK TO SAVEPOINT kascon_plan; RELEASE SAVEPOINT kascon_plan"
                            : "ROLLBACK"));
    free(text);
    free(prepare);
    free(execute);
}

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* NOTICEs such as "table does not exist, skipping" */
}

static int pg_open(struct store *st, const char *target)
{
    struct pg_conn *pc = calloc(1, sizeof *pc);
    if (!pc) {
        pg_message(st, "out of memory");
        return E_STORAGE;
    }
    st->conn = pc;
    pc->c = PQconnectdb(target);
    if (!pc->c || PQstatus(pc->c) != CONNECTION_OK) {
        if (pc->c)
            return pg_conn_fail(st);
        pg_message(st, "out of memory");
        return E_STORAGE;
    }
    PQsetNoticeProcessor(pc->c, quiet, NULL);
    /* A writer waits for the write lock as long as SQLite's busy timeout. */
    return pg_exec(st, "SET client_encoding = 'UTF8'; SET lock_timeout = '10s'");
}

static void pg_close(struct store *st)
{
    struct pg_conn *pc = PC(st);
    PQfinish(pc->c);
    forget_prepared(pc);
    free(pc);
    st->conn = NULL;
}

static int pg_backup(struct store *st, const char *path)
{
    (void)path;
    pg_message(st, "a PostgreSQL database is backed up with pg_dump (or base backups and WAL"
                   " archiving), not by kascon");
    return E_STORAGE;
}

static int pg_analyze(struct store *st)
{
    return pg_exec(st, "ANALYZE sites, extensions, lines, assignments, forwarding, pickup_groups,"
                       " pickup_members, hunt_groups, hunt_members, locks");
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
};

#endif /* HAVE_LIBPQ */
