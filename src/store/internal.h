/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the store's own files; nothing outside src/store includes it. */
#ifndef KASCON_STORE_INTERNAL_H
#define KASCON_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

struct store {
    sqlite3 *db;
    char errmsg[256];
    store_commit_hook_fn commit_hook; /* after every successful COMMIT */
    void *commit_hook_ctx;
    bool in_commit_hook;
    store_plan_cb plan_cb; /* tests: plans of the statements prepared */
    void *plan_ctx;
};

/* Prepares sql; on failure records the message and returns NULL. */
sqlite3_stmt *store_prepare(struct store *st, const char *sql);
/* Records the database's message and returns E_STORAGE. */
int store_fail(struct store *st);
void store_bind_text(sqlite3_stmt *s, int i, const char *v);
/* Binds NULL for an empty string: optional values are NULL in the schema. */
void store_bind_opt(sqlite3_stmt *s, int i, const char *v);
void store_column_copy(sqlite3_stmt *s, int col, char *dst, size_t n);
/* Steps a row query to the end, handing each row to `each`, and finalizes
 * it; a non-zero return from `each` stops there and is returned. */
int store_each_row(struct store *st, sqlite3_stmt *s, int (*each)(sqlite3_stmt *, void *),
                   void *ctx);
/* Runs a statement that returns no rows and finalizes it. */
int store_step_done(struct store *st, sqlite3_stmt *s);
/* store_step_done for an UPDATE or DELETE that names the row's version:
 * E_CHANGED_MEANWHILE when it changed no row (another session got there first). */
int store_step_versioned(struct store *st, sqlite3_stmt *s);

#endif
