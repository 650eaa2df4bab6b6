/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SFTP client paths: the client sees its administrator's file area as "/"
 * holding inbox/ and outbox/.  Every path is taken apart here into (box,
 * name) and later looked up below the area's directory descriptors
 * (io/area.h), never joined into a host path: "..", absolute host paths,
 * links and other administrators' files are out of reach by construction. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "ssh/sftp_server.h"

/* Splits a path into components.  ".." is refused (SSH_FX_PERMISSION_DENIED),
 * or, for REALPATH (`clamp`), taken lexically and never above "/".
 * Returns SSH_FX_OK or the status to reply. */
int sftp_path_parse(const char *path, bool clamp, struct vpath *vp)
{
    char comp[2][IO_AREA_NAME_MAX + 1];
    int depth = 0;
    const char *p = path ? path : "";
    while (*p) {
        while (*p == '/')
            p++;
        size_t n = strcspn(p, "/");
        if (n == 0)
            break;
        if (n == 1 && p[0] == '.') {
            /* the current directory: nothing */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (!clamp)
                return SSH_FX_PERMISSION_DENIED;
            if (depth > 0)
                depth--;
        } else {
            if (depth == 2)
                return SSH_FX_NO_SUCH_FILE; /* a box holds no directories */
            if (n > IO_AREA_NAME_MAX)
                return SSH_FX_PERMISSION_DENIED;
            snprintf(comp[depth], sizeof comp[depth], "%.*s", (int)n, p);
            depth++;
        }
        p += n;
    }
    vp->depth = depth;
    vp->name[0] = '\0';
    if (depth >= 1) {
        if (!strcmp(comp[0], "inbox"))
            vp->box = IO_AREA_INBOX;
        else if (!strcmp(comp[0], "outbox"))
            vp->box = IO_AREA_OUTBOX;
        else
            return SSH_FX_NO_SUCH_FILE;
    }
    if (depth == 2) {
        if (!io_area_name_ok(comp[1]))
            return comp[1][0] == '.' ? SSH_FX_NO_SUCH_FILE : SSH_FX_PERMISSION_DENIED;
        snprintf(vp->name, sizeof vp->name, "%s", comp[1]);
    }
    return SSH_FX_OK;
}

void sftp_path_canonical(const struct vpath *vp, char *buf, size_t n)
{
    if (vp->depth == 0)
        snprintf(buf, n, "/");
    else if (vp->depth == 1)
        snprintf(buf, n, "/%s", io_area_box_name(vp->box));
    else
        snprintf(buf, n, "/%s/%s", io_area_box_name(vp->box), vp->name);
}
