/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ロック中ユーザー一覧 (§1.2): administrators and extension users locked
 * after three wrong passwords, with unlock. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "screens/screens.h"

enum { C_KIND, C_NAME, C_EXT, C_SINCE, C_COUNT };

static const struct tui_list_column columns[C_COUNT] = {
    [C_KIND] = {N_("Kind"), 20, false},
    [C_NAME] = {N_("User name"), 18, false},
    [C_EXT] = {N_("Extension number"), 16, false},
    [C_SINCE] = {N_("Locked since"), 0, false},
};

struct locked_state {
    struct tui_list *list;
};

struct fetch_ctx {
    struct tui_list_sink *sink;
    const char *after;
    int skipping;
};

/* The list is short (locked accounts), so a page is the accounts after
 * the key in the store's order; the key is "kind:name". */
static int add_row(const struct store_locked *l, void *ctx)
{
    struct fetch_ctx *f = ctx;
    char key[80];
    snprintf(key, sizeof key, "%d:%s", l->is_user, l->name);
    if (f->skipping) {
        if (!strcmp(key, f->after))
            f->skipping = 0;
        return 0;
    }
    char since[32] = "";
    time_t t = (time_t)l->locked_at;
    struct tm tm;
    if (localtime_r(&t, &tm))
        strftime(since, sizeof since, "%Y-%m-%d %H:%M", &tm);
    const char *cols[C_COUNT] = {
        [C_KIND] = l->is_user ? _("Extension user") : _("Administrator"),
        [C_NAME] = l->name,
        [C_EXT] = l->ext[0] ? l->ext : "-",
        [C_SINCE] = since,
    };
    return tui_list_sink_row(f->sink, cols, key) < 0 ? 1 : 0;
}

static int fetch(void *ctx, const char *key, enum tui_list_dir dir, int max_rows,
                 struct tui_list_sink *sink)
{
    (void)ctx;
    (void)max_rows;
    if (dir == TUI_LIST_BEFORE && key)
        return 0; /* one page holds every locked account */
    struct fetch_ctx f = {sink, key ? key : "", key != NULL};
    int rc = ops_locked_each(scr_ops(), add_row, &f);
    return scr_fetch_result(rc);
}

static void unlock_key(const char *key)
{
    if (!key || strlen(key) < 3)
        return;
    bool is_user = key[0] == '1';
    const char *name = key + 2;
    char question[200];
    snprintf(question, sizeof question, _("Unlock %s?"), name);
    if (!tui_confirm(_("Unlock"), question))
        return;
    struct core_problem p;
    char copy[80];
    snprintf(copy, sizeof copy, "%s", name);
    if (ops_unlock(scr_ops(), is_user, copy, &p)) {
        scr_show_problem(NULL, NULL, 0, &p);
        return;
    }
    char text[160];
    snprintf(text, sizeof text, _("%s has been unlocked."), copy);
    tui_result_ok(text);
}

static void activate(void *ctx, const char *key)
{
    struct locked_state *s = ctx;
    unlock_key(key);
    tui_list_reload(s->list);
}

static int locked_init(void *state, void *arg)
{
    (void)arg;
    struct locked_state *s = state;
    if (!(s->list = tui_list_new(columns, C_COUNT, fetch, activate, s)))
        return -1;
    return 0;
}

static void locked_free(void *state)
{
    struct locked_state *s = state;
    tui_list_free(s->list);
}

static void locked_draw(void *state, const struct tui_rect *body)
{
    tui_list_draw(((struct locked_state *)state)->list, body);
}

static int locked_key(void *state, int key)
{
    return tui_list_key(((struct locked_state *)state)->list, key);
}

static void do_unlock(void *state)
{
    struct locked_state *s = state;
    unlock_key(tui_list_selected(s->list));
    tui_list_reload(s->list);
}

static void do_refresh(void *state)
{
    tui_list_reload(((struct locked_state *)state)->list);
}

static const struct tui_action locked_actions[] = {
    {KEY_F(2), N_("Unlock"), N_("Unlock the selected account (Enter does the same)."), do_unlock,
     NULL},
    {KEY_F(5), N_("Refresh"), N_("Read the list again."), do_refresh, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_locked_users_screen = {
    .title = N_("Locked users"),
    .help = N_("Administrators and extension users whose accounts are locked after three wrong"
               " passwords in a row. With automatic unlock on, a lock lifts by itself 60 minutes"
               " after it began; Unlock lifts it now."),
    .actions = locked_actions,
    .state_size = sizeof(struct locked_state),
    .init = locked_init,
    .free = locked_free,
    .draw = locked_draw,
    .key = locked_key,
};
