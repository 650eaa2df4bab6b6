/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One pickup group (§5.1) or call hunting group (§5.3), as the guide lays
 * it out: the group number (and for hunting, 種別 and 代表内線番号) with
 * [新規登録], then the registered 内線メンバ above and an entry area for
 * members to register or delete below.  Pilot groups reorder members.
 * The group is row-locked while open (doc/spec.md §5). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens/screens.h"

static const char *const type_choices[] = {N_("Round robin"), N_("Pilot"), NULL};

const char *scr_hunt_type_label(int pilot)
{
    return pilot ? _("Pilot") : _("Round robin");
}

/* The head of the screen: how the group is named and, for hunting, set. */
enum { H_TYPE, H_NUMBER, H_REP, H_COUNT };
static const struct tui_field pickup_new_fields[] = {
    {N_("Pickup group number"), TUI_FIELD_DIGITS, 0, 6, NULL, &core_field_group_number},
};
static const struct tui_field hunt_new_fields[H_COUNT] = {
    [H_TYPE] = {N_("Hunting type"), TUI_FIELD_CHOICE, 0, 0, type_choices, NULL},
    [H_NUMBER] = {N_("Call hunting group number"), TUI_FIELD_DIGITS, 0, 6, NULL,
                  &core_field_group_number},
    [H_REP] = {N_("Representative extension"), TUI_FIELD_DIGITS, 0, 16, NULL,
               &core_field_extension},
};
/* A registered hunting group: its number is fixed, type and representative change. */
static const struct tui_field hunt_edit_fields[] = {
    {N_("Hunting type"), TUI_FIELD_CHOICE, 0, 0, type_choices, NULL},
    {N_("Representative extension"), TUI_FIELD_DIGITS, 0, 16, NULL, &core_field_extension},
};
static const struct tui_field entry_fields[] = {
    {N_("Extension members"), TUI_FIELD_TEXT, 0, 48, NULL, &core_field_group_members},
};

enum { C_POS, C_EXT, C_TYPE, C_COUNT };
static const struct tui_list_column columns[C_COUNT] = {
    [C_POS] = {N_("Order"), 6, true},
    [C_EXT] = {N_("Extension number"), 16, false},
    [C_TYPE] = {N_("Terminal type"), 0, false},
};

enum focus { FOCUS_HEAD, FOCUS_MEMBERS, FOCUS_ENTRY };

struct edit_state {
    int kind;
    bool registered; /* false: the new-group form */
    struct store_group g;
    struct store_member members[CORE_GROUP_MEMBERS_MAX];
    int nmembers;
    struct scr_lock lock;
    struct tui_form *head;  /* new: number (type, rep); hunting: type, rep */
    struct tui_form *entry; /* members to register or delete */
    struct tui_list *list;
    enum focus focus;
};

static int collect(const struct store_member *m, void *ctx)
{
    struct edit_state *s = ctx;
    if (s->nmembers < CORE_GROUP_MEMBERS_MAX)
        s->members[s->nmembers++] = *m;
    return 0;
}

static int fetch(void *ctx, const char *key, enum tui_list_dir dir, int max_rows,
                 struct tui_list_sink *sink)
{
    struct edit_state *s = ctx;
    int from = key ? atoi(key) : (dir == TUI_LIST_BEFORE ? s->nmembers + 1 : 0);
    int step = dir == TUI_LIST_BEFORE ? -1 : 1;
    /* members[i] has position i + 1. */
    for (int i = from - 1 + step, n = 0; i >= 0 && i < s->nmembers && n < max_rows;
         i += step, n++) {
        char pos[16];
        snprintf(pos, sizeof pos, "%d", i + 1);
        const char *cols[C_COUNT] = {pos, s->members[i].ext,
                                     s->members[i].is_virtual ? _("Virtual") : _("Mobile phone")};
        if (tui_list_sink_row(sink, cols, pos) < 0)
            break;
    }
    return 0;
}

static void number_text(const struct edit_state *s, char *buf, size_t n)
{
    snprintf(buf, n, "%d", s->g.number);
}

/* Reads the group and its members again; takes the lock the first time. */
static int load(struct edit_state *s)
{
    struct scr_console *c = scr_console();
    char number[16];
    number_text(s, number, sizeof number);
    struct core_problem p;
    int rc = ops_group_get(scr_ops(), s->kind, number, &s->g, &p);
    if (rc) {
        scr_show_problem(NULL, NULL, 0, &p);
        return rc;
    }
    s->nmembers = 0;
    if ((rc = store_group_members(c->st, &s->g, collect, s)))
        return rc;
    char object[64];
    snprintf(object, sizeof object, "group:%c:%lld", s->kind == CORE_HUNT ? 'h' : 'p',
             (long long)s->g.id);
    scr_lock_form(&s->lock, object, s->entry);
    if (s->kind == CORE_HUNT) {
        tui_form_set_choice(s->head, 0, s->g.pilot ? 1 : 0);
        tui_form_set_value(s->head, 1, s->g.rep);
        tui_form_clear_errors(s->head);
    }
    if (s->head)
        tui_form_set_readonly(s->head, !s->lock.held);
    tui_list_reload(s->list);
    return CORE_OK;
}

static void submit_head(void *ctx, struct tui_form *form);

/* From the new-group form to the registered group. */
static void become_registered(struct edit_state *s, const struct store_group *g)
{
    tui_form_free(s->head);
    s->head = s->kind == CORE_HUNT ? tui_form_new(hunt_edit_fields, 2, submit_head, s) : NULL;
    s->g = *g;
    s->registered = true;
    s->focus = FOCUS_ENTRY;
    load(s);
}

static void show_problems(struct edit_state *s, const struct core_problems *problems)
{
    /* Problems about the members belong to the entry field; those about
     * the number, type or representative to the head. */
    int map[OPS_G_FIELDS] = {-1, -1, -1, -1};
    struct tui_form *form = s->head;
    if (!s->registered) {
        if (s->kind == CORE_HUNT) {
            map[OPS_G_NUMBER] = H_NUMBER;
            map[OPS_G_TYPE] = H_TYPE;
            map[OPS_G_REP] = H_REP;
        } else {
            map[OPS_G_NUMBER] = 0;
        }
    } else if (problems->count && problems->items[0].field == OPS_G_MEMBERS) {
        form = s->entry;
        map[OPS_G_MEMBERS] = 0;
    } else if (s->kind == CORE_HUNT) {
        map[OPS_G_TYPE] = 0;
        map[OPS_G_REP] = 1;
    }
    scr_show_problems(form, map, OPS_G_FIELDS, problems);
    if (form == s->entry && problems->count > 1) {
        /* Several typed members can each be wrong: list them all. */
        char text[2048] = "";
        size_t used = 0;
        for (size_t i = 0; i < problems->count && used + 1 < sizeof text; i++) {
            char line[512];
            scr_format_problem(&problems->items[i], line, sizeof line);
            int w = snprintf(text + used, sizeof text - used, "%s%s", i ? "\n" : "", line);
            if (w < 0)
                break;
            used += (size_t)w;
        }
        tui_message(_("Nothing was changed"), text);
    }
}

static void create(struct edit_state *s)
{
    struct core_problems problems;
    core_problems_init(&problems);
    tui_form_clear_errors(s->head);
    struct store_group g;
    int rc;
    if (s->kind == CORE_HUNT)
        rc = ops_hunt_add(scr_ops(),
                          &(struct ops_hunt_input){tui_form_value(s->head, H_NUMBER),
                                                   tui_form_choice(s->head, H_TYPE),
                                                   tui_form_value(s->head, H_REP)},
                          &problems, &g);
    else
        rc = ops_pickup_add(scr_ops(), tui_form_value(s->head, 0), &problems, &g);
    if (rc) {
        show_problems(s, &problems);
    } else {
        become_registered(s, &g);
        char text[160];
        snprintf(text, sizeof text,
                 _("Group %d has been registered. Type the extension members below and press"
                   " Enter."),
                 g.number);
        tui_result_ok(text);
    }
    core_problems_free(&problems);
}

/* Splits "2001 2002,2003" into its extensions (in place). */
static int split_members(char *text, const char **exts, int max)
{
    int n = 0;
    for (char *save = NULL, *t = strtok_r(text, " ,\t", &save); t;
         t = strtok_r(NULL, " ,\t", &save)) {
        if (n == max)
            return -1;
        exts[n++] = t;
    }
    return n;
}

/* After a change of the group: on success takes `g` (the group as saved)
 * and shows it again; when another session changed it first, shows theirs
 * with the problems; otherwise marks the fields at fault. */
static bool saved(struct edit_state *s, int rc, const struct core_problems *problems,
                  const struct store_group *g)
{
    if (rc == E_CHANGED_MEANWHILE) {
        load(s);
        scr_show_problems(NULL, NULL, 0, problems);
        return false;
    }
    if (rc) {
        show_problems(s, problems);
        return false;
    }
    s->g = *g;
    load(s);
    return true;
}

enum member_change { ADD, REMOVE };

static void change_members(struct edit_state *s, enum member_change how, const char *selected)
{
    char text[CORE_GROUP_MEMBERS_MAX * (CORE_EXT_MAX + 2) + 1];
    snprintf(text, sizeof text, "%s", selected ? selected : tui_form_value(s->entry, 0));
    const char *exts[CORE_GROUP_MEMBERS_MAX + 1];
    int n = split_members(text, exts, CORE_GROUP_MEMBERS_MAX + 1);
    tui_form_clear_errors(s->entry);
    if (n == 0) {
        tui_form_set_error(s->entry, 0, _("Type one or more extension numbers."));
        tui_result_error(_("Type one or more extension numbers, separated by spaces."));
        return;
    }
    if (n < 0) {
        struct core_problem p;
        core_problem_set(&p, E_GROUP_MEMBERS_FULL, NULL);
        scr_show_problem(NULL, NULL, 0, &p);
        tui_form_set_error(s->entry, 0, "");
        return;
    }
    char number[16];
    number_text(s, number, sizeof number);
    struct core_problems problems;
    core_problems_init(&problems);
    struct store_group g = s->g;
    struct ops_members_request req = {s->kind, number, s->g.version, exts, n};
    int rc = how == ADD ? ops_group_members_add(scr_ops(), &req, &problems, &g)
                        : ops_group_members_remove(scr_ops(), &req, &problems, &g);
    if (saved(s, rc, &problems, &g)) {
        if (!selected)
            tui_form_set_value(s->entry, 0, "");
        char msg[160];
        snprintf(msg, sizeof msg,
                 how == ADD ? _("Registered %d member(s) in group %s.")
                            : _("Deleted %d member(s) from group %s."),
                 n, number);
        tui_result_ok(msg);
    }
    core_problems_free(&problems);
}

static void save_settings(struct edit_state *s)
{
    char number[16];
    if (scr_unchanged(s->head))
        return;
    number_text(s, number, sizeof number);
    struct core_problems problems;
    core_problems_init(&problems);
    tui_form_clear_errors(s->head);
    struct store_group g = s->g;
    struct ops_hunt_input in = {number, tui_form_choice(s->head, 0), tui_form_value(s->head, 1)};
    int rc = ops_hunt_update(scr_ops(), &in, s->g.version, &problems, &g);
    if (saved(s, rc, &problems, &g)) {
        tui_form_mark_clean(s->head);
        char msg[160];
        snprintf(msg, sizeof msg, _("Group %s has been updated."), number);
        tui_result_ok(msg);
    }
    core_problems_free(&problems);
}

static void submit_head(void *ctx, struct tui_form *form)
{
    (void)form;
    struct edit_state *s = ctx;
    if (!s->registered)
        create(s);
    else if (s->lock.held)
        save_settings(s);
}

static void submit_entry(void *ctx, struct tui_form *form)
{
    (void)form;
    struct edit_state *s = ctx;
    if (s->lock.held)
        change_members(s, ADD, NULL);
}

static int edit_init(void *state, void *arg)
{
    const struct scr_group_ref *ref = arg;
    struct edit_state *s = state;
    s->kind = ref->kind;
    s->entry = tui_form_new(entry_fields, 1, submit_entry, s);
    s->list = tui_list_new(columns, C_COUNT, fetch, NULL, s);
    if (ref->number > 0) {
        s->registered = true;
        s->g.number = ref->number;
        s->head = s->kind == CORE_HUNT ? tui_form_new(hunt_edit_fields, 2, submit_head, s) : NULL;
        s->focus = FOCUS_ENTRY;
    } else {
        s->head = s->kind == CORE_HUNT ? tui_form_new(hunt_new_fields, H_COUNT, submit_head, s)
                                       : tui_form_new(pickup_new_fields, 1, submit_head, s);
        s->focus = FOCUS_HEAD;
    }
    bool ok = s->entry && s->list && (s->head || s->kind == CORE_PICKUP);
    if (ok && !s->registered && ref->number < 0) {
        char proposed[16];
        snprintf(proposed, sizeof proposed, "%d", -ref->number);
        tui_form_set_value(s->head, s->kind == CORE_HUNT ? H_NUMBER : 0, proposed);
        if (s->kind == CORE_PICKUP)
            tui_form_set_focus(s->head, 0);
    }
    if (!ok || (s->registered && load(s))) {
        scr_lock_release(&s->lock);
        return -1;
    }
    /* Members typed but neither registered nor deleted are unsaved
     * edits: leaving with them asks (a save clears the entry). */
    return 0;
}

static void edit_free(void *state)
{
    struct edit_state *s = state;
    scr_lock_release(&s->lock);
    tui_form_free(s->head);
    tui_form_free(s->entry);
    tui_list_free(s->list);
}

static const char pickup_help[] =
    N_("A new pickup group: type its number and press Enter. A registered group: the upper area"
       " lists the registered extension members; type extensions in the lower entry area"
       " (several separated by spaces) and press Enter (F2) to register them or F8 to delete"
       " them. A call to any member can be picked up by the others with the pickup code. Tab"
       " moves between the areas. While you edit, other administrators see this group"
       " read-only.");
static const char hunt_help[] =
    N_("A new call hunting group: type its number, its hunting type and its representative"
       " extension (usually a virtual extension) and press Enter. A registered group: the upper"
       " area lists the registered extension members; type extensions in the lower entry area"
       " (several separated by spaces) and press Enter (F2) to register them or F8 to delete"
       " them. Round robin groups ring a free member in turn; pilot groups try members in the"
       " order shown, changed with F6 and F7 on the selected member. Tab moves between the"
       " areas. While you edit, other administrators see this group read-only.");

static void edit_draw(void *state, const struct tui_rect *body)
{
    struct edit_state *s = state;
    struct tui_rect r = *body;
    if (!s->registered) {
        tui_set_title(N_("Register (new)"));
        tui_set_help(s->kind == CORE_HUNT ? hunt_help : pickup_help);
        tui_form_draw(s->head, &r);
        return;
    }
    char sub[16];
    snprintf(sub, sizeof sub, "%d", s->g.number);
    tui_set_title(N_("Group number"));
    tui_set_subtitle(sub);
    tui_set_help(s->kind == CORE_HUNT ? hunt_help : pickup_help);
    /* Read only while another session edits the group: what they save
     * shows here (and the lock is taken once they let it go). */
    if (!s->lock.held && tui_list_freshen(s->list))
        load(s);
    scr_lock_draw_banner(&s->lock, &r);
    struct tui_rect h = {r.y, r.x, 2, r.w};
    if (s->head) {
        r.y += 3;
        r.h -= 3;
    }
    char counts[128];
    snprintf(counts, sizeof counts, _("Extension members (registered): %d of %d"), s->nmembers,
             CORE_GROUP_MEMBERS_MAX);
    tui_draw_text(r.y, r.x, r.w, TUI_HEADER, counts);
    struct tui_rect rows = {r.y + 1, r.x, r.h - 5, r.w};
    if (rows.h < 2)
        rows.h = 2;
    tui_list_draw(s->list, &rows);
    struct tui_rect e = {rows.y + rows.h + 1, r.x, 3, r.w};
    /* The form drawn last places the cursor: draw the focused one last. */
    if (s->focus == FOCUS_HEAD) {
        tui_form_draw(s->entry, &e);
        tui_form_draw(s->head, &h);
        return;
    }
    if (s->head)
        tui_form_draw(s->head, &h);
    tui_form_draw(s->entry, &e);
    if (s->focus == FOCUS_MEMBERS)
        tui_show_cursor(-1, -1);
}

static int edit_key(void *state, int key)
{
    struct edit_state *s = state;
    if (!s->registered)
        return tui_form_key(s->head, key);
    if (key == '\t' || key == KEY_BTAB) {
        if (s->focus == FOCUS_HEAD && key == '\t' && tui_form_focus(s->head) == 0)
            return tui_form_key(s->head, key);
        static const enum focus next[] = {FOCUS_MEMBERS, FOCUS_ENTRY, FOCUS_HEAD};
        static const enum focus prev[] = {FOCUS_ENTRY, FOCUS_HEAD, FOCUS_MEMBERS};
        s->focus = key == '\t' ? next[s->focus] : prev[s->focus];
        if (s->focus == FOCUS_HEAD && !s->head)
            s->focus = key == '\t' ? FOCUS_MEMBERS : FOCUS_ENTRY;
        if (s->focus == FOCUS_HEAD)
            tui_form_set_focus(s->head, 0);
        return TUI_HANDLED;
    }
    switch (s->focus) {
    case FOCUS_HEAD:
        return tui_form_key(s->head, key);
    case FOCUS_MEMBERS:
        return tui_list_key(s->list, key);
    case FOCUS_ENTRY:
        break;
    }
    return tui_form_key(s->entry, key);
}

static bool is_new(void *state)
{
    return !((struct edit_state *)state)->registered;
}
static bool can_edit(void *state)
{
    struct edit_state *s = state;
    return s->registered && s->lock.held;
}
static bool can_set(void *state)
{
    struct edit_state *s = state;
    return can_edit(s) && s->kind == CORE_HUNT;
}
static bool can_move(void *state)
{
    struct edit_state *s = state;
    return can_set(s) && s->g.pilot;
}
static bool is_readonly(void *state)
{
    struct edit_state *s = state;
    return s->registered && !s->lock.held;
}

static void do_create(void *state)
{
    create(state);
}
static void do_add(void *state)
{
    change_members(state, ADD, NULL);
}
static void do_set(void *state)
{
    save_settings(state);
}

static void do_remove(void *state)
{
    struct edit_state *s = state;
    const char *typed = tui_form_value(s->entry, 0);
    const char *key = tui_list_selected(s->list);
    if (*typed || s->focus != FOCUS_MEMBERS || !key) {
        change_members(s, REMOVE, NULL);
        return;
    }
    const char *ext = s->members[atoi(key) - 1].ext;
    char question[160];
    snprintf(question, sizeof question, _("Delete extension %s from this group?"), ext);
    if (tui_confirm(_("Delete"), question))
        change_members(s, REMOVE, ext);
}

static void move_member(struct edit_state *s, int delta)
{
    const char *key = tui_list_selected(s->list);
    if (!key || s->focus != FOCUS_MEMBERS) {
        tui_result_error(_("Choose a member in the list first (Tab moves to the list)."));
        return;
    }
    int index = atoi(key) - 1;
    char number[16];
    number_text(s, number, sizeof number);
    struct core_problems problems;
    core_problems_init(&problems);
    struct store_group g = s->g;
    struct ops_member_move move = {number, s->g.version, s->members[index].ext, delta};
    int rc = ops_hunt_move(scr_ops(), &move, &problems, &g);
    if (rc) {
        if (rc == E_CHANGED_MEANWHILE)
            load(s);
        scr_show_problems(NULL, NULL, 0, &problems);
    } else {
        s->g = g;
        char ext[CORE_EXT_MAX + 1];
        snprintf(ext, sizeof ext, "%s", s->members[index].ext);
        load(s);
        /* Keep the moved member selected. */
        char pos[16];
        snprintf(pos, sizeof pos, "%d", index + 1 + delta);
        tui_list_seek(s->list, index + delta > 0 ? pos : NULL);
        char msg[128];
        snprintf(msg, sizeof msg, _("Extension %s is now number %d in the order."), ext,
                 index + 1 + delta);
        tui_result_ok(msg);
    }
    core_problems_free(&problems);
}

static void do_up(void *state)
{
    move_member(state, -1);
}
static void do_down(void *state)
{
    move_member(state, +1);
}

static void do_reload(void *state)
{
    struct edit_state *s = state;
    if (load(s) == CORE_OK && s->lock.held)
        tui_result_ok(_("The group is yours to edit now."));
}

static const struct tui_action edit_actions[] = {
    {KEY_F(2), N_("Register (new)"), N_("Register the group with the number typed."), do_create,
     is_new},
    {KEY_F(2), N_("Register"), N_("Register the extensions typed in the entry area as members."),
     do_add, can_edit},
    {KEY_F(4), N_("Set"), N_("Save the hunting type and the representative extension."), do_set,
     can_set},
    {KEY_F(6), N_("Up"), N_("Pilot groups: move the selected member one place earlier."), do_up,
     can_move},
    {KEY_F(7), N_("Down"), N_("Pilot groups: move the selected member one place later."), do_down,
     can_move},
    {KEY_F(8), N_("Delete"),
     N_("Delete the extensions typed in the entry area from the group, or, in the member list,"
        " the selected member."),
     do_remove, can_edit},
    {KEY_F(5), N_("Reload"),
     N_("Read the group again and try to take it for editing (after the other administrator has"
        " finished)."),
     do_reload, is_readonly},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_group_edit_screen = {
    .title = N_("Group number"),
    .help = N_("A new group: type its number (for a call hunting group also the type and the"
               " representative extension, usually a virtual extension) and press Enter."
               " A registered group: the upper area lists the registered extension members; type"
               " extensions in the lower entry area (several separated by spaces) and press Enter"
               " (F2) to register them or F8 to delete them. Round robin groups ring a free member"
               " in turn; pilot groups try members in the order shown, changed with F6 and F7 on"
               " the selected member. Tab moves between the areas. While you edit, other"
               " administrators see this group read-only."),
    .actions = edit_actions,
    .state_size = sizeof(struct edit_state),
    .init = edit_init,
    .free = edit_free,
    .draw = edit_draw,
    .key = edit_key,
};
