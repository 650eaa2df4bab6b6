/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 内線番号の譲渡 (§6.1) and 内線番号の交換 (§6.2): the guide's manual steps
 * (unassign, delete the recipient's old profile, assign again) as one
 * transaction each.  A plan says beforehand what will change; the
 * operation computes the plan again inside its transaction and refuses
 * with E_CHANGED_MEANWHILE when it differs from the one the user saw.
 *
 * What belongs to the number stays with it: the profile (SIP and web
 * console credentials), group memberships and, unless the user chooses to
 * clear them, the forwarding settings (the guide warns they carry over). */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ops/ops.h"

/* Reads one side: the profile, its forwarding and its groups. */
static int load_side(struct store *st, int64_t site_id, const char *ext, int field,
                     struct ops_move_side *side, struct core_problems *problems)
{
    struct store_ext e;
    memset(side, 0, sizeof *side);
    int rc = core_check_extension(ext);
    if (!rc)
        rc = store_ext_find(st, site_id, ext, &e);
    if (!rc && e.is_virtual)
        rc = E_VIRTUAL_ASSIGN;
    if (rc) {
        core_problems_add_code(problems, rc, rc == E_STORAGE ? NULL : ext,
                               rc == E_STORAGE ? -1 : field);
        return rc;
    }
    snprintf(side->ext, sizeof side->ext, "%s", e.ext);
    side->ext_id = e.id;
    side->version = e.version;
    side->rep_of = e.rep_of;
    snprintf(side->mobile_before, sizeof side->mobile_before, "%s", e.mobile);
    if ((rc = store_fwd_get(st, e.id, &side->fwd)) ||
        (rc = store_ext_groups(st, e.id, side->groups, sizeof side->groups)))
        core_problems_add_code(problems, rc, NULL, -1);
    return rc;
}

static int transfer_plan(struct store *st, int64_t site_id, const char *ext, const char *to,
                         struct ops_move_plan *plan, struct core_problems *problems)
{
    size_t from = problems->count;
    memset(plan, 0, sizeof *plan);
    plan->kind = OPS_TRANSFER;
    /* The recipient is named by a mobile (070/080/090...) or by the
     * extension they use now: extensions never start with 0. */
    const char *recipient = to ? to : "";
    bool by_mobile = recipient[0] == '0' || !core_is_ascii(recipient);
    int rc = load_side(st, site_id, ext, OPS_M_EXT, &plan->sides[0], problems);
    char mobile[CORE_MOBILE_LEN + 1] = "";
    const char *holder = ""; /* the recipient's extension, as typed or found */
    struct store_line line;
    if (by_mobile) {
        int mrc = core_check_mobile(recipient);
        if (!mrc && (mrc = store_line_find(st, recipient, &line)) == CORE_OK &&
            line.site_id != site_id)
            mrc = E_MOBILE_NOT_PROVISIONED;
        if (mrc)
            core_problems_add_code(problems, mrc, mrc == E_STORAGE ? NULL : recipient,
                                   mrc == E_STORAGE ? -1 : OPS_M_OTHER);
        else {
            snprintf(mobile, sizeof mobile, "%s", line.mobile);
            holder = line.extension;
        }
    } else if (recipient[0]) {
        /* 9012345678 may be a 10-digit extension, or a mobile whose
         * leading 0 was lost: an extension wins if there is one. */
        struct store_ext probe;
        if (core_check_mobile(recipient) == E_MOBILE_LEADING_ZERO &&
            store_ext_find(st, site_id, recipient, &probe) == E_EXT_NOT_FOUND)
            core_problems_add_code(problems, E_MOBILE_LEADING_ZERO, recipient, OPS_M_OTHER);
        else
            holder = recipient;
    } else {
        core_problems_add_code(problems, E_EMPTY, "", OPS_M_OTHER);
    }
    if (problems->count > from)
        return problems->items[from].code;
    struct ops_move_side *mine = &plan->sides[0], *theirs = &plan->sides[1];
    plan->count = 1;
    if (!strcmp(holder, mine->ext)) {
        core_problems_add_code(problems, E_TRANSFER_SAME, recipient, OPS_M_OTHER);
        return E_TRANSFER_SAME;
    }
    if (holder[0]) {
        if ((rc = load_side(st, site_id, holder, OPS_M_OTHER, theirs, problems)))
            return rc;
        if (!theirs->mobile_before[0]) {
            core_problems_add_code(problems, E_EXT_NO_MOBILE, holder, OPS_M_OTHER);
            return E_EXT_NO_MOBILE;
        }
        if (theirs->rep_of) {
            /* Their old profile is deleted (§6.1 ②): a group cannot lose
             * the number it is called by. */
            struct core_problem p;
            core_problem_set(&p, E_DELETE_REPRESENTATIVE, holder);
            core_group_refs_add(p.other, sizeof p.other, CORE_REF_REP, theirs->rep_of);
            p.other_kind = CORE_OTHER_GROUPS;
            p.field = OPS_M_OTHER;
            core_problems_add(problems, &p);
            return E_DELETE_REPRESENTATIVE;
        }
        snprintf(mobile, sizeof mobile, "%s", theirs->mobile_before);
        theirs->deleted = true;
        /* Forwarding to a deleted number fails (cause 001): say where. */
        if ((rc = store_fwd_pointing_to(st, site_id, theirs->ext, theirs->forwarded_by,
                                        sizeof theirs->forwarded_by))) {
            core_problems_add_code(problems, rc, NULL, -1);
            return rc;
        }
        plan->count = 2;
    }
    snprintf(mine->mobile_after, sizeof mine->mobile_after, "%s", mobile);
    return CORE_OK;
}

static int exchange_plan(struct store *st, int64_t site_id, const char *ext1, const char *ext2,
                         struct ops_move_plan *plan, struct core_problems *problems)
{
    size_t from = problems->count;
    memset(plan, 0, sizeof *plan);
    plan->kind = OPS_EXCHANGE;
    load_side(st, site_id, ext1, OPS_M_EXT, &plan->sides[0], problems);
    load_side(st, site_id, ext2, OPS_M_OTHER, &plan->sides[1], problems);
    if (problems->count > from)
        return problems->items[from].code;
    plan->count = 2;
    struct ops_move_side *a = &plan->sides[0], *b = &plan->sides[1];
    if (a->ext_id == b->ext_id) {
        core_problems_add_code(problems, E_EXCHANGE_SAME, ext2, OPS_M_OTHER);
        return E_EXCHANGE_SAME;
    }
    if (!a->mobile_before[0])
        core_problems_add_code(problems, E_EXT_NO_MOBILE, a->ext, OPS_M_EXT);
    if (!b->mobile_before[0])
        core_problems_add_code(problems, E_EXT_NO_MOBILE, b->ext, OPS_M_OTHER);
    if (problems->count > from)
        return problems->items[from].code;
    snprintf(a->mobile_after, sizeof a->mobile_after, "%s", b->mobile_before);
    snprintf(b->mobile_after, sizeof b->mobile_after, "%s", a->mobile_before);
    return CORE_OK;
}

static int make_plan(struct store *st, int64_t site_id, int kind, const char *ext,
                     const char *other, struct ops_move_plan *plan, struct core_problems *problems)
{
    return kind == OPS_TRANSFER ? transfer_plan(st, site_id, ext, other, plan, problems)
                                : exchange_plan(st, site_id, ext, other, plan, problems);
}

int ops_transfer_plan(const struct ops_ctx *ctx, const char *ext, const char *to,
                      struct ops_move_plan *plan, struct core_problems *problems)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    return make_plan(st, site_id, OPS_TRANSFER, ext, to, plan, problems);
}

int ops_exchange_plan(const struct ops_ctx *ctx, const char *ext1, const char *ext2,
                      struct ops_move_plan *plan, struct core_problems *problems)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    return make_plan(st, site_id, OPS_EXCHANGE, ext1, ext2, plan, problems);
}

/* Whether nothing the plan was made of has changed since. */
static bool same_plan(const struct ops_move_plan *a, const struct ops_move_plan *b)
{
    if (a->kind != b->kind || a->count != b->count)
        return false;
    for (int i = 0; i < a->count; i++) {
        const struct ops_move_side *x = &a->sides[i], *y = &b->sides[i];
        if (x->ext_id != y->ext_id || x->version != y->version || x->deleted != y->deleted ||
            x->fwd.version != y->fwd.version || strcmp(x->mobile_before, y->mobile_before) ||
            strcmp(x->mobile_after, y->mobile_after) || strcmp(x->groups, y->groups))
            return false;
    }
    return true;
}

static int clear_fwd(struct store *st, int64_t site_id, const struct ops_move_side *side,
                     const struct store_actor *who)
{
    if (!core_fwd_any(&side->fwd))
        return CORE_OK;
    struct core_fwd none;
    memset(&none, 0, sizeof none);
    return store_fwd_put(st, site_id, side->ext_id, side->ext, &none, side->fwd.version, who);
}

static int apply(struct store *st, int64_t site_id, const struct ops_move_plan *plan, bool clear,
                 const struct store_actor *who)
{
    const struct ops_move_side *a = &plan->sides[0], *b = &plan->sides[1];
    int rc = CORE_OK;
    /* Unassign first: a mobile is assigned to one extension at a time. */
    for (int i = 0; !rc && i < plan->count; i++)
        if (plan->sides[i].mobile_before[0])
            rc = store_unassign(st, site_id, plan->sides[i].ext, plan->sides[i].mobile_before, who);
    if (!rc && plan->count == 2 && b->deleted)
        rc = store_ext_delete(st, site_id, b->ext, true, who);
    for (int i = 0; !rc && i < plan->count; i++)
        if (plan->sides[i].mobile_after[0])
            rc = store_assign(st, site_id, plan->sides[i].ext, plan->sides[i].mobile_after, who);
    for (int i = 0; !rc && clear && i < plan->count; i++)
        if (!plan->sides[i].deleted)
            rc = clear_fwd(st, site_id, &plan->sides[i], who);
    if (rc)
        return rc;
    char object[64], before[160], after[160];
    const char *fwd = clear ? "cleared" : "kept";
    if (plan->kind == OPS_TRANSFER) {
        snprintf(object, sizeof object, "%s", a->ext);
        snprintf(before, sizeof before, "mobile=%s", a->mobile_before[0] ? a->mobile_before : "-");
        snprintf(after, sizeof after, "mobile=%s deleted=%s forwarding=%s", a->mobile_after,
                 plan->count == 2 ? b->ext : "-", fwd);
        return store_audit(st, site_id, who, "ext.transfer", object, before, after);
    }
    snprintf(object, sizeof object, "%s,%s", a->ext, b->ext);
    snprintf(before, sizeof before, "%s=%s %s=%s", a->ext, a->mobile_before, b->ext,
             b->mobile_before);
    snprintf(after, sizeof after, "%s=%s %s=%s forwarding=%s", a->ext, a->mobile_after, b->ext,
             b->mobile_after, fwd);
    return store_audit(st, site_id, who, "ext.exchange", object, before, after);
}

static int move(struct store *st, int64_t site_id, int kind, const char *ext, const char *other,
                bool clear, const struct ops_move_plan *shown, const struct store_actor *who,
                struct core_problems *problems, struct ops_move_plan *done)
{
    size_t from = problems->count;
    int rc = store_begin(st);
    if (rc) {
        core_problems_add_code(problems, rc, NULL, -1);
        return rc;
    }
    struct ops_move_plan plan;
    rc = make_plan(st, site_id, kind, ext, other, &plan, problems);
    if (!rc && shown && !same_plan(shown, &plan))
        core_problems_add_code(problems, rc = E_CHANGED_MEANWHILE, ext, -1);
    if (!rc && (rc = apply(st, site_id, &plan, clear, who)))
        core_problems_add_code(problems, rc, rc == E_STORAGE ? NULL : ext, -1);
    if (!rc && (rc = store_commit(st)))
        core_problems_add_code(problems, rc, NULL, -1);
    if (done)
        *done = plan;
    if (rc) {
        store_rollback(st);
        return problems->count > from ? problems->items[from].code : rc;
    }
    return CORE_OK;
}

int ops_move(const struct ops_ctx *ctx, const struct ops_move_request *req,
             struct core_problems *problems, struct ops_move_plan *done)
{
    return move(ctx->st, ctx->site_id, req->kind, req->ext, req->other, req->clear_fwd, req->shown,
                &ctx->actor, problems, done);
}

/* "無条件転送 202, 留守番 設定あり", or "" when nothing is set. */
static void fwd_summary(const struct core_fwd *f, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k <= CORE_FWD_KINDS; k++) {
        char value[64];
        if (k < CORE_FWD_KINDS ? !f->dest[k][0] : !f->voicemail)
            continue;
        core_fwd_describe(f, k, value, sizeof value);
        int w = snprintf(buf + used, n - used, "%s%s %s", used ? ", " : "",
                         _(core_fwd_kind_msgid(k)), value);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

void ops_move_describe(const struct ops_move_plan *plan, bool clear,
                       void (*line)(void *ctx, const char *text), void *ctx)
{
    char text[512], refs[256], fwd[256];
    for (int i = 0; i < plan->count; i++) {
        const struct ops_move_side *s = &plan->sides[i];
        const char *none = _("(none)");
        core_group_refs_format(s->groups, refs, sizeof refs);
        fwd_summary(&s->fwd, fwd, sizeof fwd);
        if (s->deleted) {
            snprintf(text, sizeof text,
                     _("Extension %s: mobile %s is unassigned and the profile is deleted, with its"
                       " forwarding"),
                     s->ext, s->mobile_before);
            line(ctx, text);
            if (refs[0]) {
                snprintf(text, sizeof text, _("  ... and it leaves %s"), refs);
                line(ctx, text);
            }
            if (s->forwarded_by[0]) {
                snprintf(text, sizeof text,
                         _("  Forwarding of %s goes to %s, which will no longer exist: change it"),
                         s->forwarded_by, s->ext);
                line(ctx, text);
            }
            continue;
        }
        snprintf(text, sizeof text, _("Extension %s: mobile %s -> %s"), s->ext,
                 s->mobile_before[0] ? s->mobile_before : none,
                 s->mobile_after[0] ? s->mobile_after : none);
        line(ctx, text);
        if (plan->kind == OPS_TRANSFER && s->mobile_before[0]) {
            snprintf(text, sizeof text, _("  Mobile %s becomes unassigned"), s->mobile_before);
            line(ctx, text);
        }
        if (!fwd[0])
            snprintf(text, sizeof text, _("  Forwarding: none set"));
        else if (clear)
            snprintf(text, sizeof text, _("  Forwarding cleared: %s"), fwd);
        else
            snprintf(text, sizeof text, _("  Forwarding kept: %s"), fwd);
        line(ctx, text);
        if (refs[0]) {
            snprintf(text, sizeof text, _("  Groups stay with the number: %s"), refs);
            line(ctx, text);
        }
    }
    line(ctx, _("SIP and web console credentials stay with each extension number: change them"
                " under Extension profiles so that the previous user cannot use them."));
}
