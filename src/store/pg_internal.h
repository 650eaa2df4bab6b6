/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the PostgreSQL engine's two files: pg_conn.c (the
 * connection, its transactions, schema and plans) and pg.c (statements
 * and the engine's table).  Nothing else includes it. */
#ifndef KASCON_STORE_PG_INTERNAL_H
#define KASCON_STORE_PG_INTERNAL_H

#include <libpq-fe.h>

#include "store/internal.h"

#define BUCKETS 256

/* A statement prepared on the connection, found by its SQL and the kinds
 * of its parameters. */
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

#define PC(st) ((struct pg_conn *)(st)->conn)

/* st->errmsg from the server's message (trailing newlines dropped). */
void pg_message(struct store *st, const char *msg);
/* The connection's last error into st->errmsg; returns E_STORAGE. */
int pg_conn_fail(struct store *st);
void pg_forget_prepared(struct pg_conn *pc);
/* The connection is up, or was opened again between transactions. */
bool pg_connected(struct store *st);
/* SQLite's ?N and ? as PostgreSQL's $N (malloc'd); the highest in *nparams. */
char *pg_translate(const char *sql, int *nparams);

int pg_open(struct store *st, const char *target);
void pg_close(struct store *st);
int pg_exec(struct store *st, const char *sql);
int pg_begin(struct store *st, bool write);
int pg_commit(struct store *st);
void pg_rollback(struct store *st);
int pg_schema_version(struct store *st);
int pg_migrate_one(struct store *st, int v);
void pg_check_plan(struct store *st, const char *sql);
int pg_backup(struct store *st, const char *path);
int pg_analyze(struct store *st);
int pg_copy_begin(struct store *st, const char *sql);
int pg_copy_row(struct store *st, int n, const char *const *values);
int pg_copy_end(struct store *st);

#endif
