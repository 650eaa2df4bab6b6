/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The engine-neutral statement: every store file prepares, binds, steps
 * and reads through these, never through an engine's own API.  The shape
 * is SQLite's: bind by position from 1, step to a row or to the end, read
 * columns from 0.  SQL texts use ?N (or plain ?, numbered left to right
 * as in SQLite); the PostgreSQL engine turns them into $N. */
#ifndef KASCON_STORE_STMT_H
#define KASCON_STORE_STMT_H

#include <stdbool.h>
#include <stdint.h>

struct store;
struct store_engine;

/* What a step returns. */
enum {
    STMT_ERROR = 1,       /* the message is in store_errmsg() */
    STMT_CONSTRAINT = 19, /* a UNIQUE, CHECK or FOREIGN KEY refused the row */
    STMT_ROW = 100,
    STMT_DONE = 101,
};

/* Each engine's statement starts with this. */
struct store_stmt {
    const struct store_engine *ops;
    struct store *st;
};

/* One table per engine (sqlite.c, pg.c). */
struct store_engine {
    const char *name;
    int (*open)(struct store *st, const char *target);
    void (*close)(struct store *st);
    /* Constant text only (schema, several statements at once). */
    int (*exec)(struct store *st, const char *sql);
    struct store_stmt *(*prepare)(struct store *st, const char *sql);
    void (*bind_int64)(struct store_stmt *s, int i, int64_t v);
    /* copy false: v stays valid until the next step or reset */
    void (*bind_text)(struct store_stmt *s, int i, const char *v, bool copy);
    void (*bind_null)(struct store_stmt *s, int i);
    int (*step)(struct store_stmt *s);
    int64_t (*column_int64)(struct store_stmt *s, int col);
    const char *(*column_text)(struct store_stmt *s, int col); /* NULL for NULL */
    bool (*column_null)(struct store_stmt *s, int col);
    void (*reset)(struct store_stmt *s);
    void (*finalize)(struct store_stmt *s);
    /* Rows changed by the last INSERT, UPDATE or DELETE. */
    int64_t (*changes)(struct store *st);
    /* write: take the database's write lock now (SQLite BEGIN IMMEDIATE). */
    int (*begin)(struct store *st, bool write);
    int (*commit)(struct store *st);
    void (*rollback)(struct store *st);
    int (*schema_version)(struct store *st);
    /* Runs migration v (bringing the schema from v to v + 1) inside the
     * migrating transaction, and records the new version. */
    int (*migrate_one)(struct store *st, int v);
    /* A bulk load's transactions (on) or ordinary ones (off); called
     * outside a transaction.  NULL: the engine has no such mode. */
    int (*bulk_writes)(struct store *st, bool on);
    /* Reports the plan of sql to st->plan_cb when it reads a large table
     * whole or sorts it (tests). */
    void (*check_plan)(struct store *st, const char *sql);
    int (*backup)(struct store *st, const char *path);
    /* Refreshes the planner's statistics of the tables that grow with a
     * site (NULL: the engine plans without them). */
    int (*analyze)(struct store *st);
    /* Bulk append with COPY ... FROM STDIN (PostgreSQL); NULL where
     * prepared INSERTs are the fastest way in (SQLite).  Between
     * copy_begin and copy_end the connection runs nothing else; a row's
     * error shows at copy_end. */
    int (*copy_begin)(struct store *st, const char *sql);
    int (*copy_row)(struct store *st, int n, const char *const *values); /* NULL: NULL */
    int (*copy_end)(struct store *st);
};

extern const struct store_engine store_sqlite_engine;
#ifdef HAVE_LIBPQ
extern const struct store_engine store_pg_engine;
#endif

static inline void stmt_bind_int64(struct store_stmt *s, int i, int64_t v)
{
    s->ops->bind_int64(s, i, v);
}
static inline void stmt_bind_int(struct store_stmt *s, int i, int v)
{
    s->ops->bind_int64(s, i, v);
}
static inline void stmt_bind_null(struct store_stmt *s, int i)
{
    s->ops->bind_null(s, i);
}
/* A copy is taken: v may go away before the step. */
static inline void stmt_bind_text(struct store_stmt *s, int i, const char *v)
{
    s->ops->bind_text(s, i, v, true);
}
/* No copy: v must stay put until the step. */
static inline void stmt_bind_text_ref(struct store_stmt *s, int i, const char *v)
{
    s->ops->bind_text(s, i, v, false);
}
static inline int stmt_step(struct store_stmt *s)
{
    return s->ops->step(s);
}
static inline int64_t stmt_column_int64(struct store_stmt *s, int col)
{
    return s->ops->column_int64(s, col);
}
static inline int stmt_column_int(struct store_stmt *s, int col)
{
    return (int)s->ops->column_int64(s, col);
}
static inline const char *stmt_column_text(struct store_stmt *s, int col)
{
    return s->ops->column_text(s, col);
}
static inline bool stmt_column_null(struct store_stmt *s, int col)
{
    return s->ops->column_null(s, col);
}
static inline void stmt_reset(struct store_stmt *s)
{
    s->ops->reset(s);
}
/* NULL is a no-op. */
static inline void stmt_finalize(struct store_stmt *s)
{
    if (s)
        s->ops->finalize(s);
}

#endif
