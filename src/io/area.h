/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An administrator's file area for SFTP, scp and the console over SSH:
 * ROOT/SITE-ID/ADMIN/{inbox,outbox}, every directory 0700.  Everything in
 * it is reached through directory descriptors with O_NOFOLLOW: no path
 * string is ever joined and trusted, so no name, "..", symbolic link or
 * rename race leads out of it.  A box holds plain files only; names that
 * start with '.' are the temporary names of files being written. */
#ifndef KASCON_IO_AREA_H
#define KASCON_IO_AREA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

enum io_area_box { IO_AREA_INBOX, IO_AREA_OUTBOX, IO_AREA_BOXES };

#define IO_AREA_NAME_MAX 128            /* bytes of a file name */
#define IO_AREA_TEMP_MAX 192            /* bytes of a temporary name */
#define IO_AREA_LIFETIME (24 * 60 * 60) /* seconds a file is kept */

struct io_area {
    int dir;                /* ROOT/SITE-ID/ADMIN */
    int box[IO_AREA_BOXES]; /* inbox, outbox */
};

/* "inbox" or "outbox". */
const char *io_area_box_name(enum io_area_box box);

/* Opens (creating what is missing, 0700) the area of one administrator.
 * Returns 0 or an errno value; a link anywhere below ROOT is refused. */
int io_area_open(const char *root, int64_t site_id, const char *admin, struct io_area *area);
void io_area_close(struct io_area *area);

/* A name a client may give a file: 1 to IO_AREA_NAME_MAX bytes, no '/',
 * no control character, not starting with '.'. */
bool io_area_name_ok(const char *name);

/* Removes files (and forgotten temporary files) last written more than
 * IO_AREA_LIFETIME before `now`.  Returns how many were removed. */
int io_area_expire(const struct io_area *area, time_t now);
/* The same for every area under ROOT (kascond's daily run). */
int io_area_expire_all(const char *root, time_t now);

/* Bytes held in both boxes, temporary files of live uploads included;
 * those of session processes that are gone are removed. */
long long io_area_usage(const struct io_area *area);

/* The area's quota lock (flock on its directory), shared by every session
 * of the administrator: whoever holds it may compare io_area_usage with
 * the quota and then write.  Returns 0 or an errno value. */
int io_area_lock(const struct io_area *area);
void io_area_unlock(const struct io_area *area);

struct io_area_file {
    char name[IO_AREA_NAME_MAX + 1];
    long long size;
    time_t mtime;
};
/* The visible plain files of a box, newest first; *count of them in a
 * malloc'ed array (NULL when empty).  Returns 0 or an errno value. */
int io_area_list(const struct io_area *area, enum io_area_box box, struct io_area_file **files,
                 size_t *count);

/* Opens a file of a box for reading: only a plain file with one link (no
 * symbolic link, fifo, device or hard link planted from elsewhere).
 * Returns a descriptor, or -1 with errno set (EPERM for a refused kind). */
int io_area_open_read(const struct io_area *area, enum io_area_box box, const char *name);

/* Writing: a new temporary file in the box (0600), which io_area_publish
 * renames to `name` once complete, or io_area_discard removes.  Returns a
 * descriptor, or -1 with errno set. */
int io_area_create_temp(const struct io_area *area, enum io_area_box box, const char *name,
                        char *temp, size_t n);
int io_area_publish(const struct io_area *area, enum io_area_box box, const char *temp,
                    const char *name);
void io_area_discard(const struct io_area *area, enum io_area_box box, const char *temp);

#endif
