/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 内線番号プロフィール設定 > 新規登録 (§3.4): step 1 the extension number,
 * [次へ]; step 2 SIP and web console credentials, [登録]. A virtual
 * extension (receive-only, never on a mobile) needs only step 1. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens/screens.h"

enum { S1_EXT, S1_COUNT };
enum { S2_SIP_ID, S2_SIP_PW, S2_WEB_USER, S2_WEB_PW, S2_COUNT };

static const struct tui_field step1_fields[S1_COUNT] = {
    [S1_EXT] = {N_("Extension number"), TUI_FIELD_DIGITS, 0, 16, NULL, &core_field_extension},
};

static const struct tui_field step2_fields[S2_COUNT] = {
    [S2_SIP_ID] = {N_("SIP user name"), TUI_FIELD_TEXT, 0, 32, NULL, &core_field_sip_id},
    [S2_SIP_PW] = {N_("SIP password"), TUI_FIELD_PASSWORD, 0, 16, NULL, &core_field_sip_password},
    [S2_WEB_USER] = {N_("Web console user name"), TUI_FIELD_TEXT, 0, 16, NULL,
                     &core_field_web_user},
    [S2_WEB_PW] = {N_("Web console password"), TUI_FIELD_PASSWORD, 0, 16, NULL,
                   &core_field_web_password},
};

/* ops field index -> form field, per step. */
static const int step1_map[] = {[OPS_F_EXT] = S1_EXT, -1, -1, -1, -1, -1};
static const int step2_map[] = {[OPS_F_EXT] = -1,
                                [OPS_F_SIP_ID] = S2_SIP_ID,
                                [OPS_F_SIP_PASSWORD] = S2_SIP_PW,
                                [OPS_F_WEB_USER] = S2_WEB_USER,
                                [OPS_F_WEB_PASSWORD] = S2_WEB_PW,
                                [OPS_F_MOBILE] = -1};

struct new_state {
    bool is_virtual;
    int step;
    char ext[CORE_EXT_MAX + 1];
    struct tui_form *step1, *step2;
};

static void registered(struct new_state *s)
{
    char text[256];
    snprintf(text, sizeof text, _("Extension %s has been registered."), s->ext);
    s->step = 1;
    tui_form_set_value(s->step1, S1_EXT, "");
    for (size_t i = 0; i < S2_COUNT; i++)
        tui_form_set_value(s->step2, i, "");
    tui_form_set_focus(s->step1, S1_EXT);
    tui_result_ok(text);
}

static void register_profile(struct new_state *s)
{
    struct ops_ext_input in = {.ext = s->ext, .is_virtual = s->is_virtual};
    if (!s->is_virtual) {
        in.sip_id = tui_form_value(s->step2, S2_SIP_ID);
        in.sip_password = tui_form_value(s->step2, S2_SIP_PW);
        in.web_user = tui_form_value(s->step2, S2_WEB_USER);
        in.web_password = tui_form_value(s->step2, S2_WEB_PW);
    }
    struct core_problems problems;
    core_problems_init(&problems);
    tui_form_clear_errors(s->step2);
    /* The guide's 新規登録 (§3.4) asks for the web console login too. */
    if (!s->is_virtual && (!*in.web_user || !*in.web_password)) {
        if (!*in.web_user)
            core_problems_add_code(&problems, E_EMPTY, NULL, OPS_F_WEB_USER);
        if (!*in.web_password)
            core_problems_add_code(&problems, E_EMPTY, NULL, OPS_F_WEB_PASSWORD);
        scr_show_problems(s->step2, step2_map, OPS_F_MOBILE + 1, &problems);
        core_problems_free(&problems);
        return;
    }
    int rc = ops_ext_register(scr_ops(), &in, &problems);
    if (rc) {
        bool on_number = problems.count && problems.items[0].field == OPS_F_EXT;
        if (on_number || s->is_virtual) {
            /* Someone took the number meanwhile, or capacity: back to step 1. */
            s->step = 1;
            scr_show_problems(s->step1, step1_map, OPS_F_MOBILE + 1, &problems);
        } else {
            scr_show_problems(s->step2, step2_map, OPS_F_MOBILE + 1, &problems);
        }
    } else {
        registered(s);
    }
    core_problems_free(&problems);
}

static void next(void *ctx, struct tui_form *form)
{
    struct new_state *s = ctx;
    tui_form_clear_errors(form);
    snprintf(s->ext, sizeof s->ext, "%s", tui_form_value(form, S1_EXT));
    struct core_problem p;
    if (ops_ext_check_number(scr_ops(), s->ext, &p)) {
        scr_show_problem(form, step1_map, OPS_F_MOBILE + 1, &p);
        return;
    }
    tui_result_clear();
    if (s->is_virtual) {
        register_profile(s);
        return;
    }
    s->step = 2;
    /* SIP values default to the extension number (doc/spec.md §3.1). */
    if (!*tui_form_value(s->step2, S2_SIP_ID))
        tui_form_set_value(s->step2, S2_SIP_ID, s->ext);
    tui_form_set_focus(s->step2, S2_SIP_PW);
}

static void submit2(void *ctx, struct tui_form *form)
{
    (void)form;
    register_profile(ctx);
}

static int new_init(void *state, void *arg)
{
    struct new_state *s = state;
    s->is_virtual = arg && *(const bool *)arg;
    s->step = 1;
    s->step1 = tui_form_new(step1_fields, S1_COUNT, next, s);
    s->step2 = tui_form_new(step2_fields, S2_COUNT, submit2, s);
    if (!s->step1 || !s->step2)
        return -1;
    return 0;
}

static void new_free(void *state)
{
    struct new_state *s = state;
    tui_form_free(s->step1);
    tui_form_free(s->step2);
}

static void new_draw(void *state, const struct tui_rect *body)
{
    struct new_state *s = state;
    char sub[128];
    if (s->step == 1)
        snprintf(sub, sizeof sub, "1/%d  %s %s", s->is_virtual ? 1 : 2, _("Terminal type"),
                 s->is_virtual ? _("Virtual") : _("Mobile phone"));
    else /* the guide's ④内線詳細設定 */
        snprintf(sub, sizeof sub, "2/2 %s  %s %s", _("Extension details"), _("Extension number"),
                 s->ext);
    tui_set_subtitle(sub);
    if (s->is_virtual)
        tui_set_help(N_("Type the extension number (2 to 15 digits, first digit 2 to 9) and"
                        " choose Register: a virtual extension, for incoming calls only, has no"
                        " mobile and no web console user; its SIP user name and password are the"
                        " extension number. The result is shown under Result; repeat for the"
                        " next extension."));
    tui_form_draw(s->step == 1 ? s->step1 : s->step2, body);
}

static int new_key(void *state, int key)
{
    struct new_state *s = state;
    if (s->step == 2 && key == 27) {
        s->step = 1; /* Esc in step 2 goes back to the number */
        return TUI_HANDLED;
    }
    return tui_form_key(s->step == 1 ? s->step1 : s->step2, key);
}

static void do_next(void *state)
{
    struct new_state *s = state;
    if (s->step == 1)
        next(s, s->step1);
    else
        register_profile(s);
}

/* A virtual extension has one step: its F2 registers, as step 2's does. */
static bool in_step1(void *state)
{
    const struct new_state *s = state;
    return s->step == 1 && !s->is_virtual;
}
static bool in_step2(void *state)
{
    const struct new_state *s = state;
    return s->step == 2 || s->is_virtual;
}

static const struct tui_action new_actions[] = {
    {KEY_F(2), N_("Next"), N_("Check the extension number and go on to its credentials."), do_next,
     in_step1},
    {KEY_F(2), N_("Register"), N_("Register the extension profile."), do_next, in_step2},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_profile_new_screen = {
    .title = N_("Register (new)"),
    .help = N_("Step 1: type the extension number (2 to 15 digits, first digit 2 to 9) and"
               " choose Next. Step 2: the SIP user name and SIP password (empty: the extension"
               " number), the web console user name and its password (8 letters and digits,"
               " with at least one of each), then Register. The result is shown under"
               " Result; repeat for the next extension."),
    .actions = new_actions,
    .state_size = sizeof(struct new_state),
    .init = new_init,
    .free = new_free,
    .draw = new_draw,
    .key = new_key,
};
