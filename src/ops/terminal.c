/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The terminal encoding of an administrator or an extension user (端末の
 *文字コード): which codeset kascond speaks with their terminal when the
 * client does not say it with LANG. */
#include <config.h>

#include <stdio.h>

#include "core/terminal.h"
#include "ops/internal.h"

/* The row's id: an administrator by name, an extension user by web user. */
static int find(struct store *st, int64_t site_id, bool is_user, const char *name, int64_t *id)
{
    if (is_user) {
        struct store_ext e;
        int rc = store_ext_find_web_user(st, site_id, name, &e);
        *id = e.id;
        return rc;
    }
    struct store_admin a;
    int rc = store_admin_find(st, site_id, name, &a);
    *id = a.id;
    return rc;
}

int ops_terminal_encoding_set(const struct ops_ctx *ctx, bool is_user, const char *name,
                              const char *text, struct core_problem *problem)
{
    int enc = 0;
    int rc = core_term_encoding_parse(text, &enc);
    if (rc) {
        core_problem_set(problem, rc, text);
        return rc;
    }
    struct store *st = ctx->st;
    int64_t id = 0;
    char before[16] = "";
    rc = store_begin(st);
    if (!rc && (rc = find(st, ctx->site_id, is_user, name, &id))) {
        store_rollback(st);
        core_problem_set(problem, rc, name);
        return rc;
    }
    if (!rc)
        rc = store_terminal_encoding_get(st, is_user, id, before, sizeof before);
    const char *value = enc == CORE_TERM_AUTO ? "" : core_term_encoding_name(enc);
    if (!rc)
        rc = store_terminal_encoding_set(st, is_user, id, value);
    if (!rc) {
        /* Named as the other audited actions are: noun.verb, the name. */
        rc =
            store_audit(st, ctx->site_id, &ctx->actor, is_user ? "user.encoding" : "admin.encoding",
                        name, before[0] ? before : "auto", core_term_encoding_name(enc));
    }
    return single_write(st, rc, NULL, -1, problem);
}

int ops_terminal_encoding_get(const struct ops_ctx *ctx, bool is_user, const char *name, int *enc)
{
    char value[16];
    int64_t id = 0;
    *enc = CORE_TERM_AUTO;
    int rc = find(ctx->st, ctx->site_id, is_user, name, &id);
    if (!rc)
        rc = store_terminal_encoding_get(ctx->st, is_user, id, value, sizeof value);
    if (!rc && core_term_encoding_parse(value, enc))
        *enc = CORE_TERM_AUTO;
    return rc;
}
