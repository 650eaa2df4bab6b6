/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PostgreSQL engine's connection: opening it (and again after a
 * server restart), transactions, the schema's migrations, plan checks.
 * Statements are pg.c's. */
#include <config.h>

#ifdef HAVE_LIBPQ

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_internal.h"

/* The key of the database's write lock (pg_advisory_xact_lock): "kascon". */
#define WRITE_LOCK_KEY "7020396006551022"

void pg_message(struct store *st, const char *msg)
{
    snprintf(st->errmsg, sizeof st->errmsg, "%s", msg && *msg ? msg : "PostgreSQL error");
    size_t n = strlen(st->errmsg);
    while (n && (st->errmsg[n - 1] == '\n' || st->errmsg[n - 1] == ' '))
        st->errmsg[--n] = '\0';
}

int pg_conn_fail(struct store *st)
{
    pg_message(st, PQerrorMessage(PC(st)->c));
    return E_STORAGE;
}

/* Forgets every statement prepared on the connection (after a reset). */
void pg_forget_prepared(struct pg_conn *pc)
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
bool pg_connected(struct store *st)
{
    struct pg_conn *pc = PC(st);
    if (PQstatus(pc->c) == CONNECTION_OK)
        return true;
    if (pc->in_tx)
        return false;
    PQreset(pc->c);
    if (PQstatus(pc->c) != CONNECTION_OK)
        return false;
    pg_forget_prepared(pc);
    PGresult *r = PQexec(pc->c, "SET client_encoding = 'UTF8'; SET lock_timeout = '10s'");
    PQclear(r);
    return true;
}

/* Runs constant text (several statements at once: schema, transaction
 * control); the last result decides. */
int pg_exec(struct store *st, const char *sql)
{
    if (!pg_connected(st))
        return pg_conn_fail(st);
    PGresult *r = PQexec(PC(st)->c, sql);
    ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_FATAL_ERROR && PQstatus(PC(st)->c) == CONNECTION_BAD && !PC(st)->in_tx &&
        pg_connected(st)) {
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
char *pg_translate(const char *sql, int *nparams)
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

void pg_rollback(struct store *st)
{
    struct pg_conn *pc = PC(st);
    PGTransactionStatusType t = PQtransactionStatus(pc->c);
    if (t != PQTRANS_IDLE && t != PQTRANS_UNKNOWN)
        PQclear(PQexec(pc->c, "ROLLBACK"));
    pc->in_tx = false;
}

int pg_begin(struct store *st, bool write)
{
    int rc = pg_exec(st, write ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                               : "BEGIN ISOLATION LEVEL REPEATABLE READ");
    PC(st)->in_tx = !rc;
    if (!rc && write && (rc = pg_exec(st, "SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")")))
        pg_rollback(st);
    return rc;
}

int pg_commit(struct store *st)
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
int pg_schema_version(struct store *st)
{
    int exists = 0, v = 0;
    if (pg_query_int(st, "SELECT (to_regclass('schema_version') IS NOT NULL)::int", &exists))
        return -1;
    if (exists && pg_query_int(st, "SELECT max(version) FROM schema_version", &v))
        return -1;
    return v;
}

int pg_migrate_one(struct store *st, int v)
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
void pg_check_plan(struct store *st, const char *sql)
{
    int n = 0;
    char *text = pg_translate(sql, &n);
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

int pg_open(struct store *st, const char *target)
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

void pg_close(struct store *st)
{
    struct pg_conn *pc = PC(st);
    PQfinish(pc->c);
    pg_forget_prepared(pc);
    free(pc);
    st->conn = NULL;
}

int pg_backup(struct store *st, const char *path)
{
    (void)path;
    pg_message(st, "a PostgreSQL database is backed up with pg_dump (or base backups and WAL"
                   " archiving), not by kascon");
    return E_STORAGE;
}

int pg_analyze(struct store *st)
{
    return pg_exec(st, "ANALYZE sites, extensions, lines, assignments, forwarding, pickup_groups,"
                       " pickup_members, hunt_groups, hunt_members, locks");
}

/* ---- COPY (call-record loads) ---- */

int pg_copy_begin(struct store *st, const char *sql)
{
    PGresult *r = PQexec(PC(st)->c, sql);
    int rc = r && PQresultStatus(r) == PGRES_COPY_IN ? CORE_OK : E_STORAGE;
    if (rc)
        pg_message(st, r ? PQresultErrorMessage(r) : PQerrorMessage(PC(st)->c));
    PQclear(r);
    return rc;
}

/* One row in COPY's text format: values separated by tabs, \N for NULL,
 * backslash, tab, newline and carriage return escaped. */
int pg_copy_row(struct store *st, int n, const char *const *values)
{
    size_t need = 1;
    for (int i = 0; i < n; i++)
        need += (values[i] ? 2 * strlen(values[i]) : 2) + 1;
    char stack[4096];
    char *buf = need <= sizeof stack ? stack : malloc(need);
    if (!buf) {
        pg_message(st, "out of memory");
        return E_STORAGE;
    }
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        if (i)
            buf[o++] = '\t';
        if (!values[i]) {
            buf[o++] = '\\';
            buf[o++] = 'N';
            continue;
        }
        for (const char *p = values[i]; *p; p++) {
            char e = *p == '\\' ? '\\' : *p == '\t' ? 't' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : 0;
            if (e) {
                buf[o++] = '\\';
                buf[o++] = e;
            } else {
                buf[o++] = *p;
            }
        }
    }
    buf[o++] = '\n';
    int ok = PQputCopyData(PC(st)->c, buf, (int)o) == 1;
    if (buf != stack)
        free(buf);
    return ok ? CORE_OK : pg_conn_fail(st);
}

int pg_copy_end(struct store *st)
{
    int rc = PQputCopyEnd(PC(st)->c, NULL) == 1 ? CORE_OK : pg_conn_fail(st);
    PGresult *r;
    while ((r = PQgetResult(PC(st)->c))) {
        if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK) {
            pg_message(st, PQresultErrorMessage(r));
            rc = E_STORAGE;
        }
        PQclear(r);
    }
    return rc;
}

#endif /* HAVE_LIBPQ */
