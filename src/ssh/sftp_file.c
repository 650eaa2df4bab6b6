/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SFTP requests on files: stat, open (download, or upload to inbox/ under
 * a temporary name), read, write within the size limits, close (publish),
 * remove, rename within inbox/, setstat. */
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

/* ---- requests ---- */

void srv_do_realpath(struct sftp_server *srv, sftp_client_message msg)
{
    struct vpath vp;
    const char *path = sftp_client_message_get_filename(msg);
    int st = sftp_path_parse(path, true, &vp);
    if (st != SSH_FX_OK) {
        srv_reply_status(srv, msg, st, NULL);
        return;
    }
    char canon[IO_AREA_NAME_MAX + 16];
    sftp_path_canonical(&vp, canon, sizeof canon);
    sftp_reply_name(msg, canon, NULL);
}

void srv_do_stat(struct sftp_server *srv, sftp_client_message msg)
{
    struct vpath vp;
    struct stat sb;
    const char *path = sftp_client_message_get_filename(msg);
    int st = sftp_path_parse(path, false, &vp);
    if (st == SSH_FX_OK)
        st = srv_stat_path(srv, &vp, &sb);
    if (st != SSH_FX_OK) {
        if (st != SSH_FX_NO_SUCH_FILE)
            srv_refused(srv, "stat", path, st);
        srv_reply_status(srv, msg, st, NULL);
        return;
    }
    struct sftp_attributes_struct a;
    srv_fill_attr(&sb, vp.depth < 2, &a);
    sftp_reply_attr(msg, &a);
}

void srv_do_open(struct sftp_server *srv, sftp_client_message msg)
{
    struct vpath vp;
    const char *path = sftp_client_message_get_filename(msg);
    uint32_t flags = sftp_client_message_get_flags(msg);
    int st = sftp_path_parse(path, false, &vp);
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
        int s2 = srv_stat_path(srv, &vp, &sb);
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
        io_area_lock(srv->area);
        usage = io_area_usage(srv->area);
        io_area_unlock(srv->area);
        if (usage >= srv->cfg->max_area_size) {
            sshd_log(LOG_DAEMON | LOG_NOTICE,
                     "sftp: refused upload of inbox/%s for %s from %s: area full (%lld bytes)",
                     vp.name, srv->who, srv->addr, usage);
            srv_reply_status(srv, msg, SSH_FX_FAILURE,
                             "Your file area is full: remove files or wait until they expire");
            return;
        }
    }
    struct handle *h = NULL;
    if (st == SSH_FX_OK && !(h = srv_new_handle(srv)))
        st = SSH_FX_FAILURE;
    if (st == SSH_FX_OK) {
        h->box = vp.box;
        h->writing = writing;
        snprintf(h->name, sizeof h->name, "%s", vp.name);
        h->fd = writing ? io_area_create_temp(srv->area, vp.box, vp.name, h->temp, sizeof h->temp)
                        : io_area_open_read(srv->area, vp.box, vp.name);
        if (h->fd < 0) {
            st = srv_status_of_errno(errno);
            h->writing = false;
            srv_end_handle(srv, h, false);
        }
    }
    if (st != SSH_FX_OK) {
        if (st != SSH_FX_NO_SUCH_FILE)
            srv_refused(srv, writing ? "upload" : "download", path, st);
        srv_reply_status(srv, msg, st, NULL);
        return;
    }
    if (!writing)
        sshd_log(LOG_DAEMON | LOG_INFO, "sftp: %s from %s downloads %s/%s", srv->who, srv->addr,
                 io_area_box_name(vp.box), vp.name);
    srv_reply_handle(srv, msg, h);
}

void srv_do_read(struct sftp_server *srv, sftp_client_message msg)
{
    struct handle *h = srv_find_handle(srv, msg->handle);
    if (!h || h->is_dir || h->writing) {
        srv_reply_status(srv, msg, SSH_FX_INVALID_HANDLE, NULL);
        return;
    }
    static char buf[MAX_READ];
    size_t want = msg->len < MAX_READ ? msg->len : MAX_READ;
    ssize_t n = pread(h->fd, buf, want, (off_t)msg->offset);
    if (n < 0)
        srv_reply_status(srv, msg, SSH_FX_FAILURE, NULL);
    else if (n == 0)
        srv_reply_status(srv, msg, SSH_FX_EOF, NULL);
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
    srv_reply_status(srv, msg, SSH_FX_FAILURE, why);
}

void srv_do_write(struct sftp_server *srv, sftp_client_message msg)
{
    struct handle *h = srv_find_handle(srv, msg->handle);
    if (!h || !h->writing) {
        srv_reply_status(srv, msg, SSH_FX_INVALID_HANDLE, NULL);
        return;
    }
    if (h->failed) {
        srv_reply_status(srv, msg, SSH_FX_FAILURE, "The upload has already failed");
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
    /* The quota is reserved as bytes are written: under the area's lock,
     * what every upload of this administrator (every handle, every
     * parallel login) holds on disk now, plus what this write adds. */
    io_area_lock(srv->area);
    long long usage = io_area_usage(srv->area);
    if (usage + (grown - h->size) > srv->cfg->max_area_size) {
        io_area_unlock(srv->area);
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
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    io_area_unlock(srv->area);
    if (done < len) {
        h->failed = true;
        srv_reply_status(srv, msg, SSH_FX_FAILURE, NULL);
        return;
    }
    h->size = grown;
    srv_reply_status(srv, msg, SSH_FX_OK, NULL);
}

void srv_do_fstat(struct sftp_server *srv, sftp_client_message msg)
{
    struct handle *h = srv_find_handle(srv, msg->handle);
    struct stat sb;
    if (!h || h->fd < 0 || fstat(h->fd, &sb) != 0) {
        srv_reply_status(srv, msg, SSH_FX_INVALID_HANDLE, NULL);
        return;
    }
    struct sftp_attributes_struct a;
    srv_fill_attr(&sb, h->is_dir, &a);
    sftp_reply_attr(msg, &a);
}

void srv_do_close(struct sftp_server *srv, sftp_client_message msg)
{
    struct handle *h = srv_find_handle(srv, msg->handle);
    if (!h) {
        srv_reply_status(srv, msg, SSH_FX_INVALID_HANDLE, NULL);
        return;
    }
    srv_reply_status(srv, msg, srv_end_handle(srv, h, true), NULL);
}

void srv_do_remove(struct sftp_server *srv, sftp_client_message msg)
{
    struct vpath vp;
    struct stat sb;
    const char *path = sftp_client_message_get_filename(msg);
    int st = sftp_path_parse(path, false, &vp);
    if (st == SSH_FX_OK && vp.depth < 2)
        st = SSH_FX_PERMISSION_DENIED;
    if (st == SSH_FX_OK)
        st = srv_stat_path(srv, &vp, &sb);
    if (st == SSH_FX_OK && unlinkat(srv->area->box[vp.box], vp.name, 0) != 0)
        st = srv_status_of_errno(errno);
    if (st != SSH_FX_OK && st != SSH_FX_NO_SUCH_FILE)
        srv_refused(srv, "remove", path, st);
    else if (st == SSH_FX_OK)
        sshd_log(LOG_DAEMON | LOG_INFO, "sftp: %s from %s removed %s/%s", srv->who, srv->addr,
                 io_area_box_name(vp.box), vp.name);
    srv_reply_status(srv, msg, st, NULL);
}

/* Within inbox/ only: outbox/ is the server's. */
void srv_do_rename(struct sftp_server *srv, sftp_client_message msg, bool overwrite)
{
    struct vpath from, to;
    struct stat sb;
    const char *path = sftp_client_message_get_filename(msg);
    const char *target = sftp_client_message_get_data(msg);
    int st = sftp_path_parse(path, false, &from);
    if (st == SSH_FX_OK)
        st = sftp_path_parse(target, false, &to);
    if (st == SSH_FX_OK &&
        (from.depth < 2 || to.depth < 2 || from.box != IO_AREA_INBOX || to.box != IO_AREA_INBOX))
        st = SSH_FX_PERMISSION_DENIED;
    if (st == SSH_FX_OK)
        st = srv_stat_path(srv, &from, &sb);
    if (st == SSH_FX_OK) {
        int fd = srv->area->box[IO_AREA_INBOX];
        int rc = renameat2(fd, from.name, fd, to.name, overwrite ? 0 : RENAME_NOREPLACE);
        if (rc != 0)
            st = srv_status_of_errno(errno);
    }
    if (st != SSH_FX_OK && st != SSH_FX_NO_SUCH_FILE)
        srv_refused(srv, "rename", path, st);
    srv_reply_status(srv, msg, st, NULL);
}

/* SETSTAT / FSETSTAT: modes and times are the server's (a file's age
 * decides when it expires), so they are accepted and left as they are. */
void srv_do_setstat(struct sftp_server *srv, sftp_client_message msg, bool by_handle)
{
    int st = SSH_FX_OK;
    if (by_handle) {
        if (!srv_find_handle(srv, msg->handle))
            st = SSH_FX_INVALID_HANDLE;
    } else {
        struct vpath vp;
        struct stat sb;
        st = sftp_path_parse(sftp_client_message_get_filename(msg), false, &vp);
        if (st == SSH_FX_OK)
            st = srv_stat_path(srv, &vp, &sb);
    }
    srv_reply_status(srv, msg, st, NULL);
}
