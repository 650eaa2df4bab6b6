/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Editing an extension profile's credentials (内線番号プロフィール設定). */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "ops/ops.h"

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
