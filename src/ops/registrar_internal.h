/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the registrar files share: the row and key sets, one domain's
 * share of an outbox flush, and the state of one flush (struct run). */
#ifndef KASCON_OPS_REGISTRAR_INTERNAL_H
#define KASCON_OPS_REGISTRAR_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "ops/registrar.h"
#include "registrar/target.h"

#define NCOLS 4

struct row {
    char *v[NCOLS];
};
struct rows {
    struct row *r;
    size_t n, cap;
    int ncols;
    bool reg_oom;
};

struct keys {
    char **k;
    size_t n, cap;
    bool reg_oom;
};

/* One domain's share of the work. */
struct dwork {
    char domain[CORE_DOMAIN_MAX + 1];
    bool full;
    struct keys sub, alias;
};

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

void reg_rows_add(struct rows *rs, const char *const *vals);
void reg_rows_free(struct rows *rs);
void reg_keys_add(struct keys *ks, const char *key);
/* Sorts the keys and drops the repeated ones. */
void reg_keys_unique(struct keys *ks);
void reg_keys_free(struct keys *ks);

/* Record an error in r->err and return -1. */
int reg_oom(struct run *r);
int reg_store_failed(struct run *r);
/* Refuses a registrar whose tables are not the Kamailio 5.6 versions. */
int reg_check_versions(struct run *r);
/* Brings one domain's rows (all, or those of its keys) in step. */
int reg_apply_dwork(struct run *r, struct dwork *d);

#endif
