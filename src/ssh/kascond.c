/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kascond: the SSH server that runs the console for each administrator.
 * This file is the listener: host key, start-up checks of the database,
 * accept, per-connection fork, the connection caps and the daily cleanup.
 * The parent only listens, counts and forks; all SSH and database work for
 * a connection happens in that connection's child (session.c, doc/design.md §3).
 * Settings and --help are in options.c, the log in log.c. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
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

/* No session can be alive at start: every lease left is a crashed one's. */
static int prepare_database(const char *path, bool registrar)
{
    struct store *st = NULL;
    int rc = store_open(path, &st);
    int cleared = 0;
    if (!rc)
        rc = store_lock_clear_all(st, &cleared);
    if (!rc && registrar)
        ops_registrar_enable(st); /* from now on every change is queued */
    if (rc)
        fprintf(stderr, _("%s: cannot open database %s: %s\n"), prog, path,
                st ? store_errmsg(st) : "out of memory");
    else if (cleared)
        sshd_log(LOG_DAEMON | LOG_NOTICE, "Cleared %d edit lock(s) left from before the start",
                 cleared);
    store_close(st);
    return rc ? -1 : 0;
}

/* The call-history retention of doc/spec.md §3.7 (92 days) and the 24 hours of
 * the file areas, at start and then daily.  It runs in a short-lived
 * child: the parent never holds a database connection that a fork could
 * carry into a session. */
static void daily_cleanup(const char *path, const char *files_root)
{
    pid_t pid = fork();
    if (pid != 0)
        return; /* the parent reaps it with the sessions */
    int expired = io_area_expire_all(files_root, time(NULL));
    if (expired)
        sshd_log(LOG_DAEMON | LOG_NOTICE, "Removed %d file(s) older than 24 hours from %s", expired,
                 files_root);
    struct store *st = NULL;
    int files = 0;
    long records = 0;
    static const struct store_actor who = {"kascond", "retention"};
    int rc = store_open(path, &st);
    if (!rc)
        rc = ops_cdr_purge(&(struct ops_ctx){.st = st, .site_id = 0, .actor = who}, &files,
                           &records);
    if (rc)
        sshd_log(LOG_DAEMON | LOG_ERR, "Call-history retention failed: %s",
                 st ? store_errmsg(st) : "out of memory");
    else if (files)
        sshd_log(LOG_DAEMON | LOG_NOTICE,
                 "Call-history retention deleted %d file(s), %ld record(s) older than 92 days",
                 files, records);
    store_close(st);
    _exit(rc ? 1 : 0);
}

/* Changes a writer could not apply to the SIP registrar wait in the
 * outbox; a short-lived child applies them every registrar-interval
 * seconds.  It logs what it applied, and a failure only when its reason
 * is new (the status keeps the reason meanwhile). */
static void registrar_worker(const struct sshd_config *cfg)
{
    pid_t pid = fork();
    if (pid != 0)
        return; /* the parent reaps it with the sessions */
    struct registrar_config reg;
    ops_registrar_config_from_env(&reg);
    struct store *st = NULL;
    struct store_registrar_state before;
    struct registrar_stats stats;
    char err[512] = "";
    int rc = store_open(cfg->db_path, &st);
    if (!rc)
        rc = store_registrar_state_get(st, &before);
    if (!rc && before.pending && ops_registrar_apply(st, &reg, &stats, err, sizeof err)) {
        if (strcmp(err, before.last_error) != 0)
            sshd_log(LOG_DAEMON | LOG_WARNING, "Registrar %s: %ld change(s) waiting: %s", reg.url,
                     before.pending, err);
        rc = 1;
    } else if (!rc && before.pending) {
        sshd_log(LOG_DAEMON | LOG_NOTICE, "Registrar %s: applied %ld waiting change(s)", reg.url,
                 before.pending);
    } else if (rc) {
        sshd_log(LOG_DAEMON | LOG_ERR, "Registrar worker: %s",
                 st ? store_errmsg(st) : "out of memory");
    }
    store_close(st);
    _exit(rc ? 1 : 0);
}

struct child {
    pid_t pid;
    int notify_fd; /* -1 once authenticated or closed */
    bool authenticated;
    char addr[64];
};

static volatile sig_atomic_t stop_signal, child_exited;

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

static int serve(ssh_bind bind, const struct sshd_config *cfg)
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
        if (time(NULL) - last_purge >= 24 * 60 * 60) {
            last_purge = time(NULL);
            daily_cleanup(cfg->db_path, cfg->files_root);
        }
        if (cfg->registrar[0] && time(NULL) - last_registrar >= cfg->registrar_interval) {
            last_registrar = time(NULL);
            registrar_worker(cfg);
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
    if (ensure_host_key(cfg.host_key) || prepare_database(cfg.db_path, cfg.registrar[0] != 0))
        return 1;

    ssh_bind bind = ssh_bind_new();
    bool no = false;
    unsigned int port = (unsigned int)cfg.port;
    if (!bind || ssh_bind_options_set(bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no) != SSH_OK ||
        ssh_bind_options_set(bind, SSH_BIND_OPTIONS_BINDADDR, cfg.listen_addr) != SSH_OK ||
        ssh_bind_options_set(bind, SSH_BIND_OPTIONS_BINDPORT, &port) != SSH_OK ||
        ssh_bind_options_set(bind, SSH_BIND_OPTIONS_HOSTKEY, cfg.host_key) != SSH_OK ||
        ssh_bind_listen(bind) != SSH_OK) {
        fprintf(stderr, _("%s: cannot listen on %s port %d: %s\n"), prog, cfg.listen_addr, cfg.port,
                bind ? ssh_get_error(bind) : "out of memory");
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
    signal(SIGHUP, SIG_IGN);
    sshd_log(LOG_DAEMON | LOG_INFO, "Server listening on %s port %s.", cfg.listen_addr, bound_port);
    rc = serve(bind, &cfg);
    ssh_bind_free(bind);
    return rc;
}
