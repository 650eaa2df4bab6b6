/* SPDX-License-Identifier: GPL-3.0-or-later */
/* プッシュ音設定 > 消去設定 (§5.5): whether the other party hears the DTMF
 * tones dialled while a call is put on hold; one setting for the whole
 * site, changed only after a confirmation. */
#include <config.h>

#include "i18n.h"
#include "screens/screens.h"

static const char *const erase_choices[] = {N_("Do not erase"), N_("Erase"), NULL};

enum { F_ERASE, F_COUNT };

static const struct tui_field fields[F_COUNT] = {
    [F_ERASE] = {N_("Erase setting"), TUI_FIELD_CHOICE, 0, 0, erase_choices, NULL},
};

static void show(struct tui_form *form, const struct store_site *site)
{
    tui_form_set_choice(form, F_ERASE, site->dtmf_erase ? 1 : 0);
}

static void collect(struct tui_form *form, struct ops_codes_input *in)
{
    in->dtmf_erase = tui_form_choice(form, F_ERASE) == 1;
}

static bool confirm(const struct ops_codes_input *in)
{
    return tui_confirm(_("DTMF tone settings"),
                       in->dtmf_erase
                           ? _("Erase the DTMF tones on the calls of every Office Link extension"
                               " of this site? Automated voice guidance on outside calls then"
                               " needs the DTMF-send code.")
                           : _("Send the DTMF tones again on the calls of every Office Link"
                               " extension of this site?"));
}

static void done(const struct ops_codes_input *in, char *buf, size_t n)
{
    snprintf(buf, n, "%s",
             in->dtmf_erase ? _("DTMF tones are now erased.") : _("DTMF tones are now sent."));
}

static const struct scr_code_form form = {
    .lock = "dtmf-erase",
    .fields = fields,
    .nfields = F_COUNT,
    .field_of = {[OPS_C_HOLD] = -1,
                 [OPS_C_HOLD_DISCONNECT] = -1,
                 [OPS_C_DIAL_CONFIRM] = -1,
                 [OPS_C_DTMF_ERASE] = F_ERASE,
                 [OPS_C_DTMF_SEND] = -1},
    .notes = N_("Erase: the other party does not hear the DTMF tones dialled while you put a call"
                " on hold. The setting is the same for every Office Link extension of the site."
                " Calls between Office Link extensions never carry the tones."),
    .show = show,
    .read = collect,
    .confirm = confirm,
    .done = done,
};

static int erase_init(void *state, void *arg)
{
    (void)arg;
    return scr_code_form_init(state, &form);
}

const struct tui_screen scr_dtmf_erase_screen = {
    .title = N_("Erase setting"),
    .help = N_("Choose Erase or Do not erase with Left/Right or Space, then Set (F2) and confirm."
               " With Erase, automated voice systems on outside calls can be operated only after"
               " dialling the DTMF-send code during the call."),
    .actions = scr_code_form_actions,
    .state_size = sizeof(struct scr_code_state),
    .init = erase_init,
    .free = scr_code_form_free,
    .draw = scr_code_form_draw,
    .key = scr_code_form_key,
};
