/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The terminal encoding stored per administrator and extension user. */
#include <config.h>

#include "store/internal.h"

int store_terminal_encoding_get(struct store *st, bool is_user, int64_t id, char *value, size_t n)
{
    struct store_stmt *s =
        store_prepare(st, is_user ? "SELECT terminal_encoding FROM extensions WHERE id = ?"
                                  : "SELECT terminal_encoding FROM admins WHERE id = ?");
    if (!s)
        return E_STORAGE;
    stmt_bind_int64(s, 1, id);
    int step = stmt_step(s);
    if (n)
        value[0] = '\0';
    if (step == STMT_ROW)
        store_column_copy(s, 0, value, n);
    stmt_finalize(s);
    return step == STMT_ROW || step == STMT_DONE ? CORE_OK : store_fail(st);
}

int store_terminal_encoding_set(struct store *st, bool is_user, int64_t id, const char *value)
{
    struct store_stmt *s =
        store_prepare(st, is_user ? "UPDATE extensions SET terminal_encoding = ? WHERE id = ?"
                                  : "UPDATE admins SET terminal_encoding = ? WHERE id = ?");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, value);
    stmt_bind_int64(s, 2, id);
    return store_step_done(st, s);
}
