/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <config.h>

#include "core/terminal.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "core/problem.h"

static const struct {
    const char *name;
    int enc;
} names[] = {
    {"auto", CORE_TERM_AUTO},       {"", CORE_TERM_AUTO},
    {"utf-8", CORE_TERM_UTF8},      {"utf8", CORE_TERM_UTF8},
    {"euc-jp", CORE_TERM_EUCJP},    {"eucjp", CORE_TERM_EUCJP},
    {"ujis", CORE_TERM_EUCJP},      {"cp932", CORE_TERM_CP932},
    {"sjis", CORE_TERM_CP932},      {"shift_jis", CORE_TERM_CP932},
    {"shift-jis", CORE_TERM_CP932}, {"windows-31j", CORE_TERM_CP932},
    {"pck", CORE_TERM_CP932},
};

int core_term_encoding_parse(const char *text, int *enc)
{
    for (size_t i = 0; text && i < sizeof names / sizeof names[0]; i++)
        if (!strcasecmp(text, names[i].name)) {
            *enc = names[i].enc;
            return CORE_OK;
        }
    return E_SETTING_VALUE;
}

const char *core_term_encoding_name(int enc)
{
    switch (enc) {
    case CORE_TERM_UTF8:
        return "utf-8";
    case CORE_TERM_EUCJP:
        return "euc-jp";
    case CORE_TERM_CP932:
        return "cp932";
    default:
        return "auto";
    }
}

int core_term_encoding_of_locale(const char *locale)
{
    const char *dot = locale ? strchr(locale, '.') : NULL;
    if (!dot)
        return CORE_TERM_AUTO;
    char codeset[32];
    size_t n = strcspn(dot + 1, "@");
    if (n == 0 || n >= sizeof codeset)
        return CORE_TERM_AUTO;
    memcpy(codeset, dot + 1, n);
    codeset[n] = '\0';
    int enc = CORE_TERM_AUTO;
    if (core_term_encoding_parse(codeset, &enc) || enc == CORE_TERM_AUTO)
        return CORE_TERM_AUTO;
    return enc;
}
