/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the store's own files; nothing outside src/store includes it.
 * No store file but the engines' (sqlite.c, pg*.c) names an engine's API. */
#ifndef KASCON_STORE_INTERNAL_H
#define KASCON_STORE_INTERNAL_H

#include "store/stmt.h"
#include "store/store.h"

struct store {
    const struct store_engine *engine;
    void *conn; /* the engine's connection */
    char errmsg[256];
    store_commit_hook_fn commit_hook; /* after every successful COMMIT */
    void *commit_hook_ctx;
    bool in_commit_hook;
    store_plan_cb plan_cb; /* tests: plans of the statements prepared */
    void *plan_ctx;
};

/* Prepares sql; on failure records the message and returns NULL. */
struct store_stmt *store_prepare(struct store *st, const char *sql);
/* Returns E_STORAGE; the engine recorded its message in st->errmsg. */
int store_fail(struct store *st);
/* Rows changed by the last INSERT, UPDATE or DELETE. */
int64_t store_changes(struct store *st);
void store_bind_text(struct store_stmt *s, int i, const char *v);
/* Binds NULL for an empty string: optional values are NULL in the schema. */
void store_bind_opt(struct store_stmt *s, int i, const char *v);
/* Adds to a site's totals (site_counts), in the caller's transaction:
 * every statement that adds or removes an extension, a line or an
 * assignment calls it with what it changed. */
int store_counts_add(struct store *st, int64_t site_id, int64_t extensions, int64_t lines,
                     int64_t assigned);
void store_column_copy(struct store_stmt *s, int col, char *dst, size_t n);
/* Steps a row query to the end, handing each row to `each`, and finalizes
 * it; a non-zero return from `each` stops there and is returned. */
int store_each_row(struct store *st, struct store_stmt *s, int (*each)(struct store_stmt *, void *),
                   void *ctx);
/* Runs a statement that returns no rows and finalizes it. */
int store_step_done(struct store *st, struct store_stmt *s);
/* Runs an INSERT ... RETURNING id, stores the id and finalizes it. */
int store_step_id(struct store *st, struct store_stmt *s, int64_t *id);
/* store_step_done for an UPDATE or DELETE that names the row's version:
 * E_CHANGED_MEANWHILE when it changed no row (another session got there first). */
int store_step_versioned(struct store *st, struct store_stmt *s);
/* store_audit, giving the new entry's id. */
int store_audit_id(struct store *st, int64_t site_id, const struct store_actor *who,
                   const char *action, const char *object, const char *before, const char *after,
                   int64_t *id);
/* Runs one constant statement. */
int store_exec_constant(struct store *st, const char *sql);
/* Large tables (and their usual aliases) whose full scan or sort in a
 * list's statement the plan check reports. */
bool store_large_table(const char *name, size_t n);

/* Schema texts of each engine, numbered alike: migrations[i] brings
 * version i to i + 1. */
extern const char *const store_sqlite_migrations[];
extern const int store_sqlite_migration_count;
#ifdef HAVE_LIBPQ
extern const char *const store_pg_migrations[];
extern const int store_pg_migration_count;
#endif

/* copy_digest.c: a table's order-independent checksum (kasconctl migrate);
 * buf is the caller's to free. */
struct store_digest {
    int64_t rows;
    uint64_t sum[4];    /* little-endian 256-bit accumulator */
    unsigned char *buf; /* one row's canonical form */
    size_t cap;
};
bool store_digest_row(struct store_digest *d, struct store_stmt *s, int ncols);
void store_digest_hex(const struct store_digest *d, char out[65]);

#endif
