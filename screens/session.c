/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one console of this process (screens.h, struct scr_console): its
 * store and options, who is logged in, the context of its operations and
 * the administrator's file area over SSH. */
#include <config.h>

#include <string.h>

#include "i18n.h"
#include "screens/screens.h"

static struct scr_console console;

struct scr_console *scr_console(void)
{
    return &console;
}

const struct ops_ctx *scr_ops(void)
{
    bool remote = console.opts && console.opts->preauth_user;
    console.ops = (struct ops_ctx){
        .st = console.st,
        .site_id = console.logged_in ? console.session.site.id : 0,
        .actor = console.session.actor,
        .source = remote ? OPS_SOURCE_SSH : OPS_SOURCE_CONSOLE,
        .lock_session = console.lock_session,
    };
    return &console.ops;
}

bool scr_remote(void)
{
    return console.opts && console.opts->files_root;
}

const struct io_area *scr_area(void)
{
    if (!console.opts || !console.opts->files_root || !console.logged_in)
        return NULL;
    if (!console.area_open) {
        int err = io_area_open(console.opts->files_root, console.session.site.id,
                               console.session.admin.name, &console.area);
        if (err) {
            char text[600];
            snprintf(text, sizeof text, _("Cannot open your file area: %s"), strerror(err));
            tui_result_error(text);
            return NULL;
        }
        console.area_open = true;
    }
    return &console.area;
}
