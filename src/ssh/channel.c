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
#include "core/terminal.h"
#include "i18n.h"
#include "ssh/log.h"
#include "ssh/session.h"

/* ---- the console on a pty ---- */

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
        char conv[2 * sizeof buf + 16];
        const char *out = buf;
        if (relay_conv_active(&s->to_term)) {
            n = (ssize_t)relay_conv_run(&s->to_term, buf, (size_t)n, conv, sizeof conv);
            out = conv;
        }
        if (n > 0 && s->channel && ssh_channel_write(s->channel, out, (uint32_t)n) == SSH_ERROR)
            s->closed = true;
        s->console_bytes += (unsigned long)(n > 0 ? n : 0);
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        s->console_last = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
        return 0;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    /* EIO: the console closed the terminal (it exited). */
    s->console_gone = true;
    return 0;
}

static void to_console(struct session *s, const void *data, uint32_t len);

static int on_channel_data(ssh_session ssh, ssh_channel channel, void *data, uint32_t len,
                           int is_stderr, void *userdata)
{
    (void)ssh;
    (void)channel;
    (void)is_stderr;
    struct session *s = userdata;
    if (s->sftp || s->scp)
        return 0; /* left in the channel for the SFTP or scp server's reads */
    if (s->exec)
        return session_exec_input(s, data, len);
    if (s->master < 0)
        return (int)len; /* no console yet: typed-ahead bytes are dropped */
    if (s->login.record_pending) {
        /* Keys for the console wait until its login is in the audit log;
         * what does not fit here waits in libssh's buffer. */
        size_t take = sizeof s->held - s->held_len < len ? sizeof s->held - s->held_len : len;
        memcpy(s->held + s->held_len, data, take);
        s->held_len += take;
        return (int)take;
    }
    to_console(s, data, len);
    return (int)len;
}

void session_release_input(struct session *s)
{
    size_t n = s->held_len;
    s->held_len = 0;
    if (n && s->master >= 0)
        to_console(s, s->held, (uint32_t)n);
}

/* Writes what the client typed to the console's terminal. */
static void to_console(struct session *s, const void *data, uint32_t len)
{
    const char *p = data;
    uint32_t left = len;
    char *conv = NULL;
    if (relay_conv_active(&s->from_term)) {
        size_t size = 2 * (size_t)len + 16;
        if (!(conv = malloc(size)))
            return;
        left = (uint32_t)relay_conv_run(&s->from_term, data, len, conv, size);
        p = conv;
    }
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
    free(conv);
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

/* The EUC-JP locale the console runs in for a Shift_JIS or EUC-JP
 * terminal; "" when the system has none. */
static void find_euc_locale(char *name, size_t n)
{
    static const char *const names[] = {"ja_JP.EUC-JP", "ja_JP.eucJP", "ja_JP.eucjp", "ja_JP.ujis"};
    name[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        locale_t l = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
        if (l) {
            freelocale(l);
            snprintf(name, n, "%s", names[i]);
            return;
        }
    }
}

/* The terminal's codeset, and the console's locale and conversions for it. */
static void choose_encoding(struct session *s)
{
    const char *client = s->lang[1][0] ? s->lang[1] : s->lang[0]; /* LC_ALL, else LANG */
    int enc = core_term_encoding_of_locale(client);
    if (enc == CORE_TERM_AUTO)
        enc = s->stored_enc;
    s->term_enc = enc == CORE_TERM_AUTO ? CORE_TERM_UTF8 : enc;
    if (s->term_enc == CORE_TERM_UTF8)
        return;
    find_euc_locale(s->console_locale, sizeof s->console_locale);
    /* The console's side: EUC-JP (as Microsoft maps it, so that ～ and －
     * round-trip with CP932), or UTF-8 when no EUC-JP locale exists. */
    const char *console = s->console_locale[0] ? "EUC-JP-MS" : "UTF-8";
    const char *term = s->term_enc == CORE_TERM_CP932 ? "CP932" : "EUC-JP-MS";
    if (!s->console_locale[0])
        sshd_log(LOG_DAEMON | LOG_WARNING,
                 "No ja_JP.EUC-JP locale: the console of %s runs in UTF-8 and is converted to %s,"
                 " with UTF-8 widths (localedef -i ja_JP -f EUC-JP ja_JP.EUC-JP adds it)",
                 s->login.admin.name, term);
    sshd_log(LOG_DAEMON | LOG_INFO, "Console of %s@%s in %s for a %s terminal", s->login.admin.name,
             s->login.site.domain, s->console_locale[0] ? s->console_locale : "UTF-8",
             s->term_enc == CORE_TERM_CP932 ? "CP932" : "EUC-JP");
    if (strcmp(console, term) && (!relay_conv_open(&s->to_term, term, console) ||
                                  !relay_conv_open(&s->from_term, console, term))) {
        sshd_log(LOG_DAEMON | LOG_ERR, "iconv %s <-> %s: %s", console, term, strerror(errno));
        relay_conv_none(&s->to_term);
        relay_conv_none(&s->from_term);
    }
}

static int on_shell_request(ssh_session ssh, ssh_channel channel, void *userdata)
{
    (void)ssh;
    (void)channel;
    struct session *s = userdata;
    if (s->shell || s->sftp || s->exec || s->scp)
        return -1;
    if (!s->have_pty) {
        /* The console is a full-screen program: it needs a terminal. */
        sshd_log(LOG_AUTH | LOG_INFO, "Refused shell without a pty for %s from %s port %d",
                 s->login.admin.name, s->peer->addr, s->peer->port);
        return -1;
    }
    choose_encoding(s);
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
    if (subsystem && !strcmp(subsystem, "sftp") && !s->shell && !s->sftp && !s->exec && !s->scp &&
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
        if (name && value && !strcmp(name, session_locale_vars[i]) && plain_locale_name(value)) {
            snprintf(s->lang[i], sizeof s->lang[i], "%s", value);
            return 0;
        }
    }
    return -1;
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
    else if (!s->sftp && !s->scp)
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
