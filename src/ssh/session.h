/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One connection's state, shared by the parts of a session child:
 * session.c (the connection's life), auth.c (authentication), channel.c
 * (the session channel and the console on its pty), exec.c (one command
 * of cli_remote.c) and child.c (what their child processes share). */
#ifndef KASCON_SSH_SESSION_H
#define KASCON_SSH_SESSION_H

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <time.h>

#include "io/area.h"
#include "ops/ops.h"
#include "ssh/relay.h"
#include "ssh/sshd.h"

#define AUTH_METHODS                                                                               \
    (SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_INTERACTIVE | SSH_AUTH_METHOD_PUBLICKEY)
/* Every failed password attempt takes at least this long, whatever failed
 * (unknown user, wrong password, locked account, refused network), so that
 * neither the reply nor its timing tells them apart. */
#define FAILURE_FLOOR_NS 250000000L
/* The largest terminal the console is given (as tui/winsize.c clamps). */
#define SESSION_MAX_COLS 512
#define SESSION_MAX_ROWS 256

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
     * SFTP subsystem, one command (exec) with its standard input, or the
     * server's side of legacy scp (an exec of "scp -t" / "scp -f"). */
    bool sftp, exec, scp;
    char command[1024];
    int input_fd; /* the spooled standard input of a command, or -1 */
    long long input_len;
    time_t last_input;
    bool input_eof, input_too_big, input_idle, input_failed;
    struct io_area area; /* opened at authentication */
    char term[64];
    /* The client's LANG / LC_* (OpenSSH's SendEnv), so that each
     * administrator sees the console in their own language. */
    char lang[3][48];
    /* The terminal's codeset (CORE_TERM_*): the client's LANG when it names
     * one, else the person's stored setting (read at authentication),
     * else UTF-8.  A Shift_JIS or EUC-JP terminal gets a console running
     * in console_locale (ja_JP.EUC-JP, whose widths are those terminals'),
     * and the relay converts between the two codesets. */
    int stored_enc, term_enc;
    char console_locale[32]; /* "" for the client's locale, UTF-8 */
    struct relay_conv to_term, from_term;
    struct winsize ws;
    int master;
    pid_t console;
    bool console_gone;
    /* A login judged on a read whose audit row is still to be written
     * (login.record_pending): the console's output so far, and what the
     * client typed meanwhile, given to the console once the row is in. */
    unsigned long console_bytes;
    double console_last; /* when the console last wrote (monotonic seconds) */
    char held[4096];
    size_t held_len;
    bool record_failed;
    bool closed;
    char lock_session[64];
};

/* auth.c: the store is open during authentication only. */
bool session_open_store(struct session *s);
void session_close_store(struct session *s);
/* Writes the audit row of a login judged on a read (ops_login_record),
 * if one is due; false, after logging it, when it cannot be written. */
bool session_record_login(struct session *s);
int session_auth_password(ssh_session ssh, const char *user, const char *password, void *userdata);
int session_auth_pubkey(ssh_session ssh, const char *full_user, struct ssh_key_struct *pubkey,
                        char signature_state, void *userdata);
/* keyboard-interactive, and the refusals of everything else. */
int session_on_message(ssh_session ssh, ssh_message msg, void *userdata);

/* channel.c */
ssh_channel session_channel_open(ssh_session ssh, void *userdata);
/* Gives the console what the client typed while its login was recorded. */
void session_release_input(struct session *s);

/* child.c: the locale variables a client may send (SendEnv), kept in
 * s->lang in this order. */
extern const char *const session_locale_vars[3];
/* In a child process: the client's locale (LANG, LC_*), UTF-8 always. */
void session_apply_locale(const struct session *s);
/* In a child process: every descriptor above standard error closed. */
void session_close_other_fds(void);

/* exec.c */
int session_exec_request(ssh_session ssh, ssh_channel channel, const char *command, void *userdata);
/* Takes `len` bytes of the command's standard input; returns what was consumed. */
int session_exec_input(struct session *s, const void *data, uint32_t len);
/* Whether the command can run now: its input is complete (or refused,
 * or idle past the idle timeout), or it reads none. */
bool session_exec_ready(struct session *s);
/* Runs the command to its end, sends its output and returns its status. */
int session_run_command(struct session *s);

#endif
