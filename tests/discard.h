/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Callbacks for the store's walks that take each row and drop it: for a
 * walk run for its time (bench/lists.c, bench/readers.c) or for its query
 * plans (tests/test_plans.c), not for its rows. */
#ifndef KASCON_TEST_DISCARD_H
#define KASCON_TEST_DISCARD_H

#include "store/store.h"

#define DISCARD(name, type)                                                                        \
    static inline int name(const type *row, void *ctx)                                             \
    {                                                                                              \
        (void)row;                                                                                 \
        (void)ctx;                                                                                 \
        return 0;                                                                                  \
    }

DISCARD(none_ext, struct store_ext)
DISCARD(none_line, struct store_line)
DISCARD(none_audit, struct store_audit_entry)
DISCARD(none_row, struct store_audit_row)
DISCARD(none_group, struct store_group)
DISCARD(none_locked, struct store_locked)
DISCARD(none_file, struct store_cdr_file)

#undef DISCARD

#endif
