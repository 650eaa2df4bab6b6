/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SQLite engine: one file, WAL, a busy wait; the write lock of
 * BEGIN IMMEDIATE serialises the writers of every process. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/internal.h"

struct lite_stmt {
    struct store_stmt base;
    sqlite3_stmt *s;
};

#define DB(st) ((sqlite3 *)(st)->conn)
#define LS(x) ((struct lite_stmt *)(x))

static int lite_fail(struct store *st)
{
    snprintf(st->errmsg, sizeof st->errmsg, "%s", sqlite3_errmsg(DB(st)));
    return E_STORAGE;
}

/* Constant schema text and pragmas only (several statements at once);
 * everything with a value goes through prepared statements. */
static int lite_exec(struct store *st, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(DB(st), sql, NULL, NULL, &err) != SQLITE_OK) { /* schema, pragma */
        snprintf(st->errmsg, sizeof st->errmsg, "%s", err ? err : "?");
        sqlite3_free(err);
        return E_STORAGE;
    }
    return CORE_OK;
}

static struct store_stmt *lite_prepare(struct store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(DB(st), sql, -1, &s, NULL) != SQLITE_OK) {
        lite_fail(st);
        return NULL;
    }
    struct lite_stmt *ls = malloc(sizeof *ls);
    if (!ls) {
        sqlite3_finalize(s);
        snprintf(st->errmsg, sizeof st->errmsg, "%s", "out of memory");
        return NULL;
    }
    ls->base.ops = &store_sqlite_engine;
    ls->base.st = st;
    ls->s = s;
    return &ls->base;
}

static void lite_bind_int64(struct store_stmt *s, int i, int64_t v)
{
    sqlite3_bind_int64(LS(s)->s, i, v);
}

static void lite_bind_text(struct store_stmt *s, int i, const char *v, bool copy)
{
    sqlite3_bind_text(LS(s)->s, i, v ? v : "", -1, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
}

static void lite_bind_null(struct store_stmt *s, int i)
{
    sqlite3_bind_null(LS(s)->s, i);
}

static int lite_step(struct store_stmt *s)
{
    int rc = sqlite3_step(LS(s)->s);
    if (rc == SQLITE_ROW)
        return STMT_ROW;
    if (rc == SQLITE_DONE)
        return STMT_DONE;
    lite_fail(s->st);
    return (rc & 0xff) == SQLITE_CONSTRAINT ? STMT_CONSTRAINT : STMT_ERROR;
}

static int64_t lite_column_int64(struct store_stmt *s, int col)
{
    return sqlite3_column_int64(LS(s)->s, col);
}

static const char *lite_column_text(struct store_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(LS(s)->s, col);
}

static bool lite_column_null(struct store_stmt *s, int col)
{
    return sqlite3_column_type(LS(s)->s, col) == SQLITE_NULL;
}

static void lite_reset(struct store_stmt *s)
{
    sqlite3_reset(LS(s)->s);
}

static void lite_finalize(struct store_stmt *s)
{
    sqlite3_finalize(LS(s)->s);
    free(s);
}

static int64_t lite_changes(struct store *st)
{
    return sqlite3_changes(DB(st));
}

static int lite_begin(struct store *st, bool write)
{
    /* A deferred BEGIN: in WAL mode a consistent snapshot that blocks no writer. */
    return store_exec_constant(st, write ? "BEGIN IMMEDIATE" : "BEGIN");
}

static int lite_commit(struct store *st)
{
    return store_exec_constant(st, "COMMIT");
}

static void lite_rollback(struct store *st)
{
    if (!sqlite3_get_autocommit(DB(st)))
        store_exec_constant(st, "ROLLBACK");
}

static int lite_schema_version(struct store *st)
{
    sqlite3_stmt *s = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(DB(st), "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    else
        lite_fail(st);
    sqlite3_finalize(s);
    return v;
}

static int lite_migrate_one(struct store *st, int v)
{
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
    int rc = lite_exec(st, store_sqlite_migrations[v]);
    return rc ? rc : lite_exec(st, pragma);
}

/* A call-record load: its chunks commit without waiting for the disk
 * (synchronous=NORMAL: in WAL mode a commit stays atomic and the file
 * consistent after a crash; only the last commits may be lost), and the
 * WAL is copied into the database every 16 MB instead of every 4 MB, each
 * copy costing two syncs.  The load's last transaction runs with the mode
 * off: its commit syncs the WAL and with it every chunk before it.  A
 * load used to wait for 45 syncs of 400,000 records; now for about 10.
 * Its records are not probed against cdr_files for the foreign key (8% of
 * its writes): the loader puts them only into files it has read or made
 * in the same transaction, and nothing deletes a site.  (The pragma is
 * set between transactions, where it takes effect.) */
static int lite_bulk_writes(struct store *st, bool on)
{
    return lite_exec(st, on ? "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=4000;"
                              " PRAGMA cache_size=-16384; PRAGMA foreign_keys=OFF;"
                            : "PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=1000;"
                              " PRAGMA cache_size=-2000; PRAGMA foreign_keys=ON;");
}

static void lite_check_plan(struct store *st, const char *sql)
{
    char explain[4096];
    snprintf(explain, sizeof explain, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(DB(st), explain, -1, &s, NULL) != SQLITE_OK)
        return;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(s, 3);
        if (!detail)
            continue;
        const char *name = NULL;
        if (!strncmp(detail, "SCAN ", 5))
            name = detail + 5;
        bool sort = strstr(detail, "USE TEMP B-TREE") != NULL;
        if (name && !store_large_table(name, strcspn(name, " ")))
            name = NULL;
        if (name || sort)
            st->plan_cb(detail, sql, st->plan_ctx);
    }
    sqlite3_finalize(s);
}

/* WAL is a property of the file: switching takes an exclusive lock, so it
 * is only asked for when the file is not in WAL mode yet (a new file). */
static int use_wal(struct store *st)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(DB(st), "PRAGMA journal_mode", -1, &s, NULL) != SQLITE_OK)
        return lite_fail(st);
    int rc = sqlite3_step(s);
    bool wal = rc == SQLITE_ROW && sqlite3_column_text(s, 0) &&
               !strcmp((const char *)sqlite3_column_text(s, 0), "wal");
    int out = rc == SQLITE_ROW ? CORE_OK : lite_fail(st);
    sqlite3_finalize(s);
    if (out || wal)
        return out;
    return lite_exec(st, "PRAGMA journal_mode=WAL");
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

/* Waiting for another connection's write lock, about 10 seconds in all:
 * every millisecond for the first 200, then every 5.  SQLite's own
 * timeout handler backs off to 100 ms between tries, so with a few dozen
 * short writers (logins) the lock would sit free while they sleep. */
static int lite_busy(void *ctx, int tries)
{
    (void)ctx;
    if (tries >= 200 + (10000 - 200) / 5)
        return 0;
    struct timespec pause = {0, tries < 200 ? 1000000L : 5000000L};
    nanosleep(&pause, NULL);
    return 1;
}

/* SQLite's memory statistics take a global mutex on every allocation
 * (6% of the instructions of a call-record load's writes); kascon never
 * reads them. */
static void lite_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* A -wal or -shm file beside the database that belongs to another user
 * than the database: the state a root process (the sqlite3 shell run by
 * root, say) leaves for a moment when it is the first to open the
 * database.  SQLite creates the file as root and gives it to the
 * database's owner with fchown right after; meanwhile the owner's
 * processes cannot open it and SQLite says "unable to open database file".
 * Only stat: opening and closing a file of the database would release the
 * POSIX locks this process's connections hold on it.  Names the file and
 * both owners in `why`. */
static bool side_file_foreign(const char *path, char *why, size_t n)
{
    struct stat db;
    if (stat(path, &db) != 0)
        return false;
    static const char *const suffix[] = {"-wal", "-shm"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char side[4096];
        struct stat sb;
        if ((size_t)snprintf(side, sizeof side, "%s%s", path, suffix[i]) >= sizeof side ||
            stat(side, &sb) != 0 || sb.st_uid == db.st_uid)
            continue;
        const struct passwd *pw = getpwuid(sb.st_uid);
        char owner[32], db_owner[32];
        snprintf(owner, sizeof owner, "%s", pw ? pw->pw_name : "another user");
        pw = getpwuid(db.st_uid);
        snprintf(db_owner, sizeof db_owner, "%s", pw ? pw->pw_name : "?");
        snprintf(why, n, "%.150s belongs to %s, not to the database's owner %s", side, owner,
                 db_owner);
        return true;
    }
    return false;
}

/* The first reads of the database: the connection's settings, WAL asked
 * for if need be, and the header, which open the -wal and -shm files.
 * While one of them belongs to another user than the database (see
 * side_file_foreign), it waits for it to be handed over, every
 * millisecond for 5 seconds at most (a busy machine may hold the process
 * that hands it over for a while), and then names the file. */
static int first_read(struct store *st, const char *path)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        /* Temp tables (the staged rows of a bulk change) in memory: they
         * are gone with the connection anyway.  (synchronous reads the
         * schema: the first read is here already.) */
        int rc = lite_exec(st, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
                               " PRAGMA temp_store=MEMORY;");
        if (!rc)
            rc = use_wal(st);
        if (!rc && lite_schema_version(st) < 0)
            rc = E_STORAGE;
        if (!rc || (sqlite3_extended_errcode(DB(st)) & 0xff) != SQLITE_CANTOPEN)
            return rc;
        char why[sizeof st->errmsg];
        if (!side_file_foreign(path, why, sizeof why))
            return rc;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= 5) {
            memcpy(st->errmsg, why, sizeof why);
            return rc;
        }
        struct timespec pause = {0, 1000000L};
        nanosleep(&pause, NULL);
    }
}

static int lite_open(struct store *st, const char *path)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, lite_configure);
    if (access(path, F_OK) != 0 && create_private(path) != 0) {
        snprintf(st->errmsg, sizeof st->errmsg, "%s: %s", path, strerror(errno));
        return E_STORAGE;
    }
    sqlite3 *db = NULL;
    /* NOMUTEX: a connection is used by one thread at a time (kascond
     * forks per connection; the hashing threads of a bulk change use
     * none), so SQLite's per-call mutexes are pure cost (4% of a
     * call-record load). */
    int rc = sqlite3_open_v2(
        path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    st->conn = db;
    if (rc != SQLITE_OK)
        return lite_fail(st);
    sqlite3_busy_handler(db, lite_busy, NULL);
    sqlite3_extended_result_codes(db, 1);
    return first_read(st, path);
}

static void lite_close(struct store *st)
{
    sqlite3_close_v2(DB(st));
    st->conn = NULL;
}

static int lite_backup(struct store *st, const char *path)
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
    sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(dst, "main", DB(st), "main") : NULL;
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

const struct store_engine store_sqlite_engine = {
    .name = "sqlite",
    .open = lite_open,
    .close = lite_close,
    .exec = lite_exec,
    .prepare = lite_prepare,
    .bind_int64 = lite_bind_int64,
    .bind_text = lite_bind_text,
    .bind_null = lite_bind_null,
    .step = lite_step,
    .column_int64 = lite_column_int64,
    .column_text = lite_column_text,
    .column_null = lite_column_null,
    .reset = lite_reset,
    .finalize = lite_finalize,
    .changes = lite_changes,
    .begin = lite_begin,
    .commit = lite_commit,
    .rollback = lite_rollback,
    .schema_version = lite_schema_version,
    .migrate_one = lite_migrate_one,
    .bulk_writes = lite_bulk_writes,
    .check_plan = lite_check_plan,
    .backup = lite_backup,
};
