/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drift repair: computes the rows a domain should have in the registrar
 * (subscriber, usr_preferences, dbaliases, domain) from kascon's tables,
 * reads the rows it has, and writes the difference set-wise.  Also the
 * check of the registrar's table versions. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "core/digest.h"
#include "ops/registrar_internal.h"

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

static void want_subscriber(struct run *r, const struct store_reg_subscriber *s)
{
    char buf[CORE_SIP_ID_MAX + 2 * CORE_DOMAIN_MAX + CORE_SIP_PW_MAX + 8];
    char ha1[33], ha1b[33];
    int len = snprintf(buf, sizeof buf, "%s:%s:%s", s->sip_id, r->domain, s->password);
    core_md5_hex(buf, (size_t)len, ha1);
    len = snprintf(buf, sizeof buf, "%s@%s:%s:%s", s->sip_id, r->domain, r->domain, s->password);
    core_md5_hex(buf, (size_t)len, ha1b);
    const char *sub[] = {s->sip_id, r->cfg->plaintext ? s->password : "", ha1, ha1b};
    reg_rows_add(&r->want[T_SUB], sub);
    static const char *const names[CORE_FWD_KINDS] = {REGISTRAR_ATTR_UNCONDITIONAL,
                                                      REGISTRAR_ATTR_BUSY, REGISTRAR_ATTR_NO_ANSWER,
                                                      REGISTRAR_ATTR_OUT_OF_COVERAGE};
    for (int k = 0; k < CORE_FWD_KINDS; k++) {
        if (!s->fwd.dest[k][0])
            continue;
        const char *pref[] = {s->sip_id, names[k], "0", s->fwd.dest[k]};
        reg_rows_add(&r->want[T_PREF], pref);
    }
    if (s->fwd.dest[CORE_FWD_NO_ANSWER][0]) {
        char delay[16];
        snprintf(delay, sizeof delay, "%d", s->fwd.delay);
        const char *pref[] = {s->sip_id, REGISTRAR_ATTR_NO_ANSWER_DELAY, "1", delay};
        reg_rows_add(&r->want[T_PREF], pref);
    }
    if (s->fwd.voicemail) {
        const char *pref[] = {s->sip_id, REGISTRAR_ATTR_VOICEMAIL, "1", "1"};
        reg_rows_add(&r->want[T_PREF], pref);
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
    reg_rows_add(&r->want[T_ALIAS], row);
    return 0;
}

static int have_row(int ncols, const char *const *vals, void *ctx)
{
    struct rows *rs = ctx;
    if (ncols >= rs->ncols)
        reg_rows_add(rs, vals);
    return 0;
}

/* A growing SQL text. */
struct sql {
    char *s;
    size_t len, cap;
    bool reg_oom;
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
            q->reg_oom = true;
            return;
        }
        q->s = s;
        q->cap = cap;
    }
    memcpy(q->s + q->len, text, n + 1);
    q->len += n;
}

int reg_oom(struct run *r)
{
    snprintf(r->err, r->errn, "out of memory");
    return -1;
}

/* The registrar's rows of table in the domain, kascon's only (its scope):
 * all of them (`all`), or those of keys[0..nkeys-1] in batches.  With
 * `have` they are read into it (SELECT); without, they are deleted. */
static int keyed_rows(struct run *r, int t, char **keys, size_t nkeys, bool all, struct rows *have)
{
    const struct tdef *d = &tdefs[t];
    if (!all && !nkeys)
        return 0;
    size_t done = 0;
    do {
        size_t n = all ? 0 : (nkeys - done < BATCH ? nkeys - done : BATCH);
        struct sql q = {0};
        sql_add(&q, have ? "SELECT " : "DELETE");
        for (int c = 0; have && c < d->ncols; c++) {
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
        if (q.reg_oom) {
            free(q.s);
            return reg_oom(r);
        }
        int rc = have ? target_query(r->t, q.s, (int)n + 1, params, have_row, have, r->err, r->errn)
                      : target_exec(r->t, q.s, (int)n + 1, params, r->err, r->errn);
        free(q.s);
        if (rc)
            return -1;
        done += n;
    } while (!all && done < nkeys);
    return have && have->reg_oom ? reg_oom(r) : 0;
}

static int insert_rows(struct run *r, int t, struct row **rows, size_t nrows)
{
    const struct tdef *d = &tdefs[t];
    const char **params = malloc(sizeof *params * BATCH * (NCOLS + 1));
    if (!params)
        return reg_oom(r);
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
        if (q.reg_oom) {
            free(q.s);
            free(params);
            return reg_oom(r);
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
        return reg_oom(r);
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
            reg_keys_add(&del, key);
        for (size_t k = i0; k < i; k++)
            ins[nins++] = &want->r[k];
    }
    int rc = 0;
    if (del.reg_oom)
        rc = reg_oom(r);
    else if (!r->dry_run)
        rc = keyed_rows(r, t, del.k, del.n, false, NULL) || insert_rows(r, t, ins, nins) ? -1 : 0;
    reg_keys_free(&del);
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

int reg_store_failed(struct run *r)
{
    snprintf(r->err, r->errn, "%s", store_errmsg(r->st));
    return -1;
}

int reg_apply_dwork(struct run *r, struct dwork *d)
{
    r->domain = d->domain;
    reg_keys_unique(&d->sub);
    reg_keys_unique(&d->alias);
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
            rc = reg_store_failed(r);
        for (int t = 0; !rc && t < T_COUNT; t++)
            rc = keyed_rows(r, t, NULL, 0, true, &have[t]);
    } else {
        for (size_t i = 0; !rc && i < d->sub.n; i++)
            if (store_reg_subscribers(r->st, d->domain, d->sub.k[i], want_subscriber_cb, r))
                rc = reg_store_failed(r);
        for (size_t i = 0; !rc && i < d->alias.n; i++)
            if (store_reg_aliases(r->st, d->domain, d->alias.k[i], want_alias_cb, r))
                rc = reg_store_failed(r);
        if (!rc && d->sub.n)
            rc = keyed_rows(r, T_SUB, d->sub.k, d->sub.n, false, &have[T_SUB]);
        if (!rc && d->sub.n)
            rc = keyed_rows(r, T_PREF, d->sub.k, d->sub.n, false, &have[T_PREF]);
        if (!rc && d->alias.n)
            rc = keyed_rows(r, T_ALIAS, d->alias.k, d->alias.n, false, &have[T_ALIAS]);
    }
    for (int t = 0; !rc && t < T_COUNT; t++)
        if (want[t].reg_oom)
            rc = reg_oom(r);
    for (int t = 0; !rc && t < T_COUNT; t++)
        rc = apply_table(r, t, &want[t], &have[t]);
    for (int t = 0; t < T_COUNT; t++) {
        reg_rows_free(&want[t]);
        reg_rows_free(&have[t]);
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

int reg_check_versions(struct run *r)
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
