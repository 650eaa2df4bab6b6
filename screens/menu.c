/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The menu tree of doc/spec.md §2 as one table.  Only screens that work are
 * listed; a new screen is one row here. */
#include <config.h>

#include <stdlib.h>

#include "i18n.h"
#include "screens/screens.h"

struct scr_menu_entry {
    const char *label;               /* msgid: the guide's screen name */
    const struct tui_screen *screen; /* a screen to open, or */
    const struct scr_menu *submenu;  /* a menu to open */
    const void *arg;                 /* the screen's argument */
};

struct scr_menu {
    const char *title;
    const char *help;
    const struct scr_menu_entry *entries;
    size_t count;
};

/* The arguments of screens that serve more than one menu row. */
static const bool profiles_ordinary = false, profiles_virtual = true;
static const enum ops_bulk_mode bulk_register = OPS_BULK_REGISTER, bulk_delete = OPS_BULK_DELETE;
static const int groups_pickup = CORE_PICKUP, groups_hunt = CORE_HUNT;

#define MENU(name, title, help, ...)                                                               \
    static const struct scr_menu_entry name##_entries[] = {__VA_ARGS__};                           \
    static const struct scr_menu name = {title, help, name##_entries,                              \
                                         sizeof name##_entries / sizeof name##_entries[0]}

MENU(user_menu, N_("User management"),
     N_("Extension profiles (SIP and web console credentials), virtual extensions and locked"
        " users."),
     {N_("Extension profiles"), &scr_profile_list_screen, NULL, &profiles_ordinary},
     {N_("Virtual extension profiles"), &scr_profile_list_screen, NULL, &profiles_virtual},
     {N_("Locked users"), &scr_locked_users_screen, NULL, NULL});

MENU(dtmf_menu, N_("DTMF tone settings"),
     N_("Whether the other party hears DTMF tones while a call is put on hold, and the code"
        " that sends them for one call."),
     {N_("Erase setting"), &scr_dtmf_erase_screen, NULL, NULL},
     {N_("Send code setting"), &scr_dtmf_send_screen, NULL, NULL});

/* The guide's [サービス設定] > [通信履歴] > [通信履歴参照] (§6.3, §6.4);
 * 認証設定変更 is a key of 通信履歴参照, as the guide's button is. */
MENU(cdr_menu, N_("Call history"), N_("The site's call records, behind the secret question."),
     {N_("View call history"), &scr_cdr_files_screen, NULL, NULL});

MENU(service_menu, N_("Service settings"),
     N_("User management, pickup and call hunting groups, the site's feature codes and the call"
        " history."),
     {N_("User management"), NULL, &user_menu, NULL},
     {N_("Voicemail / forwarding settings"), &scr_fwd_view_screen, NULL, NULL},
     {N_("Pickup groups"), &scr_group_list_screen, NULL, &groups_pickup},
     {N_("Call hunting groups"), &scr_group_list_screen, NULL, &groups_hunt},
     {N_("Dial-confirm code settings"), &scr_dial_confirm_screen, NULL, NULL},
     {N_("DTMF tone settings"), NULL, &dtmf_menu, NULL},
     {N_("Call history"), NULL, &cdr_menu, NULL});

MENU(ext_menu, N_("Extension number management"),
     N_("Assign mobiles to extensions one at a time or from a CSV file, unassign them, export"
        " them, see the numbers not yet assigned, and transfer or exchange extension numbers."),
     {N_("Register (new)"), &scr_assign_screen, NULL, NULL},
     {N_("Extension search / delete"), &scr_unassign_screen, NULL, NULL},
     {N_("Bulk register"), &scr_bulk_screen, NULL, &bulk_register},
     {N_("Bulk delete"), &scr_bulk_screen, NULL, &bulk_delete},
     {N_("Bulk export"), &scr_bulk_export_screen, NULL, NULL},
     {N_("Unassigned numbers"), &scr_unassigned_screen, NULL, NULL},
     {N_("Transfer of extension numbers"), &scr_transfer_screen, NULL, NULL},
     {N_("Exchange of extension numbers"), &scr_exchange_screen, NULL, NULL});

MENU(mobile_menu, N_("Mobile extension settings"),
     N_("The mapping of mobile numbers to extension numbers, and the hold code."),
     {N_("Extension number management"), NULL, &ext_menu, NULL},
     {N_("Hold code settings"), &scr_hold_code_screen, NULL, NULL});

MENU(other_menu, N_("Other settings"),
     N_("Internet access restriction, automatic unlock, the administrator's password and the"
        " audit log."),
     {N_("Internet access restriction"), &scr_inet_restrict_screen, NULL, NULL},
     {N_("Automatic unlock"), &scr_auto_unlock_screen, NULL, NULL},
     {N_("Change password"), &scr_password_screen, NULL, NULL},
     {N_("Audit log"), &scr_audit_screen, NULL, NULL});

static const struct scr_menu_entry main_entries[] = {
    {N_("Service settings"), NULL, &service_menu, NULL},
    {N_("Mobile extension settings"), NULL, &mobile_menu, NULL},
    {N_("Other settings"), NULL, &other_menu, NULL},
};

const struct scr_menu scr_main_menu = {
    N_("Main menu"),
    N_("Choose a category with the arrow keys and Enter, or type its number. Esc quits; F10"
       " logs out."),
    main_entries, sizeof main_entries / sizeof main_entries[0]};

/* ユーザーカスコン (guide §1.1): what an extension user may do, and nothing
 * else; no administrator screen is reachable from here. */
static const struct scr_menu_entry user_main_entries[] = {
    {N_("Extension number check"), &scr_user_ext_screen, NULL, NULL},
    {N_("Call forwarding settings"), &scr_user_fwd_screen, NULL, NULL},
    {N_("Change password"), &scr_password_screen, NULL, NULL},
};

const struct scr_menu scr_user_main_menu = {
    N_("Main menu"),
    N_("Your own extension: check it, set where your calls are forwarded, and change your"
       " password. F10 logs out."),
    user_main_entries, sizeof user_main_entries / sizeof user_main_entries[0]};

struct menu_state {
    const struct scr_menu *menu;
    struct tui_menu *widget;
    struct tui_menu_item *items;
};

static void choose(void *ctx, size_t index, const void *data)
{
    (void)data;
    struct menu_state *s = ctx;
    const struct scr_menu_entry *e = &s->menu->entries[index];
    tui_result_clear();
    if (e->submenu)
        tui_push(&scr_menu_screen, (void *)e->submenu);
    else
        tui_push(e->screen, (void *)e->arg);
}

static int menu_init(void *state, void *arg)
{
    struct menu_state *s = state;
    s->menu = arg;
    /* Named from the start: a screen opened by keys typed ahead, before
     * this menu is first drawn, shows it in its path all the same.  F1
     * shows the menu's own page (the main menu's Esc quits). */
    tui_set_title(s->menu->title);
    tui_set_help(s->menu->help);
    s->items = calloc(s->menu->count, sizeof *s->items);
    if (!s->items)
        return -1;
    for (size_t i = 0; i < s->menu->count; i++)
        s->items[i].label = s->menu->entries[i].label;
    s->widget = tui_menu_new(s->items, s->menu->count, choose, s);
    return s->widget ? 0 : -1;
}

static void menu_free(void *state)
{
    struct menu_state *s = state;
    tui_menu_free(s->widget);
    free(s->items);
}

static void menu_draw(void *state, const struct tui_rect *body)
{
    struct menu_state *s = state;
    /* Every menu is this one screen: its title comes from the table. */
    tui_set_title(s->menu->title);
    if (s->menu == &scr_main_menu) {
        struct scr_console *c = scr_console();
        char who[CORE_ADMIN_NAME_MAX + CORE_DOMAIN_MAX + 8];
        snprintf(who, sizeof who, "%s@%s", c->session.admin.name, c->session.site.domain);
        tui_set_subtitle(who);
        if (c->password_changed_notice) {
            c->password_changed_notice = false;
            tui_result_ok(_("The password has been changed."));
        }
    }
    tui_menu_draw(s->widget, body);
}

static int menu_key(void *state, int key)
{
    struct menu_state *s = state;
    return tui_menu_key(s->widget, key);
}

static void logout(void *state)
{
    (void)state;
    if (tui_confirm(_("Log out"), _("Do you want to log out?")))
        scr_logout();
}

static const struct tui_action menu_actions[] = {
    {KEY_F(10), N_("Log out"), N_("Log out and return to the login screen."), logout, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_menu_screen = {
    .title = N_("Menu"),
    .help = N_("Choose an item with the arrow keys and Enter, type its number, or click it."
               " Esc goes back one level."),
    .actions = menu_actions,
    .state_size = sizeof(struct menu_state),
    .init = menu_init,
    .free = menu_free,
    .draw = menu_draw,
    .key = menu_key,
};
