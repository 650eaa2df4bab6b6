/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "i18n.h"

#include <errno.h>
#include <iconv.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
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

void kascon_fprintf(FILE *out, const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    const char *codeset = nl_langinfo(CODESET);
    iconv_t cd = codeset && strcmp(codeset, "UTF-8") ? iconv_open(codeset, "UTF-8") : (iconv_t)-1;
    if (cd == (iconv_t)-1) {
        fputs(text, out);
        return;
    }
    char conv[4096];
    char *in = text, *o = conv;
    size_t inleft = strlen(text), outleft = sizeof conv - 1;
    while (inleft && iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
        if (errno != EILSEQ || outleft == 0)
            break;
        *o++ = '?'; /* a character the codeset lacks: skip its bytes */
        outleft--;
        do {
            in++;
            inleft--;
        } while (inleft && ((unsigned char)*in & 0xc0) == 0x80);
    }
    *o = '\0';
    iconv_close(cd);
    fputs(conv, out);
}
