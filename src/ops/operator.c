/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The operator's verbs (kasconctl): sites and their settings, the
 * administrators (add, reset, unlock, public keys), provisioned lines, and
 * the reset of a site's secret question. */
#include <config.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ops/internal.h"

struct code_field {
    const char *value;
    int kind;
    char *dst;
    size_t n;
};

int ops_site_add(const struct ops_ctx *ctx, const struct ops_site_input *in,
                 struct core_problems *problems, int64_t *site_id)
{
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    size_t from = problems->count;
    struct store_site site;
    memset(&site, 0, sizeof site);
    site.auto_unlock = 1;
    snprintf(site.domain, sizeof site.domain, "%s", in->domain ? in->domain : "");
    core_normalize_domain(site.domain);
    check_field(problems, core_check_domain(site.domain), in->domain ? in->domain : "", 0);
    check_field(problems, core_check_capacity(in->capacity, &site.capacity),
                in->capacity ? in->capacity : "", 1);
    struct code_field codes[] = {
        {in->site_number, PLAN_SITE_NUMBER, site.site_number, sizeof site.site_number},
        {in->gw_id, PLAN_GW_ID, site.gw_id, sizeof site.gw_id},
        {in->park_code, PLAN_PARK_CODE, site.park_code, sizeof site.park_code},
        {in->pickup_code, PLAN_PICKUP_CODE, site.pickup_code, sizeof site.pickup_code},
        {in->group_pickup_code, PLAN_GROUP_PICKUP_CODE, site.group_pickup_code,
         sizeof site.group_pickup_code},
    };
    struct core_plan plan;
    core_plan_init(&plan);
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        if (!codes[i].value || !*codes[i].value)
            continue;
        int rc = core_check_operator_code(codes[i].value);
        if (rc) {
            core_problems_add_code(problems, rc, codes[i].value, 2 + (int)i);
            continue;
        }
        struct core_problem p;
        if (core_plan_check(&plan, codes[i].value, &p)) {
            p.field = 2 + (int)i;
            core_problems_add(problems, &p);
            continue;
        }
        core_plan_add(&plan, codes[i].kind, codes[i].value);
        snprintf(codes[i].dst, codes[i].n, "%s", codes[i].value);
    }
    core_plan_free(&plan);
    if (problems->count > from)
        return first_code(problems, from);
    int rc = store_begin(st);
    if (!rc)
        rc = store_site_insert(st, &site, who);
    if (rc)
        core_problems_add_code(problems, rc, rc == E_STORAGE ? NULL : site.domain, 0);
    rc = finish(st, problems, from, CORE_OK);
    if (!rc && site_id)
        *site_id = site.id;
    return rc;
}

static int parse_on_off(const char *v, int *out)
{
    if (!strcmp(v, "on") || !strcmp(v, "1") || !strcmp(v, "yes")) {
        *out = 1;
        return CORE_OK;
    }
    if (!strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "no")) {
        *out = 0;
        return CORE_OK;
    }
    return E_SETTING_VALUE;
}

/* The operator's codes of a site, by setting name. */
static char *operator_code_slot(struct store_site *site, const char *key, int *kind, size_t *n)
{
    static const struct {
        const char *key;
        int kind;
        size_t offset, size;
    } slots[] = {
        {"site-number", PLAN_SITE_NUMBER, offsetof(struct store_site, site_number),
         CORE_CODE_MAX + 1},
        {"gw-id", PLAN_GW_ID, offsetof(struct store_site, gw_id), CORE_CODE_MAX + 1},
        {"park-code", PLAN_PARK_CODE, offsetof(struct store_site, park_code), CORE_CODE_MAX + 1},
        {"pickup-code", PLAN_PICKUP_CODE, offsetof(struct store_site, pickup_code),
         CORE_CODE_MAX + 1},
        {"group-pickup-code", PLAN_GROUP_PICKUP_CODE,
         offsetof(struct store_site, group_pickup_code), CORE_CODE_MAX + 1},
    };
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
        if (!strcmp(key, slots[i].key)) {
            *kind = slots[i].kind;
            *n = slots[i].size;
            return (char *)site + slots[i].offset;
        }
    }
    return NULL;
}

static int apply_setting(struct store *st, struct store_site *site, struct core_plan *plan,
                         const char *key, const char *value, struct core_problem *p)
{
    int kind;
    size_t n;
    char *slot = operator_code_slot(site, key, &kind, &n);
    int rc = CORE_OK;
    if (slot) {
        if (*value && (rc = core_check_operator_code(value)))
            goto bad;
        core_plan_remove(plan, kind, slot);
        if (*value && core_plan_check(plan, value, p))
            return p->code;
        core_plan_add(plan, kind, value);
        snprintf(slot, n, "%s", value);
        return CORE_OK;
    }
    if (!strcmp(key, "capacity")) {
        int used = 0;
        if ((rc = core_check_capacity(value, &site->capacity)))
            goto bad;
        if ((rc = store_ext_count(st, site->id, &used)))
            goto bad;
        if (used > site->capacity) {
            rc = E_CAPACITY_BELOW_USE;
            goto bad;
        }
        return CORE_OK;
    }
    if (!strcmp(key, "trusted-networks")) {
        if ((rc = core_check_cidr_list(value)))
            goto bad;
        snprintf(site->trusted_networks, sizeof site->trusted_networks, "%s", value);
        return CORE_OK;
    }
    if (!strcmp(key, "restrict-admin"))
        rc = parse_on_off(value, &site->restrict_admin);
    else if (!strcmp(key, "restrict-user"))
        rc = parse_on_off(value, &site->restrict_user);
    else if (!strcmp(key, "auto-unlock"))
        rc = parse_on_off(value, &site->auto_unlock);
    else if (!strcmp(key, "password-max-age")) {
        char *end;
        long days = strtol(value, &end, 10);
        rc = *value && !*end && days >= 0 && days <= 3650 ? CORE_OK : E_SETTING_VALUE;
        if (!rc)
            site->password_max_age_days = (int)days;
    } else {
        core_problem_set(p, E_SETTING_UNKNOWN, key);
        return E_SETTING_UNKNOWN;
    }
    if (!rc)
        return CORE_OK;
bad:
    core_problem_set(p, rc, value);
    snprintf(p->other, sizeof p->other, "%s", key);
    return rc;
}

int ops_site_set(const struct ops_ctx *ctx, const char *domain, char *const *assignments, int count,
                 struct core_problems *problems)
{
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    size_t from = problems->count;
    int rc = store_begin(st);
    if (rc)
        return core_problems_add_code(problems, rc, NULL, -1);
    struct store_site site;
    rc = store_site_find(st, domain, &site);
    if (rc) {
        core_problems_add_code(problems, rc, domain, -1);
        return finish(st, problems, from, CORE_OK);
    }
    struct core_plan plan;
    core_plan_init(&plan);
    rc = store_plan_load(st, site.id, &plan);
    for (int i = 0; !rc && i < count; i++) {
        char key[64];
        const char *eq = strchr(assignments[i], '=');
        struct core_problem p;
        if (!eq || eq == assignments[i] || (size_t)(eq - assignments[i]) >= sizeof key) {
            core_problems_add_code(problems, E_SETTING_UNKNOWN, assignments[i], i);
            continue;
        }
        memcpy(key, assignments[i], (size_t)(eq - assignments[i]));
        key[eq - assignments[i]] = '\0';
        if (apply_setting(st, &site, &plan, key, eq + 1, &p)) {
            p.field = i;
            core_problems_add(problems, &p);
        }
    }
    core_plan_free(&plan);
    if (!rc && problems->count == from)
        rc = store_site_update(st, &site, who);
    if (rc)
        core_problems_add_code(problems, rc, rc == E_STORAGE ? NULL : domain, -1);
    return finish(st, problems, from, CORE_OK);
}

static int find_site_admin(struct store *st, const char *domain, const char *name,
                           struct store_admin *admin, struct core_problem *problem)
{
    struct store_site site;
    int rc = store_site_find(st, domain, &site);
    if (rc) {
        core_problem_set(problem, rc, domain);
        return rc;
    }
    rc = store_admin_find(st, site.id, name, admin);
    if (rc)
        core_problem_set(problem, rc, name);
    return rc;
}

/* Begins the write on the administrator ref names; on failure nothing is
 * left open and *problem says why. */
static int begin_admin(struct store *st, const struct ops_admin_ref *ref, struct store_admin *admin,
                       struct core_problem *problem)
{
    int rc = store_begin(st);
    if (rc)
        return single_write(st, rc, NULL, -1, problem);
    if ((rc = find_site_admin(st, ref->domain, ref->name, admin, problem)))
        store_rollback(st);
    return rc;
}

/* Fixed English wording, like sshd's, so that log filters fit. */
static void log_unlock(const struct ops_admin_ref *ref, const struct store_actor *who)
{
    syslog(LOG_AUTH | LOG_NOTICE, "Unlocked administrator %s@%s by %s from %s", ref->name,
           ref->domain, who && who->name ? who->name : "?", who && who->source ? who->source : "?");
}

int ops_admin_add(const struct ops_ctx *ctx, const struct ops_admin_ref *ref, const char *password,
                  struct core_problem *problem)
{
    const char *domain = ref->domain, *name = ref->name;
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    int rc = core_check_admin_name(name);
    if (rc) {
        core_problem_set(problem, rc, name);
        return rc;
    }
    if ((rc = core_check_admin_password(password))) {
        core_problem_set(problem, rc, NULL);
        return rc;
    }
    struct store_admin admin;
    memset(&admin, 0, sizeof admin);
    snprintf(admin.name, sizeof admin.name, "%s", name);
    if (core_password_hash(password, admin.pw_hash, sizeof admin.pw_hash)) {
        core_problem_set(problem, E_STORAGE, NULL);
        return E_STORAGE;
    }
    admin.pw_changed_at = store_now();
    if ((rc = store_begin(st)))
        return single_write(st, rc, NULL, -1, problem);
    struct store_site site;
    rc = store_site_find(st, domain, &site);
    if (rc)
        return single_write(st, rc, domain, -1, problem);
    admin.site_id = site.id;
    rc = store_admin_insert(st, &admin, who);
    return single_write(st, rc, name, -1, problem);
}

int ops_admin_reset(const struct ops_ctx *ctx, const struct ops_admin_ref *ref,
                    const char *password, struct core_problem *problem)
{
    const char *name = ref->name;
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    int rc = core_check_admin_password(password);
    if (rc) {
        core_problem_set(problem, rc, NULL);
        return rc;
    }
    char hash[CORE_HASH_MAX];
    if (core_password_hash(password, hash, sizeof hash)) {
        core_problem_set(problem, E_STORAGE, NULL);
        return E_STORAGE;
    }
    struct store_admin admin;
    if ((rc = begin_admin(st, ref, &admin, problem)))
        return rc;
    rc = store_admin_set_password(st, admin.id, hash, 0, who);
    if (!rc)
        rc = store_admin_unlock(st, admin.id, who);
    rc = single_write(st, rc, name, -1, problem);
    if (!rc)
        log_unlock(ref, who);
    return rc;
}

int ops_admin_unlock(const struct ops_ctx *ctx, const struct ops_admin_ref *ref,
                     struct core_problem *problem)
{
    const char *name = ref->name;
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    struct store_admin admin;
    int rc = begin_admin(st, ref, &admin, problem);
    if (rc)
        return rc;
    rc = store_admin_unlock(st, admin.id, who);
    rc = single_write(st, rc, name, -1, problem);
    if (!rc)
        log_unlock(ref, who);
    return rc;
}

int ops_line_add(const struct ops_ctx *ctx, const char *domain, char *const *mobiles, int count,
                 struct core_problems *problems)
{
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    size_t from = problems->count;
    for (int i = 0; i < count; i++)
        check_field(problems, core_check_mobile(mobiles[i]), mobiles[i], i);
    if (problems->count > from)
        return first_code(problems, from);
    int rc = store_begin(st);
    if (rc)
        return core_problems_add_code(problems, rc, NULL, -1);
    struct store_site site;
    rc = store_site_find(st, domain, &site);
    if (rc)
        core_problems_add_code(problems, rc, domain, -1);
    for (int i = 0; !rc && i < count; i++) {
        int r = store_line_add(st, site.id, mobiles[i], who);
        if (r)
            core_problems_add_code(problems, r, r == E_STORAGE ? NULL : mobiles[i], i);
        if (r == E_STORAGE)
            break;
    }
    return finish(st, problems, from, CORE_OK);
}

int ops_admin_key_add(const struct ops_ctx *ctx, const struct ops_admin_ref *ref, const char *line,
                      struct core_problem *problem)
{
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    char key[CORE_PUBKEY_MAX + 64], comment[CORE_PUBKEY_COMMENT_MAX];
    int rc = core_pubkey_parse(line ? line : "", key, sizeof key, comment, sizeof comment);
    if (rc) {
        core_problem_set(problem, rc, NULL);
        return rc;
    }
    struct store_admin admin;
    if ((rc = begin_admin(st, ref, &admin, problem)))
        return rc;
    rc = store_admin_key_add(st, &admin, key, comment, who);
    return single_write(st, rc, comment, -1, problem);
}

int ops_admin_key_remove(const struct ops_ctx *ctx, const struct ops_admin_ref *ref, int64_t key_id,
                         struct core_problem *problem)
{
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    struct store_admin admin;
    int rc = begin_admin(st, ref, &admin, problem);
    if (rc)
        return rc;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)key_id);
    rc = store_admin_key_remove(st, &admin, key_id, who);
    return single_write(st, rc, id, -1, problem);
}

int ops_admin_key_each(const struct ops_ctx *ctx, const struct ops_admin_ref *ref,
                       store_admin_key_cb cb, void *cb_ctx, struct core_problem *problem)
{
    const char *domain = ref->domain, *name = ref->name;
    struct store *st = ctx->st;
    struct store_admin admin;
    int rc = find_site_admin(st, domain, name, &admin, problem);
    if (!rc && (rc = store_admin_key_each(st, admin.id, cb, cb_ctx)))
        core_problem_set(problem, rc, NULL);
    return rc;
}

int ops_secret_reset(const struct ops_ctx *ctx, struct core_problem *problem)
{
    core_problem_set(problem, CORE_OK, NULL);
    int rc = store_begin(ctx->st);
    if (!rc)
        rc = store_site_reset_secret(ctx->st, ctx->site_id, &ctx->actor);
    if (!rc)
        rc = store_commit(ctx->st);
    if (rc) {
        store_rollback(ctx->st);
        core_problem_set(problem, rc, NULL);
    }
    return rc;
}
