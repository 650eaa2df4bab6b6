/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kascond's work on the database outside any connection: the start-up
 * check, which also releases the edit locks of sessions that are gone,
 * the daily cleanup (call-history and audit retention, old files of the
 * file areas) and the registrar worker, the last two in short-lived
 * children of the listener. */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "io/area.h"
#include "ops/ops.h"
#include "ops/registrar.h"
#include "ssh/log.h"
#include "ssh/sshd.h"
#include "store/store.h"

/* Whether the session a lease names ("ssh:HOST:PID:START", or the older
 * "ssh:PID:START" and a local console's "console-PID-START") still runs:
 * sessions outlive a restart of the listener (KillMode=process), and
 * their locks stay theirs.  A process of that id that started at another
 * time is another process: the session is gone. */
static bool session_alive(const char *session)
{
    char text[128], host[64] = "";
    snprintf(text, sizeof text, "%s", session);
    char *start = NULL, *pid = NULL;
    if (!strncmp(text, "ssh:", 4)) {
        start = strrchr(text, ':');
        if (start == text + 3)
            return false;
        *start++ = '\0';
        pid = strrchr(text, ':');
        *pid++ = '\0';
        if (strlen(text) > 4) {
            char here[64] = "";
            gethostname(here, sizeof here - 1);
            snprintf(host, sizeof host, "%.60s", text + 4);
            if (strncmp(host, here, 24))
                return true; /* another host's: its lease expires by itself */
        }
    } else if (!strncmp(text, "console-", 8)) {
        pid = text + 8;
        start = strchr(pid, '-');
        if (!start)
            return false;
        *start++ = '\0';
    } else {
        return false;
    }
    char *end = NULL;
    long p = strtol(pid, &end, 10);
    long long since = strtoll(start, NULL, 10);
    if (!*pid || *end || p <= 0)
        return false;
    char path[64], stat[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", p);
    FILE *f = fopen(path, "r");
    if (!f)
        return kill((pid_t)p, 0) == 0 || errno == EPERM;
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    /* Field 22 (after the command in parentheses): start in clock ticks
     * after boot; the boot time is btime of /proc/stat. */
    const char *after = strrchr(stat, ')');
    unsigned long long ticks = 0;
    if (!after || sscanf(after + 2,
                         "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d "
                         "%*d %*d %*d %llu",
                         &ticks) != 1)
        return true;
    long long btime = 0;
    if ((f = fopen("/proc/stat", "r"))) {
        char line[256];
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "btime %lld", &btime) == 1)
                break;
        fclose(f);
    }
    long hz = sysconf(_SC_CLK_TCK);
    if (!btime || hz <= 0)
        return true;
    long long began = btime + (long long)(ticks / (unsigned long long)hz);
    return began - since <= 5 && since - began <= 5;
}

/* Leases of sessions that are gone (a crash, a reboot) are released at
 * start; those of sessions still open are kept. */
int sshd_prepare_database(const char *prog, const char *path, bool registrar)
{
    struct store *st = NULL;
    int rc = store_open(path, &st);
    int cleared = 0;
    if (!rc)
        rc = ops_lock_release_gone(&(struct ops_ctx){.st = st, .actor = {"kascond", "start"}},
                                   session_alive, &cleared);
    if (!rc && registrar)
        ops_registrar_enable(&(struct ops_ctx){.st = st}); /* from now on every change is queued */
    char shown[1024];
    if (rc)
        fprintf(stderr, _("%s: cannot open database %s: %s\n"), prog,
                store_target_shown(path, shown, sizeof shown),
                st ? store_errmsg(st) : "out of memory");
    else if (cleared)
        sshd_log(LOG_DAEMON | LOG_NOTICE, "Released %d edit lock(s) of sessions that are gone",
                 cleared);
    store_close(st);
    return rc ? -1 : 0;
}

/* The call-history retention of doc/spec.md §3.7 (92 days) and the 24 hours of
 * the file areas, at start and then daily.  It runs in a short-lived
 * child: the parent never holds a database connection that a fork could
 * carry into a session. */
void sshd_daily_cleanup(const char *path, const char *files_root)
{
    pid_t pid = fork();
    if (pid != 0)
        return; /* the parent reaps it with the sessions */
    int expired = io_area_expire_all(files_root, time(NULL));
    if (expired)
        sshd_log(LOG_DAEMON | LOG_NOTICE, "Removed %d file(s) older than 24 hours from %s", expired,
                 files_root);
    struct store *st = NULL;
    int files = 0;
    long records = 0;
    static const struct store_actor who = {"kascond", "retention"};
    int rc = store_open(path, &st);
    if (!rc)
        rc = ops_cdr_purge(&(struct ops_ctx){.st = st, .site_id = 0, .actor = who}, &files,
                           &records);
    if (rc)
        sshd_log(LOG_DAEMON | LOG_ERR, "Call-history retention failed: %s",
                 st ? store_errmsg(st) : "out of memory");
    else if (files)
        sshd_log(LOG_DAEMON | LOG_NOTICE,
                 "Call-history retention deleted %d file(s), %ld record(s) older than 92 days",
                 files, records);
    /* The audit log's retention (kasconctl audit retention), when set. */
    long entries = 0;
    struct core_problem problem;
    int arc =
        st ? ops_audit_purge_expired(&(struct ops_ctx){.st = st, .actor = who}, &entries, &problem)
           : E_STORAGE;
    if (arc)
        sshd_log(LOG_DAEMON | LOG_ERR, "Audit retention failed: %s",
                 st ? store_errmsg(st) : "out of memory");
    else if (entries)
        sshd_log(LOG_DAEMON | LOG_NOTICE, "Audit retention deleted %ld entr%s", entries,
                 entries == 1 ? "y" : "ies");
    store_close(st);
    _exit(rc || arc ? 1 : 0);
}

/* Changes a writer could not apply to the SIP registrar wait in the
 * outbox; a short-lived child applies them every registrar-interval
 * seconds.  It logs what it applied, and a failure only when its reason
 * is new (the status keeps the reason meanwhile). */
void sshd_registrar_worker(const struct sshd_config *cfg)
{
    pid_t pid = fork();
    if (pid != 0)
        return; /* the parent reaps it with the sessions */
    struct registrar_config reg;
    ops_registrar_config_from_env(&reg);
    struct store *st = NULL;
    struct store_registrar_state before;
    struct registrar_stats stats;
    char err[512] = "", shown[sizeof reg.url];
    int rc = store_open(cfg->db_path, &st);
    if (!rc)
        rc = store_registrar_state_get(st, &before);
    if (!rc && before.pending &&
        ops_registrar_apply(&(struct ops_ctx){.st = st}, &reg, &stats, err, sizeof err)) {
        if (strcmp(err, before.last_error) != 0)
            sshd_log(LOG_DAEMON | LOG_WARNING, "Registrar %s: %ld change(s) waiting: %s",
                     store_target_shown(reg.url, shown, sizeof shown), before.pending, err);
        rc = 1;
    } else if (!rc && before.pending) {
        sshd_log(LOG_DAEMON | LOG_NOTICE, "Registrar %s: applied %ld waiting change(s)",
                 store_target_shown(reg.url, shown, sizeof shown), before.pending);
    } else if (rc) {
        sshd_log(LOG_DAEMON | LOG_ERR, "Registrar worker: %s",
                 st ? store_errmsg(st) : "out of memory");
    }
    store_close(st);
    _exit(rc ? 1 : 0);
}
