/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ユーザーカスコン > 各種転送設定 (guide §1.1): the extension user's own
 * 無条件転送, 話中転送, 応答遅延転送 (with its delay), 圏外転送 and 留守番,
 * saved together in one step; the administrator's 留守番・各種転送設定確認
 * shows the result at once.  Row-locked and version-checked like every
 * edit form (another session of the same user sees it read-only). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_UNCOND, F_BUSY, F_NOANSWER, F_DELAY, F_OUT, F_VOICEMAIL, F_COUNT };

static const char *const voicemail_choices[] = {N_("Off"), N_("On"), NULL};

static const struct tui_field fields[F_COUNT] = {
    [F_UNCOND] = {N_("Unconditional forwarding"), TUI_FIELD_DIGITS, 0, 21, NULL,
                  &core_field_fwd_dest},
    [F_BUSY] = {N_("Busy forwarding"), TUI_FIELD_DIGITS, 0, 21, NULL, &core_field_fwd_dest},
    [F_NOANSWER] = {N_("No-answer forwarding"), TUI_FIELD_DIGITS, 0, 21, NULL,
                    &core_field_fwd_dest},
    [F_DELAY] = {N_("No-answer delay (seconds)"), TUI_FIELD_DIGITS, 0, 3, NULL,
                 &core_field_fwd_delay},
    [F_OUT] = {N_("Out-of-coverage forwarding"), TUI_FIELD_DIGITS, 0, 21, NULL,
               &core_field_fwd_dest},
    [F_VOICEMAIL] = {N_("Voicemail"), TUI_FIELD_CHOICE, 0, 0, voicemail_choices, NULL},
};

/* The form field of each forwarding kind (enum core_fwd_kind). */
static const int kind_field[CORE_FWD_KINDS] = {F_UNCOND, F_BUSY, F_NOANSWER, F_OUT};

struct user_fwd_state {
    struct tui_form *form;
    struct core_fwd fwd;
    struct scr_lock lock;
};

static const char *own_ext(void)
{
    return scr_console()->session.ext.ext;
}

static int load(struct user_fwd_state *s)
{
    struct scr_console *c = scr_console();
    struct core_problem p;
    int rc = ops_fwd_get(scr_ops(), own_ext(), &s->fwd, &p);
    if (rc) {
        scr_show_problem(NULL, NULL, 0, &p);
        return rc;
    }
    for (int k = 0; k < CORE_FWD_KINDS; k++)
        tui_form_set_value(s->form, (size_t)kind_field[k], s->fwd.dest[k]);
    char delay[8];
    snprintf(delay, sizeof delay, "%d", s->fwd.delay ? s->fwd.delay : CORE_FWD_DELAY_DEFAULT);
    tui_form_set_value(s->form, F_DELAY, delay);
    tui_form_set_choice(s->form, F_VOICEMAIL, s->fwd.voicemail ? 1 : 0);
    tui_form_clear_errors(s->form);
    char object[64];
    snprintf(object, sizeof object, "fwd:%lld", (long long)c->session.ext.id);
    scr_lock_form(&s->lock, object, s->form);
    return CORE_OK;
}

/* A destination's problem names its kind in row (kind + 1). */
static void show_problems(struct user_fwd_state *s, const struct core_problems *problems)
{
    static const int identity[F_COUNT] = {F_UNCOND, F_BUSY, F_NOANSWER,
                                          F_DELAY,  F_OUT,  F_VOICEMAIL};
    for (size_t i = problems->count; i-- > 0;) {
        struct core_problem p = problems->items[i];
        if (p.field == OPS_FWD_F_DEST && p.row >= 1 && p.row <= CORE_FWD_KINDS)
            p.field = kind_field[p.row - 1];
        else if (p.field == OPS_FWD_F_DELAY)
            p.field = F_DELAY;
        else
            p.field = -1;
        p.row = 0;
        scr_show_problem(s->form, identity, F_COUNT, &p);
    }
}

static void save(void *ctx, struct tui_form *form)
{
    struct user_fwd_state *s = ctx;
    if (tui_form_readonly(form) || scr_unchanged(form))
        return;
    struct core_fwd want;
    memset(&want, 0, sizeof want);
    for (int k = 0; k < CORE_FWD_KINDS; k++)
        snprintf(want.dest[k], sizeof want.dest[k], "%s",
                 tui_form_value(form, (size_t)kind_field[k]));
    want.voicemail = tui_form_choice(form, F_VOICEMAIL);
    struct core_problems problems;
    core_problems_init(&problems);
    tui_form_clear_errors(form);
    struct ops_fwd_request req = {
        .ext = own_ext(), .version = s->fwd.version, .delay = tui_form_value(form, F_DELAY)};
    int rc = ops_fwd_save(scr_ops(), &req, &want, &problems, &s->fwd);
    if (rc == E_CHANGED_MEANWHILE) {
        load(s);
        scr_show_problems(NULL, NULL, 0, &problems);
    } else if (rc) {
        show_problems(s, &problems);
    } else {
        load(s);
        tui_result_ok(_("The forwarding settings have been saved."));
    }
    core_problems_free(&problems);
}

static int user_fwd_init(void *state, void *arg)
{
    (void)arg;
    struct user_fwd_state *s = state;
    s->form = tui_screen_form();
    if (load(s)) {
        scr_lock_release(&s->lock);
        return -1;
    }
    return 0;
}

static void user_fwd_free(void *state)
{
    struct user_fwd_state *s = state;
    scr_lock_release(&s->lock);
}

static void user_fwd_draw(void *state, const struct tui_rect *body)
{
    struct user_fwd_state *s = state;
    char sub[64];
    snprintf(sub, sizeof sub, "%s %s", _("Extension number"), own_ext());
    tui_set_subtitle(sub);
    scr_lock_draw_form(&s->lock, s->form, body);
}

static void do_reload(void *state)
{
    struct user_fwd_state *s = state;
    if (load(s) == CORE_OK && s->lock.held)
        tui_result_ok(_("The forwarding settings are yours to edit now."));
}

static bool can_save(void *state)
{
    return ((struct user_fwd_state *)state)->lock.held;
}
static bool is_readonly(void *state)
{
    return !can_save(state);
}

static const struct tui_action user_fwd_actions[] = {
    {KEY_F(2), N_("Set"), N_("Save every forwarding setting of the form."), tui_submit, can_save},
    {KEY_F(5), N_("Reload"),
     N_("Read the settings again and try to take them for editing (after your other session has"
        " finished)."),
     do_reload, is_readonly},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_user_fwd_screen = {
    .title = N_("Call forwarding settings"),
    .help = N_("Where your calls go: type a destination number to forward, or empty the field to"
               " stop. Unconditional forwarding sends every call on; busy forwarding when you are"
               " on a call; no-answer forwarding after the delay (5 to 60 seconds); out-of-coverage"
               " forwarding when your mobile cannot be reached. A destination is an extension or"
               " an outside number starting with 0, never your own extension. Voicemail answers"
               " when you do not. F2 (or Enter on the last field) saves everything at once."),
    .actions = user_fwd_actions,
    .state_size = sizeof(struct user_fwd_state),
    .form = &(const struct tui_form_spec){fields, F_COUNT, save},
    .init = user_fwd_init,
    .free = user_fwd_free,
    .draw = user_fwd_draw,
};
