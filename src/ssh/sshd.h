/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kascond: the SSH front end.  kascond.c is the listener (configuration,
 * host key, accept, per-connection fork, caps); session.c is what one
 * connection's child process does (key exchange, authentication, one
 * session channel, the console on a pty). */
#ifndef KASCON_SSH_SSHD_H
#define KASCON_SSH_SSHD_H

#include <libssh/libssh.h>
#include <libssh/server.h>
#include <stdbool.h>

struct sshd_config {
    char listen_addr[256];
    int port;
    char db_path[4096];
    char host_key[4096];
    bool foreground;
    int login_grace_time;      /* seconds from connect to authenticated */
    int idle_timeout;          /* seconds, passed to the console */
    int max_connections;       /* all connections at once */
    int max_unauth_per_source; /* unauthenticated connections per address */
    int max_auth_tries;        /* failed attempts before disconnecting */
    /* The administrators' file areas (SFTP, scp, the console's CSV files):
     * ROOT/SITE-ID/ADMIN/{inbox,outbox}; next to the database by default. */
    char files_root[4096];
    long long max_file_size; /* bytes per uploaded file */
    long long max_area_size; /* bytes in one administrator's area */
    /* Host and port the console names in the scp command it shows. */
    char public_host[256];
    int public_port; /* 0: the port kascond listens on */
};

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

/* Logs to syslog (and stderr with --foreground).  Authentication messages
 * use the auth facility and sshd's wording, in English, for log filters. */
__attribute__((format(printf, 2, 3))) void sshd_log(int priority, const char *fmt, ...);

#endif
