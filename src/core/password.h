/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Login secrets (administrator and web passwords, secret answers) are kept
 * only as libxcrypt yescrypt hashes. */
#ifndef KASCON_CORE_PASSWORD_H
#define KASCON_CORE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define CORE_HASH_MAX 128

/* Returns 0, or -1 when hashing failed (no entropy, no memory). */
int core_password_hash(const char *password, char *out, size_t n);
/* Web console passwords (8 letters and digits, doc/spec.md §3.1) use a lower
 * yescrypt cost (about 4 ms instead of 15 ms): a bulk file of 100,000
 * profiles must hash in minutes, and the web login has its own lockout. */
int core_password_hash_web(const char *password, char *out, size_t n);
/* Constant-time comparison of the recomputed hash. */
bool core_password_verify(const char *password, const char *hash);
/* Spends the time of one verification; used for unknown users so that
 * timing does not tell them apart from known ones. */
void core_password_burn(const char *password);

#endif
