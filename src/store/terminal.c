/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The terminal encoding stored per administrator and extension user. */
#include <config.h>

#include "store/internal.h"

int store_terminal_encoding_get(struct store *st, bool is_user, int64_t id, char *value, size_t n)
{
    sqlite3_stmt *s =
        store_prepare(st, is_user ? "SELECT terminal_encoding FROM extensions WHERE id = ?"
                                  : "SELECT terminal_encoding FROM admins WHERE id = ?");
    if (!s)
        return E_STORAGE;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    if (n)
        value[0] = '\0';
    if (step == SQLITE_ROW)
        store_column_copy(s, 0, value, n);
    sqlite3_finalize(s);
    return step == SQLITE_ROW || step == SQLITE_DONE ? CORE_OK : store_fail(st);
}

int store_terminal_encoding_set(struct store *st, bool is_user, int64_t id, const char *value)
{
    sqlite3_stmt *s =
        store_prepare(st, is_user ? "UPDATE extensions SET terminal_encoding = ? WHERE id = ?"
                                  : "UPDATE admins SET terminal_encoding = ? WHERE id = ?");
    if (!s)
        return E_STORAGE;
    store_bind_text(s, 1, value);
    sqlite3_bind_int64(s, 2, id);
    return store_step_done(st, s);
}
