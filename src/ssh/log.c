/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The log of kascond and its sessions (log.h). */
#include <config.h>

#include <stdarg.h>
#include <syslog.h>

#include "ssh/log.h"

void sshd_log_open(bool foreground)
{
    openlog("kascond", LOG_PID | (foreground ? LOG_PERROR : 0), LOG_DAEMON);
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
