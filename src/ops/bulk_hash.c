/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The web passwords of a bulk import, hashed on every core before any
 * write: the database's write lock is never held while hashing.
 *
 * The hashing runs in forked worker processes, not threads: libxcrypt maps
 * and unmaps yescrypt's memory for every hash, and threads of one process
 * share one address space, so one thread's munmap (the address space locked
 * for writing) stalls the other threads' page faults; two threads hashed
 * about 4% slower than two processes.  The caller hashes a share too and
 * reports progress; each worker takes rows from a counter in a shared
 * anonymous mapping, writes the hashes there and _exits.  A worker calls
 * nothing but libxcrypt (getrandom, mmap, munmap), which is safe after
 * fork; none of kasconctl, kascon or a kascond session runs other threads
 * while importing (the call-record loader's reader thread lives only
 * within a load). */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "ops/bulk_internal.h"

enum { MAX_WORKERS = 64 };

/* The head of the shared mapping; the hashes follow, CORE_HASH_MAX bytes
 * per row of the file. */
struct hash_shared {
    atomic_size_t next; /* the next row to take */
    atomic_size_t done; /* rows hashed */
    atomic_int failed;  /* a hash failed, or a worker died: everyone stops */
};

static size_t head_size(void)
{
    return (sizeof(struct hash_shared) + 63) & ~(size_t)63;
}

static bool hashed(const struct row *r)
{
    return r->new_profile && r->ncols == CORE_EXTCSV_REGISTER;
}

struct hash_job {
    struct bulk *b;
    struct hash_shared *sh;
    char *out; /* the hashes, after the head */
    long total;
    pid_t pid[MAX_WORKERS]; /* the caller's workers; 0 once reaped */
    int started;
};

/* Reaps the workers that have ended (all of them with `block`); a worker
 * that did not exit with 0 fails the hashing. */
static void reap(struct hash_job *job, bool block)
{
    for (int k = 0; k < job->started; k++) {
        if (job->pid[k] <= 0)
            continue;
        int status;
        pid_t got;
        do
            got = waitpid(job->pid[k], &status, block ? 0 : WNOHANG);
        while (got < 0 && errno == EINTR);
        if (got == 0)
            continue;
        /* got < 0: reaped by someone else; the done count still tells. */
        if (got < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            atomic_store(&job->sh->failed, 1);
        job->pid[k] = 0;
    }
}

/* Hashes rows until none is left or someone failed.  The caller reports
 * progress and looks after each row for a worker that died, which fails
 * the hashing at once rather than at the end; a worker never calls back
 * into the front end. */
static void hash_rows(struct hash_job *job, bool caller)
{
    struct bulk *b = job->b;
    struct hash_shared *sh = job->sh;
    while (!atomic_load(&sh->failed)) {
        size_t i = atomic_fetch_add(&sh->next, 1);
        if (i >= b->nrows)
            return;
        const struct row *r = &b->rows[i];
        if (!hashed(r))
            continue;
        if (core_password_hash_web(bulk_field(r, CORE_EXTCSV_WEB_PW), job->out + i * CORE_HASH_MAX,
                                   CORE_HASH_MAX)) {
            atomic_store(&sh->failed, 1);
            return;
        }
        size_t done = atomic_fetch_add(&sh->done, 1) + 1;
        if (caller) {
            bulk_progress(b, OPS_BULK_HASH, (long)done, job->total);
            reap(job, false);
        }
    }
}

/* A worker process: its share of the rows, then _exit (no atexit handler,
 * no stdio flush: nothing of the caller's state is touched). */
static void worker(struct hash_job *job, pid_t parent)
{
    /* Signals the caller catches end a worker as they would any program,
     * and a worker never outlives its caller. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent)
        _exit(1);
    hash_rows(job, false);
    _exit(atomic_load(&job->sh->failed) ? 1 : 0);
}

int bulk_hash_passwords(struct bulk *b, int workers)
{
    struct hash_job job = {.b = b};
    for (size_t i = 0; i < b->nrows; i++)
        job.total += hashed(&b->rows[i]);
    if (!job.total)
        return CORE_OK;
    size_t len = head_size() + b->nrows * CORE_HASH_MAX;
    void *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return E_NO_MEMORY;
    b->hashes = map;
    b->hashes_len = len;
    job.sh = map;
    job.out = (char *)map + head_size();
    atomic_init(&job.sh->next, 0);
    atomic_init(&job.sh->done, 0);
    atomic_init(&job.sh->failed, 0);
    /* One worker per core besides the caller, no more than there are rows
     * for; if a fork fails, the caller takes that share. */
    if (workers > MAX_WORKERS)
        workers = MAX_WORKERS;
    if (workers > job.total)
        workers = (int)job.total;
    pid_t self = getpid();
    for (int k = 1; k < workers; k++) {
        pid_t p = fork();
        if (p == 0)
            worker(&job, self);
        if (p > 0)
            job.pid[job.started++] = p;
    }
    hash_rows(&job, true);
    reap(&job, true);
    if (atomic_load(&job.sh->failed) || atomic_load(&job.sh->done) != (size_t)job.total)
        return E_HASH_FAILED;
    for (size_t i = 0; i < b->nrows; i++)
        if (hashed(&b->rows[i]))
            b->rows[i].hash = job.out + i * CORE_HASH_MAX;
    bulk_progress(b, OPS_BULK_HASH, job.total, job.total);
    return CORE_OK;
}

void bulk_hash_free(struct bulk *b)
{
    if (!b->hashes)
        return;
    /* The hashes are not left behind in memory the kernel hands on. */
    explicit_bzero(b->hashes, b->hashes_len);
    munmap(b->hashes, b->hashes_len);
    b->hashes = NULL;
    b->hashes_len = 0;
}
