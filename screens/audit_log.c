/* 監査ログ (SPEC §5): every change of the site, newest first, a page at a
 * time, filtered by object and administrator; Enter shows the whole entry
 * with its old and new values. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "screens/screens.h"

enum { C_WHEN, C_WHO, C_FROM, C_WHAT, C_OBJECT, C_COUNT };

static const struct tui_list_column columns[C_COUNT] = {
    [C_WHEN] = {N_("When"), 16, false},
    [C_WHO] = {N_("Who"), 10, false},
    [C_FROM] = {N_("From"), 12, false},
    [C_WHAT] = {N_("Action"), 16, false},
    [C_OBJECT] = {N_("Object"), 0, false},
};

enum { F_OBJECT, F_ACTOR, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_OBJECT] = {N_("Object contains"), TUI_FIELD_TEXT, 60, 24, NULL},
    [F_ACTOR] = {N_("Administrator"), TUI_FIELD_TEXT, 60, 24, NULL},
};

struct audit_state {
    struct tui_form *form;
    struct tui_list *list;
    bool on_list;
    char object[256], actor[256]; /* the filter applied */
};

static void when(int64_t at, char *buf, size_t n)
{
    time_t t = (time_t)at;
    struct tm tm;
    if (!localtime_r(&t, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M", &tm))
        snprintf(buf, n, "%lld", (long long)at);
}

struct page {
    struct tui_list_sink *sink;
    bool descending; /* the list wants rows nearest first */
    struct store_audit_entry rows[256];
    int count, max;
};

static int collect(const struct store_audit_entry *e, void *ctx)
{
    struct page *p = ctx;
    if (p->count >= p->max)
        return 1;
    p->rows[p->count++] = *e;
    return 0;
}

static int emit(struct tui_list_sink *sink, const struct store_audit_entry *e)
{
    char at[32], key[24];
    when(e->at, at, sizeof at);
    /* Newest first: the key sorts like the list, so it counts down. */
    snprintf(key, sizeof key, "%020lld", (long long)(INT64_MAX - e->id));
    const char *cols[C_COUNT] = {at, e->actor, e->source, e->action, e->object};
    return tui_list_sink_row(sink, cols, key);
}

static int fetch(void *ctx, const char *key, enum tui_list_dir dir, int max_rows,
                 struct tui_list_sink *sink)
{
    struct audit_state *s = ctx;
    struct store_audit_filter filter = {s->object, s->actor};
    struct scr_console *c = scr_console();
    struct page *p = calloc(1, sizeof *p);
    if (!p)
        return E_NO_MEMORY;
    p->max = max_rows < 256 ? max_rows : 256;
    int64_t id = key ? INT64_MAX - strtoll(key, NULL, 10) : 0;
    int rc;
    if (dir == TUI_LIST_AFTER) {
        /* Older entries than the last row shown (ids below it). */
        rc = store_audit_page(c->st, c->session.site.id, &filter, id, false, p->max, collect, p);
        for (int i = 0; !rc && i < p->count; i++)
            if (emit(sink, &p->rows[i]) < 0)
                break;
    } else {
        /* Newer entries than the first row shown, nearest first. */
        rc = store_audit_page(c->st, c->session.site.id, &filter, key ? id : 0, true, p->max,
                              collect, p);
        for (int i = 0; !rc && i < p->count; i++)
            if (emit(sink, &p->rows[i]) < 0)
                break;
    }
    free(p);
    return rc == 1 ? 0 : rc;
}

static int find_one(const struct store_audit_entry *e, void *ctx)
{
    *(struct store_audit_entry *)ctx = *e;
    return 1;
}

static void activate(void *ctx, const char *key)
{
    (void)ctx;
    struct scr_console *c = scr_console();
    struct store_audit_entry e;
    memset(&e, 0, sizeof e);
    int64_t id = INT64_MAX - strtoll(key, NULL, 10);
    store_audit_page(c->st, c->session.site.id, NULL, id + 1, false, 1, find_one, &e);
    if (e.id != id)
        return;
    char at[32], text[1600];
    when(e.at, at, sizeof at);
    snprintf(text, sizeof text, "%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s",
             _("When"), at, _("Who"), e.actor, _("From"), e.source, _("Action"), e.action,
             _("Object"), e.object, _("Before"), e.before[0] ? e.before : "-", _("After"),
             e.after[0] ? e.after : "-");
    tui_message(_("Audit log"), text);
}

static void apply_filter(void *ctx, struct tui_form *form)
{
    struct audit_state *s = ctx;
    snprintf(s->object, sizeof s->object, "%s", tui_form_value(form, F_OBJECT));
    snprintf(s->actor, sizeof s->actor, "%s", tui_form_value(form, F_ACTOR));
    tui_list_seek(s->list, NULL);
    s->on_list = true;
    tui_result_clear();
}

static int audit_enter(void **state, void *arg)
{
    (void)arg;
    struct audit_state *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    s->form = tui_form_new(fields, F_COUNT, apply_filter, s);
    s->list = tui_list_new(columns, C_COUNT, fetch, activate, s);
    if (!s->form || !s->list) {
        tui_form_free(s->form);
        tui_list_free(s->list);
        free(s);
        return -1;
    }
    s->on_list = true;
    *state = s;
    return 0;
}

static void audit_leave(void *state)
{
    struct audit_state *s = state;
    tui_form_free(s->form);
    tui_list_free(s->list);
    free(s);
}

static void audit_draw(void *state, const struct tui_rect *body)
{
    struct audit_state *s = state;
    struct tui_rect top = {body->y, body->x, 2, body->w};
    tui_form_draw(s->form, &top);
    struct tui_rect rows = {body->y + 3, body->x, body->h - 3, body->w};
    tui_list_draw(s->list, &rows);
    if (s->on_list)
        tui_show_cursor(-1, -1);
}

static int audit_key(void *state, int key)
{
    struct audit_state *s = state;
    if (key == '\t' && !s->on_list && tui_form_focus(s->form) + 1 < F_COUNT)
        return tui_form_key(s->form, key);
    if (key == '\t' || key == KEY_BTAB) {
        s->on_list = !s->on_list;
        if (!s->on_list)
            tui_form_set_focus(s->form, F_OBJECT);
        return TUI_HANDLED;
    }
    if (!s->on_list && tui_key_is_enter(key)) {
        /* A filter applies from either field. */
        apply_filter(s, s->form);
        return TUI_HANDLED;
    }
    return s->on_list ? tui_list_key(s->list, key) : tui_form_key(s->form, key);
}

static void do_refresh(void *state)
{
    struct audit_state *s = state;
    apply_filter(s, s->form);
}

static const struct tui_action audit_actions[] = {
    {KEY_F(5), N_("Refresh"), N_("Show the newest entries again, with the filter typed above."),
     do_refresh, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_audit_screen = {
    .title = N_("Audit log"),
    .help = N_("Every change made to this site, by administrators, the carrier's operator and the"
               " system: when, who, from where (console or the SSH address), what, and on Enter"
               " the values before and after. Newest first; PgDn goes back in time. Tab moves to the"
               " filter: part of the object (an extension, \"pickup 3\", ...) and/or an"
               " administrator's name, then Enter."),
    .actions = audit_actions,
    .enter = audit_enter,
    .leave = audit_leave,
    .draw = audit_draw,
    .key = audit_key,
};
