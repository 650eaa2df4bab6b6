/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The administrators' file areas (src/io/area.c) on a temporary directory:
 * names, modes, temporary files published whole, and every planted kind
 * of file that must not be read. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "io/area.h"
#include "tap.h"

static char root[256];

static void path_of(char *buf, size_t n, const char *rel)
{
    snprintf(buf, n, "%s/7/admin/%s", root, rel);
}

static int write_file(const char *rel, const char *text)
{
    char p[512];
    path_of(p, sizeof p, rel);
    FILE *f = fopen(p, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static int mode_of(const char *rel)
{
    char p[512];
    struct stat sb;
    path_of(p, sizeof p, rel);
    return lstat(p, &sb) == 0 ? (int)(sb.st_mode & 07777) : -1;
}

int main(void)
{
    snprintf(root, sizeof root, "%s/kascon-area.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(root))
        return 1;

    tap_ok(io_area_name_ok("ext.csv"), "a plain name is accepted");
    tap_ok(io_area_name_ok("内線.csv"), "a Japanese name is accepted");
    tap_ok(!io_area_name_ok(""), "an empty name is refused");
    tap_ok(!io_area_name_ok(".."), "\"..\" is refused");
    tap_ok(!io_area_name_ok(".x.part"), "a name starting with '.' (temporary files) is refused");
    tap_ok(!io_area_name_ok("a/b"), "a name with '/' is refused");
    tap_ok(!io_area_name_ok("a\nb"), "a name with a control character is refused");
    char longname[IO_AREA_NAME_MAX + 2];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    tap_ok(!io_area_name_ok(longname), "a name over %d bytes is refused", IO_AREA_NAME_MAX);

    struct io_area a;
    tap_is(io_area_open(root, 7, "admin", &a), 0, "an area is created");
    tap_is(mode_of("inbox"), 0700, "inbox/ is 0700");
    tap_is(mode_of("outbox"), 0700, "outbox/ is 0700");
    tap_is(mode_of(""), 0700, "the area is 0700");
    tap_ok(io_area_open(root, 7, "../x", &(struct io_area){0}) == EINVAL,
           "an administrator name that is not a plain name is refused");

    char temp[IO_AREA_TEMP_MAX];
    int fd = io_area_create_temp(&a, IO_AREA_INBOX, "up.csv", temp, sizeof temp);
    tap_ok(fd >= 0, "a temporary file is created");
    tap_ok(write(fd, "2001,09011110001\n", 17) == 17, "... and written");
    close(fd);
    struct io_area_file *files;
    size_t count;
    io_area_list(&a, IO_AREA_INBOX, &files, &count);
    tap_is(count, 0, "a file being written is not listed");
    free(files);
    tap_is(io_area_publish(&a, IO_AREA_INBOX, temp, "up.csv"), 0, "publishing renames it");
    io_area_list(&a, IO_AREA_INBOX, &files, &count);
    tap_ok(count == 1 && !strcmp(files[0].name, "up.csv") && files[0].size == 17,
           "then it is listed, with its size");
    free(files);
    tap_is(mode_of("inbox/up.csv"), 0600, "an upload is 0600");
    fd = io_area_open_read(&a, IO_AREA_INBOX, "up.csv");
    tap_ok(fd >= 0, "it can be read");
    close(fd);
    fd = io_area_create_temp(&a, IO_AREA_INBOX, "gone.csv", temp, sizeof temp);
    close(fd);
    io_area_discard(&a, IO_AREA_INBOX, temp);
    tap_is(io_area_usage(&a), 17, "a discarded file leaves nothing (usage 17 bytes)");

    /* Planted by someone with a shell on the server: never read. */
    char p[512], target[512];
    snprintf(target, sizeof target, "%s/secret", root);
    FILE *f = fopen(target, "w");
    fputs("secret", f);
    fclose(f);
    path_of(p, sizeof p, "inbox/link.csv");
    tap_ok(symlink(target, p) == 0, "(a symbolic link planted)");
    errno = 0;
    tap_ok(io_area_open_read(&a, IO_AREA_INBOX, "link.csv") < 0 && errno == EPERM,
           "a symbolic link is not followed");
    path_of(p, sizeof p, "inbox/hard.csv");
    tap_ok(link(target, p) == 0, "(a hard link planted)");
    errno = 0;
    tap_ok(io_area_open_read(&a, IO_AREA_INBOX, "hard.csv") < 0 && errno == EPERM,
           "a hard link to a file elsewhere is refused");
    path_of(p, sizeof p, "inbox/fifo.csv");
    tap_ok(mkfifo(p, 0600) == 0, "(a fifo planted)");
    tap_ok(io_area_open_read(&a, IO_AREA_INBOX, "fifo.csv") < 0, "a fifo is refused, at once");
    errno = 0;
    tap_ok(io_area_open_read(&a, IO_AREA_INBOX, "../../../secret") < 0 && errno == ENOENT,
           "a path is not a name");
    io_area_list(&a, IO_AREA_INBOX, &files, &count);
    tap_is(count, 2, "the listing shows plain files only (up.csv and the hard link's name)");
    free(files);
    path_of(p, sizeof p, "inbox/link.csv");
    unlink(p);
    path_of(p, sizeof p, "inbox/hard.csv");
    unlink(p);
    path_of(p, sizeof p, "inbox/fifo.csv");
    unlink(p);

    /* 24 hours. */
    write_file("outbox/old.csv", "x");
    path_of(p, sizeof p, "outbox/old.csv");
    time_t now = time(NULL);
    struct timeval tv[2] = {{now - IO_AREA_LIFETIME - 60, 0}, {now - IO_AREA_LIFETIME - 60, 0}};
    utimes(p, tv);
    tap_is(io_area_expire(&a, now), 1, "a file older than 24 hours expires");
    tap_ok(access(p, F_OK) != 0, "... it is gone");
    tap_ok(mode_of("inbox/up.csv") == 0600, "... a fresh one stays");
    path_of(p, sizeof p, "inbox/up.csv");
    utimes(p, tv);
    tap_is(io_area_expire_all(root, now), 1, "the daily run finds every area");
    io_area_close(&a);

    /* An administrator directory replaced by a link: no area at all. */
    char admin2[512];
    snprintf(admin2, sizeof admin2, "%s/7/admin2", root);
    tap_ok(symlink(root, admin2) == 0, "(a link planted as an administrator's directory)");
    tap_ok(io_area_open(root, 7, "admin2", &a) != 0, "... the area is not opened through it");

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        return 1;
    return tap_done();
}
