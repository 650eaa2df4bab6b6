/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The audit log's own upkeep: how long it is kept, and purging it.  A
 * purge is itself audited (who removed how many entries, up to when). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ops/internal.h"

#define RETENTION_KEY "audit-retention-days"

int ops_audit_retention_get(const struct ops_ctx *ctx, int *days)
{
    struct store *st = ctx->st;
    char value[32];
    *days = 0;
    int rc = store_setting_get(st, RETENTION_KEY, value, sizeof value);
    if (!rc && value[0])
        *days = atoi(value);
    return rc;
}

int ops_audit_retention_set(const struct ops_ctx *ctx, const char *text,
                            struct core_problem *problem)
{
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    int days = 0;
    int rc = core_check_audit_retention(text, &days);
    if (rc) {
        core_problem_set(problem, rc, text);
        return rc;
    }
    int old = 0;
    char before[32], after[32];
    rc = store_begin(st);
    if (!rc)
        rc = ops_audit_retention_get(ctx, &old);
    snprintf(before, sizeof before, "%d", old);
    snprintf(after, sizeof after, "%d", days);
    if (!rc) {
        char value[32];
        snprintf(value, sizeof value, "%d", days);
        rc = store_setting_set(st, RETENTION_KEY, days ? value : NULL);
    }
    if (!rc)
        rc = store_audit(st, 0, who, "set", RETENTION_KEY, before, after);
    return single_write(st, rc, NULL, -1, problem);
}

int ops_audit_purge(const struct ops_ctx *ctx, int64_t before, long *deleted,
                    struct core_problem *problem)
{
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    *deleted = 0;
    int rc = store_begin(st);
    if (!rc)
        rc = store_audit_purge(st, before, deleted);
    if (!rc) {
        char what[96];
        struct tm tm;
        time_t t = (time_t)before;
        localtime_r(&t, &tm);
        char when[32];
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
        snprintf(what, sizeof what, "%ld entries before %s", *deleted, when);
        rc = store_audit(st, 0, who, "purge", "audit", what, NULL);
    }
    if ((rc = single_write(st, rc, NULL, -1, problem)))
        *deleted = 0;
    return rc;
}

int ops_audit_purge_expired(const struct ops_ctx *ctx, long *deleted, struct core_problem *problem)
{
    int days = 0;
    *deleted = 0;
    int rc = ops_audit_retention_get(ctx, &days);
    if (rc) {
        core_problem_set(problem, rc, NULL);
        return rc;
    }
    if (days == 0)
        return CORE_OK; /* kept until purged by hand */
    return ops_audit_purge(ctx, store_now() - (int64_t)days * 86400, deleted, problem);
}
