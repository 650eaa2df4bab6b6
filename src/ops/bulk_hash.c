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
    size_t done;
    pthread_mutex_t lock;
    int failed;
};

static void *hash_worker(void *arg)
{
    struct hash_job *job = arg;
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t i = job->next++;
        pthread_mutex_unlock(&job->lock);
        if (i >= job->b->nrows)
            return NULL;
        struct row *r = &job->b->rows[i];
        if (!r->new_profile || r->ncols != CORE_EXTCSV_REGISTER)
            continue;
        r->hash = job->b->hashes + i * CORE_HASH_MAX;
        if (core_password_hash_web(bulk_field(r, CORE_EXTCSV_WEB_PW), r->hash, CORE_HASH_MAX)) {
            pthread_mutex_lock(&job->lock);
            job->failed = 1;
            pthread_mutex_unlock(&job->lock);
        }
        pthread_mutex_lock(&job->lock);
        job->done++;
        pthread_mutex_unlock(&job->lock);
    }
}

int bulk_hash_passwords(struct bulk *b, int threads)
{
    struct hash_job job = {.b = b};
    if (b->nrows && !(b->hashes = malloc(b->nrows * CORE_HASH_MAX)))
        return E_NO_MEMORY;
    pthread_mutex_init(&job.lock, NULL);
    if (threads < 1)
        threads = 1;
    if (threads > 64)
        threads = 64;
    pthread_t tid[64];
    int started = 0;
    for (int i = 0; i < threads; i++)
        if (pthread_create(&tid[i], NULL, hash_worker, &job) == 0)
            started++;
    if (started == 0)
        hash_worker(&job);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&job.lock);
    return job.failed ? E_STORAGE : CORE_OK;
}
