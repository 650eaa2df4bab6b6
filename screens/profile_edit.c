/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 内線番号プロフィール設定 > one profile: change its SIP and web console
 * credentials under a row lock (doc/spec.md §5). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_SIP_ID, F_SIP_PW, F_WEB_USER, F_WEB_PW, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_SIP_ID] = {N_("SIP user name"), TUI_FIELD_TEXT, 0, 32, NULL, &core_field_sip_id},
    [F_SIP_PW] = {N_("SIP password (empty: unchanged)"), TUI_FIELD_PASSWORD, 0, 16, NULL,
                  &core_field_sip_password},
    [F_WEB_USER] = {N_("Web console user name"), TUI_FIELD_TEXT, 0, 16, NULL, &core_field_web_user},
    [F_WEB_PW] = {N_("Web console password (empty: unchanged)"), TUI_FIELD_PASSWORD, 0, 16, NULL,
                  &core_field_web_password},
};

static const int field_map[] = {[OPS_F_EXT] = -1,
                                [OPS_F_SIP_ID] = F_SIP_ID,
                                [OPS_F_SIP_PASSWORD] = F_SIP_PW,
                                [OPS_F_WEB_USER] = F_WEB_USER,
                                [OPS_F_WEB_PASSWORD] = F_WEB_PW,
                                [OPS_F_MOBILE] = -1};

struct edit_state {
    char ext[CORE_EXT_MAX + 1];
    struct store_ext profile;
    struct tui_form *form;
    struct scr_lock lock;
};

/* Reads the profile and takes its lock; read-only when someone else has it. */
static int load(struct edit_state *s)
{
    struct scr_console *c = scr_console();
    int rc = store_ext_find(c->st, c->session.site.id, s->ext, &s->profile);
    if (rc)
        return rc;
    char object[64];
    snprintf(object, sizeof object, "ext:%lld", (long long)s->profile.id);
    tui_form_set_value(s->form, F_SIP_ID, s->profile.sip_id);
    tui_form_set_value(s->form, F_SIP_PW, "");
    tui_form_set_value(s->form, F_WEB_USER, s->profile.web_user);
    tui_form_set_value(s->form, F_WEB_PW, "");
    tui_form_clear_errors(s->form);
    scr_lock_form(&s->lock, object, s->form);
    return CORE_OK;
}

static void save(void *ctx, struct tui_form *form)
{
    struct edit_state *s = ctx;
    if (tui_form_readonly(form) || scr_unchanged(form))
        return;
    struct ops_ext_input in = {
        .ext = s->ext,
        .sip_id = tui_form_value(form, F_SIP_ID),
        .sip_password = tui_form_value(form, F_SIP_PW),
        .web_user = tui_form_value(form, F_WEB_USER),
        .web_password = tui_form_value(form, F_WEB_PW),
    };
    struct core_problems problems;
    core_problems_init(&problems);
    tui_form_clear_errors(form);
    int rc = ops_ext_update(scr_ops(), s->ext, s->profile.version, &in, &problems);
    if (rc == E_CHANGED_MEANWHILE) {
        /* Someone saved first: show their version, keep nothing stale. */
        load(s);
        scr_show_problems(NULL, NULL, 0, &problems);
    } else if (rc) {
        scr_show_problems(form, field_map, OPS_F_MOBILE + 1, &problems);
    } else {
        char text[128];
        snprintf(text, sizeof text, _("Extension %s has been updated."), s->ext);
        tui_pop(); /* releases the lock; the list shows the result */
        tui_result_ok(text);
    }
    core_problems_free(&problems);
}

static int edit_init(void *state, void *arg)
{
    struct edit_state *s = state;
    snprintf(s->ext, sizeof s->ext, "%s", (const char *)arg);
    s->form = tui_screen_form();
    if (load(s))
        return -1;
    return 0;
}

static void edit_free(void *state)
{
    struct edit_state *s = state;
    scr_lock_release(&s->lock);
}

static void edit_draw(void *state, const struct tui_rect *body)
{
    struct edit_state *s = state;
    char sub[192];
    snprintf(sub, sizeof sub, "%s %s  %s %s  %s %s", _("Extension number"), s->ext,
             _("Terminal type"), _("Mobile phone"), _("Mobile number"),
             s->profile.mobile[0] ? s->profile.mobile : "-");
    tui_set_subtitle(sub);
    /* Read only: what the other administrator saves shows, and the form
     * opens once they are done (or their terminal is closed). */
    if (scr_lock_retry_due(&s->lock, s->form) && load(s) == CORE_OK && s->lock.held)
        tui_result_ok(_("The profile is yours to edit now."));
    scr_lock_draw_form(&s->lock, s->form, body);
}

static void do_reload(void *state)
{
    struct edit_state *s = state;
    load(s);
    if (s->lock.held)
        tui_result_ok(_("The profile is yours to edit now."));
}

static bool can_save(void *state)
{
    return ((struct edit_state *)state)->lock.held;
}
static bool is_readonly(void *state)
{
    return !can_save(state);
}

static const struct tui_action edit_actions[] = {
    {KEY_F(2), N_("Save"), N_("Save the changes."), tui_submit, can_save},
    {KEY_F(5), N_("Reload"),
     N_("Read the profile again and try to take it for editing (after the other administrator"
        " has finished)."),
     do_reload, is_readonly},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_profile_edit_screen = {
    .title = N_("Edit profile"),
    .help = N_("Change the SIP user name and password and the web console user name and"
               " password. Empty password fields keep the current passwords; an empty web console"
               " user name removes the web console login. While you edit, other administrators"
               " see this profile read-only."),
    .actions = edit_actions,
    .state_size = sizeof(struct edit_state),
    .form = &(const struct tui_form_spec){fields, F_COUNT, save},
    .init = edit_init,
    .free = edit_free,
    .draw = edit_draw,
};
