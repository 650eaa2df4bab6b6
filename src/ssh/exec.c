/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exec on the session channel: one command of cli_remote.c ("ext import",
 * "ext export", ...), its standard input taken from the channel, run in a
 * child process, its output and exit status sent back. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "i18n.h"
#include "ssh/log.h"
#include "ssh/session.h"

/* A command (cli_remote.c) runs once the request is answered: see
 * session_run_command. */
int session_exec_request(ssh_session ssh, ssh_channel channel, const char *command, void *userdata)
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
    if (s->shell || s->sftp || s->exec || s->scp || !command ||
        strlen(command) >= sizeof s->command)
        return -1;
    snprintf(s->command, sizeof s->command, "%s", command);
    if (sshd_scp_command(command))
        s->scp = true; /* served by scp.c, speaking the protocol as it goes */
    else
        s->exec = true;
    s->last_input = time(NULL);
    char shown[sizeof s->command];
    sshd_printable(s->command, shown, sizeof shown);
    sshd_log(LOG_DAEMON | LOG_INFO, "Command \"%s\" for %s from %s port %d", shown,
             s->login.admin.name, s->peer->addr, s->peer->port);
    return 0;
}

/* ---- exec: one command of cli_remote.c, in a child process ---- */

/* A file for a command's input or output: unlinked, 0600, on disk in the
 * administrator's area (O_TMPFILE) rather than in memory, so that a large
 * input costs the session no memory; a memory file where the file system
 * has no O_TMPFILE. */
static int spool_file(const struct session *s, const char *name)
{
    int fd = s->area.dir >= 0 ? openat(s->area.dir, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600) : -1;
    if (fd < 0)
        fd = memfd_create(name, MFD_CLOEXEC);
    return fd;
}

int session_exec_input(struct session *s, const void *data, uint32_t len)
{
    /* A command's standard input, a CSV file, is spooled as it comes, up
     * to the import size limit; past it, the command is refused at once. */
    s->last_input = time(NULL);
    if (s->input_too_big)
        return (int)len;
    if (s->input_len + len > s->cfg->max_import_size) {
        s->input_too_big = true;
        return (int)len;
    }
    if (s->input_fd < 0 && (s->input_fd = spool_file(s, "stdin")) < 0) {
        s->input_failed = true;
        return (int)len;
    }
    const char *p = data;
    for (uint32_t done = 0; done < len;) {
        ssize_t w = write(s->input_fd, p + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            s->input_failed = true;
            return (int)len;
        }
        done += (uint32_t)w;
    }
    s->input_len += len;
    return (int)len;
}

bool session_exec_ready(struct session *s)
{
    if (!s->exec)
        return false;
    if (s->input_eof || s->input_too_big || s->input_failed || !cli_remote_reads_stdin(s->command))
        return true;
    /* Waiting on standard input ends like an idle console. */
    if (s->cfg->idle_timeout > 0 && time(NULL) - s->last_input >= s->cfg->idle_timeout) {
        s->input_idle = true;
        return true;
    }
    return false;
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

/* The command's child: standard input, output and error are the spool
 * files; the verb opens the database itself, after the fork. */
static void command_child(struct session *s, int in, int out, int err)
{
    if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0)
        _exit(1);
    session_close_other_fds();
    signal(SIGPIPE, SIG_DFL);
    signal(SIGALRM, SIG_DFL);
    session_apply_locale(s);
    struct cli cli = {
        .prog = "kascon", .remote = true, .actor = {s->login.admin.name, s->peer->addr}};
    if (s->login.must_change) {
        fprintf(stderr,
                _("%s: your password has expired: log in to the console (ssh -t) and"
                  " change it first\n"),
                cli.prog);
        _exit(CLI_REFUSED);
    }
    if (s->input_too_big) {
        fprintf(stderr, _("%s: standard input is larger than %lld bytes; nothing was changed\n"),
                cli.prog, s->cfg->max_import_size);
        _exit(CLI_REFUSED);
    }
    if (s->input_idle) {
        fprintf(stderr, _("%s: no input for %d seconds; nothing was changed\n"), cli.prog,
                s->cfg->idle_timeout);
        _exit(CLI_REFUSED);
    }
    if (s->input_failed) {
        fprintf(stderr, _("%s: cannot read standard input\n"), cli.prog);
        _exit(CLI_REFUSED);
    }
    cli.max_input = s->cfg->max_import_size;
    if (store_open(s->cfg->db_path, &cli.st)) {
        char shown[sizeof s->cfg->db_path];
        fprintf(stderr, _("%s: cannot open database %s: %s\n"), cli.prog,
                store_target_shown(s->cfg->db_path, shown, sizeof shown),
                cli.st ? store_errmsg(cli.st) : "out of memory");
        _exit(CLI_REFUSED);
    }
    /* What the command changes reaches the registrar after its commit. */
    ops_registrar_config_from_env(&cli.registrar);
    ops_registrar_attach(&(struct ops_ctx){.st = cli.st}, &cli.registrar);
    int rc = cli_remote_run(&cli, s->login.site.domain, s->command);
    if (cli.registrar.url[0]) {
        char line[512];
        ops_registrar_status_line(&(struct ops_ctx){.st = cli.st}, line, sizeof line);
        if (line[0])
            fprintf(stderr, "%s: %s\n", cli.prog, line);
    }
    store_close(cli.st);
    fflush(NULL);
    _exit(rc);
}

int session_run_command(struct session *s)
{
    int in = s->input_fd >= 0 ? s->input_fd : open("/dev/null", O_RDONLY | O_CLOEXEC);
    s->input_fd = -1;
    if (in >= 0)
        lseek(in, 0, SEEK_SET);
    int out = spool_file(s, "stdout"), err = spool_file(s, "stderr");
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
    sshd_printable(s->command, shown, sizeof shown);
    sshd_log(LOG_DAEMON | LOG_INFO, "Command \"%s\" for %s from %s port %d exited with %d", shown,
             s->login.admin.name, s->peer->addr, s->peer->port, status);
    return status;
}
