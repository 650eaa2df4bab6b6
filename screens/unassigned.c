/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 内線番号管理 > 未割当番号表示 (§3.5 補足): the provisioned mobiles no
 * extension has yet, searched by their first digits, and assigned from
 * the list (Enter or F2 opens 新規登録 with the number filled in). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_NUMBER, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_NUMBER] = {N_("Mobile number (first digits)"), TUI_FIELD_DIGITS, 0, 16, NULL,
                  &core_field_mobile},
};

static const struct tui_list_column columns[] = {
    {N_("Mobile number"), 0, false},
};

struct unassigned_state {
    struct scr_filter_list fl;
    int count;
    char prefix[CORE_MOBILE_LEN + 1]; /* the search applied */
};

struct page {
    struct tui_list_sink *sink;
    const char *prefix;
    size_t len;
};

static int add_row(const struct store_line *line, void *ctx)
{
    struct page *p = ctx;
    /* Numbers come in order: the first one without the digits ends the
     * search's range. */
    if (strncmp(line->mobile, p->prefix, p->len))
        return 1;
    const char *cols[] = {line->mobile};
    return tui_list_sink_row(p->sink, cols, line->mobile) < 0 ? 1 : 0;
}

static int fetch(void *ctx, const char *key, enum tui_list_dir dir, int max_rows,
                 struct tui_list_sink *sink)
{
    struct unassigned_state *s = ctx;
    struct scr_console *c = scr_console();
    struct page p = {sink, s->prefix, strlen(s->prefix)};
    /* Without a key, the range of the numbers that begin with the digits:
     * from just before the first of them (keys are exclusive), or just after
     * the last.  No digit sorts between "…4\x7f" and "…5". */
    char edge[CORE_MOBILE_LEN + 3];
    if (!key && p.len) {
        if (dir == TUI_LIST_AFTER)
            snprintf(edge, sizeof edge, "%.*s%c\x7f", (int)p.len - 1, p.prefix,
                     p.prefix[p.len - 1] - 1);
        else
            snprintf(edge, sizeof edge, "%s\x7f", p.prefix);
        key = edge;
    }
    int rc = store_line_page(c->st, c->session.site.id, true, key, dir == TUI_LIST_BEFORE, max_rows,
                             add_row, &p);
    return scr_fetch_result(rc);
}

static void refresh_count(struct unassigned_state *s)
{
    struct scr_console *c = scr_console();
    store_line_count(c->st, c->session.site.id, true, &s->count);
}

/* 新規登録 with the mobile filled in; the list is read again on return. */
static void assign(void *ctx, const char *key)
{
    (void)ctx;
    if (key) {
        char mobile[CORE_MOBILE_LEN + 1];
        snprintf(mobile, sizeof mobile, "%s", key);
        tui_push(&scr_assign_screen, mobile);
    }
}

static void search(void *ctx, struct tui_form *form)
{
    struct unassigned_state *s = ctx;
    tui_form_clear_errors(form);
    snprintf(s->prefix, sizeof s->prefix, "%s", tui_form_value(form, F_NUMBER));
    refresh_count(s);
    tui_list_seek(s->fl.list, NULL);
    s->fl.on_list = true;
    if (!tui_list_selected(s->fl.list) && s->prefix[0]) {
        char text[256];
        snprintf(text, sizeof text, _("No unassigned number begins with %s."), s->prefix);
        tui_result_error(text);
    } else {
        tui_result_clear();
    }
}

static int unassigned_init(void *state, void *arg)
{
    (void)arg;
    struct unassigned_state *s = state;
    if (scr_filter_list_init(&s->fl, fields, F_COUNT, search, columns, 1, fetch, assign, s))
        return -1;
    refresh_count(s);
    /* The list first, as the guide shows it; Tab goes to the search. */
    s->fl.on_list = true;
    return 0;
}

static void unassigned_free(void *state)
{
    struct unassigned_state *s = state;
    scr_filter_list_free(&s->fl);
}

static void unassigned_draw(void *state, const struct tui_rect *body)
{
    struct unassigned_state *s = state;
    /* Back from an assignment, or after one elsewhere: read again. */
    if (tui_list_freshen(s->fl.list))
        refresh_count(s);
    char line[128];
    snprintf(line, sizeof line, _("Unassigned numbers: %d"), s->count);
    scr_filter_list_draw(&s->fl, body, 2, line);
}

static int unassigned_key(void *state, int key)
{
    struct unassigned_state *s = state;
    int rc = scr_filter_list_key(&s->fl, key);
    /* Typing a digit on the list starts a new search. */
    wchar_t wc;
    if (rc != TUI_HANDLED && s->fl.on_list && tui_key_char(key, &wc) &&
        ((wc >= L'0' && wc <= L'9') || (wc >= 0xFF10 && wc <= 0xFF19))) {
        s->fl.on_list = false;
        tui_form_set_value(s->fl.form, F_NUMBER, "");
        return tui_form_key(s->fl.form, key);
    }
    return rc;
}

static void do_assign(void *state)
{
    struct unassigned_state *s = state;
    const char *key = tui_list_selected(s->fl.list);
    if (!key) {
        tui_result_error(_("No unassigned number is listed."));
        return;
    }
    assign(s, key);
}

static void do_search(void *state)
{
    struct unassigned_state *s = state;
    search(s, s->fl.form);
}

static const struct tui_action unassigned_actions[] = {
    {KEY_F(2), N_("Assign"),
     N_("Assign the selected mobile number to an extension (Register (new) with the number"
        " filled in)."),
     do_assign, NULL},
    {KEY_F(3), N_("Search"),
     N_("List the unassigned numbers that begin with the digits typed (all when empty)."),
     do_search, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_unassigned_screen = {
    .title = N_("Unassigned numbers"),
    .help = N_("The mobile numbers registered for Office Link use at this site that no"
               " extension has yet. Type the first digits of a number and press Enter (or F3)"
               " to search; an empty search lists all. Enter (or F2) on a number opens Register"
               " (new) with it filled in: type the extension and register. Tab switches between"
               " the search and the list; arrows and PgUp/PgDn move in the list. A number"
               " missing here may not be registered for Office Link yet, or the registration"
               " may take time to show: ask the carrier."),
    .actions = unassigned_actions,
    .state_size = sizeof(struct unassigned_state),
    .init = unassigned_init,
    .free = unassigned_free,
    .draw = unassigned_draw,
    .key = unassigned_key,
};
