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

/* Sets the locale from the environment and binds the "kascon" domain: to
 * the build tree's catalogues when the program runs from a build directory
 * (locale-tree/ beside the binary), else to the installed LOCALEDIR. */
void kascon_i18n_init(void);

#include <stdio.h>
/* fprintf for the text a person reads on the terminal outside the console
 * screens (usage, refusals): the catalogue gives UTF-8 and this converts
 * it to the locale's codeset (a ja_JP.EUC-JP terminal), '?' for what that
 * codeset cannot show. */
void kascon_fprintf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
