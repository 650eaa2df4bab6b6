/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Operations shared by every front end (console screens, kasconctl, the
 * SSH server): each checks the core's rules, then changes the store in one
 * transaction, audited.  A front end only collects input and shows the
 * problems; a rule or a message exists once, here or below. */
#ifndef KASCON_OPS_H
#define KASCON_OPS_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio.h>

#include "core/cdr.h"
#include "core/forwarding.h"
#include "core/groups.h"
#include "core/lockout.h"
#include "core/numplan.h"
#include "core/password.h"
#include "core/pubkey.h"
#include "core/problem.h"
#include "core/rules.h"
#include "io/io.h"
#include "store/store.h"

/* Where a request comes from: the console on a terminal, the console or an
 * exec verb over SSH, or kasconctl. */
enum ops_source { OPS_SOURCE_CONSOLE, OPS_SOURCE_SSH, OPS_SOURCE_CLI };

/* Who acts on what: the first argument of every operation.  One value
 * carries the store, the site acted on (0 for the operator's verbs that
 * name a site by its domain, and before a login), the actor written to
 * the audit log, where the request comes from, and the session whose
 * locks (the locks table) are this actor's.  The front end fills it once
 * (at login, or per kasconctl verb) and passes it down unchanged. */
struct ops_ctx {
    struct store *st;
    int64_t site_id;
    struct store_actor actor; /* audited as who, from where */
    enum ops_source source;
    const char *lock_session; /* the session's id in the locks table, or NULL */
};

/* A version-checked write saves only if the row's version is still the
 * one the caller read (E_CHANGED_MEANWHILE otherwise); a script that read
 * nothing passes OPS_ANY_VERSION to write over whatever is current. */
#define OPS_ANY_VERSION (-1)

/* Fields of a new extension profile (doc/spec.md §3.1), as typed.  Empty SIP
 * values take the extension number. */
struct ops_ext_input {
    const char *ext;
    const char *sip_id;
    const char *sip_password;
    const char *web_user;
    const char *web_password;
    bool is_virtual;
};

/* Field indexes used in core_problem.field for ops_ext_input problems. */
enum ops_ext_field {
    OPS_F_EXT,
    OPS_F_SIP_ID,
    OPS_F_SIP_PASSWORD,
    OPS_F_WEB_USER,
    OPS_F_WEB_PASSWORD,
    OPS_F_MOBILE,
};

/* Checks every field (format, duplicates in the site, numbering plan,
 * capacity) and, if no problem, registers the profile.  Every problem found
 * is appended to *problems; returns CORE_OK or the first problem's code. */
int ops_ext_register(const struct ops_ctx *ctx, const struct ops_ext_input *in,
                     struct core_problems *problems);
/* Only the checks of step 1 of §3.4 (the extension number itself). */
int ops_ext_check_number(const struct ops_ctx *ctx, const char *ext, struct core_problem *problem);
/* Changes the SIP and web credentials of a profile read at `version`.
 * Empty SIP password and web password keep the stored ones; an empty web
 * user removes the web login. */
int ops_ext_update(const struct ops_ctx *ctx, const char *ext, int64_t version,
                   const struct ops_ext_input *in, struct core_problems *problems);
/* 一括登録 / 一括削除 (doc/spec.md §4) from a file (path) or a buffer (path NULL).
 * Every problem goes to *problems with its row (record number) and
 * column (0-based; -1 for the whole row, or the file); nothing changes
 * unless the whole file is valid, and then it is applied in one
 * transaction.  dry_run checks only. */
enum ops_bulk_mode { OPS_BULK_REGISTER, OPS_BULK_DELETE };
enum ops_bulk_phase { OPS_BULK_READ, OPS_BULK_CHECK, OPS_BULK_HASH, OPS_BULK_APPLY };
typedef void (*ops_bulk_progress_fn)(void *ctx, int phase, long done, long total);
struct ops_bulk_result {
    enum io_encoding encoding; /* detected */
    long rows, created, assigned, deleted, unassigned;
};
struct ops_bulk_request {
    enum ops_bulk_mode mode;
    const char *path; /* the file, or NULL to read buf */
    const void *buf;
    size_t len;
    bool dry_run;
    ops_bulk_progress_fn progress; /* may be NULL */
    void *progress_ctx;
    /* Bytes of input at most; 0 for OPS_BULK_MAX_INPUT. */
    long long max_input;
};
/* Well above the largest legal file: CORE_CAPACITY_MAX rows of the
 * longest register row (about 130 bytes, quoted, CRLF) is 13 MB. */
#define OPS_BULK_MAX_INPUT (32LL << 20)
int ops_bulk(const struct ops_ctx *ctx, const struct ops_bulk_request *req,
             struct core_problems *problems, struct ops_bulk_result *result);
/* 一括出力: the 10-column register format of every ordinary profile, in
 * extension order, CP932 (or UTF-8), the web password column empty. */
int ops_bulk_export(const struct ops_ctx *ctx, FILE *out, enum io_encoding encoding, long *rows,
                    struct core_problem *problem);
/* Locked administrators and web users still locked now (auto unlock). */
int ops_locked_each(const struct ops_ctx *ctx, store_locked_cb cb, void *cb_ctx);
int ops_unlock(const struct ops_ctx *ctx, bool is_user, const char *name,
               struct core_problem *problem);
/* 自動ロック解除 and インターネットアクセス規制: 1 on, 0 off, -1 leaves a
 * value as it is.  Saved only if the site's version is still `version`. */
struct ops_access_input {
    int auto_unlock;
    int restrict_admin;
    int restrict_user;
};
int ops_site_access_set(const struct ops_ctx *ctx, int64_t version,
                        const struct ops_access_input *in, struct core_problem *problem);
/* 保留特番設定 (§5.2), ダイヤル確定特番設定 (§5.4) and プッシュ音設定 (§5.5).
 * NULL codes and -1 options stay as they are.  An empty hold code or
 * DTMF-send code deletes it; the dial-confirm code cannot be emptied.
 * Each code passes its rule, then the numbering plan (site number, GW id,
 * every other code, every extension; the collision names the value).
 * Saved in one transaction, audited, only if the site's version is still
 * `version` (OPS_ANY_VERSION: whatever is current, for scripts); otherwise
 * E_CHANGED_MEANWHILE.  Every problem goes to *problems with field = enum
 * ops_code_field.  A one-character hold code is saved, and *warning
 * (if not NULL) gets W_HOLD_CODE_ONE_CHAR; its code is 0 otherwise. */
enum ops_code_field {
    OPS_C_HOLD,
    OPS_C_HOLD_DISCONNECT,
    OPS_C_DIAL_CONFIRM,
    OPS_C_DTMF_ERASE,
    OPS_C_DTMF_SEND,
    OPS_C_FIELDS
};
struct ops_codes_input {
    const char *hold_code;
    int hold_disconnect; /* 1 切断, 0 非切断 (default) */
    const char *dial_confirm_code;
    int dtmf_erase; /* 1 消去する, 0 消去しない (default) */
    const char *dtmf_send_code;
};
#define OPS_CODES_UNCHANGED                                                                        \
    {                                                                                              \
        NULL, -1, NULL, -1, NULL                                                                   \
    }
int ops_site_codes_set(const struct ops_ctx *ctx, int64_t version, const struct ops_codes_input *in,
                       struct core_problems *problems, struct core_problem *warning);
int ops_ext_delete(const struct ops_ctx *ctx, const char *ext, bool force,
                   struct core_problem *problem);
int ops_assign(const struct ops_ctx *ctx, const char *ext, const char *mobile,
               struct core_problems *problems);
int ops_unassign(const struct ops_ctx *ctx, const char *ext, const char *mobile,
                 struct core_problem *problem);

/* Operator: sites, administrators, lines. */
struct ops_site_input {
    const char *domain;
    const char *capacity;
    const char *site_number;
    const char *gw_id;
    const char *park_code;
    const char *pickup_code;
    const char *group_pickup_code;
};
int ops_site_add(const struct ops_ctx *ctx, const struct ops_site_input *in,
                 struct core_problems *problems, int64_t *site_id);
/* KEY=VALUE settings of `kasconctl site set`; all applied or none. */
int ops_site_set(const struct ops_ctx *ctx, const char *domain, char *const *assignments, int count,
                 struct core_problems *problems);
/* An administrator, named by the site's domain (may be NULL or empty when
 * there is one site) and the login name. */
struct ops_admin_ref {
    const char *domain;
    const char *name;
};
int ops_admin_add(const struct ops_ctx *ctx, const struct ops_admin_ref *ref, const char *password,
                  struct core_problem *problem);
/* Operator reset: new password, expired so that it must be changed. */
int ops_admin_reset(const struct ops_ctx *ctx, const struct ops_admin_ref *ref,
                    const char *password, struct core_problem *problem);
int ops_admin_unlock(const struct ops_ctx *ctx, const struct ops_admin_ref *ref,
                     struct core_problem *problem);
int ops_line_add(const struct ops_ctx *ctx, const char *domain, char *const *mobiles, int count,
                 struct core_problems *problems);

/* Administrator login (§2.5, §3.6).  Every failure, whatever its cause,
 * returns E_LOGIN_FAILED after the same work.  On success fills *admin
 * and *site and sets *must_change when the password has expired. */
enum ops_login_outcome {
    OPS_LOGIN_OK,
    OPS_LOGIN_UNKNOWN,        /* no such site or administrator */
    OPS_LOGIN_FAIL,           /* wrong password (counted) or unregistered key */
    OPS_LOGIN_LOCKED_NOW,     /* this wrong password locked the account */
    OPS_LOGIN_REFUSED_LOCKED, /* the account was locked: not judged */
    OPS_LOGIN_REFUSED_NETWORK, /* インターネットアクセス規制: outside trusted networks */
};
struct ops_session {
    struct store_site site;
    /* An administrator; for an extension user only name and site_id. */
    struct store_admin admin;
    bool is_user;         /* an extension user (ユーザーカスコン) */
    struct store_ext ext; /* the user's own extension, when is_user */
    bool must_change;
    /* Why, for the server's log only: the user is told E_LOGIN_FAILED. */
    enum ops_login_outcome outcome;
    bool auto_unlocked;       /* a lock lifted by 自動ロック解除 at this attempt */
    struct store_actor actor; /* points into admin.name and source */
    char source[64];
    /* A success judged on a read whose audit row is still to be written
     * (ops_login_record): see ops_login_request.defer_record. */
    bool record_pending;
    char record_action[40];
};
/* Who asks to log in, with what.  Over SSH `address` is the client's
 * address: the audit source, and checked against the site's trusted
 * networks when restrict_admin is on (インターネットアクセス規制設定: a
 * refusal is a failure that is not counted).  On a terminal it is NULL and
 * `source` ("console" when NULL) is the audit source. */
struct ops_login_request {
    const char *domain; /* may be empty when there is one site */
    const char *user;
    const char *password; /* ops_login */
    const char *key;      /* ops_login_key */
    const char *address;
    const char *source;
    /* The caller writes the audit row of a plain success itself, with
     * ops_login_record, once its first screen is drawn and before it takes
     * any input (doc/design.md, "Login").  Only a success of an account
     * with no failed attempts and no lock is left so (session->
     * record_pending): it changes nothing but the audit, so it needs no
     * write lock to be judged.  Every other outcome (failures, refusals,
     * a success that resets a count or lifts a lock) is written before
     * ops_login returns, as without this flag, so a failure always
     * counts before the next attempt is judged. */
    bool defer_record;
};
int ops_login(const struct ops_ctx *ctx, const struct ops_login_request *req,
              struct ops_session *session);
/* Writes the audit row of a login left to record (session->record_pending;
 * nothing to do otherwise), in one write transaction that waits for the
 * write lock as any write does.  If it fails the login has not taken
 * effect: the caller tells the user and ends the session. */
int ops_login_record(const struct ops_ctx *ctx, struct ops_session *session);
/* A session for a user the SSH server has authenticated already. */
int ops_session_load(const struct ops_ctx *ctx, const char *domain, const char *user,
                     const char *source, struct ops_session *session);
/* Public-key login: req->key is the canonical "TYPE BASE64" of a key whose
 * signature the SSH layer has verified.  A key never bypasses a lock. */
int ops_login_key(const struct ops_ctx *ctx, const struct ops_login_request *req,
                  struct ops_session *session);
/* Whether the administrator registered this key (the SSH "may I use this
 * key" probe); false for unknown users too. */
bool ops_admin_has_key(const struct ops_ctx *ctx, const struct ops_admin_ref *ref, const char *key);
/* kasconctl admin key add/remove/list: `line` as in a *.pub file. */
int ops_admin_key_add(const struct ops_ctx *ctx, const struct ops_admin_ref *ref, const char *line,
                      struct core_problem *problem);
int ops_admin_key_remove(const struct ops_ctx *ctx, const struct ops_admin_ref *ref, int64_t key_id,
                         struct core_problem *problem);
int ops_admin_key_each(const struct ops_ctx *ctx, const struct ops_admin_ref *ref,
                       store_admin_key_cb cb, void *cb_ctx, struct core_problem *problem);
/* Edit locks (leases on a row being edited, doc/spec.md §5) of the
 * session ctx->lock_session, held by ctx->actor.name.  Take: CORE_OK when
 * ours, or E_LOCKED with the holder in *other (may be NULL).  Renew:
 * E_LOCK_LOST when it is no longer ours.  Release: nothing happens if it
 * is not ours; release_all drops every lease of the session. */
int ops_lock_take(const struct ops_ctx *ctx, const char *object, int lease_seconds,
                  struct store_lock *other);
int ops_lock_renew(const struct ops_ctx *ctx, const char *object, int lease_seconds);
int ops_lock_release(const struct ops_ctx *ctx, const char *object);
int ops_lock_release_all(const struct ops_ctx *ctx);
/* At kascond's start: releases, in one transaction, the locks of every
 * session that `alive` says is gone; locks of live sessions (they outlive
 * a restart of the listener) are kept.  *count: locks released. */
int ops_lock_release_gone(const struct ops_ctx *ctx, bool (*alive)(const char *session),
                          int *count);
/* The end of a session, however it ended: releases the locks of
 * ctx->lock_session and audits "logout" for ctx->actor, in one
 * transaction.  *released (if not NULL) gets the number of locks. */
int ops_logout(const struct ops_ctx *ctx, int *released);
/* パスワード変更: current password, new one twice.  problem->field is 0, 1
 * or 2, in this order. */
struct ops_password_change {
    const char *current;
    const char *next;
    const char *again;
};
int ops_change_password(const struct ops_ctx *ctx, struct ops_session *session,
                        const struct ops_password_change *req, struct core_problem *problem);

/* ---- pickup groups (§5.1) and call hunting groups (§5.3) ----
 * kind is enum core_group_kind; numbers are given as typed and checked by
 * core.  Every change runs in one transaction, is audited with the
 * members before and after, and is saved only if the group's version is
 * still `version` (the one the caller read, or OPS_ANY_VERSION for
 * scripts): otherwise E_CHANGED_MEANWHILE, and *out holds the group
 * as it is now so that the caller can show it again.  On success *out
 * (may be NULL) holds the group after the change.
 *
 * Member lists are all or nothing: every bad extension is reported, with
 * field OPS_G_MEMBERS and row = its 1-based place in the list. */
enum ops_group_field { OPS_G_NUMBER, OPS_G_TYPE, OPS_G_REP, OPS_G_MEMBERS, OPS_G_FIELDS };

int ops_group_get(const struct ops_ctx *ctx, int kind, const char *number, struct store_group *out,
                  struct core_problem *problem);
int ops_pickup_add(const struct ops_ctx *ctx, const char *number, struct core_problems *problems,
                   struct store_group *out);
/* A hunting group as typed: its number, type (enum core_hunt_type) and
 * representative. */
struct ops_hunt_input {
    const char *number;
    int type;
    const char *rep;
};
/* The representative must be a registered extension of the site that is
 * neither a hunting group member nor another group's representative. */
int ops_hunt_add(const struct ops_ctx *ctx, const struct ops_hunt_input *in,
                 struct core_problems *problems, struct store_group *out);
/* Changes a hunting group's type and representative. */
int ops_hunt_update(const struct ops_ctx *ctx, const struct ops_hunt_input *in, int64_t version,
                    struct core_problems *problems, struct store_group *out);
int ops_group_delete(const struct ops_ctx *ctx, int kind, const char *number, int64_t version,
                     struct core_problem *problem);
/* Which group, at the version the caller read, and the extensions a
 * change of its members names, in order. */
struct ops_members_request {
    int kind; /* enum core_group_kind; ops_hunt_order takes CORE_HUNT only */
    const char *number;
    int64_t version; /* or OPS_ANY_VERSION */
    const char *const *exts;
    int count;
};
/* Adds members at the end of the order.  A pickup member may be in any
 * number of pickup groups; a hunting member in no other hunting group
 * (E_IN_OTHER_HUNT names it) and no group's representative. */
int ops_group_members_add(const struct ops_ctx *ctx, const struct ops_members_request *req,
                          struct core_problems *problems, struct store_group *out);
int ops_group_members_remove(const struct ops_ctx *ctx, const struct ops_members_request *req,
                             struct core_problems *problems, struct store_group *out);
/* A pilot group's new order: every member exactly once. */
int ops_hunt_order(const struct ops_ctx *ctx, const struct ops_members_request *req,
                   struct core_problems *problems, struct store_group *out);
/* One member of a pilot group, moved up (delta -1) or down (+1). */
struct ops_member_move {
    const char *number;
    int64_t version; /* or OPS_ANY_VERSION */
    const char *ext;
    int delta;
};
int ops_hunt_move(const struct ops_ctx *ctx, const struct ops_member_move *req,
                  struct core_problems *problems, struct store_group *out);
/* Where an extension is used, as core group references ("p1 h3 r7"). */
int ops_ext_groups(const struct ops_ctx *ctx, const char *ext, char *refs, size_t n,
                   struct core_problem *problem);

/* ---- forwarding (転送, doc/spec.md §3.5) ----
 * The administrator's view and kasconctl use these now; the extension
 * user's own console will too.  `version` is the forwarding version the
 * caller read (core_fwd.version), or OPS_ANY_VERSION for scripts; when it
 * moved, E_CHANGED_MEANWHILE and *out holds the settings as they are. */
enum ops_fwd_field { OPS_FWD_F_EXT, OPS_FWD_F_DEST, OPS_FWD_F_DELAY, OPS_FWD_FIELDS };
int ops_fwd_get(const struct ops_ctx *ctx, const char *ext, struct core_fwd *out,
                struct core_problem *problem);
/* Which extension's forwarding, at the version the caller read, and the
 * setting ops_fwd_set changes: kind (enum core_fwd_kind) to dest, or off
 * when dest is NULL or empty.  delay (text, seconds) is the no-answer
 * delay, NULL or empty for the default (ops_fwd_set and ops_fwd_save). */
struct ops_fwd_request {
    const char *ext;
    int64_t version; /* core_fwd.version, or OPS_ANY_VERSION */
    int kind;
    const char *dest;
    const char *delay;
};
int ops_fwd_set(const struct ops_ctx *ctx, const struct ops_fwd_request *req,
                struct core_problems *problems, struct core_fwd *out);
/* Voicemail on or off (req->ext and req->version only). */
int ops_fwd_voicemail(const struct ops_ctx *ctx, const struct ops_fwd_request *req, bool on,
                      struct core_problems *problems, struct core_fwd *out);
/* Every setting at once (the user's 各種転送設定 form): want->dest[kind] ""
 * for off, want->voicemail, and req->delay as typed; all checked, then
 * saved in one transaction or not at all.  A destination's problem has row
 * kind + 1. */
int ops_fwd_save(const struct ops_ctx *ctx, const struct ops_fwd_request *req,
                 const struct core_fwd *want, struct core_problems *problems, struct core_fwd *out);

/* ---- 内線番号の譲渡 / 交換 (transfer, exchange: doc/spec.md §6, guide §6.1, §6.2) ----
 * Transfer hands an extension number to the person using another mobile:
 * the extension's mobile (if any) is unassigned, the recipient's mobile is
 * assigned to it, and when the recipient used an extension of their own,
 * that profile is deleted (the guide's step ②; it leaves its groups and its
 * forwarding goes with it).  The recipient is named by their mobile or by
 * the extension they use now.  Exchange swaps the mobiles of two
 * extensions.  Profiles, group memberships and (with clear_fwd false)
 * forwarding stay with the numbers.
 *
 * The plan functions say what will change; ops_move computes the plan
 * again in its one transaction and, when `shown` (the plan the user
 * confirmed; NULL for scripts) differs from it, changes nothing and
 * return E_CHANGED_MEANWHILE with the new plan in *done.  Problems carry
 * field OPS_M_EXT (the extension, or the first one) or OPS_M_OTHER (the
 * recipient, or the second extension). */
enum ops_move_kind { OPS_TRANSFER, OPS_EXCHANGE };
enum ops_move_field { OPS_M_EXT, OPS_M_OTHER, OPS_M_FIELDS };
struct ops_move_side {
    char ext[CORE_EXT_MAX + 1];
    int64_t ext_id, version;
    int rep_of;                              /* hunting group it represents, or 0 */
    char mobile_before[CORE_MOBILE_LEN + 1]; /* "" when none */
    char mobile_after[CORE_MOBILE_LEN + 1];
    bool deleted;          /* transfer: the recipient's old extension */
    struct core_fwd fwd;   /* its forwarding now */
    char groups[64];       /* core group references */
    char forwarded_by[64]; /* deleted: extensions still forwarding to it */
};
struct ops_move_plan {
    int kind;
    int count; /* sides: 1, or 2 */
    struct ops_move_side sides[2];
};
int ops_transfer_plan(const struct ops_ctx *ctx, const char *ext, const char *to,
                      struct ops_move_plan *plan, struct core_problems *problems);
int ops_exchange_plan(const struct ops_ctx *ctx, const char *ext1, const char *ext2,
                      struct ops_move_plan *plan, struct core_problems *problems);
/* A transfer or an exchange, as confirmed. */
struct ops_move_request {
    int kind;          /* enum ops_move_kind */
    const char *ext;   /* the extension, or the first of the two */
    const char *other; /* the recipient (mobile or extension), or the second extension */
    bool clear_fwd;
    const struct ops_move_plan *shown; /* the plan the user confirmed, or NULL */
};
int ops_move(const struct ops_ctx *ctx, const struct ops_move_request *req,
             struct core_problems *problems, struct ops_move_plan *done);
/* The plan in the user's language, one line at a time, for the console's
 * preview and kasconctl alike. */
void ops_move_describe(const struct ops_move_plan *plan, bool clear_fwd,
                       void (*line)(void *ctx, const char *text), void *ctx);

/* ---- call history (通信履歴, doc/spec.md §3.7) ---- */
enum ops_cdr_format { OPS_CDR_NATIVE, OPS_CDR_ASTERISK };
#define OPS_CDR_PROBLEMS_SHOWN 1000 /* a broken 3-million-row file stays readable */

struct ops_cdr_result {
    enum io_encoding encoding;
    long rows;        /* records read */
    long loaded;      /* records stored */
    long too_old;     /* records of days already past the 92 kept */
    long not_shown;   /* problems beyond OPS_CDR_PROBLEMS_SHOWN */
    int files;        /* files that got records */
    int purged_files; /* files deleted by the retention rule */
};

/* The first day kept at `now` (local time): today and the 91 days before. */
void ops_cdr_oldest_day(int64_t now, char out[CORE_CDR_DAY_LEN + 1]);
/* Loads a file all or nothing: every bad record becomes a problem (row,
 * column), and if there is any, nothing changes.  Days past the retention
 * period are purged first and old records skipped. */
struct ops_cdr_load_request {
    const char *domain; /* the site */
    const char *path;
    enum ops_cdr_format format;
    /* 0: the file is read and checked on a thread of its own while the
     * calling thread writes (on a machine of more than one core); 1: all
     * on the calling thread.  The outcome is the same. */
    int threads;
    /* Set (by the caller's signal handler) to stop the load at the next
     * record it reads or writes: it ends with E_INTERRUPTED alone and
     * keeps nothing, its committed chunks taken out again.  NULL: not
     * interruptible. */
    const volatile sig_atomic_t *interrupted;
};
int ops_cdr_load(const struct ops_ctx *ctx, const struct ops_cdr_load_request *req,
                 struct core_problems *problems, struct ops_cdr_result *result);
/* Demo traffic: per_day calls for each of the last `days` days (today
 * included) between the site's extensions and outside numbers. */
struct ops_cdr_demo_request {
    const char *domain;
    int days;
    long per_day;
    uint64_t seed; /* the same seed makes the same calls */
};
int ops_cdr_demo(const struct ops_ctx *ctx, const struct ops_cdr_demo_request *req,
                 struct core_problems *problems, struct ops_cdr_result *result);
/* The terminal encoding (core/terminal.h) of administrator `name`, or of
 * the extension user whose web user is `name`, on ctx's site: "auto",
 * "utf-8", "euc-jp" or "cp932"; audited.  _get gives CORE_TERM_*. */
int ops_terminal_encoding_set(const struct ops_ctx *ctx, bool is_user, const char *name,
                              const char *text, struct core_problem *problem);
int ops_terminal_encoding_get(const struct ops_ctx *ctx, bool is_user, const char *name, int *enc);
/* The audit log's retention in days (0: kept until purged by hand), a
 * setting of the whole installation; setting it is audited. */
int ops_audit_retention_get(const struct ops_ctx *ctx, int *days);
int ops_audit_retention_set(const struct ops_ctx *ctx, const char *days,
                            struct core_problem *problem);
/* Deletes the audit entries written before `before` (every site), then
 * audits the purge itself; all in one transaction. */
int ops_audit_purge(const struct ops_ctx *ctx, int64_t before, long *deleted,
                    struct core_problem *problem);
/* ops_audit_purge of what is older than the retention (nothing when off). */
int ops_audit_purge_expired(const struct ops_ctx *ctx, long *deleted, struct core_problem *problem);
/* The retention rule for one site, or all (site_id 0): kascond runs it daily. */
int ops_cdr_purge(const struct ops_ctx *ctx, int *files, long *records);
/* Writes a day's file (part N, or all parts when part is 0) as the native
 * 12-column CSV: the writer behind the console's 取得.  *problem names the
 * record (row) that could not be written. */
struct ops_cdr_export_request {
    const char *day; /* YYYYMMDD */
    int part;
    enum io_encoding encoding;
};
int ops_cdr_export(const struct ops_ctx *ctx, const struct ops_cdr_export_request *req, FILE *out,
                   long *written, struct core_problem *problem);

/* Secret question (§6.3).  Question and answer: 1-30 characters each.
 * Setting the first one needs no current answer; a change needs it, and a
 * wrong one counts towards the lock like a wrong answer at the gate.
 * problem->field: 0 current answer, 1 question, 2 answer. */
int ops_secret_set(const struct ops_ctx *ctx, const char *current_answer, const char *question,
                   const char *answer, struct core_problem *problem);
/* The operator's reset (kasconctl secret reset): the site's question and
 * answer are cleared, with its failures and lock; audited. */
int ops_secret_reset(const struct ops_ctx *ctx, struct core_problem *problem);
/* The gate of 通信履歴参照: three wrong answers lock the site's call
 * history for 60 minutes (E_SECRET_LOCKED); E_SECRET_WRONG otherwise. */
int ops_secret_verify(const struct ops_ctx *ctx, const char *answer, struct core_problem *problem);

/* Copies every table of from into to (kasconctl migrate): all or nothing
 * at the destination, verified by row counts and a checksum per table,
 * audited there.  A destination holding sites or audit entries is refused
 * unless replace.  E_STORAGE with store_errmsg(to) saying why. */
struct ops_migrate_request {
    struct store *from, *to;
    const char *from_name; /* the source as the audit entry names it */
    bool replace;
};
int ops_db_migrate(const struct ops_migrate_request *req, const struct store_actor *who,
                   struct store_copy_report *report);

#endif
