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

/* Whether the session a lease names ("ssh:HOST:PID:START", or the older
 * "ssh:PID:START" and a local console's "console-PID-START") still runs:
 * sessions outlive a restart of the listener (KillMode=process), and
 * their locks stay theirs.  A process of that id that started at another
 * time is another process: the session is gone. */
static bool session_alive(const char *session)
{
    char text[128], host[64] = "";
    snprintf(text, sizeof text, "%s", session);
    char *start = NULL, *pid = NULL;
    if (!strncmp(text, "ssh:", 4)) {
        start = strrchr(text, ':');
        if (start == text + 3)
            return false;
        *start++ = '\0';
        pid = strrchr(text, ':');
        *pid++ = '\0';
        if (strlen(text) > 4) {
            char here[64] = "";
            gethostname(here, sizeof here - 1);
            snprintf(host, sizeof host, "%.60s", text + 4);
            if (strncmp(host, here, 24))
                return true; /* another host's: its lease expires by itself */
        }
    } else if (!strncmp(text, "console-", 8)) {
        pid = text + 8;
        start = strchr(pid, '-');
        if (!start)
            return false;
        *start++ = '\0';
    } else {
        return false;
    }
    char *end = NULL;
    long p = strtol(pid, &end, 10);
    long long since = strtoll(start, NULL, 10);
    if (!*pid || *end || p <= 0)
        return false;
    char path[64], stat[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", p);
    FILE *f = fopen(path, "r");
    if (!f)
        return kill((pid_t)p, 0) == 0 || errno == EPERM;
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    /* Field 22 (after the command in parentheses): start in clock ticks
     * after boot; the boot time is btime of /proc/stat. */
    const char *after = strrchr(stat, ')');
    unsigned long long ticks = 0;
    if (!after || sscanf(after + 2,
                         "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d "
                         "%*d %*d %*d %llu",
                         &ticks) != 1)
        return true;
    long long btime = 0;
    if ((f = fopen("/proc/stat", "r"))) {
        char line[256];
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "btime %lld", &btime) == 1)
                break;
        fclose(f);
    }
    long hz = sysconf(_SC_CLK_TCK);
    if (!btime || hz <= 0)
        return true;
    long long began = btime + (long long)(ticks / (unsigned long long)hz);
    return began - since <= 5 && since - began <= 5;
}

/* Leases of sessions that are gone (a crash, a reboot) are released at
 * start; those of sessions still open are kept. */
static int prepare_database(const char *path, bool registrar)
{
    struct store *st = NULL;
    int rc = store_open(path, &st);
    int cleared = 0;
    if (!rc)
        rc = ops_lock_release_gone(&(struct ops_ctx){.st = st, .actor = {"kascond", "start"}},
                                   session_alive, &cleared);
    if (!rc && registrar)
        ops_registrar_enable(&(struct ops_ctx){.st = st}); /* from now on every change is queued */
    if (rc)
        fprintf(stderr, _("%s: cannot open database %s: %s\n"), prog, path,
                st ? store_errmsg(st) : "out of memory");
    else if (cleared)
        sshd_log(LOG_DAEMON | LOG_NOTICE, "Released %d edit lock(s) of sessions that are gone",
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
    /* The audit log's retention (kasconctl audit retention), when set. */
    long entries = 0;
    struct core_problem problem;
    int arc =
        st ? ops_audit_purge_expired(&(struct ops_ctx){.st = st, .actor = who}, &entries, &problem)
           : E_STORAGE;
    if (arc)
        sshd_log(LOG_DAEMON | LOG_ERR, "Audit retention failed: %s",
                 st ? store_errmsg(st) : "out of memory");
    else if (entries)
        sshd_log(LOG_DAEMON | LOG_NOTICE, "Audit retention deleted %ld entr%s", entries,
                 entries == 1 ? "y" : "ies");
    store_close(st);
    _exit(rc || arc ? 1 : 0);
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
    if (!rc && before.pending &&
        ops_registrar_apply(&(struct ops_ctx){.st = st}, &reg, &stats, err, sizeof err)) {
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
    if (prepare_database(cfg.db_path, cfg.registrar[0] != 0)) {
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
