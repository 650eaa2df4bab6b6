/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Call history (通信履歴, doc/spec.md §3.7): the frame in which a file
 * (src/ops/cdr_load.c) or demo traffic is loaded all or nothing, the 92-day
 * retention, writing a day's file, and the secret question (§6.3) that
 * guards 通信履歴参照. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/formats.h"
#include "io/io.h"
#include "ops/cdr_internal.h"
#include "ops/internal.h"

int cdr_add_problem(struct core_problems *problems, int code, const char *value, int field,
                    long row)
{
    struct core_problem p;
    core_problem_set(&p, code, value);
    p.field = field;
    p.row = row;
    return core_problems_add(problems, &p) ? code : E_STORAGE;
}

static int find_site(struct store *st, const char *domain, struct store_site *site)
{
    char normalized[CORE_DOMAIN_MAX + 1];
    snprintf(normalized, sizeof normalized, "%s", domain ? domain : "");
    core_normalize_domain(normalized);
    return store_site_find(st, normalized, site);
}

void ops_cdr_oldest_day(int64_t now, char out[CORE_CDR_DAY_LEN + 1])
{
    core_cdr_oldest_day(now, out);
}

int ops_cdr_purge(const struct ops_ctx *ctx, int *files, long *records)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    char oldest[CORE_CDR_DAY_LEN + 1];
    ops_cdr_oldest_day(store_now(), oldest);
    int rc = store_begin(st);
    if (!rc)
        rc = store_cdr_purge(st, site_id, oldest, who, files, records);
    if (!rc)
        return store_commit(st);
    store_rollback(st);
    return rc;
}

static void summary(char *buf, size_t n, const char *what, const struct ops_cdr_result *r)
{
    snprintf(buf, n, "%s rows=%ld loaded=%ld too_old=%ld files=%d purged_files=%d", what, r->rows,
             r->loaded, r->too_old, r->files, r->purged_files);
}

/* A load commits every OPS_CDR_CHUNK records (one day file's worth), so the
 * write lock is never held for long: logins, saves and other consoles
 * write between two chunks, and a load of months of records costs them
 * at most one chunk's wait.  A problem found later takes the committed
 * chunks out again (store_cdr_loader_undo): the load stays all or nothing,
 * though a reader may see its records for that moment. */
#define OPS_CDR_CHUNK CORE_CDR_FILE_MAX

int cdr_frame_add(struct cdr_frame *fr, const struct core_cdr *rec)
{
    if (fr->interrupted && *fr->interrupted)
        return E_INTERRUPTED;
    int rc = store_cdr_loader_add(fr->loader, rec);
    if (rc || store_cdr_loader_pending(fr->loader) < OPS_CDR_CHUNK)
        return rc;
    if ((rc = store_cdr_loader_checkpoint(fr->loader)) || (rc = store_commit(fr->st)))
        return rc;
    fr->committed++;
    return store_begin(fr->st);
}

int cdr_frame_open(struct store *st, const char *domain, const struct store_actor *who,
                   struct cdr_frame *fr, struct ops_cdr_result *result,
                   struct core_problems *problems)
{
    memset(fr, 0, sizeof *fr);
    fr->st = st;
    int rc = find_site(st, domain, &fr->site);
    if (rc)
        return cdr_add_problem(problems, rc, domain, -1, 0);
    ops_cdr_oldest_day(store_now(), fr->oldest);
    long purged_records = 0;
    if (!(rc = store_begin(st))) {
        rc = store_cdr_purge(st, fr->site.id, fr->oldest, who, &result->purged_files,
                             &purged_records);
        rc = rc ? rc : store_commit(st);
    }
    if (!rc)
        rc = store_bulk_writes(st, true);
    if (!rc && !(rc = store_begin(st)))
        rc = store_cdr_loader_open(st, fr->site.id, who, &fr->loader);
    if (rc) {
        store_rollback(st);
        store_bulk_writes(st, false);
        return cdr_add_problem(problems, rc, NULL, -1, 0);
    }
    return CORE_OK;
}

int cdr_frame_close(struct store *st, struct cdr_frame *fr, const struct store_actor *who,
                    const char *what, const char *object, struct ops_cdr_result *result,
                    struct core_problems *problems, size_t from, int rc)
{
    /* The last chunk commits as the others did; the audit then commits
     * in an ordinary transaction, whose sync makes the whole load durable. */
    if (!rc && problems->count == from && !(rc = store_cdr_loader_checkpoint(fr->loader)) &&
        !(rc = store_commit(st))) {
        fr->committed++;
        if (!(rc = store_bulk_writes(st, false)))
            rc = store_begin(st);
    }
    if (!rc && problems->count == from)
        rc = store_cdr_loader_finish(fr->loader, &result->files);
    if (!rc && problems->count == from) {
        char after[256];
        summary(after, sizeof after, what, result);
        rc = store_audit(st, fr->site.id, who, "cdr.import", object, NULL, after);
        if (!rc)
            rc = store_commit(st);
    }
    if (rc && problems->count == from)
        cdr_add_problem(problems, rc, NULL, -1, 0);
    if (problems->count > from) {
        store_rollback(st);
        store_bulk_writes(st, false);
        if (fr->committed) {
            int urc = store_begin(st);
            if (!urc)
                urc = store_cdr_loader_undo(fr->loader);
            if (!urc)
                urc = store_commit(st);
            if (urc) {
                store_rollback(st);
                cdr_add_problem(problems, urc, NULL, -1, 0);
            }
        }
        result->loaded = 0;
        result->files = 0;
    }
    store_cdr_loader_free(fr->loader);
    return problems->count > from ? problems->items[from].code : CORE_OK;
}

/* ---- demo ---- */

struct ext_list {
    char (*items)[CORE_CDR_NUMBER_MAX + 1];
    size_t count, capacity;
    long long next; /* ext_num after the last one seen */
    int rows;
};

static int collect_ext(const struct store_ext *e, void *ctx)
{
    struct ext_list *l = ctx;
    l->next = strtoll(e->ext, NULL, 10) + 1;
    l->rows++;
    if (l->count == l->capacity) {
        size_t cap = l->capacity ? l->capacity * 2 : 256;
        void *items = realloc(l->items, cap * sizeof *l->items);
        if (!items)
            return E_STORAGE;
        l->items = items;
        l->capacity = cap;
    }
    snprintf(l->items[l->count++], CORE_CDR_NUMBER_MAX + 1, "%s", e->ext);
    return 0;
}

/* The site's ordinary extensions (virtual ones only receive calls through
 * a group, so they neither place nor answer demo calls). */
static int site_extensions(struct store *st, int64_t site_id, struct ext_list *l)
{
    memset(l, 0, sizeof *l);
    int rc;
    do {
        char from[32];
        snprintf(from, sizeof from, "%lld", l->next - 1);
        l->rows = 0;
        rc = store_ext_list_page(st, site_id, 0, l->count ? from : NULL, false, 1000, collect_ext,
                                 l);
    } while (!rc && l->rows == 1000);
    return rc;
}

int ops_cdr_demo(const struct ops_ctx *ctx, const struct ops_cdr_demo_request *req,
                 struct core_problems *problems, struct ops_cdr_result *result)
{
    const char *domain = req->domain;
    int days = req->days;
    long per_day = req->per_day;
    uint64_t seed = req->seed;
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    memset(result, 0, sizeof *result);
    size_t from = problems->count;
    struct store_site site;
    struct ext_list exts;
    int rc = find_site(st, domain, &site);
    if (rc)
        return cdr_add_problem(problems, rc, domain, -1, 0);
    if ((rc = site_extensions(st, site.id, &exts))) {
        free(exts.items);
        return cdr_add_problem(problems, rc, NULL, -1, 0);
    }
    static char fallback[][CORE_CDR_NUMBER_MAX + 1] = {"2001", "2002", "2003", "2004", "2005"};
    struct core_cdr_demo_numbers nums = {exts.items, exts.count, "0312340000"};
    if (!exts.count) { /* a site without profiles still gets traffic to show */
        nums.extensions = fallback;
        nums.extension_count = sizeof fallback / sizeof fallback[0];
    }
    struct cdr_frame fr;
    if ((rc = cdr_frame_open(st, domain, who, &fr, result, problems))) {
        free(exts.items);
        return rc;
    }
    int *seconds = malloc((size_t)(per_day > 0 ? per_day : 1) * sizeof *seconds);
    if (!seconds)
        rc = E_STORAGE;
    struct core_rng rng;
    core_rng_seed(&rng, seed);
    long first = 0;
    core_day_number(fr.oldest, &first);
    first += CORE_CDR_KEEP_DAYS - days; /* the last `days` days up to today */
    /* Today's records stop at the present: a call record is never in the
     * future (times are local, "YYYY/MM/DD HH:MM:SS", so they compare as
     * text). */
    char now_text[64];
    {
        time_t t = (time_t)store_now();
        struct tm tm;
        localtime_r(&t, &tm);
        snprintf(now_text, sizeof now_text, "%04d/%02d/%02d %02d:%02d:%02d", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    }
    for (int d = 0; !rc && d < days; d++) {
        char day[CORE_CDR_DAY_LEN + 1];
        core_day_text(first + d, day);
        core_cdr_demo_times(&rng, seconds, (size_t)per_day);
        for (long i = 0; !rc && i < per_day; i++) {
            struct core_cdr rec;
            core_cdr_demo_record(&rng, day, seconds[i], &nums, &rec);
            if (strcmp(rec.end_time, now_text) > 0 || strcmp(rec.call_time, now_text) > 0)
                continue;
            result->rows++;
            if (!(rc = cdr_frame_add(&fr, &rec)))
                result->loaded++;
        }
    }
    free(seconds);
    free(exts.items);
    return cdr_frame_close(st, &fr, who, "demo", site.domain, result, problems, from, rc);
}

/* ---- export ---- */

#define EXPORT_PAGE 1000

static int export_file(struct store *st, const struct store_cdr_file *f, struct io_csv_writer *w,
                       struct core_cdr *page, long *written, struct core_problem *problem)
{
    int count = 0, rc;
    int64_t key = 0;
    enum store_page_dir dir = STORE_PAGE_FIRST;
    do {
        if ((rc = store_cdr_page(st, f->id, NULL, dir, key, page, EXPORT_PAGE, &count)))
            break;
        for (int i = 0; !rc && i < count; i++) {
            char cause[4];
            const char *fields[CORE_CDR_COLUMNS];
            struct io_csv_result io;
            core_cdr_to_native(&page[i], cause, fields);
            rc = io_csv_write_record(w, CORE_CDR_COLUMNS, fields, &io);
            if (rc == E_UNENCODABLE)
                rc = E_CDR_UNENCODABLE; /* the call history's own words */
            if (!rc)
                ++*written;
        }
        if (count)
            key = page[count - 1].seq;
        dir = STORE_PAGE_NEXT;
    } while (!rc && count == EXPORT_PAGE);
    if (rc) {
        core_problem_set(problem, rc, NULL);
        problem->row = *written + 1;
    }
    return rc;
}

int ops_cdr_export(const struct ops_ctx *ctx, const struct ops_cdr_export_request *req, FILE *out,
                   long *written, struct core_problem *problem)
{
    const char *day = req->day;
    int part = req->part;
    enum io_encoding encoding = req->encoding;
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    *written = 0;
    core_problem_set(problem, CORE_OK, NULL);
    int rc = core_check_day(day);
    if (rc) {
        core_problem_set(problem, rc, day);
        return rc;
    }
    struct core_cdr *page = malloc(EXPORT_PAGE * sizeof *page);
    struct io_csv_writer *w = NULL;
    struct io_csv_result io;
    if (!page || io_csv_writer_open(&w, out, encoding, &io)) {
        free(page);
        core_problem_set(problem, E_STORAGE, NULL);
        return E_STORAGE;
    }
    /* One read transaction: a purge running meanwhile cannot cut a file
     * in two. */
    rc = store_begin_read(st);
    int found = 0;
    for (int p = part ? part : 1; !rc; p++) {
        struct store_cdr_file f;
        rc = store_cdr_file_find(st, site_id, day, p, &f);
        if (rc == E_CDR_FILE_NOT_FOUND && found) {
            rc = CORE_OK;
            break;
        }
        if (!rc)
            rc = export_file(st, &f, w, page, written, problem);
        found++;
        if (part)
            break;
    }
    store_rollback(st);
    int crc = io_csv_writer_close(w, &io);
    if (!rc)
        rc = crc;
    if (rc && problem->code == CORE_OK)
        core_problem_set(problem, rc, rc == E_CDR_FILE_NOT_FOUND ? day : NULL);
    free(page);
    return rc;
}

/* ---- secret question ---- */

/* Checks an answer under the lockout policy and stores the outcome; the
 * caller holds the transaction.  The call-history lock always lifts after
 * 60 minutes (doc/spec.md §3.7), whatever the site's automatic unlock setting. */
static int judge_answer(struct store *st, int64_t site_id, const struct store_secret *secret,
                        const char *answer, const struct store_actor *who, const char *object)
{
    int64_t now = store_now();
    struct core_lock_state lock = {secret->failures, secret->locked_at};
    bool allowed = core_lockout_allows(&lock, true, now);
    bool good = allowed && core_password_verify(answer ? answer : "", secret->answer_hash);
    int result = CORE_OK;
    const char *event = "secret.verify";
    if (!allowed) {
        result = E_SECRET_LOCKED;
        event = "secret.refused_locked";
    } else if (good) {
        core_lockout_succeed(&lock);
    } else if (core_lockout_fail(&lock, now)) {
        result = E_SECRET_LOCKED;
        event = "secret.lock";
    } else {
        result = E_SECRET_WRONG;
        event = "secret.fail";
    }
    int rc = store_secret_set_lock(st, site_id, lock.failures, lock.locked_at);
    if (!rc)
        rc = store_audit(st, site_id, who, event, object, NULL, NULL);
    return rc ? rc : result;
}

static int site_domain(struct store *st, int64_t site_id, char *out, size_t n)
{
    struct store_site site;
    int rc = store_site_get(st, site_id, &site);
    if (!rc)
        snprintf(out, n, "%s", site.domain);
    return rc;
}

int ops_secret_verify(const struct ops_ctx *ctx, const char *answer, struct core_problem *problem)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    core_problem_set(problem, CORE_OK, NULL);
    int rc = store_begin(st);
    struct store_secret secret;
    char domain[CORE_DOMAIN_MAX + 1] = "";
    if (!rc)
        rc = site_domain(st, site_id, domain, sizeof domain);
    if (!rc)
        rc = store_secret_get(st, site_id, &secret);
    if (!rc && !secret.answer_hash[0])
        rc = E_SECRET_NOT_SET;
    if (rc) {
        store_rollback(st);
        core_problem_set(problem, rc, NULL);
        return rc;
    }
    rc = judge_answer(st, site_id, &secret, answer, who, domain);
    /* A wrong answer is a result to keep (it counts towards the lock),
     * not a failure to undo. */
    if (rc == CORE_OK || rc == E_SECRET_WRONG || rc == E_SECRET_LOCKED) {
        int crc = store_commit(st);
        if (crc) {
            store_rollback(st);
            rc = crc;
        }
    } else {
        store_rollback(st);
    }
    if (rc) {
        core_problem_set(problem, rc, NULL);
        problem->field = 0;
    }
    return rc;
}

int ops_secret_set(const struct ops_ctx *ctx, const char *current_answer, const char *question,
                   const char *answer, struct core_problem *problem)
{
    struct store *st = ctx->st;
    int64_t site_id = ctx->site_id;
    const struct store_actor *who = &ctx->actor;
    core_problem_set(problem, CORE_OK, NULL);
    int rc = core_check_secret_text(question);
    if (rc) {
        core_problem_set(problem, rc, question);
        problem->field = 1;
        return rc;
    }
    if ((rc = core_check_secret_text(answer))) {
        core_problem_set(problem, rc, NULL); /* never echo an answer */
        problem->field = 2;
        return rc;
    }
    char hash[CORE_HASH_MAX];
    if (core_password_hash(answer, hash, sizeof hash)) {
        core_problem_set(problem, E_STORAGE, NULL);
        return E_STORAGE;
    }
    struct store_secret secret;
    char domain[CORE_DOMAIN_MAX + 1] = "";
    rc = store_begin(st);
    if (!rc)
        rc = site_domain(st, site_id, domain, sizeof domain);
    if (!rc)
        rc = store_secret_get(st, site_id, &secret);
    if (!rc && secret.answer_hash[0]) {
        rc = judge_answer(st, site_id, &secret, current_answer, who, domain);
        if (rc == E_SECRET_WRONG || rc == E_SECRET_LOCKED) {
            int crc = store_commit(st);
            if (crc)
                store_rollback(st);
            core_problem_set(problem, crc ? crc : rc, NULL);
            problem->field = 0;
            return crc ? crc : rc;
        }
    }
    if (!rc)
        rc = store_secret_set(st, site_id, question, hash, who);
    return single_write(st, rc, NULL, -1, problem);
}
