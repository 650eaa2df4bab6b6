/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "i18n.h"

#include <locale.h>
#include <stdlib.h>

void kascon_i18n_init(void)
{
    setlocale(LC_ALL, "");
#if ENABLE_NLS
    const char *dir = getenv("KASCON_LOCALEDIR");
    bindtextdomain(PACKAGE, dir && *dir ? dir : LOCALEDIR);
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    textdomain(PACKAGE);
#endif
}
