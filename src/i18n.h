/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One place for the gettext wiring, as in GNU hello. */
#ifndef KASCON_I18N_H
#define KASCON_I18N_H

#include <config.h>

#if ENABLE_NLS
#include <libintl.h>
#define _(msgid) gettext(msgid)
#else
#define _(msgid) (msgid)
#define ngettext(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(msgid) (msgid)

/* Binds the "kascon" domain; KASCON_LOCALEDIR overrides the installed
 * directory so that an uninstalled build tree can run translated. */
void kascon_i18n_init(void);

#endif
