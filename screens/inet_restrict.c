/* SPDX-License-Identifier: GPL-3.0-or-later */
/* インターネットアクセス規制設定 (§1.2, doc/spec.md §3.6): when 規制 is on, logins
 * from outside the site's trusted networks (the access line, set by the
 * carrier) are refused, separately for administrators and users. */
#include <config.h>

#include <stdlib.h>

#include "i18n.h"
#include "screens/screens.h"

static const char *const choices[] = {N_("Restricted"), N_("Unrestricted"), NULL};

enum { F_ADMIN, F_USER, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_ADMIN] = {N_("System administrator console"), TUI_FIELD_CHOICE, 0, 0, choices, NULL},
    [F_USER] = {N_("User console"), TUI_FIELD_CHOICE, 0, 0, choices, NULL},
};

struct restrict_state {
    struct tui_form *form;
    struct store_site site;
    struct scr_lock lock;
};

static void load(struct restrict_state *s)
{
    struct scr_console *c = scr_console();
    store_site_get(c->st, c->session.site.id, &s->site);
    char object[64];
    snprintf(object, sizeof object, "site:%lld:inet-restrict", (long long)s->site.id);
    tui_form_set_choice(s->form, F_ADMIN, s->site.restrict_admin ? 0 : 1);
    tui_form_set_choice(s->form, F_USER, s->site.restrict_user ? 0 : 1);
    scr_lock_form(&s->lock, object, s->form);
}

static void save(void *ctx, struct tui_form *form)
{
    struct restrict_state *s = ctx;
    if (!s->lock.held || scr_unchanged(form))
        return;
    int admin = tui_form_choice(form, F_ADMIN) == 0, user = tui_form_choice(form, F_USER) == 0;
    if (admin && !s->site.trusted_networks[0] &&
        !tui_confirm(_("Internet access restriction"),
                     _("No trusted network is registered for this site: with restriction on, no"
                       " administrator can log in over SSH. Set it anyway?")))
        return;
    struct core_problem p;
    struct ops_access_input in = {
        .auto_unlock = -1, .restrict_admin = admin, .restrict_user = user};
    if (ops_site_access_set(scr_ops(), s->site.version, &in, &p)) {
        load(s);
        scr_show_problem(NULL, NULL, 0, &p);
        return;
    }
    load(s);
    tui_result_ok(_("The internet access restriction has been set."));
}

static int restrict_init(void *state, void *arg)
{
    (void)arg;
    struct restrict_state *s = state;
    s->form = tui_screen_form();
    load(s);
    return 0;
}

static void restrict_free(void *state)
{
    struct restrict_state *s = state;
    scr_lock_release(&s->lock);
}

static void restrict_draw(void *state, const struct tui_rect *body)
{
    struct restrict_state *s = state;
    struct tui_rect r = *body;
    scr_lock_draw_banner(&s->lock, &r);
    char nets[1200];
    snprintf(nets, sizeof nets, _("Trusted networks (access line): %s"),
             s->site.trusted_networks[0] ? s->site.trusted_networks : _("(none registered)"));
    tui_draw_text(r.y, r.x, r.w, TUI_HEADER, nets);
    r.y += 2;
    r.h -= 2;
    tui_form_draw(s->form, &r);
}

static bool can_set(void *state)
{
    return ((struct restrict_state *)state)->lock.held;
}

static const struct tui_action restrict_actions[] = {
    {KEY_F(2), N_("Set"), N_("Save the setting."), tui_submit, can_set},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_inet_restrict_screen = {
    .title = N_("Internet access restriction"),
    .help = N_("Restricted: logins over SSH from addresses outside the site's trusted networks"
               " (the access line registered by the carrier) are refused. Unrestricted: they are"
               " allowed. Set separately for the system administrator console and the user"
               " console."),
    .actions = restrict_actions,
    .state_size = sizeof(struct restrict_state),
    .form = &(const struct tui_form_spec){fields, F_COUNT, save},
    .init = restrict_init,
    .free = restrict_free,
    .draw = restrict_draw,
};
