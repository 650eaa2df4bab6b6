/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One SSH connection, in its own process: key exchange, authentication
 * through the console's lockout policy, one session channel with a pty, and
 * the console on the pty's slave side in a child process. */
#include <config.h>

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>

#include <libssh/callbacks.h>

#include "cli/cli.h"
#include "console/console.h"
#include "i18n.h"
#include "io/area.h"
#include "ops/ops.h"
#include "ssh/sshd.h"

#define AUTH_METHODS                                                                               \
    (SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_INTERACTIVE | SSH_AUTH_METHOD_PUBLICKEY)
/* Every failed password attempt takes at least this long, whatever failed
 * (unknown user, wrong password, locked account, refused network), so that
 * neither the reply nor its timing tells them apart. */
#define FAILURE_FLOOR_NS 250000000L

struct session {
    ssh_session ssh;
    ssh_event event;
    const struct sshd_config *cfg;
    const struct sshd_peer *peer;
    struct store *st; /* open during authentication only */

    char kbdint_user[256]; /* the user of the first keyboard-interactive request */
    bool authenticated;
    int failures;
    struct ops_session login;

    ssh_channel channel;
    struct ssh_channel_callbacks_struct channel_cb;
    bool have_pty, shell;
    /* What the session channel was asked for besides the console: the
     * SFTP subsystem, or one command (exec) with its standard input. */
    bool sftp, exec;
    char command[1024];
    char *input;
    size_t input_len;
    bool input_eof, input_too_big;
    struct io_area area; /* opened at authentication */
    char term[64];
    /* The client's LANG / LC_* (OpenSSH's SendEnv), so that each
     * administrator sees the console in their own language. */
    char lang[3][48];
    struct winsize ws;
    int master;
    pid_t console;
    bool console_gone;
    bool closed;
    char lock_session[64];
};

static void apply_client_locale(const struct session *s);

static volatile sig_atomic_t in_event_loop, grace_over;

static void on_alarm(int sig)
{
    (void)sig;
    /* During key exchange libssh is blocking: end the process right away. */
    if (!in_event_loop)
        _exit(1);
    grace_over = 1;
}

/* "admin@tokyo.example.jp" → user "admin", domain "tokyo.example.jp":
 * split at the last '@' (SPEC §3.6); no '@' leaves the domain empty. */
static void split_user(const char *full, char *user, size_t user_n, char *domain, size_t domain_n)
{
    const char *at = strrchr(full, '@');
    if (!at) {
        snprintf(user, user_n, "%s", full);
        domain[0] = '\0';
        return;
    }
    snprintf(user, user_n, "%.*s", (int)(at - full), full);
    snprintf(domain, domain_n, "%s", at + 1);
}

static bool open_store(struct session *s)
{
    if (s->st)
        return true;
    if (store_open(s->cfg->db_path, &s->st) == CORE_OK)
        return true;
    sshd_log(LOG_DAEMON | LOG_ERR, "cannot open database %s: %s", s->cfg->db_path,
             s->st ? store_errmsg(s->st) : "out of memory");
    store_close(s->st);
    s->st = NULL;
    return false;
}

static void close_store(struct session *s)
{
    store_close(s->st);
    s->st = NULL;
}

static void pad_failure(const struct timespec *start)
{
    struct timespec until = *start;
    until.tv_nsec += FAILURE_FLOOR_NS;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR)
        ;
}

static void log_outcome(const struct session *s, const char *method, const char *user,
                        const char *detail)
{
    const struct sshd_peer *p = s->peer;
    const char *name = user;
    switch (s->login.outcome) {
    case OPS_LOGIN_OK:
        sshd_log(LOG_AUTH | LOG_INFO, "Accepted %s for %s from %s port %d ssh2%s%s", method, name,
                 p->addr, p->port, detail ? ": " : "", detail ? detail : "");
        break;
    case OPS_LOGIN_UNKNOWN:
        sshd_log(LOG_AUTH | LOG_INFO, "Failed %s for invalid user %s from %s port %d ssh2", method,
                 name, p->addr, p->port);
        break;
    case OPS_LOGIN_FAIL:
        sshd_log(LOG_AUTH | LOG_INFO, "Failed %s for %s from %s port %d ssh2", method, name,
                 p->addr, p->port);
        break;
    case OPS_LOGIN_LOCKED_NOW:
        sshd_log(LOG_AUTH | LOG_INFO, "Failed %s for %s from %s port %d ssh2", method, name,
                 p->addr, p->port);
        sshd_log(LOG_AUTH | LOG_WARNING, "Locked account %s after %d failed logins from %s port %d",
                 name, CORE_LOCK_THRESHOLD, p->addr, p->port);
        break;
    case OPS_LOGIN_REFUSED_LOCKED:
        sshd_log(LOG_AUTH | LOG_INFO, "Failed %s for %s from %s port %d ssh2", method, name,
                 p->addr, p->port);
        sshd_log(LOG_AUTH | LOG_INFO, "User %s not allowed because account is locked", name);
        break;
    case OPS_LOGIN_REFUSED_NETWORK:
        sshd_log(LOG_AUTH | LOG_INFO, "Failed %s for %s from %s port %d ssh2", method, name,
                 p->addr, p->port);
        sshd_log(LOG_AUTH | LOG_INFO,
                 "User %s from %s not allowed because not listed in the site's trusted networks",
                 name, p->addr);
        break;
    }
}

/* The administrator's file area, with files past their 24 hours removed
 * as the session starts. */
static void open_area(struct session *s)
{
    if (s->login.is_user)
        return; /* extension users have no file area (nor exec, nor SFTP) */
    int err = io_area_open(s->cfg->files_root, s->login.site.id, s->login.admin.name, &s->area);
    if (err) {
        sshd_log(LOG_DAEMON | LOG_ERR, "cannot open the file area of %s in %s: %s",
                 s->login.admin.name, s->cfg->files_root, strerror(err));
        return;
    }
    int removed = io_area_expire(&s->area, time(NULL));
    if (removed)
        sshd_log(LOG_DAEMON | LOG_INFO, "Removed %d file(s) older than 24 hours for %s", removed,
                 s->login.admin.name);
}

static void note_authenticated(struct session *s)
{
    s->authenticated = true;
    alarm(0);
    close_store(s);
    open_area(s);
    if (s->peer->notify_fd >= 0) {
        ssize_t w = write(s->peer->notify_fd, "a", 1);
        (void)w; /* the parent only counts; a lost byte costs nothing */
        close(s->peer->notify_fd);
    }
}

static void note_failure(struct session *s)
{
    if (++s->failures < s->cfg->max_auth_tries)
        return;
    sshd_log(LOG_AUTH | LOG_INFO,
             "Disconnecting authenticating user from %s port %d: Too many authentication failures",
             s->peer->addr, s->peer->port);
    ssh_disconnect(s->ssh);
    s->closed = true;
}

/* Judges a password (from "password" or "keyboard-interactive"). */
static bool judge_password(struct session *s, const char *method, const char *full_user,
                           const char *password)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char user[CORE_ADMIN_NAME_MAX + 2], domain[CORE_DOMAIN_MAX + 2];
    split_user(full_user ? full_user : "", user, sizeof user, domain, sizeof domain);
    int rc = E_STORAGE;
    if (open_store(s))
        rc = ops_login_remote(s->st, domain, user, password ? password : "", s->peer->addr,
                              &s->login);
    if (rc == CORE_OK) {
        log_outcome(s, method, full_user, NULL);
        note_authenticated(s);
        return true;
    }
    if (rc == E_LOGIN_FAILED)
        log_outcome(s, method, full_user, NULL);
    if (s->login.auto_unlocked)
        sshd_log(LOG_AUTH | LOG_NOTICE, "Lock of %s expired (automatic unlock)", full_user);
    pad_failure(&start);
    note_failure(s);
    return false;
}

static int on_auth_password(ssh_session ssh, const char *user, const char *password, void *userdata)
{
    (void)ssh;
    struct session *s = userdata;
    return judge_password(s, "password", user, password) ? SSH_AUTH_SUCCESS : SSH_AUTH_DENIED;
}

/* Canonical "TYPE BASE64", as core_pubkey_parse stores it. */
static bool key_text(ssh_key key, char *buf, size_t n)
{
    char *b64 = NULL;
    const char *type = ssh_key_type_to_char(ssh_key_type(key));
    if (!type || ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK)
        return false;
    snprintf(buf, n, "%s %s", type, b64);
    ssh_string_free_char(b64);
    return true;
}

static void key_fingerprint(ssh_key key, char *buf, size_t n)
{
    unsigned char *hash = NULL;
    size_t len = 0;
    buf[0] = '\0';
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != SSH_OK)
        return;
    char *fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
    const char *type = ssh_key_type_to_char(ssh_key_type(key));
    snprintf(buf, n, "%s %s", type ? type : "?", fp ? fp : "?");
    ssh_string_free_char(fp);
    ssh_clean_pubkey_hash(&hash);
}

static int on_auth_pubkey(ssh_session ssh, const char *full_user, struct ssh_key_struct *pubkey,
                          char signature_state, void *userdata)
{
    (void)ssh;
    struct session *s = userdata;
    char key[CORE_PUBKEY_MAX + 64];
    char user[CORE_ADMIN_NAME_MAX + 2], domain[CORE_DOMAIN_MAX + 2];
    split_user(full_user ? full_user : "", user, sizeof user, domain, sizeof domain);
    if (!key_text(pubkey, key, sizeof key) || !open_store(s))
        return SSH_AUTH_DENIED;
    if (signature_state == SSH_PUBLICKEY_STATE_NONE)
        /* "May I use this key?": answered from the registration alone; the
         * lock and the network are judged when the signed request comes. */
        return ops_admin_has_key(s->st, domain, user, key) ? SSH_AUTH_SUCCESS : SSH_AUTH_DENIED;
    if (signature_state != SSH_PUBLICKEY_STATE_VALID)
        return SSH_AUTH_DENIED;
    char fp[128];
    key_fingerprint(pubkey, fp, sizeof fp);
    int rc = ops_login_key(s->st, domain, user, key, s->peer->addr, &s->login);
    if (rc == CORE_OK || rc == E_LOGIN_FAILED)
        log_outcome(s, "publickey", full_user, fp);
    if (rc == CORE_OK) {
        note_authenticated(s);
        return SSH_AUTH_SUCCESS;
    }
    note_failure(s);
    return SSH_AUTH_DENIED;
}

/* ---- the console on a pty ---- */

static void close_other_fds(void)
{
    long max = sysconf(_SC_OPEN_MAX);
    for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 1024); fd++)
        close(fd);
}

static bool start_console(struct session *s)
{
    int slave = -1;
    if (openpty(&s->master, &slave, NULL, NULL, &s->ws) != 0) {
        sshd_log(LOG_DAEMON | LOG_ERR, "openpty: %s", strerror(errno));
        return false;
    }
    pid_t pid = fork();
    if (pid < 0) {
        sshd_log(LOG_DAEMON | LOG_ERR, "fork: %s", strerror(errno));
        close(slave);
        close(s->master);
        s->master = -1;
        return false;
    }
    if (pid == 0) {
        /* The console process: nothing of the SSH session is used here,
         * and the database is opened by console_run itself. */
        close(s->master);
        if (login_tty(slave) != 0)
            _exit(1);
        close_other_fds();
        signal(SIGPIPE, SIG_DFL);
        signal(SIGCHLD, SIG_DFL);
        signal(SIGALRM, SIG_DFL);
        alarm(0);
        if (s->term[0])
            setenv("TERM", s->term, 1);
        apply_client_locale(s);
        FILE *in = fdopen(STDIN_FILENO, "r"), *out = fdopen(STDOUT_FILENO, "w");
        if (!in || !out)
            _exit(1);
        struct console_opts opts = {
            .db_path = s->cfg->db_path,
            .source = s->peer->addr,
            .preauth_domain = s->login.site.domain,
            .preauth_user = s->login.admin.name,
            .idle_timeout = s->cfg->idle_timeout,
            .in = in,
            .out = out,
            .term = s->term[0] ? s->term : NULL,
            .must_change = s->login.must_change,
            .lock_session = s->lock_session,
            .files_root = s->cfg->files_root,
            .public_host = s->cfg->public_host,
            .public_port = s->cfg->public_port,
        };
        int rc = console_run(&opts);
        fflush(NULL);
        _exit(rc);
    }
    close(slave);
    s->console = pid;
    fcntl(s->master, F_SETFL, fcntl(s->master, F_GETFL) | O_NONBLOCK);
    return true;
}

static int on_pty_output(socket_t fd, int revents, void *userdata)
{
    struct session *s = userdata;
    if (!(revents & (POLLIN | POLLHUP | POLLERR)))
        return 0;
    char buf[8192];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
        if (s->channel && ssh_channel_write(s->channel, buf, (uint32_t)n) == SSH_ERROR)
            s->closed = true;
        return 0;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    /* EIO: the console closed the terminal (it exited). */
    s->console_gone = true;
    return 0;
}

static int on_channel_data(ssh_session ssh, ssh_channel channel, void *data, uint32_t len,
                           int is_stderr, void *userdata)
{
    (void)ssh;
    (void)channel;
    (void)is_stderr;
    struct session *s = userdata;
    if (s->sftp)
        return 0; /* left in the channel for libssh's SFTP reader */
    if (s->exec) {
        /* A command's standard input: a CSV file, at most one upload's size. */
        if (s->input_too_big || s->input_len + len > (size_t)s->cfg->max_file_size) {
            s->input_too_big = true;
            return (int)len;
        }
        char *more = realloc(s->input, s->input_len + len);
        if (!more) {
            s->input_too_big = true;
            return (int)len;
        }
        s->input = more;
        memcpy(s->input + s->input_len, data, len);
        s->input_len += len;
        return (int)len;
    }
    if (s->master < 0)
        return (int)len; /* no console yet: typed-ahead bytes are dropped */
    const char *p = data;
    uint32_t left = len;
    while (left) {
        ssize_t w = write(s->master, p, left);
        if (w > 0) {
            p += w;
            left -= (uint32_t)w;
        } else if (w < 0 && errno == EAGAIN) {
            struct pollfd pfd = {.fd = s->master, .events = POLLOUT};
            if (poll(&pfd, 1, 1000) <= 0)
                break;
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else {
            break;
        }
    }
    return (int)len;
}

static int on_pty_request(ssh_session ssh, ssh_channel channel, const char *term, int width,
                          int height, int pxwidth, int pxheight, void *userdata)
{
    (void)ssh;
    (void)channel;
    struct session *s = userdata;
    if (s->shell)
        return -1;
    snprintf(s->term, sizeof s->term, "%s", term ? term : "");
    s->ws.ws_col = (unsigned short)(width > 0 ? width : 80);
    s->ws.ws_row = (unsigned short)(height > 0 ? height : 24);
    s->ws.ws_xpixel = (unsigned short)pxwidth;
    s->ws.ws_ypixel = (unsigned short)pxheight;
    s->have_pty = true;
    return 0;
}

static int on_window_change(ssh_session ssh, ssh_channel channel, int width, int height,
                            int pxwidth, int pxheight, void *userdata)
{
    (void)ssh;
    (void)channel;
    struct session *s = userdata;
    s->ws.ws_col = (unsigned short)width;
    s->ws.ws_row = (unsigned short)height;
    s->ws.ws_xpixel = (unsigned short)pxwidth;
    s->ws.ws_ypixel = (unsigned short)pxheight;
    /* The kernel sends SIGWINCH to the console, which reads the new size. */
    if (s->master >= 0)
        ioctl(s->master, TIOCSWINSZ, &s->ws);
    return 0;
}

static int on_shell_request(ssh_session ssh, ssh_channel channel, void *userdata)
{
    (void)ssh;
    (void)channel;
    struct session *s = userdata;
    if (s->shell || s->sftp || s->exec)
        return -1;
    if (!s->have_pty) {
        /* The console is a full-screen program: it needs a terminal. */
        sshd_log(LOG_AUTH | LOG_INFO, "Refused shell without a pty for %s from %s port %d",
                 s->login.admin.name, s->peer->addr, s->peer->port);
        return -1;
    }
    if (!start_console(s))
        return -1;
    s->shell = true;
    ssh_event_add_fd(s->event, s->master, POLLIN, on_pty_output, s);
    return 0;
}

/* The client's command as it may go into a log line. */
static void printable(const char *in, char *out, size_t n)
{
    size_t k = 0;
    for (; *in && k + 1 < n; in++, k++)
        out[k] = (unsigned char)*in < 0x20 || *in == 0x7f ? '?' : *in;
    out[k] = '\0';
}

/* A command (cli_remote.c) runs once the request is answered: see
 * run_command. */
static int on_exec_request(ssh_session ssh, ssh_channel channel, const char *command,
                           void *userdata)
{
    (void)ssh;
    (void)channel;
    struct session *s = userdata;
    if (s->login.is_user) {
        /* An extension user's login reaches only their own console. */
        sshd_log(LOG_AUTH | LOG_INFO, "Refused command for extension user %s from %s port %d",
                 s->login.admin.name, s->peer->addr, s->peer->port);
        return -1;
    }
    if (s->shell || s->sftp || s->exec || !command || strlen(command) >= sizeof s->command)
        return -1;
    snprintf(s->command, sizeof s->command, "%s", command);
    s->exec = true;
    char shown[sizeof s->command];
    printable(s->command, shown, sizeof shown);
    sshd_log(LOG_DAEMON | LOG_INFO, "Command \"%s\" for %s from %s port %d", shown,
             s->login.admin.name, s->peer->addr, s->peer->port);
    return 0;
}

static int on_subsystem_request(ssh_session ssh, ssh_channel channel, const char *subsystem,
                                void *userdata)
{
    (void)ssh;
    (void)channel;
    struct session *s = userdata;
    /* An expired password is changed in the console first (SPEC §3.6). */
    if (subsystem && !strcmp(subsystem, "sftp") && !s->shell && !s->sftp && !s->exec &&
        !s->login.is_user && s->area.dir >= 0 && !s->login.must_change) {
        s->sftp = true;
        return 0;
    }
    sshd_log(LOG_AUTH | LOG_INFO, "Refused subsystem request %s for %s from %s port %d",
             subsystem ? subsystem : "?", s->login.admin.name, s->peer->addr, s->peer->port);
    return -1;
}

/* Only the locale is taken from the client, and only a plain locale name:
 * nothing else of the console's environment is the client's business. */
static const char *const locale_vars[3] = {"LANG", "LC_ALL", "LC_MESSAGES"};

static bool plain_locale_name(const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || n >= 48)
        return false;
    for (; *v; v++)
        if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') || (*v >= '0' && *v <= '9') ||
              *v == '_' || *v == '.' || *v == '-' || *v == '@'))
            return false;
    return true;
}

static int on_env_request(ssh_session ssh, ssh_channel channel, const char *name, const char *value,
                          void *userdata)
{
    (void)ssh;
    (void)channel;
    struct session *s = userdata;
    for (int i = 0; i < 3; i++) {
        if (name && value && !strcmp(name, locale_vars[i]) && plain_locale_name(value)) {
            snprintf(s->lang[i], sizeof s->lang[i], "%s", value);
            return 0;
        }
    }
    return -1;
}

/* In the console's process: the client's locale, and UTF-8 whatever it
 * asked for, since the console draws Japanese. */
static void apply_client_locale(const struct session *s)
{
    /* A client that names its locale gets exactly that: the server's own
     * LC_ALL must not override the client's LANG. */
    if (s->lang[0][0] || s->lang[1][0] || s->lang[2][0]) {
        for (int i = 0; i < 3; i++) {
            if (s->lang[i][0])
                setenv(locale_vars[i], s->lang[i], 1);
            else
                unsetenv(locale_vars[i]);
        }
    }
    kascon_i18n_init();
    const char *codeset = nl_langinfo(CODESET);
    if (!codeset || strcmp(codeset, "UTF-8"))
        setlocale(LC_CTYPE, "C.UTF-8");
}

static void on_channel_close(ssh_session ssh, ssh_channel channel, void *userdata)
{
    (void)ssh;
    (void)channel;
    struct session *s = userdata;
    s->closed = true;
}

static void on_channel_eof(ssh_session ssh, ssh_channel channel, void *userdata)
{
    struct session *s = userdata;
    if (s->exec)
        s->input_eof = true; /* the end of the command's standard input */
    else if (!s->sftp)
        on_channel_close(ssh, channel, userdata);
}

static ssh_channel on_channel_open(ssh_session ssh, void *userdata)
{
    struct session *s = userdata;
    if (!s->authenticated)
        return NULL;
    if (s->channel) {
        sshd_log(LOG_AUTH | LOG_INFO, "Refused a second session channel for %s from %s port %d",
                 s->login.admin.name, s->peer->addr, s->peer->port);
        return NULL;
    }
    s->channel = ssh_channel_new(ssh);
    if (!s->channel)
        return NULL;
    struct ssh_channel_callbacks_struct *cb = &s->channel_cb;
    memset(cb, 0, sizeof *cb);
    cb->userdata = s;
    cb->channel_data_function = on_channel_data;
    cb->channel_eof_function = on_channel_eof;
    cb->channel_close_function = on_channel_close;
    cb->channel_pty_request_function = on_pty_request;
    cb->channel_shell_request_function = on_shell_request;
    cb->channel_pty_window_change_function = on_window_change;
    cb->channel_exec_request_function = on_exec_request;
    cb->channel_subsystem_request_function = on_subsystem_request;
    cb->channel_env_request_function = on_env_request;
    ssh_callbacks_init(cb);
    ssh_set_channel_callbacks(s->channel, cb);
    return s->channel;
}

/* Everything the callbacks above do not take: keyboard-interactive (libssh
 * 0.10 has no server callback for it), and the refusals.  Returning 1 makes
 * libssh send the default reply, which is a refusal. */
static int on_message(ssh_session ssh, ssh_message msg, void *userdata)
{
    (void)ssh;
    struct session *s = userdata;
    int type = ssh_message_type(msg), subtype = ssh_message_subtype(msg);
    if (type == SSH_REQUEST_AUTH && subtype == SSH_AUTH_METHOD_INTERACTIVE && !s->authenticated) {
        if (!ssh_message_auth_kbdint_is_response(msg)) {
            /* The answers will not carry the user name: keep it now. */
            const char *user = ssh_message_auth_user(msg);
            snprintf(s->kbdint_user, sizeof s->kbdint_user, "%s", user ? user : "");
            const char *prompts[] = {"Password: "};
            char echo[] = {0};
            ssh_message_auth_interactive_request(msg, "", "", 1, prompts, echo);
            return 0;
        }
        const char *answer = ssh_userauth_kbdint_getnanswers(s->ssh) == 1
                                 ? ssh_userauth_kbdint_getanswer(s->ssh, 0)
                                 : NULL;
        if (judge_password(s, "keyboard-interactive", s->kbdint_user, answer ? answer : "")) {
            ssh_message_auth_reply_success(msg, 0);
            return 0;
        }
        ssh_message_auth_set_methods(msg, AUTH_METHODS);
        return 1;
    }
    if (type == SSH_REQUEST_AUTH) {
        ssh_message_auth_set_methods(msg, AUTH_METHODS);
        return 1;
    }
    const char *what = NULL;
    if (type == SSH_REQUEST_CHANNEL_OPEN)
        what =
            subtype == SSH_CHANNEL_DIRECT_TCPIP ? "port forwarding (direct-tcpip)" : "channel open";
    else if (type == SSH_REQUEST_GLOBAL && (subtype == SSH_GLOBAL_REQUEST_TCPIP_FORWARD))
        what = "port forwarding (tcpip-forward)";
    else if (type == SSH_REQUEST_CHANNEL && subtype == SSH_CHANNEL_REQUEST_X11)
        what = "X11 forwarding";
    if (what)
        sshd_log(LOG_AUTH | LOG_INFO, "Refused %s for %s from %s port %d", what,
                 s->authenticated ? s->login.admin.name : "(unauthenticated)", s->peer->addr,
                 s->peer->port);
    return 1;
}

/* ---- exec: one command of cli_remote.c, in a child process ---- */

static int memfd_holding(const char *name, const char *data, size_t len)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    for (size_t done = 0; done < len;) {
        ssize_t w = write(fd, data + done, len - done);
        if (w <= 0 && errno != EINTR) {
            close(fd);
            return -1;
        }
        if (w > 0)
            done += (size_t)w;
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}

static bool send_output(ssh_channel channel, int fd, bool is_stderr)
{
    char buf[32768];
    ssize_t n;
    lseek(fd, 0, SEEK_SET);
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        int rc = is_stderr ? ssh_channel_write_stderr(channel, buf, (uint32_t)n)
                           : ssh_channel_write(channel, buf, (uint32_t)n);
        if (rc == SSH_ERROR)
            return false;
    }
    return n == 0;
}

/* The command's child: standard input, output and error are the memory
 * files; the verb opens the database itself, after the fork. */
static void command_child(struct session *s, int in, int out, int err)
{
    if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0)
        _exit(1);
    close_other_fds();
    signal(SIGPIPE, SIG_DFL);
    signal(SIGALRM, SIG_DFL);
    apply_client_locale(s);
    struct cli cli = {.prog = "kascon", .actor = {s->login.admin.name, s->peer->addr}};
    if (s->login.must_change) {
        fprintf(stderr,
                _("%s: your password has expired: log in to the console (ssh -t) and"
                  " change it first\n"),
                cli.prog);
        _exit(CLI_REFUSED);
    }
    if (s->input_too_big) {
        fprintf(stderr, _("%s: standard input is larger than %lld bytes; nothing was changed\n"),
                cli.prog, s->cfg->max_file_size);
        _exit(CLI_REFUSED);
    }
    if (store_open(s->cfg->db_path, &cli.st)) {
        fprintf(stderr, _("%s: cannot open database %s: %s\n"), cli.prog, s->cfg->db_path,
                cli.st ? store_errmsg(cli.st) : "out of memory");
        _exit(CLI_REFUSED);
    }
    int rc = cli_remote_run(&cli, s->login.site.domain, s->command);
    store_close(cli.st);
    fflush(NULL);
    _exit(rc);
}

/* Runs the command to its end, sends its output and returns its status. */
static int run_command(struct session *s)
{
    int in = memfd_holding("stdin", s->input ? s->input : "", s->input_len);
    int out = memfd_create("stdout", MFD_CLOEXEC), err = memfd_create("stderr", MFD_CLOEXEC);
    free(s->input);
    s->input = NULL;
    int status = 255;
    pid_t pid = in >= 0 && out >= 0 && err >= 0 ? fork() : -1;
    if (pid == 0)
        command_child(s, in, out, err);
    if (pid < 0) {
        sshd_log(LOG_DAEMON | LOG_ERR, "cannot run a command: %s", strerror(errno));
    } else {
        int ws = 0;
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
            ;
        status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 255;
        send_output(s->channel, out, false);
        send_output(s->channel, err, true);
    }
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (err >= 0)
        close(err);
    char shown[sizeof s->command];
    printable(s->command, shown, sizeof shown);
    sshd_log(LOG_DAEMON | LOG_INFO, "Command \"%s\" for %s from %s port %d exited with %d", shown,
             s->login.admin.name, s->peer->addr, s->peer->port, status);
    return status;
}

/* Ends the session channel with the exit status, then lets the client
 * close its side before the connection goes. */
static void end_channel(struct session *s, int status)
{
    ssh_channel_request_send_exit_status(s->channel, status);
    ssh_channel_send_eof(s->channel);
    ssh_channel_close(s->channel);
    for (int i = 0; i < 30 && !s->closed && ssh_is_connected(s->ssh); i++)
        ssh_event_dopoll(s->event, 100);
}

/* ---- the connection ---- */

static void end_console(struct session *s, int *status)
{
    if (s->console <= 0)
        return;
    if (!s->console_gone)
        kill(s->console, SIGHUP);
    for (int i = 0; i < 50; i++) {
        if (waitpid(s->console, status, WNOHANG) == s->console) {
            s->console = 0;
            return;
        }
        struct timespec t = {0, 20000000L};
        nanosleep(&t, NULL);
    }
    kill(s->console, SIGKILL);
    waitpid(s->console, status, 0);
    s->console = 0;
}

/* Leases of a session that ended, however it ended, are released now
 * rather than left to expire; the logout is audited. */
static void finish(struct session *s)
{
    if (!s->authenticated || !open_store(s))
        return;
    int released = 0;
    struct store_actor actor = {s->login.admin.name, s->peer->addr};
    if (store_begin(s->st) == CORE_OK) {
        int rc = store_lock_release_session(s->st, s->lock_session, &released);
        if (!rc)
            rc = store_audit(s->st, s->login.site.id, &actor, "logout", s->login.admin.name, NULL,
                             s->peer->addr);
        if (!rc)
            store_commit(s->st);
        else
            store_rollback(s->st);
    }
    close_store(s);
}

int sshd_session_run(ssh_bind bind, const struct sshd_peer *peer, const struct sshd_config *cfg)
{
    struct session s = {.cfg = cfg, .peer = peer, .master = -1, .area = {-1, {-1, -1}}};
    snprintf(s.lock_session, sizeof s.lock_session, "ssh:%ld:%lld", (long)getpid(),
             (long long)store_now());
    struct sigaction sa = {.sa_handler = on_alarm};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    alarm((unsigned)cfg->login_grace_time);

    s.ssh = ssh_new();
    if (!s.ssh)
        return 1;
    long timeout = cfg->login_grace_time;
    ssh_options_set(s.ssh, SSH_OPTIONS_TIMEOUT, &timeout);
    if (ssh_bind_accept_fd(bind, s.ssh, peer->fd) != SSH_OK) {
        sshd_log(LOG_DAEMON | LOG_ERR, "accept from %s port %d: %s", peer->addr, peer->port,
                 ssh_get_error(bind));
        ssh_free(s.ssh);
        return 1;
    }
    struct ssh_server_callbacks_struct server_cb = {
        .userdata = &s,
        .auth_password_function = on_auth_password,
        .auth_pubkey_function = on_auth_pubkey,
        .channel_open_request_session_function = on_channel_open,
    };
    ssh_callbacks_init(&server_cb);
    ssh_set_server_callbacks(s.ssh, &server_cb);
    if (ssh_handle_key_exchange(s.ssh) != SSH_OK) {
        sshd_log(LOG_AUTH | LOG_INFO, "Connection closed by %s port %d [preauth]: %s", peer->addr,
                 peer->port, ssh_get_error(s.ssh));
        ssh_free(s.ssh);
        return 1;
    }
    ssh_set_auth_methods(s.ssh, AUTH_METHODS);
    ssh_set_message_callback(s.ssh, on_message, &s);

    s.event = ssh_event_new();
    ssh_event_add_session(s.event, s.ssh);
    in_event_loop = 1;
    int status = 0;
    while (!s.closed) {
        if (grace_over && !s.authenticated) {
            sshd_log(LOG_AUTH | LOG_INFO, "Timeout before authentication for %s port %d",
                     peer->addr, peer->port);
            break;
        }
        ssh_event_dopoll(s.event, 1000);
        if (!ssh_is_connected(s.ssh))
            break;
        if (s.sftp) {
            char who[CORE_ADMIN_NAME_MAX + CORE_DOMAIN_MAX + 2];
            snprintf(who, sizeof who, "%s@%s", s.login.admin.name, s.login.site.domain);
            int rc = sshd_sftp_run(s.ssh, s.channel, &s.area, cfg, who, peer->addr);
            end_channel(&s, rc);
            break;
        }
        if (s.exec && (s.input_eof || !cli_remote_reads_stdin(s.command))) {
            end_channel(&s, run_command(&s));
            break;
        }
        if (s.console_gone) {
            ssh_event_remove_fd(s.event, s.master);
            end_console(&s, &status);
            if (s.channel) {
                ssh_channel_request_send_exit_status(s.channel,
                                                     WIFEXITED(status) ? WEXITSTATUS(status) : 255);
                ssh_channel_send_eof(s.channel);
                ssh_channel_close(s.channel);
            }
            break;
        }
    }
    if (s.master >= 0 && !s.console_gone)
        ssh_event_remove_fd(s.event, s.master);
    end_console(&s, &status);
    if (s.master >= 0)
        close(s.master);
    finish(&s);
    io_area_close(&s.area);
    free(s.input);
    if (s.authenticated)
        sshd_log(LOG_AUTH | LOG_INFO, "Disconnected from user %s %s port %d", s.login.admin.name,
                 peer->addr, peer->port);
    close_store(&s);
    ssh_event_free(s.event);
    ssh_disconnect(s.ssh);
    ssh_free(s.ssh);
    return 0;
}
