/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 自動ロック解除 (§1.2, FAQ §7): whether a locked account unlocks itself
 * 60 minutes after the lock began, for administrators and users alike. */
#include <config.h>

#include <stdlib.h>

#include "i18n.h"
#include "screens/screens.h"

static const char *const choices[] = {N_("Automatic (after 60 minutes)"), N_("Manual only"), NULL};

enum { F_MODE, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_MODE] = {N_("Automatic unlock"), TUI_FIELD_CHOICE, 0, 0, choices, NULL},
};

struct unlock_state {
    struct tui_form *form;
    struct store_site site;
    struct scr_lock lock;
};

static void load(struct unlock_state *s)
{
    struct scr_console *c = scr_console();
    store_site_get(c->st, c->session.site.id, &s->site);
    char object[64];
    snprintf(object, sizeof object, "site:%lld:auto-unlock", (long long)s->site.id);
    tui_form_set_choice(s->form, F_MODE, s->site.auto_unlock ? 0 : 1);
    scr_lock_form(&s->lock, object, s->form);
}

static void save(void *ctx, struct tui_form *form)
{
    struct unlock_state *s = ctx;
    if (!s->lock.held || scr_unchanged(form))
        return;
    struct core_problem p;
    int on = tui_form_choice(form, F_MODE) == 0;
    struct ops_access_input in = {.auto_unlock = on, .restrict_admin = -1, .restrict_user = -1};
    if (ops_site_access_set(scr_ops(), s->site.version, &in, &p)) {
        load(s);
        scr_show_problem(NULL, NULL, 0, &p);
        return;
    }
    load(s);
    tui_result_ok(on ? _("Automatic unlock is on.")
                     : _("Automatic unlock is off: locked accounts"
                         " stay locked until unlocked."));
}

static int unlock_init(void *state, void *arg)
{
    (void)arg;
    struct unlock_state *s = state;
    s->form = tui_screen_form();
    load(s);
    return 0;
}

static void unlock_free(void *state)
{
    struct unlock_state *s = state;
    scr_lock_release(&s->lock);
}

static void unlock_draw(void *state, const struct tui_rect *body)
{
    struct unlock_state *s = state;
    scr_lock_draw_form(&s->lock, s->form, body);
}

static bool can_set(void *state)
{
    return ((struct unlock_state *)state)->lock.held;
}

static const struct tui_action unlock_actions[] = {
    {KEY_F(2), N_("Set"), N_("Save the setting."), tui_submit, can_set},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_auto_unlock_screen = {
    .title = N_("Automatic unlock"),
    .help = N_("Three wrong passwords in a row lock an account. Automatic: the lock lifts 60"
               " minutes after it began. Manual only: it stays until unlocked in Locked users"
               " (or by the carrier). The setting applies to every way of logging in."),
    .actions = unlock_actions,
    .state_size = sizeof(struct unlock_state),
    .form = &(const struct tui_form_spec){fields, F_COUNT, save},
    .init = unlock_init,
    .free = unlock_free,
    .draw = unlock_draw,
};
