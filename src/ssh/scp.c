/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The legacy scp protocol, as OpenSSH's `scp -O`, PuTTY's `pscp -scp` and
 * Tera Term's SCP dialog speak it: the exec commands "scp -t TARGET" (the
 * client uploads) and "scp -f PATH..." (the client downloads), served in
 * the administrator's file area with the SFTP server's rules.  The area is
 * "/" (also "~" and "."), holding inbox/ and outbox/: uploads go into
 * inbox/ only (an upload to the area itself lands there), under a
 * temporary name that takes the file's name only when complete, 0600
 * whatever mode the client sends, within the size limit per file and the
 * area's quota; no directory, link or "..".  Times sent with -p are not
 * kept: a file's 24 hours start when it is written.  A download may name
 * several files and patterns (*.csv in outbox/), matched here since no shell
 * runs the command.
 *
 * The protocol: each side answers a record with one byte, 0 for yes, or 1
 * (a refusal of that one file) or 2 (the end of everything) followed by a
 * message line, which the client prints. */
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
#include "ssh/sftp_server.h"

#define SCP_MAX_ARGS 32
#define SCP_LINE_MAX (IO_AREA_NAME_MAX + 64)
#define SCP_CHUNK 32768

struct scp {
    ssh_session ssh;
    ssh_channel channel;
    const struct io_area *area;
    const struct sshd_config *cfg;
    const char *who, *addr;
    unsigned char buf[SCP_CHUNK];
    size_t have, at;
    bool gone; /* the client went away or stopped sending */
    int errors;
};

/* The command's words, split as a shell would split them ('...', "...",
 * backslash); nothing else of a shell applies (no variable, no pattern:
 * patterns are matched against a box's files by the download). */
struct scp_cmd {
    bool to, from, recursive, dir_target, preserve;
    int argc;
    char *argv[SCP_MAX_ARGS];
    char words[1024];
};

static int split_words(const char *in, char *out, size_t size, char **argv, int max)
{
    int argc = 0;
    size_t o = 0;
    const char *p = in;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return argc;
        if (argc == max)
            return -1;
        argv[argc++] = &out[o];
        while (*p && *p != ' ' && *p != '\t') {
            char c = *p++;
            if (c == '\'') {
                while (*p && *p != '\'') {
                    if (o + 1 >= size)
                        return -1;
                    out[o++] = *p++;
                }
                if (*p++ != '\'')
                    return -1;
                continue;
            }
            if (c == '"') {
                while (*p && *p != '"') {
                    if (*p == '\\' && strchr("\"\\$`", p[1]))
                        p++;
                    if (o + 1 >= size)
                        return -1;
                    out[o++] = *p++;
                }
                if (*p++ != '"')
                    return -1;
                continue;
            }
            if (c == '\\') {
                if (!*p)
                    return -1;
                c = *p++;
            }
            if (o + 1 >= size)
                return -1;
            out[o++] = c;
        }
        out[o++] = '\0';
    }
}

bool sshd_scp_command(const char *command)
{
    return command && !strncmp(command, "scp", 3) && (command[3] == ' ' || command[3] == '\t');
}

/* Parses "scp [-dfprtv] [--] PATH..."; returns NULL or what is wrong. */
static const char *parse_command(const char *command, struct scp_cmd *c)
{
    memset(c, 0, sizeof *c);
    char *argv[SCP_MAX_ARGS + 1];
    int argc = split_words(command, c->words, sizeof c->words, argv, SCP_MAX_ARGS + 1);
    if (argc < 1)
        return "cannot read the command (unbalanced quotes, or too many names)";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *o = argv[i] + 1; *o; o++) {
            switch (*o) {
            case 't':
                c->to = true;
                break;
            case 'f':
                c->from = true;
                break;
            case 'r':
                c->recursive = true;
                break;
            case 'd':
                c->dir_target = true;
                break;
            case 'p':
                c->preserve = true;
                break;
            case 'v':
            case 'q':
                break;
            default:
                return "unknown option (this server takes -t, -f, -d, -p, -r and -v)";
            }
        }
    }
    if (c->to == c->from)
        return "give -t or -f: this is the server's side of scp";
    for (; i < argc; i++)
        c->argv[c->argc++] = argv[i];
    if (c->argc == 0)
        return "no file named";
    if (c->to && c->argc != 1)
        return "one target only";
    return NULL;
}

/* ---- the channel ---- */

/* More bytes from the client into buf; false when it has gone, closed its
 * side or sent nothing for the idle timeout. */
static bool fill(struct scp *c)
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
static void await_end(struct scp *c)
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

static int get_byte(struct scp *c)
{
    return fill(c) ? c->buf[c->at++] : -1;
}

/* One line up to '\n' (not kept): 1, or 0 when the client ended before
 * its first byte, or -1 (the client went away mid-line, or the line is
 * too long), or -2 for a whole line with a NUL byte in it: a name with a
 * NUL is refused, never cut short at it. */
static int get_line(struct scp *c, char *line, size_t n)
{
    size_t k = 0;
    bool nul = false;
    for (;;) {
        int b = get_byte(c);
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

static void send_bytes(struct scp *c, const void *data, size_t n)
{
    if (!c->gone && n && ssh_channel_write(c->channel, data, (uint32_t)n) == SSH_ERROR)
        c->gone = true;
}

static void send_ok(struct scp *c)
{
    send_bytes(c, "", 1);
}

/* A refusal of one file (level 1) or of everything (2): the client prints
 * "scp: MESSAGE" and, for 1, goes on with its next file. */
__attribute__((format(printf, 3, 4))) static void refuse(struct scp *c, int level, const char *fmt,
                                                         ...)
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
    send_bytes(c, text, n);
    c->errors++;
}

/* The client's answer to a record: 0 yes, -1 a refusal (its message is
 * logged), -2 the end. */
static int answer(struct scp *c)
{
    int b = get_byte(c);
    if (b == 0)
        return 0;
    if (b != 1 && b != 2)
        return -2;
    char line[SCP_LINE_MAX + 256], shown[sizeof line];
    if (get_line(c, line, sizeof line) != 1)
        return -2;
    sshd_printable(line, shown, sizeof shown);
    sshd_log(LOG_DAEMON | LOG_INFO, "scp: the client of %s from %s says: %s", c->who, c->addr,
             shown);
    c->errors++;
    return b == 1 ? -1 : -2;
}

/* ---- paths ---- */

#define STRINGIFY(x) #x
#define STRING_OF(x) STRINGIFY(x)
#define BAD_NAME                                                                                   \
    "not a name a file can have here (at most " STRING_OF(                                         \
        IO_AREA_NAME_MAX) " bytes, no leading '.', no control character)"

/* A client path in the area; "~" and "~/..." are the area too.  NULL, or
 * why it is refused. */
static const char *path_status(const char *path, struct vpath *vp)
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

/* ---- scp -t: the client uploads ---- */

/* Receives `size` bytes of one file into the temporary file fd (-1: only
 * read and dropped, after a refusal); NULL, or why the file is not kept. */
static const char *receive(struct scp *c, int fd, long long size, char *why, size_t n)
{
    const char *failed = fd < 0 ? "refused" : NULL;
    for (long long left = size; left > 0;) {
        if (!fill(c)) {
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
    int a = answer(c);
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
        refuse(c, 2, "protocol error: expected a file record, got \"%.40s\"", record);
        return;
    }
    const char *sent = record + used;
    if (!*sent || strchr(sent, '/') || !strcmp(sent, "..")) {
        refuse(c, 2, "protocol error: unexpected file name \"%.40s\"", sent);
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
        refuse(c, 1, "%s/%s: %s", io_area_box_name(box), name, why);
        return;
    }
    send_ok(c);
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
            refuse(c, 1, "%s/%s: %s", io_area_box_name(box), name, failed ? failed : strerror(err));
        return;
    }
    sshd_log(LOG_DAEMON | LOG_INFO, "scp: %s from %s uploaded %s/%s (%lld bytes)", c->who, c->addr,
             io_area_box_name(box), name, size);
    send_ok(c);
}

/* The name at the end of a "D" or "C" record: after its second space. */
static const char *record_name(const char *record)
{
    const char *p = strchr(record, ' ');
    p = p ? strchr(p + 1, ' ') : NULL;
    return p ? p + 1 : "";
}

static void sink(struct scp *c, const struct scp_cmd *cmd)
{
    struct vpath vp;
    const char *bad = path_status(cmd->argv[0], &vp);
    if (bad) {
        refuse(c, 2, "%s: %s", cmd->argv[0], bad);
        return;
    }
    if (vp.depth == 0)
        vp.box = IO_AREA_INBOX; /* the only place a client writes */
    if (vp.box != IO_AREA_INBOX) {
        refuse(c, 2, "%s: outbox/ is the server's to write: upload into inbox/", cmd->argv[0]);
        return;
    }
    if (vp.depth == 2 && cmd->dir_target) {
        refuse(c, 2, "%s: not a directory: name inbox/ to copy several files", cmd->argv[0]);
        return;
    }
    send_ok(c); /* ready */
    char record[SCP_LINE_MAX];
    for (;;) {
        int got = get_line(c, record, sizeof record);
        if (got == 0)
            return; /* the client's end: every file sent */
        if (got == -2) {
            refuse(c, 1, "%s: a name with a NUL byte is refused", record_name(record));
            continue;
        }
        if (got < 0) {
            if (!c->gone)
                refuse(c, 2, "protocol error: a record longer than %d bytes", SCP_LINE_MAX);
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
            send_ok(c);
            break;
        case 'D':
            refuse(c, 1, "%s: directories are not copied here: copy the files themselves",
                   record_name(record));
            break;
        case 'C':
            upload(c, record, vp.box, vp.depth == 2 ? vp.name : NULL);
            break;
        default:
            refuse(c, 2, "protocol error: expected a file record");
            return;
        }
        if (c->gone)
            return;
    }
}

/* ---- scp -f: the client downloads ---- */

static void send_file(struct scp *c, const struct scp_cmd *cmd, enum io_area_box box,
                      const char *name)
{
    int fd = io_area_open_read(c->area, box, name);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        int err = errno;
        refuse(c, 1, "%s/%s: %s", io_area_box_name(box), name,
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
        send_bytes(c, record, strlen(record));
        if (answer(c) < 0) {
            close(fd);
            return;
        }
    }
    long long size = (long long)sb.st_size;
    snprintf(record, sizeof record, "C0600 %lld %s\n", size, name);
    send_bytes(c, record, strlen(record));
    if (answer(c) < 0) {
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
        send_bytes(c, buf, (size_t)n);
        left -= n;
    }
    close(fd);
    if (err)
        refuse(c, 1, "%s/%s: %s", io_area_box_name(box), name, strerror(err));
    else
        send_ok(c);
    if (answer(c) == 0 && !err)
        sshd_log(LOG_DAEMON | LOG_INFO, "scp: %s from %s downloaded %s/%s (%lld bytes)", c->who,
                 c->addr, io_area_box_name(box), name, size);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct io_area_file *)a)->name, ((const struct io_area_file *)b)->name);
}

static void source(struct scp *c, const struct scp_cmd *cmd)
{
    if (answer(c) != 0)
        return; /* the client is not ready */
    for (int i = 0; i < cmd->argc && !c->gone; i++) {
        struct vpath vp;
        const char *bad = path_status(cmd->argv[i], &vp);
        if (bad) {
            refuse(c, 1, "%s: %s", cmd->argv[i], bad);
            continue;
        }
        if (vp.depth < 2) {
            refuse(c, 1, "%s: a directory: name its files (outbox/*.csv)", cmd->argv[i]);
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
            refuse(c, 1, "%s: %s", cmd->argv[i], strerror(err));
        else if (sent == 0)
            refuse(c, 1, "%s: No such file or directory", cmd->argv[i]);
    }
}

int sshd_scp_run(ssh_session ssh, ssh_channel channel, const struct io_area *area,
                 const struct sshd_config *cfg, const char *command, const char *refusal,
                 const char *who, const char *addr)
{
    static struct scp c;
    memset(&c, 0, sizeof c);
    c.ssh = ssh;
    c.channel = channel;
    c.area = area;
    c.cfg = cfg;
    c.who = who;
    c.addr = addr;
    struct scp_cmd cmd;
    const char *bad = refusal ? refusal : parse_command(command, &cmd);
    if (bad) {
        refuse(&c, 2, "%s", bad);
        if (refusal || strstr(command, " -t"))
            await_end(&c);
        return 1;
    }
    if (cmd.to)
        sink(&c, &cmd);
    else
        source(&c, &cmd);
    /* An uploading client ends the transfer: pscp takes the server's end
     * of input before its own for a broken connection, so after a refusal
     * the client's end is awaited (it sends it once it has shown the
     * message).  A downloading client waits for the server's. */
    if (cmd.to)
        await_end(&c);
    return c.errors ? 1 : 0;
}
