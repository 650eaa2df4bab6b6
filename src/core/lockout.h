/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lockout policy of doc/spec.md §3.6, decided from state and a clock passed in.
 * The console, the SSH server and the secret-question gate all call it. */
#ifndef KASCON_CORE_LOCKOUT_H
#define KASCON_CORE_LOCKOUT_H

#include <stdbool.h>
#include <stdint.h>

#define CORE_LOCK_THRESHOLD 3
#define CORE_LOCK_SECONDS (60 * 60)

struct core_lock_state {
    int failures;      /* consecutive failures */
    int64_t locked_at; /* 0 when not locked */
};

/* Whether an attempt may be judged now.  An auto-unlocked lock is lifted
 * in *state (failures reset) so that the caller can store the result. */
bool core_lockout_allows(struct core_lock_state *state, bool auto_unlock, int64_t now);
/* Records a failed attempt; returns true when this failure locked it. */
bool core_lockout_fail(struct core_lock_state *state, int64_t now);
void core_lockout_succeed(struct core_lock_state *state);
/* Whether the state is locked at `now` (for lists of locked users). */
bool core_lockout_is_locked(const struct core_lock_state *state, bool auto_unlock, int64_t now);

/* Password ageing: true when a password changed at changed_at has expired. */
bool core_password_expired(int64_t changed_at, int max_age_days, int64_t now);

#endif
