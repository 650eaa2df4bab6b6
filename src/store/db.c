/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/internal.h"

/* Numbered migrations: migrations[i] brings user_version i to i + 1.
 * Append only; never edit a migration that has shipped. */
static const char *const migrations[] = {
    /* 1: the initial schema */
    "CREATE TABLE sites ("
    " id INTEGER PRIMARY KEY,"
    " domain TEXT NOT NULL UNIQUE,"
    " capacity INTEGER NOT NULL CHECK (capacity > 0),"
    " site_number TEXT, gw_id TEXT, park_code TEXT, pickup_code TEXT, group_pickup_code TEXT,"
    " hold_code TEXT, hold_disconnect INTEGER NOT NULL DEFAULT 0,"
    " dial_confirm_code TEXT, dtmf_erase INTEGER NOT NULL DEFAULT 0, dtmf_send_code TEXT,"
    " restrict_admin INTEGER NOT NULL DEFAULT 0, restrict_user INTEGER NOT NULL DEFAULT 0,"
    " trusted_networks TEXT NOT NULL DEFAULT '',"
    " auto_unlock INTEGER NOT NULL DEFAULT 1,"
    " password_max_age_days INTEGER NOT NULL DEFAULT 90,"
    " secret_question TEXT, secret_answer_hash TEXT,"
    " secret_failures INTEGER NOT NULL DEFAULT 0, secret_locked_at INTEGER NOT NULL DEFAULT 0,"
    " version INTEGER NOT NULL DEFAULT 1);"
    "CREATE TABLE admins ("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES sites(id),"
    " name TEXT NOT NULL,"
    " pw_hash TEXT NOT NULL,"
    " pw_changed_at INTEGER NOT NULL DEFAULT 0,"
    " failures INTEGER NOT NULL DEFAULT 0, locked_at INTEGER NOT NULL DEFAULT 0,"
    " version INTEGER NOT NULL DEFAULT 1,"
    " UNIQUE (site_id, name));"
    "CREATE TABLE admin_keys ("
    " id INTEGER PRIMARY KEY,"
    " admin_id INTEGER NOT NULL REFERENCES admins(id) ON DELETE CASCADE,"
    " key TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '',"
    " UNIQUE (admin_id, key));"
    "CREATE TABLE lines ("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES sites(id),"
    " mobile TEXT NOT NULL UNIQUE);"
    "CREATE INDEX lines_site ON lines(site_id, mobile);"
    "CREATE TABLE extensions ("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES sites(id),"
    " ext TEXT NOT NULL,"
    " ext_num INTEGER NOT NULL,"
    " is_virtual INTEGER NOT NULL DEFAULT 0,"
    " sip_id TEXT NOT NULL, sip_password TEXT NOT NULL,"
    " web_user TEXT, web_pw_hash TEXT,"
    " web_failures INTEGER NOT NULL DEFAULT 0, web_locked_at INTEGER NOT NULL DEFAULT 0,"
    " version INTEGER NOT NULL DEFAULT 1,"
    " UNIQUE (site_id, ext), UNIQUE (site_id, sip_id), UNIQUE (site_id, web_user));"
    "CREATE INDEX extensions_order ON extensions(site_id, ext_num);"
    "CREATE TABLE assignments ("
    " extension_id INTEGER PRIMARY KEY REFERENCES extensions(id),"
    " line_id INTEGER NOT NULL UNIQUE REFERENCES lines(id));"
    "CREATE TABLE pickup_groups ("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES sites(id),"
    " number INTEGER NOT NULL,"
    " version INTEGER NOT NULL DEFAULT 1,"
    " UNIQUE (site_id, number));"
    "CREATE TABLE pickup_members ("
    " group_id INTEGER NOT NULL REFERENCES pickup_groups(id) ON DELETE CASCADE,"
    " extension_id INTEGER NOT NULL REFERENCES extensions(id),"
    " position INTEGER NOT NULL,"
    " PRIMARY KEY (group_id, extension_id));"
    "CREATE INDEX pickup_members_ext ON pickup_members(extension_id);"
    /* A hunting group's representative is required and routes to one
     * group only (UNIQUE); hunt_members.extension_id is UNIQUE because an
     * extension is in at most one hunting group (§5.3).  Lists page by
     * (site_id, number); member counts read the (group_id, ...) keys. */
    "CREATE TABLE hunt_groups ("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES sites(id),"
    " number INTEGER NOT NULL,"
    " pilot INTEGER NOT NULL DEFAULT 0,"
    " rep_extension_id INTEGER NOT NULL UNIQUE REFERENCES extensions(id),"
    " version INTEGER NOT NULL DEFAULT 1,"
    " UNIQUE (site_id, number));"
    "CREATE TABLE hunt_members ("
    " group_id INTEGER NOT NULL REFERENCES hunt_groups(id) ON DELETE CASCADE,"
    " extension_id INTEGER NOT NULL UNIQUE REFERENCES extensions(id),"
    " position INTEGER NOT NULL,"
    " PRIMARY KEY (group_id, extension_id));"
    "CREATE TABLE forwarding ("
    " extension_id INTEGER PRIMARY KEY REFERENCES extensions(id) ON DELETE CASCADE,"
    " unconditional TEXT, busy TEXT, no_answer TEXT, no_answer_delay INTEGER,"
    " out_of_coverage TEXT, voicemail INTEGER NOT NULL DEFAULT 0,"
    " version INTEGER NOT NULL DEFAULT 1);"
    /* Call records: a file is one part (at most 40,000 records) of one
     * day of a site.  Records are clustered by (file, position) so that a
     * page of a file is one range read and a load appends in key order. */
    "CREATE TABLE cdr_files ("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES sites(id),"
    " day TEXT NOT NULL, part INTEGER NOT NULL, records INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (site_id, day, part));"
    "CREATE TABLE cdr ("
    " file_id INTEGER NOT NULL REFERENCES cdr_files(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " call_time TEXT NOT NULL, answer_time TEXT, end_time TEXT,"
    " completed INTEGER NOT NULL, service TEXT, received TEXT, caller TEXT, callee TEXT,"
    " transferrer TEXT, disconnect_type TEXT, disconnector TEXT, cause INTEGER,"
    " PRIMARY KEY (file_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE audit ("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " site_id INTEGER,"
    " actor TEXT NOT NULL, source TEXT NOT NULL,"
    " action TEXT NOT NULL, object TEXT NOT NULL,"
    " before TEXT, after TEXT);"
    "CREATE INDEX audit_site ON audit(site_id, id);"
    "CREATE TABLE locks ("
    " object TEXT PRIMARY KEY,"
    " session TEXT NOT NULL, holder TEXT NOT NULL,"
    " taken_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);",
    /* 2: a bulk operation is one audit entry; its rows, compact, here
     * (clustered by entry, so showing them is one range read) */
    "CREATE TABLE audit_rows ("
    " audit_id INTEGER NOT NULL REFERENCES audit(id) ON DELETE CASCADE,"
    " row INTEGER NOT NULL,"
    " action TEXT NOT NULL, object TEXT NOT NULL, detail TEXT,"
    " PRIMARY KEY (audit_id, row)) WITHOUT ROWID;",
    /* 3: the registrar outbox.  Once a registrar is attached to the
     * database (registrar_state.enabled), every change to what Kamailio
     * reads is queued in the changing transaction itself, by trigger, as
     * the key of the Kamailio rows to bring in step: 'd' a domain row,
     * 's' a subscriber and its forwarding preferences (key: SIP ID),
     * 'a' an alias (key: extension or mobile number), 'site' every row
     * of the domain.  The writer recomputes those rows from the tables,
     * so an entry applied twice or late still converges. */
    "CREATE TABLE registrar_outbox ("
    " id INTEGER PRIMARY KEY, domain TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL);"
    "CREATE TABLE registrar_state ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " enabled INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT NOT NULL DEFAULT '', failed_at INTEGER NOT NULL DEFAULT 0,"
    " applied_at INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO registrar_state (id) VALUES (1);"
    "CREATE TRIGGER registrar_site_ins AFTER INSERT ON sites"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key) VALUES (NEW.domain, 'site', '');"
    " END;"
    "CREATE TRIGGER registrar_site_upd AFTER UPDATE OF domain ON sites"
    " WHEN (SELECT enabled FROM registrar_state) AND OLD.domain <> NEW.domain BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key) VALUES (OLD.domain, 'site', ''),"
    " (NEW.domain, 'site', '');"
    " END;"
    "CREATE TRIGGER registrar_ext_ins AFTER INSERT ON extensions"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT domain, 's', NEW.sip_id FROM sites WHERE id = NEW.site_id"
    "  UNION ALL SELECT domain, 'a', NEW.ext FROM sites WHERE id = NEW.site_id;"
    " END;"
    "CREATE TRIGGER registrar_ext_del AFTER DELETE ON extensions"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT domain, 's', OLD.sip_id FROM sites WHERE id = OLD.site_id"
    "  UNION ALL SELECT domain, 'a', OLD.ext FROM sites WHERE id = OLD.site_id;"
    " END;"
    /* An alias names the SIP ID and exists only with a password: the
     * aliases are queued only when one of those moves. */
    "CREATE TRIGGER registrar_ext_upd"
    " AFTER UPDATE OF site_id, ext, sip_id, sip_password ON extensions"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT domain, 's', OLD.sip_id FROM sites WHERE id = OLD.site_id"
    "  UNION SELECT domain, 's', NEW.sip_id FROM sites WHERE id = NEW.site_id"
    "  UNION SELECT domain, 'a', OLD.ext FROM sites WHERE id = OLD.site_id"
    "   AND (OLD.site_id, OLD.ext, OLD.sip_id, OLD.sip_password = '')"
    "    IS NOT (NEW.site_id, NEW.ext, NEW.sip_id, NEW.sip_password = '')"
    "  UNION SELECT domain, 'a', NEW.ext FROM sites WHERE id = NEW.site_id"
    "   AND (OLD.site_id, OLD.ext, OLD.sip_id, OLD.sip_password = '')"
    "    IS NOT (NEW.site_id, NEW.ext, NEW.sip_id, NEW.sip_password = '')"
    "  UNION SELECT s.domain, 'a', l.mobile FROM assignments a"
    "   JOIN lines l ON l.id = a.line_id JOIN sites s ON s.id = l.site_id"
    "   WHERE a.extension_id = NEW.id"
    "   AND (OLD.site_id, OLD.ext, OLD.sip_id, OLD.sip_password = '')"
    "    IS NOT (NEW.site_id, NEW.ext, NEW.sip_id, NEW.sip_password = '');"
    " END;"
    "CREATE TRIGGER registrar_asg_ins AFTER INSERT ON assignments"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT s.domain, 'a', l.mobile FROM lines l JOIN sites s ON s.id = l.site_id"
    "  WHERE l.id = NEW.line_id;"
    " END;"
    "CREATE TRIGGER registrar_asg_del AFTER DELETE ON assignments"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT s.domain, 'a', l.mobile FROM lines l JOIN sites s ON s.id = l.site_id"
    "  WHERE l.id = OLD.line_id;"
    " END;"
    "CREATE TRIGGER registrar_asg_upd AFTER UPDATE ON assignments"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT s.domain, 'a', l.mobile FROM lines l JOIN sites s ON s.id = l.site_id"
    "  WHERE l.id IN (OLD.line_id, NEW.line_id);"
    " END;"
    "CREATE TRIGGER registrar_fwd_ins AFTER INSERT ON forwarding"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT s.domain, 's', e.sip_id FROM extensions e JOIN sites s ON s.id = e.site_id"
    "  WHERE e.id = NEW.extension_id;"
    " END;"
    "CREATE TRIGGER registrar_fwd_upd AFTER UPDATE ON forwarding"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT s.domain, 's', e.sip_id FROM extensions e JOIN sites s ON s.id = e.site_id"
    "  WHERE e.id = NEW.extension_id;"
    " END;"
    "CREATE TRIGGER registrar_fwd_del AFTER DELETE ON forwarding"
    " WHEN (SELECT enabled FROM registrar_state) BEGIN"
    " INSERT INTO registrar_outbox (domain, kind, key)"
    "  SELECT s.domain, 's', e.sip_id FROM extensions e JOIN sites s ON s.id = e.site_id"
    "  WHERE e.id = OLD.extension_id;"
    " END;",
    /* 4: lists that read only what they show.  Partial indexes: bulk
     * imports write ordinary, unlocked profiles, which touch neither. */
    "CREATE INDEX extensions_virtual ON extensions(site_id, ext_num) WHERE is_virtual = 1;"
    "CREATE INDEX extensions_locked ON extensions(site_id, web_user) WHERE web_locked_at > 0;"
    "CREATE INDEX cdr_files_list ON cdr_files(site_id, day DESC, part);",
    /* 5: settings of the whole installation (audit retention), and the
     * terminal encoding of each administrator and extension user ('' is
     * the login's locale, 'cp932' a Shift_JIS terminal such as TeraTerm's
     * default) */
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "ALTER TABLE admins ADD COLUMN terminal_encoding TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE extensions ADD COLUMN terminal_encoding TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX audit_at ON audit(at);",
};

#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof migrations[0]))

int store_fail(struct store *st)
{
    snprintf(st->errmsg, sizeof st->errmsg, "%s", sqlite3_errmsg(st->db));
    return E_STORAGE;
}

const char *store_errmsg(const struct store *st)
{
    return st->errmsg;
}

/* Tables that may grow with a site: a full scan or a sort of one in a
 * list's statement is what store_check_plans reports.  The statements
 * name some of them by their usual alias. */
static bool large_table(const char *name, size_t n)
{
    static const char *const large[] = {"extensions",
                                        "lines",
                                        "assignments",
                                        "audit",
                                        "audit_rows",
                                        "cdr",
                                        "cdr_files",
                                        "forwarding",
                                        "pickup_members",
                                        "hunt_members",
                                        "hunt_groups",
                                        "pickup_groups",
                                        "e",
                                        "l",
                                        "a",
                                        "f",
                                        "m",
                                        "g"};
    for (size_t i = 0; i < sizeof large / sizeof large[0]; i++)
        if (strlen(large[i]) == n && !strncmp(large[i], name, n))
            return true;
    return false;
}

static void check_plan(struct store *st, const char *sql)
{
    char explain[4096];
    snprintf(explain, sizeof explain, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, explain, -1, &s, NULL) != SQLITE_OK)
        return;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(s, 3);
        if (!detail)
            continue;
        const char *name = NULL;
        if (!strncmp(detail, "SCAN ", 5))
            name = detail + 5;
        bool sort = strstr(detail, "USE TEMP B-TREE") != NULL;
        if (name && !large_table(name, strcspn(name, " ")))
            name = NULL;
        if (name || sort)
            st->plan_cb(detail, sql, st->plan_ctx);
    }
    sqlite3_finalize(s);
}

void store_check_plans(struct store *st, store_plan_cb cb, void *ctx)
{
    st->plan_cb = cb;
    st->plan_ctx = ctx;
}

sqlite3_stmt *store_prepare(struct store *st, const char *sql)
{
    if (st->plan_cb)
        check_plan(st, sql);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
        store_fail(st);
        return NULL;
    }
    return s;
}

void store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

void store_bind_opt(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

void store_column_copy(sqlite3_stmt *s, int col, char *dst, size_t n)
{
    const unsigned char *v = sqlite3_column_text(s, col);
    snprintf(dst, n, "%s", v ? (const char *)v : "");
}

int store_each_row(struct store *st, sqlite3_stmt *s, int (*each)(sqlite3_stmt *, void *),
                   void *ctx)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int stop = each(s, ctx);
        if (stop) {
            sqlite3_finalize(s);
            return stop;
        }
    }
    int out = rc == SQLITE_DONE ? CORE_OK : store_fail(st);
    sqlite3_finalize(s);
    return out;
}

int store_step_done(struct store *st, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    int out = rc == SQLITE_DONE ? CORE_OK : store_fail(st);
    sqlite3_finalize(s);
    return out;
}

int store_step_versioned(struct store *st, sqlite3_stmt *s)
{
    int rc = store_step_done(st, s);
    if (rc)
        return rc;
    return sqlite3_changes(st->db) == 0 ? E_CHANGED_MEANWHILE : CORE_OK;
}

/* Constant schema text and pragmas only (several statements at once);
 * everything with a value goes through prepared statements. */
static int exec_schema(struct store *st, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) { /* schema, pragma */
        snprintf(st->errmsg, sizeof st->errmsg, "%s", err ? err : "?");
        sqlite3_free(err);
        return E_STORAGE;
    }
    return CORE_OK;
}

int store_schema_latest(void)
{
    return MIGRATION_COUNT;
}

int store_schema_version(struct store *st)
{
    sqlite3_stmt *s = store_prepare(st, "PRAGMA user_version");
    int v = -1;
    if (s && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int too_new(struct store *st, int v)
{
    snprintf(st->errmsg, sizeof st->errmsg,
             "database schema version %d is newer than this program (%d)", v, MIGRATION_COUNT);
    return E_STORAGE;
}

/* The version is read without a transaction: an up-to-date database (every
 * open but the first after an upgrade) takes no lock at all, so a console,
 * a `kasconctl ... list` or an SSH login opens it while a long import or
 * call-record load holds the write lock.  Only a due migration takes the
 * write lock, and reads the version again under it: another process may
 * have migrated in between. */
static int migrate(struct store *st)
{
    int v = store_schema_version(st);
    if (v < 0)
        return store_fail(st);
    if (v == MIGRATION_COUNT)
        return CORE_OK;
    if (v > MIGRATION_COUNT)
        return too_new(st, v);
    if (store_begin(st))
        return E_STORAGE;
    v = store_schema_version(st);
    if (v < 0 || v > MIGRATION_COUNT) {
        store_rollback(st);
        return v < 0 ? E_STORAGE : too_new(st, v);
    }
    for (; v < MIGRATION_COUNT; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (exec_schema(st, migrations[v]) || exec_schema(st, pragma)) {
            store_rollback(st);
            return E_STORAGE;
        }
    }
    return store_commit(st);
}

/* WAL is a property of the file: switching takes an exclusive lock, so it
 * is only asked for when the file is not in WAL mode yet (a new file). */
static int use_wal(struct store *st)
{
    sqlite3_stmt *s = store_prepare(st, "PRAGMA journal_mode");
    if (!s)
        return E_STORAGE;
    int rc = sqlite3_step(s);
    bool wal = rc == SQLITE_ROW && sqlite3_column_text(s, 0) &&
               !strcmp((const char *)sqlite3_column_text(s, 0), "wal");
    int out = rc == SQLITE_ROW ? CORE_OK : store_fail(st);
    sqlite3_finalize(s);
    if (out || wal)
        return out;
    return exec_schema(st, "PRAGMA journal_mode=WAL");
}

/* Creates the file 0600 before SQLite opens it: SQLite would use the umask. */
static int create_private(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

int store_open(const char *path, struct store **out)
{
    *out = NULL;
    struct store *st = calloc(1, sizeof *st);
    if (!st)
        return E_STORAGE;
    if (access(path, F_OK) != 0 && create_private(path) != 0) {
        snprintf(st->errmsg, sizeof st->errmsg, "%s: %s", path, strerror(errno));
        *out = st;
        return E_STORAGE;
    }
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        store_fail(st);
        *out = st;
        return E_STORAGE;
    }
    sqlite3_busy_timeout(st->db, 10000);
    sqlite3_extended_result_codes(st->db, 1);
    int rc = exec_schema(st, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;");
    if (!rc)
        rc = use_wal(st);
    if (!rc)
        rc = migrate(st);
    *out = st;
    return rc;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    sqlite3_close_v2(st->db);
    free(st);
}

static int run_constant(struct store *st, const char *sql)
{
    sqlite3_stmt *s = store_prepare(st, sql);
    return s ? store_step_done(st, s) : E_STORAGE;
}

int store_begin(struct store *st)
{
    return run_constant(st, "BEGIN IMMEDIATE");
}
int store_commit(struct store *st)
{
    int rc = run_constant(st, "COMMIT");
    if (!rc && st->commit_hook && !st->in_commit_hook) {
        st->in_commit_hook = true;
        st->commit_hook(st, st->commit_hook_ctx);
        st->in_commit_hook = false;
    }
    return rc;
}
/* A deferred BEGIN: in WAL mode a consistent snapshot that blocks no writer. */
int store_begin_read(struct store *st)
{
    return run_constant(st, "BEGIN");
}

void store_rollback(struct store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        run_constant(st, "ROLLBACK");
}

int store_default_path(char *buf, size_t n)
{
    const char *env = getenv("KASCON_DB");
    if (env && *env) {
        snprintf(buf, n, "%s", env);
        return 0;
    }
    if (geteuid() == 0) {
        snprintf(buf, n, "%s", "/var/lib/kascon/kascon.db");
        return 0;
    }
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(buf, n, "%s/kascon/kascon.db", xdg);
    else if (home && *home)
        snprintf(buf, n, "%s/.local/share/kascon/kascon.db", home);
    else
        return -1;
    return 0;
}

int64_t store_now(void)
{
    const char *fake = getenv("KASCON_NOW");
    if (fake && *fake)
        return strtoll(fake, NULL, 10);
    return (int64_t)time(NULL);
}

int store_backup(struct store *st, const char *path)
{
    if (access(path, F_OK) == 0) {
        snprintf(st->errmsg, sizeof st->errmsg, "%.200s: %s", path, strerror(EEXIST));
        return E_FILE_WRITE;
    }
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.partial", path) >= sizeof tmp)
        return E_FILE_WRITE;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(st->errmsg, sizeof st->errmsg, "%.200s: %s", tmp, strerror(errno));
        return E_FILE_WRITE;
    }
    close(fd);
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL);
    sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(dst, "main", st->db, "main") : NULL;
    if (b) {
        /* All pages in one step: one read transaction, one snapshot. */
        do {
            rc = sqlite3_backup_step(b, -1);
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite3_sleep(50);
        } while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        sqlite3_backup_finish(b);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    } else if (rc == SQLITE_OK)
        rc = SQLITE_ERROR;
    /* The copy is one self-contained file, not a WAL database. */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL); /* pragma */
    if (rc != SQLITE_OK)
        snprintf(st->errmsg, sizeof st->errmsg, "%s", dst ? sqlite3_errmsg(dst) : "out of memory");
    if (sqlite3_close(dst) != SQLITE_OK && rc == SQLITE_OK)
        rc = SQLITE_ERROR;
    if (rc == SQLITE_OK && rename(tmp, path) != 0) {
        snprintf(st->errmsg, sizeof st->errmsg, "%.200s: %s", path, strerror(errno));
        rc = SQLITE_ERROR;
    }
    if (rc != SQLITE_OK) {
        unlink(tmp);
        return E_FILE_WRITE;
    }
    return CORE_OK;
}
