/* SPDX-License-Identifier: GPL-3.0-or-later */
/* プッシュ音設定 > 送出特番設定 (§5.5): dialled during a call, it sends DTMF
 * tones for that call although the site erases them. */
#include <config.h>

#include "i18n.h"
#include "screens/screens.h"

enum { F_CODE, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_CODE] = {N_("DTMF-send code"), TUI_FIELD_TEXT, 0, 8, NULL, &core_field_dtmf_send_code},
};

static void show(struct tui_form *form, const struct store_site *site)
{
    tui_form_set_value(form, F_CODE, site->dtmf_send_code);
}

static void collect(struct tui_form *form, struct ops_codes_input *in)
{
    in->dtmf_send_code = tui_form_value(form, F_CODE);
}

static void done(const struct ops_codes_input *in, char *buf, size_t n)
{
    if (*in->dtmf_send_code)
        snprintf(buf, n, _("The DTMF-send code has been set to %s."), in->dtmf_send_code);
    else
        snprintf(buf, n, "%s", _("The DTMF-send code has been deleted."));
}

/* As the guide's dialog (§5.5): setting and deleting both ask. */
static bool confirm(const struct ops_codes_input *in)
{
    char q[256];
    if (*in->dtmf_send_code)
        snprintf(q, sizeof q, _("Set the DTMF-send code to %s?"), in->dtmf_send_code);
    else
        snprintf(q, sizeof q, "%s", _("Delete the DTMF-send code?"));
    return tui_confirm(_("Send code setting"), q);
}

static const struct scr_code_form form = {
    .lock = "dtmf-send",
    .fields = fields,
    .nfields = F_COUNT,
    .field_of = {[OPS_C_HOLD] = -1,
                 [OPS_C_HOLD_DISCONNECT] = -1,
                 [OPS_C_DIAL_CONFIRM] = -1,
                 [OPS_C_DTMF_ERASE] = -1,
                 [OPS_C_DTMF_SEND] = F_CODE},
    .notes = N_("1 to 3 of 0-9, * and #, starting with * or #. It must not equal or begin with the"
                " site number, the GW identifier or another code, nor be begun by one. Set an empty"
                " code to delete it."),
    .show = show,
    .read = collect,
    .confirm = confirm,
    .done = done,
};

static int send_init(void *state, void *arg)
{
    (void)arg;
    return scr_code_form_init(state, &form);
}

const struct tui_screen scr_dtmf_send_screen = {
    .title = N_("Send code setting"),
    .help = N_("Dialling the DTMF-send code during a call sends the DTMF tones for that call only,"
               " e.g. to operate an automated voice system while the site erases the tones."),
    .actions = scr_code_form_actions,
    .state_size = sizeof(struct scr_code_state),
    .init = send_init,
    .free = scr_code_form_free,
    .draw = scr_code_form_draw,
    .key = scr_code_form_key,
};
