/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the call-history files (src/ops/cdr*.c) only: the frame of a
 * load or demo — site, retention, loader and the chunks in which records
 * are committed — that src/ops/cdr.c keeps and src/ops/cdr_load.c uses. */
#ifndef KASCON_OPS_CDR_INTERNAL_H
#define KASCON_OPS_CDR_INTERNAL_H

#include <signal.h>

#include "ops/ops.h"

struct cdr_frame {
    struct store *st;
    struct store_site site;
    struct store_cdr_loader *loader;
    char oldest[CORE_CDR_DAY_LEN + 1];
    int committed; /* chunks committed so far */
    /* Set by a signal handler: the load stops at the next record it
     * reads or writes and takes its committed chunks out again (NULL:
     * never). */
    const volatile sig_atomic_t *interrupted;
};

/* Records `code` at (row, field) in problems; returns code, or E_STORAGE
 * when the list has no memory left. */
int cdr_add_problem(struct core_problems *problems, int code, const char *value, int field,
                    long row);
/* Finds the site, purges its days past the 92 kept and opens the loader
 * in a write transaction; a problem goes to problems and is returned. */
int cdr_frame_open(struct store *st, const char *domain, const struct store_actor *who,
                   struct cdr_frame *fr, struct ops_cdr_result *result,
                   struct core_problems *problems);
/* Writes one record, committing a chunk when one is full. */
int cdr_frame_add(struct cdr_frame *fr, const struct core_cdr *rec);
/* Commits the last chunk and the audit when neither rc nor a problem
 * since `from` stops it; otherwise takes every committed chunk out again.
 * Frees the loader; returns the first problem's code or CORE_OK. */
int cdr_frame_close(struct store *st, struct cdr_frame *fr, const struct store_actor *who,
                    const char *what, const char *object, struct ops_cdr_result *result,
                    struct core_problems *problems, size_t from, int rc);

#endif
