/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the files of 一括登録 / 一括削除 (src/ops/bulk*.c) only: a file's
 * rows as read, and the snapshot of the site they are checked against. */
#ifndef KASCON_OPS_BULK_INTERNAL_H
#define KASCON_OPS_BULK_INTERNAL_H

#include "core/formats.h"
#include "ops/ops.h"

struct row {
    long no;
    int ncols;
    char *f[CORE_EXTCSV_REGISTER];
    bool shaped;      /* the column count is right: cross-row checks apply */
    bool new_profile; /* register: a profile to create */
    int64_t ext_id;   /* existing profile (2-column assign, delete) */
    int64_t line_id;  /* register: the mobile to assign, or 0 */
    char *hash;       /* CORE_HASH_MAX bytes in bulk.hashes, once hashed */
};

struct snap_ext {
    int64_t id;
    char ext[CORE_EXT_MAX + 1], sip_id[CORE_SIP_ID_MAX + 1], web_user[CORE_WEB_USER_MAX + 1];
    char mobile[CORE_MOBILE_LEN + 1];
    int is_virtual, groups;
};

struct snap_line {
    int64_t id;
    char mobile[CORE_MOBILE_LEN + 1], ext[CORE_EXT_MAX + 1];
};

struct bulk {
    enum ops_bulk_mode mode;
    struct row *rows;
    size_t nrows, cap;
    struct snap_ext *exts; /* sorted by ext */
    size_t nexts;
    const struct snap_ext **by_sip, **by_web; /* the same, sorted by SIP ID / web user */
    size_t nweb;
    struct snap_line *lines; /* sorted by mobile */
    size_t nlines;
    struct store_bulk_guard guard;           /* the site's extensions as checked */
    char (*admins)[CORE_ADMIN_NAME_MAX + 1]; /* sorted: web users may not take these names */
    size_t nadmins;
    char *hashes; /* the web password hashes (bulk_hash.c's mapping) */
    size_t hashes_len;
    size_t max_rows;          /* more rows than a site holds is refused as read */
    struct core_problem over; /* the row past max_rows, where reading stopped */
    bool over_capacity;       /* reading stopped there: the capacity is not judged again */
    struct core_problems *problems;
    ops_bulk_progress_fn progress;
    void *progress_ctx;
    bool nomem;
};

/* bulk_rows.c: a row's field ("" past its last), a problem at a row (NULL:
 * the file) and column, progress to the caller's function. */
const char *bulk_field(const struct row *r, int col);
void bulk_problem(struct bulk *b, const struct row *r, int col, int code, const char *value);
void bulk_progress(struct bulk *b, int phase, long done, long total);
/* bulk_check.c: every check, inside one read snapshot of the site. */
int bulk_check(struct store *st, int64_t site_id, struct bulk *b);
/* Orders problems as the user reads a file: by row, then column. */
int bulk_by_row_then_column(const void *a, const void *b);
/* bulk_hash.c: the web passwords of new profiles, on every core (the
 * caller and workers-1 forked processes); E_HASH_FAILED if one failed or
 * a worker died.  bulk_hash_free zeroes and unmaps the hashes. */
int bulk_hash_passwords(struct bulk *b, int workers);
void bulk_hash_free(struct bulk *b);

#endif
