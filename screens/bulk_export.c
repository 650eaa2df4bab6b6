/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 内線番号管理 > 一括出力: every profile in the register format. */
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

struct export_state {
    struct tui_form *form;
    char fetch[600]; /* over SSH: the scp command for the file just written */
};

static void submit(void *ctx, struct tui_form *form)
{
    struct export_state *s = ctx;
    struct scr_output out;
    s->fetch[0] = '\0';
    if (!scr_open_output(form, F_FILE, _("Bulk export"), &out))
        return;
    long rows = 0;
    struct core_problem p;
    int rc = ops_bulk_export(scr_ops(), out.f,
                             tui_form_choice(form, F_ENCODING) == 1 ? IO_ENC_UTF8 : IO_ENC_CP932,
                             &rows, &p);
    if (scr_close_output(&out, rc == 0) != 0 && !rc)
        core_problem_set(&p, rc = E_FILE_WRITE, out.shown);
    if (rc) {
        scr_show_problem(NULL, NULL, 0, &p);
        return;
    }
    char text[1200];
    snprintf(text, sizeof text, _("%ld profiles written to %s."), rows, out.shown);
    tui_result_ok(text);
    if (out.in_area)
        scr_scp_command(IO_AREA_OUTBOX, out.name, s->fetch, sizeof s->fetch);
}

static int export_init(void *state, void *arg)
{
    (void)arg;
    struct export_state *s = state;
    s->form = tui_screen_form();
    tui_form_set_request(s->form);
    tui_form_set_value(s->form, F_FILE, "kascon-export.csv");
    return 0;
}

static void export_draw(void *state, const struct tui_rect *body)
{
    struct export_state *s = state;
    tui_form_draw(s->form, body);
    scr_draw_fetch(body, 3, s->fetch);
}

static const struct tui_action export_actions[] = {
    {KEY_F(2), N_("Execute"), N_("Write the file."), tui_submit, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_bulk_export_screen = {
    .title = N_("Bulk export"),
    .help = N_("Writes every extension profile in the 10-column bulk register format: Shift_JIS"
               " (CP932) for Excel, or UTF-8. The web console password column stays empty (only"
               " a hash of it is stored); the first three columns are the bulk delete format."),
    .actions = export_actions,
    .state_size = sizeof(struct export_state),
    .form = &(const struct tui_form_spec){fields, F_COUNT, submit},
    .init = export_init,
    .draw = export_draw,
};
