/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ピックアップグループ設定 (§5.1) and コールハンティンググループ設定 (§5.3):
 * every group of the site with its member count, from a group number or
 * only those holding an extension ("where used"; the guide has no list,
 * FAQ §7), [新規登録] and [削除].  Enter opens a group's members. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_START, F_EXT, F_COUNT };

static const struct tui_field pickup_fields[F_COUNT] = {
    [F_START] = {N_("Pickup group number"), TUI_FIELD_DIGITS, 0, 6, NULL, &core_field_group_number},
    [F_EXT] = {N_("Filter by extension"), TUI_FIELD_DIGITS, 0, 16, NULL, &core_field_extension},
};

static const struct tui_field hunt_fields[F_COUNT] = {
    [F_START] = {N_("Call hunting group number"), TUI_FIELD_DIGITS, 0, 6, NULL,
                 &core_field_group_number},
    [F_EXT] = {N_("Filter by extension"), TUI_FIELD_DIGITS, 0, 16, NULL, &core_field_extension},
};

enum { C_NUMBER, C_MEMBERS, C_TYPE, C_REP, C_COUNT };

static const struct tui_list_column columns[C_COUNT] = {
    [C_NUMBER] = {N_("Group number"), 12, true},
    [C_MEMBERS] = {N_("Members"), 8, true},
    [C_TYPE] = {N_("Hunting type"), 14, false},
    [C_REP] = {N_("Representative extension"), 0, false},
};

struct list_state {
    int kind;
    struct scr_filter_list fl;
    struct store_group_filter filter;
    int count;
};

static int add_row(const struct store_group *g, void *ctx)
{
    struct tui_list_sink *sink = ctx;
    char number[16], members[16];
    snprintf(number, sizeof number, "%d", g->number);
    snprintf(members, sizeof members, "%d", g->members);
    const char *cols[C_COUNT] = {
        [C_NUMBER] = number,
        [C_MEMBERS] = members,
        [C_TYPE] = g->kind == CORE_HUNT ? scr_hunt_type_label(g->pilot) : "",
        [C_REP] = g->kind == CORE_HUNT ? g->rep : "",
    };
    return tui_list_sink_row(sink, cols, number) < 0 ? 1 : 0;
}

static int fetch(void *ctx, const char *key, enum tui_list_dir dir, int max_rows,
                 struct tui_list_sink *sink)
{
    struct list_state *s = ctx;
    struct scr_console *c = scr_console();
    int rc = store_group_page(c->st, s->kind, c->session.site.id, &s->filter, key ? atoi(key) : 0,
                              dir == TUI_LIST_BEFORE, max_rows, add_row, sink);
    return scr_fetch_result(rc);
}

static void refresh_count(struct list_state *s)
{
    struct scr_console *c = scr_console();
    if (store_group_count(c->st, s->kind, c->session.site.id, &s->count))
        s->count = 0;
}

static const int field_map[OPS_G_FIELDS] = {
    [OPS_G_NUMBER] = F_START, [OPS_G_TYPE] = -1, [OPS_G_REP] = -1, [OPS_G_MEMBERS] = -1};

static void show(void *ctx, struct tui_form *form)
{
    struct list_state *s = ctx;
    struct scr_console *c = scr_console();
    const char *start = tui_form_value(form, F_START);
    const char *ext = tui_form_value(form, F_EXT);
    tui_form_clear_errors(form);
    struct store_group_filter filter = {0};
    struct core_problem p;
    if (*start) {
        int number = 0;
        int rc = core_check_group_number(start, &number);
        if (rc) {
            core_problem_set(&p, rc, start);
            p.field = OPS_G_NUMBER;
            scr_show_problem(form, field_map, OPS_G_FIELDS, &p);
            return;
        }
    }
    if (*ext) {
        struct store_ext e;
        int rc = core_check_extension(ext);
        if (!rc)
            rc = store_ext_find(c->st, c->session.site.id, ext, &e);
        if (rc) {
            core_problem_set(&p, rc, ext);
            scr_show_problem(NULL, NULL, 0, &p);
            tui_form_set_error(form, F_EXT, "");
            return;
        }
        filter.ext_id = e.id;
    }
    s->filter = filter;
    refresh_count(s);
    tui_list_seek(s->fl.list, *start ? start : NULL);
    tui_result_clear();
    s->fl.on_list = true;
}

static void activate(void *ctx, const char *key)
{
    struct list_state *s = ctx;
    if (!key)
        return;
    struct scr_group_ref ref = {s->kind, atoi(key)};
    tui_push(&scr_group_edit_screen, &ref);
}

static int list_init(void *state, void *arg)
{
    struct list_state *s = state;
    s->kind = arg ? *(const int *)arg : CORE_PICKUP;
    if (scr_filter_list_init(&s->fl, s->kind == CORE_HUNT ? hunt_fields : pickup_fields, F_COUNT,
                             show, columns, s->kind == CORE_HUNT ? C_COUNT : C_TYPE, fetch,
                             activate, s))
        return -1;
    refresh_count(s);
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
    tui_set_title(s->kind == CORE_HUNT ? N_("Call hunting groups") : N_("Pickup groups"));
    /* Back from a profile or group, or after a change elsewhere: the
     * page and the counts are read again. */
    if (tui_list_freshen(s->fl.list))
        refresh_count(s);
    char counts[128];
    snprintf(counts, sizeof counts, _("Registered groups: %d of %d"), s->count,
             s->kind == CORE_HUNT ? CORE_HUNT_GROUPS_MAX : CORE_PICKUP_GROUPS_MAX);
    scr_filter_list_draw(&s->fl, body, 3, counts);
}

static int list_key(void *state, int key)
{
    return scr_filter_list_key(&((struct list_state *)state)->fl, key);
}

static void do_new(void *state)
{
    struct list_state *s = state;
    /* The guide's flow: type the group number, then [新規登録]. */
    int number = 0;
    const char *typed = tui_form_value(s->fl.form, F_START);
    if (*typed && core_check_group_number(typed, &number))
        number = 0;
    struct scr_group_ref ref = {s->kind, -number};
    tui_push(&scr_group_edit_screen, &ref);
}

static void do_show(void *state)
{
    struct list_state *s = state;
    show(s, s->fl.form);
}

static void do_delete(void *state)
{
    struct list_state *s = state;
    const char *key = tui_list_selected(s->fl.list);
    if (!key || !s->fl.on_list) {
        tui_result_error(_("Choose a group in the list first (Tab moves to the list)."));
        return;
    }
    char number[16];
    snprintf(number, sizeof number, "%s", key);
    struct core_problem p;
    struct store_group g;
    if (ops_group_get(scr_ops(), s->kind, number, &g, &p)) {
        scr_show_problem(NULL, NULL, 0, &p);
        return;
    }
    char question[256];
    snprintf(question, sizeof question, _("Delete group %s (members: %d)?"), number, g.members);
    if (!tui_confirm(_("Delete"), question))
        return;
    if (ops_group_delete(scr_ops(), s->kind, number, g.version, &p)) {
        scr_show_problem(NULL, NULL, 0, &p);
        return;
    }
    refresh_count(s);
    tui_list_reload(s->fl.list);
    char text[128];
    snprintf(text, sizeof text, _("Group %s has been deleted."), number);
    tui_result_ok(text);
}

static const struct tui_action list_actions[] = {
    {KEY_F(2), N_("Register (new)"),
     N_("Register a new group: the number typed above is proposed."), do_new, NULL},
    {KEY_F(3), N_("Show"),
     N_("List the groups from the group number typed (all when empty); with an extension, only"
        " the groups it is a member or the representative of."),
     do_show, NULL},
    {KEY_F(8), N_("Delete"), N_("Delete the selected group with all its memberships."), do_delete,
     NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_group_list_screen = {
    .title = N_("Pickup groups"),
    .help = N_("Every group of the site with its member count. Type a group number to list from"
               " there, or an extension to see the groups that use it, and press Enter (F3)."
               " Enter on a group opens its members; F2 registers a new group. Tab moves between"
               " the fields and the list."),
    .actions = list_actions,
    .state_size = sizeof(struct list_state),
    .init = list_init,
    .free = list_free,
    .draw = list_draw,
    .key = list_key,
};
