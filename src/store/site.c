/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sites (table sites): lookups by domain and id, insert, update of the
 * settings with their audit row, iteration and count, the reset of the
 * call-history secret, and the feature codes. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "store/internal.h"

#define SITE_COLUMNS                                                                               \
    "id, domain, capacity, site_number, gw_id, park_code, pickup_code, group_pickup_code,"         \
    " hold_code, hold_disconnect, dial_confirm_code, dtmf_erase, dtmf_send_code,"                  \
    " restrict_admin, restrict_user, trusted_networks, auto_unlock, password_max_age_days,"        \
    " secret_question, secret_answer_hash IS NOT NULL, version"

static void read_site(struct store_stmt *s, struct store_site *o)
{
    memset(o, 0, sizeof *o);
    o->id = stmt_column_int64(s, 0);
    store_column_copy(s, 1, o->domain, sizeof o->domain);
    o->capacity = (long)stmt_column_int64(s, 2);
    store_column_copy(s, 3, o->site_number, sizeof o->site_number);
    store_column_copy(s, 4, o->gw_id, sizeof o->gw_id);
    store_column_copy(s, 5, o->park_code, sizeof o->park_code);
    store_column_copy(s, 6, o->pickup_code, sizeof o->pickup_code);
    store_column_copy(s, 7, o->group_pickup_code, sizeof o->group_pickup_code);
    store_column_copy(s, 8, o->hold_code, sizeof o->hold_code);
    o->hold_disconnect = stmt_column_int(s, 9);
    store_column_copy(s, 10, o->dial_confirm_code, sizeof o->dial_confirm_code);
    o->dtmf_erase = stmt_column_int(s, 11);
    store_column_copy(s, 12, o->dtmf_send_code, sizeof o->dtmf_send_code);
    o->restrict_admin = stmt_column_int(s, 13);
    o->restrict_user = stmt_column_int(s, 14);
    store_column_copy(s, 15, o->trusted_networks, sizeof o->trusted_networks);
    o->auto_unlock = stmt_column_int(s, 16);
    o->password_max_age_days = stmt_column_int(s, 17);
    store_column_copy(s, 18, o->secret_question, sizeof o->secret_question);
    o->has_secret = stmt_column_int(s, 19) != 0;
    o->version = stmt_column_int64(s, 20);
}

static int find_one(struct store *st, struct store_stmt *s, struct store_site *out)
{
    if (!s)
        return E_STORAGE;
    int rc = stmt_step(s);
    int result = E_SITE_NOT_FOUND;
    if (rc == STMT_ROW) {
        read_site(s, out);
        result = CORE_OK;
    } else if (rc != STMT_DONE) {
        result = store_fail(st);
    }
    stmt_finalize(s);
    return result;
}

int store_site_find(struct store *st, const char *domain, struct store_site *out)
{
    struct store_stmt *s = store_prepare(st, "SELECT " SITE_COLUMNS " FROM sites WHERE domain = ?");
    if (s)
        store_bind_text(s, 1, domain);
    return find_one(st, s, out);
}

int store_site_get(struct store *st, int64_t id, struct store_site *out)
{
    struct store_stmt *s = store_prepare(st, "SELECT " SITE_COLUMNS " FROM sites WHERE id = ?");
    if (s)
        stmt_bind_int64(s, 1, id);
    return find_one(st, s, out);
}

/* A readable summary for the audit log's before/after columns. */
static void describe(const struct store_site *o, char *buf, size_t n)
{
    snprintf(buf, n,
             "capacity=%ld site_number=%s gw_id=%s park=%s pickup=%s group_pickup=%s hold=%s"
             " hold_disconnect=%d dial_confirm=%s dtmf_erase=%d dtmf_send=%s restrict_admin=%d"
             " restrict_user=%d trusted=%s auto_unlock=%d",
             o->capacity, o->site_number, o->gw_id, o->park_code, o->pickup_code,
             o->group_pickup_code, o->hold_code, o->hold_disconnect, o->dial_confirm_code,
             o->dtmf_erase, o->dtmf_send_code, o->restrict_admin, o->restrict_user,
             o->trusted_networks, o->auto_unlock);
}

static void bind_fields(struct store_stmt *s, const struct store_site *o)
{
    stmt_bind_int64(s, 1, o->capacity);
    store_bind_opt(s, 2, o->site_number);
    store_bind_opt(s, 3, o->gw_id);
    store_bind_opt(s, 4, o->park_code);
    store_bind_opt(s, 5, o->pickup_code);
    store_bind_opt(s, 6, o->group_pickup_code);
    store_bind_opt(s, 7, o->hold_code);
    stmt_bind_int(s, 8, o->hold_disconnect);
    store_bind_opt(s, 9, o->dial_confirm_code);
    stmt_bind_int(s, 10, o->dtmf_erase);
    store_bind_opt(s, 11, o->dtmf_send_code);
    stmt_bind_int(s, 12, o->restrict_admin);
    stmt_bind_int(s, 13, o->restrict_user);
    store_bind_text(s, 14, o->trusted_networks);
    stmt_bind_int(s, 15, o->auto_unlock);
    stmt_bind_int(s, 16, o->password_max_age_days);
}

int store_site_insert(struct store *st, struct store_site *site, const struct store_actor *who)
{
    struct store_site existing;
    int rc = store_site_find(st, site->domain, &existing);
    if (rc == CORE_OK)
        return E_DUP_SITE;
    if (rc != E_SITE_NOT_FOUND)
        return rc;
    struct store_stmt *s = store_prepare(
        st, "INSERT INTO sites (capacity, site_number, gw_id, park_code, pickup_code,"
            " group_pickup_code, hold_code, hold_disconnect, dial_confirm_code, dtmf_erase,"
            " dtmf_send_code, restrict_admin, restrict_user, trusted_networks, auto_unlock,"
            " password_max_age_days, domain) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            " RETURNING id");
    if (!s)
        return E_STORAGE;
    if (site->password_max_age_days == 0)
        site->password_max_age_days = 90;
    bind_fields(s, site);
    store_bind_text(s, 17, site->domain);
    rc = store_step_id(st, s, &site->id);
    if (rc)
        return rc;
    site->version = 1;
    char after[1400];
    describe(site, after, sizeof after);
    return store_audit(st, site->id, who, "site.add", site->domain, NULL, after);
}

/* The end of an UPDATE of one site row: binds its id and version at
 * `id_param` and the next parameter, runs it, bumps site->version and audits
 * the fields `desc` writes, before and after. */
static int finish_update(struct store *st, struct store_stmt *s, int id_param,
                         const struct store_site *before, struct store_site *site,
                         void (*desc)(const struct store_site *, char *, size_t),
                         const char *action, const struct store_actor *who)
{
    stmt_bind_int64(s, id_param, site->id);
    stmt_bind_int64(s, id_param + 1, site->version);
    int rc = store_step_versioned(st, s);
    if (rc)
        return rc;
    site->version++;
    char b[1400], a[1400];
    desc(before, b, sizeof b);
    desc(site, a, sizeof a);
    return store_audit(st, site->id, who, action, site->domain, b, a);
}

int store_site_update(struct store *st, struct store_site *site, const struct store_actor *who)
{
    struct store_site before;
    int rc = store_site_get(st, site->id, &before);
    if (rc)
        return rc;
    struct store_stmt *s = store_prepare(
        st,
        "UPDATE sites SET capacity=?, site_number=?, gw_id=?, park_code=?, pickup_code=?,"
        " group_pickup_code=?, hold_code=?, hold_disconnect=?, dial_confirm_code=?, dtmf_erase=?,"
        " dtmf_send_code=?, restrict_admin=?, restrict_user=?, trusted_networks=?, auto_unlock=?,"
        " password_max_age_days=?, version = version + 1 WHERE id=? AND version=?");
    if (!s)
        return E_STORAGE;
    bind_fields(s, site);
    return finish_update(st, s, 17, &before, site, describe, "site.set", who);
}

struct site_visit {
    store_site_cb cb;
    void *ctx;
};

static int visit_site(struct store_stmt *s, void *ctx)
{
    struct site_visit *v = ctx;
    struct store_site site;
    read_site(s, &site);
    return v->cb(&site, v->ctx);
}

int store_site_each(struct store *st, store_site_cb cb, void *ctx)
{
    struct store_stmt *s = store_prepare(st, "SELECT " SITE_COLUMNS " FROM sites ORDER BY domain");
    if (!s)
        return E_STORAGE;
    struct site_visit v = {cb, ctx};
    return store_each_row(st, s, visit_site, &v);
}

int store_site_count(struct store *st, int *count)
{
    struct store_stmt *s = store_prepare(st, "SELECT count(*) FROM sites");
    if (!s)
        return E_STORAGE;
    int out = E_STORAGE;
    if (stmt_step(s) == STMT_ROW) {
        *count = stmt_column_int(s, 0);
        out = CORE_OK;
    } else {
        store_fail(st);
    }
    stmt_finalize(s);
    return out;
}

int store_site_reset_secret(struct store *st, int64_t site_id, const struct store_actor *who)
{
    struct store_site site;
    int rc = store_site_get(st, site_id, &site);
    if (rc)
        return rc;
    struct store_stmt *s = store_prepare(
        st, "UPDATE sites SET secret_question = NULL, secret_answer_hash = NULL,"
            " secret_failures = 0, secret_locked_at = 0, version = version + 1 WHERE id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, site_id);
    rc = store_step_done(st, s);
    if (rc)
        return rc;
    return store_audit(st, site_id, who, "secret.reset", site.domain,
                       site.has_secret ? "secret=set" : "secret=none", "secret=none");
}

static void describe_codes(const struct store_site *o, char *buf, size_t n)
{
    snprintf(buf, n, "hold=%s hold_disconnect=%d dial_confirm=%s dtmf_erase=%d dtmf_send=%s",
             o->hold_code, o->hold_disconnect, o->dial_confirm_code, o->dtmf_erase,
             o->dtmf_send_code);
}

int store_site_set_codes(struct store *st, struct store_site *site, const struct store_actor *who)
{
    struct store_site before;
    int rc = store_site_get(st, site->id, &before);
    if (rc)
        return rc;
    struct store_stmt *s = store_prepare(
        st, "UPDATE sites SET hold_code=?, hold_disconnect=?, dial_confirm_code=?, dtmf_erase=?,"
            " dtmf_send_code=?, version = version + 1 WHERE id=? AND version=?");
    if (!s)
        return E_STORAGE;
    store_bind_opt(s, 1, site->hold_code);
    stmt_bind_int(s, 2, site->hold_disconnect);
    store_bind_opt(s, 3, site->dial_confirm_code);
    stmt_bind_int(s, 4, site->dtmf_erase);
    store_bind_opt(s, 5, site->dtmf_send_code);
    return finish_update(st, s, 6, &before, site, describe_codes, "codes.set", who);
}
