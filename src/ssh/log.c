/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The log of kascond and its sessions (log.h). */
#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <syslog.h>

#include "ssh/log.h"

void sshd_log_open(bool foreground)
{
    /* Under systemd, standard error is the journal too (JOURNAL_STREAM):
     * copying the lines there would log every event twice. */
    const char *journal = getenv("JOURNAL_STREAM");
    bool copy = foreground && !(journal && *journal);
    openlog("kascond", LOG_PID | (copy ? LOG_PERROR : 0), LOG_DAEMON);
}

void sshd_log(int priority, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsyslog(priority, fmt, ap);
    va_end(ap);
}

void sshd_printable(const char *in, char *out, size_t n)
{
    size_t k = 0;
    for (; *in && k + 1 < n; in++, k++)
        out[k] = (unsigned char)*in < 0x20 || *in == 0x7f ? '?' : *in;
    out[k] = '\0';
}
