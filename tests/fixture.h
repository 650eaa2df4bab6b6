/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the store unit tests share: a database in a fresh temporary
 * directory (removed at the end), the first problem of a list, and logins. */
#ifndef KASCON_TEST_FIXTURE_H
#define KASCON_TEST_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/problem.h"
#include "tap.h"
#include "ops/ops.h"

/* Makes the directory `dir` (a mkdtemp template) and writes the path of
 * the database in it to `path`; -1 when the directory cannot be made.
 * With KASCON_TEST_DB set (tests/pg_suite.sh: an empty PostgreSQL
 * database) the database is that one instead. */
static inline int test_db_path(char *dir, char *path, size_t n)
{
    if (!mkdtemp(dir))
        return -1;
    const char *db = getenv("KASCON_TEST_DB");
    if (db && *db)
        snprintf(path, n, "%s", db);
    else
        snprintf(path, n, "%s/t.db", dir);
    return 0;
}

/* Removes the test's directory and all in it; a failure fails the test. */
static inline void test_remove_dir(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        tap_ok(0, "clean up");
}

/* Whether the tests run on PostgreSQL (tests/pg_suite.sh). */
static inline bool test_on_postgresql(void)
{
    const char *db = getenv("KASCON_TEST_DB");
    return db && *db;
}

/* The code of the first problem (0: none); empties the list for the next step. */
static inline int first_code(struct core_problems *pr)
{
    int code = pr->count ? pr->items[0].code : 0;
    core_problems_free(pr);
    core_problems_init(pr);
    return code;
}

/* The context of an operation in a test: the file's actor `op` acting on
 * site_ (0 for operations that name the site by its domain) through st_. */
#define TEST_CTX(st_, site_)                                                                       \
    (&(const struct ops_ctx){                                                                      \
        .st = (st_), .site_id = (site_), .actor = op, .source = OPS_SOURCE_CLI})

/* A login at tokyo.example.jp, the site the tests make: from `address`
 * over SSH (NULL: a console), with a password or a public key. */
static inline int test_login(const struct ops_ctx *ctx, const char *user, const char *password,
                             const char *address, struct ops_session *s)
{
    struct ops_login_request req = {.domain = "tokyo.example.jp",
                                    .user = user,
                                    .password = password,
                                    .address = address,
                                    .source = "test"};
    return ops_login(ctx, &req, s);
}

static inline int test_login_key(const struct ops_ctx *ctx, const char *user, const char *key,
                                 const char *address, struct ops_session *s)
{
    struct ops_login_request req = {
        .domain = "tokyo.example.jp", .user = user, .key = key, .address = address};
    return ops_login_key(ctx, &req, s);
}

#endif
