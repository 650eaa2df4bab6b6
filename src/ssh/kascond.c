/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kascond: the SSH server that runs the console for each administrator.
 * This file is the listener: host key, start-up checks of the database,
 * accept, per-connection fork, the connection caps and the daily cleanup.
 * The parent only listens, counts and forks; all SSH and database work for
 * a connection happens in that connection's child (session.c, doc/design.md §3).
 * Settings and --help are in options.c, the log in log.c, the database's
 * upkeep (start-up checks, daily cleanup, registrar worker) in upkeep.c. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "io/area.h"
#include "ops/ops.h"
#include "ops/registrar.h"
#include "ssh/log.h"
#include "ssh/sshd.h"
#include "ssh/throttle.h"
#include "store/store.h"

static const char *prog = "kascond";

/* Creates an ed25519 host key, mode 0600, when the file is missing. */
static int ensure_host_key(const char *path)
{
    if (access(path, F_OK) == 0)
        return 0;
    ssh_key key = NULL;
    if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK) {
        fprintf(stderr, _("%s: cannot generate a host key\n"), prog);
        return -1;
    }
    mode_t old = umask(077);
    int rc = ssh_pki_export_privkey_file(key, NULL, NULL, NULL, path);
    umask(old);
    ssh_key_free(key);
    if (rc != SSH_OK || chmod(path, 0600) != 0) {
        fprintf(stderr, _("%s: cannot write the host key %s\n"), prog, path);
        return -1;
    }
    sshd_log(LOG_DAEMON | LOG_NOTICE, "Generated a new ed25519 host key in %s", path);
    return 0;
}

struct child {
    pid_t pid;
    int notify_fd; /* -1 once authenticated or closed */
    bool authenticated;
    char addr[64];
};

static volatile sig_atomic_t stop_signal, child_exited, reload_signal;

static void on_reload(int sig)
{
    (void)sig;
    reload_signal = 1;
}

/* The banner names no library version, and only the configured
 * algorithms are offered (libssh refuses a list it does not know). */
static int set_algorithms(ssh_bind bind, const struct sshd_config *cfg)
{
    static const struct {
        enum ssh_bind_options_e option;
        size_t offset;
    } lists[] = {
        {SSH_BIND_OPTIONS_KEY_EXCHANGE, offsetof(struct sshd_config, kex)},
        {SSH_BIND_OPTIONS_CIPHERS_C_S, offsetof(struct sshd_config, ciphers)},
        {SSH_BIND_OPTIONS_CIPHERS_S_C, offsetof(struct sshd_config, ciphers)},
        {SSH_BIND_OPTIONS_HMAC_C_S, offsetof(struct sshd_config, macs)},
        {SSH_BIND_OPTIONS_HMAC_S_C, offsetof(struct sshd_config, macs)},
        {SSH_BIND_OPTIONS_HOSTKEY_ALGORITHMS, offsetof(struct sshd_config, host_key_algorithms)},
    };
    if (ssh_bind_options_set(bind, SSH_BIND_OPTIONS_BANNER, "kascond") != SSH_OK)
        return -1;
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        const char *value = (const char *)cfg + lists[i].offset;
        if (ssh_bind_options_set(bind, lists[i].option, value) != SSH_OK) {
            fprintf(stderr, _("%s: algorithms not supported: %s\n"), prog, value);
            return -1;
        }
    }
    return 0;
}

/* The user kascond becomes when started as root (options.h): the one
 * named with user =, or else the packaged service user.  kascond never
 * stays root: NULL with *err set when that user is missing or is root.
 * NULL and no error when kascond is not root (the systemd unit starts it
 * as its user already). */
static struct passwd *service_user(const struct sshd_config *cfg, bool *err)
{
    *err = false;
    if (geteuid() != 0)
        return NULL;
    const char *name = cfg->user[0] ? cfg->user : SSHD_SERVICE_USER;
    struct passwd *pw = getpwnam(name);
    if (!pw && cfg->user[0])
        fprintf(stderr, _("%s: no such user: %s\n"), prog, name);
    else if (!pw)
        fprintf(stderr,
                _("%s: started as root, and there is no user %s to run as: name the service "
                  "user with user = NAME (or --user NAME); kascond does not run as root\n"),
                prog, name);
    else if (pw->pw_uid == 0)
        fprintf(stderr,
                _("%s: user %s is root: name an unprivileged service user; kascond does not "
                  "run as root\n"),
                prog, name);
    *err = !pw || pw->pw_uid == 0;
    return *err ? NULL : pw;
}

/* Becomes the service user for good: no way back to root. */
static int drop_privileges(const struct passwd *pw)
{
    if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0 ||
        setuid(0) == 0 || geteuid() != pw->pw_uid) {
        fprintf(stderr, _("%s: cannot become user %s: %s\n"), prog, pw->pw_name, strerror(errno));
        return -1;
    }
    return 0;
}

/* SIGHUP: the settings file and the command line again.  Sessions go on
 * with the settings they started with; new connections get the new ones.
 * What needs the listening socket or root again waits for a restart. */
static void reload(ssh_bind bind, struct sshd_config *cfg, int argc, char **argv)
{
    struct sshd_config next;
    sshd_config_defaults(&next);
    if (sshd_parse_args(argc, argv, &next) != 0) {
        sshd_log(LOG_DAEMON | LOG_ERR,
                 "Reload refused: the settings have errors; kept the old ones");
        return;
    }
    ssh_bind probe = ssh_bind_new();
    int bad = !probe || set_algorithms(probe, &next);
    ssh_bind_free(probe);
    if (bad) {
        sshd_log(LOG_DAEMON | LOG_ERR, "Reload refused: unsupported algorithms; kept the old ones");
        return;
    }
    if (strcmp(next.listen_addr, cfg->listen_addr) || next.port != cfg->port ||
        strcmp(next.user, cfg->user) || strcmp(next.host_key, cfg->host_key) ||
        strcmp(next.db_path, cfg->db_path) || next.max_connections != cfg->max_connections)
        sshd_log(LOG_DAEMON | LOG_NOTICE, "Reload: listen, user, host-key, db and "
                                          "max-connections take effect at the next restart");
    memcpy(next.listen_addr, cfg->listen_addr, sizeof next.listen_addr);
    next.port = cfg->port;
    memcpy(next.user, cfg->user, sizeof next.user);
    memcpy(next.host_key, cfg->host_key, sizeof next.host_key);
    memcpy(next.db_path, cfg->db_path, sizeof next.db_path);
    next.max_connections = cfg->max_connections;
    next.foreground = cfg->foreground;
    if (!next.public_port)
        next.public_port = cfg->public_port;
    set_algorithms(bind, &next);
    *cfg = next;
    sshd_log(LOG_DAEMON | LOG_NOTICE, "Reloaded the settings");
}

static void on_stop(int sig)
{
    stop_signal = sig;
}
static void on_child(int sig)
{
    (void)sig;
    child_exited = 1;
}

static void reap(struct child *children, int *count)
{
    pid_t pid;
    int status;
    child_exited = 0;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < *count; i++) {
            if (children[i].pid != pid)
                continue;
            if (children[i].notify_fd >= 0)
                close(children[i].notify_fd);
            children[i] = children[--*count];
            break;
        }
    }
}

static int unauthenticated_from(const struct child *children, int count, const char *addr)
{
    int n = 0;
    for (int i = 0; i < count; i++)
        if (!children[i].authenticated && !strcmp(children[i].addr, addr))
            n++;
    return n;
}

static void accept_one(int listen_fd, ssh_bind bind, const struct sshd_config *cfg,
                       struct child *children, int *count)
{
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    int fd = accept4(listen_fd, (struct sockaddr *)&sa, &len, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    struct sshd_peer peer = {.fd = fd, .notify_fd = -1};
    char port[16] = "0";
    if (getnameinfo((struct sockaddr *)&sa, len, peer.addr, sizeof peer.addr, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        snprintf(peer.addr, sizeof peer.addr, "%s", "?");
    peer.port = atoi(port);
    if (*count >= cfg->max_connections) {
        sshd_log(LOG_AUTH | LOG_NOTICE,
                 "Drop connection from %s port %d: %d connections (max-connections)", peer.addr,
                 peer.port, *count);
        close(fd);
        return;
    }
    if (unauthenticated_from(children, *count, peer.addr) >= cfg->max_unauth_per_source) {
        sshd_log(LOG_AUTH | LOG_NOTICE,
                 "Drop connection from %s port %d: too many unauthenticated connections from it",
                 peer.addr, peer.port);
        close(fd);
        return;
    }
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        close(fd);
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        sshd_log(LOG_DAEMON | LOG_ERR, "fork: %s", strerror(errno));
        close(fd);
        close(pipefd[0]);
        close(pipefd[1]);
        return;
    }
    if (pid == 0) {
        close(listen_fd);
        close(pipefd[0]);
        for (int i = 0; i < *count; i++)
            if (children[i].notify_fd >= 0)
                close(children[i].notify_fd);
        signal(SIGCHLD, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        peer.notify_fd = pipefd[1];
        _exit(sshd_session_run(bind, &peer, cfg));
    }
    close(fd);
    close(pipefd[1]);
    struct child *c = &children[(*count)++];
    c->pid = pid;
    c->notify_fd = pipefd[0];
    c->authenticated = false;
    snprintf(c->addr, sizeof c->addr, "%s", peer.addr);
}

static int serve(ssh_bind bind, struct sshd_config *cfg, int argc, char **argv)
{
    int listen_fd = ssh_bind_get_fd(bind);
    struct child *children = calloc((size_t)cfg->max_connections, sizeof *children);
    struct pollfd *fds = calloc((size_t)cfg->max_connections + 1, sizeof *fds);
    int *owner = calloc((size_t)cfg->max_connections + 1, sizeof *owner);
    if (!children || !fds || !owner) {
        free(children);
        free(fds);
        free(owner);
        return 1;
    }
    int count = 0;
    time_t last_purge = 0, last_registrar = 0;
    while (!stop_signal) {
        if (reload_signal) {
            reload_signal = 0;
            reload(bind, cfg, argc, argv);
        }
        if (time(NULL) - last_purge >= 24 * 60 * 60) {
            last_purge = time(NULL);
            sshd_daily_cleanup(cfg->db_path, cfg->files_root);
        }
        if (cfg->registrar[0] && time(NULL) - last_registrar >= cfg->registrar_interval) {
            last_registrar = time(NULL);
            sshd_registrar_worker(cfg);
        }
        if (child_exited)
            reap(children, &count);
        int n = 0;
        fds[n++] = (struct pollfd){.fd = listen_fd, .events = POLLIN};
        for (int i = 0; i < count; i++) {
            if (children[i].notify_fd < 0)
                continue;
            owner[n] = children[i].pid;
            fds[n++] = (struct pollfd){.fd = children[i].notify_fd, .events = POLLIN};
        }
        if (poll(fds, (nfds_t)n, 1000) <= 0)
            continue;
        for (int k = 1; k < n; k++) {
            if (!fds[k].revents)
                continue;
            for (int i = 0; i < count; i++) {
                if (children[i].pid != owner[k])
                    continue;
                char byte;
                if (read(children[i].notify_fd, &byte, 1) == 1)
                    children[i].authenticated = true;
                close(children[i].notify_fd);
                children[i].notify_fd = -1;
            }
        }
        if (fds[0].revents & POLLIN)
            accept_one(listen_fd, bind, cfg, children, &count);
    }
    sshd_log(LOG_DAEMON | LOG_NOTICE, "Received signal %d; terminating.", (int)stop_signal);
    free(children);
    free(fds);
    free(owner);
    return 0;
}

static int detach(void)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0)
        _exit(0);
    setsid();
    if (chdir("/") != 0)
        return -1;
    int null = open("/dev/null", O_RDWR);
    if (null < 0)
        return -1;
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    if (null > STDERR_FILENO)
        close(null);
    return 0;
}

int main(int argc, char **argv)
{
    kascon_i18n_init();
    struct sshd_config cfg;
    sshd_config_defaults(&cfg);
    int rc = sshd_parse_args(argc, argv, &cfg);
    if (rc)
        return rc == 1 ? 0 : 2;
    sshd_log_open(cfg.foreground);
    umask(077); /* every file and directory kascond creates is private */
    bool no_user = false;
    struct passwd *pw = service_user(&cfg, &no_user);
    if (no_user)
        return 1;
    if (cfg.test_only) {
        /* Like sshd -t: the settings parse, the algorithms are known, the
         * host key can be read or created. */
        ssh_bind probe = ssh_bind_new();
        int bad = !probe || set_algorithms(probe, &cfg);
        ssh_bind_free(probe);
        ssh_key key = NULL;
        if (!bad && access(cfg.host_key, F_OK) == 0 &&
            ssh_pki_import_privkey_file(cfg.host_key, NULL, NULL, NULL, &key) != SSH_OK) {
            fprintf(stderr, _("%s: cannot read the host key %s\n"), prog, cfg.host_key);
            bad = 1;
        }
        ssh_key_free(key);
        return bad ? 1 : 0;
    }
    if (ensure_host_key(cfg.host_key))
        return 1;
    if (pw && chown(cfg.host_key, pw->pw_uid, pw->pw_gid) != 0) {
        fprintf(stderr, _("%s: cannot write the host key %s\n"), prog, cfg.host_key);
        return 1;
    }

    ssh_bind bind = ssh_bind_new();
    bool no = false;
    unsigned int port = (unsigned int)cfg.port;
    if (!bind || ssh_bind_options_set(bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no) != SSH_OK ||
        ssh_bind_options_set(bind, SSH_BIND_OPTIONS_BINDADDR, cfg.listen_addr) != SSH_OK ||
        ssh_bind_options_set(bind, SSH_BIND_OPTIONS_BINDPORT, &port) != SSH_OK ||
        ssh_bind_options_set(bind, SSH_BIND_OPTIONS_HOSTKEY, cfg.host_key) != SSH_OK ||
        set_algorithms(bind, &cfg) != 0 || ssh_bind_listen(bind) != SSH_OK) {
        fprintf(stderr, _("%s: cannot listen on %s port %d: %s\n"), prog, cfg.listen_addr, cfg.port,
                bind ? ssh_get_error(bind) : "out of memory");
        ssh_bind_free(bind);
        return 1;
    }
    /* Bound (a low port needs root): now the service user, for good,
     * before any connection is accepted or the database opened. */
    if (pw && drop_privileges(pw)) {
        ssh_bind_free(bind);
        return 1;
    }
    if (pw && !cfg.user[0])
        sshd_log(LOG_DAEMON | LOG_NOTICE, "Started as root without user =: running as %s",
                 pw->pw_name);
    if (sshd_prepare_database(prog, cfg.db_path, cfg.registrar[0] != 0)) {
        ssh_bind_free(bind);
        return 1;
    }
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    char bound_port[16] = "?";
    if (getsockname(ssh_bind_get_fd(bind), (struct sockaddr *)&sa, &len) == 0)
        getnameinfo((struct sockaddr *)&sa, len, NULL, 0, bound_port, sizeof bound_port,
                    NI_NUMERICSERV);
    if (!cfg.public_port)
        cfg.public_port = atoi(bound_port);
    if (!cfg.foreground && detach()) {
        fprintf(stderr, _("%s: cannot detach\n"), prog);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa_stop = {.sa_handler = on_stop}, sa_child = {.sa_handler = on_child};
    sigemptyset(&sa_stop.sa_mask);
    sigemptyset(&sa_child.sa_mask);
    sigaction(SIGTERM, &sa_stop, NULL);
    sigaction(SIGINT, &sa_stop, NULL);
    sigaction(SIGCHLD, &sa_child, NULL);
    struct sigaction sa_reload = {.sa_handler = on_reload};
    sigemptyset(&sa_reload.sa_mask);
    sigaction(SIGHUP, &sa_reload, NULL);
    if (sshd_throttle_init())
        sshd_log(LOG_DAEMON | LOG_WARNING, "Password attempts are not paced: %s", strerror(errno));
    sshd_log(LOG_DAEMON | LOG_INFO, "Server listening on %s port %s.", cfg.listen_addr, bound_port);
    rc = serve(bind, &cfg, argc, argv);
    ssh_bind_free(bind);
    return rc;
}
