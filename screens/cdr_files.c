/* SPDX-License-Identifier: GPL-3.0-or-later */
/* サービス設定 > 通信履歴 > 通信履歴参照 (§6.4): the secret question first,
 * then the list of the site's files (date, part, records) with 表示 and 取得.
 * 認証設定変更 (§6.3) opens from here, as the guide's button does. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_ANSWER, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_ANSWER] = {N_("Answer to the secret question"), TUI_FIELD_PASSWORD, 0, 32, NULL,
                  &core_field_secret},
};

enum { C_DAY, C_PART, C_RECORDS, C_COUNT };

static const struct tui_list_column columns[C_COUNT] = {
    [C_DAY] = {N_("Date"), 12, false},
    [C_PART] = {N_("Part"), 6, true},
    [C_RECORDS] = {N_("Records"), 10, true},
};

struct files_state {
    bool open; /* the answer was right */
    struct store_secret secret;
    struct tui_form *form;
    struct tui_list *list;
    struct store_cdr_file *files;
    size_t count;
};

static int take_file(const struct store_cdr_file *f, void *ctx)
{
    struct files_state *s = ctx;
    struct store_cdr_file *more = realloc(s->files, (s->count + 1) * sizeof *more);
    if (!more)
        return E_NO_MEMORY;
    s->files = more;
    s->files[s->count++] = *f;
    return 0;
}

/* At most 92 days of a few parts each: the list is read whole. */
static void load_files(struct files_state *s)
{
    struct scr_console *c = scr_console();
    free(s->files);
    s->files = NULL;
    s->count = 0;
    store_cdr_files(c->st, c->session.site.id, take_file, s);
}

static int fetch(void *ctx, const char *key, enum tui_list_dir dir, int max_rows,
                 struct tui_list_sink *sink)
{
    struct files_state *s = ctx;
    long n = (long)s->count, at = key ? strtol(key, NULL, 10) : (dir == TUI_LIST_AFTER ? -1 : n);
    for (int k = 0; k < max_rows; k++) {
        long i = dir == TUI_LIST_AFTER ? at + 1 + k : at - 1 - k;
        if (i < 0 || i >= n)
            break;
        char part[16], records[24], idx[24];
        snprintf(part, sizeof part, "%d", s->files[i].part);
        snprintf(records, sizeof records, "%ld", s->files[i].records);
        snprintf(idx, sizeof idx, "%06ld", i);
        const char *cols[C_COUNT] = {s->files[i].day, part, records};
        if (tui_list_sink_row(sink, cols, idx) < 0)
            break;
    }
    return 0;
}

static const struct store_cdr_file *selected(struct files_state *s)
{
    const char *key = tui_list_selected(s->list);
    long i = key ? strtol(key, NULL, 10) : -1;
    return i >= 0 && (size_t)i < s->count ? &s->files[i] : NULL;
}

static void activate(void *ctx, const char *key)
{
    (void)key;
    const struct store_cdr_file *f = selected(ctx);
    if (f)
        tui_push(&scr_cdr_view_screen, (void *)f);
}

static void answer(void *ctx, struct tui_form *form)
{
    struct files_state *s = ctx;
    struct core_problem p;
    int rc = ops_secret_verify(scr_ops(), tui_form_value(form, F_ANSWER), &p);
    tui_form_set_value(form, F_ANSWER, "");
    if (rc) {
        scr_show_problem(NULL, NULL, 0, &p);
        return;
    }
    s->open = true;
    load_files(s);
    tui_list_seek(s->list, NULL);
    tui_result_clear();
}

static int files_init(void *state, void *arg)
{
    (void)arg;
    struct files_state *s = state;
    s->form = tui_screen_form();
    tui_form_set_request(s->form);
    s->list = tui_list_new(columns, C_COUNT, fetch, activate, s);
    if (!s->list)
        return -1;
    struct scr_console *c = scr_console();
    store_secret_get(c->st, c->session.site.id, &s->secret);
    return 0;
}

static void files_free(void *state)
{
    struct files_state *s = state;
    tui_list_free(s->list);
    free(s->files);
}

static void files_draw(void *state, const struct tui_rect *body)
{
    struct files_state *s = state;
    if (s->open) {
        tui_list_draw(s->list, body);
        return;
    }
    /* The question as it is now: 認証設定変更, opened from here or by
     * another administrator, may have set or changed it. */
    struct scr_console *c = scr_console();
    store_secret_get(c->st, c->session.site.id, &s->secret);
    if (!s->secret.answer_hash[0]) {
        struct core_problem p;
        core_problem_set(&p, E_SECRET_NOT_SET, NULL);
        char text[256];
        core_problem_format(&p, text, sizeof text);
        tui_draw_wrapped(body, TUI_ERROR, text);
        return;
    }
    char q[256];
    snprintf(q, sizeof q, "%s: %s", _("Secret question"), s->secret.question);
    tui_draw_text(body->y, body->x, body->w, TUI_HEADER, q);
    struct tui_rect r = {body->y + 2, body->x, body->h - 2, body->w};
    tui_form_draw(s->form, &r);
}

static int files_key(void *state, int key)
{
    struct files_state *s = state;
    if (s->open)
        return tui_list_key(s->list, key);
    if (!s->secret.answer_hash[0])
        return TUI_UNHANDLED;
    return tui_form_key(s->form, key);
}

static bool is_open(void *state)
{
    return ((struct files_state *)state)->open;
}

static void do_show(void *state)
{
    activate(state, NULL);
}

static void do_get(void *state)
{
    const struct store_cdr_file *f = selected(state);
    if (f)
        tui_push(&scr_cdr_get_screen, (void *)f);
}

static bool is_closed(void *state)
{
    struct files_state *s = state;
    return !s->open && s->secret.answer_hash[0];
}

static void do_secret(void *state)
{
    (void)state;
    tui_push(&scr_secret_screen, NULL);
}

static const struct tui_action files_actions[] = {
    {KEY_F(2), N_("Authenticate"), N_("Check the answer and open the call history."), tui_submit,
     is_closed},
    {KEY_F(3), N_("Show"), N_("View the records of the selected file (Enter does the same)."),
     do_show, is_open},
    {KEY_F(5), N_("Download"), N_("Save the selected file as CSV."), do_get, is_open},
    {KEY_F(6), N_("Change authentication settings"),
     N_("Set the secret question and its answer, or change them with the current answer."),
     do_secret, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_cdr_files_screen = {
    .title = N_("View call history"),
    .help = N_("Answer the secret question to open the call history (three wrong answers lock it"
               " for 60 minutes). The files are listed by day, newest first; a day with more"
               " than 40,000 records has several parts. Records are kept for 92 days. F6 sets or"
               " changes the secret question."),
    .actions = files_actions,
    .state_size = sizeof(struct files_state),
    .form = &(const struct tui_form_spec){fields, F_COUNT, answer},
    .init = files_init,
    .free = files_free,
    .draw = files_draw,
    .key = files_key,
};
