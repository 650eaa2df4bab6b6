/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The registrar's database, SQLite or PostgreSQL, behind one small
 * interface: statements with '?' placeholders and text parameters
 * (NULL for SQL NULL), rows handed over as text. */
#ifndef KASCON_REGISTRAR_TARGET_H
#define KASCON_REGISTRAR_TARGET_H

#include <stdbool.h>
#include <stddef.h>

struct reg_target;
typedef int (*reg_row_fn)(int ncols, const char *const *vals, void *ctx);

/* url: a PATH (SQLite, must exist) or postgresql://... / postgres://...
 * On failure returns -1 with a message in err. */
int target_open(const char *url, struct reg_target **out, char *err, size_t n);
void target_close(struct reg_target *t);
/* 0, or -1 with the database's message in err. */
int target_begin(struct reg_target *t, char *err, size_t n);
int target_commit(struct reg_target *t, char *err, size_t n);
void target_rollback(struct reg_target *t);
int target_exec(struct reg_target *t, const char *sql, int nparams, const char *const *params,
                char *err, size_t n);
/* A non-zero return from fn stops the rows and is returned. */
int target_query(struct reg_target *t, const char *sql, int nparams, const char *const *params,
                 reg_row_fn fn, void *ctx, char *err, size_t n);
/* Statements sent since open (each batch counts once). */
long target_statements(const struct reg_target *t);
/* Whether url names a PostgreSQL database. */
bool target_is_postgresql(const char *url);

#endif
