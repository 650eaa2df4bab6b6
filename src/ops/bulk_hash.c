/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The web passwords of a bulk import, hashed on every core before any
 * write: the database's write lock is never held while hashing. */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>

#include "ops/bulk_internal.h"

struct hash_job {
    struct bulk *b;
    size_t next;
    size_t done, total; /* rows hashed, rows to hash */
    pthread_mutex_t lock;
    int failed;
};

static bool hashed(const struct row *r)
{
    return r->new_profile && r->ncols == CORE_EXTCSV_REGISTER;
}

/* Hashes rows until none is left; the caller's thread reports progress
 * (the callback never runs on a worker thread). */
static void hash_rows(struct hash_job *job, bool report)
{
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t i = job->next++;
        pthread_mutex_unlock(&job->lock);
        if (i >= job->b->nrows)
            return;
        struct row *r = &job->b->rows[i];
        if (!hashed(r))
            continue;
        r->hash = job->b->hashes + i * CORE_HASH_MAX;
        int failed =
            core_password_hash_web(bulk_field(r, CORE_EXTCSV_WEB_PW), r->hash, CORE_HASH_MAX);
        pthread_mutex_lock(&job->lock);
        job->failed |= failed != 0;
        size_t done = ++job->done;
        pthread_mutex_unlock(&job->lock);
        if (report)
            bulk_progress(job->b, OPS_BULK_HASH, (long)done, (long)job->total);
    }
}

static void *hash_worker(void *arg)
{
    hash_rows(arg, false);
    return NULL;
}

int bulk_hash_passwords(struct bulk *b, int threads)
{
    struct hash_job job = {.b = b};
    if (b->nrows && !(b->hashes = malloc(b->nrows * CORE_HASH_MAX)))
        return E_NO_MEMORY;
    for (size_t i = 0; i < b->nrows; i++)
        job.total += hashed(&b->rows[i]);
    pthread_mutex_init(&job.lock, NULL);
    if (threads < 1)
        threads = 1;
    if (threads > 64)
        threads = 64;
    pthread_t tid[64];
    int started = 0;
    for (int i = 1; i < threads; i++)
        if (pthread_create(&tid[started], NULL, hash_worker, &job) == 0)
            started++;
    hash_rows(&job, true);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    bulk_progress(b, OPS_BULK_HASH, (long)job.total, (long)job.total);
    pthread_mutex_destroy(&job.lock);
    return job.failed ? E_STORAGE : CORE_OK;
}
