/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#if HAVE_LIBPQ
#include <libpq-fe.h>
#endif

#include "i18n.h"
#include "registrar/target.h"

struct reg_target {
    sqlite3 *lite;
#if HAVE_LIBPQ
    PGconn *pg;
#endif
    long statements;
};

bool target_is_postgresql(const char *url)
{
    return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

long target_statements(const struct reg_target *t)
{
    return t->statements;
}

#if HAVE_LIBPQ
/* libpq's messages span lines ("...failed: ...\n\tIs the server running
 * ..."): the status line and the log want one. */
static void one_line(char *s)
{
    char *o = s;
    bool space = false;
    for (char *p = s; *p; p++) {
        if (*p == '\n' || *p == '\t' || *p == '\r' || *p == ' ') {
            space = o > s;
            continue;
        }
        if (space)
            *o++ = ' ';
        space = false;
        *o++ = *p;
    }
    *o = '\0';
}

static int pg_open(struct reg_target *t, const char *url, char *err, size_t n)
{
    /* An unreachable registrar must not hold a writer for long: 5 s
     * unless the URL says otherwise (the URL's value wins). */
    const char *const keys[] = {"connect_timeout", "dbname", NULL};
    const char *const vals[] = {"5", url, NULL};
    t->pg = PQconnectdbParams(keys, vals, 1);
    if (!t->pg || PQstatus(t->pg) != CONNECTION_OK) {
        snprintf(err, n, "%s", t->pg ? PQerrorMessage(t->pg) : "out of memory");
        one_line(err);
        return -1;
    }
    return 0;
}

/* '?' placeholders to $1, $2, ... (the statements quote no '?'). */
static char *pg_sql(const char *sql)
{
    size_t len = strlen(sql), q = 0;
    for (const char *p = sql; *p; p++)
        q += *p == '?';
    char *out = malloc(len + q * 6 + 1);
    if (!out)
        return NULL;
    char *o = out;
    int i = 0;
    for (const char *p = sql; *p; p++) {
        if (*p == '?')
            o += snprintf(o, 8, "$%d", ++i);
        else
            *o++ = *p;
    }
    *o = '\0';
    return out;
}

static int pg_run(struct reg_target *t, const char *sql, int nparams, const char *const *params,
                  reg_row_fn fn, void *ctx, char *err, size_t n)
{
    char *text = pg_sql(sql);
    if (!text) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    PGresult *r = PQexecParams(t->pg, text, nparams, NULL, params, NULL, NULL, 0);
    free(text);
    ExecStatusType status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        snprintf(err, n, "%s", PQresultErrorMessage(r));
        one_line(err);
        PQclear(r);
        return -1;
    }
    int rc = 0;
    if (fn && status == PGRES_TUPLES_OK) {
        int cols = PQnfields(r), rows = PQntuples(r);
        const char *vals[16];
        if (cols > 16)
            cols = 16;
        for (int i = 0; i < rows && !rc; i++) {
            for (int c = 0; c < cols; c++)
                vals[c] = PQgetisnull(r, i, c) ? NULL : PQgetvalue(r, i, c);
            rc = fn(cols, vals, ctx);
        }
    }
    PQclear(r);
    return rc;
}
#endif

int target_open(const char *url, struct reg_target **out, char *err, size_t n)
{
    *out = NULL;
    struct reg_target *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    if (target_is_postgresql(url)) {
#if HAVE_LIBPQ
        if (pg_open(t, url, err, n)) {
            target_close(t);
            return -1;
        }
        *out = t;
        return 0;
#else
        snprintf(err, n, "%s",
                 _("this kascon was built without PostgreSQL (configure --without-postgresql):"
                   " a postgresql:// registrar cannot be used"));
        free(t);
        return -1;
#endif
    }
    /* Kamailio (kamdbctl) creates its database: never create an empty one. */
    if (sqlite3_open_v2(url, &t->lite, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf(err, n, "%s: %s", url, t->lite ? sqlite3_errmsg(t->lite) : "out of memory");
        target_close(t);
        return -1;
    }
    sqlite3_busy_timeout(t->lite, 5000);
    *out = t;
    return 0;
}

void target_close(struct reg_target *t)
{
    if (!t)
        return;
    if (t->lite)
        sqlite3_close_v2(t->lite);
#if HAVE_LIBPQ
    if (t->pg)
        PQfinish(t->pg);
#endif
    free(t);
}

static int lite_fail(struct reg_target *t, sqlite3_stmt *s, char *err, size_t n)
{
    snprintf(err, n, "%s", sqlite3_errmsg(t->lite));
    sqlite3_finalize(s);
    return -1;
}

static int lite_run(struct reg_target *t, const char *sql, int nparams, const char *const *params,
                    reg_row_fn fn, void *ctx, char *err, size_t n)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(t->lite, sql, -1, &s, NULL) != SQLITE_OK)
        return lite_fail(t, s, err, n);
    for (int i = 0; i < nparams; i++) {
        if (params[i])
            sqlite3_bind_text(s, i + 1, params[i], -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(s, i + 1);
    }
    int rc, out = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (!fn)
            continue;
        const char *vals[16];
        int cols = sqlite3_column_count(s);
        if (cols > 16)
            cols = 16;
        for (int c = 0; c < cols; c++)
            vals[c] = (const char *)sqlite3_column_text(s, c);
        if ((out = fn(cols, vals, ctx)))
            break;
    }
    if (!out && rc != SQLITE_DONE)
        return lite_fail(t, s, err, n);
    sqlite3_finalize(s);
    return out;
}

int target_query(struct reg_target *t, const char *sql, int nparams, const char *const *params,
                 reg_row_fn fn, void *ctx, char *err, size_t n)
{
    t->statements++;
#if HAVE_LIBPQ
    if (t->pg)
        return pg_run(t, sql, nparams, params, fn, ctx, err, n);
#endif
    return lite_run(t, sql, nparams, params, fn, ctx, err, n);
}

int target_exec(struct reg_target *t, const char *sql, int nparams, const char *const *params,
                char *err, size_t n)
{
    return target_query(t, sql, nparams, params, NULL, NULL, err, n);
}

int target_begin(struct reg_target *t, char *err, size_t n)
{
    /* SQLite: take the write lock now, waiting on Kamailio's readers. */
    return target_exec(t, t->lite ? "BEGIN IMMEDIATE" : "BEGIN", 0, NULL, err, n);
}

int target_commit(struct reg_target *t, char *err, size_t n)
{
    return target_exec(t, "COMMIT", 0, NULL, err, n);
}

void target_rollback(struct reg_target *t)
{
    char ignored[64];
    if (t->lite && sqlite3_get_autocommit(t->lite))
        return;
    target_exec(t, "ROLLBACK", 0, NULL, ignored, sizeof ignored);
}
