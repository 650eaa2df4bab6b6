/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the store unit tests share: a database in a fresh temporary
 * directory, and the first problem of a list. */
#ifndef KASCON_TEST_FIXTURE_H
#define KASCON_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "core/problem.h"

/* Makes the directory `dir` (a mkdtemp template) and writes the path of
 * the database in it to `path`; -1 when the directory cannot be made. */
static inline int test_db_path(char *dir, char *path, size_t n)
{
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, n, "%s/t.db", dir);
    return 0;
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

#endif
