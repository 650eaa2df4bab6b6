/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing: CSV as Excel writes it (CRLF, quotes only where needed), in
 * CP932 or UTF-8.  A record is built whole before it is written, so a
 * record that cannot be encoded leaves nothing half-written behind. */
#include <config.h>

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/internal.h"

struct io_csv_writer {
    FILE *fp;
    iconv_t cd; /* to CP932, or (iconv_t)-1 to write UTF-8 */
    long records;
    char *line; /* the record, encoded */
    size_t line_len, line_cap;
    char *quoted; /* one field with its quotes, still UTF-8 */
    size_t quoted_cap;
};

int io_encoding_parse(const char *name, enum io_encoding *encoding)
{
    static const struct {
        const char *name;
        enum io_encoding encoding;
    } names[] = {{"cp932", IO_ENC_CP932},
                 {"sjis", IO_ENC_CP932},
                 {"shift_jis", IO_ENC_CP932},
                 {"utf-8", IO_ENC_UTF8},
                 {"utf8", IO_ENC_UTF8}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcasecmp(name, names[i].name)) {
            *encoding = names[i].encoding;
            return 0;
        }
    return -1;
}

/* The reader trims blanks around unquoted fields, so edge blanks need
 * quotes as much as separators do. */
static int needs_quotes(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (strpbrk(s, ",\"\r\n"))
        return 1;
    return s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t';
}

static int append_encoded(struct io_csv_writer *w, const char *s, size_t n)
{
    char *in = (char *)s;
    size_t left = n;

    while (left > 0) {
        /* Neither target encoding takes more than 2 bytes per UTF-8 byte. */
        char *p = io_grow(w->line, &w->line_cap, w->line_len + 2 * left + 16, 1);
        char *out;
        size_t oleft, rc;

        if (!p)
            return E_NO_MEMORY;
        w->line = p;
        out = w->line + w->line_len;
        oleft = w->line_cap - w->line_len;
        if (w->cd == (iconv_t)-1)
            rc = io_utf8_copy(&in, &left, &out, &oleft);
        else
            rc = iconv(w->cd, &in, &left, &out, &oleft);
        w->line_len = (size_t)(out - w->line);
        if (rc == (size_t)-1 && errno != E2BIG)
            return E_UNENCODABLE;
    }
    return 0;
}

/* Quotes a field in UTF-8 first: '"' is the same byte in CP932, where no
 * second byte of a character is below 0x40. */
static int append_field(struct io_csv_writer *w, const char *s, int force_quotes)
{
    size_t n = strlen(s), len = 0;
    char *p;

    if (!force_quotes && !needs_quotes(s, n))
        return append_encoded(w, s, n);
    if (!(p = io_grow(w->quoted, &w->quoted_cap, 2 * n + 2, 1)))
        return E_NO_MEMORY;
    w->quoted = p;
    p[len++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            p[len++] = '"';
        p[len++] = s[i];
    }
    p[len++] = '"';
    return append_encoded(w, p, len);
}

int io_csv_writer_open(struct io_csv_writer **writer, FILE *fp, enum io_encoding encoding,
                       struct io_csv_result *result)
{
    static const char bom[3] = "\xEF\xBB\xBF";
    struct io_csv_writer *w;

    io_result_init(result);
    result->encoding = encoding;
    *writer = NULL;
    if (encoding != IO_ENC_CP932 && encoding != IO_ENC_UTF8 && encoding != IO_ENC_UTF8_BOM)
        return io_fail(result, E_UNENCODABLE, 0, -1, -1);
    if (!(w = calloc(1, sizeof *w)))
        return io_fail(result, E_NO_MEMORY, 0, -1, -1);
    w->fp = fp;
    w->cd = (iconv_t)-1;
    if (encoding == IO_ENC_CP932 && (w->cd = iconv_open("CP932", "UTF-8")) == (iconv_t)-1) {
        result->sys_errno = errno;
        free(w);
        return io_fail(result, E_UNENCODABLE, 0, -1, -1);
    }
    if (encoding == IO_ENC_UTF8_BOM && fwrite(bom, 1, sizeof bom, fp) != sizeof bom) {
        result->sys_errno = errno;
        free(w);
        return io_fail(result, E_FILE_WRITE, 0, -1, -1);
    }
    *writer = w;
    return 0;
}

int io_csv_write_record(struct io_csv_writer *w, size_t nfields, const char *const *fields,
                        struct io_csv_result *result)
{
    int code = 0;

    result->code = 0;
    w->line_len = 0;
    for (size_t i = 0; i < nfields; i++) {
        const char *f = fields[i] ? fields[i] : "";
        if (i > 0)
            code = append_encoded(w, ",", 1);
        /* A lone empty field quoted: an empty line would be no record. */
        if (!code)
            code = append_field(w, f, nfields == 1 && !*f);
        if (code)
            return io_fail(result, code, w->records + 1, (int)i, -1);
    }
    if ((code = append_encoded(w, "\r\n", 2)) != 0)
        return io_fail(result, code, w->records + 1, -1, -1);
    if (fwrite(w->line, 1, w->line_len, w->fp) != w->line_len) {
        result->sys_errno = errno;
        return io_fail(result, E_FILE_WRITE, w->records + 1, -1, -1);
    }
    result->records = ++w->records;
    return 0;
}

int io_csv_writer_close(struct io_csv_writer *w, struct io_csv_result *result)
{
    int code = 0;

    result->code = 0;
    if (!w)
        return 0;
    if (fflush(w->fp) != 0 || ferror(w->fp)) {
        result->sys_errno = errno;
        code = io_fail(result, E_FILE_WRITE, 0, -1, -1);
    }
    if (w->cd != (iconv_t)-1)
        iconv_close(w->cd);
    free(w->line);
    free(w->quoted);
    free(w);
    return code;
}
