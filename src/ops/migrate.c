/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl migrate: a whole database copied into another, SQLite and
 * PostgreSQL alike, verified table by table before it commits. */
#include <config.h>

#include "ops/internal.h"

int ops_db_migrate(struct store *from, struct store *to, const struct store_actor *who,
                   bool replace, const char *from_name, struct store_copy_report *report)
{
    return store_copy(from, to, replace, who, from_name, report);
}
