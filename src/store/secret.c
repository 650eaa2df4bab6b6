/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The call-history secret question of a site (columns of sites): read,
 * set with its answer's hash, and its wrong-answer lockout state. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "store/internal.h"

int store_secret_get(struct store *st, int64_t site_id, struct store_secret *out)
{
    struct store_stmt *s = store_prepare(
        st, "SELECT secret_question, secret_answer_hash, secret_failures, secret_locked_at"
            " FROM sites WHERE id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    int rc = stmt_step(s), result = E_SITE_NOT_FOUND;
    if (rc == STMT_ROW) {
        memset(out, 0, sizeof *out);
        store_column_copy(s, 0, out->question, sizeof out->question);
        store_column_copy(s, 1, out->answer_hash, sizeof out->answer_hash);
        out->failures = stmt_column_int(s, 2);
        out->locked_at = stmt_column_int64(s, 3);
        result = CORE_OK;
    } else if (rc != STMT_DONE) {
        result = store_fail(st);
    }
    stmt_finalize(s);
    return result;
}

int store_secret_set(struct store *st, int64_t site_id, const char *question, const char *hash,
                     const struct store_actor *who)
{
    struct store_secret before;
    int rc = store_secret_get(st, site_id, &before);
    if (rc)
        return rc;
    struct store_stmt *s = store_prepare(
        st, "UPDATE sites SET secret_question = ?, secret_answer_hash = ?, secret_failures = 0,"
            " secret_locked_at = 0, version = version + 1 WHERE id = ? RETURNING domain");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, question);
    store_bind_text(s, 2, hash);
    stmt_bind_int64(s, 3, site_id);
    if (stmt_step(s) != STMT_ROW) {
        rc = store_fail(st);
        stmt_finalize(s);
        return rc;
    }
    char domain[CORE_DOMAIN_MAX + 1];
    store_column_copy(s, 0, domain, sizeof domain);
    stmt_finalize(s);
    /* The question is not secret; the answer never enters the log. */
    char b[160], a[160];
    snprintf(b, sizeof b, "question=%s", before.answer_hash[0] ? before.question : "(none)");
    snprintf(a, sizeof a, "question=%s answer=(hidden)", question);
    return store_audit(st, site_id, who, "secret.set", domain, b, a);
}

int store_secret_set_lock(struct store *st, int64_t site_id, int failures, int64_t locked_at)
{
    struct store_stmt *s = store_prepare(
        st, "UPDATE sites SET secret_failures = ?, secret_locked_at = ? WHERE id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int(s, 1, failures);
    stmt_bind_int64(s, 2, locked_at);
    stmt_bind_int64(s, 3, site_id);
    return store_step_done(st, s);
}
