/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/lockout.h"

bool core_lockout_is_locked(const struct core_lock_state *state, bool auto_unlock, int64_t now)
{
    if (state->locked_at == 0)
        return false;
    if (auto_unlock && now - state->locked_at >= CORE_LOCK_SECONDS)
        return false;
    return true;
}

bool core_lockout_allows(struct core_lock_state *state, bool auto_unlock, int64_t now)
{
    if (core_lockout_is_locked(state, auto_unlock, now))
        return false;
    if (state->locked_at != 0) {
        state->locked_at = 0;
        state->failures = 0;
    }
    return true;
}

bool core_lockout_fail(struct core_lock_state *state, int64_t now)
{
    if (state->locked_at != 0)
        return false;
    state->failures++;
    if (state->failures >= CORE_LOCK_THRESHOLD) {
        state->locked_at = now;
        return true;
    }
    return false;
}

void core_lockout_succeed(struct core_lock_state *state)
{
    state->failures = 0;
    state->locked_at = 0;
}

bool core_password_expired(int64_t changed_at, int max_age_days, int64_t now)
{
    if (max_age_days <= 0)
        return false;
    return now - changed_at >= (int64_t)max_age_days * 24 * 60 * 60;
}
