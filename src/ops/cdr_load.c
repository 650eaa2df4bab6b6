/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loading a call-record file (通信履歴, doc/spec.md §3.7) on two cores.  A
 * reader thread reads, decodes, parses and checks the file (src/io and
 * src/core: nothing of the store) and hands the checked records over in
 * batches through a small ring of PIPE_SLOTS; the calling thread alone
 * writes them through the store's loader, in the chunks of src/ops/cdr.c
 * (the database connection is never touched by the reader).  This file
 * owns that hand-over and the order of outcomes, so that a load ends as it
 * would on one thread: all or nothing, every row checked and reported
 * after the first problem (nothing more is handed over then), problems in
 * row order, and a store error reported alone, at the record whose write
 * failed (the store may write a few together), with the reader stopped at
 * its next record.  An interruption (the caller's flag) stops the reader at
 * its next record too, not only the writer: a load that writes nothing
 * (every record refused or older than 92 days) does not read on to the end
 * of its file; either way it ends with the interruption alone and keeps
 * nothing.  On one core, or when no
 * thread can be started, the same code runs on the calling thread, each
 * batch written as soon as it is full. */
#include <config.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/formats.h"
#include "io/io.h"
#include "ops/cdr_internal.h"

/* Records of a batch, and batches in flight: a few megabytes however long
 * the file (a record is about 800 bytes), and enough that neither side
 * waits for the other while both have work. */
#define PIPE_BATCH 1024
#define PIPE_SLOTS 4

struct batch {
    size_t count;
    struct core_cdr rec[PIPE_BATCH];
    /* The reader's counts when it handed each record over: what a store
     * error at that record reports, as if reading had stopped there. */
    long rows[PIPE_BATCH], too_old[PIPE_BATCH];
};

struct pipe {
    bool threaded;
    pthread_mutex_t lock;
    pthread_cond_t ready, room;
    struct batch *slots[PIPE_SLOTS];
    /* slots[head] is the oldest of `filled` batches handed over and not
     * yet written; the reader fills slots[(head + filled) % PIPE_SLOTS]. */
    size_t head, filled;
    bool done;        /* the reader has handed over its last batch */
    atomic_bool stop; /* the writer failed: the reader stops at its next record */
    /* The writer's (the calling thread's) own. */
    struct cdr_frame *frame;
    struct ops_cdr_result *result;
    int rc;             /* the store error that stopped the writing */
    long rows, too_old; /* the reader's counts at that record */
};

static void write_batch(struct pipe *p, const struct batch *b)
{
    for (size_t i = 0; i < b->count && !p->rc; i++) {
        int rc = cdr_frame_add(p->frame, &b->rec[i]);
        if (rc) {
            p->rc = rc;
            p->rows = b->rows[i];
            p->too_old = b->too_old[i];
        } else {
            p->result->loaded++;
        }
    }
}

/* Hands a full batch over; returns the one to fill next, or NULL when the
 * writer has failed and reading is to stop. */
static struct batch *pipe_hand(struct pipe *p, struct batch *b)
{
    if (!p->threaded) {
        write_batch(p, b);
        b->count = 0;
        return p->rc ? NULL : b;
    }
    pthread_mutex_lock(&p->lock);
    p->filled++;
    pthread_cond_signal(&p->ready);
    while (p->filled == PIPE_SLOTS && !atomic_load(&p->stop))
        pthread_cond_wait(&p->room, &p->lock);
    struct batch *next =
        atomic_load(&p->stop) ? NULL : p->slots[(p->head + p->filled) % PIPE_SLOTS];
    pthread_mutex_unlock(&p->lock);
    if (next)
        next->count = 0;
    return next;
}

/* The reader's end: the batch begun, if any, and no more. */
static void pipe_finish(struct pipe *p, struct batch *b)
{
    if (!p->threaded) {
        if (b && b->count)
            write_batch(p, b);
        return;
    }
    pthread_mutex_lock(&p->lock);
    if (b && b->count)
        p->filled++;
    p->done = true;
    pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->lock);
}

/* The calling thread: writes the batches in order until the reader is
 * done.  After a store error the rest is taken and dropped, so that the
 * reader, told to stop, never waits for room. */
static void pipe_write(struct pipe *p)
{
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->filled && !p->done)
            pthread_cond_wait(&p->ready, &p->lock);
        if (!p->filled)
            break;
        struct batch *b = p->slots[p->head];
        pthread_mutex_unlock(&p->lock);
        if (!p->rc)
            write_batch(p, b);
        if (p->rc)
            atomic_store(&p->stop, true);
        pthread_mutex_lock(&p->lock);
        p->head = (p->head + 1) % PIPE_SLOTS;
        p->filled--;
        pthread_cond_signal(&p->room);
    }
    pthread_mutex_unlock(&p->lock);
}

/* ---- the reader ---- */

struct load {
    enum ops_cdr_format format;
    const char *path;
    struct pipe *pipe;
    struct batch *cur; /* being filled; NULL once the writer has failed */
    struct core_ast_layout layout;
    bool have_layout;
    struct core_problems *problems, scratch;
    size_t from;
    int stopped; /* what on_record returned to stop the reader */
    /* The caller's flag, set by its signal handler (NULL: never). */
    const volatile sig_atomic_t *interrupted;
    char oldest[CORE_CDR_DAY_LEN + 1];
    struct ops_cdr_result *result; /* rows, too_old, not_shown: the reader's */
    struct io_csv_result io;
    int rc; /* io_csv_read_file's */
};

static int column_count(struct core_problems *dst, int count, long row)
{
    char got[16];
    snprintf(got, sizeof got, "%d", count);
    return cdr_add_problem(dst, E_COLUMN_COUNT, got, -1, row) == E_STORAGE ? -1 : 1;
}

static int check_record(struct load *ld, char *const *fields, int count, long row,
                        struct core_problems *dst, struct core_cdr *rec)
{
    if (ld->format == OPS_CDR_NATIVE) {
        if (count != CORE_CDR_COLUMNS)
            return column_count(dst, count, row);
        return core_cdr_from_native(fields, rec, dst, row);
    }
    if (!ld->have_layout) {
        /* The first record of a sound column count decides the layout
         * (cdr.conf options are per server, so one file has one layout). */
        if (core_cdr_ast_layout(fields, count, &ld->layout))
            return column_count(dst, count, row);
        ld->have_layout = true;
    }
    return core_cdr_from_asterisk(fields, count, &ld->layout, rec, dst, row);
}

static int on_record(void *ctx, long row, size_t nfields, char **fields)
{
    struct load *ld = ctx;
    if (atomic_load_explicit(&ld->pipe->stop, memory_order_relaxed))
        return ld->stopped = E_STORAGE;
    if (ld->interrupted && *ld->interrupted)
        return ld->stopped = E_INTERRUPTED;
    int count = nfields > 1000 ? 1000 : (int)nfields;
    ld->result->rows++;
    bool full = ld->problems->count - ld->from >= OPS_CDR_PROBLEMS_SHOWN;
    struct core_problems *dst = full ? &ld->scratch : ld->problems;
    /* After the first problem nothing more is handed over (the load will
     * be undone), but every row is still checked and reported. */
    bool clean = ld->problems->count == ld->from;
    struct core_cdr spare, *rec = clean ? &ld->cur->rec[ld->cur->count] : &spare;
    int n = check_record(ld, fields, count, row, dst, rec);
    if (n < 0)
        return ld->stopped = E_STORAGE;
    if (full) {
        ld->result->not_shown += (long)ld->scratch.count;
        ld->scratch.count = 0;
    }
    if (n > 0 || !clean)
        return 0;
    /* Days are "YYYY/MM/DD" in the record and "YYYY-MM-DD" in oldest. */
    char day[CORE_CDR_DAY_LEN + 1];
    core_cdr_day(rec, day);
    if (strcmp(day, ld->oldest) < 0) {
        ld->result->too_old++;
        return 0;
    }
    struct batch *b = ld->cur;
    b->rows[b->count] = ld->result->rows;
    b->too_old[b->count] = ld->result->too_old;
    if (++b->count == PIPE_BATCH && !(ld->cur = pipe_hand(ld->pipe, b)))
        return ld->stopped = E_STORAGE;
    return 0;
}

static void read_file(struct load *ld)
{
    /* The same reader as the extension files (src/io): sniffing,
     * encodings, libcsv, Excel's row numbers. */
    struct io_csv_callbacks cb = {.on_record = on_record};
    ld->rc = io_csv_read_file(ld->path, &cb, ld, &ld->io);
    pipe_finish(ld->pipe, ld->cur);
}

static void *reader_main(void *arg)
{
    read_file(arg);
    return NULL;
}

/* Reads and writes; the reader on a thread of its own when two cores can
 * share the work. */
static int pipe_run(struct pipe *p, struct load *ld, int threads)
{
    for (size_t i = 0; i < PIPE_SLOTS; i++)
        if (!(p->slots[i] = malloc(sizeof *p->slots[i])))
            return E_NO_MEMORY;
    ld->cur = p->slots[0];
    ld->cur->count = 0;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    pthread_t reader;
    p->threaded = threads != 1 && cores != 1 && !pthread_mutex_init(&p->lock, NULL);
    if (p->threaded) {
        pthread_cond_init(&p->ready, NULL);
        pthread_cond_init(&p->room, NULL);
        if (pthread_create(&reader, NULL, reader_main, ld)) {
            pthread_cond_destroy(&p->ready);
            pthread_cond_destroy(&p->room);
            pthread_mutex_destroy(&p->lock);
            p->threaded = false;
        }
    }
    if (!p->threaded) {
        read_file(ld);
        return CORE_OK;
    }
    pipe_write(p);
    pthread_join(reader, NULL);
    pthread_cond_destroy(&p->ready);
    pthread_cond_destroy(&p->room);
    pthread_mutex_destroy(&p->lock);
    return CORE_OK;
}

int ops_cdr_load(const struct ops_ctx *ctx, const struct ops_cdr_load_request *req,
                 struct core_problems *problems, struct ops_cdr_result *result)
{
    const char *path = req->path;
    struct store *st = ctx->st;
    const struct store_actor *who = &ctx->actor;
    memset(result, 0, sizeof *result);
    size_t from = problems->count, more = problems->more;
    struct cdr_frame fr;
    int rc = cdr_frame_open(st, req->domain, who, &fr, result, problems);
    if (rc)
        return rc;
    fr.interrupted = req->interrupted;
    struct pipe p = {.frame = &fr, .result = result};
    atomic_init(&p.stop, false);
    struct load ld = {.format = req->format,
                      .path = path,
                      .pipe = &p,
                      .problems = problems,
                      .from = from,
                      .result = result,
                      .interrupted = req->interrupted};
    core_problems_init(&ld.scratch);
    memcpy(ld.oldest, fr.oldest, sizeof ld.oldest);
    rc = pipe_run(&p, &ld, req->threads);
    for (size_t i = 0; i < PIPE_SLOTS; i++)
        free(p.slots[i]);
    core_problems_free(&ld.scratch);
    result->encoding = ld.io.encoding;
    if (rc) {
        /* no memory for the batches: cdr_frame_close reports it */
    } else if (p.rc) {
        /* The load stopped at that record: what the reader found after it
         * (it reads ahead) is not part of the outcome. */
        problems->count = from;
        problems->more = more;
        result->rows = p.rows;
        result->too_old = p.too_old;
        result->not_shown = 0;
        rc = p.rc;
    } else if (ld.stopped == E_INTERRUPTED) {
        /* Interrupted while reading: the interruption alone, as at a
         * record written, with the rows read up to it. */
        problems->count = from;
        problems->more = more;
        result->not_shown = 0;
        rc = E_INTERRUPTED;
    } else if ((rc = ld.rc) && rc != ld.stopped) {
        /* A problem of the file itself, at the row it shows in. */
        struct core_problem pr;
        core_problem_set(&pr, rc, rc == E_FILE_READ ? path : NULL);
        pr.row = ld.io.record;
        pr.field = ld.io.field;
        rc = core_problems_add(problems, &pr) ? CORE_OK : E_STORAGE;
    }
    const char *base = strrchr(path, '/');
    return cdr_frame_close(st, &fr, who, req->format == OPS_CDR_NATIVE ? "native" : "asterisk",
                           base ? base + 1 : path, result, problems, from, rc);
}
