/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 内線番号管理 > 内線番号検索 then 削除 (§4.4): unassign a mobile. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_EXT, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_EXT] = {N_("Extension number"), TUI_FIELD_DIGITS, 0, 16, NULL, &core_field_extension},
};

static const int field_map[] = {[OPS_F_EXT] = F_EXT, -1, -1, -1, -1, -1};

struct unassign_state {
    struct tui_form *form;
    bool found;
    struct store_ext ext;
};

static void search(void *ctx, struct tui_form *form)
{
    struct unassign_state *s = ctx;
    struct scr_console *c = scr_console();
    tui_form_clear_errors(form);
    s->found = false;
    const char *ext = tui_form_value(form, F_EXT);
    struct core_problem p;
    int rc = core_check_extension(ext);
    if (!rc)
        rc = store_ext_find(c->st, c->session.site.id, ext, &s->ext);
    if (rc) {
        core_problem_set(&p, rc, ext);
        p.field = OPS_F_EXT;
        scr_show_problem(form, field_map, OPS_F_MOBILE + 1, &p);
        return;
    }
    s->found = true;
    tui_result_clear();
}

static int unassign_init(void *state, void *arg)
{
    (void)arg;
    struct unassign_state *s = state;
    s->form = tui_screen_form();
    tui_form_set_request(s->form);
    return 0;
}

/* One "label  value" line, the label padded by display width. */
static void draw_pair(int y, int x, int w, const char *label, const char *value)
{
    char padded[128];
    tui_text_pad(padded, sizeof padded, label, 20);
    tui_draw_text(y, x, 21, TUI_HEADER, padded);
    tui_draw_text(y, x + 21, w - 21, TUI_NORMAL, value);
}

static void unassign_draw(void *state, const struct tui_rect *body)
{
    struct unassign_state *s = state;
    struct tui_rect top = {body->y, body->x, 2, body->w};
    tui_form_draw(s->form, &top);
    if (!s->found)
        return;
    int y = body->y + 3;
    draw_pair(y++, body->x, body->w, _("Extension number"), s->ext.ext);
    draw_pair(y++, body->x, body->w, _("Terminal type"),
              s->ext.is_virtual ? _("Virtual") : _("Mobile phone"));
    draw_pair(y++, body->x, body->w, _("Mobile number"),
              s->ext.mobile[0] ? s->ext.mobile : _("(not assigned)"));
}

static bool can_delete(void *state)
{
    struct unassign_state *s = state;
    return s->found && s->ext.mobile[0];
}

static void do_delete(void *state)
{
    struct unassign_state *s = state;
    char question[256];
    snprintf(question, sizeof question, _("Unassign mobile %s from extension %s?"), s->ext.mobile,
             s->ext.ext);
    if (!tui_confirm(_("Delete"), question))
        return;
    struct scr_console *c = scr_console();
    struct core_problem p;
    if (ops_unassign(scr_ops(), s->ext.ext, s->ext.mobile, &p)) {
        scr_show_problem(s->form, field_map, OPS_F_MOBILE + 1, &p);
        return;
    }
    char text[256];
    snprintf(text, sizeof text, _("Mobile %s has been unassigned from extension %s."),
             s->ext.mobile, s->ext.ext);
    store_ext_find(c->st, c->session.site.id, s->ext.ext, &s->ext);
    tui_result_ok(text);
}

static const struct tui_action unassign_actions[] = {
    {KEY_F(3), N_("Extension search"), N_("Look up the extension and its mobile number."),
     tui_submit, NULL},
    {KEY_F(8), N_("Delete"), N_("Unassign the mobile number from the extension found."), do_delete,
     can_delete},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_unassign_screen = {
    .title = N_("Extension search / delete"),
    .help = N_("Type an extension number and press Enter (Extension search). Check the mobile"
               " number shown, then Delete unassigns it; the extension profile stays, and can"
               " then be deleted under Extension profiles."),
    .actions = unassign_actions,
    .state_size = sizeof(struct unassign_state),
    .form = &(const struct tui_form_spec){fields, F_COUNT, search},
    .init = unassign_init,
    .draw = unassign_draw,
};
