/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The outbox: collects the pending entries per domain, applies them
 * (and, for a sync, whole domains) in one registrar transaction, records
 * a failure for the status line, and runs after every commit once
 * attached. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ops/registrar_internal.h"

struct work {
    struct dwork *d;
    size_t n, cap;
    long entries;
    bool reg_oom;
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
            w->reg_oom = true;
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
        reg_keys_free(&w->d[i].sub);
        reg_keys_free(&w->d[i].alias);
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
        reg_keys_add(&d->sub, e->key);
    else if (strcmp(e->kind, "a") == 0)
        reg_keys_add(&d->alias, e->key);
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

static void record(struct store *st, const char *error)
{
    if (store_begin(st))
        return;
    if (store_registrar_state_set(st, error) || store_commit(st))
        store_rollback(st);
}

/* Applies the outbox; with `sync_by` (who syncs: audited when rows
 * changed) also compares whole domains, req->domain or every site. */
static int flush(struct store *st, const struct registrar_sync_request *req,
                 const struct ops_ctx *sync_by, struct registrar_stats *stats, char *err, size_t n)
{
    const struct registrar_config *cfg = req->cfg;
    const char *domain = req->domain;
    bool sync = sync_by != NULL, dry_run = req->dry_run;
    const struct ops_ctx *who = sync_by;
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
                    .report = req->report,
                    .report_ctx = req->report_ctx,
                    .err = err,
                    .errn = n};
    struct work w = {0};
    int64_t max_id = 0;
    bool in_store = false, in_target = false;
    int rc = target_open(cfg->url, &r.t, err, n);
    if (!rc)
        rc = reg_check_versions(&r);
    if (!rc) {
        /* kascon's write lock orders writers: what is read here is what
         * is written, and no later change is applied before it. */
        if ((rc = store_begin(st) ? reg_store_failed(&r) : 0) == 0)
            in_store = true;
    }
    if (!rc && store_outbox_each(st, outbox_entry, &w, &max_id))
        rc = reg_store_failed(&r);
    if (!rc && sync) {
        if (domain) {
            struct dwork *d = work_domain(&w, domain);
            if (d)
                d->full = true;
        } else if (store_site_each(st, site_entry, &w)) {
            rc = reg_store_failed(&r);
        }
    }
    for (size_t i = 0; !rc && i < w.n; i++)
        if (w.d[i].sub.reg_oom || w.d[i].alias.reg_oom)
            rc = reg_oom(&r);
    if (!rc && w.reg_oom)
        rc = reg_oom(&r);
    if (!rc && !dry_run && (rc = target_begin(r.t, err, n)) == 0)
        in_target = true;
    for (size_t i = 0; !rc && i < w.n; i++)
        rc = reg_apply_dwork(&r, &w.d[i]);
    if (!rc && in_target) {
        rc = target_commit(r.t, err, n);
        in_target = false;
    }
    if (!rc && !dry_run && (store_outbox_done(st, max_id) || store_registrar_state_set(st, NULL)))
        rc = reg_store_failed(&r);
    if (!rc && !dry_run && who && r.changes) {
        char after[64];
        snprintf(after, sizeof after, "%ld rows changed", r.changes);
        if (store_audit(st, who->site_id, &who->actor, "registrar.sync", domain ? domain : "*", "",
                        after))
            rc = reg_store_failed(&r);
    }
    if (!rc && !dry_run) {
        in_store = false;
        if (store_commit(st))
            rc = reg_store_failed(&r);
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

int ops_registrar_sync(const struct ops_ctx *ctx, const struct registrar_sync_request *req,
                       struct registrar_stats *stats, char *err, size_t n)
{
    if (!req->dry_run && req->cfg->url[0])
        ops_registrar_enable(ctx);
    return flush(ctx->st, req, ctx, stats, err, n);
}

int ops_registrar_apply(const struct ops_ctx *ctx, const struct registrar_config *cfg,
                        struct registrar_stats *stats, char *err, size_t n)
{
    return flush(ctx->st, &(struct registrar_sync_request){.cfg = cfg}, NULL, stats, err, n);
}

static void after_commit(struct store *st, void *ctx)
{
    struct registrar_stats stats;
    char err[512];
    /* A failure is recorded for the status line; the change itself is
     * committed and waits in the outbox. */
    flush(st, &(struct registrar_sync_request){.cfg = ctx}, NULL, &stats, err, sizeof err);
}

void ops_registrar_enable(const struct ops_ctx *ctx)
{
    struct store *st = ctx->st;
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

void ops_registrar_attach(const struct ops_ctx *ctx, const struct registrar_config *cfg)
{
    struct store *st = ctx->st;
    if (!cfg->url[0])
        return;
    ops_registrar_enable(ctx);
    store_set_commit_hook(st, after_commit, (void *)cfg);
    after_commit(st, (void *)cfg);
}
