/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 一括登録 / 一括削除 (doc/spec.md §4): reads the file (src/io), has every row
 * checked (bulk_check.c) and the web passwords hashed (bulk_hash.c), then
 * applies a valid file set-wise in one short transaction.  Nothing
 * changes unless the whole file is valid. */
#include <config.h>

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io.h"
#include "ops/bulk_internal.h"
#include "ops/registrar.h"

/* ---- reading ---- */

static int on_record(void *ctx, long no, size_t nfields, char **fields)
{
    struct bulk *b = ctx;
    /* A legal file has at most one row per profile a site can hold: no
     * more is read, so that memory is bounded whatever the input. */
    if (b->nrows >= b->max_rows) {
        char text[48];
        snprintf(text, sizeof text, "%zu+/%zu", b->nrows + 1, b->max_rows);
        core_problem_set(&b->over, E_CAPACITY, text);
        b->over.row = no;
        return E_CAPACITY;
    }
    if (b->nrows == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        if (cap > b->max_rows)
            cap = b->max_rows;
        struct row *rows = realloc(b->rows, cap * sizeof *rows);
        if (!rows)
            return E_NO_MEMORY;
        b->rows = rows;
        b->cap = cap;
    }
    struct row *r = &b->rows[b->nrows];
    memset(r, 0, sizeof *r);
    r->no = no;
    /* Keep at most the ten columns of the format; more is a column-count
     * problem, reported from the count. */
    r->ncols = (int)nfields;
    size_t keep = nfields < CORE_EXTCSV_REGISTER ? nfields : CORE_EXTCSV_REGISTER, bytes = 0;
    for (size_t i = 0; i < keep; i++)
        bytes += strlen(fields[i]) + 1;
    /* One allocation per row, the fields one after the other. */
    char *all = malloc(bytes ? bytes : 1);
    if (!all)
        return E_NO_MEMORY;
    for (size_t i = 0, at = 0; i < keep; i++) {
        size_t n = strlen(fields[i]) + 1;
        memcpy(all + at, fields[i], n);
        r->f[i] = all + at;
        at += n;
    }
    if (!keep)
        free(all);
    /* The guide marks column J (予約番号4) optional: a 9-column row is a
     * 10-column one with J empty. */
    if (nfields == CORE_EXTCSV_REGISTER - 1) {
        static char empty[1];
        r->f[CORE_EXTCSV_REGISTER - 1] = empty;
        r->ncols = CORE_EXTCSV_REGISTER;
    }
    b->nrows++;
    return 0;
}

static void on_progress(void *ctx, long long done, long long total)
{
    bulk_progress(ctx, OPS_BULK_READ, (long)done, (long)total);
}

/* ---- applying ---- */

/* Stages the rows (no lock), then writes them set-wise in one short
 * transaction: only this part holds the database's write lock. */
static int apply(struct store *st, int64_t site_id, struct bulk *b, const struct store_actor *who,
                 const char *path, const char *sha256, struct ops_bulk_result *res)
{
    struct store_bulk *sb = NULL;
    bulk_progress(b, OPS_BULK_APPLY, 0, (long)b->nrows);
    int rc = store_bulk_open(st, site_id, &sb);
    for (size_t i = 0; !rc && i < b->nrows; i++) {
        struct row *r = &b->rows[i];
        const char *ext = bulk_field(r, CORE_EXTCSV_EXT),
                   *mobile = bulk_field(r, CORE_EXTCSV_MOBILE);
        struct store_bulk_row sr = {.no = r->no,
                                    .ext = ext,
                                    .mobile = mobile,
                                    .ext_id = r->ext_id,
                                    .line_id = r->line_id,
                                    .new_profile = r->new_profile};
        if (b->mode == OPS_BULK_DELETE) {
            res->deleted++;
            res->unassigned += *mobile != '\0';
        } else if (r->new_profile) {
            bool full = r->ncols == CORE_EXTCSV_REGISTER;
            sr.sip_id = full && *bulk_field(r, CORE_EXTCSV_SIP_ID)
                            ? bulk_field(r, CORE_EXTCSV_SIP_ID)
                            : ext;
            sr.sip_password = full && *bulk_field(r, CORE_EXTCSV_SIP_PW)
                                  ? bulk_field(r, CORE_EXTCSV_SIP_PW)
                                  : ext;
            if (full) {
                sr.web_user = bulk_field(r, CORE_EXTCSV_WEB_USER);
                sr.web_pw_hash = r->hash;
            }
            res->created++;
            res->assigned += r->line_id != 0;
        } else if (r->line_id) {
            res->assigned++;
        } else {
            continue; /* already assigned as the file says: nothing to do */
        }
        rc = store_bulk_stage(sb, &sr);
    }
    if (!rc)
        rc = store_bulk_staged(sb);
    const char *base = path ? strrchr(path, '/') : NULL;
    struct store_bulk_summary sum = {.action = b->mode == OPS_BULK_DELETE ? "bulk.delete"
                                                                          : "bulk.register",
                                     .file = base   ? base + 1
                                             : path ? path
                                                    : "-",
                                     .sha256 = sha256,
                                     .rows = (long)b->nrows,
                                     .created = res->created,
                                     .assigned = res->assigned,
                                     .deleted = res->deleted};
    if (!rc)
        rc = store_begin(st);
    /* The registrar's outbox, set-wise: past a few hundred rows the whole
     * site is queued once instead of a row per changed key (the writer
     * compares a whole site at that size anyway). */
    bool outbox = false, sitewide = b->nrows > OPS_REGISTRAR_SITEWIDE_ROWS;
    if (!rc && sitewide)
        rc = store_outbox_suspend(st, &outbox);
    if (!rc)
        rc = b->mode == OPS_BULK_DELETE ? store_bulk_apply_delete(sb, &sum, who)
                                        : store_bulk_apply_register(sb, &b->guard, &sum, who);
    if (!rc && sitewide)
        rc = store_outbox_resume_site(st, site_id, outbox);
    /* Further set-wise writes of the same rows (temp.bulk_rows) belong
     * here, inside the one transaction, before the commit. */
    if (!rc)
        rc = store_commit(st);
    if (rc)
        store_rollback(st);
    store_bulk_close(sb);
    bulk_progress(b, OPS_BULK_APPLY, (long)b->nrows, (long)b->nrows);
    return rc;
}

static void bulk_free(struct bulk *b)
{
    for (size_t i = 0; i < b->nrows; i++)
        free(b->rows[i].f[0]);
    free(b->rows);
    bulk_hash_free(b);
    free(b->exts);
    free(b->by_sip);
    free(b->by_web);
    free(b->admins);
    free(b->lines);
}

int ops_bulk(const struct ops_ctx *ctx, const struct ops_bulk_request *req,
             struct core_problems *problems, struct ops_bulk_result *res)
{
    enum ops_bulk_mode mode = req->mode;
    const char *path = req->path;
    const void *buf = req->buf;
    size_t len = req->len;
    bool dry_run = req->dry_run;
    ops_bulk_progress_fn progress_fn = req->progress;
    void *progress_ctx = req->progress_ctx;
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    memset(res, 0, sizeof *res);
    struct bulk b = {
        .mode = mode, .problems = problems, .progress = progress_fn, .progress_ctx = progress_ctx};
    size_t from = problems->count;
    /* The input is bounded before it is read: in bytes, then in rows, so
     * that memory stays bounded whatever comes. */
    long long limit = req->max_input > 0 ? req->max_input : OPS_BULK_MAX_INPUT;
    long long size = (long long)len;
    struct stat sb;
    if (path && stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
        size = (long long)sb.st_size;
    if (size > limit) {
        char text[64];
        snprintf(text, sizeof text, "%lld > %lld", size, limit);
        struct core_problem p;
        core_problem_set(&p, E_FILE_TOO_LARGE, text);
        core_problems_add(problems, &p);
        return E_FILE_TOO_LARGE;
    }
    /* No site holds more than CORE_CAPACITY_MAX profiles, and a legal file
     * names each at most once. */
    b.max_rows = CORE_CAPACITY_MAX;
    struct io_csv_callbacks cb = {
        .on_record = on_record, .on_progress = on_progress, .checksum = true};
    struct io_csv_result io;
    int rc = path ? io_csv_read_file(path, &cb, &b, &io) : io_csv_read_mem(buf, len, &cb, &b, &io);
    res->encoding = io.encoding;
    res->rows = (long)b.nrows;
    b.over_capacity = rc == E_CAPACITY && !b.nomem;
    if (b.over_capacity)
        rc = 0; /* on_record said where; the rows read are checked */
    if (rc) {
        struct core_problem p;
        core_problem_set(&p, rc, NULL);
        p.row = io.record;
        p.field = io.field;
        core_problems_add(problems, &p);
        bulk_free(&b);
        return rc;
    }
    rc = bulk_check(st, site_id, &b);
    if (!rc && b.nomem)
        rc = E_NO_MEMORY;
    if (!rc && b.over_capacity) {
        /* Where reading stopped is always shown, last. */
        if (problems->count < CORE_PROBLEMS_KEPT) {
            core_problems_add(problems, &b.over);
        } else {
            problems->items[problems->count - 1] = b.over;
            problems->more++;
        }
    }
    if (!rc && problems->count > from) {
        qsort(problems->items + from, problems->count - from, sizeof *problems->items,
              bulk_by_row_then_column);
        rc = problems->items[from].code;
    } else if (rc) {
        struct core_problem p;
        core_problem_set(&p, rc, NULL);
        core_problems_add(problems, &p);
    } else if (!dry_run) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        bulk_progress(&b, OPS_BULK_HASH, 0, (long)b.nrows);
        if (mode == OPS_BULK_REGISTER)
            rc = bulk_hash_passwords(&b, cpus > 0 ? (int)cpus : 1);
        if (!rc)
            rc = apply(st, site_id, &b, who, path, io.sha256, res);
        if (rc) {
            struct core_problem p;
            core_problem_set(&p, rc, NULL);
            core_problems_add(problems, &p);
        }
    } else {
        for (size_t i = 0; i < b.nrows; i++) {
            res->created += b.rows[i].new_profile;
            res->assigned += b.rows[i].line_id != 0;
            res->deleted += mode == OPS_BULK_DELETE;
            res->unassigned +=
                mode == OPS_BULK_DELETE && *bulk_field(&b.rows[i], CORE_EXTCSV_MOBILE);
        }
    }
    bulk_free(&b);
    return rc;
}
