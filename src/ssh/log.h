/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kascond's log: one syslog line per event (the journal when run by
 * systemd), in English and in sshd's wording for log filters. */
#ifndef KASCON_SSH_LOG_H
#define KASCON_SSH_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

/* Opens the log; with `foreground`, lines also go to standard error. */
void sshd_log_open(bool foreground);

/* Logs to syslog.  Authentication messages use the auth facility. */
__attribute__((format(printf, 2, 3))) void sshd_log(int priority, const char *fmt, ...);

/* A client's text as it may go into a log line: control bytes become '?'. */
void sshd_printable(const char *in, char *out, size_t n);

#endif
