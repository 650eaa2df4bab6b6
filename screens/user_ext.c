/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ユーザーカスコン > 内線番号確認 (guide §1.1): the extension user's own
 * extension, the mobile assigned to it and the groups it belongs to.
 * Read only; the administrator changes profiles and groups. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens/screens.h"

struct user_ext_state {
    struct store_ext ext;
    char groups[512];        /* translated, "-" when none */
    struct timespec read_at; /* when the above was read */
};

static int load(struct user_ext_state *s)
{
    struct scr_console *c = scr_console();
    int rc = store_ext_find(c->st, c->session.site.id, c->session.ext.ext, &s->ext);
    char refs[256] = "";
    if (!rc)
        rc = store_ext_groups(c->st, s->ext.id, refs, sizeof refs);
    if (rc) {
        struct core_problem p;
        core_problem_set(&p, rc, NULL);
        scr_show_problem(NULL, NULL, 0, &p);
        return rc;
    }
    clock_gettime(CLOCK_MONOTONIC, &s->read_at);
    if (refs[0])
        core_group_refs_format(refs, s->groups, sizeof s->groups);
    else
        snprintf(s->groups, sizeof s->groups, "-");
    return CORE_OK;
}

static int user_ext_init(void *state, void *arg)
{
    (void)arg;
    struct user_ext_state *s = state;
    if (load(s))
        return -1;
    return 0;
}

static void user_ext_draw(void *state, const struct tui_rect *body)
{
    struct user_ext_state *s = state;
    /* The administrator changes the profile and groups meanwhile. */
    if (scr_stale(&s->read_at))
        load(s);
    const struct store_ext *e = &s->ext;
    const char *labels[] = {_("Extension number"), _("Terminal type"),         _("Mobile number"),
                            _("SIP user name"),    _("Web console user name"), _("Groups")};
    const char *values[] = {e->ext,
                            e->is_virtual ? _("Virtual") : _("Mobile phone"),
                            e->mobile[0] ? e->mobile : "-",
                            e->sip_id,
                            e->web_user,
                            s->groups};
    int lw = 0;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (tui_text_width(labels[i]) > lw)
            lw = tui_text_width(labels[i]);
    int y = body->y;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0] && y < body->y + body->h; i++) {
        tui_draw_text(y, body->x, lw, TUI_HEADER, labels[i]);
        struct tui_rect v = {y, body->x + lw + 2, body->y + body->h - y, body->w - lw - 2};
        int lines = tui_draw_wrapped(&v, TUI_NORMAL, values[i]);
        y += (lines > 0 ? lines : 1) + 1;
    }
    tui_show_cursor(-1, -1);
}

static void do_reload(void *state)
{
    if (load(state) == CORE_OK)
        tui_result_clear();
}

static const struct tui_action user_ext_actions[] = {
    {KEY_F(5), N_("Reload"), N_("Read the extension's settings again."), do_reload, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_user_ext_screen = {
    .title = N_("Extension number check"),
    .help = N_("Your extension number, the mobile it rings, its SIP user name and the pickup and"
               " call hunting groups it belongs to. Your administrator changes these."),
    .actions = user_ext_actions,
    .state_size = sizeof(struct user_ext_state),
    .init = user_ext_init,
    .draw = user_ext_draw,
};
