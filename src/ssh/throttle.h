/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pace of password attempts per client address (throttle.c). */
#ifndef KASCON_SSH_THROTTLE_H
#define KASCON_SSH_THROTTLE_H

/* In the listener, before any connection is forked: 0, or -1 (then
 * nothing is paced). */
int sshd_throttle_init(void);
/* Before a password is judged: waits for the address's turn when it has
 * failed a login lately; returns at once otherwise. */
void sshd_throttle_wait(const char *addr);
/* After a password attempt that did not log in. */
void sshd_throttle_failed(const char *addr);

#endif
