/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "registrar/md5.h"
#include "ops/registrar.h"
#include "registrar/target.h"

/* Rows per INSERT and keys per IN (...): a few thousand parameters per
 * statement, well inside SQLite's and PostgreSQL's limits. */
#define BATCH 500
/* More keys than this for one domain: compare the whole domain at once. */
#define FULL_THRESHOLD OPS_REGISTRAR_SITEWIDE_ROWS

/* The Kamailio 5.6 table versions of what kascon writes. */
static const struct {
    const char *table;
    int version;
} versions[] = {{"subscriber", 7}, {"dbaliases", 1}, {"domain", 2}, {"usr_preferences", 2}};

#define ATTRS_IN                                                                                   \
    "('" REGISTRAR_ATTR_UNCONDITIONAL "','" REGISTRAR_ATTR_BUSY "','" REGISTRAR_ATTR_NO_ANSWER     \
    "','" REGISTRAR_ATTR_NO_ANSWER_DELAY "','" REGISTRAR_ATTR_OUT_OF_COVERAGE                      \
    "','" REGISTRAR_ATTR_VOICEMAIL "')"

enum { T_SUB, T_PREF, T_ALIAS, T_COUNT };
#define NCOLS 4
static const struct tdef {
    const char *name;
    const char *domain_col;
    const char *cols[NCOLS]; /* cols[0] is the key within the domain */
    int ncols;
    const char *scope; /* kascon's rows only */
} tdefs[T_COUNT] = {
    {"subscriber", "domain", {"username", "password", "ha1", "ha1b"}, 4, ""},
    {"usr_preferences",
     "domain",
     {"username", "attribute", "type", "value"},
     4,
     " AND attribute IN " ATTRS_IN},
    {"dbaliases", "alias_domain", {"alias_username", "username", "domain"}, 3, ""},
};

struct row {
    char *v[NCOLS];
};
struct rows {
    struct row *r;
    size_t n, cap;
    int ncols;
    bool oom;
};

static void rows_add(struct rows *rs, const char *const *vals)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 64;
        struct row *r = realloc(rs->r, cap * sizeof *r);
        if (!r) {
            rs->oom = true;
            return;
        }
        rs->r = r;
        rs->cap = cap;
    }
    struct row *row = &rs->r[rs->n];
    memset(row, 0, sizeof *row);
    for (int c = 0; c < rs->ncols; c++) {
        row->v[c] = strdup(vals[c] ? vals[c] : "");
        if (!row->v[c])
            rs->oom = true;
    }
    rs->n++;
}

static void rows_free(struct rows *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        for (int c = 0; c < rs->ncols; c++)
            free(rs->r[i].v[c]);
    free(rs->r);
    rs->r = NULL;
    rs->n = rs->cap = 0;
}

static int row_cmp_n(const struct row *a, const struct row *b, int ncols)
{
    for (int c = 0; c < ncols; c++) {
        int d = strcmp(a->v[c] ? a->v[c] : "", b->v[c] ? b->v[c] : "");
        if (d)
            return d;
    }
    return 0;
}

static int sort_ncols;
static int row_cmp(const void *a, const void *b)
{
    return row_cmp_n(a, b, sort_ncols);
}

struct keys {
    char **k;
    size_t n, cap;
    bool oom;
};

static void keys_add(struct keys *ks, const char *key)
{
    if (ks->n == ks->cap) {
        size_t cap = ks->cap ? ks->cap * 2 : 16;
        char **k = realloc(ks->k, cap * sizeof *k);
        if (!k) {
            ks->oom = true;
            return;
        }
        ks->k = k;
        ks->cap = cap;
    }
    if (!(ks->k[ks->n] = strdup(key)))
        ks->oom = true;
    else
        ks->n++;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void keys_unique(struct keys *ks)
{
    if (!ks->n)
        return;
    qsort(ks->k, ks->n, sizeof *ks->k, str_cmp);
    size_t out = 1;
    for (size_t i = 1; i < ks->n; i++) {
        if (strcmp(ks->k[i], ks->k[out - 1]) == 0)
            free(ks->k[i]);
        else
            ks->k[out++] = ks->k[i];
    }
    ks->n = out;
}

static void keys_free(struct keys *ks)
{
    for (size_t i = 0; i < ks->n; i++)
        free(ks->k[i]);
    free(ks->k);
    memset(ks, 0, sizeof *ks);
}

/* One domain's share of the work. */
struct dwork {
    char domain[CORE_DOMAIN_MAX + 1];
    bool full;
    struct keys sub, alias;
};
struct work {
    struct dwork *d;
    size_t n, cap;
    long entries;
    bool oom;
};

static struct dwork *work_domain(struct work *w, const char *domain)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->d[i].domain, domain) == 0)
            return &w->d[i];
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 4;
        struct dwork *d = realloc(w->d, cap * sizeof *d);
        if (!d) {
            w->oom = true;
            return NULL;
        }
        w->d = d;
        w->cap = cap;
    }
    struct dwork *d = &w->d[w->n++];
    memset(d, 0, sizeof *d);
    snprintf(d->domain, sizeof d->domain, "%s", domain);
    return d;
}

static void work_free(struct work *w)
{
    for (size_t i = 0; i < w->n; i++) {
        keys_free(&w->d[i].sub);
        keys_free(&w->d[i].alias);
    }
    free(w->d);
    memset(w, 0, sizeof *w);
}

static int outbox_entry(const struct store_outbox_entry *e, void *ctx)
{
    struct work *w = ctx;
    w->entries++;
    struct dwork *d = work_domain(w, e->domain);
    if (!d)
        return 0;
    if (strcmp(e->kind, "s") == 0)
        keys_add(&d->sub, e->key);
    else if (strcmp(e->kind, "a") == 0)
        keys_add(&d->alias, e->key);
    else
        d->full = true; /* "site", "d", or a kind of a later version */
    return 0;
}

static int site_entry(const struct store_site *site, void *ctx)
{
    struct dwork *d = work_domain(ctx, site->domain);
    if (d)
        d->full = true;
    return 0;
}

/* ---- one flush ---- */
struct run {
    const struct registrar_config *cfg;
    struct store *st;
    struct reg_target *t;
    bool dry_run;
    registrar_report_fn report;
    void *report_ctx;
    long changes;
    char *err;
    size_t errn;
    /* the desired rows being collected */
    const char *domain;
    struct rows *want;
};

static void want_subscriber(struct run *r, const struct store_reg_subscriber *s)
{
    char buf[CORE_SIP_ID_MAX + 2 * CORE_DOMAIN_MAX + CORE_SIP_PW_MAX + 8];
    char ha1[33], ha1b[33];
    int len = snprintf(buf, sizeof buf, "%s:%s:%s", s->sip_id, r->domain, s->password);
    md5_hex(buf, (size_t)len, ha1);
    len = snprintf(buf, sizeof buf, "%s@%s:%s:%s", s->sip_id, r->domain, r->domain, s->password);
    md5_hex(buf, (size_t)len, ha1b);
    const char *sub[] = {s->sip_id, r->cfg->plaintext ? s->password : "", ha1, ha1b};
    rows_add(&r->want[T_SUB], sub);
    static const char *const names[CORE_FWD_KINDS] = {REGISTRAR_ATTR_UNCONDITIONAL,
                                                      REGISTRAR_ATTR_BUSY, REGISTRAR_ATTR_NO_ANSWER,
                                                      REGISTRAR_ATTR_OUT_OF_COVERAGE};
    for (int k = 0; k < CORE_FWD_KINDS; k++) {
        if (!s->fwd.dest[k][0])
            continue;
        const char *pref[] = {s->sip_id, names[k], "0", s->fwd.dest[k]};
        rows_add(&r->want[T_PREF], pref);
    }
    if (s->fwd.dest[CORE_FWD_NO_ANSWER][0]) {
        char delay[16];
        snprintf(delay, sizeof delay, "%d", s->fwd.delay);
        const char *pref[] = {s->sip_id, REGISTRAR_ATTR_NO_ANSWER_DELAY, "1", delay};
        rows_add(&r->want[T_PREF], pref);
    }
    if (s->fwd.voicemail) {
        const char *pref[] = {s->sip_id, REGISTRAR_ATTR_VOICEMAIL, "1", "1"};
        rows_add(&r->want[T_PREF], pref);
    }
}

static int want_subscriber_cb(const struct store_reg_subscriber *s, void *ctx)
{
    want_subscriber(ctx, s);
    return 0;
}

static int want_alias_cb(const struct store_reg_alias *a, void *ctx)
{
    struct run *r = ctx;
    const char *row[] = {a->number, a->sip_id, r->domain};
    rows_add(&r->want[T_ALIAS], row);
    return 0;
}

static int have_row(int ncols, const char *const *vals, void *ctx)
{
    struct rows *rs = ctx;
    if (ncols >= rs->ncols)
        rows_add(rs, vals);
    return 0;
}

/* A growing SQL text. */
struct sql {
    char *s;
    size_t len, cap;
    bool oom;
};

static void sql_add(struct sql *q, const char *text)
{
    size_t n = strlen(text);
    if (q->len + n + 1 > q->cap) {
        size_t cap = q->cap ? q->cap : 256;
        while (cap < q->len + n + 1)
            cap *= 2;
        char *s = realloc(q->s, cap);
        if (!s) {
            q->oom = true;
            return;
        }
        q->s = s;
        q->cap = cap;
    }
    memcpy(q->s + q->len, text, n + 1);
    q->len += n;
}

static int oom(struct run *r)
{
    snprintf(r->err, r->errn, "out of memory");
    return -1;
}

/* SELECT the registrar's rows of table in the domain: all, or those of
 * keys[0..nkeys-1]. */
static int read_have(struct run *r, int t, char **keys, size_t nkeys, bool all, struct rows *have)
{
    const struct tdef *d = &tdefs[t];
    size_t done = 0;
    do {
        size_t n = all ? 0 : (nkeys - done < BATCH ? nkeys - done : BATCH);
        struct sql q = {0};
        sql_add(&q, "SELECT ");
        for (int c = 0; c < d->ncols; c++) {
            sql_add(&q, c ? ", " : "");
            sql_add(&q, d->cols[c]);
        }
        sql_add(&q, " FROM ");
        sql_add(&q, d->name);
        sql_add(&q, " WHERE ");
        sql_add(&q, d->domain_col);
        sql_add(&q, " = ?");
        sql_add(&q, d->scope);
        const char *params[BATCH + 1];
        params[0] = r->domain;
        if (!all) {
            sql_add(&q, " AND ");
            sql_add(&q, d->cols[0]);
            sql_add(&q, " IN (");
            for (size_t i = 0; i < n; i++) {
                sql_add(&q, i ? ",?" : "?");
                params[i + 1] = keys[done + i];
            }
            sql_add(&q, ")");
        }
        if (q.oom) {
            free(q.s);
            return oom(r);
        }
        int rc = target_query(r->t, q.s, (int)n + 1, params, have_row, have, r->err, r->errn);
        free(q.s);
        if (rc)
            return -1;
        done += n;
    } while (!all && done < nkeys);
    return have->oom ? oom(r) : 0;
}

static int delete_keys(struct run *r, int t, char **keys, size_t nkeys)
{
    const struct tdef *d = &tdefs[t];
    for (size_t done = 0; done < nkeys;) {
        size_t n = nkeys - done < BATCH ? nkeys - done : BATCH;
        struct sql q = {0};
        sql_add(&q, "DELETE FROM ");
        sql_add(&q, d->name);
        sql_add(&q, " WHERE ");
        sql_add(&q, d->domain_col);
        sql_add(&q, " = ?");
        sql_add(&q, d->scope);
        sql_add(&q, " AND ");
        sql_add(&q, d->cols[0]);
        sql_add(&q, " IN (");
        const char *params[BATCH + 1];
        params[0] = r->domain;
        for (size_t i = 0; i < n; i++) {
            sql_add(&q, i ? ",?" : "?");
            params[i + 1] = keys[done + i];
        }
        sql_add(&q, ")");
        if (q.oom) {
            free(q.s);
            return oom(r);
        }
        int rc = target_exec(r->t, q.s, (int)n + 1, params, r->err, r->errn);
        free(q.s);
        if (rc)
            return -1;
        done += n;
    }
    return 0;
}

static int insert_rows(struct run *r, int t, struct row **rows, size_t nrows)
{
    const struct tdef *d = &tdefs[t];
    const char **params = malloc(sizeof *params * BATCH * (NCOLS + 1));
    if (!params)
        return oom(r);
    for (size_t done = 0; done < nrows;) {
        size_t n = nrows - done < BATCH ? nrows - done : BATCH;
        struct sql q = {0};
        sql_add(&q, "INSERT INTO ");
        sql_add(&q, d->name);
        sql_add(&q, " (");
        sql_add(&q, d->domain_col);
        for (int c = 0; c < d->ncols; c++) {
            sql_add(&q, ", ");
            sql_add(&q, d->cols[c]);
        }
        sql_add(&q, ") VALUES ");
        int p = 0;
        for (size_t i = 0; i < n; i++) {
            sql_add(&q, i ? ",(?" : "(?");
            params[p++] = r->domain;
            for (int c = 0; c < d->ncols; c++) {
                sql_add(&q, ",?");
                params[p++] = rows[done + i]->v[c];
            }
            sql_add(&q, ")");
        }
        if (q.oom) {
            free(q.s);
            free(params);
            return oom(r);
        }
        int rc = target_exec(r->t, q.s, p, params, r->err, r->errn);
        free(q.s);
        if (rc) {
            free(params);
            return -1;
        }
        done += n;
    }
    free(params);
    return 0;
}

/* Compares want and have key by key; a key whose rows differ in any way
 * (missing, extra, changed, duplicated behind kascon's back) is deleted
 * and written again. */
static int apply_table(struct run *r, int t, struct rows *want, struct rows *have)
{
    int ncols = tdefs[t].ncols;
    sort_ncols = ncols;
    if (want->n)
        qsort(want->r, want->n, sizeof *want->r, row_cmp);
    if (have->n)
        qsort(have->r, have->n, sizeof *have->r, row_cmp);
    struct keys del = {0};
    struct row **ins = malloc(sizeof *ins * (want->n ? want->n : 1));
    size_t nins = 0;
    if (!ins)
        return oom(r);
    size_t i = 0, j = 0;
    while (i < want->n || j < have->n) {
        const char *key;
        if (i < want->n && j < have->n)
            key = strcmp(want->r[i].v[0], have->r[j].v[0]) <= 0 ? want->r[i].v[0] : have->r[j].v[0];
        else
            key = i < want->n ? want->r[i].v[0] : have->r[j].v[0];
        size_t i0 = i, j0 = j;
        while (i < want->n && strcmp(want->r[i].v[0], key) == 0)
            i++;
        while (j < have->n && strcmp(have->r[j].v[0], key) == 0)
            j++;
        bool same = i - i0 == j - j0;
        for (size_t k = 0; same && k < i - i0; k++)
            same = row_cmp_n(&want->r[i0 + k], &have->r[j0 + k], ncols) == 0;
        if (same)
            continue;
        r->changes++;
        if (r->report) {
            struct registrar_change c = {j == j0   ? '+'
                                         : i == i0 ? '-'
                                                   : '~',
                                         tdefs[t].name, r->domain, key};
            r->report(&c, r->report_ctx);
        }
        if (j > j0)
            keys_add(&del, key);
        for (size_t k = i0; k < i; k++)
            ins[nins++] = &want->r[k];
    }
    int rc = 0;
    if (del.oom)
        rc = oom(r);
    else if (!r->dry_run)
        rc = delete_keys(r, t, del.k, del.n) || insert_rows(r, t, ins, nins) ? -1 : 0;
    keys_free(&del);
    free(ins);
    return rc;
}

static int count_row(int ncols, const char *const *vals, void *ctx)
{
    (void)ncols;
    *(long *)ctx = vals[0] ? atol(vals[0]) : 0;
    return 0;
}

static int apply_domain_row(struct run *r)
{
    bool want;
    if (store_reg_domain_exists(r->st, r->domain, &want)) {
        snprintf(r->err, r->errn, "%s", store_errmsg(r->st));
        return -1;
    }
    long have = 0;
    const char *params[] = {r->domain};
    if (target_query(r->t, "SELECT count(*) FROM domain WHERE domain = ?", 1, params, count_row,
                     &have, r->err, r->errn))
        return -1;
    if ((want && have == 1) || (!want && have == 0))
        return 0;
    r->changes++;
    if (r->report) {
        struct registrar_change c = {!have   ? '+'
                                     : !want ? '-'
                                             : '~',
                                     "domain", r->domain, r->domain};
        r->report(&c, r->report_ctx);
    }
    if (r->dry_run)
        return 0;
    if (have &&
        target_exec(r->t, "DELETE FROM domain WHERE domain = ?", 1, params, r->err, r->errn))
        return -1;
    if (want &&
        target_exec(r->t, "INSERT INTO domain (domain) VALUES (?)", 1, params, r->err, r->errn))
        return -1;
    return 0;
}

static int store_failed(struct run *r)
{
    snprintf(r->err, r->errn, "%s", store_errmsg(r->st));
    return -1;
}

static int apply_dwork(struct run *r, struct dwork *d)
{
    r->domain = d->domain;
    keys_unique(&d->sub);
    keys_unique(&d->alias);
    if (d->sub.n > FULL_THRESHOLD || d->alias.n > FULL_THRESHOLD)
        d->full = true;
    if (apply_domain_row(r))
        return -1;
    struct rows want[T_COUNT], have[T_COUNT];
    for (int t = 0; t < T_COUNT; t++) {
        want[t] = (struct rows){.ncols = tdefs[t].ncols};
        have[t] = (struct rows){.ncols = tdefs[t].ncols};
    }
    r->want = want;
    int rc = 0;
    if (d->full) {
        if (store_reg_subscribers(r->st, d->domain, NULL, want_subscriber_cb, r) ||
            store_reg_aliases(r->st, d->domain, NULL, want_alias_cb, r))
            rc = store_failed(r);
        for (int t = 0; !rc && t < T_COUNT; t++)
            rc = read_have(r, t, NULL, 0, true, &have[t]);
    } else {
        for (size_t i = 0; !rc && i < d->sub.n; i++)
            if (store_reg_subscribers(r->st, d->domain, d->sub.k[i], want_subscriber_cb, r))
                rc = store_failed(r);
        for (size_t i = 0; !rc && i < d->alias.n; i++)
            if (store_reg_aliases(r->st, d->domain, d->alias.k[i], want_alias_cb, r))
                rc = store_failed(r);
        if (!rc && d->sub.n)
            rc = read_have(r, T_SUB, d->sub.k, d->sub.n, false, &have[T_SUB]);
        if (!rc && d->sub.n)
            rc = read_have(r, T_PREF, d->sub.k, d->sub.n, false, &have[T_PREF]);
        if (!rc && d->alias.n)
            rc = read_have(r, T_ALIAS, d->alias.k, d->alias.n, false, &have[T_ALIAS]);
    }
    for (int t = 0; !rc && t < T_COUNT; t++)
        if (want[t].oom)
            rc = oom(r);
    for (int t = 0; !rc && t < T_COUNT; t++)
        rc = apply_table(r, t, &want[t], &have[t]);
    for (int t = 0; t < T_COUNT; t++) {
        rows_free(&want[t]);
        rows_free(&have[t]);
    }
    r->want = NULL;
    return rc;
}

struct version_check {
    int seen[4];
    int found[4];
};

static int version_row(int ncols, const char *const *vals, void *ctx)
{
    struct version_check *v = ctx;
    if (ncols < 2 || !vals[0])
        return 0;
    for (int i = 0; i < 4; i++)
        if (strcmp(vals[0], versions[i].table) == 0) {
            v->seen[i] = 1;
            v->found[i] = vals[1] ? atoi(vals[1]) : 0;
        }
    return 0;
}

static int check_versions(struct run *r)
{
    struct version_check v = {{0}, {0}};
    if (target_query(r->t,
                     "SELECT table_name, table_version FROM version WHERE table_name IN"
                     " ('subscriber', 'dbaliases', 'domain', 'usr_preferences')",
                     0, NULL, version_row, &v, r->err, r->errn))
        return -1;
    for (int i = 0; i < 4; i++) {
        if (!v.seen[i]) {
            snprintf(r->err, r->errn,
                     _("the registrar database has no version row for table %s: create"
                       " Kamailio's tables (kamdbctl create) first"),
                     versions[i].table);
            return -1;
        }
        if (v.found[i] != versions[i].version) {
            snprintf(r->err, r->errn,
                     _("the registrar's table %s is at version %d; kascon writes version %d"
                       " (Kamailio 5.6): refused"),
                     versions[i].table, v.found[i], versions[i].version);
            return -1;
        }
    }
    return 0;
}

static void record(struct store *st, const char *error)
{
    if (store_begin(st))
        return;
    if (store_registrar_state_set(st, error) || store_commit(st))
        store_rollback(st);
}

/* Applies the outbox (and with sync, compares whole domains).  who, when
 * given, audits a sync that changed rows. */
static int flush(const struct registrar_config *cfg, struct store *st, bool sync,
                 const char *domain, bool dry_run, registrar_report_fn report, void *ctx,
                 const struct ops_ctx *who, struct registrar_stats *stats, char *err, size_t n)
{
    static bool busy; /* the commit hook does not re-enter */
    memset(stats, 0, sizeof *stats);
    err[0] = '\0';
    if (!cfg->url[0]) {
        snprintf(err, n, "%s",
                 _("no registrar is configured (--registrar, KASCON_REGISTRAR or registrar ="
                   " in kascond.conf)"));
        return -1;
    }
    if (busy)
        return 0;
    bool any = false;
    if (!sync && (store_outbox_any(st, &any) || !any)) {
        if (!any)
            return 0;
        snprintf(err, n, "%s", store_errmsg(st));
        return -1;
    }
    busy = true;
    struct run r = {.cfg = cfg,
                    .st = st,
                    .dry_run = dry_run,
                    .report = report,
                    .report_ctx = ctx,
                    .err = err,
                    .errn = n};
    struct work w = {0};
    int64_t max_id = 0;
    bool in_store = false, in_target = false;
    int rc = target_open(cfg->url, &r.t, err, n);
    if (!rc)
        rc = check_versions(&r);
    if (!rc) {
        /* kascon's write lock orders writers: what is read here is what
         * is written, and no later change is applied before it. */
        if ((rc = store_begin(st) ? store_failed(&r) : 0) == 0)
            in_store = true;
    }
    if (!rc && store_outbox_each(st, outbox_entry, &w, &max_id))
        rc = store_failed(&r);
    if (!rc && sync) {
        if (domain) {
            struct dwork *d = work_domain(&w, domain);
            if (d)
                d->full = true;
        } else if (store_site_each(st, site_entry, &w)) {
            rc = store_failed(&r);
        }
    }
    for (size_t i = 0; !rc && i < w.n; i++)
        if (w.d[i].sub.oom || w.d[i].alias.oom)
            rc = oom(&r);
    if (!rc && w.oom)
        rc = oom(&r);
    if (!rc && !dry_run && (rc = target_begin(r.t, err, n)) == 0)
        in_target = true;
    for (size_t i = 0; !rc && i < w.n; i++)
        rc = apply_dwork(&r, &w.d[i]);
    if (!rc && in_target) {
        rc = target_commit(r.t, err, n);
        in_target = false;
    }
    if (!rc && !dry_run && (store_outbox_done(st, max_id) || store_registrar_state_set(st, NULL)))
        rc = store_failed(&r);
    if (!rc && !dry_run && who && r.changes) {
        char after[64];
        snprintf(after, sizeof after, "%ld rows changed", r.changes);
        if (store_audit(st, who->site_id, &who->actor, "registrar.sync", domain ? domain : "*", "",
                        after))
            rc = store_failed(&r);
    }
    if (!rc && !dry_run) {
        in_store = false;
        if (store_commit(st))
            rc = store_failed(&r);
    }
    if (in_target)
        target_rollback(r.t);
    if (in_store)
        store_rollback(st);
    if (r.t) {
        stats->statements = target_statements(r.t);
        target_close(r.t);
    }
    if (!rc) {
        stats->entries = w.entries;
        stats->changes = r.changes;
    }
    work_free(&w);
    if (rc && !dry_run)
        record(st, err);
    busy = false;
    return rc;
}

int ops_registrar_sync(const struct ops_ctx *ctx, const struct registrar_config *cfg,
                       const char *domain, bool dry_run, registrar_report_fn report,
                       void *report_ctx, struct registrar_stats *stats, char *err, size_t n)
{
    if (!dry_run && cfg->url[0])
        ops_registrar_enable(ctx->st);
    return flush(cfg, ctx->st, true, domain, dry_run, report, report_ctx, ctx, stats, err, n);
}

int ops_registrar_apply(struct store *st, const struct registrar_config *cfg,
                        struct registrar_stats *stats, char *err, size_t n)
{
    return flush(cfg, st, false, NULL, false, NULL, NULL, NULL, stats, err, n);
}

void ops_registrar_config_set(struct registrar_config *cfg, const char *url, bool plaintext)
{
    char copy[sizeof cfg->url]; /* url may be cfg->url itself */
    if (url && strncmp(url, "sqlite://", 9) == 0)
        url += 9;
    snprintf(copy, sizeof copy, "%s", url ? url : "");
    memcpy(cfg->url, copy, sizeof copy);
    cfg->plaintext = plaintext;
    if (cfg->url[0]) {
        setenv("KASCON_REGISTRAR", cfg->url, 1);
        setenv("KASCON_REGISTRAR_PLAINTEXT", plaintext ? "1" : "0", 1);
    }
}

void ops_registrar_config_from_env(struct registrar_config *cfg)
{
    const char *url = getenv("KASCON_REGISTRAR");
    const char *plain = getenv("KASCON_REGISTRAR_PLAINTEXT");
    memset(cfg, 0, sizeof *cfg);
    if (url && strncmp(url, "sqlite://", 9) == 0)
        url += 9;
    snprintf(cfg->url, sizeof cfg->url, "%s", url ? url : "");
    cfg->plaintext = plain && (strcmp(plain, "1") == 0 || strcmp(plain, "yes") == 0);
}

static void after_commit(struct store *st, void *ctx)
{
    struct registrar_stats stats;
    char err[512];
    /* A failure is recorded for the status line; the change itself is
     * committed and waits in the outbox. */
    flush(ctx, st, false, NULL, false, NULL, NULL, NULL, &stats, err, sizeof err);
}

void ops_registrar_enable(struct store *st)
{
    /* Already on (the usual case): a read, no write lock. */
    struct store_registrar_state state;
    if (store_registrar_state_get(st, &state) == CORE_OK && state.enabled)
        return;
    bool newly = false;
    if (store_begin(st) == CORE_OK) {
        if (store_outbox_enable(st, &newly) || store_commit(st))
            store_rollback(st);
    }
}

int ops_registrar_probe(const struct registrar_config *cfg, char *err, size_t n)
{
    struct run r = {.cfg = cfg, .err = err, .errn = n};
    int rc = target_open(cfg->url, &r.t, err, n);
    if (!rc)
        rc = check_versions(&r);
    target_close(r.t);
    return rc;
}

void ops_registrar_attach(struct store *st, const struct registrar_config *cfg)
{
    if (!cfg->url[0])
        return;
    ops_registrar_enable(st);
    store_set_commit_hook(st, after_commit, (void *)cfg);
    after_commit(st, (void *)cfg);
}

void ops_registrar_status_line(struct store *st, char *buf, size_t n)
{
    struct store_registrar_state s;
    buf[0] = '\0';
    if (store_registrar_state_get(st, &s) || !s.enabled || s.pending == 0)
        return;
    if (s.last_error[0] && s.failed_at >= s.applied_at)
        snprintf(buf, n,
                 ngettext("Registrar: %ld change waiting (%s)",
                          "Registrar: %ld changes waiting (%s)", (unsigned long)s.pending),
                 s.pending, s.last_error);
    else
        snprintf(buf, n,
                 ngettext("Registrar: %ld change waiting", "Registrar: %ld changes waiting",
                          (unsigned long)s.pending),
                 s.pending);
}
