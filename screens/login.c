/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ログイン (§2.5): 拠点ドメイン名, 管理者ユーザー名, パスワード. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_DOMAIN, F_USER, F_PASSWORD, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_DOMAIN] = {N_("Site domain name"), TUI_FIELD_TEXT, 0, 40, NULL, &core_field_domain},
    [F_USER] = {N_("Administrator user name"), TUI_FIELD_TEXT, 0, 32, NULL, &core_field_admin_name},
    [F_PASSWORD] = {N_("Password"), TUI_FIELD_PASSWORD, 0, 32, NULL, &core_field_admin_password},
};

struct login_state {
    struct tui_form *form;
};

/* The auth log, in sshd's wording as kascond writes it, so that one
 * fail2ban-style filter reads both; the screen says nothing of the cause. */
static void log_attempt(const char *user, const char *domain, const struct ops_session *s)
{
    switch (s->outcome) {
    case OPS_LOGIN_OK:
        syslog(LOG_AUTH | LOG_INFO, "Accepted password for %s@%s from console", user, domain);
        break;
    case OPS_LOGIN_LOCKED_NOW:
        syslog(LOG_AUTH | LOG_NOTICE, "Failed password for %s@%s from console", user, domain);
        syslog(LOG_AUTH | LOG_NOTICE, "Locked account %s@%s after 3 failed logins", user, domain);
        break;
    case OPS_LOGIN_REFUSED_LOCKED:
        syslog(LOG_AUTH | LOG_NOTICE, "User %s@%s not allowed because account is locked", user,
               domain);
        break;
    case OPS_LOGIN_UNKNOWN:
        syslog(LOG_AUTH | LOG_NOTICE, "Failed password for invalid user %s@%s from console", user,
               domain);
        break;
    default:
        syslog(LOG_AUTH | LOG_NOTICE, "Failed password for %s@%s from console", user, domain);
        break;
    }
}

static void submit(void *ctx, struct tui_form *form)
{
    (void)ctx;
    struct scr_console *c = scr_console();
    tui_form_clear_errors(form);
    struct ops_login_request req = {.domain = tui_form_value(form, F_DOMAIN),
                                    .user = tui_form_value(form, F_USER),
                                    .password = tui_form_value(form, F_PASSWORD),
                                    .source = c->opts->source,
                                    .defer_record = true};
    int rc = ops_login(scr_ops(), &req, &c->session);
    /* The password never stays in the form, whatever happened. */
    tui_form_set_value(form, F_PASSWORD, "");
    log_attempt(tui_form_value(form, F_USER), tui_form_value(form, F_DOMAIN), &c->session);
    if (rc) {
        struct core_problem p;
        /* One message for every failure: nobody learns whether a user exists
         * or is locked. */
        core_problem_set(&p, rc == E_STORAGE ? E_STORAGE : E_LOGIN_FAILED, NULL);
        char text[512];
        scr_format_problem(&p, text, sizeof text);
        tui_result_error(text);
        tui_form_set_focus(form, F_PASSWORD);
        return;
    }
    tui_result_clear();
    if (c->session.record_pending)
        scr_login_recorded_later();
    scr_enter_session();
}

static int login_init(void *state, void *arg)
{
    (void)arg;
    struct login_state *s = state;
    s->form = tui_screen_form();
    tui_form_set_request(s->form);
    const struct console_opts *o = scr_console()->opts;
    if (o && o->login_domain)
        tui_form_set_value(s->form, F_DOMAIN, o->login_domain);
    if (o && o->login_user)
        tui_form_set_value(s->form, F_USER, o->login_user);
    if (o && o->login_domain && o->login_user)
        tui_form_set_focus(s->form, F_PASSWORD);
    return 0;
}

static const struct tui_action login_actions[] = {
    {KEY_F(2), N_("Log in"), N_("Log in with the site domain name, user name and password."),
     tui_submit, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_login_screen = {
    .title = N_("Log in"),
    .help = N_("Type the site domain name, your user name (an administrator's, or an extension"
               " user's web console user name) and your password."
               " Tab or Enter moves to the next field; Enter on the password logs in."
               " Three wrong passwords lock the account."),
    .actions = login_actions,
    .state_size = sizeof(struct login_state),
    .form = &(const struct tui_form_spec){fields, F_COUNT, submit},
    .init = login_init,
};
