/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The checks of 一括登録 / 一括削除: every row against the file and a snapshot
 * of the site, every problem reported with its row and column.  Lookups go
 * to sorted in-memory arrays, so a 100,000-row file costs O(n log n), not
 * a query per check. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ops/bulk_internal.h"

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

/* snprintf("%s") costs as much as the row's lookup: one per column of
 * 100,000 rows. */
static void copy(char *dst, size_t n, const char *src)
{
    size_t len = strnlen(src, n - 1);
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static int take_ext(const struct store_bulk_ext *e, void *ctx)
{
    struct bulk *b = ctx;
    if (grow((void **)&b->exts, &ext_cap, b->nexts, sizeof *b->exts))
        return E_NO_MEMORY;
    struct snap_ext *s = &b->exts[b->nexts++];
    s->id = e->id;
    if (e->id > b->guard.max_id)
        b->guard.max_id = e->id;
    copy(s->ext, sizeof s->ext, e->ext);
    copy(s->sip_id, sizeof s->sip_id, e->sip_id);
    copy(s->web_user, sizeof s->web_user, e->web_user);
    copy(s->mobile, sizeof s->mobile, e->mobile);
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
    copy(s->mobile, sizeof s->mobile, l->mobile);
    copy(s->ext, sizeof s->ext, l->ext);
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
    /* A delete checks each row's profile and its mobile only (the
     * profile's snapshot has the mobile): the lines, the SIP and web
     * names and the administrators matter to a register. */
    bool reg = b->mode == OPS_BULK_REGISTER;
    int rc = store_bulk_site_exts(st, site_id, !reg, take_ext, b);
    if (!rc && reg)
        rc = store_bulk_site_lines(st, site_id, take_line, b);
    if (!rc && reg) /* in name order already: a site has a handful */
        rc = store_admin_names(st, site_id, take_admin, b);
    if (rc)
        return rc;
    b->guard.count = (int64_t)b->nexts;
    /* qsort and bsearch take no NULL array, even an empty one. */
    if (b->nexts)
        qsort(b->exts, b->nexts, sizeof *b->exts, cmp_ext);
    if (b->nlines)
        qsort(b->lines, b->nlines, sizeof *b->lines, cmp_line);
    if (!reg)
        return CORE_OK;
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

static void check_register_row(struct bulk *b, struct core_plan *plan, struct row *r)
{
    if (r->ncols != CORE_EXTCSV_REGISTER && r->ncols != CORE_EXTCSV_SHORT) {
        char n[16];
        snprintf(n, sizeof n, "%d", r->ncols);
        bulk_problem(b, r, -1, E_COLUMN_COUNT, n);
        return;
    }
    r->shaped = true;
    const char *ext = bulk_field(r, CORE_EXTCSV_EXT), *mobile = bulk_field(r, CORE_EXTCSV_MOBILE);
    size_t before = b->problems->count;
    int rc = core_check_extension(ext);
    if (rc)
        bulk_problem(b, r, CORE_EXTCSV_EXT, rc, ext);
    if (r->ncols == CORE_EXTCSV_SHORT || *mobile) {
        if ((rc = core_check_mobile(mobile)))
            bulk_problem(b, r, CORE_EXTCSV_MOBILE, rc, mobile);
    }
    const char *sip_id = ext, *sip_pw = ext;
    if (r->ncols == CORE_EXTCSV_REGISTER) {
        if (!core_extcsv_reserved_zeros(bulk_field(r, CORE_EXTCSV_RES1)))
            bulk_problem(b, r, CORE_EXTCSV_RES1, E_RESERVED_FIELD, bulk_field(r, CORE_EXTCSV_RES1));
        static const int zero_cols[] = {CORE_EXTCSV_RES2, CORE_EXTCSV_RES3, CORE_EXTCSV_RES4};
        for (int i = 0; i < 3; i++)
            if (!core_extcsv_reserved_zero_or_empty(bulk_field(r, zero_cols[i])))
                bulk_problem(b, r, zero_cols[i], E_RESERVED_FIELD, bulk_field(r, zero_cols[i]));
        if (*bulk_field(r, CORE_EXTCSV_SIP_ID))
            sip_id = bulk_field(r, CORE_EXTCSV_SIP_ID);
        if (*bulk_field(r, CORE_EXTCSV_SIP_PW))
            sip_pw = bulk_field(r, CORE_EXTCSV_SIP_PW);
        if ((rc = core_check_sip_id(sip_id)))
            bulk_problem(b, r, CORE_EXTCSV_SIP_ID, rc, sip_id);
        if ((rc = core_check_sip_password(sip_pw)))
            bulk_problem(b, r, CORE_EXTCSV_SIP_PW, rc, "");
        const char *user = bulk_field(r, CORE_EXTCSV_WEB_USER),
                   *pw = bulk_field(r, CORE_EXTCSV_WEB_PW);
        if ((rc = core_check_web_user(user)))
            bulk_problem(b, r, CORE_EXTCSV_WEB_USER, rc, user);
        if ((rc = core_check_web_password(pw, user)))
            bulk_problem(b, r, CORE_EXTCSV_WEB_PW, rc, "");
    }
    if (b->problems->count > before)
        return; /* the database checks need well-formed values */

    const struct snap_ext *e = find_ext(b, ext);
    if (r->ncols == CORE_EXTCSV_SHORT && e) {
        /* The 2-column form assigns to an existing profile. */
        if (e->is_virtual)
            bulk_problem(b, r, CORE_EXTCSV_EXT, E_VIRTUAL_ASSIGN, ext);
        else if (e->mobile[0] && strcmp(e->mobile, mobile))
            bulk_problem(b, r, CORE_EXTCSV_EXT, E_EXT_HAS_MOBILE, ext);
        r->ext_id = e->id;
    } else if (e) {
        bulk_problem(b, r, CORE_EXTCSV_EXT, E_DUP_EXTENSION, ext);
    } else {
        r->new_profile = true;
        struct core_problem p;
        if (core_plan_check(plan, ext, &p)) {
            p.row = r->no;
            p.field = CORE_EXTCSV_EXT;
            core_problems_add(b->problems, &p);
        }
        if (r->ncols == CORE_EXTCSV_REGISTER) {
            if (known_sip(b, sip_id))
                bulk_problem(b, r, CORE_EXTCSV_SIP_ID, E_DUP_SIP_ID, sip_id);
            if (known_web(b, bulk_field(r, CORE_EXTCSV_WEB_USER)))
                bulk_problem(b, r, CORE_EXTCSV_WEB_USER, E_DUP_WEB_USER,
                             bulk_field(r, CORE_EXTCSV_WEB_USER));
            else if (known_admin(b, bulk_field(r, CORE_EXTCSV_WEB_USER)))
                bulk_problem(b, r, CORE_EXTCSV_WEB_USER, E_WEB_USER_ADMIN,
                             bulk_field(r, CORE_EXTCSV_WEB_USER));
        } else if (known_sip(b, ext)) {
            bulk_problem(b, r, CORE_EXTCSV_EXT, E_DUP_SIP_ID, ext);
        }
    }
    if (*mobile) {
        const struct snap_line *l = find_line(b, mobile);
        if (!l)
            bulk_problem(b, r, CORE_EXTCSV_MOBILE, E_MOBILE_NOT_PROVISIONED, mobile);
        else if (l->ext[0] && strcmp(l->ext, ext))
            bulk_problem(b, r, CORE_EXTCSV_MOBILE, E_MOBILE_ASSIGNED, mobile);
        else if (!l->ext[0])
            r->line_id = l->id;
    }
}

static void check_delete_row(struct bulk *b, struct store *st, struct row *r)
{
    if (r->ncols != CORE_EXTCSV_DELETE && r->ncols != CORE_EXTCSV_REGISTER) {
        char n[16];
        snprintf(n, sizeof n, "%d", r->ncols);
        bulk_problem(b, r, -1, E_COLUMN_COUNT, n);
        return;
    }
    r->shaped = true;
    const char *ext = bulk_field(r, CORE_EXTCSV_EXT), *mobile = bulk_field(r, CORE_EXTCSV_MOBILE);
    int rc = core_check_extension(ext);
    if (rc) {
        bulk_problem(b, r, CORE_EXTCSV_EXT, rc, ext);
        return;
    }
    if (*mobile && (rc = core_check_mobile(mobile))) {
        bulk_problem(b, r, CORE_EXTCSV_MOBILE, rc, mobile);
        return;
    }
    if (!core_extcsv_reserved_zeros(bulk_field(r, CORE_EXTCSV_RES1)))
        bulk_problem(b, r, CORE_EXTCSV_RES1, E_RESERVED_FIELD, bulk_field(r, CORE_EXTCSV_RES1));
    const struct snap_ext *e = find_ext(b, ext);
    if (!e) {
        bulk_problem(b, r, CORE_EXTCSV_EXT, E_EXT_NOT_FOUND, ext);
        return;
    }
    if (strcmp(e->mobile, mobile)) {
        bulk_problem(b, r, CORE_EXTCSV_MOBILE, E_PAIR_MISMATCH, *mobile ? mobile : "-");
        return;
    }
    if (e->groups > 0) {
        struct core_problem p;
        core_problem_set(&p, E_DELETE_IN_GROUP, ext);
        p.row = r->no;
        p.field = CORE_EXTCSV_EXT;
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
            const char *v = bulk_field(r, col);
            /* SIP ID defaults to the extension number. */
            if (col == CORE_EXTCSV_SIP_ID && !*v)
                v = bulk_field(r, CORE_EXTCSV_EXT);
            if (*v)
                scratch[n++] = (struct keyed){v, r};
        }
    }
    if (n > 1)
        qsort(scratch, n, sizeof *scratch, cmp_keyed);
    for (size_t i = 1; i < n; i++)
        if (!strcmp(scratch[i].key, scratch[i - 1].key))
            bulk_problem(b, scratch[i].row,
                         col == CORE_EXTCSV_SIP_ID && scratch[i].row->ncols == CORE_EXTCSV_SHORT
                             ? CORE_EXTCSV_EXT
                             : col,
                         code, scratch[i].key);
}

/* Rows whose new extension number is a prefix of another row's: in sorted
 * order a prefix comes right before the values it begins, so a stack of
 * the prefixes of the current value finds every pair in O(n log n). */
static void file_prefixes(struct bulk *b, struct keyed *scratch)
{
    size_t n = 0;
    for (size_t i = 0; i < b->nrows; i++)
        if (b->rows[i].new_profile)
            scratch[n++] = (struct keyed){bulk_field(&b->rows[i], CORE_EXTCSV_EXT), &b->rows[i]};
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
            p.field = CORE_EXTCSV_EXT;
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
    return r->new_profile && r->ncols == CORE_EXTCSV_REGISTER;
}
static bool has_mobile(const struct row *r)
{
    return r->shaped && *bulk_field(r, CORE_EXTCSV_MOBILE) != '\0';
}
static bool any_row(const struct row *r)
{
    return r->shaped;
}

int bulk_by_row_then_column(const void *a, const void *b)
{
    const struct core_problem *x = a, *y = b;
    if (x->row != y->row)
        return (x->row > y->row) - (x->row < y->row);
    return (x->field > y->field) - (x->field < y->field);
}

/* Checks every row against the file and one read snapshot of the site;
 * the problems go to b->problems.  Returns a failure to check, not a
 * problem found. */
int bulk_check(struct store *st, int64_t site_id, struct bulk *b)
{
    int rc;
    struct store_site site;
    struct core_plan plan;
    core_plan_init(&plan);
    /* One read snapshot for every check: consistent, and it blocks no
     * writer (WAL).  The apply compares it with the site again. */
    rc = store_begin_read(st);
    if (!rc)
        rc = store_site_get(st, site_id, &site);
    if (!rc)
        rc = load_snapshot(st, site_id, b);
    if (!rc && b->mode == OPS_BULK_REGISTER)
        rc = store_plan_load(st, site_id, &plan);
    struct keyed *scratch = rc ? NULL : malloc((b->nrows + 1) * sizeof *scratch);
    if (!rc && !scratch)
        rc = E_NO_MEMORY;
    for (size_t i = 0; !rc && i < b->nrows; i++) {
        if (b->mode == OPS_BULK_REGISTER)
            check_register_row(b, &plan, &b->rows[i]);
        else
            check_delete_row(b, st, &b->rows[i]);
        if ((i & 1023) == 0)
            bulk_progress(b, OPS_BULK_CHECK, (long)i, (long)b->nrows);
    }
    if (!rc) {
        duplicates(b, CORE_EXTCSV_EXT, any_row, E_DUP_EXTENSION, scratch);
        if (b->mode == OPS_BULK_REGISTER) {
            duplicates(b, CORE_EXTCSV_SIP_ID, is_new, E_DUP_SIP_ID, scratch);
            duplicates(b, CORE_EXTCSV_WEB_USER, is_register10, E_DUP_WEB_USER, scratch);
            duplicates(b, CORE_EXTCSV_MOBILE, has_mobile, E_MOBILE_ASSIGNED, scratch);
            file_prefixes(b, scratch);
            /* Capacity: the first row that would go over it says so. */
            long count = (long)b->nexts;
            for (size_t i = 0; i < b->nrows; i++) {
                if (!b->over_capacity && b->rows[i].new_profile && ++count > site.capacity) {
                    char used[48];
                    snprintf(used, sizeof used, "%ld/%ld", count, site.capacity);
                    bulk_problem(b, &b->rows[i], -1, E_CAPACITY, used);
                    break;
                }
            }
        }
        bulk_progress(b, OPS_BULK_CHECK, (long)b->nrows, (long)b->nrows);
    }
    free(scratch);
    core_plan_free(&plan);
    store_rollback(st);
    return rc;
}
