/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 内線番号管理 > 新規登録 (§3.5): assign a provisioned mobile to an extension. */
#include <config.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_EXT, F_MOBILE, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_EXT] = {N_("Extension number"), TUI_FIELD_DIGITS, 0, 16, NULL, &core_field_extension},
    /* 11 digits by the core's rule: a pasted 9.01E+09 is refused whole, aloud. */
    [F_MOBILE] = {N_("Mobile number"), TUI_FIELD_TEXT, 0, 16, NULL, &core_field_mobile},
};

static const int field_map[] = {[OPS_F_EXT] = F_EXT, -1, -1, -1, -1, [OPS_F_MOBILE] = F_MOBILE};

struct assign_state {
    bool from_list; /* opened from 未割当番号表示 with the mobile filled in */
};

static void submit(void *ctx, struct tui_form *form)
{
    struct assign_state *s = ctx;
    tui_form_clear_errors(form);
    struct core_problems problems;
    core_problems_init(&problems);
    const char *ext = tui_form_value(form, F_EXT), *mobile = tui_form_value(form, F_MOBILE);
    if (ops_assign(scr_ops(), ext, mobile, &problems)) {
        scr_show_problems(form, field_map, OPS_F_MOBILE + 1, &problems);
    } else {
        char text[256];
        snprintf(text, sizeof text, _("Mobile %s has been assigned to extension %s."), mobile, ext);
        if (s->from_list) {
            /* Back to the list, which no longer shows the number. */
            tui_pop();
            tui_result_ok(text);
            core_problems_free(&problems);
            return;
        }
        tui_result_ok(text);
        tui_form_set_value(form, F_EXT, "");
        tui_form_set_value(form, F_MOBILE, "");
        tui_form_set_focus(form, F_EXT);
    }
    core_problems_free(&problems);
}

static int assign_init(void *state, void *arg)
{
    struct assign_state *s = state;
    struct tui_form *form = tui_screen_form();
    if (arg) {
        s->from_list = true;
        tui_form_set_value(form, F_MOBILE, arg);
        tui_form_set_focus(form, F_EXT);
    }
    return 0;
}

static const struct tui_action assign_actions[] = {
    {KEY_F(2), N_("Register"), N_("Assign the mobile number to the extension."), tui_submit, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_assign_screen = {
    .title = N_("Register (new)"),
    .help = N_("Type the extension number and the mobile number (11 digits, 070/080/090), then"
               " Register. The extension profile must exist, and the mobile must be registered"
               " for Office Link use at this site: Unassigned numbers lists the ones still free."),
    .actions = assign_actions,
    .state_size = sizeof(struct assign_state),
    .init = assign_init,
    .form = &(const struct tui_form_spec){fields, F_COUNT, submit},
};
