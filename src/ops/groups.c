/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pickup groups (§5.1) and call hunting groups (§5.3): every change checks
 * core's rules against the group as stored, then writes in one
 * transaction with the version check and an audit entry. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "ops/ops.h"

struct member_set {
    struct store_member items[CORE_GROUP_MEMBERS_MAX];
    int count;
};

static int collect_member(const struct store_member *m, void *ctx)
{
    struct member_set *set = ctx;
    if (set->count < CORE_GROUP_MEMBERS_MAX)
        set->items[set->count++] = *m;
    return 0;
}

static int member_index(const struct member_set *set, int64_t ext_id)
{
    for (int i = 0; i < set->count; i++)
        if (set->items[i].ext_id == ext_id)
            return i;
    return -1;
}

/* "2001,2002,..." for the audit log. */
static void member_text(const struct member_set *set, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < set->count; i++) {
        int w = snprintf(buf + used, n - used, "%s%s", i ? "," : "", set->items[i].ext);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
    if (!used)
        snprintf(buf, n, "-");
}

static void add(struct core_problems *problems, int code, const char *value, int field, long row)
{
    struct core_problem p;
    core_problem_set(&p, code, value);
    p.field = field;
    p.row = row;
    core_problems_add(problems, &p);
}

/* As add, naming the groups (refs) the problem is about. */
static void add_refs(struct core_problems *problems, int code, const char *value, int field,
                     long row, int role, int number)
{
    struct core_problem p;
    core_problem_set(&p, code, value);
    p.field = field;
    p.row = row;
    core_group_refs_add(p.other, sizeof p.other, role, number);
    p.other_kind = CORE_OTHER_GROUPS;
    core_problems_add(problems, &p);
}

/* Ends the transaction: commit when nothing was recorded since `from`
 * and rc is 0; otherwise roll back and return the first problem's code
 * (rc itself becomes the problem when none was recorded). */
static int finish(struct store *st, struct core_problems *problems, size_t from, int rc)
{
    if (rc && problems->count == from)
        add(problems, rc, NULL, -1, 0);
    if (problems->count == from) {
        rc = store_commit(st);
        if (!rc)
            return CORE_OK;
        add(problems, rc, NULL, -1, 0);
    }
    store_rollback(st);
    return problems->items[from].code;
}

static int parse_number(const char *text, int *number, struct core_problem *problem)
{
    int rc = core_check_group_number(text, number);
    if (rc) {
        core_problem_set(problem, rc, text);
        problem->field = OPS_G_NUMBER;
    }
    return rc;
}

/* Reads the group to change; refuses a stale version at once (the write
 * checks it again).  On E_CHANGED_MEANWHILE *out is the group as it is. */
static int load_group(struct store *st, int64_t site_id, int kind, const char *number,
                      int64_t version, struct store_group *g, struct store_group *out,
                      struct core_problems *problems)
{
    struct core_problem p;
    int n = 0;
    if (parse_number(number, &n, &p)) {
        core_problems_add(problems, &p);
        return p.code;
    }
    int rc = store_group_find(st, kind, site_id, n, g);
    if (rc) {
        add(problems, rc, rc == E_STORAGE ? NULL : number, OPS_G_NUMBER, 0);
        return rc;
    }
    if (version != OPS_ANY_VERSION && version != g->version) {
        if (out)
            *out = *g;
        add(problems, E_CHANGED_MEANWHILE, number, -1, 0);
        return E_CHANGED_MEANWHILE;
    }
    return CORE_OK;
}

/* The hunting-group rules for a representative extension (field REP). */
static int check_rep(struct store *st, int64_t site_id, const char *rep, int own_number,
                     struct store_ext *e, struct core_problems *problems)
{
    int rc = rep && *rep ? core_check_extension(rep) : E_EMPTY;
    if (!rc)
        rc = store_ext_find(st, site_id, rep, e);
    if (rc) {
        add(problems, rc, rc == E_STORAGE ? NULL : rep, OPS_G_REP, 0);
        return rc;
    }
    int held = 0;
    if ((rc = store_hunt_of_member(st, e->id, &held)))
        return rc;
    if (held) {
        add_refs(problems, E_HUNT_REP_MEMBER, rep, OPS_G_REP, 0, CORE_REF_HUNT, held);
        return E_HUNT_REP_MEMBER;
    }
    if ((rc = store_hunt_of_rep(st, e->id, &held)))
        return rc;
    if (held && held != own_number) {
        add_refs(problems, E_HUNT_REP_TAKEN, rep, OPS_G_REP, 0, CORE_REF_REP, held);
        return E_HUNT_REP_TAKEN;
    }
    return CORE_OK;
}

int ops_group_get(const struct ops_ctx *ctx, int kind, const char *number, struct store_group *out,
                  struct core_problem *problem)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    int n = 0;
    int rc = parse_number(number, &n, problem);
    if (rc)
        return rc;
    rc = store_group_find(st, kind, site_id, n, out);
    if (rc) {
        core_problem_set(problem, rc, rc == E_STORAGE ? NULL : number);
        problem->field = OPS_G_NUMBER;
    }
    return rc;
}

static int group_add(const struct ops_ctx *ctx, struct store_group *g, const char *number,
                     const char *rep, struct core_problems *problems, struct store_group *out)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    size_t from = problems->count;
    struct core_problem p;
    if (parse_number(number, &g->number, &p))
        core_problems_add(problems, &p);
    if (g->kind == CORE_HUNT && rep && *rep && core_check_extension(rep))
        add(problems, core_check_extension(rep), rep, OPS_G_REP, 0);
    if (g->kind == CORE_HUNT && (!rep || !*rep))
        add(problems, E_EMPTY, NULL, OPS_G_REP, 0);
    if (problems->count > from)
        return problems->items[from].code;
    int rc = store_begin(st);
    if (rc)
        return finish(st, problems, from, rc);
    int count = 0;
    struct store_group existing;
    rc = store_group_find(st, g->kind, site_id, g->number, &existing);
    if (rc == CORE_OK)
        add(problems, E_DUP_GROUP, number, OPS_G_NUMBER, 0);
    else if (rc != E_GROUP_NOT_FOUND)
        return finish(st, problems, from, rc);
    if ((rc = store_group_count(st, g->kind, site_id, &count)))
        return finish(st, problems, from, rc);
    if ((rc = core_check_group_count(g->kind, count)))
        add(problems, rc, number, OPS_G_NUMBER, 0);
    if (g->kind == CORE_HUNT) {
        struct store_ext e;
        rc = check_rep(st, site_id, rep, 0, &e, problems);
        if (rc == E_STORAGE)
            return finish(st, problems, from, rc);
        g->rep_id = e.id;
        snprintf(g->rep, sizeof g->rep, "%s", rep);
    }
    rc = CORE_OK;
    if (problems->count == from)
        rc = store_group_insert(st, site_id, g, &ctx->actor);
    rc = finish(st, problems, from, rc);
    if (!rc && out)
        *out = *g;
    return rc;
}

int ops_pickup_add(const struct ops_ctx *ctx, const char *number, struct core_problems *problems,
                   struct store_group *out)
{
    struct store_group g = {.kind = CORE_PICKUP};
    return group_add(ctx, &g, number, NULL, problems, out);
}

int ops_hunt_add(const struct ops_ctx *ctx, const struct ops_hunt_input *in,
                 struct core_problems *problems, struct store_group *out)
{
    if (in->type != CORE_HUNT_ROUND_ROBIN && in->type != CORE_HUNT_PILOT) {
        add(problems, E_HUNT_TYPE, NULL, OPS_G_TYPE, 0);
        return E_HUNT_TYPE;
    }
    struct store_group g = {.kind = CORE_HUNT, .pilot = in->type};
    return group_add(ctx, &g, in->number, in->rep, problems, out);
}

static const char *type_word(int pilot)
{
    return pilot ? "pilot" : "round-robin";
}

static void object_of(const struct store_group *g, char *buf, size_t n)
{
    snprintf(buf, n, "%s %d", g->kind == CORE_HUNT ? "hunting" : "pickup", g->number);
}

int ops_hunt_update(const struct ops_ctx *ctx, const struct ops_hunt_input *in, int64_t version,
                    struct core_problems *problems, struct store_group *out)
{
    const char *number = in->number, *rep = in->rep;
    int type = in->type;
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    size_t from = problems->count;
    if (type != CORE_HUNT_ROUND_ROBIN && type != CORE_HUNT_PILOT) {
        add(problems, E_HUNT_TYPE, NULL, OPS_G_TYPE, 0);
        return E_HUNT_TYPE;
    }
    int rc = store_begin(st);
    if (rc)
        return finish(st, problems, from, rc);
    struct store_group g;
    if ((rc = load_group(st, site_id, CORE_HUNT, number, version, &g, out, problems)))
        return finish(st, problems, from, rc == E_STORAGE ? rc : CORE_OK);
    struct store_ext e;
    rc = check_rep(st, site_id, rep, g.number, &e, problems);
    if (rc == E_STORAGE || problems->count > from)
        return finish(st, problems, from, rc == E_STORAGE ? rc : CORE_OK);
    char before[96], after[96], obj[32];
    snprintf(before, sizeof before, "type=%s representative=%s", type_word(g.pilot), g.rep);
    g.pilot = type;
    g.rep_id = e.id;
    snprintf(g.rep, sizeof g.rep, "%s", rep);
    snprintf(after, sizeof after, "type=%s representative=%s", type_word(g.pilot), g.rep);
    object_of(&g, obj, sizeof obj);
    rc = store_group_touch(st, &g);
    if (!rc)
        rc = store_audit(st, site_id, who, "hunt.update", obj, before, after);
    if (rc == E_CHANGED_MEANWHILE)
        add(problems, rc, number, -1, 0);
    rc = finish(st, problems, from, rc);
    if (out && !rc)
        *out = g;
    return rc;
}

int ops_group_delete(const struct ops_ctx *ctx, int kind, const char *number, int64_t version,
                     struct core_problem *problem)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    struct core_problems problems;
    core_problems_init(&problems);
    int rc = store_begin(st);
    struct store_group g;
    if (!rc && !(rc = load_group(st, site_id, kind, number, version, &g, NULL, &problems))) {
        rc = store_group_delete(st, site_id, &g, who);
        if (rc && rc != E_STORAGE)
            add(&problems, rc, number, -1, 0);
    }
    rc = finish(st, &problems, 0, rc == E_STORAGE ? rc : CORE_OK);
    if (rc)
        *problem = problems.items[0];
    core_problems_free(&problems);
    return rc;
}

/* Resolves and checks every extension of a member list; rows of
 * problems are 1-based places in the list.  ids[i] is 0 for a bad one. */
static void resolve_members(struct store *st, int64_t site_id, const char *const *exts, int count,
                            int64_t *ids, struct core_problems *problems)
{
    for (int i = 0; i < count; i++) {
        ids[i] = 0;
        int rc = core_check_extension(exts[i]);
        struct store_ext e;
        if (!rc)
            rc = store_ext_find(st, site_id, exts[i], &e);
        if (rc) {
            add(problems, rc, rc == E_STORAGE ? NULL : exts[i], OPS_G_MEMBERS, i + 1);
            continue;
        }
        for (int k = 0; k < i; k++)
            if (ids[k] == e.id) {
                add(problems, E_ALREADY_MEMBER, exts[i], OPS_G_MEMBERS, i + 1);
                rc = E_ALREADY_MEMBER;
                break;
            }
        if (!rc)
            ids[i] = e.id;
    }
}

/* Common frame of the member operations: the request, in one
 * transaction, with the group (of `kind`) and its members as they are. */
struct member_op {
    const struct ops_ctx *ctx;
    const struct ops_members_request *req;
    struct store_group g;
    struct member_set set;
    size_t from;
};

static int member_op_begin(struct member_op *op, int kind, struct core_problems *problems,
                           struct store_group *out)
{
    struct store *st = op->ctx->st;
    int count = op->req->count;
    op->from = problems->count;
    if (count > CORE_GROUP_MEMBERS_MAX * 2) {
        add(problems, E_GROUP_MEMBERS_FULL, NULL, OPS_G_MEMBERS, 0);
        return E_GROUP_MEMBERS_FULL;
    }
    if (count <= 0) {
        add(problems, E_EMPTY, NULL, OPS_G_MEMBERS, 0);
        return E_EMPTY;
    }
    int rc = store_begin(st);
    if (rc)
        return finish(st, problems, op->from, rc);
    op->set.count = 0;
    if ((rc = load_group(st, op->ctx->site_id, kind, op->req->number, op->req->version, &op->g, out,
                         problems)) ||
        (rc = store_group_members(st, &op->g, collect_member, &op->set)))
        return finish(st, problems, op->from, rc == E_STORAGE ? rc : CORE_OK);
    return CORE_OK;
}

/* The members saved: the group's version moves on, and the members
 * before and after are audited as `action`. */
static int member_op_save(struct member_op *op, const char *action)
{
    struct store *st = op->ctx->st;
    struct member_set after = {.count = 0};
    int rc = store_group_touch(st, &op->g);
    if (!rc)
        rc = store_group_members(st, &op->g, collect_member, &after);
    if (rc)
        return rc;
    op->g.members = after.count;
    char b[1200], a[1200], obj[32];
    member_text(&op->set, b, sizeof b);
    member_text(&after, a, sizeof a);
    object_of(&op->g, obj, sizeof obj);
    return store_audit(st, op->ctx->site_id, &op->ctx->actor, action, obj, b, a);
}

static int member_op_end(struct member_op *op, int rc, struct core_problems *problems,
                         struct store_group *out)
{
    if (rc == E_CHANGED_MEANWHILE)
        add(problems, rc, op->req->number, -1, 0);
    rc = finish(op->ctx->st, problems, op->from, rc);
    if (out && !rc)
        *out = op->g;
    if (out && rc == E_CHANGED_MEANWHILE) {
        /* Show what is stored now. */
        struct store_group now;
        if (store_group_find(op->ctx->st, op->g.kind, op->ctx->site_id, op->g.number, &now) ==
            CORE_OK)
            *out = now;
    }
    return rc;
}

int ops_group_members_add(const struct ops_ctx *ctx, const struct ops_members_request *req,
                          struct core_problems *problems, struct store_group *out)
{
    struct member_op op = {.ctx = ctx, .req = req};
    int rc = member_op_begin(&op, req->kind, problems, out);
    if (rc)
        return rc;
    struct store *st = ctx->st;
    int kind = req->kind, count = req->count;
    const char *const *exts = req->exts;
    int64_t ids[CORE_GROUP_MEMBERS_MAX * 2];
    resolve_members(st, ctx->site_id, exts, count, ids, problems);
    int valid = 0;
    for (int i = 0; i < count; i++) {
        if (!ids[i])
            continue;
        if (member_index(&op.set, ids[i]) >= 0) {
            add(problems, E_ALREADY_MEMBER, exts[i], OPS_G_MEMBERS, i + 1);
            continue;
        }
        valid++;
        if (kind != CORE_HUNT)
            continue;
        int held = 0;
        if ((rc = store_hunt_of_member(st, ids[i], &held)))
            break;
        if (held) {
            add_refs(problems, E_IN_OTHER_HUNT, exts[i], OPS_G_MEMBERS, i + 1, CORE_REF_HUNT, held);
            continue;
        }
        if ((rc = store_hunt_of_rep(st, ids[i], &held)))
            break;
        if (held)
            add_refs(problems, E_HUNT_REP_MEMBER, exts[i], OPS_G_MEMBERS, i + 1, CORE_REF_REP,
                     held);
    }
    if (!rc && core_check_member_count(op.set.count, valid)) {
        char have[32];
        snprintf(have, sizeof have, "%d+%d", op.set.count, valid);
        add(problems, E_GROUP_MEMBERS_FULL, have, OPS_G_MEMBERS, 0);
    }
    if (!rc && problems->count == op.from) {
        int position = op.set.count ? op.set.items[op.set.count - 1].position : 0;
        for (int i = 0; !rc && i < count; i++)
            rc = store_group_member_insert(st, &op.g, ids[i], ++position);
        if (!rc)
            rc = member_op_save(&op, kind == CORE_HUNT ? "hunt.member_add" : "pickup.member_add");
    }
    return member_op_end(&op, rc, problems, out);
}

int ops_group_members_remove(const struct ops_ctx *ctx, const struct ops_members_request *req,
                             struct core_problems *problems, struct store_group *out)
{
    struct member_op op = {.ctx = ctx, .req = req};
    int rc = member_op_begin(&op, req->kind, problems, out);
    if (rc)
        return rc;
    struct store *st = ctx->st;
    int count = req->count;
    const char *const *exts = req->exts;
    for (int i = 0; i < count; i++) {
        int code = core_check_extension(exts[i]);
        bool found = false;
        for (int k = 0; !code && k < op.set.count && !found; k++)
            found = !strcmp(op.set.items[k].ext, exts[i]);
        for (int k = 0; !code && found && k < i; k++)
            if (!strcmp(exts[k], exts[i]))
                found = false;
        if (code || !found)
            add(problems, code ? code : E_NOT_MEMBER, exts[i], OPS_G_MEMBERS, i + 1);
    }
    if (problems->count == op.from) {
        struct member_set keep = {.count = 0};
        int64_t order[CORE_GROUP_MEMBERS_MAX];
        for (int k = 0; k < op.set.count; k++) {
            bool gone = false;
            for (int i = 0; i < count && !gone; i++)
                gone = !strcmp(op.set.items[k].ext, exts[i]);
            if (gone)
                rc = rc ? rc : store_group_member_delete(st, &op.g, op.set.items[k].ext_id);
            else
                order[keep.count++] = op.set.items[k].ext_id;
        }
        /* Positions stay 1..n, so a pilot order reads without gaps. */
        if (!rc)
            rc = store_group_member_order(st, &op.g, order, keep.count);
        if (!rc)
            rc = member_op_save(&op, req->kind == CORE_HUNT ? "hunt.member_remove"
                                                            : "pickup.member_remove");
    }
    return member_op_end(&op, rc, problems, out);
}

int ops_hunt_order(const struct ops_ctx *ctx, const struct ops_members_request *req,
                   struct core_problems *problems, struct store_group *out)
{
    struct member_op op = {.ctx = ctx, .req = req};
    int rc = member_op_begin(&op, CORE_HUNT, problems, out);
    if (rc)
        return rc;
    int count = req->count;
    const char *const *exts = req->exts;
    if (!op.g.pilot) {
        add(problems, E_ORDER_NOT_PILOT, req->number, OPS_G_TYPE, 0);
        return member_op_end(&op, CORE_OK, problems, out);
    }
    int64_t order[CORE_GROUP_MEMBERS_MAX];
    bool used[CORE_GROUP_MEMBERS_MAX] = {false};
    for (int i = 0; i < count; i++) {
        int k = 0;
        while (k < op.set.count && strcmp(op.set.items[k].ext, exts[i]))
            k++;
        if (k == op.set.count || used[k] || i >= CORE_GROUP_MEMBERS_MAX) {
            add(problems, k == op.set.count ? E_NOT_MEMBER : E_ORDER_MISMATCH, exts[i],
                OPS_G_MEMBERS, i + 1);
            continue;
        }
        used[k] = true;
        order[i] = op.set.items[k].ext_id;
    }
    if (problems->count == op.from && count != op.set.count) {
        char n[32];
        snprintf(n, sizeof n, "%d/%d", count, op.set.count);
        add(problems, E_ORDER_MISMATCH, n, OPS_G_MEMBERS, 0);
    }
    if (problems->count == op.from) {
        rc = store_group_member_order(ctx->st, &op.g, order, count);
        if (!rc)
            rc = member_op_save(&op, "hunt.order");
    }
    return member_op_end(&op, rc, problems, out);
}

int ops_hunt_move(const struct ops_ctx *ctx, const struct ops_member_move *req,
                  struct core_problems *problems, struct store_group *out)
{
    const char *number = req->number, *ext = req->ext;
    struct store *st = ctx->st;
    struct store_group g;
    struct core_problem p;
    if (ops_group_get(ctx, CORE_HUNT, number, &g, &p)) {
        core_problems_add(problems, &p);
        return p.code;
    }
    struct member_set set = {.count = 0};
    if (store_group_members(st, &g, collect_member, &set)) {
        add(problems, E_STORAGE, NULL, -1, 0);
        return E_STORAGE;
    }
    const char *order[CORE_GROUP_MEMBERS_MAX];
    int at = -1;
    for (int i = 0; i < set.count; i++) {
        order[i] = set.items[i].ext;
        if (!strcmp(set.items[i].ext, ext))
            at = i;
    }
    if (at < 0) {
        add(problems, E_NOT_MEMBER, ext, OPS_G_MEMBERS, 0);
        return E_NOT_MEMBER;
    }
    int to = at + req->delta;
    if (to >= 0 && to < set.count) {
        order[at] = order[to];
        order[to] = set.items[at].ext;
    }
    /* The order is written against the version the caller read: a
     * concurrent change makes it E_CHANGED_MEANWHILE, not a silent merge. */
    struct ops_members_request reorder = {
        .kind = CORE_HUNT,
        .number = number,
        .version = req->version != OPS_ANY_VERSION ? req->version : g.version,
        .exts = order,
        .count = set.count,
    };
    return ops_hunt_order(ctx, &reorder, problems, out);
}

int ops_ext_groups(const struct ops_ctx *ctx, const char *ext, char *refs, size_t n,
                   struct core_problem *problem)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    refs[0] = '\0';
    int rc = core_check_extension(ext);
    struct store_ext e;
    if (!rc)
        rc = store_ext_find(st, site_id, ext, &e);
    if (!rc)
        rc = store_ext_groups(st, e.id, refs, n);
    if (rc) {
        core_problem_set(problem, rc, rc == E_STORAGE ? NULL : ext);
        problem->field = OPS_F_EXT;
    }
    return rc;
}
