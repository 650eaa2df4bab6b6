/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Files a form writes (一括出力, 取得): a path on a local terminal, a name in
 * outbox/ of the administrator's file area over SSH, with the scp command
 * that fetches it. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "screens/screens.h"

void scr_scp_command(enum io_area_box box, const char *name, char *buf, size_t n)
{
    struct scr_console *c = scr_console();
    const struct console_opts *o = c->opts;
    if (name)
        snprintf(buf, n, "scp -P %d %s@%s@%s:%s/%s .", o->public_port, c->session.admin.name,
                 c->session.site.domain, o->public_host, io_area_box_name(box), name);
    else
        snprintf(buf, n, "scp -P %d %s %s@%s@%s:%s/", o->public_port, _("FILE.csv"),
                 c->session.admin.name, c->session.site.domain, o->public_host,
                 io_area_box_name(box));
}

void scr_draw_fetch(const struct tui_rect *body, int row, const char *fetch)
{
    struct scr_console *c = scr_console();
    if (!c->opts->files_root || row + 2 > body->h)
        return;
    if (!fetch[0]) {
        tui_draw_text(body->y + row, body->x, body->w, TUI_DIM,
                      _("The file is written to outbox/ of your file area; scp copies it to"
                        " your PC."));
        return;
    }
    tui_draw_text(body->y + row, body->x, body->w, TUI_DIM, _("To copy it to your PC, run there:"));
    tui_draw_text(body->y + row + 1, body->x + 2, body->w - 2, TUI_NORMAL, fetch);
}

/* A name the scp command can carry as it is: no quoting, no globbing. */
static bool plain_file_name(const char *name)
{
    if (!io_area_name_ok(name))
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return false;
    return true;
}

static FILE *open_in_outbox(struct tui_form *form, size_t field, const char *title,
                            struct scr_output *out)
{
    const struct io_area *area = scr_area();
    if (!area)
        return NULL;
    const char *name = tui_form_value(form, field);
    if (!strncmp(name, "outbox/", 7))
        name += 7;
    if (!plain_file_name(name)) {
        tui_form_set_error(form, field,
                           _("Type a file name for outbox/: letters, digits, '.', '_' and '-'."));
        return NULL;
    }
    out->in_area = true;
    snprintf(out->name, sizeof out->name, "%s", name);
    snprintf(out->shown, sizeof out->shown, "outbox/%s", name);
    struct stat sb;
    if (fstatat(area->box[IO_AREA_OUTBOX], name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
        char q[1200];
        snprintf(q, sizeof q, _("%s exists. Overwrite it?"), out->shown);
        if (!tui_confirm(title, q))
            return NULL;
    }
    int fd = io_area_create_temp(area, IO_AREA_OUTBOX, name, out->temp, sizeof out->temp);
    if (fd >= 0 && !(out->f = fdopen(fd, "wb"))) {
        close(fd);
        io_area_discard(area, IO_AREA_OUTBOX, out->temp);
    }
    if (!out->f) {
        char text[1200];
        snprintf(text, sizeof text, _("Cannot write %s: %s"), out->shown, strerror(errno));
        tui_form_set_error(form, field, text);
    }
    return out->f;
}

FILE *scr_open_output(struct tui_form *form, size_t field, const char *title,
                      struct scr_output *out)
{
    memset(out, 0, sizeof *out);
    const char *path = tui_form_value(form, field);
    tui_form_clear_errors(form);
    if (!*path) {
        tui_form_set_error(form, field, _("Type the path of the file to write."));
        return NULL;
    }
    if (scr_remote())
        return open_in_outbox(form, field, title, out);
    snprintf(out->shown, sizeof out->shown, "%s", path);
    struct stat sb;
    if (stat(path, &sb) == 0) {
        char q[1200];
        snprintf(q, sizeof q, _("%s exists. Overwrite it?"), path);
        if (!tui_confirm(title, q))
            return NULL;
    }
    out->f = fopen(path, "wb");
    if (out->f)
        fchmod(fileno(out->f), 0600); /* SIP passwords, call history: private */
    if (!out->f) {
        char text[1200];
        snprintf(text, sizeof text, _("Cannot write %s: %s"), path, strerror(errno));
        tui_form_set_error(form, field, text);
    }
    return out->f;
}

int scr_close_output(struct scr_output *out, bool ok)
{
    struct scr_console *c = scr_console();
    int err = 0;
    if (fflush(out->f) != 0 || (out->in_area && fsync(fileno(out->f)) != 0))
        err = errno;
    if (fclose(out->f) != 0 && !err)
        err = errno;
    out->f = NULL;
    if (!out->in_area)
        return err;
    if (!ok || err)
        io_area_discard(&c->area, IO_AREA_OUTBOX, out->temp);
    else
        err = io_area_publish(&c->area, IO_AREA_OUTBOX, out->temp, out->name);
    return err;
}
