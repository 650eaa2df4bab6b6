/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --json output of the list and show verbs: RFC 8259 text on stdout,
 * strings escaped (control characters as \u00XX, bytes that are not
 * UTF-8 as U+FFFD), so that jq and python3 -m json.tool read it. */
#include <config.h>

#include <string.h>

#include "cli/cli.h"

static void separate(struct cli_json *j)
{
    if (j->depth > 0 && j->count[j->depth - 1]++)
        fputc(',', j->out);
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static int utf8_len(const unsigned char *s)
{
    int n;
    unsigned min;
    unsigned cp;
    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xe0) == 0xc0)
        n = 2, min = 0x80, cp = s[0] & 0x1f;
    else if ((s[0] & 0xf0) == 0xe0)
        n = 3, min = 0x800, cp = s[0] & 0x0f;
    else if ((s[0] & 0xf8) == 0xf0)
        n = 4, min = 0x10000, cp = s[0] & 0x07;
    else
        return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

static void string(FILE *out, const char *text)
{
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    fputc('"', out);
    while (*s) {
        int n = utf8_len(s);
        if (n == 0) {
            fputs("\\ufffd", out);
            s++;
        } else if (*s == '"' || *s == '\\') {
            fputc('\\', out);
            fputc(*s++, out);
        } else if (*s == '\n') {
            fputs("\\n", out);
            s++;
        } else if (*s == '\t') {
            fputs("\\t", out);
            s++;
        } else if (*s < 0x20 || *s == 0x7f) {
            fprintf(out, "\\u%04x", *s++);
        } else {
            fwrite(s, 1, (size_t)n, out);
            s += n;
        }
    }
    fputc('"', out);
}

static void key(struct cli_json *j, const char *name)
{
    separate(j);
    if (name) {
        string(j->out, name);
        fputc(':', j->out);
    }
}

void cli_json_open(struct cli_json *j, const char *name, char bracket)
{
    key(j, name);
    fputc(bracket, j->out);
    if (j->depth < CLI_JSON_DEPTH)
        j->count[j->depth] = 0;
    j->depth++;
}

void cli_json_close(struct cli_json *j, char bracket)
{
    fputc(bracket, j->out);
    j->depth--;
    if (j->depth == 0)
        fputc('\n', j->out);
}

void cli_json_str(struct cli_json *j, const char *name, const char *value)
{
    key(j, name);
    string(j->out, value);
}

void cli_json_int(struct cli_json *j, const char *name, long long value)
{
    key(j, name);
    fprintf(j->out, "%lld", value);
}

void cli_json_bool(struct cli_json *j, const char *name, bool value)
{
    key(j, name);
    fputs(value ? "true" : "false", j->out);
}

void cli_json_null(struct cli_json *j, const char *name)
{
    key(j, name);
    fputs("null", j->out);
}
