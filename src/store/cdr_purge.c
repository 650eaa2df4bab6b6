/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The call history's retention (92 days, doc/spec.md §3.7): a site's (or
 * every site's) files of days before the oldest kept go, with their
 * records and an audit entry each.
 *
 * On PostgreSQL a day's records of every site are one partition of cdr
 * (schema_pg.c, migration 7).  Once no file of that day is left, the
 * partition is dropped whole (cdr_drop_before) instead of its records
 * being deleted one by one; a day other sites still keep stays, and the
 * purged site's records are deleted from it.  So is whatever lives in
 * cdr_legacy (files copied from SQLite). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "store/internal.h"

struct victim {
    int64_t id, site_id;
    char day[CORE_CDR_DAY_LEN + 1];
    int part;
    long records;
};

/* Collected first: deleting while the SELECT is stepping would be legal
 * in SQLite but harder to reason about. */
static int victims(struct store *st, int64_t site_id, const char *oldest_day, struct victim **out,
                   size_t *count)
{
    struct store_stmt *s =
        store_prepare(st, "SELECT id, day, part, records, site_id FROM cdr_files"
                          " WHERE (?1 = 0 OR site_id = ?1) AND day < ?2 ORDER BY day, part");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    store_bind_text(s, 2, oldest_day);
    struct victim *v = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = stmt_step(s)) == STMT_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct victim *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                rc = STMT_ERROR;
                break;
            }
            v = nv;
        }
        v[n].id = stmt_column_int64(s, 0);
        store_column_copy(s, 1, v[n].day, sizeof v[n].day);
        v[n].part = stmt_column_int(s, 2);
        v[n].records = (long)stmt_column_int64(s, 3);
        v[n].site_id = stmt_column_int64(s, 4);
        n++;
    }
    int out_rc = rc == STMT_DONE ? CORE_OK : store_fail(st);
    stmt_finalize(s);
    if (out_rc)
        free(v);
    else {
        *out = v;
        *count = n;
    }
    return out_rc;
}

static int step_id(struct store *st, struct store_stmt *s, int64_t id)
{
    stmt_reset(s);
    stmt_bind_int64(s, 1, id);
    return stmt_step(s) == STMT_DONE ? CORE_OK : store_fail(st);
}

/* PostgreSQL: the partitions of days before oldest_day whose files are
 * all gone now. */
static int drop_partitions(struct store *st, const char *oldest_day)
{
    struct store_stmt *drop = store_prepare(st, "SELECT cdr_drop_before(?1)");
    if (!drop)
        return E_STORAGE;
    store_bind_text(drop, 1, oldest_day);
    int rc = stmt_step(drop) == STMT_ROW ? CORE_OK : store_fail(st);
    stmt_finalize(drop);
    return rc;
}

int store_cdr_purge(struct store *st, int64_t site_id, const char *oldest_day,
                    const struct store_actor *who, int *files, long *records)
{
    *files = 0;
    *records = 0;
    struct victim *v = NULL;
    size_t n = 0;
    int out = victims(st, site_id, oldest_day, &v, &n);
    if (out || !n)
        return out;
    bool partitioned = st->engine != &store_sqlite_engine;
    struct store_stmt *del_records = store_prepare(st, "DELETE FROM cdr WHERE file_id = ?");
    struct store_stmt *del_file = store_prepare(st, "DELETE FROM cdr_files WHERE id = ?");
    if (!del_records || !del_file)
        out = E_STORAGE;
    for (size_t i = 0; !out && i < n; i++) {
        /* SQLite: the records, then their file.  PostgreSQL: the files
         * first, so that the days left without any can be dropped. */
        if (!partitioned && (out = step_id(st, del_records, v[i].id)))
            break;
        if ((out = step_id(st, del_file, v[i].id)))
            break;
        char object[32], before[32];
        snprintf(object, sizeof object, "%s/%d", v[i].day, v[i].part);
        snprintf(before, sizeof before, "records=%ld", v[i].records);
        out = store_audit(st, v[i].site_id, who, "cdr.purge", object, before, NULL);
        ++*files;
        *records += v[i].records;
    }
    if (!out && partitioned)
        out = drop_partitions(st, oldest_day);
    /* What the dropped partitions did not take: a day other sites keep,
     * and files in cdr_legacy. */
    for (size_t i = 0; !out && partitioned && i < n; i++)
        out = step_id(st, del_records, v[i].id);
    stmt_finalize(del_records);
    stmt_finalize(del_file);
    free(v);
    return out;
}
