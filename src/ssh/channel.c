/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session channel: its requests (pty, window size, env, shell,
 * subsystem), the console in a child process on the pty's slave side, and
 * the relay of bytes between the channel and the pty's master side. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <utmp.h>

#include "console/console.h"
#include "i18n.h"
#include "ssh/log.h"
#include "ssh/session.h"

/* ---- the console on a pty ---- */

void session_close_other_fds(void)
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
        session_close_other_fds();
        signal(SIGPIPE, SIG_DFL);
        signal(SIGCHLD, SIG_DFL);
        signal(SIGALRM, SIG_DFL);
        alarm(0);
        if (s->term[0])
            setenv("TERM", s->term, 1);
        session_apply_locale(s);
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
    if (s->exec)
        return session_exec_input(s, data, len);
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

/* The client's terminal size, clamped to what the console draws on
 * (SESSION_MAX_COLS x SESSION_MAX_ROWS): a larger one goes on at that
 * size, and nothing is ever sized by the client's numbers alone. */
static void set_size(struct session *s, int width, int height)
{
    s->ws.ws_col = (unsigned short)(width < 1                  ? 1
                                    : width > SESSION_MAX_COLS ? SESSION_MAX_COLS
                                                               : width);
    s->ws.ws_row = (unsigned short)(height < 1                  ? 1
                                    : height > SESSION_MAX_ROWS ? SESSION_MAX_ROWS
                                                                : height);
    s->ws.ws_xpixel = 0;
    s->ws.ws_ypixel = 0;
}

static int on_pty_request(ssh_session ssh, ssh_channel channel, const char *term, int width,
                          int height, int pxwidth, int pxheight, void *userdata)
{
    (void)ssh;
    (void)channel;
    (void)pxwidth;
    (void)pxheight;
    struct session *s = userdata;
    if (s->shell)
        return -1;
    snprintf(s->term, sizeof s->term, "%s", term ? term : "");
    set_size(s, width > 0 ? width : 80, height > 0 ? height : 24);
    s->have_pty = true;
    return 0;
}

static int on_window_change(ssh_session ssh, ssh_channel channel, int width, int height,
                            int pxwidth, int pxheight, void *userdata)
{
    (void)ssh;
    (void)channel;
    struct session *s = userdata;
    (void)pxwidth;
    (void)pxheight;
    set_size(s, width, height);
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

static int on_subsystem_request(ssh_session ssh, ssh_channel channel, const char *subsystem,
                                void *userdata)
{
    (void)ssh;
    (void)channel;
    struct session *s = userdata;
    /* An expired password is changed in the console first (doc/spec.md §3.6). */
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
void session_apply_locale(const struct session *s)
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

ssh_channel session_channel_open(ssh_session ssh, void *userdata)
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
    cb->channel_exec_request_function = session_exec_request;
    cb->channel_subsystem_request_function = on_subsystem_request;
    cb->channel_env_request_function = on_env_request;
    ssh_callbacks_init(cb);
    ssh_set_channel_callbacks(s->channel, cb);
    return s->channel;
}
