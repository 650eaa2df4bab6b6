/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the SFTP request handlers share: the handle table (the client's
 * handle is an index into it, and ending an upload's handle publishes it),
 * file attributes, and the status replies and refusals, logged.  Called
 * by sftp.c, sftp_file.c and sftp_dir.c; calls none of them. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
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
