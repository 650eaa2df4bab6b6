/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <config.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ops/ops.h"

/* Runs a single-problem check and records its result under `field`. */
static void check_field(struct core_problems *problems, int code, const char *value, int field)
{
    if (code)
        core_problems_add_code(problems, code, value, field);
}

static int first_code(const struct core_problems *problems, size_t from)
{
    return problems->count > from ? problems->items[from].code : CORE_OK;
}

/* Finishes a write: commit if no problem was recorded since `from`. */
static int finish(struct store *st, const struct core_problems *problems, size_t from, int rc)
{
    if (rc == CORE_OK)
        rc = first_code(problems, from);
    if (rc == CORE_OK)
        rc = store_commit(st);
    if (rc != CORE_OK)
        store_rollback(st);
    return rc;
}

int ops_ext_check_number(const struct ops_ctx *ctx, const char *ext, struct core_problem *problem)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    int rc = core_check_extension(ext);
    if (rc) {
        core_problem_set(problem, rc, ext);
        problem->field = OPS_F_EXT;
        return rc;
    }
    struct store_ext existing;
    rc = store_ext_find(st, site_id, ext, &existing);
    if (rc == CORE_OK) {
        core_problem_set(problem, E_DUP_EXTENSION, ext);
        problem->field = OPS_F_EXT;
        return E_DUP_EXTENSION;
    }
    if (rc != E_EXT_NOT_FOUND) {
        core_problem_set(problem, rc, NULL);
        return rc;
    }
    struct core_plan plan;
    core_plan_init(&plan);
    rc = store_plan_load(st, site_id, &plan);
    if (rc == CORE_OK)
        rc = core_plan_check(&plan, ext, problem);
    else
        core_problem_set(problem, rc, NULL);
    core_plan_free(&plan);
    problem->field = OPS_F_EXT;
    return rc;
}

static void check_profile_fields(const struct ops_ext_input *in, const char *sip_id,
                                 const char *sip_pw, struct core_problems *problems)
{
    check_field(problems, core_check_extension(in->ext), in->ext, OPS_F_EXT);
    check_field(problems, core_check_sip_id(sip_id), sip_id, OPS_F_SIP_ID);
    check_field(problems, core_check_sip_password(sip_pw), "", OPS_F_SIP_PASSWORD);
    bool has_user = in->web_user && *in->web_user;
    bool has_pw = in->web_password && *in->web_password;
    if (has_user)
        check_field(problems, core_check_web_user(in->web_user), in->web_user, OPS_F_WEB_USER);
    if (has_pw)
        check_field(problems, core_check_web_password(in->web_password, in->web_user), "",
                    OPS_F_WEB_PASSWORD);
    if (has_user != has_pw)
        core_problems_add_code(problems, E_WEB_PAIR, "",
                               has_user ? OPS_F_WEB_PASSWORD : OPS_F_WEB_USER);
}

int ops_ext_register(const struct ops_ctx *ctx, const struct ops_ext_input *in,
                     struct core_problems *problems)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    size_t from = problems->count;
    const char *sip_id = in->sip_id && *in->sip_id ? in->sip_id : in->ext;
    const char *sip_pw = in->sip_password && *in->sip_password ? in->sip_password : in->ext;
    check_profile_fields(in, sip_id, sip_pw, problems);
    if (problems->count > from)
        return first_code(problems, from);

    int rc = store_begin(st);
    if (rc)
        return core_problems_add_code(problems, rc, NULL, -1);
    struct core_problem p;
    if (ops_ext_check_number(ctx, in->ext, &p))
        core_problems_add(problems, &p);
    struct store_ext other;
    if (store_ext_find_sip_id(st, site_id, sip_id, &other) == CORE_OK)
        core_problems_add_code(problems, E_DUP_SIP_ID, sip_id, OPS_F_SIP_ID);
    if (in->web_user && *in->web_user &&
        store_ext_find_web_user(st, site_id, in->web_user, &other) == CORE_OK)
        core_problems_add_code(problems, E_DUP_WEB_USER, in->web_user, OPS_F_WEB_USER);
    struct store_admin admin;
    if (in->web_user && *in->web_user &&
        store_admin_find(st, site_id, in->web_user, &admin) == CORE_OK)
        core_problems_add_code(problems, E_WEB_USER_ADMIN, in->web_user, OPS_F_WEB_USER);
    struct store_site site;
    int count = 0;
    rc = store_site_get(st, site_id, &site);
    if (!rc)
        rc = store_ext_count(st, site_id, &count);
    if (!rc && count >= site.capacity) {
        char used[32];
        snprintf(used, sizeof used, "%d/%ld", count, site.capacity);
        core_problems_add_code(problems, E_CAPACITY, used, OPS_F_EXT);
    }
    if (!rc && problems->count == from) {
        struct store_ext e;
        memset(&e, 0, sizeof e);
        e.site_id = site_id;
        e.is_virtual = in->is_virtual;
        snprintf(e.ext, sizeof e.ext, "%s", in->ext);
        snprintf(e.sip_id, sizeof e.sip_id, "%s", sip_id);
        snprintf(e.sip_password, sizeof e.sip_password, "%s", sip_pw);
        if (in->web_user && *in->web_user) {
            snprintf(e.web_user, sizeof e.web_user, "%s", in->web_user);
            if (core_password_hash_web(in->web_password, e.web_pw_hash, sizeof e.web_pw_hash))
                rc = E_STORAGE;
        }
        if (!rc)
            rc = store_ext_insert(st, &e, who);
    }
    if (rc && rc != E_STORAGE)
        core_problems_add_code(problems, rc, in->ext, OPS_F_EXT);
    else if (rc)
        core_problems_add_code(problems, rc, NULL, -1);
    return finish(st, problems, from, CORE_OK);
}

/* Wraps one store write in a transaction, turning its result into *problem. */
static int single_write(struct store *st, int rc, const char *value, int field,
                        struct core_problem *problem)
{
    if (rc == CORE_OK)
        rc = store_commit(st);
    if (rc != CORE_OK) {
        store_rollback(st);
        core_problem_set(problem, rc, value);
        problem->field = field;
    }
    return rc;
}

int ops_ext_delete(const struct ops_ctx *ctx, const char *ext, bool force,
                   struct core_problem *problem)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    int rc = core_check_extension(ext);
    if (rc) {
        core_problem_set(problem, rc, ext);
        problem->field = OPS_F_EXT;
        return rc;
    }
    if ((rc = store_begin(st)))
        return single_write(st, rc, NULL, -1, problem);
    rc = store_ext_delete(st, site_id, ext, force, who);
    if (rc == E_DELETE_IN_GROUP || rc == E_DELETE_REPRESENTATIVE) {
        /* Name the groups, as FAQ §7 asks: the user must know where to look. */
        struct store_ext e;
        char groups[sizeof problem->other] = "";
        if (store_ext_find(st, site_id, ext, &e) == CORE_OK)
            store_ext_groups(st, e.id, groups, sizeof groups);
        store_rollback(st);
        core_problem_set(problem, rc, ext);
        snprintf(problem->other, sizeof problem->other, "%s", groups);
        problem->other_kind = CORE_OTHER_GROUPS;
        problem->field = OPS_F_EXT;
        return rc;
    }
    return single_write(st, rc, ext, OPS_F_EXT, problem);
}

int ops_assign(const struct ops_ctx *ctx, const char *ext, const char *mobile,
               struct core_problems *problems)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    size_t from = problems->count;
    check_field(problems, core_check_extension(ext), ext, OPS_F_EXT);
    check_field(problems, core_check_mobile(mobile), mobile, OPS_F_MOBILE);
    if (problems->count > from)
        return first_code(problems, from);
    int rc = store_begin(st);
    if (!rc) {
        rc = store_assign(st, site_id, ext, mobile, who);
        if (rc == E_EXT_NOT_FOUND || rc == E_VIRTUAL_ASSIGN || rc == E_EXT_HAS_MOBILE)
            core_problems_add_code(problems, rc, ext, OPS_F_EXT);
        else if (rc && rc != E_STORAGE)
            core_problems_add_code(problems, rc, mobile, OPS_F_MOBILE);
        else if (rc)
            core_problems_add_code(problems, rc, NULL, -1);
    } else {
        core_problems_add_code(problems, rc, NULL, -1);
    }
    return finish(st, problems, from, CORE_OK);
}

int ops_unassign(const struct ops_ctx *ctx, const char *ext, const char *mobile,
                 struct core_problem *problem)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    int rc = store_begin(st);
    if (!rc)
        rc = store_unassign(st, site_id, ext, mobile, who);
    return single_write(st, rc, rc == E_MOBILE_NOT_ASSIGNED && mobile ? mobile : ext,
                        rc == E_MOBILE_NOT_ASSIGNED ? OPS_F_MOBILE : OPS_F_EXT, problem);
}

/* ---- operator ---- */

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

int ops_admin_add(const struct ops_ctx *ctx, const char *domain, const char *name,
                  const char *password, struct core_problem *problem)
{
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

int ops_admin_reset(const struct ops_ctx *ctx, const char *domain, const char *name,
                    const char *password, struct core_problem *problem)
{
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
    if ((rc = store_begin(st)))
        return single_write(st, rc, NULL, -1, problem);
    struct store_admin admin;
    if ((rc = find_site_admin(st, domain, name, &admin, problem))) {
        store_rollback(st);
        return rc;
    }
    rc = store_admin_set_password(st, admin.id, hash, 0, who);
    if (!rc)
        rc = store_admin_unlock(st, admin.id, who);
    rc = single_write(st, rc, name, -1, problem);
    if (!rc)
        /* Fixed English wording, like sshd's, so that log filters fit. */
        syslog(LOG_AUTH | LOG_NOTICE, "Unlocked administrator %s@%s by %s from %s", name, domain,
               who && who->name ? who->name : "?", who && who->source ? who->source : "?");
    return rc;
}

int ops_admin_unlock(const struct ops_ctx *ctx, const char *domain, const char *name,
                     struct core_problem *problem)
{
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    int rc = store_begin(st);
    if (rc)
        return single_write(st, rc, NULL, -1, problem);
    struct store_admin admin;
    if ((rc = find_site_admin(st, domain, name, &admin, problem))) {
        store_rollback(st);
        return rc;
    }
    rc = store_admin_unlock(st, admin.id, who);
    rc = single_write(st, rc, name, -1, problem);
    if (!rc)
        /* Fixed English wording, like sshd's, so that log filters fit. */
        syslog(LOG_AUTH | LOG_NOTICE, "Unlocked administrator %s@%s by %s from %s", name, domain,
               who && who->name ? who->name : "?", who && who->source ? who->source : "?");
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

/* ---- login ---- */

static int copy_site(const struct store_site *site, void *ctx)
{
    *(struct store_site *)ctx = *site;
    return 0;
}

static int resolve_site(struct store *st, const char *domain, struct store_site *site)
{
    if (domain && *domain) {
        char normalized[CORE_DOMAIN_MAX + 1];
        snprintf(normalized, sizeof normalized, "%s", domain);
        core_normalize_domain(normalized);
        return store_site_find(st, normalized, site);
    }
    /* With a single site the domain may be left out (doc/spec.md §3.6). */
    int count = 0;
    int rc = store_site_count(st, &count);
    if (rc || count != 1)
        return rc ? rc : E_SITE_NOT_FOUND;
    return store_site_each(st, copy_site, site);
}

/* How one attempt is judged: by password (password != NULL), or by a
 * public key whose signature the SSH layer has verified (key != NULL). */
struct login_attempt {
    const char *domain, *user, *password, *key;
    const char *address; /* the peer address of a remote login, or NULL */
};

/* Who a login name is: an administrator of the site, or else the
 * extension user with that web console user name (ユーザーカスコン).  The
 * two share one name space per site (E_WEB_USER_ADMIN, E_ADMIN_WEB_USER),
 * so a name is never both.  A user's session carries its own extension
 * and, in admin.name, the user name (lock holder, audit actor). */
static int find_account(struct store *st, const char *domain, const char *user,
                        struct ops_session *session, struct core_lock_state *lock)
{
    if (resolve_site(st, domain, &session->site))
        return E_LOGIN_FAILED;
    struct store_admin *admin = &session->admin;
    if (store_admin_find(st, session->site.id, user, admin) == CORE_OK) {
        *lock = (struct core_lock_state){admin->failures, admin->locked_at};
        return CORE_OK;
    }
    struct store_ext *e = &session->ext;
    if (!*user || store_ext_find_web_user(st, session->site.id, user, e) || !e->web_pw_hash[0] ||
        store_web_user_lock_get(st, e->id, &lock->failures, &lock->locked_at))
        return E_LOGIN_FAILED;
    session->is_user = true;
    memset(admin, 0, sizeof *admin);
    admin->site_id = session->site.id;
    snprintf(admin->name, sizeof admin->name, "%s", e->web_user);
    return CORE_OK;
}

static const char *account_hash(const struct ops_session *session)
{
    return session->is_user ? session->ext.web_pw_hash : session->admin.pw_hash;
}

static int login_common(struct store *st, const struct login_attempt *in, const char *source,
                        struct ops_session *session)
{
    memset(session, 0, sizeof *session);
    snprintf(session->source, sizeof session->source, "%s", source ? source : "console");
    session->outcome = OPS_LOGIN_UNKNOWN;
    int64_t now = store_now();
    int rc = store_begin(st);
    if (rc)
        return rc;
    struct store_admin *admin = &session->admin;
    struct core_lock_state lock;
    bool known = find_account(st, in->domain, in->user ? in->user : "", session, &lock) == CORE_OK;
    if (!known) {
        /* Spend the time a real check costs: timing must not tell. */
        if (in->password)
            core_password_burn(in->password);
        store_rollback(st);
        return E_LOGIN_FAILED;
    }
    bool was_locked = lock.locked_at != 0;
    bool allowed = core_lockout_allows(&lock, session->site.auto_unlock, now);
    session->auto_unlocked = was_locked && allowed;
    /* Extension users have no keys: an offered key is simply not theirs. */
    bool good = in->password
                    ? core_password_verify(in->password, account_hash(session))
                    : !session->is_user &&
                          store_admin_key_find(st, admin->id, in->key ? in->key : "") == CORE_OK;
    /* インターネットアクセス規制: outside the trusted networks nothing is judged
     * and nothing is counted; the reply is the same as for a wrong password. */
    bool restricted = session->is_user ? session->site.restrict_user : session->site.restrict_admin;
    bool network_ok = !in->address || !restricted ||
                      core_cidr_list_contains(session->site.trusted_networks, in->address);
    struct store_actor actor = {admin->name, session->source};
    const char *event = NULL;
    if (!network_ok) {
        session->outcome = OPS_LOGIN_REFUSED_NETWORK;
        event = "login.refused_network";
    } else if (allowed && good) {
        core_lockout_succeed(&lock);
        session->outcome = OPS_LOGIN_OK;
        event = in->password ? "login" : "login.publickey";
    } else if (allowed && in->password) {
        bool locked_now = core_lockout_fail(&lock, now);
        session->outcome = locked_now ? OPS_LOGIN_LOCKED_NOW : OPS_LOGIN_FAIL;
        event = locked_now ? "login.lock" : "login.fail";
    } else if (allowed) {
        /* A key that is not registered is not a guessed password: the
         * failure count is left alone (clients offer every key they have). */
        session->outcome = OPS_LOGIN_FAIL;
        event = "login.key_refused";
    } else {
        session->outcome = OPS_LOGIN_REFUSED_LOCKED;
        event = "login.refused_locked";
    }
    /* Users' events read "user.login", "user.login.fail", ... */
    char action[40];
    snprintf(action, sizeof action, "%s%s", session->is_user ? "user." : "", event);
    if (session->auto_unlocked)
        rc = store_audit(st, session->site.id, &actor,
                         session->is_user ? "user.login.auto_unlock" : "login.auto_unlock",
                         admin->name, "locked", "unlocked");
    if (!rc && (network_ok || session->auto_unlocked))
        rc = session->is_user
                 ? store_web_user_set_lock(st, session->ext.id, lock.failures, lock.locked_at)
                 : store_admin_set_lock(st, admin->id, lock.failures, lock.locked_at);
    if (!rc)
        rc = store_audit(st, session->site.id, &actor, action, admin->name, NULL, session->source);
    if (!rc)
        rc = store_commit(st);
    else
        store_rollback(st);
    if (rc)
        return rc;
    if (session->outcome != OPS_LOGIN_OK)
        return E_LOGIN_FAILED;
    session->must_change =
        !session->is_user &&
        core_password_expired(admin->pw_changed_at, session->site.password_max_age_days, now);
    session->actor.name = session->admin.name;
    session->actor.source = session->source;
    return CORE_OK;
}

int ops_session_load(const struct ops_ctx *ctx, const char *domain, const char *user,
                     const char *source, struct ops_session *session)
{
    struct store *st = ctx->st;
    memset(session, 0, sizeof *session);
    snprintf(session->source, sizeof session->source, "%s", source ? source : "console");
    struct core_lock_state lock;
    if (find_account(st, domain, user ? user : "", session, &lock))
        return E_LOGIN_FAILED;
    session->must_change = !session->is_user &&
                           core_password_expired(session->admin.pw_changed_at,
                                                 session->site.password_max_age_days, store_now());
    session->actor.name = session->admin.name;
    session->actor.source = session->source;
    return CORE_OK;
}

int ops_login(const struct ops_ctx *ctx, const char *domain, const char *user, const char *password,
              const char *source, struct ops_session *session)
{
    struct store *st = ctx->st;
    struct login_attempt in = {domain, user, password ? password : "", NULL, NULL};
    return login_common(st, &in, source, session);
}

int ops_login_remote(const struct ops_ctx *ctx, const char *domain, const char *user,
                     const char *password, const char *address, struct ops_session *session)
{
    struct store *st = ctx->st;
    struct login_attempt in = {domain, user, password ? password : "", NULL, address};
    return login_common(st, &in, address, session);
}

int ops_login_key(const struct ops_ctx *ctx, const char *domain, const char *user, const char *key,
                  const char *address, struct ops_session *session)
{
    struct store *st = ctx->st;
    struct login_attempt in = {domain, user, NULL, key ? key : "", address};
    return login_common(st, &in, address, session);
}

bool ops_admin_has_key(const struct ops_ctx *ctx, const char *domain, const char *user,
                       const char *key)
{
    struct store *st = ctx->st;
    struct store_site site;
    struct store_admin admin;
    return resolve_site(st, domain, &site) == CORE_OK &&
           store_admin_find(st, site.id, user ? user : "", &admin) == CORE_OK &&
           store_admin_key_find(st, admin.id, key ? key : "") == CORE_OK;
}

int ops_admin_key_add(const struct ops_ctx *ctx, const char *domain, const char *name,
                      const char *line, struct core_problem *problem)
{
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    char key[CORE_PUBKEY_MAX + 64], comment[CORE_PUBKEY_COMMENT_MAX];
    int rc = core_pubkey_parse(line ? line : "", key, sizeof key, comment, sizeof comment);
    if (rc) {
        core_problem_set(problem, rc, NULL);
        return rc;
    }
    if ((rc = store_begin(st)))
        return single_write(st, rc, NULL, -1, problem);
    struct store_admin admin;
    if ((rc = find_site_admin(st, domain, name, &admin, problem))) {
        store_rollback(st);
        return rc;
    }
    rc = store_admin_key_add(st, &admin, key, comment, who);
    return single_write(st, rc, comment, -1, problem);
}

int ops_admin_key_remove(const struct ops_ctx *ctx, const char *domain, const char *name,
                         int64_t key_id, struct core_problem *problem)
{
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    int rc = store_begin(st);
    if (rc)
        return single_write(st, rc, NULL, -1, problem);
    struct store_admin admin;
    if ((rc = find_site_admin(st, domain, name, &admin, problem))) {
        store_rollback(st);
        return rc;
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)key_id);
    rc = store_admin_key_remove(st, &admin, key_id, who);
    return single_write(st, rc, id, -1, problem);
}

int ops_admin_key_each(const struct ops_ctx *ctx, const char *domain, const char *name,
                       store_admin_key_cb cb, void *cb_ctx, struct core_problem *problem)
{
    struct store *st = ctx->st;
    struct store_admin admin;
    int rc = find_site_admin(st, domain, name, &admin, problem);
    if (!rc && (rc = store_admin_key_each(st, admin.id, cb, cb_ctx)))
        core_problem_set(problem, rc, NULL);
    return rc;
}

int ops_change_password(const struct ops_ctx *ctx, struct ops_session *session, const char *current,
                        const char *next, const char *again, struct core_problem *problem)
{
    struct store *st = ctx->st;
    if (!core_password_verify(current ? current : "", account_hash(session))) {
        core_problem_set(problem, E_PW_CURRENT_WRONG, NULL);
        problem->field = 0;
        return E_PW_CURRENT_WRONG;
    }
    /* A web console user's password follows the web rules (doc/spec.md §3.1). */
    int rc = session->is_user ? core_check_web_password(next, session->ext.web_user)
                              : core_check_admin_password(next);
    if (!rc && strcmp(next, again ? again : ""))
        rc = E_PW_MISMATCH;
    if (!rc && !strcmp(next, current))
        rc = E_ADMIN_PW_REUSED;
    if (rc) {
        core_problem_set(problem, rc, NULL);
        problem->field = rc == E_PW_MISMATCH ? 2 : 1;
        return rc;
    }
    char hash[CORE_HASH_MAX];
    if (session->is_user ? core_password_hash_web(next, hash, sizeof hash)
                         : core_password_hash(next, hash, sizeof hash)) {
        core_problem_set(problem, E_STORAGE, NULL);
        return E_STORAGE;
    }
    int64_t now = store_now();
    if ((rc = store_begin(st)))
        return single_write(st, rc, NULL, -1, problem);
    rc = session->is_user
             ? store_web_user_set_password(st, &session->ext, hash, &session->actor)
             : store_admin_set_password(st, session->admin.id, hash, now, &session->actor);
    rc = single_write(st, rc, NULL, -1, problem);
    if (!rc && session->is_user) {
        snprintf(session->ext.web_pw_hash, sizeof session->ext.web_pw_hash, "%s", hash);
    } else if (!rc) {
        snprintf(session->admin.pw_hash, sizeof session->admin.pw_hash, "%s", hash);
        session->admin.pw_changed_at = now;
        session->must_change = false;
    }
    return rc;
}

int ops_logout(const struct ops_ctx *ctx, int *released)
{
    int count = 0;
    int rc = store_begin(ctx->st);
    if (!rc && ctx->lock_session && *ctx->lock_session)
        rc = store_lock_release_session(ctx->st, ctx->lock_session, &count);
    if (!rc)
        rc = store_audit(ctx->st, ctx->site_id, &ctx->actor, "logout", ctx->actor.name, NULL,
                         ctx->actor.source);
    if (!rc)
        rc = store_commit(ctx->st);
    if (rc)
        store_rollback(ctx->st);
    if (released)
        *released = rc ? 0 : count;
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
