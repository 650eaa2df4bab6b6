/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: readers and logins while a bulk import runs.  A 10-column
 * 一括登録 of 100,000 rows (the largest legal site; every web password
 * hashed) runs in one process; meanwhile two others, as a console and a
 * login would, each with its own connections opened for every try:
 *
 *   list    opens the database, reads the registered total and the first
 *           page (50 rows) of the extension list, closes it;
 *   login   what kascond does from a password to the console's first
 *           screen: the connection's process opens the database, logs an
 *           administrator in (yescrypt; ops_login with defer_record, as
 *           auth.c asks) and reads the terminal setting, closes it; the
 *           console's process opens the database and loads the session.
 *           That is the time a user waits.  Then, as kascond does once
 *           the screen is out, the login's audit row is written
 *           (ops_login_record), timed on its own: it may wait for the
 *           import's apply phase, and a try whose row fails is a failure.
 *
 * Every try from the start of the import to its end is timed; the table
 * shows the worst of them against the median of the same operation with
 * nothing running, measured in the same run, and the target for the
 * worst (a list within 100 ms, a login within 1 s).  The worst try that
 * overlapped the import's apply phase (the only part that holds the
 * write lock) is printed too.
 *
 * The site has a page of profiles before the import, which fills it to
 * its largest legal size (100,000: an import of 99,950 rows).
 * BENCH_READERS_ROWS shrinks it for a quick look. */
#include <config.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"
#include "ops/ops.h"
#include "tests/discard.h"

#define DOMAIN "bench.example.jp"
#define PASSWORD "secret12"
#define PAGE 50
#define MAX_TRIES 200000 /* 50 lists a second for longer than the bench may run */

static const struct store_actor bench_actor = {"bench", "bench"};

/* The list screen's first read: open, total, first page, close. */
static double list_once(const char *db, int64_t site_id)
{
    double t0 = bench_now();
    struct store *st;
    int count = 0;
    int rc = store_open(db, &st);
    if (!rc)
        rc = store_ext_count(st, site_id, &count);
    if (!rc)
        rc = store_ext_list_page(st, site_id, 0, NULL, false, PAGE, none_ext, NULL);
    store_close(st);
    return rc ? -1 : (bench_now() - t0) * 1e3;
}

/* One login as kascond makes it; returns the milliseconds to the first
 * screen (-1: failed) and sets *record_ms to the audit row's write after
 * it. */
static double login_once(const char *db, double *record_ms)
{
    double t0 = bench_now();
    struct store *st;
    struct ops_session session;
    int enc = 0;
    /* The connection's process: authentication (auth.c). */
    int rc = store_open(db, &st);
    if (!rc)
        rc = ops_login(&(struct ops_ctx){.st = st},
                       &(struct ops_login_request){.domain = DOMAIN,
                                                   .user = "admin",
                                                   .password = PASSWORD,
                                                   .address = "127.0.0.1",
                                                   .defer_record = true},
                       &session);
    if (!rc)
        rc = ops_terminal_encoding_get(&(struct ops_ctx){.st = st, .site_id = session.site.id},
                                       false, session.admin.name, &enc);
    store_close(st);
    /* The console's process, up to its first screen (screens/console.c). */
    struct ops_session loaded;
    if (!rc)
        rc = store_open(db, &st);
    if (!rc)
        rc = ops_session_load(&(struct ops_ctx){.st = st}, DOMAIN, "admin", "127.0.0.1", &loaded);
    store_close(st);
    double t1 = bench_now();
    /* The connection's process again, once the screen is out. */
    if (!rc)
        rc = store_open(db, &st);
    if (!rc)
        rc = ops_login_record(&(struct ops_ctx){.st = st}, &session);
    store_close(st);
    *record_ms = (bench_now() - t1) * 1e3;
    return rc ? -1 : (t1 - t0) * 1e3;
}

static int set_up(const char *db, const char *csv, long rows, int64_t *site_id)
{
    struct store *st;
    if (store_open(db, &st))
        return 1;
    char capacity[24];
    snprintf(capacity, sizeof capacity, "%ld", rows);
    struct ops_site_input site = {.domain = DOMAIN, .capacity = capacity, .site_number = "9"};
    struct core_problems pr;
    core_problems_init(&pr);
    struct core_problem p;
    struct ops_ctx op = {.st = st, .actor = bench_actor};
    int rc = ops_site_add(&op, &site, &pr, site_id);
    if (!rc)
        rc = ops_admin_add(&op, &(struct ops_admin_ref){.domain = DOMAIN, .name = "admin"},
                           PASSWORD, &p);
    enum { BATCH = 5000 };
    static char mobiles[BATCH][24];
    char *args[BATCH];
    for (long i = 0; !rc && i < rows; i += BATCH) {
        int n = 0;
        for (long k = i; k < rows && n < BATCH; k++, n++) {
            snprintf(mobiles[n], sizeof mobiles[n], "090%08ld", k);
            args[n] = mobiles[n];
        }
        rc = ops_line_add(&op, DOMAIN, args, n, &pr);
    }
    /* A page of profiles before the import, so that the list has a full
     * page from the start; the import fills the site to `rows`. */
    char first[PAGE * 24 + 1] = "";
    for (long k = rows - PAGE; k < rows; k++) {
        size_t at = strlen(first);
        snprintf(first + at, sizeof first - at, "3%06ld,090%08ld\n", k, k);
    }
    struct ops_bulk_result res;
    struct ops_bulk_request req = {.mode = OPS_BULK_REGISTER, .buf = first, .len = strlen(first)};
    op.site_id = *site_id;
    if (!rc)
        rc = ops_bulk(&op, &req, &pr, &res);
    core_problems_free(&pr);
    store_close(st);
    FILE *f = fopen(csv, "wb");
    if (rc || !f) {
        if (f)
            fclose(f);
        return 1;
    }
    for (long i = 0; i < rows - PAGE; i++)
        fprintf(f, "2%06ld,090%08ld,0000000000,,,0,0,w%06ld,pw%06ld,0\r\n", i, i, i, i);
    return fclose(f) != 0;
}

/* The import's child reports when its apply phase starts and ends. */
static int phase_fd = -1;
static void on_phase(void *ctx, int phase, long done, long total)
{
    (void)ctx;
    if (phase != OPS_BULK_APPLY || (done != 0 && done != total))
        return;
    char c = done == 0 ? 'a' : 'e';
    if (write(phase_fd, &c, 1) != 1) {
        /* the parent reads it; nothing else to do */
    }
}

static int import_child(const char *db, const char *csv, int64_t site_id)
{
    struct store *st;
    if (store_open(db, &st))
        return 1;
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_bulk_result res;
    struct ops_bulk_request req = {.mode = OPS_BULK_REGISTER, .path = csv, .progress = on_phase};
    int rc = ops_bulk(&(struct ops_ctx){.st = st, .site_id = site_id, .actor = bench_actor}, &req,
                      &pr, &res);
    if (rc)
        fprintf(stderr, "bench/readers: import failed: %d (%zu problems)\n", rc, pr.count);
    core_problems_free(&pr);
    store_close(st);
    return rc != 0;
}

struct
try {
    double start, ms; /* ms < 0: failed */
    double record_ms; /* a login's audit row, after the first screen */
};

/* Runs `what` until `stop` says so; the tries go to the pipe `fd`. */
static void sample(const char *db, int64_t site_id, bool login, int fd, volatile sig_atomic_t *stop)
{
    while (!*stop) {
        struct try t = {bench_now(), 0, 0};
        t.ms = login ? login_once(db, &t.record_ms) : list_once(db, site_id);
        if (write(fd, &t, sizeof t) != (ssize_t)sizeof t)
            break;
        if (!login) {
            struct timespec pause = {0, 20 * 1000000L}; /* 50 lists a second at most */
            nanosleep(&pause, NULL);
        }
    }
}

static volatile sig_atomic_t stop_sampling;
static void on_term(int sig)
{
    (void)sig;
    stop_sampling = 1;
}

static pid_t start_sampler(const char *db, int64_t site_id, bool login, int *fd)
{
    int p[2];
    if (pipe(p))
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        signal(SIGTERM, on_term);
        sample(db, site_id, login, p[1], &stop_sampling);
        _exit(0);
    }
    close(p[1]);
    *fd = p[0];
    return pid;
}

/* Reads the tries a sampler has sent so far (the pipe must not fill). */
static bool take(int fd, struct try *out, size_t *n, size_t max)
{
    struct try t;
    if (read(fd, &t, sizeof t) != (ssize_t)sizeof t)
        return false;
    if (*n < max)
        out[(*n)++] = t;
    return true;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(double *v, int n)
{
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return v[n / 2];
}

/* The same operations with nothing running: medians of the list, of the
 * login to its first screen and of its audit row. */
static void idle_medians(const char *db, int64_t site_id, double *list, double *login,
                         double *record)
{
    double v[15], r[5];
    for (int i = 0; i < 15; i++)
        v[i] = list_once(db, site_id);
    *list = median_of(v, 15);
    for (int i = 0; i < 5; i++)
        v[i] = login_once(db, &r[i]);
    *login = median_of(v, 5);
    *record = median_of(r, 5);
}

struct summary {
    size_t tries, failed;
    double worst, worst_apply, median, worst_record;
};

static struct summary summarise(struct try *t, size_t n, double apply_from, double apply_to)
{
    struct summary s = {n, 0, 0, 0, 0, 0};
    static double ms[MAX_TRIES];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i].ms < 0) {
            s.failed++;
            continue;
        }
        ms[k++] = t[i].ms;
        s.worst = t[i].ms > s.worst ? t[i].ms : s.worst;
        s.worst_record = t[i].record_ms > s.worst_record ? t[i].record_ms : s.worst_record;
        bool overlaps =
            apply_from > 0 && t[i].start <= apply_to && t[i].start + t[i].ms / 1e3 >= apply_from;
        if (overlaps && t[i].ms > s.worst_apply)
            s.worst_apply = t[i].ms;
    }
    qsort(ms, k, sizeof ms[0], cmp_double);
    s.median = k ? ms[k / 2] : 0;
    return s;
}

int main(void)
{
    bench_limit(1500);
    const char *e = getenv("BENCH_READERS_ROWS");
    long rows = e && atol(e) > PAGE ? atol(e) : 100000;
    char dir[] = "/tmp/kascon-bench-readers-XXXXXX", db[512], csv[512], cmd[600];
    if (!mkdtemp(dir))
        return 1;
    snprintf(db, sizeof db, "%s/readers.db", dir);
    snprintf(csv, sizeof csv, "%s/ext.csv", dir);
    int64_t site_id = 0;
    if (set_up(db, csv, rows, &site_id)) {
        fprintf(stderr, "bench/readers: set-up failed\n");
        return 1;
    }
    double idle_list, idle_login, idle_record;
    idle_medians(db, site_id, &idle_list, &idle_login, &idle_record);

    int phases[2];
    if (pipe(phases))
        return 1;
    double began = bench_now();
    pid_t importer = fork();
    if (importer == 0) {
        close(phases[0]);
        phase_fd = phases[1];
        _exit(import_child(db, csv, site_id));
    }
    close(phases[1]);
    int list_fd = -1, login_fd = -1;
    pid_t lister = start_sampler(db, site_id, false, &list_fd);
    pid_t login = start_sampler(db, site_id, true, &login_fd);
    static struct try lists[MAX_TRIES], logins[MAX_TRIES];
    size_t nl = 0, ng = 0;
    /* The apply phase's start and end, as the importer reports them; the
     * phase pipe closes when the importer ends. */
    double apply_from = 0, apply_to = 0;
    struct pollfd fds[3] = {{phases[0], POLLIN, 0}, {list_fd, POLLIN, 0}, {login_fd, POLLIN, 0}};
    for (;;) {
        if (poll(fds, 3, -1) < 0)
            continue;
        if (fds[1].revents & POLLIN)
            take(list_fd, lists, &nl, MAX_TRIES);
        if (fds[2].revents & POLLIN)
            take(login_fd, logins, &ng, MAX_TRIES);
        if (fds[0].revents) {
            char c;
            if (read(phases[0], &c, 1) != 1)
                break;
            if (c == 'a')
                apply_from = bench_now();
            else
                apply_to = bench_now();
        }
    }
    close(phases[0]);
    int status = 0;
    waitpid(importer, &status, 0);
    double took = bench_now() - began;
    if (apply_from > 0 && apply_to == 0)
        apply_to = bench_now();
    if (lister > 0)
        kill(lister, SIGTERM);
    if (login > 0)
        kill(login, SIGTERM);
    while (take(list_fd, lists, &nl, MAX_TRIES))
        ;
    while (take(login_fd, logins, &ng, MAX_TRIES))
        ;
    close(list_fd);
    close(login_fd);
    if (lister > 0)
        waitpid(lister, NULL, 0);
    if (login > 0)
        waitpid(login, NULL, 0);
    /* Only the tries that began while the import ran. */
    while (nl && lists[nl - 1].start > began + took)
        nl--;
    while (ng && logins[ng - 1].start > began + took)
        ng--;
    struct summary sl = summarise(lists, nl, apply_from, apply_to);
    struct summary sg = summarise(logins, ng, apply_from, apply_to);
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    printf("10-column import of %ld rows into a site of %d (%ld after): %.1f s, apply phase %.2f s"
           " (%s)\n",
           rows - PAGE, PAGE, rows, took, apply_to - apply_from, ok ? "completed" : "FAILED");
    printf("  list  (open, total, first page): %zu tries, %zu failed; median %.1f ms, worst %.1f "
           "ms, worst during apply %.1f ms; idle median %.1f ms\n",
           sl.tries, sl.failed, sl.median, sl.worst, sl.worst_apply, idle_list);
    printf("  login (password to first screen): %zu tries, %zu failed; median %.1f ms, worst %.1f "
           "ms, worst during apply %.1f ms; idle median %.1f ms\n",
           sg.tries, sg.failed, sg.median, sg.worst, sg.worst_apply, idle_login);
    printf("  login's audit row, after the screen: worst %.1f ms; idle median %.1f ms\n",
           sg.worst_record, idle_record);
    /* kascon: the worst try during the import; reference: the median of the
     * same operation with nothing running; the target is for the worst. */
    char what[160];
    snprintf(what, sizeof what, "list during %ldk 10-col import: worst try / idle median",
             rows / 1000);
    bench_row(what, sl.worst, idle_list, "ms", "worst < 100 ms");
    snprintf(what, sizeof what,
             "login to first screen during %ldk 10-col import: worst try / idle median",
             rows / 1000);
    bench_row(what, sg.worst / 1e3, idle_login / 1e3, "s", "worst < 1 s");
    snprintf(what, sizeof what, "login's audit row after it: worst / idle median");
    bench_row(what, sg.worst_record / 1e3, idle_record / 1e3, "s", "-");
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return ok && !sl.failed && !sg.failed && sl.tries && sg.tries ? 0 : 1;
}
