/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SFTP subsystem (and so scp, which speaks SFTP since OpenSSH 9): the
 * client sees its administrator's file area as "/" holding inbox/ and
 * outbox/.  Every path is taken apart here and looked up below the
 * area's directory descriptors (io/area.h), never joined into a host
 * path: "..", absolute host paths, links and other administrators' files
 * are out of reach by construction.  Uploads go to inbox/ under a
 * temporary name and appear under their own name only when closed
 * complete; outbox/ is read-only to the client. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/* libssh declares its SFTP server functions only under WITH_SERVER. */
#define WITH_SERVER 1
#include <libssh/sftp.h>

#include "io/area.h"
#include "ssh/sshd.h"

#define MAX_HANDLES 32
#define MAX_READ (64 * 1024)
#define READDIR_BATCH 64

struct handle {
    bool used, is_dir, writing, failed, dots_sent;
    int fd;
    int depth; /* of a directory: 0 the area, 1 a box */
    enum io_area_box box;
    char name[IO_AREA_NAME_MAX + 1];
    char temp[IO_AREA_TEMP_MAX];
    long long size, base;       /* bytes written; the area's usage at open */
    struct io_area_file *files; /* a directory's listing, taken at open */
    size_t count, next;
};

struct sftp_server {
    sftp_session sftp;
    const struct io_area *area;
    const struct sshd_config *cfg;
    const char *who, *addr;
    struct handle handles[MAX_HANDLES];
};

/* A client path: the area (depth 0), a box (1) or a file in a box (2). */
struct vpath {
    int depth;
    enum io_area_box box;
    char name[IO_AREA_NAME_MAX + 1];
};

/* Splits a path into components.  ".." is refused (SSH_FX_PERMISSION_DENIED),
 * or, for REALPATH (`clamp`), taken lexically and never above "/".
 * Returns SSH_FX_OK or the status to reply. */
static int parse_path(const char *path, bool clamp, struct vpath *vp)
{
    char comp[2][IO_AREA_NAME_MAX + 1];
    int depth = 0;
    const char *p = path ? path : "";
    while (*p) {
        while (*p == '/')
            p++;
        size_t n = strcspn(p, "/");
        if (n == 0)
            break;
        if (n == 1 && p[0] == '.') {
            /* the current directory: nothing */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (!clamp)
                return SSH_FX_PERMISSION_DENIED;
            if (depth > 0)
                depth--;
        } else {
            if (depth == 2)
                return SSH_FX_NO_SUCH_FILE; /* a box holds no directories */
            if (n > IO_AREA_NAME_MAX)
                return SSH_FX_PERMISSION_DENIED;
            snprintf(comp[depth], sizeof comp[depth], "%.*s", (int)n, p);
            depth++;
        }
        p += n;
    }
    vp->depth = depth;
    vp->name[0] = '\0';
    if (depth >= 1) {
        if (!strcmp(comp[0], "inbox"))
            vp->box = IO_AREA_INBOX;
        else if (!strcmp(comp[0], "outbox"))
            vp->box = IO_AREA_OUTBOX;
        else
            return SSH_FX_NO_SUCH_FILE;
    }
    if (depth == 2) {
        if (!io_area_name_ok(comp[1]))
            return comp[1][0] == '.' ? SSH_FX_NO_SUCH_FILE : SSH_FX_PERMISSION_DENIED;
        snprintf(vp->name, sizeof vp->name, "%s", comp[1]);
    }
    return SSH_FX_OK;
}

static void canonical(const struct vpath *vp, char *buf, size_t n)
{
    if (vp->depth == 0)
        snprintf(buf, n, "/");
    else if (vp->depth == 1)
        snprintf(buf, n, "/%s", io_area_box_name(vp->box));
    else
        snprintf(buf, n, "/%s/%s", io_area_box_name(vp->box), vp->name);
}

static int status_of_errno(int err)
{
    switch (err) {
    case ENOENT:
        return SSH_FX_NO_SUCH_FILE;
    case EACCES:
    case EPERM:
    case ELOOP:
        return SSH_FX_PERMISSION_DENIED;
    case EEXIST:
        return SSH_FX_FILE_ALREADY_EXISTS;
    default:
        return SSH_FX_FAILURE;
    }
}

static const char *status_text(int status)
{
    switch (status) {
    case SSH_FX_OK:
        return "OK";
    case SSH_FX_EOF:
        return "End of file";
    case SSH_FX_NO_SUCH_FILE:
        return "No such file";
    case SSH_FX_PERMISSION_DENIED:
        return "Permission denied: only inbox/ and outbox/ of your own area";
    case SSH_FX_OP_UNSUPPORTED:
        return "Operation not supported";
    case SSH_FX_FILE_ALREADY_EXISTS:
        return "File already exists";
    case SSH_FX_INVALID_HANDLE:
        return "Invalid handle";
    default:
        return "Failure";
    }
}

static void reply_status(struct sftp_server *srv, sftp_client_message msg, int status,
                         const char *text)
{
    (void)srv;
    sftp_reply_status(msg, (uint32_t)status, text ? text : status_text(status));
}

/* Logs what a client was refused, with the path it asked for. */
static void refused(struct sftp_server *srv, const char *what, const char *path, int status)
{
    /* The path is the client's: no control character goes into the log. */
    char shown[256];
    size_t k = 0;
    for (const char *p = path ? path : ""; *p && k + 1 < sizeof shown; p++, k++)
        shown[k] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
    shown[k] = '\0';
    sshd_log(LOG_AUTH | LOG_NOTICE, "sftp: refused %s \"%s\" for %s from %s: %s", what, shown,
             srv->who, srv->addr, status_text(status));
}

static void fill_attr(const struct stat *sb, bool dir, struct sftp_attributes_struct *a)
{
    memset(a, 0, sizeof *a);
    a->flags = SSH_FILEXFER_ATTR_SIZE | SSH_FILEXFER_ATTR_PERMISSIONS | SSH_FILEXFER_ATTR_UIDGID |
               SSH_FILEXFER_ATTR_ACMODTIME;
    a->size = dir ? 0 : (uint64_t)sb->st_size;
    a->uid = (uint32_t)getuid();
    a->gid = (uint32_t)getgid();
    a->permissions = dir ? (S_IFDIR | 0700) : (S_IFREG | 0600);
    a->atime = (uint32_t)sb->st_atime;
    a->mtime = (uint32_t)sb->st_mtime;
}

/* stat of a client path; SSH_FX_OK or the status to reply. */
static int stat_path(struct sftp_server *srv, const struct vpath *vp, struct stat *sb)
{
    int fd = vp->depth == 0 ? srv->area->dir : srv->area->box[vp->box];
    if (vp->depth < 2)
        return fstat(fd, sb) == 0 ? SSH_FX_OK : SSH_FX_FAILURE;
    if (fstatat(fd, vp->name, sb, AT_SYMLINK_NOFOLLOW) != 0)
        return status_of_errno(errno);
    /* A link or anything but a plain file, planted by someone else. */
    return S_ISREG(sb->st_mode) ? SSH_FX_OK : SSH_FX_PERMISSION_DENIED;
}

static void longname(const char *name, const struct stat *sb, bool dir, const char *owner,
                     char *buf, size_t n)
{
    char when[32];
    struct tm tm;
    localtime_r(&sb->st_mtime, &tm);
    strftime(when, sizeof when, "%b %e %H:%M", &tm);
    snprintf(buf, n, "%s    1 %-8s %-8s %12lld %s %s", dir ? "drwx------" : "-rw-------", owner,
             owner, dir ? 0LL : (long long)sb->st_size, when, name);
}

/* ---- handles: our own table; the client's handle is its index ---- */

static struct handle *new_handle(struct sftp_server *srv)
{
    for (int i = 0; i < MAX_HANDLES; i++) {
        if (srv->handles[i].used)
            continue;
        struct handle *h = &srv->handles[i];
        memset(h, 0, sizeof *h);
        h->used = true;
        h->fd = -1;
        return h;
    }
    return NULL;
}

static int reply_handle(struct sftp_server *srv, sftp_client_message msg, struct handle *h)
{
    uint32_t index = (uint32_t)(h - srv->handles);
    ssh_string s = ssh_string_new(sizeof index);
    if (!s)
        return -1;
    ssh_string_fill(s, &index, sizeof index);
    int rc = sftp_reply_handle(msg, s);
    ssh_string_free(s);
    return rc;
}

static struct handle *find_handle(struct sftp_server *srv, ssh_string s)
{
    uint32_t index;
    if (!s || ssh_string_len(s) != sizeof index)
        return NULL;
    memcpy(&index, ssh_string_data(s), sizeof index);
    if (index >= MAX_HANDLES || !srv->handles[index].used)
        return NULL;
    return &srv->handles[index];
}

/* Ends a handle; an upload is published only if every write succeeded. */
static int end_handle(struct sftp_server *srv, struct handle *h, bool complete)
{
    int status = SSH_FX_OK;
    if (h->fd >= 0) {
        if (h->writing && fsync(h->fd) != 0)
            h->failed = true;
        if (close(h->fd) != 0)
            h->failed = true;
    }
    if (h->writing) {
        if (!complete || h->failed) {
            io_area_discard(srv->area, h->box, h->temp);
            status = SSH_FX_FAILURE;
            sshd_log(LOG_DAEMON | LOG_NOTICE, "sftp: upload of inbox/%s discarded for %s from %s",
                     h->name, srv->who, srv->addr);
        } else if (io_area_publish(srv->area, h->box, h->temp, h->name) != 0) {
            io_area_discard(srv->area, h->box, h->temp);
            status = SSH_FX_FAILURE;
        } else {
            sshd_log(LOG_DAEMON | LOG_INFO, "sftp: %s from %s uploaded inbox/%s (%lld bytes)",
                     srv->who, srv->addr, h->name, h->size);
        }
    }
    free(h->files);
    memset(h, 0, sizeof *h);
    h->fd = -1;
    return status;
}

/* ---- requests ---- */

static void do_realpath(struct sftp_server *srv, sftp_client_message msg)
{
    struct vpath vp;
    const char *path = sftp_client_message_get_filename(msg);
    int st = parse_path(path, true, &vp);
    if (st != SSH_FX_OK) {
        reply_status(srv, msg, st, NULL);
        return;
    }
    char canon[IO_AREA_NAME_MAX + 16];
    canonical(&vp, canon, sizeof canon);
    sftp_reply_name(msg, canon, NULL);
}

static void do_stat(struct sftp_server *srv, sftp_client_message msg)
{
    struct vpath vp;
    struct stat sb;
    const char *path = sftp_client_message_get_filename(msg);
    int st = parse_path(path, false, &vp);
    if (st == SSH_FX_OK)
        st = stat_path(srv, &vp, &sb);
    if (st != SSH_FX_OK) {
        if (st != SSH_FX_NO_SUCH_FILE)
            refused(srv, "stat", path, st);
        reply_status(srv, msg, st, NULL);
        return;
    }
    struct sftp_attributes_struct a;
    fill_attr(&sb, vp.depth < 2, &a);
    sftp_reply_attr(msg, &a);
}

static void do_open(struct sftp_server *srv, sftp_client_message msg)
{
    struct vpath vp;
    const char *path = sftp_client_message_get_filename(msg);
    uint32_t flags = sftp_client_message_get_flags(msg);
    int st = parse_path(path, false, &vp);
    if (st == SSH_FX_OK && vp.depth < 2)
        st = SSH_FX_FAILURE; /* a directory */
    bool writing = flags & (SSH_FXF_WRITE | SSH_FXF_APPEND | SSH_FXF_CREAT | SSH_FXF_TRUNC);
    if (st == SSH_FX_OK && writing && vp.box != IO_AREA_INBOX)
        st = SSH_FX_PERMISSION_DENIED; /* outbox/ is the server's to write */
    /* An upload always replaces the file whole, truncated or not (scp
     * opens without SSH_FXF_TRUNC): no read-write, no append. */
    if (st == SSH_FX_OK && writing && (flags & (SSH_FXF_READ | SSH_FXF_APPEND)))
        st = SSH_FX_OP_UNSUPPORTED;
    struct stat sb;
    bool exists = false;
    if (st == SSH_FX_OK && writing) {
        int s2 = stat_path(srv, &vp, &sb);
        exists = s2 == SSH_FX_OK;
        if (s2 == SSH_FX_PERMISSION_DENIED)
            st = s2;
        else if (exists && (flags & SSH_FXF_EXCL))
            st = SSH_FX_FILE_ALREADY_EXISTS;
        else if (!exists && !(flags & SSH_FXF_CREAT))
            st = SSH_FX_NO_SUCH_FILE;
    }
    long long usage = 0;
    if (st == SSH_FX_OK && writing) {
        usage = io_area_usage(srv->area);
        if (usage >= srv->cfg->max_area_size) {
            sshd_log(LOG_DAEMON | LOG_NOTICE,
                     "sftp: refused upload of inbox/%s for %s from %s: area full (%lld bytes)",
                     vp.name, srv->who, srv->addr, usage);
            reply_status(srv, msg, SSH_FX_FAILURE,
                         "Your file area is full: remove files or wait until they expire");
            return;
        }
    }
    struct handle *h = NULL;
    if (st == SSH_FX_OK && !(h = new_handle(srv)))
        st = SSH_FX_FAILURE;
    if (st == SSH_FX_OK) {
        h->box = vp.box;
        h->writing = writing;
        h->base = usage;
        snprintf(h->name, sizeof h->name, "%s", vp.name);
        h->fd = writing ? io_area_create_temp(srv->area, vp.box, vp.name, h->temp, sizeof h->temp)
                        : io_area_open_read(srv->area, vp.box, vp.name);
        if (h->fd < 0) {
            st = status_of_errno(errno);
            h->writing = false;
            end_handle(srv, h, false);
        }
    }
    if (st != SSH_FX_OK) {
        if (st != SSH_FX_NO_SUCH_FILE)
            refused(srv, writing ? "upload" : "download", path, st);
        reply_status(srv, msg, st, NULL);
        return;
    }
    if (!writing)
        sshd_log(LOG_DAEMON | LOG_INFO, "sftp: %s from %s downloads %s/%s", srv->who, srv->addr,
                 io_area_box_name(vp.box), vp.name);
    reply_handle(srv, msg, h);
}

static void do_read(struct sftp_server *srv, sftp_client_message msg)
{
    struct handle *h = find_handle(srv, msg->handle);
    if (!h || h->is_dir || h->writing) {
        reply_status(srv, msg, SSH_FX_INVALID_HANDLE, NULL);
        return;
    }
    static char buf[MAX_READ];
    size_t want = msg->len < MAX_READ ? msg->len : MAX_READ;
    ssize_t n = pread(h->fd, buf, want, (off_t)msg->offset);
    if (n < 0)
        reply_status(srv, msg, SSH_FX_FAILURE, NULL);
    else if (n == 0)
        reply_status(srv, msg, SSH_FX_EOF, NULL);
    else
        sftp_reply_data(msg, buf, (int)n);
}

/* Refuses a write past a limit: the upload stays failed (its file is not
 * kept at close), the log says why, and so does the client's status. */
static void refuse_write(struct sftp_server *srv, sftp_client_message msg, struct handle *h,
                         const char *why)
{
    h->failed = true;
    sshd_log(LOG_DAEMON | LOG_NOTICE, "sftp: refused upload of inbox/%s for %s from %s: %s",
             h->name, srv->who, srv->addr, why);
    reply_status(srv, msg, SSH_FX_FAILURE, why);
}

static void do_write(struct sftp_server *srv, sftp_client_message msg)
{
    struct handle *h = find_handle(srv, msg->handle);
    if (!h || !h->writing) {
        reply_status(srv, msg, SSH_FX_INVALID_HANDLE, NULL);
        return;
    }
    if (h->failed) {
        reply_status(srv, msg, SSH_FX_FAILURE, "The upload has already failed");
        return;
    }
    size_t len = msg->data ? ssh_string_len(msg->data) : 0;
    unsigned long long end = msg->offset + len;
    char text[160];
    if (msg->offset > (unsigned long long)srv->cfg->max_file_size ||
        end > (unsigned long long)srv->cfg->max_file_size) {
        snprintf(text, sizeof text, "File too large: at most %lld bytes per file",
                 srv->cfg->max_file_size);
        refuse_write(srv, msg, h, text);
        return;
    }
    long long grown = (long long)end > h->size ? (long long)end : h->size;
    if (h->base + grown > srv->cfg->max_area_size) {
        snprintf(text, sizeof text, "Your file area is full: at most %lld bytes in all",
                 srv->cfg->max_area_size);
        refuse_write(srv, msg, h, text);
        return;
    }
    const char *p = ssh_string_data(msg->data);
    size_t done = 0;
    while (done < len) {
        ssize_t w = pwrite(h->fd, p + done, len - done, (off_t)(msg->offset + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            h->failed = true;
            reply_status(srv, msg, SSH_FX_FAILURE, NULL);
            return;
        }
        done += (size_t)w;
    }
    h->size = grown;
    reply_status(srv, msg, SSH_FX_OK, NULL);
}

static void do_fstat(struct sftp_server *srv, sftp_client_message msg)
{
    struct handle *h = find_handle(srv, msg->handle);
    struct stat sb;
    if (!h || h->fd < 0 || fstat(h->fd, &sb) != 0) {
        reply_status(srv, msg, SSH_FX_INVALID_HANDLE, NULL);
        return;
    }
    struct sftp_attributes_struct a;
    fill_attr(&sb, h->is_dir, &a);
    sftp_reply_attr(msg, &a);
}

static void do_close(struct sftp_server *srv, sftp_client_message msg)
{
    struct handle *h = find_handle(srv, msg->handle);
    if (!h) {
        reply_status(srv, msg, SSH_FX_INVALID_HANDLE, NULL);
        return;
    }
    reply_status(srv, msg, end_handle(srv, h, true), NULL);
}

static void do_opendir(struct sftp_server *srv, sftp_client_message msg)
{
    struct vpath vp;
    const char *path = sftp_client_message_get_filename(msg);
    int st = parse_path(path, false, &vp);
    if (st == SSH_FX_OK && vp.depth == 2)
        st = SSH_FX_FAILURE; /* not a directory */
    struct handle *h = NULL;
    if (st == SSH_FX_OK && !(h = new_handle(srv)))
        st = SSH_FX_FAILURE;
    if (st == SSH_FX_OK) {
        h->is_dir = true;
        h->depth = vp.depth;
        h->box = vp.box;
        h->fd = dup(vp.depth == 0 ? srv->area->dir : srv->area->box[vp.box]);
        if (h->fd < 0 ||
            (vp.depth == 1 && io_area_list(srv->area, vp.box, &h->files, &h->count) != 0)) {
            end_handle(srv, h, false);
            st = SSH_FX_FAILURE;
        }
    }
    if (st != SSH_FX_OK) {
        if (st != SSH_FX_NO_SUCH_FILE)
            refused(srv, "opendir", path, st);
        reply_status(srv, msg, st, NULL);
        return;
    }
    reply_handle(srv, msg, h);
}

static void add_name(sftp_client_message msg, const char *name, const struct stat *sb, bool dir,
                     const char *owner)
{
    struct sftp_attributes_struct a;
    char ln[IO_AREA_NAME_MAX + 96];
    fill_attr(sb, dir, &a);
    longname(name, sb, dir, owner, ln, sizeof ln);
    sftp_reply_names_add(msg, name, ln, &a);
}

static void do_readdir(struct sftp_server *srv, sftp_client_message msg)
{
    struct handle *h = find_handle(srv, msg->handle);
    if (!h || !h->is_dir) {
        reply_status(srv, msg, SSH_FX_INVALID_HANDLE, NULL);
        return;
    }
    char owner[16];
    snprintf(owner, sizeof owner, "%.8s", srv->who);
    owner[strcspn(owner, "@")] = '\0';
    struct stat sb;
    int added = 0;
    if (!h->dots_sent && fstat(h->fd, &sb) == 0) {
        add_name(msg, ".", &sb, true, owner);
        add_name(msg, "..", &sb, true, owner);
        added += 2;
        if (h->depth == 0)
            for (int b = 0; b < IO_AREA_BOXES; b++)
                if (fstat(srv->area->box[b], &sb) == 0 && ++added)
                    add_name(msg, io_area_box_name((enum io_area_box)b), &sb, true, owner);
    }
    h->dots_sent = true;
    for (; h->next < h->count && added < READDIR_BATCH; h->next++, added++) {
        const struct io_area_file *f = &h->files[h->next];
        memset(&sb, 0, sizeof sb);
        sb.st_size = (off_t)f->size;
        sb.st_mtime = sb.st_atime = f->mtime;
        add_name(msg, f->name, &sb, false, owner);
    }
    if (!added) {
        reply_status(srv, msg, SSH_FX_EOF, NULL);
        return;
    }
    sftp_reply_names(msg);
}

static void do_remove(struct sftp_server *srv, sftp_client_message msg)
{
    struct vpath vp;
    struct stat sb;
    const char *path = sftp_client_message_get_filename(msg);
    int st = parse_path(path, false, &vp);
    if (st == SSH_FX_OK && vp.depth < 2)
        st = SSH_FX_PERMISSION_DENIED;
    if (st == SSH_FX_OK)
        st = stat_path(srv, &vp, &sb);
    if (st == SSH_FX_OK && unlinkat(srv->area->box[vp.box], vp.name, 0) != 0)
        st = status_of_errno(errno);
    if (st != SSH_FX_OK && st != SSH_FX_NO_SUCH_FILE)
        refused(srv, "remove", path, st);
    else if (st == SSH_FX_OK)
        sshd_log(LOG_DAEMON | LOG_INFO, "sftp: %s from %s removed %s/%s", srv->who, srv->addr,
                 io_area_box_name(vp.box), vp.name);
    reply_status(srv, msg, st, NULL);
}

/* Within inbox/ only: outbox/ is the server's. */
static void do_rename(struct sftp_server *srv, sftp_client_message msg, bool overwrite)
{
    struct vpath from, to;
    struct stat sb;
    const char *path = sftp_client_message_get_filename(msg);
    const char *target = sftp_client_message_get_data(msg);
    int st = parse_path(path, false, &from);
    if (st == SSH_FX_OK)
        st = parse_path(target, false, &to);
    if (st == SSH_FX_OK &&
        (from.depth < 2 || to.depth < 2 || from.box != IO_AREA_INBOX || to.box != IO_AREA_INBOX))
        st = SSH_FX_PERMISSION_DENIED;
    if (st == SSH_FX_OK)
        st = stat_path(srv, &from, &sb);
    if (st == SSH_FX_OK) {
        int fd = srv->area->box[IO_AREA_INBOX];
        int rc = renameat2(fd, from.name, fd, to.name, overwrite ? 0 : RENAME_NOREPLACE);
        if (rc != 0)
            st = status_of_errno(errno);
    }
    if (st != SSH_FX_OK && st != SSH_FX_NO_SUCH_FILE)
        refused(srv, "rename", path, st);
    reply_status(srv, msg, st, NULL);
}

/* SETSTAT / FSETSTAT: modes and times are the server's (a file's age
 * decides when it expires), so they are accepted and left as they are. */
static void do_setstat(struct sftp_server *srv, sftp_client_message msg, bool by_handle)
{
    int st = SSH_FX_OK;
    if (by_handle) {
        if (!find_handle(srv, msg->handle))
            st = SSH_FX_INVALID_HANDLE;
    } else {
        struct vpath vp;
        struct stat sb;
        st = parse_path(sftp_client_message_get_filename(msg), false, &vp);
        if (st == SSH_FX_OK)
            st = stat_path(srv, &vp, &sb);
    }
    reply_status(srv, msg, st, NULL);
}

static void dispatch(struct sftp_server *srv, sftp_client_message msg)
{
    switch (sftp_client_message_get_type(msg)) {
    case SSH_FXP_REALPATH:
        do_realpath(srv, msg);
        break;
    case SSH_FXP_STAT:
    case SSH_FXP_LSTAT:
        do_stat(srv, msg);
        break;
    case SSH_FXP_FSTAT:
        do_fstat(srv, msg);
        break;
    case SSH_FXP_OPEN:
        do_open(srv, msg);
        break;
    case SSH_FXP_READ:
        do_read(srv, msg);
        break;
    case SSH_FXP_WRITE:
        do_write(srv, msg);
        break;
    case SSH_FXP_CLOSE:
        do_close(srv, msg);
        break;
    case SSH_FXP_OPENDIR:
        do_opendir(srv, msg);
        break;
    case SSH_FXP_READDIR:
        do_readdir(srv, msg);
        break;
    case SSH_FXP_REMOVE:
        do_remove(srv, msg);
        break;
    case SSH_FXP_RENAME:
        do_rename(srv, msg, false);
        break;
    case SSH_FXP_SETSTAT:
        do_setstat(srv, msg, false);
        break;
    case SSH_FXP_FSETSTAT:
        do_setstat(srv, msg, true);
        break;
    case SSH_FXP_EXTENDED:
        if (!strcmp(sftp_client_message_get_submessage(msg), "posix-rename@openssh.com")) {
            do_rename(srv, msg, true);
            break;
        }
        refused(srv, "extension", sftp_client_message_get_submessage(msg), SSH_FX_OP_UNSUPPORTED);
        reply_status(srv, msg, SSH_FX_OP_UNSUPPORTED, NULL);
        break;
    case SSH_FXP_MKDIR:
    case SSH_FXP_RMDIR:
    case SSH_FXP_SYMLINK:
        /* The area's shape is fixed, and holds no links. */
        refused(srv, "directory or link change", sftp_client_message_get_filename(msg),
                SSH_FX_PERMISSION_DENIED);
        reply_status(srv, msg, SSH_FX_PERMISSION_DENIED, NULL);
        break;
    default:
        reply_status(srv, msg, SSH_FX_OP_UNSUPPORTED, NULL);
        break;
    }
}

int sshd_sftp_run(ssh_session ssh, ssh_channel channel, const struct io_area *area,
                  const struct sshd_config *cfg, const char *who, const char *addr)
{
    struct sftp_server srv = {.area = area, .cfg = cfg, .who = who, .addr = addr};
    srv.sftp = sftp_server_new(ssh, channel);
    if (!srv.sftp || sftp_server_init(srv.sftp) != 0) {
        sshd_log(LOG_DAEMON | LOG_ERR, "sftp: cannot start for %s from %s: %s", who, addr,
                 ssh_get_error(ssh));
        if (srv.sftp)
            sftp_server_free(srv.sftp);
        return 1;
    }
    time_t last = time(NULL);
    for (;;) {
        /* Wait for a request, so that an idle session ends as the console's does. */
        int avail = ssh_channel_poll_timeout(channel, 1000, 0);
        if (avail == SSH_EOF || avail == SSH_ERROR || !ssh_is_connected(ssh))
            break;
        if (avail == 0) {
            if (cfg->idle_timeout > 0 && time(NULL) - last >= cfg->idle_timeout) {
                sshd_log(LOG_DAEMON | LOG_INFO, "sftp: idle timeout for %s from %s", who, addr);
                break;
            }
            continue;
        }
        sftp_client_message msg = sftp_get_client_message(srv.sftp);
        if (!msg)
            break;
        last = time(NULL);
        dispatch(&srv, msg);
        sftp_client_message_free(msg);
    }
    /* Uploads never closed are incomplete: they never appear. */
    for (int i = 0; i < MAX_HANDLES; i++)
        if (srv.handles[i].used)
            end_handle(&srv, &srv.handles[i], false);
    sftp_server_free(srv.sftp);
    return 0;
}
