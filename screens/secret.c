/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 通信履歴 > 認証設定変更 (§6.3): the secret question and its answer that
 * guard the call history.  A change needs the current answer. */
#include <config.h>

#include <stdlib.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_CURRENT, F_QUESTION, F_ANSWER, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_CURRENT] = {N_("Current answer"), TUI_FIELD_PASSWORD, 0, 32, NULL, &core_field_secret},
    [F_QUESTION] = {N_("Secret question"), TUI_FIELD_TEXT, 0, 62, NULL, &core_field_secret},
    [F_ANSWER] = {N_("Answer to the secret question"), TUI_FIELD_PASSWORD, 0, 32, NULL,
                  &core_field_secret},
};

struct secret_state {
    struct tui_form *form;
    struct store_secret secret;
};

static void load(struct secret_state *s)
{
    struct scr_console *c = scr_console();
    store_secret_get(c->st, c->session.site.id, &s->secret);
}

static void submit(void *ctx, struct tui_form *form)
{
    struct secret_state *s = ctx;
    tui_form_clear_errors(form);
    struct core_problem p;
    int rc = ops_secret_set(scr_ops(), tui_form_value(form, F_CURRENT),
                            tui_form_value(form, F_QUESTION), tui_form_value(form, F_ANSWER), &p);
    tui_form_set_value(form, F_CURRENT, "");
    tui_form_set_value(form, F_ANSWER, "");
    if (rc) {
        /* The ops report the field in the form's own order. */
        static const int map[] = {F_CURRENT, F_QUESTION, F_ANSWER};
        scr_show_problem(form, map, F_COUNT, &p);
        return;
    }
    load(s);
    tui_form_mark_clean(form); /* the question shown is the one saved */
    tui_form_set_label(form, F_QUESTION, N_("New secret question"));
    tui_result_ok(_("The secret question has been set."));
}

static int secret_init(void *state, void *arg)
{
    (void)arg;
    struct secret_state *s = state;
    s->form = tui_screen_form();
    load(s);
    tui_form_set_value(s->form, F_QUESTION, s->secret.question);
    if (s->secret.answer_hash[0]) /* the guide's 現在の回答, 新しい秘密の質問 */
        tui_form_set_label(s->form, F_QUESTION, N_("New secret question"));
    tui_form_set_focus(s->form, s->secret.answer_hash[0] ? F_CURRENT : F_QUESTION);
    return 0;
}

static void secret_draw(void *state, const struct tui_rect *body)
{
    struct secret_state *s = state;
    tui_draw_text(body->y, body->x, body->w, TUI_HEADER,
                  s->secret.answer_hash[0]
                      ? _("A secret question is set: type its current answer to change it.")
                      : _("No secret question is set yet: the current answer is not needed."));
    struct tui_rect r = {body->y + 2, body->x, body->h - 2, body->w};
    tui_form_draw(s->form, &r);
}

static const struct tui_action secret_actions[] = {
    {KEY_F(2), N_("Set"), N_("Save the secret question and its answer."), tui_submit, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_secret_screen = {
    .title = N_("Change authentication settings"),
    .help = N_("The secret question guards the call history: its answer is asked before any"
               " record is shown. Question and answer have at most 30 characters each (Japanese"
               " allowed). The first setting needs no current answer; a change needs it. If the"
               " answer is lost, the carrier can reset it."),
    .actions = secret_actions,
    .state_size = sizeof(struct secret_state),
    .form = &(const struct tui_form_spec){fields, F_COUNT, submit},
    .init = secret_init,
    .draw = secret_draw,
};
