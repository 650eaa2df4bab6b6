/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 内線番号管理 > 内線番号の譲渡 (§6.1) and 内線番号の交換 (§6.2), guided:
 * choose the numbers, see what will change, choose whether forwarding is
 * kept or cleared, confirm; the change is one transaction (ops_move).  The
 * preview holds row locks on the extensions involved, and the operation
 * refuses if anything changed since the preview. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_A, F_B, F_COUNT };

static const struct tui_field transfer_fields[F_COUNT] = {
    [F_A] = {N_("Extension number to transfer"), TUI_FIELD_DIGITS, 0, 16, NULL,
             &core_field_extension},
    /* TEXT: a mobile or an extension, and full-width input must reach the rule. */
    [F_B] = {N_("Recipient (mobile or extension number)"), TUI_FIELD_TEXT, 0, 16, NULL,
             &core_field_ext_or_mobile},
};

static const struct tui_field exchange_fields[F_COUNT] = {
    [F_A] = {N_("Extension number (A)"), TUI_FIELD_DIGITS, 0, 16, NULL, &core_field_extension},
    [F_B] = {N_("Extension number (B)"), TUI_FIELD_DIGITS, 0, 16, NULL, &core_field_extension},
};

static const int field_map[OPS_M_FIELDS] = {[OPS_M_EXT] = F_A, [OPS_M_OTHER] = F_B};

/* What step 1 hands to the preview. */
struct move_request {
    int kind;
    char a[CORE_EXT_MAX + 1];
    char b[24];
    struct ops_move_plan plan;
    struct tui_form *origin; /* step 1's form, emptied after success */
};

struct choose_state {
    struct tui_form *form;
    struct move_request req;
};

static const struct tui_screen scr_move_preview_screen;

static int plan_of(struct move_request *r, struct core_problems *problems)
{
    return r->kind == OPS_TRANSFER ? ops_transfer_plan(scr_ops(), r->a, r->b, &r->plan, problems)
                                   : ops_exchange_plan(scr_ops(), r->a, r->b, &r->plan, problems);
}

static void next(void *ctx, struct tui_form *form)
{
    struct choose_state *s = ctx;
    tui_form_clear_errors(form);
    snprintf(s->req.a, sizeof s->req.a, "%s", tui_form_value(form, F_A));
    snprintf(s->req.b, sizeof s->req.b, "%s", tui_form_value(form, F_B));
    struct core_problems problems;
    core_problems_init(&problems);
    if (plan_of(&s->req, &problems))
        scr_show_problems(form, field_map, OPS_M_FIELDS, &problems);
    else {
        tui_result_clear();
        tui_push(&scr_move_preview_screen, &s->req);
    }
    core_problems_free(&problems);
}

static int choose_init(struct choose_state *s, int kind)
{
    s->req.kind = kind;
    s->form = tui_screen_form();
    /* A request for the preview, where the change is confirmed: leaving
     * with numbers typed does not ask. */
    tui_form_set_request(s->form);
    s->req.origin = s->form;
    return 0;
}

static int transfer_init(void *state, void *arg)
{
    (void)arg;
    return choose_init(state, OPS_TRANSFER);
}

static int exchange_init(void *state, void *arg)
{
    (void)arg;
    return choose_init(state, OPS_EXCHANGE);
}

static void do_next(void *state)
{
    struct choose_state *s = state;
    next(s, s->form);
}

static const struct tui_action choose_actions[] = {
    {KEY_F(2), N_("Next"), N_("Show what will change, before anything is changed."), do_next, NULL},
    {0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_transfer_screen = {
    .title = N_("Transfer of extension numbers"),
    .help = N_("Hand an extension number to another person. Type the extension number and the"
               " recipient: the mobile number they use, or the extension number they use now,"
               " then Next. The next screen shows every change before anything is done: the"
               " extension's current mobile becomes unassigned, the recipient's mobile is"
               " assigned to it, and the recipient's old extension profile is deleted (it leaves"
               " its groups). You then choose whether the extension's forwarding settings are kept"
               " or cleared."),
    .actions = choose_actions,
    .state_size = sizeof(struct choose_state),
    .form = &(const struct tui_form_spec){transfer_fields, F_COUNT, next},
    .init = transfer_init,
};

const struct tui_screen scr_exchange_screen = {
    .title = N_("Exchange of extension numbers"),
    .help = N_("Swap the mobiles of two extensions: type both extension numbers, then Next. The"
               " next screen shows every change before anything is done; profiles and group"
               " memberships stay with the numbers, and you choose whether their forwarding"
               " settings are kept or cleared."),
    .actions = choose_actions,
    .state_size = sizeof(struct choose_state),
    .form = &(const struct tui_form_spec){exchange_fields, F_COUNT, next},
    .init = exchange_init,
};

/* ---- the preview: what will change, keep or clear forwarding, execute ---- */

static const char *const fwd_choices[] = {N_("Keep"), N_("Clear"), NULL};
static const struct tui_field preview_fields[] = {
    {N_("Forwarding settings"), TUI_FIELD_CHOICE, 0, 0, fwd_choices, NULL},
};

struct preview_state {
    struct move_request req;
    struct tui_form *form;
    struct scr_lock locks[2];
    int blocked; /* index + 1 of a lock another session holds, or 0 */
};

static void take_locks(struct preview_state *s)
{
    for (int i = 0; i < s->req.plan.count; i++) {
        char object[64];
        snprintf(object, sizeof object, "ext:%lld", (long long)s->req.plan.sides[i].ext_id);
        if (!s->locks[i].held && !scr_lock_take(&s->locks[i], object) && !s->blocked)
            s->blocked = i + 1;
    }
    tui_form_set_readonly(s->form, s->blocked != 0);
}

static int preview_init(void *state, void *arg)
{
    struct preview_state *s = state;
    s->req = *(const struct move_request *)arg;
    s->form = tui_screen_form();
    take_locks(s);
    return 0;
}

static void preview_free(void *state)
{
    struct preview_state *s = state;
    for (int i = 0; i < 2; i++)
        scr_lock_release(&s->locks[i]);
}

struct draw_lines {
    struct tui_rect r;
};

static void draw_line(void *ctx, const char *text)
{
    struct draw_lines *d = ctx;
    if (d->r.h <= 0)
        return;
    int used = tui_draw_wrapped(&d->r, TUI_NORMAL, text);
    d->r.y += used;
    d->r.h -= used;
}

static void preview_draw(void *state, const struct tui_rect *body)
{
    struct preview_state *s = state;
    tui_set_title(s->req.kind == OPS_TRANSFER ? N_("Transfer of extension numbers")
                                              : N_("Exchange of extension numbers"));
    tui_set_subtitle(_("Check the changes"));
    struct tui_rect r = *body;
    if (s->blocked)
        scr_lock_draw_banner(&s->locks[s->blocked - 1], &r);
    tui_draw_text(r.y, r.x, r.w, TUI_HEADER, _("These changes will be made:"));
    struct draw_lines d = {{r.y + 1, r.x + 1, r.h - 4, r.w - 1}};
    ops_move_describe(&s->req.plan, tui_form_choice(s->form, 0) == 1, draw_line, &d);
    struct tui_rect f = {d.r.y + 1, r.x, 2, r.w};
    tui_form_draw(s->form, &f);
}

static bool can_execute(void *state)
{
    return ((struct preview_state *)state)->blocked == 0;
}

static void execute(void *state)
{
    struct preview_state *s = state;
    struct move_request *r = &s->req;
    const struct ops_move_side *a = &r->plan.sides[0], *b = &r->plan.sides[1];
    bool clear = tui_form_choice(s->form, 0) == 1;
    char question[512], done_text[256];
    if (r->kind == OPS_TRANSFER) {
        snprintf(question, sizeof question,
                 clear ? _("Transfer extension %s to mobile %s and clear its forwarding?")
                       : _("Transfer extension %s to mobile %s, keeping its forwarding?"),
                 a->ext, a->mobile_after);
        snprintf(done_text, sizeof done_text, _("Extension %s has been transferred to mobile %s."),
                 a->ext, a->mobile_after);
    } else {
        snprintf(question, sizeof question,
                 clear ? _("Exchange the mobiles of extensions %s and %s and clear their"
                           " forwarding?")
                       : _("Exchange the mobiles of extensions %s and %s, keeping their"
                           " forwarding?"),
                 a->ext, b->ext);
        snprintf(done_text, sizeof done_text,
                 _("The mobiles of extensions %s and %s have been exchanged."), a->ext, b->ext);
    }
    if (!tui_confirm(_(r->kind == OPS_TRANSFER ? N_("Transfer of extension numbers")
                                               : N_("Exchange of extension numbers")),
                     question))
        return;
    struct core_problems problems;
    core_problems_init(&problems);
    struct ops_move_plan now;
    struct ops_move_request req = {r->kind, r->a, r->b, clear, &r->plan};
    int rc = ops_move(scr_ops(), &req, &problems, &now);
    if (rc == E_CHANGED_MEANWHILE) {
        /* Show what would change now; the user confirms again. */
        r->plan = now;
        take_locks(s);
        scr_show_problems(NULL, NULL, 0, &problems);
    } else if (rc) {
        scr_show_problems(NULL, NULL, 0, &problems);
    } else {
        struct tui_form *origin = r->origin;
        tui_pop(); /* releases the locks */
        tui_form_set_value(origin, F_A, "");
        tui_form_set_value(origin, F_B, "");
        tui_form_set_focus(origin, F_A);
        tui_result_ok(done_text);
    }
    core_problems_free(&problems);
}

static const struct tui_action preview_actions[] = {
    {KEY_F(2), N_("Execute"), N_("Make every change shown, in one step, after a confirmation."),
     execute, can_execute},
    {0, NULL, NULL, NULL, NULL},
};

static const struct tui_screen scr_move_preview_screen = {
    .title = N_("Check the changes"),
    .help = N_("Every change the operation will make, before anything is changed. Choose with"
               " Left and Right whether the forwarding settings of the extensions are kept (they"
               " carry over to the new user, as the guide warns) or cleared, then Execute and"
               " confirm. Esc goes back to change the numbers. If another administrator changes"
               " one of these extensions meanwhile, nothing is done and the changes are shown"
               " again."),
    .actions = preview_actions,
    .state_size = sizeof(struct preview_state),
    .form = &(const struct tui_form_spec){preview_fields, 1, NULL},
    .init = preview_init,
    .free = preview_free,
    .draw = preview_draw,
};
