/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bulk changes of extension profiles (一括登録, 一括削除): the statements
 * are prepared once and reused for every row, inside the caller's single
 * transaction, so that 100,000 rows cost 100,000 steps, not prepares. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

enum { S_INSERT, S_ASSIGN, S_UNASSIGN, S_FORWARDING, S_DELETE, S_AUDIT, S_COUNT };

static const char *const sql[S_COUNT] = {
    [S_INSERT] = "INSERT INTO extensions (site_id, ext, ext_num, is_virtual, sip_id, sip_password,"
                 " web_user, web_pw_hash) VALUES (?,?,?,0,?,?,?,?)",
    [S_ASSIGN] = "INSERT INTO assignments (extension_id, line_id) VALUES (?, ?)",
    [S_UNASSIGN] = "DELETE FROM assignments WHERE extension_id = ?",
    [S_FORWARDING] = "DELETE FROM forwarding WHERE extension_id = ?",
    [S_DELETE] = "DELETE FROM extensions WHERE id = ?",
    [S_AUDIT] = "INSERT INTO audit (at, site_id, actor, source, action, object, before, after)"
                " VALUES (?,?,?,?,?,?,?,?)",
};

struct store_bulk {
    struct store *st;
    int64_t site_id;
    const struct store_actor *who;
    int64_t now;
    sqlite3_stmt *s[S_COUNT];
};

void store_bulk_close(struct store_bulk *b)
{
    if (!b)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(b->s[i]);
    free(b);
}

int store_bulk_open(struct store *st, int64_t site_id, const struct store_actor *who,
                    struct store_bulk **out)
{
    struct store_bulk *b = calloc(1, sizeof *b);
    if (!b)
        return E_NO_MEMORY;
    b->st = st;
    b->site_id = site_id;
    b->who = who;
    b->now = store_now();
    for (int i = 0; i < S_COUNT; i++) {
        if (!(b->s[i] = store_prepare(st, sql[i]))) {
            store_bulk_close(b);
            return E_STORAGE;
        }
    }
    *out = b;
    return CORE_OK;
}

/* Steps a reused statement and resets it for the next row. */
static int run(struct store_bulk *b, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    int out = rc == SQLITE_DONE ? CORE_OK : store_fail(b->st);
    sqlite3_reset(s); /* every parameter is bound again for the next row */
    return out;
}

static int audit(struct store_bulk *b, const char *action, const char *object, const char *before,
                 const char *after)
{
    sqlite3_stmt *s = b->s[S_AUDIT];
    sqlite3_bind_int64(s, 1, b->now);
    sqlite3_bind_int64(s, 2, b->site_id);
    store_bind_text(s, 3, b->who && b->who->name ? b->who->name : "?");
    store_bind_text(s, 4, b->who && b->who->source ? b->who->source : "?");
    store_bind_text(s, 5, action);
    store_bind_text(s, 6, object);
    store_bind_opt(s, 7, before);
    store_bind_opt(s, 8, after);
    return run(b, s);
}

int store_bulk_add_ext(struct store_bulk *b, const struct store_ext *e, int64_t line_id,
                       int64_t *id)
{
    sqlite3_stmt *s = b->s[S_INSERT];
    sqlite3_bind_int64(s, 1, b->site_id);
    store_bind_text(s, 2, e->ext);
    sqlite3_bind_int64(s, 3, strtoll(e->ext, NULL, 10));
    store_bind_text(s, 4, e->sip_id);
    store_bind_text(s, 5, e->sip_password);
    store_bind_opt(s, 6, e->web_user);
    store_bind_opt(s, 7, e->web_pw_hash);
    int rc = run(b, s);
    if (rc)
        return rc;
    *id = sqlite3_last_insert_rowid(b->st->db);
    if (line_id) {
        /* The new profile and its mobile: one audit entry tells both. */
        s = b->s[S_ASSIGN];
        sqlite3_bind_int64(s, 1, *id);
        sqlite3_bind_int64(s, 2, line_id);
        if ((rc = run(b, s)))
            return rc;
    }
    char after[160];
    snprintf(after, sizeof after, "virtual=0 sip_id=%s web_user=%s mobile=%s (bulk)", e->sip_id,
             e->web_user[0] ? e->web_user : "-", e->mobile[0] ? e->mobile : "-");
    return audit(b, "ext.add", e->ext, NULL, after);
}

int store_bulk_assign(struct store_bulk *b, int64_t ext_id, int64_t line_id, const char *ext,
                      const char *mobile)
{
    sqlite3_stmt *s = b->s[S_ASSIGN];
    sqlite3_bind_int64(s, 1, ext_id);
    sqlite3_bind_int64(s, 2, line_id);
    int rc = run(b, s);
    return rc ? rc : audit(b, "ext.assign", ext, "mobile=-", mobile);
}

int store_bulk_delete_ext(struct store_bulk *b, int64_t ext_id, const char *ext, const char *mobile)
{
    int rc;
    for (int i = S_UNASSIGN; i <= S_DELETE; i++) {
        sqlite3_bind_int64(b->s[i], 1, ext_id);
        if ((rc = run(b, b->s[i])))
            return rc;
    }
    char before[64];
    snprintf(before, sizeof before, "mobile=%s (bulk)", mobile && *mobile ? mobile : "-");
    return audit(b, "ext.delete", ext, before, NULL);
}
