/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Storage: the only module that opens the database or holds SQL.
 * Every function returns CORE_OK (0) or a catalogue code (E_STORAGE for a
 * database failure, whose text store_errmsg gives). */
#ifndef KASCON_STORE_H
#define KASCON_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cdr.h"
#include "core/forwarding.h"
#include "core/groups.h"
#include "core/numplan.h"
#include "core/password.h"
#include "core/problem.h"
#include "core/pubkey.h"
#include "core/rules.h"

struct store;

/* Who makes a change, for the audit log. */
struct store_actor {
    const char *name;   /* "operator", or the administrator's user name */
    const char *source; /* "cli", "console", or the SSH source address */
};

/* target: the path of an SQLite file, or a PostgreSQL URI
 * (postgresql://...) or libpq "key=value" string. */
int store_open(const char *target, struct store **out);
/* Whether target names a PostgreSQL database rather than a file. */
bool store_is_postgresql(const char *target);
void store_close(struct store *st);
const char *store_errmsg(const struct store *st);
int store_schema_version(struct store *st);
/* The version this program migrates a database to. */
int store_schema_latest(void);
/* --db PATH, else $KASCON_DB, else the system or per-user default. */
int store_default_path(char *buf, size_t n);

/* BEGIN IMMEDIATE: writers queue here rather than fail mid-transaction. */
/* Tests: from now on every statement prepared is first planned with
 * EXPLAIN QUERY PLAN, and each full scan or sort of a table that grows
 * with a site is handed to cb with the statement; NULL stops. */
typedef void (*store_plan_cb)(const char *detail, const char *sql, void *ctx);
void store_check_plans(struct store *st, store_plan_cb cb, void *ctx);
/* Refreshes the query planner's statistics after a large change (a bulk
 * operation does it itself).  PostgreSQL's autovacuum would do it within
 * a minute or so; until then a list may be planned for the old size.
 * Nothing to do on SQLite, whose plans do not use statistics here. */
int store_analyze(struct store *st);
/* target as it may be shown in a message or a log: a password in it (the
 * user:password@ of a URI, a password=... setting of a URI's query or of
 * a libpq key=value string) is replaced by "***".  Returns buf. */
const char *store_target_shown(const char *target, char *buf, size_t n);
int store_begin(struct store *st);
int store_commit(struct store *st);
/* A read-only snapshot for multi-page reads; end it with store_rollback. */
int store_begin_read(struct store *st);
/* A bulk load's transactions, cheaper to commit but not each durable
 * (on), or ordinary ones (off).  Called between transactions; the load's
 * last transaction runs with it off, and its commit makes every earlier
 * one durable too. */
int store_bulk_writes(struct store *st, bool on);
void store_rollback(struct store *st);

/* Called after every successful store_commit (not from inside itself):
 * the registrar writer applies the outbox there. */
typedef void (*store_commit_hook_fn)(struct store *st, void *ctx);
void store_set_commit_hook(struct store *st, store_commit_hook_fn fn, void *ctx);

/* ---- the SIP registrar's outbox (migration 2) ----
 * Once enabled, triggers queue the key of every Kamailio row a change
 * affects, in the changing transaction.  kind: "d" domain row, "s"
 * subscriber and forwarding preferences (key SIP ID), "a" alias (key
 * extension or mobile number), "site" every row of the domain. */
struct store_outbox_entry {
    int64_t id;
    char domain[CORE_DOMAIN_MAX + 1];
    char kind[8];
    char key[CORE_SIP_ID_MAX + 1];
};
typedef int (*store_outbox_cb)(const struct store_outbox_entry *e, void *ctx);
/* Turns the outbox on (inside the caller's transaction); the first time,
 * queues every site in full and sets *newly. */
int store_outbox_enable(struct store *st, bool *newly);
int store_outbox_any(struct store *st, bool *any);
/* Pending entries in order; *max_id is the last one read. */
int store_outbox_each(struct store *st, store_outbox_cb cb, void *ctx, int64_t *max_id);
/* For a change of many rows of one site, inside its transaction: the
 * triggers are suspended, and resuming queues the whole site once (one
 * outbox row rather than one per changed row). */
int store_outbox_suspend(struct store *st, bool *was_enabled);
int store_outbox_resume_site(struct store *st, int64_t site_id, bool was_enabled);
/* Removes the entries up to max_id (applied). */
int store_outbox_done(struct store *st, int64_t max_id);
struct store_registrar_state {
    bool enabled;
    long pending;
    char last_error[256]; /* "" after a successful application */
    int64_t failed_at, applied_at;
};
int store_registrar_state_get(struct store *st, struct store_registrar_state *out);
/* Records a failure (error) or a success (NULL or ""). */
int store_registrar_state_set(struct store *st, const char *error);
/* What the registrar should hold for a domain: its subscribers (SIP ID,
 * password, forwarding) and aliases (extension and assigned mobile
 * numbers to SIP IDs), all of them or one key. */
struct store_reg_subscriber {
    char sip_id[CORE_SIP_ID_MAX + 1];
    char password[CORE_SIP_PW_MAX + 1];
    struct core_fwd fwd;
};
struct store_reg_alias {
    char number[CORE_EXT_MAX + 1];
    char sip_id[CORE_SIP_ID_MAX + 1];
};
typedef int (*store_reg_subscriber_cb)(const struct store_reg_subscriber *r, void *ctx);
typedef int (*store_reg_alias_cb)(const struct store_reg_alias *r, void *ctx);
int store_reg_domain_exists(struct store *st, const char *domain, bool *exists);
int store_reg_subscribers(struct store *st, const char *domain, const char *sip_id,
                          store_reg_subscriber_cb cb, void *ctx);
int store_reg_aliases(struct store *st, const char *domain, const char *number,
                      store_reg_alias_cb cb, void *ctx);

/* ---- sites ---- */
struct store_site {
    int64_t id;
    char domain[CORE_DOMAIN_MAX + 1];
    long capacity;
    char site_number[CORE_CODE_MAX + 1];
    char gw_id[CORE_CODE_MAX + 1];
    char park_code[CORE_CODE_MAX + 1];
    char pickup_code[CORE_CODE_MAX + 1];
    char group_pickup_code[CORE_CODE_MAX + 1];
    char hold_code[5];
    int hold_disconnect;
    char dial_confirm_code[4];
    int dtmf_erase;
    char dtmf_send_code[4];
    int restrict_admin;
    int restrict_user;
    char trusted_networks[1024];
    int auto_unlock;
    int password_max_age_days;
    char secret_question[128];
    bool has_secret;
    int64_t version;
};

int store_site_find(struct store *st, const char *domain, struct store_site *out);
int store_site_get(struct store *st, int64_t id, struct store_site *out);
int store_site_insert(struct store *st, struct store_site *site, const struct store_actor *who);
/* Saves every field of the row if its version is unchanged
 * (E_CHANGED_MEANWHILE otherwise); bumps site->version. */
int store_site_update(struct store *st, struct store_site *site, const struct store_actor *who);
typedef int (*store_site_cb)(const struct store_site *site, void *ctx);
int store_site_each(struct store *st, store_site_cb cb, void *ctx);
int store_site_count(struct store *st, int *count);
int store_site_reset_secret(struct store *st, int64_t site_id, const struct store_actor *who);
/* Saves the administrator's feature codes and their options (hold code,
 * 転送先接続後 disconnect, dial-confirm code, DTMF erase and send code) if
 * the row's version is unchanged (E_CHANGED_MEANWHILE otherwise), audited
 * as "codes.set" with those values before and after; bumps site->version. */
int store_site_set_codes(struct store *st, struct store_site *site, const struct store_actor *who);

/* ---- administrators ---- */
struct store_admin {
    int64_t id;
    int64_t site_id;
    char name[CORE_ADMIN_NAME_MAX + 1];
    char pw_hash[CORE_HASH_MAX];
    int64_t pw_changed_at;
    int failures;
    int64_t locked_at;
    int64_t version;
};

int store_admin_find(struct store *st, int64_t site_id, const char *name, struct store_admin *out);
int store_admin_insert(struct store *st, struct store_admin *admin, const struct store_actor *who);
/* Sets a new hash; changed_at 0 makes it expired (forces a change at login). */
int store_admin_set_password(struct store *st, int64_t admin_id, const char *hash,
                             int64_t changed_at, const struct store_actor *who);
int store_admin_set_lock(struct store *st, int64_t admin_id, int failures, int64_t locked_at);
int store_admin_unlock(struct store *st, int64_t admin_id, const struct store_actor *who);
/* Administrators and web console users share one name space per site
 * (the SSH login name tells them apart): these let either side check it. */
typedef int (*store_name_cb)(const char *name, void *ctx);
int store_admin_names(struct store *st, int64_t site_id, store_name_cb cb, void *ctx);
/* CORE_OK when a profile of the site has this web console user name. */
int store_web_user_exists(struct store *st, int64_t site_id, const char *name);

/* Public keys an administrator logs in with over SSH; key is the canonical
 * "TYPE BASE64" of core_pubkey_parse.  Add and remove are audited. */
struct store_admin_key {
    int64_t id;
    char key[CORE_PUBKEY_MAX + 64];
    char comment[CORE_PUBKEY_COMMENT_MAX];
};
int store_admin_key_add(struct store *st, const struct store_admin *admin, const char *key,
                        const char *comment, const struct store_actor *who);
/* E_KEY_NOT_FOUND when the administrator has no key with that id. */
int store_admin_key_remove(struct store *st, const struct store_admin *admin, int64_t key_id,
                           const struct store_actor *who);
typedef int (*store_admin_key_cb)(const struct store_admin_key *key, void *ctx);
int store_admin_key_each(struct store *st, int64_t admin_id, store_admin_key_cb cb, void *ctx);
/* CORE_OK when the administrator has this key, E_KEY_NOT_FOUND if not. */
int store_admin_key_find(struct store *st, int64_t admin_id, const char *key);

/* ---- provisioned mobile lines ---- */
struct store_line {
    int64_t id;
    int64_t site_id;
    char mobile[CORE_MOBILE_LEN + 1];
    char extension[CORE_EXT_MAX + 1]; /* empty when unassigned */
};

int store_line_add(struct store *st, int64_t site_id, const char *mobile,
                   const struct store_actor *who);
/* E_MOBILE_NOT_PROVISIONED when no site has it. */
int store_line_find(struct store *st, const char *mobile, struct store_line *out);
typedef int (*store_line_cb)(const struct store_line *line, void *ctx);
/* Keyset pages: at most limit rows next to key (exclusive; NULL or "" for
 * the start, or the end when before), ascending, or descending when before.
 * A page reads only its own rows, whatever the size of the table. */
int store_line_page(struct store *st, int64_t site_id, bool unassigned_only, const char *key,
                    bool before, int limit, store_line_cb cb, void *ctx);
int store_line_count(struct store *st, int64_t site_id, bool unassigned_only, int *count);

/* ---- extension profiles ---- */
struct store_ext {
    int64_t id;
    int64_t site_id;
    char ext[CORE_EXT_MAX + 1];
    int is_virtual;
    char sip_id[CORE_SIP_ID_MAX + 1];
    char sip_password[CORE_SIP_PW_MAX + 1];
    char web_user[CORE_WEB_USER_MAX + 1];
    char web_pw_hash[CORE_HASH_MAX];
    char mobile[CORE_MOBILE_LEN + 1]; /* empty when unassigned */
    int group_count;                  /* pickup + hunting memberships */
    int rep_of;                       /* the hunting group it represents, or 0 */
    int64_t version;
};

int store_ext_find(struct store *st, int64_t site_id, const char *ext, struct store_ext *out);
int store_ext_find_sip_id(struct store *st, int64_t site_id, const char *sip_id,
                          struct store_ext *out);
int store_ext_find_web_user(struct store *st, int64_t site_id, const char *web_user,
                            struct store_ext *out);
int store_ext_insert(struct store *st, struct store_ext *ext, const struct store_actor *who);
/* Deletes a profile.  Refuses E_DELETE_ASSIGNED while a mobile is assigned,
 * E_DELETE_REPRESENTATIVE while it is a hunting group's representative
 * (even with force: the group would be left with no number to call),
 * and E_DELETE_IN_GROUP while it is a group member unless force, which
 * removes it from its groups in the same transaction (§4.6), bumping
 * their versions. */
int store_ext_delete(struct store *st, int64_t site_id, const char *ext, bool force,
                     const struct store_actor *who);
int store_ext_count(struct store *st, int64_t site_id, int *count);
typedef int (*store_ext_cb)(const struct store_ext *ext, void *ctx);
/* Keyset page in numeric order, as store_line_page; virtual_filter -1 for
 * all profiles, 0 ordinary only, 1 virtual only. */
int store_ext_page(struct store *st, int64_t site_id, int virtual_filter, const char *key,
                   bool before, int limit, store_ext_cb cb, void *ctx);
/* The same page with what a list shows only (id, site, number, type, SIP
 * ID, web user, mobile, group count): no credentials, version or
 * represented group, which cost a list 3.7x the work. */
int store_ext_list_page(struct store *st, int64_t site_id, int virtual_filter, const char *key,
                        bool before, int limit, store_ext_cb cb, void *ctx);

/* Saves the SIP and web credentials of ext (by id) if its version is
 * unchanged (E_CHANGED_MEANWHILE otherwise); bumps ext->version. */
int store_ext_update(struct store *st, struct store_ext *ext, const struct store_actor *who);

/* Bulk register and delete (一括登録/一括削除), set-wise.  The caller
 * stages every checked row (store_bulk_stage, then store_bulk_staged),
 * outside any write transaction; then, inside its BEGIN IMMEDIATE
 * transaction, one apply call writes them all and audits the operation
 * as one entry (file, rows, checksum, who, when) with its rows in
 * audit_rows.  The staged rows stay in temp.bulk_rows until
 * store_bulk_close, for any other set-wise write of the same
 * transaction. */
struct store_bulk;
struct store_bulk_row {
    long no; /* the file's row number */
    const char *ext, *sip_id, *sip_password, *web_user, *web_pw_hash, *mobile;
    int64_t ext_id;  /* existing profile (2-column assign, delete), or 0 */
    int64_t line_id; /* the mobile to assign, or 0 */
    bool new_profile;
};
/* The site's extensions as the checks saw them: an apply refuses with
 * E_CHANGED_MEANWHILE when they changed since. */
struct store_bulk_guard {
    int64_t count, max_id;
};
struct store_bulk_summary {
    const char *action; /* "bulk.register", "bulk.delete" */
    const char *file;   /* the file's name, or "-" */
    const char *sha256;
    long rows, created, assigned, deleted;
};
int store_bulk_open(struct store *st, int64_t site_id, struct store_bulk **out);
int store_bulk_stage(struct store_bulk *bulk, const struct store_bulk_row *row);
int store_bulk_staged(struct store_bulk *bulk);
int store_bulk_site_state(struct store *st, int64_t site_id, struct store_bulk_guard *out);
/* The site as the checks need it, one row per profile and per mobile, in
 * no particular order; strings valid during the callback.  groups counts
 * memberships and representations (with_groups only, else 0). */
struct store_bulk_ext {
    int64_t id;
    const char *ext, *sip_id, *web_user, *mobile;
    int is_virtual, groups;
};
typedef int (*store_bulk_ext_cb)(const struct store_bulk_ext *ext, void *ctx);
int store_bulk_site_exts(struct store *st, int64_t site_id, bool with_groups, store_bulk_ext_cb cb,
                         void *ctx);
struct store_bulk_line {
    int64_t id;
    const char *mobile, *ext; /* ext: "" when unassigned */
};
typedef int (*store_bulk_line_cb)(const struct store_bulk_line *line, void *ctx);
int store_bulk_site_lines(struct store *st, int64_t site_id, store_bulk_line_cb cb, void *ctx);
int store_bulk_apply_register(struct store_bulk *bulk, const struct store_bulk_guard *guard,
                              const struct store_bulk_summary *sum, const struct store_actor *who);
/* Unassigns, drops forwarding and deletes the profiles (no group check:
 * a profile put in a group meanwhile fails the foreign key). */
int store_bulk_apply_delete(struct store_bulk *bulk, const struct store_bulk_summary *sum,
                            const struct store_actor *who);
/* Drops the staged rows. */
void store_bulk_close(struct store_bulk *bulk);

/* Locked administrators and extension users of a site (ロック中ユーザー一覧). */
struct store_locked {
    int is_user; /* 0 administrator, 1 extension user (web console) */
    char name[CORE_ADMIN_NAME_MAX + 1];
    char ext[CORE_EXT_MAX + 1];
    int failures;
    int64_t locked_at;
};
typedef int (*store_locked_cb)(const struct store_locked *locked, void *ctx);
int store_locked_each(struct store *st, int64_t site_id, store_locked_cb cb, void *ctx);
int store_web_user_unlock(struct store *st, int64_t site_id, const char *web_user,
                          const struct store_actor *who);
/* An extension user's login state (lockout counts, doc/spec.md §3.6) and own
 * password change (ユーザーカスコン); the change is audited. */
int store_web_user_lock_get(struct store *st, int64_t ext_id, int *failures, int64_t *locked_at);
int store_web_user_set_lock(struct store *st, int64_t ext_id, int failures, int64_t locked_at);
int store_web_user_set_password(struct store *st, const struct store_ext *e, const char *hash,
                                const struct store_actor *who);

/* Assigns a provisioned, unassigned mobile of the site to a non-virtual
 * extension without one (§3.5). */
int store_assign(struct store *st, int64_t site_id, const char *ext, const char *mobile,
                 const struct store_actor *who);
/* Unassigns; E_MOBILE_NOT_ASSIGNED if mobile is given and does not match. */
int store_unassign(struct store *st, int64_t site_id, const char *ext, const char *mobile,
                   const struct store_actor *who);

/* The site's numbering plan: operator numbers, feature codes, extensions. */
int store_plan_load(struct store *st, int64_t site_id, struct core_plan *plan);

/* ---- pickup and call hunting groups (doc/spec.md §3.3) ----
 * kind is enum core_group_kind.  Writes happen inside the caller's
 * transaction; a change to a group's members, order, type or
 * representative goes through store_group_touch, which refuses
 * E_CHANGED_MEANWHILE when the group's version is not the one read. */
struct store_group {
    int64_t id;
    int kind;
    int number;
    int pilot;      /* hunting: enum core_hunt_type */
    int64_t rep_id; /* hunting: representative extension */
    char rep[CORE_EXT_MAX + 1];
    int members;
    int64_t version;
};
struct store_member {
    int64_t ext_id;
    char ext[CORE_EXT_MAX + 1];
    int is_virtual;
    int position; /* 1, 2, ... in order */
};

/* E_GROUP_NOT_FOUND when the site has no such group. */
int store_group_find(struct store *st, int kind, int64_t site_id, int number,
                     struct store_group *out);
int store_group_count(struct store *st, int kind, int64_t site_id, int *count);
/* Inserts (E_DUP_GROUP if the number is taken), audited; fills g->id. */
int store_group_insert(struct store *st, int64_t site_id, struct store_group *g,
                       const struct store_actor *who);
/* Deletes the group and its memberships if g->version is current. */
int store_group_delete(struct store *st, int64_t site_id, const struct store_group *g,
                       const struct store_actor *who);
/* Bumps the version from g->version (E_CHANGED_MEANWHILE if it moved),
 * saving pilot and rep_id for a hunting group; g->version follows. */
int store_group_touch(struct store *st, struct store_group *g);
typedef int (*store_member_cb)(const struct store_member *m, void *ctx);
/* Members in order (position). */
int store_group_members(struct store *st, const struct store_group *g, store_member_cb cb,
                        void *ctx);
int store_group_member_insert(struct store *st, const struct store_group *g, int64_t ext_id,
                              int position);
int store_group_member_delete(struct store *st, const struct store_group *g, int64_t ext_id);
/* Rewrites positions: ext_ids[i] gets position i + 1. */
int store_group_member_order(struct store *st, const struct store_group *g, const int64_t *ext_ids,
                             int count);
/* The hunting group holding ext_id as a member, or as representative
 * (*number 0 when none). */
int store_hunt_of_member(struct store *st, int64_t ext_id, int *number);
int store_hunt_of_rep(struct store *st, int64_t ext_id, int *number);

struct store_group_filter {
    int number;     /* this group only, or 0 */
    int64_t ext_id; /* groups holding this extension (member or representative), or 0 */
};
typedef int (*store_group_cb)(const struct store_group *g, void *ctx);
/* Keyset page by group number, as store_line_page: key is the number of
 * the row next to the page (0 for the start, or the end when before). */
int store_group_page(struct store *st, int kind, int64_t site_id,
                     const struct store_group_filter *f, int key, bool before, int limit,
                     store_group_cb cb, void *ctx);

/* Where an extension is used: every pickup group, its hunting group and
 * the hunting group it represents, as core_group_refs ("p1 h3 r7"). */
int store_ext_groups(struct store *st, int64_t ext_id, char *refs, size_t n);
/* The same, one callback per reference (role is enum core_group_role). */
typedef int (*store_ext_group_cb)(int role, int number, void *ctx);
int store_ext_group_each(struct store *st, int64_t ext_id, store_ext_group_cb cb, void *ctx);

/* ---- forwarding (転送, doc/spec.md §3.5) ---- */
/* The extension's settings; everything off and version 0 when never set. */
int store_fwd_get(struct store *st, int64_t ext_id, struct core_fwd *out);
/* Saves all five settings of ext (id, and its number for the audit log)
 * inside the caller's transaction if the stored version is still
 * `version` (0: never set), E_CHANGED_MEANWHILE otherwise; fwd->version
 * follows.  Audited with the settings before and after. */
int store_fwd_put(struct store *st, int64_t site_id, int64_t ext_id, const char *ext,
                  struct core_fwd *fwd, int64_t version, const struct store_actor *who);
/* Where an extension number of the site forwards unconditionally ("" when
 * it does not, or is no extension of the site): the loop check's lookup. */
int store_fwd_unconditional(struct store *st, int64_t site_id, const char *ext, char *dest,
                            size_t n);
/* Extensions of the site with any kind of forwarding to number, in
 * order, as "2005 2006" ("..." at the end when they do not all fit in n). */
int store_fwd_pointing_to(struct store *st, int64_t site_id, const char *number, char *exts,
                          size_t n);

/* ---- audit log ---- */
int store_audit(struct store *st, int64_t site_id, const struct store_actor *who,
                const char *action, const char *object, const char *before, const char *after);
struct store_audit_entry {
    int64_t id;
    int64_t at;
    char actor[64];
    char source[64];
    char action[32];
    char object[64];
    char before[512];
    char after[512];
};
typedef int (*store_audit_cb)(const struct store_audit_entry *entry, void *ctx);
/* Which entries a page shows: empty strings match everything. */
struct store_audit_filter {
    const char *object; /* part of the object, e.g. "2001" or "pickup 3" (any case) */
    const char *actor;  /* the administrator (or operator) exactly */
};
/* Newest first, entries with id < from_id (0 for the newest); or with
 * newer, oldest first, entries with id > from_id (paging back up). */
int store_audit_page(struct store *st, int64_t site_id, const struct store_audit_filter *f,
                     int64_t from_id, bool newer, int limit, store_audit_cb cb, void *ctx);
/* The rows of a bulk operation's entry (一括登録/一括削除), in file order:
 * row numbers after after_row, objects containing `object` ("" for all). */
struct store_audit_row {
    long row;
    char action[32];
    char object[64];
    char detail[64];
};
typedef int (*store_audit_row_cb)(const struct store_audit_row *row, void *ctx);
int store_audit_rows(struct store *st, int64_t audit_id, const char *object, long after_row,
                     int limit, store_audit_row_cb cb, void *ctx);
int store_audit_row_count(struct store *st, int64_t audit_id, long *count);

/* Deletes the entries written before the time `before` (of every site);
 * *deleted says how many.  Inside the caller's transaction (ops audits it). */
int store_audit_purge(struct store *st, int64_t before, long *deleted);

/* ---- settings of the installation (key = value) ---- */
/* An unset key reads as "". */
int store_setting_get(struct store *st, const char *key, char *value, size_t n);
/* value NULL unsets the key. */
int store_setting_set(struct store *st, const char *key, const char *value);

/* ---- terminal encoding of an administrator (is_user false: admins.id)
 * or an extension user (extensions.id): "" (auto), "utf-8", "euc-jp",
 * "cp932" ---- */
int store_terminal_encoding_get(struct store *st, bool is_user, int64_t id, char *value, size_t n);
/* Not audited: ops_terminal_encoding_set audits it. */
int store_terminal_encoding_set(struct store *st, bool is_user, int64_t id, const char *value);

/* ---- copying a whole database (kasconctl migrate) ---- */
#define STORE_COPY_MAX_TABLES 64
struct store_copy_table {
    char name[64];
    int64_t rows;
    char checksum[65]; /* hex; the same for the same rows in any order */
};
struct store_copy_report {
    int count;
    struct store_copy_table tables[STORE_COPY_MAX_TABLES];
};
/* Copies every table of from into to (the same schema version, any two
 * engines): read in one snapshot of from, written in one transaction of
 * to, each table read back and compared by row count and checksum before
 * that transaction commits, and audited there ("migrate", object
 * from_name).  A destination holding sites or audit entries is refused
 * unless replace; what it held is then replaced.  On any problem nothing
 * changes at the destination and st->errmsg of to says why. */
int store_copy(struct store *from, struct store *to, bool replace, const struct store_actor *who,
               const char *from_name, struct store_copy_report *rep);

/* ---- backup ---- */
/* Copies the database into a new file `path` (0600, refused if it exists)
 * with SQLite's online backup: one read snapshot, so the copy is
 * consistent while other connections write.  The copy is written beside
 * path and renamed into place when complete. */
int store_backup(struct store *st, const char *path);

/* ---- call records (通信履歴, doc/spec.md §3.7) ---- */
struct store_cdr_file {
    int64_t id;
    char day[CORE_CDR_DAY_LEN + 1]; /* "YYYY-MM-DD" */
    int part;                       /* 1, 2, ... for a day over 40,000 records */
    long records;
};
typedef int (*store_cdr_file_cb)(const struct store_cdr_file *file, void *ctx);
/* The site's files, newest day first, parts in order. */
int store_cdr_files(struct store *st, int64_t site_id, store_cdr_file_cb cb, void *ctx);
/* E_CDR_FILE_NOT_FOUND when the site has no such day and part. */
int store_cdr_file_find(struct store *st, int64_t site_id, const char *day, int part,
                        struct store_cdr_file *out);

/* Appends records inside the caller's transaction: each goes to the last
 * part of its day, a new part starting at 40,000.  Statements are
 * prepared once; records may wait in the loader (a copy) to be written
 * with the next ones, so a store error may come from an earlier record's
 * write, and every record is written by the checkpoint.  A long load is written in chunks: the
 * caller commits after store_cdr_loader_checkpoint (which writes the files' counts) and begins the
 * next transaction, so that other sessions write in between; store_cdr_loader_undo takes every
 * record of this load out again (in the caller's transaction) when a later part of its file is
 * refused. The actor's strings must outlive the loader. */
struct store_cdr_loader;
int store_cdr_loader_open(struct store *st, int64_t site_id, const struct store_actor *who,
                          struct store_cdr_loader **out);
int store_cdr_loader_add(struct store_cdr_loader *loader, const struct core_cdr *rec);
/* Records added since the last checkpoint. */
long store_cdr_loader_pending(const struct store_cdr_loader *loader);
int store_cdr_loader_checkpoint(struct store_cdr_loader *loader);
/* The last checkpoint, and one audit entry per file that got records;
 * *files: how many (parts filled on the way included). */
int store_cdr_loader_finish(struct store_cdr_loader *loader, int *files);
int store_cdr_loader_undo(struct store_cdr_loader *loader);
void store_cdr_loader_free(struct store_cdr_loader *loader);

/* Deletes the files of days before oldest_day ("YYYY-MM-DD") of one site,
 * or of every site when site_id is 0; audited per file.  Inside the
 * caller's transaction. */
int store_cdr_purge(struct store *st, int64_t site_id, const char *oldest_day,
                    const struct store_actor *who, int *files, long *records);

/* Viewer filters; every set condition must hold. */
struct store_cdr_filter {
    const char *from, *to; /* call time bounds, inclusive ("YYYY/MM/DD HH:MM:SS"), or NULL */
    const char *number;    /* part of the received, caller, callee or transferring number */
    int completed;         /* 1, 0, or -1 for any */
    int cause;             /* a code, or -1 for any */
};
enum store_page_dir { STORE_PAGE_FIRST, STORE_PAGE_NEXT, STORE_PAGE_PREV, STORE_PAGE_LAST };
/* Keyset paging over one file in file order: reads one page only.  key is
 * the seq of the last row shown (NEXT) or of the first (PREV).  Fills
 * out[0..*count-1] in ascending order; *count < limit at either end. */
int store_cdr_page(struct store *st, int64_t file_id, const struct store_cdr_filter *filter,
                   enum store_page_dir dir, int64_t key, struct core_cdr *out, int limit,
                   int *count);

/* ---- secret question of the call history (§6.3) ---- */
struct store_secret {
    char question[CORE_SECRET_CHARS * 4 + 1];
    char answer_hash[CORE_HASH_MAX]; /* empty when no question is set */
    int failures;
    int64_t locked_at;
};
int store_secret_get(struct store *st, int64_t site_id, struct store_secret *out);
/* Sets question and answer hash, clears the failure count; audited. */
int store_secret_set(struct store *st, int64_t site_id, const char *question, const char *hash,
                     const struct store_actor *who);
int store_secret_set_lock(struct store *st, int64_t site_id, int failures, int64_t locked_at);
/* ---- row locks (doc/spec.md §5, doc/design.md §2 Edit) ----
 * A lease on an object ("ext:12", "site:3:hold-code") held by one session
 * (an opaque id unique to a console process) on behalf of a holder (the
 * administrator's name).  Leases are coordination state, not site data:
 * they are neither versioned nor audited; each call is one statement or
 * one BEGIN IMMEDIATE transaction, so two sessions cannot both win. */
struct store_lock {
    char object[128];
    char session[64];
    char holder[64];
    int64_t taken_at;
    int64_t expires_at;
};
/* Takes or extends the lease when the object is free, its lease expired,
 * or it is already ours.  E_LOCKED otherwise, with the current lease
 * (who, since when) in *held when held is not NULL. */
int store_lock_take(struct store *st, const char *object, const char *session, const char *holder,
                    int lease_seconds, struct store_lock *held);
/* Extends our lease; E_LOCK_LOST when it is no longer ours. */
int store_lock_renew(struct store *st, const char *object, const char *session, int lease_seconds);
/* Releases our lease (nothing happens if it is not ours). */
int store_lock_release(struct store *st, const char *object, const char *session);
/* Releases every lease of a session (logout, disconnect); *count if not NULL. */
int store_lock_release_session(struct store *st, const char *session, int *count);
/* Drops every lease: kascond at start, when no session can be alive. */
int store_lock_clear_all(struct store *st, int *count);
/* Calls cb with every session that holds a lock; a non-zero return stops. */
int store_lock_sessions(struct store *st, int (*cb)(const char *session, void *ctx), void *ctx);
/* Sets *held (and fills *out) when a live, unexpired lease exists. */
int store_lock_get(struct store *st, const char *object, struct store_lock *out, bool *held);

/* Seconds since the epoch; one clock for the whole program, so that tests
 * can move it with $KASCON_NOW. */
int64_t store_now(void);

#endif
