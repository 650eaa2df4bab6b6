/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Authentication of one connection: passwords (password and
 * keyboard-interactive) and public keys, judged by the console's lockout
 * policy (ops_login_*), with sshd's log lines; and the refusal of every
 * request kascond does not serve (forwarding, X11, other channels). */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "ssh/log.h"
#include "ssh/session.h"
#include "ssh/throttle.h"

/* "admin@tokyo.example.jp" → user "admin", domain "tokyo.example.jp":
 * split at the last '@' (doc/spec.md §3.6); no '@' leaves the domain empty. */
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

bool session_open_store(struct session *s)
{
    if (s->st)
        return true;
    if (store_open(s->cfg->db_path, &s->st) == CORE_OK)
        return true;
    char shown[sizeof s->cfg->db_path];
    sshd_log(LOG_DAEMON | LOG_ERR, "cannot open database %s: %s",
             store_target_shown(s->cfg->db_path, shown, sizeof shown),
             s->st ? store_errmsg(s->st) : "out of memory");
    store_close(s->st);
    s->st = NULL;
    return false;
}

void session_close_store(struct session *s)
{
    store_close(s->st);
    s->st = NULL;
}

/* The audit row of a login judged on a read: written by this process,
 * which outlives the console, once the console's first screen has gone
 * out (session.c), before a command, SFTP or scp runs, or at the end of
 * a connection that got no further.  The store is opened for it and
 * closed again: the console and commands are forked from this process
 * and must inherit no connection. */
bool session_record_login(struct session *s)
{
    if (!s->login.record_pending)
        return true;
    int rc = E_STORAGE;
    if (session_open_store(s))
        rc = ops_login_record(&(struct ops_ctx){.st = s->st}, &s->login);
    if (rc) {
        sshd_log(LOG_AUTH | LOG_ERR,
                 "Login of %s from %s port %d not recorded in the audit log: %s; session ended",
                 s->login.admin.name, s->peer->addr, s->peer->port,
                 s->st ? store_errmsg(s->st) : "cannot open the database");
        s->login.record_pending = false;
        s->record_failed = true;
    }
    session_close_store(s);
    return rc == CORE_OK;
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
    /* The stored codeset of this person's terminal, for the console. */
    struct ops_ctx ctx = {.st = s->st, .site_id = s->login.site.id};
    if (s->st &&
        ops_terminal_encoding_get(&ctx, s->login.is_user, s->login.admin.name, &s->stored_enc))
        s->stored_enc = 0;
    session_close_store(s);
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
    /* An address that failed lately waits for its turn (throttle.c). */
    sshd_throttle_wait(s->peer->addr);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char user[CORE_ADMIN_NAME_MAX + 2], domain[CORE_DOMAIN_MAX + 2];
    split_user(full_user ? full_user : "", user, sizeof user, domain, sizeof domain);
    int rc = E_STORAGE;
    if (session_open_store(s))
        rc = ops_login(&(struct ops_ctx){.st = s->st},
                       &(struct ops_login_request){.domain = domain,
                                                   .user = user,
                                                   .password = password,
                                                   .address = s->peer->addr,
                                                   .defer_record = true},
                       &s->login);
    if (rc == CORE_OK) {
        log_outcome(s, method, full_user, NULL);
        note_authenticated(s);
        return true;
    }
    if (rc == E_LOGIN_FAILED)
        log_outcome(s, method, full_user, NULL);
    sshd_throttle_failed(s->peer->addr);
    if (s->login.auto_unlocked)
        sshd_log(LOG_AUTH | LOG_NOTICE, "Lock of %s expired (automatic unlock)", full_user);
    pad_failure(&start);
    note_failure(s);
    return false;
}

int session_auth_password(ssh_session ssh, const char *user, const char *password, void *userdata)
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

int session_auth_pubkey(ssh_session ssh, const char *full_user, struct ssh_key_struct *pubkey,
                        char signature_state, void *userdata)
{
    (void)ssh;
    struct session *s = userdata;
    char key[CORE_PUBKEY_MAX + 64];
    char user[CORE_ADMIN_NAME_MAX + 2], domain[CORE_DOMAIN_MAX + 2];
    split_user(full_user ? full_user : "", user, sizeof user, domain, sizeof domain);
    if (!key_text(pubkey, key, sizeof key) || !session_open_store(s))
        return SSH_AUTH_DENIED;
    if (signature_state == SSH_PUBLICKEY_STATE_NONE)
        /* "May I use this key?": answered from the registration alone; the
         * lock and the network are judged when the signed request comes. */
        return ops_admin_has_key(&(struct ops_ctx){.st = s->st},
                                 &(struct ops_admin_ref){domain, user}, key)
                   ? SSH_AUTH_SUCCESS
                   : SSH_AUTH_DENIED;
    if (signature_state != SSH_PUBLICKEY_STATE_VALID)
        return SSH_AUTH_DENIED;
    char fp[128];
    key_fingerprint(pubkey, fp, sizeof fp);
    int rc = ops_login_key(&(struct ops_ctx){.st = s->st},
                           &(struct ops_login_request){.domain = domain,
                                                       .user = user,
                                                       .key = key,
                                                       .address = s->peer->addr,
                                                       .defer_record = true},
                           &s->login);
    if (rc == CORE_OK || rc == E_LOGIN_FAILED)
        log_outcome(s, "publickey", full_user, fp);
    if (rc == CORE_OK) {
        note_authenticated(s);
        return SSH_AUTH_SUCCESS;
    }
    note_failure(s);
    return SSH_AUTH_DENIED;
}

/* Everything the callbacks above do not take: keyboard-interactive (libssh
 * 0.10 has no server callback for it), and the refusals.  Returning 1 makes
 * libssh send the default reply, which is a refusal. */
int session_on_message(ssh_session ssh, ssh_message msg, void *userdata)
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
