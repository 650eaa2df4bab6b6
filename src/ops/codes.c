/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The administrator's feature codes (doc/spec.md §3.4): 保留特番, ダイヤル確定特番,
 * プッシュ音送出特番 and their options, under the one prefix checker. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "ops/ops.h"

static int check_option(struct core_problems *problems, int value, int field)
{
    if (value < -1 || value > 1) {
        char text[16];
        snprintf(text, sizeof text, "%d", value);
        core_problems_add_code(problems, E_SETTING_VALUE, text, field);
        return E_SETTING_VALUE;
    }
    return CORE_OK;
}

/* One code to change: its new value and where it lives in the site row. */
struct code_change {
    const char *value; /* NULL: unchanged */
    int kind;          /* enum core_plan_kind */
    int field;         /* enum ops_code_field */
    char *slot;
    size_t size;
};

int ops_site_codes_set(const struct ops_ctx *ctx, int64_t version, const struct ops_codes_input *in,
                       struct core_problems *problems, struct core_problem *warning)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    size_t from = problems->count;
    if (warning)
        core_problem_set(warning, CORE_OK, NULL);
    int hold_warning = CORE_OK, rc;
    if (in->hold_code && (rc = core_check_hold_code(in->hold_code, &hold_warning)))
        core_problems_add_code(problems, rc, in->hold_code, OPS_C_HOLD);
    if (in->dial_confirm_code && (rc = core_check_dial_confirm_code(in->dial_confirm_code)))
        core_problems_add_code(problems, rc, in->dial_confirm_code, OPS_C_DIAL_CONFIRM);
    /* The DTMF-send code may be emptied (§5.5: 未入力 deletes it). */
    if (in->dtmf_send_code && *in->dtmf_send_code &&
        (rc = core_check_dtmf_send_code(in->dtmf_send_code)))
        core_problems_add_code(problems, rc, in->dtmf_send_code, OPS_C_DTMF_SEND);
    check_option(problems, in->hold_disconnect, OPS_C_HOLD_DISCONNECT);
    check_option(problems, in->dtmf_erase, OPS_C_DTMF_ERASE);
    if (problems->count > from)
        return problems->items[from].code;

    struct store_site site;
    struct core_plan plan;
    core_plan_init(&plan);
    if ((rc = store_begin(st))) {
        core_problems_add_code(problems, rc, NULL, -1);
        return rc;
    }
    rc = store_site_get(st, site_id, &site);
    if (!rc && version != OPS_ANY_VERSION && site.version != version)
        rc = E_CHANGED_MEANWHILE;
    if (!rc)
        rc = store_plan_load(st, site_id, &plan);
    if (rc) {
        core_problems_add_code(problems, rc, NULL, -1);
        goto out;
    }
    struct code_change changes[] = {
        {in->hold_code, PLAN_HOLD_CODE, OPS_C_HOLD, site.hold_code, sizeof site.hold_code},
        {in->dial_confirm_code, PLAN_DIAL_CONFIRM_CODE, OPS_C_DIAL_CONFIRM, site.dial_confirm_code,
         sizeof site.dial_confirm_code},
        {in->dtmf_send_code, PLAN_DTMF_SEND_CODE, OPS_C_DTMF_SEND, site.dtmf_send_code,
         sizeof site.dtmf_send_code},
    };
    enum { N = sizeof changes / sizeof changes[0] };
    /* A code replaces its old value: take every changing one out of the
     * plan first, so that "#7" may become "#71" and two new codes are
     * checked against each other too. */
    for (size_t i = 0; i < N; i++)
        if (changes[i].value)
            core_plan_remove(&plan, changes[i].kind, changes[i].slot);
    for (size_t i = 0; i < N; i++) {
        const struct code_change *c = &changes[i];
        if (!c->value)
            continue;
        struct core_problem p;
        if (*c->value && core_plan_check(&plan, c->value, &p)) {
            p.field = c->field;
            core_problems_add(problems, &p);
            continue;
        }
        if (core_plan_add(&plan, c->kind, c->value)) {
            core_problems_add_code(problems, E_NO_MEMORY, NULL, -1);
            goto out;
        }
        snprintf(c->slot, c->size, "%s", c->value);
    }
    if (problems->count > from)
        goto out;
    if (in->hold_disconnect >= 0)
        site.hold_disconnect = in->hold_disconnect;
    if (in->dtmf_erase >= 0)
        site.dtmf_erase = in->dtmf_erase;
    if ((rc = store_site_set_codes(st, &site, who)) || (rc = store_commit(st)))
        core_problems_add_code(problems, rc, NULL, -1);
out:
    core_plan_free(&plan);
    if (problems->count > from) {
        store_rollback(st);
        return problems->items[from].code;
    }
    if (warning && hold_warning) {
        core_problem_set(warning, hold_warning, in->hold_code);
        warning->field = OPS_C_HOLD;
    }
    return CORE_OK;
}
