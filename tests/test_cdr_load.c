/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A call-record load read and checked on a thread of its own while the
 * calling thread writes gives the outcome of a load on one thread: the
 * same records stored in the same files, the same problems in the same
 * order, the same counts; after a bad record in a later chunk and after a
 * store failure nothing stays; an interrupted load that would write
 * nothing (every record refused, or older than 92 days) stops at its first
 * record with the interruption alone; and no thread outlives the load. */
#include <config.h>

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ops/ops.h"
#include "fixture.h"
#include "raw_sql.h"
#include "tap.h"

static const struct store_actor op = {"operator", "test"};

/* Threads of this process (the test's own is one). */
static int threads(void)
{
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

/* The threads of this process once they are down to `want`, polled for up
 * to 10 s: a joined thread has done its work, yet the kernel lists it in
 * /proc/self/task until it has finished exiting, which on a loaded
 * machine can be a moment after the join.  A thread still running stays. */
static int threads_settled(int want)
{
    int n = threads();
    for (int i = 0; i < 1000 && n != want; i++) {
        nanosleep(&(struct timespec){0, 10000000L}, NULL);
        n = threads();
    }
    return n;
}

/* N native records: 100 of a day past the 92 kept, then the rest spread
 * over 2024-05-01 and 05-02 in time order; the caller of record i (0-based
 * after the old ones) is 090 and i in eight digits, on two records of
 * three. */
static int write_file(const char *path, long n, long bad_from, long bad_every)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (int i = 0; i < 100; i++)
        fprintf(f, "2024/01/01 10:00:%02d,,,不成立,,2001,2002,2003,,,,018\r\n", i % 60);
    long per = (n + 1) / 2;
    for (long i = 0; i < n; i++) {
        long d = 1 + i / per, s = (i % per) * 86400 / per;
        char t[32];
        snprintf(t, sizeof t, "2024/05/%02ld %02ld:%02ld:%02ld", d, s / 3600, s / 60 % 60, s % 60);
        const char *type = i % 3 ? "成立" : "不成立";
        if (bad_every && i >= bad_from && (i - bad_from) % bad_every == 0)
            type = "maybe";
        if (i % 3)
            fprintf(f, "%s,%s,%s,%s,,0312340000,090%08ld,%ld,,,%ld,016\r\n", t, t, t, type, i,
                    2001 + i % 200, 2001 + i % 200);
        else
            fprintf(f, "%s,,%s,%s,,%ld,%ld,%ld,,,,%03ld\r\n", t, t, type, 2001 + i % 200,
                    2001 + (i + 7) % 200, 2001 + (i + 7) % 200, 17 + i % 2);
    }
    return fclose(f);
}

struct outcome {
    int rc;
    struct ops_cdr_result r;
    struct core_problems pr;
};

/* The interruption flag of the loads (a caller's signal handler sets its own). */
static volatile sig_atomic_t interrupted;

static void load(struct store *st, const char *domain, const char *path, int nthreads,
                 struct outcome *o)
{
    core_problems_init(&o->pr);
    struct ops_cdr_load_request req = {.domain = domain,
                                       .path = path,
                                       .format = OPS_CDR_NATIVE,
                                       .threads = nthreads,
                                       .interrupted = &interrupted};
    o->rc = ops_cdr_load(TEST_CTX(st, 0), &req, &o->pr, &o->r);
}

static bool same_outcome(const struct outcome *a, const struct outcome *b)
{
    if (a->rc != b->rc || a->r.rows != b->r.rows || a->r.loaded != b->r.loaded ||
        a->r.too_old != b->r.too_old || a->r.not_shown != b->r.not_shown ||
        a->r.files != b->r.files || a->r.encoding != b->r.encoding || a->pr.count != b->pr.count)
        return false;
    for (size_t i = 0; i < a->pr.count; i++) {
        const struct core_problem *p = &a->pr.items[i], *q = &b->pr.items[i];
        if (p->code != q->code || p->row != q->row || p->field != q->field ||
            strcmp(p->value, q->value))
            return false;
    }
    return true;
}

static bool rows_ascending(const struct core_problems *pr)
{
    for (size_t i = 1; i < pr->count; i++)
        if (pr->items[i].row < pr->items[i - 1].row)
            return false;
    return true;
}

struct files {
    struct store_cdr_file f[16];
    int n;
};

static int collect(const struct store_cdr_file *f, void *ctx)
{
    struct files *l = ctx;
    if (l->n < 16)
        l->f[l->n] = *f;
    l->n++;
    return 0;
}

static struct files files_of(struct store *st, const char *domain)
{
    struct files l = {.n = 0};
    struct store_site site;
    if (!store_site_find(st, domain, &site))
        store_cdr_files(st, site.id, collect, &l);
    return l;
}

/* Whether the two sites hold the same files with the same records. */
static bool same_records(struct store *st, const char *a, const char *b, long *compared)
{
    struct files fa = files_of(st, a), fb = files_of(st, b);
    bool same = fa.n == fb.n && fa.n <= 16;
    static struct core_cdr pa[1000], pb[1000];
    *compared = 0;
    for (int i = 0; same && i < fa.n; i++) {
        same = !strcmp(fa.f[i].day, fb.f[i].day) && fa.f[i].part == fb.f[i].part &&
               fa.f[i].records == fb.f[i].records;
        int64_t key = 0;
        enum store_page_dir dir = STORE_PAGE_FIRST;
        int na = 1000;
        while (same && na == 1000) {
            int nb = 0;
            same = !store_cdr_page(st, fa.f[i].id, NULL, dir, key, pa, 1000, &na) &&
                   !store_cdr_page(st, fb.f[i].id, NULL, dir, key, pb, 1000, &nb) && na == nb &&
                   !memcmp(pa, pb, (size_t)na * sizeof *pa);
            *compared += na;
            key = na ? pa[na - 1].seq : key;
            dir = STORE_PAGE_NEXT;
        }
    }
    return same;
}

/* The checks that end a load that kept nothing: the load on a thread of
 * its own (b) came to the one-thread load's outcome (a), nothing of the
 * site is stored and no thread is left.  Frees both outcomes. */
static void same_and_nothing_kept(struct store *st, const char *domain, struct outcome *a,
                                  struct outcome *b, int threads_before)
{
    tap_ok(same_outcome(a, b), "... read on a thread of its own: the same outcome (%ld rows read)",
           b->r.rows);
    tap_is(files_of(st, domain).n, 0, "... nothing stored");
    tap_is(threads_settled(threads_before), threads_before, "... and no thread left");
    core_problems_free(&a->pr);
    core_problems_free(&b->pr);
}

int main(void)
{
    setenv("TZ", "JST-9", 1);
    setenv("KASCON_NOW", "1714618800", 1); /* 2024-05-02 12:00 JST */
    char dir[] = "/tmp/kascon-cdrload-XXXXXX", path[256], csv[300];
    if (test_db_path(dir, path, sizeof path))
        return 1;
    struct store *st;
    tap_is(store_open(path, &st), 0, "open");
    struct core_problems pr;
    core_problems_init(&pr);
    const char *one = "one.example.jp", *two = "two.example.jp";
    struct ops_site_input in1 = {.domain = one, .capacity = "10"},
                          in2 = {.domain = two, .capacity = "10"};
    tap_ok(!ops_site_add(TEST_CTX(st, 0), &in1, &pr, NULL) &&
               !ops_site_add(TEST_CTX(st, 0), &in2, &pr, NULL),
           "two sites");
    core_problems_free(&pr);
    int before = threads();
    struct outcome a, b;

    /* 90,000 records: two chunks committed, then the last. */
    snprintf(csv, sizeof csv, "%s/good.csv", dir);
    tap_is(write_file(csv, 90000, 0, 0), 0, "a file of 90,100 records");
    load(st, one, csv, 1, &a);
    load(st, two, csv, 0, &b);
    tap_ok(a.rc == 0 && a.r.loaded == 90000 && a.r.too_old == 100 && a.r.files == 4,
           "on one thread: loaded (%d, %ld records, %d files)", a.rc, a.r.loaded, a.r.files);
    tap_ok(same_outcome(&a, &b), "read on a thread of its own: the same outcome (%ld records)",
           b.r.loaded);
    long compared = 0;
    bool same = same_records(st, one, two, &compared);
    tap_ok(same && compared == 90000, "... the same records in the same files (%ld compared)",
           compared);
    tap_is(threads_settled(before), before, "... and no thread left");
    core_problems_free(&a.pr);
    core_problems_free(&b.pr);

    /* A bad record in the third chunk (row 80,151) and 1,200 more after
     * it: more than are shown. */
    snprintf(csv, sizeof csv, "%s/bad.csv", dir);
    tap_is(write_file(csv, 90000, 80050, 8), 0, "a file with 1,244 bad records from row 80,151");
    load(st, one, csv, 1, &a);
    load(st, two, csv, 0, &b);
    tap_ok(a.rc == E_CDR_CALL_TYPE && a.pr.count == OPS_CDR_PROBLEMS_SHOWN &&
               a.pr.items[0].row == 80151 && a.r.not_shown == 1244 - OPS_CDR_PROBLEMS_SHOWN,
           "on one thread: refused (%d, %zu shown from row %ld, %ld not)", a.rc, a.pr.count,
           a.pr.count ? a.pr.items[0].row : 0, a.r.not_shown);
    tap_ok(same_outcome(&a, &b), "read on a thread of its own: the same problems");
    tap_ok(rows_ascending(&b.pr), "... in row order");
    same = same_records(st, one, two, &compared);
    tap_ok(same && compared == 90000,
           "... nothing stored: the committed chunks undone (%ld records as before)", compared);
    tap_is(threads_settled(before), before, "... and no thread left");
    core_problems_free(&a.pr);
    core_problems_free(&b.pr);

    /* A store failure at record 60,002 (the second chunk), whatever the
     * reader has read ahead. */
    tap_is(raw_exec(path,
                    "CREATE TRIGGER refuse BEFORE INSERT ON cdr WHEN NEW.caller = '09000060001'"
                    " BEGIN SELECT RAISE(ABORT, 'refused'); END",
                    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    " IF NEW.caller = '09000060001' THEN RAISE EXCEPTION 'refused'; END IF;"
                    " RETURN NEW; END $$;"
                    "CREATE TRIGGER refuse BEFORE INSERT ON cdr FOR EACH ROW"
                    " EXECUTE FUNCTION refuse()"),
           0, "an insert refused by a trigger");
    store_close(st);
    tap_is(store_open(path, &st), 0, "reopened");
    snprintf(csv, sizeof csv, "%s/good.csv", dir);
    const char *three = "three.example.jp";
    struct ops_site_input in3 = {.domain = three, .capacity = "10"};
    core_problems_init(&pr);
    ops_site_add(TEST_CTX(st, 0), &in3, &pr, NULL);
    core_problems_free(&pr);
    load(st, three, csv, 1, &a);
    load(st, three, csv, 0, &b);
    tap_ok(a.rc != 0 && a.pr.count == 1 && a.pr.items[0].row == 0,
           "on one thread: the store's error alone (%d, %zu problems, %ld rows read)", a.rc,
           a.pr.count, a.r.rows);
    same_and_nothing_kept(st, three, &a, &b, before);

    /* Interrupted before the first record is read (as a signal may come
     * while the load waits for the write lock), with nothing to write:
     * every one of 90,000 records refused, or all 100 older than 92 days.
     * The reader stops at its first record instead of reading to the end. */
    interrupted = 1;
    static const char *const nothing[] = {"refused", "old"};
    for (size_t f = 0; f < 2; f++) {
        snprintf(csv, sizeof csv, "%s/%s.csv", dir, nothing[f]);
        tap_is(write_file(csv, f ? 0 : 90000, 0, 1), 0, "a file of %s records only", nothing[f]);
        load(st, three, csv, 1, &a);
        load(st, three, csv, 0, &b);
        tap_ok(a.rc == E_INTERRUPTED && a.pr.count == 1 && a.pr.items[0].code == E_INTERRUPTED &&
                   a.r.rows == 0 && a.r.too_old == 0 && a.r.not_shown == 0,
               "%s, interrupted: the interruption alone, at the first record (%d, %zu problems, "
               "%ld rows read)",
               nothing[f], a.rc, a.pr.count, a.r.rows);
        same_and_nothing_kept(st, three, &a, &b, before);
    }
    interrupted = 0;

    store_close(st);
    test_remove_dir(dir);
    return tap_done();
}
