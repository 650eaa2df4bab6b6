/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 通信履歴参照 > 認証設定変更 (§6.3): the secret question and its answer that
 * guard the call history.  As the guide's two screens: the first setting
 * asks for 秘密の質問 and 秘密の質問の回答; a change asks for 現在の回答,
 * 新しい秘密の質問 and 秘密の質問の回答. */
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
    bool change;  /* a question is set: the form has 現在の回答 */
    bool rebuild; /* the first setting was saved: show the change form */
    struct store_secret secret;
};

/* The form's index of field f (the first-setting form has no F_CURRENT). */
static size_t at(const struct secret_state *s, int f)
{
    return s->change ? (size_t)f : (size_t)f - 1;
}

static void submit(void *ctx, struct tui_form *form);

static int build(struct secret_state *s)
{
    struct scr_console *c = scr_console();
    store_secret_get(c->st, c->session.site.id, &s->secret);
    s->change = s->secret.answer_hash[0] != '\0';
    tui_form_free(s->form);
    s->form = s->change ? tui_form_new(fields, F_COUNT, submit, s)
                        : tui_form_new(fields + 1, F_COUNT - 1, submit, s);
    if (!s->form)
        return -1;
    if (s->change)
        tui_form_set_label(s->form, F_QUESTION, N_("New secret question"));
    tui_form_set_value(s->form, at(s, F_QUESTION), s->secret.question);
    tui_form_set_focus(s->form, 0);
    return 0;
}

static void submit(void *ctx, struct tui_form *form)
{
    struct secret_state *s = ctx;
    tui_form_clear_errors(form);
    struct core_problem p;
    int rc = ops_secret_set(scr_ops(), s->change ? tui_form_value(form, F_CURRENT) : "",
                            tui_form_value(form, at(s, F_QUESTION)),
                            tui_form_value(form, at(s, F_ANSWER)), &p);
    if (s->change)
        tui_form_set_value(form, F_CURRENT, "");
    tui_form_set_value(form, at(s, F_ANSWER), "");
    if (rc) {
        /* The ops report the field in the order of `fields`. */
        static const int change_map[] = {F_CURRENT, F_QUESTION, F_ANSWER};
        static const int first_map[] = {-1, 0, 1};
        scr_show_problem(form, s->change ? change_map : first_map, F_COUNT, &p);
        if (!s->change) { /* another administrator may have set one meanwhile */
            struct scr_console *c = scr_console();
            struct store_secret now;
            s->rebuild = store_secret_get(c->st, c->session.site.id, &now) == CORE_OK &&
                         now.answer_hash[0] != '\0';
        }
        return;
    }
    tui_form_mark_clean(form); /* the question shown is the one saved */
    s->rebuild = !s->change;   /* not here: this form is running this call */
    tui_result_ok(_("The secret question has been set."));
}

static int secret_init(void *state, void *arg)
{
    (void)arg;
    return build(state);
}

static void secret_free(void *state)
{
    struct secret_state *s = state;
    tui_form_free(s->form);
}

static void secret_draw(void *state, const struct tui_rect *body)
{
    struct secret_state *s = state;
    if (s->rebuild) {
        s->rebuild = false;
        build(s);
    }
    tui_draw_text(body->y, body->x, body->w, TUI_HEADER,
                  s->change ? _("A secret question is set: type its current answer to change it.")
                            : _("No secret question is set yet: type one and its answer."));
    struct tui_rect r = {body->y + 2, body->x, body->h - 2, body->w};
    if (s->form)
        tui_form_draw(s->form, &r);
}

static int secret_key(void *state, int key)
{
    struct secret_state *s = state;
    return s->form ? tui_form_key(s->form, key) : TUI_UNHANDLED;
}

static void do_set(void *state)
{
    struct secret_state *s = state;
    if (s->form)
        tui_form_submit(s->form);
}

static const struct tui_action secret_actions[] = {
    {KEY_F(2), N_("Set"), N_("Save the secret question and its answer."), do_set, NULL},
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
    .init = secret_init,
    .free = secret_free,
    .draw = secret_draw,
    .key = secret_key,
};
