/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kascond's entry points between its parts: the listener (kascond.c)
 * keeps the database up (upkeep.c) and hands a connection to its session
 * (session.c), which may hand its channel to the SFTP server (sftp.c) or
 * the scp one (scp.c). */
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

/* upkeep.c: opens the database (migrating it) and releases the edit locks
 * of sessions that are gone; with `registrar`, changes are queued for the
 * SIP registrar from now on.  -1, said on standard error, when it cannot. */
int sshd_prepare_database(const char *prog, const char *path, bool registrar);
/* In a child of their own, which the caller reaps: the daily retention
 * and file-area cleanup; the registrar's outbox applied. */
void sshd_daily_cleanup(const char *path, const char *files_root);
void sshd_registrar_worker(const struct sshd_config *cfg);

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
