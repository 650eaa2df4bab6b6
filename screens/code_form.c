/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The site-wide feature-code forms (保留特番設定, ダイヤル確定特番設定,
 * プッシュ音設定 > 消去設定 / 送出特番設定): one engine under a row lock on
 * "site:ID:NAME", saving through ops_site_codes_set with the site version
 * read; each screen file supplies its fields and words. */
#include <config.h>

#include <stdlib.h>

#include "i18n.h"
#include "screens/screens.h"

/* Reads the site and shows it; takes the lock unless held already. */
static void load(struct scr_code_state *s)
{
    struct scr_console *c = scr_console();
    store_site_get(c->st, c->session.site.id, &s->site);
    char object[64];
    snprintf(object, sizeof object, "site:%lld:%s", (long long)s->site.id, s->desc->lock);
    s->desc->show(s->form, &s->site);
    tui_form_clear_errors(s->form);
    scr_lock_form(&s->lock, object, s->form);
}

static void save(void *ctx, struct tui_form *form)
{
    struct scr_code_state *s = ctx;
    if (!s->lock.held || scr_unchanged(form))
        return;
    struct ops_codes_input in = OPS_CODES_UNCHANGED;
    s->desc->read(form, &in);
    tui_form_clear_errors(form);
    if (s->desc->confirm && !s->desc->confirm(&in)) {
        tui_result_ok(_("Nothing was changed."));
        return;
    }
    struct core_problems problems;
    core_problems_init(&problems);
    struct core_problem warning;
    int rc = ops_site_codes_set(scr_ops(), s->site.version, &in, &problems, &warning);
    if (rc == E_CHANGED_MEANWHILE) {
        /* Someone saved first: show what is stored now, keep nothing stale. */
        load(s);
        scr_show_problems(NULL, NULL, 0, &problems);
    } else if (rc) {
        scr_show_problems(form, s->desc->field_of, OPS_C_FIELDS, &problems);
    } else {
        char text[768];
        s->desc->done(&in, text, sizeof text); /* before load: in points into the form */
        load(s);
        if (warning.code) {
            /* Saved as asked (the guide only advises against it); the
             * field shows the whole warning where the result line is short. */
            char why[512], both[1400];
            scr_format_problem(&warning, why, sizeof why);
            snprintf(both, sizeof both, _("%s Warning: %s"), text, why);
            tui_result_ok(both);
            int field = warning.field >= 0 && warning.field < OPS_C_FIELDS
                            ? s->desc->field_of[warning.field]
                            : -1;
            if (field >= 0) {
                core_problem_format(&warning, why, sizeof why);
                tui_form_set_error(form, (size_t)field, why);
            }
        } else {
            tui_result_ok(text);
        }
    }
    core_problems_free(&problems);
}

int scr_code_form_init(void *state, const struct scr_code_form *desc)
{
    struct scr_code_state *s = state;
    s->desc = desc;
    if (!(s->form = tui_form_new(desc->fields, desc->nfields, save, s)))
        return -1;
    load(s);
    return 0;
}

void scr_code_form_free(void *state)
{
    struct scr_code_state *s = state;
    scr_lock_release(&s->lock);
    tui_form_free(s->form);
}

void scr_code_form_draw(void *state, const struct tui_rect *body)
{
    struct scr_code_state *s = state;
    struct tui_rect r = *body;
    /* Read only: follows what the other administrator saves, and opens
     * once they are done. */
    if (scr_lock_retry_due(&s->lock, s->form)) {
        load(s);
        if (s->lock.held)
            tui_result_ok(_("The setting is yours to edit now."));
    }
    scr_lock_draw_banner(&s->lock, &r);
    int used = tui_draw_wrapped(&r, TUI_DIM, _(s->desc->notes)) + 1;
    r.y += used;
    r.h -= used;
    tui_form_draw(s->form, &r);
}

int scr_code_form_key(void *state, int key)
{
    return tui_form_key(((struct scr_code_state *)state)->form, key);
}

static void do_set(void *state)
{
    struct scr_code_state *s = state;
    save(s, s->form);
}

static void do_reload(void *state)
{
    struct scr_code_state *s = state;
    load(s);
    if (s->lock.held)
        tui_result_ok(_("The setting is yours to edit now."));
}

static bool can_set(void *state)
{
    return ((struct scr_code_state *)state)->lock.held;
}
static bool is_readonly(void *state)
{
    return !can_set(state);
}

const struct tui_action scr_code_form_actions[] = {
    {KEY_F(2), N_("Set"), N_("Save the setting."), do_set, can_set},
    {KEY_F(5), N_("Reload"),
     N_("Read the setting again and try to take it for editing (after the other administrator"
        " has finished)."),
     do_reload, is_readonly},
    {0, NULL, NULL, NULL, NULL},
};
