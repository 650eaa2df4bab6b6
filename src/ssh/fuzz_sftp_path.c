/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the SFTP path resolver (sftp_path.c): whatever a
 * client sends, a path is refused or becomes at most "box/name" with a
 * name io_area_name_ok accepts; ".." is never accepted outside REALPATH;
 * and the canonical form of a result resolves to the same place. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssh/sftp_server.h"

static void check(const char *path, bool clamp)
{
    struct vpath vp;
    if (sftp_path_parse(path, clamp, &vp) != SSH_FX_OK)
        return;
    if (vp.depth < 0 || vp.depth > 2 ||
        (vp.depth >= 1 && vp.box != IO_AREA_INBOX && vp.box != IO_AREA_OUTBOX))
        abort();
    if (vp.depth == 2 && !io_area_name_ok(vp.name))
        abort();
    if (!clamp) {
        /* A ".." component anywhere is refused outside REALPATH. */
        for (const char *p = path; (p = strstr(p, "..")) != NULL; p++)
            if ((p == path || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
                abort();
    }
    char canon[IO_AREA_NAME_MAX + 16];
    sftp_path_canonical(&vp, canon, sizeof canon);
    struct vpath again;
    if (sftp_path_parse(canon, false, &again) != SSH_FX_OK || again.depth != vp.depth ||
        (vp.depth >= 1 && again.box != vp.box) || strcmp(again.name, vp.name))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = malloc(size + 1);
    if (!path)
        return 0;
    memcpy(path, data, size);
    path[size] = '\0';
    check(path, false);
    check(path, true);
    free(path);
    return 0;
}
