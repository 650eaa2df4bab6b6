/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kascond's entry points between its parts: the listener (kascond.c)
 * hands a connection to its session (session.c), which may hand its
 * channel to the SFTP server (sftp.c) or the scp one (scp.c). */
#ifndef KASCON_SSH_SSHD_H
#define KASCON_SSH_SSHD_H

#include <libssh/libssh.h>
#include <libssh/server.h>
#include <stdbool.h>

#include "ssh/options.h"

/* The connection a session child serves. */
struct sshd_peer {
    int fd;
    char addr[64];
    int port;
    int notify_fd; /* written once when authenticated, for the parent's caps */
};

/* Runs one connection to its end; returns the child's exit status. */
int sshd_session_run(ssh_bind bind, const struct sshd_peer *peer, const struct sshd_config *cfg);

struct io_area;
/* Serves the SFTP subsystem on `channel` for one administrator (`who` and
 * `addr` for the log) until the client ends it. */
int sshd_sftp_run(ssh_session ssh, ssh_channel channel, const struct io_area *area,
                  const struct sshd_config *cfg, const char *who, const char *addr);

/* Whether an exec command is the server's side of legacy scp ("scp -t",
 * "scp -f": scp -O, pscp -scp, Tera Term). */
bool sshd_scp_command(const char *command);
/* Serves that command on `channel` in the administrator's area; with
 * `refusal`, only says that to the client.  Returns the exit status. */
int sshd_scp_run(ssh_session ssh, ssh_channel channel, const struct io_area *area,
                 const struct sshd_config *cfg, const char *command, const char *refusal,
                 const char *who, const char *addr);

#endif
