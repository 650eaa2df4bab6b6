/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One SSH connection, in its own process, from accept to its end: key
 * exchange, the login grace time, the event loop, and at the end the
 * console's process, the session's leases and the logout.
 * Authentication is in auth.c, the session channel and the console in
 * channel.c, commands in exec.c, SFTP in sftp.c. */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "i18n.h"
#include "ssh/log.h"
#include "ssh/session.h"

static volatile sig_atomic_t in_event_loop, grace_over;

static void on_alarm(int sig)
{
    (void)sig;
    /* During key exchange libssh is blocking: end the process right away. */
    if (!in_event_loop)
        _exit(1);
    grace_over = 1;
}

/* Ends the session channel with the exit status, then lets the client
 * close its side before the connection goes. */
static void end_channel(struct session *s, int status)
{
    ssh_channel_request_send_exit_status(s->channel, status);
    ssh_channel_send_eof(s->channel);
    ssh_channel_close(s->channel);
    /* Seconds, not polls: a client still sending wakes every poll. */
    time_t end = time(NULL) + 5;
    while (!s->closed && ssh_is_connected(s->ssh) && time(NULL) < end)
        ssh_event_dopoll(s->event, 100);
}

/* ---- the connection ---- */

/* The connection's last moments: whatever the client still sends (the
 * rest of a refused 1 GB standard input, say) is read and dropped until
 * it closes its side, for a few seconds at most.  Closing a socket with
 * unread bytes makes the kernel reset the connection, and a reset
 * discards what the client has not read yet: the command's last message
 * and exit status. */
static void close_lingering(int fd)
{
    if (fd < 0)
        return;
    shutdown(fd, SHUT_WR);
    time_t end = time(NULL) + 5;
    char buf[16384];
    for (time_t now = time(NULL); now < end; now = time(NULL)) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int n = poll(&pfd, 1, (int)(end - now) * 1000);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        ssize_t r = read(fd, buf, sizeof buf);
        if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
            break;
    }
    close(fd);
}

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

/* The console's first screen is out when it has written something and
 * then nothing for a moment (it waits for a key). */
#define FIRST_SCREEN_QUIET 0.02

static bool first_screen_out(const struct session *s)
{
    if (!s->shell || !s->console_bytes)
        return false;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9 - s->console_last >= FIRST_SCREEN_QUIET;
}

/* A login whose audit row cannot be written has not taken effect: the
 * console (if any) ends, its last output (the terminal's reset) goes to
 * the client, then why the session ends. */
static void end_unrecorded(struct session *s, int *status)
{
    if (s->console > 0) {
        end_console(s, status);
        char buf[8192];
        ssize_t n;
        while ((n = read(s->master, buf, sizeof buf)) > 0)
            ssh_channel_write(s->channel, buf, (uint32_t)n);
    }
    char msg[512];
    snprintf(msg, sizeof msg, "%s%s\r\n", s->shell ? "\r\n" : "",
             _("kascond: the login could not be written to the audit log, so the session ends;"
               " try again later."));
    ssh_channel_write_stderr(s->channel, msg, (uint32_t)strlen(msg));
    end_channel(s, 1);
}

/* Leases of a session that ended, however it ended, are released now
 * rather than left to expire; the logout is audited.  A login that never
 * got as far as its first screen or command is recorded first. */
static void finish(struct session *s)
{
    if (!s->authenticated)
        return;
    session_record_login(s);
    if (s->record_failed || !session_open_store(s))
        return;
    struct ops_ctx ctx = {.st = s->st,
                          .site_id = s->login.site.id,
                          .actor = {s->login.admin.name, s->peer->addr},
                          .source = OPS_SOURCE_SSH,
                          .lock_session = s->lock_session};
    ops_logout(&ctx, NULL);
    session_close_store(s);
}

int sshd_session_run(ssh_bind bind, const struct sshd_peer *peer, const struct sshd_config *cfg)
{
    struct session s = {
        .cfg = cfg, .peer = peer, .master = -1, .input_fd = -1, .area = {-1, {-1, -1}}};
    relay_conv_none(&s.to_term);
    relay_conv_none(&s.from_term);
    /* The lease names its session: host, process and start time, so that
     * a restarted listener can tell live sessions from gone ones. */
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    snprintf(s.lock_session, sizeof s.lock_session, "ssh:%.24s:%ld:%lld", host, (long)getpid(),
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
        .auth_password_function = session_auth_password,
        .auth_pubkey_function = session_auth_pubkey,
        .channel_open_request_session_function = session_channel_open,
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
    ssh_set_message_callback(s.ssh, session_on_message, &s);

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
        /* While a login's audit row waits for the console's first screen,
         * the loop looks every few milliseconds for the console's pause. */
        ssh_event_dopoll(s.event, s.login.record_pending && s.console_bytes ? 10 : 1000);
        if (!ssh_is_connected(s.ssh))
            break;
        if (s.login.record_pending && (s.sftp || s.scp || s.exec || first_screen_out(&s))) {
            /* The row is written once the screen is on its way, and before
             * the console, a command or a file transfer takes any input. */
            if (s.shell)
                ssh_blocking_flush(s.ssh, 1000);
            if (!session_record_login(&s)) {
                end_unrecorded(&s, &status);
                break;
            }
            session_release_input(&s);
        }
        if (s.sftp) {
            char who[CORE_ADMIN_NAME_MAX + CORE_DOMAIN_MAX + 2];
            snprintf(who, sizeof who, "%s@%s", s.login.admin.name, s.login.site.domain);
            int rc = sshd_sftp_run(s.ssh, s.channel, &s.area, cfg, who, peer->addr);
            end_channel(&s, rc);
            break;
        }
        if (s.scp) {
            char who[CORE_ADMIN_NAME_MAX + CORE_DOMAIN_MAX + 2];
            snprintf(who, sizeof who, "%s@%s", s.login.admin.name, s.login.site.domain);
            /* An expired password is changed in the console first, as for SFTP. */
            const char *refusal =
                s.login.must_change
                    ? "your password has expired: log in to the console (ssh -t) and change it"
                      " first"
                : s.area.dir < 0 ? "no file area: files cannot be copied on this server"
                                 : NULL;
            int rc =
                sshd_scp_run(s.ssh, s.channel, &s.area, cfg, s.command, refusal, who, peer->addr);
            end_channel(&s, rc);
            break;
        }
        if (session_exec_ready(&s)) {
            end_channel(&s, session_run_command(&s));
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
    if (s.input_fd >= 0)
        close(s.input_fd);
    if (s.authenticated)
        sshd_log(LOG_AUTH | LOG_INFO, "Disconnected from user %s %s port %d", s.login.admin.name,
                 peer->addr, peer->port);
    session_close_store(&s);
    /* As with sshd, the client ends the connection once its channel is
     * closed: a disconnect sent while it still reads would make it exit
     * with 255 instead of the command's status. */
    for (time_t end = time(NULL) + 5; s.closed && ssh_is_connected(s.ssh) && time(NULL) < end;)
        ssh_event_dopoll(s.event, 100);
    ssh_event_free(s.event);
    int linger = dup(ssh_get_fd(s.ssh));
    ssh_disconnect(s.ssh);
    ssh_free(s.ssh);
    close_lingering(linger);
    return 0;
}
