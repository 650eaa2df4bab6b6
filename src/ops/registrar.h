/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Keeps a Kamailio registrar's provisioning tables in step with kascon:
 * per site a `domain` row; per extension with SIP credentials a
 * `subscriber` row (ha1, ha1b; the plaintext password only when asked)
 * and its forwarding as `usr_preferences` attributes; `dbaliases` rows
 * from the extension number and the assigned mobile number to the SIP ID.
 *
 * The store's outbox (filled by triggers in each changing transaction)
 * says which rows may differ; ops_registrar_flush recomputes them from
 * kascon's tables and writes the difference, set-wise, in one registrar
 * transaction, then empties the outbox up to what it read.  Applying an
 * entry twice or late converges on the same rows.  When the registrar
 * cannot be written the entries stay, and the reason is recorded for
 * `kasconctl registrar status` and the console's status line. */
#ifndef KASCON_OPS_REGISTRAR_H
#define KASCON_OPS_REGISTRAR_H

#include <stdbool.h>
#include <stddef.h>

#include "ops/ops.h"

/* The usr_preferences attributes kascon writes (type 0 string, 1 integer). */
#define REGISTRAR_ATTR_UNCONDITIONAL "fwd_unconditional"
#define REGISTRAR_ATTR_BUSY "fwd_busy"
#define REGISTRAR_ATTR_NO_ANSWER "fwd_no_answer"
#define REGISTRAR_ATTR_NO_ANSWER_DELAY "fwd_no_answer_delay"
#define REGISTRAR_ATTR_OUT_OF_COVERAGE "fwd_out_of_coverage"
#define REGISTRAR_ATTR_VOICEMAIL "fwd_voicemail"

/* A bulk change of more rows than this queues its whole site at once. */
#define OPS_REGISTRAR_SITEWIDE_ROWS 256

struct registrar_config {
    char url[1024]; /* "" for none; a path (SQLite) or postgresql://... */
    bool plaintext; /* also write subscriber.password (calculate_ha1) */
};

/* KASCON_REGISTRAR and KASCON_REGISTRAR_PLAINTEXT ("1"/"yes"). */
void ops_registrar_config_from_env(struct registrar_config *cfg);
/* Sets cfg from an option or configuration value: "sqlite://" prefixes
 * (Kamailio's spelling) are taken off.  Exported to the environment so
 * that programs this one starts (the console, kasconctl verbs) write too. */
void ops_registrar_config_set(struct registrar_config *cfg, const char *url, bool plaintext);

/* One row (or set of rows of one key) brought in step. */
struct registrar_change {
    char op;           /* '+' added, '-' removed, '~' replaced */
    const char *table; /* domain, subscriber, usr_preferences, dbaliases */
    const char *domain;
    const char *key; /* the domain, SIP ID or alias number */
};
typedef void (*registrar_report_fn)(const struct registrar_change *c, void *ctx);
struct registrar_stats {
    long entries;    /* outbox entries applied */
    long changes;    /* keys changed */
    long statements; /* statements sent to the registrar */
};

/* kasconctl registrar sync: applies the pending outbox entries and
 * brings every row of `domain` (or of every site, when NULL) in step,
 * repairing drift, each change reported; audited when rows changed.
 * With dry_run, reports what would change and changes nothing.  Returns
 * 0, or -1 with the reason in err (entries stay pending; the reason is
 * recorded unless dry_run). */
struct registrar_sync_request {
    const struct registrar_config *cfg;
    const char *domain; /* or NULL: every site */
    bool dry_run;
    registrar_report_fn report; /* may be NULL */
    void *report_ctx;
};
int ops_registrar_sync(const struct ops_ctx *ctx, const struct registrar_sync_request *req,
                       struct registrar_stats *stats, char *err, size_t n);
/* Applies the pending outbox entries only (the periodic worker). */
int ops_registrar_apply(const struct ops_ctx *ctx, const struct registrar_config *cfg,
                        struct registrar_stats *stats, char *err, size_t n);

/* Makes every later store_commit on ctx->st apply the outbox to cfg's
 * registrar (nothing when cfg->url is empty).  Turns the outbox on in the
 * database; the first time, every site is queued in full.  Applies what
 * is pending now.  cfg must outlive the store. */
void ops_registrar_attach(const struct ops_ctx *ctx, const struct registrar_config *cfg);

/* Turns the outbox on (first time: every site queued in full). */
void ops_registrar_enable(const struct ops_ctx *ctx);
/* Opens the registrar and checks its version rows; 0 or -1 with err. */
int ops_registrar_probe(const struct registrar_config *cfg, char *err, size_t n);

/* One line for status displays: "" when the outbox is empty, else how
 * many changes wait and why. */
void ops_registrar_status_line(const struct ops_ctx *ctx, char *buf, size_t n);

#endif
