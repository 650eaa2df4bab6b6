/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 一括登録's web passwords, hashed by the caller and forked workers
 * (src/ops/bulk_hash.c): every stored hash verifies against its own row's
 * password; a worker that dies fails the import with nothing written and
 * no process left behind. */
#include <config.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/password.h"
#include "ops/ops.h"
#include "fixture.h"
#include "tap.h"

static const struct store_actor op = {"operator", "test"};

enum { ROWS = 240 };

/* A child process of this one, or 0. */
static pid_t a_child(void)
{
    DIR *d = opendir("/proc");
    pid_t found = 0;
    struct dirent *e;
    while (d && !found && (e = readdir(d))) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        char path[300], buf[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        const char *close = strrchr(buf, ')');
        char state;
        int ppid;
        if (close && sscanf(close + 1, " %c %d", &state, &ppid) == 2 && ppid == getpid() &&
            state != 'Z')
            found = (pid_t)atoi(e->d_name);
    }
    if (d)
        closedir(d);
    return found;
}

struct watch {
    long last, total, calls;
    bool ordered;     /* done never went back */
    bool worker_seen; /* a worker process hashed alongside the caller */
    bool kill;        /* kill a worker at the first hash */
    pid_t killed;
};

static void on_progress(void *ctx, int phase, long done, long total)
{
    struct watch *w = ctx;
    if (phase != OPS_BULK_HASH || done == 0)
        return;
    w->calls++;
    w->ordered &= done >= w->last && total == ROWS;
    w->last = done;
    w->total = total;
    if (w->worker_seen || w->killed || done >= total)
        return;
    pid_t child = a_child();
    w->worker_seen = child > 0;
    if (child > 0 && w->kill && kill(child, SIGKILL) == 0)
        w->killed = child;
}

/* ROWS 10-column rows from extension `first`, each with its own password. */
static char *file_of(int first)
{
    size_t cap = ROWS * 64;
    char *csv = malloc(cap), *p = csv;
    for (int i = 0; i < ROWS && csv; i++)
        p += snprintf(p, cap - (size_t)(p - csv), "%d,,0000000000,,,0,0,w%d,p%06dq,0\r\n",
                      first + i, first + i, i * 7919 % 1000000);
    return csv;
}

static int import(struct store *st, int64_t site, const char *csv, struct watch *w,
                  struct core_problems *pr)
{
    struct ops_bulk_result res;
    struct ops_bulk_request req = {.mode = OPS_BULK_REGISTER,
                                   .buf = csv,
                                   .len = strlen(csv),
                                   .progress = on_progress,
                                   .progress_ctx = w};
    int rc = ops_bulk(TEST_CTX(st, site), &req, pr, &res);
    return rc ? rc : pr->count ? pr->items[0].code : (res.created == ROWS ? 0 : -1);
}

static bool no_child_left(void)
{
    return waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD;
}

int main(void)
{
    char dir[] = "/tmp/kascon-test-XXXXXX", path[256];
    if (test_db_path(dir, path, sizeof path))
        return 1;
    struct store *st;
    if (store_open(path, &st) != CORE_OK)
        return 1;
    struct core_problems pr;
    core_problems_init(&pr);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    char capacity[16];
    snprintf(capacity, sizeof capacity, "%d", ROWS);
    int64_t tokyo = 0, osaka = 0;
    struct ops_site_input a = {.domain = "tokyo.example.jp",
                               .capacity = capacity,
                               .site_number = "9"},
                          b = {.domain = "osaka.example.jp",
                               .capacity = capacity,
                               .site_number = "9"};
    tap_is(ops_site_add(TEST_CTX(st, 0), &a, &pr, &tokyo), CORE_OK, "a site for %d profiles", ROWS);
    tap_is(ops_site_add(TEST_CTX(st, 0), &b, &pr, &osaka), CORE_OK, "and a second one");
    first_code(&pr);

    /* Every hash is its own row's, whichever process made it. */
    char *csv = file_of(2000);
    struct watch w = {.ordered = true};
    tap_is(import(st, tokyo, csv, &w, &pr), CORE_OK, "%d rows with web passwords import", ROWS);
    first_code(&pr);
    tap_ok(w.ordered && w.last == ROWS && w.total == ROWS,
           "progress counts every row up to %d, from the caller (%ld reports)", ROWS, w.calls);
    if (cores > 1)
        tap_ok(w.worker_seen, "a worker process hashed alongside the caller (%ld cores)", cores);
    else
        tap_ok(1, "# SKIP one core: the caller hashes alone");
    tap_ok(no_child_left(), "no worker process left behind");
    int own = 0, others = 0, distinct = 0;
    char previous[CORE_HASH_MAX] = "";
    for (int i = 0; i < ROWS; i++) {
        char ext[16], pw[16], next[16];
        snprintf(ext, sizeof ext, "%d", 2000 + i);
        snprintf(pw, sizeof pw, "p%06dq", i * 7919 % 1000000);
        snprintf(next, sizeof next, "p%06dq", (i + 1) * 7919 % 1000000);
        struct store_ext e;
        if (store_ext_find(st, tokyo, ext, &e) != CORE_OK)
            continue;
        own += core_password_verify(pw, e.web_pw_hash);
        /* Every 8th row also against its neighbour's password. */
        others += i % 8 == 0 && core_password_verify(next, e.web_pw_hash);
        distinct += strcmp(previous, e.web_pw_hash) != 0;
        snprintf(previous, sizeof previous, "%s", e.web_pw_hash);
    }
    tap_is(own, ROWS, "every stored hash verifies against its own row's password");
    tap_is(others, 0, "... and not against the next row's");
    tap_is(distinct, ROWS, "no hash stored twice");

    /* A worker killed while hashing: the import fails, nothing is written. */
    free(csv);
    csv = file_of(3000);
    struct watch k = {.ordered = true, .kill = true};
    int rc = import(st, osaka, csv, &k, &pr);
    if (cores > 1) {
        tap_is(rc, E_HASH_FAILED, "a worker killed while hashing fails the import (903)");
        tap_ok(k.killed > 0, "... (worker %d was killed at the first row)", (int)k.killed);
        tap_ok(pr.count == 1 && pr.items[0].code == E_HASH_FAILED, "... with one problem, 903");
        int count = -1;
        store_ext_count(st, osaka, &count);
        tap_is(count, 0, "... and nothing is written");
        tap_ok(no_child_left(), "... and no process is left behind");
    } else {
        tap_ok(1, "# SKIP one core: no worker to kill");
    }
    first_code(&pr);
    free(csv);
    core_problems_free(&pr);
    store_close(st);
    test_remove_dir(dir);
    return tap_done();
}
