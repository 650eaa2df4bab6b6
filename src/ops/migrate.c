/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kasconctl migrate: a whole database copied into another, SQLite and
 * PostgreSQL alike, verified table by table before it commits. */
#include <config.h>

#include "ops/internal.h"

int ops_db_migrate(const struct ops_migrate_request *req, const struct store_actor *who,
                   struct store_copy_report *report)
{
    return store_copy(req->from, req->to, req->replace, who, req->from_name, report);
}
