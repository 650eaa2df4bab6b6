/* SPDX-License-Identifier: GPL-3.0-or-later */
/* サービス設定 > 留守番・各種転送設定確認 (§1.2, FAQ §7): an extension's
 * forwarding and voicemail, for the administrator to read.  Each row is
 * "-" (not set) or the destination; extension users set them themselves. */
#include <config.h>

#include <stdlib.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_EXT, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_EXT] = {N_("Extension number"), TUI_FIELD_DIGITS, 0, 16, NULL, &core_field_extension},
};

static const int field_map[OPS_FWD_FIELDS] = {[OPS_FWD_F_EXT] = F_EXT, -1, -1};

struct fwd_view_state {
    struct tui_form *form;
    bool found;
    char ext[CORE_EXT_MAX + 1];
    struct core_fwd fwd;
    struct timespec read_at; /* when fwd was read */
};

static void show(void *ctx, struct tui_form *form)
{
    struct fwd_view_state *s = ctx;
    tui_form_clear_errors(form);
    s->found = false;
    struct core_problem p;
    const char *ext = tui_form_value(form, F_EXT);
    if (ops_fwd_get(scr_ops(), ext, &s->fwd, &p)) {
        scr_show_problem(form, field_map, OPS_FWD_FIELDS, &p);
        return;
    }
    snprintf(s->ext, sizeof s->ext, "%s", ext);
    s->found = true;
    clock_gettime(CLOCK_MONOTONIC, &s->read_at);
    tui_result_clear();
}

static int fwd_view_init(void *state, void *arg)
{
    (void)arg;
    struct fwd_view_state *s = state;
    s->form = tui_screen_form();
    tui_form_set_request(s->form);
    return 0;
}

static void fwd_view_draw(void *state, const struct tui_rect *body)
{
    struct fwd_view_state *s = state;
    struct tui_rect top = {body->y, body->x, 2, body->w};
    tui_form_draw(s->form, &top);
    if (!s->found)
        return;
    /* The user changes their forwarding meanwhile (feature codes, their
     * own console). */
    if (scr_stale(&s->read_at)) {
        struct core_fwd now;
        struct core_problem p;
        if (ops_fwd_get(scr_ops(), s->ext, &now, &p) == CORE_OK)
            s->fwd = now;
    }
    /* Labels as wide as the widest in this language, values after them. */
    int lw = tui_text_width(_("Extension number"));
    for (int k = 0; k <= CORE_FWD_KINDS; k++) {
        int w = tui_text_width(_(core_fwd_kind_msgid(k)));
        lw = w > lw ? w : lw;
    }
    lw += 2;
    if (lw > body->w / 2)
        lw = body->w / 2;
    int y = body->y + 3;
    char value[64];
    tui_draw_text(y, body->x, lw, TUI_HEADER, _("Extension number"));
    tui_draw_text(y++, body->x + lw, body->w - lw, TUI_NORMAL, s->ext);
    y++;
    for (int k = 0; k <= CORE_FWD_KINDS && y < body->y + body->h; k++, y++) {
        core_fwd_describe(&s->fwd, k, value, sizeof value);
        tui_draw_text(y, body->x, lw, TUI_HEADER, _(core_fwd_kind_msgid(k)));
        tui_draw_text(y, body->x + lw, body->w - lw, TUI_NORMAL, value);
    }
}

static const struct tui_action fwd_view_actions[] = {
    {KEY_F(3), N_("Show"), N_("Show the forwarding settings of the extension."), tui_submit, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_fwd_view_screen = {
    .title = N_("Voicemail / forwarding settings"),
    .help = N_("Type an extension number and press Enter (Show). Each kind of forwarding shows"
               " \"-\" when it is not set, or the number calls are forwarded to; no-answer"
               " forwarding also shows how long the extension rings first. Extension users set"
               " their forwarding themselves (with feature codes or their own console): when a"
               " call does not reach an extension, look here first."),
    .actions = fwd_view_actions,
    .state_size = sizeof(struct fwd_view_state),
    .form = &(const struct tui_form_spec){fields, F_COUNT, show},
    .init = fwd_view_init,
    .draw = fwd_view_draw,
};
