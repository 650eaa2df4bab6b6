/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: call history at full size — 92 days x 40,000 records.
 *
 *   load    kasconctl cdr load of the native CSV (CP932)   vs  sqlite3 .import into a bare table
 *   page    first page of a 40,000-record file, plain and filtered     target under 20 ms
 *   export  kasconctl cdr export of one full day (CP932)   vs  sqlite3 -csv | iconv -t CP932
 *
 * References are measured in the same run on the same file and machine;
 * wall time and peak memory (ru_maxrss of the process tree) for each, and
 * for the load the CPU time too: kasconctl reads and checks the file on a
 * second thread while it writes (the ratio is of wall times; its user time
 * is the sum of both threads), the sqlite3 shell runs on one.  The
 * reference commands are shell text given to the sqlite3 tool, not product
 * code, so they are allowed their SQL here.
 *
 * BENCH_CDR_DAYS and BENCH_CDR_PER_DAY shrink it for a quick look. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"
#include "core/formats.h"
#include "io/io.h"
#include "ops/ops.h"

#define DOMAIN "bench.example.jp"
#define PAGE 50

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct run {
    double seconds, user, sys; /* wall, and CPU of the process tree */
    long max_rss_kb;
    int status;
};

/* Runs sh -c CMD; wait4 gives the tree's peak RSS (reaped descendants). */
static struct run run_sh(const char *cmd)
{
    struct run r = {0, 0, 0, 0, -1};
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    struct rusage ru;
    int status = 0;
    if (pid > 0 && wait4(pid, &status, 0, &ru) == pid) {
        r.seconds = now() - t0;
        r.max_rss_kb = ru.ru_maxrss;
        r.user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
        r.sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
        r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    return r;
}

static int generate(const char *path, int days, long per_day, long *bytes)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    static char exts[200][CORE_CDR_NUMBER_MAX + 1];
    for (int i = 0; i < 200; i++)
        snprintf(exts[i], sizeof exts[i], "%d", 2001 + i);
    struct core_cdr_demo_numbers nums = {exts, 200, "0312340000"};
    struct core_rng rng;
    core_rng_seed(&rng, 92);
    struct io_csv_writer *w;
    struct io_csv_result io;
    int *seconds = malloc((size_t)per_day * sizeof *seconds);
    if (!seconds || io_csv_writer_open(&w, f, IO_ENC_CP932, &io)) {
        free(seconds);
        fclose(f);
        return -1;
    }
    char oldest[CORE_CDR_DAY_LEN + 1];
    ops_cdr_oldest_day(store_now(), oldest);
    long first;
    core_day_number(oldest, &first);
    first += CORE_CDR_KEEP_DAYS - days;
    int rc = 0;
    for (int d = 0; !rc && d < days; d++) {
        char day[CORE_CDR_DAY_LEN + 1];
        core_day_text(first + d, day);
        core_cdr_demo_times(&rng, seconds, (size_t)per_day);
        for (long i = 0; !rc && i < per_day; i++) {
            struct core_cdr rec;
            core_cdr_demo_record(&rng, day, seconds[i], &nums, &rec);
            char cause[4];
            const char *fields[CORE_CDR_COLUMNS];
            core_cdr_to_native(&rec, cause, fields);
            rc = io_csv_write_record(w, CORE_CDR_COLUMNS, fields, &io);
        }
    }
    free(seconds);
    if (io_csv_writer_close(w, &io))
        rc = -1;
    *bytes = ftell(f);
    fclose(f);
    return rc;
}

/* Times one page read; the statement is prepared per call, as a viewer
 * that pages would do it. */
static double time_page(struct store *st, int64_t file_id, const struct store_cdr_filter *filter,
                        int *count)
{
    static struct core_cdr page[PAGE];
    double t0 = now();
    store_cdr_page(st, file_id, filter, STORE_PAGE_FIRST, 0, page, PAGE, count);
    return (now() - t0) * 1000;
}

static void page_line(struct store *st, int64_t file_id, const char *what,
                      const struct store_cdr_filter *filter)
{
    int count = 0;
    double first = time_page(st, file_id, filter, &count), best = first, worst = first;
    for (int i = 0; i < 9; i++) {
        double t = time_page(st, file_id, filter, &count);
        best = t < best ? t : best;
        worst = t > worst ? t : worst;
    }
    printf("  first page, %-38s %2d rows  first %6.2f ms  best %6.2f  worst %6.2f  %s\n", what,
           count, first, best, worst,
           worst < 20 ? "(target < 20 ms: met)" : "(target < 20 ms: MISSED)");
    char measure[128];
    snprintf(measure, sizeof measure, "call history first page, %s (worst of 10)", what);
    bench_row(measure, worst, 0, "ms", "< 20 ms");
}

int main(void)
{
    bench_limit(1200);
    const char *ctl = getenv("KASCONCTL");
    const char *e;
    int days = (e = getenv("BENCH_CDR_DAYS")) ? atoi(e) : CORE_CDR_KEEP_DAYS;
    long per_day = (e = getenv("BENCH_CDR_PER_DAY")) ? atol(e) : CORE_CDR_FILE_MAX;
    if (!ctl || days < 1 || days > CORE_CDR_KEEP_DAYS || per_day < 1) {
        fprintf(stderr, "bench/cdr: set KASCONCTL (make bench does)\n");
        return 2;
    }
    char dir[] = "/tmp/kascon-bench-cdr-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char csv[256], db[256], bare[256], out[256], ref[256], cmd[2048];
    snprintf(csv, sizeof csv, "%s/cdr.csv", dir);
    snprintf(db, sizeof db, "%s/kascon.db", dir);
    snprintf(bare, sizeof bare, "%s/bare.db", dir);
    snprintf(out, sizeof out, "%s/export.csv", dir);
    snprintf(ref, sizeof ref, "%s/reference.csv", dir);
    long records = days * per_day, bytes = 0;

    double t0 = now();
    if (generate(csv, days, per_day, &bytes)) {
        fprintf(stderr, "bench/cdr: cannot write %s\n", csv);
        return 1;
    }
    printf("generated %ld records (%d days x %ld) in %s: %.1f MB CP932, %.1f s\n", records, days,
           per_day, csv, bytes / 1e6, now() - t0);

    /* ---- load ---- */
    snprintf(cmd, sizeof cmd,
             "cat '%s' >/dev/null && '%s' --db '%s' init >/dev/null &&"
             " '%s' --db '%s' site add %s --capacity 1000 >/dev/null",
             csv, ctl, db, ctl, db, DOMAIN);
    if (run_sh(cmd).status != 0)
        return 1;
    snprintf(cmd, sizeof cmd, "'%s' --db '%s' cdr load %s '%s' >/dev/null 2>&1", ctl, db, DOMAIN,
             csv);
    struct run load = run_sh(cmd);
    snprintf(cmd, sizeof cmd,
             "printf 'CREATE TABLE t(a,b,c,d,e,f,g,h,i,j,k,l);\\n.mode csv\\n.import %s t\\n' |"
             " sqlite3 '%s'",
             csv, bare);
    struct run import = run_sh(cmd);
    if (load.status != 0 || import.status != 0) {
        fprintf(stderr, "bench/cdr: load %d, import %d\n", load.status, import.status);
        return 1;
    }
    printf("load (all rows checked on a reader thread, committed per day file):\n");
    printf("  kasconctl cdr load     %7.2f s  %9.0f records/s  user %6.2f s  sys %5.2f s  peak "
           "%6ld MB\n",
           load.seconds, records / load.seconds, load.user, load.sys, load.max_rss_kb / 1024);
    printf("  sqlite3 .import (bare) %7.2f s  %9.0f records/s  user %6.2f s  sys %5.2f s  peak "
           "%6ld MB\n",
           import.seconds, records / import.seconds, import.user, import.sys,
           import.max_rss_kb / 1024);
    double load_ratio = load.seconds / import.seconds;
    printf("  ratio %.2fx the bare import (target within 1.3x: %s)\n", load_ratio,
           load_ratio <= 1.3 ? "met" : "MISSED");
    char measure[128];
    snprintf(measure, sizeof measure, "call records load %ldk: kascon / sqlite3 .import (bare)",
             records / 1000);
    bench_row(measure, load.seconds, import.seconds, "s", "<= 1.3x");

    /* ---- first page ---- */
    struct store *st;
    if (store_open(db, &st)) {
        fprintf(stderr, "bench/cdr: %s\n", st ? store_errmsg(st) : "open");
        return 1;
    }
    struct store_site site;
    char oldest[CORE_CDR_DAY_LEN + 1], day[CORE_CDR_DAY_LEN + 1];
    ops_cdr_oldest_day(store_now(), oldest);
    long n;
    core_day_number(oldest, &n);
    core_day_text(n + CORE_CDR_KEEP_DAYS - 1 - days / 2, day); /* a day in the middle */
    struct store_cdr_file file;
    if (store_site_find(st, DOMAIN, &site) || store_cdr_file_find(st, site.id, day, 1, &file)) {
        fprintf(stderr, "bench/cdr: no file for %s\n", day);
        return 1;
    }
    printf("viewer on %s (%ld records):\n", day, file.records);
    page_line(st, file.id, "no filter", NULL);
    struct store_cdr_filter by_cause = {NULL, NULL, NULL, -1, 17};
    page_line(st, file.id, "cause 017", &by_cause);
    struct store_cdr_filter by_number = {NULL, NULL, "2001", -1, -1};
    page_line(st, file.id, "number 2001", &by_number);
    char from[32], to[32];
    snprintf(from, sizeof from, "%.4s/%.2s/%.2s 15:00:00", day, day + 5, day + 8);
    snprintf(to, sizeof to, "%.4s/%.2s/%.2s 15:59:59", day, day + 5, day + 8);
    struct store_cdr_filter by_hour = {from, to, NULL, 0, -1};
    page_line(st, file.id, "15:00-15:59, not completed", &by_hour);
    struct store_cdr_filter none = {NULL, NULL, "99999999", -1, -1};
    page_line(st, file.id, "matching nothing (whole file read)", &none);
    store_close(st);

    /* ---- export ---- */
    snprintf(cmd, sizeof cmd, "'%s' --db '%s' cdr export %s %s -o '%s' 2>/dev/null", ctl, db,
             DOMAIN, day, out);
    struct run exp = run_sh(cmd);
    snprintf(cmd, sizeof cmd,
             "sqlite3 -csv '%s' \"SELECT call_time, answer_time, end_time,"
             " CASE completed WHEN 1 THEN '成立' ELSE '不成立' END, service, received, caller,"
             " callee, transferrer, disconnect_type, disconnector, printf('%%03d', cause)"
             " FROM cdr WHERE file_id = %lld ORDER BY seq\" | iconv -f UTF-8 -t CP932 >'%s'",
             db, (long long)file.id, ref);
    struct run sq = run_sh(cmd);
    if (exp.status != 0 || sq.status != 0) {
        fprintf(stderr, "bench/cdr: export %d, reference %d\n", exp.status, sq.status);
        return 1;
    }
    printf("export of %s (%ld records, CP932):\n", day, file.records);
    printf("  kasconctl cdr export            %6.3f s  peak %4ld MB\n", exp.seconds,
           exp.max_rss_kb / 1024);
    printf("  sqlite3 -csv | iconv -t CP932   %6.3f s  peak %4ld MB\n", sq.seconds,
           sq.max_rss_kb / 1024);
    double exp_ratio = exp.seconds / sq.seconds;
    printf("  ratio %.2fx (target within 2x: %s)\n", exp_ratio, exp_ratio <= 2 ? "met" : "MISSED");
    bench_row("call records export of a day: kascon / sqlite3 -csv | iconv", exp.seconds,
              sq.seconds, "s", "<= 2x");

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (run_sh(cmd).status != 0)
        fprintf(stderr, "bench/cdr: could not remove %s\n", dir);
    return 0;
}
