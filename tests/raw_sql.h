/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Constant SQL run on a test's database behind the store's back (to hold a
 * lock, add a trigger, break a table), on either engine. */
#ifndef KASCON_TEST_RAW_SQL_H
#define KASCON_TEST_RAW_SQL_H

#include <sqlite3.h>
#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif

#include "fixture.h"

/* Runs `lite` on SQLite or `pg` on PostgreSQL through a connection of its
 * own; 0 when it ran. */
static inline int raw_exec(const char *path, const char *lite, const char *pg)
{
#ifdef HAVE_LIBPQ
    if (test_on_postgresql()) {
        PGconn *c = PQconnectdb(path);
        PGresult *r = PQexec(c, pg);
        int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : 1;
        PQclear(r);
        PQfinish(c);
        return rc;
    }
#else
    (void)pg;
#endif
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return 1;
    sqlite3_busy_timeout(db, 5000);
    int rc = sqlite3_exec(db, lite, NULL, NULL, NULL) == SQLITE_OK ? 0 : 1;
    sqlite3_close(db);
    return rc;
}

#endif
