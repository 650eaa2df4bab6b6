/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 通信履歴参照 > 表示: one file's records, a page at a time (keyset paging
 * in the store), with filters, and every field of a record on Enter. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens/screens.h"

static const char *const call_types[] = {N_("Any"), N_("Completed"), N_("Not completed"), NULL};

enum { F_FROM, F_TO, F_NUMBER, F_TYPE, F_CAUSE, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    /* A date alone stands for the whole day. */
    [F_FROM] = {N_("From (YYYY/MM/DD HH:MM:SS)"), TUI_FIELD_TEXT, 0, 20, NULL,
                &core_field_cdr_time},
    [F_TO] = {N_("To"), TUI_FIELD_TEXT, 0, 20, NULL, &core_field_cdr_time},
    [F_NUMBER] = {N_("Number"), TUI_FIELD_DIAL, 0, 20, NULL, &core_field_cdr_number},
    [F_TYPE] = {N_("Call type"), TUI_FIELD_CHOICE, 0, 0, call_types, NULL},
    [F_CAUSE] = {N_("Cause"), TUI_FIELD_DIGITS, 0, 4, NULL, &core_field_cdr_cause},
};

enum { C_TIME, C_TYPE, C_CALLER, C_CALLEE, C_CAUSE, C_COUNT };

static const struct tui_list_column columns[C_COUNT] = {
    [C_TIME] = {N_("Call time"), 19, false}, [C_TYPE] = {N_("Call type"), 13, false},
    [C_CALLER] = {N_("Caller"), 12, false},  [C_CALLEE] = {N_("Callee"), 12, false},
    [C_CAUSE] = {N_("Cause"), 0, false},
};

#define PAGE_MAX 200

struct view_state {
    struct store_cdr_file file;
    struct tui_form *form;
    struct tui_list *list;
    bool on_form;
    char from[20], to[20], number[33];
    struct store_cdr_filter filter;
    struct core_cdr page[PAGE_MAX];
};

static void cause_text(int cause, char *buf, size_t n)
{
    const char *msgid = core_cdr_cause_msgid(cause);
    if (cause == CORE_CDR_CAUSE_NONE)
        snprintf(buf, n, "-");
    else if (msgid)
        snprintf(buf, n, "%03d %s", cause, _(msgid));
    else
        snprintf(buf, n, "%03d", cause);
}

static int fetch(void *ctx, const char *key, enum tui_list_dir dir, int max_rows,
                 struct tui_list_sink *sink)
{
    struct view_state *s = ctx;
    struct scr_console *c = scr_console();
    enum store_page_dir d = dir == TUI_LIST_AFTER ? (key ? STORE_PAGE_NEXT : STORE_PAGE_FIRST)
                                                  : (key ? STORE_PAGE_PREV : STORE_PAGE_LAST);
    int limit = max_rows < PAGE_MAX ? max_rows : PAGE_MAX, count = 0;
    int rc = store_cdr_page(c->st, s->file.id, &s->filter, d, key ? strtoll(key, NULL, 10) : 0,
                            s->page, limit, &count);
    if (rc) {
        struct core_problem p;
        core_problem_set(&p, rc, NULL);
        scr_show_problem(NULL, NULL, 0, &p);
        return rc;
    }
    /* The store gives each page in file order; BEFORE wants nearest first. */
    for (int k = 0; k < count; k++) {
        const struct core_cdr *r = &s->page[dir == TUI_LIST_AFTER ? k : count - 1 - k];
        char cause[160], seq[24];
        cause_text(r->cause, cause, sizeof cause);
        snprintf(seq, sizeof seq, "%012lld", (long long)r->seq);
        const char *cols[C_COUNT] = {r->call_time,
                                     r->completed ? _("Completed") : _("Not completed"), r->caller,
                                     r->callee, cause};
        if (tui_list_sink_row(sink, cols, seq) < 0)
            break;
    }
    return 0;
}

/* Every field, labelled as the guide's §6.5 table. */
static void activate(void *ctx, const char *key)
{
    struct view_state *s = ctx;
    struct scr_console *c = scr_console();
    int count = 0;
    struct store_cdr_filter none = {NULL, NULL, NULL, -1, -1};
    long long seq = strtoll(key, NULL, 10);
    if (store_cdr_page(c->st, s->file.id, &none, STORE_PAGE_NEXT, seq - 1, s->page, 1, &count) ||
        count != 1)
        return;
    const struct core_cdr *r = &s->page[0];
    char cause[160], text[2048];
    cause_text(r->cause, cause, sizeof cause);
    snprintf(text, sizeof text,
             "%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n"
             "%s: %s\n%s: %s",
             _("Call time"), r->call_time, _("Answer time"),
             r->answer_time[0] ? r->answer_time : "-", _("End time"), r->end_time, _("Call type"),
             r->completed ? _("Completed") : _("Not completed"), _("Requested service"),
             r->service[0] ? r->service : "-", _("Received number"),
             r->received[0] ? r->received : "-", _("Caller"), r->caller[0] ? r->caller : "-",
             _("Callee"), r->callee[0] ? r->callee : "-", _("Transferring party"),
             r->transferrer[0] ? r->transferrer : "-", _("Disconnect type"),
             r->disconnect_type[0] ? r->disconnect_type : "-", _("Disconnecting party"),
             r->disconnector[0] ? r->disconnector : "-", _("Cause"), cause);
    tui_message(_("Call record"), text);
}

static void apply_filter(void *ctx, struct tui_form *form)
{
    struct view_state *s = ctx;
    tui_form_clear_errors(form);
    /* The core checks the period (2026-02-30, 2026-13-01, from after to);
     * a refused filter leaves the list as it was. */
    struct core_problems problems;
    core_problems_init(&problems);
    char from[CORE_CDR_TIME_LEN + 1], to[CORE_CDR_TIME_LEN + 1];
    if (core_cdr_check_range(tui_form_value(form, F_FROM), tui_form_value(form, F_TO), from, to,
                             &problems)) {
        static const int field_map[] = {F_FROM, F_TO};
        scr_show_problems(form, field_map, 2, &problems);
        /* The result line names the field, as the form does beside it. */
        const struct core_problem *p = &problems.items[0];
        char text[768], line[900];
        scr_format_problem(p, text, sizeof text);
        snprintf(line, sizeof line, "%s: %s", _(fields[field_map[p->field]].label), text);
        tui_result_error(line);
        core_problems_free(&problems);
        s->on_form = true;
        return;
    }
    core_problems_free(&problems);
    snprintf(s->from, sizeof s->from, "%s", from);
    snprintf(s->to, sizeof s->to, "%s", to);
    snprintf(s->number, sizeof s->number, "%s", tui_form_value(form, F_NUMBER));
    const char *cause = tui_form_value(form, F_CAUSE);
    int type = tui_form_choice(form, F_TYPE);
    s->filter = (struct store_cdr_filter){s->from[0] ? s->from : NULL, s->to[0] ? s->to : NULL,
                                          s->number[0] ? s->number : NULL,
                                          type == 0   ? -1
                                          : type == 1 ? 1
                                                      : 0,
                                          *cause ? atoi(cause) : -1};
    tui_list_seek(s->list, NULL);
    s->on_form = false;
    tui_result_ok(_("Filter applied."));
}

static int view_init(void *state, void *arg)
{
    struct view_state *s = state;
    s->file = *(const struct store_cdr_file *)arg;
    s->filter = (struct store_cdr_filter){NULL, NULL, NULL, -1, -1};
    s->form = tui_screen_form();
    tui_form_set_request(s->form);
    s->list = tui_list_new(columns, C_COUNT, fetch, activate, s);
    if (!s->list)
        return -1;
    return 0;
}

static void view_free(void *state)
{
    struct view_state *s = state;
    tui_list_free(s->list);
}

static void view_draw(void *state, const struct tui_rect *body)
{
    struct view_state *s = state;
    char sub[64];
    snprintf(sub, sizeof sub, "%s (%d) %ld", s->file.day, s->file.part, s->file.records);
    tui_set_subtitle(sub);
    if (s->on_form) {
        tui_form_draw(s->form, body);
        return;
    }
    tui_list_draw(s->list, body);
}

static int view_key(void *state, int key)
{
    struct view_state *s = state;
    if (s->on_form) {
        if (key == 27) {
            s->on_form = false;
            return TUI_HANDLED;
        }
        return tui_form_key(s->form, key);
    }
    return tui_list_key(s->list, key);
}

static void do_filter(void *state)
{
    struct view_state *s = state;
    if (s->on_form)
        apply_filter(s, s->form);
    else
        s->on_form = true;
}

static void do_get(void *state)
{
    tui_push(&scr_cdr_get_screen, &((struct view_state *)state)->file);
}

static const struct tui_action view_actions[] = {
    {KEY_F(4), N_("Filter"),
     N_("Open the filter (time range, number, call type, cause code); F4 again applies it, Esc"
        " returns to the list. Empty fields do not filter."),
     do_filter, NULL},
    {KEY_F(5), N_("Download"), N_("Save this file as CSV."), do_get, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_cdr_view_screen = {
    .title = N_("Show"),
    .help = N_("The records of one file in call order. PgUp/PgDn page through them; Enter shows"
               " every field of a record with the cause explained. F4 filters by time range,"
               " number (caller, callee, received or transferring party), call type or cause"
               " code."),
    .actions = view_actions,
    .state_size = sizeof(struct view_state),
    .form = &(const struct tui_form_spec){fields, F_COUNT, apply_filter},
    .init = view_init,
    .free = view_free,
    .draw = view_draw,
    .key = view_key,
};
