/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forwarding settings of an extension (doc/spec.md §3.5): one row per extension
 * once anything was set; no row reads as everything off, version 0. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "store/internal.h"

int store_fwd_get(struct store *st, int64_t ext_id, struct core_fwd *out)
{
    memset(out, 0, sizeof *out);
    struct store_stmt *s = store_prepare(
        st, "SELECT unconditional, busy, no_answer, out_of_coverage, no_answer_delay, voicemail,"
            " version FROM forwarding WHERE extension_id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, ext_id);
    int rc = stmt_step(s), result = CORE_OK;
    if (rc == STMT_ROW) {
        for (int k = 0; k < CORE_FWD_KINDS; k++)
            store_column_copy(s, k, out->dest[k], sizeof out->dest[k]);
        out->delay = out->dest[CORE_FWD_NO_ANSWER][0] ? stmt_column_int(s, 4) : 0;
        out->voicemail = stmt_column_int(s, 5);
        out->version = stmt_column_int64(s, 6);
    } else if (rc != STMT_DONE) {
        result = store_fail(st);
    }
    stmt_finalize(s);
    return result;
}

int store_fwd_put(struct store *st, int64_t site_id, int64_t ext_id, const char *ext,
                  struct core_fwd *fwd, int64_t version, const struct store_actor *who)
{
    struct core_fwd before;
    int rc = store_fwd_get(st, ext_id, &before);
    if (rc)
        return rc;
    if (before.version != version)
        return E_CHANGED_MEANWHILE;
    char sql[256];
    snprintf(sql, sizeof sql, "%s",
             version == 0
                 ? "INSERT INTO forwarding (unconditional, busy, no_answer, out_of_coverage,"
                   " no_answer_delay, voicemail, extension_id, version) VALUES (?,?,?,?,?,?,?,1)"
                 : "UPDATE forwarding SET unconditional = ?, busy = ?, no_answer = ?,"
                   " out_of_coverage = ?, no_answer_delay = ?, voicemail = ?,"
                   " version = version + 1 WHERE extension_id = ? AND version = ?");
    struct store_stmt *s = store_prepare(st, sql);
    if (!s)
        return E_STORAGE;
    for (int k = 0; k < CORE_FWD_KINDS; k++)
        store_bind_opt(s, k + 1, fwd->dest[k]);
    if (fwd->dest[CORE_FWD_NO_ANSWER][0])
        stmt_bind_int(s, 5, fwd->delay);
    else
        stmt_bind_null(s, 5);
    stmt_bind_int(s, 6, fwd->voicemail ? 1 : 0);
    stmt_bind_int64(s, 7, ext_id);
    if (version)
        stmt_bind_int64(s, 8, version);
    if ((rc = store_step_done(st, s)))
        return rc;
    if (store_changes(st) != 1)
        return E_CHANGED_MEANWHILE;
    fwd->version = version + 1;
    if (!fwd->dest[CORE_FWD_NO_ANSWER][0])
        fwd->delay = 0;
    char was[160], now[160];
    core_fwd_audit_text(&before, was, sizeof was);
    core_fwd_audit_text(fwd, now, sizeof now);
    return store_audit(st, site_id, who, "fwd.set", ext, was, now);
}

int store_fwd_unconditional(struct store *st, int64_t site_id, const char *ext, char *dest,
                            size_t n)
{
    if (n)
        dest[0] = '\0';
    struct store_stmt *s = store_prepare(
        st, "SELECT f.unconditional FROM extensions e JOIN forwarding f ON f.extension_id = e.id"
            " WHERE e.site_id = ? AND e.ext = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    store_bind_text(s, 2, ext);
    int rc = stmt_step(s), result = CORE_OK;
    if (rc == STMT_ROW)
        store_column_copy(s, 0, dest, n);
    else if (rc != STMT_DONE)
        result = store_fail(st);
    stmt_finalize(s);
    return result;
}

struct pointing {
    char *exts;
    size_t n;
};

static int add_pointing(struct store_stmt *s, void *ctx)
{
    struct pointing *p = ctx;
    size_t used = strlen(p->exts);
    const char *ext = stmt_column_text(s, 0);
    /* Room is kept for the "..." that says the list goes on. */
    if (used + strlen(ext) + 5 >= p->n) {
        snprintf(p->exts + used, p->n - used, "%s...", used ? " " : "");
        return 1;
    }
    snprintf(p->exts + used, p->n - used, "%s%s", used ? " " : "", ext);
    return 0;
}

int store_fwd_pointing_to(struct store *st, int64_t site_id, const char *number, char *exts,
                          size_t n)
{
    exts[0] = '\0';
    struct store_stmt *s = store_prepare(
        st, "SELECT e.ext FROM forwarding f JOIN extensions e ON e.id = f.extension_id"
            " WHERE e.site_id = ?1"
            " AND ?2 IN (f.unconditional, f.busy, f.no_answer, f.out_of_coverage)"
            " ORDER BY e.ext_num");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    store_bind_text(s, 2, number);
    struct pointing p = {exts, n};
    int rc = store_each_row(st, s, add_pointing, &p);
    return rc == 1 ? CORE_OK : rc;
}
