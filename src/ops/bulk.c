/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 一括登録 / 一括削除 (doc/spec.md §4): every row is checked against the file and
 * a snapshot of the site before anything changes; every problem is
 * reported with its row and column; a valid file is applied in one
 * transaction.  Lookups go to sorted in-memory arrays, so a 100,000-row
 * file costs O(n log n), not a query per check. */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/io.h"
#include "ops/ops.h"

#define COLS_REGISTER 10
#define COLS_SHORT 2
#define COLS_DELETE 3

enum {
    COL_EXT,
    COL_MOBILE,
    COL_RES1,
    COL_SIP_ID,
    COL_SIP_PW,
    COL_RES2,
    COL_RES3,
    COL_WEB_USER,
    COL_WEB_PW,
    COL_RES4
};

struct row {
    long no;
    int ncols;
    char *f[COLS_REGISTER];
    bool shaped;      /* the column count is right: cross-row checks apply */
    bool new_profile; /* register: a profile to create */
    int64_t ext_id;   /* existing profile (2-column assign, delete) */
    int64_t line_id;  /* register: the mobile to assign, or 0 */
    char hash[CORE_HASH_MAX];
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
    struct core_problems *problems;
    ops_bulk_progress_fn progress;
    void *progress_ctx;
    bool nomem;
};

static const char *field(const struct row *r, int col)
{
    return col < r->ncols ? r->f[col] : "";
}

static void problem(struct bulk *b, const struct row *r, int col, int code, const char *value)
{
    struct core_problem p;
    core_problem_set(&p, code, value);
    p.row = r ? r->no : 0;
    p.field = col;
    if (!core_problems_add(b->problems, &p))
        b->nomem = true;
}

static void progress(struct bulk *b, int phase, long done, long total)
{
    if (b->progress)
        b->progress(b->progress_ctx, phase, done, total);
}

/* ---- reading ---- */

static int on_record(void *ctx, long no, size_t nfields, char **fields)
{
    struct bulk *b = ctx;
    if (b->nrows == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
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
    for (size_t i = 0; i < nfields && i < COLS_REGISTER; i++)
        if (!(r->f[i] = strdup(fields[i])))
            return E_NO_MEMORY;
    b->nrows++;
    return 0;
}

static void on_progress(void *ctx, long long done, long long total)
{
    progress(ctx, OPS_BULK_READ, (long)done, (long)total);
}

/* ---- the site snapshot ---- */

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 1024;
    void *p = realloc(*v, c * size);
    if (!p)
        return -1;
    *v = p;
    *cap = c;
    return 0;
}

static size_t ext_cap, line_cap;

static int take_ext(const struct store_bulk_ext *e, void *ctx)
{
    struct bulk *b = ctx;
    if (grow((void **)&b->exts, &ext_cap, b->nexts, sizeof *b->exts))
        return E_NO_MEMORY;
    struct snap_ext *s = &b->exts[b->nexts++];
    s->id = e->id;
    if (e->id > b->guard.max_id)
        b->guard.max_id = e->id;
    snprintf(s->ext, sizeof s->ext, "%s", e->ext);
    snprintf(s->sip_id, sizeof s->sip_id, "%s", e->sip_id);
    snprintf(s->web_user, sizeof s->web_user, "%s", e->web_user);
    snprintf(s->mobile, sizeof s->mobile, "%s", e->mobile);
    s->is_virtual = e->is_virtual;
    s->groups = e->groups;
    return 0;
}

static int take_line(const struct store_bulk_line *l, void *ctx)
{
    struct bulk *b = ctx;
    if (grow((void **)&b->lines, &line_cap, b->nlines, sizeof *b->lines))
        return E_NO_MEMORY;
    struct snap_line *s = &b->lines[b->nlines++];
    s->id = l->id;
    snprintf(s->mobile, sizeof s->mobile, "%s", l->mobile);
    snprintf(s->ext, sizeof s->ext, "%s", l->ext);
    return 0;
}

static int cmp_ext(const void *a, const void *b)
{
    return strcmp(((const struct snap_ext *)a)->ext, ((const struct snap_ext *)b)->ext);
}
static int cmp_sip(const void *a, const void *b)
{
    return strcmp((*(const struct snap_ext *const *)a)->sip_id,
                  (*(const struct snap_ext *const *)b)->sip_id);
}
static int cmp_web(const void *a, const void *b)
{
    return strcmp((*(const struct snap_ext *const *)a)->web_user,
                  (*(const struct snap_ext *const *)b)->web_user);
}
static int cmp_line(const void *a, const void *b)
{
    return strcmp(((const struct snap_line *)a)->mobile, ((const struct snap_line *)b)->mobile);
}

static int take_admin(const char *name, void *ctx)
{
    struct bulk *b = ctx;
    void *grown = realloc(b->admins, (b->nadmins + 1) * sizeof *b->admins);
    if (!grown)
        return E_NO_MEMORY;
    b->admins = grown;
    snprintf(b->admins[b->nadmins++], sizeof *b->admins, "%s", name);
    return 0;
}

/* Inside the caller's read transaction: one statement per table, only the
 * columns the checks use. */
static int load_snapshot(struct store *st, int64_t site_id, struct bulk *b)
{
    ext_cap = line_cap = 0;
    int rc = store_bulk_site_exts(st, site_id, b->mode == OPS_BULK_DELETE, take_ext, b);
    if (!rc)
        rc = store_bulk_site_lines(st, site_id, take_line, b);
    if (!rc) /* in name order already: a site has a handful */
        rc = store_admin_names(st, site_id, take_admin, b);
    if (rc)
        return rc;
    b->guard.count = (int64_t)b->nexts;
    /* qsort and bsearch take no NULL array, even an empty one. */
    if (b->nexts)
        qsort(b->exts, b->nexts, sizeof *b->exts, cmp_ext);
    if (b->nlines)
        qsort(b->lines, b->nlines, sizeof *b->lines, cmp_line);
    b->by_sip = malloc((b->nexts + 1) * sizeof *b->by_sip);
    b->by_web = malloc((b->nexts + 1) * sizeof *b->by_web);
    if (!b->by_sip || !b->by_web)
        return E_NO_MEMORY;
    for (size_t i = 0; i < b->nexts; i++) {
        b->by_sip[i] = &b->exts[i];
        if (b->exts[i].web_user[0])
            b->by_web[b->nweb++] = &b->exts[i];
    }
    if (b->nexts)
        qsort(b->by_sip, b->nexts, sizeof *b->by_sip, cmp_sip);
    if (b->nweb)
        qsort(b->by_web, b->nweb, sizeof *b->by_web, cmp_web);
    return CORE_OK;
}

static const struct snap_ext *find_ext(const struct bulk *b, const char *ext)
{
    struct snap_ext key;
    if (!b->nexts)
        return NULL;
    snprintf(key.ext, sizeof key.ext, "%s", ext);
    return bsearch(&key, b->exts, b->nexts, sizeof *b->exts, cmp_ext);
}

static bool known_sip(const struct bulk *b, const char *sip)
{
    struct snap_ext key;
    const struct snap_ext *k = &key;
    if (!b->nexts)
        return false;
    snprintf(key.sip_id, sizeof key.sip_id, "%s", sip);
    return bsearch(&k, b->by_sip, b->nexts, sizeof *b->by_sip, cmp_sip) != NULL;
}

static bool known_web(const struct bulk *b, const char *web)
{
    struct snap_ext key;
    const struct snap_ext *k = &key;
    if (!b->nweb)
        return false;
    snprintf(key.web_user, sizeof key.web_user, "%s", web);
    return bsearch(&k, b->by_web, b->nweb, sizeof *b->by_web, cmp_web) != NULL;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

static bool known_admin(const struct bulk *b, const char *name)
{
    return b->nadmins && bsearch(name, b->admins, b->nadmins, sizeof *b->admins, cmp_name);
}

static const struct snap_line *find_line(const struct bulk *b, const char *mobile)
{
    struct snap_line key;
    if (!b->nlines)
        return NULL;
    snprintf(key.mobile, sizeof key.mobile, "%s", mobile);
    return bsearch(&key, b->lines, b->nlines, sizeof *b->lines, cmp_line);
}

/* ---- row checks ---- */

/* 予約番号1: the guide's table says twelve zeros, its examples ten. */
static bool reserved_zeros(const char *v)
{
    size_t n = strlen(v);
    return n >= 10 && n <= 12 && strspn(v, "0") == n;
}

static bool reserved_zero_or_empty(const char *v)
{
    return !*v || !strcmp(v, "0");
}

static void check_register_row(struct bulk *b, struct core_plan *plan, struct row *r)
{
    if (r->ncols != COLS_REGISTER && r->ncols != COLS_SHORT) {
        char n[16];
        snprintf(n, sizeof n, "%d", r->ncols);
        problem(b, r, -1, E_COLUMN_COUNT, n);
        return;
    }
    r->shaped = true;
    const char *ext = field(r, COL_EXT), *mobile = field(r, COL_MOBILE);
    size_t before = b->problems->count;
    int rc = core_check_extension(ext);
    if (rc)
        problem(b, r, COL_EXT, rc, ext);
    if (r->ncols == COLS_SHORT || *mobile) {
        if ((rc = core_check_mobile(mobile)))
            problem(b, r, COL_MOBILE, rc, mobile);
    }
    const char *sip_id = ext, *sip_pw = ext;
    if (r->ncols == COLS_REGISTER) {
        if (!reserved_zeros(field(r, COL_RES1)))
            problem(b, r, COL_RES1, E_RESERVED_FIELD, field(r, COL_RES1));
        static const int zero_cols[] = {COL_RES2, COL_RES3, COL_RES4};
        for (int i = 0; i < 3; i++)
            if (!reserved_zero_or_empty(field(r, zero_cols[i])))
                problem(b, r, zero_cols[i], E_RESERVED_FIELD, field(r, zero_cols[i]));
        if (*field(r, COL_SIP_ID))
            sip_id = field(r, COL_SIP_ID);
        if (*field(r, COL_SIP_PW))
            sip_pw = field(r, COL_SIP_PW);
        if ((rc = core_check_sip_id(sip_id)))
            problem(b, r, COL_SIP_ID, rc, sip_id);
        if ((rc = core_check_sip_password(sip_pw)))
            problem(b, r, COL_SIP_PW, rc, "");
        const char *user = field(r, COL_WEB_USER), *pw = field(r, COL_WEB_PW);
        if ((rc = core_check_web_user(user)))
            problem(b, r, COL_WEB_USER, rc, user);
        if ((rc = core_check_web_password(pw, user)))
            problem(b, r, COL_WEB_PW, rc, "");
    }
    if (b->problems->count > before)
        return; /* the database checks need well-formed values */

    const struct snap_ext *e = find_ext(b, ext);
    if (r->ncols == COLS_SHORT && e) {
        /* The 2-column form assigns to an existing profile. */
        if (e->is_virtual)
            problem(b, r, COL_EXT, E_VIRTUAL_ASSIGN, ext);
        else if (e->mobile[0] && strcmp(e->mobile, mobile))
            problem(b, r, COL_EXT, E_EXT_HAS_MOBILE, ext);
        r->ext_id = e->id;
    } else if (e) {
        problem(b, r, COL_EXT, E_DUP_EXTENSION, ext);
    } else {
        r->new_profile = true;
        struct core_problem p;
        if (core_plan_check(plan, ext, &p)) {
            p.row = r->no;
            p.field = COL_EXT;
            core_problems_add(b->problems, &p);
        }
        if (r->ncols == COLS_REGISTER) {
            if (known_sip(b, sip_id))
                problem(b, r, COL_SIP_ID, E_DUP_SIP_ID, sip_id);
            if (known_web(b, field(r, COL_WEB_USER)))
                problem(b, r, COL_WEB_USER, E_DUP_WEB_USER, field(r, COL_WEB_USER));
            else if (known_admin(b, field(r, COL_WEB_USER)))
                problem(b, r, COL_WEB_USER, E_WEB_USER_ADMIN, field(r, COL_WEB_USER));
        } else if (known_sip(b, ext)) {
            problem(b, r, COL_EXT, E_DUP_SIP_ID, ext);
        }
    }
    if (*mobile) {
        const struct snap_line *l = find_line(b, mobile);
        if (!l)
            problem(b, r, COL_MOBILE, E_MOBILE_NOT_PROVISIONED, mobile);
        else if (l->ext[0] && strcmp(l->ext, ext))
            problem(b, r, COL_MOBILE, E_MOBILE_ASSIGNED, mobile);
        else if (!l->ext[0])
            r->line_id = l->id;
    }
}

static void check_delete_row(struct bulk *b, struct store *st, struct row *r)
{
    if (r->ncols != COLS_DELETE && r->ncols != COLS_REGISTER) {
        char n[16];
        snprintf(n, sizeof n, "%d", r->ncols);
        problem(b, r, -1, E_COLUMN_COUNT, n);
        return;
    }
    r->shaped = true;
    const char *ext = field(r, COL_EXT), *mobile = field(r, COL_MOBILE);
    int rc = core_check_extension(ext);
    if (rc) {
        problem(b, r, COL_EXT, rc, ext);
        return;
    }
    if (*mobile && (rc = core_check_mobile(mobile))) {
        problem(b, r, COL_MOBILE, rc, mobile);
        return;
    }
    if (!reserved_zeros(field(r, COL_RES1)))
        problem(b, r, COL_RES1, E_RESERVED_FIELD, field(r, COL_RES1));
    const struct snap_ext *e = find_ext(b, ext);
    if (!e) {
        problem(b, r, COL_EXT, E_EXT_NOT_FOUND, ext);
        return;
    }
    if (strcmp(e->mobile, mobile)) {
        problem(b, r, COL_MOBILE, E_PAIR_MISMATCH, *mobile ? mobile : "-");
        return;
    }
    if (e->groups > 0) {
        struct core_problem p;
        core_problem_set(&p, E_DELETE_IN_GROUP, ext);
        p.row = r->no;
        p.field = COL_EXT;
        store_ext_groups(st, e->id, p.other, sizeof p.other);
        p.other_kind = CORE_OTHER_GROUPS;
        core_problems_add(b->problems, &p);
        return;
    }
    r->ext_id = e->id;
}

/* ---- checks across rows ---- */

struct keyed {
    const char *key;
    const struct row *row;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->row->no > y->row->no) - (x->row->no < y->row->no);
}

/* Reports every row whose value in `col` repeats one of an earlier row. */
static void duplicates(struct bulk *b, int col, bool (*applies)(const struct row *), int code,
                       struct keyed *scratch)
{
    size_t n = 0;
    for (size_t i = 0; i < b->nrows; i++) {
        const struct row *r = &b->rows[i];
        if (applies(r)) {
            const char *v = field(r, col);
            /* SIP ID defaults to the extension number. */
            if (col == COL_SIP_ID && !*v)
                v = field(r, COL_EXT);
            if (*v)
                scratch[n++] = (struct keyed){v, r};
        }
    }
    if (n > 1)
        qsort(scratch, n, sizeof *scratch, cmp_keyed);
    for (size_t i = 1; i < n; i++)
        if (!strcmp(scratch[i].key, scratch[i - 1].key))
            problem(b, scratch[i].row,
                    col == COL_SIP_ID && scratch[i].row->ncols == COLS_SHORT ? COL_EXT : col, code,
                    scratch[i].key);
}

/* Rows whose new extension number is a prefix of another row's: in sorted
 * order a prefix comes right before the values it begins, so a stack of
 * the prefixes of the current value finds every pair in O(n log n). */
static void file_prefixes(struct bulk *b, struct keyed *scratch)
{
    size_t n = 0;
    for (size_t i = 0; i < b->nrows; i++)
        if (b->rows[i].new_profile)
            scratch[n++] = (struct keyed){field(&b->rows[i], COL_EXT), &b->rows[i]};
    if (n > 1)
        qsort(scratch, n, sizeof *scratch, cmp_keyed);
    const struct keyed *stack[CORE_EXT_MAX + 1];
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        const char *v = scratch[i].key;
        while (depth && strncmp(v, stack[depth - 1]->key, strlen(stack[depth - 1]->key)))
            depth--;
        if (depth && strcmp(v, stack[depth - 1]->key)) {
            const struct keyed *a = stack[depth - 1], *later = &scratch[i], *other = a;
            if (a->row->no > later->row->no) {
                later = a;
                other = &scratch[i];
            }
            struct core_problem p;
            core_problem_set(&p, E_PREFIX_COLLISION, later->key);
            p.row = later->row->no;
            p.field = COL_EXT;
            p.other_kind = PLAN_EXTENSION;
            snprintf(p.other, sizeof p.other, "%s", other->key);
            core_problems_add(b->problems, &p);
        }
        if (depth < CORE_EXT_MAX && (!depth || strcmp(v, stack[depth - 1]->key)))
            stack[depth++] = &scratch[i];
    }
}

static bool is_new(const struct row *r)
{
    return r->new_profile;
}
static bool is_register10(const struct row *r)
{
    return r->new_profile && r->ncols == COLS_REGISTER;
}
static bool has_mobile(const struct row *r)
{
    return r->shaped && *field(r, COL_MOBILE) != '\0';
}
static bool any_row(const struct row *r)
{
    return r->shaped;
}

static int by_row_then_column(const void *a, const void *b)
{
    const struct core_problem *x = a, *y = b;
    if (x->row != y->row)
        return (x->row > y->row) - (x->row < y->row);
    return (x->field > y->field) - (x->field < y->field);
}

/* ---- hashing the web passwords on every core ---- */

struct hash_job {
    struct bulk *b;
    size_t next;
    size_t done;
    pthread_mutex_t lock;
    int failed;
};

static void *hash_worker(void *arg)
{
    struct hash_job *job = arg;
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t i = job->next++;
        pthread_mutex_unlock(&job->lock);
        if (i >= job->b->nrows)
            return NULL;
        struct row *r = &job->b->rows[i];
        if (!is_register10(r))
            continue;
        if (core_password_hash_web(field(r, COL_WEB_PW), r->hash, sizeof r->hash)) {
            pthread_mutex_lock(&job->lock);
            job->failed = 1;
            pthread_mutex_unlock(&job->lock);
        }
        pthread_mutex_lock(&job->lock);
        job->done++;
        pthread_mutex_unlock(&job->lock);
    }
}

static int hash_passwords(struct bulk *b, int threads)
{
    struct hash_job job = {.b = b};
    pthread_mutex_init(&job.lock, NULL);
    if (threads < 1)
        threads = 1;
    if (threads > 64)
        threads = 64;
    pthread_t tid[64];
    int started = 0;
    for (int i = 0; i < threads; i++)
        if (pthread_create(&tid[i], NULL, hash_worker, &job) == 0)
            started++;
    if (started == 0)
        hash_worker(&job);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&job.lock);
    return job.failed ? E_STORAGE : CORE_OK;
}

/* ---- applying ---- */

/* Stages the rows (no lock), then writes them set-wise in one short
 * transaction: only this part holds the database's write lock. */
static int apply(struct store *st, int64_t site_id, struct bulk *b, const struct store_actor *who,
                 const char *path, const char *sha256, struct ops_bulk_result *res)
{
    struct store_bulk *sb = NULL;
    progress(b, OPS_BULK_APPLY, 0, (long)b->nrows);
    int rc = store_bulk_open(st, site_id, &sb);
    for (size_t i = 0; !rc && i < b->nrows; i++) {
        struct row *r = &b->rows[i];
        const char *ext = field(r, COL_EXT), *mobile = field(r, COL_MOBILE);
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
            bool full = r->ncols == COLS_REGISTER;
            sr.sip_id = full && *field(r, COL_SIP_ID) ? field(r, COL_SIP_ID) : ext;
            sr.sip_password = full && *field(r, COL_SIP_PW) ? field(r, COL_SIP_PW) : ext;
            if (full) {
                sr.web_user = field(r, COL_WEB_USER);
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
    if (!rc)
        rc = b->mode == OPS_BULK_DELETE ? store_bulk_apply_delete(sb, &sum, who)
                                        : store_bulk_apply_register(sb, &b->guard, &sum, who);
    /* Further set-wise writes of the same rows (temp.bulk_rows) belong
     * here, inside the one transaction, before the commit. */
    if (!rc)
        rc = store_commit(st);
    if (rc)
        store_rollback(st);
    store_bulk_close(sb);
    progress(b, OPS_BULK_APPLY, (long)b->nrows, (long)b->nrows);
    return rc;
}

static void bulk_free(struct bulk *b)
{
    for (size_t i = 0; i < b->nrows; i++)
        for (int c = 0; c < COLS_REGISTER; c++)
            free(b->rows[i].f[c]);
    free(b->rows);
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
    struct io_csv_callbacks cb = {.on_record = on_record, .on_progress = on_progress};
    struct io_csv_result io;
    int rc = path ? io_csv_read_file(path, &cb, &b, &io) : io_csv_read_mem(buf, len, &cb, &b, &io);
    res->encoding = io.encoding;
    res->rows = (long)b.nrows;
    if (rc) {
        struct core_problem p;
        core_problem_set(&p, rc, NULL);
        p.row = io.record;
        p.field = io.field;
        core_problems_add(problems, &p);
        bulk_free(&b);
        return rc;
    }
    struct store_site site;
    struct core_plan plan;
    core_plan_init(&plan);
    /* One read snapshot for every check: consistent, and it blocks no
     * writer (WAL).  The apply compares it with the site again. */
    rc = store_begin_read(st);
    if (!rc)
        rc = store_site_get(st, site_id, &site);
    if (!rc)
        rc = load_snapshot(st, site_id, &b);
    if (!rc && mode == OPS_BULK_REGISTER)
        rc = store_plan_load(st, site_id, &plan);
    struct keyed *scratch = rc ? NULL : malloc((b.nrows + 1) * sizeof *scratch);
    if (!rc && !scratch)
        rc = E_NO_MEMORY;
    for (size_t i = 0; !rc && i < b.nrows; i++) {
        if (mode == OPS_BULK_REGISTER)
            check_register_row(&b, &plan, &b.rows[i]);
        else
            check_delete_row(&b, st, &b.rows[i]);
        if ((i & 1023) == 0)
            progress(&b, OPS_BULK_CHECK, (long)i, (long)b.nrows);
    }
    if (!rc) {
        duplicates(&b, COL_EXT, any_row, E_DUP_EXTENSION, scratch);
        if (mode == OPS_BULK_REGISTER) {
            duplicates(&b, COL_SIP_ID, is_new, E_DUP_SIP_ID, scratch);
            duplicates(&b, COL_WEB_USER, is_register10, E_DUP_WEB_USER, scratch);
            duplicates(&b, COL_MOBILE, has_mobile, E_MOBILE_ASSIGNED, scratch);
            file_prefixes(&b, scratch);
            /* Capacity: the first row that would go over it says so. */
            long count = (long)b.nexts;
            for (size_t i = 0; i < b.nrows; i++) {
                if (b.rows[i].new_profile && ++count > site.capacity) {
                    char used[48];
                    snprintf(used, sizeof used, "%ld/%ld", count, site.capacity);
                    problem(&b, &b.rows[i], -1, E_CAPACITY, used);
                    break;
                }
            }
        }
        progress(&b, OPS_BULK_CHECK, (long)b.nrows, (long)b.nrows);
    }
    free(scratch);
    core_plan_free(&plan);
    store_rollback(st);
    if (!rc && b.nomem)
        rc = E_NO_MEMORY;
    if (!rc && problems->count > from) {
        qsort(problems->items + from, problems->count - from, sizeof *problems->items,
              by_row_then_column);
        rc = problems->items[from].code;
    } else if (rc) {
        struct core_problem p;
        core_problem_set(&p, rc, NULL);
        core_problems_add(problems, &p);
    } else if (!dry_run) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        progress(&b, OPS_BULK_HASH, 0, (long)b.nrows);
        if (mode == OPS_BULK_REGISTER)
            rc = hash_passwords(&b, cpus > 0 ? (int)cpus : 1);
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
            res->unassigned += mode == OPS_BULK_DELETE && *field(&b.rows[i], COL_MOBILE);
        }
    }
    bulk_free(&b);
    return rc;
}

/* ---- 一括出力 ---- */

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
    const char *cols[COLS_REGISTER] = {e->ext, e->mobile, "0000000000", e->sip_id, e->sip_password,
                                       "0",    "0",       e->web_user,  "",        "0"};
    snprintf(x->last, sizeof x->last, "%s", e->ext);
    x->rows++;
    int rc = io_csv_write_record(x->w, COLS_REGISTER, cols, &x->io);
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
