/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 保留特番設定 (§5.2): the code that puts a call on hold for a transfer,
 * and whether it disconnects once the transfer target has answered. */
#include <config.h>

#include "i18n.h"
#include "screens/screens.h"

static const char *const disconnect_choices[] = {N_("Do not disconnect"), N_("Disconnect"), NULL};

enum { F_CODE, F_DISCONNECT, F_COUNT };

/* Room for more than 4 characters, so that a long code is explained
 * rather than cut off. */
static const struct tui_field fields[F_COUNT] = {
    [F_CODE] = {N_("Hold code"), TUI_FIELD_TEXT, 0, 8, NULL, &core_field_hold_code},
    [F_DISCONNECT] = {N_("Hold code after the target answers"), TUI_FIELD_CHOICE, 0, 0,
                      disconnect_choices, NULL},
};

static void show(struct tui_form *form, const struct store_site *site)
{
    tui_form_set_value(form, F_CODE, site->hold_code);
    tui_form_set_choice(form, F_DISCONNECT, site->hold_disconnect ? 1 : 0);
}

static void collect(struct tui_form *form, struct ops_codes_input *in)
{
    in->hold_code = tui_form_value(form, F_CODE);
    in->hold_disconnect = tui_form_choice(form, F_DISCONNECT) == 1;
}

static void done(const struct ops_codes_input *in, char *buf, size_t n)
{
    if (*in->hold_code)
        snprintf(buf, n, _("The hold code has been set to %s."), in->hold_code);
    else
        snprintf(buf, n, "%s", _("The hold code has been deleted."));
}

/* Deleting the hold code asks first (setting it shows the result). */
static bool confirm(const struct ops_codes_input *in)
{
    return *in->hold_code || tui_confirm(_("Hold code settings"), _("Delete the hold code?"));
}

static const struct scr_code_form form = {
    .lock = "hold-code",
    .fields = fields,
    .nfields = F_COUNT,
    .field_of = {[OPS_C_HOLD] = F_CODE,
                 [OPS_C_HOLD_DISCONNECT] = F_DISCONNECT,
                 [OPS_C_DIAL_CONFIRM] = -1,
                 [OPS_C_DTMF_ERASE] = -1,
                 [OPS_C_DTMF_SEND] = -1},
    .notes = N_("1 to 4 of 0-9, * and #. Two or more are recommended: a one-character code may be"
                " taken from surrounding sounds. It must not be a prefix of, or begin with, the"
                " park hold code, the site number, the GW identifier, an extension number or"
                " another code. Set an empty hold code to delete it."),
    .show = show,
    .read = collect,
    .confirm = confirm,
    .done = done,
};

static int hold_init(void *state, void *arg)
{
    (void)arg;
    return scr_code_form_init(state, &form);
}

const struct tui_screen scr_hold_code_screen = {
    .title = N_("Hold code settings"),
    .help = N_("During a call, dialling the hold code puts the caller on hold so that you can dial"
               " the transfer target. Disconnect: after the transfer target has answered, the hold"
               " code ends that call and returns to the caller. Do not disconnect (the default):"
               " it does not."),
    .actions = scr_code_form_actions,
    .state_size = sizeof(struct scr_code_state),
    .init = hold_init,
    .free = scr_code_form_free,
    .draw = scr_code_form_draw,
    .key = scr_code_form_key,
};
