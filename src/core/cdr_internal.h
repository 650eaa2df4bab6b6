/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by core/cdr.c, core/formats.c and core/cdr_demo.c only: the date
 * and time helpers under the call-record rules. */
#ifndef KASCON_CORE_CDR_INTERNAL_H
#define KASCON_CORE_CDR_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/cdr.h"

/* Reads min..max digits at *p, advancing it. */
bool core_cdr_read_num(const char **p, int min, int max, long *out);
void core_cdr_civil_from_days(long z, long *y, long *m, long *d);
/* "YYYY/MM/DD HH:MM:SS" of the given values (in range). */
void core_cdr_format_time(char out[CORE_CDR_TIME_LEN + 1], long y, long mo, long d, long h, long mi,
                          long s);
/* A call time as written or as Excel rewrites it, in the canonical form;
 * E_CDR_TIME when it is none. */
int core_cdr_normalize_time(const char *in, char out[CORE_CDR_TIME_LEN + 1]);

/* Bounded copy (by hand rather than snprintf: it runs 12 times a record). */
void core_cdr_copy(char *dst, size_t n, const char *src);

#endif
