/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kascond's settings: the configuration file, the command line that
 * overrides it, and --help. */
#ifndef KASCON_SSH_OPTIONS_H
#define KASCON_SSH_OPTIONS_H

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
    long long max_file_size;   /* bytes per uploaded file */
    long long max_area_size;   /* bytes in one administrator's area */
    long long max_import_size; /* bytes of a command's standard input (ext import) */
    /* Host and port the console names in the scp command it shows. */
    char public_host[256];
    int public_port; /* 0: the port kascond listens on */
    /* The service user: started as root, kascond binds and then becomes
     * it for good, before it accepts a connection or opens the database;
     * SSHD_SERVICE_USER when none is named. */
    char user[64];
    /* Algorithms offered, comma-separated lists as in sshd_config. */
    char kex[512], ciphers[512], macs[512], host_key_algorithms[256];
    bool test_only; /* -t: check the settings and exit */
    /* The Kamailio database kept in step ("" for none), whether its
     * subscriber.password is written, and how often (seconds) a worker
     * applies changes a writer could not. */
    char registrar[1024];
    bool registrar_plaintext;
    int registrar_interval;
};

/* The packaged service user (debian/kascon.sysusers). */
#define SSHD_SERVICE_USER "kascon"

void sshd_config_defaults(struct sshd_config *cfg);

/* Reads the configuration file and the command line into `cfg` (defaults
 * first).  Returns 0 to go on, 1 to exit with success (--help, --version),
 * 2 for a usage or configuration error (already reported). */
int sshd_parse_args(int argc, char **argv, struct sshd_config *cfg);

/* Algorithm sets rated good by ssh-audit: no NIST curves, no SHA-1, no
 * encrypt-and-MAC. */
#define SSHD_DEFAULT_KEX                                                                           \
    "curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group16-sha512,"                \
    "diffie-hellman-group18-sha512"
#define SSHD_DEFAULT_CIPHERS                                                                       \
    "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,"      \
    "aes192-ctr,aes128-ctr"
#define SSHD_DEFAULT_MACS "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com"
#define SSHD_DEFAULT_HOST_KEY_ALGORITHMS "ssh-ed25519,rsa-sha2-512,rsa-sha2-256"

#endif
