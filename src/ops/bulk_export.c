/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 一括出力 (doc/spec.md §4): every ordinary profile in the register format,
 * in extension order, through src/io's writer. */
#include <config.h>

#include <string.h>

#include "core/formats.h"
#include "io/io.h"
#include "ops/ops.h"

struct export_ctx {
    struct io_csv_writer *w;
    struct io_csv_result io;
    char last[CORE_EXT_MAX + 1];
    int rows;
    long written;
};

static int export_row(const struct store_ext *e, void *ctx)
{
    struct export_ctx *x = ctx;
    /* The register format; the web password is only a hash here, so its
     * column stays empty (doc/spec.md §4). */
    const char *cols[CORE_EXTCSV_REGISTER] = {[CORE_EXTCSV_EXT] = e->ext,
                                              [CORE_EXTCSV_MOBILE] = e->mobile,
                                              [CORE_EXTCSV_RES1] = CORE_EXTCSV_RES1_VALUE,
                                              [CORE_EXTCSV_SIP_ID] = e->sip_id,
                                              [CORE_EXTCSV_SIP_PW] = e->sip_password,
                                              [CORE_EXTCSV_RES2] = CORE_EXTCSV_RES_VALUE,
                                              [CORE_EXTCSV_RES3] = CORE_EXTCSV_RES_VALUE,
                                              [CORE_EXTCSV_WEB_USER] = e->web_user,
                                              [CORE_EXTCSV_WEB_PW] = "",
                                              [CORE_EXTCSV_RES4] = CORE_EXTCSV_RES_VALUE};
    snprintf(x->last, sizeof x->last, "%s", e->ext);
    x->rows++;
    int rc = io_csv_write_record(x->w, CORE_EXTCSV_REGISTER, cols, &x->io);
    if (!rc)
        x->written++;
    return rc;
}

int ops_bulk_export(const struct ops_ctx *ctx, FILE *out, enum io_encoding encoding, long *rows,
                    struct core_problem *problem_out)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    struct export_ctx x;
    memset(&x, 0, sizeof x);
    int rc = io_csv_writer_open(&x.w, out, encoding, &x.io);
    do {
        x.rows = 0;
        if (!rc)
            rc = store_ext_page(st, site_id, 0, x.last[0] ? x.last : NULL, false, 2000, export_row,
                                &x);
    } while (!rc && x.rows == 2000);
    int close_rc = io_csv_writer_close(x.w, &x.io);
    if (!rc)
        rc = close_rc;
    *rows = x.written;
    if (rc) {
        core_problem_set(problem_out, rc, NULL);
        problem_out->row = x.io.record;
        problem_out->field = x.io.field;
    }
    return rc;
}
