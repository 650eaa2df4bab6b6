/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forwarding settings (転送, doc/spec.md §3.5): read for 留守番・各種転送設定確認
 * and set by kasconctl now, and by the extension user's own console later;
 * every front end goes through these, so the rules exist once. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "ops/ops.h"

/* Finds the extension, with its number checked first. */
static int find_ext(struct store *st, int64_t site_id, const char *ext, struct store_ext *e,
                    struct core_problem *problem)
{
    int rc = core_check_extension(ext);
    if (!rc)
        rc = store_ext_find(st, site_id, ext, e);
    if (rc) {
        core_problem_set(problem, rc, rc == E_STORAGE ? NULL : ext);
        problem->field = OPS_FWD_F_EXT;
    }
    return rc;
}

int ops_fwd_get(const struct ops_ctx *ctx, const char *ext, struct core_fwd *out,
                struct core_problem *problem)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    struct store_ext e;
    int rc = find_ext(st, site_id, ext, &e, problem);
    if (!rc && (rc = store_fwd_get(st, e.id, out)))
        core_problem_set(problem, rc, NULL);
    return rc;
}

struct loop_ctx {
    struct store *st;
    int64_t site_id;
};

static int lookup_unconditional(void *ctx, const char *ext, char *dest, size_t n)
{
    struct loop_ctx *l = ctx;
    return store_fwd_unconditional(l->st, l->site_id, ext, dest, n);
}

/* Which settings a change touches: a bit per kind, and voicemail. */
#define FWD_VOICEMAIL_BIT (1u << CORE_FWD_KINDS)
#define FWD_ALL_BITS ((1u << (CORE_FWD_KINDS + 1)) - 1)

/* One transaction: reads the settings, checks the version and, for each
 * new destination, the self and loop rules (the problem's row is the
 * kind + 1), takes the settings of `mask` from want and saves. */
static int update(struct store *st, int64_t site_id, const char *ext, int64_t version,
                  const struct core_fwd *want, unsigned mask, const struct store_actor *who,
                  struct core_problems *problems, struct core_fwd *out)
{
    size_t from = problems->count;
    int rc = store_begin(st);
    if (rc) {
        core_problems_add_code(problems, rc, NULL, -1);
        return rc;
    }
    struct store_ext e;
    struct core_fwd fwd;
    struct core_problem p;
    rc = find_ext(st, site_id, ext, &e, &p);
    if (rc)
        core_problems_add(problems, &p);
    else if ((rc = store_fwd_get(st, e.id, &fwd)))
        core_problems_add_code(problems, rc, NULL, -1);
    else if (version != OPS_ANY_VERSION && fwd.version != version) {
        if (out)
            *out = fwd;
        core_problems_add_code(problems, rc = E_CHANGED_MEANWHILE, ext, -1);
    }
    for (int kind = 0; !rc && kind < CORE_FWD_KINDS; kind++) {
        const char *dest = want->dest[kind];
        if (!(mask & (1u << kind)) || !*dest || !strcmp(dest, fwd.dest[kind]))
            continue;
        struct loop_ctx l = {st, site_id};
        int r =
            core_fwd_check_target(e.ext, dest, lookup_unconditional, &l, p.other, sizeof p.other);
        if (r == E_FWD_LOOP || r == E_FWD_SELF) {
            char chain[sizeof p.other];
            snprintf(chain, sizeof chain, "%s", p.other);
            core_problem_set(&p, r, dest);
            snprintf(p.other, sizeof p.other, "%s", chain);
            p.other_kind = chain[0] ? CORE_OTHER_TEXT : -1;
            p.field = OPS_FWD_F_DEST;
            p.row = kind + 1;
            core_problems_add(problems, &p);
        } else if (r) {
            core_problems_add_code(problems, rc = r, NULL, -1);
        }
    }
    if (!rc && problems->count > from)
        rc = problems->items[from].code;
    if (!rc) {
        int64_t read = fwd.version;
        for (int kind = 0; kind < CORE_FWD_KINDS; kind++)
            if (mask & (1u << kind))
                snprintf(fwd.dest[kind], sizeof fwd.dest[kind], "%s", want->dest[kind]);
        if (mask & (1u << CORE_FWD_NO_ANSWER))
            fwd.delay = fwd.dest[CORE_FWD_NO_ANSWER][0] ? want->delay : 0;
        if (mask & FWD_VOICEMAIL_BIT)
            fwd.voicemail = want->voicemail;
        if ((rc = store_fwd_put(st, site_id, e.id, e.ext, &fwd, read, who)))
            core_problems_add_code(problems, rc, rc == E_STORAGE ? NULL : ext, -1);
    }
    if (!rc && (rc = store_commit(st)))
        core_problems_add_code(problems, rc, NULL, -1);
    if (rc) {
        store_rollback(st);
        return problems->count > from ? problems->items[from].code : rc;
    }
    if (out)
        *out = fwd;
    return CORE_OK;
}

/* The format rules of one destination (and the delay with no-answer). */
static void check_setting(int kind, const char *dest, const char *delay, int *seconds,
                          struct core_problems *problems)
{
    int rc;
    if (dest && *dest && (rc = core_check_fwd_dest(dest))) {
        struct core_problem p;
        core_problem_set(&p, rc, dest);
        p.field = OPS_FWD_F_DEST;
        p.row = kind + 1;
        core_problems_add(problems, &p);
    }
    if (kind == CORE_FWD_NO_ANSWER && dest && *dest && (rc = core_check_fwd_delay(delay, seconds)))
        core_problems_add_code(problems, rc, delay, OPS_FWD_F_DELAY);
}

int ops_fwd_set(const struct ops_ctx *ctx, const struct ops_fwd_request *req,
                struct core_problems *problems, struct core_fwd *out)
{
    int kind = req->kind;
    const char *dest = req->dest;
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    size_t from = problems->count;
    if (kind < 0 || kind >= CORE_FWD_KINDS) {
        core_problems_add_code(problems, E_FWD_KIND, core_fwd_kind_name(kind), -1);
        return E_FWD_KIND;
    }
    struct core_fwd want;
    memset(&want, 0, sizeof want);
    snprintf(want.dest[kind], sizeof want.dest[kind], "%s", dest ? dest : "");
    check_setting(kind, dest, req->delay, &want.delay, problems);
    if (problems->count > from)
        return problems->items[from].code;
    return update(st, site_id, req->ext, req->version, &want, 1u << kind, who, problems, out);
}

int ops_fwd_voicemail(const struct ops_ctx *ctx, const struct ops_fwd_request *req, bool on,
                      struct core_problems *problems, struct core_fwd *out)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    struct core_fwd want;
    memset(&want, 0, sizeof want);
    want.voicemail = on;
    return update(st, site_id, req->ext, req->version, &want, FWD_VOICEMAIL_BIT, who, problems,
                  out);
}

int ops_fwd_save(const struct ops_ctx *ctx, const struct ops_fwd_request *req,
                 const struct core_fwd *want, struct core_problems *problems, struct core_fwd *out)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    size_t from = problems->count;
    struct core_fwd checked = *want;
    for (int kind = 0; kind < CORE_FWD_KINDS; kind++)
        check_setting(kind, want->dest[kind], req->delay, &checked.delay, problems);
    if (problems->count > from)
        return problems->items[from].code;
    return update(st, site_id, req->ext, req->version, &checked, FWD_ALL_BITS, who, problems, out);
}
