/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SFTP server's parts: sftp.c (the request loop and dispatch),
 * sftp_file.c (requests on files), sftp_dir.c (directory listings),
 * sftp_handle.c (the handle table and the replies they share) and
 * sftp_path.c (client paths taken apart). */
#ifndef KASCON_SSH_SFTP_SERVER_H
#define KASCON_SSH_SFTP_SERVER_H

#include <stdbool.h>
#include <sys/stat.h>

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
    long long size;             /* bytes written (the file's size) */
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

/* sftp_path.c: splits a path into components.  ".." is refused
 * (SSH_FX_PERMISSION_DENIED), or, for REALPATH (`clamp`), taken lexically
 * and never above "/".  Returns SSH_FX_OK or the status to reply. */
int sftp_path_parse(const char *path, bool clamp, struct vpath *vp);
/* The path of `vp` as the client sees it: "/", "/inbox", "/inbox/a.csv". */
void sftp_path_canonical(const struct vpath *vp, char *buf, size_t n);

/* sftp_handle.c */
int srv_status_of_errno(int err);
const char *srv_status_text(int status);
void srv_reply_status(struct sftp_server *srv, sftp_client_message msg, int status,
                      const char *text);
/* Logs what a client was refused, with the path it asked for. */
void srv_refused(struct sftp_server *srv, const char *what, const char *path, int status);
void srv_fill_attr(const struct stat *sb, bool dir, struct sftp_attributes_struct *a);
/* stat of a client path; SSH_FX_OK or the status to reply. */
int srv_stat_path(struct sftp_server *srv, const struct vpath *vp, struct stat *sb);
struct handle *srv_new_handle(struct sftp_server *srv);
int srv_reply_handle(struct sftp_server *srv, sftp_client_message msg, struct handle *h);
struct handle *srv_find_handle(struct sftp_server *srv, ssh_string s);
/* Ends a handle; an upload is published only if every write succeeded. */
int srv_end_handle(struct sftp_server *srv, struct handle *h, bool complete);

/* sftp_file.c */
void srv_do_realpath(struct sftp_server *srv, sftp_client_message msg);
void srv_do_stat(struct sftp_server *srv, sftp_client_message msg);
void srv_do_open(struct sftp_server *srv, sftp_client_message msg);
void srv_do_read(struct sftp_server *srv, sftp_client_message msg);
void srv_do_write(struct sftp_server *srv, sftp_client_message msg);
void srv_do_fstat(struct sftp_server *srv, sftp_client_message msg);
void srv_do_close(struct sftp_server *srv, sftp_client_message msg);
void srv_do_remove(struct sftp_server *srv, sftp_client_message msg);
void srv_do_rename(struct sftp_server *srv, sftp_client_message msg, bool overwrite);
void srv_do_setstat(struct sftp_server *srv, sftp_client_message msg, bool by_handle);

/* sftp_dir.c */
void srv_do_opendir(struct sftp_server *srv, sftp_client_message msg);
void srv_do_readdir(struct sftp_server *srv, sftp_client_message msg);

#endif
