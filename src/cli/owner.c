/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Root running kasconctl on a database that belongs to another user (the
 * kascon service's, in /var/lib/kascon) acts as that user: SQLite creates
 * the -wal and -shm files, and a file root made there would lock the
 * service out of its own database. */
#include <config.h>

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/owner.h"
#include "i18n.h"

/* The owner of the database file, or of its directory when the file is
 * not there yet. */
static int owner_of(const char *path, struct stat *sb)
{
    if (stat(path, sb) == 0)
        return 0;
    char dir[PATH_MAX];
    int n = snprintf(dir, sizeof dir, "%s", path);
    if (n < 0 || (size_t)n >= sizeof dir)
        return -1;
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    return stat(dir, sb);
}

int cli_act_as_db_owner(const char *prog, const char *path)
{
    struct stat sb;
    if (geteuid() != 0 || owner_of(path, &sb) != 0 || sb.st_uid == 0)
        return 0;
    const struct passwd *pw = getpwuid(sb.st_uid);
    gid_t gid = pw ? pw->pw_gid : sb.st_gid;
    int rc = pw ? initgroups(pw->pw_name, gid) : setgroups(0, NULL);
    if (rc == 0)
        rc = setgid(gid);
    if (rc == 0)
        rc = setuid(sb.st_uid);
    /* For good: root must not come back. */
    if (rc == 0 && setuid(0) == 0) {
        errno = EPERM;
        rc = -1;
    }
    if (rc != 0) {
        fprintf(stderr,
                _("%s: %s belongs to %s, and root cannot act as that user (%s); run "
                  "\"sudo -u %s %s ...\"\n"),
                prog, path, pw ? pw->pw_name : "another user", strerror(errno),
                pw ? pw->pw_name : "OWNER", prog);
        return -1;
    }
    return 0;
}
