/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SFTP subsystem: the request loop with its idle timeout, dispatch,
 * the handle table (the client's handle is an index into it) and the
 * status replies.  Requests on files are in sftp_file.c, listings in
 * sftp_dir.c, paths in sftp_path.c.  Uploads go to inbox/ under a
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

#include "ssh/log.h"
#include "ssh/sftp_server.h"

int srv_status_of_errno(int err)
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

const char *srv_status_text(int status)
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

void srv_reply_status(struct sftp_server *srv, sftp_client_message msg, int status,
                      const char *text)
{
    (void)srv;
    sftp_reply_status(msg, (uint32_t)status, text ? text : srv_status_text(status));
}

/* Logs what a client was refused, with the path it asked for. */
void srv_refused(struct sftp_server *srv, const char *what, const char *path, int status)
{
    /* The path is the client's: no control character goes into the log. */
    char shown[256];
    size_t k = 0;
    for (const char *p = path ? path : ""; *p && k + 1 < sizeof shown; p++, k++)
        shown[k] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
    shown[k] = '\0';
    sshd_log(LOG_AUTH | LOG_NOTICE, "sftp: refused %s \"%s\" for %s from %s: %s", what, shown,
             srv->who, srv->addr, srv_status_text(status));
}

void srv_fill_attr(const struct stat *sb, bool dir, struct sftp_attributes_struct *a)
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
int srv_stat_path(struct sftp_server *srv, const struct vpath *vp, struct stat *sb)
{
    int fd = vp->depth == 0 ? srv->area->dir : srv->area->box[vp->box];
    if (vp->depth < 2)
        return fstat(fd, sb) == 0 ? SSH_FX_OK : SSH_FX_FAILURE;
    if (fstatat(fd, vp->name, sb, AT_SYMLINK_NOFOLLOW) != 0)
        return srv_status_of_errno(errno);
    /* A link or anything but a plain file, planted by someone else. */
    return S_ISREG(sb->st_mode) ? SSH_FX_OK : SSH_FX_PERMISSION_DENIED;
}

/* ---- handles: our own table; the client's handle is its index ---- */

struct handle *srv_new_handle(struct sftp_server *srv)
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

int srv_reply_handle(struct sftp_server *srv, sftp_client_message msg, struct handle *h)
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

struct handle *srv_find_handle(struct sftp_server *srv, ssh_string s)
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
int srv_end_handle(struct sftp_server *srv, struct handle *h, bool complete)
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

/* Reads the SFTP string at *at of the raw request: its length, or -1. */
static long raw_string(const unsigned char *p, size_t n, size_t *at)
{
    if (*at + 4 > n)
        return -1;
    uint32_t len = (uint32_t)p[*at] << 24 | (uint32_t)p[*at + 1] << 16 | (uint32_t)p[*at + 2] << 8 |
                   p[*at + 3];
    if (len > n - *at - 4)
        return -1;
    *at += 4 + len;
    return (long)len;
}

/* libssh hands the names of a request over as C strings, so "inbox/a\0b"
 * would be taken as "inbox/a": the raw request is read here, and a name
 * whose bytes hold a NUL (its length is not its string's) is refused. */
static bool raw_names_ok(sftp_client_message msg)
{
    int names;
    switch (sftp_client_message_get_type(msg)) {
    case SSH_FXP_OPEN:
    case SSH_FXP_STAT:
    case SSH_FXP_LSTAT:
    case SSH_FXP_OPENDIR:
    case SSH_FXP_REMOVE:
    case SSH_FXP_REALPATH:
    case SSH_FXP_MKDIR:
    case SSH_FXP_RMDIR:
    case SSH_FXP_SETSTAT:
        names = 1;
        break;
    case SSH_FXP_RENAME:
    case SSH_FXP_SYMLINK:
        names = 2;
        break;
    default:
        return true;
    }
    if (!msg->complete_message)
        return false;
    const unsigned char *p = ssh_buffer_get(msg->complete_message);
    size_t n = ssh_buffer_get_len(msg->complete_message), at = 4; /* after the id */
    const char *given[2] = {sftp_client_message_get_filename(msg),
                            sftp_client_message_get_data(msg)};
    for (int i = 0; i < names; i++) {
        long len = raw_string(p, n, &at);
        if (len < 0 || !given[i] || strlen(given[i]) != (size_t)len)
            return false;
    }
    return true;
}

static void dispatch(struct sftp_server *srv, sftp_client_message msg)
{
    if (!raw_names_ok(msg)) {
        srv_refused(srv, "name with a NUL byte", sftp_client_message_get_filename(msg),
                    SSH_FX_FAILURE);
        srv_reply_status(srv, msg, SSH_FX_FAILURE, "Names may not hold a NUL byte");
        return;
    }
    switch (sftp_client_message_get_type(msg)) {
    case SSH_FXP_REALPATH:
        srv_do_realpath(srv, msg);
        break;
    case SSH_FXP_STAT:
    case SSH_FXP_LSTAT:
        srv_do_stat(srv, msg);
        break;
    case SSH_FXP_FSTAT:
        srv_do_fstat(srv, msg);
        break;
    case SSH_FXP_OPEN:
        srv_do_open(srv, msg);
        break;
    case SSH_FXP_READ:
        srv_do_read(srv, msg);
        break;
    case SSH_FXP_WRITE:
        srv_do_write(srv, msg);
        break;
    case SSH_FXP_CLOSE:
        srv_do_close(srv, msg);
        break;
    case SSH_FXP_OPENDIR:
        srv_do_opendir(srv, msg);
        break;
    case SSH_FXP_READDIR:
        srv_do_readdir(srv, msg);
        break;
    case SSH_FXP_REMOVE:
        srv_do_remove(srv, msg);
        break;
    case SSH_FXP_RENAME:
        srv_do_rename(srv, msg, false);
        break;
    case SSH_FXP_SETSTAT:
        srv_do_setstat(srv, msg, false);
        break;
    case SSH_FXP_FSETSTAT:
        srv_do_setstat(srv, msg, true);
        break;
    case SSH_FXP_EXTENDED:
        if (!strcmp(sftp_client_message_get_submessage(msg), "posix-rename@openssh.com")) {
            srv_do_rename(srv, msg, true);
            break;
        }
        srv_refused(srv, "extension", sftp_client_message_get_submessage(msg),
                    SSH_FX_OP_UNSUPPORTED);
        srv_reply_status(srv, msg, SSH_FX_OP_UNSUPPORTED, NULL);
        break;
    case SSH_FXP_MKDIR:
    case SSH_FXP_RMDIR:
    case SSH_FXP_SYMLINK:
        /* The area's shape is fixed, and holds no links. */
        srv_refused(srv, "directory or link change", sftp_client_message_get_filename(msg),
                    SSH_FX_PERMISSION_DENIED);
        srv_reply_status(srv, msg, SSH_FX_PERMISSION_DENIED, NULL);
        break;
    default:
        srv_reply_status(srv, msg, SSH_FX_OP_UNSUPPORTED, NULL);
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
            srv_end_handle(&srv, &srv.handles[i], false);
    sftp_server_free(srv.sftp);
    return 0;
}
