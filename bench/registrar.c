/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: a bulk import of 100,000 extensions reaching Kamailio.
 *
 *   apply / row-at-a-time   the outbox applied to an SQLite Kamailio
 *                           database (subscriber with ha1 and ha1b, the
 *                           extension and mobile aliases, read back and
 *                           compared first) ÷ the same rows written one
 *                           INSERT per row, prepared once, one
 *                           transaction (the rows computed beforehand).
 *                           Target 1.5x: set-wise costs no more than the
 *                           cheapest row-wise writer, in far fewer
 *                           statements.
 *   statements              statements sent to Kamailio for those rows
 *                           (target: under 1% of the rows).
 *   import with outbox      the import with the outbox on ÷ off (the
 *                           triggers filling it in the same transaction).
 *   one change              a password change on the 100,000-extension
 *                           site, commit and registrar write (< 50 ms).
 *
 * Skipped (with a message) when Kamailio's SQLite schema is not installed.
 * Stops itself after 15 minutes. */
#include <config.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "ops/ops.h"
#include "ops/registrar.h"
#include "registrar/md5.h"

#define SCHEMA "/usr/share/kamailio/db_sqlite"
#define DOMAIN "bench.example.jp"
static const struct store_actor bench_actor = {"bench", "bench"};

static int sh(const char *cmd)
{
    return system(cmd) == 0 ? 0 : 1;
}

static int kamailio_db(const char *path)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "rm -f '%s' && cat " SCHEMA "/standard-create.sql " SCHEMA
             "/auth_db-create.sql " SCHEMA "/alias_db-create.sql " SCHEMA
             "/avpops-create.sql " SCHEMA "/domain-create.sql | sqlite3 '%s'",
             path, path);
    return sh(cmd);
}

static int site_with_lines(struct store *st, long rows, int64_t *site_id)
{
    char capacity[24];
    snprintf(capacity, sizeof capacity, "%ld", rows);
    struct ops_site_input site = {.domain = DOMAIN, .capacity = capacity, .site_number = "9"};
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_ctx ctx = {.st = st, .actor = bench_actor};
    int rc = ops_site_add(&ctx, &site, &pr, site_id);
    enum { BATCH = 5000 };
    static char mobiles[BATCH][24];
    char *args[BATCH];
    for (long i = 0; !rc && i < rows; i += BATCH) {
        int n = 0;
        for (long k = i; k < rows && n < BATCH; k++, n++) {
            snprintf(mobiles[n], sizeof mobiles[n], "090%08ld", k);
            args[n] = mobiles[n];
        }
        rc = ops_line_add(&ctx, DOMAIN, args, n, &pr);
    }
    if (rc)
        fprintf(stderr, "site set-up failed: %d\n", rc);
    core_problems_free(&pr);
    return rc;
}

static int import(struct store *st, int64_t site_id, const char *csv, long rows, double *secs)
{
    struct core_problems pr;
    core_problems_init(&pr);
    struct ops_bulk_result res;
    struct ops_bulk_request req = {.mode = OPS_BULK_REGISTER, .path = csv};
    double t0 = bench_now();
    int rc = ops_bulk(&(struct ops_ctx){.st = st, .site_id = site_id, .actor = bench_actor}, &req,
                      &pr, &res);
    *secs = bench_now() - t0;
    if (rc || res.created != rows)
        fprintf(stderr, "import failed: %d (%zu problems)\n", rc, pr.count);
    core_problems_free(&pr);
    return rc || res.created != rows;
}

/* The reference: the same rows, one INSERT each. */
static double row_at_a_time(const char *path, long rows)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    char(*ha1)[33] = malloc(sizeof *ha1 * (size_t)rows * 2);
    if (!ha1)
        return -1;
    for (long i = 0; i < rows; i++) {
        char buf[160], user[24];
        snprintf(user, sizeof user, "2%06ld", i);
        int n = snprintf(buf, sizeof buf, "%s:" DOMAIN ":%s", user, user);
        md5_hex(buf, (size_t)n, ha1[i * 2]);
        n = snprintf(buf, sizeof buf, "%s@" DOMAIN ":" DOMAIN ":%s", user, user);
        md5_hex(buf, (size_t)n, ha1[i * 2 + 1]);
    }
    double t0 = bench_now();
    sqlite3_stmt *sub = NULL, *alias = NULL;
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sqlite3_prepare_v2(db,
                       "INSERT INTO subscriber (domain, username, password, ha1, ha1b)"
                       " VALUES ('" DOMAIN "', ?, '', ?, ?)",
                       -1, &sub, NULL);
    sqlite3_prepare_v2(db,
                       "INSERT INTO dbaliases (alias_domain, alias_username, username, domain)"
                       " VALUES ('" DOMAIN "', ?, ?, '" DOMAIN "')",
                       -1, &alias, NULL);
    int bad = !sub || !alias;
    for (long i = 0; !bad && i < rows; i++) {
        char user[24], mobile[24];
        snprintf(user, sizeof user, "2%06ld", i);
        snprintf(mobile, sizeof mobile, "090%08ld", i);
        sqlite3_bind_text(sub, 1, user, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(sub, 2, ha1[i * 2], -1, SQLITE_STATIC);
        sqlite3_bind_text(sub, 3, ha1[i * 2 + 1], -1, SQLITE_STATIC);
        bad |= sqlite3_step(sub) != SQLITE_DONE;
        sqlite3_reset(sub);
        const char *keys[2] = {user, mobile};
        for (int k = 0; k < 2; k++) {
            sqlite3_bind_text(alias, 1, keys[k], -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(alias, 2, user, -1, SQLITE_TRANSIENT);
            bad |= sqlite3_step(alias) != SQLITE_DONE;
            sqlite3_reset(alias);
        }
    }
    sqlite3_finalize(sub);
    sqlite3_finalize(alias);
    bad |= sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK;
    double secs = bench_now() - t0;
    sqlite3_close(db);
    free(ha1);
    return bad ? -1 : secs;
}

static long count_rows(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s = NULL;
    long n = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &s, NULL) == 0 &&
        sqlite3_step(s) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

static int run(const char *dir, long rows)
{
    char db[512], plain[512], kam[512], ref[512], csv[512], what[160];
    snprintf(db, sizeof db, "%s/k.db", dir);
    snprintf(plain, sizeof plain, "%s/plain.db", dir);
    snprintf(kam, sizeof kam, "%s/kamailio.db", dir);
    snprintf(ref, sizeof ref, "%s/reference.db", dir);
    snprintf(csv, sizeof csv, "%s/ext.csv", dir);
    FILE *f = fopen(csv, "wb");
    if (!f)
        return 1;
    for (long i = 0; i < rows; i++)
        fprintf(f, "2%06ld,090%08ld\r\n", i, i);
    fclose(f);
    if (kamailio_db(kam) || kamailio_db(ref))
        return 1;

    /* Without the outbox (no registrar), for the trigger overhead. */
    struct store *st;
    int64_t site_id;
    double without, with;
    if (store_open(plain, &st) || site_with_lines(st, rows, &site_id) ||
        import(st, site_id, csv, rows, &without))
        return 1;
    store_close(st);

    /* With the outbox on, applied afterwards on its own clock. */
    struct registrar_config cfg = {.plaintext = false};
    snprintf(cfg.url, sizeof cfg.url, "%s", kam);
    if (store_open(db, &st) || site_with_lines(st, rows, &site_id))
        return 1;
    ops_registrar_enable(&(struct ops_ctx){.st = st});
    if (import(st, site_id, csv, rows, &with))
        return 1;
    struct registrar_stats stats;
    char err[512];
    double t0 = bench_now();
    if (ops_registrar_apply(&(struct ops_ctx){.st = st}, &cfg, &stats, err, sizeof err)) {
        fprintf(stderr, "apply failed: %s\n", err);
        return 1;
    }
    double apply = bench_now() - t0;
    long subs = count_rows(kam, "SELECT count(*) FROM subscriber");
    long aliases = count_rows(kam, "SELECT count(*) FROM dbaliases");
    if (subs != rows || aliases != 2 * rows) {
        fprintf(stderr, "Kamailio has %ld subscribers, %ld aliases\n", subs, aliases);
        return 1;
    }

    /* One change on the full site: commit, then the registrar write. */
    ops_registrar_attach(&(struct ops_ctx){.st = st}, &cfg);
    struct ops_ext_input in = {.ext = "2000123", .sip_id = "2000123", .sip_password = "newpw123"};
    struct core_problems pr;
    core_problems_init(&pr);
    struct store_ext e;
    if (store_ext_find(st, site_id, "2000123", &e))
        return 1;
    t0 = bench_now();
    int rc = ops_ext_update(&(struct ops_ctx){.st = st, .site_id = site_id, .actor = bench_actor},
                            "2000123", e.version, &in, &pr);
    double one = bench_now() - t0;
    core_problems_free(&pr);
    struct store_registrar_state state;
    store_registrar_state_get(st, &state);
    store_close(st);
    if (rc || state.pending) {
        fprintf(stderr, "one change: %d, %ld pending\n", rc, state.pending);
        return 1;
    }
    double reference = row_at_a_time(ref, rows);
    if (reference <= 0)
        return 1;
    long refstmts = rows * 3;
    printf("registrar %ld rows: import %.3f s with the outbox, %.3f s without; applied to"
           " Kamailio in %.3f s, %ld statements (row-at-a-time: %.3f s, %ld statements);"
           " one change %.1f ms\n",
           rows, with, without, apply, stats.statements, reference, refstmts, one * 1000);
    snprintf(what, sizeof what, "registrar %ldk: apply to Kamailio / row-at-a-time", rows / 1000);
    bench_row(what, apply, reference, "s", "<= 1.5x");
    snprintf(what, sizeof what, "registrar %ldk: statements / row-at-a-time's", rows / 1000);
    bench_row(what, (double)stats.statements, (double)refstmts, "stmts", "< 0.01x");
    snprintf(what, sizeof what, "import 2 col %ldk: with the outbox / without", rows / 1000);
    bench_row(what, with, without, "s", "<= 1.2x");
    snprintf(what, sizeof what, "registrar: one change on a %ldk site", rows / 1000);
    bench_row(what, one * 1000, 0, "ms", "< 50 ms");
    return 0;
}

int main(int argc, char **argv)
{
    bench_limit(900);
    if (access(SCHEMA "/auth_db-create.sql", R_OK) != 0) {
        printf("registrar: skipped, Kamailio's SQLite schema (%s) is not installed\n", SCHEMA);
        return 0;
    }
    char dir[] = "/tmp/kascon-bench-registrar-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    int rc = run(dir, argc == 2 ? atol(argv[1]) : 100000);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
