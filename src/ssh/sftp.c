/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SFTP subsystem: the request loop with its idle timeout and the
 * dispatch of each request.  Requests on files are in sftp_file.c,
 * listings in sftp_dir.c, the handle table and the replies they share in
 * sftp_handle.c, paths in sftp_path.c.  Uploads go to inbox/ under a
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
