/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if ENABLE_NLS
/* The catalogues of an uninstalled build: `make` compiles them into
 * locale-tree/ next to the programs.  An installed program has no such
 * directory beside it (nothing installs one in bindir) and uses LOCALEDIR. */
static const char *message_dir(char *buf, size_t n)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return LOCALEDIR;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return LOCALEDIR;
    *slash = '\0';
    struct stat sb;
    int w = snprintf(buf, n, "%s/locale-tree", exe);
    if (w < 0 || (size_t)w >= n || stat(buf, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return LOCALEDIR;
    return buf;
}
#endif

void kascon_i18n_init(void)
{
    setlocale(LC_ALL, "");
#if ENABLE_NLS
    char dir[PATH_MAX];
    bindtextdomain(PACKAGE, message_dir(dir, sizeof dir));
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    textdomain(PACKAGE);
#endif
}
