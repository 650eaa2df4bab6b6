/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the io module's own files; nothing outside src/io includes it. */
#ifndef KASCON_IO_INTERNAL_H
#define KASCON_IO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "io/io.h"

/* Makes room for need elements of size bytes, doubling; returns the
 * (possibly moved) block, or NULL with p and *cap untouched. */
void *io_grow(void *p, size_t *cap, size_t need, size_t size);
/* UTF-8 to UTF-8 with iconv's contract (EILSEQ, EINVAL, E2BIG), but
 * strict: glibc's "UTF-8" decoder lets through sequences beyond U+10FFFF. */
size_t io_utf8_copy(char **in, size_t *ileft, char **out, size_t *oleft);
/* No error, nothing read, encoding unknown. */
void io_result_init(struct io_csv_result *result);
/* Fills in an error and returns its code. */
int io_fail(struct io_csv_result *result, int code, long record, int field, long long offset);

#endif
