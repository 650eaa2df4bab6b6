/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Call records (tables cdr, cdr_files): the days and parts of a site, the
 * loader that adds a file's records in batches with checkpoints and can
 * undo them, the keyset pages of the viewer, and the purge of old days. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

static void read_file(struct store_stmt *s, struct store_cdr_file *f)
{
    f->id = stmt_column_int64(s, 0);
    store_column_copy(s, 1, f->day, sizeof f->day);
    f->part = stmt_column_int(s, 2);
    f->records = (long)stmt_column_int64(s, 3);
}

struct file_visit {
    store_cdr_file_cb cb;
    void *ctx;
};

static int visit_file(struct store_stmt *s, void *ctx)
{
    struct file_visit *v = ctx;
    struct store_cdr_file f;
    read_file(s, &f);
    return v->cb(&f, v->ctx);
}

int store_cdr_files(struct store *st, int64_t site_id, store_cdr_file_cb cb, void *ctx)
{
    struct store_stmt *s =
        store_prepare(st, "SELECT id, day, part, records FROM cdr_files WHERE site_id = ?"
                          " AND day >= ? ORDER BY day DESC, part");
    if (!s)
        return E_STORAGE;
    /* Past the 92 days a file is gone, whether or not the daily purge has
     * run yet. */
    char oldest[CORE_CDR_DAY_LEN + 1];
    core_cdr_oldest_day(store_now(), oldest);
    stmt_bind_int64(s, 1, site_id);
    store_bind_text(s, 2, oldest);
    struct file_visit v = {cb, ctx};
    return store_each_row(st, s, visit_file, &v);
}

int store_cdr_file_find(struct store *st, int64_t site_id, const char *day, int part,
                        struct store_cdr_file *out)
{
    struct store_stmt *s = store_prepare(
        st,
        "SELECT id, day, part, records FROM cdr_files WHERE site_id = ? AND day = ? AND part = ?"
        " AND day >= ?");
    if (!s)
        return E_STORAGE;
    char oldest[CORE_CDR_DAY_LEN + 1];
    core_cdr_oldest_day(store_now(), oldest);
    stmt_bind_int64(s, 1, site_id);
    store_bind_text(s, 2, day);
    stmt_bind_int(s, 3, part);
    store_bind_text(s, 4, oldest);
    int rc = stmt_step(s), result = E_CDR_FILE_NOT_FOUND;
    if (rc == STMT_ROW) {
        read_file(s, out);
        result = CORE_OK;
    } else if (rc != STMT_DONE) {
        result = store_fail(st);
    }
    stmt_finalize(s);
    return result;
}

/* ---- loading ---- */

/* Records in one INSERT: a statement's own work (opening the table,
 * halting, resetting) is then shared by 16 records instead of done for
 * each (a quarter of the instructions of a load's writes). */
#define CDR_GROUP 16
#define CDR_INSERT_SQL                                                                             \
    "INSERT INTO cdr (file_id, seq, call_time, answer_time, end_time, completed, service,"         \
    " received, caller, callee, transferrer, disconnect_type, disconnector, cause) VALUES "
#define CDR_VALUES_SQL "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
/* The file a day's records currently go to, within one chunk. */
struct open_file {
    char day[CORE_CDR_DAY_LEN + 1];
    int64_t id;
    int part;
    long records;
    size_t span; /* its entry in spans */
};

/* What this load added to one file: records from+1 .. to.  Kept for the
 * audit at finish and to take a failed load out again. */
struct span {
    char day[CORE_CDR_DAY_LEN + 1];
    int64_t file_id;
    int part;
    long from, to;
    bool created;
};

struct store_cdr_loader {
    struct store *st;
    int64_t site_id;
    struct store_stmt *insert, *insert_group, *last_part, *new_part;
    struct open_file *files; /* forgotten at every checkpoint */
    size_t count, capacity;
    size_t current; /* index of the last used file: records come day by day */
    struct span *spans;
    size_t nspans, span_cap;
    long pending; /* records since the last checkpoint */
    struct store_actor who;
    bool copying; /* inside the engine's COPY: no other statement now */
    /* Records waiting to be inserted together (SQLite): copies, with
     * their file and position. */
    struct core_cdr group[CDR_GROUP];
    int64_t group_file[CDR_GROUP], group_seq[CDR_GROUP];
    int grouped;
};

#define CDR_COPY_SQL                                                                               \
    "COPY cdr (file_id, seq, call_time, answer_time, end_time, completed, service, received,"      \
    " caller, callee, transferrer, disconnect_type, disconnector, cause) FROM STDIN"

/* Ends the COPY in progress, before any other statement of the load. */
static int copy_stop(struct store_cdr_loader *l)
{
    if (!l->copying)
        return CORE_OK;
    l->copying = false;
    return l->st->engine->copy_end(l->st);
}

int store_cdr_loader_open(struct store *st, int64_t site_id, const struct store_actor *who,
                          struct store_cdr_loader **out)
{
    struct store_cdr_loader *l = calloc(1, sizeof *l);
    if (!l)
        return E_STORAGE;
    l->who = *who;
    l->st = st;
    l->site_id = site_id;
    l->insert = store_prepare(st, CDR_INSERT_SQL CDR_VALUES_SQL);
    char sql[sizeof CDR_INSERT_SQL + CDR_GROUP * sizeof CDR_VALUES_SQL];
    size_t n = (size_t)snprintf(sql, sizeof sql, "%s", CDR_INSERT_SQL);
    for (int i = 0; i < CDR_GROUP; i++)
        n += (size_t)snprintf(sql + n, sizeof sql - n, "%s" CDR_VALUES_SQL, i ? "," : "");
    l->insert_group = store_prepare(st, sql);
    l->last_part =
        store_prepare(st, "SELECT id, part, records FROM cdr_files WHERE site_id = ? AND day = ?"
                          " ORDER BY part DESC LIMIT 1");
    l->new_part =
        store_prepare(st, "INSERT INTO cdr_files (site_id, day, part, records) VALUES (?,?,?,0)"
                          " RETURNING id");
    if (!l->insert || !l->insert_group || !l->last_part || !l->new_part) {
        store_cdr_loader_free(l);
        return E_STORAGE;
    }
    *out = l;
    return CORE_OK;
}

void store_cdr_loader_free(struct store_cdr_loader *l)
{
    if (!l)
        return;
    copy_stop(l);
    stmt_finalize(l->insert);
    stmt_finalize(l->insert_group);
    stmt_finalize(l->last_part);
    stmt_finalize(l->new_part);
    free(l->files);
    free(l->spans);
    free(l);
}

/* The span of f's file, a new one unless the last span of that file ends
 * where f goes on (records of one day come together). */
static int track(struct store_cdr_loader *l, struct open_file *f, bool created)
{
    for (size_t i = l->nspans; i-- > 0;) {
        struct span *sp = &l->spans[i];
        if (sp->file_id == f->id && sp->to == f->records) {
            f->span = i;
            return CORE_OK;
        }
    }
    if (l->nspans == l->span_cap) {
        size_t cap = l->span_cap ? l->span_cap * 2 : 64;
        struct span *spans = realloc(l->spans, cap * sizeof *spans);
        if (!spans)
            return E_STORAGE;
        l->spans = spans;
        l->span_cap = cap;
    }
    struct span *sp = &l->spans[l->nspans];
    snprintf(sp->day, sizeof sp->day, "%s", f->day);
    sp->file_id = f->id;
    sp->part = f->part;
    sp->from = sp->to = f->records;
    sp->created = created;
    f->span = l->nspans++;
    return CORE_OK;
}

static int start_part(struct store_cdr_loader *l, struct open_file *f, int part)
{
    int stopped = copy_stop(l);
    if (stopped)
        return stopped;
    struct store_stmt *s = l->new_part;
    stmt_reset(s);
    stmt_bind_int64(s, 1, l->site_id);
    store_bind_text(s, 2, f->day);
    stmt_bind_int(s, 3, part);
    if (stmt_step(s) != STMT_ROW)
        return store_fail(l->st);
    f->id = stmt_column_int64(s, 0);
    if (stmt_step(s) != STMT_DONE)
        return store_fail(l->st);
    f->part = part;
    f->records = 0;
    return track(l, f, true);
}

/* Finds or opens the file of a day: the last part if it has room. */
static int file_for_day(struct store_cdr_loader *l, const char *day, struct open_file **out)
{
    if (l->count && !strcmp(l->files[l->current].day, day)) {
        *out = &l->files[l->current];
        return CORE_OK;
    }
    for (size_t i = 0; i < l->count; i++) {
        if (!strcmp(l->files[i].day, day)) {
            l->current = i;
            *out = &l->files[i];
            return CORE_OK;
        }
    }
    if (l->count == l->capacity) {
        size_t cap = l->capacity ? l->capacity * 2 : 128;
        struct open_file *files = realloc(l->files, cap * sizeof *files);
        if (!files)
            return E_STORAGE;
        l->files = files;
        l->capacity = cap;
    }
    int stopped = copy_stop(l);
    if (stopped)
        return stopped;
    struct open_file *f = &l->files[l->count];
    memset(f, 0, sizeof *f);
    snprintf(f->day, sizeof f->day, "%s", day);
    struct store_stmt *s = l->last_part;
    stmt_reset(s);
    stmt_bind_int64(s, 1, l->site_id);
    store_bind_text(s, 2, day);
    int rc = stmt_step(s);
    if (rc == STMT_ROW && stmt_column_int64(s, 2) < CORE_CDR_FILE_MAX) {
        f->id = stmt_column_int64(s, 0);
        f->part = stmt_column_int(s, 1);
        f->records = (long)stmt_column_int64(s, 2);
        rc = track(l, f, false);
    } else if (rc == STMT_ROW) {
        int part = stmt_column_int(s, 1) + 1;
        stmt_reset(s);
        rc = start_part(l, f, part);
    } else if (rc == STMT_DONE) {
        stmt_reset(s);
        rc = start_part(l, f, 1);
    } else {
        rc = store_fail(l->st);
    }
    stmt_reset(s);
    if (rc)
        return rc;
    l->current = l->count++;
    *out = f;
    return CORE_OK;
}

static int write_count(struct store_cdr_loader *l, const struct open_file *f)
{
    int stopped = copy_stop(l);
    if (stopped)
        return stopped;
    struct store_stmt *s = store_prepare(l->st, "UPDATE cdr_files SET records = ? WHERE id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, f->records);
    stmt_bind_int64(s, 2, f->id);
    return store_step_done(l->st, s);
}

/* The record's own strings, not copies: they stay put until the step
 * (copying every field was 16% of a load). */
static void bind_opt_ref(struct store_stmt *s, int i, const char *v)
{
    if (v && *v)
        stmt_bind_text_ref(s, i, v);
    else
        stmt_bind_null(s, i);
}

static const char *opt(const char *v)
{
    return v && *v ? v : NULL;
}

/* One record through the engine's COPY (a load's records go to the
 * server in one stream per chunk and file, not one statement each). */
static int copy_row(struct store_cdr_loader *l, const struct open_file *f, const struct core_cdr *r)
{
    if (!l->copying) {
        if (l->st->engine->copy_begin(l->st, CDR_COPY_SQL))
            return E_STORAGE;
        l->copying = true;
    }
    char id[24], seq[24], completed[16], cause[16];
    snprintf(id, sizeof id, "%lld", (long long)f->id);
    snprintf(seq, sizeof seq, "%ld", f->records + 1);
    snprintf(completed, sizeof completed, "%d", r->completed);
    snprintf(cause, sizeof cause, "%d", r->cause);
    const char *v[14] = {id,
                         seq,
                         r->call_time,
                         opt(r->answer_time),
                         opt(r->end_time),
                         completed,
                         opt(r->service),
                         opt(r->received),
                         opt(r->caller),
                         opt(r->callee),
                         opt(r->transferrer),
                         opt(r->disconnect_type),
                         opt(r->disconnector),
                         r->cause == CORE_CDR_CAUSE_NONE ? NULL : cause};
    return l->st->engine->copy_row(l->st, 14, v);
}

/* Binds record r at file_id, seq as the k-th of statement s. */
static void bind_record(struct store_stmt *s, int k, int64_t file_id, int64_t seq,
                        const struct core_cdr *r)
{
    int i = k * 14;
    stmt_bind_int64(s, i + 1, file_id);
    stmt_bind_int64(s, i + 2, seq);
    stmt_bind_text_ref(s, i + 3, r->call_time);
    bind_opt_ref(s, i + 4, r->answer_time);
    bind_opt_ref(s, i + 5, r->end_time);
    stmt_bind_int(s, i + 6, r->completed);
    bind_opt_ref(s, i + 7, r->service);
    bind_opt_ref(s, i + 8, r->received);
    bind_opt_ref(s, i + 9, r->caller);
    bind_opt_ref(s, i + 10, r->callee);
    bind_opt_ref(s, i + 11, r->transferrer);
    bind_opt_ref(s, i + 12, r->disconnect_type);
    bind_opt_ref(s, i + 13, r->disconnector);
    if (r->cause == CORE_CDR_CAUSE_NONE)
        stmt_bind_null(s, i + 14);
    else
        stmt_bind_int(s, i + 14, r->cause);
}

/* Inserts the records waiting: all in one statement when the group is
 * full, else one by one (the end of a chunk). */
static int group_flush(struct store_cdr_loader *l)
{
    int n = l->grouped;
    l->grouped = 0;
    if (n == CDR_GROUP) {
        struct store_stmt *s = l->insert_group;
        stmt_reset(s);
        for (int k = 0; k < n; k++)
            bind_record(s, k, l->group_file[k], l->group_seq[k], &l->group[k]);
        return stmt_step(s) == STMT_DONE ? CORE_OK : store_fail(l->st);
    }
    for (int k = 0; k < n; k++) {
        struct store_stmt *s = l->insert;
        stmt_reset(s);
        bind_record(s, 0, l->group_file[k], l->group_seq[k], &l->group[k]);
        if (stmt_step(s) != STMT_DONE)
            return store_fail(l->st);
    }
    return CORE_OK;
}

int store_cdr_loader_add(struct store_cdr_loader *l, const struct core_cdr *r)
{
    char day[CORE_CDR_DAY_LEN + 1];
    core_cdr_day(r, day);
    struct open_file *f = NULL;
    int rc = file_for_day(l, day, &f);
    if (rc)
        return rc;
    if (f->records >= CORE_CDR_FILE_MAX) {
        /* This part is full: its count is final; the day goes on in a new
         * part that takes its place in the table. */
        if ((rc = write_count(l, f)) || (rc = start_part(l, f, f->part + 1)))
            return rc;
    }
    if (l->st->engine->copy_begin) {
        if ((rc = copy_row(l, f, r)))
            return rc;
    } else {
        /* A copy: the caller's record may change before the group goes. */
        int k = l->grouped++;
        l->group[k] = *r;
        l->group_file[k] = f->id;
        l->group_seq[k] = f->records + 1;
        if (l->grouped == CDR_GROUP && (rc = group_flush(l)))
            return rc;
    }
    f->records++;
    l->spans[f->span].to = f->records;
    l->pending++;
    return CORE_OK;
}

long store_cdr_loader_pending(const struct store_cdr_loader *l)
{
    return l->pending;
}

int store_cdr_loader_checkpoint(struct store_cdr_loader *l)
{
    int stopped = copy_stop(l);
    if (!stopped)
        stopped = group_flush(l);
    if (stopped)
        return stopped;
    for (size_t i = 0; i < l->count; i++) {
        int rc = write_count(l, &l->files[i]);
        if (rc)
            return rc;
    }
    /* The next chunk reads each day's last part again: another load may
     * have appended to it between the two transactions. */
    l->count = 0;
    l->pending = 0;
    return CORE_OK;
}

int store_cdr_loader_finish(struct store_cdr_loader *l, int *files)
{
    int rc = store_cdr_loader_checkpoint(l);
    int touched = 0;
    for (size_t i = 0; !rc && i < l->nspans; i++) {
        const struct span *sp = &l->spans[i];
        if (sp->to == sp->from)
            continue;
        char object[32], before[32], after[32];
        snprintf(object, sizeof object, "%s/%d", sp->day, sp->part);
        snprintf(before, sizeof before, "records=%ld", sp->from);
        snprintf(after, sizeof after, "records=%ld", sp->to);
        rc = store_audit(l->st, l->site_id, &l->who, "cdr.load", object, sp->from ? before : NULL,
                         after);
        touched++;
    }
    if (files)
        *files = touched;
    return rc;
}

int store_cdr_loader_undo(struct store_cdr_loader *l)
{
    copy_stop(l); /* a failed chunk: its rows are rolled back anyway */
    l->grouped = 0;
    struct store_stmt *del = store_prepare(l->st, "DELETE FROM cdr WHERE file_id = ?1"
                                                  " AND seq > ?2 AND seq <= ?3");
    /* The count is the highest sequence number left, so that the next
     * load appends after records another load may have added meanwhile. */
    struct store_stmt *count = store_prepare(
        l->st, "UPDATE cdr_files SET records ="
               " coalesce((SELECT max(seq) FROM cdr WHERE file_id = ?1), 0) WHERE id = ?1");
    struct store_stmt *drop =
        store_prepare(l->st, "DELETE FROM cdr_files WHERE id = ?1 AND records = 0");
    int rc = del && count && drop ? CORE_OK : E_STORAGE;
    for (size_t i = l->nspans; !rc && i-- > 0;) {
        const struct span *sp = &l->spans[i];
        struct store_stmt *steps[] = {del, count, sp->created ? drop : NULL};
        for (int k = 0; !rc && k < 3 && steps[k]; k++) {
            stmt_reset(steps[k]);
            stmt_bind_int64(steps[k], 1, sp->file_id);
            if (k == 0) {
                stmt_bind_int64(del, 2, sp->from);
                stmt_bind_int64(del, 3, sp->to);
            }
            if (stmt_step(steps[k]) != STMT_DONE)
                rc = store_fail(l->st);
        }
    }
    stmt_finalize(del);
    stmt_finalize(count);
    stmt_finalize(drop);
    l->nspans = 0;
    l->count = 0;
    return rc;
}

/* ---- viewing ---- */

#define CDR_COLUMNS_SQL                                                                            \
    "seq, call_time, answer_time, end_time, completed, service, received, caller, callee,"         \
    " transferrer, disconnect_type, disconnector, cause"
/* One statement per direction; every filter is a bound parameter that is
 * NULL (or -1) when unset, so the plan is the primary-key range scan of
 * the file whatever the filter. */
#define CDR_FILTER_SQL                                                                             \
    " FROM cdr WHERE file_id = ?1"                                                                 \
    " AND (CAST(?3 AS TEXT) IS NULL OR call_time >= ?3)"                                           \
    " AND (CAST(?4 AS TEXT) IS NULL OR call_time <= ?4)"                                           \
    " AND (CAST(?5 AS TEXT) IS NULL OR instr(caller, ?5) > 0 OR instr(callee, ?5) > 0"             \
    "      OR instr(received, ?5) > 0 OR instr(transferrer, ?5) > 0)"                              \
    " AND (?6 < 0 OR completed = ?6) AND (?7 < 0 OR cause = ?7)"

static void read_cdr(struct store_stmt *s, struct core_cdr *r)
{
    memset(r, 0, sizeof *r);
    r->seq = stmt_column_int64(s, 0);
    store_column_copy(s, 1, r->call_time, sizeof r->call_time);
    store_column_copy(s, 2, r->answer_time, sizeof r->answer_time);
    store_column_copy(s, 3, r->end_time, sizeof r->end_time);
    r->completed = stmt_column_int(s, 4);
    store_column_copy(s, 5, r->service, sizeof r->service);
    store_column_copy(s, 6, r->received, sizeof r->received);
    store_column_copy(s, 7, r->caller, sizeof r->caller);
    store_column_copy(s, 8, r->callee, sizeof r->callee);
    store_column_copy(s, 9, r->transferrer, sizeof r->transferrer);
    store_column_copy(s, 10, r->disconnect_type, sizeof r->disconnect_type);
    store_column_copy(s, 11, r->disconnector, sizeof r->disconnector);
    r->cause = stmt_column_null(s, 12) ? CORE_CDR_CAUSE_NONE : stmt_column_int(s, 12);
}

int store_cdr_page(struct store *st, int64_t file_id, const struct store_cdr_filter *filter,
                   enum store_page_dir dir, int64_t key, struct core_cdr *out, int limit,
                   int *count)
{
    *count = 0;
    bool backward = dir == STORE_PAGE_PREV || dir == STORE_PAGE_LAST;
    struct store_stmt *s = store_prepare(st, backward ? "SELECT " CDR_COLUMNS_SQL CDR_FILTER_SQL
                                                        " AND seq < ?2 ORDER BY seq DESC LIMIT ?8"
                                                      : "SELECT " CDR_COLUMNS_SQL CDR_FILTER_SQL
                                                        " AND seq > ?2 ORDER BY seq LIMIT ?8");
    if (!s)
        return E_STORAGE;
    if (dir == STORE_PAGE_FIRST)
        key = 0;
    else if (dir == STORE_PAGE_LAST)
        key = INT64_MAX;
    stmt_bind_int64(s, 1, file_id);
    stmt_bind_int64(s, 2, key);
    store_bind_opt(s, 3, filter ? filter->from : NULL);
    store_bind_opt(s, 4, filter ? filter->to : NULL);
    store_bind_opt(s, 5, filter ? filter->number : NULL);
    stmt_bind_int(s, 6, filter ? filter->completed : -1);
    stmt_bind_int(s, 7, filter ? filter->cause : -1);
    stmt_bind_int(s, 8, limit);
    int rc;
    while (*count < limit && (rc = stmt_step(s)) == STMT_ROW)
        read_cdr(s, &out[(*count)++]);
    int result = *count == limit || rc == STMT_DONE ? CORE_OK : store_fail(st);
    stmt_finalize(s);
    if (backward) /* read newest first; shown in file order */
        for (int i = 0, j = *count - 1; i < j; i++, j--) {
            struct core_cdr t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
    return result;
}
