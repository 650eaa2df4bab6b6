/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kascond: the SSH server that runs the console for each administrator.
 * The parent only listens, counts and forks; all SSH and database work for
 * a connection happens in that connection's child (DESIGN §3). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "io/area.h"
#include "ops/ops.h"
#include "ssh/sshd.h"
#include "store/store.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define DEFAULT_CONFIG SYSCONFDIR "/kascon/kascond.conf"
#define DEFAULT_HOST_KEY SYSCONFDIR "/kascon/ssh_host_ed25519_key"

static const char *prog = "kascond";

void sshd_log(int priority, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsyslog(priority, fmt, ap);
    va_end(ap);
}

static void config_defaults(struct sshd_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->listen_addr, sizeof cfg->listen_addr, "%s", "0.0.0.0");
    cfg->port = 2222;
    snprintf(cfg->host_key, sizeof cfg->host_key, "%s", DEFAULT_HOST_KEY);
    cfg->login_grace_time = 60;
    cfg->idle_timeout = 15 * 60;
    cfg->max_connections = 200;
    cfg->max_unauth_per_source = 10;
    cfg->max_auth_tries = 6;
    cfg->max_file_size = 64LL << 20;
    cfg->max_area_size = 256LL << 20;
}

/* "ADDR:PORT", "[V6]:PORT", ":PORT" or "ADDR". */
static int parse_listen(const char *text, struct sshd_config *cfg)
{
    char addr[256];
    const char *port = NULL;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close)
            return -1;
        snprintf(addr, sizeof addr, "%.*s", (int)(close - text - 1), text + 1);
        if (close[1] == ':')
            port = close + 2;
        else if (close[1])
            return -1;
    } else {
        const char *colon = strrchr(text, ':');
        if (colon && strchr(text, ':') == colon) {
            snprintf(addr, sizeof addr, "%.*s", (int)(colon - text), text);
            port = colon + 1;
        } else {
            snprintf(addr, sizeof addr, "%s", text);
        }
    }
    if (port) {
        char *end = NULL;
        long p = strtol(port, &end, 10);
        if (!*port || *end || p < 0 || p > 65535)
            return -1;
        cfg->port = (int)p;
    }
    snprintf(cfg->listen_addr, sizeof cfg->listen_addr, "%s", addr[0] ? addr : "0.0.0.0");
    return 0;
}

static int parse_count(const char *text, int min, int *out)
{
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (!*text || *end || v < min || v > INT_MAX)
        return -1;
    *out = (int)v;
    return 0;
}

/* A byte count, with an optional K, M or G (binary) suffix. */
static int parse_size(const char *text, long long *out)
{
    char *end = NULL;
    long long v = strtoll(text, &end, 10);
    int shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    if (shift)
        end++;
    if (end == text || *end || v < 1 || v > (LLONG_MAX >> 30))
        return -1;
    *out = v << shift;
    return 0;
}

/* One setting, from the file or a flag; -1 for an unknown key or bad value. */
static int apply_setting(struct sshd_config *cfg, const char *key, const char *value)
{
    if (!strcmp(key, "listen"))
        return parse_listen(value, cfg);
    if (!strcmp(key, "db")) {
        snprintf(cfg->db_path, sizeof cfg->db_path, "%s", value);
        return 0;
    }
    if (!strcmp(key, "host-key")) {
        snprintf(cfg->host_key, sizeof cfg->host_key, "%s", value);
        return 0;
    }
    if (!strcmp(key, "login-grace-time"))
        return parse_count(value, 1, &cfg->login_grace_time);
    if (!strcmp(key, "idle-timeout"))
        return parse_count(value, 0, &cfg->idle_timeout);
    if (!strcmp(key, "max-connections"))
        return parse_count(value, 1, &cfg->max_connections);
    if (!strcmp(key, "max-unauthenticated-per-source"))
        return parse_count(value, 1, &cfg->max_unauth_per_source);
    if (!strcmp(key, "max-auth-tries"))
        return parse_count(value, 1, &cfg->max_auth_tries);
    if (!strcmp(key, "files")) {
        snprintf(cfg->files_root, sizeof cfg->files_root, "%s", value);
        return value[0] ? 0 : -1;
    }
    if (!strcmp(key, "max-file-size"))
        return parse_size(value, &cfg->max_file_size);
    if (!strcmp(key, "max-area-size"))
        return parse_size(value, &cfg->max_area_size);
    if (!strcmp(key, "public-host")) {
        snprintf(cfg->public_host, sizeof cfg->public_host, "%s", value);
        return value[0] && !strpbrk(value, " \t'\"") ? 0 : -1;
    }
    if (!strcmp(key, "public-port")) {
        int port;
        if (parse_count(value, 1, &port) || port > 65535)
            return -1;
        cfg->public_port = port;
        return 0;
    }
    return -1;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        *--end = '\0';
    return s;
}

/* key = value lines; '#' starts a comment.  A missing default file is fine. */
static int load_config(const char *path, bool must_exist, struct sshd_config *cfg)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!must_exist && errno == ENOENT)
            return 0;
        fprintf(stderr, _("%s: cannot read %s: %s\n"), prog, path, strerror(errno));
        return -1;
    }
    char line[4352];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(line);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (eq)
            *eq = '\0';
        if (!eq || apply_setting(cfg, trim(s), trim(eq + 1))) {
            fprintf(stderr, _("%s: %s:%d: unknown setting or bad value\n"), prog, path, lineno);
            rc = -1;
        }
    }
    fclose(f);
    return rc;
}

static void usage(FILE *out)
{
    fprintf(out, _("Usage: %s [OPTION]...\n"), prog);
    fputs(_("SSH server of kascon: runs the administration console for each login.\n\n"
            "  --listen ADDR:PORT        address and port to listen on (default 0.0.0.0:2222;\n"
            "                            port 0 picks a free port and logs it)\n"
            "  --db PATH                 database (default: $KASCON_DB, else the system default)\n"
            "  --host-key FILE           ed25519 host key, created if missing\n"
            "                            (default /etc/kascon/ssh_host_ed25519_key)\n"
            "  --config FILE             settings file (default /etc/kascon/kascond.conf)\n"
            "  --foreground              do not detach; log to standard error as well\n"
            "  --login-grace-time SEC    time allowed to log in (default 60)\n"
            "  --idle-timeout SEC        console idle timeout, 0 for none (default 900)\n"
            "  --max-connections N       connections at once (default 200)\n"
            "  --max-unauthenticated-per-source N\n"
            "                            connections not yet logged in per address (default 10)\n"
            "  --max-auth-tries N        failed attempts per connection (default 6)\n"
            "  --help                    show this help\n"
            "  --version                 show the version\n\n"
            "Settings in the file are written as \"key = value\" with the option names\n"
            "without dashes (listen, db, host-key, ...); options on the command line win.\n"),
          out);
    fputs(_("\nFile areas (sftp, scp, and the console's CSV files over SSH):\n"
            "  --files DIR               root of the administrators' areas (default: \"files\"\n"
            "                            next to the database)\n"
            "  --max-file-size BYTES     largest upload (K, M, G suffixes; default 64M)\n"
            "  --max-area-size BYTES     bytes kept per administrator (default 256M)\n"
            "  --public-host NAME        host name shown in scp commands (default: this\n"
            "                            host's name)\n"
            "  --public-port N           port shown in scp commands (default: the one\n"
            "                            listened on)\n"),
          out);
}

static const struct option long_options[] = {
    {"listen", required_argument, NULL, 'l'},
    {"db", required_argument, NULL, 'd'},
    {"host-key", required_argument, NULL, 'k'},
    {"config", required_argument, NULL, 'c'},
    {"foreground", no_argument, NULL, 'f'},
    {"login-grace-time", required_argument, NULL, 'g'},
    {"idle-timeout", required_argument, NULL, 'i'},
    {"max-connections", required_argument, NULL, 'm'},
    {"max-unauthenticated-per-source", required_argument, NULL, 'u'},
    {"max-auth-tries", required_argument, NULL, 'a'},
    {"files", required_argument, NULL, 'F'},
    {"max-file-size", required_argument, NULL, 's'},
    {"max-area-size", required_argument, NULL, 'S'},
    {"public-host", required_argument, NULL, 'H'},
    {"public-port", required_argument, NULL, 'P'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* Returns 0 to go on, 1 to exit with success, 2 for a usage error. */
static int parse_args(int argc, char **argv, struct sshd_config *cfg)
{
    const char *config = DEFAULT_CONFIG;
    bool explicit_config = false;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return 1;
        }
        if (c == 'V') {
            printf("kascond (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
            return 1;
        }
        if (c == 'c') {
            config = optarg;
            explicit_config = true;
        }
        if (c == '?') {
            fprintf(stderr, _("%s: unknown option or missing value: %s\n"), prog, argv[optind - 1]);
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, _("%s: unexpected argument: %s\n"), prog, argv[optind]);
        return 2;
    }
    if (load_config(config, explicit_config, cfg))
        return 2;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        const char *key = NULL;
        for (const struct option *o = long_options; o->name; o++)
            if (o->val == c)
                key = o->name;
        if (c == 'f')
            cfg->foreground = true;
        else if (c != 'c' && key && apply_setting(cfg, key, optarg)) {
            fprintf(stderr, _("%s: bad value for --%s: %s\n"), prog, key, optarg);
            return 2;
        }
    }
    if (!cfg->db_path[0] && store_default_path(cfg->db_path, sizeof cfg->db_path)) {
        fprintf(stderr, _("%s: no database path: use --db PATH or set KASCON_DB\n"), prog);
        return 2;
    }
    if (!cfg->files_root[0]) {
        const char *slash = strrchr(cfg->db_path, '/');
        if (slash)
            snprintf(cfg->files_root, sizeof cfg->files_root, "%.*s/files",
                     (int)(slash - cfg->db_path), cfg->db_path);
        else
            snprintf(cfg->files_root, sizeof cfg->files_root, "%s", "files");
    }
    if (cfg->files_root[0] != '/') {
        /* kascond leaves its working directory when it detaches. */
        char cwd[2048], abs[8192];
        if (getcwd(cwd, sizeof cwd)) {
            int n = snprintf(abs, sizeof abs, "%s/%s", cwd, cfg->files_root);
            if (n > 0 && (size_t)n < sizeof cfg->files_root)
                memcpy(cfg->files_root, abs, (size_t)n + 1);
        }
    }
    if (!cfg->public_host[0] && gethostname(cfg->public_host, sizeof cfg->public_host) != 0)
        snprintf(cfg->public_host, sizeof cfg->public_host, "%s", "localhost");
    return 0;
}

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
static int prepare_database(const char *path)
{
    struct store *st = NULL;
    int rc = store_open(path, &st);
    int cleared = 0;
    if (!rc)
        rc = store_lock_clear_all(st, &cleared);
    if (rc)
        fprintf(stderr, _("%s: cannot open database %s: %s\n"), prog, path,
                st ? store_errmsg(st) : "out of memory");
    else if (cleared)
        sshd_log(LOG_DAEMON | LOG_NOTICE, "Cleared %d edit lock(s) left from before the start",
                 cleared);
    store_close(st);
    return rc ? -1 : 0;
}

/* The call-history retention of SPEC §3.7 (92 days) and the 24 hours of
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
        rc = ops_cdr_purge(st, 0, &who, &files, &records);
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
    time_t last_purge = 0;
    while (!stop_signal) {
        if (time(NULL) - last_purge >= 24 * 60 * 60) {
            last_purge = time(NULL);
            daily_cleanup(cfg->db_path, cfg->files_root);
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
    config_defaults(&cfg);
    int rc = parse_args(argc, argv, &cfg);
    if (rc)
        return rc == 1 ? 0 : 2;
    openlog("kascond", LOG_PID | (cfg.foreground ? LOG_PERROR : 0), LOG_DAEMON);
    if (ensure_host_key(cfg.host_key) || prepare_database(cfg.db_path))
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
