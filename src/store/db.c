/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Opening a store on its engine, migrations, transactions, and the
 * statement helpers every store file uses. */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/internal.h"

int store_fail(struct store *st)
{
    (void)st; /* the engine wrote st->errmsg where it failed */
    return E_STORAGE;
}

const char *store_errmsg(const struct store *st)
{
    return st->errmsg;
}

int64_t store_changes(struct store *st)
{
    return st->engine->changes(st);
}

/* Tables that may grow with a site: a full scan or a sort of one in a
 * list's statement is what store_check_plans reports.  The statements
 * name some of them by their usual alias. */
bool store_large_table(const char *name, size_t n)
{
    static const char *const large[] = {"extensions",
                                        "lines",
                                        "assignments",
                                        "audit",
                                        "audit_rows",
                                        "cdr",
                                        "cdr_files",
                                        "forwarding",
                                        "pickup_members",
                                        "hunt_members",
                                        "hunt_groups",
                                        "pickup_groups",
                                        "e",
                                        "l",
                                        "a",
                                        "f",
                                        "m",
                                        "g"};
    for (size_t i = 0; i < sizeof large / sizeof large[0]; i++)
        if (strlen(large[i]) == n && !strncmp(large[i], name, n))
            return true;
    return false;
}

void store_check_plans(struct store *st, store_plan_cb cb, void *ctx)
{
    st->plan_cb = cb;
    st->plan_ctx = ctx;
}

struct store_stmt *store_prepare(struct store *st, const char *sql)
{
    if (st->plan_cb)
        st->engine->check_plan(st, sql);
    return st->engine->prepare(st, sql);
}

void store_bind_text(struct store_stmt *s, int i, const char *v)
{
    stmt_bind_text(s, i, v ? v : "");
}

void store_bind_opt(struct store_stmt *s, int i, const char *v)
{
    if (v && *v)
        stmt_bind_text(s, i, v);
    else
        stmt_bind_null(s, i);
}

void store_column_copy(struct store_stmt *s, int col, char *dst, size_t n)
{
    const char *v = stmt_column_text(s, col);
    snprintf(dst, n, "%s", v ? v : "");
}

int store_each_row(struct store *st, struct store_stmt *s, int (*each)(struct store_stmt *, void *),
                   void *ctx)
{
    int rc;
    while ((rc = stmt_step(s)) == STMT_ROW) {
        int stop = each(s, ctx);
        if (stop) {
            stmt_finalize(s);
            return stop;
        }
    }
    int out = rc == STMT_DONE ? CORE_OK : store_fail(st);
    stmt_finalize(s);
    return out;
}

int store_step_done(struct store *st, struct store_stmt *s)
{
    int rc = stmt_step(s);
    int out = rc == STMT_DONE ? CORE_OK : store_fail(st);
    stmt_finalize(s);
    return out;
}

int store_step_id(struct store *st, struct store_stmt *s, int64_t *id)
{
    int rc = stmt_step(s);
    if (rc == STMT_ROW)
        *id = stmt_column_int64(s, 0);
    int out = rc == STMT_ROW ? CORE_OK : store_fail(st);
    if (!out && stmt_step(s) != STMT_DONE)
        out = store_fail(st);
    stmt_finalize(s);
    return out;
}

int store_step_versioned(struct store *st, struct store_stmt *s)
{
    int rc = store_step_done(st, s);
    if (rc)
        return rc;
    return store_changes(st) == 0 ? E_CHANGED_MEANWHILE : CORE_OK;
}

int store_exec_constant(struct store *st, const char *sql)
{
    struct store_stmt *s = store_prepare(st, sql);
    return s ? store_step_done(st, s) : E_STORAGE;
}

static int migration_count(const struct store_engine *e)
{
#ifdef HAVE_LIBPQ
    if (e == &store_pg_engine)
        return store_pg_migration_count;
#endif
    (void)e;
    return store_sqlite_migration_count;
}

int store_schema_latest(void)
{
    return store_sqlite_migration_count;
}

int store_schema_version(struct store *st)
{
    return st->engine->schema_version(st);
}

static int too_new(struct store *st, int v, int latest)
{
    snprintf(st->errmsg, sizeof st->errmsg,
             "database schema version %d is newer than this program (%d)", v, latest);
    return E_STORAGE;
}

/* The version is read without a transaction: an up-to-date database (every
 * open but the first after an upgrade) takes no lock at all, so a console,
 * a `kasconctl ... list` or an SSH login opens it while a long import or
 * call-record load holds the write lock.  Only a due migration takes the
 * write lock, and reads the version again under it: another process may
 * have migrated in between. */
static int migrate(struct store *st)
{
    int latest = migration_count(st->engine);
    int v = store_schema_version(st);
    if (v < 0)
        return E_STORAGE;
    if (v == latest)
        return CORE_OK;
    if (v > latest)
        return too_new(st, v, latest);
    if (store_begin(st))
        return E_STORAGE;
    v = store_schema_version(st);
    if (v < 0 || v > latest) {
        store_rollback(st);
        return v < 0 ? E_STORAGE : too_new(st, v, latest);
    }
    for (; v < latest; v++) {
        if (st->engine->migrate_one(st, v)) {
            store_rollback(st);
            return E_STORAGE;
        }
    }
    return store_commit(st);
}

/* A postgresql:// or postgres:// URI, or a libpq "key=value" string,
 * names a PostgreSQL database; anything else is the path of an SQLite file. */
bool store_is_postgresql(const char *target)
{
    return !strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11) ||
           (strchr(target, '=') && !strchr(target, '/'));
}

int store_open(const char *target, struct store **out)
{
    *out = NULL;
    struct store *st = calloc(1, sizeof *st);
    if (!st)
        return E_STORAGE;
    *out = st;
    st->engine = &store_sqlite_engine;
    if (store_is_postgresql(target)) {
#ifdef HAVE_LIBPQ
        st->engine = &store_pg_engine;
#else
        snprintf(st->errmsg, sizeof st->errmsg, "%s",
                 "this program was built without PostgreSQL (libpq)");
        return E_STORAGE;
#endif
    }
    int rc = st->engine->open(st, target);
    return rc ? rc : migrate(st);
}

void store_close(struct store *st)
{
    if (!st)
        return;
    if (st->conn)
        st->engine->close(st);
    free(st);
}

int store_begin(struct store *st)
{
    return st->engine->begin(st, true);
}

int store_commit(struct store *st)
{
    int rc = st->engine->commit(st);
    if (!rc && st->commit_hook && !st->in_commit_hook) {
        st->in_commit_hook = true;
        st->commit_hook(st, st->commit_hook_ctx);
        st->in_commit_hook = false;
    }
    return rc;
}

int store_bulk_writes(struct store *st, bool on)
{
    return st->engine->bulk_writes ? st->engine->bulk_writes(st, on) : CORE_OK;
}

int store_begin_read(struct store *st)
{
    return st->engine->begin(st, false);
}

void store_rollback(struct store *st)
{
    st->engine->rollback(st);
}

int store_default_path(char *buf, size_t n)
{
    const char *env = getenv("KASCON_DB");
    if (env && *env) {
        snprintf(buf, n, "%s", env);
        return 0;
    }
    if (geteuid() == 0) {
        snprintf(buf, n, "%s", "/var/lib/kascon/kascon.db");
        return 0;
    }
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(buf, n, "%s/kascon/kascon.db", xdg);
    else if (home && *home)
        snprintf(buf, n, "%s/.local/share/kascon/kascon.db", home);
    else
        return -1;
    return 0;
}

int64_t store_now(void)
{
    const char *fake = getenv("KASCON_NOW");
    if (fake && *fake)
        return strtoll(fake, NULL, 10);
    return (int64_t)time(NULL);
}

int store_analyze(struct store *st)
{
    return st->engine->analyze ? st->engine->analyze(st) : CORE_OK;
}

int store_backup(struct store *st, const char *path)
{
    return st->engine->backup(st, path);
}

/* Appends src[0..len) to buf at *at, as much as fits. */
static void put_span(char *buf, size_t n, size_t *at, const char *src, size_t len)
{
    if (*at + 1 >= n)
        return;
    size_t room = n - 1 - *at;
    if (len > room)
        len = room;
    memcpy(buf + *at, src, len);
    *at += len;
    buf[*at] = '\0';
}

/* Where the value of a password=VALUE setting starts in s (a libpq
 * key=value string or a URI's query), and its length; NULL if none. */
static const char *password_value(const char *s, size_t *len)
{
    for (const char *p = s; (p = strstr(p, "password")) != NULL; p += 8) {
        if (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
            continue;
        const char *q = p + 8;
        while (*q == ' ')
            q++;
        if (*q != '=')
            continue;
        q++;
        while (*q == ' ')
            q++;
        const char *end = q;
        if (*q == '\'') {
            for (end = q + 1; *end && *end != '\''; end++)
                if (*end == '\\' && end[1])
                    end++;
            if (*end)
                end++;
        } else {
            end = q + strcspn(q, " &#");
        }
        *len = (size_t)(end - q);
        return q;
    }
    return NULL;
}

const char *store_target_shown(const char *target, char *buf, size_t n)
{
    if (!n)
        return "";
    buf[0] = '\0';
    if (!target)
        return buf;
    size_t at = 0;
    const char *from = target;
    /* A URI's user:password@ (whatever the scheme: a registrar's too) */
    const char *scheme = strstr(target, "://");
    if (scheme) {
        const char *auth = scheme + 3;
        size_t auth_len = strcspn(auth, "/?#");
        const char *atsign = NULL;
        for (const char *p = auth; p < auth + auth_len; p++)
            if (*p == '@')
                atsign = p;
        const char *colon = atsign ? memchr(auth, ':', (size_t)(atsign - auth)) : NULL;
        if (colon) {
            put_span(buf, n, &at, target, (size_t)(colon + 1 - target));
            put_span(buf, n, &at, "***", 3);
            from = atsign;
        }
    }
    /* password=... (a URI's query, or a key=value string) */
    size_t len = 0;
    for (const char *value; (value = password_value(from, &len)) != NULL; from = value + len) {
        put_span(buf, n, &at, from, (size_t)(value - from));
        put_span(buf, n, &at, "***", 3);
    }
    put_span(buf, n, &at, from, strlen(from));
    return buf;
}
