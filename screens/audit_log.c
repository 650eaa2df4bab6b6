/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 監査ログ (doc/spec.md §5): every change of the site, newest first, a page at a
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
    [C_WHEN] = {N_("When"), 16, false},    [C_WHO] = {N_("Who"), 10, false},
    [C_FROM] = {N_("From"), 12, false},    [C_WHAT] = {N_("Action"), 24, false},
    [C_OBJECT] = {N_("Object"), 0, false},
};

enum { F_OBJECT, F_ACTOR, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_OBJECT] = {N_("Object contains"), TUI_FIELD_TEXT, 60, 24, NULL, NULL},
    [F_ACTOR] = {N_("Administrator"), TUI_FIELD_TEXT, 60, 24, NULL, NULL},
};

/* The operations' stable identifiers (kept as they are in the database,
 * kasconctl's output and CSV) and what the screen calls them. */
static const struct {
    const char *id;
    const char *msgid;
} action_names[] = {
    {"admin.add", N_("Administrator added")},
    {"admin.key.add", N_("Public key added")},
    {"admin.key.remove", N_("Public key removed")},
    {"admin.password", N_("Administrator password changed")},
    {"admin.reset", N_("Administrator password reset")},
    {"admin.unlock", N_("Administrator unlocked")},
    {"bulk.delete", N_("Bulk delete")},
    {"bulk.register", N_("Bulk register")},
    {"cdr.import", N_("Call history imported")},
    {"cdr.load", N_("Call history loaded")},
    {"cdr.purge", N_("Call history deleted")},
    {"codes.set", N_("Feature codes set")},
    {"ext.add", N_("Extension profile registered")},
    {"ext.assign", N_("Mobile number assigned")},
    {"ext.delete", N_("Extension profile deleted")},
    {"ext.exchange", N_("Exchange of extension numbers")},
    {"ext.force_delete", N_("Extension profile force-deleted")},
    {"ext.transfer", N_("Transfer of extension numbers")},
    {"ext.unassign", N_("Mobile number unassigned")},
    {"ext.update", N_("Extension profile changed")},
    {"fwd.set", N_("Call forwarding set")},
    {"hunt.add", N_("Call hunting group registered")},
    {"hunt.delete", N_("Call hunting group deleted")},
    {"hunt.member_add", N_("Call hunting group member added")},
    {"hunt.member_remove", N_("Call hunting group member removed")},
    {"hunt.order", N_("Call hunting order changed")},
    {"hunt.update", N_("Call hunting group changed")},
    {"line.add", N_("Mobile number provisioned")},
    {"login", N_("Login")},
    {"login.auto_unlock", N_("Automatically unlocked")},
    {"login.fail", N_("Login failed")},
    {"login.key_refused", N_("Login refused (unknown key)")},
    {"login.lock", N_("Login failed; account locked")},
    {"login.publickey", N_("Login (public key)")},
    {"login.refused_locked", N_("Login refused (locked)")},
    {"login.refused_network", N_("Login refused (network restriction)")},
    {"logout", N_("Logout")},
    {"pickup.add", N_("Pickup group registered")},
    {"pickup.delete", N_("Pickup group deleted")},
    {"pickup.member_add", N_("Pickup group member added")},
    {"pickup.member_remove", N_("Pickup group member removed")},
    {"purge", N_("Audit log purged")},
    {"registrar.sync", N_("Registrar synchronised")},
    {"secret.fail", N_("Secret question answered wrongly")},
    {"secret.lock", N_("Call history locked")},
    {"secret.refused_locked", N_("Call history refused (locked)")},
    {"secret.reset", N_("Secret question reset")},
    {"secret.set", N_("Secret question set")},
    {"secret.verify", N_("Secret question answered")},
    {"set", N_("Setting changed")},
    {"site.add", N_("Site registered")},
    {"site.set", N_("Site settings changed")},
    {"user.password", N_("Web console password changed")},
    {"user.unlock", N_("Extension user unlocked")},
};

/* An operation in the user's language: an extension user's login events
 * ("user.login.fail") read as the administrator's with the user named;
 * an identifier this table does not know is shown as it is. */
static void action_label(const char *id, char *buf, size_t n)
{
    bool user = !strncmp(id, "user.login", 10);
    const char *key = user ? id + 5 : id;
    for (size_t i = 0; i < sizeof action_names / sizeof action_names[0]; i++)
        if (!strcmp(action_names[i].id, key)) {
            if (user)
                snprintf(buf, n, _("%s (extension user)"), _(action_names[i].msgid));
            else
                snprintf(buf, n, "%s", _(action_names[i].msgid));
            return;
        }
    snprintf(buf, n, "%s", id);
}

struct audit_state {
    struct scr_filter_list fl;
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
    char at[32], key[24], what[128];
    when(e->at, at, sizeof at);
    action_label(e->action, what, sizeof what);
    /* Newest first: the key sorts like the list, so it counts down. */
    snprintf(key, sizeof key, "%020lld", (long long)(INT64_MAX - e->id));
    const char *cols[C_COUNT] = {at, e->actor, e->source, what, e->object};
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

/* A bulk operation's rows under its entry: the first ones, or those the
 * object filter names. */
#define ROWS_SHOWN 10

struct rows_text {
    char *buf;
    size_t n, len;
};

static int add_row(const struct store_audit_row *r, void *ctx)
{
    struct rows_text *t = ctx;
    char what[128];
    action_label(r->action, what, sizeof what);
    int w = snprintf(t->buf + t->len, t->n - t->len, "\n%ld: %s %s %s", r->row, what, r->object,
                     r->detail);
    if (w > 0 && (size_t)w < t->n - t->len)
        t->len += (size_t)w;
    return 0;
}

static void activate(void *ctx, const char *key)
{
    struct audit_state *s = ctx;
    struct scr_console *c = scr_console();
    struct store_audit_entry e;
    memset(&e, 0, sizeof e);
    int64_t id = INT64_MAX - strtoll(key, NULL, 10);
    store_audit_page(c->st, c->session.site.id, NULL, id + 1, false, 1, find_one, &e);
    if (e.id != id)
        return;
    char at[32], text[4096], what[256], label[128];
    when(e.at, at, sizeof at);
    /* The identifier too: it is what kasconctl and CSV output show. */
    action_label(e.action, label, sizeof label);
    snprintf(what, sizeof what, "%s (%s)", label, e.action);
    int w = snprintf(text, sizeof text, "%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s",
                     _("When"), at, _("Who"), e.actor, _("From"), e.source, _("Action"), what,
                     _("Object"), e.object, _("Before"), e.before[0] ? e.before : "-", _("After"),
                     e.after[0] ? e.after : "-");
    long rows = 0;
    if (w > 0 && (size_t)w < sizeof text && store_audit_row_count(c->st, e.id, &rows) == CORE_OK &&
        rows > 0) {
        struct rows_text t = {text, sizeof text, (size_t)w};
        int n = snprintf(text + t.len, sizeof text - t.len, "\n%s",
                         s->object[0] ? _("Rows (those the filter names):")
                                      : _("Rows (the first ones):"));
        if (n > 0 && (size_t)n < sizeof text - t.len)
            t.len += (size_t)n;
        store_audit_rows(c->st, e.id, s->object, 0, ROWS_SHOWN, add_row, &t);
    }
    tui_message(_("Audit log"), text);
}

static void apply_filter(void *ctx, struct tui_form *form)
{
    struct audit_state *s = ctx;
    snprintf(s->object, sizeof s->object, "%s", tui_form_value(form, F_OBJECT));
    snprintf(s->actor, sizeof s->actor, "%s", tui_form_value(form, F_ACTOR));
    tui_list_seek(s->fl.list, NULL);
    s->fl.on_list = true;
    tui_result_clear();
}

static int audit_init(void *state, void *arg)
{
    (void)arg;
    struct audit_state *s = state;
    if (scr_filter_list_init(&s->fl, fields, F_COUNT, apply_filter, columns, C_COUNT, fetch,
                             activate, s))
        return -1;
    s->fl.on_list = true;
    return 0;
}

static void audit_free(void *state)
{
    struct audit_state *s = state;
    scr_filter_list_free(&s->fl);
}

static void audit_draw(void *state, const struct tui_rect *body)
{
    struct audit_state *s = state;
    scr_filter_list_draw(&s->fl, body, 2, NULL);
}

static int audit_key(void *state, int key)
{
    return scr_filter_list_key(&((struct audit_state *)state)->fl, key);
}

static void do_refresh(void *state)
{
    struct audit_state *s = state;
    apply_filter(s, s->fl.form);
}

static const struct tui_action audit_actions[] = {
    {KEY_F(5), N_("Refresh"), N_("Show the newest entries again, with the filter typed above."),
     do_refresh, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_audit_screen = {
    .title = N_("Audit log"),
    .help =
        N_("Every change made to this site, by administrators, the carrier's operator and the"
           " system: when, who, from where (console or the SSH address), what, and on Enter"
           " the values before and after. Newest first; PgDn goes back in time. Tab moves to the"
           " filter: part of the object (an extension, \"pickup 3\", ...) and/or an"
           " administrator's name, then Enter."),
    .actions = audit_actions,
    .state_size = sizeof(struct audit_state),
    .init = audit_init,
    .free = audit_free,
    .draw = audit_draw,
    .key = audit_key,
};
