/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ダイヤル確定特番設定 (§5.4): dialled after a transfer target's number, it
 * starts the transfer at once instead of after about 4 seconds. */
#include <config.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_CODE, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_CODE] = {N_("Dial-confirm code"), TUI_FIELD_TEXT, 0, 8, NULL, &core_field_dial_confirm_code},
};

static void show(struct tui_form *form, const struct store_site *site)
{
    tui_form_set_value(form, F_CODE, site->dial_confirm_code);
}

static void collect(struct tui_form *form, struct ops_codes_input *in)
{
    in->dial_confirm_code = tui_form_value(form, F_CODE);
}

static void done(const struct ops_codes_input *in, char *buf, size_t n)
{
    snprintf(buf, n, _("The dial-confirm code has been set to %s."), in->dial_confirm_code);
}

static const struct scr_code_form form = {
    .lock = "dial-confirm",
    .fields = fields,
    .nfields = F_COUNT,
    .field_of = {[OPS_C_HOLD] = -1,
                 [OPS_C_HOLD_DISCONNECT] = -1,
                 [OPS_C_DIAL_CONFIRM] = F_CODE,
                 [OPS_C_DTMF_ERASE] = -1,
                 [OPS_C_DTMF_SEND] = -1},
    .notes = N_("1 to 3 of 0-9, * and #, starting with * or #. It must not equal or begin with the"
                " site number, the GW identifier, the park hold, hold, pickup or group pickup code,"
                " nor be begun by one (hold code #7 and dial-confirm code #71 do not work"
                " together)."),
    .show = show,
    .read = collect,
    .done = done,
};

static int dial_init(void *state, void *arg)
{
    (void)arg;
    return scr_code_form_init(state, &form);
}

const struct tui_screen scr_dial_confirm_screen = {
    .title = N_("Dial-confirm code settings"),
    .help = N_("In a transfer from hold, the system waits about 4 seconds for more digits after the"
               " transfer target's number. Dialling the dial-confirm code after the number starts"
               " the transfer at once."),
    .actions = scr_code_form_actions,
    .state_size = sizeof(struct scr_code_state),
    .init = dial_init,
    .free = scr_code_form_free,
    .draw = scr_code_form_draw,
    .key = scr_code_form_key,
};
