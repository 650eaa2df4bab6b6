/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The administrators' file areas (see area.h). */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/area.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

static const char *const box_names[IO_AREA_BOXES] = {"inbox", "outbox"};

const char *io_area_box_name(enum io_area_box box)
{
    return box_names[box];
}

/* Opens (making it if missing) one directory below `parent`, never
 * through a link. */
static int subdir(int parent, const char *name)
{
    if (mkdirat(parent, name, 0700) != 0 && errno != EEXIST)
        return -1;
    return openat(parent, name, DIR_FLAGS);
}

bool io_area_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > IO_AREA_NAME_MAX || name[0] == '.')
        return false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p == '/' || *p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

int io_area_open(const char *root, int64_t site_id, const char *admin, struct io_area *area)
{
    area->dir = area->box[0] = area->box[1] = -1;
    if (!io_area_name_ok(admin))
        return EINVAL;
    if (mkdir(root, 0700) != 0 && errno != EEXIST)
        return errno;
    int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return errno;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)site_id);
    int site = subdir(rootfd, id);
    int err = errno;
    close(rootfd);
    if (site < 0)
        return err;
    area->dir = subdir(site, admin);
    err = errno;
    close(site);
    if (area->dir < 0)
        return err;
    for (int b = 0; b < IO_AREA_BOXES; b++) {
        area->box[b] = subdir(area->dir, box_names[b]);
        if (area->box[b] < 0) {
            err = errno;
            io_area_close(area);
            return err;
        }
    }
    return 0;
}

void io_area_close(struct io_area *area)
{
    if (area->dir >= 0)
        close(area->dir);
    for (int b = 0; b < IO_AREA_BOXES; b++)
        if (area->box[b] >= 0)
            close(area->box[b]);
    area->dir = area->box[0] = area->box[1] = -1;
}

/* Calls fn for every entry (but . and ..) of a directory descriptor. */
static int each_entry(int dirfd, void (*fn)(int dirfd, const char *name, void *ctx), void *ctx)
{
    int fd = dup(dirfd);
    if (fd < 0)
        return errno;
    DIR *d = fdopendir(fd);
    if (!d) {
        int err = errno;
        close(fd);
        return err;
    }
    rewinddir(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            fn(dirfd, e->d_name, ctx);
    closedir(d);
    return 0;
}

struct expiry {
    time_t before;
    int removed;
};

static void expire_one(int dirfd, const char *name, void *ctx)
{
    struct expiry *x = ctx;
    struct stat sb;
    if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(sb.st_mode))
        return;
    if (sb.st_mtime < x->before && unlinkat(dirfd, name, 0) == 0)
        x->removed++;
}

int io_area_expire(const struct io_area *area, time_t now)
{
    struct expiry x = {now - IO_AREA_LIFETIME, 0};
    for (int b = 0; b < IO_AREA_BOXES; b++)
        each_entry(area->box[b], expire_one, &x);
    return x.removed;
}

static void expire_admin(int sitefd, const char *name, void *ctx)
{
    int dir = openat(sitefd, name, DIR_FLAGS);
    if (dir < 0)
        return;
    for (int b = 0; b < IO_AREA_BOXES; b++) {
        int box = openat(dir, box_names[b], DIR_FLAGS);
        if (box >= 0) {
            each_entry(box, expire_one, ctx);
            close(box);
        }
    }
    close(dir);
}

static void expire_site(int rootfd, const char *name, void *ctx)
{
    int site = openat(rootfd, name, DIR_FLAGS);
    if (site < 0)
        return;
    each_entry(site, expire_admin, ctx);
    close(site);
}

int io_area_expire_all(const char *root, time_t now)
{
    struct expiry x = {now - IO_AREA_LIFETIME, 0};
    int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return 0;
    each_entry(rootfd, expire_site, &x);
    close(rootfd);
    return x.removed;
}

/* The process that writes a temporary file ".NAME.PID-N.part", or 0 when
 * the name is not one. */
static pid_t temp_owner(const char *name)
{
    size_t n = strlen(name);
    if (name[0] != '.' || n < 8 || strcmp(name + n - 5, ".part"))
        return 0;
    const char *p = name + n - 5;
    while (p > name && p[-1] != '.')
        p--;
    char *end = NULL;
    long pid = strtol(p, &end, 10);
    return end != p && *end == '-' && pid > 0 ? (pid_t)pid : 0;
}

static void add_size(int dirfd, const char *name, void *ctx)
{
    struct stat sb;
    if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
        return;
    /* An upload counts until its connection ends: the temporary file of
     * a session process that is gone (killed) goes now. */
    pid_t owner = temp_owner(name);
    if (owner && kill(owner, 0) != 0 && errno == ESRCH) {
        unlinkat(dirfd, name, 0);
        return;
    }
    *(long long *)ctx += (long long)sb.st_size;
}

int io_area_lock(const struct io_area *area)
{
    while (flock(area->dir, LOCK_EX) != 0)
        if (errno != EINTR)
            return errno;
    return 0;
}

void io_area_unlock(const struct io_area *area)
{
    flock(area->dir, LOCK_UN);
}

long long io_area_usage(const struct io_area *area)
{
    long long bytes = 0;
    for (int b = 0; b < IO_AREA_BOXES; b++)
        each_entry(area->box[b], add_size, &bytes);
    return bytes;
}

struct listing {
    struct io_area_file *files;
    size_t count, cap;
    int err;
};

static void list_one(int dirfd, const char *name, void *ctx)
{
    struct listing *l = ctx;
    struct stat sb;
    if (l->err || !io_area_name_ok(name) || fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(sb.st_mode))
        return;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct io_area_file *more = realloc(l->files, cap * sizeof *more);
        if (!more) {
            l->err = ENOMEM;
            return;
        }
        l->files = more;
        l->cap = cap;
    }
    struct io_area_file *f = &l->files[l->count++];
    snprintf(f->name, sizeof f->name, "%s", name);
    f->size = (long long)sb.st_size;
    f->mtime = sb.st_mtime;
}

static int newest_first(const void *a, const void *b)
{
    const struct io_area_file *x = a, *y = b;
    if (x->mtime != y->mtime)
        return x->mtime < y->mtime ? 1 : -1;
    return strcmp(x->name, y->name);
}

int io_area_list(const struct io_area *area, enum io_area_box box, struct io_area_file **files,
                 size_t *count)
{
    struct listing l = {NULL, 0, 0, 0};
    int err = each_entry(area->box[box], list_one, &l);
    if (!err)
        err = l.err;
    if (err) {
        free(l.files);
        *files = NULL;
        *count = 0;
        return err;
    }
    if (l.count > 1)
        qsort(l.files, l.count, sizeof *l.files, newest_first);
    *files = l.files;
    *count = l.count;
    return 0;
}

int io_area_open_read(const struct io_area *area, enum io_area_box box, const char *name)
{
    if (!io_area_name_ok(name)) {
        errno = ENOENT;
        return -1;
    }
    /* O_NONBLOCK: opening a planted fifo must not hang the session. */
    int fd =
        openat(area->box[box], name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ELOOP)
            errno = EPERM;
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_nlink != 1) {
        close(fd);
        errno = EPERM;
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

int io_area_create_temp(const struct io_area *area, enum io_area_box box, const char *name,
                        char *temp, size_t n)
{
    static unsigned counter;
    if (!io_area_name_ok(name)) {
        errno = EINVAL;
        return -1;
    }
    for (int tries = 0; tries < 100; tries++) {
        snprintf(temp, n, ".%s.%ld-%u.part", name, (long)getpid(), counter++);
        int fd = openat(area->box[box], temp,
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

int io_area_publish(const struct io_area *area, enum io_area_box box, const char *temp,
                    const char *name)
{
    if (!io_area_name_ok(name))
        return EINVAL;
    /* renameat replaces a plain file or a link named `name` itself, never
     * what a link points to. */
    return renameat(area->box[box], temp, area->box[box], name) == 0 ? 0 : errno;
}

void io_area_discard(const struct io_area *area, enum io_area_box box, const char *temp)
{
    unlinkat(area->box[box], temp, 0);
}
