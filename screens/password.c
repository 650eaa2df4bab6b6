/* SPDX-License-Identifier: GPL-3.0-or-later */
/* パスワード変更 (§1.2, §2.5): also the first screen after a login whose
 * password has expired. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_CURRENT, F_NEW, F_AGAIN, F_COUNT };

/* An administrator's password, or an extension user's web console
 * password (exactly 8 letters and digits): each field takes what the
 * core's rule for that password takes, nothing longer. */
static const struct tui_field admin_fields[F_COUNT] = {
    [F_CURRENT] = {N_("Current password"), TUI_FIELD_PASSWORD, 0, 32, NULL,
                   &core_field_admin_password},
    [F_NEW] = {N_("New password"), TUI_FIELD_PASSWORD, 0, 32, NULL, &core_field_admin_password},
    [F_AGAIN] = {N_("New password (again)"), TUI_FIELD_PASSWORD, 0, 32, NULL,
                 &core_field_admin_password},
};
static const struct tui_field user_fields[F_COUNT] = {
    [F_CURRENT] = {N_("Current password"), TUI_FIELD_PASSWORD, 0, 16, NULL,
                   &core_field_web_password},
    [F_NEW] = {N_("New password"), TUI_FIELD_PASSWORD, 0, 16, NULL, &core_field_web_password},
    [F_AGAIN] = {N_("New password (again)"), TUI_FIELD_PASSWORD, 0, 16, NULL,
                 &core_field_web_password},
};

/* ops_change_password reports field 0, 1 or 2 in the order above. */
static const int field_map[] = {F_CURRENT, F_NEW, F_AGAIN};

struct password_state {
    struct tui_form *form;
    bool forced; /* expired: no way around it but logging out */
};

static void clear_form(struct tui_form *form)
{
    for (size_t i = 0; i < F_COUNT; i++)
        tui_form_set_value(form, i, "");
}

static void submit(void *ctx, struct tui_form *form)
{
    struct password_state *s = ctx;
    struct scr_console *c = scr_console();
    tui_form_clear_errors(form);
    struct core_problem p;
    struct ops_password_change change = {tui_form_value(form, F_CURRENT),
                                         tui_form_value(form, F_NEW),
                                         tui_form_value(form, F_AGAIN)};
    int rc = ops_change_password(scr_ops(), &c->session, &change, &p);
    clear_form(form);
    if (rc) {
        scr_show_problem(form, field_map, F_COUNT, &p);
        /* Every field was cleared: typing starts again from the first. */
        tui_form_set_focus(form, F_CURRENT);
        return;
    }
    if (s->forced) {
        /* The result shows on the main menu, the first screen after this. */
        tui_reset_to(&scr_menu_screen, (void *)&scr_main_menu);
        scr_console()->password_changed_notice = true;
        return;
    }
    tui_form_set_focus(form, F_CURRENT);
    tui_result_ok(_("The password has been changed."));
}

static int password_init(void *state, void *arg)
{
    (void)arg;
    struct password_state *s = state;
    s->forced = scr_console()->session.must_change;
    s->form = tui_form_new(scr_console()->session.is_user ? user_fields : admin_fields, F_COUNT,
                           submit, s);
    return s->form ? 0 : -1;
}

static void password_free(void *state)
{
    struct password_state *s = state;
    tui_form_free(s->form);
}

static void do_set(void *state)
{
    tui_form_submit(((struct password_state *)state)->form);
}

static void password_draw(void *state, const struct tui_rect *body)
{
    struct password_state *s = state;
    struct tui_rect r = *body;
    if (s->forced) {
        r.h -= tui_draw_wrapped(body, TUI_ERROR,
                                _("Your password has expired. Set a new one to continue."));
        r.y = body->y + 2;
        r.h = body->h - 2;
    }
    tui_form_draw(s->form, &r);
}

static int password_key(void *state, int key)
{
    struct password_state *s = state;
    if (s->forced && key == 27) {
        /* Nothing but a new password or logging out. */
        if (tui_confirm(_("Log out"), _("Do you want to log out?")))
            scr_logout();
        return TUI_HANDLED;
    }
    return tui_form_key(s->form, key);
}

static const struct tui_action password_actions[] = {
    {KEY_F(2), N_("Set"), N_("Change the password."), do_set, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_password_screen = {
    .title = N_("Change password"),
    .help = N_("Type your current password, then the new one twice. An administrator's password"
               " has 8 to 64 characters with at least one letter and one digit, and expires after"
               " the site's maximum age (90 days by default). An extension user's web console"
               " password is exactly 8 letters and digits, with at least one of each, and differs"
               " from the user name."),
    .actions = password_actions,
    .state_size = sizeof(struct password_state),
    .init = password_init,
    .free = password_free,
    .draw = password_draw,
    .key = password_key,
};
