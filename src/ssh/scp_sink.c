/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scp -t TARGET: the client uploads, into inbox/ only, each file under a
 * temporary name until it is complete, 0600, within the size limit per
 * file and the area's quota; directories are refused. */
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

/* Receives `size` bytes of one file into the temporary file fd (-1: only
 * read and dropped, after a refusal); NULL, or why the file is not kept. */
static const char *receive(struct scp *c, int fd, long long size, char *why, size_t n)
{
    const char *failed = fd < 0 ? "refused" : NULL;
    for (long long left = size; left > 0;) {
        if (!scp_fill(c)) {
            c->errors++;
            return "the client stopped sending";
        }
        size_t chunk = c->have - c->at;
        if ((long long)chunk > left)
            chunk = (size_t)left;
        const unsigned char *p = c->buf + c->at;
        c->at += chunk;
        left -= (long long)chunk;
        if (failed)
            continue;
        /* The quota, under the area's lock as SFTP takes it: what every
         * upload of this administrator holds on disk now, plus this. */
        io_area_lock(c->area);
        long long usage = io_area_usage(c->area);
        if (usage + (long long)chunk > c->cfg->max_area_size) {
            snprintf(why, n, "your file area is full: at most %lld bytes in all",
                     c->cfg->max_area_size);
            failed = why;
        }
        for (size_t done = 0; !failed && done < chunk;) {
            ssize_t w = write(fd, p + done, chunk - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                snprintf(why, n, "%s", strerror(w < 0 ? errno : ENOSPC));
                failed = why;
            }
            done += w > 0 ? (size_t)w : 0;
        }
        io_area_unlock(c->area);
    }
    /* The client's own word after the data: 0, or its read error. */
    int a = scp_answer(c);
    if (a == -2) {
        c->errors++;
        return "the client stopped sending";
    }
    if (a < 0 && !failed)
        failed = "the client could not read the file";
    return failed;
}

/* One "C" record: mode, size and name, the data, and the answer. */
static void upload(struct scp *c, const char *record, enum io_area_box box, const char *fixed)
{
    unsigned mode;
    long long size;
    int used = 0;
    if (sscanf(record, "C%4o %lld %n", &mode, &size, &used) != 2 || used == 0 || size < 0) {
        scp_refuse(c, 2, "protocol error: expected a file record, got \"%.40s\"", record);
        return;
    }
    const char *sent = record + used;
    if (!*sent || strchr(sent, '/') || !strcmp(sent, "..")) {
        scp_refuse(c, 2, "protocol error: unexpected file name \"%.40s\"", sent);
        return;
    }
    const char *name = fixed ? fixed : sent;
    char why[200] = "";
    struct stat sb;
    if (!io_area_name_ok(name))
        snprintf(why, sizeof why, "%s", BAD_NAME);
    else if (size > c->cfg->max_file_size)
        snprintf(why, sizeof why, "file too large: at most %lld bytes per file",
                 c->cfg->max_file_size);
    else if (fstatat(c->area->box[box], name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
             !S_ISREG(sb.st_mode))
        snprintf(why, sizeof why, "not a plain file: it cannot be replaced");
    if (!why[0]) {
        io_area_lock(c->area);
        long long usage = io_area_usage(c->area);
        io_area_unlock(c->area);
        if (usage + size > c->cfg->max_area_size)
            snprintf(why, sizeof why,
                     "your file area is full: at most %lld bytes in all, %lld in use: remove"
                     " files or wait until they expire",
                     c->cfg->max_area_size, usage);
    }
    char temp[IO_AREA_TEMP_MAX];
    int fd = -1;
    if (!why[0] && (fd = io_area_create_temp(c->area, box, name, temp, sizeof temp)) < 0)
        snprintf(why, sizeof why, "%s", strerror(errno));
    if (why[0]) {
        /* Refused before its data: the client sends none and goes on. */
        scp_refuse(c, 1, "%s/%s: %s", io_area_box_name(box), name, why);
        return;
    }
    scp_send_ok(c);
    const char *failed = receive(c, fd, size, why, sizeof why);
    if (fsync(fd) != 0 && !failed)
        failed = strerror(errno);
    if (close(fd) != 0 && !failed)
        failed = strerror(errno);
    int err = failed ? 0 : io_area_publish(c->area, box, temp, name);
    if (failed || err) {
        io_area_discard(c->area, box, temp);
        sshd_log(LOG_DAEMON | LOG_NOTICE, "scp: upload of %s/%s discarded for %s from %s",
                 io_area_box_name(box), name, c->who, c->addr);
        if (!c->gone)
            scp_refuse(c, 1, "%s/%s: %s", io_area_box_name(box), name,
                       failed ? failed : strerror(err));
        return;
    }
    sshd_log(LOG_DAEMON | LOG_INFO, "scp: %s from %s uploaded %s/%s (%lld bytes)", c->who, c->addr,
             io_area_box_name(box), name, size);
    scp_send_ok(c);
}

/* The name at the end of a "D" or "C" record: after its second space. */
static const char *record_name(const char *record)
{
    const char *p = strchr(record, ' ');
    p = p ? strchr(p + 1, ' ') : NULL;
    return p ? p + 1 : "";
}

void scp_sink(struct scp *c, const struct scp_cmd *cmd)
{
    struct vpath vp;
    const char *bad = scp_path_status(cmd->argv[0], &vp);
    if (bad) {
        scp_refuse(c, 2, "%s: %s", cmd->argv[0], bad);
        return;
    }
    if (vp.depth == 0)
        vp.box = IO_AREA_INBOX; /* the only place a client writes */
    if (vp.box != IO_AREA_INBOX) {
        scp_refuse(c, 2, "%s: outbox/ is the server's to write: upload into inbox/", cmd->argv[0]);
        return;
    }
    if (vp.depth == 2 && cmd->dir_target) {
        scp_refuse(c, 2, "%s: not a directory: name inbox/ to copy several files", cmd->argv[0]);
        return;
    }
    scp_send_ok(c); /* ready */
    char record[SCP_LINE_MAX];
    for (;;) {
        int got = scp_get_line(c, record, sizeof record);
        if (got == 0)
            return; /* the client's end: every file sent */
        if (got == -2) {
            scp_refuse(c, 1, "%s: a name with a NUL byte is refused", record_name(record));
            continue;
        }
        if (got < 0) {
            if (!c->gone)
                scp_refuse(c, 2, "protocol error: a record longer than %d bytes", SCP_LINE_MAX);
            c->errors++;
            return;
        }
        char shown[sizeof record];
        switch (record[0]) {
        case 1:
        case 2:
            sshd_printable(record + 1, shown, sizeof shown);
            sshd_log(LOG_DAEMON | LOG_INFO, "scp: the client of %s from %s says: %s", c->who,
                     c->addr, shown);
            c->errors++;
            if (record[0] == 2)
                return;
            break;
        case 'T': /* times (-p): not kept, the file's 24 hours start now */
        case 'E': /* the end of a directory, never begun here */
            scp_send_ok(c);
            break;
        case 'D':
            scp_refuse(c, 1, "%s: directories are not copied here: copy the files themselves",
                       record_name(record));
            break;
        case 'C':
            upload(c, record, vp.box, vp.depth == 2 ? vp.name : NULL);
            break;
        default:
            scp_refuse(c, 2, "protocol error: expected a file record");
            return;
        }
        if (c->gone)
            return;
    }
}
