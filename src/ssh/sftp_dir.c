/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SFTP directory listings: "/" lists the two boxes, a box its files. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ssh/sftp_server.h"

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

void srv_do_opendir(struct sftp_server *srv, sftp_client_message msg)
{
    struct vpath vp;
    const char *path = sftp_client_message_get_filename(msg);
    int st = sftp_path_parse(path, false, &vp);
    if (st == SSH_FX_OK && vp.depth == 2)
        st = SSH_FX_FAILURE; /* not a directory */
    struct handle *h = NULL;
    if (st == SSH_FX_OK && !(h = srv_new_handle(srv)))
        st = SSH_FX_FAILURE;
    if (st == SSH_FX_OK) {
        h->is_dir = true;
        h->depth = vp.depth;
        h->box = vp.box;
        h->fd = dup(vp.depth == 0 ? srv->area->dir : srv->area->box[vp.box]);
        if (h->fd < 0 ||
            (vp.depth == 1 && io_area_list(srv->area, vp.box, &h->files, &h->count) != 0)) {
            srv_end_handle(srv, h, false);
            st = SSH_FX_FAILURE;
        }
    }
    if (st != SSH_FX_OK) {
        if (st != SSH_FX_NO_SUCH_FILE)
            srv_refused(srv, "opendir", path, st);
        srv_reply_status(srv, msg, st, NULL);
        return;
    }
    srv_reply_handle(srv, msg, h);
}

static void add_name(sftp_client_message msg, const char *name, const struct stat *sb, bool dir,
                     const char *owner)
{
    struct sftp_attributes_struct a;
    char ln[IO_AREA_NAME_MAX + 96];
    srv_fill_attr(sb, dir, &a);
    longname(name, sb, dir, owner, ln, sizeof ln);
    sftp_reply_names_add(msg, name, ln, &a);
}

void srv_do_readdir(struct sftp_server *srv, sftp_client_message msg)
{
    struct handle *h = srv_find_handle(srv, msg->handle);
    if (!h || !h->is_dir) {
        srv_reply_status(srv, msg, SSH_FX_INVALID_HANDLE, NULL);
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
        srv_reply_status(srv, msg, SSH_FX_EOF, NULL);
        return;
    }
    sftp_reply_names(msg);
}
