/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the SIP registrar should hold, read from kascon's tables, and the
 * outbox of changes not yet applied to it (filled by the triggers of
 * migration 2, in the changing transaction). */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "store/internal.h"

int store_outbox_enable(struct store *st, bool *newly)
{
    *newly = false;
    struct store_stmt *s = store_prepare(st, "SELECT enabled FROM registrar_state WHERE id = 1");
    if (!s)
        return E_STORAGE;
    int enabled = stmt_step(s) == STMT_ROW ? stmt_column_int(s, 0) : 0;
    stmt_finalize(s);
    if (enabled)
        return CORE_OK;
    /* First attachment: every site is due in full. */
    int rc;
    if (!(s = store_prepare(st, "UPDATE registrar_state SET enabled = 1 WHERE id = 1")) ||
        (rc = store_step_done(st, s)))
        return E_STORAGE;
    if (!(s = store_prepare(st, "INSERT INTO registrar_outbox (domain, kind, key)"
                                " SELECT domain, 'site', '' FROM sites ORDER BY id")) ||
        (rc = store_step_done(st, s)))
        return E_STORAGE;
    *newly = true;
    return CORE_OK;
}

int store_outbox_any(struct store *st, bool *any)
{
    struct store_stmt *s = store_prepare(st, "SELECT EXISTS (SELECT 1 FROM registrar_outbox)");
    if (!s)
        return E_STORAGE;
    int rc = stmt_step(s);
    *any = rc == STMT_ROW && stmt_column_int(s, 0);
    stmt_finalize(s);
    return rc == STMT_ROW ? CORE_OK : store_fail(st);
}

struct outbox_ctx {
    store_outbox_cb cb;
    void *ctx;
    int64_t *max_id;
};

static int outbox_row(struct store_stmt *s, void *p)
{
    struct outbox_ctx *c = p;
    struct store_outbox_entry e;
    e.id = stmt_column_int64(s, 0);
    store_column_copy(s, 1, e.domain, sizeof e.domain);
    store_column_copy(s, 2, e.kind, sizeof e.kind);
    store_column_copy(s, 3, e.key, sizeof e.key);
    if (e.id > *c->max_id)
        *c->max_id = e.id;
    return c->cb(&e, c->ctx);
}

int store_outbox_each(struct store *st, store_outbox_cb cb, void *ctx, int64_t *max_id)
{
    *max_id = 0;
    struct store_stmt *s =
        store_prepare(st, "SELECT id, domain, kind, key FROM registrar_outbox ORDER BY id");
    if (!s)
        return E_STORAGE;
    struct outbox_ctx c = {cb, ctx, max_id};
    return store_each_row(st, s, outbox_row, &c);
}

int store_outbox_done(struct store *st, int64_t max_id)
{
    struct store_stmt *s = store_prepare(st, "DELETE FROM registrar_outbox WHERE id <= ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, max_id);
    return store_step_done(st, s);
}

int store_registrar_state_get(struct store *st, struct store_registrar_state *out)
{
    memset(out, 0, sizeof *out);
    /* A change queues several keys, and a key may be queued many times:
     * what waits is the number of distinct rows to bring in step. */
    struct store_stmt *s = store_prepare(
        st, "SELECT enabled, last_error, failed_at, applied_at,"
            " (SELECT count(*) FROM (SELECT DISTINCT domain, kind, key FROM registrar_outbox))"
            " FROM registrar_state WHERE id = 1");
    if (!s)
        return E_STORAGE;
    int rc = stmt_step(s);
    if (rc == STMT_ROW) {
        out->enabled = stmt_column_int(s, 0) != 0;
        store_column_copy(s, 1, out->last_error, sizeof out->last_error);
        out->failed_at = stmt_column_int64(s, 2);
        out->applied_at = stmt_column_int64(s, 3);
        out->pending = (long)stmt_column_int64(s, 4);
    }
    stmt_finalize(s);
    return rc == STMT_ROW || rc == STMT_DONE ? CORE_OK : store_fail(st);
}

int store_registrar_state_set(struct store *st, const char *error)
{
    bool failed = error && *error;
    struct store_stmt *s = store_prepare(
        st, failed ? "UPDATE registrar_state SET last_error = ?, failed_at = ? WHERE id = 1"
                   : "UPDATE registrar_state SET last_error = '', applied_at = ? WHERE id = 1");
    if (!s)
        return E_STORAGE;
    if (failed) {
        store_bind_text(s, 1, error);
        stmt_bind_int64(s, 2, store_now());
    } else {
        stmt_bind_int64(s, 1, store_now());
    }
    return store_step_done(st, s);
}

int store_reg_domain_exists(struct store *st, const char *domain, bool *exists)
{
    struct store_stmt *s =
        store_prepare(st, "SELECT EXISTS (SELECT 1 FROM sites WHERE domain = ?)");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, domain);
    int rc = stmt_step(s);
    *exists = rc == STMT_ROW && stmt_column_int(s, 0);
    stmt_finalize(s);
    return rc == STMT_ROW ? CORE_OK : store_fail(st);
}

struct reg_ctx {
    void *cb;
    void *ctx;
};

static int subscriber_row(struct store_stmt *s, void *p)
{
    struct reg_ctx *c = p;
    struct store_reg_subscriber r;
    memset(&r, 0, sizeof r);
    store_column_copy(s, 0, r.sip_id, sizeof r.sip_id);
    store_column_copy(s, 1, r.password, sizeof r.password);
    for (int k = 0; k < CORE_FWD_KINDS; k++)
        store_column_copy(s, 2 + k, r.fwd.dest[k], sizeof r.fwd.dest[k]);
    r.fwd.delay = r.fwd.dest[CORE_FWD_NO_ANSWER][0] ? stmt_column_int(s, 2 + CORE_FWD_KINDS) : 0;
    r.fwd.voicemail = stmt_column_int(s, 3 + CORE_FWD_KINDS);
    return ((store_reg_subscriber_cb)c->cb)(&r, c->ctx);
}

int store_reg_subscribers(struct store *st, const char *domain, const char *sip_id,
                          store_reg_subscriber_cb cb, void *ctx)
{
    /* Column order follows enum core_fwd_kind: unconditional, busy,
     * no answer, out of coverage. */
    struct store_stmt *s = store_prepare(
        st, sip_id ? "SELECT e.sip_id, e.sip_password, f.unconditional, f.busy, f.no_answer,"
                     " f.out_of_coverage, f.no_answer_delay, f.voicemail"
                     " FROM sites s JOIN extensions e ON e.site_id = s.id"
                     " LEFT JOIN forwarding f ON f.extension_id = e.id"
                     " WHERE s.domain = ?1 AND e.sip_id = ?2 AND e.sip_password <> ''"
                   : "SELECT e.sip_id, e.sip_password, f.unconditional, f.busy, f.no_answer,"
                     " f.out_of_coverage, f.no_answer_delay, f.voicemail"
                     " FROM sites s JOIN extensions e ON e.site_id = s.id"
                     " LEFT JOIN forwarding f ON f.extension_id = e.id"
                     " WHERE s.domain = ?1 AND e.sip_password <> '' ORDER BY e.sip_id");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, domain);
    if (sip_id)
        store_bind_text(s, 2, sip_id);
    struct reg_ctx c = {(void *)cb, ctx};
    return store_each_row(st, s, subscriber_row, &c);
}

static int alias_row(struct store_stmt *s, void *p)
{
    struct reg_ctx *c = p;
    struct store_reg_alias r;
    store_column_copy(s, 0, r.number, sizeof r.number);
    store_column_copy(s, 1, r.sip_id, sizeof r.sip_id);
    return ((store_reg_alias_cb)c->cb)(&r, c->ctx);
}

int store_reg_aliases(struct store *st, const char *domain, const char *number,
                      store_reg_alias_cb cb, void *ctx)
{
    /* An extension number and a mobile number never collide (the plan
     * rule and the leading 0), so each number has one target. */
    struct store_stmt *s = store_prepare(
        st, number ? "SELECT e.ext, e.sip_id FROM sites s JOIN extensions e ON e.site_id = s.id"
                     " WHERE s.domain = ?1 AND e.ext = ?2 AND e.sip_password <> ''"
                     " UNION ALL SELECT l.mobile, e.sip_id FROM sites s"
                     " JOIN lines l ON l.site_id = s.id"
                     " JOIN assignments a ON a.line_id = l.id"
                     " JOIN extensions e ON e.id = a.extension_id"
                     " WHERE s.domain = ?1 AND l.mobile = ?2 AND e.sip_password <> ''"
                   : "SELECT e.ext, e.sip_id FROM sites s JOIN extensions e ON e.site_id = s.id"
                     " WHERE s.domain = ?1 AND e.sip_password <> ''"
                     " UNION ALL SELECT l.mobile, e.sip_id FROM sites s"
                     " JOIN lines l ON l.site_id = s.id"
                     " JOIN assignments a ON a.line_id = l.id"
                     " JOIN extensions e ON e.id = a.extension_id"
                     " WHERE s.domain = ?1 AND e.sip_password <> '' ORDER BY 1");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, domain);
    if (number)
        store_bind_text(s, 2, number);
    struct reg_ctx c = {(void *)cb, ctx};
    return store_each_row(st, s, alias_row, &c);
}

void store_set_commit_hook(struct store *st, store_commit_hook_fn fn, void *ctx)
{
    st->commit_hook = fn;
    st->commit_hook_ctx = ctx;
}

int store_outbox_suspend(struct store *st, bool *was_enabled)
{
    struct store_stmt *s = store_prepare(st, "SELECT enabled FROM registrar_state WHERE id = 1");
    if (!s)
        return E_STORAGE;
    *was_enabled = stmt_step(s) == STMT_ROW && stmt_column_int(s, 0);
    stmt_finalize(s);
    if (!*was_enabled)
        return CORE_OK;
    s = store_prepare(st, "UPDATE registrar_state SET enabled = 0 WHERE id = 1");
    return s ? store_step_done(st, s) : E_STORAGE;
}

int store_outbox_resume_site(struct store *st, int64_t site_id, bool was_enabled)
{
    if (!was_enabled)
        return CORE_OK;
    struct store_stmt *s = store_prepare(st, "UPDATE registrar_state SET enabled = 1 WHERE id = 1");
    int rc = s ? store_step_done(st, s) : E_STORAGE;
    if (rc)
        return rc;
    s = store_prepare(st, "INSERT INTO registrar_outbox (domain, kind, key)"
                          " SELECT domain, 'site', '' FROM sites WHERE id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    return store_step_done(st, s);
}
