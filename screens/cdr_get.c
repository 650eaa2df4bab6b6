/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 通信履歴参照 > 取得: one file saved as the native 12-column CSV. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "screens/screens.h"

static const char *const encodings[] = {N_("Shift_JIS (CP932, for Excel)"), N_("UTF-8"), NULL};

enum { F_FILE, F_ENCODING, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_FILE] = {N_("Output file"), TUI_FIELD_TEXT, 1024, 56, NULL, NULL},
    [F_ENCODING] = {N_("Encoding"), TUI_FIELD_CHOICE, 0, 0, encodings, NULL},
};

struct get_state {
    struct store_cdr_file file;
    struct tui_form *form;
    char fetch[600]; /* over SSH: the scp command for the file just written */
};

static void submit(void *ctx, struct tui_form *form)
{
    struct get_state *s = ctx;
    struct scr_output out;
    s->fetch[0] = '\0';
    if (!scr_open_output(form, F_FILE, _("Download"), &out))
        return;
    tui_progress(_("Download"), 0, s->file.records);
    long written = 0;
    struct core_problem p;
    struct ops_cdr_export_request req = {s->file.day, s->file.part,
                                         tui_form_choice(form, F_ENCODING) == 0 ? IO_ENC_CP932
                                                                                : IO_ENC_UTF8};
    int rc = ops_cdr_export(scr_ops(), &req, out.f, &written, &p);
    if (scr_close_output(&out, rc == 0) != 0 && !rc)
        core_problem_set(&p, rc = E_FILE_WRITE, out.shown);
    tui_progress(_("Download"), written, s->file.records);
    if (rc) {
        scr_show_problem(NULL, NULL, 0, &p);
        return;
    }
    char text[1200];
    snprintf(text, sizeof text, _("%ld records written to %s."), written, out.shown);
    tui_result_ok(text);
    if (out.in_area)
        scr_scp_command(IO_AREA_OUTBOX, out.name, s->fetch, sizeof s->fetch);
}

static int get_init(void *state, void *arg)
{
    struct get_state *s = state;
    s->form = tui_screen_form();
    tui_form_set_request(s->form);
    s->file = *(const struct store_cdr_file *)arg;
    char name[64];
    snprintf(name, sizeof name, "cdr-%s-%d.csv", s->file.day, s->file.part);
    tui_form_set_value(s->form, F_FILE, name);
    return 0;
}

static void get_draw(void *state, const struct tui_rect *body)
{
    struct get_state *s = state;
    char sub[64];
    snprintf(sub, sizeof sub, "%s (%d) %ld", s->file.day, s->file.part, s->file.records);
    tui_set_subtitle(sub);
    tui_form_draw(s->form, body);
    scr_draw_fetch(body, 3, s->fetch);
}

static const struct tui_action get_actions[] = {
    {KEY_F(2), N_("Execute"), N_("Write the file."), tui_submit, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_cdr_get_screen = {
    .title = N_("Download"),
    .help = N_("Writes the file's records as CSV with the twelve columns of the guide (A to L):"
               " Shift_JIS (CP932) for Excel, or UTF-8."),
    .actions = get_actions,
    .state_size = sizeof(struct get_state),
    .form = &(const struct tui_form_spec){fields, F_COUNT, submit},
    .init = get_init,
    .draw = get_draw,
};
