/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scp -f PATH...: the client downloads files of a box, named or matched
 * by a pattern (no shell runs the command), each sent as a "C" record and
 * its bytes. */
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

static void send_file(struct scp *c, const struct scp_cmd *cmd, enum io_area_box box,
                      const char *name)
{
    int fd = io_area_open_read(c->area, box, name);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        int err = errno;
        scp_refuse(c, 1, "%s/%s: %s", io_area_box_name(box), name,
                   err == ENOENT  ? "No such file or directory"
                   : err == EPERM ? "not a plain file"
                                  : strerror(err));
        if (fd >= 0)
            close(fd);
        return;
    }
    char record[SCP_LINE_MAX + 64];
    if (cmd->preserve) {
        snprintf(record, sizeof record, "T%lld 0 %lld 0\n", (long long)sb.st_mtime,
                 (long long)sb.st_atime);
        scp_send_bytes(c, record, strlen(record));
        if (scp_answer(c) < 0) {
            close(fd);
            return;
        }
    }
    long long size = (long long)sb.st_size;
    snprintf(record, sizeof record, "C0600 %lld %s\n", size, name);
    scp_send_bytes(c, record, strlen(record));
    if (scp_answer(c) < 0) {
        close(fd);
        return;
    }
    static char buf[SCP_CHUNK];
    int err = 0;
    for (long long left = size; left > 0 && !c->gone;) {
        size_t want = left < SCP_CHUNK ? (size_t)left : SCP_CHUNK;
        ssize_t n = err ? -1 : read(fd, buf, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            /* The size was promised: the rest is padding, and the file
             * is then refused. */
            err = err ? err : n < 0 ? errno : EIO;
            memset(buf, 0, want);
            n = (ssize_t)want;
        }
        scp_send_bytes(c, buf, (size_t)n);
        left -= n;
    }
    close(fd);
    if (err)
        scp_refuse(c, 1, "%s/%s: %s", io_area_box_name(box), name, strerror(err));
    else
        scp_send_ok(c);
    if (scp_answer(c) == 0 && !err)
        sshd_log(LOG_DAEMON | LOG_INFO, "scp: %s from %s downloaded %s/%s (%lld bytes)", c->who,
                 c->addr, io_area_box_name(box), name, size);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct io_area_file *)a)->name, ((const struct io_area_file *)b)->name);
}

void scp_source(struct scp *c, const struct scp_cmd *cmd)
{
    if (scp_answer(c) != 0)
        return; /* the client is not ready */
    for (int i = 0; i < cmd->argc && !c->gone; i++) {
        struct vpath vp;
        const char *bad = scp_path_status(cmd->argv[i], &vp);
        if (bad) {
            scp_refuse(c, 1, "%s: %s", cmd->argv[i], bad);
            continue;
        }
        if (vp.depth < 2) {
            scp_refuse(c, 1, "%s: a directory: name its files (outbox/*.csv)", cmd->argv[i]);
            continue;
        }
        if (!strpbrk(vp.name, "*?[")) {
            send_file(c, cmd, vp.box, vp.name);
            continue;
        }
        struct io_area_file *files = NULL;
        size_t count = 0, sent = 0;
        int err = io_area_list(c->area, vp.box, &files, &count);
        if (err == 0 && count > 1)
            qsort(files, count, sizeof *files, by_name);
        for (size_t k = 0; err == 0 && k < count && !c->gone; k++) {
            if (fnmatch(vp.name, files[k].name, FNM_PERIOD) == 0) {
                send_file(c, cmd, vp.box, files[k].name);
                sent++;
            }
        }
        free(files);
        if (err)
            scp_refuse(c, 1, "%s: %s", cmd->argv[i], strerror(err));
        else if (sent == 0)
            scp_refuse(c, 1, "%s: No such file or directory", cmd->argv[i]);
    }
}
