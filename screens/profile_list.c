/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 内線番号プロフィール設定 (§3.4 補足, §4.5, §4.6) and 仮想内線番号プロフィール
 * 設定: [開始内線番号] with [表示], the profiles from there with the
 * registered and remaining counts (残数), [新規登録], [削除] and [強制削除]. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_START, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_START] = {N_("Start extension"), TUI_FIELD_DIGITS, 0, 16, NULL, &core_field_extension},
};

enum { C_EXT, C_TYPE, C_SIP, C_WEB, C_MOBILE, C_GROUPS, C_COUNT };

static const struct tui_list_column columns[C_COUNT] = {
    [C_EXT] = {N_("Extension number"), 10, false},
    [C_TYPE] = {N_("Terminal type"), 10, false},
    [C_SIP] = {N_("SIP user name"), 14, false},
    [C_WEB] = {N_("Web console user name"), 15, false},
    [C_MOBILE] = {N_("Mobile number"), 13, false},
    [C_GROUPS] = {N_("Groups"), 0, true},
};

struct list_state {
    bool is_virtual;
    struct scr_filter_list fl;
    int registered, remaining;
};

struct sink_ctx {
    struct tui_list_sink *sink;
};

static int add_row(const struct store_ext *e, void *ctx)
{
    struct sink_ctx *sc = ctx;
    char groups[16];
    snprintf(groups, sizeof groups, "%d", e->group_count);
    const char *cols[C_COUNT] = {
        [C_EXT] = e->ext,
        [C_TYPE] = e->is_virtual ? _("Virtual") : _("Mobile phone"),
        [C_SIP] = e->sip_id,
        [C_WEB] = e->web_user[0] ? e->web_user : "-",
        [C_MOBILE] = e->mobile[0] ? e->mobile : "-",
        [C_GROUPS] = groups,
    };
    return tui_list_sink_row(sc->sink, cols, e->ext) < 0 ? 1 : 0;
}

static int fetch(void *ctx, const char *key, enum tui_list_dir dir, int max_rows,
                 struct tui_list_sink *sink)
{
    struct list_state *s = ctx;
    struct scr_console *c = scr_console();
    struct sink_ctx sc = {sink};
    int rc = store_ext_list_page(c->st, c->session.site.id, s->is_virtual ? 1 : 0, key,
                                 dir == TUI_LIST_BEFORE, max_rows, add_row, &sc);
    return scr_fetch_result(rc);
}

static void refresh_counts(struct list_state *s)
{
    struct scr_console *c = scr_console();
    struct store_site site;
    if (store_site_get(c->st, c->session.site.id, &site) == CORE_OK &&
        store_ext_count(c->st, site.id, &s->registered) == CORE_OK)
        s->remaining = (int)site.capacity - s->registered;
}

static void show(void *ctx, struct tui_form *form)
{
    struct list_state *s = ctx;
    const char *start = tui_form_value(form, F_START);
    tui_form_clear_errors(form);
    if (*start) {
        int rc = core_check_extension(start);
        if (rc) {
            struct core_problem p;
            core_problem_set(&p, rc, start);
            p.field = 0;
            static const int map[] = {F_START};
            scr_show_problem(form, map, 1, &p);
            return;
        }
    }
    refresh_counts(s);
    tui_list_seek(s->fl.list, *start ? start : NULL);
    tui_result_clear();
    s->fl.on_list = true;
}

static void activate(void *ctx, const char *key)
{
    struct list_state *s = ctx;
    if (!s->is_virtual && key)
        tui_push(&scr_profile_edit_screen, (void *)key);
}

static int list_init(void *state, void *arg)
{
    struct list_state *s = state;
    s->is_virtual = arg && *(const bool *)arg;
    if (scr_filter_list_init(&s->fl, fields, F_COUNT, show, columns, C_COUNT, fetch, activate, s))
        return -1;
    refresh_counts(s);
    return 0;
}

static void list_free(void *state)
{
    struct list_state *s = state;
    scr_filter_list_free(&s->fl);
}

static void list_draw(void *state, const struct tui_rect *body)
{
    struct list_state *s = state;
    tui_set_title(s->is_virtual ? N_("Virtual extension profiles") : N_("Extension profiles"));
    /* Back from a profile or group, or after a change elsewhere: the
     * page and the counts are read again. */
    if (tui_list_freshen(s->fl.list))
        refresh_counts(s);
    char counts[128];
    snprintf(counts, sizeof counts, _("Registered: %d   Remaining: %d"), s->registered,
             s->remaining);
    scr_filter_list_draw(&s->fl, body, 2, counts);
}

static int list_key(void *state, int key)
{
    struct list_state *s = state;
    int rc = scr_filter_list_key(&s->fl, key);
    /* Typing a digit on the list starts a new search. */
    wchar_t wc;
    if (rc != TUI_HANDLED && s->fl.on_list && tui_key_char(key, &wc) && wc >= L'0' && wc <= L'9') {
        s->fl.on_list = false;
        tui_form_set_value(s->fl.form, F_START, "");
        return tui_form_key(s->fl.form, key);
    }
    return rc;
}

static void delete_selected(struct list_state *s, bool force)
{
    const char *key = tui_list_selected(s->fl.list);
    if (!key || !s->fl.on_list) {
        tui_result_error(_("Choose an extension in the list first (Tab moves to the list)."));
        return;
    }
    char ext[CORE_EXT_MAX + 1];
    snprintf(ext, sizeof ext, "%s", key);
    char question[256];
    snprintf(question, sizeof question,
             force ? _("Force delete extension %s? It is also removed from every group.")
                   : _("Delete extension %s?"),
             ext);
    if (!tui_confirm(force ? _("Force delete") : _("Delete"), question))
        return;
    struct core_problem p;
    if (ops_ext_delete(scr_ops(), ext, force, &p)) {
        scr_show_problem(NULL, NULL, 0, &p);
        return;
    }
    refresh_counts(s);
    tui_list_reload(s->fl.list);
    char text[256];
    snprintf(text, sizeof text, _("Extension %s has been deleted."), ext);
    tui_result_ok(text);
}

static void do_new(void *state)
{
    struct list_state *s = state;
    tui_push(&scr_profile_new_screen, &s->is_virtual);
}

static void do_show(void *state)
{
    struct list_state *s = state;
    show(s, s->fl.form);
}

static void do_delete(void *state)
{
    delete_selected(state, false);
}
static void do_force(void *state)
{
    delete_selected(state, true);
}

static const struct tui_action list_actions[] = {
    {KEY_F(2), N_("Register (new)"), N_("Register a new extension profile."), do_new, NULL},
    {KEY_F(3), N_("Show"), N_("Show the profiles from the start extension (all when empty)."),
     do_show, NULL},
    {KEY_F(8), N_("Delete"),
     N_("Delete the selected profile. A profile with a mobile assigned cannot be deleted:"
        " unassign it first in Extension number management."),
     do_delete, NULL},
    {KEY_F(9), N_("Force delete"),
     N_("Delete the selected profile even if it is a member of pickup or hunting groups;"
        " it is removed from them in the same step."),
     do_force, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_profile_list_screen = {
    .title = N_("Extension profiles"),
    .help = N_("Type a start extension and press Enter (or F3) to list the profiles from there;"
               " an empty start lists all. Enter on a profile opens it for editing. Tab switches "
               "between the start field and the list;"
               " arrows and PgUp/PgDn move in the list. The line above the list shows how many"
               " profiles are registered and how many the contract still allows."),
    .actions = list_actions,
    .state_size = sizeof(struct list_state),
    .init = list_init,
    .free = list_free,
    .draw = list_draw,
    .key = list_key,
};
