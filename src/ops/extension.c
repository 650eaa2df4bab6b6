/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Extension profiles (内線番号プロフィール) and their mobiles: the number's
 * checks of 新規登録, registering, editing the credentials, deleting, and
 * assigning or unassigning a mobile. */
#include <config.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ops/internal.h"

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

int ops_ext_update(const struct ops_ctx *ctx, const char *ext, int64_t version,
                   const struct ops_ext_input *in, struct core_problems *problems)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    size_t from = problems->count;
    const char *sip_id = in->sip_id && *in->sip_id ? in->sip_id : ext;
    const char *web_user = in->web_user ? in->web_user : "";
    const char *web_pw = in->web_password ? in->web_password : "";
    int rc = core_check_sip_id(sip_id);
    if (rc)
        core_problems_add_code(problems, rc, sip_id, OPS_F_SIP_ID);
    if (in->sip_password && *in->sip_password && (rc = core_check_sip_password(in->sip_password)))
        core_problems_add_code(problems, rc, "", OPS_F_SIP_PASSWORD);
    if (*web_user && (rc = core_check_web_user(web_user)))
        core_problems_add_code(problems, rc, web_user, OPS_F_WEB_USER);
    if (*web_pw && (rc = core_check_web_password(web_pw, web_user)))
        core_problems_add_code(problems, rc, "", OPS_F_WEB_PASSWORD);
    if (!*web_user && *web_pw)
        core_problems_add_code(problems, E_WEB_PAIR, "", OPS_F_WEB_USER);
    if (problems->count > from)
        return problems->items[from].code;

    if ((rc = store_begin(st))) {
        core_problems_add_code(problems, rc, NULL, -1);
        return rc;
    }
    struct store_ext e, other;
    rc = store_ext_find(st, site_id, ext, &e);
    if (!rc && e.version != version)
        rc = E_CHANGED_MEANWHILE;
    if (!rc && store_ext_find_sip_id(st, site_id, sip_id, &other) == CORE_OK && other.id != e.id)
        core_problems_add_code(problems, E_DUP_SIP_ID, sip_id, OPS_F_SIP_ID);
    if (!rc && *web_user && store_ext_find_web_user(st, site_id, web_user, &other) == CORE_OK &&
        other.id != e.id)
        core_problems_add_code(problems, E_DUP_WEB_USER, web_user, OPS_F_WEB_USER);
    struct store_admin admin;
    if (!rc && *web_user && store_admin_find(st, site_id, web_user, &admin) == CORE_OK)
        core_problems_add_code(problems, E_WEB_USER_ADMIN, web_user, OPS_F_WEB_USER);
    /* A new web user needs a password; the same user keeps the old one. */
    if (!rc && *web_user && !*web_pw && (strcmp(web_user, e.web_user) || !e.web_pw_hash[0]))
        core_problems_add_code(problems, E_WEB_PAIR, "", OPS_F_WEB_PASSWORD);
    if (!rc && problems->count == from) {
        snprintf(e.sip_id, sizeof e.sip_id, "%s", sip_id);
        if (in->sip_password && *in->sip_password)
            snprintf(e.sip_password, sizeof e.sip_password, "%s", in->sip_password);
        snprintf(e.web_user, sizeof e.web_user, "%s", web_user);
        if (!*web_user)
            e.web_pw_hash[0] = '\0';
        else if (*web_pw && core_password_hash_web(web_pw, e.web_pw_hash, sizeof e.web_pw_hash))
            rc = E_STORAGE;
        if (!rc)
            rc = store_ext_update(st, &e, who);
    }
    if (rc)
        core_problems_add_code(problems, rc, rc == E_STORAGE ? NULL : ext,
                               rc == E_STORAGE ? -1 : OPS_F_EXT);
    if (problems->count > from) {
        store_rollback(st);
        return problems->items[from].code;
    }
    if ((rc = store_commit(st))) {
        store_rollback(st);
        core_problems_add_code(problems, rc, NULL, -1);
    }
    return rc;
}
