/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 内線番号管理 > 未割当番号表示 (§3.5 補足): provisioned mobiles not assigned. */
#include <config.h>

#include <stdlib.h>

#include "i18n.h"
#include "screens/screens.h"

static const struct tui_list_column columns[] = {
    {N_("Mobile number"), 0, false},
};

struct unassigned_state {
    struct tui_list *list;
    int count;
};

static int add_row(const struct store_line *line, void *ctx)
{
    const char *cols[] = {line->mobile};
    return tui_list_sink_row(ctx, cols, line->mobile) < 0 ? 1 : 0;
}

static int fetch(void *ctx, const char *key, enum tui_list_dir dir, int max_rows,
                 struct tui_list_sink *sink)
{
    (void)ctx;
    struct scr_console *c = scr_console();
    int rc = store_line_page(c->st, c->session.site.id, true, key, dir == TUI_LIST_BEFORE, max_rows,
                             add_row, sink);
    return scr_fetch_result(rc);
}

static void activate(void *ctx, const char *key)
{
    (void)ctx;
    (void)key;
}

static int unassigned_init(void *state, void *arg)
{
    (void)arg;
    struct unassigned_state *s = state;
    if (!(s->list = tui_list_new(columns, 1, fetch, activate, s)))
        return -1;
    struct scr_console *c = scr_console();
    store_line_count(c->st, c->session.site.id, true, &s->count);
    tui_list_seek(s->list, NULL);
    return 0;
}

static void unassigned_free(void *state)
{
    struct unassigned_state *s = state;
    tui_list_free(s->list);
}

static void unassigned_draw(void *state, const struct tui_rect *body)
{
    struct unassigned_state *s = state;
    char line[128];
    snprintf(line, sizeof line, _("Unassigned numbers: %d"), s->count);
    tui_draw_text(body->y, body->x, body->w, TUI_HEADER, line);
    struct tui_rect rows = {body->y + 1, body->x, body->h - 1, body->w};
    tui_list_draw(s->list, &rows);
}

static int unassigned_key(void *state, int key)
{
    return tui_list_key(((struct unassigned_state *)state)->list, key);
}

const struct tui_screen scr_unassigned_screen = {
    .title = N_("Unassigned numbers"),
    .help = N_("The mobile numbers registered for Office Link use at this site that no"
               " extension has yet. A number missing here may not be registered yet: ask the"
               " carrier."),
    .state_size = sizeof(struct unassigned_state),
    .init = unassigned_init,
    .free = unassigned_free,
    .draw = unassigned_draw,
    .key = unassigned_key,
};
