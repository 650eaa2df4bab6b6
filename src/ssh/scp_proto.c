/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The legacy scp protocol on the channel: the client's bytes and lines
 * (with the idle timeout), our answers and refusals (logged), the
 * client's answers, and client paths taken into the area.  The bottom of
 * the scp server's files: it calls none of them. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "io/area.h"
#include "ssh/log.h"
#include "ssh/scp_internal.h"

/* More bytes from the client into buf; false when it has gone, closed its
 * side or sent nothing for the idle timeout. */
bool scp_fill(struct scp *c)
{
    if (c->at < c->have)
        return true;
    if (c->gone)
        return false;
    time_t start = time(NULL);
    for (;;) {
        int avail = ssh_channel_poll_timeout(c->channel, 1000, 0);
        if (avail == SSH_ERROR || avail == SSH_EOF || !ssh_is_connected(c->ssh))
            break;
        if (avail > 0) {
            int n = ssh_channel_read(c->channel, c->buf,
                                     (uint32_t)(avail < SCP_CHUNK ? avail : SCP_CHUNK), 0);
            if (n <= 0)
                break;
            c->have = (size_t)n;
            c->at = 0;
            return true;
        }
        if (c->cfg->idle_timeout > 0 && time(NULL) - start >= c->cfg->idle_timeout) {
            sshd_log(LOG_DAEMON | LOG_INFO, "scp: idle timeout for %s from %s", c->who, c->addr);
            break;
        }
    }
    c->gone = true;
    return false;
}

/* Drops what the client still sends until its end, for ten seconds at most. */
void scp_await_end(struct scp *c)
{
    char drop[4096];
    for (int i = 0; i < 10 && !c->gone; i++) {
        int avail = ssh_channel_poll_timeout(c->channel, 1000, 0);
        if (avail == SSH_ERROR || avail == SSH_EOF || !ssh_is_connected(c->ssh))
            return;
        if (avail > 0 && ssh_channel_read(c->channel, drop, sizeof drop, 0) <= 0)
            return;
    }
}

int scp_get_byte(struct scp *c)
{
    return scp_fill(c) ? c->buf[c->at++] : -1;
}

/* One line up to '\n' (not kept): 1, or 0 when the client ended before
 * its first byte, or -1 (the client went away mid-line, or the line is
 * too long), or -2 for a whole line with a NUL byte in it: a name with a
 * NUL is refused, never cut short at it. */
int scp_get_line(struct scp *c, char *line, size_t n)
{
    size_t k = 0;
    bool nul = false;
    for (;;) {
        int b = scp_get_byte(c);
        if (b < 0)
            return k == 0 ? 0 : -1;
        if (b == '\n')
            break;
        if (k + 1 >= n)
            return -1;
        nul = nul || b == 0;
        line[k++] = (char)(b ? b : '?');
    }
    line[k] = '\0';
    return nul ? -2 : 1;
}

void scp_send_bytes(struct scp *c, const void *data, size_t n)
{
    if (!c->gone && n && ssh_channel_write(c->channel, data, (uint32_t)n) == SSH_ERROR)
        c->gone = true;
}

void scp_send_ok(struct scp *c)
{
    scp_send_bytes(c, "", 1);
}

/* A refusal of one file (level 1) or of everything (2): the client prints
 * "scp: MESSAGE" and, for 1, goes on with its next file. */
void scp_refuse(struct scp *c, int level, const char *fmt, ...)
{
    char text[SCP_LINE_MAX + 256];
    text[0] = (char)level;
    int k = snprintf(text + 1, sizeof text - 2, "scp: ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text + 1 + k, sizeof text - 2 - (size_t)k, fmt, ap);
    va_end(ap);
    char shown[sizeof text];
    sshd_printable(text + 1, shown, sizeof shown);
    sshd_log(LOG_DAEMON | LOG_NOTICE, "scp: refused for %s from %s: %s", c->who, c->addr,
             shown + 5);
    size_t n = strlen(text);
    text[n++] = '\n';
    scp_send_bytes(c, text, n);
    c->errors++;
}

/* The client's answer to a record: 0 yes, -1 a refusal (its message is
 * logged), -2 the end. */
int scp_answer(struct scp *c)
{
    int b = scp_get_byte(c);
    if (b == 0)
        return 0;
    if (b != 1 && b != 2)
        return -2;
    char line[SCP_LINE_MAX + 256], shown[sizeof line];
    if (scp_get_line(c, line, sizeof line) != 1)
        return -2;
    sshd_printable(line, shown, sizeof shown);
    sshd_log(LOG_DAEMON | LOG_INFO, "scp: the client of %s from %s says: %s", c->who, c->addr,
             shown);
    c->errors++;
    return b == 1 ? -1 : -2;
}

/* A client path in the area; "~" and "~/..." are the area too.  NULL, or
 * why it is refused. */
const char *scp_path_status(const char *path, struct vpath *vp)
{
    if (path[0] == '~' && (path[1] == '\0' || path[1] == '/'))
        path++;
    int st = sftp_path_parse(path, false, vp);
    if (st == SSH_FX_OK)
        return NULL;
    /* The last name, when the rest leads into a box: a name the area
     * does not take, rather than a path that leads nowhere. */
    const char *slash = strrchr(path, '/');
    const char *last = slash ? slash + 1 : path;
    struct vpath dir;
    char head[64];
    snprintf(head, sizeof head, "%.*s", slash ? (int)(slash - path) : 0, path);
    if (*last && strcmp(last, ".") && strcmp(last, "..") && !io_area_name_ok(last) &&
        sftp_path_parse(head, false, &dir) == SSH_FX_OK && dir.depth == 1)
        return BAD_NAME;
    if (st == SSH_FX_NO_SUCH_FILE)
        return "No such file or directory (your area holds inbox/ and outbox/)";
    return srv_status_text(SSH_FX_PERMISSION_DENIED);
}
